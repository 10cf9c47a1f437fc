// Strict base64url: RFC 4648 section 10 vectors in the URL-safe alphabet, and every way a text
// can be non-canonical.
#include "jose/base64url.h"

#include <gtest/gtest.h>

#include <string>

namespace gatehouse::jose {
namespace {

bool decodes(std::string_view text) {
  std::string out;
  return base64url_decode(text, out);
}

TEST(Base64url, Rfc4648VectorsWithoutPadding) {
  const std::pair<std::string_view, std::string_view> vectors[] = {
      {"", ""},           {"f", "Zg"},          {"fo", "Zm8"},         {"foo", "Zm9v"},
      {"foob", "Zm9vYg"}, {"fooba", "Zm9vYmE"}, {"foobar", "Zm9vYmFy"}};
  for (auto [bytes, text] : vectors) {
    EXPECT_EQ(base64url_encode(bytes), text);
    std::string decoded;
    ASSERT_TRUE(base64url_decode(text, decoded)) << text;
    EXPECT_EQ(decoded, bytes);
  }
}

TEST(Base64url, UsesTheUrlSafeAlphabet) {
  EXPECT_EQ(base64url_encode("\xfb\xff\xbf"), "-_-_");
  std::string decoded;
  ASSERT_TRUE(base64url_decode("-_-_", decoded));
  EXPECT_EQ(decoded, "\xfb\xff\xbf");
}

TEST(Base64url, RoundTripsEveryByteValueAndLength) {
  std::string bytes;
  for (int i = 0; i < 256; ++i) {
    bytes += static_cast<char>(i);
    std::string decoded;
    ASSERT_TRUE(base64url_decode(base64url_encode(bytes), decoded));
    EXPECT_EQ(decoded, bytes);
  }
}

// Each list is texts that must be refused for one reason.
void expect_refused(std::initializer_list<std::string_view> texts) {
  for (std::string_view text : texts) EXPECT_FALSE(decodes(text)) << text;
}

TEST(Base64url, RefusesPadding) { expect_refused({"Zg==", "Zm8=", "Zm9v===="}); }

TEST(Base64url, RefusesTheStandardAlphabet) { expect_refused({"+/+/", "ab+c", "ab/c"}); }

TEST(Base64url, RefusesWhitespaceAndOtherBytes) {
  expect_refused({"Zm9v Zm9v", "Zm9v\nZm9v", "Zm9v\r\n", " Zm9v", "Zm9v\t", "Zm.v", "Zm9v%3D",
                  std::string_view("Zm\0v", 4), "Zm9\xc3\xa9"});
}

TEST(Base64url, RefusesALengthOfFourNPlusOne) { expect_refused({"Z", "Zm9vY"}); }

TEST(Base64url, RefusesNonZeroUnusedBits) {
  // "Zg" is canonical for "f"; "Zh".."Zv" carry the same byte with stray low bits.
  EXPECT_TRUE(decodes("Zg"));
  EXPECT_TRUE(decodes("Zm8"));
  expect_refused({"Zh", "Zv", "Zm9"});
}

}  // namespace
}  // namespace gatehouse::jose
