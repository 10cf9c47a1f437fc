// Every Status has a distinct name and message; the messages Envoy users see are pinned.
#include "jose/status.h"

#include <gtest/gtest.h>

#include <set>
#include <string_view>

namespace gatehouse::jose {
namespace {

TEST(JoseStatus, EveryStatusHasADistinctNonEmptyMessageAndName) {
  std::set<std::string_view> messages, names;
  for (Status status : kAllStatuses) {
    EXPECT_FALSE(status_message(status).empty());
    EXPECT_TRUE(messages.insert(status_message(status)).second) << status_message(status);
    EXPECT_TRUE(names.insert(status_name(status)).second) << status_name(status);
  }
}

TEST(JoseStatus, NamesAreTheEnumerators) {
  EXPECT_EQ(status_name(Status::Ok), "Ok");
  EXPECT_EQ(status_name(Status::JwtExpired), "JwtExpired");
  EXPECT_EQ(status_name(Status::JwksKidAlgMismatch), "JwksKidAlgMismatch");
}

// Envoy's 401/403 bodies (google/jwt_verify_lib src/status.cc), word for word.
TEST(JoseStatus, MessagesMatchEnvoy) {
  EXPECT_EQ(status_message(Status::JwtMissed), "Jwt is missing");
  EXPECT_EQ(status_message(Status::JwtExpired), "Jwt is expired");
  EXPECT_EQ(status_message(Status::JwtNotYetValid), "Jwt not yet valid");
  EXPECT_EQ(status_message(Status::JwtBadFormat),
            "Jwt is not in the form of Header.Payload.Signature with two dots and 3 sections");
  EXPECT_EQ(status_message(Status::JwtHeaderBadAlg),
            "Jwt header [alg] field is required and must be a string");
  EXPECT_EQ(status_message(Status::JwtHeaderNotImplementedAlg),
            "Jwt header [alg] is not supported");
  EXPECT_EQ(status_message(Status::JwtUnknownIssuer), "Jwt issuer is not configured");
  EXPECT_EQ(status_message(Status::JwtAudienceNotAllowed), "Audiences in Jwt are not allowed");
  EXPECT_EQ(status_message(Status::JwtVerificationFail), "Jwt verification fails");
  EXPECT_EQ(status_message(Status::JwksKidAlgMismatch),
            "Jwks doesn't have key to match kid or alg from Jwt");
  EXPECT_EQ(status_message(Status::JwksFetchFail), "Jwks remote fetch is failed");
  EXPECT_EQ(status_message(Status::JwksNoValidKeys), "Jwks doesn't have any valid public key");
}

}  // namespace
}  // namespace gatehouse::jose
