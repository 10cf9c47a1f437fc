// SessionKeys: the AES-256 keys that seal and open session cookies, read from the text of a key
// file. The first key seals, every key opens, so a new key can be put first while cookies
// sealed under the old one still open. Immutable once parsed; safe to share between threads.
//
// Key file format: one key per line, base64 (standard or url-safe, padding optional) of exactly
// 32 random bytes (`openssl rand -base64 32`); blank lines and lines starting with '#' are
// ignored; leading and trailing spaces, tabs and a trailing CR are ignored.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "session/result.h"

namespace gatehouse::session {

inline constexpr std::size_t kKeyBytes = 32;
// Carried in the clear in every sealed value, so opening goes straight to the right key.
inline constexpr std::size_t kKeyIdBytes = 4;

using KeyId = std::array<std::uint8_t, kKeyIdBytes>;

struct SessionKey {
  std::array<std::uint8_t, kKeyBytes> bytes{};
  KeyId id{};  // the first 4 bytes of SHA-256(bytes)

  SessionKey() = default;
  SessionKey(const SessionKey&) = default;
  SessionKey& operator=(const SessionKey&) = default;
  // Wiped, so a key dropped by a reload does not linger in freed memory.
  ~SessionKey();
};

// Why a key file is refused: KeyFileEmpty (line 0), or KeyBadBase64, KeyWrongLength or
// KeyDuplicate with the 1-based line of the offending key.
struct KeyFileError {
  Status status = Status::KeyFileEmpty;
  std::size_t line = 0;

  // "PATH:LINE: message", or "PATH: message" without a line: the house config-error format.
  std::string describe(std::string_view path) const;
};

class SessionKeys {
 public:
  // Parses the text of a key file; fails on the first bad line, or when there is no key.
  static Result<SessionKeys, KeyFileError> parse(std::string_view text);

  // The key that seals: the first one of the file.
  const SessionKey& sealing_key() const { return keys_.front(); }
  // Every key, in file order; never empty.
  std::span<const SessionKey> all() const { return keys_; }

 private:
  SessionKeys() = default;  // only parse() makes one, so there is always a sealing key

  std::vector<SessionKey> keys_;
};

}  // namespace gatehouse::session
