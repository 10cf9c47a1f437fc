// /v1/token: client authentication, the three grants, the tokens' claims, and every
// invalid_client / invalid_grant / unsupported_grant_type rule.
#include <gtest/gtest.h>

#include "idp/idp.h"
#include "jose/jwks.h"
#include "jose/jwt.h"
#include "jose/verify.h"
#include "test_support.h"

namespace gatehouse::idp {
namespace {

using namespace testing;

void expect_error(const Response& res, unsigned status, std::string_view error) {
  EXPECT_EQ(res.status, status) << res.body;
  EXPECT_EQ(json_string(res, "error"), error) << res.body;
}

TEST(Token, CodeExchangeGivesOktaShapedTokens) {
  Harness h;
  Response res = h.exchange(h.code_for());
  ASSERT_EQ(res.status, 200u) << res.body;
  EXPECT_EQ(header(res, "Cache-Control"), "no-store");
  EXPECT_EQ(json_string(res, "token_type"), "Bearer");
  EXPECT_EQ(json_string(res, "scope"), "openid profile email offline_access");
  EXPECT_FALSE(json_string(res, "refresh_token").empty());

  auto access = jwt_payload(json_string(res, "access_token"));
  EXPECT_EQ(access["iss"], jv(kIssuer));
  EXPECT_EQ(access["aud"], "api://default");
  EXPECT_EQ(access["cid"], "app");
  EXPECT_EQ(access["uid"], "00ualice");
  EXPECT_EQ(access["sub"], "alice");
  EXPECT_EQ(access["iat"], kNow);
  EXPECT_EQ(access["exp"], kNow + 3600);
  EXPECT_TRUE(access["jti"].as_string().starts_with("AT."));
  EXPECT_EQ(access["scp"], (boost::json::array{"openid", "profile", "email", "offline_access"}));
  EXPECT_EQ(access["groups"], (boost::json::array{"httpbin", "everyone"}));

  auto id = jwt_payload(json_string(res, "id_token"));
  EXPECT_EQ(id["aud"], "app");
  EXPECT_EQ(id["sub"], "00ualice");
  EXPECT_EQ(id["name"], "Alice Example");
  EXPECT_EQ(id["preferred_username"], "alice");
  EXPECT_EQ(id["email"], "alice@example.com");
  EXPECT_EQ(id["nonce"], "n-1");
  EXPECT_EQ(id["auth_time"], kNow);
  EXPECT_EQ(id["groups"], (boost::json::array{"httpbin", "everyone"}));
}

TEST(Token, TokensVerifyAgainstTheJwks) {
  Harness h;
  Response res = h.exchange(h.code_for());
  auto jwks = jose::Jwks::parse(h.get("/v1/keys").body);
  ASSERT_TRUE(jwks.ok());
  for (const char* name : {"access_token", "id_token"}) {
    auto jwt = jose::parse_jwt(json_string(res, name));
    ASSERT_TRUE(jwt.ok()) << name;
    EXPECT_EQ(jwt->kid, "key-1");
    EXPECT_EQ(jwt->alg, jose::Alg::RS256);
    EXPECT_EQ(jose::verify_signature(*jwt, *jwks), jose::Status::Ok) << name;
  }
}

TEST(Token, GroupsFiltersApplyPerTokenType) {
  config::IdentityProvider c = test_config();
  c.access_token_groups = {true, "groups", config::GroupsFilterType::Equals, "httpbin"};
  c.id_token_groups = {true, "roles", config::GroupsFilterType::StartsWith, "every"};
  Harness h(make_provider(c));
  Response res = h.exchange(h.code_for());
  EXPECT_EQ(jwt_payload(json_string(res, "access_token"))["groups"], boost::json::array{"httpbin"});
  auto id = jwt_payload(json_string(res, "id_token"));
  EXPECT_EQ(id["roles"], boost::json::array{"everyone"});
  EXPECT_FALSE(id.contains("groups"));
  c.access_token_groups.enabled = false;
  Harness off(make_provider(c));
  EXPECT_FALSE(
      jwt_payload(json_string(off.exchange(off.code_for()), "access_token")).contains("groups"));
}

TEST(Token, ClientSecretPostWorksToo) {
  Harness h;
  Response res = h.post("/v1/token", form({{"grant_type", "authorization_code"},
                                           {"code", h.code_for()},
                                           {"redirect_uri", kRedirect},
                                           {"code_verifier", kVerifier},
                                           {"client_id", "app"},
                                           {"client_secret", "app-secret"}}));
  EXPECT_EQ(res.status, 200u) << res.body;
}

TEST(Token, PublicClientWithPlainPkce) {
  Harness h;
  const std::string verifier(50, 'v');
  Response login = h.login("alice", "alice",
                           form({{"client_id", "spa"},
                                 {"redirect_uri", kSpaRedirect},
                                 {"response_type", "code"},
                                 {"scope", "openid"},
                                 {"code_challenge", verifier}}));
  ASSERT_EQ(login.status, 302u) << login.body;
  Response res = h.post("/v1/token", form({{"grant_type", "authorization_code"},
                                           {"code", location_param(login, "code")},
                                           {"redirect_uri", kSpaRedirect},
                                           {"code_verifier", verifier},
                                           {"client_id", "spa"}}));
  EXPECT_EQ(res.status, 200u) << res.body;
  EXPECT_TRUE(json_string(res, "refresh_token").empty());  // no offline_access asked
}

TEST(Token, WrongSecretAndUnknownClientAreInvalidClient) {
  Harness h;
  const std::string code = h.code_for();
  const std::string body = form({{"grant_type", "authorization_code"},
                                 {"code", code},
                                 {"redirect_uri", kRedirect},
                                 {"code_verifier", kVerifier}});
  Response wrong = h.post("/v1/token", body, basic("app", "nope"));
  expect_error(wrong, 401, "invalid_client");
  EXPECT_EQ(header(wrong, "WWW-Authenticate"), "Basic realm=\"gatehouse-idp\"");
  expect_error(h.post("/v1/token", body, basic("nobody", "x")), 401, "invalid_client");
  expect_error(h.post("/v1/token", body), 401, "invalid_client");  // no authentication
  expect_error(h.post("/v1/token", body, "Basic %%%"), 401, "invalid_client");
  expect_error(h.post("/v1/token", body + "&client_id=app&client_secret=app-secretX"), 401,
               "invalid_client");
  // A public client must not present a secret.
  expect_error(h.post("/v1/token", body, basic("spa", "x")), 401, "invalid_client");
  // Both methods at once.
  expect_error(h.post("/v1/token", body + "&client_secret=app-secret", basic("app", "app-secret")),
               400, "invalid_request");
  // The failed attempts did not spend the code.
  EXPECT_EQ(h.exchange(code).status, 200u);
}

TEST(Token, ReusedCodeIsInvalidGrant) {
  Harness h;
  const std::string code = h.code_for();
  ASSERT_EQ(h.exchange(code).status, 200u);
  expect_error(h.exchange(code), 400, "invalid_grant");
}

TEST(Token, ExpiredCodeIsInvalidGrant) {
  Harness h;
  const std::string code = h.code_for();
  expect_error(h.exchange(code, kVerifier, kRedirect, kNow + 60), 400, "invalid_grant");
  EXPECT_EQ(h.exchange(h.code_for(), kVerifier, kRedirect, kNow + 59).status, 200u);
}

TEST(Token, UnknownCodeIsInvalidGrant) {
  Harness h;
  expect_error(h.exchange(std::string(43, 'A')), 400, "invalid_grant");
}

TEST(Token, CodeOfAnotherClientIsInvalidGrant) {
  config::IdentityProvider c = test_config();
  config::IdpClient other = c.clients[0];
  other.client_id = "other";
  other.client_secret = "other-secret";
  c.clients.push_back(other);
  Harness h(make_provider(c));
  const std::string code = h.code_for();
  Response res = h.post("/v1/token",
                        form({{"grant_type", "authorization_code"},
                              {"code", code},
                              {"redirect_uri", kRedirect},
                              {"code_verifier", kVerifier}}),
                        basic("other", "other-secret"));
  expect_error(res, 400, "invalid_grant");
  expect_error(h.exchange(code), 400, "invalid_grant");  // single use, even on failure
}

TEST(Token, PkceMismatchIsInvalidGrant) {
  Harness h;
  expect_error(h.exchange(h.code_for(), std::string(43, 'x')), 400, "invalid_grant");
  expect_error(h.exchange(h.code_for(), ""), 400, "invalid_grant");
  expect_error(h.exchange(h.code_for(), "short"), 400, "invalid_grant");
}

TEST(Token, RedirectUriMismatchIsInvalidGrant) {
  Harness h;
  expect_error(h.exchange(h.code_for(), kVerifier, "https://localhost:8443/other"), 400,
               "invalid_grant");
  expect_error(h.exchange(h.code_for(), kVerifier, ""), 400, "invalid_grant");
}

TEST(Token, GrantTypeErrors) {
  Harness h;
  const std::string auth = basic("app", "app-secret");
  expect_error(h.post("/v1/token", form({{"grant_type", "password"}}), auth), 400,
               "unsupported_grant_type");
  expect_error(h.post("/v1/token", form({{"code", "x"}}), auth), 400, "invalid_request");
  expect_error(h.post("/v1/token", form({{"grant_type", "authorization_code"}}), auth), 400,
               "invalid_request");
  expect_error(
      h.post("/v1/token", form({{"grant_type", "client_credentials"}, {"client_id", "spa"}})), 400,
      "unauthorized_client");
  expect_error(h.post("/v1/token", "grant_type=a&grant_type=b", auth), 400, "invalid_request");
  TestRequest json;
  json.method = "POST";
  json.path = std::string(kPrefix) + "/v1/token";
  json.content_type = "application/json";
  json.body = R"({"grant_type":"client_credentials"})";
  json.authorization = auth;
  expect_error(h.send(json), 400, "invalid_request");
}

TEST(Token, RefreshRotatesTheToken) {
  Harness h;
  const std::string refresh = json_string(h.exchange(h.code_for()), "refresh_token");
  const std::string auth = basic("app", "app-secret");
  Response res = h.post("/v1/token",
                        form({{"grant_type", "refresh_token"}, {"refresh_token", refresh}}), auth);
  ASSERT_EQ(res.status, 200u) << res.body;
  const std::string next = json_string(res, "refresh_token");
  EXPECT_FALSE(next.empty());
  EXPECT_NE(next, refresh);
  EXPECT_EQ(jwt_payload(json_string(res, "id_token"))["sub"], "00ualice");
  expect_error(h.post("/v1/token",
                      form({{"grant_type", "refresh_token"}, {"refresh_token", refresh}}), auth),
               400, "invalid_grant");
  Response narrowed = h.post(
      "/v1/token",
      form({{"grant_type", "refresh_token"}, {"refresh_token", next}, {"scope", "openid"}}), auth);
  ASSERT_EQ(narrowed.status, 200u) << narrowed.body;
  EXPECT_EQ(json_string(narrowed, "scope"), "openid");
}

TEST(Token, RefreshScopeCannotGrow) {
  Harness h;
  const std::string refresh = json_string(h.exchange(h.code_for()), "refresh_token");
  expect_error(h.post("/v1/token",
                      form({{"grant_type", "refresh_token"},
                            {"refresh_token", refresh},
                            {"scope", "openid groups"}}),
                      basic("app", "app-secret")),
               400, "invalid_scope");
}

TEST(Token, ExpiredRefreshTokenIsInvalidGrant) {
  Harness h;
  const std::string refresh = json_string(h.exchange(h.code_for()), "refresh_token");
  expect_error(
      h.post("/v1/token", form({{"grant_type", "refresh_token"}, {"refresh_token", refresh}}),
             basic("app", "app-secret"), kNow + 7 * 86400),
      400, "invalid_grant");
}

TEST(Token, ClientCredentialsGivesAClientToken) {
  Harness h;
  Response res =
      h.post("/v1/token", form({{"grant_type", "client_credentials"}, {"scope", "httpbin.read"}}),
             basic("app", "app-secret"));
  ASSERT_EQ(res.status, 200u) << res.body;
  EXPECT_TRUE(json_string(res, "id_token").empty());
  EXPECT_TRUE(json_string(res, "refresh_token").empty());
  auto access = jwt_payload(json_string(res, "access_token"));
  EXPECT_EQ(access["sub"], "app");
  EXPECT_EQ(access["cid"], "app");
  EXPECT_FALSE(access.contains("uid"));
  EXPECT_EQ(access["scp"], boost::json::array{"httpbin.read"});
  expect_error(
      h.post("/v1/token", form({{"grant_type", "client_credentials"}, {"scope", "openid"}}),
             basic("app", "app-secret")),
      400, "invalid_scope");
}

}  // namespace
}  // namespace gatehouse::idp
