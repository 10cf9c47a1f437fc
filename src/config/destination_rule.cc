// networking.istio.io DestinationRule: load balancing and connection pool settings, and
// subsets by labels. Policies gatehouse does not implement are refused, not ignored.
#include <array>
#include <cstdint>
#include <set>

#include "config/decode.h"
#include "config/did_you_mean.h"
#include "config/syntax.h"

namespace gatehouse::config {
namespace {

constexpr int64_t kInt32Max = INT32_MAX;

// LEAST_CONN is the deprecated name of LEAST_REQUEST; UNSPECIFIED means the default.
constexpr std::array<std::string_view, 6> kSimpleNames{
    "UNSPECIFIED", "LEAST_CONN", "RANDOM", "PASSTHROUGH", "ROUND_ROBIN", "LEAST_REQUEST"};
constexpr std::array<LoadBalancerSettings::Simple, 6> kSimpleValues{
    LoadBalancerSettings::Simple::LeastRequest, LoadBalancerSettings::Simple::LeastRequest,
    LoadBalancerSettings::Simple::Random,       LoadBalancerSettings::Simple::Passthrough,
    LoadBalancerSettings::Simple::RoundRobin,   LoadBalancerSettings::Simple::LeastRequest};

constexpr std::array<std::string_view, 4> kClientTlsModes{"DISABLE", "SIMPLE", "MUTUAL",
                                                          "ISTIO_MUTUAL"};

std::optional<LoadBalancerSettings> read_load_balancer(const Value& value) {
  Object balancer = value.object(
      {"simple", "consistentHash", "localityLbSetting", "warmupDurationSecs", "warmup"});
  if (!balancer.present()) return std::nullopt;
  balancer.refuse({"consistentHash", "localityLbSetting", "warmupDurationSecs", "warmup"});
  LoadBalancerSettings out;
  if (auto index = balancer.get("simple").one_of(kSimpleNames)) out.simple = kSimpleValues[*index];
  return out;
}

std::optional<ConnectionPoolSettings> read_connection_pool(const Value& value) {
  Object pool = value.object({"tcp", "http"});
  if (!pool.present()) return std::nullopt;
  if (!pool.get("tcp").present() && !pool.get("http").present()) {
    value.error("connection pool must have at least one field");
  }
  ConnectionPoolSettings out;
  Object tcp = pool.get("tcp").object(
      {"maxConnections", "connectTimeout", "tcpKeepalive", "maxConnectionDuration", "idleTimeout"});
  tcp.refuse({"tcpKeepalive", "maxConnectionDuration", "idleTimeout"});
  out.max_connections =
      static_cast<uint32_t>(tcp.get("maxConnections").integer(0, kInt32Max).value_or(0));
  if (auto timeout = tcp.get("connectTimeout").duration()) out.connect_timeout = *timeout;
  Object http = pool.get("http").object(
      {"http1MaxPendingRequests", "http2MaxRequests", "maxRequestsPerConnection", "maxRetries",
       "idleTimeout", "h2UpgradePolicy", "useClientProtocol", "maxConcurrentStreams"});
  http.refuse({"http2MaxRequests", "maxRetries", "h2UpgradePolicy", "useClientProtocol",
               "maxConcurrentStreams"});
  out.http1_max_pending_requests =
      static_cast<uint32_t>(http.get("http1MaxPendingRequests").integer(0, kInt32Max).value_or(0));
  out.max_requests_per_connection =
      static_cast<uint32_t>(http.get("maxRequestsPerConnection").integer(0, kInt32Max).value_or(0));
  if (auto timeout = http.get("idleTimeout").duration()) out.idle_timeout = *timeout;
  return out;
}

// gatehouse talks plain HTTP to upstreams, which is what mode DISABLE asks for.
void read_client_tls(const Value& value) {
  Object tls =
      value.object({"mode", "clientCertificate", "privateKey", "caCertificates", "credentialName",
                    "subjectAltNames", "sni", "insecureSkipVerify", "caCrl"});
  tls.refuse({"clientCertificate", "privateKey", "caCertificates", "credentialName",
              "subjectAltNames", "sni", "insecureSkipVerify", "caCrl"});
  Value mode = tls.get("mode");
  auto index = mode.one_of(kClientTlsModes);
  if (index && kClientTlsModes[*index] != "DISABLE") {
    mode.error("tls mode " + std::string(kClientTlsModes[*index]) +
               " is not supported by gatehouse yet (upstream connections are plain HTTP)");
  }
}

TrafficPolicy read_traffic_policy(const Value& value) {
  Object policy = value.object({"loadBalancer", "connectionPool", "outlierDetection", "tls",
                                "portLevelSettings", "tunnel", "proxyProtocol"});
  policy.refuse({"outlierDetection", "portLevelSettings", "tunnel", "proxyProtocol"});
  read_client_tls(policy.get("tls"));
  return TrafficPolicy{read_load_balancer(policy.get("loadBalancer")),
                       read_connection_pool(policy.get("connectionPool"))};
}

}  // namespace

void decode_destination_rule(const Value& spec_value, DestinationRule& out) {
  Object spec =
      spec_value.object({"host", "trafficPolicy", "subsets", "exportTo", "workloadSelector"});
  spec.refuse({"workloadSelector"});
  spec.get("exportTo").strings();  // visibility between namespaces: no effect in one gateway
  Value host = spec.require("host");
  if (auto text = host.string()) {
    if (auto problem = check_host(*text))
      host.error("invalid host " + quote(*text) + ": " + *problem);
    out.host = lower_case(*text);
  }
  out.traffic_policy = read_traffic_policy(spec.get("trafficPolicy"));
  std::set<std::string> subset_names;
  for (const Value& item : spec.get("subsets").items()) {
    Object subset = item.object({"name", "labels", "trafficPolicy"});
    if (!subset.present()) continue;
    Subset read;
    Value name = subset.require("name");
    read.name = name.string().value_or("");
    if (name.present() && !is_dns_label(read.name, true)) {
      name.error("subset name is invalid: " + quote(read.name));
    }
    if (!read.name.empty() && !subset_names.insert(read.name).second) {
      name.error("duplicate subset names: " + quote(read.name));
    }
    read.labels = read_labels(subset.get("labels"));
    read.traffic_policy = read_traffic_policy(subset.get("trafficPolicy"));
    out.subsets.push_back(std::move(read));
  }
}

}  // namespace gatehouse::config
