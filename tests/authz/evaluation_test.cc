// Evaluation order and policy selection: CUSTOM, DENY, ALLOW, AUDIT, dry-run, scoping.
#include "test_support.h"

namespace gatehouse::authz {
namespace {

const std::vector<config::Rule> kMatchAll{config::Rule{}};
const config::Rule kGetOnly = to({{&O::methods, {"GET"}}});

TEST(Evaluation, NoPolicyAllows) {
  TestRequest request;
  const auto d = decide({}, request);
  EXPECT_TRUE(d.allowed);
  EXPECT_EQ(d.reason, kNoAllowPolicy);
}

TEST(Evaluation, AllowPolicyWithoutRulesAllowsNothing) {
  TestRequest request;
  const auto d = decide({policy("nothing", Action::Allow, std::nullopt)}, request);
  EXPECT_FALSE(d.allowed);
  EXPECT_EQ(d.reason, kNoAllowRuleMatched);
  EXPECT_FALSE(d.rule);
}

TEST(Evaluation, EmptyRulesListAlsoAllowsNothing) {
  TestRequest request;
  EXPECT_FALSE(decide({policy("p", Action::Allow, std::vector<config::Rule>{})}, request).allowed);
}

TEST(Evaluation, OneEmptyRuleMatchesEverything) {
  TestRequest request;
  const auto d = decide({policy("all", Action::Allow, kMatchAll)}, request);
  EXPECT_TRUE(d.allowed);
  ASSERT_TRUE(d.rule);
  EXPECT_EQ(d.rule->policy, "default/all");
  EXPECT_EQ(d.rule->rule, 0u);
  EXPECT_EQ(d.rule->action, Action::Allow);
}

TEST(Evaluation, AllowMissDenies) {
  TestRequest request;
  request.method = "POST";
  EXPECT_FALSE(decide({policy("p", Action::Allow, std::vector{kGetOnly})}, request).allowed);
}

TEST(Evaluation, AllowPoliciesAreOred) {
  TestRequest request;
  request.method = "POST";
  const auto d = decide({policy("get", Action::Allow, std::vector{kGetOnly}),
                         policy("post", Action::Allow, std::vector{to({{&O::methods, {"POST"}}})})},
                        request);
  EXPECT_TRUE(d.allowed);
  EXPECT_EQ(d.rule->policy, "default/post");
}

TEST(Evaluation, RuleIndexNamesTheMatchingRule) {
  TestRequest request;
  const auto d = decide(
      {policy("p", Action::Allow, std::vector{to({{&O::methods, {"PUT"}}}), kGetOnly})}, request);
  ASSERT_TRUE(d.rule);
  EXPECT_EQ(d.rule->rule, 1u);
}

TEST(Evaluation, DenyWinsOverAllow) {
  TestRequest request;
  const auto d = decide({policy("all", Action::Allow, kMatchAll),
                         policy("no-get", Action::Deny, std::vector{kGetOnly})},
                        request);
  EXPECT_FALSE(d.allowed);
  EXPECT_EQ(d.reason, kDeniedByRule);
  EXPECT_EQ(d.rule->policy, "default/no-get");
  EXPECT_EQ(d.rule->action, Action::Deny);
}

TEST(Evaluation, DenyMissWithoutAllowPolicyAllows) {
  TestRequest request;
  request.method = "POST";
  EXPECT_TRUE(decide({policy("no-get", Action::Deny, std::vector{kGetOnly})}, request).allowed);
}

// Pitfall 5: require a token with a DENY on notRequestPrincipals.
TEST(Evaluation, DenyNotRequestPrincipalsRequiresAToken) {
  const auto deny =
      policy("require-jwt", Action::Deny, std::vector{from({{&S::not_request_principals, {"*"}}})});
  const authn::Identity id = identity(R"({"iss":"i","sub":"s"})");
  TestRequest anonymous, authenticated;
  authenticated.identity = &id;
  EXPECT_FALSE(decide({deny}, anonymous).allowed);
  EXPECT_TRUE(decide({deny}, authenticated).allowed);
}

TEST(Evaluation, AuditIsReportedButNeverDecides) {
  TestRequest request;
  const auto d = decide({policy("log", Action::Audit, kMatchAll),
                         policy("p", Action::Allow, std::vector{to({{&O::methods, {"PUT"}}})})},
                        request);
  EXPECT_FALSE(d.allowed);
  ASSERT_TRUE(d.audit);
  EXPECT_EQ(d.audit->policy, "default/log");
  EXPECT_EQ(d.audit->action, Action::Audit);
}

TEST(Evaluation, DryRunDenyIsRecordedNotEnforced) {
  auto deny = policy("shadow", Action::Deny, kMatchAll);
  deny.dry_run = true;
  TestRequest request;
  const auto d = decide({deny}, request);
  EXPECT_TRUE(d.allowed);
  ASSERT_TRUE(d.dry_run);
  EXPECT_FALSE(d.dry_run->allowed);
  EXPECT_EQ(d.dry_run->rule->policy, "default/shadow");
}

TEST(Evaluation, AllAllowPoliciesDryRunMeansAllowed) {
  auto allow = policy("shadow", Action::Allow, std::nullopt);
  allow.dry_run = true;
  TestRequest request;
  const auto d = decide({allow}, request);
  EXPECT_TRUE(d.allowed);
  EXPECT_EQ(d.reason, kNoAllowPolicy);
  ASSERT_TRUE(d.dry_run);
  EXPECT_FALSE(d.dry_run->allowed);
  EXPECT_EQ(d.dry_run->reason, kNoAllowRuleMatched);
}

TEST(Evaluation, NoDryRunPolicyNoDryRunResult) {
  TestRequest request;
  EXPECT_FALSE(decide({policy("p", Action::Allow, kMatchAll)}, request).dry_run);
}

TEST(Evaluation, CustomIsRefusedAtCompile) {
  auto custom = policy("ext", Action::Custom, kMatchAll);
  custom.provider = "opa";
  auto set = PolicySet::compile({custom}, "istio-system");
  ASSERT_TRUE(std::holds_alternative<CompileError>(set));
  EXPECT_EQ(std::get<CompileError>(set).message,
            "action CUSTOM (provider \"opa\") is not supported yet: gatehouse cannot call "
            "external authorizers, and ignoring the policy would open access");
}

TEST(Selection, RootNamespaceAppliesEverywhere) {
  TestRequest request;
  const auto root = policy("deny-all", Action::Deny, kMatchAll, "istio-system");
  EXPECT_FALSE(decide({root}, request, "shop").allowed);
}

TEST(Selection, OtherNamespacesDoNotApply) {
  TestRequest request;
  const auto other = policy("deny-all", Action::Deny, kMatchAll, "billing");
  EXPECT_TRUE(decide({other}, request, "shop").allowed);
  EXPECT_FALSE(decide({other}, request, "billing").allowed);
}

TEST(Selection, SelectorMustBeASubsetOfTheLabels) {
  TestRequest request;
  const auto p = policy("deny", Action::Deny, kMatchAll, "shop", {{"app", "web"}});
  EXPECT_FALSE(decide({p}, request, "shop", {{"app", "web"}, {"tier", "1"}}).allowed);
  EXPECT_TRUE(decide({p}, request, "shop", {{"app", "api"}}).allowed);
  EXPECT_TRUE(decide({p}, request, "shop", {}).allowed);
}

TEST(Selection, PoliciesAreCollectedNotOverridden) {
  TestRequest request;
  const auto d = decide(
      {policy("root-allow-get", Action::Allow, std::vector{kGetOnly}, "istio-system"),
       policy("ns-allow-put", Action::Allow, std::vector{to({{&O::methods, {"PUT"}}})}, "shop")},
      request, "shop");
  EXPECT_TRUE(d.allowed);
  EXPECT_EQ(d.rule->policy, "istio-system/root-allow-get");
}

}  // namespace
}  // namespace gatehouse::authz
