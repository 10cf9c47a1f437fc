// The RequestAuthentication part of a Runtime: each mesh cluster gets the merged JWT rules of
// its workload, and every key set a rule names becomes a fetcher source or, when inline, a
// key set parsed now (a bad one refuses the configuration).
#include <atomic>

#include "gateway/runtime.h"
#include "jose/status.h"

namespace gatehouse::gateway {

void compile_authentication(Runtime& rt, std::vector<std::string>& errors) {
  const config::Snapshot& snap = rt.snapshot_;
  const authn::PolicySet policies =
      authn::PolicySet::compile(snap.request_authentications, snap.mesh.root_namespace);
  for (const auto& [mesh_cluster, index] : rt.mesh_clusters_)
    rt.clusters_[index].authn =
        policies.for_workload(mesh_cluster->workload.namespace_, mesh_cluster->workload.labels);

  // Inline key sets keep one generation for the process's life: their source id names their
  // text, so a changed text is a new source.
  static std::atomic<uint64_t> inline_generation{1};
  for (const auto& ra : snap.request_authentications) {
    for (std::size_t i = 0; i < ra.jwt_rules.size(); ++i) {
      const config::JwtRule& rule = ra.jwt_rules[i];
      const std::string id = authn::key_source_id(rule);
      if (!rule.jwks.empty()) {
        if (rt.inline_keys_.contains(id)) continue;
        auto parsed = jose::Jwks::parse(rule.jwks, {.allow_oct_keys = true});
        if (!parsed.ok()) {
          errors.push_back(rule.where.file + ":" + std::to_string(rule.where.line) + ": resource " +
                           ra.id() + ": spec.jwtRules[" + std::to_string(i) +
                           "].jwks: " + std::string(jose::status_message(parsed.status())));
          continue;
        }
        rt.inline_keys_[id] = {std::make_shared<const jose::Jwks>(std::move(*parsed)),
                               inline_generation.fetch_add(1), std::chrono::system_clock::now()};
      } else if (std::none_of(rt.key_sources_.begin(), rt.key_sources_.end(),
                              [&](const keys::Source& s) { return s.id == id; })) {
        rt.key_sources_.push_back(
            {.id = id, .jwks_uri = rule.jwks_uri, .issuer = rule.issuer, .timeout = rule.timeout});
      }
    }
  }
}

}  // namespace gatehouse::gateway
