// PrivateKey: generation, loading from a private JWK, and JWK export.
#include <openssl/core_names.h>
#include <openssl/rand.h>

#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>
#include <utility>

#include "jose/base64url.h"
#include "jose/evp.h"
#include "jose/json_fields.h"
#include "jose/keys.h"
#include "jose/sign.h"

namespace gatehouse::jose {
namespace {

// The members of a private key, each optional; a present but malformed one fails the load.
bool read_private_members(const boost::json::object& jwk,
                          std::initializer_list<std::pair<const char*, std::string*>> members) {
  for (auto [name, out] : members)
    if (detail::base64url_member(jwk, name, Status::Ok, Status::PrivateJwkParseError,
                                 Status::PrivateJwkParseError, *out) != Status::Ok)
      return false;
  return true;
}

EvpPkeyPtr private_pkey(const boost::json::object& jwk, KeyType type, Curve curve) {
  detail::RsaKeyMaterial rsa;
  std::string x, y, d;
  switch (type) {
    case KeyType::Rsa:
      if (!read_private_members(jwk, {{"n", &rsa.n},
                                      {"e", &rsa.e},
                                      {"d", &rsa.d},
                                      {"p", &rsa.p},
                                      {"q", &rsa.q},
                                      {"dp", &rsa.dp},
                                      {"dq", &rsa.dq},
                                      {"qi", &rsa.qi}}) ||
          rsa.d.empty())
        return nullptr;
      return detail::make_rsa_key(rsa);
    case KeyType::Ec:
      if (!read_private_members(jwk, {{"x", &x}, {"y", &y}, {"d", &d}}) || d.empty())
        return nullptr;
      return detail::make_ec_key(curve, x, y, d);
    case KeyType::Okp:
      if (!read_private_members(jwk, {{"x", &x}, {"d", &d}}) || d.empty()) return nullptr;
      return detail::make_ed25519_key(x, d);
    case KeyType::Oct:
      return nullptr;
  }
  return nullptr;
}

// A big-number parameter of `key`, left-padded to `size` bytes (0: its natural size); empty
// when the key does not have it (an RSA key loaded without CRT members).
std::string number_param(const EVP_PKEY* key, const char* name, std::size_t size = 0) {
  BIGNUM* raw = nullptr;
  if (EVP_PKEY_get_bn_param(key, name, &raw) != 1) return {};
  const BignumPtr number(raw);
  std::string bytes(size != 0 ? size : static_cast<std::size_t>(BN_num_bytes(raw)), '\0');
  if (BN_bn2binpad(raw, reinterpret_cast<unsigned char*>(bytes.data()),
                   static_cast<int>(bytes.size())) < 0)
    return {};
  return bytes;
}

// An Ed25519 key's raw public or private half, as `get` (an EVP_PKEY_get_raw_*_key) reads it.
std::string raw_ed25519(const EVP_PKEY* key,
                        int (*get)(const EVP_PKEY*, unsigned char*, std::size_t*)) {
  std::string bytes(32, '\0');
  std::size_t size = bytes.size();
  return get(key, reinterpret_cast<unsigned char*>(bytes.data()), &size) == 1 ? bytes
                                                                              : std::string();
}

}  // namespace

Result<PrivateKey> PrivateKey::generate(Alg alg, std::string kid) {
  const OpensslErrorScope errors;
  const AlgSpec& spec = alg_spec(alg);
  Jwk key;
  key.type = spec.key_type;
  key.curve = spec.curve;
  key.alg = alg;
  key.kid = std::move(kid);
  if (spec.key_type == KeyType::Oct) {
    // RFC 7518 section 3.2: a key as long as the hash output.
    key.secret.assign(static_cast<std::size_t>(EVP_MD_get_size(detail::evp_digest(spec.digest))),
                      '\0');
    if (RAND_bytes(reinterpret_cast<unsigned char*>(key.secret.data()),
                   static_cast<int>(key.secret.size())) != 1)
      return Status::SignFail;
    return PrivateKey(std::move(key));
  }
  key.pkey = detail::generate_key(spec.key_type, spec.curve);
  if (!key.pkey) return Status::SignFail;
  return PrivateKey(std::move(key));
}

Result<PrivateKey> PrivateKey::from_jwk(std::string_view json) {
  const OpensslErrorScope errors;
  boost::json::object object;
  if (detail::parse_json_object(json, 32, Status::PrivateJwkParseError,
                                Status::PrivateJwkParseError, object) != Status::Ok)
    return Status::PrivateJwkParseError;
  Result<Jwk> parsed = parse_jwk(object, {.allow_oct_keys = true});
  if (!parsed.ok()) return parsed.status();
  Jwk key = std::move(parsed).value();
  if (key.type != KeyType::Oct) {
    key.pkey = private_pkey(object, key.type, key.curve);
    if (!key.pkey) return Status::PrivateJwkParseError;
  }
  return PrivateKey(std::move(key));
}

std::string PrivateKey::public_jwk() const { return jwk_json(false); }
std::string PrivateKey::private_jwk() const { return jwk_json(true); }

std::string PrivateKey::jwk_json(bool with_private) const {
  boost::json::object jwk;
  const auto put = [&jwk](const char* name, std::string_view bytes) {
    if (!bytes.empty()) jwk[name] = base64url_encode(bytes);
  };
  const EVP_PKEY* pkey = key_.pkey.get();
  const std::size_t field_bytes = curve_field_bytes(key_.curve);
  switch (key_.type) {
    case KeyType::Rsa:
      jwk["kty"] = "RSA";
      put("n", number_param(pkey, OSSL_PKEY_PARAM_RSA_N));
      put("e", number_param(pkey, OSSL_PKEY_PARAM_RSA_E));
      if (!with_private) break;
      put("d", number_param(pkey, OSSL_PKEY_PARAM_RSA_D));
      put("p", number_param(pkey, OSSL_PKEY_PARAM_RSA_FACTOR1));
      put("q", number_param(pkey, OSSL_PKEY_PARAM_RSA_FACTOR2));
      put("dp", number_param(pkey, OSSL_PKEY_PARAM_RSA_EXPONENT1));
      put("dq", number_param(pkey, OSSL_PKEY_PARAM_RSA_EXPONENT2));
      put("qi", number_param(pkey, OSSL_PKEY_PARAM_RSA_COEFFICIENT1));
      break;
    case KeyType::Ec:
      jwk["kty"] = "EC";
      jwk["crv"] = curve_name(key_.curve);
      put("x", number_param(pkey, OSSL_PKEY_PARAM_EC_PUB_X, field_bytes));
      put("y", number_param(pkey, OSSL_PKEY_PARAM_EC_PUB_Y, field_bytes));
      if (with_private) put("d", number_param(pkey, OSSL_PKEY_PARAM_PRIV_KEY, field_bytes));
      break;
    case KeyType::Okp:
      jwk["kty"] = "OKP";
      jwk["crv"] = curve_name(key_.curve);
      put("x", raw_ed25519(pkey, EVP_PKEY_get_raw_public_key));
      if (with_private) put("d", raw_ed25519(pkey, EVP_PKEY_get_raw_private_key));
      break;
    case KeyType::Oct:
      jwk["kty"] = "oct";
      put("k", key_.secret);
      break;
  }
  if (!key_.kid.empty()) jwk["kid"] = key_.kid;
  jwk["use"] = "sig";
  if (key_.alg) jwk["alg"] = alg_name(*key_.alg);
  return boost::json::serialize(jwk);
}

}  // namespace gatehouse::jose
