// Every way a token fails, with the reply Envoy sends for it: status, body and
// www-authenticate, and the order in which the checks run.
#include <gmock/gmock.h>

#include "jose/base64url.h"
#include "test_support.h"

namespace gatehouse::authn {
namespace {

using jose::Status;
using ::testing::ElementsAre;
using ::testing::IsEmpty;

constexpr std::string_view kRealm =
    R"(Bearer realm="https://api.example.com/headers", error="invalid_token")";

// The outcome of presenting `token` as a bearer token to the default rule.
Outcome present(std::string_view token, const KeyTable& keys = default_keys(),
                std::int64_t now = kNow, config::JwtRule rule = jwt_rule()) {
  TestRequest request;
  request.bearer(token);
  return run(*requirement({std::move(rule)}), request, keys, now);
}

void expect_401(const Outcome& outcome, Status status, std::string_view body) {
  EXPECT_EQ(rejection(outcome), status);
  EXPECT_EQ(outcome.http_status, 401);
  EXPECT_EQ(outcome.body(), body);
  EXPECT_EQ(outcome.www_authenticate, kRealm);
  EXPECT_EQ(outcome.identity, nullptr);
}

TEST(Failures, Expired) {
  expect_401(present(sign(Claims{.exp = kNow - 61}.json())), Status::JwtExpired, "Jwt is expired");
}

TEST(Failures, NotYetValid) {
  expect_401(present(sign(Claims{.nbf = kNow + 61}.json())), Status::JwtNotYetValid,
             "Jwt not yet valid");
}

TEST(Failures, SixtySecondsOfClockSkewEitherWay) {
  EXPECT_EQ(present(sign(Claims{.exp = kNow - 60}.json())).kind, Outcome::Kind::Verified);
  EXPECT_EQ(present(sign(Claims{.nbf = kNow + 60}.json())).kind, Outcome::Kind::Verified);
  // No exp: the token never expires.
  EXPECT_EQ(present(sign(Claims{.exp = std::nullopt}.json()), default_keys(), 4'000'000'000).kind,
            Outcome::Kind::Verified);
}

TEST(Failures, BadSignature) {
  const std::string token = good_token();
  const std::string forged = token.substr(0, token.find('.') + 1) +
                             jose::base64url_encode(Claims{.sub = "mallory"}.json()) +
                             token.substr(token.rfind('.'));
  expect_401(present(forged), Status::JwtVerificationFail, "Jwt verification fails");
}

TEST(Failures, SignedByAnotherKeyWithTheSameKid) {
  const jose::PrivateKey& other = test_key(jose::Alg::ES256, 2);
  const Outcome outcome = present(sign(Claims{}.json(), other, test_key().kid()));
  expect_401(outcome, Status::JwtVerificationFail, "Jwt verification fails");
  EXPECT_THAT(outcome.refetch, IsEmpty());
}

TEST(Failures, UnknownKidAsksForARefetch) {
  const Outcome outcome = present(sign(Claims{}.json(), test_key(jose::Alg::ES256, 2)));
  expect_401(outcome, Status::JwksKidAlgMismatch,
             "Jwks doesn't have key to match kid or alg from Jwt");
  EXPECT_THAT(outcome.refetch, ElementsAre("uri:https://idp.example/keys"));
}

TEST(Failures, IssuerNotConfigured) {
  expect_401(present(sign(Claims{.iss = "https://evil.example"}.json())), Status::JwtUnknownIssuer,
             "Jwt issuer is not configured");
  // A token without iss never matches a rule that names an issuer.
  expect_401(present(sign(Claims{.iss = ""}.json())), Status::JwtUnknownIssuer,
             "Jwt issuer is not configured");
}

TEST(Failures, RuleWithoutIssuerTakesAnyIssuer) {
  EXPECT_EQ(
      present(sign(Claims{.iss = "https://anyone"}.json()), default_keys(), kNow, jwt_rule(""))
          .kind,
      Outcome::Kind::Verified);
}

TEST(Failures, WrongAudienceIs403) {
  config::JwtRule rule = jwt_rule();
  rule.audiences = {"https://api.example.com/"};
  const Outcome outcome = present(good_token(), default_keys(), kNow, rule);
  EXPECT_EQ(rejection(outcome), Status::JwtAudienceNotAllowed);
  EXPECT_EQ(outcome.http_status, 403);
  EXPECT_EQ(outcome.body(), "Audiences in Jwt are not allowed");
  EXPECT_EQ(outcome.www_authenticate, kRealm);
  EXPECT_EQ(
      present(sign(Claims{.aud = R"(["x","api.example.com"])"}.json()), default_keys(), kNow, rule)
          .kind,
      Outcome::Kind::Verified);
  EXPECT_EQ(rejection(present(sign(Claims{.aud = ""}.json()), default_keys(), kNow, rule)),
            Status::JwtAudienceNotAllowed);
}

TEST(Failures, NoKeySetYetIsAFailedRemoteFetch) {
  const Outcome never_fetched = present(good_token(), {});
  expect_401(never_fetched, Status::JwksFetchFail, "Jwks remote fetch is failed");
  EXPECT_THAT(never_fetched.refetch, ElementsAre("uri:https://idp.example/keys"));
  const KeyTable pending = {{key_source_id(jwt_rule()), KeySet{}}};
  expect_401(present(good_token(), pending), Status::JwksFetchFail, "Jwks remote fetch is failed");
}

TEST(Failures, MalformedTokens) {
  expect_401(present("not-a-jwt"), Status::JwtBadFormat,
             "Jwt is not in the form of Header.Payload.Signature with two dots and 3 sections");
  expect_401(present("a.b.c"), Status::JwtHeaderParseErrorBadBase64,
             "Jwt header is an invalid Base64url encoded");
  expect_401(present(jose::base64url_encode("not json") + ".e30.c2ln"),
             Status::JwtHeaderParseErrorBadJson, "Jwt header is an invalid JSON");
  const std::string none = jose::base64url_encode(R"({"alg":"none"})") + "." +
                           jose::base64url_encode(Claims{}.json()) + ".c2ln";
  expect_401(present(none), Status::JwtHeaderNotImplementedAlg,
             "Jwt header [alg] is not supported");
  const std::string bad_exp = sign(Claims{.exp = std::nullopt, .extra = R"("exp":"soon")"}.json());
  expect_401(present(bad_exp), Status::JwtPayloadParseErrorExpNotInteger,
             "Jwt payload [exp] field is not an integer");
}

TEST(FailureOrder, ExpiryIsReportedBeforeTheSignature) {
  const std::string expired = sign(Claims{.exp = kNow - 3600}.json());
  const std::string tampered = expired.substr(0, expired.rfind('.') + 1) + "AAAA";
  EXPECT_EQ(rejection(present(tampered)), Status::JwtExpired);
}

TEST(FailureOrder, UnknownIssuerIsReportedBeforeExpiryAndMissingKeys) {
  EXPECT_EQ(rejection(present(sign(Claims{.iss = "https://x", .exp = kNow - 3600}.json()), {})),
            Status::JwtUnknownIssuer);
}

TEST(FailureOrder, AudienceBeforeKeys) {
  config::JwtRule rule = jwt_rule();
  rule.audiences = {"other"};
  EXPECT_EQ(rejection(present(good_token(), {}, kNow, rule)), Status::JwtAudienceNotAllowed);
}

TEST(Realm, OriginalUrlWithQueryCutTo256BytesOfTarget) {
  TestRequest request;
  request.scheme = "http";
  request.authority = "api.example.com:8080";
  request.path = "/status/" + std::string(300, 'p');
  request.query = "a=1";
  request.bearer("garbage");
  const Outcome long_target = run(*requirement({jwt_rule()}), request);
  EXPECT_EQ(long_target.www_authenticate, "Bearer realm=\"http://api.example.com:8080" +
                                              request.path.substr(0, 256) +
                                              "\", error=\"invalid_token\"");
  request.path = "/get";
  EXPECT_EQ(run(*requirement({jwt_rule()}), request).www_authenticate,
            R"(Bearer realm="http://api.example.com:8080/get?a=1", error="invalid_token")");
}

}  // namespace
}  // namespace gatehouse::authn
