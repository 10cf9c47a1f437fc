// The login redirect: ALB's parameters in ALB's order, gatehouse's nonce and PKCE, encoding,
// the nonce cookie, the sealed state and its binding, and the Host checks.
#include "oidc/login.h"

#include <gtest/gtest.h>

#include <string>

#include "oidc/state.h"
#include "session/seal.h"
#include "test_support.h"

namespace gatehouse::oidc {
namespace {

std::vector<std::string> names_of(const std::vector<FormParam>& params) {
  std::vector<std::string> names;
  for (const FormParam& p : params) names.push_back(p.name);
  return names;
}

detail::LoginState open_state(const config::AuthenticateOidcConfig& config,
                              const LoginRedirect& login) {
  auto opened = session::open_bytes(login.state, keys_a(), detail::state_context(config));
  EXPECT_TRUE(opened.ok());
  if (!opened.ok()) return {};
  std::optional<detail::LoginState> state = detail::decode_state(*opened);
  EXPECT_TRUE(state.has_value());
  return state.value_or(detail::LoginState{});
}

TEST(LoginRedirect, SendsAlbsParametersThenNonceAndPkce) {
  const LoginRedirect login = login_or_fail(okta_config());
  EXPECT_TRUE(login.location.starts_with(
      "https://idp.example.com/oauth2/default/v1/authorize?client_id=0oa1gatehouse&redirect_uri="
      "https%3A%2F%2Fapp.example.com%2Foauth2%2Fidpresponse&response_type=code&scope=openid&"
      "state="))
      << login.location;
  const std::vector<FormParam> params = query_of(login.location);
  EXPECT_EQ(names_of(params), (std::vector<std::string>{
                                  "client_id", "redirect_uri", "response_type", "scope", "state",
                                  "nonce", "code_challenge", "code_challenge_method"}));
  EXPECT_EQ(param(params, "redirect_uri"), "https://app.example.com/oauth2/idpresponse");
  EXPECT_EQ(param(params, "state"), login.state);
  EXPECT_EQ(param(params, "nonce"), kIdTokenNonce);
  EXPECT_EQ(param(params, "code_challenge"), pkce_challenge(kCodeVerifier));
  EXPECT_EQ(param(params, "code_challenge_method"), "S256");
}

// The state is standard base64 as ALB's, so its + / = are escaped in the URL.
TEST(LoginRedirect, StateIsSealedStandardBase64EscapedInTheUrl) {
  const LoginRedirect login = login_or_fail(okta_config());
  EXPECT_GT(login.state.size(), 100u);
  EXPECT_EQ(login.state.find_first_not_of(
                "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/="),
            std::string::npos);
  const std::size_t start = login.location.find("&state=") + 7;
  const std::string raw = login.location.substr(start, login.location.find('&', start) - start);
  EXPECT_EQ(raw.find_first_of("+/= "), std::string::npos) << raw;
  EXPECT_EQ(raw, percent_encode(login.state));
}

TEST(LoginRedirect, StateCarriesWhatTheCallbackNeeds) {
  const detail::LoginState state = open_state(okta_config(), login_or_fail(okta_config()));
  EXPECT_EQ(state.issued_at, kNow);
  EXPECT_EQ(state.nonce_cookie, kNonceCookieValue);
  EXPECT_EQ(state.id_token_nonce, kIdTokenNonce);
  EXPECT_EQ(state.code_verifier, kCodeVerifier);
  EXPECT_EQ(state.redirect_uri, "https://app.example.com/oauth2/idpresponse");
  EXPECT_EQ(state.return_path, "/headers?show_env=1");
}

TEST(LoginRedirect, EachLoginSealsAFreshState) {
  EXPECT_NE(login_or_fail(okta_config()).state, login_or_fail(okta_config()).state);
}

// A state is sealed under its own context: it never opens as a session, and a session cookie
// never opens as a state; nor does one action's state open for another.
TEST(LoginRedirect, StateCannotBeConfusedWithASessionOrAnotherAction) {
  const config::AuthenticateOidcConfig config = okta_config();
  const LoginRedirect login = login_or_fail(config);
  EXPECT_FALSE(session::open_bytes(login.state, keys_a(), config.session_cookie_name).ok());
  EXPECT_FALSE(session::open(login.state, keys_a(), config.session_cookie_name, kNow).ok());
  for (auto change :
       {+[](config::AuthenticateOidcConfig& c) { c.client_id = "other"; },
        +[](config::AuthenticateOidcConfig& c) { c.issuer += "/"; },
        +[](config::AuthenticateOidcConfig& c) { c.session_cookie_name = "Other"; }}) {
    config::AuthenticateOidcConfig other = config;
    change(other);
    EXPECT_FALSE(session::open_bytes(login.state, keys_a(), detail::state_context(other)).ok());
  }
  EXPECT_NE(detail::state_context(config).find('\n'), std::string::npos);
}

TEST(LoginRedirect, PkceAndNonceCanBeSwitchedOff) {
  config::AuthenticateOidcConfig config = okta_config();
  config.use_pkce = false;
  config.send_nonce = false;
  const LoginRedirect login = login_or_fail(config);
  EXPECT_EQ(
      names_of(query_of(login.location)),
      (std::vector<std::string>{"client_id", "redirect_uri", "response_type", "scope", "state"}));
  const detail::LoginState state = open_state(config, login);
  EXPECT_EQ(state.code_verifier, "");
  EXPECT_EQ(state.id_token_nonce, "");
  EXPECT_EQ(state.nonce_cookie, kNonceCookieValue);
}

TEST(LoginRedirect, ScopeAndExtraParamsAreEncodedInOrder) {
  config::AuthenticateOidcConfig config = okta_config();
  config.scope = "openid profile groups";
  config.authentication_request_extra_params = {{"prompt", "login"}, {"login_hint", "a b&c=d"}};
  const LoginRedirect login = login_or_fail(config);
  EXPECT_NE(login.location.find("&scope=openid%20profile%20groups&"), std::string::npos);
  EXPECT_TRUE(login.location.ends_with("&prompt=login&login_hint=a%20b%26c%3Dd")) << login.location;
}

TEST(LoginRedirect, AnEndpointWithAQueryKeepsIt) {
  config::AuthenticateOidcConfig config = okta_config();
  config.authorization_endpoint = "https://login.example.com/authorize?tenant=t1";
  EXPECT_TRUE(login_or_fail(config).location.starts_with(
      "https://login.example.com/authorize?tenant=t1&client_id=0oa1gatehouse&"));
}

TEST(LoginRedirect, NonceCookieIsShortLivedSecureHttpOnlySameSiteNone) {
  EXPECT_EQ(login_or_fail(okta_config()).nonce_set_cookie,
            "AWSALBAuthNonce=AAECAwQFBgcICQoLDA0ODw; Expires=Tue, 14 Nov 2023 22:28:20 GMT; "
            "Max-Age=900; Path=/; Secure; HttpOnly; SameSite=None");
  EXPECT_EQ(expired_nonce_set_cookie(),
            "AWSALBAuthNonce=; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0; Path=/; Secure; "
            "HttpOnly; SameSite=None");
}

TEST(LoginRedirect, RedirectUriFollowsTheHostAndTheScheme) {
  Result<LoginRedirect> login = login_redirect(
      okta_config(), keys_a(),
      {.scheme = "http", .host = "localhost:8080", .target = "/", .now = kNow}, fixed_entropy());
  ASSERT_TRUE(login.ok());
  EXPECT_EQ(param(query_of(login->location), "redirect_uri"),
            "http://localhost:8080/oauth2/idpresponse");
}

TEST(LoginRedirect, AnUnsafeTargetReturnsToRoot) {
  for (const char* target : {"//evil.com/", "https://evil.com/x", "/\\evil.com", "x"}) {
    EXPECT_EQ(open_state(okta_config(), login_or_fail(okta_config(), target)).return_path, "/")
        << target;
  }
  EXPECT_EQ(open_state(okta_config(), login_or_fail(okta_config(), "https://app.example.com/a?b"))
                .return_path,
            "/a?b");
}

TEST(LoginRedirect, ALongTargetKeepsTheStateSmall) {
  const std::string target = "/p?" + std::string(20000, 'q');
  const LoginRedirect login = login_or_fail(okta_config(), target);
  EXPECT_EQ(open_state(okta_config(), login).return_path, "/p");
  EXPECT_LT(login.location.size(), 1000u);
}

// alb-semantics section 3.2: no Host, no redirect URI: 401 AuthMissingHostHeader.
TEST(LoginRedirect, NeedsAHostARedirectUriCanCarry) {
  const auto status = [](std::string_view host) {
    Result<LoginRedirect> login = login_redirect(
        okta_config(), keys_a(), {.host = host, .target = "/", .now = kNow}, fixed_entropy());
    return login.ok() ? Status::Ok : login.error().status;
  };
  EXPECT_EQ(status(""), Status::MissingHost);
  EXPECT_EQ(status("evil.com/x"), Status::InvalidHost);
  EXPECT_EQ(status("a@evil.com"), Status::InvalidHost);
  EXPECT_EQ(status("app.example.com\r\nX: y"), Status::InvalidHost);
  EXPECT_EQ(http_status(Status::InvalidHost), 401);
}

// RFC 7636 appendix B.
TEST(Pkce, ChallengeMatchesTheRfcExample) {
  EXPECT_EQ(pkce_challenge("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"),
            "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM");
}

TEST(LoginState, EncodingRoundTripsAndDecodingIsStrict) {
  const detail::LoginState state{.issued_at = kNow,
                                 .nonce_cookie = "n",
                                 .id_token_nonce = "",
                                 .code_verifier = "v",
                                 .redirect_uri = "https://h/oauth2/idpresponse",
                                 .return_path = "/"};
  const std::string bytes = detail::encode_state(state);
  EXPECT_EQ(detail::decode_state(bytes), state);
  EXPECT_FALSE(detail::decode_state(bytes + "x"));
  for (std::size_t size = 0; size < bytes.size(); ++size) {
    EXPECT_FALSE(detail::decode_state(bytes.substr(0, size))) << size;
  }
  std::string other_version = bytes;
  other_version[0] = 2;
  EXPECT_FALSE(detail::decode_state(other_version));
}

}  // namespace
}  // namespace gatehouse::oidc
