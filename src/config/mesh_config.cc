// gatehouse.dev MeshConfig: the mesh-wide settings Istio keeps in meshConfig, including the
// extension providers CUSTOM AuthorizationPolicies name.
#include <algorithm>
#include <array>
#include <cctype>
#include <set>

#include "config/decode.h"
#include "config/did_you_mean.h"
#include "config/syntax.h"

namespace gatehouse::config {
namespace {

// DEFAULT is Istio's name for "the default", which currently is BASE.
constexpr std::array<std::string_view, 5> kNormalizationNames{
    "NONE", "BASE", "DEFAULT", "MERGE_SLASHES", "DECODE_AND_MERGE_SLASHES"};
constexpr std::array<PathNormalization, 5> kNormalizationValues{
    PathNormalization::None, PathNormalization::Base, PathNormalization::Base,
    PathNormalization::MergeSlashes, PathNormalization::DecodeAndMergeSlashes};

// Every provider kind of Istio's meshConfig.extensionProviders; gatehouse calls HTTP
// external authorizers only.
constexpr std::string_view kExtAuthzHttp = "envoyExtAuthzHttp";
constexpr std::array<std::string_view, 15> kProviderKinds{
    kExtAuthzHttp, "envoyExtAuthzGrpc",  "zipkin",       "lightstep",     "datadog",
    "stackdriver", "opencensus",         "skywalking",   "opentelemetry", "prometheus",
    "sds",         "envoyFileAccessLog", "envoyHttpAls", "envoyTcpAls",   "envoyOtelAls"};

// Envoy's StatusCode enum (envoy.type.v3), the statuses statusOnError may name.
constexpr auto kEnvoyStatusCodes = std::to_array<int64_t>(
    {100, 200, 201, 202, 203, 204, 205, 206, 207, 208, 226, 300, 301, 302, 303, 304, 305, 307, 308,
     400, 401, 402, 403, 404, 405, 406, 407, 408, 409, 410, 411, 412, 413, 414, 415, 416, 417, 421,
     422, 423, 424, 426, 428, 429, 431, 500, 501, 502, 503, 504, 505, 506, 507, 508, 510, 511});

// `[namespace/]host`, as Istio's validateExtensionProviderService reads it: a DNS name
// (no wildcards) or an IP address, optionally after a namespace.
std::optional<std::string> read_service(const Value& value) {
  auto text = value.string();
  if (!text) return std::nullopt;
  std::size_t slash = text->find('/');
  std::size_t host_start = slash == std::string::npos ? 0 : slash + 1;
  std::string_view host = std::string_view(*text).substr(host_start);
  bool valid_ns = slash == std::string::npos || is_dns_label(text->substr(0, slash));
  bool valid_host = is_ip(host) || (host.find('*') == std::string::npos && !check_host(host));
  if (!valid_ns || !valid_host) {
    value.error("invalid service " + quote(*text) + ": expected [<namespace>/]<hostname>");
    return std::nullopt;
  }
  return text->substr(0, host_start) + lower_case(host);
}

// Go's url.Parse refuses control characters and broken %-escapes; Istio also wants a '/'.
void check_path_prefix(const Value& value, const std::string& prefix) {
  bool escapes_ok = true;
  for (std::size_t i = 0; i < prefix.size(); ++i) {
    if (prefix[i] == '%') {
      escapes_ok = escapes_ok && i + 2 < prefix.size() &&
                   std::isxdigit(static_cast<unsigned char>(prefix[i + 1])) &&
                   std::isxdigit(static_cast<unsigned char>(prefix[i + 2]));
    }
  }
  if (!prefix.starts_with('/')) {
    value.error("pathPrefix must begin with '/', got " + quote(prefix));
  } else if (!escapes_ok || !is_header_value(prefix)) {
    value.error("invalid pathPrefix " + quote(prefix));
  }
}

// Header name patterns: exact, `prefix*` or `*suffix`, compared without case.
std::vector<std::string> read_header_patterns(const Value& list) {
  std::vector<std::string> patterns;
  for (const Value& item : list.items()) {
    if (!require_item(item)) continue;
    if (auto text = item.string()) patterns.push_back(lower_case(*text));
  }
  return patterns;
}

void read_check_request(const Object& http, ExtAuthzHttpProvider& out) {
  // includeHeadersInCheck is the deprecated name of includeRequestHeadersInCheck.
  Value headers = http.get("includeRequestHeadersInCheck");
  Value deprecated = http.get("includeHeadersInCheck");
  if (headers.present() && deprecated.present()) {
    deprecated.error(
        "set only includeRequestHeadersInCheck (includeHeadersInCheck is its deprecated name)");
  }
  out.include_request_headers_in_check =
      read_header_patterns(headers.present() ? headers : deprecated);
  for (auto& [name, value] : http.get("includeAdditionalHeadersInCheck").entries()) {
    auto text = value.string();
    if (!check_header_name(value, name) || !text) continue;
    if (!is_header_value(*text)) {
      value.error("header value " + quote(*text) + " is invalid");
      continue;
    }
    out.include_additional_headers_in_check.emplace_back(lower_case(name), *text);
  }
}

ExtAuthzHttpProvider read_ext_authz_http(const Value& value) {
  Object http = value.object({"service", "port", "timeout", "pathPrefix", "failOpen",
                              "statusOnError", "includeHeadersInCheck",
                              "includeRequestHeadersInCheck", "includeAdditionalHeadersInCheck",
                              "includeRequestBodyInCheck", "headersToUpstreamOnAllow",
                              "headersToDownstreamOnDeny", "headersToDownstreamOnAllow"});
  // Sending the body means buffering it, which gatehouse does not do yet.
  http.refuse({"includeRequestBodyInCheck"});
  ExtAuthzHttpProvider out;
  out.service = read_service(http.require("service")).value_or("");
  out.port = http.require("port").port().value_or(0);
  if (auto timeout = http.get("timeout").duration()) out.timeout = *timeout;
  Value prefix = http.get("pathPrefix");
  out.path_prefix = prefix.string().value_or("");
  if (!out.path_prefix.empty()) check_path_prefix(prefix, out.path_prefix);
  out.fail_open = http.get("failOpen").boolean().value_or(false);
  Value status = http.get("statusOnError");
  if (auto code = status.integer(0, 999)) {
    if (std::find(kEnvoyStatusCodes.begin(), kEnvoyStatusCodes.end(), *code) ==
        kEnvoyStatusCodes.end()) {
      status.error("unsupported statusOnError " + std::to_string(*code) +
                   " (not an HTTP status Envoy knows)");
    } else {
      out.status_on_error = static_cast<uint32_t>(*code);
    }
  }
  read_check_request(http, out);
  out.headers_to_upstream_on_allow = read_header_patterns(http.get("headersToUpstreamOnAllow"));
  out.headers_to_downstream_on_deny = read_header_patterns(http.get("headersToDownstreamOnDeny"));
  out.headers_to_downstream_on_allow = read_header_patterns(http.get("headersToDownstreamOnAllow"));
  return out;
}

std::optional<ExtAuthzHttpProvider> read_extension_provider(const Value& value,
                                                            std::set<std::string>& names) {
  auto provider = read_item(
      value, {"name", "envoyExtAuthzHttp", "envoyExtAuthzGrpc", "zipkin", "lightstep", "datadog",
              "stackdriver", "opencensus", "skywalking", "opentelemetry", "prometheus", "sds",
              "envoyFileAccessLog", "envoyHttpAls", "envoyTcpAls", "envoyOtelAls"});
  if (!provider) return std::nullopt;
  Value name = provider->require("name");
  auto text = name.string();
  if (text && text->empty()) {
    name.error("extension provider name must not be empty");
  } else if (text && !names.insert(*text).second) {
    name.error("duplicate extension provider name " + quote(*text));
  }
  int kinds = 0;
  for (std::string_view kind : kProviderKinds) {
    if (!provider->has(kind)) continue;
    ++kinds;
    if (kind != kExtAuthzHttp) {
      provider->get(kind).error("extension provider kind " + std::string(kind) +
                                " is not supported by gatehouse yet (only envoyExtAuthzHttp)");
    }
  }
  if (kinds != 1) {
    value.error(kinds == 0 ? "an extension provider needs a kind, such as envoyExtAuthzHttp"
                           : "an extension provider has exactly one kind");
  }
  Value http = provider->get(kExtAuthzHttp);
  if (!http.present()) return std::nullopt;
  ExtAuthzHttpProvider out = read_ext_authz_http(http);
  out.name = text.value_or("");
  out.where = value.where();
  return out;
}

void read_explain_decisions(const Value& value, DecisionExplanation& out) {
  Object explain = value.object({"header", "trustedSources"});
  Value header = explain.get("header");
  if (auto text = header.string()) {
    if (is_http_token(*text))
      out.header = lower_case(*text);
    else
      header.error("invalid header name " + quote(*text));
  }
  for (const Value& item : explain.get("trustedSources").items()) {
    if (!require_item(item)) continue;
    auto text = item.string();
    if (!text) continue;
    if (is_ip(*text) || is_cidr(*text))
      out.trusted_sources.push_back(*text);
    else
      item.error("invalid IP address or CIDR " + quote(*text));
  }
}

}  // namespace

void decode_mesh_config(const Value& spec_value, MeshConfig& out) {
  Object spec = spec_value.object(
      {"rootNamespace", "pathNormalization", "extensionProviders", "explainDecisions"});
  Value root = spec.get("rootNamespace");
  if (auto text = root.string()) {
    if (!is_dns_label(*text)) {
      root.error("invalid namespace " + quote(*text) +
                 ": must be a lower-case RFC 1123 label (letters, digits, '-'; at most 63)");
    }
    out.root_namespace = *text;
  }
  Object normalization = spec.get("pathNormalization").object({"normalization"});
  if (auto index = normalization.get("normalization").one_of(kNormalizationNames)) {
    out.path_normalization = kNormalizationValues[*index];
  }
  read_explain_decisions(spec.get("explainDecisions"), out.explain_decisions);
  std::set<std::string> names;
  for (const Value& item : spec.get("extensionProviders").items()) {
    if (auto provider = read_extension_provider(item, names)) {
      out.extension_providers.push_back(std::move(*provider));
    }
  }
}

}  // namespace gatehouse::config
