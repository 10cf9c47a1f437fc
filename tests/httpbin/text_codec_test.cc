#include "httpbin/text_codec.h"

#include <gtest/gtest.h>

namespace gatehouse::httpbin {
namespace {

TEST(Utf8Test, AcceptsWellFormedText) {
  EXPECT_TRUE(is_valid_utf8(""));
  EXPECT_TRUE(is_valid_utf8("plain ascii"));
  EXPECT_TRUE(is_valid_utf8("caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80"));
  EXPECT_TRUE(is_valid_utf8("\xF4\x8F\xBF\xBF"));  // U+10FFFF
}

TEST(Utf8Test, RejectsMalformedSequences) {
  EXPECT_FALSE(is_valid_utf8("\xFF"));
  EXPECT_FALSE(is_valid_utf8("\x80"));              // stray continuation
  EXPECT_FALSE(is_valid_utf8("\xC0\xAF"));          // overlong '/'
  EXPECT_FALSE(is_valid_utf8("\xE0\x80\xAF"));      // overlong
  EXPECT_FALSE(is_valid_utf8("\xED\xA0\x80"));      // surrogate U+D800
  EXPECT_FALSE(is_valid_utf8("\xF4\x90\x80\x80"));  // above U+10FFFF
  EXPECT_FALSE(is_valid_utf8("\xE2\x82"));          // truncated
  EXPECT_FALSE(is_valid_utf8(std::string_view("a\xC3", 2)));
}

TEST(Utf8Test, DecodesCodePoints) {
  EXPECT_EQ(next_utf8("\xC3\xA9").code_point, U'\u00E9');
  EXPECT_EQ(next_utf8("\xF0\x9F\x98\x80").code_point, U'\U0001F600');
  Utf8Step truncated = next_utf8(
      "\xE2\x82"
      "A");
  EXPECT_FALSE(truncated.valid);
  EXPECT_EQ(truncated.length, 2u);  // the maximal prefix, so 'A' survives
}

TEST(Utf8Test, ReplacesEachMalformedRunOnce) {
  EXPECT_EQ(replace_invalid_utf8("a\xFF\xFE"
                                 "b"),
            "a\xEF\xBF\xBD\xEF\xBF\xBD"
            "b");
  EXPECT_EQ(replace_invalid_utf8("\xE2\x82"
                                 "A"),
            "\xEF\xBF\xBD"
            "A");
  EXPECT_EQ(replace_invalid_utf8("ok \xC3\xA9"), "ok \xC3\xA9");
}

TEST(Latin1Test, ReencodesHighBytes) {
  EXPECT_EQ(latin1_to_utf8("a\xE9"), "a\xC3\xA9");
  EXPECT_EQ(latin1_to_utf8("\xC3\xA9"), "\xC3\x83\xC2\xA9");  // UTF-8 shown as two characters
  EXPECT_EQ(latin1_to_utf8(""), "");
}

TEST(Base64Test, MatchesRfc4648Vectors) {
  EXPECT_EQ(base64_encode(""), "");
  EXPECT_EQ(base64_encode("f"), "Zg==");
  EXPECT_EQ(base64_encode("fo"), "Zm8=");
  EXPECT_EQ(base64_encode("foo"), "Zm9v");
  EXPECT_EQ(base64_encode("foobar"), "Zm9vYmFy");
  EXPECT_EQ(base64_encode("\xFF\xFE"), "//4=");
}

TEST(TitleCaseTest, MatchesPythonTitle) {
  EXPECT_EQ(title_case_header("user-agent"), "User-Agent");
  EXPECT_EQ(title_case_header("X-AMZN-TRACE-ID"), "X-Amzn-Trace-Id");
  EXPECT_EQ(title_case_header("x-b3-traceid"), "X-B3-Traceid");
  EXPECT_EQ(title_case_header("abc1def"), "Abc1Def");
  EXPECT_EQ(title_case_header("x_under"), "X-Under");
  EXPECT_EQ(title_case_header(""), "");
}

}  // namespace
}  // namespace gatehouse::httpbin
