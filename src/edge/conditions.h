// The conditions of an ALB listener rule: path-pattern, host-header, http-header,
// http-request-method, query-string and source-ip, compiled once. A condition's values
// are OR'ed; a rule ANDs its conditions.
// Thread-safety: compiled conditions are immutable and safe to share; RequestFacts belongs
// to one select() call.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "config/resources.h"
#include "edge/glob.h"
#include "edge/ip_prefix.h"
#include "edge/query_string.h"
#include "edge/rule_error.h"
#include "request/request_view.h"

namespace gatehouse::edge {

using ConditionField = config::ConditionField;

std::string_view field_name(ConditionField field);

// What conditions compare against, taken from one request. ALB matches visible ASCII
// only, so a value with a control character (0x00-0x1f, 0x7f) is absent here and no
// condition on it can match. The peer address and the query parameters are parsed on
// first use, so rules that do not ask for them cost nothing.
class RequestFacts {
 public:
  explicit RequestFacts(const RequestView& request);
  RequestFacts(const RequestFacts&) = delete;  // the query parameters view its own storage
  RequestFacts& operator=(const RequestFacts&) = delete;

  const RequestView& request() const { return request_; }
  std::optional<std::string_view> path() const { return path_; }  // URL path, no query
  std::optional<std::string_view> host() const { return host_; }  // Host without its port
  // The TCP peer (never X-Forwarded-For); nullopt when it is not an IP address.
  const std::optional<IpAddress>& peer() const;
  const std::vector<QueryParameter>& query() const;  // decoded, see parse_query()

 private:
  const RequestView& request_;
  std::optional<std::string_view> path_;
  std::optional<std::string_view> host_;
  struct Query {
    std::string storage;
    std::vector<QueryParameter> parameters;
  };
  mutable bool peer_parsed_ = false;
  mutable std::optional<IpAddress> peer_;
  mutable std::optional<Query> query_;  // engaged once parsed; nothing to build or free before
};

// One query-string value: a key pattern (none: any key) and a value pattern.
struct QueryPattern {
  std::optional<Glob> key;
  Glob value;
};

struct Condition {
  ConditionField field;
  std::vector<Glob> any_of;          // path-pattern, host-header, http-header
  std::string header_name;           // http-header
  std::vector<std::string> methods;  // http-request-method, compared exactly
  std::vector<QueryPattern> query;   // query-string
  std::vector<IpPrefix> sources;     // source-ip

  bool matches(const RequestFacts& facts) const;
};

// nullopt (with the reasons appended to `errors`) for unknown fields, no values, empty
// values, values longer than Glob::kMaxPatternLength, bad escapes in query-string values,
// an http-header condition without a header name, and source-ip values that are not CIDR
// blocks (see IpPrefix::parse).
std::optional<Condition> compile_condition(const config::RuleCondition& condition,
                                           std::vector<RuleError>& errors);

}  // namespace gatehouse::edge
