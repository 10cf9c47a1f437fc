// Rule.from: each source field, its `not` form, and Istio's absent-attribute semantics.
#include "test_support.h"

namespace gatehouse::authz {
namespace {

TEST(Source, PrincipalsNeverMatchWithoutPeerIdentity) {
  TestRequest request;
  EXPECT_FALSE(allows(from({{&S::principals, {"*"}}}), request));
  EXPECT_TRUE(allows(from({{&S::not_principals, {"*"}}}), request));
}

TEST(Source, NamespacesNeverMatchWithoutPeerIdentity) {
  TestRequest request;
  EXPECT_FALSE(allows(from({{&S::namespaces, {"default"}}}), request));
  EXPECT_TRUE(allows(from({{&S::not_namespaces, {"default"}}}), request));
}

TEST(Source, ServiceAccountsNeverMatchWithoutPeerIdentity) {
  TestRequest request;
  EXPECT_FALSE(allows(from({{&S::service_accounts, {"default/sa"}}}), request));
  EXPECT_TRUE(allows(from({{&S::not_service_accounts, {"default/sa"}}}), request));
}

TEST(Source, RequestPrincipalsNeedAVerifiedToken) {
  const authn::Identity id = identity(R"({"iss":"https://idp","sub":"alice"})");
  TestRequest anonymous, alice;
  alice.identity = &id;
  EXPECT_FALSE(allows(from({{&S::request_principals, {"*"}}}), anonymous));
  EXPECT_TRUE(allows(from({{&S::request_principals, {"*"}}}), alice));
  EXPECT_TRUE(allows(from({{&S::request_principals, {"https://idp/alice"}}}), alice));
  EXPECT_FALSE(allows(from({{&S::request_principals, {"https://idp/bob"}}}), alice));
}

// Pitfall 4: a negative-only rule admits anonymous requests.
TEST(Source, NotRequestPrincipalsAdmitAnonymous) {
  const authn::Identity id = identity(R"({"iss":"https://idp","sub":"alice"})");
  TestRequest anonymous, alice;
  alice.identity = &id;
  const config::Rule rule = from({{&S::not_request_principals, {"https://idp/alice"}}});
  EXPECT_TRUE(allows(rule, anonymous));
  EXPECT_FALSE(allows(rule, alice));
}

TEST(Source, IpBlocksUseThePeerAddress) {
  TestRequest request;
  request.peer_ip = "10.1.2.3";
  request.remote_ip = "203.0.113.9";
  EXPECT_TRUE(allows(from({{&S::ip_blocks, {"10.0.0.0/8"}}}), request));
  EXPECT_FALSE(allows(from({{&S::ip_blocks, {"203.0.113.0/24"}}}), request));
  EXPECT_FALSE(allows(from({{&S::not_ip_blocks, {"10.0.0.0/8"}}}), request));
}

TEST(Source, RemoteIpBlocksUseTheEffectiveClient) {
  TestRequest request;
  request.peer_ip = "10.1.2.3";
  request.remote_ip = "203.0.113.9";
  EXPECT_TRUE(allows(from({{&S::remote_ip_blocks, {"203.0.113.0/24"}}}), request));
  EXPECT_FALSE(allows(from({{&S::remote_ip_blocks, {"10.0.0.0/8"}}}), request));
  EXPECT_FALSE(allows(from({{&S::not_remote_ip_blocks, {"203.0.113.9"}}}), request));
}

TEST(Source, RemoteIpDefaultsToThePeer) {
  TestRequest request;
  request.peer_ip = "10.1.2.3";
  EXPECT_TRUE(allows(from({{&S::remote_ip_blocks, {"10.1.2.3"}}}), request));
}

TEST(Source, FieldsAreAnded) {
  TestRequest request;
  request.peer_ip = "10.1.2.3";
  EXPECT_FALSE(
      allows(from({{&S::request_principals, {"*"}}, {&S::ip_blocks, {"10.0.0.0/8"}}}), request));
}

TEST(Source, AnySourceInFromIsEnough) {
  TestRequest request;
  request.peer_ip = "10.1.2.3";
  config::Rule rule = from({{&S::ip_blocks, {"192.168.0.0/16"}}});
  rule.from.push_back(source({{&S::ip_blocks, {"10.0.0.0/8"}}}));
  EXPECT_TRUE(allows(rule, request));
}

TEST(Source, ValuesAndNotValuesTogether) {
  TestRequest request;
  request.peer_ip = "10.1.2.3";
  EXPECT_FALSE(allows(from({{&S::ip_blocks, {"10.0.0.0/8"}}, {&S::not_ip_blocks, {"10.1.0.0/16"}}}),
                      request));
  request.peer_ip = "10.2.0.1";
  EXPECT_TRUE(allows(from({{&S::ip_blocks, {"10.0.0.0/8"}}, {&S::not_ip_blocks, {"10.1.0.0/16"}}}),
                     request));
}

TEST(Source, UnreadableIpBlockIsACompileError) {
  auto set = PolicySet::compile(
      {policy("p", Action::Allow, std::vector{from({{&S::ip_blocks, {"10.0.0.0/40"}}})})}, "root");
  ASSERT_TRUE(std::holds_alternative<CompileError>(set));
  EXPECT_EQ(std::get<CompileError>(set).policy, "AuthorizationPolicy/default/p");
}

}  // namespace
}  // namespace gatehouse::authz
