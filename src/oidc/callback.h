// The second leg: the browser comes back to /oauth2/idpresponse with `code` and `state` (or the
// IdP's `error`). read_callback checks everything ALB checks before the back-channel calls and
// says what to exchange, or why the answer is 401. Pure: cookies, time and keys come in.
//
// On the request path (any listener with an authenticate-oidc action, before the rules run):
//   Result<CodeExchange> exchange = read_callback(config, keys, {host, query, cookies, now});
//   if (!exchange.ok()) -> reply exchange.error().http_status() with its message, log reason()
//   else POST token_request(config, secret, *exchange) to the token endpoint (token.h), ...
//   The answer to the callback, success or not, also carries expired_nonce_set_cookie().
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "config/authenticate_oidc.h"
#include "oidc/result.h"
#include "session/cookies.h"
#include "session/keys.h"

namespace gatehouse::oidc {

// A callback query above this is refused whole (codes are at most a few KB, the state < 4 KB).
inline constexpr std::size_t kMaxCallbackQueryBytes = 16 * 1024;

struct CallbackRequest {
  std::string_view host;                     // the request's Host
  std::string_view query;                    // after '?', without it
  std::span<const session::Cookie> cookies;  // every cookie of the request
  std::int64_t now = 0;                      // Unix seconds
};

// What the token request needs, from the callback and the state the login sealed.
struct CodeExchange {
  std::string code;
  std::string code_verifier;   // empty when the login used no PKCE
  std::string redirect_uri;    // the one the authorization request carried
  std::string id_token_nonce;  // empty when the login sent no nonce
  std::string return_path;     // where the browser goes once the session is set (same host)
};

// Checks, in this order: the query (CallbackMalformedQuery: over kMaxCallbackQueryBytes, a bad
// %-escape, or code/state/error given twice); `error` (IdpError, the code as detail); `state`
// (MissingState; InvalidState when it does not open under `keys` for this action or is not a
// state, the session status as detail); the AWSALBAuthNonce cookie (MissingNonceCookie;
// NonceCookieMismatch unless one of them equals the state's); the age (StateExpired beyond
// kLoginWindowSeconds, or dated more than kStateClockSkewSeconds ahead); the host
// (StateHostMismatch unless the redirect URI's host is `host`, case-insensitively); `code`
// (MissingCode when absent or empty).
Result<CodeExchange> read_callback(const config::AuthenticateOidcConfig& config,
                                   const session::SessionKeys& keys,
                                   const CallbackRequest& request);

}  // namespace gatehouse::oidc
