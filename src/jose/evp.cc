#include "jose/evp.h"

#include <openssl/core_names.h>
#include <openssl/rsa.h>

#include <iterator>

#include "jose/openssl_ptr.h"

namespace gatehouse::jose::detail {
namespace {

// OpenSSL's names, indexed by Digest.
constexpr const char* kDigestNames[] = {nullptr, "SHA2-256", "SHA2-384", "SHA2-512"};
static_assert(std::size(kDigestNames) == static_cast<std::size_t>(Digest::Sha512) + 1);

const char* digest_name(Digest digest) { return kDigestNames[static_cast<std::size_t>(digest)]; }

const EVP_MAC* hmac_algorithm() {
  static EVP_MAC* const hmac = EVP_MAC_fetch(nullptr, "HMAC", nullptr);
  return hmac;
}

const unsigned char* bytes_of(std::string_view text) {
  return reinterpret_cast<const unsigned char*>(text.data());
}

}  // namespace

const EVP_MD* evp_digest(Digest digest) {
  // Kept for the life of the process: the objects are shared, immutable and thread-safe.
  static const std::array<EVP_MD*, std::size(kDigestNames)> fetched = [] {
    std::array<EVP_MD*, std::size(kDigestNames)> digests{};
    for (std::size_t i = 0; i < digests.size(); ++i)
      if (kDigestNames[i] != nullptr) digests[i] = EVP_MD_fetch(nullptr, kDigestNames[i], nullptr);
    return digests;
  }();
  return fetched[static_cast<std::size_t>(digest)];
}

bool init_signature_context(EVP_MD_CTX* context, const AlgSpec& spec, EVP_PKEY* key,
                            SignatureOperation operation) {
  EVP_PKEY_CTX* key_context = nullptr;
  const EVP_MD* digest = evp_digest(spec.digest);
  const int initialized = operation == SignatureOperation::Sign
                              ? EVP_DigestSignInit(context, &key_context, digest, nullptr, key)
                              : EVP_DigestVerifyInit(context, &key_context, digest, nullptr, key);
  if (initialized != 1) return false;
  if (!spec.pss) return true;
  // MGF1 uses the signature's hash unless told otherwise, as RFC 7518 wants.
  return EVP_PKEY_CTX_set_rsa_padding(key_context, RSA_PKCS1_PSS_PADDING) == 1 &&
         EVP_PKEY_CTX_set_rsa_pss_saltlen(key_context, RSA_PSS_SALTLEN_DIGEST) == 1;
}

bool compute_hmac(std::string_view secret, Digest digest, std::string_view data, Hmac& out) {
  const EvpMacCtxPtr context(EVP_MAC_CTX_new(const_cast<EVP_MAC*>(hmac_algorithm())));
  if (!context) return false;
  const OSSL_PARAM params[] = {
      OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST,
                                       const_cast<char*>(digest_name(digest)), 0),
      OSSL_PARAM_construct_end()};
  return EVP_MAC_init(context.get(), bytes_of(secret), secret.size(), params) == 1 &&
         EVP_MAC_update(context.get(), bytes_of(data), data.size()) == 1 &&
         EVP_MAC_final(context.get(), out.bytes.data(), &out.size, out.bytes.size()) == 1;
}

std::size_t ecdsa_jws_to_der(std::string_view jws, std::size_t field_bytes,
                             std::array<unsigned char, kMaxEcdsaDerBytes>& der) {
  if (field_bytes == 0 || jws.size() != 2 * field_bytes) return 0;
  EcdsaSigPtr signature(ECDSA_SIG_new());
  BignumPtr r(BN_bin2bn(bytes_of(jws), static_cast<int>(field_bytes), nullptr));
  BignumPtr s(BN_bin2bn(bytes_of(jws.substr(field_bytes)), static_cast<int>(field_bytes), nullptr));
  if (!signature || !r || !s || ECDSA_SIG_set0(signature.get(), r.get(), s.get()) != 1) return 0;
  r.release();  // owned by `signature` now
  s.release();
  if (i2d_ECDSA_SIG(signature.get(), nullptr) > static_cast<int>(der.size())) return 0;
  unsigned char* cursor = der.data();
  const int size = i2d_ECDSA_SIG(signature.get(), &cursor);
  return size > 0 ? static_cast<std::size_t>(size) : 0;
}

bool ecdsa_der_to_jws(std::string_view der, std::size_t field_bytes, std::string& jws) {
  const unsigned char* cursor = bytes_of(der);
  const EcdsaSigPtr signature(d2i_ECDSA_SIG(nullptr, &cursor, static_cast<long>(der.size())));
  if (!signature) return false;
  jws.assign(2 * field_bytes, '\0');
  auto* out = reinterpret_cast<unsigned char*>(jws.data());
  const int field = static_cast<int>(field_bytes);
  return BN_bn2binpad(ECDSA_SIG_get0_r(signature.get()), out, field) == field &&
         BN_bn2binpad(ECDSA_SIG_get0_s(signature.get()), out + field_bytes, field) == field;
}

}  // namespace gatehouse::jose::detail
