// authenticate-oidc actions: ALB's AuthenticateOidcConfig names and defaults, gatehouse's
// additions, secrets only by file or environment variable, and every validation rule with its
// located error.
#include <gtest/gtest.h>

#include "config/loader.h"
#include "test_support.h"

namespace gatehouse::config {
namespace {

using testing::error_strings;
using testing::expect_error;
using testing::expect_errors;
using testing::gatehouse;
using testing::load_text;

std::string at(int line, std::string_view message) {
  return testing::error_at("Listener", line, message);
}

// An HTTPS listener whose default actions are authenticate-oidc (authenticateOidcConfig on line
// 12 of the file, its fields one per line from line 13, `extra` first) and a forward.
std::string listener(std::string_view extra, std::string_view protocol = "HTTPS") {
  std::string spec = "port: 443\nprotocol: " + std::string(protocol) + "\n";
  if (protocol == "HTTPS")
    spec += "certificates: [{certificateFile: c.pem, keyFile: k.pem}]\n";
  else
    spec += "# no certificates\n";
  spec +=
      "defaultActions:\n"
      "- type: authenticate-oidc\n"
      "  authenticateOidcConfig:\n" +
      testing::indent(extra, 4) +
      "    issuer: https://idp.example.com/oauth2/default\n"
      "    authorizationEndpoint: https://idp.example.com/oauth2/default/v1/authorize\n"
      "    tokenEndpoint: https://idp.example.com/oauth2/default/v1/token\n"
      "    userInfoEndpoint: https://idp.example.com/oauth2/default/v1/userinfo\n"
      "    clientId: 0oa1gatehouse\n"
      "    sessionKeysFile: /etc/gatehouse/session.keys\n"
      "  order: 1\n"
      "- type: forward\n"
      "  order: 2\n"
      "  targetGroupName: web\n";
  return gatehouse("Listener", spec) + "---\n" + gatehouse("TargetGroup", "port: 8080", "web");
}

const std::string kSecretFile = "clientSecretFile: /etc/gatehouse/client-secret";
const std::string kConfigPath = "spec.defaultActions[0].authenticateOidcConfig";

const AuthenticateOidcConfig& oidc_of(const LoadResult& result) {
  return *result.snapshot.listeners.at(0).default_actions.at(0).authenticate_oidc;
}

TEST(AuthenticateOidc, ReferenceSetupLoadsWithAlbsDefaults) {
  LoadResult result = load_text(listener(kSecretFile));
  ASSERT_EQ(error_strings(result), std::vector<std::string>{});
  const RuleAction& action = result.snapshot.listeners[0].default_actions[0];
  EXPECT_EQ(action.type, "authenticate-oidc");
  const AuthenticateOidcConfig& oidc = oidc_of(result);
  EXPECT_EQ(oidc.issuer, "https://idp.example.com/oauth2/default");
  EXPECT_EQ(oidc.authorization_endpoint, "https://idp.example.com/oauth2/default/v1/authorize");
  EXPECT_EQ(oidc.token_endpoint, "https://idp.example.com/oauth2/default/v1/token");
  EXPECT_EQ(oidc.user_info_endpoint, "https://idp.example.com/oauth2/default/v1/userinfo");
  EXPECT_EQ(oidc.client_id, "0oa1gatehouse");
  EXPECT_EQ(oidc.client_secret_file, "/etc/gatehouse/client-secret");
  EXPECT_EQ(oidc.client_secret_env, "");
  EXPECT_EQ(oidc.scope, "openid");
  EXPECT_EQ(oidc.session_cookie_name, "AWSELBAuthSessionCookie");
  EXPECT_EQ(oidc.session_timeout_seconds, 604800);
  EXPECT_TRUE(oidc.authentication_request_extra_params.empty());
  EXPECT_EQ(oidc.on_unauthenticated_request, OnUnauthenticatedRequest::Authenticate);
  EXPECT_TRUE(oidc.use_pkce);
  EXPECT_TRUE(oidc.send_nonce);
  EXPECT_EQ(oidc.client_authentication, ClientAuthentication::ClientSecretBasic);
  EXPECT_EQ(oidc.logout_path, "");
  EXPECT_EQ(oidc.session_keys_file, "/etc/gatehouse/session.keys");
  EXPECT_FALSE(oidc.allow_insecure_http);
}

TEST(AuthenticateOidc, EveryFieldIsRead) {
  LoadResult result = load_text(listener(R"(clientSecretEnv: OKTA_CLIENT_SECRET
scope: openid profile groups offline_access
sessionCookieName: AppSession
sessionTimeout: "3600"
authenticationRequestExtraParams: {prompt: login, display: page}
onUnauthenticatedRequest: deny
usePkce: false
sendNonce: false
clientAuthentication: client_secret_post
logoutPath: /logout)"));
  ASSERT_EQ(error_strings(result), std::vector<std::string>{});
  const AuthenticateOidcConfig& oidc = oidc_of(result);
  EXPECT_EQ(oidc.client_secret_env, "OKTA_CLIENT_SECRET");
  EXPECT_EQ(oidc.client_secret_file, "");
  EXPECT_EQ(oidc.scope, "openid profile groups offline_access");
  EXPECT_EQ(oidc.session_cookie_name, "AppSession");
  EXPECT_EQ(oidc.session_timeout_seconds, 3600);
  EXPECT_EQ(
      oidc.authentication_request_extra_params,
      (std::vector<std::pair<std::string, std::string>>{{"prompt", "login"}, {"display", "page"}}));
  EXPECT_EQ(oidc.on_unauthenticated_request, OnUnauthenticatedRequest::Deny);
  EXPECT_FALSE(oidc.use_pkce);
  EXPECT_FALSE(oidc.send_nonce);
  EXPECT_EQ(oidc.client_authentication, ClientAuthentication::ClientSecretPost);
  EXPECT_EQ(oidc.logout_path, "/logout");
  EXPECT_EQ(oidc_of(load_text(listener(kSecretFile + "\nonUnauthenticatedRequest: allow")))
                .on_unauthenticated_request,
            OnUnauthenticatedRequest::Allow);
  EXPECT_EQ(
      oidc_of(load_text(listener(kSecretFile + "\nsessionTimeout: 1"))).session_timeout_seconds, 1);
}

TEST(AuthenticateOidc, RequiredFields) {
  const std::string yaml =
      gatehouse("Listener",
                "port: 443\nprotocol: HTTPS\n"
                "certificates: [{certificateFile: c, keyFile: k}]\n"
                "defaultActions:\n"
                "- {type: authenticate-oidc, order: 1, authenticateOidcConfig: {}}\n"
                "- {type: forward, order: 2, targetGroupName: web}") +
      "---\n" + gatehouse("TargetGroup", "port: 8080", "web");
  const std::string path = "spec.defaultActions[0].authenticateOidcConfig";
  expect_errors(yaml,
                {at(11, path + ": missing required field \"issuer\""),
                 at(11, path + ": missing required field \"authorizationEndpoint\""),
                 at(11, path + ": missing required field \"tokenEndpoint\""),
                 at(11, path + ": missing required field \"userInfoEndpoint\""),
                 at(11, path + ": missing required field \"clientId\""),
                 at(11, path + ": missing clientSecretFile or clientSecretEnv (the client secret)"),
                 at(11, path + ": missing required field \"sessionKeysFile\"")});
  expect_error(gatehouse("Listener",
                         "port: 443\nprotocol: HTTPS\n"
                         "certificates: [{certificateFile: c, keyFile: k}]\n"
                         "defaultActions:\n"
                         "- {type: authenticate-oidc, order: 1}\n"
                         "- {type: forward, order: 2, targetGroupName: web}") +
                   "---\n" + gatehouse("TargetGroup", "port: 8080", "web"),
               at(11, "spec.defaultActions[0]: missing required field \"authenticateOidcConfig\""));
}

// The secret never sits in the YAML (DESIGN: secrets from files or the environment).
TEST(AuthenticateOidc, TheClientSecretComesFromAFileOrTheEnvironmentOnly) {
  expect_error(
      listener("clientSecret: hunter2"),
      at(13, kConfigPath + ".clientSecret: a client secret is never written in the configuration; "
                           "name a file with clientSecretFile or an environment variable with "
                           "clientSecretEnv"));
  expect_error(
      listener(kSecretFile + "\nclientSecretEnv: SECRET"),
      at(14,
         kConfigPath + ".clientSecretEnv: set only one of clientSecretFile and clientSecretEnv"));
  expect_error(
      listener("clientSecretEnv: 1SECRET"),
      at(13, kConfigPath + ".clientSecretEnv: invalid clientSecretEnv \"1SECRET\": expected "
                           "[A-Za-z_][A-Za-z0-9_]*"));
  expect_error(
      listener("clientSecretEnv: OKTA-SECRET"),
      at(13, kConfigPath + ".clientSecretEnv: invalid clientSecretEnv \"OKTA-SECRET\": expected "
                           "[A-Za-z_][A-Za-z0-9_]*"));
  expect_error(listener("clientSecretFile: \"\""),
               at(13, kConfigPath + ".clientSecretFile: clientSecretFile must not be empty"));
  expect_error(listener(kSecretFile + "\nuseExistingClientSecret: true"),
               at(14, kConfigPath +
                          ": field \"useExistingClientSecret\" is not supported by gatehouse yet"));
}

TEST(AuthenticateOidc, AnHttpListenerNeedsTheDevelopmentFlag) {
  expect_error(listener(kSecretFile, "HTTP"),
               at(12, kConfigPath +
                          ": authenticate-oidc needs an HTTPS listener (session cookies are Secure "
                          "and the redirect URI is https://); allowInsecureHttp: true allows HTTP "
                          "for development only"));
  LoadResult result = load_text(listener(kSecretFile + "\nallowInsecureHttp: true", "HTTP"));
  ASSERT_EQ(error_strings(result), std::vector<std::string>{});
  EXPECT_TRUE(oidc_of(result).allow_insecure_http);
}

TEST(AuthenticateOidc, EndpointsAreHttpsUrls) {
  std::string yaml = listener(kSecretFile);
  const std::string token = "https://idp.example.com/oauth2/default/v1/token";
  const auto replaced = [&](const std::string& url) {
    std::string out = yaml;
    out.replace(out.find(token), token.size(), url);
    return out;
  };
  const std::string field = kConfigPath + ".tokenEndpoint: invalid tokenEndpoint ";
  expect_error(replaced("http://idp.example.com/token"),
               at(16, field + "\"http://idp.example.com/token\": must be an https:// URL "
                              "(allowInsecureHttp: true allows http:// for development)"));
  expect_error(replaced("idp.example.com/token"),
               at(16, field + "\"idp.example.com/token\": the scheme must be http or https"));
  expect_error(replaced("https://idp.example.com/token#x"),
               at(16, field + "\"https://idp.example.com/token#x\": must not have a fragment"));
  expect_error(replaced("https:///token"),
               at(16, field + "\"https:///token\": a host is required"));
  expect_error(replaced("https://" + std::string(2048, 'a')),
               at(16, field + "\"https://" + std::string(56, 'a') +
                          "...\": must be at most 2048 characters"));
  EXPECT_EQ(error_strings(load_text(listener(kSecretFile + "\nallowInsecureHttp: true"))),
            std::vector<std::string>{});
  std::string http_ok = listener(kSecretFile + "\nallowInsecureHttp: true");
  http_ok.replace(http_ok.find(token), token.size(), "http://127.0.0.1:9000/token");
  EXPECT_EQ(error_strings(load_text(http_ok)), std::vector<std::string>{});
  std::string query_ok = yaml;
  const std::string authorize = "https://idp.example.com/oauth2/default/v1/authorize";
  query_ok.replace(query_ok.find(authorize), authorize.size(), authorize + "?tenant=t1");
  EXPECT_EQ(error_strings(load_text(query_ok)), std::vector<std::string>{});
}

TEST(AuthenticateOidc, TheIssuerHasNoQuery) {
  std::string yaml = listener(kSecretFile);
  const std::string issuer = "issuer: https://idp.example.com/oauth2/default";
  yaml.replace(yaml.find(issuer), issuer.size(), issuer + "?x=1");
  expect_error(yaml,
               at(14, kConfigPath + ".issuer: invalid issuer \"https://idp.example.com/oauth2/"
                                    "default?x=1\": an issuer must not have a query"));
}

TEST(AuthenticateOidc, ClientIdIsVisibleText) {
  std::string yaml = listener(kSecretFile);
  const std::string id = "clientId: 0oa1gatehouse";
  yaml.replace(yaml.find(id), id.size(), "clientId: \"a b\"");
  expect_error(
      yaml, at(18, kConfigPath + ".clientId: invalid clientId \"a b\": expected 1 to 1024 visible "
                                 "characters"));
}

// Without openid there is no ID token, and ALB fails every login with 401.
TEST(AuthenticateOidc, TheScopeMustAskForOpenid) {
  expect_error(listener(kSecretFile + "\nscope: profile email"),
               at(14, kConfigPath + ".scope: scope \"profile email\" must include openid"));
  expect_error(listener(kSecretFile + "\nscope: openidprofile"),
               at(14, kConfigPath + ".scope: scope \"openidprofile\" must include openid"));
  for (const char* scope :
       {"\"openid  profile\"", "\" openid\"", "\"openid \"", "\"\"", "'openid \"x\"'"}) {
    LoadResult result = load_text(listener(kSecretFile + "\nscope: " + scope));
    ASSERT_EQ(result.errors.size(), 1u) << scope;
    EXPECT_NE(result.errors[0].to_string().find("scopes are words of visible characters"),
              std::string::npos)
        << result.errors[0].to_string();
  }
}

TEST(AuthenticateOidc, SessionCookieNameIsACookieName) {
  expect_error(
      listener(kSecretFile + "\nsessionCookieName: \"my session\""),
      at(14, kConfigPath + ".sessionCookieName: invalid sessionCookieName \"my session\": expected "
                           "a cookie name (letters, digits and !#$%&'*+-.^_`|~), at most 128"));
  expect_error(
      listener(kSecretFile + "\nsessionCookieName: AWSALBAuthNonce"),
      at(14, kConfigPath + ".sessionCookieName: sessionCookieName cannot be AWSALBAuthNonce, the "
                           "login nonce cookie"));
}

TEST(AuthenticateOidc, SessionTimeoutIsOneSecondToSevenDays) {
  expect_error(listener(kSecretFile + "\nsessionTimeout: 0"),
               at(14, kConfigPath + ".sessionTimeout: must be between 1 and 604800, got 0"));
  expect_error(listener(kSecretFile + "\nsessionTimeout: 604801"),
               at(14, kConfigPath + ".sessionTimeout: must be between 1 and 604800, got 604801"));
  EXPECT_EQ(load_text(listener(kSecretFile + "\nsessionTimeout: 7d")).errors.size(), 1u);
}

TEST(AuthenticateOidc, ExtraParamsAreAtMostTenAndNeverGatehousesOwn) {
  expect_errors(
      listener(kSecretFile + "\nauthenticationRequestExtraParams: {state: x, prompt: login, "
                             "redirect_uri: https://evil.com, code_challenge: c}"),
      {at(14, kConfigPath + ".authenticationRequestExtraParams.state: parameter \"state\" is sent "
                            "by gatehouse itself and cannot be set"),
       at(14, kConfigPath + ".authenticationRequestExtraParams.redirect_uri: parameter "
                            "\"redirect_uri\" is sent by gatehouse itself and cannot be set"),
       at(14, kConfigPath + ".authenticationRequestExtraParams.code_challenge: parameter "
                            "\"code_challenge\" is sent by gatehouse itself and cannot be set")});
  std::string eleven = "{";
  for (int i = 0; i < 11; ++i) eleven += (i ? ", p" : "p") + std::to_string(i) + ": v";
  expect_error(
      listener(kSecretFile + "\nauthenticationRequestExtraParams: " + eleven + "}"),
      at(14, kConfigPath + ".authenticationRequestExtraParams: authenticationRequestExtraParams "
                           "can have at most 10 entries, got 11"));
}

TEST(AuthenticateOidc, EnumsWithSuggestions) {
  expect_error(
      listener(kSecretFile + "\nonUnauthenticatedRequest: Deny"),
      at(14, kConfigPath + ".onUnauthenticatedRequest: invalid value \"Deny\", expected one of "
                           "authenticate, deny, allow (did you mean \"deny\"?)"));
  expect_error(
      listener(kSecretFile + "\nclientAuthentication: client_secret_bsic"),
      at(14, kConfigPath + ".clientAuthentication: invalid value \"client_secret_bsic\", expected "
                           "one of client_secret_basic, client_secret_post (did you mean "
                           "\"client_secret_basic\"?)"));
  expect_error(listener(kSecretFile + "\nusePkce: yes"),
               at(14, kConfigPath + ".usePkce: expected true or false, got \"yes\""));
}

TEST(AuthenticateOidc, LogoutPathIsALocalPath) {
  for (const char* path : {"logout", "/log out", "/logout?x", "/logout#x"}) {
    LoadResult result = load_text(listener(kSecretFile + "\nlogoutPath: \"" + path + "\""));
    ASSERT_EQ(result.errors.size(), 1u) << path;
    EXPECT_NE(result.errors[0].to_string().find("expected a path starting with"),
              std::string::npos);
  }
  expect_error(
      listener(kSecretFile + "\nlogoutPath: /oauth2/idpresponse"),
      at(14, kConfigPath + ".logoutPath: logoutPath cannot be /oauth2/idpresponse, the login "
                           "callback"));
}

TEST(AuthenticateOidc, UnknownFieldsGetASuggestion) {
  expect_error(listener(kSecretFile + "\nclientID: x"),
               at(14, kConfigPath + ": unknown field \"clientID\" (did you mean \"clientId\"?)"));
}

TEST(AuthenticateOidc, MustBeFollowedByATerminalAction) {
  const std::string alone = gatehouse("Listener",
                                      "port: 443\nprotocol: HTTPS\n"
                                      "certificates: [{certificateFile: c, keyFile: k}]\n"
                                      "defaultActions:\n"
                                      "- type: authenticate-oidc\n"
                                      "  authenticateOidcConfig: {issuer: https://i, "
                                      "authorizationEndpoint: https://i/a, tokenEndpoint: "
                                      "https://i/t, userInfoEndpoint: https://i/u, clientId: c, "
                                      "clientSecretEnv: S, sessionKeysFile: k}");
  LoadResult result = load_text(alone);
  ASSERT_EQ(result.errors.size(), 1u);
  EXPECT_NE(result.errors[0].to_string().find("actions must end with exactly one"),
            std::string::npos)
      << result.errors[0].to_string();
}

TEST(AuthenticateOidc, AtMostOnePerRule) {
  std::string yaml = listener(kSecretFile);
  const std::string forward = "- type: forward\n    order: 2";
  const std::string second =
      "- type: authenticate-oidc\n"
      "  order: 2\n"
      "  authenticateOidcConfig: {issuer: https://i, authorizationEndpoint: https://i/a, "
      "tokenEndpoint: https://i/t, userInfoEndpoint: https://i/u, clientId: c, clientSecretEnv: "
      "S, sessionKeysFile: k}\n"
      "- type: forward\n"
      "  order: 3\n"
      "  targetGroupName: web\n";
  const std::size_t first_forward = yaml.find("  - type: forward\n");
  ASSERT_NE(first_forward, std::string::npos);
  yaml = yaml.substr(0, first_forward) + testing::indent(second, 2) + "---\n" +
         gatehouse("TargetGroup", "port: 8080", "web");
  expect_error(yaml,
               at(10, "spec.defaultActions: a rule can have at most one authenticate-oidc action"));
}

TEST(AuthenticateOidc, ItsConfigBelongsToItsTypeOnly) {
  const std::string yaml =
      gatehouse("Listener",
                "port: 443\nprotocol: HTTPS\ncertificates: [{certificateFile: c, keyFile: k}]\n"
                "defaultActions:\n- type: forward\n  targetGroupName: web\n"
                "  authenticateOidcConfig: {}") +
      "---\n" + gatehouse("TargetGroup", "port: 8080", "web");
  expect_error(yaml, at(13,
                        "spec.defaultActions[0].authenticateOidcConfig: does not apply to a "
                        "forward action"));
}

TEST(AuthenticateOidc, OnARuleAfterConditions) {
  const std::string yaml =
      gatehouse("Listener",
                "port: 443\nprotocol: HTTPS\ncertificates: [{certificateFile: c, keyFile: k}]\n"
                "defaultActions: [{type: forward, targetGroupName: web}]\n"
                "rules:\n"
                "- priority: 10\n"
                "  conditions: [{field: path-pattern, values: [\"/app/*\"]}]\n"
                "  actions:\n"
                "  - type: authenticate-oidc\n"
                "    order: 1\n"
                "    authenticateOidcConfig: {issuer: https://i, authorizationEndpoint: "
                "https://i/a, tokenEndpoint: https://i/t, userInfoEndpoint: https://i/u, clientId: "
                "c, clientSecretEnv: S, sessionKeysFile: k, onUnauthenticatedRequest: allow}\n"
                "  - {type: forward, order: 2, targetGroupName: web}") +
      "---\n" + gatehouse("TargetGroup", "port: 8080", "web");
  LoadResult result = load_text(yaml);
  ASSERT_EQ(error_strings(result), std::vector<std::string>{});
  const RuleAction& action = result.snapshot.listeners[0].rules[0].actions[0];
  ASSERT_TRUE(action.authenticate_oidc);
  EXPECT_EQ(action.authenticate_oidc->on_unauthenticated_request, OnUnauthenticatedRequest::Allow);
  EXPECT_EQ(result.snapshot.listeners[0].rules[0].actions[1].type, "forward");
}

}  // namespace
}  // namespace gatehouse::config
