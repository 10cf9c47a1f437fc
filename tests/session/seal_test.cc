// seal / open: round trips, key rotation, cookie-name binding, expiry, size limits, and every
// altered or cut sealed value failing with the one status its damage calls for.
#include "session/seal.h"

#include <gtest/gtest.h>

#include <string>

#include "jose/base64url.h"
#include "test_support.h"

namespace gatehouse::session {
namespace {

std::string decoded(std::string_view sealed) {
  std::string bytes;
  EXPECT_TRUE(jose::base64_decode(sealed, bytes));
  return bytes;
}

std::string with_bit_flipped(std::string text, std::size_t bit) {
  text[bit / 8] = static_cast<char>(text[bit / 8] ^ (1 << (bit % 8)));
  return text;
}

class SealTest : public ::testing::Test {
 protected:
  const SessionKeys keys_ = keys_or_fail(kKeyA);
};

TEST_F(SealTest, RoundTripsATypicalSession) {
  const std::string sealed = seal_or_fail(typical_session(), keys_);
  Result<Session> opened = open(sealed, keys_, kCookieName, kNow);
  ASSERT_TRUE(opened.ok()) << status_name(opened.error());
  EXPECT_EQ(*opened, typical_session());
}

TEST_F(SealTest, RoundTripsEveryOptionalCombination) {
  for (bool refresh : {false, true}) {
    for (bool id : {false, true}) {
      Session session = typical_session();
      session.refresh_token = refresh ? std::optional<std::string>("r") : std::nullopt;
      session.id_token = id ? std::optional<std::string>("") : std::nullopt;
      Result<Session> opened = open(seal_or_fail(session, keys_), keys_, kCookieName, kNow);
      ASSERT_TRUE(opened.ok());
      EXPECT_EQ(*opened, session);
    }
  }
}

TEST_F(SealTest, ValueIsStandardBase64WithTheOverheadAndAFreshNonce) {
  const std::string encoded = *encode_session(typical_session());
  const std::string first = seal_or_fail(typical_session(), keys_);
  const std::string second = seal_or_fail(typical_session(), keys_);
  EXPECT_EQ(
      first.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/="),
      std::string::npos);
  EXPECT_EQ(decoded(first).size(), encoded.size() + kSealOverheadBytes);
  EXPECT_EQ(decoded(first)[0], static_cast<char>(kSealVersion));
  EXPECT_EQ(decoded(first).substr(1, 4), std::string("\x3d\x34\x3f\xe1"));  // key A's id
  EXPECT_NE(first, second);
  EXPECT_NE(decoded(first).substr(5, kNonceBytes), decoded(second).substr(5, kNonceBytes));
}

TEST_F(SealTest, LargestSessionFitsFourShardsAndOneByteMoreIsRefused) {
  const Session largest = session_of_size(kMaxPlaintextBytes);
  const std::string sealed = seal_or_fail(largest, keys_);
  EXPECT_LE(sealed.size(), kMaxSealedBytes);
  EXPECT_GT(sealed.size(), kMaxSealedBytes - 4);
  EXPECT_EQ(open_status(sealed, keys_), Status::Ok);

  Result<std::string> too_large = seal(session_of_size(kMaxPlaintextBytes + 1), keys_, kCookieName);
  ASSERT_FALSE(too_large.ok());
  EXPECT_EQ(too_large.error(), Status::SessionTooLarge);
  EXPECT_FALSE(seal(session_of_size(70000), keys_, kCookieName).ok());
}

TEST_F(SealTest, OldKeyStillOpensAfterANewKeyIsPrepended) {
  const std::string sealed_before = seal_or_fail(typical_session(), keys_);
  const SessionKeys rotated = keys_or_fail(std::string(kKeyB) + "\n" + std::string(kKeyA));
  EXPECT_EQ(open_status(sealed_before, rotated), Status::Ok);

  const std::string sealed_after = seal_or_fail(typical_session(), rotated);
  EXPECT_EQ(decoded(sealed_after).substr(1, 4), std::string("\x60\x0d\xb4\xd9"));  // key B
  EXPECT_EQ(open_status(sealed_after, rotated), Status::Ok);
  EXPECT_EQ(open_status(sealed_after, keys_), Status::CookieUnknownKey);
}

TEST_F(SealTest, RemovedKeyNoLongerOpens) {
  const std::string sealed = seal_or_fail(typical_session(), keys_);
  EXPECT_EQ(open_status(sealed, keys_or_fail(std::string(kKeyB) + "\n" + std::string(kKeyC))),
            Status::CookieUnknownKey);
}

TEST_F(SealTest, ValueSealedForAnotherCookieNameFailsAuthentication) {
  const std::string sealed = seal_or_fail(typical_session(), keys_, "RuleOneCookie");
  EXPECT_EQ(open_status(sealed, keys_, "RuleOneCookie"), Status::Ok);
  EXPECT_EQ(open_status(sealed, keys_, "RuleTwoCookie"), Status::CookieAuthenticationFailed);
  EXPECT_EQ(open_status(sealed, keys_, "RuleOneCookie-0"), Status::CookieAuthenticationFailed);
  EXPECT_EQ(open_status(sealed, keys_, ""), Status::CookieAuthenticationFailed);
}

TEST_F(SealTest, SessionExpiresAtItsSealedEnd) {
  const Session session = typical_session();
  const std::string sealed = seal_or_fail(session, keys_);
  EXPECT_EQ(open_status(sealed, keys_, kCookieName, session.expires_at - 1), Status::Ok);
  EXPECT_EQ(open_status(sealed, keys_, kCookieName, session.expires_at), Status::SessionExpired);
  EXPECT_EQ(open_status(sealed, keys_, kCookieName, INT64_MAX), Status::SessionExpired);
}

// Refreshing is the caller's call: an expired access token still opens.
TEST_F(SealTest, ExpiredAccessTokenStillOpens) {
  const Session session = typical_session();
  const std::string sealed = seal_or_fail(session, keys_);
  EXPECT_EQ(open_status(sealed, keys_, kCookieName, session.access_token_expires_at + 1),
            Status::Ok);
}

// The header bytes have their own status; any other flipped bit fails authentication.
TEST_F(SealTest, EveryFlippedBitOfTheSealedBytesFails) {
  const std::string bytes = decoded(seal_or_fail(typical_session(), keys_));
  for (std::size_t bit = 0; bit < bytes.size() * 8; ++bit) {
    const Status expected = bit < 8    ? Status::CookieUnsupportedVersion
                            : bit < 40 ? Status::CookieUnknownKey
                                       : Status::CookieAuthenticationFailed;
    EXPECT_EQ(open_status(jose::base64_encode(with_bit_flipped(bytes, bit)), keys_), expected)
        << bit;
  }
}

// Every flipped bit of the text is refused too: the decoder accepts one text per byte string.
TEST_F(SealTest, EveryFlippedBitOfTheTextFails) {
  const std::string sealed = seal_or_fail(typical_session(), keys_);
  for (std::size_t bit = 0; bit < sealed.size() * 8; ++bit)
    EXPECT_NE(open_status(with_bit_flipped(sealed, bit), keys_), Status::Ok) << bit;
}

TEST_F(SealTest, EveryTruncationFails) {
  const std::string sealed = seal_or_fail(typical_session(), keys_);
  for (std::size_t size = 0; size < sealed.size(); ++size) {
    const Status status = open_status(sealed.substr(0, size), keys_);
    EXPECT_TRUE(status == Status::CookieBadBase64 || status == Status::CookieTooShort ||
                status == Status::CookieAuthenticationFailed)
        << size << " " << status_name(status);
  }
  const std::string bytes = decoded(sealed);
  for (std::size_t size = 0; size < bytes.size(); ++size)
    EXPECT_EQ(
        open_status(jose::base64_encode(bytes.substr(0, size)), keys_),
        size < kSealOverheadBytes ? Status::CookieTooShort : Status::CookieAuthenticationFailed)
        << size;
}

TEST_F(SealTest, MalformedBase64IsRefused) {
  const std::string sealed = seal_or_fail(typical_session(), keys_);
  std::string url_safe = sealed;
  for (char& c : url_safe) c = c == '+' ? '-' : c == '/' ? '_' : c;
  std::string url_encoded;
  for (char c : sealed) url_encoded += c == '+' ? "%2B" : c == '/' ? "%2F" : std::string(1, c);
  for (const std::string& bad :
       {url_safe, url_encoded, sealed + "=", sealed + "A", " " + sealed, "\"" + sealed + "\"",
        sealed.substr(0, 4) + "\n" + sealed.substr(4), std::string("AB=A"), std::string("=AAA"),
        std::string("AB\0=", 4)}) {
    if (bad == sealed) continue;  // no '+' or '/' in this seal
    EXPECT_EQ(open_status(bad, keys_), Status::CookieBadBase64) << bad;
  }
  // Non-zero unused bits: "AQ==" is the one text of the byte 0x01, "AR==" would decode to it too.
  EXPECT_EQ(open_status("AR==", keys_), Status::CookieBadBase64);
  EXPECT_EQ(open_status("AQ==", keys_), Status::CookieTooShort);
}

TEST_F(SealTest, OversizedTextIsRefusedBeforeDecoding) {
  EXPECT_EQ(open_status(std::string(kMaxSealedBytes + 4, 'A'), keys_), Status::CookieTooLarge);
  EXPECT_EQ(open_status(std::string(kMaxSealedBytes, 'A'), keys_),
            Status::CookieUnsupportedVersion);
}

TEST_F(SealTest, AuthenticPlaintextThatIsNoSessionIsABadPayload) {
  for (std::string_view plaintext : {std::string_view(""), std::string_view("not a session")}) {
    Result<std::string> sealed = seal_bytes(plaintext, keys_, kCookieName);
    ASSERT_TRUE(sealed.ok());
    EXPECT_EQ(open_status(*sealed, keys_), Status::CookieBadPayload);
    Result<std::string> opened = open_bytes(*sealed, keys_, kCookieName);
    ASSERT_TRUE(opened.ok());
    EXPECT_EQ(*opened, plaintext);
  }
}

TEST_F(SealTest, SealBytesRefusesMoreThanFitsTheShards) {
  EXPECT_TRUE(seal_bytes(std::string(kMaxPlaintextBytes, 'p'), keys_, "c").ok());
  Result<std::string> too_large = seal_bytes(std::string(kMaxPlaintextBytes + 1, 'p'), keys_, "c");
  ASSERT_FALSE(too_large.ok());
  EXPECT_EQ(too_large.error(), Status::SessionTooLarge);
}

}  // namespace
}  // namespace gatehouse::session
