// Users' passwords as salted PBKDF2-HMAC-SHA256 hashes (OpenSSL EVP), parsed once at start and
// compared in constant time. Internal to the idp module; pure and thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace gatehouse::idp {

inline constexpr std::uint32_t kDefaultHashIterations = 100'000;
inline constexpr std::uint32_t kMaxHashIterations = 10'000'000;
// Longer passwords are refused before hashing, so a huge form field costs nothing.
inline constexpr std::size_t kMaxPasswordBytes = 1024;

struct PasswordHash {
  std::uint32_t iterations = 0;
  std::string salt;  // raw bytes, at least 16
  std::string hash;  // raw bytes, 32 (SHA-256)
};

// "pbkdf2-sha256$<iterations>$<base64url salt>$<base64url hash>"; nullopt when malformed.
std::optional<PasswordHash> parse_password_hash(std::string_view text);

// Derives the hash of `password` under `salt` and `iterations`.
PasswordHash derive_password_hash(std::string_view password, std::string salt,
                                  std::uint32_t iterations);

std::string format_password_hash(const PasswordHash& hash);

// True when `password` hashes to `expected`; false for passwords over kMaxPasswordBytes.
bool password_matches(std::string_view password, const PasswordHash& expected);

}  // namespace gatehouse::idp
