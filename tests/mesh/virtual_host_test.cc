// Gateway servers and virtual hosts: port tables, Host selection, VirtualService binding.
#include <gtest/gtest.h>

#include "mesh/router.h"
#include "mesh_test_support.h"

namespace gatehouse::mesh::test {
namespace {

constexpr char kHttpbin[] = "forward outbound|8000||httpbin.foo.svc.cluster.local";

config::Snapshot one_gateway(std::vector<config::GatewayServer> servers) {
  config::Snapshot snapshot;
  snapshot.gateways.push_back(gateway("foo", "gw", std::move(servers)));
  return snapshot;
}

// A VirtualService in `namespace_` bound to foo/gw sending everything for `host` to `target`.
config::VirtualService host_to(std::string host, std::string target, std::string name = "",
                               std::string namespace_ = "foo") {
  return virtual_service(namespace_, name.empty() ? target : name, {std::move(host)}, {"foo/gw"},
                         {route_to(target)});
}

TEST(ReferenceConfig, RoutesAnyPathAndHostOnPort80ToHttpbin) {
  auto router = compile_or_fail(httpbin_snapshot());
  EXPECT_EQ(route(router, 80, Request("/status/200", "gateway.example.com")), kHttpbin);
  EXPECT_EQ(route(router, 80, Request("/headers", "10.0.0.1:80")), kHttpbin);
  EXPECT_EQ(route(router, 80, Request("/", "")), kHttpbin);
  EXPECT_EQ(route(router, 80, Request("/anything/x").method("DELETE")), kHttpbin);
}

TEST(ReferenceConfig, UnknownPortIsNotFound) {
  auto router = compile_or_fail(httpbin_snapshot());
  EXPECT_EQ(route(router, 8080, Request("/status/200")), "not-found");
  ASSERT_NE(router, nullptr);
  EXPECT_EQ(std::vector<uint16_t>(router->ports().begin(), router->ports().end()),
            std::vector<uint16_t>{80});
}

TEST(ReferenceConfig, ForwardCarriesWorkloadAndEndpoint) {
  auto router = compile_or_fail(httpbin_snapshot());
  ASSERT_NE(router, nullptr);
  auto decision = router->route(80, Request("/get").view(), 0);
  auto* forward = std::get_if<Forward>(&decision);
  ASSERT_NE(forward, nullptr);
  const Cluster& cluster = *forward->cluster;
  EXPECT_EQ(cluster.workload.namespace_, "foo");
  EXPECT_EQ(cluster.workload.service_entry, "ServiceEntry/foo/httpbin");
  EXPECT_EQ(cluster.workload.labels, (config::Labels{{"app", "httpbin"}}));
  EXPECT_EQ(cluster.resolution, Resolution::Static);
  ASSERT_EQ(cluster.endpoints.size(), 1u);
  EXPECT_EQ(cluster.endpoints[0].address, "127.0.0.1");
  EXPECT_EQ(cluster.endpoints[0].port, 8000);
  EXPECT_FALSE(forward->path.has_value());
  EXPECT_TRUE(forward->authority.empty());
  EXPECT_TRUE(forward->request_headers->empty());
  EXPECT_EQ(forward->origin.virtual_service, "VirtualService/foo/httpbin");
  ASSERT_EQ(router->clusters().size(), 1u);
  EXPECT_EQ(router->clusters()[0], forward->cluster);
}

TEST(VirtualHostSelection, ExactBeatsLongestWildcardBeatsStar) {
  auto snapshot = one_gateway({http_server(80, {"*"})});
  snapshot.virtual_services = {host_to("a.foo.com", "exact"), host_to("*.foo.com", "short"),
                               host_to("*.bar.foo.com", "long"), host_to("*", "any")};
  auto router = compile_or_fail(snapshot);
  EXPECT_EQ(route(router, 80, Request("/", "a.foo.com")),
            "forward outbound|80||exact.foo.svc.cluster.local");
  EXPECT_EQ(route(router, 80, Request("/", "b.foo.com")),
            "forward outbound|80||short.foo.svc.cluster.local");
  EXPECT_EQ(route(router, 80, Request("/", "x.bar.foo.com")),
            "forward outbound|80||long.foo.svc.cluster.local");
  EXPECT_EQ(route(router, 80, Request("/", "x.y.bar.foo.com")),
            "forward outbound|80||long.foo.svc.cluster.local");
  EXPECT_EQ(route(router, 80, Request("/", "foo.com")),
            "forward outbound|80||any.foo.svc.cluster.local");
  EXPECT_EQ(route(router, 80, Request("/", "other.org")),
            "forward outbound|80||any.foo.svc.cluster.local");
}

TEST(VirtualHostSelection, IgnoresPortAndLetterCase) {
  auto snapshot = one_gateway({http_server(80, {"*"})});
  snapshot.virtual_services = {host_to("a.foo.com", "exact"), host_to("*.foo.com", "wild")};
  auto router = compile_or_fail(snapshot);
  EXPECT_EQ(route(router, 80, Request("/", "A.FOO.com:8080")),
            "forward outbound|80||exact.foo.svc.cluster.local");
  EXPECT_EQ(route(router, 80, Request("/", "B.Foo.COM:80")),
            "forward outbound|80||wild.foo.svc.cluster.local");
}

TEST(VirtualHostSelection, WildcardNeedsAtLeastOneCharacter) {
  auto snapshot = one_gateway({http_server(80, {"*"})});
  snapshot.virtual_services = {host_to("*.foo.com", "wild")};
  auto router = compile_or_fail(snapshot);
  EXPECT_EQ(route(router, 80, Request("/", ".foo.com")), "not-found");
  EXPECT_EQ(route(router, 80, Request("/", "foo.com")), "not-found");
  EXPECT_EQ(route(router, 80, Request("/", "x.foo.com")),
            "forward outbound|80||wild.foo.svc.cluster.local");
}

TEST(VirtualHostSelection, OddHostValuesFallBackToStar) {
  auto snapshot = one_gateway({http_server(80, {"*"})});
  snapshot.virtual_services = {host_to("a.foo.com", "exact"), host_to("*.foo.com", "wild"),
                               host_to("*", "any")};
  auto router = compile_or_fail(snapshot);
  const std::string any = "forward outbound|80||any.foo.svc.cluster.local";
  for (const std::string& host :
       std::vector<std::string>{"", ":", "[", "[::1", "[::1]:80", "a:b:c", ".", "..", "*",
                                "a.foo.com.", std::string(100000, 'a'), std::string(5000, '.')}) {
    EXPECT_EQ(route(router, 80, Request("/", host)), any) << host.substr(0, 20);
  }
  EXPECT_EQ(route(router, 80, Request("/", "*.foo.com")),
            "forward outbound|80||wild.foo.svc.cluster.local");
  EXPECT_EQ(route(router, 80, Request("", "a.foo.com")),
            "forward outbound|80||exact.foo.svc.cluster.local");
}

TEST(VirtualHostSelection, NoVirtualHostIsNotFound) {
  auto snapshot = one_gateway({http_server(80, {"a.com"})});
  snapshot.virtual_services = {host_to("a.com", "a")};
  auto router = compile_or_fail(snapshot);
  EXPECT_EQ(route(router, 80, Request("/", "a.com")),
            "forward outbound|80||a.foo.svc.cluster.local");
  EXPECT_EQ(route(router, 80, Request("/", "b.com")), "not-found");
}

TEST(HostIntersection, ServerWildcardNarrowsToVirtualServiceHost) {
  auto snapshot = one_gateway({http_server(80, {"*.foo.com"})});
  snapshot.virtual_services = {host_to("a.foo.com", "a"), host_to("b.bar.com", "b")};
  auto router = compile_or_fail(snapshot);
  EXPECT_EQ(route(router, 80, Request("/", "a.foo.com")),
            "forward outbound|80||a.foo.svc.cluster.local");
  EXPECT_EQ(route(router, 80, Request("/", "c.foo.com")), "not-found");
  EXPECT_EQ(route(router, 80, Request("/", "b.bar.com")), "not-found");
}

TEST(HostIntersection, VirtualServiceWildcardNarrowsToServerHost) {
  auto snapshot = one_gateway({http_server(80, {"a.foo.com"})});
  snapshot.virtual_services = {host_to("*.foo.com", "wild")};
  auto router = compile_or_fail(snapshot);
  EXPECT_EQ(route(router, 80, Request("/", "a.foo.com")),
            "forward outbound|80||wild.foo.svc.cluster.local");
  EXPECT_EQ(route(router, 80, Request("/", "b.foo.com")), "not-found");
}

TEST(HostIntersection, HostsAreLowerCased) {
  auto snapshot = one_gateway({http_server(80, {"*.FOO.com"})});
  snapshot.virtual_services = {host_to("A.Foo.COM", "a")};
  auto router = compile_or_fail(snapshot);
  EXPECT_EQ(route(router, 80, Request("/", "a.foo.com")),
            "forward outbound|80||a.foo.svc.cluster.local");
}

TEST(HostIntersection, ShortVirtualServiceHostExpandsInItsNamespace) {
  auto snapshot = one_gateway({http_server(80, {"*"})});
  snapshot.virtual_services = {host_to("httpbin", "a")};
  auto router = compile_or_fail(snapshot);
  EXPECT_EQ(route(router, 80, Request("/", "httpbin.foo.svc.cluster.local")),
            "forward outbound|80||a.foo.svc.cluster.local");
  EXPECT_EQ(route(router, 80, Request("/", "httpbin")), "not-found");
}

TEST(ServerHostNamespace, OnlyVirtualServicesOfThatNamespaceBind) {
  auto snapshot = one_gateway({http_server(80, {"bar/a.com", "./b.com", "*/c.com"})});
  snapshot.virtual_services = {
      host_to("a.com", "in-foo", "a1"), host_to("a.com", "in-bar", "a2", "bar"),
      host_to("b.com", "b-foo", "b1"), host_to("b.com", "b-bar", "b2", "bar"),
      host_to("c.com", "c-bar", "c", "bar")};
  auto router = compile_or_fail(snapshot);
  EXPECT_EQ(route(router, 80, Request("/", "a.com")),
            "forward outbound|80||in-bar.bar.svc.cluster.local");
  EXPECT_EQ(route(router, 80, Request("/", "b.com")),
            "forward outbound|80||b-foo.foo.svc.cluster.local");
  EXPECT_EQ(route(router, 80, Request("/", "c.com")),
            "forward outbound|80||c-bar.bar.svc.cluster.local");
}

TEST(VirtualServiceBinding, GatewayReferenceForms) {
  config::Snapshot snapshot;
  snapshot.gateways = {gateway("foo", "gw", {http_server(80, {"*"})}),
                       gateway("bar", "other", {http_server(81, {"*"})})};
  snapshot.virtual_services = {
      virtual_service("foo", "short", {"a.com"}, {"gw"}, {route_to("short")}),
      virtual_service("foo", "dot", {"b.com"}, {"./gw"}, {route_to("dot")}),
      virtual_service("bar", "qualified", {"c.com"}, {"foo/gw"}, {route_to("qualified")}),
      virtual_service("bar", "legacy", {"d.com"}, {"gw.foo.svc.cluster.local"},
                      {route_to("legacy")}),
      virtual_service("foo", "elsewhere", {"e.com"}, {"bar/other"}, {route_to("elsewhere")}),
      virtual_service("foo", "sidecars", {"f.com"}, {"mesh"}, {route_to("sidecars")}),
      virtual_service("foo", "default", {"g.com"}, {}, {route_to("default")})};
  auto router = compile_or_fail(snapshot);
  EXPECT_EQ(route(router, 80, Request("/", "a.com")),
            "forward outbound|80||short.foo.svc.cluster.local");
  EXPECT_EQ(route(router, 80, Request("/", "b.com")),
            "forward outbound|80||dot.foo.svc.cluster.local");
  EXPECT_EQ(route(router, 80, Request("/", "c.com")),
            "forward outbound|80||qualified.bar.svc.cluster.local");
  EXPECT_EQ(route(router, 80, Request("/", "d.com")),
            "forward outbound|80||legacy.bar.svc.cluster.local");
  EXPECT_EQ(route(router, 80, Request("/", "e.com")), "not-found");
  EXPECT_EQ(route(router, 81, Request("/", "e.com")),
            "forward outbound|80||elsewhere.foo.svc.cluster.local");
  EXPECT_EQ(route(router, 80, Request("/", "f.com")), "not-found");
  EXPECT_EQ(route(router, 80, Request("/", "g.com")), "not-found");
}

TEST(SharedPort, ServersOnOnePortShareOneRouteTable) {
  config::Snapshot snapshot;
  snapshot.gateways = {gateway("foo", "gw", {http_server(80, {"a.com"})}),
                       gateway("foo", "gw2", {http_server(80, {"b.com"})})};
  snapshot.virtual_services = {virtual_service("foo", "va", {"a.com"}, {"gw"}, {route_to("a")}),
                               virtual_service("foo", "vb", {"b.com"}, {"gw2"}, {route_to("b")})};
  auto router = compile_or_fail(snapshot);
  EXPECT_EQ(route(router, 80, Request("/", "a.com")),
            "forward outbound|80||a.foo.svc.cluster.local");
  EXPECT_EQ(route(router, 80, Request("/", "b.com")),
            "forward outbound|80||b.foo.svc.cluster.local");
}

TEST(SharedPort, VirtualServicesForOneHostAreMerged) {
  auto snapshot = one_gateway({http_server(80, {"*"})});
  snapshot.virtual_services = {
      virtual_service("foo", "v1", {"a.com"}, {"gw"}, {route_to("x", {uri(prefix("/x"))})}),
      virtual_service("foo", "v2", {"a.com"}, {"gw"}, {route_to("y", {uri(prefix("/y"))})})};
  auto router = compile_or_fail(snapshot);
  EXPECT_EQ(route(router, 80, Request("/x", "a.com")),
            "forward outbound|80||x.foo.svc.cluster.local");
  EXPECT_EQ(route(router, 80, Request("/y", "a.com")),
            "forward outbound|80||y.foo.svc.cluster.local");
  EXPECT_EQ(route(router, 80, Request("/z", "a.com")), "not-found");
}

TEST(SharedPort, NoVirtualServiceMeansNotFoundForEverything) {
  auto router = compile_or_fail(one_gateway({http_server(80, {"*"})}));
  EXPECT_EQ(route(router, 80, Request("/", "a.com")), "not-found");
  ASSERT_NE(router, nullptr);
  EXPECT_EQ(router->ports().size(), 1u);
  EXPECT_TRUE(router->clusters().empty());
}

TEST(ServerProtocols, OnlyHttpServersGetRouteTables) {
  auto tcp = http_server(9000, {"*"});
  tcp.protocol = "TCP";
  auto passthrough = http_server(443, {"*"});
  passthrough.protocol = "HTTPS";
  passthrough.tls_mode = "PASSTHROUGH";
  auto terminated = http_server(8443, {"*"});
  terminated.protocol = "HTTPS";
  terminated.tls_mode = "SIMPLE";
  auto grpc = http_server(9090, {"*"});
  grpc.protocol = "GRPC";
  auto snapshot = one_gateway({tcp, passthrough, terminated, grpc});
  snapshot.virtual_services = {host_to("*", "any")};
  auto router = compile_or_fail(snapshot);
  ASSERT_NE(router, nullptr);
  EXPECT_EQ(std::vector<uint16_t>(router->ports().begin(), router->ports().end()),
            (std::vector<uint16_t>{8443, 9090}));
  EXPECT_EQ(route(router, 9000, Request("/")), "not-found");
  EXPECT_EQ(route(router, 8443, Request("/").scheme("https")),
            "forward outbound|80||any.foo.svc.cluster.local");
}

TEST(HttpsRedirect, PlainRequestsGet301ToHttps) {
  auto server = http_server(80, {"*"});
  server.https_redirect = true;
  auto snapshot = one_gateway({server});
  snapshot.virtual_services = {host_to("a.com", "a")};
  auto router = compile_or_fail(snapshot);
  EXPECT_EQ(route(router, 80, Request("/x/y", "a.com").query("q=1&r")),
            "https-redirect https://a.com/x/y?q=1&r");
  // Every host of the server redirects, even one without a VirtualService.
  EXPECT_EQ(route(router, 80, Request("/", "other.org:80")),
            "https-redirect https://other.org:80/");
  EXPECT_EQ(route(router, 80, Request("/", "a.com").scheme("https")),
            "forward outbound|80||a.foo.svc.cluster.local");
}

TEST(HttpsRedirect, OnlyTheServersHostsRedirect) {
  auto redirecting = http_server(80, {"a.com"});
  redirecting.https_redirect = true;
  auto snapshot = one_gateway({redirecting, http_server(80, {"b.com"})});
  snapshot.virtual_services = {host_to("b.com", "b")};
  auto router = compile_or_fail(snapshot);
  EXPECT_EQ(route(router, 80, Request("/", "a.com")), "https-redirect https://a.com/");
  EXPECT_EQ(route(router, 80, Request("/", "b.com")),
            "forward outbound|80||b.foo.svc.cluster.local");
  EXPECT_EQ(route(router, 80, Request("/", "c.com")), "not-found");
}

}  // namespace
}  // namespace gatehouse::mesh::test
