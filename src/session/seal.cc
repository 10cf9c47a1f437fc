#include "session/seal.h"

#include <openssl/evp.h>
#include <openssl/rand.h>

#include <cstring>
#include <memory>

#include "jose/base64url.h"
#include "jose/openssl_ptr.h"

namespace gatehouse::session {
namespace {

using CipherContextPtr = std::unique_ptr<EVP_CIPHER_CTX, jose::OpensslFree<EVP_CIPHER_CTX_free>>;

constexpr std::size_t kHeaderBytes = 1 + kKeyIdBytes;
constexpr std::size_t kCiphertextOffset = kHeaderBytes + kNonceBytes;

// Fetched once per process: OpenSSL 3 would otherwise look the cipher up on every use. The
// object is immutable and shared safely between threads.
const EVP_CIPHER* aes_256_gcm() {
  static EVP_CIPHER* const cipher = EVP_CIPHER_fetch(nullptr, "AES-256-GCM", nullptr);
  return cipher;
}

enum class Direction { Seal, Open };

// AES-256-GCM of `in` into `out`, both sealed.size() - kSealOverheadBytes long, with the
// header and nonce read from `sealed`: sealing writes the tag into `sealed`, opening checks the
// one there. False on any failure, a wrong tag included.
bool run_gcm(Direction direction, const SessionKey& key, std::string_view bound_to,
             std::string& sealed, const unsigned char* in, unsigned char* out) {
  auto* bytes = reinterpret_cast<unsigned char*>(sealed.data());
  const int size = static_cast<int>(sealed.size() - kSealOverheadBytes);
  unsigned char* tag = bytes + kCiphertextOffset + size;
  CipherContextPtr context(EVP_CIPHER_CTX_new());
  int written = 0;
  int final_written = 0;
  if (!context ||
      EVP_CipherInit_ex2(context.get(), aes_256_gcm(), key.bytes.data(), bytes + kHeaderBytes,
                         direction == Direction::Seal ? 1 : 0, nullptr) != 1 ||
      EVP_CipherUpdate(context.get(), nullptr, &written, bytes, kHeaderBytes) != 1 ||
      EVP_CipherUpdate(context.get(), nullptr, &written,
                       reinterpret_cast<const unsigned char*>(bound_to.data()),
                       static_cast<int>(bound_to.size())) != 1 ||
      EVP_CipherUpdate(context.get(), out, &written, in, size) != 1)
    return false;
  if (direction == Direction::Open &&
      EVP_CIPHER_CTX_ctrl(context.get(), EVP_CTRL_AEAD_SET_TAG, kTagBytes, tag) != 1)
    return false;
  if (EVP_CipherFinal_ex(context.get(), out + written, &final_written) != 1) return false;
  return direction == Direction::Open ||
         EVP_CIPHER_CTX_ctrl(context.get(), EVP_CTRL_AEAD_GET_TAG, kTagBytes, tag) == 1;
}

}  // namespace

Result<std::string> seal_bytes(std::string_view plaintext, const SessionKeys& keys,
                               std::string_view context) {
  if (plaintext.size() > kMaxPlaintextBytes) return Status::SessionTooLarge;
  jose::OpensslErrorScope openssl_errors;
  const SessionKey& key = keys.sealing_key();
  std::string sealed(kSealOverheadBytes + plaintext.size(), '\0');
  sealed[0] = static_cast<char>(kSealVersion);
  std::memcpy(sealed.data() + 1, key.id.data(), kKeyIdBytes);
  auto* bytes = reinterpret_cast<unsigned char*>(sealed.data());
  if (RAND_bytes(bytes + kHeaderBytes, kNonceBytes) != 1 ||
      !run_gcm(Direction::Seal, key, context, sealed,
               reinterpret_cast<const unsigned char*>(plaintext.data()), bytes + kCiphertextOffset))
    return Status::SealFailed;
  return jose::base64_encode(sealed);
}

Result<std::string> open_bytes(std::string_view sealed_text, const SessionKeys& keys,
                               std::string_view context) {
  if (sealed_text.size() > kMaxSealedBytes) return Status::CookieTooLarge;
  std::string sealed;
  if (!jose::base64_decode(sealed_text, sealed)) return Status::CookieBadBase64;
  if (sealed.size() < kSealOverheadBytes) return Status::CookieTooShort;
  if (static_cast<std::uint8_t>(sealed[0]) != kSealVersion) return Status::CookieUnsupportedVersion;
  KeyId key_id;
  std::memcpy(key_id.data(), sealed.data() + 1, kKeyIdBytes);

  jose::OpensslErrorScope openssl_errors;
  std::string plaintext(sealed.size() - kSealOverheadBytes, '\0');
  const auto* ciphertext =
      reinterpret_cast<const unsigned char*>(sealed.data()) + kCiphertextOffset;
  bool key_known = false;
  // Keys share an id only by a 1 in 2^32 accident; trying each such key keeps that harmless.
  for (const SessionKey& key : keys.all()) {
    if (key.id != key_id) continue;
    key_known = true;
    if (run_gcm(Direction::Open, key, context, sealed, ciphertext,
                reinterpret_cast<unsigned char*>(plaintext.data())))
      return plaintext;
  }
  return key_known ? Status::CookieAuthenticationFailed : Status::CookieUnknownKey;
}

Result<std::string> seal(const Session& session, const SessionKeys& keys,
                         std::string_view cookie_name) {
  Result<std::string> encoded = encode_session(session);
  if (!encoded.ok()) return encoded;
  return seal_bytes(*encoded, keys, cookie_name);
}

Result<Session> open(std::string_view sealed, const SessionKeys& keys, std::string_view cookie_name,
                     std::int64_t now) {
  Result<std::string> plaintext = open_bytes(sealed, keys, cookie_name);
  if (!plaintext.ok()) return plaintext.error();
  Result<Session> session = decode_session(*plaintext);
  if (session.ok() && now >= session->expires_at) return Status::SessionExpired;
  return session;
}

}  // namespace gatehouse::session
