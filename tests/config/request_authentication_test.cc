// RequestAuthentication: every JWTRule field, Istio's defaults, and one negative test per
// validation rule.
#include <gtest/gtest.h>

#include "config/loader.h"
#include "test_support.h"

namespace gatehouse::config {
namespace {

using testing::error_at;
using testing::error_strings;
using testing::expect_error;
using testing::expect_errors;
using testing::expect_ok;
using testing::load_text;
using testing::security;

constexpr std::string_view kKind = "RequestAuthentication";

// Line N of the spec snippet is line 6 + N of the file.
std::string at(int line, std::string_view message) { return error_at(kKind, line, message); }

std::string authn(std::string_view spec) { return security(kKind, spec); }

// One JWT rule with the given fields (indented by two, after `- issuer: ...`); the rule's
// own line is 8 and its fields follow from line 9.
std::string rule(std::string_view fields) {
  return authn("jwtRules:\n- issuer: https://issuer.example.com\n" + testing::indent(fields, 2));
}

JwtRule only_rule(const std::string& text) {
  LoadResult result = load_text(text);
  EXPECT_EQ(error_strings(result), std::vector<std::string>{});
  if (result.snapshot.request_authentications.size() != 1 ||
      result.snapshot.request_authentications[0].jwt_rules.size() != 1) {
    ADD_FAILURE() << "expected one RequestAuthentication with one rule";
    return {};
  }
  return result.snapshot.request_authentications[0].jwt_rules[0];
}

TEST(RequestAuthentication, EveryFieldIsDecoded) {
  LoadResult result = load_text(authn(R"(selector:
  matchLabels: {app: httpbin}
jwtRules:
- issuer: https://issuer.example.com
  audiences: [api.example.com, web]
  jwksUri: https://issuer.example.com/keys
  fromHeaders:
  - name: X-Amzn-Oidc-AccessToken
  - name: Authorization
    prefix: "Bearer "
  fromParams: [token]
  fromCookies: [session]
  forwardOriginalToken: true
  outputPayloadToHeader: X-Jwt-Payload
  outputClaimToHeaders:
  - header: X-Groups
    claim: groups
  - header: x-team
    claim: org.team.name
  timeout: 1500ms
  spaceDelimitedClaims: [roles, perms])"));
  ASSERT_EQ(error_strings(result), std::vector<std::string>{});
  ASSERT_EQ(result.snapshot.request_authentications.size(), 1u);
  const RequestAuthentication& authn = result.snapshot.request_authentications[0];
  EXPECT_EQ(authn.id(), "RequestAuthentication/foo/demo");
  EXPECT_EQ(authn.api_version, "security.istio.io/v1");
  EXPECT_EQ(authn.selector, (Labels{{"app", "httpbin"}}));
  ASSERT_EQ(authn.jwt_rules.size(), 1u);
  const JwtRule& jwt = authn.jwt_rules[0];
  EXPECT_EQ(jwt.where.line, 10);
  EXPECT_EQ(jwt.issuer, "https://issuer.example.com");
  EXPECT_EQ(jwt.audiences, (std::vector<std::string>{"api.example.com", "web"}));
  EXPECT_EQ(jwt.jwks_uri, "https://issuer.example.com/keys");
  EXPECT_EQ(jwt.jwks, "");
  ASSERT_EQ(jwt.from_headers.size(), 2u);
  EXPECT_EQ(jwt.from_headers[0].name, "x-amzn-oidc-accesstoken");
  EXPECT_EQ(jwt.from_headers[0].prefix, "");
  EXPECT_EQ(jwt.from_headers[1].name, "authorization");
  EXPECT_EQ(jwt.from_headers[1].prefix, "Bearer ");
  EXPECT_EQ(jwt.from_params, std::vector<std::string>{"token"});
  EXPECT_EQ(jwt.from_cookies, std::vector<std::string>{"session"});
  EXPECT_TRUE(jwt.forward_original_token);
  EXPECT_EQ(jwt.output_payload_to_header, "x-jwt-payload");
  ASSERT_EQ(jwt.output_claim_to_headers.size(), 2u);
  EXPECT_EQ(jwt.output_claim_to_headers[0].header, "x-groups");
  EXPECT_EQ(jwt.output_claim_to_headers[0].claim, "groups");
  EXPECT_EQ(jwt.output_claim_to_headers[1].claim, "org.team.name");
  EXPECT_EQ(jwt.timeout, Millis(1500));
  EXPECT_EQ(jwt.space_delimited_claims, (std::vector<std::string>{"roles", "perms"}));
}

TEST(RequestAuthentication, DefaultsAreIstios) {
  JwtRule jwt = only_rule(rule(""));
  EXPECT_TRUE(jwt.audiences.empty());
  EXPECT_FALSE(jwt.forward_original_token);
  EXPECT_EQ(jwt.timeout, Millis(5000));
  EXPECT_EQ(jwt.output_payload_to_header, "");
  EXPECT_TRUE(jwt.output_claim_to_headers.empty());
  EXPECT_TRUE(jwt.space_delimited_claims.empty());
}

TEST(RequestAuthentication, WithoutLocationsTheTokenIsReadFromBearerAndAccessToken) {
  JwtRule jwt = only_rule(rule("fromHeaders: []"));
  ASSERT_EQ(jwt.from_headers.size(), 1u);
  EXPECT_EQ(jwt.from_headers[0].name, "authorization");
  EXPECT_EQ(jwt.from_headers[0].prefix, "Bearer ");
  EXPECT_EQ(jwt.from_params, std::vector<std::string>{"access_token"});
  EXPECT_TRUE(jwt.from_cookies.empty());
}

TEST(RequestAuthentication, AnyLocationReplacesTheDefaults) {
  JwtRule cookies = only_rule(rule("fromCookies: [session]"));
  EXPECT_TRUE(cookies.from_headers.empty());
  EXPECT_TRUE(cookies.from_params.empty());
  JwtRule params = only_rule(rule("fromParams: [jwt]"));
  EXPECT_TRUE(params.from_headers.empty());
  EXPECT_EQ(params.from_params, std::vector<std::string>{"jwt"});
}

TEST(RequestAuthentication, BothIstioVersionsLoad) {
  for (std::string_view version : {"security.istio.io/v1beta1", "security.istio.io/v1"}) {
    expect_ok(testing::resource(version, kKind, "jwtRules: [{issuer: a}]"));
  }
}

TEST(RequestAuthentication, V1alpha1IsNotAnIstioVersionOfTheKind) {
  expect_error(testing::resource("security.istio.io/v1alpha1", kKind, "{}"),
               "test.yaml:1: resource RequestAuthentication/foo/demo: apiVersion: unknown "
               "apiVersion \"security.istio.io/v1alpha1\" (did you mean "
               "\"security.istio.io/v1\"?)");
}

TEST(RequestAuthentication, NetworkingGroupNamesTheRightOne) {
  expect_error(testing::istio(kKind, "{}"),
               "test.yaml:2: resource RequestAuthentication/foo/demo: kind: unknown kind "
               "\"RequestAuthentication\" for apiVersion networking.istio.io/v1alpha3 (it is "
               "in apiVersion security.istio.io/v1)");
}

TEST(RequestAuthentication, SpecAndRulesMayBeLeftOut) {
  LoadResult result = load_text(
      "apiVersion: security.istio.io/v1\nkind: RequestAuthentication\nmetadata:\n  name: a\n");
  ASSERT_EQ(error_strings(result), std::vector<std::string>{});
  EXPECT_TRUE(result.snapshot.request_authentications.at(0).jwt_rules.empty());
  EXPECT_TRUE(result.snapshot.request_authentications.at(0).selector.empty());
  expect_ok(authn("jwtRules: []"));
}

TEST(RequestAuthentication, ProtoFieldNamesAreAccepted) {
  JwtRule jwt = only_rule(authn(
      "jwt_rules:\n- issuer: a\n  jwks_uri: https://a.example/keys\n  from_headers: [{name: x}]\n"
      "  forward_original_token: true\n  output_payload_to_header: p"));
  EXPECT_EQ(jwt.jwks_uri, "https://a.example/keys");
  EXPECT_EQ(jwt.from_headers.at(0).name, "x");
  EXPECT_TRUE(jwt.forward_original_token);
  EXPECT_EQ(jwt.output_payload_to_header, "p");
}

TEST(RequestAuthentication, MisspeltFieldSuggestsTheRightOne) {
  expect_error(rule("fromHeader: [{name: x}]"),
               at(9,
                  "spec.jwtRules[0]: unknown field \"fromHeader\" (did you mean "
                  "\"fromHeaders\"?)"));
  expect_error(rule("jwksURI: https://a.example/keys"),
               at(9, "spec.jwtRules[0]: unknown field \"jwksURI\" (did you mean \"jwksUri\"?)"));
  expect_error(authn("jwtRule: []"),
               at(7, "spec: unknown field \"jwtRule\" (did you mean \"jwtRules\"?)"));
}

TEST(RequestAuthentication, IssuerOrJwksUriIsRequired) {
  expect_error(authn("jwtRules:\n- audiences: [a]"),
               at(8, "spec.jwtRules[0]: a JWT rule needs an issuer or a jwksUri"));
  expect_error(authn("jwtRules:\n- issuer: \"\""),
               at(8, "spec.jwtRules[0]: a JWT rule needs an issuer or a jwksUri"));
  JwtRule jwt = only_rule(authn("jwtRules:\n- jwksUri: https://a.example/keys"));
  EXPECT_EQ(jwt.issuer, "");
}

TEST(RequestAuthentication, AudiencesMustNotBeEmpty) {
  expect_errors(rule("audiences: [a, \"\", ~]"),
                {at(9, "spec.jwtRules[0].audiences[1]: empty value not allowed"),
                 at(9, "spec.jwtRules[0].audiences[2]: empty value not allowed")});
}

TEST(RequestAuthentication, JwksUriMustBeHttpOrHttps) {
  expect_error(rule("jwksUri: ftp://a.example/keys"),
               at(9,
                  "spec.jwtRules[0].jwksUri: invalid jwksUri \"ftp://a.example/keys\": the "
                  "scheme must be http or https"));
  expect_error(rule("jwksUri: a.example/keys"),
               at(9,
                  "spec.jwtRules[0].jwksUri: invalid jwksUri \"a.example/keys\": the scheme "
                  "must be http or https"));
  expect_error(rule("jwksUri: https:///keys"),
               at(9,
                  "spec.jwtRules[0].jwksUri: invalid jwksUri \"https:///keys\": a host is "
                  "required"));
  expect_error(rule("jwksUri: https://a.example:99999/keys"),
               at(9,
                  "spec.jwtRules[0].jwksUri: invalid jwksUri "
                  "\"https://a.example:99999/keys\": invalid port"));
  expect_error(rule("jwksUri: \"https://a.example/a key\""),
               at(9,
                  "spec.jwtRules[0].jwksUri: invalid jwksUri \"https://a.example/a key\": "
                  "spaces and control characters are not allowed"));
  EXPECT_EQ(only_rule(rule("jwksUri: HTTP://[::1]:8080/keys?x=1")).jwks_uri,
            "HTTP://[::1]:8080/keys?x=1");
  only_rule(rule("jwksUri: http://user@127.0.0.1/keys"));
}

TEST(RequestAuthentication, JwksUriIsAtMost2048Characters) {
  std::string uri = "https://a.example/" + std::string(2048, 'k');
  expect_error(rule("jwksUri: " + uri),
               at(9,
                  "spec.jwtRules[0].jwksUri: jwksUri must be at most 2048 characters, got "
                  "2066"));
}

TEST(RequestAuthentication, InlineJwksLoads) {
  JwtRule jwt = only_rule(
      rule(R"(jwks: '{"keys": [{"kty": "RSA", "e": "AQAB", "n": "xAE7eB6q", "kid": "k1"}]}')"));
  EXPECT_EQ(jwt.jwks, R"({"keys": [{"kty": "RSA", "e": "AQAB", "n": "xAE7eB6q", "kid": "k1"}]})");
  EXPECT_EQ(jwt.jwks_uri, "");
}

TEST(RequestAuthentication, InlineJwksMustBeAJwks) {
  expect_error(rule("jwks: '{\"keys\": ['"),
               at(9, "spec.jwtRules[0].jwks: invalid jwks: not valid JSON (incomplete JSON)"));
  expect_error(rule("jwks: '[1, 2]'"), at(9,
                                          "spec.jwtRules[0].jwks: invalid jwks: expected a "
                                          "JSON object with a \"keys\" list"));
  expect_error(rule("jwks: '{\"keys\": [{\"n\": \"x\"}]}'"),
               at(9, "spec.jwtRules[0].jwks: invalid jwks: every key needs a \"kty\" string"));
}

TEST(RequestAuthentication, JwksAndJwksUriExcludeEachOther) {
  expect_error(rule("jwksUri: https://a.example/keys\njwks: '{\"keys\": []}'"),
               at(10, "spec.jwtRules[0].jwks: set only one of jwks and jwksUri"));
}

TEST(RequestAuthentication, FromHeadersNeedAValidName) {
  expect_errors(rule("fromHeaders:\n- prefix: x\n- name: \"\"\n- name: \"a b\"\n- ~"),
                {at(10, "spec.jwtRules[0].fromHeaders[0]: missing required field \"name\""),
                 at(11, "spec.jwtRules[0].fromHeaders[1].name: header name cannot be empty"),
                 at(12,
                    "spec.jwtRules[0].fromHeaders[2].name: header name \"a b\" is not a "
                    "valid header name"),
                 at(13, "spec.jwtRules[0].fromHeaders[3]: must not be null")});
}

TEST(RequestAuthentication, ParamsAndCookiesMustNotBeEmpty) {
  expect_errors(rule("fromParams: [\"\"]\nfromCookies: [\"\"]"),
                {at(9, "spec.jwtRules[0].fromParams[0]: empty value not allowed"),
                 at(10, "spec.jwtRules[0].fromCookies[0]: empty value not allowed")});
}

TEST(RequestAuthentication, OutputPayloadHeaderMustBeAHeaderName) {
  expect_error(rule("outputPayloadToHeader: \"x:y\""),
               at(9,
                  "spec.jwtRules[0].outputPayloadToHeader: header name \"x:y\" is not a "
                  "valid header name"));
  EXPECT_EQ(only_rule(rule("outputPayloadToHeader: \"\"")).output_payload_to_header, "");
}

TEST(RequestAuthentication, ClaimToHeaderNeedsBothPartsAndAStrictHeaderName) {
  expect_errors(
      rule("outputClaimToHeaders:\n- {header: x, claim: \"\"}\n- {header: x.y, claim: c}\n"
           "- {claim: c}"),
      {at(10,
          "spec.jwtRules[0].outputClaimToHeaders[0]: outputClaimToHeaders needs a "
          "non-empty header and claim"),
       at(11,
          "spec.jwtRules[0].outputClaimToHeaders[1].header: header name \"x.y\" may only "
          "hold letters, digits, '-' and '_'"),
       at(12, "spec.jwtRules[0].outputClaimToHeaders[2]: missing required field \"header\"")});
}

TEST(RequestAuthentication, TimeoutIsADuration) {
  expect_error(rule("timeout: 5"),
               at(9,
                  "spec.jwtRules[0].timeout: expected a duration such as \"10s\", "
                  "\"500ms\" or \"1m30s\" (missing or unknown unit), got \"5\""));
  expect_error(rule("timeout: 0s"),
               at(9, "spec.jwtRules[0].timeout: duration must be at least 1ms, got \"0s\""));
}

TEST(RequestAuthentication, ForwardOriginalTokenIsABoolean) {
  expect_error(rule("forwardOriginalToken: \"true\""),
               at(9,
                  "spec.jwtRules[0].forwardOriginalToken: expected true or false, got "
                  "\"true\""));
}

TEST(RequestAuthentication, AtMost64SpaceDelimitedClaims) {
  std::string claims = "spaceDelimitedClaims: [c0";
  for (int i = 1; i < 65; ++i) claims += ", c" + std::to_string(i);
  expect_error(rule(claims + "]"), at(9,
                                      "spec.jwtRules[0].spaceDelimitedClaims: at most 64 "
                                      "space-delimited claims, got 65"));
  expect_error(rule("spaceDelimitedClaims: [\"\"]"),
               at(9, "spec.jwtRules[0].spaceDelimitedClaims[0]: empty value not allowed"));
}

TEST(RequestAuthentication, TargetRefsAreRefused) {
  std::string why =
      " is not supported by gatehouse (it attaches policies to Gateway API gateways and "
      "waypoints); use selector, or nothing for the whole namespace";
  expect_errors(
      authn("targetRef: {kind: Gateway, name: gw}\ntargetRefs:\n- {kind: Service, "
            "name: s}"),
      {at(7, "spec.targetRef: targetRef" + why), at(8, "spec.targetRefs: targetRefs" + why)});
  expect_ok(authn("targetRefs: []"));
}

TEST(RequestAuthentication, SelectorTakesMatchLabelsOnly) {
  expect_error(authn("selector:\n  matchLabel: {app: a}"),
               at(8,
                  "spec.selector: unknown field \"matchLabel\" (did you mean "
                  "\"matchLabels\"?)"));
  expect_error(authn("selector:\n  matchLabels: {app: \"*\"}"),
               at(8,
                  "spec.selector.matchLabels.app: invalid label value \"*\": must be at most "
                  "63 characters of letters, digits, '-', '_' and '.', starting and ending "
                  "with a letter or digit"));
}

}  // namespace
}  // namespace gatehouse::config
