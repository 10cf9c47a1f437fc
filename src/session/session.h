// The session an authenticate-oidc login leaves in the browser (ALB's session cookie
// contents), and its compact binary form, the plaintext that seal() encrypts. Plain values and
// pure functions; safe from any thread.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "session/result.h"

namespace gatehouse::session {

struct Session {
  // Unix seconds; the session ends here (sessionTimeout after login, whatever the IdP says).
  std::int64_t expires_at = 0;
  std::string access_token;
  // Unix seconds, from the token response's expires_in; past it a refresh is due.
  std::int64_t access_token_expires_at = 0;
  std::optional<std::string> refresh_token;
  std::optional<std::string> id_token;
  // The userinfo response as received (a JSON object), for x-amzn-oidc-data.
  std::string claims_json;

  bool operator==(const Session&) const = default;
};

// The binary form: expires_at and access_token_expires_at as big-endian 64-bit integers, a
// flags byte (1: refresh token present, 2: ID token present), then access token, [refresh
// token], [ID token] and claims, each as a big-endian 16-bit length and its bytes. Fails with
// SessionTooLarge when a field is longer than 65535 bytes (seal() has the tighter cookie limit).
Result<std::string> encode_session(const Session& session);

// The inverse, strictly: unknown flag bits, a length past the end or bytes after the claims
// fail with CookieBadPayload. Every accepted text is the encoding of what it decodes to.
Result<Session> decode_session(std::string_view bytes);

}  // namespace gatehouse::session
