#include "edge/listener_rules.h"

#include <algorithm>
#include <set>

namespace gatehouse::edge {
namespace {

constexpr uint32_t kMinPriority = 1;
constexpr uint32_t kMaxPriority = 50000;

// ALB allows several http-header and query-string conditions in a rule, one of the others.
bool repeatable(ConditionField field) {
  return field == ConditionField::HttpHeader || field == ConditionField::QueryString;
}

std::optional<Rule> compile_rule(const config::ListenerRule& rule, const ListenerInfo& listener,
                                 std::vector<RuleError>& errors) {
  const std::size_t errors_before = errors.size();
  const std::string name = std::to_string(rule.priority);
  if (rule.priority < kMinPriority || rule.priority > kMaxPriority)
    errors.push_back({rule.where, "rule priority " + name + " is outside 1-50000"});
  if (rule.conditions.empty())
    errors.push_back({rule.where, "rule " + name + " has no conditions"});

  std::vector<Condition> conditions;
  std::set<ConditionField> seen;
  for (const auto& condition : rule.conditions) {
    auto compiled = compile_condition(condition, errors);
    if (!compiled) continue;
    if (!repeatable(compiled->field) && !seen.insert(compiled->field).second) {
      errors.push_back({condition.where, "rule " + name + " has more than one " +
                                             std::string(field_name(compiled->field)) +
                                             " condition"});
      continue;
    }
    conditions.push_back(std::move(*compiled));
  }
  auto actions = compile_actions(rule.actions, "rule " + name, rule.where, errors, listener);
  if (errors.size() != errors_before) return std::nullopt;
  return Rule{.priority = rule.priority,
              .name = name,
              .conditions = std::move(conditions),
              .actions = std::move(actions),
              .login = std::nullopt};
}

// The authenticate-oidc configuration among `actions` (compile_actions allowed at most one).
const config::AuthenticateOidcConfig* first_login(std::span<const config::RuleAction> actions) {
  for (const auto& action : actions)
    if (action.authenticate_oidc) return &*action.authenticate_oidc;
  return nullptr;
}

const config::AuthenticateOidcConfig* first_login(std::span<const config::ListenerRule> rules,
                                                  uint32_t priority) {
  for (const auto& rule : rules)
    if (rule.priority == priority) return first_login(rule.actions);
  return nullptr;
}

}  // namespace

const Rule& ListenerRules::select(const RequestView& request) const {
  const RequestFacts facts(request);
  const auto last = rules_.end() - 1;
  const auto found = std::find_if(rules_.begin(), last, [&](const Rule& rule) {
    return std::all_of(rule.conditions.begin(), rule.conditions.end(),
                       [&](const Condition& condition) { return condition.matches(facts); });
  });
  return *found;  // `last`, the default rule, when nothing matched
}

CompileResult compile(const config::Listener& listener) {
  CompileResult result;
  const ListenerInfo info{.protocol = listener.protocol, .port = listener.port};
  std::vector<Rule> rules;
  std::set<uint32_t> priorities;
  for (const auto& rule : listener.rules) {
    if (!priorities.insert(rule.priority).second)
      result.errors.push_back(
          {rule.where, "rule priority " + std::to_string(rule.priority) + " is used twice"});
    if (auto compiled = compile_rule(rule, info, result.errors))
      rules.push_back(std::move(*compiled));
  }
  auto default_actions = compile_actions(listener.default_actions, "the default rule",
                                         listener.where, result.errors, info);
  if (!result.errors.empty()) return result;

  std::stable_sort(rules.begin(), rules.end(),
                   [](const Rule& a, const Rule& b) { return *a.priority < *b.priority; });
  rules.push_back(Rule{.priority = std::nullopt,
                       .name = "default",
                       .conditions = {},
                       .actions = std::move(default_actions),
                       .login = std::nullopt});
  std::vector<config::AuthenticateOidcConfig> logins;
  for (std::size_t i = 0; i + 1 < rules.size(); ++i) {
    if (const auto* login = first_login(listener.rules, *rules[i].priority)) {
      rules[i].login = static_cast<uint32_t>(logins.size());
      logins.push_back(*login);
    }
  }
  if (const auto* login = first_login(listener.default_actions)) {
    rules.back().login = static_cast<uint32_t>(logins.size());
    logins.push_back(*login);
  }
  result.rules.emplace(ListenerRules(std::move(rules), std::move(logins)));
  return result;
}

}  // namespace gatehouse::edge
