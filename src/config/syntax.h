// Syntax checks for names found in config: Kubernetes object names and labels, Istio host
// names, IP literals, HTTP header names. Each returns why the text is invalid, or nullopt.
// Internal to the config module; pure functions.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace gatehouse::config {

using SyntaxError = std::optional<std::string>;

// RFC 1123 label: [a-z0-9]([-a-z0-9]*[a-z0-9])?, at most 63 characters. Istio also
// accepts upper case in host names and subset names (`any_case`).
bool is_dns_label(std::string_view text, bool any_case = false);

// Kubernetes object name (RFC 1123 subdomain: lower-case labels joined by '.', <= 253).
SyntaxError check_object_name(std::string_view text);
// Kubernetes label key ([prefix/]name) and value.
SyntaxError check_label_key(std::string_view text);
SyntaxError check_label_value(std::string_view text);

// A host as Istio's ValidateWildcardDomain reads it, except that `*` is only allowed as
// the whole left-most label ("*" or "*.example.com"): a short name, an FQDN, a wildcard.
SyntaxError check_host(std::string_view text);
// A Gateway server host: `[namespace/]dnsName`, namespace `*`, `.` or a label; the
// dnsName is `*`, a wildcard or an FQDN (no short names), or an IP address.
SyntaxError check_gateway_host(std::string_view text);

bool is_ipv4(std::string_view text);
bool is_ipv6(std::string_view text);
inline bool is_ip(std::string_view text) { return is_ipv4(text) || is_ipv6(text); }
bool is_unspecified_ip(std::string_view text);  // 0.0.0.0 or ::
bool is_cidr(std::string_view text);            // address/prefix-length

// A port written as Istio's authorization policies take it: decimal digits, 0-65535.
std::optional<uint32_t> parse_port_number(std::string_view text);

// An absolute http:// or https:// URL (scheme in any case) with a host and, if given, a
// port 1-65535.
SyntaxError check_http_url(std::string_view text);

// An Istio authorization path. Paths with {*} (one segment) or {**} (the rest of the path)
// are URI templates, which Envoy only takes in this shape: starting with '/', no "//",
// every segment either an operator or literal path characters, nothing but literals after
// {**}. Other paths are plain patterns and always valid.
SyntaxError check_path_template(std::string_view path);

// RFC 9110 token, the characters allowed in header names.
bool is_http_token(std::string_view text);
// A header value Envoy accepts: no control characters except horizontal tab.
bool is_header_value(std::string_view text);

std::string lower_case(std::string_view text);
std::string upper_case(std::string_view text);

}  // namespace gatehouse::config
