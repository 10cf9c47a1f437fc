#include "oidc/callback.h"

#include <algorithm>
#include <optional>
#include <vector>

#include "oidc/json.h"
#include "oidc/login.h"
#include "oidc/state.h"
#include "oidc/url.h"
#include "request/request_view.h"
#include "session/seal.h"

namespace gatehouse::oidc {
namespace {

struct CallbackParams {
  std::optional<std::string> code, state, error;
};

// The three parameters ALB reads; others (error_description, iss, session_state, scope, ...)
// are ignored. RFC 6749 section 3.1: a parameter must not be sent twice.
bool read_params(std::string_view query, CallbackParams& out) {
  if (query.size() > kMaxCallbackQueryBytes) return false;
  std::vector<FormParam> params;
  if (!parse_form(query, params)) return false;
  for (FormParam& param : params) {
    std::optional<std::string>* slot = param.name == "code"    ? &out.code
                                       : param.name == "state" ? &out.state
                                       : param.name == "error" ? &out.error
                                                               : nullptr;
    if (slot == nullptr) continue;
    if (slot->has_value()) return false;
    *slot = std::move(param.value);
  }
  return true;
}

// Compares without an early exit, so the time taken says nothing about where values differ.
bool same_secret(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  unsigned char difference = 0;
  for (std::size_t i = 0; i < a.size(); ++i) difference |= static_cast<unsigned char>(a[i] ^ b[i]);
  return difference == 0;
}

bool has_nonce_cookie(std::span<const session::Cookie> cookies, std::string_view* matching,
                      std::string_view expected) {
  bool found = false;
  for (const session::Cookie& cookie : cookies) {
    if (cookie.name != session::kNonceCookieName) continue;
    found = true;
    // Any of them: a cookie tossed in from a sibling domain must not shadow ours.
    if (same_secret(cookie.value, expected)) *matching = cookie.value;
  }
  return found;
}

bool same_host(std::string_view redirect_uri, std::string_view host) {
  const std::size_t start = redirect_uri.find("://");
  if (start == std::string_view::npos || !redirect_uri.ends_with(kCallbackPath) ||
      redirect_uri.size() < start + 3 + kCallbackPath.size()) {
    return false;
  }
  const std::string_view authority =
      redirect_uri.substr(start + 3, redirect_uri.size() - start - 3 - kCallbackPath.size());
  return iequals(authority, host);
}

}  // namespace

Result<CodeExchange> read_callback(const config::AuthenticateOidcConfig& config,
                                   const session::SessionKeys& keys,
                                   const CallbackRequest& request) {
  CallbackParams params;
  if (!read_params(request.query, params)) return Error{Status::CallbackMalformedQuery, {}};
  if (params.error) return Error{Status::IdpError, detail::idp_error_code(*params.error)};
  if (!params.state || params.state->empty()) return Error{Status::MissingState, {}};

  auto opened = session::open_bytes(*params.state, keys, detail::state_context(config));
  if (!opened.ok()) {
    return Error{Status::InvalidState, std::string(session::status_name(opened.error()))};
  }
  std::optional<detail::LoginState> state = detail::decode_state(*opened);
  if (!state) return Error{Status::InvalidState, "not a login state"};

  std::string_view matching;
  if (!has_nonce_cookie(request.cookies, &matching, state->nonce_cookie)) {
    return Error{Status::MissingNonceCookie, {}};
  }
  if (matching.empty()) return Error{Status::NonceCookieMismatch, {}};

  // Compared without subtracting, so no issued_at can overflow.
  if (state->issued_at < request.now - kLoginWindowSeconds ||
      state->issued_at > request.now + kStateClockSkewSeconds) {
    return Error{Status::StateExpired, "issued at " + std::to_string(state->issued_at)};
  }
  if (!same_host(state->redirect_uri, request.host)) return Error{Status::StateHostMismatch, {}};
  if (!params.code || params.code->empty()) return Error{Status::MissingCode, {}};

  return CodeExchange{.code = std::move(*params.code),
                      .code_verifier = std::move(state->code_verifier),
                      .redirect_uri = std::move(state->redirect_uri),
                      .id_token_nonce = std::move(state->id_token_nonce),
                      // Sealed by gatehouse already safe; checked again all the same.
                      .return_path = safe_return_path(state->return_path, request.host)};
}

}  // namespace gatehouse::oidc
