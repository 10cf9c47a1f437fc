// What AuthorizationPolicy decided for one request, and why: the deciding rule, or, when no
// ALLOW rule matched, the nearest one and the first field it failed. Views point into the
// compiled policies and stay valid while they are.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "config/security_resources.h"

namespace gatehouse::authz {

using Action = config::AuthorizationPolicy::Action;

struct RuleRef {
  std::string_view policy;  // "namespace/name"
  std::size_t rule = 0;     // index in the policy's rules
  Action action = Action::Allow;
  uint32_t id = 0;  // position in PolicySet::rules(), for per-rule counters
};

// The rule a request came closest to matching, and the first field it failed, such as
// "to.paths" or "when request.auth.claims[groups] values".
struct Miss {
  RuleRef rule;
  std::string_view field;
};

inline constexpr std::string_view kDeniedByRule = "matched a DENY rule";
inline constexpr std::string_view kAllowedByRule = "matched an ALLOW rule";
inline constexpr std::string_view kNoAllowPolicy = "no ALLOW policy";
inline constexpr std::string_view kNoAllowRuleMatched = "no ALLOW rule matched";

struct Verdict {
  bool allowed = true;
  std::optional<RuleRef> rule;  // the deciding rule; none for the two "no ALLOW" reasons
  std::string_view reason = kNoAllowPolicy;
  std::optional<Miss> nearest;  // with kNoAllowRuleMatched
};

struct Decision : Verdict {
  std::optional<RuleRef> audit;    // the first matching AUDIT rule: an access-log hint
  std::optional<Verdict> dry_run;  // what the dry-run policies alone would decide, if any apply
};

// One line for people: "allowed: matched an ALLOW rule (ns/name rule 0)", "denied: no ALLOW
// rule matched (nearest: ns/name rule 0, failed at to.paths)", with "; audit: ..." and
// "; dry-run: ..." appended when they apply.
std::string explain(const Decision& decision);

}  // namespace gatehouse::authz
