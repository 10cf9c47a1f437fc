// What authentication does to the request: output headers stripped from every request, the
// payload and claim headers of a verified token, the token header removed or kept, and the
// CORS preflight that is left alone.
#include <gmock/gmock.h>

#include "jose/base64url.h"
#include "test_support.h"

namespace gatehouse::authn {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

config::JwtRule rule_with_outputs() {
  config::JwtRule rule = jwt_rule();
  rule.output_payload_to_header = "x-jwt-payload";
  rule.output_claim_to_headers = {{"x-sub", "sub"}, {"x-tenant", "org.tenant.name"}};
  return rule;
}

TEST(OutputHeaders, StrippedEvenWithoutAToken) {
  TestRequest request;
  request.header("X-Jwt-Payload", "forged").header("x-sub", "admin").header("x-tenant", "t");
  request.header("x-other", "kept");
  EXPECT_EQ(run(*requirement({rule_with_outputs()}), request).kind, Outcome::Kind::NoToken);
  EXPECT_THAT(request.values("x-jwt-payload"), IsEmpty());
  EXPECT_THAT(request.values("x-sub"), IsEmpty());
  EXPECT_THAT(request.values("x-tenant"), IsEmpty());
  EXPECT_THAT(request.values("x-other"), ElementsAre("kept"));
}

TEST(OutputHeaders, StrippedForEveryProviderWhicheverWins) {
  config::JwtRule other = jwt_rule("https://other", "https://other/keys");
  other.output_payload_to_header = "x-other-payload";
  TestRequest request;
  request.header("x-other-payload", "forged").bearer(good_token());
  EXPECT_EQ(run(*requirement({rule_with_outputs(), other}), request).kind, Outcome::Kind::Verified);
  EXPECT_THAT(request.values("x-other-payload"), IsEmpty());
}

TEST(OutputHeaders, PayloadHeaderIsTheRawPayloadSegment) {
  const std::string token = good_token();
  TestRequest request;
  request.header("x-jwt-payload", "forged").bearer(token);
  EXPECT_EQ(run(*requirement({rule_with_outputs()}), request).kind, Outcome::Kind::Verified);
  const std::string segment =
      token.substr(token.find('.') + 1, token.rfind('.') - token.find('.') - 1);
  EXPECT_THAT(request.values("x-jwt-payload"), ElementsAre(segment));
  std::string decoded;
  ASSERT_TRUE(jose::base64url_decode(segment, decoded));
  EXPECT_EQ(decoded, Claims{}.json());
}

TEST(OutputHeaders, ClaimHeadersIncludingNestedClaims) {
  TestRequest request;
  request.bearer(good_token({.extra = R"("org":{"tenant":{"name":"acme"}})"}));
  EXPECT_EQ(run(*requirement({rule_with_outputs()}), request).kind, Outcome::Kind::Verified);
  EXPECT_THAT(request.values("x-sub"), ElementsAre("alice"));
  EXPECT_THAT(request.values("x-tenant"), ElementsAre("acme"));
}

// The header `claim` of a verified token with `claim_json` as claim "c" renders to, or
// nothing.
std::vector<std::string> rendered(std::string_view claim_json, std::string claim = "c") {
  config::JwtRule rule = jwt_rule();
  rule.output_claim_to_headers = {{"x-c", std::move(claim)}};
  TestRequest request;
  request.bearer(good_token({.extra = "\"c\":" + std::string(claim_json)}));
  EXPECT_EQ(run(*requirement({rule}), request).kind, Outcome::Kind::Verified);
  return request.values("x-c");
}

TEST(OutputHeaders, NonStringClaimsAsEnvoyRendersThem) {
  EXPECT_THAT(rendered("42"), ElementsAre("42"));
  EXPECT_THAT(rendered("42.0"), ElementsAre("42"));
  EXPECT_THAT(rendered("1.5"), ElementsAre("1.500000"));
  EXPECT_THAT(rendered("-3"), ElementsAre("-3.000000"));
  // Envoy holds numbers as doubles: a large integer loses its low digits.
  EXPECT_THAT(rendered("12345678901234567891"), ElementsAre("12345678901234567168"));
  EXPECT_THAT(rendered("1e20"), ElementsAre("100000000000000000000.000000"));
  EXPECT_THAT(rendered("true"), ElementsAre("true"));
  EXPECT_THAT(rendered("false"), ElementsAre("false"));
  EXPECT_THAT(rendered("\"a b\""), ElementsAre("a b"));
}

TEST(OutputHeaders, NoHeaderForListsObjectsNullEmptyOrMissingClaims) {
  EXPECT_THAT(rendered(R"(["a","b"])"), IsEmpty());
  EXPECT_THAT(rendered(R"({"a":1})"), IsEmpty());
  EXPECT_THAT(rendered("null"), IsEmpty());
  EXPECT_THAT(rendered(R"("")"), IsEmpty());
  EXPECT_THAT(rendered("1", "missing"), IsEmpty());
  EXPECT_THAT(rendered(R"({"a":1})", "c.a.b"), IsEmpty());
  EXPECT_THAT(rendered(R"({"a":{"b":true}})", "c.a.b"), ElementsAre("true"));
}

TEST(OutputHeaders, SpaceDelimitedClaimsKeepTheirStringInHeaders) {
  config::JwtRule rule = jwt_rule();
  rule.output_claim_to_headers = {{"x-scope", "scope"}};
  TestRequest request;
  request.bearer(good_token({.extra = R"("scope":"read  write")"}));
  EXPECT_EQ(run(*requirement({rule}), request).kind, Outcome::Kind::Verified);
  EXPECT_THAT(request.values("x-scope"), ElementsAre("read  write"));
}

TEST(TokenHeader, RemovedAfterVerificationByDefault) {
  TestRequest request;
  request.bearer(good_token()).header("Authorization", "Basic second-field");
  EXPECT_EQ(run(*requirement({jwt_rule()}), request).kind, Outcome::Kind::Verified);
  EXPECT_THAT(request.values("authorization"), IsEmpty());
}

TEST(TokenHeader, KeptWithForwardOriginalToken) {
  config::JwtRule rule = jwt_rule();
  rule.forward_original_token = true;
  const std::string token = good_token();
  TestRequest request;
  request.bearer(token);
  EXPECT_EQ(run(*requirement({rule}), request).kind, Outcome::Kind::Verified);
  EXPECT_THAT(request.values("authorization"), ElementsAre("Bearer " + token));
}

TEST(TokenHeader, KeptWhenVerificationFails) {
  TestRequest request;
  request.bearer("a.b.c");
  EXPECT_EQ(run(*requirement({jwt_rule()}), request).kind, Outcome::Kind::Rejected);
  EXPECT_THAT(request.values("authorization"), ElementsAre("Bearer a.b.c"));
}

TEST(TokenHeader, EveryTokenOfTheProviderAddsItsOutputs) {
  config::JwtRule rule = rule_with_outputs();
  rule.from_headers = {{"x-a", ""}, {"x-b", ""}};
  TestRequest request;
  request.header("x-a", good_token({.sub = "first"})).header("x-b", good_token({.sub = "second"}));
  const Outcome outcome = run(*requirement({rule}), request);
  ASSERT_EQ(outcome.kind, Outcome::Kind::Verified);
  // Envoy verifies the last token found first and keeps the payload of the first one found.
  EXPECT_EQ(outcome.identity->subject, "first");
  EXPECT_THAT(request.values("x-sub"), ElementsAre("second", "first"));
  EXPECT_EQ(request.values("x-jwt-payload").size(), 2u);
  EXPECT_THAT(request.values("x-a"), IsEmpty());
  EXPECT_THAT(request.values("x-b"), IsEmpty());
}

TEST(TokenHeader, QueryParameterTokensStayInTheQuery) {
  TestRequest request;
  request.query = "access_token=" + good_token();
  const std::string query = request.query;
  EXPECT_EQ(run(*requirement({jwt_rule()}), request).kind, Outcome::Kind::Verified);
  EXPECT_EQ(request.query, query);
}

TestRequest preflight(std::string_view origin) {
  TestRequest request;
  request.method = "OPTIONS";
  request.header("Origin", origin).header("Access-Control-Request-Method", "POST");
  request.header("x-jwt-payload", "client-sent");
  request.bearer(sign(Claims{.exp = kNow - 3600}.json()));
  return request;
}

TEST(CorsPreflight, BypassedWithoutTouchingAnything) {
  TestRequest request = preflight("https://app.example.com");
  const Outcome outcome = run(*requirement({rule_with_outputs()}), request);
  EXPECT_EQ(outcome.kind, Outcome::Kind::Bypassed);
  EXPECT_EQ(outcome.identity, nullptr);
  EXPECT_THAT(request.values("x-jwt-payload"), ElementsAre("client-sent"));
  EXPECT_EQ(request.values("authorization").size(), 1u);
}

TEST(CorsPreflight, WithoutOriginTheExpiredTokenIsRejected) {
  TestRequest empty_origin = preflight("");
  EXPECT_EQ(rejection(run(*requirement({rule_with_outputs()}), empty_origin)),
            jose::Status::JwtExpired);
  EXPECT_THAT(empty_origin.values("x-jwt-payload"), IsEmpty());
  TestRequest get = preflight("https://app.example.com");
  get.method = "GET";
  EXPECT_EQ(rejection(run(*requirement({rule_with_outputs()}), get)), jose::Status::JwtExpired);
}

}  // namespace
}  // namespace gatehouse::authn
