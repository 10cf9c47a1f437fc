// Fuzz target for JWK set parsing and private JWK loading: any text, with and without oct keys
// allowed. Must never crash; broken invariants abort.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>

#include "jose/jwks.h"
#include "jose/sign.h"

namespace {

using namespace gatehouse::jose;

void require(bool condition, const char* what, std::string_view input) {
  if (condition) return;
  std::fprintf(stderr, "jose jwks invariant broken: %s\ninput (%zu bytes): %.*s\n", what,
               input.size(), static_cast<int>(input.size()), input.data());
  std::abort();
}

bool fits_some_alg(const Jwk& key) {
  for (Alg alg : kAllAlgs)
    if (key.fits(alg)) return true;
  return false;
}

void check_key_set(std::string_view json, bool allow_oct_keys) {
  Result<Jwks> jwks = Jwks::parse(json, {.allow_oct_keys = allow_oct_keys});
  require(!status_message(jwks.status()).empty(), "status without a message", json);
  if (!jwks.ok()) return;
  require(!jwks->keys().empty(), "an accepted key set without keys", json);
  for (const Jwk& key : jwks->keys()) {
    require(fits_some_alg(key), "a key no algorithm can use", json);
    require((key.type == KeyType::Oct) == (key.pkey == nullptr), "key material mismatch", json);
    require(allow_oct_keys || key.type != KeyType::Oct, "an oct key where none is allowed", json);
  }
  for (const SkippedKey& skipped : jwks->skipped())
    require(skipped.status != Status::Ok, "a key skipped for no reason", json);
}

void check_private_key(std::string_view json) {
  Result<PrivateKey> key = PrivateKey::from_jwk(json);
  if (!key.ok()) return;
  // What a loaded key exports must load again as the same key.
  Result<PrivateKey> again = PrivateKey::from_jwk(key->private_jwk());
  require(again.ok() && again->public_jwk() == key->public_jwk(), "export does not reload", json);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view json(reinterpret_cast<const char*>(data), size);
  check_key_set(json, false);
  check_key_set(json, true);
  check_private_key(json);
  return 0;
}
