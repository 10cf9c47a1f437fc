// /v1/token: client authentication (client_secret_basic, client_secret_post, none for public
// clients) and the authorization_code (with PKCE), refresh_token and client_credentials
// grants, with RFC 6749 section 5.2's errors.
#include <openssl/crypto.h>
#include <openssl/evp.h>

#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>

#include "idp/endpoints.h"
#include "idp/http_text.h"
#include "idp/responses.h"
#include "idp/tokens.h"
#include "jose/base64url.h"

namespace gatehouse::idp {
namespace {

bool same_secret(std::string_view given, std::string_view expected) {
  return given.size() == expected.size() &&
         CRYPTO_memcmp(given.data(), expected.data(), given.size()) == 0;
}

// Who is calling, or the invalid_client / invalid_request answer.
std::variant<const Client*, Response> authenticate_client(const State& state,
                                                          const Request& request,
                                                          const Params& params) {
  BasicCredentials basic;
  const BasicParse parsed = parse_basic(request.authorization, basic);
  if (parsed == BasicParse::Malformed) {
    return json_error(OAuthError::InvalidClient, "the Basic credentials are malformed");
  }
  const bool uses_basic = parsed == BasicParse::Ok;
  if (uses_basic && params.has("client_secret")) {
    return json_error(OAuthError::InvalidRequest, "use one client authentication method");
  }
  if (uses_basic && params.has("client_id") && params.value("client_id") != basic.client_id) {
    return json_error(OAuthError::InvalidRequest, "client_id differs from the Basic credentials");
  }
  const std::string_view client_id = uses_basic ? basic.client_id : params.value("client_id");
  const std::string_view secret = uses_basic ? basic.client_secret : params.value("client_secret");
  const Client* client = state.find_client(client_id);
  if (client == nullptr)
    return json_error(OAuthError::InvalidClient, "client authentication failed");
  if (client->is_public() ? !secret.empty() : !same_secret(secret, client->secret)) {
    return json_error(OAuthError::InvalidClient, "client authentication failed");
  }
  return client;
}

// RFC 7636 section 4.6.
bool pkce_matches(const AuthorizationCode& code, std::string_view verifier) {
  const bool well_formed = verifier.size() >= 43 && verifier.size() <= 128 &&
                           verifier.find_first_not_of(
                               "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
                               "-._~") == std::string_view::npos;
  switch (code.pkce) {
    case PkceMethod::None:
      return verifier.empty();
    case PkceMethod::Plain:
      return well_formed && verifier == code.code_challenge;
    case PkceMethod::S256: {
      if (!well_formed) return false;
      unsigned char digest[EVP_MAX_MD_SIZE];
      unsigned int size = 0;
      if (EVP_Digest(verifier.data(), verifier.size(), digest, &size, EVP_sha256(), nullptr) != 1) {
        return false;
      }
      return jose::base64url_encode(std::string_view(reinterpret_cast<const char*>(digest),
                                                     size)) == code.code_challenge;
    }
  }
  return false;
}

// The token response for a grant. `refresh` is the new refresh token, empty for none.
Response tokens(const State& state, const Grant& grant, std::string_view nonce,
                const std::string& refresh, std::int64_t now, RandomPool& random) {
  auto access = mint_access_token(state, grant, now, random.secret(16));
  if (!access) return json_error(OAuthError::ServerError, "signing failed");
  boost::json::object body{{"token_type", "Bearer"},
                           {"expires_in", state.access_token_lifetime},
                           {"access_token", *access},
                           {"scope", join_scope(grant.scopes)}};
  if (grant.user != nullptr && has_scope(grant.scopes, "openid")) {
    auto id_token = mint_id_token(state, grant, nonce, now, random.secret(16));
    if (!id_token) return json_error(OAuthError::ServerError, "signing failed");
    body["id_token"] = *id_token;
  }
  if (!refresh.empty()) body["refresh_token"] = refresh;
  return token_response(boost::json::serialize(body));
}

// A refresh token for a user grant, when the client may refresh and asked for offline_access.
std::string maybe_refresh_token(State& state, const Client& client, std::size_t user,
                                const std::vector<std::string>& scopes, std::int64_t auth_time,
                                std::int64_t now, RandomPool& random) {
  if (!client.allows(config::IdpGrantType::RefreshToken) || !has_scope(scopes, "offline_access")) {
    return "";
  }
  std::string token = random.secret(32);
  state.refresh_tokens.put(token, RefreshGrant{client.id, user, scopes, auth_time},
                           now + state.refresh_token_lifetime, now);
  return token;
}

Response authorization_code_grant(State& state, const Client& client, const Params& params,
                                  std::int64_t now, RandomPool& random) {
  const std::string* code_text = params.get("code");
  if (code_text == nullptr) return json_error(OAuthError::InvalidRequest, "code is missing");
  // Taken at once: a code is single-use even when this exchange fails.
  std::optional<AuthorizationCode> code = state.codes.take(*code_text, now);
  if (!code) {
    return json_error(OAuthError::InvalidGrant, "the code is invalid, expired or already used");
  }
  if (code->client_id != client.id) {
    return json_error(OAuthError::InvalidGrant, "the code was issued to another client");
  }
  if (params.value("redirect_uri") != code->redirect_uri) {
    return json_error(OAuthError::InvalidGrant,
                      "redirect_uri does not match the authorization request");
  }
  if (!pkce_matches(*code, params.value("code_verifier"))) {
    return json_error(OAuthError::InvalidGrant, "PKCE verification failed");
  }
  const std::string refresh =
      maybe_refresh_token(state, client, code->user, code->scopes, code->auth_time, now, random);
  const Grant grant{client, &state.users[code->user], code->scopes, code->auth_time};
  return tokens(state, grant, code->nonce, refresh, now, random);
}

Response refresh_token_grant(State& state, const Client& client, const Params& params,
                             std::int64_t now, RandomPool& random) {
  const std::string* token = params.get("refresh_token");
  if (token == nullptr) return json_error(OAuthError::InvalidRequest, "refresh_token is missing");
  // Rotation: every use spends the token and a new one comes with the answer.
  std::optional<RefreshGrant> grant = state.refresh_tokens.take(*token, now);
  if (!grant) {
    return json_error(OAuthError::InvalidGrant,
                      "the refresh token is invalid, expired or already used");
  }
  if (grant->client_id != client.id) {
    return json_error(OAuthError::InvalidGrant, "the refresh token was issued to another client");
  }
  std::vector<std::string> scopes = grant->scopes;
  if (const std::string* asked = params.get("scope")) {
    auto narrowed = parse_scope(*asked);
    if (!narrowed || narrowed->empty()) return json_error(OAuthError::InvalidScope, "bad scope");
    for (const std::string& scope : *narrowed) {
      if (!has_scope(grant->scopes, scope)) {
        return json_error(OAuthError::InvalidScope, "scope " + scope + " was not granted");
      }
    }
    scopes = std::move(*narrowed);
  }
  const std::string refresh =
      maybe_refresh_token(state, client, grant->user, grant->scopes, grant->auth_time, now, random);
  return tokens(state, Grant{client, &state.users[grant->user], scopes, grant->auth_time}, "",
                refresh, now, random);
}

Response client_credentials_grant(const State& state, const Client& client, const Params& params,
                                  std::int64_t now, RandomPool& random) {
  auto scopes = parse_scope(params.value("scope"));
  if (!scopes) return json_error(OAuthError::InvalidScope, "the scope is malformed");
  for (const std::string& scope : *scopes) {
    if (!has_scope(state.custom_scopes, scope)) {
      return json_error(OAuthError::InvalidScope,
                        "scope " + scope + " is not available to client_credentials");
    }
  }
  return tokens(state, Grant{client, nullptr, *scopes, 0}, "", "", now, random);
}

}  // namespace

Response token_endpoint(State& state, const Request& request, std::int64_t now,
                        RandomPool& random) {
  if (!is_form_content_type(request.content_type)) {
    return json_error(OAuthError::InvalidRequest,
                      "the body must be application/x-www-form-urlencoded");
  }
  std::string error;
  auto params = Params::parse(request.body, error);
  if (!params) return json_error(OAuthError::InvalidRequest, error);
  auto authenticated = authenticate_client(state, request, *params);
  if (auto* response = std::get_if<Response>(&authenticated)) return std::move(*response);
  const Client& client = *std::get<const Client*>(authenticated);
  const std::string* grant_type = params->get("grant_type");
  if (grant_type == nullptr) return json_error(OAuthError::InvalidRequest, "grant_type is missing");
  config::IdpGrantType grant;
  if (*grant_type == "authorization_code") {
    grant = config::IdpGrantType::AuthorizationCode;
  } else if (*grant_type == "refresh_token") {
    grant = config::IdpGrantType::RefreshToken;
  } else if (*grant_type == "client_credentials") {
    grant = config::IdpGrantType::ClientCredentials;
  } else {
    return json_error(OAuthError::UnsupportedGrantType,
                      "grant_type " + *grant_type + " is not supported");
  }
  if (!client.allows(grant)) {
    return json_error(OAuthError::UnauthorizedClient,
                      "the client may not use grant_type " + *grant_type);
  }
  switch (grant) {
    case config::IdpGrantType::AuthorizationCode:
      return authorization_code_grant(state, client, *params, now, random);
    case config::IdpGrantType::RefreshToken:
      return refresh_token_grant(state, client, *params, now, random);
    case config::IdpGrantType::ClientCredentials:
      if (client.is_public()) {
        return json_error(OAuthError::UnauthorizedClient, "a public client has no credentials");
      }
      return client_credentials_grant(state, client, *params, now, random);
  }
  return json_error(OAuthError::ServerError, "unknown grant");
}

}  // namespace gatehouse::idp
