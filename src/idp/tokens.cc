#include "idp/tokens.h"

#include <boost/json/array.hpp>
#include <boost/json/serialize.hpp>

#include "idp/http_text.h"
#include "jose/verify.h"

namespace gatehouse::idp {
namespace {

boost::json::array string_array(const std::vector<std::string>& values) {
  boost::json::array out;
  for (const std::string& value : values) out.emplace_back(value);
  return out;
}

void add_groups(const std::optional<GroupsFilter>& filter, const User& user,
                boost::json::object& claims) {
  if (!filter || !filter->enabled()) return;
  claims[filter->claim_name()] = string_array(filter->select(user.groups));
}

std::optional<std::string> sign(const State& state, const boost::json::object& claims) {
  const jose::PrivateKey& key = state.keys.front();
  boost::json::object header{{"kid", key.kid()}, {"alg", "RS256"}, {"typ", "JWT"}};
  auto token = jose::sign_compact(boost::json::serialize(header), boost::json::serialize(claims),
                                  key, jose::Alg::RS256);
  if (!token.ok()) return std::nullopt;
  return std::move(token).value();
}

}  // namespace

std::optional<std::string> mint_access_token(const State& state, const Grant& grant,
                                             std::int64_t now, std::string_view jti) {
  boost::json::object claims{{"ver", 1},
                             {"jti", "AT." + std::string(jti)},
                             {"iss", state.issuer},
                             {"aud", state.audience},
                             {"iat", now},
                             {"exp", now + state.access_token_lifetime},
                             {"cid", grant.client.id},
                             {"scp", string_array(grant.scopes)}};
  if (grant.user == nullptr) {
    claims["sub"] = grant.client.id;
  } else {
    claims["uid"] = grant.user->id;
    claims["auth_time"] = grant.auth_time;
    claims["sub"] = grant.user->username;
    add_groups(state.access_groups, *grant.user, claims);
  }
  return sign(state, claims);
}

std::optional<std::string> mint_id_token(const State& state, const Grant& grant,
                                         std::string_view nonce, std::int64_t now,
                                         std::string_view jti) {
  boost::json::object claims = user_claims(state, *grant.user, grant.scopes);
  claims["ver"] = 1;
  claims["iss"] = state.issuer;
  claims["aud"] = grant.client.id;
  claims["iat"] = now;
  claims["exp"] = now + state.id_token_lifetime;
  claims["jti"] = "ID." + std::string(jti);
  claims["amr"] = boost::json::array{"pwd"};
  claims["auth_time"] = grant.auth_time;
  if (!nonce.empty()) claims["nonce"] = nonce;
  return sign(state, claims);
}

boost::json::object user_claims(const State& state, const User& user,
                                const std::vector<std::string>& scopes) {
  boost::json::object claims{{"sub", user.id}};
  if (has_scope(scopes, "profile")) {
    claims["name"] = user.name;
    claims["preferred_username"] = user.username;
  }
  if (has_scope(scopes, "email") && !user.email.empty()) {
    claims["email"] = user.email;
    claims["email_verified"] = true;
  }
  add_groups(state.id_groups, user, claims);
  return claims;
}

std::optional<jose::Jwt> verify_access_token(const State& state, std::string_view token,
                                             std::int64_t now) {
  auto jwt = jose::parse_jwt(token);
  if (!jwt.ok() || jwt->iss != state.issuer) return std::nullopt;
  if (jose::verify_time(*jwt, now, 0) != jose::Status::Ok || !jwt->exp) return std::nullopt;
  if (jwt->audiences.size() != 1 || jwt->audiences[0] != state.audience) return std::nullopt;
  if (jose::verify_signature(*jwt, state.jwks) != jose::Status::Ok) return std::nullopt;
  return std::move(jwt).value();
}

}  // namespace gatehouse::idp
