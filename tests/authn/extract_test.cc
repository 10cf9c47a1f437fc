// Where tokens are found: Istio's default locations, fromHeaders with and without prefix,
// fromParams, fromCookies, and what is not a token location at all.
#include "authn/extract.h"

#include <gmock/gmock.h>

#include "test_support.h"

namespace gatehouse::authn {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

// The token texts `rule` finds in `request`, in extraction order.
std::vector<std::string> tokens_in(const config::JwtRule& rule, const TestRequest& request) {
  detail::Tokens tokens;
  detail::extract_tokens(make_provider(rule), request.headers, request.query, tokens);
  std::vector<std::string> out;
  for (const detail::Token& token : tokens) out.emplace_back(token.text());
  return out;
}

config::JwtRule from_headers(std::vector<config::JwtHeader> headers) {
  config::JwtRule rule = jwt_rule();
  rule.from_headers = std::move(headers);
  return rule;
}

config::JwtRule from_params(std::vector<std::string> params) {
  config::JwtRule rule = jwt_rule();
  rule.from_params = std::move(params);
  return rule;
}

config::JwtRule from_cookies(std::vector<std::string> cookies) {
  config::JwtRule rule = jwt_rule();
  rule.from_cookies = std::move(cookies);
  return rule;
}

TEST(DefaultLocations, BearerAuthorizationHeader) {
  TestRequest request;
  request.bearer("a.b.c");
  EXPECT_THAT(tokens_in(jwt_rule(), request), ElementsAre("a.b.c"));
}

TEST(DefaultLocations, AccessTokenQueryParameter) {
  TestRequest request;
  request.query = "x=1&access_token=a.b.c&y=2";
  EXPECT_THAT(tokens_in(jwt_rule(), request), ElementsAre("a.b.c"));
}

TEST(DefaultLocations, HeaderTokensComeBeforeParameterTokens) {
  TestRequest request;
  request.query = "access_token=from.the.query";
  request.bearer("from.the.header");
  EXPECT_THAT(tokens_in(jwt_rule(), request), ElementsAre("from.the.header", "from.the.query"));
}

TEST(DefaultLocations, PrefixIsCaseSensitiveSoLowerCaseBearerIsNoToken) {
  const std::string value = "bearer " + good_token();
  TestRequest request;
  request.header("Authorization", value);
  EXPECT_THAT(tokens_in(jwt_rule(), request), IsEmpty());
  EXPECT_EQ(run(*requirement({jwt_rule()}), request).kind, Outcome::Kind::NoToken);
  // The header stays: nothing was verified.
  EXPECT_THAT(request.values("authorization"), ElementsAre(value));
}

TEST(DefaultLocations, BasicCredentialsAreNoToken) {
  TestRequest request;
  request.header("Authorization", "Basic YWxpY2U6c2VjcmV0");
  EXPECT_EQ(run(*requirement({jwt_rule()}), request).kind, Outcome::Kind::NoToken);
}

TEST(HeaderPrefix, FoundAnywhereAndTheTokenEndsAtTheFirstNonJwtCharacter) {
  TestRequest request;
  request.header("Authorization", "Basic x, Bearer  a.b-_c.d garbage");
  EXPECT_THAT(tokens_in(jwt_rule(), request), ElementsAre("a.b-_c.d"));
}

TEST(HeaderPrefix, PrefixWithNothingAfterItIsTheWholeValue) {
  TestRequest request;
  request.header("Authorization", "Bearer ");
  EXPECT_THAT(tokens_in(jwt_rule(), request), ElementsAre("Bearer "));
  EXPECT_EQ(rejection(run(*requirement({jwt_rule()}), request)), jose::Status::JwtBadFormat);
}

TEST(HeaderPrefix, RepeatedFieldsAreJoinedAndOnlyTheFirstTokenIsTaken) {
  TestRequest request;
  request.bearer("first.token.here").bearer("second.token.here");
  EXPECT_THAT(tokens_in(jwt_rule(), request), ElementsAre("first.token.here"));
  TestRequest basic_first;
  basic_first.header("authorization", "Basic abc").bearer("the.bearer.token");
  EXPECT_THAT(tokens_in(jwt_rule(), basic_first), ElementsAre("the.bearer.token"));
}

TEST(HeaderPrefix, CustomHeaderAndPrefix) {
  TestRequest request;
  request.header("X-Auth", "Token a.b.c").bearer("ignored.by.this.rule");
  EXPECT_THAT(tokens_in(from_headers({{"x-auth", "Token "}}), request), ElementsAre("a.b.c"));
}

TEST(HeaderWithoutPrefix, WholeValueCaseInsensitiveName) {
  TestRequest request;
  request.header("X-AMZN-OIDC-ACCESSTOKEN", "a.b.c trailing");
  EXPECT_THAT(tokens_in(from_headers({{"x-amzn-oidc-accesstoken", ""}}), request),
              ElementsAre("a.b.c trailing"));
}

TEST(HeaderWithoutPrefix, RepeatedFieldsJoinedWithComma) {
  TestRequest request;
  request.header("x-token", "a.b.c").header("x-token", "d.e.f");
  EXPECT_THAT(tokens_in(from_headers({{"x-token", ""}}), request), ElementsAre("a.b.c,d.e.f"));
}

TEST(Params, PercentDecodedNameAndValueFirstOccurrenceWins) {
  TestRequest request;
  request.query = "tok%65n=a.b%2Ec&token=second.one.here";
  EXPECT_THAT(tokens_in(from_params({"token"}), request), ElementsAre("a.b.c"));
}

TEST(Params, InvalidEscapesAndPlusStayAsTheyAre) {
  TestRequest request;
  request.query = "token=a%zz+b%4";
  EXPECT_THAT(tokens_in(from_params({"token"}), request), ElementsAre("a%zz+b%4"));
}

TEST(Params, ParameterWithoutValueIsAnEmptyToken) {
  TestRequest request;
  request.query = "debug&token";
  EXPECT_THAT(tokens_in(from_params({"token"}), request), ElementsAre(""));
  EXPECT_EQ(rejection(run(*requirement({from_params({"token"})}), request)),
            jose::Status::JwtBadFormat);
}

TEST(Params, OtherNamesAndPrefixesDoNotMatch) {
  TestRequest request;
  request.query = "tokens=a.b.c&my_token=d.e.f&&=g.h.i";
  EXPECT_THAT(tokens_in(from_params({"token"}), request), IsEmpty());
}

TEST(Params, SortedByName) {
  TestRequest request;
  request.query = "z=z.z.z&a=a.a.a";
  EXPECT_THAT(tokens_in(from_params({"z", "a"}), request), ElementsAre("a.a.a", "z.z.z"));
}

TEST(Cookies, NamedCookieAcrossFieldsQuotesRemoved) {
  TestRequest request;
  request.header("Cookie", "theme=dark; broken; session=\"a.b.c\"")
      .header("cookie", "session=second.one.here");
  EXPECT_THAT(tokens_in(from_cookies({"session"}), request), ElementsAre("a.b.c"));
}

TEST(Cookies, LaterFieldWhenTheFirstHasNone) {
  TestRequest request;
  request.header("Cookie", "theme=dark").header("Cookie", "  jwt=a.b.c ");
  EXPECT_THAT(tokens_in(from_cookies({"jwt"}), request), ElementsAre("a.b.c "));
}

TEST(Cookies, NamesMatchExactly) {
  TestRequest request;
  request.header("Cookie", "JWT=a.b.c; jwt2=d.e.f");
  EXPECT_THAT(tokens_in(from_cookies({"jwt"}), request), IsEmpty());
}

TEST(Locations, OrderIsHeadersParamsCookies) {
  config::JwtRule rule = from_headers({{"x-token", ""}});
  rule.from_params = {"token"};
  rule.from_cookies = {"token"};
  TestRequest request;
  request.query = "token=2.2.2";
  request.header("Cookie", "token=3.3.3").header("x-token", "1.1.1");
  EXPECT_THAT(tokens_in(rule, request), ElementsAre("1.1.1", "2.2.2", "3.3.3"));
}

TEST(Locations, TokenWhereTheRuleDoesNotLookIsIgnored) {
  const auto custom = requirement({from_headers({{"x-jwt", ""}})});
  TestRequest in_authorization;
  in_authorization.bearer(sign(Claims{.exp = kNow - 3600}.json()));
  in_authorization.query = "access_token=" + good_token();
  EXPECT_EQ(run(*custom, in_authorization).kind, Outcome::Kind::NoToken);
  TestRequest in_x_jwt;
  in_x_jwt.header("x-jwt", good_token());
  EXPECT_EQ(run(*custom, in_x_jwt).kind, Outcome::Kind::Verified);
}

}  // namespace
}  // namespace gatehouse::authn
