// A route as the router evaluates it: its compiled match and its action (weighted
// destinations, redirect or direct response), plus the request-time steps that turn an
// action into a Decision. Internal to the mesh module. Immutable after compile.
#pragma once

#include <cstdint>
#include <string>
#include <variant>
#include <vector>

#include "mesh/decision.h"
#include "mesh/http_route_compiler.h"
#include "mesh/request_match.h"
#include "request/request_view.h"

namespace gatehouse::mesh {

struct WeightedCluster {
  const Cluster* cluster = nullptr;
  uint32_t weight = 0;
  HeaderMutation request_headers, response_headers;  // route-level, then destination-level
  std::string authority;                             // Host rewrite; empty: keep
};

struct ForwardAction {
  std::vector<WeightedCluster> destinations;  // weight-0 entries dropped when several
  uint64_t total_weight = 0;
  const PathRewrite* rewrite = nullptr;  // null: path kept
  config::Millis timeout{0};
  const RetryPolicy* retry = nullptr;
};

// An Envoy RedirectAction with Istio's port handling already applied.
struct RedirectAction {
  uint32_t status = 301;
  std::string scheme, authority, uri;  // empty: keep the request's
  std::string port_suffix;             // ":8080", or empty for no port redirect
  bool uri_has_query = false;          // a query in `uri` replaces the request's
  const HeaderMutation* response_headers = nullptr;
};

struct DirectResponseAction {
  uint32_t status = 200;
  std::string body;
  const HeaderMutation* response_headers = nullptr;
};

struct Route {
  const RequestMatch* match = nullptr;
  bool catch_all = false;
  std::string name;
  std::string virtual_service;
  std::variant<ForwardAction, RedirectAction, DirectResponseAction> action;
};

// Istio ApplyRedirect for a listener on `listener_port` (TLS or not): FROM_REQUEST_PORT takes
// the listener port, and a port that is the default of the redirect's scheme is left out.
RedirectAction make_redirect(const config::HttpRedirect& redirect, uint32_t listener_port,
                             bool listener_tls, const HeaderMutation* response_headers);

// The decision for a request that matched `route`. `random` picks among weighted clusters.
Decision decide(const Route& route, const RequestView& request, uint64_t random);

// Location for a virtual host that requires TLS: "https://" + Host as sent + path + query.
std::string https_redirect_location(const RequestView& request);

}  // namespace gatehouse::mesh
