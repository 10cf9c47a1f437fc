// Provider::create, the discovery document, the JWKS, routing, methods and body limits.
#include <gtest/gtest.h>

#include "idp/idp.h"
#include "jose/jwks.h"
#include "test_support.h"

namespace gatehouse::idp {
namespace {

using namespace testing;

TEST(Discovery, NamesOktasEndpointsUnderTheIssuer) {
  Harness h;
  Response res = h.get("/.well-known/openid-configuration");
  ASSERT_EQ(res.status, 200u);
  EXPECT_EQ(header(res, "Content-Type"), "application/json");
  auto doc = json_body(res);
  EXPECT_EQ(doc["issuer"], jv(kIssuer));
  EXPECT_EQ(doc["authorization_endpoint"], jv(std::string(kIssuer) + "/v1/authorize"));
  EXPECT_EQ(doc["token_endpoint"], jv(std::string(kIssuer) + "/v1/token"));
  EXPECT_EQ(doc["userinfo_endpoint"], jv(std::string(kIssuer) + "/v1/userinfo"));
  EXPECT_EQ(doc["jwks_uri"], jv(std::string(kIssuer) + "/v1/keys"));
  EXPECT_EQ(doc["end_session_endpoint"], jv(std::string(kIssuer) + "/v1/logout"));
  EXPECT_EQ(h.get("/.well-known/oauth-authorization-server").body, res.body);
}

TEST(Discovery, JwksPublishesEveryKeyAndParses) {
  auto provider = Provider::create(test_config(), keys_of({"key-1", "key-2"}),
                                   std::span<const unsigned char>());
  ASSERT_TRUE(provider.ok()) << provider.error().message;
  Harness h(std::move(provider).value());
  Response res = h.get("/v1/keys");
  ASSERT_EQ(res.status, 200u);
  auto jwks = jose::Jwks::parse(res.body);
  ASSERT_TRUE(jwks.ok());
  ASSERT_EQ(jwks->keys().size(), 2u);
  EXPECT_EQ(jwks->keys()[0].kid, "key-1");
  EXPECT_EQ(jwks->keys()[1].kid, "key-2");
  EXPECT_EQ(res.body.find("\"d\""), std::string::npos) << "private members published";
}

TEST(Create, RefusesNoKeyWrongKeyAndDuplicateKid) {
  EXPECT_EQ(Provider::create(test_config(), {}, {}).error().message, "no signing key");
  auto ec = jose::PrivateKey::generate(jose::Alg::ES256, "ec");
  EXPECT_EQ(Provider::create(test_config(), one_key(std::move(ec).value()), {}).error().message,
            "signing keys must be RSA keys for RS256");
  EXPECT_EQ(Provider::create(test_config(), keys_of({"key-1", "key-1"}), {}).error().message,
            "two signing keys share the kid key-1");
  auto no_kid = jose::PrivateKey::generate(jose::Alg::RS256, "");
  EXPECT_EQ(Provider::create(test_config(), one_key(std::move(no_kid).value()), {}).error().message,
            "every signing key needs a kid");
}

TEST(Create, RefusesBadPasswordHashAndBadFilter) {
  config::IdentityProvider c = test_config();
  c.users[0].password.clear();
  c.users[0].password_hash = "pbkdf2-sha256$10$short$short";
  EXPECT_EQ(Provider::create(c, keys_of({"key-1"}), {}).error().message,
            "user alice: passwordHash is not a valid pbkdf2-sha256 hash");
  c = test_config();
  c.id_token_groups.value = "(";
  EXPECT_FALSE(Provider::create(c, keys_of({"key-1"}), {}).ok());
}

TEST(Create, AcceptsAPasswordHash) {
  config::IdentityProvider c = test_config();
  const unsigned char salt[16] = {7};
  c.users[0].password.clear();
  c.users[0].password_hash = hash_password("wonderland", salt, 1000);
  Harness h(std::move(Provider::create(c, keys_of({"key-1"}), {}).value()));
  EXPECT_EQ(h.login("alice", "wonderland").status, 302u);
  EXPECT_EQ(h.login("alice", "alice").status, 401u);
}

TEST(Routing, UnknownPathsAre404AndWrongMethods405) {
  Harness h;
  EXPECT_EQ(h.get("/v1/nothing").status, 404u);
  TestRequest outside;
  outside.path = "/v1/keys";
  EXPECT_EQ(h.send(outside).status, 404u);
  Response res = h.post("/v1/keys", "");
  EXPECT_EQ(res.status, 405u);
  EXPECT_EQ(header(res, "Allow"), "GET, HEAD");
  EXPECT_EQ(h.get("/v1/token").status, 405u);
  EXPECT_EQ(h.get("/v1/login").status, 405u);
}

TEST(Routing, OversizedBodyIs413) {
  Harness h;
  Response res = h.post("/v1/token", std::string(kMaxBodyBytes + 1, 'a'));
  EXPECT_EQ(res.status, 413u);
}

TEST(Routing, HeadHasNoBody) {
  Harness h;
  TestRequest req;
  req.method = "HEAD";
  req.path = std::string(kPrefix) + "/v1/keys";
  Response res = h.send(req);
  EXPECT_EQ(res.status, 200u);
  EXPECT_TRUE(res.body.empty());
}

}  // namespace
}  // namespace gatehouse::idp
