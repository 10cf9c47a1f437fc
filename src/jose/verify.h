// Checking a parsed token's signature against a key set (RFC 7515 section 5.2), the way Envoy's
// jwt_authn picks keys. Pure and thread-safe: any number of workers may verify against one
// shared Jwks at once.
#pragma once

#include "jose/jwks.h"
#include "jose/jwt.h"

namespace gatehouse::jose {

// Tries, in document order, every key that fits the token: the key's kid equals the token's
// when both have one (a key without a kid stays a candidate, as in jwt_verify_lib), the key's
// type and curve are the ones the token's alg needs (an RSA key is never an HMAC secret), and
// the key's own "alg", if any, is the token's. Returns Ok on the first key whose check passes;
// JwksKidAlgMismatch when no key fits; JwtEd25519SignatureWrongLength for an EdDSA signature
// that is not 64 bytes; else JwtVerificationFail. ECDSA signatures must be JWS R || S of the
// curve's exact size: a DER signature fails. Checks nothing but the signature.
Status verify_signature(const Jws& jws, const Jwks& jwks);

}  // namespace gatehouse::jose
