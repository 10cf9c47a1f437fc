// verify_signature: how keys are chosen and every way a signature must fail.
#include <gtest/gtest.h>
#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>

#include <string>

#include "key_cache.h"

namespace gatehouse::jose {
namespace {

// `jwk` with its "alg" member removed, so the key fits every algorithm of its type.
std::string without_alg(std::string jwk) {
  const auto at = jwk.find(R"(,"alg":")");
  return at == std::string::npos ? jwk : jwk.erase(at, jwk.find('"', at + 8) + 1 - at);
}

std::string public_jwk_without_alg(const PrivateKey& key) { return without_alg(key.public_jwk()); }

TEST(Verify, EveryAlgorithmVerifiesWithItsKey) {
  for (Alg alg : kAllAlgs) {
    SCOPED_TRACE(alg_name(alg));
    EXPECT_EQ(verify_token(token_for(alg), public_jwks({&cached_key(alg)})), Status::Ok);
  }
}

TEST(Verify, WrongKeyOfTheRightType) {
  const PrivateKey other = generate_or_die(Alg::ES256);
  EXPECT_EQ(verify_token(token_for(Alg::ES256), public_jwks({&other})),
            Status::JwtVerificationFail);
}

TEST(Verify, TamperedPayload) {
  const PrivateKey& key = cached_key(Alg::RS256);
  const std::string token = token_for(Alg::RS256);
  const std::string forged_payload = base64url_encode(R"({"sub":"admin"})");
  const auto dot1 = token.find('.'), dot2 = token.rfind('.');
  EXPECT_EQ(verify_token(token.substr(0, dot1 + 1) + forged_payload + token.substr(dot2),
                         public_jwks({&key})),
            Status::JwtVerificationFail);
}

TEST(Verify, AlgNoneNeverVerifies) {
  const Jwks jwks = public_jwks({&cached_key(Alg::HS256), &cached_key(Alg::RS256)});
  EXPECT_EQ(verify_token(raw_token(R"({"alg":"none"})", kTestClaims, ""), jwks),
            Status::JwtBadFormat);
  EXPECT_EQ(verify_token(raw_token(R"({"alg":"none"})", kTestClaims, "x"), jwks),
            Status::JwtHeaderNotImplementedAlg);
}

// The classic alg confusion: an HS256 token whose secret is the server's RSA public key.
TEST(Verify, HmacSignedWithTheRsaPublicKeyPem) {
  const PrivateKey& rsa = cached_key(Alg::RS256);
  const std::string rsa_jwk = public_jwk_without_alg(rsa);
  const Jwks jwks = parse_jwks_or_fail(jwks_json({rsa_jwk}));
  BIO* bio = BIO_new(BIO_s_mem());
  ASSERT_EQ(PEM_write_bio_PUBKEY(bio, jwks.keys()[0].pkey.get()), 1);
  char* pem_data = nullptr;
  const std::string pem(pem_data, BIO_get_mem_data(bio, &pem_data));
  BIO_free(bio);
  ASSERT_TRUE(pem.starts_with("-----BEGIN PUBLIC KEY-----"));

  Result<PrivateKey> forger =
      PrivateKey::from_jwk(R"({"kty":"oct","k":")" + base64url_encode(pem) + R"("})");
  ASSERT_TRUE(forger.ok());
  const std::string token = signed_token(header_for(Alg::HS256), kTestClaims, *forger, Alg::HS256);
  EXPECT_EQ(verify_token(token, jwks), Status::JwksKidAlgMismatch);
}

TEST(Verify, UnknownKid) {
  const PrivateKey& key = cached_key(Alg::ES256);
  const std::string token =
      signed_token(header_for(Alg::ES256, "nope"), kTestClaims, key, Alg::ES256);
  EXPECT_EQ(verify_token(token, public_jwks({&key})), Status::JwksKidAlgMismatch);
}

TEST(Verify, KeyWithoutKidIsTriedForATokenWithOne) {
  const PrivateKey& key = cached_key(Alg::ES256);
  const std::string kidless = public_jwk_without_alg(key);
  const std::string jwk = kidless.substr(0, kidless.find(R"(,"kid")")) + R"(,"use":"sig"})";
  EXPECT_EQ(verify_token(token_for(Alg::ES256), parse_jwks_or_fail(jwks_json({jwk}))), Status::Ok);
}

TEST(Verify, KidOfAKeyOfAnotherType) {
  const PrivateKey& ec = cached_key(Alg::ES256);
  const std::string token = signed_token(header_for(Alg::ES256, cached_key(Alg::RS256).kid()),
                                         kTestClaims, ec, Alg::ES256);
  EXPECT_EQ(verify_token(token, public_jwks({&cached_key(Alg::RS256)})),
            Status::JwksKidAlgMismatch);
}

TEST(Verify, EcKeyOnAnotherCurve) {
  const PrivateKey& p256 = cached_key(Alg::ES256);
  const Jwks jwks = parse_jwks_or_fail(jwks_json({public_jwk_without_alg(p256)}));
  EXPECT_EQ(verify_token(token_for(Alg::ES384), jwks), Status::JwksKidAlgMismatch);
}

TEST(Verify, KeyAlgMismatch) {
  // One RSA key: published for RS256 only, it never checks an RS384 token; without "alg" it does.
  const PrivateKey& rsa = cached_key(Alg::RS256);
  Result<PrivateKey> unbound = PrivateKey::from_jwk(without_alg(rsa.private_jwk()));
  ASSERT_TRUE(unbound.ok());
  const std::string rs384 =
      signed_token(header_for(Alg::RS384, rsa.kid()), kTestClaims, *unbound, Alg::RS384);
  EXPECT_EQ(verify_token(rs384, public_jwks({&rsa})), Status::JwksKidAlgMismatch);
  EXPECT_EQ(verify_token(rs384, parse_jwks_or_fail(jwks_json({public_jwk_without_alg(rsa)}))),
            Status::Ok);
}

TEST(Verify, EncryptionKeyIsNotUsed) {
  const PrivateKey& key = cached_key(Alg::RS256);
  std::string enc_jwk = key.public_jwk();
  enc_jwk.replace(enc_jwk.find(R"("use":"sig")"), 11, R"("use":"enc")");
  const Jwks jwks = parse_jwks_or_fail(jwks_json({enc_jwk, cached_key(Alg::ES256).public_jwk()}));
  ASSERT_EQ(jwks.keys().size(), 1u);
  EXPECT_EQ(verify_token(token_for(Alg::RS256), jwks), Status::JwksKidAlgMismatch);
}

TEST(Verify, DerEncodedEcdsaSignature) {
  const std::string token = token_for(Alg::ES256);
  std::string raw;
  ASSERT_TRUE(base64url_decode(token.substr(token.rfind('.') + 1), raw));
  ASSERT_EQ(raw.size(), 64u);
  ECDSA_SIG* signature = ECDSA_SIG_new();
  ECDSA_SIG_set0(signature,
                 BN_bin2bn(reinterpret_cast<const unsigned char*>(raw.data()), 32, nullptr),
                 BN_bin2bn(reinterpret_cast<const unsigned char*>(raw.data()) + 32, 32, nullptr));
  unsigned char* der = nullptr;
  const int der_size = i2d_ECDSA_SIG(signature, &der);
  const std::string der_signature(reinterpret_cast<char*>(der), der_size);
  OPENSSL_free(der);
  ECDSA_SIG_free(signature);
  EXPECT_EQ(
      verify_token(with_signature(token, der_signature), public_jwks({&cached_key(Alg::ES256)})),
      Status::JwtVerificationFail);
}

TEST(Verify, TriesEveryFittingKeyInOrder) {
  const PrivateKey other = generate_or_die(Alg::EdDSA, cached_key(Alg::EdDSA).kid());
  EXPECT_EQ(verify_token(token_for(Alg::EdDSA), public_jwks({&other, &cached_key(Alg::EdDSA)})),
            Status::Ok);
}

// OpenSSL's error queue is per thread and read by the next OpenSSL user there (TLS included).
TEST(Verify, FailuresLeaveNoOpenSslErrors) {
  const PrivateKey other = generate_or_die(Alg::PS256);
  ERR_clear_error();
  EXPECT_EQ(verify_token(token_for(Alg::PS256), public_jwks({&other})),
            Status::JwtVerificationFail);
  EXPECT_EQ(verify_token(with_signature(token_for(Alg::ES256), "short"),
                         public_jwks({&cached_key(Alg::ES256)})),
            Status::JwtVerificationFail);
  std::string off_curve = cached_key(Alg::ES256).public_jwk();
  char& y_digit = off_curve[off_curve.find(R"("y":")") + 10];
  y_digit = y_digit == 'A' ? 'B' : 'A';
  EXPECT_EQ(Jwks::parse(jwks_json({off_curve})).status(), Status::JwksEcParseError);
  std::string wrong_d = cached_key(Alg::RS256).private_jwk();
  char& d_digit = wrong_d[wrong_d.find(R"("d":")") + 10];
  d_digit = d_digit == 'A' ? 'B' : 'A';
  EXPECT_EQ(PrivateKey::from_jwk(wrong_d).status(), Status::PrivateJwkParseError);
  EXPECT_EQ(ERR_peek_error(), 0u);
}

// jwt_verify_lib's fuzzJwtSignature: no bit flip or truncation of a good signature verifies.
TEST(Verify, EveryBitFlipAndTruncationOfTheSignatureFails) {
  for (Alg alg : kAllAlgs) {
    SCOPED_TRACE(alg_name(alg));
    const Jwks jwks = public_jwks({&cached_key(alg)});
    std::size_t variants = 0;
    for_each_broken_signature(token_for(alg), [&](const std::string& token, std::size_t cut) {
      ++variants;
      const Status expected = cut == 0                   ? Status::JwtBadFormat
                              : cut == std::string::npos ? Status::JwtVerificationFail
                              : alg == Alg::EdDSA        ? Status::JwtEd25519SignatureWrongLength
                                                         : Status::JwtVerificationFail;
      ASSERT_EQ(verify_token(token, jwks), expected) << token;
    });
    EXPECT_GT(variants, 8 * 32u);
  }
}

}  // namespace
}  // namespace gatehouse::jose
