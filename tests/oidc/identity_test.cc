// The identity headers: every client-supplied x-amzn-oidc-* removed, the three of a session
// added, and the per-request identity (sub, data token that never outlives the session).
#include "oidc/identity.h"

#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "jose/base64url.h"
#include "test_support.h"

namespace gatehouse::oidc {
namespace {

std::vector<std::string> names(const http1::Fields& fields) {
  std::vector<std::string> out;
  for (const http1::Field& field : fields.all()) out.emplace_back(field.name);
  return out;
}

TEST(StripOidcHeaders, RemovesEveryClientSuppliedOneInAnyCase) {
  http1::Fields fields;
  for (const char* name :
       {"Host", "x-amzn-oidc-identity", "X-Amzn-Oidc-Data", "X-AMZN-OIDC-ACCESSTOKEN",
        "x-amzn-oidc-future-suffix", "x-amzn-oidc-", "X-Amzn-Trace-Id", "x-amzn-oidc",
        "x-amzn-oidcdata", "cookie", "x-amzn-oidc-identity"}) {
    fields.add(name, "forged");
  }
  EXPECT_EQ(strip_oidc_headers(fields), 6u);
  EXPECT_EQ(names(fields), (std::vector<std::string>{"Host", "X-Amzn-Trace-Id", "x-amzn-oidc",
                                                     "x-amzn-oidcdata", "cookie"}));
  EXPECT_EQ(strip_oidc_headers(fields), 0u);
}

session::Session alice_session() {
  session::Session session;
  session.expires_at = kNow + 604800;
  session.access_token = "eyJ.access.token";
  session.access_token_expires_at = kNow + 3600;
  session.claims_json = R"({"sub":"00u1alice","groups":["httpbin"]})";
  return session;
}

class ForwardedIdentityTest : public ::testing::Test {
 protected:
  ForwardedIdentityTest()
      : signer_(std::move(*DataTokenSigner::create(
            std::make_shared<const jose::PrivateKey>(
                jose::PrivateKey::generate(jose::Alg::ES256, "kid-1").value()),
            "gatehouse", kIssuer, kClientId))) {}

  std::string exp_of(const std::string& token) {
    std::string header = token.substr(0, token.find('.'));
    while (header.ends_with('=')) header.pop_back();
    std::string json;
    EXPECT_TRUE(jose::base64url_decode(header, json));
    const std::size_t at = json.find("\"exp\":");
    return json.substr(at + 6, json.size() - at - 7);
  }

  const DataTokenSigner signer_;
};

TEST_F(ForwardedIdentityTest, AddsTheThreeHeadersAfterTheStrip) {
  const session::Session session = alice_session();
  Result<ForwardedIdentity> identity = forwarded_identity(session, signer_, kNow);
  ASSERT_TRUE(identity.ok());
  EXPECT_EQ(identity->subject, "00u1alice");
  http1::Fields fields;
  fields.add("X-Amzn-Oidc-Identity", "forged");
  strip_oidc_headers(fields);
  add_oidc_headers(fields, session.access_token, *identity);
  EXPECT_EQ(names(fields), (std::vector<std::string>{"x-amzn-oidc-accesstoken",
                                                     "x-amzn-oidc-identity", "x-amzn-oidc-data"}));
  EXPECT_EQ(fields.get("x-amzn-oidc-accesstoken"), "eyJ.access.token");
  EXPECT_EQ(fields.get("x-amzn-oidc-identity"), "00u1alice");
  EXPECT_EQ(fields.get("x-amzn-oidc-data"), identity->data_token);
}

// kNow is 20 s into its minute: the token ends 120 s after the minute's start.
TEST_F(ForwardedIdentityTest, TheDataTokenLivesUpToTwoMinutesButNotPastTheSession) {
  ASSERT_EQ(kNow % 60, 20);
  session::Session session = alice_session();
  EXPECT_EQ(exp_of(forwarded_identity(session, signer_, kNow)->data_token),
            std::to_string(kNow - 20 + kDataTokenLifetimeSeconds));
  EXPECT_EQ(exp_of(forwarded_identity(session, signer_, kNow + 39)->data_token),
            std::to_string(kNow + 100));
  EXPECT_EQ(exp_of(forwarded_identity(session, signer_, kNow + 40)->data_token),
            std::to_string(kNow + 160));
  session.expires_at = kNow + 30;
  EXPECT_EQ(exp_of(forwarded_identity(session, signer_, kNow)->data_token),
            std::to_string(kNow + 30));
}

TEST_F(ForwardedIdentityTest, TheCacheReusesATokenWithinItsMinuteOnly) {
  DataTokenCache cache;
  session::Session session = alice_session();
  const std::string first = forwarded_identity(session, signer_, kNow, &cache)->data_token;
  EXPECT_EQ(forwarded_identity(session, signer_, kNow + 39, &cache)->data_token, first);
  EXPECT_EQ(cache.size(), 1u);
  // ECDSA signatures are randomized: an equal token can only have come from the cache.
  EXPECT_NE(forwarded_identity(session, signer_, kNow)->data_token, first);
  // Other claims, another session end, the next minute: another token.
  session::Session bob = alice_session();
  bob.claims_json = R"({"sub":"00u1bob"})";
  EXPECT_NE(forwarded_identity(bob, signer_, kNow, &cache)->data_token, first);
  session::Session short_lived = alice_session();
  short_lived.expires_at = kNow + 30;
  EXPECT_NE(forwarded_identity(short_lived, signer_, kNow, &cache)->data_token, first);
  EXPECT_EQ(cache.size(), 3u);
  const std::string next = forwarded_identity(session, signer_, kNow + 40, &cache)->data_token;
  EXPECT_NE(next, first);
  EXPECT_EQ(exp_of(next), std::to_string(kNow + 160));
  EXPECT_EQ(cache.size(), 1u);
}

TEST_F(ForwardedIdentityTest, TheCacheKeepsSignersApartAndStaysBounded) {
  const DataTokenSigner other = std::move(
      *DataTokenSigner::create(std::make_shared<const jose::PrivateKey>(
                                   jose::PrivateKey::generate(jose::Alg::ES256, "kid-1").value()),
                               "gatehouse", "https://other-issuer.example", kClientId));
  DataTokenCache cache(2);
  const session::Session session = alice_session();
  const std::string mine = forwarded_identity(session, signer_, kNow, &cache)->data_token;
  const std::string theirs = forwarded_identity(session, other, kNow, &cache)->data_token;
  EXPECT_NE(mine.substr(0, mine.find('.')), theirs.substr(0, theirs.find('.')));
  EXPECT_EQ(cache.size(), 2u);
  forwarded_identity(session, signer_, kNow, &cache);  // full: dropped, then this one kept
  EXPECT_EQ(cache.size(), 1u);
}

TEST_F(ForwardedIdentityTest, ClaimsWithoutAUsableSubAreAnError) {
  session::Session session = alice_session();
  for (const char* claims : {"", "{}", R"({"sub":7})", "not json"}) {
    session.claims_json = claims;
    Result<ForwardedIdentity> identity = forwarded_identity(session, signer_, kNow);
    ASSERT_FALSE(identity.ok()) << claims;
    EXPECT_EQ(identity.error().status, Status::SessionClaimsInvalid);
  }
}

}  // namespace
}  // namespace gatehouse::oidc
