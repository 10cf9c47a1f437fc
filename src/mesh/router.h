// The in-process Istio ingress gateway's routing: Gateway servers -> VirtualService routes ->
// destination -> ServiceEntry workload. compile() turns a config Snapshot into an immutable
// Router once; route() is const and thread-safe, so one Router serves every worker.
//
//   auto compiled = mesh::compile(snapshot);
//   if (!compiled.ok()) { /* report compiled.errors, keep the old router */ }
//   mesh::Decision d = compiled.router->route(listener_port, request, random_u64);
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <vector>

#include "config/loader.h"
#include "config/resources.h"
#include "mesh/cluster.h"
#include "mesh/decision.h"
#include "mesh/value_matcher.h"
#include "request/request_view.h"

namespace gatehouse::mesh {

struct RouterState;

class Router {
 public:
  explicit Router(std::unique_ptr<const RouterState> state);
  ~Router();
  Router(const Router&) = delete;
  Router& operator=(const Router&) = delete;

  // Routes a request that arrived on Gateway listener port `gateway_port`: server port ->
  // virtual host by Host (port ignored) -> first matching route -> action. `random` (any
  // uniformly distributed value) picks among weighted destinations. `claims` answers
  // `@request.auth.claims` conditions once a JWT is verified; null before that.
  // A port without HTTP servers, a Host without virtual host, or no matching route: NotFound.
  // Allocates nothing except the strings a path rewrite or a redirect builds.
  Decision route(uint16_t gateway_port, const RequestView& request, uint64_t random,
                 const ClaimSource* claims = nullptr) const;

  // Whether any route tests a JWT claim. Istio re-selects the route after JWT validation on
  // gateways; the engine needs a second route() with claims only when this is true.
  bool has_claim_conditions() const;

  // Listener ports with at least one HTTP Gateway server, ascending.
  std::span<const uint16_t> ports() const;
  // Every cluster a route can pick (for upstream pools and health checks), by name.
  std::span<const Cluster* const> clusters() const;

 private:
  std::unique_ptr<const RouterState> state_;
};

struct CompileResult {
  std::shared_ptr<const Router> router;  // null unless ok()
  std::vector<config::Error> errors;     // every problem found, each once
  bool ok() const { return errors.empty(); }
};

// Compiles the Gateways, VirtualServices, ServiceEntries and DestinationRules of `snapshot`.
// Errors: invalid regexes and rewrite strings, unknown retryOn conditions, redirect codes
// outside 3xx, bad derivePort, routes with no or several actions, references to undeclared
// gateways, subsets no DestinationRule defines, destination ports their ServiceEntry does
// not declare, malformed host patterns and claim keys. A destination host without
// ServiceEntry is not an error: its cluster has no endpoints (503 at request time).
CompileResult compile(const config::Snapshot& snapshot);

}  // namespace gatehouse::mesh
