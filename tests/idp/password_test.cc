// Password hashes: format round trip, constant-time match, malformed hashes refused.
#include "idp/password.h"

#include <gtest/gtest.h>

#include "idp/idp.h"
#include "idp/login_throttle.h"

namespace gatehouse::idp {
namespace {

const unsigned char kSalt[16] = {9, 8, 7, 6, 5, 4, 3, 2, 1, 0, 1, 2, 3, 4, 5, 6};

TEST(PasswordHash, RoundTripsAndMatches) {
  const std::string text = hash_password("s3cret", kSalt, 1000);
  EXPECT_TRUE(text.starts_with("pbkdf2-sha256$1000$"));
  auto parsed = parse_password_hash(text);
  ASSERT_TRUE(parsed);
  EXPECT_EQ(format_password_hash(*parsed), text);
  EXPECT_TRUE(password_matches("s3cret", *parsed));
  EXPECT_FALSE(password_matches("s3cret ", *parsed));
  EXPECT_FALSE(password_matches("", *parsed));
}

TEST(PasswordHash, SaltChangesTheHash) {
  const unsigned char other[16] = {1};
  EXPECT_NE(hash_password("pw", kSalt, 1000), hash_password("pw", other, 1000));
}

TEST(PasswordHash, OversizedPasswordNeverMatches) {
  const std::string huge(kMaxPasswordBytes + 1, 'a');
  auto parsed = parse_password_hash(hash_password(huge, kSalt, 10));
  ASSERT_TRUE(parsed);
  EXPECT_FALSE(password_matches(huge, *parsed));
}

TEST(PasswordHash, MalformedHashesAreRefused) {
  const std::string good = hash_password("pw", kSalt, 1000);
  EXPECT_TRUE(parse_password_hash(good));
  for (const std::string& bad :
       {std::string(""), std::string("pbkdf2-sha256$1000$abc"), "sha1" + good.substr(13),
        std::string("pbkdf2-sha256$0$") + good.substr(good.find('$', 14) + 1),
        std::string("pbkdf2-sha256$99999999$") + good.substr(good.find('$', 14) + 1),
        std::string("pbkdf2-sha256$1x$") + good.substr(good.find('$', 14) + 1), good + "$",
        good.substr(0, good.size() - 2), good.substr(0, good.rfind('$')) + "$!!"}) {
    EXPECT_FALSE(parse_password_hash(bad)) << bad;
  }
}

TEST(PasswordHash, ShortSaltIsRefused) {
  const unsigned char short_salt[8] = {1};
  EXPECT_FALSE(parse_password_hash(hash_password("pw", short_salt, 10)));
}

TEST(LoginThrottle, LocksAfterFiveFailuresForThirtySeconds) {
  LoginThrottle throttle(2);
  for (int i = 0; i < LoginThrottle::kMaxFailures - 1; ++i) throttle.failed(0, 100);
  EXPECT_EQ(throttle.locked_for(0, 100), 0);
  throttle.failed(0, 100);
  EXPECT_EQ(throttle.locked_for(0, 100), 30);
  EXPECT_EQ(throttle.locked_for(0, 129), 1);
  EXPECT_EQ(throttle.locked_for(0, 130), 0);
  EXPECT_EQ(throttle.locked_for(1, 100), 0);  // per user
  throttle.failed(0, 131);                    // a fresh count after the lock
  EXPECT_EQ(throttle.locked_for(0, 131), 0);
}

TEST(LoginThrottle, SuccessResetsTheCount) {
  LoginThrottle throttle(1);
  for (int i = 0; i < LoginThrottle::kMaxFailures - 1; ++i) throttle.failed(0, 100);
  throttle.succeeded(0);
  throttle.failed(0, 100);
  EXPECT_EQ(throttle.locked_for(0, 100), 0);
}

}  // namespace
}  // namespace gatehouse::idp
