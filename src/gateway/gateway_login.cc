// authenticate-oidc on the request path: the callback /oauth2/idpresponse, the logout path and
// the session check of a rule. What is decided lives in the pure oidc and session modules; this
// file does the back-channel HTTP, reads the clock, draws the randomness and writes answers.
#include <openssl/rand.h>

#include <algorithm>

#include "gateway/gateway_service.h"
#include "keys/discovery.h"
#include "oidc/oidc.h"
#include "session/seal.h"

namespace gatehouse::gateway {
namespace {

// ALB gives the IdP's token and userinfo endpoints 5 seconds each.
constexpr std::chrono::milliseconds kBackChannelTimeout{5000};
constexpr std::string_view kSetCookie = "Set-Cookie";

// The page for a login that failed: ALB's status, a fixed sentence (no IdP text in it).
proxy::LocalResponse error_page(const oidc::Error& error) {
  const int status = error.http_status();
  const std::string title = std::to_string(status) + " " +
                            (status == 401   ? "Authorization Required"
                             : status == 561 ? "Authentication Error"
                                             : "Internal Server Error");
  std::string body = "<html>\n<head><title>" + title + "</title></head>\n<body>\n<center><h1>" +
                     title + "</h1></center>\n<p>The " + std::string(error.message()) +
                     ".</p>\n</body>\n</html>\n";
  auto res = proxy::make_local_response(static_cast<unsigned>(status), std::move(body),
                                        "text/html; charset=utf-8");
  res.headers.set("Cache-Control", "no-store");
  return res;
}

oidc::Error failure(oidc::Status status, std::string detail = {}) {
  return {.status = status, .detail = std::move(detail)};
}

// Fills `bytes` from OpenSSL's generator; false when it fails (then no login may start: the
// nonce, state and verifier would be guessable).
template <std::size_t N>
bool draw(std::array<std::uint8_t, N>& bytes) {
  return RAND_bytes(bytes.data(), static_cast<int>(N)) == 1;
}

}  // namespace

proxy::Task<bool> GatewayService::serve_login_paths(proxy::Exchange& ex,
                                                    const ListenerRuntime& listener) {
  const std::string_view path = ex.view().path;
  if (path == oidc::kCallbackPath) {
    co_await serve_callback(ex, listener);
    co_return true;
  }
  for (const auto& login : listener.logins) {
    if (!login->config.logout_path.empty() && path == login->config.logout_path) {
      co_await serve_logout(ex, *login);
      co_return true;
    }
  }
  co_return false;
}

proxy::Task<void> GatewayService::answer_login_error(proxy::Exchange& ex,
                                                     const oidc::Error& error) {
  note_login_error(ex, error);
  ex.add_response_field(kSetCookie, oidc::expired_nonce_set_cookie());
  co_await ex.respond(error_page(error));
}

proxy::Task<void> GatewayService::serve_callback(proxy::Exchange& ex,
                                                 const ListenerRuntime& listener) {
  std::vector<session::Cookie> cookies;
  // Past the limits, no cookie counts: the callback then misses its nonce cookie.
  (void)request_cookies(ex.request().fields, cookies);
  const oidc::CallbackRequest request{
      .host = ex.view().authority, .query = ex.view().query, .cookies = cookies, .now = unix_now()};
  // The state says which action started the login: it opens under that action's keys only.
  const EdgeLogin* login = nullptr;
  oidc::Result<oidc::CodeExchange> exchange = failure(oidc::Status::InvalidState);
  for (const auto& candidate : listener.logins) {
    exchange = oidc::read_callback(candidate->config, *candidate->keys, request);
    login = candidate.get();
    if (exchange.ok() || exchange.error().status != oidc::Status::InvalidState) break;
  }
  if (!login || !exchange.ok()) {
    oidc::Error error = failure(oidc::Status::InvalidState);
    if (!exchange.ok()) error = exchange.error();
    co_await answer_login_error(ex, error);
    co_return;
  }
  const std::int64_t now = unix_now();
  oidc::TokenRequest token_request =
      oidc::code_token_request(login->config, login->client_secret, *exchange);
  auto tokens = co_await call_token_endpoint(*login, std::move(token_request),
                                             oidc::Grant::AuthorizationCode);
  if (!tokens.ok()) {
    co_await answer_login_error(ex, tokens.error());
    co_return;
  }
  const authn::KeySet& issuer_keys = keys_[login->key_source];
  if (!issuer_keys.jwks) {
    if (refetch_) refetch_(login->key_source);
    const oidc::Error error = failure(oidc::Status::IdTokenBadSignature, "no issuer keys yet");
    co_await answer_login_error(ex, error);
    co_return;
  }
  auto id_token = oidc::validate_id_token(*tokens->id_token, *issuer_keys.jwks,
                                          {.issuer = login->config.issuer,
                                           .client_id = login->config.client_id,
                                           .nonce = exchange->id_token_nonce,
                                           .now = now});
  if (!id_token.ok()) {
    // A key the IdP rotated in since the last fetch: fetch again (rate-limited).
    if (id_token.error().status == oidc::Status::IdTokenBadSignature && refetch_)
      refetch_(login->key_source);
    co_await answer_login_error(ex, id_token.error());
    co_return;
  }
  auto userinfo = co_await call_userinfo(*login, tokens->access_token, id_token->subject);
  if (!userinfo.ok()) {
    co_await answer_login_error(ex, userinfo.error());
    co_return;
  }
  session::Session session = oidc::login_session(login->config, *tokens, *userinfo, now);
  if (const session::Status sealed = add_session_cookies(ex, *login, session);
      sealed != session::Status::Ok) {
    const oidc::Error error =
        failure(oidc::Status::StateSealFailed, std::string(session::status_name(sealed)));
    co_await answer_login_error(ex, error);
    co_return;
  }
  ex.add_response_field(kSetCookie, oidc::expired_nonce_set_cookie());
  auto res = proxy::make_local_response(302, {});
  res.headers.erase("Content-Type");
  res.headers.set("Location", exchange->return_path);
  res.headers.set("Cache-Control", "no-store");
  co_await ex.respond(std::move(res));
}

proxy::Task<oidc::Result<oidc::TokenResponse>> GatewayService::call_token_endpoint(
    const EdgeLogin& login, oidc::TokenRequest request, oidc::Grant grant) {
  const keys::HttpRequest post{.method = "POST",
                               .headers = std::move(request.headers),
                               .body = std::move(request.body),
                               .any_status = true};
  const keys::GetOptions options{.timeout = kBackChannelTimeout,
                                 .max_body = oidc::kMaxTokenResponseBytes,
                                 .tls = back_channel_tls_.get()};
  const keys::GetResult got = co_await keys::http_request(login.token_endpoint, post, options);
  if (got.result == keys::FetchResult::TooLarge)
    co_return failure(oidc::Status::TokenResponseTooLarge);
  if (!got.ok()) co_return failure(oidc::Status::TokenEndpointUnreachable, got.error);
  co_return oidc::parse_token_response(static_cast<int>(got.status), got.body, grant);
}

proxy::Task<oidc::Result<oidc::Userinfo>> GatewayService::call_userinfo(
    const EdgeLogin& login, std::string_view access_token, std::string_view subject) {
  const keys::HttpRequest get{.method = "GET",
                              .headers = {{"Authorization", "Bearer " + std::string(access_token)},
                                          {"Accept", "application/json"}},
                              .body = {},
                              .any_status = true};
  const keys::GetOptions options{.timeout = kBackChannelTimeout,
                                 .max_body = oidc::kMaxClaimsAndAccessTokenBytes,
                                 .tls = back_channel_tls_.get()};
  const keys::GetResult got = co_await keys::http_request(login.user_info_endpoint, get, options);
  if (got.result == keys::FetchResult::TooLarge) co_return failure(oidc::Status::UserinfoTooLarge);
  if (!got.ok()) co_return failure(oidc::Status::UserinfoEndpointUnreachable, got.error);
  co_return oidc::parse_userinfo(static_cast<int>(got.status), got.body, subject,
                                 access_token.size());
}

proxy::Task<bool> GatewayService::authenticate(proxy::Exchange& ex, const EdgeLogin& login) {
  const std::int64_t now = unix_now();
  http1::Fields& fields = ex.request().fields;
  // The session this worker read from the same Cookie header before, else the one read now.
  const auto header = fields.count("cookie") == 1 ? fields.get("cookie") : std::nullopt;
  const CachedSession* known = header ? sessions_.find(login.id, *header, now) : nullptr;
  const session::Session* current = known ? &known->session : nullptr;
  bool only_gateway_cookies = known && known->only_gateway_cookies;
  session::Status why = session::Status::Ok;
  std::optional<session::Session> uncached;  // read from several Cookie fields
  if (!known) {
    std::vector<session::Cookie> cookies;
    const session::Status parsed = request_cookies(fields, cookies);
    const std::string& name = login.config.session_cookie_name;
    auto sealed = parsed == session::Status::Ok ? session::join_shards(cookies, name)
                                                : session::Result<std::string>(parsed);
    auto opened = sealed.ok() ? session::open(*sealed, *login.keys, name, now)
                              : session::Result<session::Session>(sealed.error());
    if (opened.ok()) {
      only_gateway_cookies = std::all_of(cookies.begin(), cookies.end(), [&](const auto& c) {
        return std::find(login.gateway_cookies.begin(), login.gateway_cookies.end(), c.name) !=
               login.gateway_cookies.end();
      });
      if (header) {
        sessions_.put(login.id, *header, {*opened, only_gateway_cookies});
        current = &sessions_.find(login.id, *header, now)->session;
      } else {
        current = &uncached.emplace(std::move(*opened));
      }
    } else {
      why = opened.error();
    }
  }
  const auto mode = login.config.on_unauthenticated_request;
  oidc::Decision decision =
      current ? oidc::decide(mode, *current, now) : oidc::decide_without_session(mode, why);
  // Refreshing suspends this coroutine: other requests of the worker may change the cache, so
  // the session is copied first.
  std::optional<session::Session> refreshed;
  if (decision.next == oidc::Next::Refresh) {
    refreshed = *current;
    const bool ok = co_await refresh_session(ex, login, *refreshed, now);
    decision = ok ? oidc::Decision{.next = oidc::Next::Forward, .reason = "-"}
                  : oidc::after_failed_refresh(mode);
    current = ok ? &*refreshed : nullptr;
  }
  if (decision.reason != "-") {
    ex.record().error_reason = decision.reason;
    if (why != session::Status::Ok) ex.record().error_detail = session::status_name(why);
  }
  switch (decision.next) {
    case oidc::Next::Forward: {
      auto identity = oidc::forwarded_identity(*current, *login.signer, now, &data_tokens_);
      if (!identity.ok()) {
        co_await answer_login_error(ex, identity.error());
        co_return false;
      }
      // The usual browser request carries only the gateway's cookies: nothing is left to
      // forward, and the header need not be parsed again.
      if (only_gateway_cookies)
        fields.erase("cookie");
      else
        strip_gateway_cookies(ex, login);
      oidc::strip_oidc_headers(ex.request().fields);  // a trusted peer's, replaced by ours
      oidc::add_oidc_headers(ex.request().fields, current->access_token, *identity);
      co_return true;
    }
    case oidc::Next::ForwardAnonymous:
      strip_gateway_cookies(ex, login);
      oidc::strip_oidc_headers(ex.request().fields);
      co_return true;
    case oidc::Next::Deny: {
      const oidc::Error error = failure(oidc::Status::Unauthenticated);
      co_await answer_login_error(ex, error);
      co_return false;
    }
    case oidc::Next::Login:
      co_await redirect_to_login(ex, login, now);
      co_return false;
    case oidc::Next::Refresh:
      break;  // replaced above
  }
  co_return false;
}

proxy::Task<void> GatewayService::redirect_to_login(proxy::Exchange& ex, const EdgeLogin& login,
                                                    std::int64_t now) {
  oidc::LoginEntropy entropy;
  if (!draw(entropy.nonce_cookie) || !draw(entropy.id_token_nonce) ||
      !draw(entropy.code_verifier)) {
    const oidc::Error error = failure(oidc::Status::StateSealFailed, "no random bytes");
    co_await answer_login_error(ex, error);
    co_return;
  }
  const auto& head = ex.request();
  auto redirect = oidc::login_redirect(
      login.config, *login.keys,
      {.scheme = login.scheme, .host = ex.view().authority, .target = head.target, .now = now},
      entropy);
  if (!redirect.ok()) {
    co_await answer_login_error(ex, redirect.error());
    co_return;
  }
  auto res = proxy::make_local_response(302, {});
  res.headers.erase("Content-Type");
  res.headers.set("Location", redirect->location);
  res.headers.add(kSetCookie, redirect->nonce_set_cookie);
  res.headers.set("Cache-Control", "no-store");
  co_await ex.respond(std::move(res));
}

}  // namespace gatehouse::gateway
