#include "jose/jwt.h"

#include <type_traits>

#include "jose/base64url.h"
#include "jose/json_fields.h"

namespace gatehouse::jose {
namespace {

struct Segments {
  std::string_view header, payload, signature;
};

// Exactly three non-empty dot-separated segments, or nullopt.
std::optional<Segments> split_compact(std::string_view compact) {
  const auto first_dot = compact.find('.');
  if (first_dot == std::string_view::npos) return std::nullopt;
  const auto second_dot = compact.find('.', first_dot + 1);
  if (second_dot == std::string_view::npos ||
      compact.find('.', second_dot + 1) != std::string_view::npos)
    return std::nullopt;
  Segments segments{compact.substr(0, first_dot),
                    compact.substr(first_dot + 1, second_dot - first_dot - 1),
                    compact.substr(second_dot + 1)};
  if (segments.header.empty() || segments.payload.empty() || segments.signature.empty())
    return std::nullopt;
  return segments;
}

Status read_header(const boost::json::object& header, Jws& jws) {
  std::string_view text;
  if (detail::string_member(header, "alg", Status::JwtHeaderBadAlg, Status::JwtHeaderBadAlg,
                            text) != Status::Ok)
    return Status::JwtHeaderBadAlg;
  const std::optional<Alg> alg = alg_from_name(text);
  if (!alg) return Status::JwtHeaderNotImplementedAlg;
  jws.alg = *alg;
  if (Status status =
          detail::string_member(header, "kid", Status::Ok, Status::JwtHeaderBadKid, text);
      status != Status::Ok)
    return status;
  jws.kid = text;
  if (Status status =
          detail::string_member(header, "typ", Status::Ok, Status::JwtHeaderBadTyp, text);
      status != Status::Ok)
    return status;
  jws.typ = text;
  // RFC 7515 section 4.1.11: a recipient must refuse extensions it does not understand, and
  // gatehouse understands none.
  if (header.contains("crit")) return Status::JwtHeaderCritUnsupported;
  return Status::Ok;
}

// The header and payload of `compact` into `jws`; the signature is left for after the claims.
Status parse_header_and_payload(std::string_view compact, const TokenLimits& limits, Jws& jws,
                                Segments& segments) {
  if (compact.size() > limits.max_token_bytes) return Status::JwtTooLarge;
  const std::optional<Segments> split = split_compact(compact);
  if (!split) return Status::JwtBadFormat;
  segments = *split;
  if (segments.header.size() > limits.max_header_bytes) return Status::JwtHeaderTooLarge;
  if (!base64url_decode(segments.header, jws.header_json))
    return Status::JwtHeaderParseErrorBadBase64;
  boost::json::object header;
  if (Status status = detail::parse_json_object(jws.header_json, limits.max_json_depth,
                                                Status::JwtHeaderParseErrorBadJson,
                                                Status::JwtNestingTooDeep, header);
      status != Status::Ok)
    return status;
  if (Status status = read_header(header, jws); status != Status::Ok) return status;
  if (!base64url_decode(segments.payload, jws.payload))
    return Status::JwtPayloadParseErrorBadBase64;
  jws.compact = compact;
  return Status::Ok;
}

Status decode_signature(const Segments& segments, Jws& jws) {
  return base64url_decode(segments.signature, jws.signature)
             ? Status::Ok
             : Status::JwtSignatureParseErrorBadBase64;
}

Status read_string_claim(const boost::json::object& claims, std::string_view name,
                         Status wrong_type, std::string& out) {
  std::string_view text;
  const Status status = detail::string_member(claims, name, Status::Ok, wrong_type, text);
  out = text;
  return status;
}

// A NumericDate (RFC 7519 section 2): any JSON number from 0 to 2^64, fractions truncated.
Status read_time_claim(const boost::json::object& claims, std::string_view name, Status not_integer,
                       Status out_of_range, std::optional<std::uint64_t>& out) {
  const boost::json::value* value = claims.if_contains(name);
  if (value == nullptr) return Status::Ok;
  switch (value->kind()) {
    case boost::json::kind::uint64:
      out = value->get_uint64();
      return Status::Ok;
    case boost::json::kind::int64:
      if (value->get_int64() < 0) return out_of_range;
      out = static_cast<std::uint64_t>(value->get_int64());
      return Status::Ok;
    case boost::json::kind::double_: {
      const double seconds = value->get_double();
      // 2^64 exactly as a double; the negated test also refuses NaN.
      if (!(seconds >= 0 && seconds < 18446744073709551616.0)) return out_of_range;
      out = static_cast<std::uint64_t>(seconds);
      return Status::Ok;
    }
    default:
      return not_integer;
  }
}

Status read_audiences(const boost::json::object& claims, std::vector<std::string>& out) {
  const boost::json::value* value = claims.if_contains("aud");
  if (value == nullptr) return Status::Ok;
  if (value->is_string()) {
    out.emplace_back(value->get_string());
    return Status::Ok;
  }
  if (!value->is_array()) return Status::JwtPayloadParseErrorAudNotString;
  for (const boost::json::value& audience : value->get_array()) {
    if (!audience.is_string()) return Status::JwtPayloadParseErrorAudNotString;
    out.emplace_back(audience.get_string());
  }
  return Status::Ok;
}

Status read_claims(const TokenLimits& limits, Jwt& jwt) {
  if (Status status = detail::parse_json_object(jwt.payload, limits.max_json_depth,
                                                Status::JwtPayloadParseErrorBadJson,
                                                Status::JwtNestingTooDeep, jwt.claims);
      status != Status::Ok)
    return status;
  const boost::json::object& claims = jwt.claims;
  for (Status status : {
           read_string_claim(claims, "iss", Status::JwtPayloadParseErrorIssNotString, jwt.iss),
           read_string_claim(claims, "sub", Status::JwtPayloadParseErrorSubNotString, jwt.sub),
           read_time_claim(claims, "iat", Status::JwtPayloadParseErrorIatNotInteger,
                           Status::JwtPayloadParseErrorIatOutOfRange, jwt.iat),
           read_time_claim(claims, "nbf", Status::JwtPayloadParseErrorNbfNotInteger,
                           Status::JwtPayloadParseErrorNbfOutOfRange, jwt.nbf),
           read_time_claim(claims, "exp", Status::JwtPayloadParseErrorExpNotInteger,
                           Status::JwtPayloadParseErrorExpOutOfRange, jwt.exp),
           read_string_claim(claims, "jti", Status::JwtPayloadParseErrorJtiNotString, jwt.jti),
           read_audiences(claims, jwt.audiences),
       })
    if (status != Status::Ok) return status;
  return Status::Ok;
}

// Envoy's order: the header, the payload, the claims of a JWT, and the signature last.
template <typename Token>
Result<Token> parse_compact(std::string_view compact, const TokenLimits& limits) {
  Token token;
  Segments segments;
  Status status = parse_header_and_payload(compact, limits, token, segments);
  if constexpr (std::is_same_v<Token, Jwt>)
    if (status == Status::Ok) status = read_claims(limits, token);
  if (status == Status::Ok) status = decode_signature(segments, token);
  if (status != Status::Ok) return status;
  return token;
}

}  // namespace

Result<Jws> parse_jws(std::string_view compact, const TokenLimits& limits) {
  return parse_compact<Jws>(compact, limits);
}

Result<Jwt> parse_jwt(std::string_view compact, const TokenLimits& limits) {
  return parse_compact<Jwt>(compact, limits);
}

Status verify_time(const Jwt& jwt, std::int64_t now_seconds, std::int64_t skew_seconds) {
  // 128-bit sums: a hostile exp near 2^64 plus the skew must not wrap around.
  const __int128 now = now_seconds;
  if (jwt.nbf && now + skew_seconds < static_cast<__int128>(*jwt.nbf))
    return Status::JwtNotYetValid;
  if (jwt.exp && now > static_cast<__int128>(*jwt.exp) + skew_seconds) return Status::JwtExpired;
  return Status::Ok;
}

}  // namespace gatehouse::jose
