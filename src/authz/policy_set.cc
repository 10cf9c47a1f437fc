#include "authz/policy_set.h"

#include <algorithm>

#include "authz/rule.h"

namespace gatehouse::authz {
namespace {

Verdict decide(const RuleGroup& deny, const RuleGroup& allow, const Facts& facts) {
  if (auto hit = deny.first_match(facts, nullptr)) return {false, hit, kDeniedByRule, {}};
  if (allow.policy_count() == 0) return {true, std::nullopt, kNoAllowPolicy, {}};
  Verdict miss{false, std::nullopt, kNoAllowRuleMatched, {}};
  if (auto hit = allow.first_match(facts, &miss.nearest)) return {true, hit, kAllowedByRule, {}};
  return miss;
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
      return CompileError{policy.id(), "action CUSTOM (provider \"" + policy.provider +
                                           "\") is not supported yet: gatehouse cannot call "
                                           "external authorizers, and ignoring the policy "
                                           "would open access"};
    auto compiled = std::make_shared<CompiledPolicy>();
    compiled->name = policy.metadata.namespace_ + "/" + policy.metadata.name;
    compiled->action = policy.action;
    compiled->dry_run = policy.dry_run;
    compiled->first_rule_id = static_cast<uint32_t>(set.rules_.size());
    for (const config::Rule& rule : policy.rules.value_or(std::vector<config::Rule>{})) {
      auto rule_or_error = CompiledRule::compile(rule);
      if (auto* error = std::get_if<std::string>(&rule_or_error))
        return CompileError{policy.id(), std::move(*error)};
      compiled->rules.push_back(std::move(std::get<CompiledRule>(rule_or_error)));
    }
    for (std::size_t i = 0; i < compiled->rules.size(); ++i)
      set.rules_.push_back({compiled->name, i, compiled->action, compiled->dry_run});
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
    RuleGroup* group = &out->audit;  // AUDIT never decides, dry-run or not
    if (policy.action == Action::Allow) group = policy.dry_run ? &out->dry_run_allow : &out->allow;
    if (policy.action == Action::Deny) group = policy.dry_run ? &out->dry_run_deny : &out->deny;
    group->add(entry.policy);
  }
  return out;
}

Decision evaluate(const WorkloadPolicies& policies, const Request& request) {
  const Facts facts(request);
  Decision decision{decide(policies.deny, policies.allow, facts),
                    policies.audit.first_match(facts, nullptr), std::nullopt};
  if (policies.dry_run_allow.policy_count() + policies.dry_run_deny.policy_count() > 0)
    decision.dry_run = decide(policies.dry_run_deny, policies.dry_run_allow, facts);
  return decision;
}

}  // namespace gatehouse::authz
