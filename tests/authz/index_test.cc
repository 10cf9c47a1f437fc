// The path index must never change a decision: over many policies mixing every path form,
// the first matching rule is the one a plain scan in order finds.
#include <random>

#include "test_support.h"

namespace gatehouse::authz {
namespace {

const std::vector<std::string> kPathForms = {
    "/api/v1/items", "/api/*",    "*/items", "/api/{*}/items", "{**}", "/static/{**}", "*",
    "/status/200",   "/api/v1/*", "*.json",  "/other"};
const std::vector<std::string> kRequestPaths = {
    "/api/v1/items", "/api/v2/items", "/api", "/api/",  "/static/a/b.json", "/status/200",
    "/status/2000",  "/x.json",       "/",    "/other", "/api/v1/items/"};

// A rule of one or two operations, sometimes unconstrained by path, sometimes by method.
config::Rule random_rule(std::mt19937& rng) {
  auto pick = [&](const std::vector<std::string>& from) { return from[rng() % from.size()]; };
  config::Rule rule;
  const unsigned ops = rng() % 3;
  for (unsigned i = 0; i < ops; ++i) {
    config::Operation op;
    if (rng() % 4 != 0) op.paths = {pick(kPathForms)};
    if (rng() % 3 == 0) op.paths.push_back(pick(kPathForms));
    if (rng() % 4 == 0) op.not_paths = {pick(kPathForms)};
    if (rng() % 3 == 0) op.methods = {rng() % 2 ? "GET" : "POST"};
    if (op.paths.empty() && op.not_paths.empty() && op.methods.empty()) op.methods = {"GET"};
    rule.to.push_back(op);
  }
  return rule;
}

TEST(PathIndex, FirstMatchEqualsAScanInOrder) {
  std::mt19937 rng(7);
  for (int round = 0; round < 40; ++round) {
    std::vector<config::AuthorizationPolicy> policies;
    std::vector<config::Rule> all_rules;
    for (int p = 0; p < 30; ++p) {
      std::vector<config::Rule> rules;
      for (unsigned r = 0; r < 1 + rng() % 3; ++r) rules.push_back(random_rule(rng));
      all_rules.insert(all_rules.end(), rules.begin(), rules.end());
      policies.push_back(policy("p" + std::to_string(p), Action::Deny, rules));
    }
    for (const std::string& path : kRequestPaths) {
      for (const char* method : {"GET", "POST"}) {
        TestRequest request;
        request.path = path;
        request.method = method;
        std::optional<std::size_t> expected;
        for (std::size_t i = 0; i < all_rules.size() && !expected; ++i)
          if (allows(all_rules[i], request)) expected = i;
        const auto d = decide(policies, request);
        ASSERT_EQ(d.allowed, !expected) << method << " " << path << " round " << round;
        if (expected) {
          ASSERT_TRUE(d.rule);
          EXPECT_EQ(d.rule->id, *expected) << method << " " << path << " round " << round;
        }
      }
    }
  }
}

TEST(PathIndex, PrefixLongerThanThePathIsSkipped) {
  TestRequest request;
  request.path = "/a";
  EXPECT_TRUE(
      decide({policy("p", Action::Deny, std::vector{to({{&O::paths, {"/abc*"}}})})}, request)
          .allowed);
  request.path = "/abcdef";
  EXPECT_FALSE(
      decide({policy("p", Action::Deny, std::vector{to({{&O::paths, {"/abc*"}}})})}, request)
          .allowed);
}

TEST(PathIndex, ManyExactPoliciesStillFindTheirOwn) {
  std::vector<config::AuthorizationPolicy> policies;
  for (int i = 0; i < 2000; ++i)
    policies.push_back(policy("p" + std::to_string(i), Action::Allow,
                              std::vector{to({{&O::paths, {"/r/" + std::to_string(i)}}})}));
  TestRequest request;
  request.path = "/r/1234";
  const auto d = decide(policies, request);
  ASSERT_TRUE(d.rule);
  EXPECT_EQ(d.rule->policy, "default/p1234");
  request.path = "/r/12345";
  const auto miss = decide(policies, request);
  EXPECT_FALSE(miss.allowed);
  ASSERT_TRUE(miss.nearest);
  EXPECT_EQ(miss.nearest->rule.policy, "default/p0");
  EXPECT_EQ(miss.nearest->field, "to.paths");
}

}  // namespace
}  // namespace gatehouse::authz
