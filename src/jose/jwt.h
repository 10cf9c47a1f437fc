// Parsing compact JWS (RFC 7515 section 7.1) and JWT (RFC 7519) tokens, and the time checks.
// Pure: parsing checks the form, never the signature (see verify.h); time comes in as a
// number. Parsed tokens are plain values, safe to read from any thread.
//
// Usage on the request path (the order Envoy's jwt_authn checks in):
//   auto jwt = jose::parse_jwt(token);
//   if (!jwt.ok()) return reject(jwt.status());
//   ...issuer allowed?...
//   if (auto s = jose::verify_time(*jwt, now); s != jose::Status::Ok) return reject(s);
//   ...audience...
//   if (auto s = jose::verify_signature(*jwt, *jwks); s != jose::Status::Ok) return reject(s);
#pragma once

#include <boost/json/object.hpp>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "jose/alg.h"
#include "jose/result.h"

namespace gatehouse::jose {

// Envoy's default clock skew, which Istio keeps.
inline constexpr std::int64_t kClockSkewSeconds = 60;

// What parsing accepts. A token rides in a request head, which gatehouse caps at 64 KiB in all;
// real access tokens are 1-8 KiB and a header (alg, kid, typ) is under 200 bytes, so the caps
// only cut off hostile input before any decoding or JSON work.
struct TokenLimits {
  std::size_t max_token_bytes = 32 * 1024;
  std::size_t max_header_bytes = 4 * 1024;  // of the base64url header segment
  std::size_t max_json_depth = 32;          // nested objects/arrays in the header and the payload
};

// A compact JWS whose header is well formed and whose algorithm is supported. The payload is
// any bytes (RFC 7515 allows that); Jwt below requires a JSON claims set.
struct Jws {
  Alg alg = Alg::RS256;
  std::string kid;          // empty when the header has none
  std::string typ;          // empty when absent; never read by verification
  std::string header_json;  // the decoded header, as sent
  std::string payload;      // the decoded payload bytes
  std::string signature;    // the decoded signature bytes
  std::string compact;      // the whole token, as received

  // "<header>.<payload>" as received: the bytes the signature covers.
  std::string_view signing_input() const {
    return std::string_view(compact).substr(0, compact.rfind('.'));
  }
  // The payload segment, still base64url (what outputPayloadToHeader forwards).
  std::string_view payload_base64url() const {
    const std::string_view input = signing_input();
    return input.substr(input.find('.') + 1);
  }
};

// A Jws whose payload is a JSON object of claims (RFC 7519 section 4.1).
struct Jwt : Jws {
  std::string iss;                     // empty when absent
  std::string sub;                     // empty when absent
  std::string jti;                     // empty when absent
  std::vector<std::string> audiences;  // "aud" as a string or a list of strings
  // Seconds since the epoch; a fractional value is truncated.
  std::optional<std::uint64_t> exp, nbf, iat;
  boost::json::object claims;  // the whole payload, for claim-based policy
};

// Parses a compact JWS. Any "crit" header is refused (gatehouse understands no extension),
// "none" is not a supported algorithm. Statuses: JwtTooLarge, JwtBadFormat (not exactly three
// non-empty segments), JwtHeaderTooLarge, JwtHeaderParseError*, JwtNestingTooDeep,
// JwtHeaderBadAlg, JwtHeaderNotImplementedAlg, JwtHeaderBadKid, JwtHeaderBadTyp,
// JwtHeaderCritUnsupported, JwtPayloadParseErrorBadBase64, JwtSignatureParseErrorBadBase64.
Result<Jws> parse_jws(std::string_view compact, const TokenLimits& limits = {});

// Parses a JWT: parse_jws's checks, then the claims (JwtPayloadParseError*), in Envoy's order.
Result<Jwt> parse_jwt(std::string_view compact, const TokenLimits& limits = {});

// JwtNotYetValid when now + skew < nbf, else JwtExpired when now > exp + skew, else Ok. A
// missing claim sets no bound; "iat" is never compared with the clock.
Status verify_time(const Jwt& jwt, std::int64_t now_seconds,
                   std::int64_t skew_seconds = kClockSkewSeconds);

}  // namespace gatehouse::jose
