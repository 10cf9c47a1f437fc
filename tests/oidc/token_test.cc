// The token endpoint: request bodies and client authentication (RFC 6749 2.3.1 encoding inside
// Basic, or in the body), and the reading of answers, good, refused and hostile.
#include "oidc/token.h"

#include <gtest/gtest.h>

#include <string>

#include "jose/base64url.h"
#include "test_support.h"

namespace gatehouse::oidc {
namespace {

std::string header(const TokenRequest& request, std::string_view name) {
  for (const auto& [field, value] : request.headers)
    if (field == name) return value;
  return "<absent>";
}

CodeExchange exchange() {
  return CodeExchange{.code = "c0de+/",
                      .code_verifier = std::string(kCodeVerifier),
                      .redirect_uri = "https://app.example.com/oauth2/idpresponse",
                      .id_token_nonce = std::string(kIdTokenNonce),
                      .return_path = "/"};
}

TEST(TokenRequest, CodeGrantWithClientSecretBasic) {
  const TokenRequest request = code_token_request(okta_config(), "s3cret", exchange());
  EXPECT_EQ(request.body,
            "grant_type=authorization_code&code=c0de%2B%2F&redirect_uri=https%3A%2F%2Fapp."
            "example.com%2Foauth2%2Fidpresponse&code_verifier=" +
                std::string(kCodeVerifier));
  EXPECT_EQ(header(request, "Content-Type"), "application/x-www-form-urlencoded");
  EXPECT_EQ(header(request, "Accept"), "application/json");
  EXPECT_EQ(header(request, "Authorization"),
            "Basic " + jose::base64_encode("0oa1gatehouse:s3cret"));
}

// RFC 6749 section 2.3.1: id and secret are form-encoded, then joined by ':' for Basic, so a
// ':' in the id cannot move the split.
TEST(TokenRequest, BasicCredentialsAreFormEncodedFirst) {
  config::AuthenticateOidcConfig config = okta_config();
  config.client_id = "client:id";
  const TokenRequest request = code_token_request(config, "p@ss word:/+%", exchange());
  std::string decoded;
  ASSERT_TRUE(jose::base64_decode(header(request, "Authorization").substr(6), decoded));
  EXPECT_EQ(decoded, "client%3Aid:p%40ss+word%3A%2F%2B%25");
}

TEST(TokenRequest, ClientSecretPostPutsTheCredentialsInTheBodyOnly) {
  config::AuthenticateOidcConfig config = okta_config();
  config.client_authentication = config::ClientAuthentication::ClientSecretPost;
  const TokenRequest request = code_token_request(config, "s3 cret&x", exchange());
  EXPECT_TRUE(request.body.ends_with("&client_id=0oa1gatehouse&client_secret=s3+cret%26x"))
      << request.body;
  EXPECT_EQ(header(request, "Authorization"), "<absent>");
}

TEST(TokenRequest, WithoutPkceNoVerifierIsSent) {
  CodeExchange without = exchange();
  without.code_verifier.clear();
  EXPECT_EQ(code_token_request(okta_config(), "s", without).body.find("code_verifier"),
            std::string::npos);
}

TEST(TokenRequest, RefreshGrant) {
  const TokenRequest request = refresh_token_request(okta_config(), "s3cret", "r/t+1");
  EXPECT_EQ(request.body, "grant_type=refresh_token&refresh_token=r%2Ft%2B1");
  EXPECT_EQ(header(request, "Authorization"),
            "Basic " + jose::base64_encode("0oa1gatehouse:s3cret"));
}

constexpr std::string_view kGoodResponse =
    R"({"token_type":"Bearer","expires_in":3600,"access_token":"eyJ.a.b","scope":"openid",)"
    R"("id_token":"eyJ.i.d","refresh_token":"r-1"})";

TEST(TokenResponse, ReadsEveryMember) {
  Result<TokenResponse> tokens = parse_token_response(200, kGoodResponse, Grant::AuthorizationCode);
  ASSERT_TRUE(tokens.ok()) << status_name(tokens.error().status);
  EXPECT_EQ(tokens->access_token, "eyJ.a.b");
  EXPECT_EQ(tokens->id_token, "eyJ.i.d");
  EXPECT_EQ(tokens->refresh_token, "r-1");
  EXPECT_EQ(tokens->expires_in, 3600);
}

TEST(TokenResponse, OptionalMembersMayBeAbsentOrNull) {
  Result<TokenResponse> tokens = parse_token_response(
      200, R"({"access_token":"a","token_type":"bearer","id_token":"i","refresh_token":null})",
      Grant::AuthorizationCode);
  ASSERT_TRUE(tokens.ok());
  EXPECT_FALSE(tokens->refresh_token);
  EXPECT_FALSE(tokens->expires_in);
}

TEST(TokenResponse, ExpiresInAsSomeIdpsSendIt) {
  const auto expires_in = [](std::string_view json) -> std::optional<std::int64_t> {
    Result<TokenResponse> tokens = parse_token_response(
        200,
        R"({"access_token":"a","token_type":"Bearer","id_token":"i","expires_in":)" +
            std::string(json) + "}",
        Grant::AuthorizationCode);
    if (!tokens.ok()) return -1;
    return tokens->expires_in;
  };
  EXPECT_EQ(expires_in("3599"), 3599);
  EXPECT_EQ(expires_in(R"("3599")"), 3599);
  EXPECT_EQ(expires_in("3600.0"), 3600);
  EXPECT_EQ(expires_in("0"), 0);
  EXPECT_EQ(expires_in("315360000"), 315360000);
  for (const char* bad : {"-1", "1.5", R"("")", R"("36x")", R"("-5")", "315360001",
                          "18446744073709551615", "1e300", "true", "[3600]", R"("99999999999")"}) {
    EXPECT_EQ(expires_in(bad), -1) << bad;
  }
}

TEST(TokenResponse, TheCodeGrantNeedsAnIdToken) {
  const std::string_view no_id = R"({"access_token":"a","token_type":"Bearer"})";
  Result<TokenResponse> code = parse_token_response(200, no_id, Grant::AuthorizationCode);
  ASSERT_FALSE(code.ok());
  EXPECT_EQ(code.error().status, Status::TokenResponseNoIdToken);
  EXPECT_EQ(code.error().http_status(), 401);
  EXPECT_TRUE(parse_token_response(200, no_id, Grant::RefreshToken).ok());
}

Status status(int http, std::string_view body, Grant grant = Grant::AuthorizationCode) {
  Result<TokenResponse> tokens = parse_token_response(http, body, grant);
  return tokens.ok() ? Status::Ok : tokens.error().status;
}

TEST(TokenResponse, OnlyBearerTokens) {
  EXPECT_EQ(status(200, R"({"access_token":"a","id_token":"i"})"), Status::TokenResponseNotBearer);
  EXPECT_EQ(status(200, R"({"access_token":"a","id_token":"i","token_type":"DPoP"})"),
            Status::TokenResponseNotBearer);
  EXPECT_EQ(status(200, R"({"access_token":"a","id_token":"i","token_type":1})"),
            Status::TokenResponseNotBearer);
  EXPECT_EQ(status(200, R"({"access_token":"a","id_token":"i","token_type":"BEARER"})"),
            Status::Ok);
}

// A token that would break a header line or carry controls is refused, not forwarded.
TEST(TokenResponse, MembersOfTheWrongShapeAreRefused) {
  const auto member = [](int http, std::string_view json) {
    Result<TokenResponse> tokens = parse_token_response(http, json, Grant::AuthorizationCode);
    return tokens.ok() ? std::string("ok") : tokens.error().detail;
  };
  const std::string base = R"("token_type":"Bearer","id_token":"i")";
  EXPECT_EQ(member(200, "{" + base + R"(,"access_token":7})"), "access_token");
  EXPECT_EQ(member(200, "{" + base + R"(,"access_token":"a\r\nX-Evil: 1"})"), "access_token");
  EXPECT_EQ(member(200, "{" + base + R"(,"access_token":" a"})"), "access_token");
  EXPECT_EQ(member(200, "{" + base + R"(,"access_token":"caf\u00e9"})"), "access_token");
  EXPECT_EQ(member(200, R"({"token_type":"Bearer","access_token":"a","id_token":{}})"), "id_token");
  EXPECT_EQ(member(200, R"({"token_type":"Bearer","access_token":"a","id_token":""})"), "id_token");
  EXPECT_EQ(member(200, "{" + base + R"(,"access_token":"a","refresh_token":["r"]})"),
            "refresh_token");
  EXPECT_EQ(status(200, "{" + base + R"(,"access_token":""})"), Status::TokenResponseBadMember);
  EXPECT_EQ(status(200, "{" + base + "}"), Status::TokenResponseNoAccessToken);
}

// alb-semantics section 3.4: the IdP's error answers are 561, a refused code AuthInvalidGrant.
TEST(TokenResponse, IdpErrorsAre561WithTheirCode) {
  Result<TokenResponse> grant =
      parse_token_response(400, R"({"error":"invalid_grant","error_description":"code reused"})",
                           Grant::AuthorizationCode);
  ASSERT_FALSE(grant.ok());
  EXPECT_EQ(grant.error().status, Status::TokenInvalidGrant);
  EXPECT_EQ(grant.error().http_status(), 561);
  EXPECT_EQ(grant.error().reason(), "AuthInvalidGrantError");
  Result<TokenResponse> client =
      parse_token_response(401, R"({"error":"invalid_client"})", Grant::AuthorizationCode);
  ASSERT_FALSE(client.ok());
  EXPECT_EQ(client.error().status, Status::TokenEndpointError);
  EXPECT_EQ(client.error().detail, "invalid_client");
  Result<TokenResponse> html =
      parse_token_response(502, "<html>Bad Gateway</html>", Grant::AuthorizationCode);
  ASSERT_FALSE(html.ok());
  EXPECT_EQ(html.error().status, Status::TokenEndpointError);
  EXPECT_EQ(html.error().detail, "HTTP 502");
  EXPECT_EQ(status(302, ""), Status::TokenEndpointError);
  EXPECT_EQ(status(500, std::string(kMaxTokenResponseBytes + 1, '{')), Status::TokenEndpointError);
  // Some IdPs answer 200 with an error object.
  EXPECT_EQ(status(200, R"({"error":"invalid_grant"})"), Status::TokenInvalidGrant);
  EXPECT_EQ(status(200, R"({"error":"invalid_grant"})", Grant::RefreshToken),
            Status::TokenInvalidGrant);
}

TEST(TokenResponse, HostileBodiesAreRefused) {
  EXPECT_EQ(status(200, ""), Status::TokenResponseNotJson);
  EXPECT_EQ(status(200, "not json"), Status::TokenResponseNotJson);
  EXPECT_EQ(status(200, R"(["access_token"])"), Status::TokenResponseNotJson);
  EXPECT_EQ(status(200, R"({"access_token":"a",})"), Status::TokenResponseNotJson);
  EXPECT_EQ(status(200, "{\"access_token\":\"\xff\"}"), Status::TokenResponseNotJson);
  EXPECT_EQ(status(200, std::string(100, '[') + std::string(100, ']')),
            Status::TokenResponseNotJson);
  EXPECT_EQ(status(200, R"({"a":)" + std::string(40, '[') + std::string(40, ']') + "}"),
            Status::TokenResponseNotJson);
  std::string huge = std::string(kGoodResponse);
  huge.insert(1, R"("pad":")" + std::string(kMaxTokenResponseBytes, 'x') + R"(",)");
  EXPECT_EQ(status(200, huge), Status::TokenResponseTooLarge);
  std::string at_limit = std::string(kGoodResponse);
  at_limit.insert(
      1,
      R"("pad":")" + std::string(kMaxTokenResponseBytes - kGoodResponse.size() - 9, 'x') + R"(",)");
  ASSERT_EQ(at_limit.size(), kMaxTokenResponseBytes);
  EXPECT_EQ(status(200, at_limit), Status::Ok);
}

TEST(ClientSecret, OneTrailingNewlineIsNotPartOfIt) {
  EXPECT_EQ(client_secret_from_text("s3cret\n"), "s3cret");
  EXPECT_EQ(client_secret_from_text("s3cret\r\n"), "s3cret");
  EXPECT_EQ(client_secret_from_text("s3 cret"), "s3 cret");
  EXPECT_EQ(client_secret_from_text("s3cret\n\n"), "");
  EXPECT_EQ(client_secret_from_text("\n"), "");
  EXPECT_EQ(client_secret_from_text("a\tb"), "");
  EXPECT_EQ(client_secret_from_text(std::string("a\0b", 3)), "");
}

}  // namespace
}  // namespace gatehouse::oidc
