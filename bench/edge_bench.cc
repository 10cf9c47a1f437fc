// select() cost for a listener with one rule and with 100 path-pattern rules, for the
// first rule matching, the last rule matching and nothing matching (the default rule).
#include <benchmark/benchmark.h>

#include <string>

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
    rule.conditions = {
        {.field = "path-pattern", .values = {pattern}, .http_header_name = {}, .where = {}}};
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

}  // namespace
}  // namespace gatehouse::edge
