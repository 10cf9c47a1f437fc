#include "httpbin/form_data.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>

namespace gatehouse::httpbin {
namespace {

using boost::json::parse;

TEST(UrlDecodeTest, DecodesPlusAndPercent) {
  EXPECT_EQ(url_decode("a+b%20c%2Bd"), "a b c+d");
  EXPECT_EQ(url_decode("%C3%A9%c3%a9"), "\xC3\xA9\xC3\xA9");
  EXPECT_EQ(url_decode(""), "");
}

TEST(UrlDecodeTest, KeepsBadPercentEscapesLiterally) {
  EXPECT_EQ(url_decode("%ZZ"), "%ZZ");
  EXPECT_EQ(url_decode("%4"), "%4");
  EXPECT_EQ(url_decode("%"), "%");
  EXPECT_EQ(url_decode("100%"), "100%");
  EXPECT_EQ(url_decode("%%41"), "%A");
}

TEST(UrlDecodeTest, ReplacesBytesThatAreNotUtf8) {
  EXPECT_EQ(url_decode("%E9"), "\xEF\xBF\xBD");
  EXPECT_EQ(url_decode("caf%C3"), "caf\xEF\xBF\xBD");
  EXPECT_EQ(url_decode("%00"), std::string(1, '\0'));
}

TEST(UrlencodedTest, FlattensSingleValuesAndListsRepeats) {
  EXPECT_EQ(boost::json::value(parse_urlencoded("a=1&a=2&b=x&a=3")),
            parse(R"({"a":["1","2","3"],"b":"x"})"));
}

TEST(UrlencodedTest, HandlesEmptyPiecesAndMissingValues) {
  EXPECT_EQ(boost::json::value(parse_urlencoded("&&z&=v&w=&x=1=2")),
            parse(R"({"z":"","":"v","w":"","x":"1=2"})"));
  EXPECT_TRUE(parse_urlencoded("").empty());
  EXPECT_TRUE(parse_urlencoded("&&&").empty());
}

TEST(UrlencodedTest, KeepsFirstArrivalOrder) {
  boost::json::object fields = parse_urlencoded("z=1&a=2&z=3");
  ASSERT_EQ(fields.size(), 2u);
  EXPECT_EQ(fields.begin()->key(), "z");
}

TEST(UrlencodedTest, ManyRepeatsStayLinear) {
  std::string query;
  for (int i = 0; i < 20000; ++i) query += "k=v&";
  EXPECT_EQ(parse_urlencoded(query).at("k").as_array().size(), 20000u);
}

TEST(HeaderParameterTest, ReadsQuotedAndPlainParameters) {
  EXPECT_EQ(header_parameter("multipart/form-data; boundary=abc", "boundary"), "abc");
  EXPECT_EQ(header_parameter("multipart/form-data; BOUNDARY=\"a;b\"", "boundary"), "a;b");
  EXPECT_EQ(header_parameter(R"(form-data; name="a\"b"; filename="f")", "name"), "a\"b");
  EXPECT_EQ(header_parameter(R"(form-data; filename="f")", "name"), std::nullopt);
  EXPECT_EQ(header_parameter("text/plain", "charset"), std::nullopt);
  EXPECT_EQ(header_parameter("text/plain; \"unterminated", "charset"), std::nullopt);
}

TEST(MediaTypeTest, LowercasesAndDropsParameters) {
  EXPECT_EQ(media_type(" Application/JSON ; charset=utf-8"), "application/json");
  EXPECT_EQ(media_type(""), "");
}

TEST(JsonSafeTest, KeepsUtf8AndWrapsBinaryInDataUrl) {
  EXPECT_EQ(json_safe("caf\xC3\xA9", "x/y"), "caf\xC3\xA9");
  EXPECT_EQ(json_safe("\xFF\xFE", "application/octet-stream"),
            "data:application/octet-stream;base64,//4=");
}

constexpr std::string_view kMultipart =
    "preamble\r\n"
    "--XyZ\r\n"
    "Content-Disposition: form-data; name=\"a\"\r\n\r\n"
    "1\r\n"
    "--XyZ\r\n"
    "Content-Disposition: form-data; name=\"a\"\r\n\r\n"
    "2\r\n"
    "--XyZ\r\n"
    "Content-Disposition: form-data; name=\"f\"; filename=\"f.txt\"\r\n"
    "Content-Type: text/plain\r\n\r\n"
    "hello\r\nworld\r\n"
    "--XyZ\r\n"
    "Content-Disposition: form-data; name=\"bin\"; filename=\"b.png\"\r\n"
    "Content-Type: image/png\r\n\r\n"
    "\xFF\xFE\r\n"
    "--XyZ\r\n"
    "Content-Disposition: form-data\r\n\r\n"
    "nameless\r\n"
    "--XyZ--\r\n";

TEST(MultipartTest, SplitsFieldsAndFiles) {
  MultipartFields fields = parse_multipart(kMultipart, "XyZ");
  EXPECT_EQ(boost::json::value(fields.form), parse(R"({"a":["1","2"]})"));
  EXPECT_EQ(boost::json::value(fields.files),
            parse(R"({"f":"hello\r\nworld","bin":"data:image/png;base64,//4="})"));
}

TEST(MultipartTest, MalformedBodiesKeepWhatParsed) {
  EXPECT_TRUE(parse_multipart(kMultipart, "").form.empty());
  EXPECT_TRUE(parse_multipart(kMultipart, "other").form.empty());
  EXPECT_TRUE(parse_multipart("", "XyZ").form.empty());
  EXPECT_TRUE(parse_multipart("--XyZ", "XyZ").form.empty());
  EXPECT_TRUE(
      parse_multipart("--XyZ\r\nContent-Disposition: form-data; name=a", "XyZ").form.empty());
  // Truncated after the first part: that part is kept.
  std::string_view truncated = kMultipart.substr(0, kMultipart.find("2\r\n"));
  EXPECT_EQ(boost::json::value(parse_multipart(truncated, "XyZ").form), parse(R"({"a":"1"})"));
  // Every prefix parses without crashing.
  for (std::size_t n = 0; n <= kMultipart.size(); ++n)
    parse_multipart(kMultipart.substr(0, n), "XyZ");
}

TEST(MultipartTest, PartWithoutHeadersIsSkipped) {
  MultipartFields fields = parse_multipart(
      "--b\r\n\r\nx\r\n--b\r\n"
      "Content-Disposition: form-data; name=k\r\n\r\nv\r\n--b--",
      "b");
  EXPECT_EQ(boost::json::value(fields.form), parse(R"({"k":"v"})"));
}

}  // namespace
}  // namespace gatehouse::httpbin
