// AuthorizationPolicy rules compiled into matchers, and the request facts they are matched
// against. Internal to the authz module: policy_set.h is the interface.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "authz/matchers.h"
#include "authz/request.h"
#include "config/security_resources.h"

namespace gatehouse::authz {

// What a request offers for matching, parsed once per evaluation rather than once per rule.
struct Facts {
  explicit Facts(const Request& request);

  const Request& request;
  std::optional<IpAddress> source_ip, remote_ip, destination_ip;
};

// How far a request got through one rule: the constrained fields that held, and the first one
// that did not (empty when the rule matched). The field names are stable text for
// explanations, such as "to.paths" or "when request.auth.claims[groups] values".
struct RuleCheck {
  std::size_t passed = 0;
  std::string_view failed_at;
  bool matched() const { return failed_at.empty(); }
};

class CompiledRule {
 public:
  // The rule, or why one of its values cannot be matched (config validation should have
  // refused it already; refusing here keeps an unusable rule from silently changing access).
  static std::variant<CompiledRule, std::string> compile(const config::Rule& rule);

  RuleCheck check(const Facts& facts) const;
  // The operations' `paths` values when every operation constrains the path with them (a
  // request on another path cannot match the rule); empty otherwise. For the path index.
  std::vector<const Pattern*> required_paths() const;

 private:
  struct Source {
    // principals, namespaces and serviceAccounts: all read the peer's mTLS identity, which
    // gatehouse never has, so positive values never match and `not` values always pass.
    Constraint<std::string> peer_identity;
    Constraint<PrincipalPattern> request_principals;
    Constraint<IpRange> ip_blocks, remote_ip_blocks;
  };
  struct Operation {
    Constraint<Pattern> hosts, methods, paths;
    Constraint<uint32_t> ports;
  };
  struct Condition {
    config::ConditionKey key;
    std::vector<std::string> path;             // header name or claim path
    std::string values_name, not_values_name;  // "when KEY values", for explanations
    std::variant<Constraint<Pattern>, Constraint<IpRange>, Constraint<uint32_t>,
                 Constraint<PrincipalPattern>>
        values;
  };

  static std::variant<Source, std::string> compile(const config::Source& source);
  static std::variant<Condition, std::string> compile(const config::Condition& condition);
  static RuleCheck check(const Source& source, const Facts& facts);
  static RuleCheck check(const Operation& operation, const Facts& facts);
  static std::string_view failure(const Condition& condition, const Facts& facts);

  std::vector<Source> from_;
  std::vector<Operation> to_;
  std::vector<Condition> when_;
};

struct CompiledPolicy {
  std::string name;  // "namespace/name"
  config::AuthorizationPolicy::Action action;
  bool dry_run = false;
  uint32_t first_rule_id = 0;       // RuleRef::id of rules[0]
  std::vector<CompiledRule> rules;  // empty for an ALLOW policy that allows nothing
};

}  // namespace gatehouse::authz
