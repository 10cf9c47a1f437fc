// gatehouse.dev TargetGroup: IP targets or the in-process mesh, and health checks with
// ALB's names, defaults and ranges (AWS::ElasticLoadBalancingV2::TargetGroup).
#include <algorithm>
#include <array>
#include <set>

#include "config/decode.h"
#include "config/did_you_mean.h"
#include "config/syntax.h"

namespace gatehouse::config {
namespace {

constexpr std::array<std::string_view, 5> kTargetTypes{"ip", "mesh", "instance", "lambda", "alb"};
constexpr std::array<std::string_view, 2> kProtocols{"HTTP", "HTTPS"};
constexpr std::array<std::string_view, 3> kAlgorithms{"round_robin", "least_outstanding_requests",
                                                      "weighted_random"};
constexpr std::size_t kMaxHealthCheckPath = 1024;

std::optional<int> parse_code(std::string_view text) {
  if (text.size() != 3) return std::nullopt;
  for (char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
  }
  return std::stoi(std::string(text));
}

bool is_port_number(std::string_view text) {
  if (text.empty() || text.size() > 5 || text.find_first_not_of("0123456789") != text.npos) {
    return false;
  }
  int number = std::stoi(std::string(text));
  return number >= 1 && number <= 65535;
}

// "200", "200,202" or "200-299"; ALB allows codes 200-499 for HTTP target groups.
SyntaxError check_http_code_matcher(std::string_view matcher) {
  const std::string expected = "expected codes such as \"200\", \"200,202\" or \"200-299\"";
  auto in_range = [](std::optional<int> code) { return code && *code >= 200 && *code <= 499; };
  std::size_t dash = matcher.find('-');
  if (dash != std::string_view::npos) {
    auto low = parse_code(matcher.substr(0, dash)), high = parse_code(matcher.substr(dash + 1));
    if (!low || !high) return expected;
    if (!in_range(low) || !in_range(high)) return "codes must be between 200 and 499";
    if (*low > *high) return "the range must go from the lower code to the higher";
    return std::nullopt;
  }
  while (true) {
    std::size_t comma = matcher.find(',');
    auto code = parse_code(matcher.substr(0, comma));
    if (!code) return expected;
    if (!in_range(code)) return "codes must be between 200 and 499";
    if (comma == std::string_view::npos) return std::nullopt;
    matcher.remove_prefix(comma + 1);
  }
}

void read_targets(const Value& list, TargetGroup& out) {
  if (out.target_type == "mesh" && list.present()) {
    list.error(
        "targets are not allowed for targetType mesh (requests go to the Gateway server "
        "on port " +
        std::to_string(out.port) + ")");
    return;
  }
  std::set<std::pair<std::string, uint32_t>> listed;
  for (const Value& item : list.items()) {
    Object target = item.object({"id", "port"});
    if (!target.present()) continue;
    Value id = target.require("id");
    Target read{id.string().value_or(""), target.get("port").port().value_or(out.port)};
    if (id.present() && !is_ip(read.id)) {
      id.error("target id " + quote(read.id) + " is not an IP address");
    }
    if (!listed.emplace(read.id, read.port).second) {
      item.error("target " + read.id + ":" + std::to_string(read.port) + " is listed twice");
    }
    out.targets.push_back(std::move(read));
  }
}

void read_health_check(const Object& spec, TargetGroup& out) {
  HealthCheck& check = out.health_check;
  Value enabled = spec.get("healthCheckEnabled");
  check.enabled = enabled.boolean().value_or(true);
  if (!check.enabled && out.target_type == "ip") {
    enabled.error("health checks cannot be disabled for targetType ip");
  }
  Value protocol = spec.get("healthCheckProtocol");
  if (auto index = protocol.one_of(kProtocols)) {
    check.protocol = kProtocols[*index];
    if (check.protocol == "HTTPS") protocol.error("healthCheckProtocol HTTPS is not supported yet");
  }
  Value port = spec.get("healthCheckPort");
  if (auto text = port.string()) {
    if (*text != "traffic-port" && !is_port_number(*text)) {
      port.error("must be \"traffic-port\" or a port number (1-65535), got " + quote(*text));
    }
    check.port = *text;
  }
  Value path = spec.get("healthCheckPath");
  if (auto text = path.string()) {
    bool visible =
        std::all_of(text->begin(), text->end(), [](char c) { return c > ' ' && c < 0x7f; });
    if (!text->starts_with("/") || text->size() > kMaxHealthCheckPath || !visible) {
      path.error("must start with \"/\" and be at most 1024 visible ASCII characters");
    }
    check.path = *text;
  }
  auto seconds = [&](std::string_view field, int64_t min, int64_t max, uint32_t& into) {
    if (auto number = spec.get(field).integer(min, max)) into = static_cast<uint32_t>(*number);
  };
  seconds("healthCheckIntervalSeconds", 5, 300, check.interval_seconds);
  seconds("healthCheckTimeoutSeconds", 2, 120, check.timeout_seconds);
  seconds("healthyThresholdCount", 2, 10, check.healthy_threshold);
  seconds("unhealthyThresholdCount", 2, 10, check.unhealthy_threshold);
  if (check.timeout_seconds >= check.interval_seconds) {
    spec.self().error("healthCheckTimeoutSeconds (" + std::to_string(check.timeout_seconds) +
                      ") must be smaller than healthCheckIntervalSeconds (" +
                      std::to_string(check.interval_seconds) + ")");
  }
  Object matcher = spec.get("matcher").object({"httpCode", "grpcCode"});
  matcher.refuse({"grpcCode"});
  Value code = matcher.get("httpCode");
  if (auto text = code.string()) {
    if (auto problem = check_http_code_matcher(*text)) {
      code.error("invalid httpCode " + quote(*text) + ": " + *problem);
    }
    check.matcher_http_code = *text;
  }
}

}  // namespace

void decode_target_group(const Value& spec_value, TargetGroup& out, CrossReferences& refs) {
  Object spec = spec_value.object(
      {"targetType", "protocol", "port", "targets", "healthCheckEnabled", "healthCheckProtocol",
       "healthCheckPort", "healthCheckPath", "healthCheckIntervalSeconds",
       "healthCheckTimeoutSeconds", "healthyThresholdCount", "unhealthyThresholdCount", "matcher",
       "loadBalancingAlgorithmType"});
  Value type = spec.get("targetType");
  if (auto index = type.one_of(kTargetTypes)) {
    out.target_type = kTargetTypes[*index];
    if (*index > 1) {
      type.error("targetType " + out.target_type +
                 " is not supported by gatehouse (use ip or mesh)");
    }
  }
  Value protocol = spec.get("protocol");
  if (auto index = protocol.one_of(kProtocols)) {
    out.protocol = kProtocols[*index];
    if (out.protocol == "HTTPS") protocol.error("protocol HTTPS is not supported yet");
  }
  Value port = spec.require("port");
  out.port = port.port().value_or(0);
  if (out.target_type == "mesh" && out.port != 0) {
    refs.gateway_ports.push_back(PortReference{port.where(), out.id(), out.port});
  }
  read_targets(spec.get("targets"), out);
  read_health_check(spec, out);
  Value algorithm = spec.get("loadBalancingAlgorithmType");
  if (auto index = algorithm.one_of(kAlgorithms)) {
    out.load_balancing_algorithm = kAlgorithms[*index];
    if (*index == 2)
      algorithm.error("loadBalancingAlgorithmType weighted_random is not supported yet");
  }
}

}  // namespace gatehouse::config
