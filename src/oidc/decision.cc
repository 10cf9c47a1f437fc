#include "oidc/decision.h"

namespace gatehouse::oidc {
namespace {

using config::OnUnauthenticatedRequest;

constexpr std::string_view kInvalidCookie = "AuthInvalidCookie";

Decision stale_session(OnUnauthenticatedRequest mode) {
  switch (mode) {
    case OnUnauthenticatedRequest::Authenticate:
    case OnUnauthenticatedRequest::Deny:
      return {Next::Login, kInvalidCookie};
    case OnUnauthenticatedRequest::Allow:
      return {Next::ForwardAnonymous, kInvalidCookie};
  }
  return {Next::Login, kInvalidCookie};  // only for a value cast from outside the enum
}

Decision no_session(OnUnauthenticatedRequest mode) {
  switch (mode) {
    case OnUnauthenticatedRequest::Authenticate:
      return {Next::Login};
    case OnUnauthenticatedRequest::Deny:
      return {Next::Deny};
    case OnUnauthenticatedRequest::Allow:
      return {Next::ForwardAnonymous};
  }
  return {Next::Login};  // only for a value cast from outside the enum
}

}  // namespace

Decision decide(OnUnauthenticatedRequest mode, const session::Session& session, std::int64_t now) {
  if (now >= session.expires_at) return stale_session(mode);
  const bool can_refresh = session.refresh_token && !session.refresh_token->empty();
  if (now >= session.access_token_expires_at && can_refresh) return {Next::Refresh};
  return {Next::Forward};
}

Decision decide_without_session(OnUnauthenticatedRequest mode, session::Status why) {
  return why == session::Status::CookieMissing ? no_session(mode) : stale_session(mode);
}

Decision after_failed_refresh(OnUnauthenticatedRequest mode) { return stale_session(mode); }

}  // namespace gatehouse::oidc
