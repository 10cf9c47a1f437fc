// The per-request decision for a rule with authenticate-oidc: the table of alb-semantics
// sections 3.2, 3.6 and 3.7, every row.
#include "oidc/decision.h"

#include <gtest/gtest.h>

#include "test_support.h"

namespace gatehouse::oidc {
namespace {

using config::OnUnauthenticatedRequest;
using Mode = OnUnauthenticatedRequest;

constexpr Mode kModes[] = {Mode::Authenticate, Mode::Deny, Mode::Allow};

session::Session session_with(bool refresh_token) {
  session::Session session;
  session.expires_at = kNow + 600;
  session.access_token = "a";
  session.access_token_expires_at = kNow + 60;
  if (refresh_token) session.refresh_token = "r";
  session.claims_json = R"({"sub":"s"})";
  return session;
}

TEST(Decision, AValidSessionForwardsInEveryMode) {
  for (Mode mode : kModes) {
    EXPECT_EQ(decide(mode, session_with(true), kNow), (Decision{Next::Forward, "-"}));
    EXPECT_EQ(decide(mode, session_with(false), kNow + 59).next, Next::Forward);
  }
}

TEST(Decision, AnExpiredAccessTokenIsRefreshedWhenItCanBe) {
  EXPECT_EQ(decide(Mode::Authenticate, session_with(true), kNow + 60).next, Next::Refresh);
  EXPECT_EQ(decide(Mode::Allow, session_with(true), kNow + 599).next, Next::Refresh);
  // No refresh token: ALB keeps forwarding until the session ends.
  EXPECT_EQ(decide(Mode::Authenticate, session_with(false), kNow + 599).next, Next::Forward);
  session::Session empty_refresh = session_with(false);
  empty_refresh.refresh_token = "";
  EXPECT_EQ(decide(Mode::Deny, empty_refresh, kNow + 100).next, Next::Forward);
}

TEST(Decision, NoSessionAtAll) {
  const session::Status missing = session::Status::CookieMissing;
  EXPECT_EQ(decide_without_session(Mode::Authenticate, missing), (Decision{Next::Login, "-"}));
  EXPECT_EQ(decide_without_session(Mode::Deny, missing), (Decision{Next::Deny, "-"}));
  EXPECT_EQ(decide_without_session(Mode::Allow, missing), (Decision{Next::ForwardAnonymous, "-"}));
}

// ALB's quirk: deny still redirects when the session is merely stale.
TEST(Decision, AStaleSessionLogsInAgainEvenInDenyMode) {
  for (session::Status why :
       {session::Status::SessionExpired, session::Status::CookieAuthenticationFailed,
        session::Status::CookieUnknownKey, session::Status::CookieShardMissing,
        session::Status::CookieBadBase64, session::Status::CookieHeaderTooLarge}) {
    EXPECT_EQ(decide_without_session(Mode::Authenticate, why),
              (Decision{Next::Login, "AuthInvalidCookie"}));
    EXPECT_EQ(decide_without_session(Mode::Deny, why),
              (Decision{Next::Login, "AuthInvalidCookie"}));
    EXPECT_EQ(decide_without_session(Mode::Allow, why),
              (Decision{Next::ForwardAnonymous, "AuthInvalidCookie"}));
  }
}

TEST(Decision, ASessionPastItsEndIsStale) {
  EXPECT_EQ(decide(Mode::Deny, session_with(true), kNow + 600),
            (Decision{Next::Login, "AuthInvalidCookie"}));
  EXPECT_EQ(decide(Mode::Allow, session_with(true), kNow + 600).next, Next::ForwardAnonymous);
}

TEST(Decision, AFailedRefreshIsAStaleSession) {
  EXPECT_EQ(after_failed_refresh(Mode::Authenticate).next, Next::Login);
  EXPECT_EQ(after_failed_refresh(Mode::Deny).next, Next::Login);
  EXPECT_EQ(after_failed_refresh(Mode::Allow).next, Next::ForwardAnonymous);
}

}  // namespace
}  // namespace gatehouse::oidc
