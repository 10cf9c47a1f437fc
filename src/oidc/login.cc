#include "oidc/login.h"

#include <openssl/evp.h>

#include "jose/base64url.h"
#include "oidc/state.h"
#include "oidc/url.h"
#include "session/cookies.h"
#include "session/seal.h"
#include "session/shards.h"

namespace gatehouse::oidc {
namespace {

template <std::size_t N>
std::string base64url(const std::array<std::uint8_t, N>& bytes) {
  return jose::base64url_encode({reinterpret_cast<const char*>(bytes.data()), N});
}

void add_param(std::string& url, std::string_view name, std::string_view value) {
  url += url.find('?') == std::string::npos ? '?' : '&';
  url += percent_encode(name);
  url += '=';
  url += percent_encode(value);
}

std::string nonce_cookie(std::string_view value, std::int64_t expires_at, std::int64_t max_age) {
  std::string cookie(session::kNonceCookieName);
  cookie += '=';
  cookie += value;
  cookie += "; Expires=" + session::imf_fixdate(expires_at);
  cookie += "; Max-Age=" + std::to_string(max_age);
  cookie += "; Path=/; Secure; HttpOnly; SameSite=None";
  return cookie;
}

}  // namespace

std::string pkce_challenge(std::string_view verifier) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  // SHA-256 of a short string only fails when OpenSSL cannot allocate: then no challenge is
  // better than a wrong one, and the IdP refuses the login.
  if (EVP_Digest(verifier.data(), verifier.size(), digest, &size, EVP_sha256(), nullptr) != 1) {
    return {};
  }
  return jose::base64url_encode({reinterpret_cast<const char*>(digest), size});
}

std::string expired_nonce_set_cookie() { return nonce_cookie("", 0, 0); }

Result<LoginRedirect> login_redirect(const config::AuthenticateOidcConfig& config,
                                     const session::SessionKeys& keys, const LoginRequest& request,
                                     const LoginEntropy& entropy) {
  if (request.host.empty()) return Error{Status::MissingHost, {}};
  if (!is_redirect_host(request.host)) return Error{Status::InvalidHost, {}};

  detail::LoginState state;
  state.issued_at = request.now;
  state.nonce_cookie = base64url(entropy.nonce_cookie);
  if (config.send_nonce) state.id_token_nonce = base64url(entropy.id_token_nonce);
  if (config.use_pkce) state.code_verifier = base64url(entropy.code_verifier);
  state.redirect_uri =
      std::string(request.scheme) + "://" + std::string(request.host) + std::string(kCallbackPath);
  state.return_path = safe_return_path(request.target, request.host);
  auto sealed =
      session::seal_bytes(detail::encode_state(state), keys, detail::state_context(config));
  if (!sealed.ok())
    return Error{Status::StateSealFailed, std::string(session::status_name(sealed.error()))};

  LoginRedirect out;
  out.state = std::move(*sealed);
  out.location = config.authorization_endpoint;
  add_param(out.location, "client_id", config.client_id);
  add_param(out.location, "redirect_uri", state.redirect_uri);
  add_param(out.location, "response_type", "code");
  add_param(out.location, "scope", config.scope);
  add_param(out.location, "state", out.state);
  if (!state.id_token_nonce.empty()) add_param(out.location, "nonce", state.id_token_nonce);
  if (!state.code_verifier.empty()) {
    add_param(out.location, "code_challenge", pkce_challenge(state.code_verifier));
    add_param(out.location, "code_challenge_method", "S256");
  }
  for (const auto& [name, value] : config.authentication_request_extra_params) {
    add_param(out.location, name, value);
  }
  out.nonce_set_cookie =
      nonce_cookie(state.nonce_cookie, request.now + kLoginWindowSeconds, kLoginWindowSeconds);
  return out;
}

}  // namespace gatehouse::oidc
