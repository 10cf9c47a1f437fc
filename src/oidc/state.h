// Internal to oidc: the login state, sealed into the authorization request's `state` parameter
// and opened again by the callback. It binds the login to the AWSALBAuthNonce cookie and carries
// what the callback needs; the AEAD keeps it secret (the PKCE verifier is inside) and intact.
//
// Plaintext: version (1) | issued_at (8, big-endian) | 5 fields, each a big-endian 16-bit length
// and its bytes: nonce cookie, ID token nonce, code verifier, redirect URI, return path.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "config/authenticate_oidc.h"

namespace gatehouse::oidc::detail {

inline constexpr std::uint8_t kStateVersion = 1;

struct LoginState {
  std::int64_t issued_at = 0;
  std::string nonce_cookie;    // the AWSALBAuthNonce value
  std::string id_token_nonce;  // empty: the login sent no nonce
  std::string code_verifier;   // empty: the login used no PKCE
  std::string redirect_uri;    // as sent in the authorization request
  std::string return_path;     // safe_return_path of the original target

  bool operator==(const LoginState&) const = default;
};

std::string encode_state(const LoginState& state);

// The inverse, strictly: another version, a length past the end or bytes after the last field
// give nullopt.
std::optional<LoginState> decode_state(std::string_view bytes);

// The AEAD context the state is sealed under: a text no cookie name can be (it holds spaces and
// newlines), so a state never opens as a session nor a session as a state, followed by the
// issuer, client id and session cookie name, so a state opens only for the action that made it.
std::string state_context(const config::AuthenticateOidcConfig& config);

}  // namespace gatehouse::oidc::detail
