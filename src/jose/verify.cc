#include "jose/verify.h"

#include <openssl/crypto.h>

#include <array>

#include "jose/evp.h"

namespace gatehouse::jose {
namespace {

constexpr std::size_t kEd25519SignatureBytes = 64;

bool kid_allows(const Jwk& key, const Jws& jws) {
  return jws.kid.empty() || key.kid.empty() || key.kid == jws.kid;
}

bool public_key_verifies(const Jwk& key, const AlgSpec& spec, std::string_view signing_input,
                         std::string_view signature) {
  std::array<unsigned char, detail::kMaxEcdsaDerBytes> der;
  const auto* signature_bytes = reinterpret_cast<const unsigned char*>(signature.data());
  std::size_t signature_size = signature.size();
  if (spec.key_type == KeyType::Ec) {
    signature_size = detail::ecdsa_jws_to_der(signature, curve_field_bytes(spec.curve), der);
    if (signature_size == 0) return false;
    signature_bytes = der.data();
  }
  const EvpMdCtxPtr context(EVP_MD_CTX_new());
  return context &&
         detail::init_signature_context(context.get(), spec, key.pkey.get(),
                                        detail::SignatureOperation::Verify) &&
         EVP_DigestVerify(context.get(), signature_bytes, signature_size,
                          reinterpret_cast<const unsigned char*>(signing_input.data()),
                          signing_input.size()) == 1;
}

bool hmac_verifies(const Jwk& key, const AlgSpec& spec, std::string_view signing_input,
                   std::string_view signature) {
  detail::Hmac expected;
  return detail::compute_hmac(key.secret, spec.digest, signing_input, expected) &&
         signature.size() == expected.size &&
         CRYPTO_memcmp(signature.data(), expected.bytes.data(), expected.size) == 0;
}

}  // namespace

Status verify_signature(const Jws& jws, const Jwks& jwks) {
  const AlgSpec& spec = alg_spec(jws.alg);
  const std::string_view signing_input = jws.signing_input();
  const OpensslErrorScope errors;
  bool some_key_fits = false;
  for (const Jwk& key : jwks.keys()) {
    if (!kid_allows(key, jws) || !key.fits(jws.alg)) continue;
    some_key_fits = true;
    if (spec.key_type == KeyType::Okp && jws.signature.size() != kEd25519SignatureBytes)
      return Status::JwtEd25519SignatureWrongLength;
    const bool verified = spec.key_type == KeyType::Oct
                              ? hmac_verifies(key, spec, signing_input, jws.signature)
                              : public_key_verifies(key, spec, signing_input, jws.signature);
    if (verified) return Status::Ok;
  }
  return some_key_fits ? Status::JwtVerificationFail : Status::JwksKidAlgMismatch;
}

}  // namespace gatehouse::jose
