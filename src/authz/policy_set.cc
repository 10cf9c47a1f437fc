#include "authz/policy_set.h"

#include <algorithm>

#include "authz/rule.h"

namespace gatehouse::authz {
namespace {

std::optional<RuleRef> first_match(const PolicyGroup& group, const Facts& facts) {
  for (const auto& policy : group)
    for (std::size_t i = 0; i < policy->rules.size(); ++i)
      if (policy->rules[i].matches(facts)) return RuleRef{policy->name, i, policy->action};
  return std::nullopt;
}

Verdict decide(const PolicyGroup& deny, const PolicyGroup& allow, const Facts& facts) {
  if (auto hit = first_match(deny, facts)) return {false, hit, kDeniedByRule};
  if (allow.empty()) return {true, std::nullopt, kNoAllowPolicy};
  if (auto hit = first_match(allow, facts)) return {true, hit, kAllowedByRule};
  return {false, std::nullopt, kNoAllowRuleMatched};
}

bool selects(const config::Labels& selector, const config::Labels& labels) {
  return std::ranges::all_of(selector, [&labels](const auto& entry) {
    auto found = labels.find(entry.first);
    return found != labels.end() && found->second == entry.second;
  });
}

}  // namespace

std::variant<PolicySet, CompileError> PolicySet::compile(
    const std::vector<config::AuthorizationPolicy>& policies, std::string_view root_namespace) {
  PolicySet set;
  set.root_namespace_ = root_namespace;
  for (const config::AuthorizationPolicy& policy : policies) {
    if (policy.action == Action::Custom)
      return CompileError{policy.id(), "CUSTOM needs an external authorizer, not supported yet"};
    auto compiled = std::make_shared<CompiledPolicy>();
    compiled->name = policy.metadata.namespace_ + "/" + policy.metadata.name;
    compiled->action = policy.action;
    compiled->dry_run = policy.dry_run;
    for (const config::Rule& rule : policy.rules.value_or(std::vector<config::Rule>{})) {
      auto rule_or_error = CompiledRule::compile(rule);
      if (auto* error = std::get_if<std::string>(&rule_or_error))
        return CompileError{policy.id(), std::move(*error)};
      compiled->rules.push_back(std::move(std::get<CompiledRule>(rule_or_error)));
    }
    set.entries_.push_back({policy.metadata.namespace_, policy.selector, std::move(compiled)});
  }
  return set;
}

std::shared_ptr<const WorkloadPolicies> PolicySet::for_workload(
    std::string_view ns, const config::Labels& labels) const {
  auto out = std::make_shared<WorkloadPolicies>();
  for (const Entry& entry : entries_) {
    if ((entry.ns != ns && entry.ns != root_namespace_) || !selects(entry.selector, labels))
      continue;
    const CompiledPolicy& policy = *entry.policy;
    PolicyGroup* group = &out->audit;  // AUDIT never decides, dry-run or not
    if (policy.action == Action::Allow) group = policy.dry_run ? &out->dry_run_allow : &out->allow;
    if (policy.action == Action::Deny) group = policy.dry_run ? &out->dry_run_deny : &out->deny;
    group->push_back(entry.policy);
  }
  return out;
}

Decision evaluate(const WorkloadPolicies& policies, const Request& request) {
  const Facts facts(request);
  Decision decision{decide(policies.deny, policies.allow, facts),
                    first_match(policies.audit, facts), std::nullopt};
  if (!policies.dry_run_allow.empty() || !policies.dry_run_deny.empty())
    decision.dry_run = decide(policies.dry_run_deny, policies.dry_run_allow, facts);
  return decision;
}

}  // namespace gatehouse::authz
