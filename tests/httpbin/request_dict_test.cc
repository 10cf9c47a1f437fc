#include "httpbin/request_dict.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "httpbin_test_util.h"

namespace gatehouse::httpbin {
namespace {

using boost::json::parse;
using testing::TestRequest;
using testing::with_request;

boost::json::value dict_of(const TestRequest& spec, DictKeys keys) {
  return with_request(spec, [&](const Request& r) { return request_dict(r, keys); });
}

boost::json::value headers_of(const TestRequest& spec, bool show_env = false) {
  return with_request(spec, [&](const Request& r) { return request_headers(r.view, show_env); });
}

TEST(RequestHeadersTest, TitleCasesAndJoinsRepeats) {
  TestRequest spec{.headers = {{"host", "h"}, {"x-dup", "1"}, {"X-DUP", "2"}, {"x_under", "u"}}};
  EXPECT_EQ(headers_of(spec), parse(R"({"Host":"h","X-Dup":"1,2","X-Under":"u"})"));
}

TEST(RequestHeadersTest, HidesProxyHeadersUnlessShowEnv) {
  TestRequest spec{.headers = {{"Host", "h"},
                               {"X-Forwarded-For", "1.2.3.4"},
                               {"via", "1.1 x"},
                               {"X-Request-Id", "r"},
                               {"X-Amzn-Trace-Id", "Root=1"}}};
  EXPECT_EQ(headers_of(spec), parse(R"({"Host":"h","X-Amzn-Trace-Id":"Root=1"})"));
  EXPECT_EQ(headers_of(spec, true).as_object().size(), 5u);
  spec.query = "show_env";
  EXPECT_EQ(dict_of(spec, {.headers = true}).at("headers").as_object().size(), 5u);
}

TEST(RequestHeadersTest, ReadsValuesAsLatin1) {
  TestRequest spec{.headers = {{"Host", "h"}, {"X-U", "\xC3\xA9"}}};
  EXPECT_EQ(headers_of(spec).at("X-U"), "\xC3\x83\xC2\xA9");
}

TEST(RequestHeadersTest, AddsHostFromAuthorityAndSkipsPseudoHeaders) {
  TestRequest spec{.headers = {{":authority", "a"}, {"Accept", "*/*"}}, .authority = "a:8080"};
  EXPECT_EQ(headers_of(spec), parse(R"({"Host":"a:8080","Accept":"*/*"})"));
}

TEST(RequestHeadersTest, DropsEmptyEntityHeaders) {
  TestRequest spec{.headers = {{"Host", "h"}, {"Content-Type", ""}, {"X-Empty", ""}}};
  EXPECT_EQ(headers_of(spec), parse(R"({"Host":"h","X-Empty":""})"));
}

TEST(OriginTest, PrefersForwardedFor) {
  TestRequest spec;
  EXPECT_EQ(with_request(spec, [](const Request& r) { return origin(r.view); }), "10.1.2.3");
  spec.headers.push_back({"X-Forwarded-For", "1.1.1.1, 2.2.2.2"});
  spec.headers.push_back({"X-Forwarded-For", "3.3.3.3"});
  EXPECT_EQ(with_request(spec, [](const Request& r) { return origin(r.view); }),
            "1.1.1.1, 2.2.2.2,3.3.3.3");
}

TEST(RequestUrlTest, BuildsFromViewOrUsesGivenUrl) {
  auto url_of = [](const TestRequest& spec) {
    return with_request(spec, [](const Request& r) { return request_url(r); });
  };
  EXPECT_EQ(url_of({.path = "/get", .query = "a=1"}), "http://httpbin.test/get?a=1");
  EXPECT_EQ(url_of({.path = "/get"}), "http://httpbin.test/get");
  EXPECT_EQ(url_of({.url = "http://given:1/x"}), "http://given:1/x");
}

TEST(RequestUrlTest, TakesSchemeFromForwardedHeaders) {
  auto url_of = [](std::string name, std::string value) {
    TestRequest spec{.headers = {{name, value}}};
    return with_request(spec, [](const Request& r) { return request_url(r); });
  };
  EXPECT_EQ(url_of("X-Forwarded-Proto", "https"), "https://httpbin.test/get");
  EXPECT_EQ(url_of("X-Forwarded-Protocol", "https"), "https://httpbin.test/get");
  EXPECT_EQ(url_of("X-Forwarded-Ssl", "on"), "https://httpbin.test/get");
  EXPECT_EQ(url_of("X-Forwarded-Ssl", "off"), "http://httpbin.test/get");
}

constexpr DictKeys kBodyKeys{.form = true, .data = true, .files = true, .json = true};

TEST(RequestDictTest, ParsesJsonBody) {
  TestRequest spec{.headers = {{"Content-Type", "application/json"}},
                   .body = R"({"b":[1,2.5],"a":"x"})"};
  EXPECT_EQ(dict_of(spec, kBodyKeys),
            parse(R"({"form":{},"data":"{\"b\":[1,2.5],\"a\":\"x\"}","files":{},
                      "json":{"b":[1,2.5],"a":"x"}})"));
}

TEST(RequestDictTest, InvalidJsonGivesNull) {
  for (std::string body :
       std::vector<std::string>{"{bad", "", "NaN", "[1,", "\"\\ud800\"", std::string(100, '[')}) {
    TestRequest spec{.headers = {{"Content-Type", "application/json"}}, .body = body};
    EXPECT_TRUE(dict_of(spec, kBodyKeys).at("json").is_null()) << body;
  }
}

TEST(RequestDictTest, JsonIsParsedWhateverTheContentType) {
  TestRequest spec{.headers = {{"Content-Type", "text/plain"}}, .body = "[1]"};
  EXPECT_EQ(dict_of(spec, kBodyKeys).at("json"), parse("[1]"));
}

TEST(RequestDictTest, UrlencodedFormConsumesBody) {
  TestRequest spec{.headers = {{"Content-Type", "application/x-www-form-urlencoded"}},
                   .body = "a=1&a=2&b=x%20y+z"};
  EXPECT_EQ(dict_of(spec, kBodyKeys),
            parse(R"({"form":{"a":["1","2"],"b":"x y z"},"data":"","files":{},"json":null})"));
}

TEST(RequestDictTest, MultipartFillsFormAndFiles) {
  TestRequest spec{
      .headers = {{"Content-Type", "multipart/form-data; boundary=bb"}},
      .body =
          "--bb\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n1\r\n"
          "--bb\r\nContent-Disposition: form-data; name=\"f\"; filename=\"x\"\r\n\r\nhi\r\n"
          "--bb--\r\n"};
  EXPECT_EQ(dict_of(spec, kBodyKeys),
            parse(R"({"form":{"a":"1"},"data":"","files":{"f":"hi"},"json":null})"));
}

TEST(RequestDictTest, BinaryBodyBecomesDataUrl) {
  TestRequest spec{.headers = {{"Content-Type", "application/octet-stream"}}, .body = "\xFF\xFE"};
  EXPECT_EQ(dict_of(spec, {.data = true}).at("data"), "data:application/octet-stream;base64,//4=");
}

TEST(RequestDictTest, ReportsOnlyRequestedKeysInStreamOrder) {
  boost::json::object dict =
      dict_of({}, {.url = true, .args = true, .origin = true, .headers = true}).as_object();
  std::vector<std::string> keys;
  for (const auto& member : dict) keys.emplace_back(member.key());
  EXPECT_EQ(keys, (std::vector<std::string>{"url", "args", "headers", "origin"}));
}

TEST(RequestDictTest, QueryArgsAreSemiflattened) {
  EXPECT_EQ(dict_of({.query = "a=1&a=2&b=x"}, {.args = true}).at("args"),
            parse(R"({"a":["1","2"],"b":"x"})"));
  EXPECT_EQ(dict_of({.query = "x=%ZZ&y=%41"}, {.args = true}).at("args"),
            parse(R"({"x":"%ZZ","y":"A"})"));
}

}  // namespace
}  // namespace gatehouse::httpbin
