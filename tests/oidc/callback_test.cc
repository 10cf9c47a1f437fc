// The callback /oauth2/idpresponse: every check ALB makes before the back channel, in its order,
// with its 401 and reason; replayed, forged, altered, late and misdirected callbacks.
#include "oidc/callback.h"

#include <gtest/gtest.h>

#include <string>

#include "oidc/state.h"
#include "session/seal.h"
#include "test_support.h"

namespace gatehouse::oidc {
namespace {

class CallbackTest : public ::testing::Test {
 protected:
  const config::AuthenticateOidcConfig config_ = okta_config();
  const LoginRedirect login_ = login_or_fail(config_);
  const std::string query_ = callback_query(login_);
};

TEST_F(CallbackTest, AGoodCallbackSaysWhatToExchange) {
  Result<CodeExchange> exchange = callback(config_, query_);
  ASSERT_TRUE(exchange.ok()) << status_name(exchange.error().status);
  EXPECT_EQ(exchange->code, "c0de");
  EXPECT_EQ(exchange->code_verifier, kCodeVerifier);
  EXPECT_EQ(exchange->redirect_uri, "https://app.example.com/oauth2/idpresponse");
  EXPECT_EQ(exchange->id_token_nonce, kIdTokenNonce);
  EXPECT_EQ(exchange->return_path, "/headers?show_env=1");
}

TEST_F(CallbackTest, ParametersInAnyOrderWithOthersIgnored) {
  const std::string query = "session_state=abc&state=" + percent_encode(login_.state) +
                            "&iss=" + percent_encode(kIssuer) + "&code=c0de&scope=openid";
  EXPECT_EQ(status_of(callback(config_, query)), Status::Ok);
}

TEST_F(CallbackTest, OtherCookiesAroundTheNonceDoNotMatter) {
  EXPECT_EQ(
      status_of(callback(config_, query_,
                         "theme=dark; " + kNonceCookieHeader + "; AWSELBAuthSessionCookie-0=x")),
      Status::Ok);
}

// A cookie tossed in from a sibling domain must not shadow gatehouse's own.
TEST_F(CallbackTest, AnyMatchingNonceCookieCounts) {
  EXPECT_EQ(status_of(callback(config_, query_, "AWSALBAuthNonce=tossed; " + kNonceCookieHeader)),
            Status::Ok);
}

TEST_F(CallbackTest, TheCodeIsDecoded) {
  Result<CodeExchange> exchange = callback(config_, callback_query(login_, "a+b/c=d e"));
  ASSERT_TRUE(exchange.ok());
  EXPECT_EQ(exchange->code, "a+b/c=d e");
}

// alb-semantics section 9: `?error=access_denied&state=...&iss=...` gets 401.
TEST_F(CallbackTest, AnIdpErrorIs401WithItsCode) {
  Result<CodeExchange> exchange =
      callback(config_, "error=access_denied&error_description=User+not+assigned&state=" +
                            percent_encode(login_.state) + "&iss=" + percent_encode(kIssuer));
  ASSERT_FALSE(exchange.ok());
  EXPECT_EQ(exchange.error().status, Status::IdpError);
  EXPECT_EQ(exchange.error().detail, "access_denied");
  EXPECT_EQ(exchange.error().http_status(), 401);
  // Even without state or cookie: the IdP said no.
  EXPECT_EQ(status_of(callback(config_, "error=login_required", "")), Status::IdpError);
}

TEST_F(CallbackTest, TheIdpsErrorCodeIsCutToSafeCharacters) {
  Result<CodeExchange> exchange =
      callback(config_, "error=" + percent_encode("<script>\"x\\\r\n" + std::string(100, 'a')));
  ASSERT_FALSE(exchange.ok());
  EXPECT_EQ(exchange.error().detail, "<script>x" + std::string(55, 'a'));
}

TEST_F(CallbackTest, WithoutStateIs401MissingState) {
  EXPECT_EQ(status_of(callback(config_, "code=c0de")), Status::MissingState);
  EXPECT_EQ(status_of(callback(config_, "code=c0de&state=")), Status::MissingState);
  EXPECT_EQ(log_reason(Status::MissingState), "AuthMissingStateParam");
}

TEST_F(CallbackTest, AForgedStateIsInvalid) {
  for (const std::string& state :
       std::vector<std::string>{"forged", "AAAA", "not base64!", std::string(5000, 'A')}) {
    Result<CodeExchange> exchange = callback(config_, "code=c&state=" + percent_encode(state));
    ASSERT_FALSE(exchange.ok());
    EXPECT_EQ(exchange.error().status, Status::InvalidState) << state;
    EXPECT_FALSE(exchange.error().detail.empty());
  }
}

// Every single-bit change of the sealed bytes fails authentication.
TEST_F(CallbackTest, EveryAlteredStateIsInvalid) {
  for (std::size_t i = 0; i < login_.state.size(); ++i) {
    std::string state = login_.state;
    state[i] = state[i] == 'A' ? 'B' : 'A';
    EXPECT_EQ(status_of(callback(config_, "code=c&state=" + percent_encode(state))),
              Status::InvalidState)
        << i;
  }
  for (std::size_t size = 0; size < login_.state.size(); size += 7) {
    const Status status = status_of(
        callback(config_, "code=c&state=" + percent_encode(login_.state.substr(0, size))));
    EXPECT_TRUE(status == Status::InvalidState || (size == 0 && status == Status::MissingState));
  }
}

TEST_F(CallbackTest, AStateSealedElsewhereIsInvalid) {
  // Under a key no longer in the file.
  EXPECT_EQ(status_of(callback(config_, query_, kNonceCookieHeader, kNow + 30, kHost, keys_b())),
            Status::InvalidState);
  // For another client of the same IdP.
  config::AuthenticateOidcConfig other = config_;
  other.client_id = "another-client";
  EXPECT_EQ(status_of(callback(other, query_)), Status::InvalidState);
  // A session cookie value presented as state.
  auto session_value = session::seal_bytes("x", keys_a(), config_.session_cookie_name);
  ASSERT_TRUE(session_value.ok());
  EXPECT_EQ(status_of(callback(config_, "code=c&state=" + percent_encode(*session_value))),
            Status::InvalidState);
}

TEST_F(CallbackTest, SealedBytesThatAreNoStateAreInvalid) {
  auto sealed = session::seal_bytes("\x01short", keys_a(), detail::state_context(config_));
  ASSERT_TRUE(sealed.ok());
  Result<CodeExchange> exchange = callback(config_, "code=c&state=" + percent_encode(*sealed));
  ASSERT_FALSE(exchange.ok());
  EXPECT_EQ(exchange.error().status, Status::InvalidState);
  EXPECT_EQ(exchange.error().detail, "not a login state");
}

TEST_F(CallbackTest, WithoutTheNonceCookieIs401) {
  EXPECT_EQ(status_of(callback(config_, query_, "")), Status::MissingNonceCookie);
  EXPECT_EQ(
      status_of(callback(config_, query_, "awsalbauthnonce=" + std::string(kNonceCookieValue))),
      Status::MissingNonceCookie);
}

// The login started in another browser (or the cookie was overwritten by a second login).
TEST_F(CallbackTest, AnotherNonceCookieIs401) {
  EXPECT_EQ(status_of(callback(config_, query_, "AWSALBAuthNonce=okt2e445GMpRJB8d")),
            Status::NonceCookieMismatch);
  EXPECT_EQ(status_of(callback(config_, query_, "AWSALBAuthNonce=")), Status::NonceCookieMismatch);
  EXPECT_EQ(status_of(callback(config_, query_,
                               "AWSALBAuthNonce=" + std::string(kNonceCookieValue) + "x")),
            Status::NonceCookieMismatch);
}

// alb-semantics section 3.9: 15 minutes, fixed.
TEST_F(CallbackTest, ALoginOlderThan15MinutesIs401) {
  EXPECT_EQ(status_of(callback(config_, query_, kNonceCookieHeader, kNow + 900)), Status::Ok);
  EXPECT_EQ(status_of(callback(config_, query_, kNonceCookieHeader, kNow + 901)),
            Status::StateExpired);
  EXPECT_EQ(status_of(callback(config_, query_, kNonceCookieHeader, kNow - 60)), Status::Ok);
  EXPECT_EQ(status_of(callback(config_, query_, kNonceCookieHeader, kNow - 61)),
            Status::StateExpired);
}

// A replay of the callback on another host (the cookie would not even be sent there).
TEST_F(CallbackTest, ACallbackOnAnotherHostIs401) {
  EXPECT_EQ(status_of(callback(config_, query_, kNonceCookieHeader, kNow, "APP.example.com")),
            Status::Ok);
  EXPECT_EQ(status_of(callback(config_, query_, kNonceCookieHeader, kNow, "evil.example.com")),
            Status::StateHostMismatch);
  EXPECT_EQ(status_of(callback(config_, query_, kNonceCookieHeader, kNow, "app.example.com:8443")),
            Status::StateHostMismatch);
  EXPECT_EQ(status_of(callback(config_, query_, kNonceCookieHeader, kNow, "")),
            Status::StateHostMismatch);
}

TEST_F(CallbackTest, WithoutCodeIs401MissingCode) {
  const std::string state = "state=" + percent_encode(login_.state);
  EXPECT_EQ(status_of(callback(config_, state)), Status::MissingCode);
  EXPECT_EQ(status_of(callback(config_, state + "&code=")), Status::MissingCode);
  EXPECT_EQ(log_reason(Status::MissingCode), "AuthMissingCodeParam");
}

TEST_F(CallbackTest, AMalformedQueryIs401) {
  const std::string state = "&state=" + percent_encode(login_.state);
  for (const std::string& query : std::vector<std::string>{
           "code=a%zz" + state, "code=a&code=b" + state, query_ + state, "error=a&error=b",
           "code=c" + state + "&x=" + std::string(kMaxCallbackQueryBytes, 'x')}) {
    EXPECT_EQ(status_of(callback(config_, query)), Status::CallbackMalformedQuery)
        << query.substr(0, 80);
  }
}

TEST_F(CallbackTest, AStateFromALoginWithoutPkceOrNonceSaysSo) {
  config::AuthenticateOidcConfig config = config_;
  config.use_pkce = false;
  config.send_nonce = false;
  const LoginRedirect login = login_or_fail(config);
  // The switches are read at login: a reload in between changes nothing for this login.
  Result<CodeExchange> exchange = callback(config_, callback_query(login));
  ASSERT_TRUE(exchange.ok());
  EXPECT_EQ(exchange->code_verifier, "");
  EXPECT_EQ(exchange->id_token_nonce, "");
}

}  // namespace
}  // namespace gatehouse::oidc
