// Runtime::build with authenticate-oidc actions: session key files and client secrets read at
// load (relative to the YAML file, or from the environment), their problems as located config
// errors, the issuer's key source registered for the fetcher, and the login per rule.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdlib>

#include "../proxy/test_certificates.h"
#include "gateway/runtime.h"

namespace gatehouse::gateway {
namespace {

using ::testing::HasSubstr;

constexpr const char* kKey = "mItEZMuNmPkrAZdu/Ojwqlj1L0LZdDP8YC8mGvvu8Wk=\n";

// An HTTP listener (allowed for development) whose rule 5 logs in, with `secret` the client
// secret line(s) of the authenticateOidcConfig.
std::string login_listener(const std::string& secret, const std::string& keys = "session.keys") {
  return "apiVersion: gatehouse.dev/v1alpha1\n"
         "kind: Listener\n"
         "metadata: {name: web, namespace: edge}\n"
         "spec:\n"
         "  port: 8080\n"
         "  rules:\n"
         "  - priority: 5\n"
         "    conditions: [{field: path-pattern, values: [\"/app/*\"]}]\n"
         "    actions:\n"
         "    - type: authenticate-oidc\n"  // line 10
         "      order: 1\n"
         "      authenticateOidcConfig:\n"
         "        issuer: http://127.0.0.1:9000/oauth2/default\n"
         "        authorizationEndpoint: http://127.0.0.1:9000/oauth2/default/v1/authorize\n"
         "        tokenEndpoint: http://127.0.0.1:9000/oauth2/default/v1/token\n"
         "        userInfoEndpoint: http://127.0.0.1:9000/oauth2/default/v1/userinfo\n"
         "        clientId: gatehouse\n"
         "        " +
         secret +
         "\n"
         "        sessionKeysFile: " +
         keys +
         "\n"
         "        allowInsecureHttp: true\n"
         "    - type: fixed-response\n"
         "      order: 2\n"
         "      fixedResponseConfig: {statusCode: \"200\"}\n"
         "  defaultActions: [{type: fixed-response, fixedResponseConfig: {statusCode: \"404\"}}]\n";
}

class RuntimeLoginTest : public ::testing::Test {
 protected:
  Runtime::BuildResult build(const std::string& yaml, bool online = true) {
    return Runtime::build({config::SourceFile{yaml_file, yaml}}, nullptr, online);
  }
  std::string only_error(const std::string& yaml) {
    auto built = build(yaml);
    EXPECT_EQ(built.runtime, nullptr);
    EXPECT_EQ(built.errors.size(), 1u);
    return built.errors.empty() ? "" : built.errors[0];
  }
  testing::CertificateFolder folder;
  std::string yaml_file = folder.path("gateway.yaml");
};

TEST_F(RuntimeLoginTest, ReadsKeysAndSecretRelativeToTheYamlFile) {
  folder.write("session.keys", kKey);
  folder.write("client.secret", "s3cret\n");
  auto built = build(login_listener("clientSecretFile: client.secret"));
  ASSERT_TRUE(built.errors.empty()) << built.errors[0];
  const auto& listener = built.runtime->listeners().at(0);
  ASSERT_EQ(listener.logins.size(), 1u);
  const EdgeLogin& login = *listener.logins[0];
  EXPECT_EQ(login.client_secret, "s3cret");
  EXPECT_EQ(login.config.client_id, "gatehouse");
  EXPECT_EQ(login.scheme, "http");
  EXPECT_EQ(login.token_endpoint.target, "/oauth2/default/v1/token");
  EXPECT_EQ(login.gateway_cookies[0], "AWSELBAuthSessionCookie-0");
  EXPECT_EQ(login.gateway_cookies[4], "AWSALBAuthNonce");
  // Each build's logins get new ids: a session cached under an old login never counts.
  auto again = build(login_listener("clientSecretFile: client.secret"));
  ASSERT_TRUE(again.errors.empty());
  EXPECT_NE(again.runtime->listeners().at(0).logins.at(0)->id, login.id);
  ASSERT_NE(login.signer, nullptr);
  EXPECT_EQ(login.signer->kid(), data_signing_key()->kid());
  // The rule names its login; the issuer's keys come by discovery.
  EXPECT_EQ(listener.rules.rules()[0].login, 0u);
  EXPECT_FALSE(listener.rules.rules()[1].login.has_value());
  ASSERT_EQ(built.runtime->key_sources().size(), 1u);
  EXPECT_EQ(built.runtime->key_sources()[0].id, "discovery:http://127.0.0.1:9000/oauth2/default");
  EXPECT_EQ(built.runtime->key_sources()[0].jwks_uri, "");
}

TEST_F(RuntimeLoginTest, SecretFromTheEnvironment) {
  folder.write("session.keys", kKey);
  ::setenv("GATEHOUSE_TEST_CLIENT_SECRET", "from-env", 1);
  auto built = build(login_listener("clientSecretEnv: GATEHOUSE_TEST_CLIENT_SECRET"));
  ::unsetenv("GATEHOUSE_TEST_CLIENT_SECRET");
  ASSERT_TRUE(built.errors.empty()) << built.errors[0];
  EXPECT_EQ(built.runtime->listeners().at(0).logins.at(0)->client_secret, "from-env");
}

TEST_F(RuntimeLoginTest, UnsetSecretVariableIsAnError) {
  folder.write("session.keys", kKey);
  ::unsetenv("GATEHOUSE_TEST_NO_SUCH_SECRET");
  EXPECT_EQ(only_error(login_listener("clientSecretEnv: GATEHOUSE_TEST_NO_SUCH_SECRET")),
            yaml_file +
                ":10: resource Listener/edge/web: authenticate-oidc: clientSecretEnv "
                "GATEHOUSE_TEST_NO_SUCH_SECRET is not set");
}

TEST_F(RuntimeLoginTest, MissingOrEmptySecretFileIsAnError) {
  folder.write("session.keys", kKey);
  EXPECT_THAT(only_error(login_listener("clientSecretFile: nowhere.secret")),
              HasSubstr("clientSecretFile " + folder.path("nowhere.secret") + " cannot be read"));
  folder.write("empty.secret", "\n");
  EXPECT_THAT(only_error(login_listener("clientSecretFile: empty.secret")),
              HasSubstr("holds no usable secret"));
  folder.write("control.secret", "a\x01b\n");
  EXPECT_THAT(only_error(login_listener("clientSecretFile: control.secret")),
              HasSubstr("holds no usable secret"));
}

TEST_F(RuntimeLoginTest, UnreadableOrBadKeyFileIsAnErrorNamingTheLine) {
  folder.write("client.secret", "s3cret\n");
  EXPECT_THAT(only_error(login_listener("clientSecretFile: client.secret", "absent.keys")),
              HasSubstr("sessionKeysFile " + folder.path("absent.keys") + " cannot be read"));
  folder.write("bad.keys", std::string("# first a comment\n") + kKey + "not base64!\n");
  EXPECT_THAT(only_error(login_listener("clientSecretFile: client.secret", "bad.keys")),
              HasSubstr("sessionKeysFile " + folder.path("bad.keys") + ":3:"));
  folder.write("empty.keys", "# no key\n");
  EXPECT_THAT(only_error(login_listener("clientSecretFile: client.secret", "empty.keys")),
              HasSubstr("sessionKeysFile " + folder.path("empty.keys")));
}

TEST_F(RuntimeLoginTest, OfflineBuildsReadNoFiles) {
  auto built = build(login_listener("clientSecretFile: nowhere.secret", "absent.keys"), false);
  ASSERT_TRUE(built.errors.empty()) << built.errors[0];
  EXPECT_TRUE(built.runtime->listeners().at(0).logins.empty());
  EXPECT_EQ(built.runtime->listeners().at(0).rules.rules()[0].login, 0u);
}

TEST_F(RuntimeLoginTest, DataSigningKeyIsOneP256KeyForTheProcess) {
  const auto key = data_signing_key();
  ASSERT_NE(key, nullptr);
  EXPECT_EQ(key, data_signing_key());
  EXPECT_TRUE(key->fits(jose::Alg::ES256));
  EXPECT_EQ(key->kid().size(), 36u);  // a UUID, as ALB's kids
}

}  // namespace
}  // namespace gatehouse::gateway
