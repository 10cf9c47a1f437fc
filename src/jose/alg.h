// The JWS algorithms gatehouse verifies and signs (RFC 7518 section 3, RFC 8037), and the one
// table that says which key each needs. Anything not listed here (including "none") is refused.
#pragma once

#include <cstddef>
#include <optional>
#include <string_view>

namespace gatehouse::jose {

enum class Alg {
  RS256,
  RS384,
  RS512,
  PS256,
  PS384,
  PS512,
  ES256,
  ES384,
  ES512,
  EdDSA,
  HS256,
  HS384,
  HS512
};

inline constexpr Alg kAllAlgs[] = {Alg::RS256, Alg::RS384, Alg::RS512, Alg::PS256, Alg::PS384,
                                   Alg::PS512, Alg::ES256, Alg::ES384, Alg::ES512, Alg::EdDSA,
                                   Alg::HS256, Alg::HS384, Alg::HS512};

// JWK "kty" values.
enum class KeyType { Rsa, Ec, Okp, Oct };

// JWK "crv" values; None for RSA and oct keys.
enum class Curve { None, P256, P384, P521, Ed25519 };

// The hash an algorithm uses; None for EdDSA, which hashes internally.
enum class Digest { None, Sha256, Sha384, Sha512 };

// How one algorithm signs: the key it takes and the hash it uses.
struct AlgSpec {
  std::string_view name;  // the JOSE "alg" value
  KeyType key_type;
  Curve curve;  // for ES* and EdDSA: the only curve the key may be on
  Digest digest;
  bool pss;  // RSASSA-PSS with MGF1 of the same hash, salt length = hash length
};

const AlgSpec& alg_spec(Alg alg);
inline std::string_view alg_name(Alg alg) { return alg_spec(alg).name; }

// The algorithm named `name` exactly (case-sensitive), or nullopt.
std::optional<Alg> alg_from_name(std::string_view name);

// "P-256", "P-384", "P-521", "Ed25519"; empty for Curve::None.
std::string_view curve_name(Curve curve);

// For EC curves, the size in bytes of one coordinate and of R and S in a JWS signature.
std::size_t curve_field_bytes(Curve curve);

}  // namespace gatehouse::jose
