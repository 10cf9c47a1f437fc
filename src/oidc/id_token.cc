#include "oidc/id_token.h"

#include <algorithm>
#include <cstdint>

#include "jose/jwt.h"
#include "jose/verify.h"

namespace gatehouse::oidc {
namespace {

Error jose_error(Status status, jose::Status cause) {
  return Error{status, std::string(jose::status_name(cause))};
}

// azp, when present as a string; empty otherwise (a non-string azp is no presenter).
std::string_view authorized_party(const jose::Jwt& jwt) {
  const boost::json::value* azp = jwt.claims.if_contains("azp");
  return azp != nullptr && azp->is_string() ? std::string_view(azp->get_string())
                                            : std::string_view();
}

Status check_claims(const jose::Jwt& jwt, const IdTokenCheck& check) {
  if (jwt.iss != check.issuer) return Status::IdTokenWrongIssuer;
  const auto& audiences = jwt.audiences;
  if (std::find(audiences.begin(), audiences.end(), check.client_id) == audiences.end()) {
    return Status::IdTokenWrongAudience;
  }
  const bool has_azp = jwt.claims.contains("azp");
  if ((has_azp || audiences.size() > 1) && authorized_party(jwt) != check.client_id) {
    return Status::IdTokenWrongAuthorizedParty;
  }
  if (!jwt.exp) return Status::IdTokenNoExpiry;
  const jose::Status time = jose::verify_time(jwt, check.now, check.skew_seconds);
  if (time == jose::Status::JwtNotYetValid) return Status::IdTokenNotYetValid;
  if (time != jose::Status::Ok) return Status::IdTokenExpired;
  if (jwt.sub.empty()) return Status::IdTokenNoSubject;
  if (!check.nonce.empty()) {
    const boost::json::value* nonce = jwt.claims.if_contains("nonce");
    if (nonce == nullptr) return Status::IdTokenNoNonce;
    if (!nonce->is_string() || nonce->get_string() != check.nonce) {
      return Status::IdTokenWrongNonce;
    }
  }
  return Status::Ok;
}

}  // namespace

Result<IdToken> validate_id_token(std::string_view token, const jose::Jwks& issuer_keys,
                                  const IdTokenCheck& check) {
  jose::Result<jose::Jwt> jwt = jose::parse_jwt(token);
  if (!jwt.ok()) return jose_error(Status::IdTokenMalformed, jwt.status());
  if (const jose::Status signature = jose::verify_signature(*jwt, issuer_keys);
      signature != jose::Status::Ok) {
    return jose_error(Status::IdTokenBadSignature, signature);
  }
  if (const Status status = check_claims(*jwt, check); status != Status::Ok) {
    return Error{status, {}};
  }
  constexpr auto kLatest = static_cast<std::uint64_t>(INT64_MAX);
  return IdToken{.subject = jwt->sub,
                 .expires_at = static_cast<std::int64_t>(std::min(*jwt->exp, kLatest))};
}

}  // namespace gatehouse::oidc
