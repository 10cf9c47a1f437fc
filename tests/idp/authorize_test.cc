// /v1/authorize and /v1/login: the checks before and after redirect_uri is known good, the
// login form, wrong passwords and the rate limit, and the login session.
#include <gtest/gtest.h>

#include "idp/idp.h"
#include "test_support.h"

namespace gatehouse::idp {
namespace {

using namespace testing;

std::string params_with(std::initializer_list<std::pair<std::string_view, std::string_view>> kv) {
  return form(kv);
}

TEST(Authorize, ShowsTheLoginFormCarryingTheRequest) {
  Harness h;
  Response res = h.get("/v1/authorize", Harness::authorize_params());
  ASSERT_EQ(res.status, 200u);
  EXPECT_EQ(header(res, "Content-Type"), "text/html; charset=utf-8");
  EXPECT_NE(res.body.find("action=\"/oauth2/default/v1/login\""), std::string::npos);
  EXPECT_NE(res.body.find("name=\"code_challenge\" value=\"" + std::string(kChallenge) + "\""),
            std::string::npos);
  EXPECT_NE(res.body.find("not for production"), std::string::npos);
}

TEST(Authorize, EscapesEveryCarriedValue) {
  Harness h;
  Response res = h.get("/v1/authorize", params_with({{"client_id", "app"},
                                                     {"redirect_uri", kRedirect},
                                                     {"response_type", "code"},
                                                     {"scope", "openid"},
                                                     {"state", "\"><script>alert(1)</script>"},
                                                     {"nonce", "n'&"}}));
  ASSERT_EQ(res.status, 200u);
  EXPECT_EQ(res.body.find("<script>"), std::string::npos);
  EXPECT_NE(res.body.find("&quot;&gt;&lt;script&gt;"), std::string::npos);
  EXPECT_NE(res.body.find("n&#39;&amp;"), std::string::npos);
}

TEST(Authorize, UnknownClientIsAnErrorPageNotARedirect) {
  Harness h;
  Response res = h.get("/v1/authorize", Harness::authorize_params("nobody"));
  EXPECT_EQ(res.status, 400u);
  EXPECT_EQ(header(res, "Location"), "");
  EXPECT_NE(res.body.find("invalid_client"), std::string::npos);
}

TEST(Authorize, UnregisteredRedirectUriIsAnErrorPageNeverARedirect) {
  Harness h;
  for (std::string_view uri :
       {"https://evil.example/cb", "https://localhost:8443/oauth2/idpresponse/",
        "https://localhost:8443/oauth2/idpresponse?x=1"}) {
    Response res = h.get("/v1/authorize", Harness::authorize_params("app", uri));
    EXPECT_EQ(res.status, 400u) << uri;
    EXPECT_EQ(header(res, "Location"), "") << uri;
    EXPECT_NE(res.body.find("not registered"), std::string::npos);
  }
  EXPECT_EQ(h.get("/v1/authorize", params_with({{"client_id", "app"}})).status, 400u);
}

TEST(Authorize, DuplicateParameterIsAnErrorPage) {
  Harness h;
  Response res = h.get("/v1/authorize", Harness::authorize_params() + "&client_id=app");
  EXPECT_EQ(res.status, 400u);
  EXPECT_EQ(header(res, "Location"), "");
}

TEST(Authorize, UnsupportedResponseTypeRedirectsWithError) {
  Harness h;
  Response res = h.get("/v1/authorize", params_with({{"client_id", "app"},
                                                     {"redirect_uri", kRedirect},
                                                     {"response_type", "token"},
                                                     {"scope", "openid"},
                                                     {"state", "xyz"}}));
  ASSERT_EQ(res.status, 302u);
  EXPECT_TRUE(header(res, "Location").starts_with(std::string(kRedirect) + "?error="));
  EXPECT_EQ(location_param(res, "error"), "unsupported_response_type");
  EXPECT_EQ(location_param(res, "state"), "xyz");
}

TEST(Authorize, RequestErrorsRedirectWithTheRightCode) {
  Harness h;
  struct Case {
    std::string params;
    std::string error;
  } cases[] = {
      {params_with({{"client_id", "app"}, {"redirect_uri", kRedirect}, {"scope", "openid"}}),
       "invalid_request"},
      {params_with({{"client_id", "app"},
                    {"redirect_uri", kRedirect},
                    {"response_type", "code"},
                    {"scope", "profile"}}),
       "invalid_scope"},
      {params_with({{"client_id", "app"},
                    {"redirect_uri", kRedirect},
                    {"response_type", "code"},
                    {"scope", "openid admin"}}),
       "invalid_scope"},
      {params_with({{"client_id", "app"},
                    {"redirect_uri", kRedirect},
                    {"response_type", "code"},
                    {"scope", "openid"},
                    {"code_challenge", kChallenge},
                    {"code_challenge_method", "S512"}}),
       "invalid_request"},
      {params_with({{"client_id", "app"},
                    {"redirect_uri", kRedirect},
                    {"response_type", "code"},
                    {"scope", "openid"},
                    {"code_challenge", "short"}}),
       "invalid_request"},
      {params_with({{"client_id", "spa"},
                    {"redirect_uri", kSpaRedirect},
                    {"response_type", "code"},
                    {"scope", "openid"}}),
       "invalid_request"},  // a public client without PKCE
      {params_with({{"client_id", "app"},
                    {"redirect_uri", kRedirect},
                    {"response_type", "code"},
                    {"scope", "openid"},
                    {"response_mode", "fragment"}}),
       "invalid_request"},
      {params_with({{"client_id", "app"},
                    {"redirect_uri", kRedirect},
                    {"response_type", "code"},
                    {"scope", "openid"},
                    {"prompt", "none"}}),
       "login_required"},
  };
  for (const Case& c : cases) {
    Response res = h.get("/v1/authorize", c.params);
    EXPECT_EQ(res.status, 302u) << c.params;
    EXPECT_EQ(location_param(res, "error"), c.error) << c.params;
  }
}

TEST(Login, SuccessRedirectsWithCodeStateAndSessionCookie) {
  Harness h;
  Response res = h.login("alice", "alice");
  ASSERT_EQ(res.status, 302u) << res.body;
  EXPECT_TRUE(header(res, "Location").starts_with(std::string(kRedirect) + "?code="));
  EXPECT_EQ(location_param(res, "state"), "st-1");
  EXPECT_EQ(location_param(res, "code").size(), 43u);
  const std::string cookie = header(res, "Set-Cookie");
  EXPECT_TRUE(cookie.starts_with("gatehouse_idp_session=")) << cookie;
  EXPECT_NE(cookie.find("; Path=/oauth2/default;"), std::string::npos);
  EXPECT_NE(cookie.find("HttpOnly"), std::string::npos);
  EXPECT_NE(cookie.find("SameSite=Lax"), std::string::npos);
  EXPECT_EQ(cookie.find("Secure"), std::string::npos);  // the issuer is http
}

TEST(Login, WrongPasswordReShowsTheFormWithAMessage) {
  Harness h;
  Response res = h.login("alice", "wrong");
  EXPECT_EQ(res.status, 401u);
  EXPECT_NE(res.body.find("Invalid username or password."), std::string::npos);
  EXPECT_NE(res.body.find("value=\"alice\""), std::string::npos);
  EXPECT_EQ(header(res, "Set-Cookie"), "");
  Response unknown = h.login("mallory", "x");
  EXPECT_EQ(unknown.status, 401u);
  EXPECT_NE(unknown.body.find("Invalid username or password."), std::string::npos);
  EXPECT_EQ(h.login("", "").status, 400u);
}

TEST(Login, UsernameIsEscapedInTheForm) {
  Harness h;
  Response res = h.login("<b>x</b>", "x");
  EXPECT_EQ(res.body.find("<b>x</b>"), std::string::npos);
  EXPECT_NE(res.body.find("&lt;b&gt;x&lt;/b&gt;"), std::string::npos);
}

TEST(Login, FiveFailuresLockTheUserForThirtySeconds) {
  Harness h;
  for (int i = 0; i < 5; ++i) EXPECT_EQ(h.login("bob", "wrong").status, 401u);
  Response locked = h.login("bob", "bob");
  EXPECT_EQ(locked.status, 429u);
  EXPECT_EQ(header(locked, "Retry-After"), "30");
  EXPECT_NE(locked.body.find("Too many failed sign-ins"), std::string::npos);
  EXPECT_EQ(h.login("alice", "alice").status, 302u);  // other users are not affected
  EXPECT_EQ(h.login("bob", "bob", Harness::authorize_params(), kNow + 30).status, 302u);
}

TEST(Login, RevalidatesTheCarriedRequest) {
  Harness h;
  Response res = h.login("alice", "alice", Harness::authorize_params("app", "https://evil/cb"));
  EXPECT_EQ(res.status, 400u);
  EXPECT_EQ(header(res, "Location"), "");
  TestRequest json;
  json.method = "POST";
  json.path = std::string(kPrefix) + "/v1/login";
  json.content_type = "application/json";
  json.body = "{}";
  EXPECT_EQ(h.send(json).status, 400u);
}

TEST(Session, SecondClientSignsInWithoutPassword) {
  Harness h;
  Response login = h.login("alice", "alice");
  std::string cookie = header(login, "Set-Cookie");
  cookie = cookie.substr(0, cookie.find(';'));
  const std::string spa = form({{"client_id", "spa"},
                                {"redirect_uri", kSpaRedirect},
                                {"response_type", "code"},
                                {"scope", "openid"},
                                {"code_challenge", kChallenge},
                                {"code_challenge_method", "S256"}});
  Response res = h.get("/v1/authorize", spa, cookie);
  ASSERT_EQ(res.status, 302u) << res.body;
  EXPECT_TRUE(header(res, "Location").starts_with(std::string(kSpaRedirect) + "?code="));
  // prompt=login asks for the password again.
  EXPECT_EQ(h.get("/v1/authorize", spa + "&prompt=login", cookie).status, 200u);
  // An unknown session id shows the form.
  EXPECT_EQ(h.get("/v1/authorize", spa, "gatehouse_idp_session=" + std::string(43, 'Z')).status,
            200u);
}

}  // namespace
}  // namespace gatehouse::idp
