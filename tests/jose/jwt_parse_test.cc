// parse_jws / parse_jwt: one test per refusal, in the order Envoy checks them, plus what a good
// token yields.
#include <gtest/gtest.h>

#include <string>

#include "test_support.h"

namespace gatehouse::jose {
namespace {

constexpr std::string_view kHeader = R"({"alg":"RS256","kid":"k1","typ":"JWT"})";
constexpr std::string_view kClaims = R"({"iss":"https://issuer.example","sub":"alice"})";

Status parse_status(std::string_view header, std::string_view payload = kClaims) {
  return parse_jwt(raw_token(header, payload, "signature")).status();
}

Status claims_status(std::string_view payload) { return parse_status(kHeader, payload); }

std::string nested_arrays(int depth) { return std::string(depth, '[') + std::string(depth, ']'); }

TEST(JwtParse, ReadsHeaderAndClaims) {
  const std::string token =
      raw_token(kHeader,
                R"({"iss":"https://issuer.example","sub":"alice","aud":["a","b"],"exp":2000000000,)"
                R"("nbf":1000000000,"iat":1500000000.9,"jti":"id-1","groups":["httpbin"]})",
                "signature");
  Result<Jwt> jwt = parse_jwt(token);
  ASSERT_TRUE(jwt.ok()) << status_name(jwt.status());
  EXPECT_EQ(jwt->alg, Alg::RS256);
  EXPECT_EQ(jwt->kid, "k1");
  EXPECT_EQ(jwt->typ, "JWT");
  EXPECT_EQ(jwt->iss, "https://issuer.example");
  EXPECT_EQ(jwt->sub, "alice");
  EXPECT_EQ(jwt->jti, "id-1");
  EXPECT_EQ(jwt->audiences, (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(jwt->exp, 2000000000u);
  EXPECT_EQ(jwt->nbf, 1000000000u);
  EXPECT_EQ(jwt->iat, 1500000000u);  // truncated
  EXPECT_EQ(jwt->claims.at("groups").as_array().at(0), "httpbin");
  EXPECT_EQ(jwt->signature, "signature");
  EXPECT_EQ(jwt->header_json, kHeader);
  EXPECT_EQ(jwt->signing_input(), token.substr(0, token.rfind('.')));
  EXPECT_EQ(jwt->payload_base64url(),
            token.substr(token.find('.') + 1, token.rfind('.') - token.find('.') - 1));
}

TEST(JwtParse, AbsentClaimsStayEmpty) {
  Result<Jwt> jwt = parse_jwt(raw_token(R"({"alg":"ES256"})", "{}", "s"));
  ASSERT_TRUE(jwt.ok());
  EXPECT_TRUE(jwt->kid.empty());
  EXPECT_TRUE(jwt->typ.empty());
  EXPECT_TRUE(jwt->iss.empty());
  EXPECT_TRUE(jwt->audiences.empty());
  EXPECT_FALSE(jwt->exp || jwt->nbf || jwt->iat);
}

TEST(JwtParse, AudienceAsASingleString) {
  Result<Jwt> jwt = parse_jwt(raw_token(kHeader, R"({"aud":"api"})", "s"));
  ASSERT_TRUE(jwt.ok());
  EXPECT_EQ(jwt->audiences, std::vector<std::string>{"api"});
}

TEST(JwtParse, WrongNumberOfSegments) {
  const std::string good = raw_token(kHeader, kClaims, "signature");
  const std::string header = good.substr(0, good.find('.'));
  for (const std::string& token :
       {std::string(), std::string("."), std::string(".."), std::string("..."), header,
        header + ".", header + "..", good + ".", good + ".x", "." + good,
        good.substr(0, good.rfind('.')), good.substr(0, good.rfind('.') + 1), header + "..sig",
        "." + good.substr(good.find('.') + 1)}) {
    SCOPED_TRACE(token);
    EXPECT_EQ(parse_jwt(token).status(), Status::JwtBadFormat);
  }
}

TEST(JwtParse, PaddedOrNonUrlSafeBase64) {
  const std::string good = raw_token(R"({"alg":"RS256"})", R"({"a":1})", "sig");  // no '=' needed
  const auto dot1 = good.find('.'), dot2 = good.rfind('.');
  const std::string header = good.substr(0, dot1), payload = good.substr(dot1 + 1, dot2 - dot1 - 1),
                    signature = good.substr(dot2 + 1);
  EXPECT_EQ(parse_jwt(header + "=." + payload + "." + signature).status(),
            Status::JwtHeaderParseErrorBadBase64);
  EXPECT_EQ(parse_jwt(header + "." + payload + "==." + signature).status(),
            Status::JwtPayloadParseErrorBadBase64);
  EXPECT_EQ(parse_jwt(header + "." + payload + "." + signature + "=").status(),
            Status::JwtSignatureParseErrorBadBase64);
  EXPECT_EQ(parse_jwt(header + "." + payload + ".ab+/").status(),
            Status::JwtSignatureParseErrorBadBase64);
  EXPECT_EQ(parse_jwt("eyJhbGciOiJSUzI1NiJ9+." + payload + "." + signature).status(),
            Status::JwtHeaderParseErrorBadBase64);
}

TEST(JwtParse, TokenTooLarge) {
  const std::string payload = R"({"pad":")" + std::string(40 * 1024, 'x') + R"("})";
  EXPECT_EQ(parse_status(kHeader, payload), Status::JwtTooLarge);
  EXPECT_EQ(parse_jwt(raw_token(kHeader, payload, "s"), {.max_token_bytes = 64 * 1024}).status(),
            Status::Ok);
}

TEST(JwtParse, HugeHeader) {
  const std::string header = R"({"alg":"RS256","x":")" + std::string(4000, 'x') + R"("})";
  EXPECT_EQ(parse_status(header), Status::JwtHeaderTooLarge);
}

TEST(JwtParse, HeaderNotJson) {
  EXPECT_EQ(parse_status("not json"), Status::JwtHeaderParseErrorBadJson);
  EXPECT_EQ(parse_status(R"({"alg":"RS256",})"), Status::JwtHeaderParseErrorBadJson);
  EXPECT_EQ(parse_status(R"({"alg":"RS256"} trailing)"), Status::JwtHeaderParseErrorBadJson);
  EXPECT_EQ(parse_status(R"(["alg","RS256"])"), Status::JwtHeaderParseErrorBadJson);
  EXPECT_EQ(parse_status(R"({"alg":"RS256" /* c */})"), Status::JwtHeaderParseErrorBadJson);
  EXPECT_EQ(parse_status("{\"alg\":\"RS256\",\"x\":\"\xff\"}"), Status::JwtHeaderParseErrorBadJson);
}

TEST(JwtParse, DeeplyNestedJson) {
  EXPECT_EQ(parse_status(R"({"alg":"RS256","x":)" + nested_arrays(40) + "}"),
            Status::JwtNestingTooDeep);
  EXPECT_EQ(claims_status(R"({"x":)" + nested_arrays(40) + "}"), Status::JwtNestingTooDeep);
  EXPECT_EQ(claims_status(R"({"x":)" + nested_arrays(30) + "}"), Status::Ok);
}

TEST(JwtParse, AlgMissingOrNotAString) {
  EXPECT_EQ(parse_status(R"({"typ":"JWT"})"), Status::JwtHeaderBadAlg);
  EXPECT_EQ(parse_status(R"({"alg":256})"), Status::JwtHeaderBadAlg);
  EXPECT_EQ(parse_status(R"({"alg":null})"), Status::JwtHeaderBadAlg);
}

TEST(JwtParse, AlgNone) {
  EXPECT_EQ(parse_jwt(raw_token(R"({"alg":"none"})", kClaims, "")).status(), Status::JwtBadFormat);
  EXPECT_EQ(parse_status(R"({"alg":"none"})"), Status::JwtHeaderNotImplementedAlg);
}

TEST(JwtParse, AlgNotSupported) {
  for (std::string_view alg : {"rs256", "RS1", "ES256K", "Ed25519", "HS1", "RSA-OAEP", ""})
    EXPECT_EQ(parse_status(R"({"alg":")" + std::string(alg) + R"("})"),
              Status::JwtHeaderNotImplementedAlg)
        << alg;
}

TEST(JwtParse, KidNotAString) {
  EXPECT_EQ(parse_status(R"({"alg":"RS256","kid":7})"), Status::JwtHeaderBadKid);
}

TEST(JwtParse, TypNotAString) {
  EXPECT_EQ(parse_status(R"({"alg":"RS256","typ":["JWT"]})"), Status::JwtHeaderBadTyp);
}

TEST(JwtParse, CritHeader) {
  EXPECT_EQ(parse_status(R"({"alg":"RS256","crit":["exp"],"exp":1})"),
            Status::JwtHeaderCritUnsupported);
  EXPECT_EQ(parse_status(R"({"alg":"RS256","crit":[]})"), Status::JwtHeaderCritUnsupported);
  EXPECT_EQ(parse_status(R"({"alg":"RS256","crit":["b64"],"b64":false})"),
            Status::JwtHeaderCritUnsupported);
}

TEST(JwtParse, PayloadNotJson) {
  EXPECT_EQ(claims_status("Payload"), Status::JwtPayloadParseErrorBadJson);
  EXPECT_EQ(claims_status(R"(["iss"])"), Status::JwtPayloadParseErrorBadJson);
  EXPECT_EQ(claims_status(R"({"iss":"a")"), Status::JwtPayloadParseErrorBadJson);
  EXPECT_EQ(claims_status(""), Status::JwtBadFormat);  // an empty segment
}

TEST(JwtParse, JwsAcceptsAnyPayloadBytes) {
  Result<Jws> jws = parse_jws(raw_token(kHeader, std::string("\0\xff", 2), "s"));
  ASSERT_TRUE(jws.ok());
  EXPECT_EQ(jws->payload, std::string("\0\xff", 2));
}

TEST(JwtParse, StringClaimsOfTheWrongType) {
  EXPECT_EQ(claims_status(R"({"iss":1})"), Status::JwtPayloadParseErrorIssNotString);
  EXPECT_EQ(claims_status(R"({"sub":{}})"), Status::JwtPayloadParseErrorSubNotString);
  EXPECT_EQ(claims_status(R"({"jti":false})"), Status::JwtPayloadParseErrorJtiNotString);
}

TEST(JwtParse, AudienceNotAStringOrStringList) {
  EXPECT_EQ(claims_status(R"({"aud":1})"), Status::JwtPayloadParseErrorAudNotString);
  EXPECT_EQ(claims_status(R"({"aud":["a",1]})"), Status::JwtPayloadParseErrorAudNotString);
  EXPECT_EQ(claims_status(R"({"aud":{"a":1}})"), Status::JwtPayloadParseErrorAudNotString);
}

TEST(JwtParse, NonNumericTimeClaims) {
  EXPECT_EQ(claims_status(R"({"exp":"2000000000"})"), Status::JwtPayloadParseErrorExpNotInteger);
  EXPECT_EQ(claims_status(R"({"exp":null})"), Status::JwtPayloadParseErrorExpNotInteger);
  EXPECT_EQ(claims_status(R"({"nbf":true})"), Status::JwtPayloadParseErrorNbfNotInteger);
  EXPECT_EQ(claims_status(R"({"iat":[1]})"), Status::JwtPayloadParseErrorIatNotInteger);
}

TEST(JwtParse, TimeClaimsOutOfRange) {
  EXPECT_EQ(claims_status(R"({"exp":-1})"), Status::JwtPayloadParseErrorExpOutOfRange);
  EXPECT_EQ(claims_status(R"({"nbf":-0.5})"), Status::JwtPayloadParseErrorNbfOutOfRange);
  EXPECT_EQ(claims_status(R"({"iat":1e30})"), Status::JwtPayloadParseErrorIatOutOfRange);
  EXPECT_EQ(claims_status(R"({"exp":18446744073709551615})"), Status::Ok);  // 2^64 - 1
}

TEST(JwtParse, ClaimsAreCheckedInEnvoysOrder) {
  // iss before the time claims, the time claims before aud, all before the signature.
  EXPECT_EQ(claims_status(R"({"aud":1,"exp":"x","iss":1})"),
            Status::JwtPayloadParseErrorIssNotString);
  EXPECT_EQ(claims_status(R"({"aud":1,"exp":"x"})"), Status::JwtPayloadParseErrorExpNotInteger);
  const std::string token = raw_token(kHeader, R"({"iss":1})", "s");
  EXPECT_EQ(parse_jwt(token.substr(0, token.rfind('.')) + ".a=").status(),
            Status::JwtPayloadParseErrorIssNotString);
}

TEST(JwtParse, DuplicateMembersKeepTheLastValue) {
  Result<Jwt> jwt =
      parse_jwt(raw_token(R"({"alg":"none","alg":"ES256"})", R"({"sub":"a","sub":"b"})", "s"));
  ASSERT_TRUE(jwt.ok());
  EXPECT_EQ(jwt->alg, Alg::ES256);
  EXPECT_EQ(jwt->sub, "b");
}

}  // namespace
}  // namespace gatehouse::jose
