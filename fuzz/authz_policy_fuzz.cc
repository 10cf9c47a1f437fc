// Fuzz target for AuthorizationPolicy: the input is one YAML file given to config::load(); its
// AuthorizationPolicies are compiled with authz::PolicySet::compile (root namespace from the
// MeshConfig), selected for a few workloads named by the policies themselves, and evaluated on
// fixed requests and on requests built from the policies' own values (so rules do match), with
// and without a verified identity. Compiling whatever loaded must not crash; the policies no
// validation error names must compile (CUSTOM aside, which the compiler refuses for now) and
// only they are evaluated. Every decision must agree with a small model of Istio's
// evaluation written here from the spec, independent of the compiled form and its path index:
// the reason and the rule fit the verdict; a rule names an in-scope policy of the right kind,
// one of its rules and its entry in PolicySet::rules(); the groups hold what the model selects;
// a rule that only constrains `to` (hosts, ports, methods, paths, templates) matches exactly
// when the model says so, and the reported rule is the first match in order; ALLOW policies
// without rules allow nothing; the deny, allow, audit and dry-run groups decide independently;
// policy order changes no verdict; the nearest-miss explanation names an ALLOW rule. A broken
// invariant prints what broke and traps.
#include <algorithm>
#include <boost/json.hpp>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <optional>
#include <regex>
#include <set>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <variant>
#include <vector>

#include "authn/identity.h"
#include "authz/policy_set.h"
#include "authz/request.h"
#include "config/loader.h"

namespace {

using namespace gatehouse;
using authz::Action;
using config::ConditionKey;

void require(bool condition, const char* what) {
  if (condition) return;
  std::fprintf(stderr, "authz invariant broken: %s\n", what);
  __builtin_trap();
}

// ---- the model: what the input policies say, independent of the compiled form -------------

enum class Group { Allow, Deny, Audit, DryRunAllow, DryRunDeny, Other };

struct PolicyInfo {
  std::string name;  // "namespace/name", as RuleRef::policy spells it
  const config::AuthorizationPolicy* policy;
  Group group;
  std::size_t rule_count() const { return policy->rules ? policy->rules->size() : 0; }
  const config::Rule& rule(std::size_t i) const { return (*policy->rules)[i]; }
};

Group group_of(const config::AuthorizationPolicy& p) {
  switch (p.action) {
    case Action::Allow:
      return p.dry_run ? Group::DryRunAllow : Group::Allow;
    case Action::Deny:
      return p.dry_run ? Group::DryRunDeny : Group::Deny;
    case Action::Audit:
      return Group::Audit;  // never decides, dry-run or not
    case Action::Custom:
      break;
  }
  return Group::Other;
}
bool is_dry_run(Group g) { return g == Group::DryRunAllow || g == Group::DryRunDeny; }

std::vector<PolicyInfo> describe(const std::vector<config::AuthorizationPolicy>& policies) {
  std::vector<PolicyInfo> out;
  for (const auto& p : policies)
    out.push_back({p.metadata.namespace_ + "/" + p.metadata.name, &p, group_of(p)});
  return out;
}

struct Workload {
  std::string ns;
  config::Labels labels;
};

// The model's selection: root namespace or the workload's, selector a subset of its labels.
bool in_scope(const PolicyInfo& p, const Workload& w, std::string_view root) {
  if (p.policy->metadata.namespace_ != w.ns && p.policy->metadata.namespace_ != root) return false;
  return std::ranges::all_of(p.policy->selector, [&w](const auto& entry) {
    auto found = w.labels.find(entry.first);
    return found != w.labels.end() && found->second == entry.second;
  });
}

// Istio string patterns (§2.4), path templates (§2.10) by regex, and `to` operations.
bool same(std::string_view a, std::string_view b, bool ignore_case) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    char x = a[i], y = b[i];
    if (ignore_case && x >= 'A' && x <= 'Z') x = static_cast<char>(x - 'A' + 'a');
    if (ignore_case && y >= 'A' && y <= 'Z') y = static_cast<char>(y - 'A' + 'a');
    if (x != y) return false;
  }
  return true;
}
bool pattern_matches(std::string_view pattern, std::string_view value, bool star_is_presence,
                     bool ignore_case) {
  if (pattern == "*") return star_is_presence || !value.empty();
  if (pattern.starts_with('*')) {
    const std::string_view suffix = pattern.substr(1);
    return value.size() >= suffix.size() &&
           same(value.substr(value.size() - suffix.size()), suffix, ignore_case);
  }
  if (pattern.ends_with('*')) {
    const std::string_view prefix = pattern.substr(0, pattern.size() - 1);
    return value.size() >= prefix.size() &&
           same(value.substr(0, prefix.size()), prefix, ignore_case);
  }
  return same(pattern, value, ignore_case);
}
// Template regexes by pattern, for one input (cleared for each).
std::unordered_map<std::string, std::regex>& template_regexes() {
  static std::unordered_map<std::string, std::regex> cache;
  return cache;
}
bool path_matches(std::string_view pattern, std::string_view path) {
  if (pattern.find("{*") == std::string_view::npos)
    return pattern_matches(pattern, path, false, false);
  static const std::string kSegment = R"([A-Za-z0-9\-._~%!$&'()+,;:@=])";
  static const std::string kAny = R"([A-Za-z0-9\-._~%!$&'()+,;:@=/])";
  std::string re;
  for (std::size_t i = 0; i < pattern.size(); ++i) {
    if (pattern.substr(i).starts_with("{**}")) {
      re += kAny + "*";
      i += 3;
    } else if (pattern.substr(i).starts_with("{*}")) {
      re += kSegment + "+";
      i += 2;
    } else {
      if (std::string_view(R"(\^$.|?*+()[]{}/-)").find(pattern[i]) != std::string_view::npos)
        re += '\\';
      re += pattern[i];
    }
  }
  auto [at, added] = template_regexes().try_emplace(std::string(pattern));
  if (added) at->second = std::regex(re);
  return std::regex_match(path.begin(), path.end(), at->second);
}

template <class Value, class Test>
bool field_holds(const std::vector<Value>& values, const std::vector<Value>& not_values,
                 const Test& test) {
  return (values.empty() || std::ranges::any_of(values, test)) &&
         (not_values.empty() || std::ranges::none_of(not_values, test));
}

// What an operation reads of a request.
struct OperationFacts {
  std::string_view method, authority, path;
  uint32_t port;
};

bool operation_matches(const config::Operation& op, const OperationFacts& r) {
  return field_holds(
             op.hosts, op.not_hosts,
             [&](const std::string& v) { return pattern_matches(v, r.authority, true, true); }) &&
         field_holds(op.ports, op.not_ports, [&](uint32_t p) { return p == r.port; }) &&
         field_holds(
             op.methods, op.not_methods,
             [&](const std::string& v) { return pattern_matches(v, r.method, true, false); }) &&
         field_holds(op.paths, op.not_paths,
                     [&](const std::string& v) { return path_matches(v, r.path); });
}
// Some operation admits the request (or there is none): necessary for the rule to match.
bool operations_admit(const config::Rule& rule, const OperationFacts& r) {
  return rule.to.empty() ||
         std::ranges::any_of(rule.to, [&r](const auto& op) { return operation_matches(op, r); });
}
// A rule the model decides alone: nothing but `to` (or nothing at all: `{}`).
bool model_decides(const config::Rule& rule) { return rule.from.empty() && rule.when.empty(); }

struct Scope {
  const std::vector<PolicyInfo>& policies;
  const std::vector<authz::RuleInfo>& rule_infos;  // PolicySet::rules()
  const Workload& workload;
  std::string_view root;

  std::vector<const PolicyInfo*> of(Group group) const {
    std::vector<const PolicyInfo*> out;
    for (const PolicyInfo& p : policies)
      if (p.group == group && in_scope(p, workload, root)) out.push_back(&p);
    return out;
  }
  std::size_t rules_of(Group group) const {
    std::size_t n = 0;
    for (const PolicyInfo* p : of(group)) n += p->rule_count();
    return n;
  }

  // The position, in evaluation order, of the first rule of `group` that the model knows
  // matches; SIZE_MAX when it knows of none.
  std::size_t first_known_match(Group group, const OperationFacts& r) const {
    std::size_t position = 0;
    for (const PolicyInfo* p : of(group))
      for (std::size_t i = 0; i < p->rule_count(); ++i, ++position)
        if (model_decides(p->rule(i)) && operations_admit(p->rule(i), r)) return position;
    return SIZE_MAX;
  }

  // A RuleRef must name an in-scope policy of `group` with that action, one of its rules and
  // its entry in PolicySet::rules(), and the rule must admit the request's operation; returns
  // the rule's position in evaluation order.
  std::size_t check_ref(const authz::RuleRef& ref, Group group, Action action,
                        const OperationFacts& r, bool matched) const {
    require(ref.action == action, "a rule's action is not its group's");
    std::size_t position = 0;
    for (const PolicyInfo* p : of(group)) {
      if (p->name != ref.policy) {
        position += p->rule_count();
        continue;
      }
      require(ref.rule < p->rule_count(), "a rule index is past its policy's rules");
      require(ref.id < rule_infos.size(), "a rule id is past PolicySet::rules()");
      const authz::RuleInfo& info = rule_infos[ref.id];
      require(info.policy == ref.policy && info.rule == ref.rule && info.action == ref.action &&
                  info.dry_run == is_dry_run(group),
              "a rule id names another rule");
      if (matched)
        require(operations_admit(p->rule(ref.rule), r),
                "a matching rule's operations do not admit the request");
      return position + ref.rule;
    }
    require(false, "a rule names no in-scope policy of its group");
    return 0;
  }

  // Checks one verdict decided by the `deny` and `allow` groups (enforced or dry-run).
  void check_verdict(const authz::Verdict& v, Group deny, Group allow,
                     const OperationFacts& r) const {
    const bool known = v.reason == authz::kDeniedByRule || v.reason == authz::kAllowedByRule ||
                       v.reason == authz::kNoAllowPolicy || v.reason == authz::kNoAllowRuleMatched;
    require(known, "unknown reason");
    require(v.allowed == (v.reason == authz::kAllowedByRule || v.reason == authz::kNoAllowPolicy),
            "allowed does not fit the reason");
    if (!v.allowed)
      require(v.reason == authz::kDeniedByRule || v.reason == authz::kNoAllowRuleMatched,
              "a denial without a denial reason");
    const std::size_t first_deny = first_known_match(deny, r);
    if (v.reason == authz::kDeniedByRule) {
      require(v.rule.has_value(), "a DENY decision without its rule");
      const std::size_t at = check_ref(*v.rule, deny, Action::Deny, r, true);
      require(at <= first_deny, "a DENY rule after the first match was reported");
    } else {
      require(first_deny == SIZE_MAX, "a matching DENY rule did not deny");
    }
    if (v.reason == authz::kAllowedByRule) {
      require(v.rule.has_value(), "an ALLOW decision without its rule");
      const std::size_t at = check_ref(*v.rule, allow, Action::Allow, r, true);
      require(at <= first_known_match(allow, r),
              "an ALLOW rule after the first match was reported");
    } else if (v.reason != authz::kDeniedByRule) {
      require(!v.rule.has_value(), "a rule for a \"no ALLOW\" reason");
    }
    if (v.reason == authz::kDeniedByRule) {
      require(!v.nearest.has_value(), "a nearest miss for a DENY decision");
      return;
    }
    const auto allows = of(allow);
    require((v.reason == authz::kNoAllowPolicy) == allows.empty(),
            "\"no ALLOW policy\" does not fit the ALLOW group");
    if (first_known_match(allow, r) != SIZE_MAX)
      require(v.allowed, "a matching ALLOW rule did not allow");
    const std::size_t allow_rules = rules_of(allow);
    if (!allows.empty() && allow_rules == 0)
      require(!v.allowed, "ALLOW policies without rules allowed something");
    if (v.reason == authz::kNoAllowRuleMatched) {
      require(v.nearest.has_value() == (allow_rules > 0),
              "no ALLOW rule matched, but the nearest miss does not fit");
      if (v.nearest) {
        (void)check_ref(v.nearest->rule, allow, Action::Allow, r, false);
        require(!v.nearest->field.empty(), "a nearest miss without its field");
      }
    } else {
      require(!v.nearest.has_value(), "a nearest miss without \"no ALLOW rule matched\"");
    }
  }
};

// ---- requests ---------------------------------------------------------------------------

// Owns what an authz::Request points at.
struct OwnedRequest {
  std::string method = "GET", authority = "example.com", path = "/", query;
  std::string peer_ip = "10.0.0.1", remote_ip, destination_ip, sni;
  uint16_t port = 8080;
  std::vector<std::pair<std::string, std::string>> headers;
  std::optional<boost::json::object> claims;  // a verified token's payload, if any

  std::vector<HeaderField> fields;
  std::optional<authn::Identity> identity;

  // Call once all fields are set and the object will not move again.
  authz::Request build() {
    fields.clear();
    for (const auto& [name, value] : headers) fields.push_back({name, value});
    identity.reset();
    if (claims) identity = make_identity(*claims);
    authz::Request r;
    r.http.method = method;
    r.http.scheme = "https";
    r.http.authority = authority;
    r.http.path = path;
    r.http.query = query;
    r.http.peer_ip = peer_ip;
    r.http.listener_port = port;
    r.http.headers = fields;
    r.remote_ip = remote_ip;
    r.destination_ip = destination_ip;
    r.sni = sni;
    r.identity = identity ? &*identity : nullptr;
    return r;
  }

  // As authn builds one from a verified payload (see tests/authz/test_support.h).
  static authn::Identity make_identity(const boost::json::object& payload) {
    authn::Identity id;
    id.claims = payload;
    auto text = [&](const char* name) {
      const auto* v = payload.if_contains(name);
      return v && v->is_string() ? std::string(v->get_string()) : std::string();
    };
    id.issuer = text("iss");
    id.subject = text("sub");
    id.presenter = text("azp");
    if (!id.issuer.empty() && !id.subject.empty()) id.principal = id.issuer + "/" + id.subject;
    if (const auto* aud = payload.if_contains("aud")) {
      if (aud->is_string()) id.audiences.emplace_back(aud->get_string());
      if (aud->is_array())
        for (const auto& a : aud->get_array())
          if (a.is_string()) id.audiences.emplace_back(a.get_string());
    }
    for (const char* name : {"scope", "permission"}) {
      const auto* v = payload.if_contains(name);
      if (!v || !v->is_string()) continue;
      boost::json::array words;
      std::string_view rest = v->get_string();
      while (!rest.empty()) {
        const auto space = rest.find(' ');
        if (space != 0) words.emplace_back(rest.substr(0, space));
        if (space == std::string_view::npos) break;
        rest.remove_prefix(space + 1);
      }
      if (!words.empty()) id.split_claims[name] = std::move(words);
    }
    return id;
  }
};

boost::json::object parse_object(std::string_view json) {
  return boost::json::parse(json).as_object();
}

std::vector<OwnedRequest> fixed_requests() {
  std::vector<OwnedRequest> out;
  out.emplace_back();  // anonymous GET / from 10.0.0.1
  {
    OwnedRequest r;  // the article's authenticated request, through a load balancer
    r.authority = "httpbin.foo.svc.cluster.local:8000";
    r.path = "/status/200";
    r.query = "a=1";
    r.peer_ip = "192.168.1.7";
    r.remote_ip = "203.0.113.9";
    r.headers = {{"x-amzn-oidc-accesstoken", "t"}, {"X-Env", "prod"}, {"x-env", "dev"}};
    r.claims = parse_object(
        R"({"iss":"https://dev-123456.okta.com/oauth2/default","sub":"alice","aud":["api","web"],)"
        R"("azp":"web","groups":["httpbin","admin"],"scope":"read write",)"
        R"("realm":{"roles":["admin"]},"email_verified":true})");
    out.push_back(std::move(r));
  }
  {
    OwnedRequest r;  // IPv6, SNI, destination known, a token without `sub`
    r.method = "POST";
    r.authority = "Admin.Example.com:443";
    r.path = "/admin/users/42";
    r.peer_ip = "::1";
    r.destination_ip = "10.9.9.9";
    r.sni = "admin.example.com";
    r.port = 443;
    r.headers = {{"x-forwarded-for", "198.51.100.1"}, {"authorization", "Bearer x"}};
    r.claims = parse_object(R"({"iss":"https://idp.example","aud":"api","groups":"admin"})");
    out.push_back(std::move(r));
  }
  {
    OwnedRequest r;  // degenerate: empty method, authority, path and peer
    r.method = "";
    r.authority = "";
    r.path = "";
    r.peer_ip = "";
    r.port = 0;
    r.headers = {{"x-empty", ""}};
    r.claims = boost::json::object{};
    out.push_back(std::move(r));
  }
  return out;
}

// A concrete value a pattern accepts: wildcards and path templates filled in, with the
// shortest fill (`*` empty, so a prefix or suffix is the whole value) when `shortest`.
std::string instance(std::string_view pattern, bool shortest = false) {
  std::string out;
  for (std::size_t i = 0; i < pattern.size(); ++i) {
    if (pattern.substr(i).starts_with("{**}")) {
      out += shortest ? "" : "a/b";
      i += 3;
    } else if (pattern.substr(i).starts_with("{*}")) {
      out += "x";
      i += 2;
    } else if (pattern[i] == '*') {
      out += shortest && pattern.size() > 1 ? "" : "x";
    } else {
      out += pattern[i];
    }
  }
  return out;
}
std::string address_of(std::string_view block) {
  return std::string(block.substr(0, block.find('/')));
}
const std::string* first(const std::vector<std::string>& values) {
  return values.empty() ? nullptr : &values.front();
}

void set_principal(boost::json::object& claims, std::string_view principal) {
  const std::string text = instance(principal);
  const auto slash = text.rfind('/');
  claims["iss"] = slash == std::string::npos ? text : text.substr(0, slash);
  claims["sub"] = slash == std::string::npos ? std::string("s") : text.substr(slash + 1);
}

// A request built to satisfy the positive values of `rule` (not always possible: values
// may contradict each other or the notValues); `shortest` fills its patterns minimally.
OwnedRequest request_for(const config::Rule& rule, bool shortest) {
  OwnedRequest r;
  boost::json::object claims;
  if (!rule.from.empty()) {
    const config::Source& s = rule.from.front();
    if (auto* v = first(s.request_principals)) set_principal(claims, *v);
    if (auto* v = first(s.ip_blocks)) r.peer_ip = address_of(*v);
    if (auto* v = first(s.remote_ip_blocks)) r.remote_ip = address_of(*v);
  }
  if (!rule.to.empty()) {
    const config::Operation& op = rule.to.front();
    // The shortest fill takes the last value, the other the first.
    auto pick = [shortest](const std::vector<std::string>& values) {
      return values.empty() ? nullptr : shortest ? &values.back() : &values.front();
    };
    if (auto* v = pick(op.hosts)) r.authority = instance(*v, shortest);
    if (auto* v = pick(op.methods)) r.method = instance(*v, shortest);
    if (auto* v = pick(op.paths)) r.path = instance(*v, shortest);
    if (!op.ports.empty()) r.port = static_cast<uint16_t>(op.ports.front());
  }
  for (const config::Condition& c : rule.when) {
    const std::string* v = first(c.values);
    if (!v) continue;
    switch (c.attribute) {
      case ConditionKey::RequestHeader:
        if (!c.path.empty()) r.headers.emplace_back(c.path.front(), instance(*v));
        break;
      case ConditionKey::SourceIp:
        r.peer_ip = address_of(*v);
        break;
      case ConditionKey::RemoteIp:
        r.remote_ip = address_of(*v);
        break;
      case ConditionKey::DestinationIp:
        r.destination_ip = address_of(*v);
        break;
      case ConditionKey::DestinationPort:
        r.port = static_cast<uint16_t>(std::strtoul(v->c_str(), nullptr, 10));
        break;
      case ConditionKey::ConnectionSni:
        r.sni = instance(*v);
        break;
      case ConditionKey::RequestPrincipal:
        set_principal(claims, *v);
        break;
      case ConditionKey::RequestAudiences:
        claims["aud"] = instance(*v);
        break;
      case ConditionKey::RequestPresenter:
        claims["azp"] = instance(*v);
        break;
      case ConditionKey::RequestClaims: {
        if (c.path.empty()) break;
        boost::json::object* at = &claims;
        for (std::size_t i = 0; i + 1 < c.path.size(); ++i) {
          boost::json::value& next = (*at)[c.path[i]];
          if (!next.is_object()) next = boost::json::object{};
          at = &next.as_object();
        }
        (*at)[c.path.back()] = boost::json::array{boost::json::string(instance(*v))};
        break;
      }
      default:
        break;  // peer identity: gatehouse has none
    }
  }
  if (!claims.empty()) {
    if (!claims.contains("iss")) claims["iss"] = "https://idp.example";
    if (!claims.contains("sub")) claims["sub"] = "alice";
    r.claims = std::move(claims);
  }
  return r;
}

// ---- the checks -------------------------------------------------------------------------

bool same_ref(const std::optional<authz::RuleRef>& a, const std::optional<authz::RuleRef>& b) {
  if (a.has_value() != b.has_value()) return false;
  return !a ||
         (a->policy == b->policy && a->rule == b->rule && a->action == b->action && a->id == b->id);
}
bool same_verdict(const authz::Verdict& a, const authz::Verdict& b) {
  return a.allowed == b.allowed && a.reason == b.reason && same_ref(a.rule, b.rule) &&
         a.nearest.has_value() == b.nearest.has_value() &&
         (!a.nearest ||
          (same_ref(a.nearest->rule, b.nearest->rule) && a.nearest->field == b.nearest->field));
}
bool same_decision(const authz::Decision& a, const authz::Decision& b) {
  return same_verdict(a, b) && same_ref(a.audit, b.audit) &&
         a.dry_run.has_value() == b.dry_run.has_value() &&
         (!a.dry_run || same_verdict(*a.dry_run, *b.dry_run));
}

void check_groups(const Scope& scope, const authz::WorkloadPolicies& w) {
  const std::pair<Group, const authz::RuleGroup*> groups[] = {
      {Group::Allow, &w.allow},
      {Group::Deny, &w.deny},
      {Group::Audit, &w.audit},
      {Group::DryRunAllow, &w.dry_run_allow},
      {Group::DryRunDeny, &w.dry_run_deny}};
  std::size_t policies = 0;
  for (const auto& [group, rules] : groups) {
    require(scope.of(group).size() == rules->policy_count(),
            "for_workload selected other policies than the model");
    require(scope.rules_of(group) == rules->rule_count(), "a group holds other rules");
    policies += rules->policy_count();
  }
  require(w.empty() == (policies == 0), "WorkloadPolicies::empty is wrong");
}

// `d` for `request` on workload policies `w`; `reordered` is the decision of the same policies
// compiled in reverse order.
void check_decision(const Scope& scope, const authz::WorkloadPolicies& w,
                    const authz::Request& request, const OperationFacts& r,
                    const authz::Decision& reordered) {
  const authz::Decision d = authz::evaluate(w, request);
  scope.check_verdict(d, Group::Deny, Group::Allow, r);

  const std::size_t first_audit = scope.first_known_match(Group::Audit, r);
  if (d.audit) {
    const std::size_t at = scope.check_ref(*d.audit, Group::Audit, Action::Audit, r, true);
    require(at <= first_audit, "an AUDIT rule after the first match was reported");
  } else {
    require(first_audit == SIZE_MAX, "a matching AUDIT rule did not mark the request");
  }

  const bool has_dry_run = w.dry_run_allow.policy_count() + w.dry_run_deny.policy_count() > 0;
  require(d.dry_run.has_value() == has_dry_run, "a dry-run verdict does not fit the policies");
  if (d.dry_run) scope.check_verdict(*d.dry_run, Group::DryRunDeny, Group::DryRunAllow, r);

  require(same_decision(d, authz::evaluate(w, request)), "evaluation is not deterministic");

  // The groups decide independently: DENY alone, ALLOW alone, AUDIT alone, dry-run alone.
  authz::WorkloadPolicies deny_only;
  deny_only.deny = w.deny;
  const authz::Decision by_deny = authz::evaluate(deny_only, request);
  require((by_deny.reason == authz::kDeniedByRule) == (d.reason == authz::kDeniedByRule),
          "the DENY group alone decides differently");
  if (d.reason == authz::kDeniedByRule)
    require(same_ref(by_deny.rule, d.rule), "the DENY group alone names another rule");
  authz::WorkloadPolicies allow_only;
  allow_only.allow = w.allow;
  const authz::Decision by_allow = authz::evaluate(allow_only, request);
  require(by_allow.reason != authz::kDeniedByRule, "the ALLOW group alone denied by rule");
  if (d.reason != authz::kDeniedByRule)
    require(same_verdict(by_allow, d), "the ALLOW group alone decides differently");
  authz::WorkloadPolicies audit_only;
  audit_only.audit = w.audit;
  const authz::Decision by_audit = authz::evaluate(audit_only, request);
  require(by_audit.allowed && by_audit.reason == authz::kNoAllowPolicy,
          "AUDIT policies changed a decision");
  require(same_ref(by_audit.audit, d.audit), "the AUDIT group alone marks differently");
  if (d.dry_run) {
    authz::WorkloadPolicies as_enforced;
    as_enforced.allow = w.dry_run_allow;
    as_enforced.deny = w.dry_run_deny;
    const authz::Decision enforced = authz::evaluate(as_enforced, request);
    require(same_verdict(enforced, *d.dry_run), "dry-run verdict differs from enforcing it");
  }
  authz::WorkloadPolicies no_dry_run = w;
  no_dry_run.dry_run_allow = {};
  no_dry_run.dry_run_deny = {};
  const authz::Decision without = authz::evaluate(no_dry_run, request);
  require(same_verdict(without, d) && !without.dry_run,
          "dry-run policies changed the enforced decision");

  // Policy order picks the reported rule, never a verdict.
  require(reordered.allowed == d.allowed && reordered.reason == d.reason &&
              reordered.audit.has_value() == d.audit.has_value() &&
              reordered.dry_run.has_value() == d.dry_run.has_value() &&
              (!d.dry_run || (reordered.dry_run->allowed == d.dry_run->allowed &&
                              reordered.dry_run->reason == d.dry_run->reason)),
          "the order of policies changed a verdict");
}

void check_compile_error(const authz::CompileError& error,
                         const std::vector<config::AuthorizationPolicy>& policies) {
  require(!error.message.empty(), "a compile error without a message");
  require(std::ranges::any_of(policies, [&](const auto& p) { return p.id() == error.policy; }),
          "a compile error names no input policy");
}

// PolicySet::rules(): every rule of every policy, in input order.
void check_rule_infos(const authz::PolicySet& set, const std::vector<PolicyInfo>& infos) {
  std::size_t id = 0;
  for (const PolicyInfo& p : infos) {
    for (std::size_t i = 0; i < p.rule_count(); ++i, ++id) {
      require(id < set.rules().size(), "PolicySet::rules() misses rules");
      const authz::RuleInfo& info = set.rules()[id];
      require(info.policy == p.name && info.rule == i && info.action == p.policy->action &&
                  info.dry_run == p.policy->dry_run,
              "PolicySet::rules() out of order");
    }
  }
  require(id == set.rules().size(), "PolicySet::rules() has rules no policy has");
}

// Workloads named by the policies: each policy's namespace with exactly its selector, with an
// extra label, and without labels; plus the root namespace and an unrelated one.
std::vector<Workload> workloads(const std::vector<config::AuthorizationPolicy>& policies,
                                const std::string& root) {
  std::vector<Workload> out{{root, {}}, {"fuzz-unrelated", {{"app", "none"}}}};
  for (std::size_t i = 0; i < policies.size() && i < 3; ++i) {
    const auto& p = policies[i];
    out.push_back({p.metadata.namespace_, p.selector});
    config::Labels more = p.selector;
    more["fuzz-extra"] = "1";
    out.push_back({p.metadata.namespace_, std::move(more)});
    if (!p.selector.empty()) out.push_back({p.metadata.namespace_, {}});
  }
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::vector<config::SourceFile> files{
      {"fuzz.yaml", std::string(reinterpret_cast<const char*>(data), size)}};
  const config::LoadResult loaded = config::load(files);
  template_regexes().clear();
  const std::string& root = loaded.snapshot.mesh.root_namespace;
  const std::vector<config::AuthorizationPolicy>& loaded_policies =
      loaded.snapshot.authorization_policies;

  // Whatever was loaded, compiling it must not crash, and a refusal names a policy.
  const auto everything = authz::PolicySet::compile(loaded_policies, root);
  if (const auto* error = std::get_if<authz::CompileError>(&everything))
    check_compile_error(*error, loaded_policies);

  // Only validated policies are evaluated (a value that failed validation, a bad path template
  // say, stays in the snapshot): those no error names, unless some error names no resource.
  std::set<std::string> refused;
  for (const config::Error& error : loaded.errors) {
    if (error.resource.empty()) return 0;
    refused.insert(error.resource);
  }
  // They must compile, but for CUSTOM, which the compiler refuses for now.
  std::vector<config::AuthorizationPolicy> policies;
  for (const auto& p : loaded_policies) {
    if (refused.contains(p.id())) continue;
    if (p.action == Action::Custom &&
        std::holds_alternative<authz::CompileError>(authz::PolicySet::compile({p}, root)))
      continue;
    policies.push_back(p);
  }
  auto compiled = authz::PolicySet::compile(policies, root);
  if (const auto* error = std::get_if<authz::CompileError>(&compiled)) {
    std::fprintf(stderr, "%s: %s\n", error->policy.c_str(), error->message.c_str());
    require(false, "a validated policy does not compile");
  }
  const authz::PolicySet& set = std::get<authz::PolicySet>(compiled);
  std::vector<config::AuthorizationPolicy> backwards(policies.rbegin(), policies.rend());
  auto reversed_set = authz::PolicySet::compile(backwards, root);
  require(std::holds_alternative<authz::PolicySet>(reversed_set),
          "the same policies in another order do not compile");

  const std::vector<PolicyInfo> infos = describe(policies);
  const bool model_complete =
      std::ranges::none_of(infos, [](const PolicyInfo& p) { return p.group == Group::Other; });
  if (model_complete) check_rule_infos(set, infos);

  // The fixed requests, two built for each of the first rules, and the same ones without
  // their token.
  std::vector<OwnedRequest> requests = fixed_requests();
  for (const auto& p : policies) {
    for (std::size_t i = 0; p.rules && i < p.rules->size() && requests.size() < 12; ++i) {
      requests.push_back(request_for((*p.rules)[i], false));
      requests.push_back(request_for((*p.rules)[i], true));
    }
  }
  for (std::size_t i = 0, n = requests.size(); i < n && requests.size() < 18; ++i) {
    if (!requests[i].claims) continue;
    OwnedRequest anonymous = requests[i];
    anonymous.claims.reset();
    requests.push_back(std::move(anonymous));
  }
  std::vector<authz::Request> views;
  views.reserve(requests.size());
  for (OwnedRequest& r : requests) views.push_back(r.build());  // requests no longer move

  for (const Workload& workload : workloads(policies, root)) {
    const std::shared_ptr<const authz::WorkloadPolicies> selected =
        set.for_workload(workload.ns, workload.labels);
    const std::shared_ptr<const authz::WorkloadPolicies> selected_backwards =
        std::get<authz::PolicySet>(reversed_set).for_workload(workload.ns, workload.labels);
    require(selected != nullptr && selected_backwards != nullptr, "for_workload returned nothing");
    if (!model_complete) {
      for (const authz::Request& request : views) (void)authz::evaluate(*selected, request);
      continue;
    }
    const Scope scope{infos, set.rules(), workload, root};
    check_groups(scope, *selected);
    for (std::size_t i = 0; i < views.size(); ++i) {
      const OperationFacts facts{requests[i].method, requests[i].authority, requests[i].path,
                                 requests[i].port};
      check_decision(scope, *selected, views[i], facts,
                     authz::evaluate(*selected_backwards, views[i]));
    }
  }
  return 0;
}
