// Shared helpers for the jose tests: keys, key sets and tokens in one readable line each.
#pragma once

#include <gtest/gtest.h>

#include <functional>
#include <initializer_list>
#include <ostream>
#include <string>
#include <string_view>

#include "jose/base64url.h"
#include "jose/jwks.h"
#include "jose/jwt.h"
#include "jose/sign.h"
#include "jose/status.h"
#include "jose/verify.h"

namespace gatehouse::jose {

// So a failed expectation prints Status(JwtExpired: "Jwt is expired").
inline void PrintTo(Status status, std::ostream* out) {
  *out << "Status(" << status_name(status) << ": \"" << status_message(status) << "\")";
}

// A JWKS document holding the given JWK JSON texts.
inline std::string jwks_json(std::initializer_list<std::string_view> jwks) {
  std::string json = R"({"keys":[)";
  for (std::string_view jwk : jwks) {
    if (json.back() != '[') json += ',';
    json += jwk;
  }
  return json + "]}";
}

// The parsed key set; fails the test when it does not parse.
inline Jwks parse_jwks_or_fail(const std::string& json) {
  Result<Jwks> jwks = Jwks::parse(json, {.allow_oct_keys = true});
  EXPECT_TRUE(jwks.ok()) << status_name(jwks.status()) << " for " << json;
  return jwks.ok() ? std::move(jwks).value() : Jwks();
}

// The public key set of `keys`.
inline Jwks public_jwks(std::initializer_list<const PrivateKey*> keys) {
  std::string json = R"({"keys":[)";
  for (const PrivateKey* key : keys) {
    if (json.back() != '[') json += ',';
    json += key->public_jwk();
  }
  return parse_jwks_or_fail(json + "]}");
}

inline PrivateKey generate_or_die(Alg alg, std::string kid = {}) {
  Result<PrivateKey> key = PrivateKey::generate(alg, std::move(kid));
  if (!key.ok()) std::abort();
  return std::move(key).value();
}

// A token over the given header and payload JSON, signed with `key`.
inline std::string signed_token(std::string_view header_json, std::string_view payload_json,
                                const PrivateKey& key, Alg alg) {
  Result<std::string> token = sign_compact(header_json, payload_json, key, alg);
  EXPECT_TRUE(token.ok()) << status_name(token.status());
  return token.ok() ? token.value() : std::string();
}

// A token assembled from raw parts, for inputs no signer would make.
inline std::string raw_token(std::string_view header_json, std::string_view payload_json,
                             std::string_view signature_bytes) {
  return base64url_encode(header_json) + "." + base64url_encode(payload_json) + "." +
         base64url_encode(signature_bytes);
}

// The token with its signature replaced by `signature_bytes`.
inline std::string with_signature(std::string_view token, std::string_view signature_bytes) {
  return std::string(token.substr(0, token.rfind('.') + 1)) + base64url_encode(signature_bytes);
}

// Parse, then verify the signature only; the first failing status.
inline Status verify_token(std::string_view token, const Jwks& jwks) {
  Result<Jws> jws = parse_jws(token);
  return jws.ok() ? verify_signature(*jws, jwks) : jws.status();
}

// Calls `check` with every variant of `token` whose decoded signature has one bit flipped or
// is cut short (0 to size-1 bytes), as jwt_verify_lib's fuzzJwtSignature does.
inline void for_each_broken_signature(
    std::string_view token,
    const std::function<void(const std::string& variant, std::size_t truncated_to)>& check) {
  std::string signature;
  ASSERT_TRUE(base64url_decode(token.substr(token.rfind('.') + 1), signature));
  constexpr std::size_t kNotTruncated = std::string::npos;
  for (std::size_t bit = 0; bit < signature.size() * 8; ++bit) {
    std::string flipped = signature;
    flipped[bit / 8] = static_cast<char>(flipped[bit / 8] ^ (1 << (bit % 8)));
    check(with_signature(token, flipped), kNotTruncated);
  }
  for (std::size_t size = 0; size < signature.size(); ++size)
    check(with_signature(token, signature.substr(0, size)), size);
}

}  // namespace gatehouse::jose
