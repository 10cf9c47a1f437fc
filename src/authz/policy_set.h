// Istio AuthorizationPolicy for gatehouse: policies compiled once at config load, selected per
// workload, and evaluated per request by one const function (CUSTOM, then DENY, then ALLOW;
// AUDIT and dry-run policies are evaluated and reported but never decide). Pure, no I/O.
#pragma once

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "authz/decision.h"
#include "authz/request.h"
#include "authz/rule_group.h"
#include "config/resources.h"

namespace gatehouse::authz {

// The policies that apply to one workload, grouped by what they do. Shared and read-only.
struct WorkloadPolicies {
  RuleGroup allow, deny, audit;           // enforced
  RuleGroup dry_run_allow, dry_run_deny;  // evaluated for the record only
  bool empty() const {
    return allow.policy_count() + deny.policy_count() + audit.policy_count() +
               dry_run_allow.policy_count() + dry_run_deny.policy_count() ==
           0;
  }
};

// One rule of the set, by RuleRef::id: what metrics label a decision with.
struct RuleInfo {
  std::string_view policy;  // "namespace/name"
  std::size_t rule = 0;
  Action action = Action::Allow;
  bool dry_run = false;
};

struct CompileError {
  std::string policy;  // "AuthorizationPolicy/namespace/name"
  std::string message;
};

class PolicySet {
 public:
  // Refuses CUSTOM policies (no external authorizer yet) and values no matcher can read.
  static std::variant<PolicySet, CompileError> compile(
      const std::vector<config::AuthorizationPolicy>& policies, std::string_view root_namespace);

  // Istio's selection: policies in the root namespace and in `ns` whose selector labels are
  // all among `labels` (an empty selector takes every workload), collected, never overridden.
  std::shared_ptr<const WorkloadPolicies> for_workload(std::string_view ns,
                                                       const config::Labels& labels) const;

  // Every rule of every policy, indexed by RuleRef::id; valid while this set is.
  const std::vector<RuleInfo>& rules() const { return rules_; }

 private:
  struct Entry {
    std::string ns;
    config::Labels selector;
    std::shared_ptr<const CompiledPolicy> policy;
  };
  std::string root_namespace_;
  std::vector<Entry> entries_;
  std::vector<RuleInfo> rules_;
};

// DENY wins over ALLOW; without an enforced ALLOW policy everything else is allowed; with
// one, only what some ALLOW rule matches.
Decision evaluate(const WorkloadPolicies& policies, const Request& request);

}  // namespace gatehouse::authz
