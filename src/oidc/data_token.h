// x-amzn-oidc-data in ALB's exact format, signed by gatehouse, and the PEM that verifies it.
//
//   header  {"typ":"JWT","kid":"<uuid>","alg":"ES256","iss":"<issuer>","client":"<client id>",
//            "signer":"<signer>","exp":<exp>}            (this key order, compact)
//   payload the userinfo claims, then "exp" and "iss" (same values as the header)
//   each segment base64url WITH '=' padding (ALB's deviation from RFC 7515); the ES256
//   signature is the raw 64-byte R || S over the padded "header.payload" text, so it encodes to
//   88 characters ending in "==". No iat, no nbf.
//
// Targets verify it as they verify ALB's: fetch the PEM for the header's kid (gatehouse serves
// public_key_pem at /public-keys/{kid} on the admin listener), check alg, signer, iss, client
// and exp. A DataTokenSigner is immutable after create(); sign() is safe from any thread.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "jose/sign.h"
#include "oidc/result.h"

namespace gatehouse::oidc {

// A data token lives at most this long, never past the session (see forwarded_identity).
inline constexpr std::int64_t kDataTokenLifetimeSeconds = 120;

class DataTokenSigner {
 public:
  // A signer for one authenticate-oidc action. `key` must be a P-256 key that fits ES256 and has
  // a kid (else DataTokenSignFailed); `signer` is what ALB puts there (its ARN): any text naming
  // this gatehouse, which targets pin.
  static Result<DataTokenSigner> create(std::shared_ptr<const jose::PrivateKey> key,
                                        std::string_view signer, std::string_view issuer,
                                        std::string_view client_id);

  // The token for `claims_json` (a JSON object text without top-level exp and iss, as
  // Userinfo::claims_json) expiring at `exp`. DataTokenSignFailed when the claims are not an
  // object text or OpenSSL fails.
  Result<std::string> sign(std::string_view claims_json, std::int64_t exp) const;

  const std::string& kid() const { return key_->kid(); }

 private:
  DataTokenSigner() = default;

  std::shared_ptr<const jose::PrivateKey> key_;
  std::string header_prefix_;   // {"typ":"JWT",...,"signer":"...","exp":
  std::string payload_suffix_;  // ,"iss":"..."}
};

// base64url with '=' padding to a multiple of 4: the spelling of every data token segment.
std::string base64url_padded(std::string_view bytes);

// The SubjectPublicKeyInfo PEM of a P-256 key ("-----BEGIN PUBLIC KEY-----", 64-character
// lines), as ALB's key service serves it; DataTokenSignFailed for any other key.
Result<std::string> public_key_pem(const jose::PrivateKey& key);

// A kid shaped like ALB's (a version 4 UUID, lower-case) from 16 random bytes.
std::string uuid_kid(const std::array<std::uint8_t, 16>& random);

}  // namespace gatehouse::oidc
