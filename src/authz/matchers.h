// The value matchers AuthorizationPolicy fields compile to: Istio string patterns (with path
// templates), IP ranges, request principals, and the values/notValues pair that combines them.
// Internal to the authz module; pure, built once at config load and only read afterwards.
#pragma once

#include <algorithm>
#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace gatehouse::authn {
struct Identity;
}

namespace gatehouse::authz {

// One Istio string pattern: exact, `prefix*`, `*suffix`, `*`, or for paths a URI template
// with {*} and {**}.
class Pattern {
 public:
  // What a lone `*` asks for: header-backed fields (hosts, methods, request.headers) only
  // want the header to be there, even empty; every other field wants a non-empty value.
  enum class Star { Present, NonEmpty };

  static Pattern parse(std::string_view text, Star star, bool ignore_case = false);
  // `text` as a `paths` value: templates are recognized, `*` wants a non-empty path.
  static Pattern parse_path(std::string_view text);

  bool matches(std::string_view value) const;

  // How a path index can file this pattern: under its exact value, a prefix (a template's
  // literal head counts) or a suffix. None for `*`, a template that opens with an operator,
  // or a case-insensitive pattern, which must be tried on every request.
  struct IndexKey {
    enum class Kind { Exact, Prefix, Suffix } kind;
    std::string_view text;
  };
  std::optional<IndexKey> index_key() const;

 private:
  enum class Kind { Exact, Prefix, Suffix, Present, NonEmpty, Template };
  Kind kind_ = Kind::Exact;
  std::string text_;  // the literal part, or the whole template
  bool ignore_case_ = false;
};

// An IPv4 or IPv6 address in network order; families never match each other.
struct IpAddress {
  bool v6 = false;
  std::array<uint8_t, 16> bytes{};

  static std::optional<IpAddress> parse(std::string_view text);
};

// An address range from "ip" (a single host) or "ip/prefix-length".
class IpRange {
 public:
  static std::optional<IpRange> parse(std::string_view text);
  bool contains(const IpAddress& ip) const;

 private:
  IpAddress base_;
  int prefix_bits_ = 0;
};

// A requestPrincipals value (and request.auth.principal): split at the last '/' into an
// issuer and a subject pattern, each tested against the token's own `iss` and `sub`, so a
// token missing either never matches a positive value.
class PrincipalPattern {
 public:
  static PrincipalPattern parse(std::string_view text);
  bool matches(const authn::Identity* identity) const;

 private:
  Pattern issuer_, subject_;
};

// values / notValues of one field: holds when some value matches (or there are none) and no
// notValue matches. `test(matcher)` says whether one matcher accepts the request's
// attribute; an absent attribute tests false everywhere, so it fails `values` and passes
// `notValues`.
template <class Matcher>
struct Constraint {
  std::vector<Matcher> values, not_values;

  bool constrained() const { return !values.empty() || !not_values.empty(); }

  // The name of the form that failed, `name` for values and `not_name` for notValues, or
  // empty when the constraint holds: explanations name the field a request missed.
  template <class Test>
  std::string_view failure(const Test& test, std::string_view name,
                           std::string_view not_name) const {
    if (!values.empty() && std::ranges::none_of(values, test)) return name;
    if (!not_values.empty() && std::ranges::any_of(not_values, test)) return not_name;
    return {};
  }
};

}  // namespace gatehouse::authz
