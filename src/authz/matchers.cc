#include "authz/matchers.h"

#include <arpa/inet.h>

#include <cstring>

#include "authn/identity.h"
#include "request/request_view.h"

namespace gatehouse::authz {
namespace {

bool same(std::string_view a, std::string_view b, bool ignore_case) {
  return ignore_case ? iequals(a, b) : a == b;
}

// The characters Envoy's URI template operators may capture (RFC 3986 pchar minus '/').
bool is_template_char(char c) {
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) return true;
  return std::string_view("-._~%!$&'()+,;:@=").find(c) != std::string_view::npos;
}

// Whole-string match of `path` against a validated template. {*} takes one or more
// characters of a segment, {**} zero or more across segments; validation keeps {**} last and
// every {*} a whole segment, so the backtracking stays shallow.
bool match_template(std::string_view tmpl, std::string_view path) {
  while (!tmpl.empty()) {
    const bool rest = tmpl.starts_with("{**}");
    if (rest || tmpl.starts_with("{*}")) {
      tmpl.remove_prefix(rest ? 4 : 3);
      const std::size_t at_least = rest ? 0 : 1;
      for (std::size_t taken = 0; taken <= path.size(); ++taken) {
        if (taken > 0) {
          const char last = path[taken - 1];
          if (!is_template_char(last) && !(rest && last == '/')) return false;
        }
        if (taken >= at_least && match_template(tmpl, path.substr(taken))) return true;
      }
      return false;
    }
    if (path.empty() || path.front() != tmpl.front()) return false;
    tmpl.remove_prefix(1);
    path.remove_prefix(1);
  }
  return path.empty();
}

}  // namespace

Pattern Pattern::parse(std::string_view text, Star star, bool ignore_case) {
  Pattern p;
  p.ignore_case_ = ignore_case;
  if (text == "*") {
    p.kind_ = star == Star::Present ? Kind::Present : Kind::NonEmpty;
  } else if (text.starts_with('*')) {  // before the prefix form: `*a*` is suffix "a*"
    p.kind_ = Kind::Suffix;
    p.text_ = text.substr(1);
  } else if (text.ends_with('*')) {
    p.kind_ = Kind::Prefix;
    p.text_ = text.substr(0, text.size() - 1);
  } else {
    p.text_ = text;
  }
  return p;
}

Pattern Pattern::parse_path(std::string_view text) {
  if (text.find("{*") == std::string_view::npos) return parse(text, Star::NonEmpty);
  Pattern p;
  p.kind_ = Kind::Template;
  p.text_ = text;
  return p;
}

bool Pattern::matches(std::string_view value) const {
  switch (kind_) {
    case Kind::Exact:
      return same(value, text_, ignore_case_);
    case Kind::Prefix:
      return value.size() >= text_.size() &&
             same(value.substr(0, text_.size()), text_, ignore_case_);
    case Kind::Suffix:
      return value.size() >= text_.size() &&
             same(value.substr(value.size() - text_.size()), text_, ignore_case_);
    case Kind::Present:
      return true;
    case Kind::NonEmpty:
      return !value.empty();
    case Kind::Template:
      return match_template(text_, value);
  }
  return false;
}

std::optional<Pattern::IndexKey> Pattern::index_key() const {
  using Key = IndexKey::Kind;
  if (ignore_case_) return std::nullopt;
  switch (kind_) {
    case Kind::Exact:
      return IndexKey{Key::Exact, text_};
    case Kind::Prefix:
      return IndexKey{Key::Prefix, text_};
    case Kind::Suffix:
      return IndexKey{Key::Suffix, text_};
    case Kind::Template: {
      const std::string_view head = std::string_view(text_).substr(0, text_.find('{'));
      if (head.empty()) return std::nullopt;
      return IndexKey{Key::Prefix, head};
    }
    case Kind::Present:
    case Kind::NonEmpty:
      break;
  }
  return std::nullopt;
}

std::optional<IpAddress> IpAddress::parse(std::string_view text) {
  const std::string copy(text);  // inet_pton wants a terminated string
  IpAddress ip;
  ip.v6 = copy.find(':') != std::string::npos;
  if (inet_pton(ip.v6 ? AF_INET6 : AF_INET, copy.c_str(), ip.bytes.data()) != 1)
    return std::nullopt;
  return ip;
}

std::optional<IpRange> IpRange::parse(std::string_view text) {
  const auto slash = text.find('/');
  auto base = IpAddress::parse(text.substr(0, slash));
  if (!base) return std::nullopt;
  IpRange range;
  range.base_ = *base;
  const int max_bits = base->v6 ? 128 : 32;
  range.prefix_bits_ = max_bits;
  if (slash != std::string_view::npos) {
    const std::string_view bits = text.substr(slash + 1);
    if (bits.empty() || bits.size() > 3) return std::nullopt;
    int n = 0;
    for (char c : bits) {
      if (c < '0' || c > '9') return std::nullopt;
      n = n * 10 + (c - '0');
    }
    if (n > max_bits) return std::nullopt;
    range.prefix_bits_ = n;
  }
  return range;
}

bool IpRange::contains(const IpAddress& ip) const {
  if (ip.v6 != base_.v6) return false;
  const int whole = prefix_bits_ / 8, rest = prefix_bits_ % 8;
  if (std::memcmp(ip.bytes.data(), base_.bytes.data(), whole) != 0) return false;
  if (rest == 0) return true;
  const auto mask = static_cast<uint8_t>(0xff << (8 - rest));
  return (ip.bytes[whole] & mask) == (base_.bytes[whole] & mask);
}

PrincipalPattern PrincipalPattern::parse(std::string_view text) {
  constexpr auto star = Pattern::Star::NonEmpty;
  PrincipalPattern p;
  const auto slash = text.rfind('/');
  if (text == "*") {
    p.issuer_ = p.subject_ = Pattern::parse("*", star);
  } else if (slash != std::string_view::npos) {
    p.issuer_ = Pattern::parse(text.substr(0, slash), star);
    p.subject_ = Pattern::parse(text.substr(slash + 1), star);
  } else if (text.starts_with('*')) {  // no '/': the wildcard side decides which claim it is
    p.issuer_ = Pattern::parse("*", star);
    p.subject_ = Pattern::parse(text, star);
  } else if (text.ends_with('*')) {
    p.issuer_ = Pattern::parse(text, star);
    p.subject_ = Pattern::parse("*", star);
  } else {  // Istio asks for an empty `sub`, which a token never has: never matches
    p.issuer_ = Pattern::parse(text, star);
    p.subject_ = Pattern::parse("", star);
  }
  return p;
}

bool PrincipalPattern::matches(const authn::Identity* identity) const {
  // Identity keeps an absent iss/sub as empty, and Istio matches neither when missing.
  return identity && !identity->issuer.empty() && !identity->subject.empty() &&
         issuer_.matches(identity->issuer) && subject_.matches(identity->subject);
}

}  // namespace gatehouse::authz
