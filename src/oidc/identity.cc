#include "oidc/identity.h"

#include <algorithm>
#include <cstdint>

#include "oidc/userinfo.h"

namespace gatehouse::oidc {
namespace {

constexpr std::string_view kOidcHeaderPrefix = "x-amzn-oidc-";
constexpr std::int64_t kSecondsPerMinute = 60;

}  // namespace

Result<ForwardedIdentity> forwarded_identity(const session::Session& session,
                                             const DataTokenSigner& signer, std::int64_t now,
                                             DataTokenCache* cache) {
  ForwardedIdentity out;
  out.subject = claims_subject(session.claims_json);
  if (out.subject.empty()) return Error{Status::SessionClaimsInvalid, {}};
  const std::int64_t minute = now - now % kSecondsPerMinute;
  const std::int64_t exp = std::min(minute + kDataTokenLifetimeSeconds, session.expires_at);
  std::string key;
  if (cache != nullptr) {
    if (cache->minute_ != minute || cache->tokens_.size() >= cache->max_entries_) {
      cache->tokens_.clear();
      cache->minute_ = minute;
    }
    key = std::to_string(reinterpret_cast<std::uintptr_t>(&signer)) + ' ' + std::to_string(exp) +
          ' ' + session.claims_json;
    if (auto found = cache->tokens_.find(key); found != cache->tokens_.end()) {
      out.data_token = found->second;
      return out;
    }
  }
  Result<std::string> token = signer.sign(session.claims_json, exp);
  if (!token.ok()) return token.error();
  out.data_token = std::move(*token);
  if (cache != nullptr) cache->tokens_.emplace(std::move(key), out.data_token);
  return out;
}

std::size_t strip_oidc_headers(http1::Fields& fields) {
  const std::size_t before = fields.size();
  fields.erase_if([](const http1::Field& field) {
    return field.name.size() >= kOidcHeaderPrefix.size() &&
           iequals(field.name.substr(0, kOidcHeaderPrefix.size()), kOidcHeaderPrefix);
  });
  return before - fields.size();
}

void add_oidc_headers(http1::Fields& fields, std::string_view access_token,
                      const ForwardedIdentity& identity) {
  fields.add(kAccessTokenHeader, access_token);
  fields.add(kIdentityHeader, identity.subject);
  fields.add(kDataHeader, identity.data_token);
}

}  // namespace gatehouse::oidc
