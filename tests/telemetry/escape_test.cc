#include "telemetry/escape.h"

#include <gtest/gtest.h>

#include <string>

namespace gatehouse::telemetry {
namespace {

std::string json(std::string_view text) {
  std::string out;
  append_json_string(out, text);
  return out;
}

std::string label_value(std::string_view text) {
  std::string out;
  append_prometheus_label_value(out, text);
  return out;
}

TEST(JsonString, PlainTextIsQuotedUnchanged) {
  EXPECT_EQ(json(""), R"("")");
  EXPECT_EQ(json("/status/200?a=b&c=d"), R"("/status/200?a=b&c=d")");
  EXPECT_EQ(json("it's </script>"), R"("it's </script>")");
}

TEST(JsonString, EscapesQuotesAndBackslashes) {
  EXPECT_EQ(json(R"(a"b\c)"), R"("a\"b\\c")");
  EXPECT_EQ(json(R"(\")"), R"("\\\"")");
}

TEST(JsonString, EscapesEveryControlCharacter) {
  EXPECT_EQ(json("\b\f\n\r\t"), R"("\b\f\n\r\t")");
  EXPECT_EQ(json(std::string_view("a\0b", 3)), R"("a\u0000b")");
  EXPECT_EQ(json("\x01\x1f\x7f"), R"("\u0001\u001f\u007f")");
  for (int c = 0; c < 0x20; ++c) {
    const std::string escaped = json(std::string(1, static_cast<char>(c)));
    EXPECT_EQ(escaped[1], '\\') << c;
    EXPECT_EQ(escaped.find_first_of(std::string_view("\0\n\r", 3), 0), std::string::npos) << c;
  }
}

TEST(JsonString, LogInjectionStaysOnOneLine) {
  const std::string hostile = "x\"}\n{\"injected\":true";
  EXPECT_EQ(json(hostile), R"("x\"}\n{\"injected\":true")");
}

TEST(JsonString, CopiesValidUtf8) {
  EXPECT_EQ(json("caf\xC3\xA9"), "\"caf\xC3\xA9\"");            // U+00E9
  EXPECT_EQ(json("\xE2\x82\xAC"), "\"\xE2\x82\xAC\"");          // U+20AC
  EXPECT_EQ(json("\xF0\x9F\x98\x80"), "\"\xF0\x9F\x98\x80\"");  // U+1F600
  EXPECT_EQ(json("\xF4\x8F\xBF\xBF"), "\"\xF4\x8F\xBF\xBF\"");  // U+10FFFF
}

TEST(JsonString, ReplacesInvalidUtf8) {
  EXPECT_EQ(json("\xFF"), R"("\ufffd")");
  EXPECT_EQ(json("a\x80z"), R"("a\ufffdz")");                            // lone continuation byte
  EXPECT_EQ(json("\xC0\xAF"), R"("\ufffd\ufffd")");                      // overlong '/'
  EXPECT_EQ(json("\xE0\x80\xAF"), R"("\ufffd\ufffd\ufffd")");            // overlong 3-byte
  EXPECT_EQ(json("\xED\xA0\x80"), R"("\ufffd\ufffd\ufffd")");            // surrogate U+D800
  EXPECT_EQ(json("\xF4\x90\x80\x80"), R"("\ufffd\ufffd\ufffd\ufffd")");  // > U+10FFFF
  EXPECT_EQ(json("\xE2\x82"), R"("\ufffd")");  // truncated: one maximal subpart
  EXPECT_EQ(json("\xE2\x82z"), R"("\ufffdz")");
  EXPECT_EQ(json("\xF0\x9F\x98"), R"("\ufffd")");
  EXPECT_EQ(json("\xC3"), R"("\ufffd")");
}

TEST(JsonString, AppendsWithoutTouchingWhatIsThere) {
  std::string out = "prefix:";
  append_json_string(out, "v");
  EXPECT_EQ(out, R"(prefix:"v")");
}

TEST(PrometheusLabelValue, EscapesBackslashQuoteNewline) {
  EXPECT_EQ(label_value("plain-name_1.2"), "plain-name_1.2");
  EXPECT_EQ(label_value("a\\b\"c\nd"), R"(a\\b\"c\nd)");
}

TEST(PrometheusLabelValue, KeepsOtherBytesAndValidUtf8) {
  EXPECT_EQ(label_value("tab\there"), "tab\there");
  EXPECT_EQ(label_value("caf\xC3\xA9"), "caf\xC3\xA9");
}

TEST(PrometheusLabelValue, ReplacesInvalidUtf8WithReplacementCharacter) {
  EXPECT_EQ(label_value("a\xFFz"), "a\xEF\xBF\xBDz");
  EXPECT_EQ(label_value("\xE2\x82"), "\xEF\xBF\xBD");
}

}  // namespace
}  // namespace gatehouse::telemetry
