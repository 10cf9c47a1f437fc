// The session side of authenticate-oidc on the request path: writing a session's cookies,
// refreshing its access token, keeping the gateway's cookies from the upstream, and the logout
// path. See gateway_login.cc for the login itself.
#include "gateway/gateway_service.h"
#include "keys/discovery.h"
#include "oidc/oidc.h"
#include "session/seal.h"

namespace gatehouse::gateway {
namespace {

constexpr std::chrono::milliseconds kDiscoveryTimeout{5000};
constexpr std::string_view kSetCookie = "Set-Cookie";

}  // namespace

session::Status GatewayService::add_session_cookies(proxy::Exchange& ex, const EdgeLogin& login,
                                                    session::Session& session) {
  const std::string& name = login.config.session_cookie_name;
  auto sealed = session::seal(session, *login.keys, name);
  if (!sealed.ok() && sealed.error() == session::Status::SessionTooLarge && session.id_token) {
    session.id_token.reset();  // only a logout's id_token_hint needs it
    sealed = session::seal(session, *login.keys, name);
  }
  if (!sealed.ok()) return sealed.error();
  auto cookies = session::session_set_cookies(name, *sealed, session.expires_at);
  if (!cookies.ok()) return cookies.error();
  for (auto& cookie : *cookies) ex.add_response_field(kSetCookie, std::move(cookie));
  return session::Status::Ok;
}

proxy::Task<bool> GatewayService::refresh_session(proxy::Exchange& ex, const EdgeLogin& login,
                                                  session::Session& session, std::int64_t now) {
  if (!session.refresh_token) co_return false;
  oidc::TokenRequest request =
      oidc::refresh_token_request(login.config, login.client_secret, *session.refresh_token);
  auto tokens = co_await call_token_endpoint(login, std::move(request), oidc::Grant::RefreshToken);
  if (!tokens.ok()) {
    note_login_error(ex, tokens.error());
    co_return false;
  }
  const std::string subject = oidc::claims_subject(session.claims_json);
  auto userinfo = co_await call_userinfo(login, tokens->access_token, subject);
  if (!userinfo.ok()) {
    note_login_error(ex, userinfo.error());
    co_return false;
  }
  session = oidc::refreshed_session(session, *tokens, *userinfo, now);
  co_return add_session_cookies(ex, login, session) == session::Status::Ok;
}

void GatewayService::strip_gateway_cookies(proxy::Exchange& ex, const EdgeLogin& login) {
  http1::Fields& fields = ex.request().fields;
  if (fields.count("cookie") == 0) return;
  std::vector<std::string> kept;
  bool changed = false;
  for (const auto& field : fields.all()) {
    if (!iequals(field.name, "cookie")) continue;
    std::string rest;
    if (session::remove_cookies(field.value, login.gateway_cookies, rest)) {
      changed = true;
      if (!rest.empty()) kept.push_back(std::move(rest));
    } else {
      kept.emplace_back(field.value);
    }
  }
  if (!changed) return;
  fields.erase("cookie");
  for (const auto& value : kept) fields.add("Cookie", value);
}

proxy::Task<void> GatewayService::serve_logout(proxy::Exchange& ex, const EdgeLogin& login) {
  const std::string& name = login.config.session_cookie_name;
  std::vector<session::Cookie> cookies;
  (void)request_cookies(ex.request().fields, cookies);  // past the limits: no ID token hint
  std::optional<std::string> id_token;
  if (auto sealed = session::join_shards(cookies, name); sealed.ok())
    if (auto opened = session::open(*sealed, *login.keys, name, unix_now()); opened.ok())
      id_token = opened->id_token;
  for (auto& cookie : session::expired_session_set_cookies(name))
    ex.add_response_field(kSetCookie, std::move(cookie));
  ex.add_response_field(kSetCookie, oidc::expired_nonce_set_cookie());

  std::optional<std::string> end_session;
  if (const auto url = keys::parse_url(keys::discovery_url(login.config.issuer))) {
    const keys::GetOptions options{
        .timeout = kDiscoveryTimeout, .max_body = 1 << 20, .tls = back_channel_tls_.get()};
    const keys::GetResult got = co_await keys::http_get(*url, options);
    if (got.ok()) end_session = keys::end_session_endpoint_from_discovery(got.body);
  }
  if (!end_session) {
    auto res = proxy::make_local_response(
        200,
        "<html>\n<head><title>Signed out</title></head>\n<body>\n<p>You are signed out.</p>\n"
        "</body>\n</html>\n",
        "text/html; charset=utf-8");
    res.headers.set("Cache-Control", "no-store");
    co_await ex.respond(std::move(res));
    co_return;
  }
  std::string location = *end_session;
  location += end_session->find('?') == std::string::npos ? '?' : '&';
  location += "client_id=" + oidc::form_encode(login.config.client_id);
  if (id_token) location += "&id_token_hint=" + oidc::form_encode(*id_token);
  auto res = proxy::make_local_response(302, {});
  res.headers.erase("Content-Type");
  res.headers.set("Location", location);
  res.headers.set("Cache-Control", "no-store");
  co_await ex.respond(std::move(res));
}

}  // namespace gatehouse::gateway
