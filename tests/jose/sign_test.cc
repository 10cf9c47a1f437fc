// PrivateKey and sign_compact: round trips for every algorithm, the RFCs' deterministic
// signatures reproduced exactly, and the refusals.
#include <gtest/gtest.h>

#include <string>

#include "key_cache.h"

namespace gatehouse::jose {
namespace {

// RFC 7520 section 3.4, the private key of "bilbo.baggins@hobbiton.example".
constexpr std::string_view kRfc7520RsaPrivateJwk = R"({
  "kty": "RSA", "kid": "bilbo.baggins@hobbiton.example", "use": "sig",
  "n": "n4EPtAOCc9AlkeQHPzHStgAbgs7bTZLwUBZdR8_KuKPEHLd4rHVTeT-O-XV2jRojdNhxJWTDvNd7nqQ0VEiZQHz_AJmSCpMaJMRBSFKrKb2wqVwGU_NsYOYL-QtiWN2lbzcEe6XC0dApr5ydQLrHqkHHig3RBordaZ6Aj-oBHqFEHYpPe7Tpe-OfVfHd1E6cS6M1FZcD1NNLYD5lFHpPI9bTwJlsde3uhGqC0ZCuEHg8lhzwOHrtIQbS0FVbb9k3-tVTU4fg_3L_vniUFAKwuCLqKnS2BYwdq_mzSnbLY7h_qixoR7jig3__kRhuaxwUkRz5iaiQkqgc5gHdrNP5zw",
  "e": "AQAB",
  "d": "bWUC9B-EFRIo8kpGfh0ZuyGPvMNKvYWNtB_ikiH9k20eT-O1q_I78eiZkpXxXQ0UTEs2LsNRS-8uJbvQ-A1irkwMSMkK1J3XTGgdrhCku9gRldY7sNA_AKZGh-Q661_42rINLRCe8W-nZ34ui_qOfkLnK9QWDDqpaIsA-bMwWWSDFu2MUBYwkHTMEzLYGqOe04noqeq1hExBTHBOBdkMXiuFhUq1BU6l-DqEiWxqg82sXt2h-LMnT3046AOYJoRioz75tSUQfGCshWTBnP5uDjd18kKhyv07lhfSJdrPdM5Plyl21hsFf4L_mHCuoFau7gdsPfHPxxjVOcOpBrQzwQ",
  "p": "3Slxg_DwTXJcb6095RoXygQCAZ5RnAvZlno1yhHtnUex_fp7AZ_9nRaO7HX_-SFfGQeutao2TDjDAWU4Vupk8rw9JR0AzZ0N2fvuIAmr_WCsmGpeNqQnev1T7IyEsnh8UMt-n5CafhkikzhEsrmndH6LxOrvRJlsPp6Zv8bUq0k",
  "q": "uKE2dh-cTf6ERF4k4e_jy78GfPYUIaUyoSSJuBzp3Cubk3OCqs6grT8bR_cu0Dm1MZwWmtdqDyI95HrUeq3MP15vMMON8lHTeZu2lmKvwqW7anV5UzhM1iZ7z4yMkuUwFWoBvyY898EXvRD-hdqRxHlSqAZ192zB3pVFJ0s7pFc",
  "dp": "B8PVvXkvJrj2L-GYQ7v3y9r6Kw5g9SahXBwsWUzp19TVlgI-YV85q1NIb1rxQtD-IsXXR3-TanevuRPRt5OBOdiMGQp8pbt26gljYfKU_E9xn-RULHz0-ed9E9gXLKD4VGngpz-PfQ_q29pk5xWHoJp009Qf1HvChixRX59ehik",
  "dq": "CLDmDGduhylc9o7r84rEUVn7pzQ6PF83Y-iBZx5NT-TpnOZKF1pErAMVeKzFEl41DlHHqqBLSM0W1sOFbwTxYWZDm6sI6og5iTbwQGIC3gnJKbi_7k_vJgGHwHxgPaX2PnvP-zyEkDERuf-ry4c_Z11Cq9AqC2yeL6kdKT1cYF8",
  "qi": "3PiqvXQN0zwMeE-sBvZgi289XP9XCQF3VWqPzMKnIgQp7_Tugo6-NZBKCQsMf3HaEGBjTVJs_jcK8-TRXvaKe-7ZMaQj8VfBdYkssbu0NKDDhjJ-GtiseaDVWt7dcH0cfwxgFUHpQh7FoCrjFJ6h6ZEpMF6xmujs4qMpPz8aaI4"})";

const std::string kFellowship =
    "It\xe2\x80\x99s a dangerous business, Frodo, going out your door. You step onto the road, "
    "and if you don't keep your feet, there\xe2\x80\x99s no knowing where you might be swept "
    "off to.";

PrivateKey load_or_fail(std::string_view jwk) {
  Result<PrivateKey> key = PrivateKey::from_jwk(jwk);
  EXPECT_TRUE(key.ok()) << status_name(key.status());
  return key.ok() ? std::move(key).value() : generate_or_die(Alg::HS256);
}

TEST(Sign, RoundTripForEveryAlgorithm) {
  for (Alg alg : kAllAlgs) {
    SCOPED_TRACE(alg_name(alg));
    const PrivateKey& key = cached_key(alg);
    Result<Jwt> jwt = parse_jwt(token_for(alg));
    ASSERT_TRUE(jwt.ok()) << status_name(jwt.status());
    EXPECT_EQ(jwt->alg, alg);
    EXPECT_EQ(jwt->kid, key.kid());
    EXPECT_EQ(jwt->sub, "alice");
    EXPECT_EQ(verify_signature(*jwt, public_jwks({&key})), Status::Ok);
  }
}

TEST(Sign, EcdsaSignaturesAreRawRAndSOfTheCurveSize) {
  for (auto [alg, size] : {std::pair{Alg::ES256, 64u}, {Alg::ES384, 96u}, {Alg::ES512, 132u}}) {
    Result<Jws> jws = parse_jws(token_for(alg));
    ASSERT_TRUE(jws.ok());
    EXPECT_EQ(jws->signature.size(), size) << alg_name(alg);
  }
}

TEST(Sign, PrivateJwkRoundTripsForEveryAlgorithm) {
  for (Alg alg : kAllAlgs) {
    SCOPED_TRACE(alg_name(alg));
    const PrivateKey& original = cached_key(alg);
    const PrivateKey reloaded = load_or_fail(original.private_jwk());
    EXPECT_EQ(reloaded.kid(), original.kid());
    EXPECT_EQ(reloaded.alg(), alg);
    EXPECT_EQ(reloaded.public_jwk(), original.public_jwk());
    const std::string token =
        signed_token(header_for(alg, reloaded.kid()), kTestClaims, reloaded, alg);
    EXPECT_EQ(verify_token(token, public_jwks({&original})), Status::Ok);
  }
}

TEST(Sign, PublicJwkHasNoPrivateMembers) {
  for (Alg alg : {Alg::RS256, Alg::ES384, Alg::EdDSA}) {
    const std::string jwk = cached_key(alg).public_jwk();
    for (std::string_view member : {R"("d")", R"("p")", R"("q")", R"("dp")", R"("qi")"})
      EXPECT_EQ(jwk.find(member), std::string::npos) << jwk;
    EXPECT_NE(jwk.find(R"("use":"sig")"), std::string::npos) << jwk;
  }
}

TEST(Sign, ReproducesRfc7520RsaSignature) {
  const PrivateKey key = load_or_fail(kRfc7520RsaPrivateJwk);
  Result<std::string> token = sign_compact(
      R"({"alg":"RS256","kid":"bilbo.baggins@hobbiton.example"})", kFellowship, key, Alg::RS256);
  ASSERT_TRUE(token.ok());
  EXPECT_TRUE(token->ends_with(
      ".MRjdkly7_-oTPTS3AXP41iQIGKa80A0ZmTuV5MEaHoxnW2e5CZ5NlKtainoFmKZopdHM1O2U4mwzJdQx996ivp8"
      "3xuglII7PNDi84wnB-BDkoBwA78185hX-Es4JIwmDLJK3lfWRa-XtL0RnltuYv746iYTh_qHRD68BNt1uSNCrUCTJ"
      "Dt5aAE6x8wW1Kt9eRo4QPocSadnHXFxnt8Is9UzpERV0ePPQdLuW3IS_de3xyIrDaLGdjluPxUAhb6L2aXic1U12p"
      "odGU0KLUQSE_oI-ZnmKJ3F4uOZDnd6QZWJushZ41Axf_fcIe8u9ipH84ogoree7vjbU5y18kDquDg"))
      << *token;
}

TEST(Sign, ReproducesRfc7520HmacSignature) {
  const PrivateKey key = load_or_fail(
      R"({"kty":"oct","kid":"018c0ae5-4d9b-471b-bfd6-eef314bc7037","use":"sig","alg":"HS256",
          "k":"hJtXIZ2uSN5kbQfbtTNWbpdmhkV8FJG-Onbc6mxCcYg"})");
  Result<std::string> token =
      sign_compact(R"({"alg":"HS256","kid":"018c0ae5-4d9b-471b-bfd6-eef314bc7037"})", kFellowship,
                   key, Alg::HS256);
  ASSERT_TRUE(token.ok());
  EXPECT_TRUE(token->ends_with(".s0h6KThzkfBBBkLspW1h84VsJZFTsPPqMDA7g1Md7p0")) << *token;
}

TEST(Sign, ReproducesRfc8037Ed25519Signature) {
  const PrivateKey key = load_or_fail(
      R"({"kty":"OKP","crv":"Ed25519","d":"nWGxne_9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2A",
          "x":"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"})");
  Result<std::string> token =
      sign_compact(R"({"alg":"EdDSA"})", "Example of Ed25519 signing", key, Alg::EdDSA);
  ASSERT_TRUE(token.ok());
  EXPECT_EQ(*token,
            "eyJhbGciOiJFZERTQSJ9.RXhhbXBsZSBvZiBFZDI1NTE5IHNpZ25pbmc.hgyY0il_MGCjP0JzlnLWG1PPOt7-"
            "09PGcvMg3AIbQR6dWbhijcNR4ki4iylGjg5BhVsPt9g7sVvpAr_MuM0KAg");
}

TEST(Sign, HeaderMustBeAnObjectNamingTheAlgorithm) {
  const PrivateKey& key = cached_key(Alg::HS256);
  for (std::string_view header :
       {"", "[]", "{}", R"({"alg":"HS384"})", R"({"alg":"none"})", R"({"alg":"HS256")"})
    EXPECT_EQ(sign_compact(header, "{}", key, Alg::HS256).status(), Status::SignBadHeader)
        << header;
}

TEST(Sign, AlgorithmMustFitTheKey) {
  EXPECT_EQ(sign_compact(header_for(Alg::ES256), "{}", cached_key(Alg::RS256), Alg::ES256).status(),
            Status::SignAlgKeyMismatch);
  EXPECT_EQ(sign_compact(header_for(Alg::ES384), "{}", cached_key(Alg::ES256), Alg::ES384).status(),
            Status::SignAlgKeyMismatch);
  EXPECT_EQ(cached_key(Alg::HS256).sign(Alg::RS256, "x").status(), Status::SignAlgKeyMismatch);
}

TEST(Sign, PrivateJwkRefusals) {
  EXPECT_EQ(PrivateKey::from_jwk("not json").status(), Status::PrivateJwkParseError);
  EXPECT_EQ(PrivateKey::from_jwk(R"({"kty":"RSA","e":"AQAB"})").status(),
            Status::JwksRSAKeyMissingN);
  // A public key only.
  EXPECT_EQ(PrivateKey::from_jwk(cached_key(Alg::ES256).public_jwk()).status(),
            Status::PrivateJwkParseError);
  EXPECT_EQ(PrivateKey::from_jwk(cached_key(Alg::RS256).public_jwk()).status(),
            Status::PrivateJwkParseError);
}

TEST(Sign, PrivateJwkWhosePrivateHalfDoesNotMatch) {
  for (Alg alg : {Alg::RS256, Alg::ES256, Alg::EdDSA}) {
    SCOPED_TRACE(alg_name(alg));
    const PrivateKey other = generate_or_die(alg);
    std::string jwk = cached_key(alg).private_jwk();
    const std::string other_jwk = other.private_jwk();
    const auto d_at = jwk.find(R"("d":")"), other_d_at = other_jwk.find(R"("d":")");
    jwk.replace(d_at, jwk.find('"', d_at + 5) - d_at,
                other_jwk.substr(other_d_at, other_jwk.find('"', other_d_at + 5) - other_d_at));
    EXPECT_EQ(PrivateKey::from_jwk(jwk).status(), Status::PrivateJwkParseError);
  }
}

TEST(Sign, GeneratedHmacSecretIsAsLongAsTheHash) {
  for (auto [alg, bytes] : {std::pair{Alg::HS256, 32u}, {Alg::HS384, 48u}, {Alg::HS512, 64u}}) {
    std::string jwk = cached_key(alg).private_jwk();
    const auto k_at = jwk.find(R"("k":")") + 5;
    std::string secret;
    ASSERT_TRUE(base64url_decode(jwk.substr(k_at, jwk.find('"', k_at) - k_at), secret));
    EXPECT_EQ(secret.size(), bytes);
  }
}

}  // namespace
}  // namespace gatehouse::jose
