// The mesh leg's decisions without I/O: the route, the destination workload's
// RequestAuthentication, the route again with the verified claims, and its
// AuthorizationPolicy. The gateway acts on the verdict; `gatehouse check` prints it, so both
// run the same code.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>

#include "authn/authn.h"
#include "authz/policy_set.h"
#include "gateway/runtime.h"
#include "mesh/decision.h"

namespace gatehouse::gateway {

struct MeshInputs {
  uint16_t gateway_port = 0;  // the Gateway server port the target group hands requests to
  RequestView view;           // headers are re-read from `fields` after authentication
  http1::Fields* fields = nullptr;
  authn::KeyTable* keys = nullptr;
  authn::TokenCache* token_cache = nullptr;
  int64_t now = 0;  // unix seconds
  uint64_t random = 0;
  std::string_view sni;  // of the client connection; empty without TLS
  // Set by `gatehouse check --claims`: taken as the verified identity, RequestAuthentication
  // is not run.
  const authn::Identity* assumed_identity = nullptr;
};

// Views in it point into itself (a rewritten path), so it stays where it was filled.
struct MeshVerdict {
  MeshVerdict() = default;
  MeshVerdict(const MeshVerdict&) = delete;
  MeshVerdict& operator=(const MeshVerdict&) = delete;

  mesh::Decision route = mesh::NotFound{};
  std::optional<uint32_t> cluster;            // the runtime cluster a Forward goes to
  std::optional<authn::Outcome> authn;        // when the workload has RequestAuthentication
  const authn::Identity* identity = nullptr;  // verified or assumed; null without a token
  std::optional<authz::Decision> authz;       // when the workload has AuthorizationPolicy
  // The request as AuthorizationPolicy saw it (route rewrites applied, workload port).
  RequestView authz_view;

  // Whether the request goes on to the route's action (not rejected by authn or authz).
  bool admitted() const;
};

// Runs the mesh leg's decisions in Istio's order into `out`; stops at the first rejection.
void decide_mesh(const Runtime& rt, const MeshInputs& in, MeshVerdict& out);

}  // namespace gatehouse::gateway
