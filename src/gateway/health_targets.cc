#include "gateway/health_targets.h"

#include <algorithm>
#include <set>

#include "gateway/mesh_verdict.h"
#include "health/probe.h"

namespace gatehouse::gateway {
namespace {

// The state a mesh target group's probes need across calls; used on the checker's thread.
struct MeshProbeState {
  std::shared_ptr<const Runtime> runtime;
  authn::KeyTable keys;  // probes carry no token, so no key is ever looked up
  authn::TokenCache token_cache{16};
  uint64_t random = 0x9e3779b97f4a7c15;
};

// A probe arriving on Gateway port `port`, decided as the gateway decides a request.
health::MeshProbe route_probe(MeshProbeState& state, uint16_t port, std::string_view host,
                              std::string_view target) {
  const Runtime& rt = *state.runtime;
  health::MeshProbe out;
  pathnorm::Normalized normalized;
  if (pathnorm::normalize(target, rt.path_normalization(), normalized) != pathnorm::Status::Ok) {
    out.local_status = 400;
    return out;
  }
  http1::Fields fields;
  fields.add_view("host", host);
  fields.add_view("user-agent", health::kUserAgent);
  fields.add_view("connection", "close");
  MeshInputs in;
  in.gateway_port = port;
  in.view = {.method = "GET",
             .scheme = "http",
             .authority = host,
             .path = normalized.path(),
             .query = normalized.query(),
             .peer_ip = "127.0.0.1",
             .listener_port = port,
             .headers = fields.all()};
  in.fields = &fields;
  in.keys = &state.keys;
  in.token_cache = &state.token_cache;
  in.now = std::chrono::duration_cast<std::chrono::seconds>(
               std::chrono::system_clock::now().time_since_epoch())
               .count();
  state.random = state.random * 6364136223846793005u + 1442695040888963407u;
  in.random = state.random;
  MeshVerdict verdict;
  decide_mesh(rt, in, verdict);

  if (verdict.authn && verdict.authn->kind == authn::Outcome::Kind::Rejected) {
    out.local_status = static_cast<unsigned>(verdict.authn->http_status);
  } else if (verdict.authz && !verdict.authz->allowed) {
    out.local_status = 403;  // RBAC: access denied
  } else if (const auto* fwd = std::get_if<mesh::Forward>(&verdict.route)) {
    out.route = std::string(fwd->origin.virtual_service);
    out.cluster = fwd->cluster->name;
    if (verdict.cluster)
      for (const auto& endpoint : rt.cluster(*verdict.cluster).targets)
        out.endpoints.push_back(endpoint.address);
    if (out.endpoints.empty()) out.local_status = 503;  // no healthy upstream
    out.target = fwd->path ? *fwd->path : std::string(normalized.path());
    if (!normalized.query().empty()) out.target.append("?").append(normalized.query());
    out.host = fwd->authority.empty() ? std::string(host) : std::string(fwd->authority);
  } else {
    out.local_status = mesh::local_status(verdict.route);
  }
  return out;
}

// Target groups some listener action forwards to.
std::set<std::string, std::less<>> used_target_groups(const Runtime& rt) {
  std::set<std::string, std::less<>> used;
  auto add = [&used](const std::vector<config::RuleAction>& actions) {
    for (const auto& action : actions)
      for (const auto& group : action.target_groups) used.insert(group.target_group_name);
  };
  for (const ListenerRuntime& listener : rt.listeners()) {
    add(listener.spec->default_actions);
    for (const auto& rule : listener.spec->rules) add(rule.actions);
  }
  return used;
}

}  // namespace

std::vector<health::GroupSpec> health_groups(const std::shared_ptr<const Runtime>& runtime) {
  const Runtime& rt = *runtime;
  const auto used = used_target_groups(rt);
  std::vector<health::GroupSpec> out;
  for (const auto& [name, group] : rt.target_groups()) {
    health::GroupSpec spec;
    spec.name = name;
    spec.in_use = used.contains(name);
    spec.settings = health::settings_of(group.spec->health_check);
    if (group.cluster) {
      const Cluster& cluster = rt.cluster(*group.cluster);
      for (const auto& target : cluster.targets)
        spec.targets.push_back({target.address.address().to_string(), target.address.port()});
      spec.table = cluster.health;
    } else {
      spec.mesh = true;
      spec.targets.push_back({"mesh", group.mesh_port});
      auto state = std::make_shared<MeshProbeState>();
      state->runtime = runtime;
      spec.resolve = [state](uint16_t port, std::string_view host, std::string_view target) {
        return route_probe(*state, port, host, target);
      };
    }
    out.push_back(std::move(spec));
  }
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.name < b.name; });
  return out;
}

}  // namespace gatehouse::gateway
