// gatehouse.dev Listener: address, port, protocol, certificate files, default actions and
// prioritised rules, with ALB's names (AWS::ElasticLoadBalancingV2::Listener/ListenerRule).
#include <algorithm>
#include <array>
#include <set>

#include "config/decode.h"
#include "config/did_you_mean.h"
#include "config/syntax.h"

namespace gatehouse::config {
namespace {

constexpr std::array<std::string_view, 2> kProtocols{"HTTP", "HTTPS"};
constexpr std::size_t kMaxConditionValuesPerRule = 5;
constexpr std::size_t kMaxWildcardsPerRule = 5;

// Wildcards in a condition value; in query-string values a `\` escapes the next character.
std::size_t count_wildcards(std::string_view text, bool escapes) {
  std::size_t count = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (escapes && text[i] == '\\') {
      ++i;
    } else if (text[i] == '*' || text[i] == '?') {
      ++count;
    }
  }
  return count;
}

// ALB quotas per rule: at most one condition of each field but http-header and
// query-string, at most 5 condition values and 5 wildcards in all.
void check_rule_limits(const Value& conditions, const std::vector<RuleCondition>& read) {
  std::size_t values = 0, wildcards = 0;
  std::set<std::string_view> fields;
  for (const RuleCondition& condition : read) {
    const bool repeatable = condition.field == "http-header" || condition.field == "query-string";
    if (!repeatable && !fields.insert(condition.field).second) {
      conditions.error("a rule may have only one " + condition.field + " condition");
    }
    values += condition.values.size() + condition.query_values.size();
    for (const std::string& value : condition.values) wildcards += count_wildcards(value, false);
    for (const QueryStringKeyValue& pair : condition.query_values) {
      wildcards += count_wildcards(pair.key.value_or(""), true) + count_wildcards(pair.value, true);
    }
  }
  if (values > kMaxConditionValuesPerRule) {
    conditions.error("a rule may have at most 5 condition values, got " + std::to_string(values));
  }
  if (wildcards > kMaxWildcardsPerRule) {
    conditions.error("a rule may have at most 5 wildcards (* or ?), got " +
                     std::to_string(wildcards));
  }
}

std::optional<ListenerRule> read_rule(const Value& value, const Listener& listener,
                                      CrossReferences& refs) {
  Object rule = value.object({"priority", "conditions", "actions"});
  if (!rule.present()) return std::nullopt;
  ListenerRule out;
  out.where = value.where();
  out.priority = static_cast<uint32_t>(rule.require("priority").integer(1, 50000).value_or(0));
  Value conditions = rule.require("conditions");
  if (conditions.is_empty_list()) conditions.error("a rule needs at least one condition");
  for (const Value& item : conditions.items()) {
    if (auto condition = read_condition(item)) out.conditions.push_back(std::move(*condition));
  }
  check_rule_limits(conditions, out.conditions);
  out.actions = read_actions(rule.require("actions"), listener, refs);
  return out;
}

void read_certificates(const Value& list, Listener& out) {
  for (const Value& item : list.items()) {
    Object certificate = item.object({"certificateFile", "keyFile"});
    if (!certificate.present()) continue;
    // Paths only: reading the files is the caller's job, this module does no I/O.
    out.certificates.push_back(
        Certificate{certificate.require("certificateFile").string().value_or(""),
                    certificate.require("keyFile").string().value_or(""), item.where()});
  }
  bool https = out.protocol == "HTTPS";
  if (https && out.certificates.empty()) {
    list.error("an HTTPS listener needs at least one certificate");
  } else if (!https && list.present()) {
    list.error("certificates are only allowed on HTTPS listeners");
  }
}

}  // namespace

void decode_listener(const Value& spec_value, Listener& out, CrossReferences& refs) {
  Object spec = spec_value.object({"address", "port", "protocol", "certificates", "defaultActions",
                                   "rules", "trustOidcHeadersFrom"});
  Value address = spec.get("address");
  if (auto text = address.string()) {
    if (!is_ip(*text)) {
      address.error(quote(*text) + " is not an IP address (such as 0.0.0.0, 127.0.0.1 or ::)");
    }
    out.address = *text;
  }
  Value port = spec.require("port");
  out.port = port.port().value_or(0);
  if (out.port != 0) {
    refs.listener_addresses.push_back(
        ListenerAddress{port.where(), out.id(), out.address, out.port});
  }
  if (auto index = spec.get("protocol").one_of(kProtocols)) out.protocol = kProtocols[*index];
  read_certificates(spec.get("certificates"), out);
  for (const Value& item : spec.get("trustOidcHeadersFrom").items()) {
    auto text = item.string();
    if (!text) continue;
    if (is_ip(*text) || is_cidr(*text))
      out.trust_oidc_headers_from.push_back(*text);
    else
      item.error("invalid IP address or CIDR " + quote(*text));
  }
  out.default_actions = read_actions(spec.require("defaultActions"), out, refs);

  std::set<uint32_t> priorities;
  for (const Value& item : spec.get("rules").items()) {
    auto rule = read_rule(item, out, refs);
    if (!rule) continue;
    if (rule->priority != 0 && !priorities.insert(rule->priority).second) {
      item.error("duplicate rule priority " + std::to_string(rule->priority));
    }
    out.rules.push_back(std::move(*rule));
  }
  std::stable_sort(
      out.rules.begin(), out.rules.end(),
      [](const ListenerRule& a, const ListenerRule& b) { return a.priority < b.priority; });
}

}  // namespace gatehouse::config
