// security.istio.io AuthorizationPolicy: the action, its rules' sources and operations,
// checked as Istio's validation checks them. Conditions are in authorization_condition.cc.
#include <algorithm>
#include <array>
#include <utility>

#include "config/decode.h"
#include "config/did_you_mean.h"
#include "config/syntax.h"

namespace gatehouse::config {
namespace {

using Action = AuthorizationPolicy::Action;

constexpr std::array<std::string_view, 4> kActionNames{"ALLOW", "DENY", "AUDIT", "CUSTOM"};
constexpr std::array<Action, 4> kActions{Action::Allow, Action::Deny, Action::Audit,
                                         Action::Custom};
constexpr std::size_t kMaxServiceAccounts = 16;

void check_path(const Value& item, const std::string& text) {
  if (auto problem = check_path_template(text)) {
    item.error("invalid path template " + quote(text) + ": " + *problem);
  }
}

// One list field of a Source or an Operation.
template <class Struct>
struct ListField {
  std::string_view name;
  std::vector<std::string> Struct::*member;
  ValueCheck check = nullptr;
  bool identity = false;  // peer certificate or JWT identity, which CUSTOM cannot test
};

constexpr std::array<ListField<Source>, 12> kSourceFields{{
    {"principals", &Source::principals, nullptr, true},
    {"notPrincipals", &Source::not_principals, nullptr, true},
    {"requestPrincipals", &Source::request_principals, nullptr, true},
    {"notRequestPrincipals", &Source::not_request_principals, nullptr, true},
    {"namespaces", &Source::namespaces, nullptr, true},
    {"notNamespaces", &Source::not_namespaces, nullptr, true},
    {"serviceAccounts", &Source::service_accounts, check_service_account, true},
    {"notServiceAccounts", &Source::not_service_accounts, check_service_account, true},
    {"ipBlocks", &Source::ip_blocks, check_ip_block},
    {"notIpBlocks", &Source::not_ip_blocks, check_ip_block},
    {"remoteIpBlocks", &Source::remote_ip_blocks, check_ip_block},
    {"notRemoteIpBlocks", &Source::not_remote_ip_blocks, check_ip_block},
}};
constexpr std::array<ListField<Operation>, 6> kOperationFields{{
    {"hosts", &Operation::hosts},
    {"notHosts", &Operation::not_hosts},
    {"methods", &Operation::methods},
    {"notMethods", &Operation::not_methods},
    {"paths", &Operation::paths, check_path},
    {"notPaths", &Operation::not_paths, check_path},
}};

// The object under `field` (source or operation) of a `from` or `to` item, which needs it.
std::optional<Object> read_clause(const Value& item, std::string_view field,
                                  std::initializer_list<std::string_view> fields) {
  auto clause = read_item(item, {field});
  if (!clause) return std::nullopt;
  Value inner = clause->require(field);
  if (!inner.present()) return std::nullopt;
  Object object = inner.object(fields);
  if (!object.present()) return std::nullopt;
  return object;
}

std::optional<Source> read_source(const Value& item, Action action) {
  auto source = read_clause(
      item, "source",
      {"principals", "notPrincipals", "requestPrincipals", "notRequestPrincipals", "namespaces",
       "notNamespaces", "serviceAccounts", "notServiceAccounts", "ipBlocks", "notIpBlocks",
       "remoteIpBlocks", "notRemoteIpBlocks", "trustDomains", "notTrustDomains"});
  if (!source) return std::nullopt;
  source->refuse({"trustDomains", "notTrustDomains"});
  Source out;
  out.where = source->self().where();
  bool empty = true;
  for (const ListField<Source>& field : kSourceFields) {
    Value list = source->get(field.name);
    std::vector<std::string>& values = out.*field.member;
    values = read_values(list, field.check);
    empty = empty && !has_values(list);
    if (field.identity && action == Action::Custom && !values.empty()) {
      list.error("not supported with action CUSTOM");
    }
  }
  bool refused =
      has_values(source->get("trustDomains")) || has_values(source->get("notTrustDomains"));
  if (empty && !refused && source->known_keys_only()) {
    source->self().error("source must set at least one field");
  }
  for (auto [name, accounts] : {std::pair{"serviceAccounts", &out.service_accounts},
                                std::pair{"notServiceAccounts", &out.not_service_accounts}}) {
    if (accounts->size() > kMaxServiceAccounts) {
      source->get(name).error("at most 16 service accounts, got " +
                              std::to_string(accounts->size()));
    }
  }
  bool accounts = !out.service_accounts.empty() || !out.not_service_accounts.empty();
  if (accounts && (!out.principals.empty() || !out.not_principals.empty() ||
                   !out.namespaces.empty() || !out.not_namespaces.empty())) {
    source->self().error("serviceAccounts cannot be combined with principals or namespaces");
  }
  return out;
}

std::vector<uint32_t> read_ports(const Value& list) {
  std::vector<uint32_t> ports;
  for (const std::string& text : read_values(list, check_port_number)) {
    if (auto port = parse_port_number(text)) ports.push_back(*port);
  }
  return ports;
}

std::optional<Operation> read_operation(const Value& item) {
  auto operation = read_clause(
      item, "operation",
      {"hosts", "notHosts", "ports", "notPorts", "methods", "notMethods", "paths", "notPaths"});
  if (!operation) return std::nullopt;
  Operation out;
  out.where = operation->self().where();
  bool empty = true;
  for (const ListField<Operation>& field : kOperationFields) {
    Value list = operation->get(field.name);
    out.*field.member = read_values(list, field.check);
    empty = empty && !has_values(list);
  }
  for (auto* hosts : {&out.hosts, &out.not_hosts}) {
    std::transform(hosts->begin(), hosts->end(), hosts->begin(), lower_case);
  }
  out.ports = read_ports(operation->get("ports"));
  out.not_ports = read_ports(operation->get("notPorts"));
  empty = empty && !has_values(operation->get("ports")) && !has_values(operation->get("notPorts"));
  if (empty && operation->known_keys_only()) {
    operation->self().error("operation must set at least one field");
  }
  return out;
}

// Istio refuses `from: []` and `to: []`: they read like "no source" but would match any.
void check_not_empty(const Value& list, std::string_view name) {
  if (list.is_empty_list()) {
    list.error(std::string(name) + " must not be empty (leave it out to match any " +
               (name == "from" ? "source" : "operation") + ")");
  }
}

std::optional<Rule> read_rule(const Value& value, Action action) {
  auto rule = read_item(value, {"from", "to", "when"});
  if (!rule) return std::nullopt;
  Rule out;
  out.where = value.where();
  Value from = rule->get("from");
  check_not_empty(from, "from");
  for (const Value& item : from.items()) {
    if (auto source = read_source(item, action)) out.from.push_back(std::move(*source));
  }
  Value to = rule->get("to");
  check_not_empty(to, "to");
  for (const Value& item : to.items()) {
    if (auto operation = read_operation(item)) out.to.push_back(std::move(*operation));
  }
  for (const Value& item : rule->get("when").items()) {
    auto condition = read_when_condition(item, action == Action::Custom);
    if (condition) out.when.push_back(std::move(*condition));
  }
  return out;
}

void read_provider(const Object& spec, std::string_view action_name, AuthorizationPolicy& out,
                   CrossReferences& refs) {
  Value provider = spec.get("provider");
  if (out.action != Action::Custom) {
    if (provider.present()) {
      provider.error("provider is only allowed with action CUSTOM, found " +
                     std::string(action_name));
    }
    return;
  }
  if (!provider.present()) {
    spec.self().error("action CUSTOM needs provider.name (a MeshConfig extension provider)");
    return;
  }
  Value name = provider.object({"name"}).require("name");
  auto text = name.string();
  if (text && text->empty()) name.error("provider name must not be empty");
  if (!text || text->empty()) return;
  out.provider = *text;
  refs.extension_providers.push_back(Reference{name.where(), out.id(), out.provider});
}

// strconv.ParseBool, as Istio reads the annotation; anything else means "not dry-run".
bool is_dry_run(const Labels& annotations) {
  auto found = annotations.find("istio.io/dry-run");
  if (found == annotations.end()) return false;
  constexpr std::array<std::string_view, 6> kTrue{"1", "t", "T", "TRUE", "true", "True"};
  return std::find(kTrue.begin(), kTrue.end(), found->second) != kTrue.end();
}

}  // namespace

bool has_values(const Value& list) { return list.present() && !list.is_empty_list(); }

std::vector<std::string> read_values(const Value& list, ValueCheck check) {
  std::vector<std::string> values;
  for (const Value& item : list.items()) {
    if (!item.present()) {
      item.error("empty value not allowed");
      continue;
    }
    auto text = item.string();
    if (!text) continue;
    if (text->empty()) {
      item.error("empty value not allowed");
    } else if (check != nullptr) {
      check(item, *text);
    }
    values.push_back(std::move(*text));
  }
  return values;
}

void check_ip_block(const Value& item, const std::string& text) {
  if (!is_ip(text) && !is_cidr(text)) {
    item.error(quote(text) + " is not a valid IP address or CIDR block");
  }
}

void check_port_number(const Value& item, const std::string& text) {
  if (!parse_port_number(text)) item.error("invalid port " + quote(text) + ": expected 0-65535");
}

// `[namespace/]name`, a Kubernetes service account; Istio takes no wildcards here.
void check_service_account(const Value& item, const std::string& text) {
  if (text.find('*') != std::string::npos) {
    item.error("wildcards are not allowed in service accounts, got " + quote(text));
  } else if (std::count(text.begin(), text.end(), '/') > 1) {
    item.error("a service account is <namespace>/<name> or <name>, got " + quote(text));
  }
}

void decode_authorization_policy(const Value& spec_value, AuthorizationPolicy& out,
                                 CrossReferences& refs) {
  Object spec =
      spec_value.object({"selector", "targetRef", "targetRefs", "rules", "action", "provider"});
  out.selector = read_workload_selector(spec);
  Value action = spec.get("action");
  auto index = action.present() ? action.one_of(kActionNames) : std::optional<std::size_t>(0);
  if (index) out.action = kActions[*index];
  Value rules = spec.get("rules");
  if (rules.present()) out.rules.emplace();
  for (const Value& item : rules.items()) {
    if (auto rule = read_rule(item, out.action)) out.rules->push_back(std::move(*rule));
  }
  out.dry_run = is_dry_run(out.metadata.annotations);
  if (!index) return;  // checks that depend on the action would only echo its error
  read_provider(spec, kActionNames[*index], out, refs);
  bool no_rules = !rules.present() || rules.is_empty_list();
  if (no_rules && (out.action == Action::Deny || out.action == Action::Custom)) {
    (rules.present() ? rules : spec_value)
        .error(std::string(kActionNames[*index]) +
               " action without rules is meaningless as it will never be triggered; add an "
               "empty rule {} to trigger it for every request");
  }
}

}  // namespace gatehouse::config
