// VirtualService HTTPMatchRequest and StringMatch, with regexes compiled by RE2 at load
// time so a bad one is reported with its line.
#include "config/decode.h"
#include "config/did_you_mean.h"
#include "config/syntax.h"

namespace gatehouse::config {
namespace {

constexpr std::size_t kMaxRegexLength = 1024;  // Istio's limit

// `{}` means "present" for headers and query parameters; elsewhere one kind must be set.
std::optional<StringMatch> read_string_match(const Value& value, bool empty_means_present) {
  Object match = value.object({"exact", "prefix", "regex"});
  if (!match.present()) return std::nullopt;
  int kinds =
      (match.has("exact") ? 1 : 0) + (match.has("prefix") ? 1 : 0) + (match.has("regex") ? 1 : 0);
  if (kinds > 1) {
    value.error("set only one of exact, prefix and regex");
    return std::nullopt;
  }
  if (kinds == 0) {
    if (empty_means_present) return StringMatch{StringMatch::Kind::Present, ""};
    value.error("set one of exact, prefix or regex");
    return std::nullopt;
  }
  if (match.has("exact")) {
    auto text = match.get("exact").string();
    if (!text) return std::nullopt;
    return StringMatch{StringMatch::Kind::Exact, std::move(*text)};
  }
  if (match.has("prefix")) {
    Value prefix = match.get("prefix");
    auto text = prefix.string();
    if (!text) return std::nullopt;
    if (text->empty()) prefix.error("prefix string match should not be empty");
    return StringMatch{StringMatch::Kind::Prefix, std::move(*text)};
  }
  auto regex = read_regex(match.get("regex"));
  if (!regex) return std::nullopt;
  return StringMatch{StringMatch::Kind::Regex, std::move(*regex)};
}

std::vector<NamedMatch> read_header_matches(const Value& value) {
  std::vector<NamedMatch> out;
  for (auto& [written, match_value] : value.entries()) {
    std::string name = lower_case(written);
    if (name.starts_with("@request.auth.claims")) {
      match_value.error("JWT claim based routing (" + quote(written) +
                        ") is not supported by gatehouse yet");
      continue;
    }
    // Istio documents these keys as ignored in header matches.
    if (name == "uri" || name == "scheme" || name == "method" || name == "authority") continue;
    if (!is_pseudo_header(name) && !check_header_name(match_value, name)) continue;
    if (!match_value.present()) {
      match_value.error("header match " + quote(written) + " cannot be null");
      continue;
    }
    if (auto match = read_string_match(match_value, true)) out.emplace_back(name, *match);
  }
  return out;
}

std::vector<NamedMatch> read_query_matches(const Value& value) {
  std::vector<NamedMatch> out;
  for (auto& [name, match_value] : value.entries()) {
    if (name.empty()) {
      match_value.error("query parameter name cannot be empty");
      continue;
    }
    if (!match_value.present()) {
      match_value.error("query param match " + quote(name) + " cannot be null");
      continue;
    }
    if (auto match = read_string_match(match_value, true)) out.emplace_back(name, *match);
  }
  return out;
}

}  // namespace

std::optional<std::string> read_regex(const Value& value) {
  auto text = value.string();
  if (!text) return std::nullopt;
  if (text->empty()) {
    value.error("regex string match should not be empty");
    return std::nullopt;
  }
  if (text->size() > kMaxRegexLength) {
    value.error("regex is too large, max length allowed is " + std::to_string(kMaxRegexLength));
    return std::nullopt;
  }
  if (auto problem = value.scope().regexes.check(*text)) {
    value.error("invalid regex " + quote(*text) + ": " + *problem);
    return std::nullopt;
  }
  return text;
}

bool is_pseudo_header(std::string_view name) {
  return name == ":method" || name == ":scheme" || name == ":authority" || name == ":path" ||
         name == ":status";
}

bool check_header_name(const Value& at, std::string_view name) {
  if (name.empty()) {
    at.error("header name cannot be empty");
    return false;
  }
  if (!is_http_token(name)) {
    at.error("header name " + quote(name) + " is not a valid header name");
    return false;
  }
  return true;
}

HttpMatch decode_http_match(const Value& value, const VirtualService& vs, CrossReferences& refs) {
  Object match = value.object({"name", "uri", "scheme", "method", "authority", "headers", "port",
                               "sourceLabels", "gateways", "queryParams", "ignoreUriCase",
                               "withoutHeaders", "sourceNamespace", "statPrefix"});
  match.refuse({"sourceLabels", "sourceNamespace"});
  HttpMatch out;
  out.where = value.where();
  out.name = match.get("name").string().value_or("");
  match.get("statPrefix").string();  // names Envoy statistics; gatehouse has its own metrics
  out.uri = read_string_match(match.get("uri"), false);
  out.scheme = read_string_match(match.get("scheme"), false);
  out.method = read_string_match(match.get("method"), false);
  out.authority = read_string_match(match.get("authority"), false);
  out.headers = read_header_matches(match.get("headers"));
  out.without_headers = read_header_matches(match.get("withoutHeaders"));
  out.query_params = read_query_matches(match.get("queryParams"));
  out.ignore_uri_case = match.get("ignoreUriCase").boolean().value_or(false);
  out.port = match.get("port").port();
  for (const Value& gateway : match.get("gateways").items()) {
    if (auto name = read_gateway_name(gateway, vs, refs)) out.gateways.push_back(*name);
  }
  return out;
}

}  // namespace gatehouse::config
