// The running configuration: one immutable snapshot compiled from the typed resources
// (listener rules, target groups, the mesh router, upstream clusters with resolved
// addresses). Built off the request path, then shared read-only by every worker.
#pragma once

#include <memory>
#include <optional>
#include <span>
#include <string>
#include <unordered_map>
#include <vector>

#include "authn/authn.h"
#include "authz/matchers.h"
#include "authz/policy_set.h"
#include "config/loader.h"
#include "edge/listener_rules.h"
#include "gateway/edge_login.h"
#include "health/health_table.h"
#include "keys/jwks_fetcher.h"
#include "mesh/router.h"
#include "pathnorm/pathnorm.h"
#include "proxy/forwarder.h"
#include "proxy/server.h"
#include "telemetry/metrics_registry.h"

namespace gatehouse::gateway {

// Where a forward goes: addresses, balancing and connection settings.
struct Cluster {
  std::string name;
  std::vector<proxy::UpstreamTarget> targets;
  // A target group's: the health of each of `targets`, written by the health checker; null
  // for mesh clusters (Istio does not health-check them), whose targets are all routable.
  std::shared_ptr<health::HealthTable> health;
  config::LoadBalancerSettings::Simple balancer = config::LoadBalancerSettings::Simple::RoundRobin;
  std::chrono::milliseconds connect_timeout{10000};
  proxy::UpstreamPool::Reuse reuse;
  // The RequestAuthentication rules of the destination workload; null when none applies.
  std::shared_ptr<const authn::Requirement> authn;
  // Its AuthorizationPolicies; null when none applies.
  std::shared_ptr<const authz::WorkloadPolicies> authz;
  // What the workload's own proxy would see as the local address, for `ports`,
  // destination.port and destination.ip: the endpoints' port when they share one, else the
  // service port; the endpoint address when there is exactly one, else empty.
  uint16_t workload_port = 0;
  std::string workload_ip;
};

struct ListenerRuntime {
  const config::Listener* spec = nullptr;
  edge::ListenerRules rules;
  std::vector<telemetry::SeriesId> series;  // metrics series of rule i; empty: not counted
  // HTTPS: the certificates, read at load; null for HTTP (and in offline builds).
  std::shared_ptr<const proxy::TlsServer> tls;
  // rules.logins(), ready to serve; empty in offline builds.
  std::vector<std::shared_ptr<const EdgeLogin>> logins;
  // spec->trust_oidc_headers_from, parsed.
  std::vector<authz::IpRange> trust_oidc_headers_from;
};

// IPs and CIDRs as the config validated them, parsed once at load.
std::vector<authz::IpRange> parse_ranges(const std::vector<std::string>& sources);
// True when `peer_ip` lies in one of `sources` (a listener's trustOidcHeadersFrom, the
// explainDecisions trustedSources).
bool trusted_peer(std::span<const authz::IpRange> sources, std::string_view peer_ip);

struct TargetGroupRuntime {
  const config::TargetGroup* spec = nullptr;
  std::optional<uint32_t> cluster;  // targetType ip
  uint16_t mesh_port = 0;           // targetType mesh
};

class Runtime {
 public:
  struct BuildResult {
    std::shared_ptr<const Runtime> runtime;  // set when errors is empty
    std::vector<std::string> errors;         // "file:line: resource ...: message"
    std::vector<std::string> warnings;       // the same form; served anyway (expired certificates)
  };
  // Validates and compiles everything; `files` are kept for /config_dump. With
  // `metrics`, every listener rule gets its metrics series and every HTTPS listener its
  // handshake counters. HTTPS listeners' certificate and key files are read here (a path
  // relative to the YAML file that names it), so a reload picks up new files.
  // authenticate-oidc actions read their session key files and client secrets here too.
  // `resolve_hosts` false (offline tools, which serve nothing) leaves endpoints given by host
  // name without addresses instead of refusing them when they do not resolve, and reads no
  // certificate, key or secret files.
  static BuildResult build(std::vector<config::SourceFile> files,
                           telemetry::MetricsRegistry* metrics = nullptr,
                           bool resolve_hosts = true);

  const ListenerRuntime* listener(std::string_view address, uint16_t port) const;
  const TargetGroupRuntime* target_group(std::string_view name) const;
  const std::unordered_map<std::string, TargetGroupRuntime>& target_groups() const {
    return target_groups_;
  }
  const mesh::Router& mesh() const { return *mesh_; }
  const Cluster& cluster(uint32_t index) const { return clusters_[index]; }
  std::size_t cluster_count() const { return clusters_.size(); }
  // The cluster serving a mesh destination; nullopt for a cluster with no endpoint.
  std::optional<uint32_t> cluster_of(const mesh::Cluster* mesh_cluster) const;
  pathnorm::Mode path_normalization() const { return path_normalization_; }
  // Every listener's address with its TLS (null for HTTP).
  std::vector<proxy::ListenSpec> listen_addresses() const;
  // The certificate and key files HTTPS listeners read, to notice when they change.
  const std::vector<std::string>& certificate_files() const { return certificate_files_; }
  const std::vector<config::SourceFile>& files() const { return files_; }
  const std::vector<ListenerRuntime>& listeners() const { return listeners_; }
  // The key sets JWT rules name: remote ones for the fetcher, inline ones parsed at load.
  const std::vector<keys::Source>& key_sources() const { return key_sources_; }
  const authn::KeyTable& inline_keys() const { return inline_keys_; }
  const authz::PolicySet& authorization() const { return authorization_; }
  // MeshConfig explainDecisions; trusted_sources parsed in explain_trusted_sources().
  const std::vector<authz::IpRange>& explain_trusted_sources() const { return explain_trusted_; }
  const config::DecisionExplanation& explain_decisions() const {
    return snapshot_.mesh.explain_decisions;
  }
  // Counts a decision into the authorization metrics (when the runtime was built with them).
  void count_decision(telemetry::WorkerMetrics& metrics, const authz::Decision& decision) const;

 private:
  Runtime() = default;

  std::vector<config::SourceFile> files_;
  config::Snapshot snapshot_;
  std::shared_ptr<const mesh::Router> mesh_;
  std::vector<ListenerRuntime> listeners_;
  std::unordered_map<std::string, TargetGroupRuntime> target_groups_;
  std::vector<Cluster> clusters_;
  std::unordered_map<const mesh::Cluster*, uint32_t> mesh_clusters_;
  pathnorm::Mode path_normalization_ = pathnorm::Mode::Base;
  std::vector<authz::IpRange> explain_trusted_;
  std::vector<std::string> certificate_files_;
  std::vector<keys::Source> key_sources_;
  authn::KeyTable inline_keys_;
  authz::PolicySet authorization_;
  std::vector<telemetry::CounterId> rule_counters_;      // by authz::RuleRef::id
  std::vector<telemetry::CounterId> decision_counters_;  // by kDecisionReasons index

  friend void compile_authentication(Runtime& rt, std::vector<std::string>& errors);
  friend void compile_authorization(Runtime& rt, std::vector<std::string>& errors);
  friend void register_authorization_metrics(Runtime& rt, telemetry::MetricsRegistry& metrics);
};

// Fills the clusters' RequestAuthentication rules and the runtime's key sources.
void compile_authentication(Runtime& rt, std::vector<std::string>& errors);
// Fills the clusters' AuthorizationPolicies and workload addresses.
void compile_authorization(Runtime& rt, std::vector<std::string>& errors);
// Registers a counter per policy rule and per decision reason.
void register_authorization_metrics(Runtime& rt, telemetry::MetricsRegistry& metrics);

}  // namespace gatehouse::gateway
