// Validating the ID token of a token response (OpenID Connect Core 1.0, section 3.1.3.7): the
// signature against the issuer's key set through jose, then iss, aud, azp, exp (and nbf) with a
// small skew, sub and the login's nonce. ALB logs every failure as AuthInvalidIdToken (401);
// each has its own Status here. Pure: keys and time come in; thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "jose/jwks.h"
#include "oidc/result.h"

namespace gatehouse::oidc {

// Clock skew allowed on exp and nbf; Envoy's and Istio's default.
inline constexpr std::int64_t kIdTokenClockSkewSeconds = 60;

struct IdTokenCheck {
  std::string_view issuer;     // the configured issuer, compared byte for byte
  std::string_view client_id;  // must be in aud; and be azp when azp is there
  std::string_view nonce;      // the login's nonce; empty when none was sent (or on refresh)
  std::int64_t now = 0;        // Unix seconds
  std::int64_t skew_seconds = kIdTokenClockSkewSeconds;
};

// What a valid ID token tells the login.
struct IdToken {
  std::string subject;          // sub
  std::int64_t expires_at = 0;  // exp
};

// Checks `token`, in this order:
// - IdTokenMalformed: jose's parse_jwt refuses it (the jose status name as detail);
// - IdTokenBadSignature: no key of `issuer_keys` fits it or verifies it (jose status as detail);
// - IdTokenWrongIssuer: iss is not check.issuer;
// - IdTokenWrongAudience: aud does not contain check.client_id;
// - IdTokenWrongAuthorizedParty: azp is not check.client_id, when azp is there or aud holds
//   more than one audience;
// - IdTokenNoExpiry, IdTokenNotYetValid, IdTokenExpired: exp is required; now + skew < nbf;
//   now > exp + skew;
// - IdTokenNoSubject: sub missing or empty;
// - IdTokenNoNonce, IdTokenWrongNonce: when check.nonce is set, nonce must equal it.
// iat is read by jose (it must be a number) but not compared with the clock.
Result<IdToken> validate_id_token(std::string_view token, const jose::Jwks& issuer_keys,
                                  const IdTokenCheck& check);

}  // namespace gatehouse::oidc
