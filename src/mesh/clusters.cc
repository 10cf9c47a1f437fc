#include "mesh/clusters.h"

#include <algorithm>

#include "mesh/hostnames.h"
#include "mesh/resource_order.h"

namespace gatehouse::mesh {
namespace {

constexpr uint32_t kMaxPort = 65535;

template <class Resource>
std::vector<const Resource*> in_creation_order(const std::vector<Resource>& resources) {
  std::vector<const Resource*> out;
  for (const auto& resource : resources) out.push_back(&resource);
  std::stable_sort(out.begin(), out.end(),
                   [](const Resource* a, const Resource* b) { return created_before(*a, *b); });
  return out;
}

std::variant<Resolution, std::string> parse_resolution(const std::string& text) {
  if (text == "NONE") return Resolution::None;
  if (text == "STATIC") return Resolution::Static;
  if (text == "DNS") return Resolution::Dns;
  if (text == "DNS_ROUND_ROBIN") return Resolution::DnsRoundRobin;
  return "resolution \"" + text + "\" is not NONE, STATIC, DNS or DNS_ROUND_ROBIN";
}

bool has_labels(const config::Labels& labels, const config::Labels& wanted) {
  return std::all_of(wanted.begin(), wanted.end(), [&](const auto& entry) {
    auto found = labels.find(entry.first);
    return found != labels.end() && found->second == entry.second;
  });
}

config::Labels common_labels(const std::vector<Endpoint>& endpoints) {
  if (endpoints.empty()) return {};
  config::Labels out = endpoints.front().labels;
  std::erase_if(out, [&](const auto& entry) {
    return !std::all_of(endpoints.begin(), endpoints.end(), [&](const Endpoint& endpoint) {
      return has_labels(endpoint.labels, {entry});
    });
  });
  return out;
}

// Istio convertEndpoint: the endpoint's named port, else targetPort, else the port number.
uint32_t endpoint_port(const config::WorkloadEntry* entry, const config::ServicePort& port) {
  if (entry != nullptr) {
    auto named = entry->ports.find(port.name);
    if (named != entry->ports.end() && named->second != 0) return named->second;
  }
  return port.target_port != 0 ? port.target_port : port.number;
}

std::variant<std::vector<Endpoint>, std::string> endpoints_of(const config::ServiceEntry& entry,
                                                              const config::ServicePort& port,
                                                              Resolution resolution,
                                                              const std::string& host,
                                                              const config::Labels& subset_labels) {
  std::vector<Endpoint> out;
  auto add = [&](std::string address, const config::WorkloadEntry* workload) -> bool {
    uint32_t number = endpoint_port(workload, port);
    if (number > kMaxPort) return false;
    out.push_back({std::move(address), static_cast<uint16_t>(number),
                   workload ? workload->labels : config::Labels{},
                   workload && workload->weight != 0 ? workload->weight : 1});
    return true;
  };
  switch (resolution) {
    case Resolution::None:
      return out;  // an ingress gateway has no original destination to pass through to
    case Resolution::Static:
    case Resolution::Dns:
    case Resolution::DnsRoundRobin:
      break;
  }
  if (entry.endpoints.empty() && resolution != Resolution::Static) {
    // DNS without endpoints resolves the host itself, which carries no labels for a subset.
    if (subset_labels.empty() && !add(host, nullptr)) return "endpoint port out of range";
    return out;
  }
  for (const auto& workload : entry.endpoints) {
    if (!has_labels(workload.labels, subset_labels)) continue;
    if (!add(workload.address, &workload)) return "endpoint port out of range";
  }
  return out;
}

}  // namespace

ClusterCatalog::ClusterCatalog(const config::Snapshot& snapshot) {
  for (const auto* entry : in_creation_order(snapshot.service_entries)) {
    for (const auto& host : entry->hosts) services_.emplace(lower_ascii(host), entry);
  }
  for (const auto* rule : in_creation_order(snapshot.destination_rules)) {
    rules_.emplace_back(lower_ascii(resolve_short_name(rule->host, rule->metadata.namespace_)),
                        rule);
  }
}

const config::DestinationRule* ClusterCatalog::rule_for(const std::string& host) const {
  const std::pair<std::string, const config::DestinationRule*>* best = nullptr;
  for (const auto& candidate : rules_) {
    if (candidate.first == host) return candidate.second;
    if (host_subset_of(host, candidate.first) &&
        (best == nullptr || candidate.first.size() > best->first.size())) {
      best = &candidate;
    }
  }
  return best ? best->second : nullptr;
}

std::variant<const Cluster*, std::string> ClusterCatalog::resolve(
    const config::Destination& destination, uint32_t listener_port) {
  const std::string& host = destination.host;
  auto service = services_.find(host);
  const config::ServiceEntry* entry = service == services_.end() ? nullptr : service->second;
  uint32_t port = listener_port;
  if (destination.port) {
    port = *destination.port;
  } else if (entry != nullptr && entry->ports.size() == 1) {
    port = entry->ports.front().number;
  }
  if (port == 0 || port > kMaxPort) {
    return "port " + std::to_string(port) + " of " + host + " is out of range";
  }
  const config::ServicePort* service_port = nullptr;
  if (entry != nullptr) {
    auto found = std::find_if(entry->ports.begin(), entry->ports.end(),
                              [&](const config::ServicePort& p) { return p.number == port; });
    if (found == entry->ports.end()) {
      return "port " + std::to_string(port) + " of " + host + " is not declared by " + entry->id();
    }
    service_port = &*found;
  }
  const config::DestinationRule* rule = rule_for(host);
  const config::Subset* subset = nullptr;
  if (!destination.subset.empty()) {
    if (rule != nullptr) {
      auto found =
          std::find_if(rule->subsets.begin(), rule->subsets.end(),
                       [&](const config::Subset& s) { return s.name == destination.subset; });
      if (found != rule->subsets.end()) subset = &*found;
    }
    if (subset == nullptr) {
      return "subset \"" + destination.subset + "\" of " + host +
             " is not defined by any DestinationRule";
    }
  }

  std::string name = "outbound|" + std::to_string(port) + "|" + destination.subset + "|" + host;
  if (auto existing = clusters_.find(name); existing != clusters_.end()) {
    return existing->second.get();
  }
  auto cluster = std::make_unique<Cluster>();
  cluster->name = name;
  cluster->host = host;
  cluster->port = static_cast<uint16_t>(port);
  cluster->subset = destination.subset;
  if (rule != nullptr) {
    const config::TrafficPolicy* specific = subset ? &subset->traffic_policy : nullptr;
    const auto& load_balancer = specific && specific->load_balancer
                                    ? specific->load_balancer
                                    : rule->traffic_policy.load_balancer;
    const auto& pool = specific && specific->connection_pool ? specific->connection_pool
                                                             : rule->traffic_policy.connection_pool;
    if (load_balancer) cluster->load_balancer = load_balancer->simple;
    if (pool) cluster->connection_pool = *pool;
  }
  if (entry != nullptr) {
    auto resolution = parse_resolution(entry->resolution);
    if (auto* error = std::get_if<std::string>(&resolution)) return entry->id() + ": " + *error;
    cluster->resolution = std::get<Resolution>(resolution);
    cluster->protocol = service_port->protocol;
    auto endpoints = endpoints_of(*entry, *service_port, cluster->resolution, host,
                                  subset ? subset->labels : config::Labels{});
    if (auto* error = std::get_if<std::string>(&endpoints)) return entry->id() + ": " + *error;
    cluster->endpoints = std::move(std::get<std::vector<Endpoint>>(endpoints));
    cluster->workload = {entry->id(), entry->metadata.namespace_,
                         entry->workload_selector.empty() ? common_labels(cluster->endpoints)
                                                          : entry->workload_selector};
  }
  const Cluster* out = cluster.get();
  clusters_.emplace(std::move(name), std::move(cluster));
  return out;
}

std::vector<std::unique_ptr<const Cluster>> ClusterCatalog::take_clusters() {
  std::vector<std::unique_ptr<const Cluster>> out;
  for (auto& [name, cluster] : clusters_) out.push_back(std::move(cluster));
  clusters_.clear();
  return out;
}

}  // namespace gatehouse::mesh
