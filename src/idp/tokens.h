// The tokens the provider mints, shaped like Okta's: RS256 JWT access tokens (ver, jti, iss,
// aud, iat, exp, cid, uid, scp, auth_time, sub, groups) and ID tokens (sub, name, email,
// preferred_username, nonce, auth_time, groups, ...), plus the check of its own access tokens
// for userinfo. Internal to the idp module; pure.
#pragma once

#include <boost/json/object.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "idp/state.h"
#include "jose/jwt.h"

namespace gatehouse::idp {

// What a token is issued for: a user signed in to a client, or the client itself (`user`
// null, client_credentials).
struct Grant {
  const Client& client;
  const User* user;
  const std::vector<std::string>& scopes;
  std::int64_t auth_time = 0;
};

// nullopt only when signing fails (an OpenSSL failure).
std::optional<std::string> mint_access_token(const State& state, const Grant& grant,
                                             std::int64_t now, std::string_view jti);
// REQUIRES: grant.user.
std::optional<std::string> mint_id_token(const State& state, const Grant& grant,
                                         std::string_view nonce, std::int64_t now,
                                         std::string_view jti);

// The user's claims that `scopes` release (profile: name, preferred_username; email: email,
// email_verified) and the ID token's groups claim; for ID tokens and userinfo.
boost::json::object user_claims(const State& state, const User& user,
                                const std::vector<std::string>& scopes);

// One of this provider's access tokens, checked: signature against its own keys, iss, aud and
// exp (no clock skew). nullopt when any check fails.
std::optional<jose::Jwt> verify_access_token(const State& state, std::string_view token,
                                             std::int64_t now);

}  // namespace gatehouse::idp
