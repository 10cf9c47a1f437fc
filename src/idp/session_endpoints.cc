// /v1/userinfo (OpenID Connect Core 5.3, RFC 6750 errors) and /v1/logout (RP-Initiated Logout
// 1.0: id_token_hint optional, post_logout_redirect_uri only when registered for the client).
#include <boost/json/serialize.hpp>

#include "idp/endpoints.h"
#include "idp/http_text.h"
#include "idp/responses.h"
#include "idp/tokens.h"
#include "jose/verify.h"

namespace gatehouse::idp {
namespace {

std::vector<std::string> scopes_claim(const jose::Jwt& jwt) {
  std::vector<std::string> out;
  const boost::json::value* scp = jwt.claims.if_contains("scp");
  if (scp == nullptr || !scp->is_array()) return out;
  for (const boost::json::value& scope : scp->get_array()) {
    if (scope.is_string()) out.emplace_back(scope.get_string());
  }
  return out;
}

const User* user_by_id(const State& state, std::string_view id) {
  for (const User& user : state.users) {
    if (user.id == id) return &user;
  }
  return nullptr;
}

// The client an ID token was issued to, when it is one of this provider's (signature and
// issuer checked; expiry not: RP-Initiated Logout accepts expired hints).
std::optional<std::string> hinted_client(const State& state, std::string_view hint) {
  auto jwt = jose::parse_jwt(hint);
  if (!jwt.ok() || jwt->iss != state.issuer || jwt->audiences.size() != 1) return std::nullopt;
  if (jose::verify_signature(*jwt, state.jwks) != jose::Status::Ok) return std::nullopt;
  return jwt->audiences[0];
}

std::string expired_session_cookie(const State& state) {
  return std::string(kSessionCookie) +
         "=; Path=" + (state.path_prefix.empty() ? "/" : state.path_prefix) +
         "; Max-Age=0; HttpOnly; SameSite=Lax" + (state.secure_cookie ? "; Secure" : "");
}

}  // namespace

Response userinfo_endpoint(const State& state, const Request& request, std::int64_t now) {
  auto token = bearer_token(request.authorization);
  if (!token) {
    Response out = json_error(OAuthError::InvalidRequest, "a Bearer access token is required");
    out.status = 401;
    out.headers.emplace_back("WWW-Authenticate", "Bearer realm=\"gatehouse-idp\"");
    return out;
  }
  auto jwt = verify_access_token(state, *token, now);
  if (!jwt) return json_error(OAuthError::InvalidToken, "the access token is invalid or expired");
  const boost::json::value* uid = jwt->claims.if_contains("uid");
  const User* user =
      uid != nullptr && uid->is_string() ? user_by_id(state, uid->get_string()) : nullptr;
  if (user == nullptr) return json_error(OAuthError::InvalidToken, "the token has no user");
  const std::vector<std::string> scopes = scopes_claim(*jwt);
  if (!has_scope(scopes, "openid")) {
    return json_error(OAuthError::InsufficientScope, "the token lacks the openid scope");
  }
  Response out = json_response(200, boost::json::serialize(user_claims(state, *user, scopes)));
  out.headers.emplace_back("Cache-Control", "no-store");
  return out;
}

Response logout_endpoint(State& state, const Request& request) {
  std::string error;
  std::optional<Params> params;
  if (request.method == "POST") {
    if (!is_form_content_type(request.content_type)) {
      return error_page(400, "invalid_request",
                        "The body must be application/x-www-form-urlencoded.");
    }
    params = Params::parse(request.body, error);
  } else {
    params = Params::parse(request.query, error);
  }
  if (!params) return error_page(400, "invalid_request", error);
  std::optional<std::string> client_id;
  if (const std::string* hint = params->get("id_token_hint")) {
    client_id = hinted_client(state, *hint);
    if (!client_id) {
      return error_page(400, "invalid_request",
                        "id_token_hint is not an ID token this provider issued.");
    }
  }
  if (const std::string* named = params->get("client_id")) {
    if (client_id && *client_id != *named) {
      return error_page(400, "invalid_request", "client_id differs from the id_token_hint's.");
    }
    client_id = *named;
  }
  const std::string* target = params->get("post_logout_redirect_uri");
  if (target != nullptr) {
    const Client* client = client_id ? state.find_client(*client_id) : nullptr;
    if (client == nullptr) {
      return error_page(400, "invalid_request",
                        "post_logout_redirect_uri needs an id_token_hint or a known client_id.");
    }
    if (!client->post_logout_registered(*target)) {
      return error_page(400, "invalid_request",
                        "The post_logout_redirect_uri is not registered for this client.");
    }
  }
  if (auto id = find_session_cookie(request.cookie_fields)) state.sessions.erase(*id);
  Response out;
  if (target != nullptr) {
    const std::string_view logout_state = params->value("state");
    std::pair<std::string_view, std::string_view> query[] = {{"state", logout_state}};
    out = redirect(append_query(*target, std::span(query, logout_state.empty() ? 0 : 1)));
  } else {
    out = signed_out_page();
  }
  out.headers.emplace_back("Set-Cookie", expired_session_cookie(state));
  return out;
}

}  // namespace gatehouse::idp
