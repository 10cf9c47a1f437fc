// Real key sets for the tests: fresh public keys from jose's PrivateKey, as JWKS text.
#pragma once

#include <gtest/gtest.h>

#include <initializer_list>
#include <string>
#include <vector>

#include "jose/jwks.h"
#include "jose/sign.h"

namespace gatehouse::keys::testing {

// The public JWK of a new ES256 key.
inline std::string new_public_jwk(const std::string& kid) {
  jose::Result<jose::PrivateKey> key = jose::PrivateKey::generate(jose::Alg::ES256, kid);
  EXPECT_TRUE(key.ok());
  return key.ok() ? key->public_jwk() : "{}";
}

// {"keys":[...]} holding the given JWK texts.
inline std::string jwks_of(const std::vector<std::string>& jwks) {
  std::string json = R"({"keys":[)";
  for (const std::string& jwk : jwks) {
    if (json.back() != '[') json += ',';
    json += jwk;
  }
  return json + "]}";
}

// {"keys":[...]} with one new ES256 public key per kid.
inline std::string jwks_document(std::initializer_list<std::string> kids) {
  std::vector<std::string> jwks;
  for (const std::string& kid : kids) jwks.push_back(new_public_jwk(kid));
  return jwks_of(jwks);
}

inline std::vector<std::string> kids_of(const jose::Jwks& jwks) {
  std::vector<std::string> kids;
  for (const jose::Jwk& key : jwks.keys()) kids.push_back(key.kid);
  return kids;
}

}  // namespace gatehouse::keys::testing
