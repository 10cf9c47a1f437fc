// oidc::Status: every way an authenticate-oidc login, callback, token exchange, ID token,
// userinfo answer or forwarded identity can fail. Each code has one fixed message, the HTTP
// status ALB answers with, and the access-log reason: ALB's own `error_reason` string where ALB
// has one (AuthInvalidStateParam, ...), else a gatehouse string in the same style. Several codes
// can share a reason (every ID token check logs AuthInvalidIdToken, as ALB does); the code name
// says which check failed.
#pragma once

#include <string_view>

namespace gatehouse::oidc {

// X(code, http status, access-log reason, message). The single source of the enum, the names,
// the statuses, the reasons and the messages.
#define GATEHOUSE_OIDC_STATUSES(X)                                                                 \
  X(Ok, 200, "-", "OK")                                                                            \
  /* Building the login redirect. */                                                               \
  X(MissingHost, 401, "AuthMissingHostHeader",                                                     \
    "request has no Host header, so no redirect URI can be built")                                 \
  X(InvalidHost, 401, "AuthMissingHostHeader",                                                     \
    "request Host header is not a host[:port] a redirect URI can carry")                           \
  X(StateSealFailed, 500, "AuthUnhandledException", "login state could not be sealed")             \
  /* The callback /oauth2/idpresponse. */                                                          \
  X(IdpError, 401, "AuthIdpError", "identity provider answered the login with an error")           \
  X(CallbackMalformedQuery, 401, "AuthInvalidCallbackQuery",                                       \
    "callback query is malformed, too large, or repeats a parameter")                              \
  X(MissingState, 401, "AuthMissingStateParam", "callback has no state parameter")                 \
  X(InvalidState, 401, "AuthInvalidStateParam",                                                    \
    "callback state does not open (altered, forged, or sealed with a key no longer in use)")       \
  X(StateExpired, 401, "AuthStateExpired", "login was not finished within 15 minutes")             \
  X(StateHostMismatch, 401, "AuthInvalidStateParam",                                               \
    "callback arrived on another host than the login started on")                                  \
  X(MissingNonceCookie, 401, "AuthMissingAWSALBAuthNonce",                                         \
    "callback came without the AWSALBAuthNonce cookie")                                            \
  X(NonceCookieMismatch, 401, "AuthInvalidAWSALBAuthNonce",                                        \
    "AWSALBAuthNonce cookie does not match the callback state")                                    \
  X(MissingCode, 401, "AuthMissingCodeParam", "callback has no code parameter")                    \
  /* The token endpoint. */                                                                        \
  X(TokenEndpointUnreachable, 500, "AuthTokenEpRequestTimeout",                                    \
    "token endpoint could not be reached or did not answer in time")                               \
  X(TokenEndpointError, 561, "AuthTokenEpRequestFailed", "token endpoint answered with an error")  \
  X(TokenInvalidGrant, 561, "AuthInvalidGrantError",                                               \
    "token endpoint refused the code or refresh token (invalid_grant)")                            \
  X(TokenResponseTooLarge, 401, "AuthInvalidTokenResponse",                                        \
    "token response is larger than accepted")                                                      \
  X(TokenResponseNotJson, 401, "AuthInvalidTokenResponse", "token response is not a JSON object")  \
  X(TokenResponseBadMember, 401, "AuthInvalidTokenResponse",                                       \
    "token response member has the wrong type or an unusable value")                               \
  X(TokenResponseNoAccessToken, 401, "AuthInvalidTokenResponse",                                   \
    "token response has no access_token")                                                          \
  X(TokenResponseNotBearer, 401, "AuthInvalidTokenResponse",                                       \
    "token response [token_type] is not Bearer")                                                   \
  X(TokenResponseNoIdToken, 401, "AuthInvalidTokenResponse",                                       \
    "token response has no id_token (does the scope include openid?)")                             \
  /* The ID token. */                                                                              \
  X(IdTokenMalformed, 401, "AuthInvalidIdToken", "ID token is not a well-formed JWT")              \
  X(IdTokenBadSignature, 401, "AuthInvalidIdToken",                                                \
    "ID token signature does not verify with the issuer's keys")                                   \
  X(IdTokenWrongIssuer, 401, "AuthInvalidIdToken", "ID token [iss] is not the configured issuer")  \
  X(IdTokenWrongAudience, 401, "AuthInvalidIdToken",                                               \
    "ID token [aud] does not contain the client id")                                               \
  X(IdTokenWrongAuthorizedParty, 401, "AuthInvalidIdToken", "ID token [azp] is not the client id") \
  X(IdTokenNoExpiry, 401, "AuthInvalidIdToken", "ID token has no [exp]")                           \
  X(IdTokenExpired, 401, "AuthInvalidIdToken", "ID token is expired")                              \
  X(IdTokenNotYetValid, 401, "AuthInvalidIdToken", "ID token is not valid yet [nbf]")              \
  X(IdTokenNoSubject, 401, "AuthInvalidIdToken", "ID token has no [sub]")                          \
  X(IdTokenNoNonce, 401, "AuthInvalidIdToken",                                                     \
    "ID token has no [nonce] although the login sent one")                                         \
  X(IdTokenWrongNonce, 401, "AuthInvalidIdToken",                                                  \
    "ID token [nonce] is not the one the login sent")                                              \
  /* The userinfo endpoint. */                                                                     \
  X(UserinfoEndpointUnreachable, 500, "AuthUserinfoEpRequestTimeout",                              \
    "userinfo endpoint could not be reached or did not answer in time")                            \
  X(UserinfoEndpointError, 561, "AuthUserinfoEpRequestFailed",                                     \
    "userinfo endpoint answered with an error")                                                    \
  X(UserinfoTooLarge, 401, "AuthUserinfoResponseSizeExceeded",                                     \
    "userinfo claims and access token together exceed 11 KB")                                      \
  X(UserinfoNotJson, 401, "AuthInvalidUserinfoResponse", "userinfo response is not a JSON object") \
  X(UserinfoBadSubject, 401, "AuthInvalidUserinfoResponse",                                        \
    "userinfo [sub] is missing, not a string, or not usable as a header value")                    \
  X(UserinfoSubjectMismatch, 401, "AuthInvalidUserinfoResponse",                                   \
    "userinfo [sub] is not the ID token's [sub]")                                                  \
  /* A rule with onUnauthenticatedRequest: deny. */                                                \
  X(Unauthenticated, 401, "AuthUnauthenticatedRequestDenied",                                      \
    "request has no session and this path does not start a login")                                 \
  /* The forwarded identity. */                                                                    \
  X(SessionClaimsInvalid, 500, "AuthUnhandledException",                                           \
    "session claims are not a JSON object with a string [sub]")                                    \
  X(DataTokenSignFailed, 500, "AuthUnhandledException", "x-amzn-oidc-data could not be signed")

enum class Status {
#define GATEHOUSE_OIDC_STATUS_ENUMERATOR(code, http, reason, message) code,
  GATEHOUSE_OIDC_STATUSES(GATEHOUSE_OIDC_STATUS_ENUMERATOR)
#undef GATEHOUSE_OIDC_STATUS_ENUMERATOR
};

// Every code, in declaration order (for exhaustive tests and tools).
inline constexpr Status kAllStatuses[] = {
#define GATEHOUSE_OIDC_STATUS_LIST_ENTRY(code, http, reason, message) Status::code,
    GATEHOUSE_OIDC_STATUSES(GATEHOUSE_OIDC_STATUS_LIST_ENTRY)
#undef GATEHOUSE_OIDC_STATUS_LIST_ENTRY
};

// The fixed sentence for the error page and logs; never empty, all distinct.
std::string_view status_message(Status status);

// The enumerator's name ("StateExpired"): stable, for logs, metrics and tests.
std::string_view status_name(Status status);

// The status code ALB answers with: 401, 500 or 561 (200 for Ok).
int http_status(Status status);

// The access-log `error_reason` ("AuthInvalidStateParam"); "-" for Ok.
std::string_view log_reason(Status status);

}  // namespace gatehouse::oidc
