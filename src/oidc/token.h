// The back channel to the token endpoint (RFC 6749 sections 4.1.3 and 6): the request to send
// for a code or a refresh token, and the reading of the answer, with ALB's outcomes (the IdP's
// error: 561; an unusable answer: 401). Pure: the caller does the HTTP and passes the status
// and body in.
//
//   TokenRequest request = code_token_request(config, client_secret, exchange);
//   POST config.token_endpoint, request.headers, request.body  (read at most
//   kMaxTokenResponseBytes + 1; unreachable or timed out: Status::TokenEndpointUnreachable)
//   Result<TokenResponse> tokens = parse_token_response(status, body, Grant::AuthorizationCode);
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "config/authenticate_oidc.h"
#include "oidc/callback.h"
#include "oidc/result.h"

namespace gatehouse::oidc {

// Bodies past this are refused: an access, ID and refresh token of a few KB each fit easily.
inline constexpr std::size_t kMaxTokenResponseBytes = 64 * 1024;
// An expires_in above this (ten years) is not a lifetime but a mistake.
inline constexpr std::int64_t kMaxExpiresInSeconds = 10LL * 365 * 24 * 3600;

struct TokenRequest {
  std::string body;  // application/x-www-form-urlencoded
  // Content-Type, Accept and, for client_secret_basic, Authorization: Basic base64(
  // form_encode(client_id) ":" form_encode(secret)) (RFC 6749 section 2.3.1).
  std::vector<std::pair<std::string, std::string>> headers;
};

// grant_type=authorization_code, code, redirect_uri, [code_verifier]; and client_id and
// client_secret in the body for client_secret_post (never both methods at once).
TokenRequest code_token_request(const config::AuthenticateOidcConfig& config,
                                std::string_view client_secret, const CodeExchange& exchange);

// grant_type=refresh_token and refresh_token, with the same client authentication.
TokenRequest refresh_token_request(const config::AuthenticateOidcConfig& config,
                                   std::string_view client_secret, std::string_view refresh_token);

enum class Grant { AuthorizationCode, RefreshToken };

struct TokenResponse {
  std::string access_token;
  std::optional<std::string> id_token;  // always set for Grant::AuthorizationCode
  std::optional<std::string> refresh_token;
  std::optional<std::int64_t> expires_in;  // seconds
};

// Reads the token endpoint's answer:
// - not 2xx, or 2xx carrying only an "error": TokenInvalidGrant for "invalid_grant", else
//   TokenEndpointError; the detail is the IdP's error code (RFC 6749 characters, at most 64) or
//   "HTTP <status>" when the body has none;
// - TokenResponseTooLarge past kMaxTokenResponseBytes; TokenResponseNotJson unless an object;
// - TokenResponseNoAccessToken; TokenResponseNotBearer unless token_type is "Bearer" in any
//   case; TokenResponseNoIdToken for a code grant without id_token;
// - TokenResponseBadMember (the member as detail) when access_token or refresh_token is not
//   VSCHAR text, id_token is not a string, or expires_in is not a whole number of seconds in
//   [0, kMaxExpiresInSeconds] (a number, or a string of digits as some IdPs send).
Result<TokenResponse> parse_token_response(int http_status, std::string_view body, Grant grant);

// The client secret in the text of a clientSecretFile or a clientSecretEnv variable: the text
// without one trailing newline (LF or CRLF). Empty when the rest is empty or holds a control
// character: the caller reports the file or variable as unusable.
std::string client_secret_from_text(std::string_view text);

}  // namespace gatehouse::oidc
