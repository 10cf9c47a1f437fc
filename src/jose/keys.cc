#include "jose/keys.h"

#include <openssl/core_names.h>

#include <vector>

namespace gatehouse::jose::detail {
namespace {

const unsigned char* bytes_of(std::string_view text) {
  return reinterpret_cast<const unsigned char*>(text.data());
}

// Keeps the BIGNUMs alive until the parameters are built, as OSSL_PARAM_BLD requires.
class ParamBuilder {
 public:
  ParamBuilder() : builder_(OSSL_PARAM_BLD_new()) { ok_ = builder_ != nullptr; }

  void add_number(const char* name, std::string_view big_endian) {
    BignumPtr number(BN_bin2bn(bytes_of(big_endian), static_cast<int>(big_endian.size()), nullptr));
    ok_ = ok_ && number && OSSL_PARAM_BLD_push_BN(builder_.get(), name, number.get()) == 1;
    numbers_.push_back(std::move(number));
  }
  void add_text(const char* name, const char* text) {
    ok_ = ok_ && OSSL_PARAM_BLD_push_utf8_string(builder_.get(), name, text, 0) == 1;
  }
  void add_octets(const char* name, std::string_view octets) {
    ok_ = ok_ &&
          OSSL_PARAM_BLD_push_octet_string(builder_.get(), name, octets.data(), octets.size()) == 1;
  }

  // The key of `type` from the pushed parameters, unchecked; nullptr on any failure.
  EvpPkeyPtr build(const char* type, int selection) {
    if (!ok_) return nullptr;
    const ParamsPtr params(OSSL_PARAM_BLD_to_param(builder_.get()));
    const EvpPkeyCtxPtr context(EVP_PKEY_CTX_new_from_name(nullptr, type, nullptr));
    EVP_PKEY* key = nullptr;
    if (!params || !context || EVP_PKEY_fromdata_init(context.get()) != 1 ||
        EVP_PKEY_fromdata(context.get(), &key, selection, params.get()) != 1)
      return nullptr;
    return EvpPkeyPtr(key);
  }

 private:
  ParamBuildPtr builder_;
  std::vector<BignumPtr> numbers_;
  bool ok_ = true;
};

// `key` itself, or nullptr when `check` (EVP_PKEY_public_check or EVP_PKEY_pairwise_check)
// refuses it.
EvpPkeyPtr checked(EvpPkeyPtr key, int (*check)(EVP_PKEY_CTX*)) {
  if (!key) return nullptr;
  const EvpPkeyCtxPtr context(EVP_PKEY_CTX_new_from_pkey(nullptr, key.get(), nullptr));
  return context && check(context.get()) == 1 ? std::move(key) : nullptr;
}

}  // namespace

EvpPkeyPtr make_rsa_key(const RsaKeyMaterial& material) {
  ParamBuilder builder;
  builder.add_number(OSSL_PKEY_PARAM_RSA_N, material.n);
  builder.add_number(OSSL_PKEY_PARAM_RSA_E, material.e);
  const bool has_private = !material.d.empty();
  if (has_private) {
    builder.add_number(OSSL_PKEY_PARAM_RSA_D, material.d);
    const bool has_crt = !material.p.empty() && !material.q.empty() && !material.dp.empty() &&
                         !material.dq.empty() && !material.qi.empty();
    if (has_crt) {
      builder.add_number(OSSL_PKEY_PARAM_RSA_FACTOR1, material.p);
      builder.add_number(OSSL_PKEY_PARAM_RSA_FACTOR2, material.q);
      builder.add_number(OSSL_PKEY_PARAM_RSA_EXPONENT1, material.dp);
      builder.add_number(OSSL_PKEY_PARAM_RSA_EXPONENT2, material.dq);
      builder.add_number(OSSL_PKEY_PARAM_RSA_COEFFICIENT1, material.qi);
    }
  }
  // A public modulus is not checked: OpenSSL's check tests it for primality, milliseconds per
  // key that a hostile key set could multiply, and a wrong modulus only fails verification.
  if (!has_private) return builder.build("RSA", EVP_PKEY_PUBLIC_KEY);
  return checked(builder.build("RSA", EVP_PKEY_KEYPAIR), EVP_PKEY_pairwise_check);
}

EvpPkeyPtr make_ec_key(Curve curve, std::string_view x, std::string_view y, std::string_view d) {
  const std::size_t field_bytes = curve_field_bytes(curve);
  if (curve != Curve::P256 && curve != Curve::P384 && curve != Curve::P521) return nullptr;
  if (x.size() != field_bytes || y.size() != field_bytes || (!d.empty() && d.size() != field_bytes))
    return nullptr;
  std::string point = "\x04";  // SEC 1 uncompressed point
  point.append(x).append(y);
  // OpenSSL 3 knows the NIST curves by their JOSE names; the builder keeps a pointer to it.
  const std::string group(curve_name(curve));
  ParamBuilder builder;
  builder.add_text(OSSL_PKEY_PARAM_GROUP_NAME, group.c_str());
  builder.add_octets(OSSL_PKEY_PARAM_PUB_KEY, point);
  if (!d.empty()) builder.add_number(OSSL_PKEY_PARAM_PRIV_KEY, d);
  // The point must be on the curve (invalid-curve attacks), which import alone does not promise.
  if (d.empty()) return checked(builder.build("EC", EVP_PKEY_PUBLIC_KEY), EVP_PKEY_public_check);
  return checked(builder.build("EC", EVP_PKEY_KEYPAIR), EVP_PKEY_pairwise_check);
}

EvpPkeyPtr make_ed25519_key(std::string_view x, std::string_view d) {
  constexpr std::size_t kKeyBytes = 32;
  if (x.size() != kKeyBytes || (!d.empty() && d.size() != kKeyBytes)) return nullptr;
  if (d.empty())
    return EvpPkeyPtr(
        EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, nullptr, bytes_of(x), x.size()));
  EvpPkeyPtr key(EVP_PKEY_new_raw_private_key(EVP_PKEY_ED25519, nullptr, bytes_of(d), d.size()));
  unsigned char derived[kKeyBytes];
  std::size_t derived_size = sizeof derived;
  if (!key || EVP_PKEY_get_raw_public_key(key.get(), derived, &derived_size) != 1 ||
      std::string_view(reinterpret_cast<const char*>(derived), derived_size) != x)
    return nullptr;
  return key;
}

EvpPkeyPtr generate_key(KeyType type, Curve curve) {
  switch (type) {
    case KeyType::Rsa:
      return EvpPkeyPtr(EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", std::size_t{2048}));
    case KeyType::Ec:
      return EvpPkeyPtr(
          EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", std::string(curve_name(curve)).c_str()));
    case KeyType::Okp:
      return EvpPkeyPtr(EVP_PKEY_Q_keygen(nullptr, nullptr, "ED25519"));
    case KeyType::Oct:
      return nullptr;
  }
  return nullptr;
}

}  // namespace gatehouse::jose::detail
