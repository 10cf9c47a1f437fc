#include "jose/sign.h"

#include <boost/json/object.hpp>

#include "jose/base64url.h"
#include "jose/evp.h"
#include "jose/json_fields.h"

namespace gatehouse::jose {

Result<std::string> PrivateKey::sign(Alg alg, std::string_view signing_input) const {
  if (!fits(alg)) return Status::SignAlgKeyMismatch;
  const OpensslErrorScope errors;
  const AlgSpec& spec = alg_spec(alg);
  if (spec.key_type == KeyType::Oct) {
    detail::Hmac mac;
    if (!detail::compute_hmac(key_.secret, spec.digest, signing_input, mac))
      return Status::SignFail;
    return std::string(mac.view());
  }
  const EvpMdCtxPtr context(EVP_MD_CTX_new());
  const auto* input = reinterpret_cast<const unsigned char*>(signing_input.data());
  std::size_t size = 0;
  if (!context ||
      !detail::init_signature_context(context.get(), spec, key_.pkey.get(),
                                      detail::SignatureOperation::Sign) ||
      EVP_DigestSign(context.get(), nullptr, &size, input, signing_input.size()) != 1)
    return Status::SignFail;
  std::string signature(size, '\0');
  if (EVP_DigestSign(context.get(), reinterpret_cast<unsigned char*>(signature.data()), &size,
                     input, signing_input.size()) != 1)
    return Status::SignFail;
  signature.resize(size);
  if (spec.key_type != KeyType::Ec) return signature;
  std::string jws_signature;
  if (!detail::ecdsa_der_to_jws(signature, curve_field_bytes(spec.curve), jws_signature))
    return Status::SignFail;
  return jws_signature;
}

Result<std::string> sign_compact(std::string_view header_json, std::string_view payload,
                                 const PrivateKey& key, Alg alg) {
  boost::json::object header;
  std::string_view header_alg;
  if (detail::parse_json_object(header_json, 32, Status::SignBadHeader, Status::SignBadHeader,
                                header) != Status::Ok ||
      detail::string_member(header, "alg", Status::SignBadHeader, Status::SignBadHeader,
                            header_alg) != Status::Ok ||
      header_alg != alg_name(alg))
    return Status::SignBadHeader;
  std::string token = base64url_encode(header_json);
  token += '.';
  token += base64url_encode(payload);
  Result<std::string> signature = key.sign(alg, token);
  if (!signature.ok()) return signature.status();
  token += '.';
  token += base64url_encode(signature.value());
  return token;
}

}  // namespace gatehouse::jose
