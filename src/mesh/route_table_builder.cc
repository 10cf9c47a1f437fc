#include <algorithm>
#include <map>
#include <tuple>

#include "mesh/clusters.h"
#include "mesh/resource_order.h"
#include "mesh/route_table.h"

namespace gatehouse::mesh {
namespace {

constexpr uint32_t kMaxPort = 65535;

bool serves_http(const config::GatewayServer& server) {
  const std::string& protocol = server.protocol;
  if (protocol == "HTTPS") {
    return server.tls_mode != "PASSTHROUGH" && server.tls_mode != "AUTO_PASSTHROUGH";
  }
  return protocol == "HTTP" || protocol == "HTTP2" || protocol == "GRPC" || protocol == "GRPC-WEB";
}

// Istio passes `server.Tls != nil` as IsTLS, so an HTTP server with httpsRedirect counts.
bool has_tls_block(const config::GatewayServer& server) {
  return server.protocol == "HTTPS" || !server.tls_mode.empty() || server.https_redirect;
}

HeaderMutation merge(const HeaderMutation& route_level, const HeaderMutation& destination_level) {
  HeaderMutation out = route_level;
  out.remove.insert(out.remove.end(), destination_level.remove.begin(),
                    destination_level.remove.end());
  out.write.insert(out.write.end(), destination_level.write.begin(), destination_level.write.end());
  return out;
}

struct ServerHost {
  std::string namespace_;  // "*" for any
  std::string name;        // lower-case
};

struct BoundServer {
  std::string gateway_id;  // "ns/name"
  const config::GatewayServer* server;
  std::vector<ServerHost> hosts;
};

class RouteTableBuilder {
 public:
  RouteTableBuilder(const config::Snapshot& snapshot, RouterState& state,
                    std::vector<config::Error>& errors)
      : state_(state), errors_(errors), catalog_(snapshot) {}

  void build(const config::Snapshot& snapshot) {
    std::vector<const config::Gateway*> gateways;
    for (const auto& gateway : snapshot.gateways) gateways.push_back(&gateway);
    std::stable_sort(gateways.begin(), gateways.end(),
                     [](const auto* a, const auto* b) { return created_before(*a, *b); });
    std::map<uint32_t, std::vector<BoundServer>> servers_by_port;
    for (const auto* gateway : gateways) {
      for (const auto& server : gateway->servers) {
        if (!serves_http(server)) continue;
        if (server.port == 0 || server.port > kMaxPort) {
          add_error(errors_, server.where, gateway->id(), "server port out of range");
          continue;
        }
        servers_by_port[server.port].push_back(bind(*gateway, server));
      }
    }
    for (const auto& [port, servers] : servers_by_port) build_port(port, servers);
    state_.clusters = catalog_.take_clusters();
    for (const auto& cluster : state_.clusters) state_.cluster_view.push_back(cluster.get());
  }

 private:
  BoundServer bind(const config::Gateway& gateway, const config::GatewayServer& server) {
    BoundServer out{gateway.metadata.namespace_ + "/" + gateway.metadata.name, &server, {}};
    for (const auto& host : server.hosts) {
      auto slash = host.find('/');
      ServerHost parsed{"*", lower_ascii(host)};
      if (slash != std::string::npos) {
        parsed.namespace_ = host.substr(0, slash);
        if (parsed.namespace_ == ".") parsed.namespace_ = gateway.metadata.namespace_;
        parsed.name = lower_ascii(host.substr(slash + 1));
      }
      if (!is_valid_host_pattern(parsed.name)) {
        add_error(errors_, server.where, gateway.id(),
                  "host \"" + host + "\": '*' may only be the whole left-most label");
      }
      out.hosts.push_back(std::move(parsed));
    }
    return out;
  }

  void build_port(uint32_t port, const std::vector<BoundServer>& servers) {
    PortRoutes& table = state_.ports.emplace_back();
    table.port = static_cast<uint16_t>(port);
    state_.port_numbers.push_back(table.port);
    std::map<std::string, VirtualHost*> by_name;
    auto host_named = [&](const std::string& name) -> VirtualHost& {
      auto& slot = by_name[name];
      if (slot == nullptr) {
        slot = &table.hosts.emplace_back();
        slot->name = name;
      }
      return *slot;
    };
    std::map<std::tuple<std::size_t, std::string, bool>, std::vector<const Route*>> cache;
    for (const auto& bound : servers) {
      const bool tls = has_tls_block(*bound.server);
      for (std::size_t index = 0; index < state_.virtual_services.size(); ++index) {
        const CompiledVirtualService& vs = state_.virtual_services[index];
        if (std::find(vs.gateways.begin(), vs.gateways.end(), bound.gateway_id) ==
            vs.gateways.end()) {
          continue;
        }
        std::vector<std::string> visible;
        for (const auto& host : bound.hosts) {
          if (host.namespace_ == "*" || host.namespace_ == vs.namespace_) {
            visible.push_back(host.name);
          }
        }
        auto names = intersect_hosts(visible, vs.hosts);
        if (names.empty()) continue;
        auto key = std::make_tuple(index, bound.gateway_id, tls);
        auto cached = cache.find(key);
        if (cached == cache.end()) {
          cached = cache.emplace(key, routes_for(vs, bound.gateway_id, port, tls)).first;
        }
        if (cached->second.empty()) continue;  // Istio: "no routes matched", no virtual host
        for (const auto& name : names) {
          VirtualHost& host = host_named(name);
          host.routes.insert(host.routes.end(), cached->second.begin(), cached->second.end());
          host.require_tls |= bound.server->https_redirect;
        }
      }
      if (bound.server->https_redirect) {
        for (const auto& host : bound.hosts) host_named(host.name).require_tls = true;
      }
    }
    for (auto& host : table.hosts) index(table, host);
  }

  static void index(PortRoutes& table, VirtualHost& host) {
    std::stable_partition(host.routes.begin(), host.routes.end(),
                          [](const Route* route) { return !route->catch_all; });
    if (host.name == "*") {
      table.any = &host;
    } else if (host.name.starts_with('*')) {
      table.wildcard.emplace(host.name.substr(1), &host);
    } else {
      table.exact.emplace(host.name, &host);
    }
  }

  // Istio BuildHTTPRoutesForVirtualService for one gateway and listener port.
  std::vector<const Route*> routes_for(const CompiledVirtualService& vs,
                                       const std::string& gateway_id, uint32_t port, bool tls) {
    std::vector<const Route*> out;
    for (const auto& http : vs.http) {
      bool catch_all = !http.has_match_blocks;
      for (const auto& match : http.matches) {
        if (match.port && *match.port != port) continue;
        if (!match.gateways.empty() && std::find(match.gateways.begin(), match.gateways.end(),
                                                 gateway_id) == match.gateways.end()) {
          continue;
        }
        if (const Route* route = instantiate(vs, http, match, port, tls)) out.push_back(route);
        // A catch-all ends the VirtualService, even when its own action was dropped.
        if (match.match.is_catch_all()) {
          catch_all = true;
          break;
        }
      }
      if (catch_all) break;
    }
    return out;
  }

  const Route* instantiate(const CompiledVirtualService& vs, const CompiledHttpRoute& http,
                           const CompiledMatch& match, uint32_t port, bool tls) {
    Route route{&match.match, match.match.is_catch_all(), match.route_name, vs.id, {}};
    switch (http.action) {
      case CompiledHttpRoute::Action::Dropped:
        return nullptr;
      case CompiledHttpRoute::Action::Redirect:
        route.action = make_redirect(http.redirect, port, tls, &http.headers.response);
        break;
      case CompiledHttpRoute::Action::DirectResponse:
        route.action = DirectResponseAction{http.direct_response.status, http.direct_response.body,
                                            &http.headers.response};
        break;
      case CompiledHttpRoute::Action::Forward: {
        auto forward = forward_action(vs, http, port);
        if (!forward) return nullptr;
        route.action = std::move(*forward);
        break;
      }
    }
    state_.has_claim_conditions |= match.match.has_claim_conditions();
    return &state_.routes.emplace_back(std::move(route));
  }

  std::optional<ForwardAction> forward_action(const CompiledVirtualService& vs,
                                              const CompiledHttpRoute& http, uint32_t port) {
    ForwardAction out;
    out.rewrite = http.rewrite ? &*http.rewrite : nullptr;
    out.timeout = http.timeout;
    out.retry = http.retry ? &*http.retry : nullptr;
    // Host rewrite precedence: rewrite.authority, route-level host header, destination's.
    const std::string& route_authority =
        !http.rewrite_authority.empty() ? http.rewrite_authority : http.headers.authority;
    for (const auto& destination : http.destinations) {
      auto cluster = catalog_.resolve(destination.destination, port);
      if (auto* error = std::get_if<std::string>(&cluster)) {
        add_error(errors_, http.where, vs.id, "destination " + *error);
        return std::nullopt;
      }
      out.destinations.push_back(
          {std::get<const Cluster*>(cluster), destination.weight,
           merge(http.headers.request, destination.headers.request),
           merge(http.headers.response, destination.headers.response),
           !route_authority.empty() ? route_authority : destination.headers.authority});
      out.total_weight += destination.weight;
    }
    if (out.destinations.empty()) return std::nullopt;
    return out;
  }

  RouterState& state_;
  std::vector<config::Error>& errors_;
  ClusterCatalog catalog_;
};

}  // namespace

const VirtualHost* PortRoutes::select(std::string_view host) const {
  if (auto found = exact.find(host); found != exact.end()) return found->second;
  if (!wildcard.empty()) {
    for (auto dot = host.find('.', 1); dot != std::string_view::npos;
         dot = host.find('.', dot + 1)) {
      if (auto found = wildcard.find(host.substr(dot)); found != wildcard.end()) {
        return found->second;
      }
    }
  }
  return any;
}

void build_route_tables(const config::Snapshot& snapshot, RouterState& state,
                        std::vector<config::Error>& errors) {
  RouteTableBuilder(snapshot, state, errors).build(snapshot);
}

}  // namespace gatehouse::mesh
