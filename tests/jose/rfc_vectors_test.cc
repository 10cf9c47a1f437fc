// The worked examples of RFC 7515 appendix A, RFC 8037 appendix A.4 and RFC 7520 section 4,
// typed in from the RFCs (RFC 7520's also from its machine-readable cookbook, ietf-jose/
// cookbook). Each must parse and verify with the RFC's public key, and fail with another key.
#include <gtest/gtest.h>

#include <string>

#include "test_support.h"

namespace gatehouse::jose {
namespace {

// RFC 7515 A.1-A.3 payload: {"iss":"joe",\r\n "exp":1300819380,\r\n
// "http://example.com/is_root":true}
constexpr std::string_view kRfc7515Payload =
    "eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFt"
    "cGxlLmNvbS9pc19yb290Ijp0cnVlfQ";

// RFC 7520 section 4 payload: the Fellowship of the Ring quote (plain text, not JSON).
constexpr std::string_view kRfc7520Payload =
    "SXTigJlzIGEgZGFuZ2Vyb3VzIGJ1c2luZXNzLCBGcm9kbywgZ29pbmcgb3V0IH"
    "lvdXIgZG9vci4gWW91IHN0ZXAgb250byB0aGUgcm9hZCwgYW5kIGlmIHlvdSBk"
    "b24ndCBrZWVwIHlvdXIgZmVldCwgdGhlcmXigJlzIG5vIGtub3dpbmcgd2hlcm"
    "UgeW91IG1pZ2h0IGJlIHN3ZXB0IG9mZiB0by4";

// RFC 7520 section 3.4 (RSA, kid bilbo.baggins@hobbiton.example), public members.
constexpr std::string_view kRfc7520RsaKey = R"({
  "kty": "RSA", "kid": "bilbo.baggins@hobbiton.example", "use": "sig",
  "n": "n4EPtAOCc9AlkeQHPzHStgAbgs7bTZLwUBZdR8_KuKPEHLd4rHVTeT-O-XV2jRojdNhxJWTDvNd7nqQ0VEiZQHz_AJmSCpMaJMRBSFKrKb2wqVwGU_NsYOYL-QtiWN2lbzcEe6XC0dApr5ydQLrHqkHHig3RBordaZ6Aj-oBHqFEHYpPe7Tpe-OfVfHd1E6cS6M1FZcD1NNLYD5lFHpPI9bTwJlsde3uhGqC0ZCuEHg8lhzwOHrtIQbS0FVbb9k3-tVTU4fg_3L_vniUFAKwuCLqKnS2BYwdq_mzSnbLY7h_qixoR7jig3__kRhuaxwUkRz5iaiQkqgc5gHdrNP5zw",
  "e": "AQAB"})";

struct Vector {
  const char* name;
  std::string_view jwk;  // the RFC's public key
  std::string token;
  Alg alg;
  std::string payload;  // decoded
};

std::string compact(std::string_view header, std::string_view payload, std::string_view sig) {
  return std::string(header) + "." + std::string(payload) + "." + std::string(sig);
}

const std::string kRfc7515Claims =
    "{\"iss\":\"joe\",\r\n \"exp\":1300819380,\r\n \"http://example.com/is_root\":true}";
const std::string kFellowship =
    "It\xe2\x80\x99s a dangerous business, Frodo, going out your door. You step onto the road, "
    "and if you don't keep your feet, there\xe2\x80\x99s no knowing where you might be swept "
    "off to.";

// RFC 7515 A.2's RSA key, public members.
constexpr std::string_view kRfc7515RsaKey = R"({"kty":"RSA","e":"AQAB",
  "n":"ofgWCuLjybRlzo0tZWJjNiuSfb4p4fAkd_wWJcyQoTbji9k0l8W26mPddxHmfHQp-Vaw-4qPCJrcS2mJPMEzP1Pt0Bm4d4QlL-yRT-SFd2lZS-pCgNMsD1W_YpRPEwOWvG6b32690r2jZ47soMZo9wGzjb_7OMg0LOL-bSf63kpaSHSXndS5z5rexMdbBYUsLA9e-KXBdQOS-UTo7WTBEMa2R2CapHg665xsmtdVMTBQY4uDZlxvb3qCo5ZwKh9kG4LT6_I5IhlJH7aGhyxXFvUK-DWNmoudF8NAco9_h9iaGNj8q2ethFkMLs91kzk2PAcDTW9gb54h4FRWyuXpoQ"})";
// RFC 7515 A.3's P-256 key.
constexpr std::string_view kRfc7515P256Key = R"({"kty":"EC","crv":"P-256",
  "x":"f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU","y":"x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0"})";
// RFC 7515 A.4's P-521 key.
constexpr std::string_view kRfc7515P521Key = R"({"kty":"EC","crv":"P-521",
  "x":"AekpBQ8ST8a8VcfVOTNl353vSrDCLLJXmPk06wTjxrrjcBpXp5EOnYG_NjFZ6OvLFV1jSfS9tsz4qUxcWceqwQGk",
  "y":"ADSmRA43Z1DSNx_RvcLI87cdL07l6jQyyBXMoxVg_l2Th-x3S1WDhjDly79ajL4Kkd0AZMaZmh9ubmf63e3kyMj2"})";
// RFC 7520 section 3.2's P-521 key.
constexpr std::string_view kRfc7520P521Key = R"({"kty":"EC","kid":"bilbo.baggins@hobbiton.example",
  "use":"sig","crv":"P-521",
  "x":"AHKZLLOsCOzz5cY97ewNUajB957y-C-U88c3v13nmGZx6sYl_oJXu9A5RkTKqjqvjyekWF-7ytDyRXYgCF5cj0Kt",
  "y":"AdymlHvOiLxXkEhayXQnNCvDX4h9htZaCJN34kfmC6pV5OhQHiraVySsUdaQkAgDPrwQrJmbnX9cwlGfP-HqHZR1"})";

std::vector<Vector> vectors() {
  return {
      {"RFC 7515 A.1 HS256",
       R"({"kty":"oct","k":"AyM1SysPpbyDfgZld3umj1qzKObwVMkoqQ-EstJQLr_T-1qS0gZH75aKtMN3Yj0iPS4hcgUuTwjAzZr1Z9CAow"})",
       compact("eyJ0eXAiOiJKV1QiLA0KICJhbGciOiJIUzI1NiJ9", kRfc7515Payload,
               "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"),
       Alg::HS256, kRfc7515Claims},
      {"RFC 7515 A.2 RS256", kRfc7515RsaKey,
       compact("eyJhbGciOiJSUzI1NiJ9", kRfc7515Payload,
               "cC4hiUPoj9Eetdgtv3hF80EGrhuB__dzERat0XF9g2VtQgr9PJbu3XOiZj5RZmh7"
               "AAuHIm4Bh-0Qc_lF5YKt_O8W2Fp5jujGbds9uJdbF9CUAr7t1dnZcAcQjbKBYNX4"
               "BAynRFdiuB--f_nZLgrnbyTyWzO75vRK5h6xBArLIARNPvkSjtQBMHlb1L07Qe7K"
               "0GarZRmB_eSN9383LcOLn6_dO--xi12jzDwusC-eOkHWEsqtFZESc6BfI7noOPqv"
               "hJ1phCnvWh6IeYI2w9QOYEUipUTI8np6LbgGY9Fs98rqVt5AXLIhWkWywlVmtVrB"
               "p0igcN_IoypGlUPQGe77Rw"),
       Alg::RS256, kRfc7515Claims},
      {"RFC 7515 A.3 ES256", kRfc7515P256Key,
       compact("eyJhbGciOiJFUzI1NiJ9", kRfc7515Payload,
               "DtEhU3ljbEg8L38VWAfUAqOyKAM6-Xx-F4GawxaepmXFCgfTjDxw5djxLa8ISlSA"
               "pmWQxfKTUJqPP3-Kg6NU1Q"),
       Alg::ES256, kRfc7515Claims},
      {"RFC 7515 A.4 ES512", kRfc7515P521Key,
       compact("eyJhbGciOiJFUzUxMiJ9", "UGF5bG9hZA",
               "AdwMgeerwtHoh-l192l60hp9wAHZFVJbLfD_UxMi70cwnZOYaRI1bKPWROc-mZZq"
               "wqT2SI-KGDKB34XO0aw_7XdtAG8GaSwFKdCAPZgoXD2YBJZCPEX3xKpRwcdOO8Kp"
               "EHwJjyqOgzDO7iKvU8vcnwNrmxYbSW9ERBXukOXolLzeO_Jn"),
       Alg::ES512, "Payload"},
      {"RFC 8037 A.4 EdDSA",
       R"({"kty":"OKP","crv":"Ed25519","x":"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"})",
       compact("eyJhbGciOiJFZERTQSJ9", "RXhhbXBsZSBvZiBFZDI1NTE5IHNpZ25pbmc",
               "hgyY0il_MGCjP0JzlnLWG1PPOt7-09PGcvMg3AIbQR6dWbhijcNR4ki4iylGjg5BhVsPt"
               "9g7sVvpAr_MuM0KAg"),
       Alg::EdDSA, "Example of Ed25519 signing"},
      {"RFC 7520 4.1 RS256", kRfc7520RsaKey,
       compact("eyJhbGciOiJSUzI1NiIsImtpZCI6ImJpbGJvLmJhZ2dpbnNAaG9iYml0b24uZXhhbXBsZSJ9",
               kRfc7520Payload,
               "MRjdkly7_-oTPTS3AXP41iQIGKa80A0ZmTuV5MEaHoxnW2e5CZ5NlKtainoFmKZop"
               "dHM1O2U4mwzJdQx996ivp83xuglII7PNDi84wnB-BDkoBwA78185hX-Es4JIwmDLJ"
               "K3lfWRa-XtL0RnltuYv746iYTh_qHRD68BNt1uSNCrUCTJDt5aAE6x8wW1Kt9eRo4"
               "QPocSadnHXFxnt8Is9UzpERV0ePPQdLuW3IS_de3xyIrDaLGdjluPxUAhb6L2aXic"
               "1U12podGU0KLUQSE_oI-ZnmKJ3F4uOZDnd6QZWJushZ41Axf_fcIe8u9ipH84ogor"
               "ee7vjbU5y18kDquDg"),
       Alg::RS256, kFellowship},
      {"RFC 7520 4.2 PS384", kRfc7520RsaKey,
       compact("eyJhbGciOiJQUzM4NCIsImtpZCI6ImJpbGJvLmJhZ2dpbnNAaG9iYml0b24uZXhhbXBsZSJ9",
               kRfc7520Payload,
               "cu22eBqkYDKgIlTpzDXGvaFfz6WGoz7fUDcfT0kkOy42miAh2qyBzk1xEsnk2IpN6"
               "-tPid6VrklHkqsGqDqHCdP6O8TTB5dDDItllVo6_1OLPpcbUrhiUSMxbbXUvdvWXz"
               "g-UD8biiReQFlfz28zGWVsdiNAUf8ZnyPEgVFn442ZdNqiVJRmBqrYRXe8P_ijQ7p"
               "8Vdz0TTrxUeT3lm8d9shnr2lfJT8ImUjvAA2Xez2Mlp8cBE5awDzT0qI0n6uiP1aC"
               "N_2_jLAeQTlqRHtfa64QQSUmFAAjVKPbByi7xho0uTOcbH510a6GYmJUAfmWjwZ6o"
               "D4ifKo8DYM-X72Eaw"),
       Alg::PS384, kFellowship},
      {"RFC 7520 4.3 ES512", kRfc7520P521Key,
       compact("eyJhbGciOiJFUzUxMiIsImtpZCI6ImJpbGJvLmJhZ2dpbnNAaG9iYml0b24uZXhhbXBsZSJ9",
               kRfc7520Payload,
               "AE_R_YZCChjn4791jSQCrdPZCNYqHXCTZH0-JZGYNlaAjP2kqaluUIIUnC9qvbu9P"
               "lon7KRTzoNEuT4Va2cmL1eJAQy3mtPBu_u_sDDyYjnAMDxXPn7XrT0lw-kvAD890j"
               "l8e2puQens_IEKBpHABlsbEPX6sFY8OcGDqoRuBomu9xQ2"),
       Alg::ES512, kFellowship},
      {"RFC 7520 4.4 HS256",
       R"({"kty":"oct","kid":"018c0ae5-4d9b-471b-bfd6-eef314bc7037","use":"sig","alg":"HS256",
           "k":"hJtXIZ2uSN5kbQfbtTNWbpdmhkV8FJG-Onbc6mxCcYg"})",
       compact("eyJhbGciOiJIUzI1NiIsImtpZCI6IjAxOGMwYWU1LTRkOWItNDcxYi1iZmQ2LWVlZjMxNGJjNzAzNyJ9",
               kRfc7520Payload, "s0h6KThzkfBBBkLspW1h84VsJZFTsPPqMDA7g1Md7p0"),
       Alg::HS256, kFellowship},
  };
}

TEST(RfcVectors, EachParsesAndVerifiesWithTheRfcKey) {
  for (const Vector& vector : vectors()) {
    SCOPED_TRACE(vector.name);
    Result<Jws> jws = parse_jws(vector.token);
    ASSERT_TRUE(jws.ok()) << status_name(jws.status());
    EXPECT_EQ(jws->alg, vector.alg);
    EXPECT_EQ(jws->payload, vector.payload);
    EXPECT_EQ(verify_signature(*jws, parse_jwks_or_fail(jwks_json({vector.jwk}))), Status::Ok);
  }
}

TEST(RfcVectors, EachFailsWithAFreshKeyOfTheSameType) {
  for (const Vector& vector : vectors()) {
    SCOPED_TRACE(vector.name);
    const PrivateKey other = generate_or_die(vector.alg);
    EXPECT_EQ(verify_token(vector.token, public_jwks({&other})), Status::JwtVerificationFail);
  }
}

TEST(RfcVectors, Rfc7515ExamplesAreJwtsWithTheExampleClaims) {
  for (const Vector& vector : vectors()) {
    if (vector.payload != kRfc7515Claims) continue;
    SCOPED_TRACE(vector.name);
    Result<Jwt> jwt = parse_jwt(vector.token);
    ASSERT_TRUE(jwt.ok()) << status_name(jwt.status());
    EXPECT_EQ(jwt->iss, "joe");
    EXPECT_EQ(jwt->exp, 1300819380u);
    EXPECT_EQ(jwt->claims.at("http://example.com/is_root"), true);
    EXPECT_EQ(verify_time(*jwt, 1300819380 + 60), Status::Ok);
    EXPECT_EQ(verify_time(*jwt, 1300819380 + 61), Status::JwtExpired);
  }
}

TEST(RfcVectors, Rfc7520PayloadIsNotAJwt) {
  for (const Vector& vector : vectors()) {
    if (vector.payload != kFellowship) continue;
    EXPECT_EQ(parse_jwt(vector.token).status(), Status::JwtPayloadParseErrorBadJson);
  }
}

}  // namespace
}  // namespace gatehouse::jose
