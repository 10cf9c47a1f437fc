// Istio's requirement, as Envoy evaluates it: with one provider P, requires_any{P,
// allow_missing}; with providers P1..Pn, requires_any{P1, ..., Pn, requires_all{any{P1,
// allow_missing}, ..., any{Pn, allow_missing}}}. A provider verifies the tokens its own
// locations hold, last found first, and fails at the first failure.
#include <algorithm>

#include "authn/authn.h"
#include "authn/claims.h"
#include "authn/extract.h"
#include "jose/verify.h"

namespace gatehouse::authn {
namespace {

using jose::Status;
// Inline slots as in detail::Tokens: a verification that hits the cache allocates nothing.
using Identities = boost::container::small_vector<std::shared_ptr<const Identity>, 2>;
using Failures = boost::container::small_vector<Status, 4>;

// Envoy's MaximumUriLength: the realm carries at most this much of the path and query.
constexpr std::size_t kMaxRealmTargetBytes = 256;

bool is_cors_preflight(const Request& request) {
  const auto non_empty = [&](std::string_view name) {
    const auto value = request.headers.get(name);
    return value && !value->empty();
  };
  return request.method == "OPTIONS" && non_empty("origin") &&
         non_empty("access-control-request-method");
}

std::string www_authenticate(const Request& request) {
  std::string target(request.path);
  if (!request.query.empty()) {
    target += '?';
    target += request.query;
  }
  target.resize(std::min(target.size(), kMaxRealmTargetBytes));
  std::string value = "Bearer realm=\"";
  value += request.scheme;
  value += "://";
  value += request.authority;
  value += target;
  value += "\", error=\"invalid_token\"";
  return value;
}

// The bytes outputPayloadToHeader forwards: the payload segment of a verified (so well-formed)
// compact token.
std::string_view payload_segment(std::string_view token) {
  const std::size_t first_dot = token.find('.');
  return token.substr(first_dot + 1, token.rfind('.') - first_dot - 1);
}

// What the winning provider's tokens leave behind, in Envoy's order, last token first.
void apply_success(const Provider& provider, const detail::Tokens& tokens,
                   const Identities& identities, http1::Fields& headers) {
  for (std::size_t i = tokens.size(); i-- > 0;) {
    if (!provider.output_payload_to_header.empty())
      headers.add(provider.output_payload_to_header, payload_segment(tokens[i].text()));
    for (const config::ClaimToHeader& output : provider.output_claim_to_headers)
      detail::add_claim_header(identities[i]->claims, output.claim, output.header, headers);
    if (!provider.forward_original_token && !tokens[i].header.empty())
      headers.erase(tokens[i].header);
  }
}

// Envoy's AnyVerifierImpl picks, of its children's failures, the last one that is neither
// JwtMissed nor JwtUnknownIssuer, else JwtUnknownIssuer if any, else JwtMissed.
Status any_verifier_status(const Failures& failures) {
  Status chosen = Status::JwtMissed;
  for (Status status : failures) {
    const bool weak = status == Status::JwtMissed || status == Status::JwtUnknownIssuer;
    if (!weak || chosen == Status::JwtMissed) chosen = status;
  }
  return chosen;
}

class Authenticator {
 public:
  Authenticator(const KeyTable& keys, TokenCache& cache, std::int64_t now,
                std::vector<std::string>& refetch)
      : keys_(keys), cache_(cache), now_(now), refetch_(refetch) {}

  // One provider: JwtMissed without tokens, else the first failure, verifying the last token
  // found first; on Ok, `identities[i]` is the identity of `tokens[i]`.
  Status verify_provider(const Provider& provider, const detail::Tokens& tokens,
                         Identities& identities) {
    if (tokens.empty()) return Status::JwtMissed;
    identities.assign(tokens.size(), nullptr);
    for (std::size_t i = tokens.size(); i-- > 0;)
      if (Status status = verify_token(provider, tokens[i].text(), identities[i]);
          status != Status::Ok)
        return status;
    return Status::Ok;
  }

 private:
  // jwt_verify_lib's order: parse, issuer, time, audience, then keys and signature. A cache
  // hit skips the parse and the signature only.
  Status verify_token(const Provider& provider, std::string_view token,
                      std::shared_ptr<const Identity>& identity) {
    const auto found = keys_.find(provider.key_source);
    const KeySet* key_set = found != keys_.end() ? &found->second : nullptr;
    if (key_set != nullptr && key_set->jwks != nullptr) {
      if (const TokenCache::Entry* entry =
              cache_.find(token, provider.cache_scope, key_set->generation, now_)) {
        if (Status status = check_claims(provider, entry->checks); status != Status::Ok)
          return status;
        identity = entry->identity;
        return Status::Ok;
      }
    }
    jose::Result<jose::Jwt> jwt = jose::parse_jwt(token);
    if (!jwt.ok()) return jwt.status();
    if (Status status = check_claims(provider, *jwt); status != Status::Ok) return status;
    if (key_set == nullptr || key_set->jwks == nullptr) {
      note_refetch(provider.key_source);
      return Status::JwksFetchFail;
    }
    if (Status status = jose::verify_signature(*jwt, *key_set->jwks); status != Status::Ok) {
      if (status == Status::JwksKidAlgMismatch) note_refetch(provider.key_source);
      return status;
    }
    identity = detail::make_identity(*jwt, provider.space_delimited_claims);
    remember(token, provider, key_set->generation, std::move(*jwt), identity);
    return Status::Ok;
  }

  Status check_claims(const Provider& provider, const jose::Jwt& jwt) const {
    if (!provider.issuer.empty() && jwt.iss != provider.issuer) return Status::JwtUnknownIssuer;
    if (Status status = jose::verify_time(jwt, now_); status != Status::Ok) return status;
    if (!provider.allows_audiences(jwt.audiences)) return Status::JwtAudienceNotAllowed;
    return Status::Ok;
  }

  void remember(std::string_view token, const Provider& provider, std::uint64_t generation,
                jose::Jwt jwt, const std::shared_ptr<const Identity>& identity) {
    if (!cache_.cacheable(token)) return;
    // Only what check_claims reads stays; the identity already holds the claims.
    jose::Jwt checks;
    checks.iss = std::move(jwt.iss);
    checks.audiences = std::move(jwt.audiences);
    checks.nbf = jwt.nbf;
    checks.exp = jwt.exp;
    cache_.insert(token, {provider.cache_scope, generation, std::move(checks), identity});
  }

  void note_refetch(const std::string& source) {
    if (std::find(refetch_.begin(), refetch_.end(), source) == refetch_.end())
      refetch_.push_back(source);
  }

  const KeyTable& keys_;
  TokenCache& cache_;
  std::int64_t now_;
  std::vector<std::string>& refetch_;
};

}  // namespace

Outcome authenticate(const Requirement& requirement, Request& request, const KeyTable& keys,
                     TokenCache& cache, std::int64_t now_seconds) {
  Outcome outcome;
  if (is_cors_preflight(request)) {
    outcome.kind = Outcome::Kind::Bypassed;
    return outcome;
  }
  for (const std::string& header : requirement.output_headers) request.headers.erase(header);

  Authenticator authenticator(keys, cache, now_seconds, outcome.refetch);
  Failures failures;
  detail::Tokens tokens;
  Identities identities;
  for (const Provider& provider : requirement.providers) {
    tokens.clear();
    detail::extract_tokens(provider, request.headers, request.query, tokens);
    const Status status = authenticator.verify_provider(provider, tokens, identities);
    if (status == Status::Ok) {
      apply_success(provider, tokens, identities, request.headers);
      outcome.kind = Outcome::Kind::Verified;
      // Envoy keeps the payload of the last token verified, the first one found.
      outcome.identity = identities.front();
      return outcome;
    }
    failures.push_back(status);
  }
  // The requires_all branch (n > 1) fails with the first provider that found tokens; it is
  // the last child of the outer requires_any.
  const auto first_found = std::find_if(failures.begin(), failures.end(),
                                        [](Status status) { return status != Status::JwtMissed; });
  if (first_found == failures.end()) return outcome;  // NoToken: allow_missing
  if (failures.size() > 1) failures.push_back(*first_found);
  outcome.kind = Outcome::Kind::Rejected;
  outcome.status = any_verifier_status(failures);
  outcome.http_status = outcome.status == Status::JwtAudienceNotAllowed ? 403 : 401;
  outcome.www_authenticate = www_authenticate(request);
  return outcome;
}

}  // namespace gatehouse::authn
