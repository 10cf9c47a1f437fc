#include "health/report.h"

#include <fmt/chrono.h>
#include <fmt/format.h>

#include <boost/json.hpp>

#include "telemetry/escape.h"

namespace gatehouse::health {
namespace {

namespace json = boost::json;

std::string target_label(const TargetSpec& target) {
  const bool v6 = target.id.find(':') != std::string::npos;
  return (v6 ? "[" + target.id + "]" : target.id) + ":" + std::to_string(target.port);
}

// RFC 3339, UTC, milliseconds.
std::string rfc3339(std::chrono::system_clock::time_point time) {
  const auto ms = std::chrono::time_point_cast<std::chrono::milliseconds>(time);
  return fmt::format("{:%Y-%m-%dT%H:%M:%S}.{:03}Z", std::chrono::floor<std::chrono::seconds>(ms),
                     ms.time_since_epoch().count() % 1000);
}

json::value nullable(std::string_view text) {
  return text.empty() ? json::value(nullptr) : json::value(text);
}

json::object last_check_json(const ProbeRecord& last) {
  return {{"time", rfc3339(last.time)},
          {"latency_ms", static_cast<double>(last.latency.count()) / 1000.0},
          {"result", result_name(last.result)},
          {"status", last.status ? json::value(last.status) : json::value(nullptr)},
          {"error", nullable(last.error)},
          {"endpoint", nullable(last.endpoint)},
          {"route", nullable(last.route)},
          {"cluster", nullable(last.cluster)}};
}

json::object target_json(const TargetStatus& target) {
  const TargetHealth& health = target.health;
  json::object checks;
  for (std::size_t i = 0; i < kProbeResultCount; ++i)
    if (target.checks[i] > 0) checks[result_name(static_cast<ProbeResult>(i))] = target.checks[i];
  return {{"id", target.target.id},
          {"port", target.target.port},
          {"health_check_port", target.health_check_port},
          {"state", state_name(health.state())},
          {"reason", nullable(reason_code(health.reason()))},
          {"description", nullable(health.description())},
          {"consecutive_successes", health.consecutive_successes()},
          {"consecutive_failures", health.consecutive_failures()},
          {"checks", std::move(checks)},
          {"last_check",
           target.last ? json::value(last_check_json(*target.last)) : json::value(nullptr)}};
}

json::object settings_json(const Settings& settings) {
  return {{"enabled", settings.enabled},
          {"protocol", "HTTP"},
          {"path", settings.path},
          {"port", settings.port ? json::value(std::to_string(*settings.port))
                                 : json::value("traffic-port")},
          {"interval_seconds", settings.interval.count() / 1000},
          {"timeout_seconds", settings.timeout.count() / 1000},
          {"healthy_threshold", settings.thresholds.healthy},
          {"unhealthy_threshold", settings.thresholds.unhealthy},
          {"matcher", settings.matcher.text()}};
}

void append_labels(std::string& out, std::string_view group, std::string_view target,
                   std::string_view name, std::string_view value) {
  out.append("{target_group=\"");
  telemetry::append_prometheus_label_value(out, group);
  out.append("\",target=\"");
  telemetry::append_prometheus_label_value(out, target);
  fmt::format_to(std::back_inserter(out), "\",{}=\"", name);
  telemetry::append_prometheus_label_value(out, value);
  out.append("\"}");
}

}  // namespace

std::string targets_json(const std::vector<GroupStatus>& groups) {
  json::array out;
  for (const GroupStatus& group : groups) {
    json::array targets;
    for (const TargetStatus& target : group.targets) targets.push_back(target_json(target));
    out.push_back(json::object{{"name", group.name},
                               {"target_type", group.mesh ? "mesh" : "ip"},
                               {"in_use", group.in_use},
                               {"health_check", settings_json(group.settings)},
                               {"targets", std::move(targets)}});
  }
  return json::serialize(json::object{{"target_groups", std::move(out)}}) + "\n";
}

void append_health_metrics(const std::vector<GroupStatus>& groups, std::string& out) {
  if (groups.empty()) return;
  out +=
      "# HELP gatehouse_target_health Target health state (1 for the current state), as ALB "
      "names them.\n"
      "# TYPE gatehouse_target_health gauge\n";
  for (const GroupStatus& group : groups)
    for (const TargetStatus& target : group.targets)
      for (std::size_t i = 0; i < kStateCount; ++i) {
        out.append("gatehouse_target_health");
        append_labels(out, group.name, target_label(target.target), "state",
                      state_name(static_cast<State>(i)));
        out.append(target.health.state() == static_cast<State>(i) ? " 1\n" : " 0\n");
      }
  out +=
      "# HELP gatehouse_target_health_reason The reason code of a target that is not healthy.\n"
      "# TYPE gatehouse_target_health_reason gauge\n";
  for (const GroupStatus& group : groups)
    for (const TargetStatus& target : group.targets) {
      if (target.health.reason() == Reason::None) continue;
      out.append("gatehouse_target_health_reason");
      append_labels(out, group.name, target_label(target.target), "reason",
                    reason_code(target.health.reason()));
      out.append(" 1\n");
    }
  out +=
      "# HELP gatehouse_health_checks_total Health checks by target and result.\n"
      "# TYPE gatehouse_health_checks_total counter\n";
  for (const GroupStatus& group : groups)
    for (const TargetStatus& target : group.targets)
      for (std::size_t i = 0; i < kProbeResultCount; ++i) {
        const auto result = static_cast<ProbeResult>(i);
        if (target.checks[i] == 0 && result != ProbeResult::Success) continue;
        out.append("gatehouse_health_checks_total");
        append_labels(out, group.name, target_label(target.target), "result", result_name(result));
        fmt::format_to(std::back_inserter(out), " {}\n", target.checks[i]);
      }
}

}  // namespace gatehouse::health
