// The upstream side of a routing decision: one Cluster per (destination host, port, subset)
// that some route can pick, carrying the ServiceEntry workload and its endpoints.
// Thread-safety: immutable once compile() returns; shared read-only by every worker.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "config/resources.h"

namespace gatehouse::mesh {

// How the engine turns endpoint addresses into connections (ServiceEntry `resolution`).
enum class Resolution {
  None,           // no endpoints: a gateway has no original destination to pass through to
  Static,         // endpoint addresses are IP literals (or unix:// paths)
  Dns,            // endpoint addresses are host names; resolve each and use every answer
  DnsRoundRobin,  // endpoint addresses are host names; resolve and use one answer at a time
};

struct Endpoint {
  std::string address;  // IP literal for Static; a host name the engine resolves for Dns*
  uint16_t port = 0;
  config::Labels labels;
  uint32_t weight = 1;  // a WorkloadEntry weight of 0 means 1, as in Envoy
};

// What later policy stages select on (AuthorizationPolicy/RequestAuthentication `selector`).
// `labels` are the ServiceEntry's workloadSelector labels when it has one, otherwise the
// labels every endpoint of this cluster shares. Each Endpoint keeps its own labels too, for
// an engine that picks the endpoint before running policy.
struct Workload {
  std::string service_entry;  // "ServiceEntry/ns/name"; empty when no ServiceEntry has the host
  std::string namespace_;     // the ServiceEntry's namespace
  config::Labels labels;
};

struct Cluster {
  std::string name;  // Envoy form "outbound|PORT|SUBSET|HOST"
  std::string host;  // lower-cased, short names expanded
  uint16_t port = 0;
  std::string subset;
  std::string protocol;  // the ServiceEntry port's protocol (HTTP, HTTP2, GRPC, ...), if known
  Workload workload;
  Resolution resolution = Resolution::None;
  // Empty for a host no ServiceEntry declares or a subset no endpoint carries: the request
  // then fails upstream with 503 "no healthy upstream", as Envoy answers an empty cluster.
  std::vector<Endpoint> endpoints;
  // From the DestinationRule for the host; a subset's policy overrides the top-level one
  // field by field. Istio's defaults when no rule says otherwise.
  config::LoadBalancerSettings::Simple load_balancer = config::LoadBalancerSettings{}.simple;
  config::ConnectionPoolSettings connection_pool;
};

}  // namespace gatehouse::mesh
