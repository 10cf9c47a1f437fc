// Rule.to: hosts, ports, methods, paths and their `not` forms.
#include "test_support.h"

namespace gatehouse::authz {
namespace {

TEST(Operation, HostsAreCaseInsensitive) {
  TestRequest request;
  request.authority = "API.Example.com";
  EXPECT_TRUE(allows(to({{&O::hosts, {"api.example.com"}}}), request));
  EXPECT_TRUE(allows(to({{&O::hosts, {"*.example.com"}}}), request));
  EXPECT_TRUE(allows(to({{&O::hosts, {"api.*"}}}), request));
  EXPECT_FALSE(allows(to({{&O::not_hosts, {"api.example.com"}}}), request));
}

// Pitfall 1: the port is part of the host; "host:*" is needed to cover it.
TEST(Operation, HostWithPortMissesAPlainHost) {
  TestRequest request;
  request.authority = "example.com:443";
  EXPECT_FALSE(allows(to({{&O::hosts, {"example.com"}}}), request));
  EXPECT_TRUE(allows(to({{&O::hosts, {"example.com", "example.com:*"}}}), request));
  EXPECT_TRUE(allows(to({{&O::not_hosts, {"example.com"}}}), request));
}

TEST(Operation, PortsAreTheListenerPort) {
  TestRequest request;
  request.port = 8443;
  EXPECT_TRUE(allows(to({}, {8443}), request));
  EXPECT_FALSE(allows(to({}, {443}), request));
  EXPECT_FALSE(allows(to({}, {}, {8443}), request));
}

TEST(Operation, MethodsAreCaseSensitive) {
  TestRequest request;
  request.method = "POST";
  EXPECT_TRUE(allows(to({{&O::methods, {"POST"}}}), request));
  EXPECT_FALSE(allows(to({{&O::methods, {"post"}}}), request));
  EXPECT_TRUE(allows(to({{&O::methods, {"PO*"}}}), request));
  EXPECT_FALSE(allows(to({{&O::not_methods, {"POST"}}}), request));
}

TEST(Operation, PathsExactPrefixSuffix) {
  TestRequest request;
  request.path = "/api/v1/users";
  EXPECT_TRUE(allows(to({{&O::paths, {"/api/v1/users"}}}), request));
  EXPECT_TRUE(allows(to({{&O::paths, {"/api/*"}}}), request));
  EXPECT_TRUE(allows(to({{&O::paths, {"*/users"}}}), request));
  EXPECT_FALSE(allows(to({{&O::paths, {"/API/*"}}}), request));
  EXPECT_FALSE(allows(to({{&O::not_paths, {"/api/*"}}}), request));
}

TEST(Operation, PathsIgnoreTheQuery) {
  TestRequest request;
  request.path = "/admin";
  request.query = "x=1";
  EXPECT_TRUE(allows(to({{&O::paths, {"/admin"}}}), request));
}

TEST(Operation, PathTemplates) {
  TestRequest request;
  request.path = "/users/42/orders/7";
  EXPECT_TRUE(allows(to({{&O::paths, {"/users/{*}/orders/{**}"}}}), request));
  EXPECT_FALSE(allows(to({{&O::paths, {"/users/{*}"}}}), request));
}

// Pitfall 2: an exact DENY path misses its variants.
TEST(Operation, ExactPathDoesNotCoverTrailingSlashOrCase) {
  for (const char* path : {"/admin/", "/Admin", "/admin;x"}) {
    TestRequest request;
    request.path = path;
    EXPECT_TRUE(
        decide({policy("d", Action::Deny, std::vector{to({{&O::paths, {"/admin"}}})})}, request)
            .allowed)
        << path;
  }
}

TEST(Operation, FieldsAreAnded) {
  TestRequest request;
  request.method = "GET";
  request.path = "/a";
  EXPECT_TRUE(allows(to({{&O::methods, {"GET"}}, {&O::paths, {"/a"}}}), request));
  EXPECT_FALSE(allows(to({{&O::methods, {"GET"}}, {&O::paths, {"/b"}}}), request));
}

TEST(Operation, FromAndToAreAnded) {
  TestRequest request;
  request.peer_ip = "10.0.0.1";
  config::Rule rule = from({{&S::ip_blocks, {"10.0.0.0/8"}}});
  rule.to.push_back(operation({{&O::methods, {"POST"}}}));
  EXPECT_FALSE(allows(rule, request));
  request.method = "POST";
  EXPECT_TRUE(allows(rule, request));
}

}  // namespace
}  // namespace gatehouse::authz
