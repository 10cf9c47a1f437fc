// Request authentication as Istio's RequestAuthentication makes Envoy's jwt_authn do it: read
// the JWTs a workload's rules name, verify them against the key sets, and either reject the
// request with Envoy's exact 401/403 or pass it on with the verified identity. Pure: key sets
// come in as a KeyTable, time as a number; the request's header list is edited in place.
//
// Per worker, per request:
//   authn::Request request{method, scheme, authority, path, query, fields};
//   authn::Outcome outcome = authn::authenticate(*requirement, request, keys, cache, now);
//   for (auto& source : outcome.refetch) fetcher.refetch(source);  // rate-limited there
//   if (outcome.kind == authn::Outcome::Kind::Rejected)
//     reply(outcome.http_status, outcome.body(), {"www-authenticate", outcome.www_authenticate});
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "authn/identity.h"
#include "authn/key_table.h"
#include "authn/policy.h"
#include "authn/token_cache.h"
#include "http1/fields.h"
#include "jose/status.h"

namespace gatehouse::authn {

struct Request {
  std::string_view method;
  std::string_view scheme;     // of the client leg: "http" or "https"
  std::string_view authority;  // as received
  std::string_view path;       // normalized, without the query
  std::string_view query;      // after '?', without it
  http1::Fields& headers;      // edited in place: output headers, token header
};

struct Outcome {
  enum class Kind {
    NoToken,   // no location of any provider held a token: passes with no identity
    Verified,  // some provider verified every token it found: passes with `identity`
    Rejected,  // reply `http_status` with body() and `www_authenticate`
    Bypassed,  // CORS preflight: nothing checked, no header touched
  };

  Kind kind = Kind::NoToken;
  int http_status = 0;                     // when Rejected: 403 for JwtAudienceNotAllowed, else 401
  jose::Status status = jose::Status::Ok;  // when Rejected: why
  // When Rejected: `Bearer realm="<scheme>://<authority><path>[?<query>]",
  // error="invalid_token"`, the path and query cut to 256 bytes, as Envoy sends it.
  std::string www_authenticate;
  std::shared_ptr<const Identity> identity;  // when Verified
  // Key sources that had no key set yet or whose key set lacked a key for a token's kid and
  // alg, without repeats: the fetcher may want to fetch them again. Set whatever the kind.
  std::vector<std::string> refetch;

  // The reply body when Rejected: Envoy's message for `status`, word for word.
  std::string_view body() const { return jose::status_message(status); }
};

// Authenticates `request` for a workload whose providers are `requirement`:
// - a CORS preflight (OPTIONS with non-empty Origin and Access-Control-Request-Method) is
//   Bypassed untouched;
// - otherwise every output header of every provider is removed first;
// - each provider in turn verifies every token found in its locations (parse, issuer, time
//   with 60 s skew, audience, keys and signature); the first provider to verify all of its
//   tokens wins: its payload and claim headers are added and, unless forwardOriginalToken, the
//   headers its tokens came from are removed;
// - no token anywhere is NoToken; else Rejected with the status Envoy's requires_any picks.
// A source with no key set yet rejects its tokens with JwksFetchFail ("Jwks remote fetch is
// failed"). Verifications go through `cache`. A cache hit allocates nothing but what the
// outcome holds.
Outcome authenticate(const Requirement& requirement, Request& request, const KeyTable& keys,
                     TokenCache& cache, std::int64_t now_seconds);

}  // namespace gatehouse::authn
