#include "authn/key_table.h"

#include <openssl/evp.h>

#include <array>
#include <optional>

namespace gatehouse::authn {
namespace {

std::optional<std::string> sha256_hex(std::string_view text) {
  std::array<unsigned char, EVP_MAX_MD_SIZE> digest;
  unsigned int size = 0;
  if (EVP_Digest(text.data(), text.size(), digest.data(), &size, EVP_sha256(), nullptr) != 1)
    return std::nullopt;
  static constexpr char kHex[] = "0123456789abcdef";
  std::string hex;
  hex.reserve(2 * size);
  for (unsigned int i = 0; i < size; ++i) {
    hex += kHex[digest[i] >> 4];
    hex += kHex[digest[i] & 0xf];
  }
  return hex;
}

}  // namespace

std::string key_source_id(const config::JwtRule& rule) {
  if (!rule.jwks.empty()) {
    // Should OpenSSL fail to hash (memory exhaustion), the text itself keeps the id unique:
    // two rules must never share a key set by accident.
    return "inline:" + sha256_hex(rule.jwks).value_or(rule.jwks);
  }
  if (!rule.jwks_uri.empty()) return "uri:" + rule.jwks_uri;
  return "discovery:" + rule.issuer;
}

}  // namespace gatehouse::authn
