#include "mesh/router.h"

#include <algorithm>
#include <set>
#include <tuple>

#include "mesh/resource_order.h"
#include "mesh/route_table.h"

namespace gatehouse::mesh {
namespace {

void drop_repeated(std::vector<config::Error>& errors) {
  std::set<std::tuple<std::string, int, std::string, std::string>> seen;
  std::erase_if(errors, [&](const config::Error& error) {
    return !seen.emplace(error.where.file, error.where.line, error.resource, error.message).second;
  });
}

}  // namespace

Router::Router(std::unique_ptr<const RouterState> state) : state_(std::move(state)) {}
Router::~Router() = default;

Decision Router::route(uint16_t gateway_port, const RequestView& request, uint64_t random,
                       const ClaimSource* claims) const {
  const auto& ports = state_->ports;
  auto table = std::find_if(ports.begin(), ports.end(),
                            [&](const PortRoutes& p) { return p.port == gateway_port; });
  if (table == ports.end()) return NotFound{};
  const VirtualHost* host = table->select(host_without_port(request.authority));
  if (host == nullptr) return NotFound{};
  // Envoy require_tls checks x-forwarded-proto, which the gateway sets from the connection.
  if (host->require_tls && request.scheme != "https") {
    return HttpsRedirect{https_redirect_location(request)};
  }
  for (const Route* route : host->routes) {
    if (route->match->matches(request, claims)) return decide(*route, request, random);
  }
  return NotFound{};
}

bool Router::has_claim_conditions() const { return state_->has_claim_conditions; }

std::span<const uint16_t> Router::ports() const { return state_->port_numbers; }

std::span<const Cluster* const> Router::clusters() const { return state_->cluster_view; }

CompileResult compile(const config::Snapshot& snapshot) {
  CompileResult result;
  auto state = std::make_unique<RouterState>();
  std::set<std::string> gateway_ids;
  for (const auto& gateway : snapshot.gateways) {
    gateway_ids.insert(gateway.metadata.namespace_ + "/" + gateway.metadata.name);
  }
  std::vector<const config::VirtualService*> order;
  for (const auto& vs : snapshot.virtual_services) order.push_back(&vs);
  std::stable_sort(order.begin(), order.end(),
                   [](const auto* a, const auto* b) { return created_before(*a, *b); });
  for (const auto* vs : order) {
    state->virtual_services.push_back(compile_virtual_service(*vs, gateway_ids, result.errors));
  }
  build_route_tables(snapshot, *state, result.errors);
  drop_repeated(result.errors);
  if (result.ok()) result.router = std::make_shared<const Router>(std::move(state));
  return result;
}

}  // namespace gatehouse::mesh
