// JWK sets (RFC 7517) as Istio's RequestAuthentication `jwks` and a `jwksUri` document carry
// them: each public key is parsed and checked once into an OpenSSL key, so verification only
// borrows it. A parsed Jwks is immutable and safe to share between threads.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "jose/alg.h"
#include "jose/openssl_ptr.h"
#include "jose/result.h"

namespace boost::json {
class object;
}

namespace gatehouse::jose {

// One verification key.
struct Jwk {
  std::string kid;         // empty when the key has none
  std::optional<Alg> alg;  // the key's "alg", when stated: then only that algorithm
  KeyType type = KeyType::Rsa;
  Curve curve = Curve::None;  // for EC and OKP keys
  EvpPkeyPtr pkey;            // for RSA, EC and OKP keys (in a Jwks, the public half only)
  std::string secret;         // for oct keys (HMAC)

  // True when a token signed with `alg` may be checked with this key: the key type and curve
  // are the ones `alg` needs, and the key's own "alg", if any, is `alg`.
  bool fits(Alg token_alg) const;
};

struct JwksOptions {
  // Symmetric ("oct") keys are secrets: accept them only from inline configuration, never from
  // a fetched document, where one would mean the secret is public.
  bool allow_oct_keys = false;
  // The fetcher caps bodies at 1 MiB too; this makes parse safe on its own.
  std::size_t max_bytes = 1024 * 1024;
  std::size_t max_json_depth = 32;
};

// A key of the document that is not in keys(), and why.
struct SkippedKey {
  std::size_t index;  // in the document's "keys" array
  Status status;
};

class Jwks {
 public:
  // Parses a JWKS document ({"keys": [...]}). Keys that are malformed, of an unsupported type,
  // or not for signatures ("use" other than "sig") are skipped, as Envoy does, and listed in
  // skipped(). Fails with JwksTooLarge, JwksParseError, JwksNoKeys, JwksBadKeys, or, when no
  // key is usable, the first skipped key's status (JwksNoValidKeys when there was none).
  static Result<Jwks> parse(std::string_view json, const JwksOptions& options = {});

  const std::vector<Jwk>& keys() const { return keys_; }
  const std::vector<SkippedKey>& skipped() const { return skipped_; }

 private:
  std::vector<Jwk> keys_;
  std::vector<SkippedKey> skipped_;
};

// Parses one public JWK object (RFC 7517 section 4, RFC 7518 section 6, RFC 8037 section 2)
// with the per-key statuses above. "use" is left to Jwks::parse, so private-key loading can
// share this.
Result<Jwk> parse_jwk(const boost::json::object& jwk, const JwksOptions& options);

}  // namespace gatehouse::jose
