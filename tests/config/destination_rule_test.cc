// DestinationRule and MeshConfig: traffic policies, subsets and mesh-wide settings.
#include <gtest/gtest.h>

#include "config/loader.h"
#include "test_support.h"

namespace gatehouse::config {
namespace {

using testing::error_strings;
using testing::expect_error;
using testing::expect_errors;
using testing::gatehouse;
using testing::istio;
using testing::load_text;

std::string at(int line, std::string_view message) {
  return testing::error_at("DestinationRule", line, message);
}

std::string rule(std::string_view spec) { return istio("DestinationRule", spec); }

// Host on line 7, `trafficPolicy:` on line 8, the policy from line 9.
std::string with_policy(std::string_view policy) {
  return rule("host: httpbin.foo.svc.cluster.local\ntrafficPolicy:\n" + std::string(policy));
}

TEST(DestinationRule, ReadsConnectionPoolAndLoadBalancer) {
  LoadResult result = load_text(with_policy(
      "  loadBalancer: {simple: LEAST_CONN}\n  tls: {mode: DISABLE}\n  connectionPool:\n"
      "    tcp: {maxConnections: 100, connectTimeout: 30ms}\n"
      "    http: {http1MaxPendingRequests: 10, maxRequestsPerConnection: 1, idleTimeout: 1h}"));
  ASSERT_EQ(error_strings(result), std::vector<std::string>{});
  const TrafficPolicy& policy = result.snapshot.destination_rules[0].traffic_policy;
  EXPECT_EQ(policy.load_balancer->simple, LoadBalancerSettings::Simple::LeastRequest);
  const ConnectionPoolSettings& pool = *policy.connection_pool;
  EXPECT_EQ(pool.max_connections, 100u);
  EXPECT_EQ(pool.connect_timeout, Millis(30));
  EXPECT_EQ(pool.http1_max_pending_requests, 10u);
  EXPECT_EQ(pool.max_requests_per_connection, 1u);
  EXPECT_EQ(pool.idle_timeout, Millis(3600000));
}

TEST(DestinationRule, DefaultsMatchIstio) {
  LoadResult result =
      load_text(with_policy("  connectionPool: {tcp: {maxConnections: 1}}\n"
                            "  loadBalancer: {}"));
  ASSERT_EQ(error_strings(result), std::vector<std::string>{});
  const TrafficPolicy& policy = result.snapshot.destination_rules[0].traffic_policy;
  EXPECT_EQ(policy.load_balancer->simple, LoadBalancerSettings::Simple::LeastRequest);
  EXPECT_EQ(policy.connection_pool->connect_timeout, Millis(10000));
  EXPECT_EQ(policy.connection_pool->idle_timeout, Millis(3600000));
}

TEST(DestinationRule, HostIsRequiredAndChecked) {
  expect_error(rule("subsets: []"), at(6, "spec: missing required field \"host\""));
  expect_error(rule("host: 'a/b'"),
               at(7, "spec.host: invalid host \"a/b\": label \"a/b\" is invalid"));
}

TEST(DestinationRule, SimpleLoadBalancerMustBeKnown) {
  expect_error(with_policy("  loadBalancer: {simple: ROUND_ROBN}"),
               at(9,
                  "spec.trafficPolicy.loadBalancer.simple: invalid value \"ROUND_ROBN\", "
                  "expected one of UNSPECIFIED, LEAST_CONN, RANDOM, PASSTHROUGH, ROUND_ROBIN, "
                  "LEAST_REQUEST (did you mean \"ROUND_ROBIN\"?)"));
}

TEST(DestinationRule, UnimplementedPoliciesAreRefused) {
  expect_errors(with_policy("  outlierDetection: {consecutive5xxErrors: 5}\n"
                            "  loadBalancer: {consistentHash: {httpHeaderName: x}}\n"
                            "  portLevelSettings: []"),
                {at(9,
                    "spec.trafficPolicy: field \"outlierDetection\" is not supported by "
                    "gatehouse yet"),
                 at(11,
                    "spec.trafficPolicy: field \"portLevelSettings\" is not supported by "
                    "gatehouse yet"),
                 at(10,
                    "spec.trafficPolicy.loadBalancer: field \"consistentHash\" is not "
                    "supported by gatehouse yet")});
}

TEST(DestinationRule, ConnectionPoolNeedsAField) {
  expect_error(with_policy("  connectionPool: {}"),
               at(9,
                  "spec.trafficPolicy.connectionPool: connection pool must have at least one "
                  "field"));
}

TEST(DestinationRule, ConnectionPoolValuesAreChecked) {
  expect_errors(
      with_policy("  connectionPool:\n    tcp: {maxConnections: -1, connectTimeout: 0.5ms,"
                  " idleTimeout: 1h}\n    http: {http2MaxRequests: 10, idleTimeout: x}"),
      {at(10,
          "spec.trafficPolicy.connectionPool.tcp: field \"idleTimeout\" is not "
          "supported by gatehouse yet"),
       at(10,
          "spec.trafficPolicy.connectionPool.tcp.maxConnections: must be between 0 "
          "and 2147483647, got -1"),
       at(10,
          "spec.trafficPolicy.connectionPool.tcp.connectTimeout: duration must be "
          "at least 1ms, got \"0.5ms\""),
       at(11,
          "spec.trafficPolicy.connectionPool.http: field \"http2MaxRequests\" is "
          "not supported by gatehouse yet"),
       at(11,
          "spec.trafficPolicy.connectionPool.http.idleTimeout: expected a duration "
          "such as \"10s\", \"500ms\" or \"1m30s\", got \"x\"")});
}

TEST(DestinationRule, UpstreamTlsIsNotSupported) {
  expect_errors(with_policy("  tls: {mode: ISTIO_MUTUAL, sni: a.example.com}"),
                {at(9, "spec.trafficPolicy.tls: field \"sni\" is not supported by gatehouse yet"),
                 at(9,
                    "spec.trafficPolicy.tls.mode: tls mode ISTIO_MUTUAL is not supported by "
                    "gatehouse yet (upstream connections are plain HTTP)")});
}

TEST(DestinationRule, SubsetsAreChecked) {
  expect_errors(rule("host: reviews\nsubsets:\n- labels: {version: v1}\n- name: v_2\n"
                     "- name: v3\n  labels: {version: 'x y'}\n- name: v3\n"
                     "  trafficPolicy: {loadBalancer: {simple: RANDOM}}"),
                {at(9, "spec.subsets[0]: missing required field \"name\""),
                 at(10, "spec.subsets[1].name: subset name is invalid: \"v_2\""),
                 at(12,
                    "spec.subsets[2].labels.version: invalid label value \"x y\": must be at "
                    "most 63 characters of letters, digits, '-', '_' and '.', starting and "
                    "ending with a letter or digit"),
                 at(13, "spec.subsets[3].name: duplicate subset names: \"v3\"")});
}

TEST(DestinationRule, WorkloadSelectorIsRefusedExportToAccepted) {
  expect_error(rule("host: reviews\nexportTo: ['*']\nworkloadSelector: {matchLabels: {a: b}}"),
               at(9, "spec: field \"workloadSelector\" is not supported by gatehouse yet"));
}

std::string mesh_at(int line, std::string_view message) {
  return "test.yaml:" + std::to_string(line) +
         ": resource MeshConfig/foo/demo: " + std::string(message);
}

TEST(MeshConfig, ReadsRootNamespaceAndNormalization) {
  LoadResult result = load_text(gatehouse("MeshConfig",
                                          "rootNamespace: mesh-root\n"
                                          "pathNormalization:\n"
                                          "  normalization: MERGE_SLASHES"));
  ASSERT_EQ(error_strings(result), std::vector<std::string>{});
  EXPECT_EQ(result.snapshot.mesh.root_namespace, "mesh-root");
  EXPECT_EQ(result.snapshot.mesh.path_normalization, PathNormalization::MergeSlashes);
  LoadResult defaults = load_text(gatehouse("MeshConfig",
                                            "pathNormalization: {normalization: "
                                            "DEFAULT}"));
  EXPECT_EQ(defaults.snapshot.mesh.path_normalization, PathNormalization::Base);
  EXPECT_EQ(defaults.snapshot.mesh.root_namespace, "istio-system");
}

TEST(MeshConfig, ValuesAreChecked) {
  expect_errors(gatehouse("MeshConfig",
                          "rootNamespace: Istio_System\n"
                          "pathNormalization: {normalization: MERGE_SLASH}"),
                {mesh_at(7,
                         "spec.rootNamespace: invalid namespace \"Istio_System\": must be a "
                         "lower-case RFC 1123 label (letters, digits, '-'; at most 63)"),
                 mesh_at(8,
                         "spec.pathNormalization.normalization: invalid value "
                         "\"MERGE_SLASH\", expected one of NONE, BASE, DEFAULT, MERGE_SLASHES, "
                         "DECODE_AND_MERGE_SLASHES (did you mean \"MERGE_SLASHES\"?)")});
}

}  // namespace
}  // namespace gatehouse::config
