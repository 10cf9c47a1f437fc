// jose::Status: every way checking a JWT or a JWKS can fail, one stable code name and one fixed
// message each. Where Envoy's jwt_authn (google/jwt_verify_lib) has a code, the message is its
// 401 body word for word; gatehouse's own codes follow the same style. A few codes (JwtMissed,
// JwtUnknownIssuer, JwtAudienceNotAllowed, JwksFetchFail) belong to the stages around jose that
// extract tokens, match issuers and audiences and fetch key sets: one enum for every failure.
#pragma once

#include <string_view>

namespace gatehouse::jose {

// X(code, message). The list is the single source of the enum, the names and the messages.
#define GATEHOUSE_JOSE_STATUSES(X)                                                                 \
  X(Ok, "OK")                                                                                      \
  /* The token (jwt_verify_lib's codes and strings). */                                            \
  X(JwtMissed, "Jwt is missing")                                                                   \
  X(JwtNotYetValid, "Jwt not yet valid")                                                           \
  X(JwtExpired, "Jwt is expired")                                                                  \
  X(JwtBadFormat,                                                                                  \
    "Jwt is not in the form of Header.Payload.Signature with two dots and 3 sections")             \
  X(JwtHeaderParseErrorBadBase64, "Jwt header is an invalid Base64url encoded")                    \
  X(JwtHeaderParseErrorBadJson, "Jwt header is an invalid JSON")                                   \
  X(JwtHeaderBadAlg, "Jwt header [alg] field is required and must be a string")                    \
  X(JwtHeaderNotImplementedAlg, "Jwt header [alg] is not supported")                               \
  X(JwtHeaderBadKid, "Jwt header [kid] field is not a string")                                     \
  X(JwtPayloadParseErrorBadBase64, "Jwt payload is an invalid Base64url encoded")                  \
  X(JwtEd25519SignatureWrongLength, "Jwt ED25519 signature is wrong length")                       \
  X(JwtPayloadParseErrorBadJson, "Jwt payload is an invalid JSON")                                 \
  X(JwtPayloadParseErrorIssNotString, "Jwt payload [iss] field is not a string")                   \
  X(JwtPayloadParseErrorSubNotString, "Jwt payload [sub] field is not a string")                   \
  X(JwtPayloadParseErrorIatNotInteger, "Jwt payload [iat] field is not an integer")                \
  X(JwtPayloadParseErrorIatOutOfRange, "Jwt payload [iat] field is not a positive 64 bit integer") \
  X(JwtPayloadParseErrorNbfNotInteger, "Jwt payload [nbf] field is not an integer")                \
  X(JwtPayloadParseErrorNbfOutOfRange, "Jwt payload [nbf] field is not a positive 64 bit integer") \
  X(JwtPayloadParseErrorExpNotInteger, "Jwt payload [exp] field is not an integer")                \
  X(JwtPayloadParseErrorExpOutOfRange, "Jwt payload [exp] field is not a positive 64 bit integer") \
  X(JwtPayloadParseErrorJtiNotString, "Jwt payload [jti] field is not a string")                   \
  X(JwtPayloadParseErrorAudNotString, "Jwt payload [aud] field is not a string or string list")    \
  X(JwtSignatureParseErrorBadBase64, "Jwt signature is an invalid Base64url encoded")              \
  X(JwtUnknownIssuer, "Jwt issuer is not configured")                                              \
  X(JwtAudienceNotAllowed, "Audiences in Jwt are not allowed")                                     \
  X(JwtVerificationFail, "Jwt verification fails")                                                 \
  /* The token (gatehouse's additions). */                                                         \
  X(JwtTooLarge, "Jwt is larger than the accepted size")                                           \
  X(JwtHeaderTooLarge, "Jwt header is larger than the accepted size")                              \
  X(JwtNestingTooDeep, "Jwt header or payload nests JSON deeper than accepted")                    \
  X(JwtHeaderBadTyp, "Jwt header [typ] field is not a string")                                     \
  X(JwtHeaderCritUnsupported, "Jwt header [crit] extensions are not supported")                    \
  /* The key set (jwt_verify_lib's codes and strings). */                                          \
  X(JwksParseError, "Jwks is an invalid JSON")                                                     \
  X(JwksNoKeys, "Jwks does not have [keys] field")                                                 \
  X(JwksBadKeys, "[keys] in Jwks is not an array")                                                 \
  X(JwksNoValidKeys, "Jwks doesn't have any valid public key")                                     \
  X(JwksKidAlgMismatch, "Jwks doesn't have key to match kid or alg from Jwt")                      \
  X(JwksRsaParseError, "Jwks RSA [n] or [e] field is missing or has a parse error")                \
  X(JwksEcXorYBadBase64, "Jwks EC [x] or [y] field is an invalid Base64.")                         \
  X(JwksEcParseError, "Jwks EC [x] and [y] fields have a parse error.")                            \
  X(JwksOctBadBase64, "Jwks Oct key is an invalid Base64")                                         \
  X(JwksOKPXBadBase64, "Jwks OKP [x] field is an invalid Base64.")                                 \
  X(JwksOKPXWrongLength, "Jwks OKP [x] field is wrong length.")                                    \
  X(JwksFetchFail, "Jwks remote fetch is failed")                                                  \
  X(JwksMissingKty, "[kty] is missing in [keys]")                                                  \
  X(JwksBadKty, "[kty] is bad in [keys]")                                                          \
  X(JwksNotImplementedKty, "[kty] is not supported in [keys]")                                     \
  X(JwksRSAKeyBadAlg, "[alg] is not started with [RS] or [PS] for an RSA key")                     \
  X(JwksRSAKeyMissingN, "[n] field is missing for a RSA key")                                      \
  X(JwksRSAKeyBadN, "[n] field is not string for a RSA key")                                       \
  X(JwksRSAKeyMissingE, "[e] field is missing for a RSA key")                                      \
  X(JwksRSAKeyBadE, "[e] field is not string for a RSA key")                                       \
  X(JwksECKeyBadAlg, "[alg] is not started with [ES] for an EC key")                               \
  X(JwksECKeyBadCrv, "[crv] field is not string for an EC key")                                    \
  X(JwksECKeyAlgOrCrvUnsupported, "[crv] or [alg] field is not supported for an EC key")           \
  X(JwksECKeyAlgNotCompatibleWithCrv,                                                              \
    "[crv] field specified is not compatible with [alg] for an EC key")                            \
  X(JwksECKeyMissingX, "[x] field is missing for an EC key")                                       \
  X(JwksECKeyBadX, "[x] field is not string for an EC key")                                        \
  X(JwksECKeyMissingY, "[y] field is missing for an EC key")                                       \
  X(JwksECKeyBadY, "[y] field is not string for an EC key")                                        \
  X(JwksHMACKeyBadAlg, "[alg] does not start with [HS] for an HMAC key")                           \
  X(JwksHMACKeyMissingK, "[k] field is missing for an HMAC key")                                   \
  X(JwksHMACKeyBadK, "[k] field is not string for an HMAC key")                                    \
  X(JwksOKPKeyBadAlg, "[alg] is not [EdDSA] for an OKP key")                                       \
  X(JwksOKPKeyMissingCrv, "[crv] field is missing for an OKP key")                                 \
  X(JwksOKPKeyBadCrv, "[crv] field is not string for an OKP key")                                  \
  X(JwksOKPKeyCrvUnsupported, "[crv] field is not supported for an OKP key")                       \
  X(JwksOKPKeyMissingX, "[x] field is missing for an OKP key")                                     \
  X(JwksOKPKeyBadX, "[x] field is not string for an OKP key")                                      \
  /* The key set (gatehouse's additions). */                                                       \
  X(JwksTooLarge, "Jwks is larger than the accepted size")                                         \
  X(JwksKeyBadKid, "[kid] field is not a string in [keys]")                                        \
  X(JwksKeyBadAlg, "[alg] field is not a string in [keys]")                                        \
  X(JwksKeyBadUse, "[use] field is not a string in [keys]")                                        \
  X(JwksKeyNotForSignature, "[use] is not [sig] for a key in [keys]")                              \
  X(JwksRsaKeySizeUnsupported, "Jwks RSA key is not between 2048 and 8192 bits")                   \
  X(JwksOctKeyNotAllowed, "Jwks [oct] keys are only accepted in inline key sets")                  \
  /* Signing (the built-in identity provider and the tests). */                                    \
  X(PrivateJwkParseError, "Private Jwk is an invalid JSON or misses a private key field")          \
  X(SignBadHeader, "Signing header is not a JSON object whose [alg] is the signing algorithm")     \
  X(SignAlgKeyMismatch, "Signing [alg] does not fit the private key")                              \
  X(SignFail, "Signing fails")

enum class Status {
#define GATEHOUSE_JOSE_STATUS_ENUMERATOR(code, message) code,
  GATEHOUSE_JOSE_STATUSES(GATEHOUSE_JOSE_STATUS_ENUMERATOR)
#undef GATEHOUSE_JOSE_STATUS_ENUMERATOR
};

// Every code, in declaration order (for exhaustive tests and tools).
inline constexpr Status kAllStatuses[] = {
#define GATEHOUSE_JOSE_STATUS_LIST_ENTRY(code, message) Status::code,
    GATEHOUSE_JOSE_STATUSES(GATEHOUSE_JOSE_STATUS_LIST_ENTRY)
#undef GATEHOUSE_JOSE_STATUS_LIST_ENTRY
};

// The fixed sentence users see (a 401/403 body); never empty, all distinct.
std::string_view status_message(Status status);

// The enumerator's name ("JwtExpired"): stable, for logs, metrics and tests.
std::string_view status_name(Status status);

}  // namespace gatehouse::jose
