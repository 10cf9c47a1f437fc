// The session a completed login or refresh leaves, from the token response and the userinfo
// claims (ALB's section 3.7): it ends sessionTimeout after login whatever the IdP says, and its
// access token is due for refresh after expires_in. Pure; seal the result with session::seal.
#pragma once

#include <cstdint>

#include "config/authenticate_oidc.h"
#include "oidc/token.h"
#include "oidc/userinfo.h"
#include "session/session.h"

namespace gatehouse::oidc {

// expires_at = now + sessionTimeout; access_token_expires_at = now + expires_in, or the session's
// end when the IdP gave no expires_in, never past the end; the refresh token when one came; the
// ID token (for a logout's id_token_hint: if the session then does not seal for size, drop
// id_token and seal again); the claims.
session::Session login_session(const config::AuthenticateOidcConfig& config,
                               const TokenResponse& tokens, const Userinfo& userinfo,
                               std::int64_t now);

// The session after a refresh: the same end; the new access token and its expiry; the new
// refresh token, or the old one when the IdP sent none (RFC 6749 section 6); the new ID token
// if one came, else the old; the new claims.
session::Session refreshed_session(const session::Session& old, const TokenResponse& tokens,
                                   const Userinfo& userinfo, std::int64_t now);

}  // namespace gatehouse::oidc
