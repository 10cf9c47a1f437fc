// One compiled HTTPMatchRequest: the request conditions of a single Envoy route (uri,
// scheme/method/authority, headers, withoutHeaders, queryParams, JWT claim conditions).
// Internal to the mesh module. Thread-safety: immutable after compile; const use only.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "config/resources.h"
#include "mesh/value_matcher.h"
#include "request/request_view.h"

namespace gatehouse::mesh {

class RequestMatch {
 public:
  // `match` null stands for an HTTPRoute without `match` (no conditions). Returns the first
  // problem found (bad regex, malformed claim key) as text.
  static std::variant<RequestMatch, std::string> compile(const config::HttpMatch* match);

  // All conditions hold (ANDed).
  bool matches(const RequestView& request, const ClaimSource* claims) const;

  // Istio IsCatchAllRoute: uri absent, prefix "/" or regex ".*", and no header, query or
  // claim condition (method, scheme and authority are header conditions in Envoy).
  bool is_catch_all() const;

  bool has_claim_conditions() const { return !claims_.empty(); }

  // How many leading path characters a `rewrite.uri` replaces: the prefix length for a
  // prefix match, 1 for no uri condition (Envoy's implicit prefix "/"); nullopt for exact and
  // regex matches, where the whole path is replaced.
  std::optional<std::size_t> rewritten_prefix_length() const;

 private:
  enum class UriKind { Any, Exact, Prefix, Regex };
  struct HeaderCondition {
    std::string name;
    ValueMatcher match;
    bool negated;  // withoutHeaders
  };
  struct ClaimCondition {
    std::vector<std::string> path;
    ValueMatcher match;
    bool negated;
  };
  struct QueryCondition {
    std::string name;
    ValueMatcher match;
  };

  RequestMatch() = default;
  std::optional<std::string> add_headers(const std::vector<config::NamedMatch>& headers,
                                         bool negated);
  bool header_holds(const HeaderCondition& condition, const RequestView& request) const;

  UriKind uri_kind_ = UriKind::Any;
  std::optional<ValueMatcher> uri_;
  std::optional<ValueMatcher> scheme_, method_, authority_;
  std::vector<HeaderCondition> headers_;
  std::vector<ClaimCondition> claims_;
  std::vector<QueryCondition> query_;
};

// The first value of query parameter `name` in a raw query string ("a=1&b=2"), undecoded as
// Envoy matches it; a parameter without '=' has the empty value.
std::optional<std::string_view> first_query_value(std::string_view query, std::string_view name);

}  // namespace gatehouse::mesh
