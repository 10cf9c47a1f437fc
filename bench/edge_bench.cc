// select() cost for a listener with one rule and with 100 path-pattern rules, for the
// first rule matching, the last rule matching and nothing matching (the default rule); for
// rules on each of http-header, http-request-method, query-string and source-ip; and the
// cost of rendering a redirect.
#include <benchmark/benchmark.h>

#include <string>
#include <vector>

#include "edge/listener_rules.h"

namespace gatehouse::edge {
namespace {

config::RuleAction forward_to(std::string group) {
  config::RuleAction action;
  action.type = "forward";
  action.target_groups = {{.target_group_name = std::move(group), .weight = 1}};
  return action;
}

ListenerRules listener_with_rules(int count) {
  config::Listener listener;
  listener.default_actions = {forward_to("default")};
  for (int i = 1; i <= count; ++i) {
    config::ListenerRule rule;
    rule.priority = static_cast<uint32_t>(i);
    // A realistic mix: prefixes, exact paths and a middle wildcard.
    const std::string n = std::to_string(i);
    const std::string pattern = i % 3 == 0   ? "/api/v" + n + "/*"
                                : i % 3 == 1 ? "/static/" + n + "/*.png"
                                             : "/svc" + n + "/*/items/*";
    rule.conditions = {{.field = "path-pattern",
                        .values = {pattern},
                        .http_header_name = {},
                        .query_values = {},
                        .where = {}}};
    rule.actions = {forward_to("tg" + n)};
    listener.rules.push_back(std::move(rule));
  }
  return std::move(*compile(listener).rules);
}

void run_select(benchmark::State& state, int rule_count, std::string_view path) {
  const ListenerRules rules = listener_with_rules(rule_count);
  RequestView request;
  request.authority = "api.example.com:443";
  request.path = path;
  for (auto _ : state) benchmark::DoNotOptimize(&rules.select(request));
}

void BM_Select1RuleMatch(benchmark::State& state) { run_select(state, 1, "/static/1/logo.png"); }
void BM_Select1RuleDefault(benchmark::State& state) { run_select(state, 1, "/headers"); }
void BM_Select100RulesFirst(benchmark::State& state) {
  run_select(state, 100, "/static/1/logo.png");
}
void BM_Select100RulesLast(benchmark::State& state) {
  run_select(state, 100, "/static/100/logo.png");
}
void BM_Select100RulesDefault(benchmark::State& state) {
  run_select(state, 100, "/status/200/some/longer/path/segment");
}

BENCHMARK(BM_Select1RuleMatch);
BENCHMARK(BM_Select1RuleDefault);
BENCHMARK(BM_Select100RulesFirst);
BENCHMARK(BM_Select100RulesLast);
BENCHMARK(BM_Select100RulesDefault);

// ---- the other condition fields: 20 rules of one kind, the last one matching --------

config::RuleCondition condition(std::string field, std::vector<std::string> values) {
  config::RuleCondition out;
  out.field = std::move(field);
  out.values = std::move(values);
  return out;
}

// One rule per condition, or (all_in_one) one rule with every condition, then the default.
ListenerRules rules_of(const std::vector<config::RuleCondition>& conditions,
                       bool all_in_one = false) {
  config::Listener listener;
  listener.default_actions = {forward_to("default")};
  for (std::size_t i = 0; i < (all_in_one ? 1 : conditions.size()); ++i) {
    config::ListenerRule rule;
    rule.priority = static_cast<uint32_t>(i + 1);
    rule.conditions = all_in_one ? conditions : std::vector{conditions[i]};
    rule.actions = {forward_to("tg")};
    listener.rules.push_back(std::move(rule));
  }
  return std::move(*compile(listener).rules);
}

// A browser-like PATCH: common fields first, then the two the header rules read.
struct Request {
  std::vector<HeaderField> headers;
  // method, scheme, authority, path, query, peer, listener port; headers below.
  RequestView view{"PATCH",
                   "https",
                   "api.example.com",
                   "/api/v1/items/42",
                   "page=2&sort=name&filter=active&version=v19",
                   "10.0.19.7",
                   443,
                   {}};

  Request() {
    for (std::string_view name : {"Host", "Accept", "Accept-Encoding", "Accept-Language", "Cookie"})
      headers.push_back({name, "value-of-some-length"});
    headers.push_back({"User-Agent", "Mozilla/5.0 (X11; Linux x86_64) Chrome/120.0"});
    headers.push_back({"X-Tenant", "tenant-19"});
    view.headers = headers;
  }
};

void run_rules(benchmark::State& state, const ListenerRules& rules, bool expect_match) {
  const Request request;
  if (rules.select(request.view).is_default() == expect_match) state.SkipWithError("wrong rule");
  for (auto _ : state) benchmark::DoNotOptimize(&rules.select(request.view));
}

void BM_Select20HeaderRules(benchmark::State& state) {
  std::vector<config::RuleCondition> conditions;
  for (int i = 0; i < 20; ++i) {
    conditions.push_back(condition("http-header", {"tenant-" + std::to_string(i)}));
    conditions.back().http_header_name = "X-Tenant";
  }
  run_rules(state, rules_of(conditions), true);
}

void BM_Select20MethodRules(benchmark::State& state) {
  std::vector<config::RuleCondition> conditions;
  for (int i = 0; i < 19; ++i)
    conditions.push_back(condition("http-request-method", {"M" + std::string(1, char('A' + i))}));
  conditions.push_back(condition("http-request-method", {"PATCH"}));
  run_rules(state, rules_of(conditions), true);
}

void BM_Select20QueryRules(benchmark::State& state) {
  std::vector<config::RuleCondition> conditions;
  for (int i = 0; i < 20; ++i) {
    conditions.push_back(condition("query-string", {}));
    conditions.back().query_values = {{.key = "version", .value = "v" + std::to_string(i)}};
  }
  run_rules(state, rules_of(conditions), true);
}

void BM_Select20SourceIpRules(benchmark::State& state) {
  std::vector<config::RuleCondition> conditions;
  for (int i = 0; i < 20; ++i)
    conditions.push_back(condition("source-ip", {"10.0." + std::to_string(i) + ".0/24"}));
  run_rules(state, rules_of(conditions), true);
}

// All six fields in one rule that matches; the realistic worst case of one rule.
void BM_SelectEveryFieldInOneRule(benchmark::State& state) {
  config::RuleCondition header = condition("http-header", {"*Chrome*"});
  header.http_header_name = "User-Agent";
  config::RuleCondition query = condition("query-string", {});
  query.query_values = {{.key = "version", .value = "v1?"}};
  run_rules(
      state,
      rules_of({condition("path-pattern", {"/api/*"}), condition("host-header", {"*.example.com"}),
                header, condition("http-request-method", {"PATCH"}), query,
                condition("source-ip", {"10.0.0.0/16"})},
               true),
      true);
}

void BM_RenderRedirect(benchmark::State& state) {
  config::RuleAction action;
  action.type = "redirect";
  action.redirect = config::RedirectConfig{};
  action.redirect->protocol = "HTTPS";
  action.redirect->port = "443";
  action.redirect->status_code = 301;
  std::vector<RuleError> errors;
  const auto redirect = compile_redirect(action, {.protocol = "HTTP", .port = 80}, errors);
  const Request request;
  for (auto _ : state) benchmark::DoNotOptimize(render(*redirect, request.view));
}

BENCHMARK(BM_Select20HeaderRules);
BENCHMARK(BM_Select20MethodRules);
BENCHMARK(BM_Select20QueryRules);
BENCHMARK(BM_Select20SourceIpRules);
BENCHMARK(BM_SelectEveryFieldInOneRule);
BENCHMARK(BM_RenderRedirect);

}  // namespace
}  // namespace gatehouse::edge
