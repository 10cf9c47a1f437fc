// /v1/authorize and /v1/login: the authorization request (OAuth 2.0 section 4.1.1, OpenID
// Connect Core 3.1.2.1, PKCE), the login form, the login session, and the code.
#include <algorithm>
#include <array>
#include <variant>

#include "idp/endpoints.h"
#include "idp/http_text.h"
#include "idp/responses.h"

namespace gatehouse::idp {
namespace {

constexpr std::array<std::string_view, 5> kStandardScopes{"openid", "profile", "email",
                                                          "offline_access", "groups"};
// The authorization request's parameters the login form carries back.
constexpr std::array<std::string_view, 9> kCarried{
    "client_id", "redirect_uri",   "response_type",         "response_mode", "scope",
    "state",     "code_challenge", "code_challenge_method", "nonce"};

struct AuthorizeRequest {
  const Client* client = nullptr;
  std::string redirect_uri;
  std::string state;
  std::string nonce;
  PkceMethod pkce = PkceMethod::None;
  std::string code_challenge;
  std::vector<std::string> scopes;
  std::string prompt;
};

// RFC 7636 section 4.2: 43 to 128 unreserved characters.
bool is_code_challenge(std::string_view text) {
  return text.size() >= 43 && text.size() <= 128 &&
         text.find_first_not_of(
             "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
             "-._~") == std::string_view::npos;
}

bool is_known_scope(const State& state, std::string_view scope) {
  return std::find(kStandardScopes.begin(), kStandardScopes.end(), scope) !=
             kStandardScopes.end() ||
         has_scope(state.custom_scopes, scope);
}

// Until client_id and redirect_uri are known good, errors are a page: redirecting to an
// unchecked URI would make the provider an open redirector.
std::variant<AuthorizeRequest, Response> check_request(const State& state, const Params& params) {
  AuthorizeRequest out;
  const std::string* client_id = params.get("client_id");
  if (client_id == nullptr) return error_page(400, "invalid_request", "client_id is missing.");
  out.client = state.find_client(*client_id);
  if (out.client == nullptr) return error_page(400, "invalid_client", "The client is unknown.");
  const std::string* redirect_uri = params.get("redirect_uri");
  if (redirect_uri == nullptr)
    return error_page(400, "invalid_request", "redirect_uri is missing.");
  if (!out.client->redirect_registered(*redirect_uri)) {
    return error_page(400, "invalid_request",
                      "The redirect_uri is not registered for this client.");
  }
  out.redirect_uri = *redirect_uri;
  out.state = params.value("state");
  auto fail = [&](OAuthError error, std::string_view description) {
    return redirect_error(out.redirect_uri, error, description, out.state);
  };
  const std::string* response_type = params.get("response_type");
  if (response_type == nullptr) return fail(OAuthError::InvalidRequest, "response_type is missing");
  if (*response_type != "code") {
    return fail(OAuthError::UnsupportedResponseType, "only response_type code is supported");
  }
  if (!out.client->allows(config::IdpGrantType::AuthorizationCode)) {
    return fail(OAuthError::UnauthorizedClient,
                "the client may not use the authorization code grant");
  }
  if (params.has("response_mode") && params.value("response_mode") != "query") {
    return fail(OAuthError::InvalidRequest, "only response_mode query is supported");
  }
  if (params.has("request") || params.has("request_uri")) {
    return fail(OAuthError::InvalidRequest, "request objects are not supported");
  }
  auto scopes = parse_scope(params.value("scope"));
  if (!scopes) return fail(OAuthError::InvalidScope, "the scope is malformed");
  if (!has_scope(*scopes, "openid"))
    return fail(OAuthError::InvalidScope, "scope must include openid");
  for (const std::string& scope : *scopes) {
    if (!is_known_scope(state, scope)) {
      return fail(OAuthError::InvalidScope, "scope " + scope + " is not supported");
    }
  }
  out.scopes = std::move(*scopes);
  const std::string* challenge = params.get("code_challenge");
  const std::string* method = params.get("code_challenge_method");
  if (challenge == nullptr) {
    if (method != nullptr) return fail(OAuthError::InvalidRequest, "code_challenge is missing");
    if (out.client->is_public()) {
      return fail(OAuthError::InvalidRequest, "a public client must send a PKCE code_challenge");
    }
  } else {
    if (method == nullptr || *method == "plain") {
      out.pkce = PkceMethod::Plain;  // RFC 7636 section 4.3: plain when not given
    } else if (*method == "S256") {
      out.pkce = PkceMethod::S256;
    } else {
      return fail(OAuthError::InvalidRequest, "code_challenge_method must be S256 or plain");
    }
    if (!is_code_challenge(*challenge)) {
      return fail(OAuthError::InvalidRequest, "code_challenge must be 43 to 128 characters");
    }
    out.code_challenge = *challenge;
  }
  out.nonce = params.value("nonce");
  out.prompt = params.value("prompt");
  if (!out.prompt.empty() && out.prompt != "none" && out.prompt != "login" &&
      out.prompt != "consent" && out.prompt != "select_account") {
    return fail(OAuthError::InvalidRequest,
                "prompt must be none, login, consent or select_account");
  }
  return out;
}

Response issue_code(State& state, const AuthorizeRequest& request, std::size_t user,
                    std::int64_t auth_time, std::int64_t now, RandomPool& random) {
  std::string code = random.secret(32);
  std::pair<std::string_view, std::string_view> params[] = {{"code", code},
                                                            {"state", request.state}};
  Response out = redirect(
      append_query(request.redirect_uri, std::span(params, request.state.empty() ? 1 : 2)));
  state.codes.put(
      std::move(code),
      AuthorizationCode{request.client->id, request.redirect_uri, request.pkce,
                        request.code_challenge, request.nonce, user, request.scopes, auth_time},
      now + kCodeLifetimeSeconds, now);
  return out;
}

Response show_login(const State& state, const Params& params, unsigned status,
                    std::string_view username, std::string_view message) {
  std::vector<std::pair<std::string_view, std::string_view>> carried;
  for (std::string_view name : kCarried) carried.emplace_back(name, params.value(name));
  return login_page(status, state.path_prefix + "/v1/login", carried, username, message);
}

std::optional<Params> read_params(const Request& request, bool from_body, std::string& error) {
  if (!from_body) return Params::parse(request.query, error);
  if (!is_form_content_type(request.content_type)) {
    error = "the body must be application/x-www-form-urlencoded";
    return std::nullopt;
  }
  return Params::parse(request.body, error);
}

}  // namespace

Response authorize_endpoint(State& state, const Request& request, std::int64_t now,
                            RandomPool& random) {
  std::string error;
  auto params = read_params(request, request.method == "POST", error);
  if (!params) return error_page(400, "invalid_request", error);
  auto checked = check_request(state, *params);
  if (auto* response = std::get_if<Response>(&checked)) return std::move(*response);
  const AuthorizeRequest& authorize = std::get<AuthorizeRequest>(checked);
  if (authorize.prompt != "login") {
    if (auto id = find_session_cookie(request.cookie_fields)) {
      if (const LoginSession* session = state.sessions.find(*id, now)) {
        return issue_code(state, authorize, session->user, session->auth_time, now, random);
      }
    }
  }
  if (authorize.prompt == "none") {
    return redirect_error(authorize.redirect_uri, OAuthError::LoginRequired,
                          "the user is not signed in", authorize.state);
  }
  return show_login(state, *params, 200, "", "");
}

Response login_endpoint(State& state, const Request& request, std::int64_t now,
                        RandomPool& random) {
  std::string error;
  auto params = read_params(request, true, error);
  if (!params) return error_page(400, "invalid_request", error);
  auto checked = check_request(state, *params);
  if (auto* response = std::get_if<Response>(&checked)) return std::move(*response);
  const AuthorizeRequest& authorize = std::get<AuthorizeRequest>(checked);
  const std::string_view username = params->value("username");
  const std::string_view password = params->value("password");
  if (username.empty() || password.empty()) {
    return show_login(state, *params, 400, username, "Enter a username and a password.");
  }
  const std::optional<std::size_t> user = state.find_user(username);
  if (!user) {
    (void)password_matches(password, state.decoy_password);
    return show_login(state, *params, 401, username, "Invalid username or password.");
  }
  if (std::int64_t wait = state.throttle.locked_for(*user, now); wait > 0) {
    Response out = show_login(state, *params, 429, username,
                              "Too many failed sign-ins for this user. Try again in " +
                                  std::to_string(wait) + " seconds.");
    out.headers.emplace_back("Retry-After", std::to_string(wait));
    return out;
  }
  if (!password_matches(password, state.users[*user].password)) {
    state.throttle.failed(*user, now);
    return show_login(state, *params, 401, username, "Invalid username or password.");
  }
  state.throttle.succeeded(*user);
  std::string session_id = random.secret(32);
  std::string cookie = std::string(kSessionCookie) + "=" + session_id +
                       "; Path=" + (state.path_prefix.empty() ? "/" : state.path_prefix) +
                       "; Max-Age=" + std::to_string(state.session_lifetime) +
                       "; HttpOnly; SameSite=Lax" + (state.secure_cookie ? "; Secure" : "");
  state.sessions.put(std::move(session_id), LoginSession{*user, now}, now + state.session_lifetime,
                     now);
  Response out = issue_code(state, authorize, *user, now, now, random);
  out.headers.emplace_back("Set-Cookie", std::move(cookie));
  return out;
}

}  // namespace gatehouse::idp
