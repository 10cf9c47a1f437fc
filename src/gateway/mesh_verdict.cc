#include "gateway/mesh_verdict.h"

#include "gateway/identity_claims.h"

namespace gatehouse::gateway {

bool MeshVerdict::admitted() const {
  if (authn && authn->kind == authn::Outcome::Kind::Rejected) return false;
  return !authz || authz->allowed;
}

void decide_mesh(const Runtime& rt, const MeshInputs& in, MeshVerdict& out) {
  RequestView view = in.view;
  out.route = rt.mesh().route(in.gateway_port, view, in.random);
  const auto* first = std::get_if<mesh::Forward>(&out.route);
  out.cluster = first ? rt.cluster_of(first->cluster) : std::nullopt;
  if (!out.cluster) return;
  const Cluster* cluster = &rt.cluster(*out.cluster);

  // Istio re-selects the route on gateways after JWT validation, so a claim match can send
  // the request to another workload; its policies are the ones that apply.
  if (in.assumed_identity) {
    out.identity = in.assumed_identity;
  } else if (cluster->authn) {
    authn::Request request{view.method, view.scheme, view.authority,
                           view.path,   view.query,  *in.fields};
    out.authn = authn::authenticate(*cluster->authn, request, *in.keys, *in.token_cache, in.now);
    if (out.authn->kind == authn::Outcome::Kind::Rejected) return;
    out.identity = out.authn->identity.get();
    view.headers = in.fields->all();
  }
  if (out.identity && rt.mesh().has_claim_conditions()) {
    const IdentityClaims claims(*out.identity);
    out.route = rt.mesh().route(in.gateway_port, view, in.random, &claims);
    const auto* fwd = std::get_if<mesh::Forward>(&out.route);
    out.cluster = fwd ? rt.cluster_of(fwd->cluster) : std::nullopt;
    if (!out.cluster) return;
    cluster = &rt.cluster(*out.cluster);
  }

  if (!cluster->authz) return;
  // The workload's proxy sees the request as the route sends it.
  const auto& fwd = std::get<mesh::Forward>(out.route);
  out.authz_view = view;
  if (fwd.path) out.authz_view.path = *fwd.path;
  if (!fwd.authority.empty()) out.authz_view.authority = fwd.authority;
  out.authz_view.listener_port = cluster->workload_port;
  authz::Request request{out.authz_view, {}, cluster->workload_ip, in.sni, out.identity};
  out.authz = authz::evaluate(*cluster->authz, request);
}

}  // namespace gatehouse::gateway
