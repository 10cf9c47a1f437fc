// Public JWK parsing, one function per key type, with jwt_verify_lib's status for each fault.
#include <boost/json/object.hpp>

#include "jose/json_fields.h"
#include "jose/jwks.h"
#include "jose/keys.h"

namespace gatehouse::jose {
namespace {

using detail::base64url_member;
using detail::string_member;

// The key's "alg" when it names an algorithm for `type`; nullopt otherwise.
std::optional<Alg> alg_for_key_type(std::string_view name, KeyType type) {
  const std::optional<Alg> alg = alg_from_name(name);
  if (alg && alg_spec(*alg).key_type == type) return alg;
  return std::nullopt;
}

// Identity providers publish 2048 to 4096 bit keys; RFC 7518 forbids fewer than 2048, and past
// 8192 one verification costs milliseconds, which a hostile key set could put on every request.
constexpr int kMinRsaBits = 2048;
constexpr int kMaxRsaBits = 8192;

Status parse_rsa(const boost::json::object& object, Jwk& key, std::string_view alg) {
  if (!alg.empty() && !(key.alg = alg_for_key_type(alg, KeyType::Rsa)))
    return Status::JwksRSAKeyBadAlg;
  detail::RsaKeyMaterial material;
  if (Status status =
          base64url_member(object, "n", Status::JwksRSAKeyMissingN, Status::JwksRSAKeyBadN,
                           Status::JwksRsaParseError, material.n);
      status != Status::Ok)
    return status;
  if (Status status =
          base64url_member(object, "e", Status::JwksRSAKeyMissingE, Status::JwksRSAKeyBadE,
                           Status::JwksRsaParseError, material.e);
      status != Status::Ok)
    return status;
  // Only the exponents in use (as jwt_verify_lib); anything else is a forged or broken key.
  if (material.e != std::string("\x01\x00\x01", 3) && material.e != "\x03")
    return Status::JwksRsaParseError;
  if (material.n.size() > kMaxRsaBits / 8 + 1) return Status::JwksRsaKeySizeUnsupported;
  key.pkey = detail::make_rsa_key(material);
  if (!key.pkey) return Status::JwksRsaParseError;
  const int bits = EVP_PKEY_get_bits(key.pkey.get());
  if (bits < kMinRsaBits || bits > kMaxRsaBits) return Status::JwksRsaKeySizeUnsupported;
  key.type = KeyType::Rsa;
  return Status::Ok;
}

std::optional<Curve> ec_curve_named(std::string_view name) {
  for (Curve curve : {Curve::P256, Curve::P384, Curve::P521})
    if (curve_name(curve) == name) return curve;
  return std::nullopt;
}

Status parse_ec(const boost::json::object& object, Jwk& key, std::string_view alg) {
  if (!alg.empty() && !alg.starts_with("ES")) return Status::JwksECKeyBadAlg;
  if (!alg.empty() && !(key.alg = alg_for_key_type(alg, KeyType::Ec)))
    return Status::JwksECKeyAlgOrCrvUnsupported;
  std::string_view crv;
  if (Status status = string_member(object, "crv", Status::Ok, Status::JwksECKeyBadCrv, crv);
      status != Status::Ok)
    return status;
  // As jwt_verify_lib: without "crv" the curve follows "alg", and without both it is P-256.
  Curve curve = key.alg ? alg_spec(*key.alg).curve : Curve::P256;
  if (object.contains("crv")) {
    const std::optional<Curve> named = ec_curve_named(crv);
    if (!named) return Status::JwksECKeyAlgOrCrvUnsupported;
    if (key.alg && named != curve) return Status::JwksECKeyAlgNotCompatibleWithCrv;
    curve = *named;
  }
  std::string x, y;
  if (Status status = base64url_member(object, "x", Status::JwksECKeyMissingX,
                                       Status::JwksECKeyBadX, Status::JwksEcXorYBadBase64, x);
      status != Status::Ok)
    return status;
  if (Status status = base64url_member(object, "y", Status::JwksECKeyMissingY,
                                       Status::JwksECKeyBadY, Status::JwksEcXorYBadBase64, y);
      status != Status::Ok)
    return status;
  key.pkey = detail::make_ec_key(curve, x, y, {});
  if (!key.pkey) return Status::JwksEcParseError;
  key.type = KeyType::Ec;
  key.curve = curve;
  return Status::Ok;
}

Status parse_okp(const boost::json::object& object, Jwk& key, std::string_view alg) {
  if (!alg.empty() && !(key.alg = alg_for_key_type(alg, KeyType::Okp)))
    return Status::JwksOKPKeyBadAlg;
  std::string_view crv;
  if (Status status =
          string_member(object, "crv", Status::JwksOKPKeyMissingCrv, Status::JwksOKPKeyBadCrv, crv);
      status != Status::Ok)
    return status;
  if (crv != curve_name(Curve::Ed25519)) return Status::JwksOKPKeyCrvUnsupported;
  std::string x;
  if (Status status = base64url_member(object, "x", Status::JwksOKPKeyMissingX,
                                       Status::JwksOKPKeyBadX, Status::JwksOKPXBadBase64, x);
      status != Status::Ok)
    return status;
  if (x.size() != curve_field_bytes(Curve::Ed25519)) return Status::JwksOKPXWrongLength;
  key.pkey = detail::make_ed25519_key(x, {});
  // The size is right, so only an OpenSSL allocation failure gets here.
  if (!key.pkey) return Status::JwksOKPXWrongLength;
  key.type = KeyType::Okp;
  key.curve = Curve::Ed25519;
  return Status::Ok;
}

Status parse_oct(const boost::json::object& object, Jwk& key, std::string_view alg,
                 bool allow_oct_keys) {
  if (!allow_oct_keys) return Status::JwksOctKeyNotAllowed;
  if (!alg.empty() && !(key.alg = alg_for_key_type(alg, KeyType::Oct)))
    return Status::JwksHMACKeyBadAlg;
  if (Status status =
          base64url_member(object, "k", Status::JwksHMACKeyMissingK, Status::JwksHMACKeyBadK,
                           Status::JwksOctBadBase64, key.secret);
      status != Status::Ok)
    return status;
  if (key.secret.empty()) return Status::JwksOctBadBase64;
  key.type = KeyType::Oct;
  return Status::Ok;
}

}  // namespace

bool Jwk::fits(Alg token_alg) const {
  if (alg && *alg != token_alg) return false;
  const AlgSpec& spec = alg_spec(token_alg);
  return type == spec.key_type && curve == spec.curve;
}

Result<Jwk> parse_jwk(const boost::json::object& object, const JwksOptions& options) {
  const OpensslErrorScope errors;
  Jwk key;
  std::string_view kty, kid, alg;
  for (Status status :
       {string_member(object, "kty", Status::JwksMissingKty, Status::JwksBadKty, kty),
        string_member(object, "kid", Status::Ok, Status::JwksKeyBadKid, kid),
        string_member(object, "alg", Status::Ok, Status::JwksKeyBadAlg, alg)})
    if (status != Status::Ok) return status;
  key.kid = kid;

  Status status = Status::JwksNotImplementedKty;
  if (kty == "RSA")
    status = parse_rsa(object, key, alg);
  else if (kty == "EC")
    status = parse_ec(object, key, alg);
  else if (kty == "OKP")
    status = parse_okp(object, key, alg);
  else if (kty == "oct")
    status = parse_oct(object, key, alg, options.allow_oct_keys);
  if (status != Status::Ok) return status;
  return key;
}

}  // namespace gatehouse::jose
