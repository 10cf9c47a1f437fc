// One generated key per algorithm, made on first use and shared by the tests of one binary
// (RSA generation is the slow part of the suite).
#pragma once

#include <map>

#include "test_support.h"

namespace gatehouse::jose {

// A key for `alg` with kid "<alg>-key" and "alg" stated.
inline const PrivateKey& cached_key(Alg alg) {
  static std::map<Alg, PrivateKey> keys;
  auto found = keys.find(alg);
  if (found == keys.end())
    found = keys.emplace(alg, generate_or_die(alg, std::string(alg_name(alg)) + "-key")).first;
  return found->second;
}

inline std::string header_for(Alg alg, std::string_view kid = {}) {
  std::string header = R"({"alg":")" + std::string(alg_name(alg)) + R"(")";
  if (!kid.empty()) header += R"(,"kid":")" + std::string(kid) + R"(")";
  return header + "}";
}

inline constexpr std::string_view kTestClaims =
    R"({"iss":"https://idp.example","sub":"alice","aud":"httpbin","exp":4000000000})";

// A valid token for `alg` signed with cached_key(alg), its kid in the header.
inline std::string token_for(Alg alg) {
  const PrivateKey& key = cached_key(alg);
  return signed_token(header_for(alg, key.kid()), kTestClaims, key, alg);
}

}  // namespace gatehouse::jose
