// Builds the Cluster behind each route destination from ServiceEntries (workload, ports,
// endpoints) and DestinationRules (subsets, load balancer, connection pool). Internal to the
// mesh module; used only while compiling, it keeps pointers into the Snapshot.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <variant>
#include <vector>

#include "config/resources.h"
#include "mesh/cluster.h"

namespace gatehouse::mesh {

class ClusterCatalog {
 public:
  explicit ClusterCatalog(const config::Snapshot& snapshot);

  // The cluster a destination names when routed from `listener_port`, created on first use.
  // `destination.host` is already expanded and lower-cased. The port is the destination's,
  // else the ServiceEntry's only port, else the listener port (Istio GetDestinationCluster).
  // Errors: a subset no DestinationRule defines, a port the ServiceEntry does not declare.
  // A host without ServiceEntry is fine: its cluster has no endpoints.
  std::variant<const Cluster*, std::string> resolve(const config::Destination& destination,
                                                    uint32_t listener_port);

  // Every cluster created, in name order; the catalog is empty afterwards.
  std::vector<std::unique_ptr<const Cluster>> take_clusters();

 private:
  const config::DestinationRule* rule_for(const std::string& host) const;

  std::map<std::string, const config::ServiceEntry*> services_;  // host -> first declaring SE
  std::vector<std::pair<std::string, const config::DestinationRule*>> rules_;  // host, rule
  std::map<std::string, std::unique_ptr<const Cluster>> clusters_;             // by name
};

}  // namespace gatehouse::mesh
