// Cost of checking a token: gatehouse's verify_signature per algorithm next to a bare OpenSSL
// loop over the same key and message (context, init, verify, free: the least any per-token
// check does), so the ratio is gatehouse's overhead; and the parse cost of an Okta-like access
// token and JWKS; and base64url, which every token part goes through. Keys are generated at
// start-up (RSA 2048, the curves of ES*, Ed25519).
#include <benchmark/benchmark.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rsa.h>

#include <cstdlib>
#include <map>
#include <string>
#include <string_view>

#include "jose/base64url.h"
#include "jose/jwks.h"
#include "jose/jwt.h"
#include "jose/sign.h"
#include "jose/verify.h"

namespace gatehouse::jose {
namespace {

// What Okta's authorization server puts in an access token (ids shortened, same shape).
constexpr std::string_view kOktaClaims =
    R"({"ver":1,"jti":"AT.dGhpcy1pcy1hLXRva2VuLWlkLWZvci1iZW5jaG1hcmtz","iss":)"
    R"("https://dev-12345678.okta.com/oauth2/default","aud":"api://default","iat":1700000000,)"
    R"("exp":1700003600,"cid":"0oa1b2c3d4e5f6g7h8i9","uid":"00u1b2c3d4e5f6g7h8i9",)"
    R"("scp":["openid","profile","email"],"auth_time":1699999990,"sub":"alice@example.com",)"
    R"("groups":["Everyone","httpbin"]})";

struct Fixture {
  PrivateKey key;
  Jwks jwks;
  Jws token;
};

const Fixture& fixture(Alg alg) {
  static std::map<Alg, Fixture> fixtures;
  if (auto found = fixtures.find(alg); found != fixtures.end()) return found->second;
  Result<PrivateKey> key = PrivateKey::generate(alg, "bench-key");
  if (!key.ok()) std::abort();
  Result<Jwks> jwks =
      Jwks::parse(R"({"keys":[)" + key->public_jwk() + "]}", {.allow_oct_keys = true});
  const std::string header =
      R"({"alg":")" + std::string(alg_name(alg)) + R"(","kid":"bench-key","typ":"JWT"})";
  Result<std::string> compact = sign_compact(header, kOktaClaims, *key, alg);
  if (!jwks.ok() || !compact.ok()) std::abort();
  Result<Jws> token = parse_jws(*compact);
  if (!token.ok()) std::abort();
  return fixtures
      .emplace(alg,
               Fixture{std::move(key).value(), std::move(jwks).value(), std::move(token).value()})
      .first->second;
}

void BM_GatehouseVerify(benchmark::State& state, Alg alg) {
  const Fixture& f = fixture(alg);
  for (auto _ : state) {
    const Status status = verify_signature(f.token, f.jwks);
    if (status != Status::Ok) state.SkipWithError("verification failed");
    benchmark::DoNotOptimize(status);
  }
}

// OpenSSL wants ECDSA signatures in DER; converted once, outside the timed loop.
std::string der_signature(const Jws& token, std::size_t field_bytes) {
  const auto* raw = reinterpret_cast<const unsigned char*>(token.signature.data());
  ECDSA_SIG* signature = ECDSA_SIG_new();
  ECDSA_SIG_set0(signature, BN_bin2bn(raw, static_cast<int>(field_bytes), nullptr),
                 BN_bin2bn(raw + field_bytes, static_cast<int>(field_bytes), nullptr));
  unsigned char* der = nullptr;
  const int size = i2d_ECDSA_SIG(signature, &der);
  std::string bytes(reinterpret_cast<char*>(der), static_cast<std::size_t>(size));
  OPENSSL_free(der);
  ECDSA_SIG_free(signature);
  return bytes;
}

void BM_OpensslVerify(benchmark::State& state, Alg alg) {
  const Fixture& f = fixture(alg);
  const AlgSpec& spec = alg_spec(alg);
  EVP_PKEY* key = f.jwks.keys().front().pkey.get();
  const std::string_view input = f.token.signing_input();
  const auto* message = reinterpret_cast<const unsigned char*>(input.data());
  const std::string signature = spec.key_type == KeyType::Ec
                                    ? der_signature(f.token, curve_field_bytes(spec.curve))
                                    : f.token.signature;
  const auto* signature_bytes = reinterpret_cast<const unsigned char*>(signature.data());
  const char* digest_name = spec.digest == Digest::Sha256   ? "SHA2-256"
                            : spec.digest == Digest::Sha384 ? "SHA2-384"
                            : spec.digest == Digest::Sha512 ? "SHA2-512"
                                                            : nullptr;
  EVP_MD* digest = digest_name ? EVP_MD_fetch(nullptr, digest_name, nullptr) : nullptr;
  for (auto _ : state) {
    EVP_MD_CTX* context = EVP_MD_CTX_new();
    EVP_PKEY_CTX* key_context = nullptr;
    int verified = EVP_DigestVerifyInit(context, &key_context, digest, nullptr, key);
    if (spec.pss) {
      EVP_PKEY_CTX_set_rsa_padding(key_context, RSA_PKCS1_PSS_PADDING);
      EVP_PKEY_CTX_set_rsa_pss_saltlen(key_context, RSA_PSS_SALTLEN_DIGEST);
    }
    verified = verified == 1 && EVP_DigestVerify(context, signature_bytes, signature.size(),
                                                 message, input.size()) == 1;
    EVP_MD_CTX_free(context);
    if (!verified) state.SkipWithError("verification failed");
  }
  EVP_MD_free(digest);
}

// HMAC has no EVP_DigestVerify; the bare loop is OpenSSL's one-shot HMAC() and a compare.
void BM_OpensslHmac(benchmark::State& state, Alg alg) {
  const Fixture& f = fixture(alg);
  const std::string& secret = f.jwks.keys().front().secret;
  const std::string_view input = f.token.signing_input();
  const EVP_MD* digest = alg == Alg::HS256   ? EVP_sha256()
                         : alg == Alg::HS384 ? EVP_sha384()
                                             : EVP_sha512();
  for (auto _ : state) {
    unsigned char mac[EVP_MAX_MD_SIZE];
    unsigned int size = 0;
    HMAC(digest, secret.data(), static_cast<int>(secret.size()),
         reinterpret_cast<const unsigned char*>(input.data()), input.size(), mac, &size);
    if (size != f.token.signature.size() || CRYPTO_memcmp(mac, f.token.signature.data(), size) != 0)
      state.SkipWithError("verification failed");
  }
}

void BM_ParseOktaAccessToken(benchmark::State& state) {
  const std::string compact = fixture(Alg::RS256).token.compact;
  for (auto _ : state) {
    Result<Jwt> jwt = parse_jwt(compact);
    benchmark::DoNotOptimize(jwt);
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * compact.size()));
}

void BM_ParseOktaJwks(benchmark::State& state) {
  // Okta publishes two RSA keys (current and next).
  const std::string key = fixture(Alg::RS256).key.public_jwk();
  const std::string json = R"({"keys":[)" + key + "," + key + "]}";
  for (auto _ : state) {
    Result<Jwks> jwks = Jwks::parse(json);
    benchmark::DoNotOptimize(jwks);
  }
}

// Bytes of every value, in an order that is not a run: 32 is a JWT header, 512 an RSA-4096
// signature or an Okta payload, 12000 a session cookie's sealed bytes.
std::string bench_bytes(std::int64_t size) {
  std::string bytes(static_cast<std::size_t>(size), '\0');
  for (std::size_t i = 0; i < bytes.size(); ++i) bytes[i] = static_cast<char>((i * 167 + 13) % 256);
  return bytes;
}

void BM_Base64urlEncode(benchmark::State& state) {
  const std::string bytes = bench_bytes(state.range(0));
  for (auto _ : state) {
    std::string text = base64url_encode(bytes);
    benchmark::DoNotOptimize(text.data());
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * bytes.size()));
}

// The output string is reused, as the token parser reuses its buffers.
void BM_Base64urlDecode(benchmark::State& state) {
  const std::string text = base64url_encode(bench_bytes(state.range(0)));
  std::string bytes;
  for (auto _ : state) {
    if (!base64url_decode(text, bytes)) state.SkipWithError("decode failed");
    benchmark::DoNotOptimize(bytes.data());
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * text.size()));
}

void register_verify_benchmarks() {
  for (Alg alg : kAllAlgs) {
    const std::string name(alg_name(alg));
    benchmark::RegisterBenchmark(("BM_GatehouseVerify/" + name).c_str(), BM_GatehouseVerify, alg);
    if (alg_spec(alg).key_type == KeyType::Oct)
      benchmark::RegisterBenchmark(("BM_OpensslHmac/" + name).c_str(), BM_OpensslHmac, alg);
    else
      benchmark::RegisterBenchmark(("BM_OpensslVerify/" + name).c_str(), BM_OpensslVerify, alg);
  }
}

const bool registered = (register_verify_benchmarks(), true);

BENCHMARK(BM_ParseOktaAccessToken);
BENCHMARK(BM_ParseOktaJwks);
BENCHMARK(BM_Base64urlEncode)->Arg(32)->Arg(512)->Arg(12000);
BENCHMARK(BM_Base64urlDecode)->Arg(32)->Arg(512)->Arg(12000);

}  // namespace
}  // namespace gatehouse::jose
