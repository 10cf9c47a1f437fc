// Cost of one AuthorizationPolicy decision as the number of policies on a workload grows:
// 1, 100 and 10,000 ALLOW policies of the shape teams write (a service's exact and prefix
// paths, methods, a request principal from the issuer and a groups claim), plus a DENY policy
// on an admin prefix. Measured for an allowed request (exact and prefix path) and a denial
// (no rule matches; the explanation is computed too).
#include <benchmark/benchmark.h>

#include <boost/json/parse.hpp>
#include <string>

#include "authn/identity.h"
#include "authz/policy_set.h"

namespace gatehouse::authz {
namespace {

constexpr std::string_view kIssuer = "https://dev-12345678.okta.com/oauth2/default";

config::AuthorizationPolicy service_policy(int i) {
  const std::string svc = "/api/svc" + std::to_string(i);
  config::AuthorizationPolicy p;
  p.kind = "AuthorizationPolicy";
  p.metadata.name = "svc" + std::to_string(i);
  p.metadata.namespace_ = "foo";
  p.action = Action::Allow;
  config::Rule rule;
  config::Source source;
  source.request_principals = {std::string(kIssuer) + "/*"};
  rule.from.push_back(source);
  config::Operation op;
  op.paths = {svc + "/items", svc + "/orders/*"};
  op.methods = {"GET", "POST"};
  rule.to.push_back(op);
  config::Condition groups;
  groups.attribute = config::ConditionKey::RequestClaims;
  groups.key = "request.auth.claims[groups]";
  groups.path = {"groups"};
  groups.values = {"svc" + std::to_string(i) + "-users"};
  rule.when.push_back(groups);
  p.rules = std::vector{rule};
  return p;
}

config::AuthorizationPolicy admin_deny() {
  config::AuthorizationPolicy p;
  p.kind = "AuthorizationPolicy";
  p.metadata.name = "no-admin";
  p.metadata.namespace_ = "foo";
  p.action = Action::Deny;
  config::Rule rule;
  config::Operation op;
  op.paths = {"/admin/*"};
  rule.to.push_back(op);
  p.rules = std::vector{rule};
  return p;
}

struct Fixture {
  PolicySet set;
  std::shared_ptr<const WorkloadPolicies> workload;
  authn::Identity identity;
  int target;

  explicit Fixture(int policies)
      : set(compile(policies)), workload(set.for_workload("foo", {})), target(policies / 2) {
    identity.claims = boost::json::parse(R"({"iss":")" + std::string(kIssuer) +
                                         R"(","sub":"alice","groups":["svc)" +
                                         std::to_string(target) + R"(-users"]})")
                          .as_object();
    identity.issuer = kIssuer;
    identity.subject = "alice";
  }

  static PolicySet compile(int n) {
    std::vector<config::AuthorizationPolicy> policies{admin_deny()};
    for (int i = 0; i < n; ++i) policies.push_back(service_policy(i));
    return std::get<PolicySet>(PolicySet::compile(policies, "istio-system"));
  }

  void run(benchmark::State& state, const std::string& path, bool expect_allowed) {
    Request request;
    request.http.method = "GET";
    request.http.authority = "httpbin.example.com";
    request.http.path = path;
    request.http.peer_ip = "10.1.2.3";
    request.http.listener_port = 8000;
    request.identity = &identity;
    for (auto _ : state) {
      Decision d = evaluate(*workload, request);
      benchmark::DoNotOptimize(d);
      if (d.allowed != expect_allowed) state.SkipWithError("unexpected decision");
    }
  }
};

void BM_ExactPath(benchmark::State& state) {
  Fixture f(static_cast<int>(state.range(0)));
  f.run(state, "/api/svc" + std::to_string(f.target) + "/items", true);
}
void BM_PrefixPath(benchmark::State& state) {
  Fixture f(static_cast<int>(state.range(0)));
  f.run(state, "/api/svc" + std::to_string(f.target) + "/orders/1234", true);
}
void BM_NoRuleMatches(benchmark::State& state) {
  Fixture f(static_cast<int>(state.range(0)));
  f.run(state, "/api/unknown/items", false);
}
BENCHMARK(BM_ExactPath)->Arg(1)->Arg(100)->Arg(10000);
BENCHMARK(BM_PrefixPath)->Arg(1)->Arg(100)->Arg(10000);
BENCHMARK(BM_NoRuleMatches)->Arg(1)->Arg(100)->Arg(10000);

}  // namespace
}  // namespace gatehouse::authz
