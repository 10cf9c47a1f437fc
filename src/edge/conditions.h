// The conditions of an ALB listener rule that gatehouse supports (path-pattern,
// host-header): compiled globs, values OR'ed. A rule ANDs its conditions.
// Thread-safety: compiled conditions are immutable and safe to share.
#pragma once

#include <optional>
#include <string_view>
#include <vector>

#include "config/resources.h"
#include "edge/glob.h"
#include "edge/rule_error.h"
#include "request/request_view.h"

namespace gatehouse::edge {

enum class ConditionField { PathPattern, HostHeader };

std::string_view field_name(ConditionField field);

// What conditions compare against, extracted once per request. ALB matches visible
// ASCII only, so a value with a control character (0x00-0x1f, 0x7f) is absent here
// and no condition on it can match.
struct RequestFacts {
  std::optional<std::string_view> path;  // URL path, no query
  std::optional<std::string_view> host;  // Host without its port; absent when empty

  static RequestFacts of(const RequestView& request);
};

struct Condition {
  ConditionField field;
  std::vector<Glob> any_of;

  bool matches(const RequestFacts& facts) const;
};

// nullopt (with the reasons appended to `errors`) for unknown fields, no values, empty
// values and values longer than Glob::kMaxPatternLength.
std::optional<Condition> compile_condition(const config::RuleCondition& condition,
                                           std::vector<RuleError>& errors);

}  // namespace gatehouse::edge
