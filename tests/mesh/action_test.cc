// Route actions (Istio 4.5): rewrites, header operations, weights, redirects, direct
// responses, timeouts and retries.
#include <gtest/gtest.h>

#include <map>

#include "mesh/router.h"
#include "mesh_test_support.h"

namespace gatehouse::mesh::test {
namespace {

config::Snapshot with_routes(std::vector<config::HttpRoute> http,
                             std::vector<config::GatewayServer> servers = {}) {
  if (servers.empty()) servers = {http_server(80, {"*"})};
  config::Snapshot snapshot;
  snapshot.gateways.push_back(gateway("foo", "gw", std::move(servers)));
  snapshot.virtual_services.push_back(virtual_service("foo", "vs", {"*"}, {"gw"}, std::move(http)));
  return snapshot;
}

Forward forward_of(const std::shared_ptr<const Router>& router, const Request& request,
                   uint64_t random = 0) {
  if (router == nullptr) return {};
  auto decision = router->route(80, request.view(), random);
  auto* forward = std::get_if<Forward>(&decision);
  if (forward == nullptr) {
    ADD_FAILURE() << "expected a forward, got " << describe(decision);
    return {};
  }
  return *forward;
}

config::HttpRoute with_rewrite(config::HttpRoute route, config::HttpRewrite rewrite) {
  route.rewrite = std::move(rewrite);
  return route;
}

std::optional<std::string> rewritten(config::HttpRoute route, const std::string& path) {
  return forward_of(compile_or_fail(with_routes({std::move(route)})), Request(path)).path;
}

TEST(UriRewrite, PrefixMatchReplacesOnlyThePrefix) {
  auto route = with_rewrite(route_to("a", {uri(prefix("/old"))}), uri_rewrite("/new"));
  EXPECT_EQ(rewritten(route, "/old/x"), "/new/x");
  EXPECT_EQ(rewritten(route, "/older"), "/newer");
}

TEST(UriRewrite, NoUriMatchReplacesTheImplicitLeadingSlash) {
  EXPECT_EQ(rewritten(with_rewrite(route_to("a"), uri_rewrite("/v2")), "/foo"), "/v2foo");
  auto by_header = route_to("a", {[] {
                              config::HttpMatch match;
                              match.headers.emplace_back("x-v", present());
                              return match;
                            }()});
  auto route = with_rewrite(by_header, uri_rewrite("/v2/"));
  EXPECT_EQ(
      forward_of(compile_or_fail(with_routes({route})), Request("/foo").header("x-v", "")).path,
      "/v2/foo");
}

TEST(UriRewrite, ExactAndRegexMatchesReplaceTheWholePath) {
  EXPECT_EQ(
      rewritten(with_rewrite(route_to("a", {uri(exact("/foo"))}), uri_rewrite("/bar")), "/foo"),
      "/bar");
  EXPECT_EQ(rewritten(with_rewrite(route_to("a", {uri(regex("/v[0-9]/.*"))}), uri_rewrite("/api")),
                      "/v1/users"),
            "/api");
}

TEST(UriRewrite, IgnoreCasePrefixReplacesTheMatchedLength) {
  auto match = uri(prefix("/OLD"));
  match.ignore_uri_case = true;
  EXPECT_EQ(rewritten(with_rewrite(route_to("a", {match}), uri_rewrite("/new")), "/old/x"),
            "/new/x");
}

TEST(UriRewrite, RegexRewriteReplacesEveryMatchWithGroups) {
  auto groups = regex_rewrite("^/service/([^/]+)(/.*)$", "\\2/instance/\\1");
  EXPECT_EQ(rewritten(with_rewrite(route_to("a"), groups), "/service/foo/v1/api"),
            "/v1/api/instance/foo");
  auto global = regex_rewrite("a", "b");
  EXPECT_EQ(rewritten(with_rewrite(route_to("a"), global), "/aXa/a"), "/bXb/b");
  EXPECT_EQ(rewritten(with_rewrite(route_to("a"), global), "/xyz"), std::nullopt);
}

TEST(UriRewrite, NoRewriteKeepsThePath) {
  EXPECT_EQ(rewritten(route_to("a"), "/foo"), std::nullopt);
  EXPECT_EQ(rewritten(with_rewrite(route_to("a"), authority_rewrite("b.com")), "/foo"),
            std::nullopt);
}

TEST(AuthorityRewrite, RewriteBeatsRouteHeaderBeatsDestinationHeader) {
  auto route = route_to("a");
  route.route[0].headers.request.set = {{"Host", "from-destination"}};
  EXPECT_EQ(forward_of(compile_or_fail(with_routes({route})), Request("/")).authority,
            "from-destination");
  route.headers.request.set = {{":authority", "from-route"}};
  EXPECT_EQ(forward_of(compile_or_fail(with_routes({route})), Request("/")).authority,
            "from-route");
  route.rewrite = authority_rewrite("from-rewrite");
  EXPECT_EQ(forward_of(compile_or_fail(with_routes({route})), Request("/")).authority,
            "from-rewrite");
}

TEST(HeaderOperations, RouteLevelThenDestinationLevelRemovesFirst) {
  auto route = route_to("a");
  route.headers.request.set = {{"X-B", "1"}, {"x-a", "2"}, {":path", "/evil"}, {"host", "h"}};
  route.headers.request.add = {{"x-add", "3"}};
  route.headers.request.remove = {"X-Gone", "host"};
  route.headers.response.set = {{"x-resp", "r"}};
  route.route[0].headers.request.set = {{"x-a", "destination"}};
  route.route[0].headers.request.remove = {"x-dest-gone"};
  route.route[0].headers.response.remove = {"server"};
  auto router = compile_or_fail(with_routes({route}));
  auto forward = forward_of(router, Request("/"));
  ASSERT_NE(forward.request_headers, nullptr);
  EXPECT_EQ(forward.request_headers->remove, (std::vector<std::string>{"x-gone", "x-dest-gone"}));
  std::vector<std::string> writes;
  for (const auto& write : forward.request_headers->write) {
    writes.push_back(write.name + (write.append ? "+=" : "=") + write.value);
  }
  EXPECT_EQ(writes, (std::vector<std::string>{"x-a=2", "x-b=1", "x-add+=3", "x-a=destination"}));
  ASSERT_NE(forward.response_headers, nullptr);
  EXPECT_EQ(forward.response_headers->remove, (std::vector<std::string>{"server"}));
  ASSERT_EQ(forward.response_headers->write.size(), 1u);
  EXPECT_EQ(forward.response_headers->write[0].name, "x-resp");
}

TEST(HeaderOperations, DestinationHeadersApplyOnlyWhenChosen) {
  auto route = route_to("a");
  route.route = {destination("a", 80, 50), destination("b", 80, 50)};
  route.route[1].headers.request.set = {{"x-picked", "b"}};
  auto router = compile_or_fail(with_routes({route}));
  EXPECT_TRUE(forward_of(router, Request("/"), 0).request_headers->empty());
  EXPECT_EQ(forward_of(router, Request("/"), 50).request_headers->write.size(), 1u);
}

TEST(Weights, PickByRandomModuloTotalWeight) {
  auto route = route_to("a");
  route.route = {destination("a", 80, 25), destination("b", 80, 75)};
  auto router = compile_or_fail(with_routes({route}));
  std::map<std::string, int> picks;
  for (uint64_t random = 0; random < 10000; ++random) {
    ++picks[forward_of(router, Request("/"), random).cluster->host];
  }
  EXPECT_EQ(picks["a.foo.svc.cluster.local"], 2500);
  EXPECT_EQ(picks["b.foo.svc.cluster.local"], 7500);
  EXPECT_EQ(forward_of(router, Request("/"), 24).cluster->host, "a.foo.svc.cluster.local");
  EXPECT_EQ(forward_of(router, Request("/"), 25).cluster->host, "b.foo.svc.cluster.local");
  EXPECT_EQ(forward_of(router, Request("/"), 100).cluster->host, "a.foo.svc.cluster.local");
  EXPECT_EQ(forward_of(router, Request("/"), UINT64_MAX).cluster->host,
            "a.foo.svc.cluster.local");  // max % 100 == 15
}

TEST(Weights, ZeroWeightDestinationsAreDropped) {
  auto route = route_to("a");
  route.route = {destination("a", 80, 0), destination("b", 80, 100), destination("c", 80, 0)};
  auto router = compile_or_fail(with_routes({route}));
  for (uint64_t random : {0ull, 1ull, 99ull, 12345ull}) {
    EXPECT_EQ(forward_of(router, Request("/"), random).cluster->host, "b.foo.svc.cluster.local");
  }
}

TEST(Weights, SingleDestinationTakesAllTrafficWhateverItsWeight) {
  auto route = route_to("a");
  route.route = {destination("a", 80, 0)};
  auto router = compile_or_fail(with_routes({route}));
  EXPECT_EQ(forward_of(router, Request("/"), 7).cluster->host, "a.foo.svc.cluster.local");
}

TEST(DirectResponse, RepliesWithStatusAndBody) {
  config::HttpRoute maintenance;
  maintenance.direct_response = config::DirectResponse{503, "maintenance"};
  maintenance.headers.response.set = {{"retry-after", "60"}};
  auto router = compile_or_fail(with_routes({maintenance}));
  ASSERT_NE(router, nullptr);
  EXPECT_EQ(route(router, 80, Request("/any")), "direct 503 maintenance");
  auto decision = router->route(80, Request("/").view(), 0);
  ASSERT_EQ(std::get<DirectResponse>(decision).response_headers->write.size(), 1u);
}

TEST(Timeouts, RouteTimeoutIsPassedAndDefaultsToNone) {
  auto route = route_to("a");
  EXPECT_EQ(forward_of(compile_or_fail(with_routes({route})), Request("/")).timeout.count(), 0);
  route.timeout = config::Millis(1500);
  EXPECT_EQ(forward_of(compile_or_fail(with_routes({route})), Request("/")).timeout.count(), 1500);
}

TEST(Retries, DefaultPolicyIsIstios) {
  auto router = compile_or_fail(with_routes({route_to("a")}));
  auto forward = forward_of(router, Request("/"));
  ASSERT_NE(forward.retry, nullptr);
  EXPECT_EQ(forward.retry->attempts, 2u);
  EXPECT_EQ(forward.retry->retry_on,
            (std::vector<std::string>{"connect-failure", "refused-stream", "unavailable",
                                      "cancelled", "retriable-status-codes"}));
  EXPECT_EQ(forward.retry->retriable_status_codes, std::vector<uint32_t>{503});
  EXPECT_EQ(forward.retry->base_backoff.count(), 25);
}

TEST(Retries, NumbersInRetryOnAreStatusCodes) {
  auto route = route_to("a");
  route.retries.attempts = 3;
  route.retries.per_try_timeout = config::Millis(200);
  route.retries.retry_on = "5xx, 502,gateway-error";
  auto router = compile_or_fail(with_routes({route}));
  auto forward = forward_of(router, Request("/"));
  ASSERT_NE(forward.retry, nullptr);
  EXPECT_EQ(forward.retry->attempts, 3u);
  EXPECT_EQ(forward.retry->per_try_timeout.count(), 200);
  EXPECT_EQ(forward.retry->retry_on,
            (std::vector<std::string>{"5xx", "gateway-error", "retriable-status-codes"}));
  EXPECT_EQ(forward.retry->retriable_status_codes, std::vector<uint32_t>{502});
}

TEST(Retries, ZeroAttemptsDisableRetries) {
  auto route = route_to("a");
  route.retries.attempts = 0;
  EXPECT_EQ(forward_of(compile_or_fail(with_routes({route})), Request("/")).retry, nullptr);
}

TEST(RouteOrigin, NamesRouteAndMatchAndVirtualService) {
  auto named_match = uri(prefix("/x"));
  named_match.name = "m1";
  auto router =
      compile_or_fail(with_routes({route_to("a", {named_match, uri(prefix("/y"))}, "r1")}));
  auto origin_of = [&](const char* path) {
    auto origin = forward_of(router, Request(path)).origin;
    return std::string(origin.route) + "@" + std::string(origin.virtual_service);
  };
  EXPECT_EQ(origin_of("/x"), "r1.m1@VirtualService/foo/vs");
  EXPECT_EQ(origin_of("/y"), "r1@VirtualService/foo/vs");
}

}  // namespace
}  // namespace gatehouse::mesh::test
