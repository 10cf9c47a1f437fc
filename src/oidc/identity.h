// The identity headers at the edge: client-supplied x-amzn-oidc-* headers are removed from
// every request on every listener (else an unauthenticated rule or `allow` mode would let a
// client forge an identity), and after a successful authenticate-oidc the three headers ALB
// sends are added. Pure functions over the request's field list.
//
//   strip_oidc_headers(fields);                          // every request, before the rules
//   ... decide() said Forward ...
//   Result<ForwardedIdentity> identity = forwarded_identity(session, signer, now, &cache);
//   if (identity.ok()) add_oidc_headers(fields, session.access_token, *identity);
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>

#include "http1/fields.h"
#include "oidc/data_token.h"
#include "oidc/result.h"
#include "session/session.h"

namespace gatehouse::oidc {

inline constexpr std::string_view kAccessTokenHeader = "x-amzn-oidc-accesstoken";
inline constexpr std::string_view kIdentityHeader = "x-amzn-oidc-identity";
inline constexpr std::string_view kDataHeader = "x-amzn-oidc-data";

// The per-request values of x-amzn-oidc-identity and x-amzn-oidc-data.
struct ForwardedIdentity {
  std::string subject;     // userinfo sub
  std::string data_token;  // expiring at min(now + kDataTokenLifetimeSeconds, session end)
};

// Minted data tokens for reuse, per worker (no locks; one per worker thread). An ES256 signature
// costs tens of microseconds, far more than the rest of a proxied request, and a token's exp only
// moves once a minute (below), so every request of a session within that minute can forward the
// same token. Entries hold the claims and the token; the whole cache is dropped when the minute
// changes or it reaches `max_entries`.
class DataTokenCache {
 public:
  explicit DataTokenCache(std::size_t max_entries = 4096) : max_entries_(max_entries) {}
  std::size_t size() const { return tokens_.size(); }

 private:
  friend Result<ForwardedIdentity> forwarded_identity(const session::Session&,
                                                      const DataTokenSigner&, std::int64_t,
                                                      DataTokenCache*);
  std::size_t max_entries_;
  std::int64_t minute_ = -1;
  std::unordered_map<std::string, std::string> tokens_;  // signer, exp, claims -> token
};

// The identity a session forwards now. The data token expires at the end of the minute after
// next, never past the session: exp = min(now - now % 60 + kDataTokenLifetimeSeconds,
// session.expires_at), so it lives 61 to 120 seconds. With a cache, a token minted for the same
// signer, claims and exp is reused. SessionClaimsInvalid when the claims are not a JSON object
// with a usable sub (never for a session gatehouse sealed); DataTokenSignFailed.
Result<ForwardedIdentity> forwarded_identity(const session::Session& session,
                                             const DataTokenSigner& signer, std::int64_t now,
                                             DataTokenCache* cache = nullptr);

// Removes every field whose name starts with "x-amzn-oidc-" in any case; returns how many.
std::size_t strip_oidc_headers(http1::Fields& fields);

// Adds x-amzn-oidc-accesstoken, x-amzn-oidc-identity and x-amzn-oidc-data, in that order.
// REQUIRES: strip_oidc_headers ran on `fields` first.
void add_oidc_headers(http1::Fields& fields, std::string_view access_token,
                      const ForwardedIdentity& identity);

}  // namespace gatehouse::oidc
