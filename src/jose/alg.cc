#include "jose/alg.h"

namespace gatehouse::jose {
namespace {

constexpr AlgSpec kSpecs[] = {
    {"RS256", KeyType::Rsa, Curve::None, Digest::Sha256, false},
    {"RS384", KeyType::Rsa, Curve::None, Digest::Sha384, false},
    {"RS512", KeyType::Rsa, Curve::None, Digest::Sha512, false},
    {"PS256", KeyType::Rsa, Curve::None, Digest::Sha256, true},
    {"PS384", KeyType::Rsa, Curve::None, Digest::Sha384, true},
    {"PS512", KeyType::Rsa, Curve::None, Digest::Sha512, true},
    {"ES256", KeyType::Ec, Curve::P256, Digest::Sha256, false},
    {"ES384", KeyType::Ec, Curve::P384, Digest::Sha384, false},
    {"ES512", KeyType::Ec, Curve::P521, Digest::Sha512, false},
    {"EdDSA", KeyType::Okp, Curve::Ed25519, Digest::None, false},
    {"HS256", KeyType::Oct, Curve::None, Digest::Sha256, false},
    {"HS384", KeyType::Oct, Curve::None, Digest::Sha384, false},
    {"HS512", KeyType::Oct, Curve::None, Digest::Sha512, false},
};
static_assert(std::size(kSpecs) == std::size(kAllAlgs));

}  // namespace

const AlgSpec& alg_spec(Alg alg) { return kSpecs[static_cast<std::size_t>(alg)]; }

std::optional<Alg> alg_from_name(std::string_view name) {
  for (Alg alg : kAllAlgs)
    if (alg_spec(alg).name == name) return alg;
  return std::nullopt;
}

std::string_view curve_name(Curve curve) {
  switch (curve) {
    case Curve::None:
      return {};
    case Curve::P256:
      return "P-256";
    case Curve::P384:
      return "P-384";
    case Curve::P521:
      return "P-521";
    case Curve::Ed25519:
      return "Ed25519";
  }
  return {};
}

std::size_t curve_field_bytes(Curve curve) {
  switch (curve) {
    case Curve::P256:
      return 32;
    case Curve::P384:
      return 48;
    case Curve::P521:
      return 66;
    case Curve::Ed25519:
      return 32;
    case Curve::None:
      return 0;
  }
  return 0;
}

}  // namespace gatehouse::jose
