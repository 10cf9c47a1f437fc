// Cost of authenticate-oidc's pure steps. Per forwarded request: minting x-amzn-oidc-data (an
// ES256 signature over the session's claims) and the identity around it, and stripping forged
// x-amzn-oidc-* headers. Per login: the redirect (seal the state), the callback (open it), the
// ID token's validation (RS256, as Okta signs, and ES256) and the userinfo parse.
#include <benchmark/benchmark.h>

#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>
#include <cstdlib>
#include <memory>
#include <string>
#include <vector>

#include "jose/sign.h"
#include "oidc/callback.h"
#include "oidc/data_token.h"
#include "oidc/id_token.h"
#include "oidc/identity.h"
#include "oidc/login.h"
#include "oidc/url.h"
#include "oidc/userinfo.h"

namespace gatehouse::oidc {
namespace {

constexpr std::int64_t kNow = 1700000000;
constexpr std::string_view kIssuer = "https://dev-123456.okta.com/oauth2/default";
constexpr std::string_view kClientId = "0oa1b2c3d4e5f6g7h8i9";
// Okta userinfo for a user in two groups, as x-amzn-oidc-data carries it.
constexpr std::string_view kClaims =
    R"({"sub":"00u1b2c3d4e5f6g7h8i9","name":"Alice Example","locale":"en-US",)"
    R"("email":"alice@example.com","preferred_username":"alice@example.com",)"
    R"("given_name":"Alice","family_name":"Example","zoneinfo":"America/Los_Angeles",)"
    R"("updated_at":1699990000,"email_verified":true,"groups":["Everyone","httpbin"]})";

template <typename Result>
auto value_or_die(Result result) {
  if (!result.ok()) std::abort();
  return std::move(result).value();
}

const DataTokenSigner& signer() {
  static const DataTokenSigner signer = [] {
    auto key = std::make_shared<const jose::PrivateKey>(value_or_die(
        jose::PrivateKey::generate(jose::Alg::ES256, "abb8289f-e3a4-4a34-9472-c2105e2b2482")));
    return value_or_die(DataTokenSigner::create(
        key, "arn:aws:elasticloadbalancing:eu-west-1:000000000000:loadbalancer/app/gatehouse/1",
        kIssuer, kClientId));
  }();
  return signer;
}

session::Session typical_session() {
  session::Session session;
  session.expires_at = kNow + 604800;
  session.access_token =
      "eyJraWQiOiJrMSIsImFsZyI6IlJTMjU2In0." + std::string(600, 'p') + "." + std::string(342, 's');
  session.access_token_expires_at = kNow + 3600;
  session.claims_json = std::string(kClaims);
  return session;
}

void BM_DataTokenSign(benchmark::State& state) {
  for (auto _ : state) {
    Result<std::string> token = signer().sign(kClaims, kNow + 120);
    if (!token.ok()) state.SkipWithError("sign failed");
    benchmark::DoNotOptimize(token);
  }
}

// What a forwarded request costs: read the sub from the claims, mint the data token.
void BM_ForwardedIdentity(benchmark::State& state) {
  const session::Session session = typical_session();
  for (auto _ : state) {
    Result<ForwardedIdentity> identity = forwarded_identity(session, signer(), kNow);
    if (!identity.ok()) state.SkipWithError("identity failed");
    benchmark::DoNotOptimize(identity);
  }
}

// The same with the per-worker cache: every request of a session within a minute after the
// first.
void BM_ForwardedIdentityCached(benchmark::State& state) {
  const session::Session session = typical_session();
  DataTokenCache cache;
  for (auto _ : state) {
    Result<ForwardedIdentity> identity = forwarded_identity(session, signer(), kNow, &cache);
    if (!identity.ok()) state.SkipWithError("identity failed");
    benchmark::DoNotOptimize(identity);
  }
}

void BM_StripAndAddHeaders(benchmark::State& state) {
  const session::Session session = typical_session();
  const ForwardedIdentity identity = forwarded_identity(session, signer(), kNow).value();
  http1::Fields fields;
  for (auto _ : state) {
    fields.clear();
    for (const char* name : {"host", "user-agent", "accept", "cookie", "x-forwarded-for",
                             "X-Amzn-Oidc-Identity", "accept-encoding", "x-request-id"}) {
      fields.add_view(name, "value");
    }
    strip_oidc_headers(fields);
    add_oidc_headers(fields, session.access_token, identity);
    benchmark::DoNotOptimize(fields.size());
  }
}

std::string id_token(const jose::PrivateKey& key, jose::Alg alg) {
  const boost::json::object claims{{"ver", 1},
                                   {"jti", "ID.abcdefghijklmnopqrstuvwxyz0123456789"},
                                   {"iss", kIssuer},
                                   {"aud", kClientId},
                                   {"sub", "00u1b2c3d4e5f6g7h8i9"},
                                   {"iat", kNow - 5},
                                   {"exp", kNow + 3600},
                                   {"auth_time", kNow - 10},
                                   {"amr", boost::json::array{"pwd"}},
                                   {"idp", "00o1b2c3d4e5f6g7h8i9"},
                                   {"nonce", "EBESExQVFhcYGRobHB0eHw"},
                                   {"at_hash", "MTIzNDU2Nzg5MDEyMzQ1Ng"}};
  const std::string header =
      R"({"kid":")" + key.kid() + R"(","alg":")" + std::string(jose::alg_name(alg)) + R"("})";
  return value_or_die(jose::sign_compact(header, boost::json::serialize(claims), key, alg));
}

void validate(benchmark::State& state, jose::Alg alg) {
  const jose::PrivateKey key = value_or_die(jose::PrivateKey::generate(alg, "idp-key"));
  const jose::Jwks jwks = value_or_die(jose::Jwks::parse(R"({"keys":[)" + key.public_jwk() + "]}"));
  const std::string token = id_token(key, alg);
  const IdTokenCheck check{
      .issuer = kIssuer, .client_id = kClientId, .nonce = "EBESExQVFhcYGRobHB0eHw", .now = kNow};
  for (auto _ : state) {
    Result<IdToken> id = validate_id_token(token, jwks, check);
    if (!id.ok()) state.SkipWithError("validation failed");
    benchmark::DoNotOptimize(id);
  }
}
void BM_ValidateIdTokenRS256(benchmark::State& state) { validate(state, jose::Alg::RS256); }
void BM_ValidateIdTokenES256(benchmark::State& state) { validate(state, jose::Alg::ES256); }

void BM_ParseUserinfo(benchmark::State& state) {
  for (auto _ : state) {
    Result<Userinfo> userinfo = parse_userinfo(200, kClaims, "00u1b2c3d4e5f6g7h8i9", 1000);
    if (!userinfo.ok()) state.SkipWithError("parse failed");
    benchmark::DoNotOptimize(userinfo);
  }
}

const session::SessionKeys& keys() {
  static const session::SessionKeys keys =
      value_or_die(session::SessionKeys::parse("LJnmeyZE7o+ejMc3JSWQFkDynw/qbIfhvR4AvfAZqZY="));
  return keys;
}

config::AuthenticateOidcConfig okta_config() {
  config::AuthenticateOidcConfig config;
  config.issuer = kIssuer;
  config.authorization_endpoint = std::string(kIssuer) + "/v1/authorize";
  config.client_id = kClientId;
  config.scope = "openid profile email groups";
  return config;
}

void BM_LoginRedirect(benchmark::State& state) {
  const config::AuthenticateOidcConfig config = okta_config();
  const LoginEntropy entropy;
  for (auto _ : state) {
    Result<LoginRedirect> login = login_redirect(
        config, keys(), {.host = "app.example.com", .target = "/headers?show_env=1", .now = kNow},
        entropy);
    if (!login.ok()) state.SkipWithError("login failed");
    benchmark::DoNotOptimize(login);
  }
}

void BM_ReadCallback(benchmark::State& state) {
  const config::AuthenticateOidcConfig config = okta_config();
  const LoginRedirect login =
      login_redirect(config, keys(), {.host = "app.example.com", .target = "/", .now = kNow}, {})
          .value();
  const std::string query =
      "code=" + std::string(43, 'c') + "&state=" + percent_encode(login.state);
  const std::string cookie = "AWSALBAuthNonce=" + login.nonce_set_cookie.substr(16, 22);
  std::vector<session::Cookie> cookies;
  if (session::parse_cookie_header(cookie, cookies) != session::Status::Ok) std::abort();
  for (auto _ : state) {
    Result<CodeExchange> exchange =
        read_callback(config, keys(),
                      {.host = "app.example.com", .query = query, .cookies = cookies, .now = kNow});
    if (!exchange.ok()) state.SkipWithError("callback failed");
    benchmark::DoNotOptimize(exchange);
  }
}

BENCHMARK(BM_DataTokenSign);
BENCHMARK(BM_ForwardedIdentity);
BENCHMARK(BM_ForwardedIdentityCached);
BENCHMARK(BM_StripAndAddHeaders);
BENCHMARK(BM_ValidateIdTokenRS256);
BENCHMARK(BM_ValidateIdTokenES256);
BENCHMARK(BM_ParseUserinfo);
BENCHMARK(BM_LoginRedirect);
BENCHMARK(BM_ReadCallback);

}  // namespace
}  // namespace gatehouse::oidc
