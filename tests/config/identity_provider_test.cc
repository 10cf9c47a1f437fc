// IdentityProvider: the built-in development OpenID Provider's resource, decoded strictly.
#include "config/identity_provider.h"

#include <gtest/gtest.h>

#include "config/loader.h"
#include "test_support.h"

namespace gatehouse::config {
namespace {

using testing::error_strings;
using testing::expect_error;
using testing::gatehouse;
using testing::load_text;

std::string at(int line, std::string_view message) {
  return testing::error_at("IdentityProvider", line, message);
}

std::string provider(std::string_view spec) { return gatehouse("IdentityProvider", spec); }

// Lines 7-... of the file; tests append to it.
constexpr std::string_view kMinimal = R"(issuer: http://127.0.0.1:9000/oauth2/default
clients:
- clientId: app
  clientSecret: dev-secret
  redirectUris: [https://localhost:8443/oauth2/idpresponse]
)";

TEST(IdentityProvider, FullResourceLoads) {
  LoadResult result = load_text(provider(R"(issuer: http://127.0.0.1:9000/oauth2/default
listen: 127.0.0.1:9100
audience: api://custom
accessTokenLifetime: 5m
sessionLifetime: 1h
scopes: [httpbin.read]
groups: [httpbin, everyone]
users:
- username: alice
  password: alice
  email: alice@example.com
  groups: [httpbin, everyone]
- username: bob
  id: 00ubob
  passwordHash: pbkdf2-sha256$1000$c2FsdHNhbHRzYWx0c2FsdA$aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaGhhc2g
clients:
- clientId: gatehouse
  clientSecretFile: /run/secrets/idp-client
  redirectUris: [https://localhost:8443/oauth2/idpresponse]
  postLogoutRedirectUris: [https://localhost:8443/]
  grantTypes: [authorization_code, refresh_token, client_credentials]
- clientId: spa
  redirectUris: [http://localhost:3000/cb]
groupsClaim:
  accessToken: {filterType: STARTS_WITH, filterValue: http}
  idToken: {name: roles, filterType: EQUALS, filterValue: everyone}
signingKeys:
- generate: true
- file: /etc/idp/old.jwk
)"));
  ASSERT_EQ(error_strings(result), std::vector<std::string>{});
  ASSERT_EQ(result.identity_providers.size(), 1u);
  const IdentityProvider& out = result.identity_providers[0];
  EXPECT_EQ(out.issuer, "http://127.0.0.1:9000/oauth2/default");
  EXPECT_EQ(out.listen, "127.0.0.1:9100");
  EXPECT_EQ(out.audience, "api://custom");
  EXPECT_EQ(out.access_token_lifetime_seconds, 300);
  EXPECT_EQ(out.id_token_lifetime_seconds, 3600);
  EXPECT_EQ(out.session_lifetime_seconds, 3600);
  ASSERT_EQ(out.users.size(), 2u);
  EXPECT_EQ(out.users[0].id, "alice");
  EXPECT_EQ(out.users[0].name, "alice");
  EXPECT_EQ(out.users[0].groups, (std::vector<std::string>{"httpbin", "everyone"}));
  EXPECT_EQ(out.users[1].id, "00ubob");
  EXPECT_TRUE(out.users[1].password.empty());
  ASSERT_EQ(out.clients.size(), 2u);
  EXPECT_EQ(out.clients[0].client_secret_file, "/run/secrets/idp-client");
  EXPECT_EQ(out.clients[0].grant_types.size(), 3u);
  EXPECT_TRUE(out.clients[1].client_secret.empty());
  EXPECT_EQ(out.access_token_groups.type, GroupsFilterType::StartsWith);
  EXPECT_EQ(out.id_token_groups.name, "roles");
  EXPECT_EQ(out.id_token_groups.type, GroupsFilterType::Equals);
  ASSERT_EQ(out.signing_keys.size(), 2u);
  EXPECT_TRUE(out.signing_keys[0].file.empty());
  EXPECT_EQ(out.signing_keys[1].file, "/etc/idp/old.jwk");
}

TEST(IdentityProvider, DefaultsAreOktas) {
  LoadResult result = load_text(provider(kMinimal));
  ASSERT_EQ(error_strings(result), std::vector<std::string>{});
  const IdentityProvider& out = result.identity_providers[0];
  EXPECT_EQ(out.audience, "api://default");
  EXPECT_EQ(out.listen, "127.0.0.1:9000");
  EXPECT_EQ(out.access_token_groups.type, GroupsFilterType::Regex);
  EXPECT_EQ(out.access_token_groups.value, ".*");
  EXPECT_EQ(out.clients[0].grant_types, (std::vector<IdpGrantType>{IdpGrantType::AuthorizationCode,
                                                                   IdpGrantType::RefreshToken}));
}

TEST(IdentityProvider, UnknownFieldSuggestsTheRightOne) {
  expect_error(provider(std::string(kMinimal) + "isuer: x\n"),
               at(12, "spec: unknown field \"isuer\" (did you mean \"issuer\"?)"));
}

TEST(IdentityProvider, IssuerMustBeAUrlWithoutTrailingSlash) {
  expect_error(provider("issuer: http://127.0.0.1:9000/oauth2/default/\nclients: []\n"),
               at(7,
                  "spec.issuer: invalid issuer \"http://127.0.0.1:9000/oauth2/default/\": "
                  "an issuer must not end with '/'"));
}

TEST(IdentityProvider, ListenMustBeAddressAndPort) {
  expect_error(provider(std::string(kMinimal) + "listen: localhost\n"),
               at(12,
                  "spec.listen: invalid listen \"localhost\": expected ADDR:PORT such as "
                  "127.0.0.1:9000"));
}

TEST(IdentityProvider, UserGroupsMustBeDeclared) {
  expect_error(
      provider(std::string(kMinimal) + "groups: [httpbin]\nusers:\n- username: a\n  password: a\n"
                                       "  groups: [httpbn]\n"),
      at(16,
         "spec.users[0].groups[0]: group \"httpbn\" is not declared in spec.groups "
         "(did you mean \"httpbin\"?)"));
}

TEST(IdentityProvider, UserNeedsExactlyOnePassword) {
  expect_error(provider(std::string(kMinimal) + "users:\n- username: a\n"),
               at(13, "spec.users[0]: set exactly one of password (development) or passwordHash"));
}

TEST(IdentityProvider, PasswordHashShapeIsChecked) {
  expect_error(
      provider(std::string(kMinimal) + "users:\n- username: a\n  passwordHash: sha1$abc\n"),
      at(14,
         "spec.users[0].passwordHash: invalid passwordHash: expected "
         "pbkdf2-sha256$<iterations>$<salt>$<hash> as printed by `gatehouse idp "
         "hash-password`"));
}

TEST(IdentityProvider, DuplicateUsersAreRefused) {
  expect_error(provider(std::string(kMinimal) +
                        "users:\n- {username: a, password: a}\n- {username: a, password: b}\n"),
               at(14, "spec.users[1].username: user \"a\" is listed twice"));
}

TEST(IdentityProvider, ClientTakesAtMostOneSecret) {
  expect_error(provider("issuer: http://127.0.0.1:9000\nclients:\n- clientId: a\n"
                        "  clientSecret: s\n  clientSecretEnv: S\n  redirectUris: [http://x/cb]\n"),
               at(9,
                  "spec.clients[0]: set at most one of clientSecret, clientSecretFile, "
                  "clientSecretEnv (none: a public client, which must use PKCE)"));
}

TEST(IdentityProvider, CodeClientNeedsRedirectUris) {
  expect_error(provider("issuer: http://127.0.0.1:9000\nclients:\n- clientId: a\n"
                        "  clientSecret: s\n"),
               at(9,
                  "spec.clients[0]: a client with grant type authorization_code needs "
                  "redirectUris"));
}

TEST(IdentityProvider, PublicClientCannotUseClientCredentials) {
  expect_error(provider("issuer: http://127.0.0.1:9000\nclients:\n- clientId: a\n"
                        "  grantTypes: [client_credentials]\n"),
               at(9, "spec.clients[0]: grant type client_credentials needs a client secret"));
}

TEST(IdentityProvider, UnknownGrantTypeSuggests) {
  LoadResult result = load_text(
      provider("issuer: http://127.0.0.1:9000\nclients:\n- clientId: a\n  clientSecret: s\n"
               "  grantTypes: [client_credential]\n"));
  ASSERT_EQ(result.errors.size(), 1u);
  EXPECT_NE(result.errors[0].message.find("did you mean \"client_credentials\""), std::string::npos)
      << result.errors[0].message;
}

TEST(IdentityProvider, RedirectUriWithFragmentIsRefused) {
  expect_error(provider("issuer: http://127.0.0.1:9000\nclients:\n- clientId: a\n"
                        "  redirectUris: ['http://x/cb#frag']\n"),
               at(10,
                  "spec.clients[0].redirectUris[0]: invalid URI \"http://x/cb#frag\": expected "
                  "an absolute URI without a fragment"));
}

TEST(IdentityProvider, GroupsClaimRegexMustCompile) {
  LoadResult result =
      load_text(provider(std::string(kMinimal) + "groupsClaim:\n  idToken: {filterType: REGEX, "
                                                 "filterValue: '(unclosed'}\n"));
  ASSERT_EQ(result.errors.size(), 1u);
  EXPECT_EQ(result.errors[0].where.line, 13);
}

TEST(IdentityProvider, GroupsClaimFilterTypeNeedsValue) {
  expect_error(
      provider(std::string(kMinimal) + "groupsClaim:\n  accessToken: {filterType: EQUALS}\n"),
      at(13, "spec.groupsClaim.accessToken.filterValue: filterType needs a filterValue"));
}

TEST(IdentityProvider, SigningKeyNeedsFileOrGenerate) {
  expect_error(provider(std::string(kMinimal) + "signingKeys:\n- {}\n"),
               at(13,
                  "spec.signingKeys[0]: set exactly one of file (a private JWK) or generate: "
                  "true"));
}

TEST(IdentityProvider, CustomScopeCannotShadowStandardOnes) {
  expect_error(provider(std::string(kMinimal) + "scopes: [openid]\n"),
               at(12, "spec.scopes[0]: scope \"openid\" is defined by the provider itself"));
}

TEST(IdentityProvider, LifetimeIsBounded) {
  expect_error(provider(std::string(kMinimal) + "accessTokenLifetime: 500ms\n"),
               at(12,
                  "spec.accessTokenLifetime: accessTokenLifetime must be whole seconds "
                  "between 1s and 8760h"));
}

}  // namespace
}  // namespace gatehouse::config
