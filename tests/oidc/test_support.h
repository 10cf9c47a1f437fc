// Shared helpers for the oidc tests: one authenticate-oidc configuration, fixed session keys and
// randomness, the IdP's and gatehouse's signing keys, and the login-then-callback round trip in
// one line each.
#pragma once

#include <gtest/gtest.h>

#include <cstdint>
#include <map>
#include <memory>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "config/authenticate_oidc.h"
#include "jose/jwks.h"
#include "jose/sign.h"
#include "oidc/callback.h"
#include "oidc/login.h"
#include "oidc/status.h"
#include "oidc/url.h"
#include "session/cookies.h"
#include "session/keys.h"

namespace gatehouse::oidc {

// So a failed expectation prints Status(StateExpired: "login was not finished ...").
inline void PrintTo(Status status, std::ostream* out) {
  *out << "Status(" << status_name(status) << ": \"" << status_message(status) << "\")";
}

inline constexpr std::int64_t kNow = 1700000000;
inline constexpr std::string_view kHost = "app.example.com";
inline constexpr std::string_view kIssuer = "https://idp.example.com/oauth2/default";
inline constexpr std::string_view kClientId = "0oa1gatehouse";

// Okta-like endpoints, as the reference setup writes them.
inline config::AuthenticateOidcConfig okta_config() {
  config::AuthenticateOidcConfig config;
  config.issuer = kIssuer;
  config.authorization_endpoint = "https://idp.example.com/oauth2/default/v1/authorize";
  config.token_endpoint = "https://idp.example.com/oauth2/default/v1/token";
  config.user_info_endpoint = "https://idp.example.com/oauth2/default/v1/userinfo";
  config.client_id = kClientId;
  config.client_secret_file = "/etc/gatehouse/client-secret";
  config.session_keys_file = "/etc/gatehouse/session.keys";
  return config;
}

// Made with `openssl rand -base64 32`.
inline constexpr std::string_view kKeyA = "mItEZMuNmPkrAZdu/Ojwqlj1L0LZdDP8YC8mGvvu8Wk=";
inline constexpr std::string_view kKeyB = "LJnmeyZE7o+ejMc3JSWQFkDynw/qbIfhvR4AvfAZqZY=";

inline const session::SessionKeys& keys_a() {
  static const session::SessionKeys keys = std::move(*session::SessionKeys::parse(kKeyA));
  return keys;
}
inline const session::SessionKeys& keys_b() {
  static const session::SessionKeys keys = std::move(*session::SessionKeys::parse(kKeyB));
  return keys;
}

// Bytes 0..15, 16..31 and 32..63: fixed, so the values sent are known.
inline LoginEntropy fixed_entropy() {
  LoginEntropy entropy;
  for (std::size_t i = 0; i < entropy.nonce_cookie.size(); ++i) entropy.nonce_cookie[i] = i;
  for (std::size_t i = 0; i < entropy.id_token_nonce.size(); ++i)
    entropy.id_token_nonce[i] = 16 + i;
  for (std::size_t i = 0; i < entropy.code_verifier.size(); ++i) entropy.code_verifier[i] = 32 + i;
  return entropy;
}
// base64url of the bytes above.
inline constexpr std::string_view kNonceCookieValue = "AAECAwQFBgcICQoLDA0ODw";
inline constexpr std::string_view kIdTokenNonce = "EBESExQVFhcYGRobHB0eHw";
inline constexpr std::string_view kCodeVerifier = "ICEiIyQlJicoKSorLC0uLzAxMjM0NTY3ODk6Ozw9Pj8";

inline LoginRedirect login_or_fail(const config::AuthenticateOidcConfig& config,
                                   std::string_view target = "/headers?show_env=1",
                                   std::int64_t now = kNow,
                                   const session::SessionKeys& keys = keys_a()) {
  Result<LoginRedirect> login =
      login_redirect(config, keys, {.host = kHost, .target = target, .now = now}, fixed_entropy());
  EXPECT_TRUE(login.ok()) << status_name(login.error().status);
  return login.ok() ? std::move(*login) : LoginRedirect{};
}

// The query parameters of a URL, decoded, in order.
inline std::vector<FormParam> query_of(std::string_view url) {
  std::vector<FormParam> params;
  const std::size_t question = url.find('?');
  EXPECT_NE(question, std::string_view::npos) << url;
  EXPECT_TRUE(parse_form(url.substr(question + 1), params)) << url;
  return params;
}

inline std::string param(const std::vector<FormParam>& params, std::string_view name) {
  for (const FormParam& p : params)
    if (p.name == name) return p.value;
  return "<absent>";
}

// The callback the IdP sends the browser to after `login`, with `code`.
inline std::string callback_query(const LoginRedirect& login, std::string_view code = "c0de") {
  return "code=" + percent_encode(code) + "&state=" + percent_encode(login.state);
}

// A Cookie header's cookies; the header text must outlive them.
inline std::vector<session::Cookie> cookies_of(const std::string& header) {
  std::vector<session::Cookie> cookies;
  EXPECT_EQ(session::parse_cookie_header(header, cookies), session::Status::Ok);
  return cookies;
}

inline const std::string kNonceCookieHeader = "AWSALBAuthNonce=" + std::string(kNonceCookieValue);

// read_callback with the browser's nonce cookie, on kHost at `now`.
inline Result<CodeExchange> callback(const config::AuthenticateOidcConfig& config,
                                     std::string_view query,
                                     const std::string& cookie_header = kNonceCookieHeader,
                                     std::int64_t now = kNow + 30, std::string_view host = kHost,
                                     const session::SessionKeys& keys = keys_a()) {
  const std::vector<session::Cookie> cookies = cookies_of(cookie_header);
  return read_callback(config, keys,
                       {.host = host, .query = query, .cookies = cookies, .now = now});
}

inline Status status_of(const Result<CodeExchange>& result) {
  return result.ok() ? Status::Ok : result.error().status;
}

// One generated key per (alg, kid), made on first use and shared by the binary's tests.
inline const jose::PrivateKey& cached_key(jose::Alg alg, const std::string& kid) {
  static std::map<std::pair<jose::Alg, std::string>, jose::PrivateKey> keys;
  auto found = keys.find({alg, kid});
  if (found == keys.end()) {
    jose::Result<jose::PrivateKey> key = jose::PrivateKey::generate(alg, kid);
    if (!key.ok()) std::abort();
    found = keys.emplace(std::pair{alg, kid}, std::move(*key)).first;
  }
  return found->second;
}

inline jose::Jwks jwks_of(std::initializer_list<const jose::PrivateKey*> keys) {
  std::string json = R"({"keys":[)";
  for (const jose::PrivateKey* key : keys) {
    if (json.back() != '[') json += ',';
    json += key->public_jwk();
  }
  jose::Result<jose::Jwks> jwks = jose::Jwks::parse(json + "]}");
  if (!jwks.ok()) std::abort();
  return std::move(*jwks);
}

}  // namespace gatehouse::oidc
