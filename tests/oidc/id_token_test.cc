// ID token validation: the signature against the issuer's keys, then iss, aud, azp, exp/nbf,
// sub and nonce, each refused with its own status; tokens from other keys, altered and hostile.
#include "oidc/id_token.h"

#include <gtest/gtest.h>

#include <boost/json/serialize.hpp>
#include <string>

#include "jose/base64url.h"
#include "test_support.h"

namespace gatehouse::oidc {
namespace {

using jose::Alg;

const jose::PrivateKey& idp_key() { return cached_key(Alg::RS256, "idp-rs256"); }

boost::json::object good_claims() {
  return {{"iss", kIssuer},        {"sub", "00u1alice"}, {"aud", kClientId},
          {"iat", kNow - 10},      {"exp", kNow + 3600}, {"nonce", kIdTokenNonce},
          {"auth_time", kNow - 20}};
}

std::string sign(const boost::json::object& claims, const jose::PrivateKey& key = idp_key(),
                 Alg alg = Alg::RS256) {
  const std::string header =
      R"({"alg":")" + std::string(jose::alg_name(alg)) + R"(","kid":")" + key.kid() + R"("})";
  jose::Result<std::string> token =
      jose::sign_compact(header, boost::json::serialize(claims), key, alg);
  EXPECT_TRUE(token.ok());
  return token.ok() ? *token : std::string();
}

IdTokenCheck check(std::string_view nonce = kIdTokenNonce, std::int64_t now = kNow) {
  return {.issuer = kIssuer, .client_id = kClientId, .nonce = nonce, .now = now};
}

class IdTokenTest : public ::testing::Test {
 protected:
  Status status(const std::string& token, const IdTokenCheck& c = check()) {
    Result<IdToken> id = validate_id_token(token, keys_, c);
    return id.ok() ? Status::Ok : id.error().status;
  }
  Status with(const char* name, boost::json::value value) {
    boost::json::object claims = good_claims();
    claims[name] = std::move(value);
    return status(sign(claims));
  }
  Status without(const char* name) {
    boost::json::object claims = good_claims();
    claims.erase(name);
    return status(sign(claims));
  }

  const jose::Jwks keys_ = jwks_of({&idp_key(), &cached_key(Alg::ES256, "idp-es256")});
};

TEST_F(IdTokenTest, AGoodTokenGivesItsSubjectAndExpiry) {
  Result<IdToken> id = validate_id_token(sign(good_claims()), keys_, check());
  ASSERT_TRUE(id.ok()) << status_name(id.error().status) << " " << id.error().detail;
  EXPECT_EQ(id->subject, "00u1alice");
  EXPECT_EQ(id->expires_at, kNow + 3600);
  EXPECT_EQ(status(sign(good_claims(), cached_key(Alg::ES256, "idp-es256"), Alg::ES256)),
            Status::Ok);
}

TEST_F(IdTokenTest, NotAJwtIsMalformed) {
  for (const char* token : {"", "a.b", "a.b.c", "eyJhbGciOiJub25lIn0.e30.", "x.y.z.w"}) {
    Result<IdToken> id = validate_id_token(token, keys_, check());
    ASSERT_FALSE(id.ok());
    EXPECT_EQ(id.error().status, Status::IdTokenMalformed) << token;
    EXPECT_FALSE(id.error().detail.empty());
  }
  EXPECT_EQ(status(std::string(40000, 'a')), Status::IdTokenMalformed);
}

TEST_F(IdTokenTest, AlgNoneIsRefused) {
  const std::string token = jose::base64url_encode(R"({"alg":"none"})") + "." +
                            jose::base64url_encode(boost::json::serialize(good_claims())) + ".";
  EXPECT_EQ(status(token), Status::IdTokenMalformed);
}

TEST_F(IdTokenTest, ATokenFromAnotherKeyIsRefused) {
  const jose::PrivateKey& stranger = cached_key(Alg::RS256, "idp-rs256-other");
  Result<IdToken> id = validate_id_token(sign(good_claims(), stranger), keys_, check());
  ASSERT_FALSE(id.ok());
  EXPECT_EQ(id.error().status, Status::IdTokenBadSignature);
  EXPECT_EQ(id.error().detail, "JwksKidAlgMismatch");
  // Same kid as the IdP's key, other key material.
  const jose::PrivateKey& impostor = cached_key(Alg::ES256, "idp-es256-impostor");
  const std::string header = R"({"alg":"ES256","kid":"idp-es256"})";
  jose::Result<std::string> forged =
      jose::sign_compact(header, boost::json::serialize(good_claims()), impostor, Alg::ES256);
  ASSERT_TRUE(forged.ok());
  EXPECT_EQ(status(*forged), Status::IdTokenBadSignature);
}

// An HS256 token "signed" with something public (the client secret is not a key here).
TEST_F(IdTokenTest, AnHmacTokenIsRefused) {
  const jose::PrivateKey& secret = cached_key(Alg::HS256, "idp-rs256");
  EXPECT_EQ(status(sign(good_claims(), secret, Alg::HS256)), Status::IdTokenBadSignature);
}

TEST_F(IdTokenTest, EveryFlippedSignatureBitIsRefused) {
  const std::string token = sign(good_claims(), cached_key(Alg::ES256, "idp-es256"), Alg::ES256);
  const std::size_t cut = token.rfind('.') + 1;
  std::string signature;
  ASSERT_TRUE(jose::base64url_decode(token.substr(cut), signature));
  for (std::size_t bit = 0; bit < signature.size() * 8; ++bit) {
    std::string flipped = signature;
    flipped[bit / 8] = static_cast<char>(flipped[bit / 8] ^ (1 << (bit % 8)));
    EXPECT_EQ(status(token.substr(0, cut) + jose::base64url_encode(flipped)),
              Status::IdTokenBadSignature)
        << bit;
  }
}

TEST_F(IdTokenTest, TheIssuerMustBeTheConfiguredOneExactly) {
  EXPECT_EQ(with("iss", "https://idp.example.com/oauth2/default/"), Status::IdTokenWrongIssuer);
  EXPECT_EQ(with("iss", "https://IDP.example.com/oauth2/default"), Status::IdTokenWrongIssuer);
  EXPECT_EQ(with("iss", "https://evil.example.com"), Status::IdTokenWrongIssuer);
  EXPECT_EQ(without("iss"), Status::IdTokenWrongIssuer);
}

TEST_F(IdTokenTest, TheAudienceMustHoldTheClientId) {
  EXPECT_EQ(with("aud", "another-client"), Status::IdTokenWrongAudience);
  EXPECT_EQ(with("aud", boost::json::array{"a", "b"}), Status::IdTokenWrongAudience);
  EXPECT_EQ(with("aud", boost::json::array{}), Status::IdTokenWrongAudience);
  EXPECT_EQ(without("aud"), Status::IdTokenWrongAudience);
  EXPECT_EQ(with("aud", boost::json::array{kClientId}), Status::Ok);
}

TEST_F(IdTokenTest, WithSeveralAudiencesAzpMustBeTheClient) {
  boost::json::object claims = good_claims();
  claims["aud"] = boost::json::array{kClientId, "api://default"};
  EXPECT_EQ(status(sign(claims)), Status::IdTokenWrongAuthorizedParty);
  claims["azp"] = "api://default";
  EXPECT_EQ(status(sign(claims)), Status::IdTokenWrongAuthorizedParty);
  claims["azp"] = kClientId.data();
  EXPECT_EQ(status(sign(claims)), Status::Ok);
  EXPECT_EQ(with("azp", "someone-else"), Status::IdTokenWrongAuthorizedParty);
  EXPECT_EQ(with("azp", 1), Status::IdTokenWrongAuthorizedParty);
  EXPECT_EQ(with("azp", kClientId.data()), Status::Ok);
}

TEST_F(IdTokenTest, ExpiryIsRequiredAndCheckedWithASmallSkew) {
  EXPECT_EQ(without("exp"), Status::IdTokenNoExpiry);
  EXPECT_EQ(with("exp", kNow - 60), Status::Ok);
  EXPECT_EQ(with("exp", kNow - 61), Status::IdTokenExpired);
  EXPECT_EQ(with("nbf", kNow + 60), Status::Ok);
  EXPECT_EQ(with("nbf", kNow + 61), Status::IdTokenNotYetValid);
  EXPECT_EQ(with("exp", "tomorrow"), Status::IdTokenMalformed);
}

TEST_F(IdTokenTest, TheSubjectIsRequired) {
  EXPECT_EQ(without("sub"), Status::IdTokenNoSubject);
  EXPECT_EQ(with("sub", ""), Status::IdTokenNoSubject);
  EXPECT_EQ(with("sub", 42), Status::IdTokenMalformed);
}

TEST_F(IdTokenTest, TheNonceMustBeTheLoginsWhenOneWasSent) {
  EXPECT_EQ(without("nonce"), Status::IdTokenNoNonce);
  EXPECT_EQ(with("nonce", "replayed-from-another-login"), Status::IdTokenWrongNonce);
  EXPECT_EQ(with("nonce", 5), Status::IdTokenWrongNonce);
  boost::json::object claims = good_claims();
  claims.erase("nonce");
  EXPECT_EQ(status(sign(claims), check("")), Status::Ok);  // none sent (or a refresh)
  EXPECT_EQ(status(sign(good_claims()), check("")), Status::Ok);
}

// The checks run in a fixed order, so a token failing several reports the first.
TEST_F(IdTokenTest, ChecksRunInOrder) {
  boost::json::object claims = good_claims();
  claims["iss"] = "x";
  claims["aud"] = "y";
  claims.erase("exp");
  EXPECT_EQ(status(sign(claims)), Status::IdTokenWrongIssuer);
  EXPECT_EQ(status(sign(claims, cached_key(Alg::RS256, "idp-rs256-other"))),
            Status::IdTokenBadSignature);
}

}  // namespace
}  // namespace gatehouse::oidc
