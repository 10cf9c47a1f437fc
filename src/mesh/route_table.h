// The compiled router's data: per listener port, virtual hosts indexed by exact name,
// wildcard suffix and "*", each with its ordered route list; plus everything routes point to.
// Internal to the mesh module. Built once by build_route_tables(); immutable afterwards.
#pragma once

#include <cstdint>
#include <deque>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "config/loader.h"
#include "config/resources.h"
#include "mesh/hostnames.h"
#include "mesh/http_route_compiler.h"
#include "mesh/route_actions.h"

namespace gatehouse::mesh {

struct VirtualHost {
  std::string name;                  // lower-case: "a.com", "*.a.com" or "*"
  bool require_tls = false;          // some server contributing the host has tls.httpsRedirect
  std::vector<const Route*> routes;  // evaluation order, catch-alls moved to the end
};

struct PortRoutes {
  PortRoutes() = default;
  PortRoutes(const PortRoutes&) = delete;  // the indexes point into `hosts`
  PortRoutes& operator=(const PortRoutes&) = delete;

  using HostIndex = std::unordered_map<std::string, const VirtualHost*, CaseInsensitiveHash,
                                       CaseInsensitiveEqual>;
  uint16_t port = 0;
  std::deque<VirtualHost> hosts;
  HostIndex exact;
  HostIndex wildcard;  // keyed by the suffix after '*', e.g. ".foo.com"
  const VirtualHost* any = nullptr;

  // Envoy domain selection, port already stripped: exact name, else the longest wildcard
  // suffix with at least one character before it, else "*". Case-insensitive.
  const VirtualHost* select(std::string_view host) const;
};

struct RouterState {
  std::vector<CompiledVirtualService> virtual_services;  // in creation order
  std::deque<Route> routes;
  std::vector<std::unique_ptr<const Cluster>> clusters;  // by name
  std::vector<const Cluster*> cluster_view;
  std::deque<PortRoutes> ports;  // ascending port; a deque so virtual hosts never move
  std::vector<uint16_t> port_numbers;
  bool has_claim_conditions = false;  // some reachable route tests `@request.auth.claims`
};

// Second compile stage: for each listener port with HTTP Gateway servers, binds the
// compiled VirtualServices to servers, builds virtual hosts and route lists (Istio
// buildGatewayHTTPRouteConfig) and resolves destinations to clusters. Problems are
// appended to `errors`.
void build_route_tables(const config::Snapshot& snapshot, RouterState& state,
                        std::vector<config::Error>& errors);

}  // namespace gatehouse::mesh
