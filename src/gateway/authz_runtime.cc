// The AuthorizationPolicy part of a Runtime: the policies compiled once, and each mesh
// cluster given the policies of its workload and the local address that workload's proxy
// would see.
#include <algorithm>
#include <array>

#include "gateway/runtime.h"

namespace gatehouse::gateway {
namespace {

// The decision reasons, with their metric label values.
constexpr std::array<std::pair<std::string_view, std::string_view>, 4> kDecisionReasons{{
    {authz::kAllowedByRule, "allowed_by_rule"},
    {authz::kNoAllowPolicy, "no_allow_policy"},
    {authz::kDeniedByRule, "denied_by_rule"},
    {authz::kNoAllowRuleMatched, "no_allow_rule_matched"},
}};

std::string action_name(authz::Action action) {
  switch (action) {
    case authz::Action::Allow:
      return "ALLOW";
    case authz::Action::Deny:
      return "DENY";
    case authz::Action::Audit:
      return "AUDIT";
    case authz::Action::Custom:
      break;
  }
  return "CUSTOM";
}

}  // namespace

void compile_authorization(Runtime& rt, std::vector<std::string>& errors) {
  const config::Snapshot& snap = rt.snapshot_;
  auto compiled = authz::PolicySet::compile(snap.authorization_policies, snap.mesh.root_namespace);
  if (auto* error = std::get_if<authz::CompileError>(&compiled)) {
    config::SourceLocation where;
    for (const auto& policy : snap.authorization_policies)
      if (policy.id() == error->policy) where = policy.where;
    errors.push_back(config::Error{where, error->policy, error->message}.to_string());
    return;
  }
  rt.authorization_ = std::get<authz::PolicySet>(std::move(compiled));
  for (const auto& [mesh_cluster, index] : rt.mesh_clusters_) {
    Cluster& cluster = rt.clusters_[index];
    auto policies = rt.authorization_.for_workload(mesh_cluster->workload.namespace_,
                                                   mesh_cluster->workload.labels);
    if (!policies->empty()) cluster.authz = std::move(policies);
    const auto& endpoints = mesh_cluster->endpoints;
    const bool one_port =
        !endpoints.empty() && std::ranges::all_of(endpoints, [&](const mesh::Endpoint& e) {
          return e.port == endpoints.front().port;
        });
    cluster.workload_port = one_port ? endpoints.front().port : mesh_cluster->port;
    if (cluster.targets.size() == 1)
      cluster.workload_ip = cluster.targets.front().address.address().to_string();
  }
}

void register_authorization_metrics(Runtime& rt, telemetry::MetricsRegistry& metrics) {
  std::vector<telemetry::LabelSet> rules;
  for (const authz::RuleInfo& rule : rt.authorization_.rules())
    rules.push_back({{"policy", std::string(rule.policy)},
                     {"rule", std::to_string(rule.rule)},
                     {"action", action_name(rule.action)},
                     {"mode", rule.dry_run ? "dry_run" : "enforced"}});
  if (auto ids = metrics.register_counters(
          "gatehouse_authz_rule_matches_total",
          "Requests an AuthorizationPolicy rule matched: decided, audited, or in dry-run.", rules))
    rt.rule_counters_ = std::move(*ids);
  std::vector<telemetry::LabelSet> reasons;
  for (const auto& [reason, label] : kDecisionReasons)
    reasons.push_back(
        {{"decision",
          reason == authz::kAllowedByRule || reason == authz::kNoAllowPolicy ? "allow" : "deny"},
         {"reason", std::string(label)}});
  if (auto ids = metrics.register_counters(
          "gatehouse_authz_decisions_total",
          "AuthorizationPolicy decisions on workloads that have policies, by reason.", reasons))
    rt.decision_counters_ = std::move(*ids);
}

void Runtime::count_decision(telemetry::WorkerMetrics& metrics,
                             const authz::Decision& decision) const {
  auto count_rule = [&](const std::optional<authz::RuleRef>& rule) {
    if (rule && rule->id < rule_counters_.size()) metrics.count(rule_counters_[rule->id]);
  };
  count_rule(decision.rule);
  count_rule(decision.audit);
  if (decision.dry_run) count_rule(decision.dry_run->rule);
  for (std::size_t i = 0; i < kDecisionReasons.size() && i < decision_counters_.size(); ++i)
    if (kDecisionReasons[i].first == decision.reason) metrics.count(decision_counters_[i]);
}

}  // namespace gatehouse::gateway
