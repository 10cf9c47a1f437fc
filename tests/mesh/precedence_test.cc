// Route list construction (Istio 4.3): order, catch-all handling, port and gateway filters.
#include <gtest/gtest.h>

#include "mesh/router.h"
#include "mesh_test_support.h"

namespace gatehouse::mesh::test {
namespace {

std::string forward_to(const std::string& short_name, const std::string& namespace_ = "foo") {
  return "forward outbound|80||" + short_name + "." + namespace_ + ".svc.cluster.local";
}

config::Snapshot with_routes(std::vector<config::HttpRoute> http) {
  config::Snapshot snapshot;
  snapshot.gateways.push_back(gateway("foo", "gw", {http_server(80, {"*"})}));
  snapshot.virtual_services.push_back(virtual_service("foo", "vs", {"*"}, {"gw"}, std::move(http)));
  return snapshot;
}

config::HttpMatch with_header(config::HttpMatch match, std::string name,
                              config::StringMatch value) {
  match.headers.emplace_back(std::move(name), std::move(value));
  return match;
}

TEST(RouteOrder, FirstMatchingRouteWins) {
  auto router = compile_or_fail(with_routes(
      {route_to("deep", {uri(prefix("/a/b"))}), route_to("shallow", {uri(prefix("/a"))})}));
  EXPECT_EQ(route(router, 80, Request("/a/b/c")), forward_to("deep"));
  EXPECT_EQ(route(router, 80, Request("/a/c")), forward_to("shallow"));
  EXPECT_EQ(route(router, 80, Request("/b")), "not-found");
}

TEST(RouteOrder, MatchBlocksOfOneRouteAreOred) {
  auto router =
      compile_or_fail(with_routes({route_to("either", {uri(exact("/x")), uri(exact("/y"))})}));
  EXPECT_EQ(route(router, 80, Request("/x")), forward_to("either"));
  EXPECT_EQ(route(router, 80, Request("/y")), forward_to("either"));
  EXPECT_EQ(route(router, 80, Request("/z")), "not-found");
}

TEST(CatchAll, RouteWithoutMatchDiscardsLaterRules) {
  auto router =
      compile_or_fail(with_routes({route_to("all"), route_to("later", {uri(prefix("/x"))})}));
  EXPECT_EQ(route(router, 80, Request("/x")), forward_to("all"));
}

TEST(CatchAll, PrefixSlashDiscardsLaterRulesEvenMoreSpecificOnes) {
  auto router = compile_or_fail(
      with_routes({route_to("all", {uri(prefix("/"))}),
                   route_to("later", {with_header(uri(prefix("/x")), "x-user", exact("a"))})}));
  EXPECT_EQ(route(router, 80, Request("/x").header("x-user", "a")), forward_to("all"));
}

TEST(CatchAll, RegexDotStarIsACatchAll) {
  auto router = compile_or_fail(
      with_routes({route_to("all", {uri(regex(".*"))}), route_to("later", {uri(prefix("/x"))})}));
  EXPECT_EQ(route(router, 80, Request("/x")), forward_to("all"));
}

TEST(CatchAll, PrefixSlashWithConditionsIsNotACatchAll) {
  auto method_only = uri(prefix("/"));
  method_only.method = exact("POST");
  auto router = compile_or_fail(
      with_routes({route_to("user", {with_header(uri(prefix("/")), "x-user", present())}),
                   route_to("posts", {method_only}), route_to("query", {[] {
                                                                auto match = uri(prefix("/"));
                                                                match.query_params.emplace_back(
                                                                    "debug", present());
                                                                return match;
                                                              }()}),
                   route_to("later", {uri(prefix("/x"))})}));
  EXPECT_EQ(route(router, 80, Request("/x")), forward_to("later"));
  EXPECT_EQ(route(router, 80, Request("/x").header("x-user", "")), forward_to("user"));
  EXPECT_EQ(route(router, 80, Request("/x").method("POST")), forward_to("posts"));
  EXPECT_EQ(route(router, 80, Request("/x").query("debug")), forward_to("query"));
}

TEST(CatchAll, OtherPrefixesAreNotCatchAlls) {
  auto router = compile_or_fail(with_routes({route_to("exact-root", {uri(exact("/"))}),
                                             route_to("any-x", {uri(regex("/x.*"))}),
                                             route_to("later", {uri(prefix("/"))})}));
  EXPECT_EQ(route(router, 80, Request("/")), forward_to("exact-root"));
  EXPECT_EQ(route(router, 80, Request("/xy")), forward_to("any-x"));
  EXPECT_EQ(route(router, 80, Request("/y")), forward_to("later"));
}

TEST(CatchAll, MovesBehindLaterVirtualServicesRoutes) {
  auto snapshot = with_routes({route_to("all")});
  snapshot.virtual_services[0].metadata.creation_timestamp = "2024-01-01T00:00:00Z";
  auto newer =
      virtual_service("foo", "newer", {"*"}, {"gw"},
                      {route_to("x", {uri(prefix("/x"))}), route_to("y", {uri(prefix("/y"))})});
  newer.metadata.creation_timestamp = "2024-06-01T00:00:00Z";
  snapshot.virtual_services.push_back(newer);
  auto router = compile_or_fail(snapshot);
  EXPECT_EQ(route(router, 80, Request("/x")), forward_to("x"));
  EXPECT_EQ(route(router, 80, Request("/y")), forward_to("y"));
  EXPECT_EQ(route(router, 80, Request("/z")), forward_to("all"));
}

TEST(CatchAll, SeveralCatchAllsKeepTheirOrderAtTheEnd) {
  auto snapshot = with_routes({route_to("first")});
  snapshot.virtual_services[0].metadata.creation_timestamp = "2024-01-01T00:00:00Z";
  auto second = virtual_service("foo", "second", {"*"}, {"gw"},
                                {route_to("x", {uri(prefix("/x"))}), route_to("second")});
  second.metadata.creation_timestamp = "2024-02-01T00:00:00Z";
  snapshot.virtual_services.push_back(second);
  auto router = compile_or_fail(snapshot);
  EXPECT_EQ(route(router, 80, Request("/x")), forward_to("x"));
  EXPECT_EQ(route(router, 80, Request("/z")), forward_to("first"));
}

TEST(VirtualServiceOrder, CreationTimestampThenNamespaceThenName) {
  config::Snapshot snapshot;
  snapshot.gateways.push_back(gateway("foo", "gw", {http_server(80, {"*"})}));
  auto make = [](std::string namespace_, std::string name, std::string timestamp) {
    auto vs = virtual_service(namespace_, name, {"*"}, {"foo/gw"},
                              {route_to(name, {uri(prefix("/" + timestamp))})});
    vs.http[0].match.push_back(uri(prefix("/same")));
    vs.metadata.creation_timestamp = timestamp;
    return vs;
  };
  snapshot.virtual_services = {make("foo", "b", "2024"), make("foo", "a", "2024"),
                               make("bar", "z", "2024"), make("foo", "old", "2023")};
  auto router = compile_or_fail(snapshot);
  EXPECT_EQ(route(router, 80, Request("/same")), forward_to("old"));
  snapshot.virtual_services.pop_back();
  router = compile_or_fail(snapshot);
  EXPECT_EQ(route(router, 80, Request("/same")), forward_to("z", "bar"));
  snapshot.virtual_services.pop_back();
  router = compile_or_fail(snapshot);
  EXPECT_EQ(route(router, 80, Request("/same")), forward_to("a"));
}

TEST(MatchFilters, PortFilterDropsBlocksForOtherListenerPorts) {
  auto on_8080 = uri(prefix("/x"));
  on_8080.port = 8080;
  auto on_80 = uri(prefix("/x"));
  on_80.port = 80;
  auto snapshot = with_routes({route_to("only-8080", {on_8080}), route_to("only-80", {on_80})});
  snapshot.gateways[0].servers.push_back(http_server(8080, {"*"}));
  auto router = compile_or_fail(snapshot);
  EXPECT_EQ(route(router, 80, Request("/x")), forward_to("only-80"));
  EXPECT_EQ(route(router, 8080, Request("/x")), forward_to("only-8080"));
}

TEST(MatchFilters, DroppedCatchAllBlockDoesNotEndTheVirtualService) {
  auto elsewhere = uri(prefix("/"));
  elsewhere.port = 8080;
  auto router =
      compile_or_fail(with_routes({route_to("elsewhere", {elsewhere}), route_to("here")}));
  EXPECT_EQ(route(router, 80, Request("/x")), forward_to("here"));
}

TEST(MatchFilters, PerMatchGatewaysOverrideTheVirtualServiceList) {
  config::Snapshot snapshot;
  snapshot.gateways = {gateway("foo", "public", {http_server(80, {"*"})}),
                       gateway("foo", "internal", {http_server(81, {"*"})})};
  auto internal_only = uri(prefix("/admin"));
  internal_only.gateways = {"internal"};
  auto outside_list = uri(prefix("/other"));
  outside_list.gateways = {"mesh"};
  snapshot.virtual_services.push_back(
      virtual_service("foo", "vs", {"*"}, {"public", "internal"},
                      {route_to("admin", {internal_only}), route_to("other", {outside_list}),
                       route_to("rest", {uri(prefix("/"))})}));
  auto router = compile_or_fail(snapshot);
  EXPECT_EQ(route(router, 81, Request("/admin")), forward_to("admin"));
  EXPECT_EQ(route(router, 80, Request("/admin")), forward_to("rest"));
  EXPECT_EQ(route(router, 80, Request("/other")), forward_to("rest"));
  EXPECT_EQ(route(router, 81, Request("/other")), forward_to("rest"));
}

TEST(MatchFilters, VirtualServiceWithNoRouteLeftAddsNoVirtualHost) {
  auto elsewhere = uri(prefix("/"));
  elsewhere.port = 8080;
  config::Snapshot snapshot = with_routes({route_to("elsewhere", {elsewhere})});
  snapshot.virtual_services.push_back(
      virtual_service("foo", "wild", {"*.com"}, {"gw"}, {route_to("wild")}));
  auto router = compile_or_fail(snapshot);
  // Without a "*" virtual host from the first VirtualService, a.com finds "*.com".
  EXPECT_EQ(route(router, 80, Request("/", "a.com")), forward_to("wild"));
  EXPECT_EQ(route(router, 80, Request("/", "a.org")), "not-found");
}

}  // namespace
}  // namespace gatehouse::mesh::test
