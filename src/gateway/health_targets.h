// What the health checker checks in a Runtime snapshot: each target group with its targets
// and the HealthTable its cluster reads, whether a listener forwards to it, and for `mesh`
// target groups how a probe is routed: through the same mesh decisions as a request (the
// Gateway server's VirtualService route, then the workload's RequestAuthentication and
// AuthorizationPolicy), never through a listener or its rules.
#pragma once

#include <memory>
#include <vector>

#include "gateway/runtime.h"
#include "health/health_checker.h"

namespace gatehouse::gateway {

// Target groups by name. The mesh resolvers keep `runtime` alive until the next set_groups.
std::vector<health::GroupSpec> health_groups(const std::shared_ptr<const Runtime>& runtime);

}  // namespace gatehouse::gateway
