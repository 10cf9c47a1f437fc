// AuthorizationPolicy `when` conditions: the keys Istio knows, parsed into the attribute
// they test, and their values checked like that attribute.
#include <array>
#include <utility>

#include "config/decode.h"
#include "config/did_you_mean.h"
#include "config/syntax.h"

namespace gatehouse::config {
namespace {

struct KeyName {
  std::string_view name;
  ConditionKey attribute;
  ValueCheck check = nullptr;
};

constexpr std::array<KeyName, 11> kPlainKeys{{
    {"source.ip", ConditionKey::SourceIp, check_ip_block},
    {"remote.ip", ConditionKey::RemoteIp, check_ip_block},
    {"source.namespace", ConditionKey::SourceNamespace},
    {"source.principal", ConditionKey::SourcePrincipal},
    {"source.serviceAccount", ConditionKey::SourceServiceAccount, check_service_account},
    {"request.auth.principal", ConditionKey::RequestPrincipal},
    {"request.auth.audiences", ConditionKey::RequestAudiences},
    {"request.auth.presenter", ConditionKey::RequestPresenter},
    {"destination.ip", ConditionKey::DestinationIp, check_ip_block},
    {"destination.port", ConditionKey::DestinationPort, check_port_number},
    {"connection.sni", ConditionKey::ConnectionSni},
}};
constexpr std::string_view kHeaders = "request.headers";
constexpr std::string_view kClaims = "request.auth.claims";

// What a misspelt key is compared with: the plain keys and the two bracketed families.
constexpr std::array<std::string_view, 13> kKnownKeys{kPlainKeys[0].name,
                                                      kPlainKeys[1].name,
                                                      kPlainKeys[2].name,
                                                      kPlainKeys[3].name,
                                                      kPlainKeys[4].name,
                                                      kPlainKeys[5].name,
                                                      kPlainKeys[6].name,
                                                      kPlainKeys[7].name,
                                                      kPlainKeys[8].name,
                                                      kPlainKeys[9].name,
                                                      kPlainKeys[10].name,
                                                      kHeaders,
                                                      kClaims};

// Keys Istio refuses, with its reasons.
constexpr std::array<std::pair<std::string_view, std::string_view>, 4> kRefusedKeys{{
    {"destination.namespace", "is replaced by the metadata.namespace"},
    {"destination.labels", "is replaced by the workload selector"},
    {"destination.name", "is deprecated: only supported in v1alpha1"},
    {"destination.user", "is deprecated: only supported in v1alpha1"},
}};

// "[a][b][c]" -> {a, b, c}, as Istio splits claim paths. Text that is not a clean run of
// brackets names one claim, everything between the outer brackets ("[a]b]" -> {"a]b"}).
std::vector<std::string> claim_path(std::string_view brackets) {
  std::vector<std::string> path;
  for (std::size_t begin = 0; begin < brackets.size();) {
    std::size_t end =
        brackets[begin] == '[' ? brackets.find_first_of("[]", begin + 1) : std::string_view::npos;
    if (end == std::string_view::npos || brackets[end] != ']') {
      return {std::string(brackets.substr(1, brackets.size() - 2))};
    }
    path.emplace_back(brackets.substr(begin + 1, end - begin - 1));
    begin = end + 1;
  }
  return path;
}

// request.headers[<name>] and request.auth.claims[<claim>]...: fills in the path.
bool read_bracketed_key(const Value& at, std::string_view prefix, Condition& out) {
  std::string_view brackets = std::string_view(out.key).substr(prefix.size());
  if (brackets.size() < 3 || brackets.front() != '[' || brackets.back() != ']') {
    at.error("bad key " + quote(out.key) + ": should have the form " + std::string(prefix) +
             "[<name>]");
    return false;
  }
  if (prefix == kClaims) {
    out.attribute = ConditionKey::RequestClaims;
    out.path = claim_path(brackets);
    return true;
  }
  out.attribute = ConditionKey::RequestHeader;
  std::string name = lower_case(brackets.substr(1, brackets.size() - 2));
  if (!is_pseudo_header(name) && !check_header_name(at, name)) return false;
  out.path = {std::move(name)};
  return true;
}

// Sets the attribute and path of `out` from its key, and returns the check its values
// need; nullopt (reported) for keys that cannot be evaluated.
std::optional<ValueCheck> read_key(const Value& at, Condition& out) {
  const std::string& key = out.key;
  for (const KeyName& plain : kPlainKeys) {
    if (key == plain.name) {
      out.attribute = plain.attribute;
      return plain.check;
    }
  }
  for (std::string_view prefix : {kHeaders, kClaims}) {
    if (key.starts_with(prefix)) {
      if (!read_bracketed_key(at, prefix, out)) return std::nullopt;
      return nullptr;
    }
  }
  if (key.starts_with("experimental.envoy.filters.")) {
    at.error("attribute " + quote(key) +
             " is not supported by gatehouse (it tests Envoy filter metadata)");
    return std::nullopt;
  }
  if (key == "source.trustDomain") {
    at.error("attribute " + quote(key) + " is not supported by gatehouse yet");
    return std::nullopt;
  }
  for (auto [refused, reason] : kRefusedKeys) {
    if (key == refused || key.starts_with(std::string(refused) + "[")) {
      at.error("attribute " + quote(key) + " " + std::string(reason));
      return std::nullopt;
    }
  }
  std::string_view base = std::string_view(key).substr(0, key.find('['));
  at.error(with_suggestion("unknown attribute " + quote(key), base, kKnownKeys));
  return std::nullopt;
}

// Peer and JWT identities: CUSTOM runs before JWT verification and cannot test them.
bool is_identity(ConditionKey attribute) {
  switch (attribute) {
    case ConditionKey::SourceNamespace:
    case ConditionKey::SourcePrincipal:
    case ConditionKey::SourceServiceAccount:
    case ConditionKey::RequestPrincipal:
    case ConditionKey::RequestAudiences:
    case ConditionKey::RequestPresenter:
    case ConditionKey::RequestClaims:
      return true;
    default:
      return false;
  }
}

}  // namespace

std::optional<Condition> read_when_condition(const Value& value, bool custom) {
  auto when = read_item(value, {"key", "values", "notValues"});
  if (!when) return std::nullopt;
  Condition out;
  out.where = value.where();
  Value key = when->require("key");
  auto text = key.string();
  out.key = text.value_or("");
  std::optional<ValueCheck> check;
  if (text && text->empty()) {
    key.error("key must not be empty");
  } else if (text) {
    check = read_key(key, out);
  }
  if (check && custom && is_identity(out.attribute)) {
    key.error("attribute " + quote(out.key) + " is not supported with action CUSTOM");
  }
  Value values = when->get("values");
  Value not_values = when->get("notValues");
  out.values = read_values(values, check.value_or(nullptr));
  out.not_values = read_values(not_values, check.value_or(nullptr));
  if (!has_values(values) && !has_values(not_values)) {
    value.error("at least one of values or notValues must be set for key " + quote(out.key));
  }
  if (!check) return std::nullopt;
  return out;
}

}  // namespace gatehouse::config
