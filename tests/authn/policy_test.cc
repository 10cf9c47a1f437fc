// Which RequestAuthentication resources apply to a workload, how their rules merge, and what
// a rule compiles to.
#include <gmock/gmock.h>

#include "test_support.h"

namespace gatehouse::authn {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

config::RequestAuthentication policy(std::string ns, std::vector<std::string> issuers,
                                     config::Labels selector = {}) {
  config::RequestAuthentication out;
  out.metadata.namespace_ = std::move(ns);
  out.selector = std::move(selector);
  for (const std::string& issuer : issuers) out.jwt_rules.push_back(jwt_rule(issuer));
  return out;
}

// The issuers of the workload's providers, in order; empty when nothing applies.
std::vector<std::string> issuers_for(const PolicySet& set, std::string_view ns,
                                     const config::Labels& labels = {}) {
  std::vector<std::string> out;
  if (auto requirement = set.for_workload(ns, labels))
    for (const Provider& provider : requirement->providers) out.push_back(provider.issuer);
  return out;
}

TEST(PolicySelection, RootNamespacePolicyAppliesToEveryNamespace) {
  const auto set = PolicySet::compile({policy("istio-system", {"root"})}, "istio-system");
  EXPECT_THAT(issuers_for(set, "default"), ElementsAre("root"));
  EXPECT_THAT(issuers_for(set, "shop", {{"app", "cart"}}), ElementsAre("root"));
}

TEST(PolicySelection, NamespacePolicyAppliesOnlyInItsNamespace) {
  const auto set = PolicySet::compile({policy("shop", {"shop"})}, "istio-system");
  EXPECT_THAT(issuers_for(set, "shop"), ElementsAre("shop"));
  EXPECT_THAT(issuers_for(set, "default"), IsEmpty());
}

TEST(PolicySelection, SelectorLabelsMustAllBeOnTheWorkload) {
  const auto set = PolicySet::compile(
      {policy("shop", {"cart"}, {{"app", "cart"}, {"tier", "web"}})}, "istio-system");
  EXPECT_THAT(issuers_for(set, "shop", {{"app", "cart"}, {"tier", "web"}, {"v", "2"}}),
              ElementsAre("cart"));
  EXPECT_THAT(issuers_for(set, "shop", {{"app", "cart"}}), IsEmpty());
  EXPECT_THAT(issuers_for(set, "shop", {{"app", "cart"}, {"tier", "db"}}), IsEmpty());
  EXPECT_THAT(issuers_for(set, "other", {{"app", "cart"}, {"tier", "web"}}), IsEmpty());
}

TEST(PolicySelection, RootNamespaceSelectorAppliesToMatchingWorkloadsEverywhere) {
  const auto set =
      PolicySet::compile({policy("mesh-root", {"root"}, {{"app", "api"}})}, "mesh-root");
  EXPECT_THAT(issuers_for(set, "a", {{"app", "api"}}), ElementsAre("root"));
  EXPECT_THAT(issuers_for(set, "b", {{"app", "api"}}), ElementsAre("root"));
  EXPECT_THAT(issuers_for(set, "b", {{"app", "web"}}), IsEmpty());
}

TEST(PolicySelection, NothingAppliesIsNull) {
  const auto set =
      PolicySet::compile({policy("shop", {"shop"}), policy("shop", {})}, "istio-system");
  EXPECT_EQ(set.for_workload("default", {}), nullptr);
  // A resource without rules applies but adds no provider.
  const auto empty = PolicySet::compile({policy("shop", {})}, "istio-system");
  EXPECT_EQ(empty.for_workload("shop", {}), nullptr);
}

TEST(PolicyMerging, RulesOfAllApplicablePoliciesAreSortedByIssuer) {
  const auto set = PolicySet::compile(
      {policy("shop", {"https://c", "https://a"}), policy("istio-system", {"https://b"}),
       policy("default", {"https://ignored"})},
      "istio-system");
  EXPECT_THAT(issuers_for(set, "shop"), ElementsAre("https://a", "https://b", "https://c"));
}

TEST(PolicyMerging, SameIssuerRulesAreAllKeptInConfigurationOrder) {
  config::RequestAuthentication first = policy("shop", {});
  first.jwt_rules = {jwt_rule("https://same", "https://one/keys")};
  config::RequestAuthentication second = policy("shop", {});
  second.jwt_rules = {jwt_rule("https://same", "https://two/keys"), jwt_rule("https://a")};
  const auto requirement =
      PolicySet::compile({first, second}, "istio-system").for_workload("shop", {});
  ASSERT_NE(requirement, nullptr);
  ASSERT_EQ(requirement->providers.size(), 3u);
  EXPECT_EQ(requirement->providers[0].issuer, "https://a");
  EXPECT_EQ(requirement->providers[1].key_source, "uri:https://one/keys");
  EXPECT_EQ(requirement->providers[2].key_source, "uri:https://two/keys");
}

TEST(PolicyMerging, OutputHeadersOfEveryProviderWithoutRepeats) {
  config::JwtRule a = jwt_rule("https://a");
  a.output_payload_to_header = "x-payload";
  a.output_claim_to_headers = {{"x-sub", "sub"}, {"x-group", "groups"}};
  config::JwtRule b = jwt_rule("https://b");
  b.output_payload_to_header = "x-payload";
  b.output_claim_to_headers = {{"x-tenant", "tenant"}};
  const auto merged = requirement({a, b});
  EXPECT_THAT(merged->output_headers, ElementsAre("x-group", "x-payload", "x-sub", "x-tenant"));
}

TEST(ProviderCompile, IstioDefaultLocationsWhenTheRuleNamesNone) {
  const Provider provider = make_provider(jwt_rule());
  ASSERT_EQ(provider.from_headers.size(), 1u);
  EXPECT_EQ(provider.from_headers[0].name, "authorization");
  EXPECT_EQ(provider.from_headers[0].prefix, "Bearer ");
  EXPECT_THAT(provider.from_params, ElementsAre("access_token"));
  EXPECT_THAT(provider.from_cookies, IsEmpty());
}

TEST(ProviderCompile, AnyExplicitLocationReplacesTheDefaults) {
  config::JwtRule rule = jwt_rule();
  rule.from_cookies = {"session"};
  const Provider provider = make_provider(rule);
  EXPECT_THAT(provider.from_headers, IsEmpty());
  EXPECT_THAT(provider.from_params, IsEmpty());
  EXPECT_THAT(provider.from_cookies, ElementsAre("session"));
}

TEST(ProviderCompile, LocationsInEnvoyOrderWithoutRepeats) {
  config::JwtRule rule = jwt_rule();
  rule.from_headers = {{"x-token", ""}, {"authorization", "Token "}, {"x-token", ""}};
  rule.from_params = {"token", "jwt", "token"};
  rule.from_cookies = {"b", "a"};
  const Provider provider = make_provider(rule);
  ASSERT_EQ(provider.from_headers.size(), 2u);
  EXPECT_EQ(provider.from_headers[0].name, "authorization");
  EXPECT_EQ(provider.from_headers[1].name, "x-token");
  EXPECT_THAT(provider.from_params, ElementsAre("jwt", "token"));
  EXPECT_THAT(provider.from_cookies, ElementsAre("a", "b"));
}

TEST(ProviderCompile, AudiencesCompareWithoutSchemeAndTrailingSlash) {
  config::JwtRule rule = jwt_rule();
  rule.audiences = {"https://api.example.com/", "httpbin"};
  const Provider provider = make_provider(rule);
  EXPECT_THAT(provider.audiences, ElementsAre("api.example.com", "httpbin"));
  EXPECT_TRUE(provider.allows_audiences({"http://api.example.com"}));
  EXPECT_TRUE(provider.allows_audiences({"other", "https://httpbin/"}));
  EXPECT_FALSE(provider.allows_audiences({"api.example.com/v1"}));
  EXPECT_FALSE(provider.allows_audiences({}));
  // Only one trailing slash goes, and only a leading scheme.
  EXPECT_FALSE(provider.allows_audiences({"httpbin//"}));
  EXPECT_FALSE(provider.allows_audiences({"x-https://httpbin"}));
  EXPECT_TRUE(make_provider(jwt_rule()).allows_audiences({}));
}

TEST(ProviderCompile, ScopeAndPermissionAreAlwaysSpaceDelimited) {
  config::JwtRule rule = jwt_rule();
  rule.space_delimited_claims = {"roles", "scope"};
  EXPECT_THAT(make_provider(rule).space_delimited_claims,
              ElementsAre("permission", "roles", "scope"));
  EXPECT_THAT(make_provider(jwt_rule()).space_delimited_claims, ElementsAre("permission", "scope"));
}

TEST(ProviderCompile, CacheScopeFollowsKeySourceAndSplitClaims) {
  config::JwtRule rule = jwt_rule();
  const std::string plain = make_provider(rule).cache_scope;
  rule.audiences = {"other"};
  rule.issuer = "https://other";
  EXPECT_EQ(make_provider(rule).cache_scope, plain);  // re-checked on every hit instead
  rule.space_delimited_claims = {"roles"};
  EXPECT_NE(make_provider(rule).cache_scope, plain);
  EXPECT_NE(make_provider(jwt_rule(kIssuer, "https://idp.example/other")).cache_scope, plain);
}

TEST(KeySourceId, NamesWhereTheKeysComeFrom) {
  config::JwtRule inline_rule = jwt_rule(kIssuer, "");
  inline_rule.jwks = R"({"keys":[]})";
  const std::string id = key_source_id(inline_rule);
  EXPECT_TRUE(id.starts_with("inline:"));
  EXPECT_EQ(id.size(), 7u + 64u);
  EXPECT_EQ(id.find_first_not_of("0123456789abcdef", 7), std::string::npos);
  EXPECT_EQ(key_source_id(inline_rule), id);
  inline_rule.jwks = R"({"keys": []})";
  EXPECT_NE(key_source_id(inline_rule), id);
  // The SHA-256 of the empty key set text, as sha256sum prints it.
  inline_rule.jwks = "{}";
  EXPECT_EQ(key_source_id(inline_rule),
            "inline:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a");
  EXPECT_EQ(key_source_id(jwt_rule()), "uri:https://idp.example/keys");
  EXPECT_EQ(key_source_id(jwt_rule("https://okta.example", "")), "discovery:https://okta.example");
}

}  // namespace
}  // namespace gatehouse::authn
