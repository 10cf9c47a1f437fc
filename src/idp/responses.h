// Every answer the provider gives: OAuth 2.0 errors (RFC 6749 sections 4.1.2.1 and 5.2, RFC
// 6750 section 3, OpenID Connect Core 3.1.2.6) with one fixed status per code, JSON and
// redirects, and the HTML pages (login form, error page, signed-out page) with every value
// escaped. Internal to the idp module; pure.
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <utility>

#include "idp/idp.h"

namespace gatehouse::idp {

enum class OAuthError {
  InvalidRequest,
  InvalidClient,
  InvalidGrant,
  UnauthorizedClient,
  UnsupportedGrantType,
  UnsupportedResponseType,
  InvalidScope,
  AccessDenied,
  LoginRequired,
  InvalidToken,
  InsufficientScope,
  ServerError
};

// The error code as the RFCs spell it ("invalid_grant").
std::string_view error_code(OAuthError error);
// 401 for invalid_client and invalid_token, 403 for insufficient_scope, 500 for server_error,
// else 400.
unsigned error_status(OAuthError error);

// {"error": ..., "error_description": ...} with error_status(). An invalid_client answer
// carries `WWW-Authenticate: Basic` (RFC 6749 section 5.2); invalid_token and
// insufficient_scope carry a Bearer challenge (RFC 6750 section 3).
Response json_error(OAuthError error, std::string_view description);

// 302 to a validated redirect_uri with error, error_description and state (when given).
Response redirect_error(std::string_view redirect_uri, OAuthError error,
                        std::string_view description, std::string_view state);

Response json_response(unsigned status, std::string body);
// A token endpoint answer: JSON with Cache-Control: no-store and Pragma: no-cache.
Response token_response(std::string body);
Response redirect(std::string location);

// An HTML page saying the request cannot go on; never redirects.
Response error_page(unsigned status, std::string_view error, std::string_view description);

// The login form. `carried` are the authorization request's parameters, sent back as hidden
// fields; `message` (may be empty) is shown above the form.
Response login_page(unsigned status, std::string_view action,
                    std::span<const std::pair<std::string_view, std::string_view>> carried,
                    std::string_view username, std::string_view message);

Response signed_out_page();

}  // namespace gatehouse::idp
