// The first leg of ALB's authenticate-oidc: the 302 that sends a browser without a session to
// the authorization endpoint, with the sealed state and the AWSALBAuthNonce cookie that bind the
// coming callback to this browser and this login. Pure: time and randomness come in.
//
// On the request path (rule with authenticate-oidc, decide() said Login):
//   LoginEntropy entropy;  RAND_bytes into its three arrays
//   Result<LoginRedirect> login = login_redirect(config, keys,
//       {.scheme = "https", .host = host, .target = path_and_query, .now = now}, entropy);
//   if (!login.ok()) -> reply login.error().http_status(), log login.error().reason()
//   reply 302, Location: login->location, Set-Cookie: login->nonce_set_cookie
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

#include "config/authenticate_oidc.h"
#include "oidc/result.h"
#include "session/keys.h"

namespace gatehouse::oidc {

// The callback path ALB reserves; the redirect URI is https://HOST/oauth2/idpresponse.
inline constexpr std::string_view kCallbackPath = "/oauth2/idpresponse";
// ALB's fixed time from the redirect to the callback; also the nonce cookie's lifetime.
inline constexpr std::int64_t kLoginWindowSeconds = 15 * 60;
// How far in the future a state may be dated (another replica's clock running ahead).
inline constexpr std::int64_t kStateClockSkewSeconds = 60;

// The random bytes of one login, drawn by the caller: RAND_bytes on the request path, fixed
// bytes in tests. Each is sent as base64url.
struct LoginEntropy {
  std::array<std::uint8_t, 16> nonce_cookie{};    // AWSALBAuthNonce, 22 characters
  std::array<std::uint8_t, 16> id_token_nonce{};  // OIDC nonce, 22 characters
  std::array<std::uint8_t, 32> code_verifier{};   // PKCE verifier, 43 characters (RFC 7636 4.1)
};

struct LoginRequest {
  // Of the redirect URI: "https", or "http" on a listener whose action allows insecure HTTP.
  std::string_view scheme = "https";
  std::string_view host;    // the request's Host, port included when it has one
  std::string_view target;  // the request's path and query, as received: where to come back to
  std::int64_t now = 0;     // Unix seconds
};

struct LoginRedirect {
  // The authorization endpoint with client_id, redirect_uri, response_type=code, scope, state,
  // [nonce], [code_challenge, code_challenge_method=S256], then the extra params, in that order.
  std::string location;
  // AWSALBAuthNonce=<value>; Expires=<now+15 min>; Max-Age=900; Path=/; Secure; HttpOnly;
  // SameSite=None
  std::string nonce_set_cookie;
  std::string state;  // the sealed state as sent, before percent-encoding
};

// The login redirect for `request`. The state is sealed with keys.sealing_key() and carries
// the nonce cookie value, the ID token nonce and PKCE verifier (when config sends them), the
// redirect URI and safe_return_path(target, host). Fails with MissingHost (empty host),
// InvalidHost (not is_redirect_host), or StateSealFailed.
Result<LoginRedirect> login_redirect(const config::AuthenticateOidcConfig& config,
                                     const session::SessionKeys& keys, const LoginRequest& request,
                                     const LoginEntropy& entropy);

// RFC 7636 section 4.2, S256: BASE64URL(SHA-256(ASCII(verifier))).
std::string pkce_challenge(std::string_view verifier);

// The Set-Cookie value that deletes AWSALBAuthNonce, for the callback's answer.
std::string expired_nonce_set_cookie();

}  // namespace gatehouse::oidc
