// Fuzz target for what a browser (or an attacker) controls of an authenticate-oidc callback: the
// query of /oauth2/idpresponse, the Cookie header, the Host, and, behind the AEAD, the state
// itself. The first input byte picks the form:
// - even: the rest is "query\ncookie header\nhost", read by read_callback as it comes;
// - odd: the rest is a state plaintext, sealed here under the target's key and context (what
//   only gatehouse can do), then sent back in a callback with the nonce cookie and host it names,
//   so the checks behind the seal (decoding, nonce, age, host, code) see arbitrary states.
// Must never crash; broken invariants abort.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "oidc/callback.h"
#include "oidc/login.h"
#include "oidc/state.h"
#include "oidc/url.h"
#include "session/seal.h"

namespace {

using namespace gatehouse;
using oidc::Status;

constexpr std::int64_t kNow = 1700000000;

void require(bool condition, const char* what, std::string_view input) {
  if (condition) return;
  std::fprintf(stderr, "oidc callback invariant broken: %s\ninput (%zu bytes): %.*s\n", what,
               input.size(), static_cast<int>(input.size()), input.data());
  std::abort();
}

const session::SessionKeys& keys() {
  static const session::SessionKeys keys = [] {
    auto parsed = session::SessionKeys::parse("mItEZMuNmPkrAZdu/Ojwqlj1L0LZdDP8YC8mGvvu8Wk=\n");
    if (!parsed.ok()) std::abort();
    return std::move(parsed).value();
  }();
  return keys;
}

const config::AuthenticateOidcConfig& config() {
  static const config::AuthenticateOidcConfig config = [] {
    config::AuthenticateOidcConfig c;
    c.issuer = "https://idp.example";
    c.authorization_endpoint = "https://idp.example/authorize";
    c.token_endpoint = "https://idp.example/token";
    c.user_info_endpoint = "https://idp.example/userinfo";
    c.client_id = "fuzz";
    return c;
  }();
  return config;
}

constexpr Status kCallbackFailures[] = {
    Status::CallbackMalformedQuery, Status::IdpError,           Status::MissingState,
    Status::InvalidState,           Status::MissingNonceCookie, Status::NonceCookieMismatch,
    Status::StateExpired,           Status::StateHostMismatch,  Status::MissingCode};

// What read_callback says about one request, with the invariants every answer keeps.
void check_callback(std::string_view query, std::string_view cookie_header, std::string_view host,
                    std::string_view input) {
  std::vector<session::Cookie> cookies;
  if (session::parse_cookie_header(cookie_header, cookies) != session::Status::Ok) cookies.clear();
  oidc::Result<oidc::CodeExchange> exchange = oidc::read_callback(
      config(), keys(), {.host = host, .query = query, .cookies = cookies, .now = kNow});
  if (!exchange.ok()) {
    const Status status = exchange.error().status;
    require(std::find(std::begin(kCallbackFailures), std::end(kCallbackFailures), status) !=
                std::end(kCallbackFailures),
            "read_callback gave a status outside its contract", input);
    require(oidc::http_status(status) == 401, "a callback failure is not a 401", input);
    require(exchange.error().detail.size() <= 64, "detail longer than its bound", input);
    return;
  }
  require(!exchange->code.empty(), "an exchange without a code", input);
  require(exchange->redirect_uri.ends_with(oidc::kCallbackPath), "redirect URI is not the callback",
          input);
  require(oidc::safe_return_path(exchange->return_path, host) == exchange->return_path,
          "the return path is not a safe same-host path", input);
}

// Parsed parameters survive form-encoding and parsing again unchanged.
void check_form_round_trip(std::string_view query, std::string_view input) {
  if (query.size() > 4096) return;
  std::vector<oidc::FormParam> params, again;
  if (!oidc::parse_form(query, params)) return;
  std::string encoded;
  for (const oidc::FormParam& param : params) {
    if (param.name.empty() && param.value.empty()) continue;
    encoded += (encoded.empty() ? "" : "&") + oidc::form_encode(param.name) + "=" +
               oidc::form_encode(param.value);
  }
  require(oidc::parse_form(encoded, again), "re-encoded query does not parse", input);
  std::size_t j = 0;
  for (const oidc::FormParam& param : params) {
    if (param.name.empty() && param.value.empty()) continue;
    require(j < again.size() && again[j].name == param.name && again[j].value == param.value,
            "form round trip changed a parameter", input);
    ++j;
  }
}

void check_plain(std::string_view rest) {
  const std::size_t first = rest.find('\n');
  const std::string_view query = rest.substr(0, first);
  std::string_view cookie_header, host = "h.example";
  if (first != std::string_view::npos) {
    const std::string_view after = rest.substr(first + 1);
    const std::size_t second = after.find('\n');
    cookie_header = after.substr(0, second);
    if (second != std::string_view::npos) host = after.substr(second + 1);
  }
  check_form_round_trip(query, rest);
  check_callback(query, cookie_header, host, rest);
}

void check_sealed_state(std::string_view plaintext) {
  const std::optional<oidc::detail::LoginState> state = oidc::detail::decode_state(plaintext);
  if (state) {
    require(oidc::detail::encode_state(*state) == plaintext,
            "decode_state accepted a non-canonical text", plaintext);
  }
  auto sealed = session::seal_bytes(plaintext, keys(), oidc::detail::state_context(config()));
  if (!sealed.ok()) return;  // larger than a cookie holds
  std::string host = "h.example";
  std::string cookie = "AWSALBAuthNonce=";
  if (state) {
    cookie += state->nonce_cookie;
    const std::size_t scheme = state->redirect_uri.find("://");
    if (scheme != std::string::npos && state->redirect_uri.ends_with(oidc::kCallbackPath)) {
      host = state->redirect_uri.substr(
          scheme + 3, state->redirect_uri.size() - scheme - 3 - oidc::kCallbackPath.size());
    }
  }
  const std::string query = "code=c&state=" + oidc::percent_encode(*sealed);
  check_callback(query, cookie, host, plaintext);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::string_view rest(reinterpret_cast<const char*>(data) + 1, size - 1);
  if (data[0] % 2 == 0)
    check_plain(rest);
  else
    check_sealed_state(rest);
  return 0;
}
