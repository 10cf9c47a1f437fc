// One VirtualService HTTPRoute: destinations, redirect, direct response, rewrite, header
// operations, timeout and retries, with Istio's validation rules.
#include <array>
#include <cstdint>

#include "config/decode.h"
#include "config/did_you_mean.h"
#include "config/retry_conditions.h"
#include "config/syntax.h"

namespace gatehouse::config {
namespace {

constexpr int64_t kInt32Max = INT32_MAX;
constexpr std::size_t kMaxDirectResponseBody = 1024 * 1024;

constexpr std::array<std::string_view, 2> kDerivePort{"FROM_PROTOCOL_DEFAULT", "FROM_REQUEST_PORT"};

bool is_authority(std::string_view name) { return name == ":authority" || name == "host"; }

// Header names for set/add/remove, as Istio's ValidateHTTPHeader*OperationName allow them.
std::optional<std::string> read_operation_name(const Value& at, std::string_view written,
                                               bool may_rewrite_authority) {
  std::string name = lower_case(written);
  if (may_rewrite_authority && is_authority(name)) return name;
  if (name == "host") {
    at.error("invalid header " + quote(written) + ": cannot set Host header");
    return std::nullopt;
  }
  if (name.starts_with(":")) {
    at.error("invalid header " + quote(written) + ": header cannot have \":\" prefix");
    return std::nullopt;
  }
  if (!check_header_name(at, name)) return std::nullopt;
  return name;
}

std::optional<std::string> read_header_value(const Value& value) {
  auto text = value.string();
  if (!text) return std::nullopt;
  if (!is_header_value(*text)) {
    value.error("header value " + quote(*text) + " is invalid");
    return std::nullopt;
  }
  if (text->find('%') != std::string::npos) {
    value.error(
        "header values with % (Envoy substitution variables) are not supported by "
        "gatehouse yet");
    return std::nullopt;
  }
  return text;
}

HeaderOperations read_operations(const Value& value, bool request) {
  Object ops = value.object({"set", "add", "remove"});
  HeaderOperations out;
  for (auto [field, into] : {std::pair{"set", &out.set}, std::pair{"add", &out.add}}) {
    for (auto& [written, header_value] : ops.get(field).entries()) {
      auto name = read_operation_name(header_value, written, request);
      auto text = read_header_value(header_value);
      if (name && text) into->emplace_back(std::move(*name), std::move(*text));
    }
  }
  for (const Value& item : ops.get("remove").items()) {
    auto written = item.string();
    if (!written) continue;
    if (auto name = read_operation_name(item, *written, false)) out.remove.push_back(*name);
  }
  return out;
}

Headers read_headers(const Value& value) {
  Object headers = value.object({"request", "response"});
  return Headers{read_operations(headers.get("request"), true),
                 read_operations(headers.get("response"), false)};
}

std::optional<uint32_t> read_port_selector(const Value& value) {
  Object selector = value.object({"number"});
  return selector.require("number").port();
}

RouteDestination read_route_destination(const Value& value) {
  Object item = value.object({"destination", "weight", "headers"});
  RouteDestination out;
  Object destination = item.require("destination").object({"host", "subset", "port"});
  Value host = destination.require("host");
  if (auto text = host.string()) {
    if (*text == "*") {
      host.error("invalid destination host *");
    } else if (auto problem = check_host(*text)) {
      host.error("invalid host " + quote(*text) + ": " + *problem);
    }
    out.destination.host = lower_case(*text);
  }
  Value subset = destination.get("subset");
  if (auto text = subset.string()) {
    if (!is_dns_label(*text, true)) subset.error("subset name is invalid: " + quote(*text));
    out.destination.subset = *text;
  }
  if (destination.has("port")) out.destination.port = read_port_selector(destination.get("port"));
  out.weight = static_cast<uint32_t>(item.get("weight").integer(0, kInt32Max).value_or(0));
  out.headers = read_headers(item.get("headers"));
  return out;
}

std::optional<HttpRedirect> read_redirect(const Value& value) {
  Object redirect =
      value.object({"uri", "authority", "port", "derivePort", "scheme", "redirectCode"});
  if (!redirect.present()) return std::nullopt;
  HttpRedirect out;
  out.uri = redirect.get("uri").string().value_or("");
  out.authority = redirect.get("authority").string().value_or("");
  out.port = redirect.get("port").port();
  if (auto index = redirect.get("derivePort").one_of(kDerivePort))
    out.derive_port = kDerivePort[*index];
  if (redirect.has("port") && redirect.has("derivePort")) {
    value.error("redirect may set only one of port and derivePort");
  }
  Value scheme = redirect.get("scheme");
  out.scheme = scheme.string().value_or("");
  if (!out.scheme.empty() && out.scheme != "http" && out.scheme != "https") {
    scheme.error("invalid redirect scheme, must be \"http\" or \"https\"");
  }
  Value code = redirect.get("redirectCode");
  if (auto number = code.integer(0, kInt32Max)) {
    if (*number != 301 && *number != 302 && *number != 303 && *number != 307 && *number != 308) {
      code.error("redirectCode must be one of 301, 302, 303, 307, 308, got " +
                 std::to_string(*number));
    }
    out.redirect_code = static_cast<uint32_t>(*number);
  }
  if (out.uri.empty() && out.authority.empty() && out.scheme.empty() && !redirect.has("port") &&
      !redirect.has("derivePort")) {
    value.error("redirect must specify uri, authority, scheme, port or derivePort");
  }
  return out;
}

std::optional<std::string> decode_base64(std::string_view text) {
  std::string out;
  uint32_t bits = 0;
  int count = 0;
  while (!text.empty() && text.back() == '=') text.remove_suffix(1);
  for (char c : text) {
    int digit;
    if (c >= 'A' && c <= 'Z')
      digit = c - 'A';
    else if (c >= 'a' && c <= 'z')
      digit = c - 'a' + 26;
    else if (c >= '0' && c <= '9')
      digit = c - '0' + 52;
    else if (c == '+' || c == '-')
      digit = 62;
    else if (c == '/' || c == '_')
      digit = 63;
    else
      return std::nullopt;
    bits = (bits << 6) | static_cast<uint32_t>(digit);
    if (++count % 4 == 0) {
      out.push_back(static_cast<char>(bits >> 16));
      out.push_back(static_cast<char>(bits >> 8));
      out.push_back(static_cast<char>(bits));
      bits = 0;
    }
  }
  if (count % 4 == 1) return std::nullopt;
  if (count % 4 == 2) out.push_back(static_cast<char>(bits >> 4));
  if (count % 4 == 3) {
    out.push_back(static_cast<char>(bits >> 10));
    out.push_back(static_cast<char>(bits >> 2));
  }
  return out;
}

std::optional<DirectResponse> read_direct_response(const Value& value) {
  Object response = value.object({"status", "body"});
  if (!response.present()) return std::nullopt;
  DirectResponse out;
  out.status = static_cast<uint32_t>(response.require("status").integer(200, 599).value_or(0));
  Value body_value = response.get("body");
  Object body = body_value.object({"string", "bytes"});
  if (body.has("string") && body.has("bytes")) {
    body_value.error("body may set only one of string and bytes");
  }
  if (auto text = body.get("string").string()) out.body = std::move(*text);
  Value bytes = body.get("bytes");
  if (auto text = bytes.string()) {
    auto decoded = decode_base64(*text);
    if (!decoded) bytes.error("is not valid base64");
    out.body = decoded.value_or("");
  }
  if (out.body.size() > kMaxDirectResponseBody) {
    body_value.error("direct response body must be at most 1MB");
  }
  return out;
}

std::optional<HttpRewrite> read_rewrite(const Value& value) {
  Object rewrite = value.object({"uri", "authority", "uriRegexRewrite"});
  if (!rewrite.present()) return std::nullopt;
  HttpRewrite out;
  out.uri = rewrite.get("uri").string().value_or("");
  out.authority = rewrite.get("authority").string().value_or("");
  Value regex_value = rewrite.get("uriRegexRewrite");
  if (regex_value.present()) {
    Object regex = regex_value.object({"match", "rewrite"});
    RegexRewrite regex_rewrite;
    regex_rewrite.match = read_regex(regex.require("match")).value_or("");
    regex_rewrite.rewrite = regex.require("rewrite").string().value_or("");
    out.uri_regex_rewrite = std::move(regex_rewrite);
  }
  if (!out.uri.empty() && out.uri_regex_rewrite) {
    value.error("rewrite may only contain one of uri or uriRegexRewrite");
  }
  if (out.uri.empty() && !out.uri_regex_rewrite && out.authority.empty()) {
    value.error("rewrite must specify at least one of uri, uriRegexRewrite or authority");
  }
  return out;
}

bool is_retry_policy(std::string_view policy) {
  if (is_retry_on_condition(policy)) return true;
  bool digits = policy.size() == 3;
  for (char c : policy) digits = digits && c >= '0' && c <= '9';
  return digits && policy >= "100" && policy <= "599";
}

// A retries block replaces Istio's default policy: attempts not given means 0 (disabled).
std::optional<Retries> read_retries(const Value& value) {
  Object retries = value.object({"attempts", "perTryTimeout", "retryOn", "retryRemoteLocalities",
                                 "retryIgnorePreviousHosts", "backoff"});
  if (!retries.present()) return std::nullopt;
  retries.refuse({"retryIgnorePreviousHosts", "backoff"});
  Retries out;
  out.attempts = static_cast<uint32_t>(retries.get("attempts").integer(0, kInt32Max).value_or(0));
  if (auto timeout = retries.get("perTryTimeout").duration()) out.per_try_timeout = *timeout;
  Value retry_on = retries.get("retryOn");
  if (auto text = retry_on.string()) {
    std::string_view rest = *text;
    while (true) {
      std::string_view policy = rest.substr(0, rest.find(','));
      if (!is_retry_policy(policy)) {
        retry_on.error(with_suggestion(quote(policy) + " is not a valid retryOn policy", policy,
                                       kRetryOnConditions));
      }
      if (policy.size() == rest.size()) break;
      rest.remove_prefix(policy.size() + 1);
    }
    out.retry_on = *text;
  }
  retries.get("retryRemoteLocalities").boolean();  // no localities in one gateway
  bool tuned = retries.has("perTryTimeout") || retries.has("retryOn") ||
               retries.has("retryRemoteLocalities");
  if (out.attempts == 0 && tuned) {
    value.error("http retry policy configured when attempts are set to 0 (disabled)");
  }
  return out;
}

bool sets_authority(const HeaderOperations& request) {
  for (const auto* list : {&request.set, &request.add}) {
    for (const auto& [name, value] : *list) {
      if (is_authority(name)) return true;
    }
  }
  return false;
}

}  // namespace

HttpRoute decode_http_route(const Value& value, const VirtualService& vs, CrossReferences& refs) {
  Object route = value.object({"name", "match", "route", "redirect", "directResponse", "delegate",
                               "rewrite", "timeout", "retries", "fault", "mirror", "mirrors",
                               "mirrorPercent", "mirrorPercentage", "corsPolicy", "headers"});
  route.refuse({"delegate", "fault", "mirror", "mirrors", "mirrorPercent", "mirrorPercentage",
                "corsPolicy"});
  HttpRoute out;
  out.where = value.where();
  out.name = route.get("name").string().value_or("");
  for (const Value& match : route.get("match").items()) {
    out.match.push_back(decode_http_match(match, vs, refs));
  }
  Value destinations = route.get("route");
  uint64_t total_weight = 0;
  for (const Value& item : destinations.items()) {
    out.route.push_back(read_route_destination(item));
    total_weight += out.route.back().weight;
  }
  if (out.route.size() > 1 && total_weight == 0) {
    destinations.error("total destination weight = 0: give at least one destination a weight");
  }
  out.redirect = read_redirect(route.get("redirect"));
  out.direct_response = read_direct_response(route.get("directResponse"));
  out.rewrite = read_rewrite(route.get("rewrite"));
  if (auto timeout = route.get("timeout").duration()) out.timeout = *timeout;
  if (auto retries = read_retries(route.get("retries"))) out.retries = *retries;
  out.headers = read_headers(route.get("headers"));

  int actions =
      (out.route.empty() ? 0 : 1) + (out.redirect ? 1 : 0) + (out.direct_response ? 1 : 0);
  if (actions != 1) {
    value.error("an HTTP route needs exactly one of route, redirect or directResponse");
  }
  if (out.rewrite && (out.redirect || out.direct_response)) {
    value.error("rewrite cannot be combined with redirect or directResponse");
  }
  if (out.rewrite && !out.rewrite->authority.empty() && sets_authority(out.headers.request)) {
    value.error(
        "authority header cannot be set multiple times (rewrite.authority and "
        "headers.request)");
  }
  return out;
}

}  // namespace gatehouse::config
