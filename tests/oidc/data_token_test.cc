// x-amzn-oidc-data in ALB's exact shape (alb-semantics section 4.2 and the real tokens of
// section 9): padded base64url segments, the header's keys in ALB's order, the claims with exp
// and iss appended, a raw R||S signature over the padded text; the PEM of its key.
#include "oidc/data_token.h"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <memory>
#include <string>
#include <vector>

#include "jose/base64url.h"
#include "jose/verify.h"
#include "test_support.h"

namespace gatehouse::oidc {
namespace {

constexpr std::string_view kKid = "abb8289f-e3a4-4a34-9472-c2105e2b2482";
constexpr std::string_view kSigner =
    "arn:aws:elasticloadbalancing:eu-west-1:373508513302:loadbalancer/app/gatehouse/"
    "50dc6c495c0c9188";
constexpr std::string_view kClaims =
    R"({"sub":"4b5bef9c-1111","email_verified":"true","name":"John Doe +/=-_",)"
    R"("email":"johndoe@example.com","username":"4b5bef9c-1111"})";
constexpr std::int64_t kExp = 1734961644;

std::shared_ptr<const jose::PrivateKey> signing_key() {
  static const auto key = std::make_shared<const jose::PrivateKey>(
      jose::PrivateKey::generate(jose::Alg::ES256, std::string(kKid)).value());
  return key;
}

DataTokenSigner signer() {
  Result<DataTokenSigner> made =
      DataTokenSigner::create(signing_key(), kSigner, kIssuer, kClientId);
  EXPECT_TRUE(made.ok());
  return std::move(*made);
}

std::vector<std::string> segments(const std::string& token) {
  std::vector<std::string> out;
  std::size_t start = 0;
  for (std::size_t dot; (dot = token.find('.', start)) != std::string::npos; start = dot + 1)
    out.push_back(token.substr(start, dot - start));
  out.push_back(token.substr(start));
  return out;
}

// Decodes padded base64url, as a target that follows ALB does.
std::string decode_padded(std::string text) {
  EXPECT_EQ(text.size() % 4, 0u) << text;
  while (text.ends_with('=')) text.pop_back();
  std::string bytes;
  EXPECT_TRUE(jose::base64url_decode(text, bytes)) << text;
  return bytes;
}

std::vector<std::string> object_keys(const std::string& json) {
  std::vector<std::string> keys;
  const boost::json::value parsed = boost::json::parse(json);
  for (const auto& member : parsed.as_object()) keys.emplace_back(member.key());
  return keys;
}

// Verifies the signature over the padded text exactly as sent, with the key set of the public key.
jose::Status verify_padded(const std::string& token) {
  const std::vector<std::string> parts = segments(token);
  jose::Jws jws;
  jws.alg = jose::Alg::ES256;
  jws.kid = std::string(kKid);
  jws.compact = token;
  jws.signature = decode_padded(parts[2]);
  return jose::verify_signature(jws, jwks_of({signing_key().get()}));
}

TEST(DataToken, HasAlbsHeaderInAlbsOrder) {
  const std::string token = *signer().sign(kClaims, kExp);
  const std::vector<std::string> parts = segments(token);
  ASSERT_EQ(parts.size(), 3u);
  EXPECT_EQ(decode_padded(parts[0]),
            R"({"typ":"JWT","kid":"abb8289f-e3a4-4a34-9472-c2105e2b2482","alg":"ES256",)"
            R"("iss":"https://idp.example.com/oauth2/default","client":"0oa1gatehouse",)"
            R"("signer":"arn:aws:elasticloadbalancing:eu-west-1:373508513302:loadbalancer/app/)"
            R"(gatehouse/50dc6c495c0c9188","exp":1734961644})");
  EXPECT_EQ(object_keys(decode_padded(parts[0])),
            (std::vector<std::string>{"typ", "kid", "alg", "iss", "client", "signer", "exp"}));
}

TEST(DataToken, PayloadIsTheClaimsWithExpAndIssAppended) {
  const std::string payload = decode_padded(segments(*signer().sign(kClaims, kExp))[1]);
  EXPECT_EQ(payload, std::string(kClaims.substr(0, kClaims.size() - 1)) +
                         R"(,"exp":1734961644,"iss":"https://idp.example.com/oauth2/default"})");
  EXPECT_EQ(object_keys(payload), (std::vector<std::string>{"sub", "email_verified", "name",
                                                            "email", "username", "exp", "iss"}));
  const std::string json = payload;
  EXPECT_EQ(json.find("iat"), std::string::npos);
  EXPECT_EQ(json.find("nbf"), std::string::npos);
}

// As in ALB's real tokens: every segment a multiple of 4 characters, padding kept, the
// signature 64 raw bytes in 88 characters ending in "==", base64url's alphabet.
TEST(DataToken, SegmentsArePaddedBase64UrlAndTheSignatureIsRawRS) {
  for (int i = 0; i < 20; ++i) {
    std::string claims(kClaims);
    claims.insert(claims.size() - 1, R"(,"pad":")" + std::string(i, 'p') + R"(")");
    const std::string token = *signer().sign(claims, kExp + i);
    const std::vector<std::string> parts = segments(token);
    ASSERT_EQ(parts.size(), 3u);
    for (const std::string& part : parts) {
      EXPECT_EQ(part.size() % 4, 0u) << part;
      EXPECT_EQ(part.find_first_of("+/"), std::string::npos) << part;
    }
    EXPECT_EQ(parts[2].size(), 88u);
    EXPECT_TRUE(parts[2].ends_with("=="));
    EXPECT_EQ(decode_padded(parts[2]).size(), 64u);
  }
}

TEST(DataToken, SignatureCoversThePaddedTextAsSent) {
  const std::string token = *signer().sign(kClaims, kExp);
  EXPECT_EQ(verify_padded(token), jose::Status::Ok);
  // Stripping the padding breaks it (the pitfall of every ALB verifier).
  std::string stripped;
  for (const std::string& part : segments(token)) {
    std::string unpadded = part.substr(0, part.find('='));
    stripped += (stripped.empty() ? "" : ".") + unpadded;
  }
  jose::Result<jose::Jws> parsed = jose::parse_jws(stripped);
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(jose::verify_signature(*parsed, jwks_of({signing_key().get()})),
            jose::Status::JwtVerificationFail);
}

TEST(DataToken, EveryFlippedBitFails) {
  const std::string token = *signer().sign(kClaims, kExp);
  const std::size_t cut = token.rfind('.');
  for (std::size_t i = 0; i < cut; ++i) {
    if (token[i] == '.' || token[i] == '=') continue;
    std::string altered = token;
    altered[i] = altered[i] == 'A' ? 'B' : 'A';
    EXPECT_NE(verify_padded(altered), jose::Status::Ok) << i;
  }
  const std::string signature = decode_padded(token.substr(cut + 1));
  for (std::size_t bit = 0; bit < signature.size() * 8; ++bit) {
    std::string flipped = signature;
    flipped[bit / 8] = static_cast<char>(flipped[bit / 8] ^ (1 << (bit % 8)));
    EXPECT_EQ(verify_padded(token.substr(0, cut + 1) + base64url_padded(flipped)),
              jose::Status::JwtVerificationFail)
        << bit;
  }
}

TEST(DataToken, TextIsEscapedAsJson) {
  Result<DataTokenSigner> made =
      DataTokenSigner::create(signing_key(), "arn:\"x\"\\", "https://i/\"q\"", "c\"id");
  ASSERT_TRUE(made.ok());
  const std::string header = decode_padded(segments(*made->sign(R"({"sub":"a"})", kExp))[0]);
  EXPECT_NE(header.find(R"("signer":"arn:\"x\"\\")"), std::string::npos) << header;
  EXPECT_NO_THROW(boost::json::parse(header));
}

TEST(DataToken, EmptyAndSpacedObjectsStayValidJson) {
  for (const char* claims : {"{}", "{ }", R"({"sub":"a"} )", "{\n\"sub\":\"a\"\n}"}) {
    Result<std::string> token = signer().sign(claims, kExp);
    ASSERT_TRUE(token.ok()) << claims;
    EXPECT_NO_THROW(boost::json::parse(decode_padded(segments(*token)[1]))) << claims;
  }
}

TEST(DataToken, RefusesClaimsThatAreNoObject) {
  for (const char* claims : {"", "[]", "null", R"("x")", "{", "}", " {}"}) {
    Result<std::string> token = signer().sign(claims, kExp);
    ASSERT_FALSE(token.ok()) << claims;
    EXPECT_EQ(token.error().status, Status::DataTokenSignFailed);
  }
}

TEST(DataToken, NeedsAP256KeyWithAKid) {
  const auto make = [](const jose::PrivateKey& key) {
    auto shared = std::shared_ptr<const jose::PrivateKey>(&key, [](const jose::PrivateKey*) {});
    return DataTokenSigner::create(shared, kSigner, kIssuer, kClientId).ok();
  };
  EXPECT_TRUE(make(cached_key(jose::Alg::ES256, "k")));
  EXPECT_FALSE(make(cached_key(jose::Alg::ES256, "")));
  EXPECT_FALSE(make(cached_key(jose::Alg::ES384, "k")));
  EXPECT_FALSE(make(cached_key(jose::Alg::RS256, "k")));
  EXPECT_FALSE(make(cached_key(jose::Alg::EdDSA, "k")));
  EXPECT_FALSE(DataTokenSigner::create(nullptr, kSigner, kIssuer, kClientId).ok());
}

TEST(DataToken, PaddingHelper) {
  EXPECT_EQ(base64url_padded(""), "");
  EXPECT_EQ(base64url_padded("f"), "Zg==");
  EXPECT_EQ(base64url_padded("fo"), "Zm8=");
  EXPECT_EQ(base64url_padded("foo"), "Zm9v");
  EXPECT_EQ(base64url_padded("\xfb\xff"), "-_8=");
}

// alb-semantics section 4.2: a SubjectPublicKeyInfo of 91 DER bytes, base64 in two lines,
// starting MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE.
TEST(PublicKeyPem, IsAlbsShape) {
  Result<std::string> pem = public_key_pem(*signing_key());
  ASSERT_TRUE(pem.ok());
  EXPECT_TRUE(pem->starts_with("-----BEGIN PUBLIC KEY-----\nMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE"));
  EXPECT_TRUE(pem->ends_with("\n-----END PUBLIC KEY-----\n"));
  const std::vector<std::string> lines = [&] {
    std::vector<std::string> out;
    std::size_t start = 0;
    for (std::size_t end; (end = pem->find('\n', start)) != std::string::npos; start = end + 1)
      out.push_back(pem->substr(start, end - start));
    return out;
  }();
  ASSERT_EQ(lines.size(), 4u);
  EXPECT_EQ(lines[1].size(), 64u);
  EXPECT_EQ(lines[2].size(), 60u);
  std::string der;
  ASSERT_TRUE(jose::base64_decode(lines[1] + lines[2], der));
  EXPECT_EQ(der.size(), 91u);
  EXPECT_FALSE(public_key_pem(cached_key(jose::Alg::RS256, "k")).ok());
}

TEST(UuidKid, IsAVersion4Uuid) {
  std::array<std::uint8_t, 16> random{};
  random.fill(0xff);
  EXPECT_EQ(uuid_kid(random), "ffffffff-ffff-4fff-bfff-ffffffffffff");
  random.fill(0);
  EXPECT_EQ(uuid_kid(random), "00000000-0000-4000-8000-000000000000");
}

}  // namespace
}  // namespace gatehouse::oidc
