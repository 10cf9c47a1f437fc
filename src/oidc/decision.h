// What a request matching a rule with authenticate-oidc gets, from what its session cookie held:
// the table of ALB's sections 3.2, 3.6 and 3.7. Pure and trivially cheap.
//
//   auto sealed = session::join_shards(cookies, config.session_cookie_name);
//   auto opened = sealed.ok() ? session::open(*sealed, keys, name, now) : sealed.error();
//   Decision decision = opened.ok() ? decide(mode, *opened, now)
//                                   : decide_without_session(mode, opened.error());
//   Refresh: refresh_token_request (token.h), then Forward, or after_failed_refresh(mode)
#pragma once

#include <cstdint>
#include <string_view>

#include "config/authenticate_oidc.h"
#include "session/session.h"
#include "session/status.h"

namespace gatehouse::oidc {

enum class Next {
  Forward,           // with the session's identity headers (identity.h)
  Refresh,           // refresh the access token first, then forward
  Login,             // 302 to the authorization endpoint (login.h)
  Deny,              // 401, no redirect (onUnauthenticatedRequest: deny, no session at all)
  ForwardAnonymous,  // forward without identity headers (onUnauthenticatedRequest: allow)
};

struct Decision {
  Next next = Next::Login;
  // The access-log reason: "AuthInvalidCookie" when a session cookie came but did not open,
  // else "-".
  std::string_view reason = "-";

  bool operator==(const Decision&) const = default;
};

// For a session that opened (session::open checked its end): Refresh when its access token has
// expired (now >= access_token_expires_at) and it has a refresh token, else Forward, also with
// an expired access token and no refresh token (ALB's behaviour: the session lives to its end).
// A session already past its end (if open() was skipped) is a stale one, as below.
Decision decide(config::OnUnauthenticatedRequest mode, const session::Session& session,
                std::int64_t now);

// For a request whose session did not open, `why` being session's status: CookieMissing means no
// session cookie at all (authenticate: Login, deny: Deny, allow: ForwardAnonymous); any other
// status a stale one (tampered, expired, cut, key rotated away): Login for authenticate and for
// deny (ALB's documented quirk), ForwardAnonymous for allow; reason AuthInvalidCookie.
Decision decide_without_session(config::OnUnauthenticatedRequest mode, session::Status why);

// After a refresh failed (refresh token revoked, IdP error): as a stale session.
Decision after_failed_refresh(config::OnUnauthenticatedRequest mode);

}  // namespace gatehouse::oidc
