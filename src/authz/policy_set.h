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

#include "authz/request.h"
#include "config/resources.h"

namespace gatehouse::authz {

using Action = config::AuthorizationPolicy::Action;

struct CompiledPolicy;  // rule.h
using PolicyGroup = std::vector<std::shared_ptr<const CompiledPolicy>>;

// The policies that apply to one workload, grouped by what they do. Shared and read-only.
struct WorkloadPolicies {
  PolicyGroup allow, deny, audit;           // enforced
  PolicyGroup dry_run_allow, dry_run_deny;  // evaluated for the record only
};

// The rule that matched. `policy` ("namespace/name") points into the WorkloadPolicies the
// decision came from and is valid while they are.
struct RuleRef {
  std::string_view policy;
  std::size_t rule = 0;  // index in the policy's rules
  Action action = Action::Allow;
};

// Why a request was allowed or denied.
inline constexpr std::string_view kDeniedByRule = "matched a DENY rule";
inline constexpr std::string_view kAllowedByRule = "matched an ALLOW rule";
inline constexpr std::string_view kNoAllowPolicy = "no ALLOW policy";
inline constexpr std::string_view kNoAllowRuleMatched = "no ALLOW rule matched";

struct Verdict {
  bool allowed = true;
  std::optional<RuleRef> rule;  // the deciding rule; none for the two "no ALLOW" reasons
  std::string_view reason = kNoAllowPolicy;
};

struct Decision : Verdict {
  std::optional<RuleRef> audit;    // the first matching AUDIT rule: an access-log hint
  std::optional<Verdict> dry_run;  // what the dry-run policies alone would decide, if any apply
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

 private:
  struct Entry {
    std::string ns;
    config::Labels selector;
    std::shared_ptr<const CompiledPolicy> policy;
  };
  std::string root_namespace_;
  std::vector<Entry> entries_;
};

// DENY wins over ALLOW; without an enforced ALLOW policy everything else is allowed; with
// one, only what some ALLOW rule matches.
Decision evaluate(const WorkloadPolicies& policies, const Request& request);

}  // namespace gatehouse::authz
