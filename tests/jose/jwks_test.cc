// Jwks::parse: one test per refusal (jwt_verify_lib's statuses and gatehouse's), with the RFC
// example keys as the well-formed material.
#include <gtest/gtest.h>

#include <string>

#include "test_support.h"

namespace gatehouse::jose {
namespace {

// RFC 7520 section 3.4 modulus (2048 bits).
constexpr std::string_view kRsaN =
    "n4EPtAOCc9AlkeQHPzHStgAbgs7bTZLwUBZdR8_KuKPEHLd4rHVTeT-O-XV2jRojdNhxJWTDvNd7nqQ0VEiZQHz_AJmSC"
    "pMaJMRBSFKrKb2wqVwGU_NsYOYL-QtiWN2lbzcEe6XC0dApr5ydQLrHqkHHig3RBordaZ6Aj-oBHqFEHYpPe7Tpe-OfVf"
    "Hd1E6cS6M1FZcD1NNLYD5lFHpPI9bTwJlsde3uhGqC0ZCuEHg8lhzwOHrtIQbS0FVbb9k3-tVTU4fg_3L_vniUFAKwuCL"
    "qKnS2BYwdq_mzSnbLY7h_qixoR7jig3__kRhuaxwUkRz5iaiQkqgc5gHdrNP5zw";
// A 1024-bit modulus (openssl genrsa 1024): too small for gatehouse.
constexpr std::string_view kRsaN1024 =
    "178yDVLjKYmdTDbD_KunNf85pykpYMcjzdb94brv_B3VBnGPBKxlaDO2uLGv7pP9WpOPcJRKZ90023tHcBLc2fH2_mpes"
    "0T5SkjPEop7F6uIPebYGwmOdiNUAK-0G9oh-Jkfopgju1mwZjH7p93GgaJLtIGOAte0rwSZuzz2cEU";
// RFC 7515 A.3 P-256 point.
constexpr std::string_view kP256X = "f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU";
constexpr std::string_view kP256Y = "x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0";
// RFC 8037 A.2 Ed25519 public key.
constexpr std::string_view kEd25519X = "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo";

std::string rsa_jwk(std::string_view extra = "", std::string_view n = kRsaN,
                    std::string_view e = R"("AQAB")") {
  return R"({"kty":"RSA","n":")" + std::string(n) + R"(","e":)" + std::string(e) +
         std::string(extra) + "}";
}
std::string ec_jwk(std::string_view members) {
  return R"({"kty":"EC",)" + std::string(members) + "}";
}
std::string ec_point(std::string_view x = kP256X, std::string_view y = kP256Y) {
  return R"("x":")" + std::string(x) + R"(","y":")" + std::string(y) + R"(")";
}
std::string okp_jwk(std::string_view members) {
  return R"({"kty":"OKP",)" + std::string(members) + "}";
}

// The status of a key set holding just `jwk`.
Status key_status(const std::string& jwk, JwksOptions options = {.allow_oct_keys = true}) {
  return Jwks::parse(jwks_json({jwk}), options).status();
}

TEST(JwksParse, ReadsKeysWithTheirKidAlgTypeAndCurve) {
  Result<Jwks> jwks = Jwks::parse(
      jwks_json({rsa_jwk(R"(,"kid":"r","alg":"PS256","use":"sig")"),
                 ec_jwk(R"("crv":"P-256","kid":"e",)" + ec_point()),
                 okp_jwk(R"("crv":"Ed25519","x":")" + std::string(kEd25519X) + R"(")")}));
  ASSERT_TRUE(jwks.ok()) << status_name(jwks.status());
  ASSERT_EQ(jwks->keys().size(), 3u);
  EXPECT_TRUE(jwks->skipped().empty());
  const Jwk& rsa = jwks->keys()[0];
  EXPECT_EQ(rsa.kid, "r");
  EXPECT_EQ(rsa.alg, Alg::PS256);
  EXPECT_EQ(rsa.type, KeyType::Rsa);
  EXPECT_TRUE(rsa.fits(Alg::PS256));
  EXPECT_FALSE(rsa.fits(Alg::RS256));
  EXPECT_EQ(jwks->keys()[1].curve, Curve::P256);
  EXPECT_TRUE(jwks->keys()[1].fits(Alg::ES256));
  EXPECT_FALSE(jwks->keys()[1].fits(Alg::ES384));
  EXPECT_EQ(jwks->keys()[2].type, KeyType::Okp);
  EXPECT_TRUE(jwks->keys()[2].fits(Alg::EdDSA));
}

TEST(JwksParse, TooLarge) {
  EXPECT_EQ(Jwks::parse(jwks_json({rsa_jwk()}), {.max_bytes = 100}).status(), Status::JwksTooLarge);
}

TEST(JwksParse, NotJson) {
  EXPECT_EQ(Jwks::parse("keys").status(), Status::JwksParseError);
  EXPECT_EQ(Jwks::parse("[]").status(), Status::JwksParseError);
  EXPECT_EQ(Jwks::parse(R"({"keys":[)" + std::string(100, '[')).status(), Status::JwksParseError);
}

TEST(JwksParse, NoKeysMember) {
  EXPECT_EQ(Jwks::parse("{}").status(), Status::JwksNoKeys);
  EXPECT_EQ(Jwks::parse(rsa_jwk()).status(), Status::JwksNoKeys);  // a lone JWK is not a set
}

TEST(JwksParse, KeysNotAnArray) {
  EXPECT_EQ(Jwks::parse(R"({"keys":{}})").status(), Status::JwksBadKeys);
}

TEST(JwksParse, NoValidKeys) {
  EXPECT_EQ(Jwks::parse(R"({"keys":[]})").status(), Status::JwksNoValidKeys);
  EXPECT_EQ(Jwks::parse(R"({"keys":[1,"a",null]})").status(), Status::JwksNoValidKeys);
}

TEST(JwksParse, BadKeysAreSkippedAndListed) {
  Result<Jwks> jwks = Jwks::parse(jwks_json({R"({"kty":"RSA"})", rsa_jwk(), R"({"kty":"EC"})"}));
  ASSERT_TRUE(jwks.ok());
  EXPECT_EQ(jwks->keys().size(), 1u);
  ASSERT_EQ(jwks->skipped().size(), 2u);
  EXPECT_EQ(jwks->skipped()[0].index, 0u);
  EXPECT_EQ(jwks->skipped()[0].status, Status::JwksRSAKeyMissingN);
  EXPECT_EQ(jwks->skipped()[1].index, 2u);
  EXPECT_EQ(jwks->skipped()[1].status, Status::JwksECKeyMissingX);
}

TEST(JwksParse, WithoutUsableKeysTheFirstKeysStatus) {
  EXPECT_EQ(Jwks::parse(jwks_json({R"({"kty":"RSA"})", R"({"kty":"EC"})"})).status(),
            Status::JwksRSAKeyMissingN);
}

TEST(JwksParse, Kty) {
  EXPECT_EQ(key_status(R"({"n":"x"})"), Status::JwksMissingKty);
  EXPECT_EQ(key_status(R"({"kty":1})"), Status::JwksBadKty);
  EXPECT_EQ(key_status(R"({"kty":"rsa"})"), Status::JwksNotImplementedKty);
}

TEST(JwksParse, KidAlgOrUseNotAString) {
  EXPECT_EQ(key_status(rsa_jwk(R"(,"kid":1)")), Status::JwksKeyBadKid);
  EXPECT_EQ(key_status(rsa_jwk(R"(,"alg":["RS256"])")), Status::JwksKeyBadAlg);
  EXPECT_EQ(key_status(rsa_jwk(R"(,"use":true)")), Status::JwksKeyBadUse);
}

TEST(JwksParse, EncryptionKeyIsIgnored) {
  EXPECT_EQ(key_status(rsa_jwk(R"(,"use":"enc")")), Status::JwksKeyNotForSignature);
}

TEST(JwksParse, RsaMembers) {
  EXPECT_EQ(key_status(R"({"kty":"RSA","e":"AQAB"})"), Status::JwksRSAKeyMissingN);
  EXPECT_EQ(key_status(R"({"kty":"RSA","n":7,"e":"AQAB"})"), Status::JwksRSAKeyBadN);
  EXPECT_EQ(key_status(R"({"kty":"RSA","n":")" + std::string(kRsaN) + R"("})"),
            Status::JwksRSAKeyMissingE);
  EXPECT_EQ(key_status(rsa_jwk("", kRsaN, "65537")), Status::JwksRSAKeyBadE);
}

TEST(JwksParse, RsaAlgMustBeRsOrPs) {
  EXPECT_EQ(key_status(rsa_jwk(R"(,"alg":"ES256")")), Status::JwksRSAKeyBadAlg);
  EXPECT_EQ(key_status(rsa_jwk(R"(,"alg":"RSA-OAEP")")), Status::JwksRSAKeyBadAlg);
}

TEST(JwksParse, RsaNumbersThatAreNotAKey) {
  EXPECT_EQ(key_status(rsa_jwk("", "n4EP+AOC")), Status::JwksRsaParseError);        // not base64url
  EXPECT_EQ(key_status(rsa_jwk("", kRsaN, R"("Ag")")), Status::JwksRsaParseError);  // e = 2
  EXPECT_EQ(key_status(rsa_jwk("", kRsaN, R"("AQAD")")), Status::JwksRsaParseError);  // e = 65539
}

TEST(JwksParse, RsaKeyTooSmallOrTooLarge) {
  EXPECT_EQ(key_status(rsa_jwk("", kRsaN1024)), Status::JwksRsaKeySizeUnsupported);
  EXPECT_EQ(key_status(rsa_jwk("", std::string(1400, 'B'))), Status::JwksRsaKeySizeUnsupported);
}

TEST(JwksParse, EcAlgMustBeEs) {
  EXPECT_EQ(key_status(ec_jwk(R"("alg":"RS256","crv":"P-256",)" + ec_point())),
            Status::JwksECKeyBadAlg);
}

TEST(JwksParse, EcCrv) {
  EXPECT_EQ(key_status(ec_jwk(R"("crv":256,)" + ec_point())), Status::JwksECKeyBadCrv);
  EXPECT_EQ(key_status(ec_jwk(R"("crv":"P-192",)" + ec_point())),
            Status::JwksECKeyAlgOrCrvUnsupported);
  EXPECT_EQ(key_status(ec_jwk(R"("alg":"ES256K",)" + ec_point())),
            Status::JwksECKeyAlgOrCrvUnsupported);
  EXPECT_EQ(key_status(ec_jwk(R"("alg":"ES384","crv":"P-256",)" + ec_point())),
            Status::JwksECKeyAlgNotCompatibleWithCrv);
}

TEST(JwksParse, EcCurveFollowsAlgOrDefaultsToP256) {
  EXPECT_EQ(key_status(ec_jwk(R"("alg":"ES256",)" + ec_point())), Status::Ok);
  EXPECT_EQ(key_status(ec_jwk(ec_point())), Status::Ok);
  EXPECT_EQ(key_status(ec_jwk(R"("alg":"ES384",)" + ec_point())), Status::JwksEcParseError);
}

TEST(JwksParse, EcCoordinatesMissingOrNotStrings) {
  EXPECT_EQ(key_status(ec_jwk(R"("crv":"P-256","y":"a")")), Status::JwksECKeyMissingX);
  EXPECT_EQ(key_status(ec_jwk(R"("crv":"P-256","x":1,"y":"a")")), Status::JwksECKeyBadX);
  EXPECT_EQ(key_status(ec_jwk(R"("crv":"P-256","x":"YQ")")), Status::JwksECKeyMissingY);
  EXPECT_EQ(key_status(ec_jwk(R"("crv":"P-256","x":"YQ","y":[])")), Status::JwksECKeyBadY);
}

TEST(JwksParse, EcCoordinatesNotBase64url) {
  EXPECT_EQ(key_status(ec_jwk(R"("crv":"P-256",)" + ec_point("f83OJ3D2xF1Bg8vub9tLe1g+"))),
            Status::JwksEcXorYBadBase64);
}

TEST(JwksParse, EcPointNotOnTheCurve) {
  std::string y(kP256Y);
  y[10] = y[10] == 'A' ? 'B' : 'A';
  EXPECT_EQ(key_status(ec_jwk(R"("crv":"P-256",)" + ec_point(kP256X, y))),
            Status::JwksEcParseError);
}

TEST(JwksParse, EcCoordinatesOfTheWrongSize) {
  const std::string x = base64url_encode(std::string(1, '\0') + [] {
    std::string bytes;
    EXPECT_TRUE(base64url_decode(kP256X, bytes));
    return bytes;
  }());
  EXPECT_EQ(key_status(ec_jwk(R"("crv":"P-256",)" + ec_point(x))), Status::JwksEcParseError);
  EXPECT_EQ(key_status(ec_jwk(R"("crv":"P-256",)" + ec_point(kP256X.substr(0, 40)))),
            Status::JwksEcParseError);
}

TEST(JwksParse, OctKeysOnlyWhenAllowed) {
  const std::string oct = R"({"kty":"oct","k":"c2VjcmV0LXNlY3JldC1zZWNyZXQ"})";
  EXPECT_EQ(key_status(oct, {}), Status::JwksOctKeyNotAllowed);
  EXPECT_EQ(key_status(oct), Status::Ok);
}

TEST(JwksParse, OctMembers) {
  EXPECT_EQ(key_status(R"({"kty":"oct","alg":"RS256","k":"c2VjcmV0"})"), Status::JwksHMACKeyBadAlg);
  EXPECT_EQ(key_status(R"({"kty":"oct"})"), Status::JwksHMACKeyMissingK);
  EXPECT_EQ(key_status(R"({"kty":"oct","k":5})"), Status::JwksHMACKeyBadK);
  EXPECT_EQ(key_status(R"({"kty":"oct","k":"c2Vj=="})"), Status::JwksOctBadBase64);
  EXPECT_EQ(key_status(R"({"kty":"oct","k":""})"), Status::JwksOctBadBase64);
}

TEST(JwksParse, OkpMembers) {
  const std::string x = R"("x":")" + std::string(kEd25519X) + R"(")";
  EXPECT_EQ(key_status(okp_jwk(R"("alg":"ES256","crv":"Ed25519",)" + x)), Status::JwksOKPKeyBadAlg);
  EXPECT_EQ(key_status(okp_jwk(x)), Status::JwksOKPKeyMissingCrv);
  EXPECT_EQ(key_status(okp_jwk(R"("crv":25519,)" + x)), Status::JwksOKPKeyBadCrv);
  EXPECT_EQ(key_status(okp_jwk(R"("crv":"X25519",)" + x)), Status::JwksOKPKeyCrvUnsupported);
  EXPECT_EQ(key_status(okp_jwk(R"("crv":"Ed448",)" + x)), Status::JwksOKPKeyCrvUnsupported);
  EXPECT_EQ(key_status(okp_jwk(R"("crv":"Ed25519")")), Status::JwksOKPKeyMissingX);
  EXPECT_EQ(key_status(okp_jwk(R"("crv":"Ed25519","x":{})")), Status::JwksOKPKeyBadX);
  EXPECT_EQ(key_status(okp_jwk(R"("crv":"Ed25519","x":"11qY+")")), Status::JwksOKPXBadBase64);
  EXPECT_EQ(key_status(okp_jwk(R"("crv":"Ed25519","x":"11qYAYKx")")), Status::JwksOKPXWrongLength);
}

}  // namespace
}  // namespace gatehouse::jose
