// Private keys and compact JWS signing, for gatehouse's built-in identity provider and for
// tests. Pure: keys come from JSON text or from OpenSSL's generator, tokens are returned.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "jose/alg.h"
#include "jose/jwks.h"
#include "jose/result.h"

namespace gatehouse::jose {

class PrivateKey {
 public:
  // A fresh key for `alg`: RSA 2048 bits for RS*/PS*, the alg's curve for ES*, Ed25519 for
  // EdDSA, a random secret as long as the hash for HS*. The key's alg() is `alg`.
  static Result<PrivateKey> generate(Alg alg, std::string kid = {});

  // A private JWK (RFC 7518 section 6: RSA "d" with or without the CRT members, EC and OKP
  // "d", oct "k"). The public members are checked as in a Jwks (same statuses); a missing,
  // malformed or mismatched private member gives PrivateJwkParseError.
  static Result<PrivateKey> from_jwk(std::string_view json);

  KeyType type() const { return key_.type; }
  Curve curve() const { return key_.curve; }
  const std::string& kid() const { return key_.kid; }
  std::optional<Alg> alg() const { return key_.alg; }
  bool fits(Alg alg) const { return key_.fits(alg); }

  // JWK JSON with "kid" (when set), "use":"sig" and "alg" (when set). The public JWK of an oct
  // key carries its secret: an HMAC key has no public half.
  std::string public_jwk() const;
  std::string private_jwk() const;

  // The JWS Signature of `signing_input` (R || S for ES*); SignAlgKeyMismatch when the key
  // does not fit `alg`, SignFail on an OpenSSL failure.
  Result<std::string> sign(Alg alg, std::string_view signing_input) const;

 private:
  explicit PrivateKey(Jwk key) : key_(std::move(key)) {}
  std::string jwk_json(bool with_private) const;

  Jwk key_;  // pkey or secret holds the private key
};

// "<b64url(header)>.<b64url(payload)>.<b64url(signature)>". The header must be a JSON object
// whose "alg" is alg_name(alg) (else SignBadHeader); it and the payload are encoded as given.
Result<std::string> sign_compact(std::string_view header_json, std::string_view payload,
                                 const PrivateKey& key, Alg alg);

}  // namespace gatehouse::jose
