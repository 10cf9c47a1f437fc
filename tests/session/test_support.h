// Shared helpers for the session tests: fixed keys, a typical session, and sealing in one line.
#pragma once

#include <gtest/gtest.h>

#include <cstdint>
#include <ostream>
#include <string>
#include <string_view>

#include "session/keys.h"
#include "session/seal.h"
#include "session/session.h"
#include "session/status.h"

namespace gatehouse::session {

// So a failed expectation prints Status(SessionExpired: "session has expired").
inline void PrintTo(Status status, std::ostream* out) {
  *out << "Status(" << status_name(status) << ": \"" << status_message(status) << "\")";
}

// Made with `openssl rand -base64 32`.
inline constexpr std::string_view kKeyA = "mItEZMuNmPkrAZdu/Ojwqlj1L0LZdDP8YC8mGvvu8Wk=";
inline constexpr std::string_view kKeyB = "LJnmeyZE7o+ejMc3JSWQFkDynw/qbIfhvR4AvfAZqZY=";
inline constexpr std::string_view kKeyC = "Yj5RMj3TrNojFjO0m3S77PrOM5SD/+t4+k206FwUS0k=";

inline constexpr std::string_view kCookieName = "AWSELBAuthSessionCookie";
inline constexpr std::int64_t kNow = 1700000000;

// The key set of a key file; fails the test when it does not parse.
inline SessionKeys keys_or_fail(std::string_view file_text) {
  Result<SessionKeys, KeyFileError> keys = SessionKeys::parse(file_text);
  EXPECT_TRUE(keys.ok()) << keys.error().describe("keys");
  if (!keys.ok()) std::abort();
  return std::move(keys).value();
}

// An Okta-like session: short JWT-shaped tokens, a refresh token, userinfo claims.
inline Session typical_session() {
  Session session;
  session.expires_at = kNow + 604800;
  session.access_token = "eyJraWQiOiJrMSIsImFsZyI6IlJTMjU2In0.eyJzdWIiOiJhbGljZSJ9.c2lnbmF0dXJl";
  session.access_token_expires_at = kNow + 3600;
  session.refresh_token = "refresh-token-value";
  session.claims_json = R"({"sub":"00u1b2c3","email":"alice@example.com","groups":["httpbin"]})";
  return session;
}

// The session padded with claims until it is `size` bytes encoded.
inline Session session_of_size(std::size_t size) {
  Session session = typical_session();
  const std::size_t base = encode_session(session)->size();
  session.claims_json += std::string(size > base ? size - base : 0, 'x');
  return session;
}

inline std::string seal_or_fail(const Session& session, const SessionKeys& keys,
                                std::string_view cookie_name = kCookieName) {
  Result<std::string> sealed = seal(session, keys, cookie_name);
  EXPECT_TRUE(sealed.ok()) << status_name(sealed.error());
  return sealed.ok() ? std::move(sealed).value() : std::string();
}

// The status open() gives, Ok included.
inline Status open_status(std::string_view sealed, const SessionKeys& keys,
                          std::string_view cookie_name = kCookieName, std::int64_t now = kNow) {
  return open(sealed, keys, cookie_name, now).status();
}

}  // namespace gatehouse::session
