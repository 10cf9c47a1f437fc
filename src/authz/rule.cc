#include "authz/rule.h"

#include <span>

#include "authn/identity.h"

namespace gatehouse::authz {
namespace {

using config::ConditionKey;
using Star = Pattern::Star;

std::optional<IpAddress> parse_ip(std::string_view text) {
  return text.empty() ? std::nullopt : IpAddress::parse(text);
}

// Compiles values and notValues with `parse` (returning an optional matcher); the first
// value it cannot read becomes the error.
template <class Matcher, class Parse>
std::optional<Constraint<Matcher>> constrain(const std::vector<std::string>& values,
                                             const std::vector<std::string>& not_values,
                                             const Parse& parse, std::string& error) {
  Constraint<Matcher> out;
  for (auto [from, to] : {std::pair{&values, &out.values}, {&not_values, &out.not_values}}) {
    for (const std::string& text : *from) {
      std::optional<Matcher> matcher = parse(text);
      if (!matcher) {
        error = "cannot match value \"" + text + "\"";
        return std::nullopt;
      }
      to->push_back(std::move(*matcher));
    }
  }
  return out;
}

auto patterns(Star star, bool ignore_case = false) {
  return
      [=](std::string_view text) { return std::optional(Pattern::parse(text, star, ignore_case)); };
}
const auto kIpRanges = [](std::string_view text) { return IpRange::parse(text); };
// destination.port: decimal 0-65535, as validation accepts it.
const auto kPorts = [](std::string_view text) -> std::optional<uint32_t> {
  uint32_t port = 0;
  if (text.empty() || text.size() > 5) return std::nullopt;
  for (char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
    port = port * 10 + static_cast<uint32_t>(c - '0');
  }
  return port <= 65535 ? std::optional(port) : std::nullopt;
};
const auto kPrincipals = [](std::string_view text) {
  return std::optional(PrincipalPattern::parse(text));
};

// Matcher tests over one request attribute; an absent attribute fails every matcher.
auto any_element(const auto& strings) {
  return [&strings](const Pattern& p) {
    return std::ranges::any_of(strings, [&](std::string_view s) { return p.matches(s); });
  };
}
auto is(std::string_view value) {
  return [value](const Pattern& p) { return p.matches(value); };
}
auto is_present(const auto& value) {  // an optional string
  return [&value](const Pattern& p) { return value && p.matches(*value); };
}
auto within(const std::optional<IpAddress>& ip) {
  return [&ip](const IpRange& range) { return ip && range.contains(*ip); };
}
auto port_is(uint32_t port) {
  return [port](uint32_t p) { return p == port; };
}
auto principal_of(const authn::Identity* identity) {
  return [identity](const PrincipalPattern& p) { return p.matches(identity); };
}
const auto kNever = [](const auto&) { return false; };

// request.headers[name]: all values joined with ','; pseudo-headers come from the head.
std::optional<std::string> header(const RequestView& http, std::string_view name) {
  if (name == ":method") return std::string(http.method);
  if (name == ":authority") return std::string(http.authority);
  if (name == ":scheme") return std::string(http.scheme);
  if (name == ":path")
    return http.query.empty() ? std::string(http.path)
                              : std::string(http.path) + "?" + std::string(http.query);
  return http.joined_header(name);
}

// A claim's strings: the string itself, or the string elements of a list; other JSON types
// offer nothing, so they never match (Istio pitfall: `true` is not "true").
std::vector<std::string_view> claim_strings(const authn::Identity* identity,
                                            std::span<const std::string> path) {
  std::vector<std::string_view> out;
  const boost::json::value* claim = identity ? identity->claim(path) : nullptr;
  if (claim && claim->is_string()) out.push_back(claim->get_string());
  if (claim && claim->is_array())
    for (const auto& item : claim->get_array())
      if (item.is_string()) out.push_back(item.get_string());
  return out;
}

// Runs field checks in order, counting the constrained ones that held, up to the first failure.
class FieldWalk {
 public:
  template <class Matcher, class Test>
  FieldWalk& then(const Constraint<Matcher>& field, const Test& test, std::string_view name,
                  std::string_view not_name) {
    if (!check_.matched()) return *this;
    check_.failed_at = field.failure(test, name, not_name);
    // Values that held count even when a notValue then hit: that request got further.
    if (!field.values.empty() ? check_.failed_at != name : check_.matched() && field.constrained())
      ++check_.passed;
    return *this;
  }
  RuleCheck result() const { return check_; }

 private:
  RuleCheck check_;
};

}  // namespace

Facts::Facts(const Request& r)
    : request(r),
      source_ip(parse_ip(r.http.peer_ip)),
      remote_ip(parse_ip(r.remote_ip.empty() ? r.http.peer_ip : r.remote_ip)),
      destination_ip(parse_ip(r.destination_ip)) {}

std::variant<CompiledRule, std::string> CompiledRule::compile(const config::Rule& rule) {
  CompiledRule out;
  for (const config::Source& source : rule.from) {
    auto compiled = compile(source);
    if (auto* error = std::get_if<std::string>(&compiled)) return std::move(*error);
    out.from_.push_back(std::move(std::get<Source>(compiled)));
  }
  for (const config::Operation& op : rule.to) {
    std::string error;  // string patterns always parse
    out.to_.push_back(Operation{
        .hosts = *constrain<Pattern>(op.hosts, op.not_hosts, patterns(Star::Present, true), error),
        .methods = *constrain<Pattern>(op.methods, op.not_methods, patterns(Star::Present), error),
        .paths = *constrain<Pattern>(
            op.paths, op.not_paths,
            [](std::string_view text) { return std::optional(Pattern::parse_path(text)); }, error),
        .ports = {op.ports, op.not_ports},
    });
  }
  for (const config::Condition& condition : rule.when) {
    auto compiled = compile(condition);
    if (auto* error = std::get_if<std::string>(&compiled)) return std::move(*error);
    out.when_.push_back(std::move(std::get<Condition>(compiled)));
  }
  return out;
}

std::variant<CompiledRule::Source, std::string> CompiledRule::compile(const config::Source& s) {
  Source out;
  for (const auto* values : {&s.principals, &s.namespaces, &s.service_accounts})
    out.peer_identity.values.insert(out.peer_identity.values.end(), values->begin(), values->end());
  for (const auto* values : {&s.not_principals, &s.not_namespaces, &s.not_service_accounts})
    out.peer_identity.not_values.insert(out.peer_identity.not_values.end(), values->begin(),
                                        values->end());
  std::string error;
  auto principals = constrain<PrincipalPattern>(s.request_principals, s.not_request_principals,
                                                kPrincipals, error);
  auto ips = constrain<IpRange>(s.ip_blocks, s.not_ip_blocks, kIpRanges, error);
  auto remote_ips =
      constrain<IpRange>(s.remote_ip_blocks, s.not_remote_ip_blocks, kIpRanges, error);
  if (!ips || !remote_ips) return error;
  out.request_principals = std::move(*principals);
  out.ip_blocks = std::move(*ips);
  out.remote_ip_blocks = std::move(*remote_ips);
  return out;
}

std::variant<CompiledRule::Condition, std::string> CompiledRule::compile(
    const config::Condition& c) {
  Condition out{.key = c.attribute,
                .path = c.path,
                .values_name = "when " + c.key + " values",
                .not_values_name = "when " + c.key + " notValues",
                .values = {}};
  std::string error;
  auto take = [&](auto constraint) {
    if (constraint) out.values = std::move(*constraint);
    return constraint.has_value();
  };
  bool ok = false;
  switch (c.attribute) {
    case ConditionKey::RequestHeader:
      ok = take(constrain<Pattern>(c.values, c.not_values, patterns(Star::Present), error));
      break;
    case ConditionKey::SourceIp:
    case ConditionKey::RemoteIp:
    case ConditionKey::DestinationIp:
      ok = take(constrain<IpRange>(c.values, c.not_values, kIpRanges, error));
      break;
    case ConditionKey::DestinationPort:
      ok = take(constrain<uint32_t>(c.values, c.not_values, kPorts, error));
      break;
    case ConditionKey::RequestPrincipal:
      ok = take(constrain<PrincipalPattern>(c.values, c.not_values, kPrincipals, error));
      break;
    default:  // every other key holds string patterns
      ok = take(constrain<Pattern>(c.values, c.not_values, patterns(Star::NonEmpty), error));
  }
  if (!ok) return c.key + ": " + error;
  return out;
}

RuleCheck CompiledRule::check(const Facts& f) const {
  RuleCheck out;
  // `from` and `to` hold when any of their items does; when none does, the item that got
  // furthest stands for the list in the explanation.
  auto any_item = [&f, &out](const auto& items) {
    if (items.empty()) return true;
    RuleCheck best{0, {}};
    for (const auto& item : items) {
      RuleCheck c = check(item, f);
      if (c.matched()) {
        out.passed += c.passed;
        return true;
      }
      if (best.failed_at.empty() || c.passed > best.passed) best = c;
    }
    out.passed += best.passed;
    out.failed_at = best.failed_at;
    return false;
  };
  if (!any_item(from_) || !any_item(to_)) return out;
  for (const Condition& c : when_) {
    out.failed_at = failure(c, f);
    if (!out.failed_at.empty()) return out;
    ++out.passed;
  }
  return out;
}

std::vector<const Pattern*> CompiledRule::required_paths() const {
  std::vector<const Pattern*> out;
  for (const Operation& op : to_) {
    if (op.paths.values.empty()) return {};
    for (const Pattern& p : op.paths.values) out.push_back(&p);
  }
  return out;
}

RuleCheck CompiledRule::check(const Source& s, const Facts& f) {
  return FieldWalk()
      .then(s.request_principals, principal_of(f.request.identity), "from.requestPrincipals",
            "from.notRequestPrincipals")
      .then(s.ip_blocks, within(f.source_ip), "from.ipBlocks", "from.notIpBlocks")
      .then(s.remote_ip_blocks, within(f.remote_ip), "from.remoteIpBlocks",
            "from.notRemoteIpBlocks")
      .then(s.peer_identity, kNever, "from.principals (peer identity)",
            "from.notPrincipals (peer identity)")
      .result();
}

RuleCheck CompiledRule::check(const Operation& op, const Facts& f) {
  const RequestView& http = f.request.http;
  return FieldWalk()
      .then(op.hosts, is(http.authority), "to.hosts", "to.notHosts")
      .then(op.ports, port_is(http.listener_port), "to.ports", "to.notPorts")
      .then(op.methods, is(http.method), "to.methods", "to.notMethods")
      .then(op.paths, is(http.path), "to.paths", "to.notPaths")
      .result();
}

std::string_view CompiledRule::failure(const Condition& c, const Facts& f) {
  const authn::Identity* id = f.request.identity;
  auto fail = [&c]<class Matcher>(const auto& test) {
    return std::get<Constraint<Matcher>>(c.values).failure(test, c.values_name, c.not_values_name);
  };
  switch (c.key) {
    case ConditionKey::RequestHeader: {
      const auto value = header(f.request.http, c.path.empty() ? "" : c.path.front());
      return fail.operator()<Pattern>(is_present(value));
    }
    case ConditionKey::SourceIp:
      return fail.operator()<IpRange>(within(f.source_ip));
    case ConditionKey::RemoteIp:
      return fail.operator()<IpRange>(within(f.remote_ip));
    case ConditionKey::DestinationIp:
      return fail.operator()<IpRange>(within(f.destination_ip));
    case ConditionKey::DestinationPort:
      return fail.operator()<uint32_t>(port_is(f.request.http.listener_port));
    case ConditionKey::RequestPrincipal:
      return fail.operator()<PrincipalPattern>(principal_of(id));
    case ConditionKey::RequestAudiences: {
      static const std::vector<std::string> kNone;
      return fail.operator()<Pattern>(any_element(id ? id->audiences : kNone));
    }
    case ConditionKey::RequestPresenter: {
      const auto presenter = id && !id->presenter.empty()
                                 ? std::optional<std::string_view>(id->presenter)
                                 : std::nullopt;
      return fail.operator()<Pattern>(is_present(presenter));
    }
    case ConditionKey::RequestClaims:
      return fail.operator()<Pattern>(any_element(claim_strings(id, c.path)));
    case ConditionKey::ConnectionSni: {
      const auto sni =
          f.request.sni.empty() ? std::nullopt : std::optional<std::string_view>(f.request.sni);
      return fail.operator()<Pattern>(is_present(sni));
    }
    case ConditionKey::SourceNamespace:  // peer mTLS identity: gatehouse never has one
    case ConditionKey::SourcePrincipal:
    case ConditionKey::SourceServiceAccount:
      return fail.operator()<Pattern>(kNever);
  }
  return c.values_name;
}

}  // namespace gatehouse::authz
