// Strict base64url and standard base64: RFC 4648 section 10 vectors in each spelling, agreement
// with OpenSSL's standard encoder, and every way a text can be non-canonical in each.
#include "jose/base64url.h"

#include <gtest/gtest.h>
#include <openssl/evp.h>

#include <string>
#include <utility>
#include <vector>

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

std::string openssl_encode(std::string_view bytes) {
  std::string text(4 * ((bytes.size() + 2) / 3) + 1, '\0');
  const int size = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(text.data()),
                                   reinterpret_cast<const unsigned char*>(bytes.data()),
                                   static_cast<int>(bytes.size()));
  text.resize(static_cast<std::size_t>(size));
  return text;
}

bool base64_decodes(std::string_view text) {
  std::string bytes;
  return base64_decode(text, bytes);
}

// RFC 4648 section 10.
TEST(Base64, RfcVectors) {
  const std::vector<std::pair<std::string, std::string>> vectors = {{"", ""},
                                                                    {"f", "Zg=="},
                                                                    {"fo", "Zm8="},
                                                                    {"foo", "Zm9v"},
                                                                    {"foob", "Zm9vYg=="},
                                                                    {"fooba", "Zm9vYmE="},
                                                                    {"foobar", "Zm9vYmFy"}};
  for (const auto& [bytes, text] : vectors) {
    EXPECT_EQ(base64_encode(bytes), text);
    std::string decoded = "stale";
    ASSERT_TRUE(base64_decode(text, decoded)) << text;
    EXPECT_EQ(decoded, bytes);
  }
}

TEST(Base64, AgreesWithOpensslAndRoundTripsEveryByteAtEveryAlignment) {
  std::string bytes;
  for (int i = 0; i < 300; ++i) {
    const std::string text = base64_encode(bytes);
    EXPECT_EQ(text, openssl_encode(bytes)) << i;
    std::string decoded;
    ASSERT_TRUE(base64_decode(text, decoded)) << text;
    EXPECT_EQ(decoded, bytes);
    bytes += static_cast<char>((i * 167 + 13) % 256);
  }
}

TEST(Base64, OnlyTheCanonicalPaddedTextDecodes) {
  for (std::string_view bad : {"Zg", "Zg=", "Zm8", "Zg===", "Z===", "====", "Zh==", "Zm9=", "Zm-v",
                               "Zm_v", "Zm9v\n", " Zm9v", "Zm=v", "Z=9v", "=Zm9", "Zm9vYg==Zm9v"})
    EXPECT_FALSE(base64_decodes(bad)) << bad;
  EXPECT_FALSE(base64_decodes(std::string("Zm9\0", 4)));
  EXPECT_FALSE(base64_decodes("Zm9v\xff\xff\xff\xff"));
}

}  // namespace
}  // namespace gatehouse::jose
