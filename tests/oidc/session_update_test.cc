// The session a login or a refresh leaves: its end, the access token's, and what a refresh keeps.
#include "oidc/session_update.h"

#include <gtest/gtest.h>

#include "test_support.h"

namespace gatehouse::oidc {
namespace {

TokenResponse tokens(std::optional<std::int64_t> expires_in, bool refresh = true) {
  TokenResponse out;
  out.access_token = "access-1";
  out.id_token = "id-1";
  if (refresh) out.refresh_token = "refresh-1";
  out.expires_in = expires_in;
  return out;
}

const Userinfo kAlice{"00u1alice", R"({"sub":"00u1alice"})"};

TEST(LoginSession, EndsAfterTheSessionTimeoutWhateverTheIdpSays) {
  config::AuthenticateOidcConfig config = okta_config();
  const session::Session session = login_session(config, tokens(3600), kAlice, kNow);
  EXPECT_EQ(session.expires_at, kNow + 604800);
  EXPECT_EQ(session.access_token, "access-1");
  EXPECT_EQ(session.access_token_expires_at, kNow + 3600);
  EXPECT_EQ(session.refresh_token, "refresh-1");
  EXPECT_EQ(session.id_token, "id-1");
  EXPECT_EQ(session.claims_json, kAlice.claims_json);

  config.session_timeout_seconds = 60;
  EXPECT_EQ(login_session(config, tokens(3600), kAlice, kNow).access_token_expires_at, kNow + 60);
  EXPECT_EQ(login_session(config, tokens(std::nullopt), kAlice, kNow).access_token_expires_at,
            kNow + 60);
  EXPECT_FALSE(login_session(config, tokens(10, false), kAlice, kNow).refresh_token);
}

TEST(RefreshedSession, KeepsTheEndAndTheOldRefreshTokenWhenNoNewOneCame) {
  const session::Session old = login_session(okta_config(), tokens(3600), kAlice, kNow);
  TokenResponse refreshed = tokens(300, false);
  refreshed.access_token = "access-2";
  refreshed.id_token.reset();
  const Userinfo alice2{"00u1alice", R"({"sub":"00u1alice","groups":["new"]})"};
  const session::Session session = refreshed_session(old, refreshed, alice2, kNow + 4000);
  EXPECT_EQ(session.expires_at, old.expires_at);
  EXPECT_EQ(session.access_token, "access-2");
  EXPECT_EQ(session.access_token_expires_at, kNow + 4300);
  EXPECT_EQ(session.refresh_token, "refresh-1");
  EXPECT_EQ(session.id_token, "id-1");
  EXPECT_EQ(session.claims_json, alice2.claims_json);
  TokenResponse rotated = tokens(300);
  rotated.refresh_token = "refresh-2";
  EXPECT_EQ(refreshed_session(old, rotated, alice2, kNow).refresh_token, "refresh-2");
}

}  // namespace
}  // namespace gatehouse::oidc
