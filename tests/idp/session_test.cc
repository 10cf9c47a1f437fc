// /v1/userinfo and /v1/logout.
#include <gtest/gtest.h>

#include "idp/idp.h"
#include "test_support.h"

namespace gatehouse::idp {
namespace {

using namespace testing;

struct SignedIn {
  std::string cookie;
  std::string access_token;
  std::string id_token;
};

SignedIn sign_in(Harness& h) {
  Response login = h.login("alice", "alice");
  std::string cookie = header(login, "Set-Cookie");
  Response tokens = h.exchange(location_param(login, "code"));
  return {cookie.substr(0, cookie.find(';')), json_string(tokens, "access_token"),
          json_string(tokens, "id_token")};
}

Response userinfo(Harness& h, std::string authorization, std::int64_t now = kNow) {
  TestRequest req;
  req.path = std::string(kPrefix) + "/v1/userinfo";
  req.authorization = std::move(authorization);
  return h.send(req, now);
}

TEST(Userinfo, AnswersTheUsersClaims) {
  Harness h;
  Response res = userinfo(h, "Bearer " + sign_in(h).access_token);
  ASSERT_EQ(res.status, 200u) << res.body;
  auto claims = json_body(res);
  EXPECT_EQ(claims["sub"], "00ualice");
  EXPECT_EQ(claims["email"], "alice@example.com");
  EXPECT_EQ(claims["preferred_username"], "alice");
  EXPECT_EQ(claims["groups"], (boost::json::array{"httpbin", "everyone"}));
}

TEST(Userinfo, MissingTokenIs401WithBearerChallenge) {
  Harness h;
  Response res = userinfo(h, "");
  EXPECT_EQ(res.status, 401u);
  EXPECT_EQ(header(res, "WWW-Authenticate"), "Bearer realm=\"gatehouse-idp\"");
}

TEST(Userinfo, BadExpiredOrForeignTokenIsInvalidToken) {
  Harness h;
  const SignedIn s = sign_in(h);
  std::string tampered = s.access_token;
  tampered[tampered.size() - 3] ^= 1;
  for (const std::string& token : {std::string("garbage"), tampered, s.id_token}) {
    Response res = userinfo(h, "Bearer " + token);
    EXPECT_EQ(res.status, 401u) << token;
    EXPECT_EQ(header(res, "WWW-Authenticate"), "Bearer error=\"invalid_token\"");
  }
  EXPECT_EQ(userinfo(h, "Bearer " + s.access_token, kNow + 3601).status, 401u);
  Response client_token =
      h.post("/v1/token", form({{"grant_type", "client_credentials"}}), basic("app", "app-secret"));
  EXPECT_EQ(userinfo(h, "Bearer " + json_string(client_token, "access_token")).status, 401u);
}

TEST(Logout, EndsTheSessionAndRedirectsToARegisteredUri) {
  Harness h;
  const SignedIn s = sign_in(h);
  Response res = h.get("/v1/logout",
                       form({{"id_token_hint", s.id_token},
                             {"post_logout_redirect_uri", "https://localhost:8443/"},
                             {"state", "bye"}}),
                       s.cookie);
  ASSERT_EQ(res.status, 302u) << res.body;
  EXPECT_EQ(header(res, "Location"), "https://localhost:8443/?state=bye");
  EXPECT_NE(header(res, "Set-Cookie").find("Max-Age=0"), std::string::npos);
  // The session is gone: authorize shows the form again.
  EXPECT_EQ(h.get("/v1/authorize", Harness::authorize_params(), s.cookie).status, 200u);
}

TEST(Logout, WithoutRedirectShowsSignedOutPage) {
  Harness h;
  Response res = h.get("/v1/logout");
  EXPECT_EQ(res.status, 200u);
  EXPECT_NE(res.body.find("signed out"), std::string::npos);
}

TEST(Logout, UnregisteredOrUnattributableRedirectIsAnErrorPage) {
  Harness h;
  const SignedIn s = sign_in(h);
  Response unregistered =
      h.get("/v1/logout",
            form({{"id_token_hint", s.id_token}, {"post_logout_redirect_uri", "https://evil/"}}));
  EXPECT_EQ(unregistered.status, 400u);
  EXPECT_EQ(header(unregistered, "Location"), "");
  Response anonymous =
      h.get("/v1/logout", form({{"post_logout_redirect_uri", "https://localhost:8443/"}}));
  EXPECT_EQ(anonymous.status, 400u);
  Response with_client =
      h.get("/v1/logout",
            form({{"client_id", "app"}, {"post_logout_redirect_uri", "https://localhost:8443/"}}));
  EXPECT_EQ(with_client.status, 302u);
  Response bad_hint = h.get("/v1/logout", form({{"id_token_hint", "a.b.c"}}));
  EXPECT_EQ(bad_hint.status, 400u);
  Response mismatch =
      h.get("/v1/logout", form({{"id_token_hint", s.id_token}, {"client_id", "spa"}}));
  EXPECT_EQ(mismatch.status, 400u);
}

}  // namespace
}  // namespace gatehouse::idp
