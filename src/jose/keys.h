// Internal to jose: EVP_PKEYs from JWK key material (decoded big-endian bytes), checked once
// when a key set or private key is loaded so verification never meets a malformed key.
#pragma once

#include <string>
#include <string_view>

#include "jose/alg.h"
#include "jose/openssl_ptr.h"

namespace gatehouse::jose::detail {

// RFC 7518 section 6.3. Public when `d` is empty; the CRT members are optional.
struct RsaKeyMaterial {
  std::string n, e, d, p, q, dp, dq, qi;
};

// nullptr when OpenSSL refuses the numbers (or, with `d`, when they are not one key pair).
EvpPkeyPtr make_rsa_key(const RsaKeyMaterial& material);

// An EC key on `curve` (P-256/384/521) from coordinates of exactly curve_field_bytes each;
// nullptr when the sizes are wrong or the point is not on the curve (or `d` does not match).
EvpPkeyPtr make_ec_key(Curve curve, std::string_view x, std::string_view y, std::string_view d);

// An Ed25519 key from the 32-byte public `x`, and the 32-byte seed `d` unless it is empty;
// nullptr on a wrong size or when `d` does not yield `x`.
EvpPkeyPtr make_ed25519_key(std::string_view x, std::string_view d);

// A fresh private key: RSA 2048 bits for KeyType::Rsa, `curve` for EC, Ed25519 for OKP.
EvpPkeyPtr generate_key(KeyType type, Curve curve);

}  // namespace gatehouse::jose::detail
