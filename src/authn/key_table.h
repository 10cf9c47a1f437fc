// Key sets by source, as one worker sees them: written by the JWKS fetcher (network code,
// through the worker's own thread), read by request authentication (pure). A source is
// where a JWT rule's keys come from: its jwksUri, OpenID discovery on its issuer, or its
// inline jwks.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <unordered_map>

#include "config/security_resources.h"
#include "jose/jwks.h"

namespace gatehouse::authn {

struct KeySet {
  std::shared_ptr<const jose::Jwks> jwks;  // null until a key set was ever obtained
  // Changes whenever `jwks` does: verifications cached under an older generation are void.
  uint64_t generation = 0;
  std::chrono::system_clock::time_point fetched_at{};
};

// "inline:<sha256 of the text>", "uri:<jwksUri>" or "discovery:<issuer>".
std::string key_source_id(const config::JwtRule& rule);

using KeyTable = std::unordered_map<std::string, KeySet>;

}  // namespace gatehouse::authn
