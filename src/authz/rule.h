// AuthorizationPolicy rules compiled into matchers, and the request facts they are matched
// against. Internal to the authz module: policy_set.h is the interface.
#pragma once

#include <optional>
#include <string>
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

class CompiledRule {
 public:
  // The rule, or why one of its values cannot be matched (config validation should have
  // refused it already; refusing here keeps an unusable rule from silently changing access).
  static std::variant<CompiledRule, std::string> compile(const config::Rule& rule);

  bool matches(const Facts& facts) const;

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
    std::vector<std::string> path;  // header name or claim path
    std::variant<Constraint<Pattern>, Constraint<IpRange>, Constraint<uint32_t>,
                 Constraint<PrincipalPattern>>
        values;
  };

  static std::variant<Source, std::string> compile(const config::Source& source);
  static std::variant<Condition, std::string> compile(const config::Condition& condition);
  static bool matches(const Source& source, const Facts& facts);
  static bool matches(const Operation& operation, const Facts& facts);
  static bool matches(const Condition& condition, const Facts& facts);

  std::vector<Source> from_;
  std::vector<Operation> to_;
  std::vector<Condition> when_;
};

struct CompiledPolicy {
  std::string name;  // "namespace/name"
  config::AuthorizationPolicy::Action action;
  bool dry_run = false;
  std::vector<CompiledRule> rules;  // empty for an ALLOW policy that allows nothing
};

}  // namespace gatehouse::authz
