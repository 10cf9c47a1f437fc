#include "oidc/session_update.h"

#include <algorithm>

namespace gatehouse::oidc {
namespace {

std::int64_t access_token_end(const TokenResponse& tokens, std::int64_t now,
                              std::int64_t session_end) {
  return tokens.expires_in ? std::min(now + *tokens.expires_in, session_end) : session_end;
}

}  // namespace

session::Session login_session(const config::AuthenticateOidcConfig& config,
                               const TokenResponse& tokens, const Userinfo& userinfo,
                               std::int64_t now) {
  session::Session out;
  out.expires_at = now + config.session_timeout_seconds;
  out.access_token = tokens.access_token;
  out.access_token_expires_at = access_token_end(tokens, now, out.expires_at);
  out.refresh_token = tokens.refresh_token;
  out.id_token = tokens.id_token;
  out.claims_json = userinfo.claims_json;
  return out;
}

session::Session refreshed_session(const session::Session& old, const TokenResponse& tokens,
                                   const Userinfo& userinfo, std::int64_t now) {
  session::Session out = old;
  out.access_token = tokens.access_token;
  out.access_token_expires_at = access_token_end(tokens, now, out.expires_at);
  if (tokens.refresh_token) out.refresh_token = tokens.refresh_token;
  if (tokens.id_token) out.id_token = tokens.id_token;
  out.claims_json = userinfo.claims_json;
  return out;
}

}  // namespace gatehouse::oidc
