#include "session/keys.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include <algorithm>
#include <cstring>

#include "jose/base64url.h"

namespace gatehouse::session {
namespace {

std::string_view trim(std::string_view text) {
  constexpr std::string_view kBlank = " \t\r";
  const std::size_t start = text.find_first_not_of(kBlank);
  if (start == std::string_view::npos) return {};
  return text.substr(start, text.find_last_not_of(kBlank) - start + 1);
}

// Operators paste keys from `openssl rand -base64 32` as well as from url-safe generators, with
// or without padding; both spellings are mapped onto strict standard base64.
bool decode_key_text(std::string_view line, std::string& bytes) {
  std::string standard(line);
  std::replace(standard.begin(), standard.end(), '-', '+');
  std::replace(standard.begin(), standard.end(), '_', '/');
  if (standard.size() % 4 != 0 && standard.back() != '=')
    standard.append(4 - standard.size() % 4, '=');
  return jose::base64_decode(standard, bytes);
}

KeyId key_id_of(const std::array<std::uint8_t, kKeyBytes>& key) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  std::size_t digest_size = 0;
  // Should SHA-256 ever be unavailable every id stays zero: opening then tries each key in
  // turn, as it does for any two keys that share an id, so nothing opens wrongly.
  KeyId id{};
  if (EVP_Q_digest(nullptr, "SHA256", nullptr, key.data(), key.size(), digest, &digest_size) == 1)
    std::memcpy(id.data(), digest, id.size());
  return id;
}

}  // namespace

SessionKey::~SessionKey() { OPENSSL_cleanse(bytes.data(), bytes.size()); }

std::string KeyFileError::describe(std::string_view path) const {
  std::string text(path);
  if (line != 0) text += ":" + std::to_string(line);
  text += ": ";
  text += status_message(status);
  return text;
}

Result<SessionKeys, KeyFileError> SessionKeys::parse(std::string_view text) {
  SessionKeys keys;
  std::string decoded;
  std::size_t line_number = 0;
  for (std::size_t start = 0; start < text.size();) {
    const std::size_t end = std::min(text.find('\n', start), text.size());
    const std::string_view line = trim(text.substr(start, end - start));
    start = end + 1;
    ++line_number;
    if (line.empty() || line.front() == '#') continue;

    const bool decodes = decode_key_text(line, decoded);
    const std::size_t decoded_size = decoded.size();
    SessionKey key;
    if (decodes && decoded_size == kKeyBytes)
      std::memcpy(key.bytes.data(), decoded.data(), kKeyBytes);
    OPENSSL_cleanse(decoded.data(), decoded.size());
    if (!decodes) return KeyFileError{Status::KeyBadBase64, line_number};
    if (decoded_size != kKeyBytes) return KeyFileError{Status::KeyWrongLength, line_number};
    if (std::any_of(keys.keys_.begin(), keys.keys_.end(),
                    [&](const SessionKey& other) { return other.bytes == key.bytes; }))
      return KeyFileError{Status::KeyDuplicate, line_number};
    key.id = key_id_of(key.bytes);
    keys.keys_.push_back(key);
  }
  if (keys.keys_.empty()) return KeyFileError{Status::KeyFileEmpty, 0};
  return keys;
}

}  // namespace gatehouse::session
