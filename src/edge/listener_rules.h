// An ALB listener's rules, compiled once per config snapshot: conditions become matchers,
// rules are ordered by priority with the default rule last, and select() picks the rule
// for a request. Thread-safety: immutable after compile(); select() is safe to call from
// every worker at once.
//
//   auto compiled = edge::compile(listener);
//   if (!compiled.rules) report(compiled.errors);
//   const edge::Rule& rule = compiled.rules->select(request);
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "config/resources.h"
#include "edge/actions.h"
#include "edge/conditions.h"
#include "request/request_view.h"

namespace gatehouse::edge {

struct Rule {
  std::optional<uint32_t> priority;   // absent for the default rule
  std::string name;                   // the priority in decimal, or "default"
  std::vector<Condition> conditions;  // all must match; none for the default rule
  std::vector<Action> actions;        // by Order; the last one ends the rule
  // The authenticate-oidc action that runs first, as an index into ListenerRules::logins().
  std::optional<uint32_t> login;

  bool is_default() const { return !priority.has_value(); }
};

struct CompileResult;

class ListenerRules {
 public:
  // The first rule, by ascending priority, whose conditions all match; the default rule
  // when none does. Never fails.
  const Rule& select(const RequestView& request) const;

  // Ascending priority, the default rule last; the index is stable for a snapshot, so the
  // engine can key per-rule metrics by it.
  std::span<const Rule> rules() const { return rules_; }
  // The listener's authenticate-oidc actions, one per rule that has one, in rules() order.
  std::span<const config::AuthenticateOidcConfig> logins() const { return logins_; }

 private:
  ListenerRules(std::vector<Rule> rules, std::vector<config::AuthenticateOidcConfig> logins)
      : rules_(std::move(rules)), logins_(std::move(logins)) {}
  friend CompileResult compile(const config::Listener& listener);

  std::vector<Rule> rules_;  // constant after construction; back() is the default rule
  std::vector<config::AuthenticateOidcConfig> logins_;
};

struct CompileResult {
  std::optional<ListenerRules> rules;  // set exactly when errors is empty
  std::vector<RuleError> errors;       // every problem found, in listener order
};

// Validates the listener's rules (priority 1-50000 and unique, 1+ conditions with at most
// one per field except http-header and query-string, supported fields and action types,
// redirects checked against the listener's protocol and port, 1+ default actions) and
// compiles them.
CompileResult compile(const config::Listener& listener);

}  // namespace gatehouse::edge
