// The userinfo answer: claims as compact JSON without exp and iss, sub required, usable and equal
// to the ID token's, ALB's 11 KB cap, and hostile bodies.
#include "oidc/userinfo.h"

#include <gtest/gtest.h>

#include <string>

#include "test_support.h"

namespace gatehouse::oidc {
namespace {

Status status(int http, std::string_view body, std::string_view sub = "00u1alice",
              std::size_t access_token_bytes = 1000) {
  Result<Userinfo> userinfo = parse_userinfo(http, body, sub, access_token_bytes);
  return userinfo.ok() ? Status::Ok : userinfo.error().status;
}

TEST(Userinfo, ClaimsAreKeptCompactWithoutExpAndIss) {
  Result<Userinfo> userinfo = parse_userinfo(200, R"({
    "sub": "00u1alice", "name": "Alice Example", "email_verified": "true",
    "groups": ["Everyone", "httpbin"], "exp": 1, "iss": "https://elsewhere",
    "address": {"country": "CZ"}, "updated_at": 1700000000, "name": "Alice"
  })",
                                             "00u1alice", 1000);
  ASSERT_TRUE(userinfo.ok()) << status_name(userinfo.error().status);
  EXPECT_EQ(userinfo->subject, "00u1alice");
  EXPECT_EQ(
      userinfo->claims_json,
      R"({"sub":"00u1alice","name":"Alice","email_verified":"true",)"
      R"("groups":["Everyone","httpbin"],"address":{"country":"CZ"},"updated_at":1700000000})");
  EXPECT_EQ(claims_subject(userinfo->claims_json), "00u1alice");
}

TEST(Userinfo, EndpointErrorsAre561) {
  Result<Userinfo> userinfo = parse_userinfo(401, R"({"error":"invalid_token"})", "s", 0);
  ASSERT_FALSE(userinfo.ok());
  EXPECT_EQ(userinfo.error().status, Status::UserinfoEndpointError);
  EXPECT_EQ(userinfo.error().detail, "HTTP 401");
  EXPECT_EQ(userinfo.error().http_status(), 561);
  EXPECT_EQ(status(500, "{}"), Status::UserinfoEndpointError);
  EXPECT_EQ(status(199, "{}"), Status::UserinfoEndpointError);
}

TEST(Userinfo, ClaimsAndAccessTokenShareElevenKilobytes) {
  const std::string pad = std::string(R"({"sub":"00u1alice","pad":")");
  const std::string body = pad + std::string(5000 - pad.size() - 2, 'x') + R"("})";
  ASSERT_EQ(body.size(), 5000u);
  EXPECT_EQ(status(200, body, "00u1alice", kMaxClaimsAndAccessTokenBytes - 5000), Status::Ok);
  EXPECT_EQ(status(200, body, "00u1alice", kMaxClaimsAndAccessTokenBytes - 4999),
            Status::UserinfoTooLarge);
  EXPECT_EQ(status(200, std::string(kMaxClaimsAndAccessTokenBytes + 1, ' '), "s", 0),
            Status::UserinfoTooLarge);
  EXPECT_EQ(status(200, "{}", "s", SIZE_MAX), Status::UserinfoTooLarge);
  EXPECT_EQ(log_reason(Status::UserinfoTooLarge), "AuthUserinfoResponseSizeExceeded");
}

TEST(Userinfo, OnlyAJsonObjectWillDo) {
  for (const char* body : {"", "null", "[]", R"("sub")", "<html></html>", R"({"sub":"a",})",
                           "eyJhbGciOiJSUzI1NiJ9.e30.c2ln", "{\"sub\":\"\xc3\x28\"}"}) {
    EXPECT_EQ(status(200, body), Status::UserinfoNotJson) << body;
  }
  EXPECT_EQ(
      status(200, R"({"sub":"00u1alice","x":)" + std::string(50, '[') + std::string(50, ']') + "}"),
      Status::UserinfoNotJson);
}

TEST(Userinfo, SubMustBeAUsableString) {
  EXPECT_EQ(status(200, R"({"name":"x"})"), Status::UserinfoBadSubject);
  EXPECT_EQ(status(200, R"({"sub":42})"), Status::UserinfoBadSubject);
  EXPECT_EQ(status(200, R"({"sub":""})"), Status::UserinfoBadSubject);
  EXPECT_EQ(status(200, R"({"sub":"a\r\nX-Evil: 1"})"), Status::UserinfoBadSubject);
  EXPECT_EQ(status(200, R"({"sub":"a\u0000"})"), Status::UserinfoBadSubject);
  const std::string longest(kMaxSubjectBytes, 's');
  EXPECT_EQ(status(200, R"({"sub":")" + longest + R"("})", longest), Status::Ok);
  EXPECT_EQ(status(200, R"({"sub":")" + longest + R"(s"})", longest + "s"),
            Status::UserinfoBadSubject);
}

// OpenID Connect Core section 5.3.2: a userinfo sub other than the ID token's is refused.
TEST(Userinfo, SubMustBeTheIdTokensSubject) {
  EXPECT_EQ(status(200, R"({"sub":"00u1mallory"})"), Status::UserinfoSubjectMismatch);
  EXPECT_EQ(status(200, R"({"sub":"00U1ALICE"})"), Status::UserinfoSubjectMismatch);
}

TEST(ClaimsSubject, EmptyForAnythingButClaimsWithASub) {
  EXPECT_EQ(claims_subject(R"({"sub":"a"})"), "a");
  EXPECT_EQ(claims_subject(R"({"sub":1})"), "");
  EXPECT_EQ(claims_subject("garbage"), "");
  EXPECT_EQ(claims_subject(""), "");
}

}  // namespace
}  // namespace gatehouse::oidc
