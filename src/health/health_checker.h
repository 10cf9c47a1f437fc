// Active health checks of the target groups, with ALB's settings, states and reason codes,
// on a thread of its own. Each target is probed every interval over a new connection; its
// state goes into the HealthTable the Runtime's cluster points at, which workers read
// without a lock. A `mesh` target group has one target, the in-process Istio gateway: its
// probe is routed by the mesh (MeshResolver) and sent to an endpoint of the chosen cluster.
//
//   HealthChecker checker;
//   checker.set_groups(groups_of(runtime));   // before publishing the runtime to workers
//   checker.start();
//   ...reload: checker.set_groups(groups_of(next)); publish(next);
//   checker.stop();
#pragma once

#include <array>
#include <boost/asio/ip/tcp.hpp>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "config/resources.h"
#include "health/health_table.h"
#include "health/matcher.h"
#include "health/target_state.h"

namespace gatehouse::health {

// A target group's health-check settings, decoded from the config's names.
struct Settings {
  bool enabled = true;
  std::string path = "/";             // healthCheckPath, query included
  std::optional<uint16_t> port = {};  // healthCheckPort; none: traffic-port
  std::chrono::milliseconds interval{30000};
  std::chrono::milliseconds timeout{5000};
  Thresholds thresholds = {};
  Matcher matcher = *Matcher::parse("200");
};
// REQUIRES: `check` passed the config loader (a valid matcher and port).
Settings settings_of(const config::HealthCheck& check);

// What the mesh does with a probe request, for a `mesh` target group.
struct MeshProbe {
  // The mesh answered itself: a redirect, a direct response, 404 (no route), 401/403
  // (RequestAuthentication, AuthorizationPolicy) or 503 (a cluster without endpoints).
  unsigned local_status = 0;
  std::vector<boost::asio::ip::tcp::endpoint> endpoints = {};  // of the cluster the route chose
  std::string target = {};   // request-target to send: the route's path rewrite applied
  std::string host = {};     // Host to send: the route's authority rewrite applied
  std::string cluster = {};  // names, for the admin page
  std::string route = {};
};
// Routes a probe that arrives on the Gateway server port `port` (`host`, origin-form
// `target`) through the mesh. Called on the checker's thread only.
using MeshResolver =
    std::function<MeshProbe(uint16_t port, std::string_view host, std::string_view target)>;

struct TargetSpec {
  std::string id = {};  // IP address; "mesh" for the target of a mesh target group
  uint16_t port = 0;    // traffic port; the Gateway port for mesh
};

// One target group of a Runtime snapshot.
struct GroupSpec {
  std::string name = {};
  bool mesh = false;
  bool in_use = true;  // some listener forwards to it
  Settings settings = {};
  std::vector<TargetSpec> targets = {};     // ip: the cluster's targets, in table order
  std::shared_ptr<HealthTable> table = {};  // slot i describes targets[i]; may be null
  MeshResolver resolve = {};                // mesh only
};

// The last probe of a target.
struct ProbeRecord {
  std::chrono::system_clock::time_point time = {};  // when it was sent
  std::chrono::microseconds latency{0};
  ProbeResult result = ProbeResult::Success;
  unsigned status = 0;
  std::string error = {};
  std::string endpoint = {};  // where it went ("ip:port"); empty when the mesh answered
  std::string route = {};     // mesh: the VirtualService that routed it
  std::string cluster = {};   // mesh: the cluster it chose
};

struct TargetStatus {
  TargetSpec target = {};
  uint16_t health_check_port = 0;
  TargetHealth health = {};
  std::optional<ProbeRecord> last = {};
  std::array<uint64_t, kProbeResultCount> checks{};  // probes by result, since registered
};

struct GroupStatus {
  std::string name = {};
  bool mesh = false;
  bool in_use = true;
  Settings settings = {};
  std::vector<TargetStatus> targets = {};
};

class HealthChecker {
 public:
  HealthChecker();
  // Stops and joins the thread.
  ~HealthChecker();
  HealthChecker(const HealthChecker&) = delete;
  HealthChecker& operator=(const HealthChecker&) = delete;

  // Starts the thread; targets set before are probed then. stop() abandons probes in flight;
  // start() resumes.
  void start();
  void stop();

  // The target groups of a new snapshot. A target that stays (same group, id and port)
  // keeps its state, counters and schedule; new ones start initial and are probed at once;
  // the others are forgotten. Every table is written before this returns, so the snapshot
  // can go to the workers right after. Thread-safe.
  void set_groups(std::vector<GroupSpec> groups);

  // A copy for the admin page and the metrics, groups by name. Thread-safe.
  std::vector<GroupStatus> snapshot() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace gatehouse::health
