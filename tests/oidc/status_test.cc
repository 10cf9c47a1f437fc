// oidc::Status: one stable name, message, HTTP status and access-log reason per code; ALB's
// reason strings and statuses where ALB documents them.
#include "oidc/status.h"

#include <gtest/gtest.h>

#include <set>
#include <string>

namespace gatehouse::oidc {
namespace {

TEST(OidcStatus, EveryCodeHasANameAndAMessageAllDistinct) {
  std::set<std::string_view> names, messages;
  for (Status status : kAllStatuses) {
    EXPECT_FALSE(status_name(status).empty());
    EXPECT_FALSE(status_message(status).empty()) << status_name(status);
    EXPECT_FALSE(log_reason(status).empty()) << status_name(status);
    EXPECT_TRUE(names.insert(status_name(status)).second) << status_name(status);
    EXPECT_TRUE(messages.insert(status_message(status)).second) << status_message(status);
  }
}

TEST(OidcStatus, EveryFailureAnswers401500Or561) {
  for (Status status : kAllStatuses) {
    if (status == Status::Ok) continue;
    const int http = http_status(status);
    EXPECT_TRUE(http == 401 || http == 500 || http == 561) << status_name(status) << " " << http;
    EXPECT_TRUE(log_reason(status).starts_with("Auth")) << status_name(status);
  }
  EXPECT_EQ(http_status(Status::Ok), 200);
  EXPECT_EQ(log_reason(Status::Ok), "-");
}

// alb-semantics section 3.4 and the access-log reasons of section 6.
TEST(OidcStatus, AlbReasonsAndStatusesArePinned) {
  struct Pin {
    Status status;
    int http;
    std::string_view reason;
  };
  for (const Pin& pin :
       {Pin{Status::MissingState, 401, "AuthMissingStateParam"},
        Pin{Status::InvalidState, 401, "AuthInvalidStateParam"},
        Pin{Status::MissingNonceCookie, 401, "AuthMissingAWSALBAuthNonce"},
        Pin{Status::NonceCookieMismatch, 401, "AuthInvalidAWSALBAuthNonce"},
        Pin{Status::MissingCode, 401, "AuthMissingCodeParam"},
        Pin{Status::MissingHost, 401, "AuthMissingHostHeader"},
        Pin{Status::TokenEndpointError, 561, "AuthTokenEpRequestFailed"},
        Pin{Status::TokenInvalidGrant, 561, "AuthInvalidGrantError"},
        Pin{Status::TokenEndpointUnreachable, 500, "AuthTokenEpRequestTimeout"},
        Pin{Status::TokenResponseNoIdToken, 401, "AuthInvalidTokenResponse"},
        Pin{Status::IdTokenWrongIssuer, 401, "AuthInvalidIdToken"},
        Pin{Status::UserinfoEndpointError, 561, "AuthUserinfoEpRequestFailed"},
        Pin{Status::UserinfoEndpointUnreachable, 500, "AuthUserinfoEpRequestTimeout"},
        Pin{Status::UserinfoNotJson, 401, "AuthInvalidUserinfoResponse"},
        Pin{Status::UserinfoTooLarge, 401, "AuthUserinfoResponseSizeExceeded"},
        Pin{Status::IdpError, 401, "AuthIdpError"},
        Pin{Status::StateExpired, 401, "AuthStateExpired"}}) {
    EXPECT_EQ(http_status(pin.status), pin.http) << status_name(pin.status);
    EXPECT_EQ(log_reason(pin.status), pin.reason) << status_name(pin.status);
  }
}

TEST(OidcStatus, AValueOutsideTheEnumHasNoText) {
  const auto outside = static_cast<Status>(10000);
  EXPECT_EQ(status_name(outside), "");
  EXPECT_EQ(status_message(outside), "");
  EXPECT_EQ(http_status(outside), 0);
}

}  // namespace
}  // namespace gatehouse::oidc
