// Several rules and several tokens: Istio's requires_any of the providers, with a requires_all
// of "valid or missing" per provider, and Envoy's choice of which failure to report.
#include <gmock/gmock.h>

#include "test_support.h"

namespace gatehouse::authn {
namespace {

using jose::Status;
using ::testing::ElementsAre;

constexpr std::string_view kOtherIssuer = "https://other.example";
constexpr std::string_view kOtherUri = "https://other.example/keys";

const jose::PrivateKey& other_key() { return test_key(jose::Alg::RS256, 1); }

// kIssuer's keys and kOtherIssuer's keys.
KeyTable two_sources() {
  KeyTable keys = default_keys();
  keys.emplace(key_source_id(jwt_rule(kOtherIssuer, kOtherUri)), key_set({&other_key()}));
  return keys;
}

std::string other_token(const Claims& base = {}) {
  Claims payload = base;
  payload.iss = kOtherIssuer;
  return sign(payload.json(), other_key());
}

config::JwtRule located(std::string_view issuer, std::string_view uri, std::string header) {
  config::JwtRule rule = jwt_rule(issuer, uri);
  rule.from_headers = {{std::move(header), ""}};
  return rule;
}

TEST(SharedLocation, EachIssuerIsVerifiedByItsOwnRule) {
  const auto both = requirement({jwt_rule(), jwt_rule(kOtherIssuer, kOtherUri)});
  TestRequest mine;
  mine.bearer(good_token());
  Outcome outcome = run(*both, mine, two_sources());
  ASSERT_EQ(outcome.kind, Outcome::Kind::Verified);
  EXPECT_EQ(outcome.identity->issuer, kIssuer);
  TestRequest other;
  other.bearer(other_token());
  outcome = run(*both, other, two_sources());
  ASSERT_EQ(outcome.kind, Outcome::Kind::Verified);
  EXPECT_EQ(outcome.identity->issuer, kOtherIssuer);
}

TEST(SharedLocation, AThirdIssuerIsNotConfigured) {
  const auto both = requirement({jwt_rule(), jwt_rule(kOtherIssuer, kOtherUri)});
  TestRequest request;
  request.bearer(sign(Claims{.iss = "https://third.example"}.json()));
  const Outcome outcome = run(*both, request, two_sources());
  EXPECT_EQ(rejection(outcome), Status::JwtUnknownIssuer);
  EXPECT_EQ(outcome.http_status, 401);
}

TEST(SharedLocation, TheRealFailureWinsOverTheOtherRulesUnknownIssuer) {
  const auto both = requirement({jwt_rule(), jwt_rule(kOtherIssuer, kOtherUri)});
  TestRequest request;
  request.bearer(other_token({.exp = kNow - 3600}));
  EXPECT_EQ(rejection(run(*both, request, two_sources())), Status::JwtExpired);
}

TEST(SeparateLocations, TokenInAnotherIssuersLocationIsNotConfigured) {
  const auto rules = requirement(
      {located(kIssuer, kJwksUri, "x-mine"), located(kOtherIssuer, kOtherUri, "x-other")});
  TestRequest request;
  request.header("x-other", good_token());
  EXPECT_EQ(rejection(run(*rules, request, two_sources())), Status::JwtUnknownIssuer);
}

TEST(SeparateLocations, OneValidProviderIsEnough) {
  const auto rules = requirement(
      {located(kIssuer, kJwksUri, "x-mine"), located(kOtherIssuer, kOtherUri, "x-other")});
  TestRequest request;
  request.header("x-mine", good_token()).header("x-other", "garbage");
  const Outcome outcome = run(*rules, request, two_sources());
  ASSERT_EQ(outcome.kind, Outcome::Kind::Verified);
  EXPECT_EQ(outcome.identity->issuer, kIssuer);
}

TEST(SeparateLocations, FirstRuleWithTokensDecidesBetweenRealFailures) {
  // Istio's requires_all branch comes last and fails like the first rule that found tokens.
  const auto rules = requirement(
      {located(kIssuer, kJwksUri, "x-mine"), located(kOtherIssuer, kOtherUri, "x-other")});
  TestRequest request;
  request.header("x-mine", sign(Claims{.exp = kNow - 3600}.json()));
  request.header("x-other", "a.b.c");
  EXPECT_EQ(rejection(run(*rules, request, two_sources())), Status::JwtExpired);
}

TEST(SeparateLocations, LastRealFailureWhenTheFirstRuleOnlyMetAnUnknownIssuer) {
  const auto rules = requirement(
      {located(kIssuer, kJwksUri, "x-mine"), located(kOtherIssuer, kOtherUri, "x-other")});
  TestRequest request;
  request.header("x-mine", other_token());
  request.header("x-other", other_token({.exp = kNow - 3600}));
  EXPECT_EQ(rejection(run(*rules, request, two_sources())), Status::JwtExpired);
}

TEST(SeveralTokens, AllOfAProvidersTokensMustVerify) {
  TestRequest request;
  request.bearer(good_token());
  request.query = "access_token=" + sign(Claims{.exp = kNow - 3600}.json());
  EXPECT_EQ(rejection(run(*requirement({jwt_rule()}), request)), Status::JwtExpired);
  // Nothing was applied: the token header is still there.
  EXPECT_EQ(request.values("authorization").size(), 1u);
}

TEST(SeveralTokens, TheLastTokenFoundIsVerifiedFirst) {
  const std::string expired = sign(Claims{.exp = kNow - 3600}.json());
  TestRequest request;
  request.bearer(expired);
  request.query = "access_token=" + expired.substr(0, expired.rfind('.') + 1) + "AAAA";
  EXPECT_EQ(rejection(run(*requirement({jwt_rule()}), request)), Status::JwtExpired);
  request.query = "access_token=" + sign(Claims{}.json(), test_key(jose::Alg::ES256, 2));
  EXPECT_EQ(rejection(run(*requirement({jwt_rule()}), request)), Status::JwksKidAlgMismatch);
}

TEST(SeveralTokens, TokensOfTwoIssuersInSharedLocationsFailBothRules) {
  const auto both = requirement({jwt_rule(), jwt_rule(kOtherIssuer, kOtherUri)});
  TestRequest request;
  request.bearer(good_token());
  request.query = "access_token=" + other_token();
  EXPECT_EQ(rejection(run(*both, request, two_sources())), Status::JwtUnknownIssuer);
}

TEST(SeveralTokens, RefetchListsEverySourceOnceWhateverTheOutcome) {
  const auto both = requirement(
      {located(kIssuer, kJwksUri, "x-mine"), located(kOtherIssuer, kOtherUri, "x-other")});
  TestRequest request;
  request.header("x-mine", sign(Claims{}.json(), test_key(jose::Alg::ES256, 3)));
  request.header("x-other", other_token());
  const Outcome outcome = run(*both, request, two_sources());
  EXPECT_EQ(outcome.kind, Outcome::Kind::Verified);
  EXPECT_THAT(outcome.refetch, ElementsAre("uri:https://idp.example/keys"));
  // Two rules sharing a key source: it is listed once.
  const std::string unknown_kid = sign(Claims{}.json(), test_key(jose::Alg::ES256, 3));
  TestRequest twice;
  twice.header("x-mine", unknown_kid).header("x-also", unknown_kid);
  const Outcome missing_keys = run(
      *requirement({located(kIssuer, kJwksUri, "x-mine"), located(kIssuer, kJwksUri, "x-also")}),
      twice);
  EXPECT_EQ(rejection(missing_keys), Status::JwksKidAlgMismatch);
  EXPECT_THAT(missing_keys.refetch, ElementsAre("uri:https://idp.example/keys"));
}

TEST(NoToken, NoRuleFoundATokenPassesWithoutIdentity) {
  const auto both = requirement({jwt_rule(), jwt_rule(kOtherIssuer, kOtherUri)});
  TestRequest request;
  request.query = "token=not-looked-at";
  const Outcome outcome = run(*both, request, two_sources());
  EXPECT_EQ(outcome.kind, Outcome::Kind::NoToken);
  EXPECT_EQ(outcome.identity, nullptr);
  EXPECT_EQ(outcome.http_status, 0);
  EXPECT_TRUE(outcome.www_authenticate.empty());
}

}  // namespace
}  // namespace gatehouse::authn
