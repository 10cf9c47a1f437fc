// Internal to jose: the OpenSSL 3 EVP steps that signing and verification share, so both
// sides use one definition of each algorithm (digest, PSS parameters, JWS ECDSA encoding).
#pragma once

#include <openssl/evp.h>

#include <array>
#include <cstddef>
#include <string>
#include <string_view>

#include "jose/alg.h"

namespace gatehouse::jose::detail {

// The digest, fetched once per process (OpenSSL 3 would otherwise fetch on every use);
// nullptr for Digest::None.
const EVP_MD* evp_digest(Digest digest);

enum class SignatureOperation { Sign, Verify };

// Initializes `context` to sign or verify `spec`'s algorithm with `key`, PSS parameters
// included (salt length = hash length, RFC 7518 section 3.5).
[[nodiscard]] bool init_signature_context(EVP_MD_CTX* context, const AlgSpec& spec, EVP_PKEY* key,
                                          SignatureOperation operation);

struct Hmac {
  std::array<unsigned char, EVP_MAX_MD_SIZE> bytes{};
  std::size_t size = 0;
  std::string_view view() const { return {reinterpret_cast<const char*>(bytes.data()), size}; }
};

// HMAC of `data` with `secret` and `digest`; false only on an OpenSSL failure.
[[nodiscard]] bool compute_hmac(std::string_view secret, Digest digest, std::string_view data,
                                Hmac& out);

// The largest DER ECDSA signature (P-521): SEQUENCE header plus two 67-byte INTEGERs.
inline constexpr std::size_t kMaxEcdsaDerBytes = 3 + 2 * (2 + 67);

// JWS ECDSA signatures are R || S, each exactly `field_bytes` (RFC 7518 section 3.4); OpenSSL
// wants DER. Returns the DER size written to `der`, or 0 when `jws` is not 2 * field_bytes.
std::size_t ecdsa_jws_to_der(std::string_view jws, std::size_t field_bytes,
                             std::array<unsigned char, kMaxEcdsaDerBytes>& der);

// The other way, for signing; false when `der` is not an ECDSA signature of that size.
[[nodiscard]] bool ecdsa_der_to_jws(std::string_view der, std::size_t field_bytes,
                                    std::string& jws);

}  // namespace gatehouse::jose::detail
