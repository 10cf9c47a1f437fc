// verify_time: exp and nbf against a plain clock, at and around the 60 s skew boundary.
#include <gtest/gtest.h>

#include <string>

#include "test_support.h"

namespace gatehouse::jose {
namespace {

constexpr std::int64_t kNow = 1700000000;

Jwt jwt_with_claims(std::string_view claims) {
  Result<Jwt> jwt = parse_jwt(raw_token(R"({"alg":"RS256"})", claims, "s"));
  EXPECT_TRUE(jwt.ok());
  return jwt.ok() ? std::move(jwt).value() : Jwt();
}

Jwt jwt_with(std::string_view claim, std::int64_t value) {
  return jwt_with_claims("{\"" + std::string(claim) + "\":" + std::to_string(value) + "}");
}

TEST(JwtTime, NoTimeClaimsNeverExpire) {
  EXPECT_EQ(verify_time(jwt_with_claims("{}"), kNow), Status::Ok);
  EXPECT_EQ(verify_time(jwt_with_claims("{}"), INT64_MAX), Status::Ok);
}

TEST(JwtTime, ExpInThePastBeyondSkew) {
  EXPECT_EQ(verify_time(jwt_with("exp", kNow - 61), kNow), Status::JwtExpired);
  EXPECT_EQ(verify_time(jwt_with("exp", kNow - 3600), kNow), Status::JwtExpired);
  EXPECT_EQ(verify_time(jwt_with("exp", 0), kNow), Status::JwtExpired);
}

TEST(JwtTime, ExpInThePastWithinSkew) {
  EXPECT_EQ(verify_time(jwt_with("exp", kNow - 60), kNow), Status::Ok);
  EXPECT_EQ(verify_time(jwt_with("exp", kNow - 1), kNow), Status::Ok);
  EXPECT_EQ(verify_time(jwt_with("exp", kNow), kNow), Status::Ok);
}

TEST(JwtTime, SkewIsAParameter) {
  EXPECT_EQ(verify_time(jwt_with("exp", kNow - 10), kNow, 0), Status::JwtExpired);
  EXPECT_EQ(verify_time(jwt_with("exp", kNow - 10), kNow, 10), Status::Ok);
  EXPECT_EQ(verify_time(jwt_with("nbf", kNow + 10), kNow, 0), Status::JwtNotYetValid);
}

TEST(JwtTime, NbfInTheFutureBeyondSkew) {
  EXPECT_EQ(verify_time(jwt_with("nbf", kNow + 61), kNow), Status::JwtNotYetValid);
  EXPECT_EQ(verify_time(jwt_with("nbf", kNow + 60), kNow), Status::Ok);
  EXPECT_EQ(verify_time(jwt_with("nbf", kNow - 10), kNow), Status::Ok);
}

TEST(JwtTime, NbfIsCheckedBeforeExp) {
  const Jwt jwt = jwt_with_claims(R"({"nbf":1700000100,"exp":1600000000})");
  EXPECT_EQ(verify_time(jwt, kNow), Status::JwtNotYetValid);
}

TEST(JwtTime, IatIsNeverComparedWithTheClock) {
  EXPECT_EQ(verify_time(jwt_with("iat", kNow + 86400), kNow), Status::Ok);
}

TEST(JwtTime, HugeValuesDoNotWrapAround) {
  const Jwt far_future = jwt_with_claims(R"({"exp":18446744073709551615})");
  EXPECT_EQ(verify_time(far_future, INT64_MAX), Status::Ok);
  const Jwt never_valid = jwt_with_claims(R"({"nbf":18446744073709551615})");
  EXPECT_EQ(verify_time(never_valid, INT64_MAX), Status::JwtNotYetValid);
}

}  // namespace
}  // namespace gatehouse::jose
