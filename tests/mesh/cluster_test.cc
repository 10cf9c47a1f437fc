// Destinations to clusters: ServiceEntry endpoints and workload, DestinationRule subsets and
// traffic policies, port selection.
#include <gtest/gtest.h>

#include "mesh/router.h"
#include "mesh_test_support.h"

namespace gatehouse::mesh::test {
namespace {

constexpr char kHost[] = "httpbin.foo.svc.cluster.local";

config::DestinationRule destination_rule(std::string host, std::vector<config::Subset> subsets,
                                         std::string namespace_ = "foo") {
  config::DestinationRule rule;
  rule.kind = "DestinationRule";
  rule.metadata.namespace_ = std::move(namespace_);
  rule.metadata.name = "rule-" + host;
  rule.host = std::move(host);
  rule.subsets = std::move(subsets);
  return rule;
}

config::Subset subset(std::string name, config::Labels labels) {
  return {std::move(name), std::move(labels), {}};
}

// httpbin with three endpoints (two v1, one v2) and a route to `target`.
config::Snapshot httpbin_versions(config::RouteDestination target) {
  config::Snapshot snapshot = httpbin_snapshot();
  snapshot.virtual_services[0].http[0].route = {std::move(target)};
  snapshot.service_entries[0].endpoints = {
      workload("10.0.0.1", {{"app", "httpbin"}, {"version", "v1"}, {"zone", "a"}}),
      workload("10.0.0.2", {{"app", "httpbin"}, {"version", "v2"}}),
      workload("10.0.0.3", {{"app", "httpbin"}, {"version", "v1"}, {"zone", "b"}})};
  snapshot.destination_rules.push_back(destination_rule(
      kHost, {subset("v1", {{"version", "v1"}}), subset("v2", {{"version", "v2"}})}));
  return snapshot;
}

// The cluster a request is forwarded to, with the router that owns it.
struct RoutedCluster {
  std::shared_ptr<const Router> router;
  const Cluster* cluster = nullptr;
  const Cluster* operator->() const { return cluster; }
  explicit operator bool() const { return cluster != nullptr; }
};

RoutedCluster cluster_for(const config::Snapshot& snapshot, const Request& request = Request("/"),
                          uint16_t port = 80) {
  RoutedCluster out{compile_or_fail(snapshot)};
  if (out.router == nullptr) return out;
  auto decision = out.router->route(port, request.view(), 0);
  if (auto* forward = std::get_if<Forward>(&decision)) {
    out.cluster = forward->cluster;
  } else {
    ADD_FAILURE() << describe(decision);
  }
  return out;
}

std::vector<std::string> addresses(const Cluster& cluster) {
  std::vector<std::string> out;
  for (const auto& endpoint : cluster.endpoints) {
    out.push_back(endpoint.address + ":" + std::to_string(endpoint.port));
  }
  return out;
}

TEST(SubsetEndpoints, SubsetLabelsSelectEndpoints) {
  auto v1 = cluster_for(httpbin_versions(destination(kHost, 8000, 0, "v1")));
  ASSERT_TRUE(v1);
  EXPECT_EQ(v1->name, "outbound|8000|v1|httpbin.foo.svc.cluster.local");
  EXPECT_EQ(addresses(*v1.cluster), (std::vector<std::string>{"10.0.0.1:8000", "10.0.0.3:8000"}));
  EXPECT_EQ(v1->workload.labels, (config::Labels{{"app", "httpbin"}, {"version", "v1"}}));
  auto v2 = cluster_for(httpbin_versions(destination(kHost, 8000, 0, "v2")));
  ASSERT_TRUE(v2);
  EXPECT_EQ(addresses(*v2.cluster), (std::vector<std::string>{"10.0.0.2:8000"}));
}

TEST(SubsetEndpoints, NoSubsetTakesEveryEndpoint) {
  auto all = cluster_for(httpbin_versions(destination(kHost, 8000)));
  ASSERT_TRUE(all);
  EXPECT_EQ(all->name, "outbound|8000||httpbin.foo.svc.cluster.local");
  EXPECT_EQ(all->endpoints.size(), 3u);
  EXPECT_EQ(all->workload.labels, (config::Labels{{"app", "httpbin"}}));
}

TEST(SubsetEndpoints, SubsetMatchingNoEndpointIsEmpty) {
  auto snapshot = httpbin_versions(destination(kHost, 8000, 0, "v3"));
  snapshot.destination_rules[0].subsets.push_back(subset("v3", {{"version", "v3"}}));
  auto v3 = cluster_for(snapshot);
  ASSERT_TRUE(v3);
  EXPECT_TRUE(v3->endpoints.empty());
}

TEST(SubsetEndpoints, WorkloadSelectorLabelsNameTheWorkload) {
  auto snapshot = httpbin_snapshot();
  snapshot.service_entries[0].workload_selector = {{"app", "httpbin"}, {"tier", "web"}};
  auto cluster = cluster_for(snapshot);
  ASSERT_TRUE(cluster);
  EXPECT_EQ(cluster->workload.labels, snapshot.service_entries[0].workload_selector);
}

TEST(TrafficPolicy, SubsetPolicyOverridesTopLevelFieldByField) {
  auto snapshot = httpbin_versions(destination(kHost, 8000, 0, "v2"));
  auto& rule = snapshot.destination_rules[0];
  rule.traffic_policy.load_balancer =
      config::LoadBalancerSettings{config::LoadBalancerSettings::Simple::RoundRobin};
  rule.traffic_policy.connection_pool = config::ConnectionPoolSettings{};
  rule.traffic_policy.connection_pool->max_connections = 7;
  rule.subsets[1].traffic_policy.load_balancer =
      config::LoadBalancerSettings{config::LoadBalancerSettings::Simple::Random};
  auto v2 = cluster_for(snapshot);
  ASSERT_TRUE(v2);
  EXPECT_EQ(v2->load_balancer, config::LoadBalancerSettings::Simple::Random);
  EXPECT_EQ(v2->connection_pool.max_connections, 7u);
  snapshot.virtual_services[0].http[0].route[0].destination.subset = "v1";
  auto v1 = cluster_for(snapshot);
  ASSERT_TRUE(v1);
  EXPECT_EQ(v1->load_balancer, config::LoadBalancerSettings::Simple::RoundRobin);
}

TEST(TrafficPolicy, IstioDefaultsWithoutDestinationRule) {
  auto cluster = cluster_for(httpbin_snapshot());
  ASSERT_TRUE(cluster);
  EXPECT_EQ(cluster->load_balancer, config::LoadBalancerSettings::Simple::LeastRequest);
  EXPECT_EQ(cluster->connection_pool.max_connections, 0u);
  EXPECT_EQ(cluster->connection_pool.connect_timeout.count(), 10000);
}

TEST(TrafficPolicy, ExactRuleBeatsWildcardRule) {
  auto snapshot = httpbin_snapshot();
  auto wildcard = destination_rule("*.foo.svc.cluster.local", {});
  wildcard.traffic_policy.load_balancer =
      config::LoadBalancerSettings{config::LoadBalancerSettings::Simple::Random};
  snapshot.destination_rules.push_back(wildcard);
  auto cluster = cluster_for(snapshot);
  ASSERT_TRUE(cluster);
  EXPECT_EQ(cluster->load_balancer, config::LoadBalancerSettings::Simple::Random);
  auto exact_rule = destination_rule("httpbin", {});  // short name, expanded in foo
  exact_rule.traffic_policy.load_balancer =
      config::LoadBalancerSettings{config::LoadBalancerSettings::Simple::RoundRobin};
  snapshot.destination_rules.push_back(exact_rule);
  cluster = cluster_for(snapshot);
  ASSERT_TRUE(cluster);
  EXPECT_EQ(cluster->load_balancer, config::LoadBalancerSettings::Simple::RoundRobin);
}

TEST(EndpointPorts, NamedPortThenTargetPortThenNumber) {
  auto snapshot = httpbin_snapshot();
  auto& entry = snapshot.service_entries[0];
  entry.endpoints[0].ports = {{"http", 9001}};
  entry.endpoints.push_back(workload("127.0.0.2"));
  auto cluster = cluster_for(snapshot);
  ASSERT_TRUE(cluster);
  EXPECT_EQ(addresses(*cluster.cluster),
            (std::vector<std::string>{"127.0.0.1:9001", "127.0.0.2:8000"}));
  entry.ports[0].target_port = 9002;
  cluster = cluster_for(snapshot);
  ASSERT_TRUE(cluster);
  EXPECT_EQ(addresses(*cluster.cluster),
            (std::vector<std::string>{"127.0.0.1:9001", "127.0.0.2:9002"}));
}

TEST(EndpointWeights, ZeroMeansOne) {
  auto snapshot = httpbin_snapshot();
  snapshot.service_entries[0].endpoints[0].weight = 0;
  snapshot.service_entries[0].endpoints.push_back(workload("127.0.0.2"));
  snapshot.service_entries[0].endpoints[1].weight = 5;
  auto cluster = cluster_for(snapshot);
  ASSERT_TRUE(cluster);
  EXPECT_EQ(cluster->endpoints[0].weight, 1u);
  EXPECT_EQ(cluster->endpoints[1].weight, 5u);
}

TEST(Resolution, DnsEndpointsAreHostNamesToResolve) {
  auto snapshot = httpbin_snapshot();
  snapshot.service_entries[0].resolution = "DNS";
  snapshot.service_entries[0].endpoints = {workload("backend.internal")};
  auto cluster = cluster_for(snapshot);
  ASSERT_TRUE(cluster);
  EXPECT_EQ(cluster->resolution, Resolution::Dns);
  EXPECT_EQ(addresses(*cluster.cluster), std::vector<std::string>{"backend.internal:8000"});
}

TEST(Resolution, DnsWithoutEndpointsResolvesTheHostItself) {
  auto snapshot = httpbin_snapshot();
  snapshot.service_entries[0].resolution = "DNS_ROUND_ROBIN";
  snapshot.service_entries[0].endpoints.clear();
  auto cluster = cluster_for(snapshot);
  ASSERT_TRUE(cluster);
  EXPECT_EQ(cluster->resolution, Resolution::DnsRoundRobin);
  EXPECT_EQ(addresses(*cluster.cluster),
            std::vector<std::string>{"httpbin.foo.svc.cluster.local:8000"});
}

TEST(Resolution, NoneHasNoEndpointsAtAGateway) {
  auto snapshot = httpbin_snapshot();
  snapshot.service_entries[0].resolution = "NONE";
  auto cluster = cluster_for(snapshot);
  ASSERT_TRUE(cluster);
  EXPECT_TRUE(cluster->endpoints.empty());
}

TEST(UnknownService, HostWithoutServiceEntryForwardsToAnEmptyCluster) {
  auto snapshot = httpbin_snapshot();
  snapshot.virtual_services[0].http[0].route = {destination("nowhere.example.com", 81)};
  auto cluster = cluster_for(snapshot);
  ASSERT_TRUE(cluster);
  EXPECT_EQ(cluster->name, "outbound|81||nowhere.example.com");
  EXPECT_TRUE(cluster->endpoints.empty());
  EXPECT_TRUE(cluster->workload.service_entry.empty());
}

TEST(DestinationPort, ServiceEntrysOnlyPortElseListenerPort) {
  auto snapshot = httpbin_snapshot();
  snapshot.gateways[0].servers.push_back(http_server(8080, {"*"}));
  snapshot.virtual_services[0].http[0].route = {destination("httpbin")};
  auto only_port = cluster_for(snapshot);
  ASSERT_TRUE(only_port);
  EXPECT_EQ(only_port->name, "outbound|8000||httpbin.foo.svc.cluster.local");
  snapshot.virtual_services[0].http[0].route = {destination("unknown")};
  auto listener = cluster_for(snapshot, Request("/"), 8080);
  ASSERT_TRUE(listener);
  EXPECT_EQ(listener->name, "outbound|8080||unknown.foo.svc.cluster.local");
}

TEST(ClusterList, OneClusterPerDestinationHostPortSubset) {
  auto snapshot = httpbin_snapshot();
  auto& http = snapshot.virtual_services[0].http;
  http.insert(http.begin(), route_to(kHost, {uri(prefix("/a"))}));
  http[0].route = {destination(kHost, 8000)};
  auto router = compile_or_fail(snapshot);
  ASSERT_TRUE(router);
  ASSERT_EQ(router->clusters().size(), 1u);
  EXPECT_EQ(router->clusters()[0]->name, "outbound|8000||httpbin.foo.svc.cluster.local");
}

}  // namespace
}  // namespace gatehouse::mesh::test
