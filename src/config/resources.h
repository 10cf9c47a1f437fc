// Typed configuration resources: what the YAML files say, after strict decoding.
// Istio kinds keep Istio's field names and defaults; gatehouse kinds (Listener,
// TargetGroup, MeshConfig) keep ALB's. Runtime modules take these structs, never YAML.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "config/authenticate_oidc.h"
#include "config/resource_base.h"
#include "config/security_resources.h"

namespace gatehouse::config {

// ---- networking.istio.io -------------------------------------------------------------

// Istio StringMatch. `Present` stands for an empty match `{}` (the header must exist).
struct StringMatch {
  enum class Kind { Exact, Prefix, Regex, Present };
  Kind kind = Kind::Exact;
  std::string value;
};
using NamedMatch = std::pair<std::string, StringMatch>;

struct GatewayServer {
  uint32_t port = 0;
  std::string port_name;
  std::string protocol;  // upper-cased: HTTP, HTTPS, ...
  std::vector<std::string> hosts;
  std::string bind;
  std::string name;
  bool https_redirect = false;
  std::string tls_mode;  // SIMPLE, MUTUAL, ...; empty when no tls block
  std::string credential_name;
  SourceLocation where;
};

struct Gateway : ResourceBase {
  Labels selector;
  std::vector<GatewayServer> servers;
};

struct HttpMatch {
  std::string name;
  std::optional<StringMatch> uri, scheme, method, authority;
  std::vector<NamedMatch> headers;          // names lower-cased
  std::vector<NamedMatch> without_headers;  // names lower-cased
  std::vector<NamedMatch> query_params;
  bool ignore_uri_case = false;
  std::optional<uint32_t> port;
  std::vector<std::string> gateways;
  SourceLocation where;
};

struct HeaderOperations {
  std::vector<std::pair<std::string, std::string>> set, add;
  std::vector<std::string> remove;
};
struct Headers {
  HeaderOperations request, response;
};

struct Destination {
  std::string host;
  std::string subset;
  std::optional<uint32_t> port;
};

struct RouteDestination {
  Destination destination;
  uint32_t weight = 0;
  Headers headers;
};

struct HttpRedirect {
  std::string uri, authority, scheme;
  std::optional<uint32_t> port;
  std::string derive_port;  // FROM_PROTOCOL_DEFAULT | FROM_REQUEST_PORT | empty
  uint32_t redirect_code = 301;
};

struct RegexRewrite {
  std::string match, rewrite;
};

struct HttpRewrite {
  std::string uri, authority;
  std::optional<RegexRewrite> uri_regex_rewrite;
};

struct DirectResponse {
  uint32_t status = 0;
  std::string body;
};

struct Retries {
  uint32_t attempts = 2;
  Millis per_try_timeout{0};  // 0 = the route timeout applies
  std::string retry_on =
      "connect-failure,refused-stream,unavailable,cancelled,retriable-status-codes";
};

struct HttpRoute {
  std::string name;
  std::vector<HttpMatch> match;
  std::vector<RouteDestination> route;
  std::optional<HttpRedirect> redirect;
  std::optional<DirectResponse> direct_response;
  std::optional<HttpRewrite> rewrite;
  Millis timeout{0};  // 0 = none, Istio's default
  Retries retries;    // Istio's defaults when the field is omitted
  Headers headers;
  SourceLocation where;
};

struct VirtualService : ResourceBase {
  std::vector<std::string> hosts;
  std::vector<std::string> gateways;
  std::vector<HttpRoute> http;
};

struct ServicePort {
  uint32_t number = 0;
  std::string protocol;
  std::string name;
  uint32_t target_port = 0;
};

struct WorkloadEntry {
  std::string address;
  std::map<std::string, uint32_t> ports;  // port name -> port
  Labels labels;
  uint32_t weight = 0;
};

struct ServiceEntry : ResourceBase {
  std::vector<std::string> hosts;
  std::vector<std::string> addresses;
  std::vector<ServicePort> ports;
  std::string location = "MESH_EXTERNAL";
  std::string resolution = "NONE";  // NONE | STATIC | DNS | DNS_ROUND_ROBIN
  std::vector<WorkloadEntry> endpoints;
  Labels workload_selector;
};

struct LoadBalancerSettings {
  enum class Simple { RoundRobin, LeastRequest, Random, Passthrough };
  Simple simple = Simple::LeastRequest;  // Istio's default is LEAST_REQUEST
};

struct ConnectionPoolSettings {
  uint32_t max_connections = 0;  // 0 = unlimited
  Millis connect_timeout{10000};
  Millis idle_timeout{3600000};
  uint32_t http1_max_pending_requests = 0;
  uint32_t max_requests_per_connection = 0;
};

struct TrafficPolicy {
  std::optional<LoadBalancerSettings> load_balancer;
  std::optional<ConnectionPoolSettings> connection_pool;
};

struct Subset {
  std::string name;
  Labels labels;
  TrafficPolicy traffic_policy;
};

struct DestinationRule : ResourceBase {
  std::string host;
  TrafficPolicy traffic_policy;
  std::vector<Subset> subsets;
};

// ---- gatehouse.dev/v1alpha1 ----------------------------------------------------------

// Path normalization modes, as in Istio's meshConfig.pathNormalization.normalization.
enum class PathNormalization { None, Base, MergeSlashes, DecodeAndMergeSlashes };

// A meshConfig.extensionProviders entry of kind envoyExtAuthzHttp: the external HTTP
// authorizer a CUSTOM AuthorizationPolicy names. Header lists hold Istio's patterns
// (exact, `prefix*`, `*suffix`), lower-cased.
struct ExtAuthzHttpProvider {
  std::string name;
  std::string service;  // `[namespace/]host`, host lower-cased
  uint32_t port = 0;
  Millis timeout{600000};
  std::string path_prefix;  // empty or starting with '/'
  bool fail_open = false;
  uint32_t status_on_error = 403;
  std::vector<std::string> include_request_headers_in_check;
  std::vector<std::pair<std::string, std::string>> include_additional_headers_in_check;
  std::vector<std::string> headers_to_upstream_on_allow;
  std::vector<std::string> headers_to_downstream_on_deny;
  std::vector<std::string> headers_to_downstream_on_allow;
  SourceLocation where;
};

// Mesh-wide settings (Istio keeps these in meshConfig). At most one per config.
// gatehouse's addition: authorization explanations in a response header, for callers whose
// TCP peer address is trusted (the explanation names policies and fields, which outsiders
// should not learn). Off while `trusted_sources` is empty.
struct DecisionExplanation {
  std::string header = "x-gatehouse-authz";  // lower-case
  std::vector<std::string> trusted_sources;  // IPs or CIDRs
};

struct MeshConfig : ResourceBase {
  std::string root_namespace = "istio-system";
  PathNormalization path_normalization = PathNormalization::Base;
  std::vector<ExtAuthzHttpProvider> extension_providers;
  DecisionExplanation explain_decisions;
};

// ALB's listener rule condition fields, named by kConditionFields in this order.
enum class ConditionField {
  PathPattern,
  HostHeader,
  HttpHeader,
  HttpRequestMethod,
  QueryString,
  SourceIp
};
inline constexpr std::array<std::string_view, 6> kConditionFields{
    "path-pattern",        "host-header",  "http-header",
    "http-request-method", "query-string", "source-ip"};

// One query-string condition value: ALB's QueryStringKeyValue. No key matches any key.
struct QueryStringKeyValue {
  std::optional<std::string> key;
  std::string value;
};

// ALB listener rule condition. `field` is one of path-pattern, host-header, http-header,
// http-request-method, query-string, source-ip.
struct RuleCondition {
  std::string field;
  std::vector<std::string> values;                // every field but query-string
  std::string http_header_name;                   // http-header only
  std::vector<QueryStringKeyValue> query_values;  // query-string only
  SourceLocation where;
};

struct WeightedTargetGroup {
  std::string target_group_name;
  uint32_t weight = 1;
};

struct FixedResponseConfig {
  uint32_t status_code = 0;
  std::string content_type = "text/plain";
  std::string message_body;
};

// ALB RedirectConfig; unset components keep their `#{...}` defaults, the request's own.
struct RedirectConfig {
  std::string protocol = "#{protocol}";  // HTTP | HTTPS | #{protocol}
  std::string host = "#{host}";
  std::string port = "#{port}";  // 1-65535 | #{port}
  std::string path = "/#{path}";
  std::string query = "#{query}";
  uint32_t status_code = 0;  // 301 | 302
};

struct RuleAction {
  std::string type;  // forward | fixed-response | redirect
  uint32_t order = 0;
  std::vector<WeightedTargetGroup> target_groups;  // forward
  std::optional<FixedResponseConfig> fixed_response;
  std::optional<RedirectConfig> redirect;
  std::optional<AuthenticateOidcConfig> authenticate_oidc;
  SourceLocation where;
};

struct ListenerRule {
  uint32_t priority = 0;
  std::vector<RuleCondition> conditions;
  std::vector<RuleAction> actions;  // sorted by order
  SourceLocation where;
};

struct Certificate {
  std::string certificate_file;
  std::string key_file;
  SourceLocation where;  // the list item
};

struct Listener : ResourceBase {
  std::string address = "0.0.0.0";
  uint32_t port = 0;
  std::string protocol = "HTTP";  // HTTP | HTTPS
  std::vector<Certificate> certificates;
  std::vector<RuleAction> default_actions;
  std::vector<ListenerRule> rules;  // sorted by priority
  // Peers (IPs or CIDRs) whose x-amzn-oidc-* headers are kept: a real ALB in front of this
  // listener. Everyone else's are removed (gatehouse's own logins add them).
  std::vector<std::string> trust_oidc_headers_from;
};

struct Target {
  std::string id;  // IP address
  uint32_t port = 0;
};

struct HealthCheck {
  bool enabled = true;
  std::string protocol = "HTTP";
  std::string port = "traffic-port";
  std::string path = "/";
  uint32_t interval_seconds = 30;
  uint32_t timeout_seconds = 5;
  uint32_t healthy_threshold = 5;
  uint32_t unhealthy_threshold = 2;
  std::string matcher_http_code = "200";
};

struct TargetGroup : ResourceBase {
  std::string target_type = "ip";  // ip | mesh
  std::string protocol = "HTTP";
  uint32_t port = 0;  // ip: default target port; mesh: the Gateway server port
  std::vector<Target> targets;
  HealthCheck health_check;
  std::string load_balancing_algorithm = "round_robin";  // | least_outstanding_requests
};

// Everything one `--config` set declares, in file order.
struct Snapshot {
  std::vector<Gateway> gateways;
  std::vector<VirtualService> virtual_services;
  std::vector<ServiceEntry> service_entries;
  std::vector<DestinationRule> destination_rules;
  std::vector<RequestAuthentication> request_authentications;
  std::vector<AuthorizationPolicy> authorization_policies;
  std::vector<Listener> listeners;
  std::vector<TargetGroup> target_groups;
  MeshConfig mesh;
};

}  // namespace gatehouse::config
