// Cost of request authentication per request, through authn::authenticate: a token the worker's
// cache has seen (the common case: one hash lookup, the claim checks, the header edits), a full
// RS256 verification (the cache holds nothing), and a request without a token. The token is an
// Okta access token signed with RSA 2048.
#include <benchmark/benchmark.h>

#include <cstdlib>
#include <string>

#include "authn/authn.h"
#include "jose/sign.h"

namespace gatehouse::authn {
namespace {

constexpr std::int64_t kNow = 1'700'000'100;

// The reference article's setup: ALB forwards Okta's access token in x-amzn-oidc-accesstoken
// and the RequestAuthentication reads it there, keeping the header (forwardOriginalToken).
constexpr std::string_view kIssuer = "https://dev-12345678.okta.com/oauth2/default";
constexpr std::string_view kHeader = "x-amzn-oidc-accesstoken";

// An access token as Okta issues it for the article's app (about 900 bytes once signed).
std::string access_token_claims() {
  return R"({"ver":1,"jti":"AT.Zm9yLXRoZS1hdXRobi1iZW5jaG1hcmstb25seQ","iss":")" +
         std::string(kIssuer) +
         R"(","aud":"api://default","iat":1700000000,"exp":1700003600,"cid":"0oa9x8w7v6u5",)"
         R"("uid":"00u9x8w7v6u5","scp":["openid","email","profile"],"auth_time":1699999990,)"
         R"("sub":"alice@example.com","groups":["Everyone","httpbin"]})";
}

// Where the token travels: the article's header as is, or Istio's default bearer header (whose
// prefix search scans the token for its end).
enum class Location { ArticleHeader, BearerHeader };

struct Fixture {
  std::shared_ptr<const Requirement> requirement;
  KeyTable keys;
  std::string header_name;
  std::string header_value;
};

Fixture make_fixture(Location location) {
  config::JwtRule rule;
  rule.issuer = kIssuer;
  rule.jwks_uri = std::string(kIssuer) + "/v1/keys";
  rule.audiences = {"api://default"};
  if (location == Location::ArticleHeader) rule.from_headers = {{std::string(kHeader), ""}};
  rule.forward_original_token = true;  // also: every iteration finds the token again
  config::RequestAuthentication policy;
  policy.jwt_rules = {rule};
  jose::Result<jose::PrivateKey> key = jose::PrivateKey::generate(jose::Alg::RS256, "k1");
  if (!key.ok()) std::abort();
  jose::Result<jose::Jwks> jwks = jose::Jwks::parse(R"({"keys":[)" + key->public_jwk() + "]}");
  jose::Result<std::string> token = jose::sign_compact(
      R"({"alg":"RS256","kid":"k1","typ":"JWT"})", access_token_claims(), *key, jose::Alg::RS256);
  if (!jwks.ok() || !token.ok()) std::abort();
  KeyTable keys;
  keys[key_source_id(rule)] =
      KeySet{std::make_shared<const jose::Jwks>(std::move(jwks).value()), 1, {}};
  const bool bearer = location == Location::BearerHeader;
  return Fixture{PolicySet::compile({policy}, "istio-system").for_workload("default", {}),
                 std::move(keys), bearer ? "authorization" : std::string(kHeader),
                 (bearer ? "Bearer " : "") + std::move(token).value()};
}

const Fixture& fixture(Location location) {
  static const Fixture article = make_fixture(Location::ArticleHeader);
  static const Fixture bearer = make_fixture(Location::BearerHeader);
  return location == Location::ArticleHeader ? article : bearer;
}

void authenticate_loop(benchmark::State& state, TokenCache& cache, bool with_token,
                       Location location = Location::ArticleHeader) {
  const Fixture& f = fixture(location);
  http1::Fields headers;
  headers.add_view("host", "api.example.com");
  headers.add_view("user-agent", "curl/7.88.1");
  headers.add_view("accept", "*/*");
  if (with_token) headers.add_view(f.header_name, f.header_value);
  Request request{"GET", "https", "api.example.com", "/headers", "", headers};
  const Outcome::Kind expected = with_token ? Outcome::Kind::Verified : Outcome::Kind::NoToken;
  for (auto _ : state) {
    Outcome outcome = authenticate(*f.requirement, request, f.keys, cache, kNow);
    if (outcome.kind != expected) {
      state.SkipWithError(std::string(jose::status_name(outcome.status)).c_str());
      break;
    }
    benchmark::DoNotOptimize(outcome);
  }
}

void BM_CacheHit(benchmark::State& state, Location location) {
  TokenCache cache;
  authenticate_loop(state, cache, true, location);
  state.counters["hit_ratio"] =
      static_cast<double>(cache.hits()) / static_cast<double>(cache.hits() + cache.misses());
}
BENCHMARK_CAPTURE(BM_CacheHit, article_header, Location::ArticleHeader);
BENCHMARK_CAPTURE(BM_CacheHit, bearer_header, Location::BearerHeader);

void BM_FullRs256Verification(benchmark::State& state) {
  TokenCache no_cache(0);
  authenticate_loop(state, no_cache, true);
}
BENCHMARK(BM_FullRs256Verification);

void BM_NoToken(benchmark::State& state) {
  TokenCache cache;
  authenticate_loop(state, cache, false);
}
BENCHMARK(BM_NoToken);

}  // namespace
}  // namespace gatehouse::authn
