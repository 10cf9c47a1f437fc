// TargetGroup: target types, targets and health checks with ALB's names, defaults, ranges.
#include <gtest/gtest.h>

#include "config/loader.h"
#include "test_support.h"

namespace gatehouse::config {
namespace {

using testing::error_strings;
using testing::expect_error;
using testing::expect_errors;
using testing::gatehouse;
using testing::load_text;

std::string at(int line, std::string_view message) {
  return testing::error_at("TargetGroup", line, message);
}

std::string group(std::string_view spec) { return gatehouse("TargetGroup", spec); }

TEST(TargetGroup, IpTargetsAndHealthCheckLoad) {
  LoadResult result = load_text(group(R"(port: 8000
targets:
- id: 10.0.0.1
- id: "fd00::2"
  port: 9000
healthCheckPath: /status/200?full=1
healthCheckPort: "8001"
healthCheckIntervalSeconds: 10
healthCheckTimeoutSeconds: 2
healthyThresholdCount: 3
unhealthyThresholdCount: 4
matcher: {httpCode: "200-299"}
loadBalancingAlgorithmType: least_outstanding_requests)"));
  ASSERT_EQ(error_strings(result), std::vector<std::string>{});
  const TargetGroup& out = result.snapshot.target_groups[0];
  EXPECT_EQ(out.target_type, "ip");
  EXPECT_EQ(out.protocol, "HTTP");
  ASSERT_EQ(out.targets.size(), 2u);
  EXPECT_EQ(out.targets[0].port, 8000u);  // defaults to the group's port
  EXPECT_EQ(out.targets[1].id, "fd00::2");
  EXPECT_EQ(out.targets[1].port, 9000u);
  const HealthCheck& check = out.health_check;
  EXPECT_TRUE(check.enabled);
  EXPECT_EQ(check.path, "/status/200?full=1");
  EXPECT_EQ(check.port, "8001");
  EXPECT_EQ(check.interval_seconds, 10u);
  EXPECT_EQ(check.timeout_seconds, 2u);
  EXPECT_EQ(check.healthy_threshold, 3u);
  EXPECT_EQ(check.unhealthy_threshold, 4u);
  EXPECT_EQ(check.matcher_http_code, "200-299");
  EXPECT_EQ(out.load_balancing_algorithm, "least_outstanding_requests");
}

TEST(TargetGroup, AlbDefaults) {
  LoadResult result = load_text(group("port: 80"));
  ASSERT_EQ(error_strings(result), std::vector<std::string>{});
  const HealthCheck& check = result.snapshot.target_groups[0].health_check;
  EXPECT_EQ(check.protocol, "HTTP");
  EXPECT_EQ(check.port, "traffic-port");
  EXPECT_EQ(check.path, "/");
  EXPECT_EQ(check.interval_seconds, 30u);
  EXPECT_EQ(check.timeout_seconds, 5u);
  EXPECT_EQ(check.healthy_threshold, 5u);
  EXPECT_EQ(check.unhealthy_threshold, 2u);
  EXPECT_EQ(check.matcher_http_code, "200");
  EXPECT_EQ(result.snapshot.target_groups[0].load_balancing_algorithm, "round_robin");
}

TEST(TargetGroup, PortIsRequired) {
  expect_error(group("targetType: ip"), at(6, "spec: missing required field \"port\""));
}

TEST(TargetGroup, OnlyIpAndMeshTargetTypes) {
  expect_errors(group("targetType: instance\nport: 80") + "---\n" +
                    gatehouse("TargetGroup", "targetType: lamda\nport: 80", "other"),
                {at(7,
                    "spec.targetType: targetType instance is not supported by gatehouse (use "
                    "ip or mesh)"),
                 "test.yaml:16: resource TargetGroup/foo/other: spec.targetType: invalid value "
                 "\"lamda\", expected one of ip, mesh, instance, lambda, alb (did you mean "
                 "\"lambda\"?)"});
}

TEST(TargetGroup, HttpsIsNotSupportedYet) {
  expect_errors(group("protocol: HTTPS\nport: 443\nhealthCheckProtocol: HTTPS"),
                {at(7, "spec.protocol: protocol HTTPS is not supported yet"),
                 at(9,
                    "spec.healthCheckProtocol: healthCheckProtocol HTTPS is not supported "
                    "yet")});
}

TEST(TargetGroup, MeshTakesNoTargets) {
  expect_errors(group("targetType: mesh\nport: 80\ntargets: [{id: 10.0.0.1}]"),
                {at(9,
                    "spec.targets: targets are not allowed for targetType mesh (requests go "
                    "to the Gateway server on port 80)"),
                 at(8,
                    "no Gateway server listens on port 80 (a mesh target group hands requests "
                    "to a Gateway server port)")});
}

TEST(TargetGroup, TargetsAreIpAddressesListedOnce) {
  expect_errors(group("port: 80\ntargets:\n- id: web-1.internal\n- id: 10.0.0.1\n"
                      "- {id: 10.0.0.1, port: 80}\n- {port: 81}"),
                {at(9, "spec.targets[0].id: target id \"web-1.internal\" is not an IP address"),
                 at(11, "spec.targets[2]: target 10.0.0.1:80 is listed twice"),
                 at(12, "spec.targets[3]: missing required field \"id\"")});
}

TEST(TargetGroup, HealthChecksCannotBeDisabledForIpTargets) {
  expect_error(group("port: 80\nhealthCheckEnabled: false"),
               at(8,
                  "spec.healthCheckEnabled: health checks cannot be disabled for targetType "
                  "ip"));
  LoadResult mesh = load_text(group("targetType: mesh\nport: 80\nhealthCheckEnabled: false"));
  EXPECT_FALSE(mesh.snapshot.target_groups[0].health_check.enabled);
}

TEST(TargetGroup, HealthCheckPortIsTrafficPortOrANumber) {
  expect_errors(group("port: 80\nhealthCheckPort: traffic\n") + "---\n" +
                    gatehouse("TargetGroup", "port: 80\nhealthCheckPort: 70000", "other"),
                {at(8,
                    "spec.healthCheckPort: must be \"traffic-port\" or a port number "
                    "(1-65535), got \"traffic\""),
                 "test.yaml:17: resource TargetGroup/foo/other: spec.healthCheckPort: must be "
                 "\"traffic-port\" or a port number (1-65535), got \"70000\""});
}

TEST(TargetGroup, HealthCheckPathIsAnAbsolutePath) {
  expect_errors(group("port: 80\nhealthCheckPath: status\n") + "---\n" +
                    gatehouse("TargetGroup",
                              "port: 80\nhealthCheckPath: /" + std::string(1024, 'a'), "other"),
                {at(8,
                    "spec.healthCheckPath: must start with \"/\" and be at most 1024 visible "
                    "ASCII characters"),
                 "test.yaml:17: resource TargetGroup/foo/other: spec.healthCheckPath: must start "
                 "with \"/\" and be at most 1024 visible ASCII characters"});
}

TEST(TargetGroup, HealthCheckNumbersAreInAlbRanges) {
  expect_errors(group("port: 80\nhealthCheckIntervalSeconds: 4\nhealthCheckTimeoutSeconds: 121\n"
                      "healthyThresholdCount: 11\nunhealthyThresholdCount: 1"),
                {at(8, "spec.healthCheckIntervalSeconds: must be between 5 and 300, got 4"),
                 at(9, "spec.healthCheckTimeoutSeconds: must be between 2 and 120, got 121"),
                 at(10, "spec.healthyThresholdCount: must be between 2 and 10, got 11"),
                 at(11, "spec.unhealthyThresholdCount: must be between 2 and 10, got 1")});
}

TEST(TargetGroup, TimeoutMustBeShorterThanInterval) {
  expect_error(group("port: 80\nhealthCheckIntervalSeconds: 10\nhealthCheckTimeoutSeconds: 10"),
               at(6,
                  "spec: healthCheckTimeoutSeconds (10) must be smaller than "
                  "healthCheckIntervalSeconds (10)"));
}

TEST(TargetGroup, MatcherHttpCodes) {
  for (std::string_view ok : {"200", "200,202,404", "200-499"}) {
    LoadResult result =
        load_text(group("port: 80\nmatcher: {httpCode: \"" + std::string(ok) + "\"}"));
    EXPECT_TRUE(result.ok()) << ok;
  }
  expect_errors(group("port: 80\nmatcher: {httpCode: \"299-200\"}") + "---\n" +
                    gatehouse("TargetGroup", "port: 80\nmatcher: {httpCode: \"200,500\"}", "b") +
                    "---\n" + gatehouse("TargetGroup", "port: 80\nmatcher: {httpCode: 2xx}", "c") +
                    "---\n" +
                    gatehouse("TargetGroup", "port: 80\nmatcher: {grpcCode: \"12\"}", "d"),
                {at(8,
                    "spec.matcher.httpCode: invalid httpCode \"299-200\": the range must go "
                    "from the lower code to the higher"),
                 "test.yaml:17: resource TargetGroup/foo/b: spec.matcher.httpCode: invalid "
                 "httpCode \"200,500\": codes must be between 200 and 499",
                 "test.yaml:26: resource TargetGroup/foo/c: spec.matcher.httpCode: invalid "
                 "httpCode \"2xx\": expected codes such as \"200\", \"200,202\" or \"200-299\"",
                 "test.yaml:35: resource TargetGroup/foo/d: spec.matcher: field \"grpcCode\" is "
                 "not supported by gatehouse yet"});
}

TEST(TargetGroup, LoadBalancingAlgorithm) {
  expect_error(group("port: 80\nloadBalancingAlgorithmType: weighted_random"),
               at(8,
                  "spec.loadBalancingAlgorithmType: loadBalancingAlgorithmType weighted_random "
                  "is not supported yet"));
}

}  // namespace
}  // namespace gatehouse::config
