#include <string>

#include "authz/decision.h"

namespace gatehouse::authz {
namespace {

void append_rule(std::string& out, const RuleRef& rule) {
  out.append(rule.policy).append(" rule ").append(std::to_string(rule.rule));
}

void append_verdict(std::string& out, const Verdict& v) {
  out.append(v.allowed ? "allowed: " : "denied: ").append(v.reason);
  if (v.rule) {
    out.append(" (");
    append_rule(out, *v.rule);
    out.append(")");
  } else if (v.nearest) {
    out.append(" (nearest: ");
    append_rule(out, v.nearest->rule);
    out.append(", failed at ").append(v.nearest->field).append(")");
  }
}

}  // namespace

std::string explain(const Decision& decision) {
  std::string out;
  append_verdict(out, decision);
  if (decision.audit) {
    out.append("; audit: ");
    append_rule(out, *decision.audit);
  }
  // Dry-run policies only add to the line when one of their rules matched or they would deny.
  if (decision.dry_run && (decision.dry_run->rule || !decision.dry_run->allowed)) {
    out.append("; dry-run: ");
    append_verdict(out, *decision.dry_run);
  }
  return out;
}

}  // namespace gatehouse::authz
