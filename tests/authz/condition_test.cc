// Rule.when: every supported key, values and notValues.
#include "test_support.h"

namespace gatehouse::authz {
namespace {

using Key = config::ConditionKey;

TEST(Condition, RequestHeaderValues) {
  TestRequest request;
  request.headers = {{"X-Env", "prod"}};
  EXPECT_TRUE(allows(when(condition(Key::RequestHeader, {"x-env"}, {"prod"})), request));
  EXPECT_FALSE(allows(when(condition(Key::RequestHeader, {"x-env"}, {"Prod"})), request));
  EXPECT_FALSE(allows(when(condition(Key::RequestHeader, {"x-env"}, {}, {"prod"})), request));
}

TEST(Condition, MissingHeaderFailsValuesPassesNotValues) {
  TestRequest request;
  EXPECT_FALSE(allows(when(condition(Key::RequestHeader, {"x-env"}, {"*"})), request));
  EXPECT_TRUE(allows(when(condition(Key::RequestHeader, {"x-env"}, {}, {"prod"})), request));
}

TEST(Condition, HeaderStarMeansPresentEvenEmpty) {
  TestRequest request;
  request.headers = {{"x-env", ""}};
  EXPECT_TRUE(allows(when(condition(Key::RequestHeader, {"x-env"}, {"*"})), request));
}

TEST(Condition, RepeatedHeadersAreJoinedWithComma) {
  TestRequest request;
  request.headers = {{"x-foo", "a"}, {"x-foo", "b"}};
  EXPECT_FALSE(allows(when(condition(Key::RequestHeader, {"x-foo"}, {"a"})), request));
  EXPECT_TRUE(allows(when(condition(Key::RequestHeader, {"x-foo"}, {"a,b"})), request));
}

TEST(Condition, PseudoHeaders) {
  TestRequest request;
  request.method = "PUT";
  request.path = "/p";
  request.query = "q=1";
  EXPECT_TRUE(allows(when(condition(Key::RequestHeader, {":method"}, {"PUT"})), request));
  EXPECT_TRUE(allows(when(condition(Key::RequestHeader, {":path"}, {"/p?q=1"})), request));
}

TEST(Condition, SourceAndRemoteIp) {
  TestRequest request;
  request.peer_ip = "10.0.0.1";
  request.remote_ip = "198.51.100.7";
  EXPECT_TRUE(allows(when(condition(Key::SourceIp, {}, {"10.0.0.0/8"})), request));
  EXPECT_FALSE(allows(when(condition(Key::SourceIp, {}, {"198.51.100.7"})), request));
  EXPECT_TRUE(allows(when(condition(Key::RemoteIp, {}, {"198.51.100.7"})), request));
  EXPECT_FALSE(allows(when(condition(Key::RemoteIp, {}, {}, {"198.51.100.0/24"})), request));
}

TEST(Condition, DestinationIpUnknownNeverMatches) {
  TestRequest request;
  EXPECT_FALSE(allows(when(condition(Key::DestinationIp, {}, {"0.0.0.0/0"})), request));
  request.destination_ip = "10.9.9.9";
  EXPECT_TRUE(allows(when(condition(Key::DestinationIp, {}, {"10.9.9.9"})), request));
}

TEST(Condition, DestinationPort) {
  TestRequest request;
  request.port = 8080;
  EXPECT_TRUE(allows(when(condition(Key::DestinationPort, {}, {"8080"})), request));
  EXPECT_FALSE(allows(when(condition(Key::DestinationPort, {}, {"80"})), request));
  EXPECT_FALSE(allows(when(condition(Key::DestinationPort, {}, {}, {"8080"})), request));
}

TEST(Condition, PeerIdentityKeysNeverMatch) {
  TestRequest request;
  for (Key key : {Key::SourcePrincipal, Key::SourceNamespace, Key::SourceServiceAccount}) {
    EXPECT_FALSE(allows(when(condition(key, {}, {"*"})), request));
    EXPECT_TRUE(allows(when(condition(key, {}, {}, {"*"})), request));
  }
}

TEST(Condition, RequestAuthPrincipal) {
  const authn::Identity id = identity(R"({"iss":"https://idp","sub":"alice"})");
  TestRequest request;
  EXPECT_FALSE(allows(when(condition(Key::RequestPrincipal, {}, {"*"})), request));
  request.identity = &id;
  EXPECT_TRUE(allows(when(condition(Key::RequestPrincipal, {}, {"https://idp/alice"})), request));
  EXPECT_FALSE(allows(when(condition(Key::RequestPrincipal, {}, {}, {"*/alice"})), request));
}

TEST(Condition, AudiencesMatchAnyElement) {
  const authn::Identity id = identity(R"({"iss":"i","sub":"s","aud":["a","b"]})");
  TestRequest request;
  request.identity = &id;
  EXPECT_TRUE(allows(when(condition(Key::RequestAudiences, {}, {"b"})), request));
  EXPECT_FALSE(allows(when(condition(Key::RequestAudiences, {}, {"c"})), request));
  EXPECT_FALSE(allows(when(condition(Key::RequestAudiences, {}, {}, {"a"})), request));
}

TEST(Condition, Presenter) {
  const authn::Identity id = identity(R"({"iss":"i","sub":"s","azp":"web"})");
  TestRequest request;
  EXPECT_TRUE(allows(when(condition(Key::RequestPresenter, {}, {}, {"web"})), request));
  request.identity = &id;
  EXPECT_TRUE(allows(when(condition(Key::RequestPresenter, {}, {"w*"})), request));
  EXPECT_FALSE(allows(when(condition(Key::RequestPresenter, {}, {}, {"web"})), request));
}

TEST(Condition, StringAndListClaims) {
  const authn::Identity id = identity(R"({"group":"admin","roles":["x","y"]})");
  TestRequest request;
  request.identity = &id;
  EXPECT_TRUE(allows(when(condition(Key::RequestClaims, {"group"}, {"admin"})), request));
  EXPECT_TRUE(allows(when(condition(Key::RequestClaims, {"roles"}, {"y"})), request));
  EXPECT_FALSE(allows(when(condition(Key::RequestClaims, {"roles"}, {}, {"x"})), request));
}

// Pitfall 9: non-string claims never match.
TEST(Condition, NonStringClaimsNeverMatch) {
  const authn::Identity id = identity(R"({"email_verified":true,"n":1,"l":[1,"1"]})");
  TestRequest request;
  request.identity = &id;
  EXPECT_FALSE(allows(when(condition(Key::RequestClaims, {"email_verified"}, {"true"})), request));
  EXPECT_FALSE(allows(when(condition(Key::RequestClaims, {"n"}, {"*"})), request));
  EXPECT_TRUE(allows(when(condition(Key::RequestClaims, {"l"}, {"1"})), request));
}

TEST(Condition, NestedClaims) {
  const authn::Identity id = identity(R"({"realm":{"roles":["admin"]},"flat":"x"})");
  TestRequest request;
  request.identity = &id;
  EXPECT_TRUE(allows(when(condition(Key::RequestClaims, {"realm", "roles"}, {"admin"})), request));
  EXPECT_FALSE(allows(when(condition(Key::RequestClaims, {"flat", "x"}, {"*"})), request));
}

TEST(Condition, SplitScopeIsMatchedPerWord) {
  authn::Identity id = identity(R"({"scope":"write read","roles":"a b"})");
  id.split_claims["scope"] = boost::json::array{"write", "read"};
  TestRequest request;
  request.identity = &id;
  EXPECT_TRUE(allows(when(condition(Key::RequestClaims, {"scope"}, {"write"})), request));
  EXPECT_FALSE(allows(when(condition(Key::RequestClaims, {"roles"}, {"a"})), request));
}

TEST(Condition, MissingClaimOrTokenFailsValuesPassesNotValues) {
  TestRequest request;
  EXPECT_FALSE(allows(when(condition(Key::RequestClaims, {"group"}, {"*"})), request));
  EXPECT_TRUE(allows(when(condition(Key::RequestClaims, {"group"}, {}, {"admin"})), request));
}

TEST(Condition, Sni) {
  TestRequest request;
  EXPECT_FALSE(allows(when(condition(Key::ConnectionSni, {}, {"*"})), request));
  request.sni = "api.example.com";
  EXPECT_TRUE(allows(when(condition(Key::ConnectionSni, {}, {"*.example.com"})), request));
}

TEST(Condition, AllConditionsMustHold) {
  TestRequest request;
  request.headers = {{"x-a", "1"}};
  config::Rule rule = when(condition(Key::RequestHeader, {"x-a"}, {"1"}));
  rule.when.push_back(condition(Key::RequestHeader, {"x-b"}, {"1"}));
  EXPECT_FALSE(allows(rule, request));
}

TEST(Condition, UnreadablePortIsACompileError) {
  auto set = PolicySet::compile(
      {policy("p", Action::Allow,
              std::vector{when(condition(Key::DestinationPort, {}, {"70000"}))})},
      "root");
  EXPECT_TRUE(std::holds_alternative<CompileError>(set));
}

}  // namespace
}  // namespace gatehouse::authz
