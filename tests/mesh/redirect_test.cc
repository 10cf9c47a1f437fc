// HTTPRedirect: the Location Envoy builds, status codes, and Istio's port rules.
#include <gtest/gtest.h>

#include "mesh/router.h"
#include "mesh_test_support.h"

namespace gatehouse::mesh::test {
namespace {

// Routes `request` on `listener_port` through a single redirect route.
std::string redirected(config::HttpRedirect redirect, const Request& request,
                       uint16_t listener_port = 80, bool tls_listener = false) {
  auto server = http_server(listener_port, {"*"});
  if (tls_listener) {
    server.protocol = "HTTPS";
    server.tls_mode = "SIMPLE";
  }
  config::HttpRoute http;
  http.redirect = std::move(redirect);
  config::Snapshot snapshot;
  snapshot.gateways.push_back(gateway("foo", "gw", {server}));
  snapshot.virtual_services.push_back(virtual_service("foo", "vs", {"*"}, {"gw"}, {http}));
  return route(compile_or_fail(snapshot), listener_port, request);
}

TEST(RedirectLocation, UriReplacesThePathAndKeepsTheQuery) {
  EXPECT_EQ(redirected(RedirectSpec().uri("/new"), Request("/old", "a.com")),
            "redirect 301 http://a.com/new");
  EXPECT_EQ(redirected(RedirectSpec().uri("/new"), Request("/old", "a.com").query("x=1")),
            "redirect 301 http://a.com/new?x=1");
  EXPECT_EQ(redirected(RedirectSpec().uri("new"), Request("/old", "a.com")),
            "redirect 301 http://a.com/new");
}

TEST(RedirectLocation, QueryInUriReplacesTheRequestQuery) {
  EXPECT_EQ(redirected(RedirectSpec().uri("/new?y=2"), Request("/old", "a.com").query("x=1")),
            "redirect 301 http://a.com/new?y=2");
}

TEST(RedirectLocation, WithoutUriThePathIsKept) {
  EXPECT_EQ(redirected(RedirectSpec().authority("b.com"), Request("/p/q", "a.com").query("x=1")),
            "redirect 301 http://b.com/p/q?x=1");
}

TEST(RedirectLocation, SchemeAndAuthority) {
  EXPECT_EQ(redirected(RedirectSpec().scheme("https"), Request("/p", "a.com")),
            "redirect 301 https://a.com/p");
  EXPECT_EQ(redirected(RedirectSpec().uri("/x").authority("b.com:9000").scheme("https"),
                       Request("/p", "a.com")),
            "redirect 301 https://b.com:9000/x");
}

TEST(RedirectLocation, WithoutPortTheOriginalHostPortIsKept) {
  EXPECT_EQ(redirected(RedirectSpec().uri("/x"), Request("/p", "a.com:8080")),
            "redirect 301 http://a.com:8080/x");
  // ... unless the scheme changes away from the default port the Host names.
  EXPECT_EQ(redirected(RedirectSpec().scheme("https"), Request("/p", "a.com:80")),
            "redirect 301 https://a.com/p");
  EXPECT_EQ(redirected(RedirectSpec().scheme("https"), Request("/p", "a.com:8080")),
            "redirect 301 https://a.com:8080/p");
  EXPECT_EQ(
      redirected(RedirectSpec().scheme("http"), Request("/p", "[::1]:443").scheme("https"), 80),
      "redirect 301 http://[::1]/p");
}

TEST(RedirectLocation, ExplicitPortReplacesTheHostPort) {
  EXPECT_EQ(redirected(RedirectSpec().port(9090), Request("/p", "a.com:8080")),
            "redirect 301 http://a.com:9090/p");
  EXPECT_EQ(redirected(RedirectSpec().port(9090), Request("/p", "a.com")),
            "redirect 301 http://a.com:9090/p");
  EXPECT_EQ(redirected(RedirectSpec().port(9090), Request("/p", "[::1]:8080")),
            "redirect 301 http://[::1]:9090/p");
}

TEST(RedirectLocation, DefaultPortOfTheSchemeIsOmitted) {
  EXPECT_EQ(redirected(RedirectSpec().port(80), Request("/p", "a.com")),
            "redirect 301 http://a.com/p");
  EXPECT_EQ(redirected(RedirectSpec().scheme("https").port(443), Request("/p", "a.com")),
            "redirect 301 https://a.com/p");
  EXPECT_EQ(redirected(RedirectSpec().scheme("http").port(443), Request("/p", "a.com")),
            "redirect 301 http://a.com:443/p");
  EXPECT_EQ(redirected(RedirectSpec().scheme("https").port(80), Request("/p", "a.com")),
            "redirect 301 https://a.com:80/p");
  // The scheme defaults to the listener's: 443 on a TLS listener is its default.
  EXPECT_EQ(
      redirected(RedirectSpec().port(443), Request("/p", "a.com").scheme("https"), 8443, true),
      "redirect 301 https://a.com/p");
}

TEST(RedirectLocation, DerivePortFromRequestPortUsesTheListenerPort) {
  config::HttpRedirect derive = RedirectSpec().uri("/x").derive_port("FROM_REQUEST_PORT");
  EXPECT_EQ(redirected(derive, Request("/p", "a.com"), 8080), "redirect 301 http://a.com:8080/x");
  EXPECT_EQ(redirected(derive, Request("/p", "a.com:9999"), 8080),
            "redirect 301 http://a.com:8080/x");
  EXPECT_EQ(redirected(derive, Request("/p", "a.com"), 80), "redirect 301 http://a.com/x");
}

TEST(RedirectLocation, DerivePortFromProtocolDefaultAddsNoPort) {
  config::HttpRedirect derive = RedirectSpec().scheme("https").derive_port("FROM_PROTOCOL_DEFAULT");
  EXPECT_EQ(redirected(derive, Request("/p", "a.com"), 8080), "redirect 301 https://a.com/p");
  EXPECT_EQ(redirected(derive, Request("/p", "a.com:80"), 8080), "redirect 301 https://a.com/p");
}

TEST(RedirectStatus, SupportedCodesAreUsed) {
  for (uint32_t code : {301u, 302u, 303u, 307u, 308u}) {
    EXPECT_EQ(redirected(RedirectSpec().uri("/x").code(code), Request("/", "a.com")),
              "redirect " + std::to_string(code) + " http://a.com/x");
  }
}

TEST(RedirectStatus, UnsupportedThreeHundredsMakeTheRouteDisappear) {
  config::HttpRoute unsupported;
  unsupported.match = {uri(prefix("/old"))};
  unsupported.redirect = RedirectSpec().uri("/x").code(305);
  config::Snapshot snapshot;
  snapshot.gateways.push_back(gateway("foo", "gw", {http_server(80, {"*"})}));
  snapshot.virtual_services.push_back(
      virtual_service("foo", "vs", {"*"}, {"gw"}, {unsupported, route_to("next")}));
  auto router = compile_or_fail(snapshot);
  EXPECT_EQ(route(router, 80, Request("/old")), "forward outbound|80||next.foo.svc.cluster.local");
}

}  // namespace
}  // namespace gatehouse::mesh::test
