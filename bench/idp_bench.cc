// The built-in development OpenID Provider's hot paths: minting tokens (an RS256 signature
// each) through a client_credentials request, and a whole code exchange (code lookup, PKCE,
// access + ID token + refresh token). Logins are left out: PBKDF2 is slow on purpose.
#include <benchmark/benchmark.h>

#include <string>

#include "idp/idp.h"
#include "jose/sign.h"

namespace {

using namespace gatehouse;

constexpr std::int64_t kNow = 1700000000;
constexpr std::string_view kToken = "/oauth2/default/v1/token";
constexpr std::string_view kLogin = "/oauth2/default/v1/login";
constexpr std::string_view kForm = "application/x-www-form-urlencoded";
// "Basic base64(app:secret)".
constexpr std::string_view kBasic = "Basic YXBwOnNlY3JldA==";

idp::Provider make_provider() {
  config::IdentityProvider c;
  c.issuer = "http://127.0.0.1:9000/oauth2/default";
  c.scopes = {"api.read"};
  c.groups = {"httpbin", "everyone"};
  const unsigned char salt[16] = {1};
  c.users.push_back({{},
                     "alice",
                     "alice",
                     "",
                     idp::hash_password("alice", salt, 1),
                     "Alice",
                     "a@example.com",
                     {"httpbin", "everyone"}});
  config::IdpClient app;
  app.client_id = "app";
  app.client_secret = "secret";
  app.redirect_uris = {"https://app.example/cb"};
  app.grant_types = {config::IdpGrantType::AuthorizationCode, config::IdpGrantType::RefreshToken,
                     config::IdpGrantType::ClientCredentials};
  c.clients.push_back(app);
  std::vector<jose::PrivateKey> keys;
  keys.push_back(jose::PrivateKey::generate(jose::Alg::RS256, "bench").value());
  return std::move(idp::Provider::create(c, std::move(keys), {}).value());
}

idp::Entropy entropy_for(std::uint64_t n) {
  idp::Entropy entropy;
  for (std::size_t i = 0; i < entropy.bytes.size(); i += 8) {
    for (std::size_t b = 0; b < 8; ++b)
      entropy.bytes[i + b] = static_cast<unsigned char>(n >> (8 * b));
  }
  return entropy;
}

void BM_ClientCredentialsToken(benchmark::State& state) {
  idp::Provider provider = make_provider();
  const std::string body = "grant_type=client_credentials&scope=api.read";
  const idp::Request request{"POST", kToken, "", body, kForm, kBasic, {}};
  std::uint64_t n = 0;
  for (auto _ : state) {
    idp::Response res = provider.handle(request, kNow, entropy_for(++n));
    if (res.status != 200) state.SkipWithError("token request failed");
    benchmark::DoNotOptimize(res);
  }
}
BENCHMARK(BM_ClientCredentialsToken);

void BM_CodeExchange(benchmark::State& state) {
  idp::Provider provider = make_provider();
  const std::string login =
      "client_id=app&redirect_uri=https%3A%2F%2Fapp.example%2Fcb&response_type=code&scope=openid+"
      "profile+offline_access&username=alice&password=alice";
  std::uint64_t n = 0;
  for (auto _ : state) {
    state.PauseTiming();
    idp::Response signed_in =
        provider.handle({"POST", kLogin, "", login, kForm, "", {}}, kNow, entropy_for(++n));
    std::string location;
    for (const auto& [name, value] : signed_in.headers) {
      if (name == "Location") location = value;
    }
    const std::string body =
        "grant_type=authorization_code&redirect_uri=https%3A%2F%2Fapp.example%2Fcb&code=" +
        location.substr(location.find("code=") + 5);
    state.ResumeTiming();
    idp::Response res =
        provider.handle({"POST", kToken, "", body, kForm, kBasic, {}}, kNow, entropy_for(++n));
    if (res.status != 200) state.SkipWithError("code exchange failed");
    benchmark::DoNotOptimize(res);
  }
}
BENCHMARK(BM_CodeExchange);

}  // namespace
