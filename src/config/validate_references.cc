// Checks between resources, once every document has been read: names used by one resource
// (gateways, target groups, extension providers) must exist, and listeners must not claim
// the same address and port.
#include <map>
#include <set>

#include "config/decode.h"
#include "config/did_you_mean.h"
#include "config/syntax.h"

namespace gatehouse::config {
namespace {

template <class Resource>
std::set<std::string> names_of(const std::vector<Resource>& resources) {
  std::set<std::string> names;
  for (const Resource& resource : resources) {
    names.insert(resource.metadata.namespace_ + "/" + resource.metadata.name);
  }
  return names;
}

// Suggestions compare every name with every unknown one; beyond this many names that costs
// more than it helps.
constexpr std::size_t kMaxSuggestionCandidates = 500;

void check_names_exist(const std::vector<Reference>& refs, const std::set<std::string>& names,
                       std::string_view kind, Diagnostics& diagnostics) {
  std::vector<std::string_view> candidates;
  if (names.size() <= kMaxSuggestionCandidates) candidates.assign(names.begin(), names.end());
  for (const Reference& ref : refs) {
    if (names.contains(ref.target)) continue;
    diagnostics.report(ref.where, ref.from,
                       with_suggestion(std::string(kind) + " " + quote(ref.target) + " not found",
                                       ref.target, candidates));
  }
}

// The listeners on one port. Two sockets collide when their addresses are equal or one is
// the wildcard of the other's family; :: also takes IPv4 on a dual-stack host.
class PortUsers {
 public:
  const ListenerAddress* collision(const ListenerAddress& next) const {
    if (any_v6_ != nullptr) return any_v6_;
    bool v4 = is_ipv4(next.address);
    if (is_unspecified_ip(next.address)) return v4 ? first_v4_ : first_;
    if (v4 && any_v4_ != nullptr) return any_v4_;
    auto same = by_address_.find(next.address);
    return same == by_address_.end() ? nullptr : same->second;
  }

  void add(const ListenerAddress& next) {
    bool v4 = is_ipv4(next.address);
    if (first_ == nullptr) first_ = &next;
    if (v4 && first_v4_ == nullptr) first_v4_ = &next;
    if (is_unspecified_ip(next.address)) (v4 ? any_v4_ : any_v6_) = &next;
    by_address_.emplace(next.address, &next);
  }

 private:
  std::map<std::string, const ListenerAddress*> by_address_;
  const ListenerAddress* first_ = nullptr;
  const ListenerAddress* first_v4_ = nullptr;
  const ListenerAddress* any_v4_ = nullptr;  // 0.0.0.0
  const ListenerAddress* any_v6_ = nullptr;  // ::
};

}  // namespace

void validate_references(const Snapshot& snapshot, const CrossReferences& refs,
                         Diagnostics& diagnostics) {
  check_names_exist(refs.gateways, names_of(snapshot.gateways), "Gateway", diagnostics);
  check_names_exist(refs.target_groups, names_of(snapshot.target_groups), "TargetGroup",
                    diagnostics);
  std::set<std::string> providers;
  for (const ExtAuthzHttpProvider& provider : snapshot.mesh.extension_providers) {
    providers.insert(provider.name);
  }
  check_names_exist(refs.extension_providers, providers, "MeshConfig extension provider",
                    diagnostics);

  std::set<uint32_t> server_ports;
  for (const Gateway& gateway : snapshot.gateways) {
    for (const GatewayServer& server : gateway.servers) server_ports.insert(server.port);
  }
  for (const PortReference& ref : refs.gateway_ports) {
    if (server_ports.contains(ref.port)) continue;
    diagnostics.report(ref.where, ref.from,
                       "no Gateway server listens on port " + std::to_string(ref.port) +
                           " (a mesh target group hands requests to a Gateway server port)");
  }

  std::map<uint32_t, PortUsers> ports;
  for (const ListenerAddress& next : refs.listener_addresses) {
    PortUsers& users = ports[next.port];
    if (const ListenerAddress* earlier = users.collision(next)) {
      diagnostics.report(next.where, next.from,
                         "address " + next.address + ":" + std::to_string(next.port) +
                             " is already used by " + earlier->from + " (" + earlier->where.file +
                             ":" + std::to_string(earlier->where.line) + ")");
    }
    users.add(next);
  }
}

}  // namespace gatehouse::config
