// Sealing a session into the opaque cookie value and opening it again: AES-256-GCM under the
// first key of a SessionKeys, a fresh random 96-bit nonce per seal, the cookie name
// authenticated with it, standard base64 out. Pure functions; safe from any thread.
//
// Sealed bytes, before base64:  version (1) | key id (4) | nonce (12) | ciphertext | tag (16)
// The associated data is version | key id | cookie name: a value sealed for one cookie name
// fails authentication under any other, and a changed header byte fails like any other.
//
// Usage on the request path:
//   Result<std::string> sealed = join_shards(cookies, cookie_name);
//   Result<Session> session = sealed.ok() ? open(*sealed, keys, cookie_name, now) : sealed.error();
//   if (!session.ok()) -> no session (log status_name(session.error())), log in again
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "session/keys.h"
#include "session/result.h"
#include "session/session.h"
#include "session/shards.h"

namespace gatehouse::session {

inline constexpr std::uint8_t kSealVersion = 1;
inline constexpr std::size_t kNonceBytes = 12;
inline constexpr std::size_t kTagBytes = 16;
inline constexpr std::size_t kSealOverheadBytes = 1 + kKeyIdBytes + kNonceBytes + kTagBytes;
// The most plaintext whose sealed text still fits every shard (base64: 3 bytes per 4 chars).
inline constexpr std::size_t kMaxPlaintextBytes = kMaxSealedBytes / 4 * 3 - kSealOverheadBytes;

// Encrypts `plaintext` bound to `context` under keys.sealing_key(). Fails with SessionTooLarge
// beyond kMaxPlaintextBytes, or SealFailed when OpenSSL (its random generator included) fails.
Result<std::string> seal_bytes(std::string_view plaintext, const SessionKeys& keys,
                               std::string_view context);

// The plaintext of a sealed text bound to `context`, opened with whichever key its key id
// names. Fails with CookieTooLarge, CookieBadBase64, CookieTooShort, CookieUnsupportedVersion,
// CookieUnknownKey or CookieAuthenticationFailed; never on any other path.
Result<std::string> open_bytes(std::string_view sealed, const SessionKeys& keys,
                               std::string_view context);

// encode_session, then seal_bytes bound to `cookie_name` (the name without the -N suffix).
Result<std::string> seal(const Session& session, const SessionKeys& keys,
                         std::string_view cookie_name);

// open_bytes bound to `cookie_name`, then decode_session (CookieBadPayload), then
// SessionExpired unless now < expires_at. The access token's own expiry is not checked here:
// it is the caller's cue to refresh.
Result<Session> open(std::string_view sealed, const SessionKeys& keys, std::string_view cookie_name,
                     std::int64_t now);

}  // namespace gatehouse::session
