// The health checker's state for people and monitoring: the admin page /targets (JSON, in
// the terms of ALB's describe-target-health) and the Prometheus families. Pure.
#pragma once

#include <string>
#include <vector>

#include "health/health_checker.h"

namespace gatehouse::health {

// {"target_groups":[{"name", "target_type", "in_use", "health_check":{...},
//   "targets":[{"id", "port", "health_check_port", "state", "reason", "description",
//   "consecutive_successes", "consecutive_failures", "checks":{result: count},
//   "last_check":{"time", "latency_ms", "result", "status", "error", "endpoint", "route",
//   "cluster"}}]}]}
// `reason` and `description` are null while healthy; `last_check` null before the first.
std::string targets_json(const std::vector<GroupStatus>& groups);

// gatehouse_target_health{target_group,target,state} (1 for the current state, 0 for the
// others), gatehouse_target_health_reason{target_group,target,reason} (1, only while there
// is a reason) and gatehouse_health_checks_total{target_group,target,result}. `target` is
// "ip:port" ("mesh:PORT" for a mesh target group).
void append_health_metrics(const std::vector<GroupStatus>& groups, std::string& out);

}  // namespace gatehouse::health
