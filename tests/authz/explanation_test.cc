// Explanations: the deciding rule's id, and for an ALLOW miss the nearest rule with the first
// field it failed.
#include "test_support.h"

namespace gatehouse::authz {
namespace {

using config::ConditionKey;

// The reference article's two ALLOW policies on httpbin.
std::vector<config::AuthorizationPolicy> article() {
  config::Rule needs_group = from({{&S::request_principals, {"https://idp.example/*"}}});
  needs_group.when.push_back(condition(ConditionKey::RequestClaims, {"groups"}, {"httpbin"}));
  return {policy("open-status", Action::Allow, std::vector{to({{&O::paths, {"/status/200"}}})}),
          policy("require-group", Action::Allow, std::vector{needs_group})};
}

TEST(Explanation, AllowedNamesTheRule) {
  TestRequest request;
  request.path = "/status/200";
  const auto d = decide(article(), request);
  EXPECT_TRUE(d.allowed);
  ASSERT_TRUE(d.rule);
  EXPECT_EQ(d.rule->policy, "default/open-status");
  EXPECT_FALSE(d.nearest);
}

TEST(Explanation, TokenWithoutGroupFailsAtTheClaim) {
  const auto id = identity(R"({"iss":"https://idp.example","sub":"bob","groups":["everyone"]})");
  TestRequest request;
  request.path = "/headers";
  request.identity = &id;
  const auto d = decide(article(), request);
  EXPECT_FALSE(d.allowed);
  EXPECT_EQ(d.reason, kNoAllowRuleMatched);
  ASSERT_TRUE(d.nearest);
  EXPECT_EQ(d.nearest->rule.policy, "default/require-group");
  EXPECT_EQ(d.nearest->field, "when request.auth.claims[groups] values");
}

// The path index rules out open-status for /headers, so the nearest rule tried is the one
// that wants a token.
TEST(Explanation, NoTokenFailsAtRequestPrincipals) {
  TestRequest request;
  request.path = "/headers";
  const auto d = decide(article(), request);
  ASSERT_TRUE(d.nearest);
  EXPECT_EQ(d.nearest->rule.policy, "default/require-group");
  EXPECT_EQ(d.nearest->field, "from.requestPrincipals");
}

TEST(Explanation, TiesGoToTheFirstRuleTried) {
  TestRequest request;
  request.method = "PUT";
  const auto d = decide({policy("a", Action::Allow, std::vector{to({{&O::methods, {"GET"}}})}),
                         policy("b", Action::Allow, std::vector{to({{&O::methods, {"POST"}}})})},
                        request);
  ASSERT_TRUE(d.nearest);
  EXPECT_EQ(d.nearest->rule.policy, "default/a");
  EXPECT_EQ(d.nearest->field, "to.methods");
}

TEST(Explanation, NotValueHitIsNamed) {
  TestRequest request;
  request.path = "/admin";
  const auto d =
      decide({policy("p", Action::Allow, std::vector{to({{&O::not_paths, {"/admin"}}})})}, request);
  ASSERT_TRUE(d.nearest);
  EXPECT_EQ(d.nearest->field, "to.notPaths");
}

TEST(Explanation, FurthestSourceStandsForTheList) {
  config::Rule rule;
  rule.from.push_back(source({{&S::ip_blocks, {"192.168.0.0/16"}}}));
  rule.from.push_back(source({{&S::ip_blocks, {"10.0.0.0/8"}}, {&S::not_ip_blocks, {"10.0.0.1"}}}));
  TestRequest request;  // peer 10.0.0.1
  const auto d = decide({policy("p", Action::Allow, std::vector{rule})}, request);
  ASSERT_TRUE(d.nearest);
  EXPECT_EQ(d.nearest->field, "from.notIpBlocks");
}

TEST(Explanation, ConditionsCountAfterSourcesAndOperations) {
  config::Rule rule = to({{&O::methods, {"GET"}}});
  rule.when.push_back(condition(ConditionKey::RequestHeader, {"x-team"}, {"blue"}));
  rule.when.push_back(condition(ConditionKey::RequestHeader, {"x-env"}, {"prod"}));
  TestRequest request;
  request.headers = {{"x-team", "blue"}};
  const auto d = decide({policy("p", Action::Allow, std::vector{rule})}, request);
  ASSERT_TRUE(d.nearest);
  EXPECT_EQ(d.nearest->field, "when request.headers[x-env] values");
}

TEST(Explanation, DenyNamesTheRuleAndNoNearest) {
  TestRequest request;
  request.path = "/admin";
  const auto d =
      decide({policy("no-admin", Action::Deny,
                     std::vector{to({{&O::paths, {"/x"}}}), to({{&O::paths, {"/admin"}}})})},
             request);
  EXPECT_FALSE(d.allowed);
  ASSERT_TRUE(d.rule);
  EXPECT_EQ(d.rule->rule, 1u);
  EXPECT_FALSE(d.nearest);
}

TEST(Explanation, RuleIdsListEveryRuleInOrder) {
  const PolicySet set =
      compile_ok({policy("a", Action::Allow, std::vector{config::Rule{}, config::Rule{}}),
                  policy("b", Action::Deny, std::vector{to({{&O::paths, {"/x"}}})}, "default",
                         {{"app", "x"}})});
  ASSERT_EQ(set.rules().size(), 3u);
  EXPECT_EQ(set.rules()[1].policy, "default/a");
  EXPECT_EQ(set.rules()[1].rule, 1u);
  EXPECT_EQ(set.rules()[2].policy, "default/b");
  EXPECT_EQ(set.rules()[2].action, Action::Deny);

  TestRequest request;
  request.path = "/x";
  const auto d = decide({policy("a", Action::Allow, std::vector{config::Rule{}, config::Rule{}}),
                         policy("b", Action::Deny, std::vector{to({{&O::paths, {"/x"}}})})},
                        request);
  ASSERT_TRUE(d.rule);
  EXPECT_EQ(d.rule->id, 2u);
}

}  // namespace
}  // namespace gatehouse::authz

namespace gatehouse::authz {
namespace {

TEST(ExplainText, DenialNamesTheNearestRuleAndField) {
  const auto id = identity(R"({"iss":"https://idp.example","sub":"bob","groups":["everyone"]})");
  TestRequest request;
  request.path = "/headers";
  request.identity = &id;
  EXPECT_EQ(explain(decide(article(), request)),
            "denied: no ALLOW rule matched (nearest: default/require-group rule 0, failed at when "
            "request.auth.claims[groups] values)");
}

TEST(ExplainText, AllowedWithAuditAndDryRun) {
  auto dry = policy("strict", Action::Deny, std::vector{config::Rule{}});
  dry.dry_run = true;
  TestRequest request;
  request.path = "/status/200";
  EXPECT_EQ(explain(decide({policy("open", Action::Allow, std::vector{config::Rule{}}),
                            policy("log", Action::Audit, std::vector{config::Rule{}}), dry},
                           request)),
            "allowed: matched an ALLOW rule (default/open rule 0); audit: default/log rule 0; "
            "dry-run: denied: matched a DENY rule (default/strict rule 0)");
}

TEST(ExplainText, DryRunThatNeitherMatchedNorDeniesIsLeftOut) {
  auto dry = policy("strict", Action::Deny, std::vector{to({{&O::paths, {"/admin"}}})});
  dry.dry_run = true;
  TestRequest request;
  request.path = "/status/200";
  EXPECT_EQ(explain(decide({dry}, request)), "allowed: no ALLOW policy");
}

TEST(ExplainText, NoPolicy) {
  TestRequest request;
  EXPECT_EQ(explain(decide({}, request)), "allowed: no ALLOW policy");
}

}  // namespace
}  // namespace gatehouse::authz
