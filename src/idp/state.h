// What a Provider holds: the compiled configuration (constant after create) and the stores
// handle() changes. Shared by the endpoint files of the idp module; internal to it.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "config/identity_provider.h"
#include "idp/expiring_store.h"
#include "idp/groups_filter.h"
#include "idp/idp.h"
#include "idp/login_throttle.h"
#include "idp/password.h"
#include "jose/jwks.h"
#include "jose/sign.h"

namespace gatehouse::idp {

inline constexpr std::int64_t kCodeLifetimeSeconds = 60;
inline constexpr std::size_t kMaxCodes = 10'000;
inline constexpr std::size_t kMaxSessions = 10'000;
inline constexpr std::size_t kMaxRefreshTokens = 10'000;
inline constexpr std::string_view kSessionCookie = "gatehouse_idp_session";

struct User {
  std::string username;
  std::string id;
  std::string name;
  std::string email;
  std::vector<std::string> groups;
  PasswordHash password;
};

struct Client {
  std::string id;
  std::string secret;  // empty for a public client
  std::vector<std::string> redirect_uris;
  std::vector<std::string> post_logout_redirect_uris;
  std::vector<config::IdpGrantType> grants;

  bool is_public() const { return secret.empty(); }
  bool allows(config::IdpGrantType grant) const;
  bool redirect_registered(std::string_view uri) const;
  bool post_logout_registered(std::string_view uri) const;
};

enum class PkceMethod { None, Plain, S256 };

struct AuthorizationCode {
  std::string client_id;
  std::string redirect_uri;
  PkceMethod pkce = PkceMethod::None;
  std::string code_challenge;
  std::string nonce;
  std::size_t user = 0;
  std::vector<std::string> scopes;
  std::int64_t auth_time = 0;
};

struct LoginSession {
  std::size_t user = 0;
  std::int64_t auth_time = 0;
};

struct RefreshGrant {
  std::string client_id;
  std::size_t user = 0;
  std::vector<std::string> scopes;
  std::int64_t auth_time = 0;
};

struct State {
  // Constant after create().
  std::string issuer;
  std::string path_prefix;  // the issuer's path, "" for an issuer at the root
  bool secure_cookie = false;
  std::string audience;
  std::int64_t access_token_lifetime = 0;
  std::int64_t id_token_lifetime = 0;
  std::int64_t refresh_token_lifetime = 0;
  std::int64_t session_lifetime = 0;
  std::vector<std::string> custom_scopes;
  std::vector<User> users;
  std::unordered_map<std::string, std::size_t> user_by_name;
  std::vector<Client> clients;
  std::unordered_map<std::string, std::size_t> client_by_id;
  std::optional<GroupsFilter> access_groups;
  std::optional<GroupsFilter> id_groups;
  std::vector<jose::PrivateKey> keys;  // keys[0] signs
  jose::Jwks jwks;                     // the public halves, to check our own tokens
  std::string jwks_json;
  std::string discovery_json;
  PasswordHash decoy_password;  // checked for unknown users, so timing tells nothing

  // Changed by handle().
  ExpiringStore<AuthorizationCode> codes{kMaxCodes};
  ExpiringStore<LoginSession> sessions{kMaxSessions};
  ExpiringStore<RefreshGrant> refresh_tokens{kMaxRefreshTokens};
  LoginThrottle throttle{0};

  const Client* find_client(std::string_view id) const;
  std::optional<std::size_t> find_user(std::string_view username) const;
  std::string endpoint(std::string_view suffix) const { return issuer + std::string(suffix); }
};

// Hands out the bytes of one Entropy as base64url secrets, never the same bytes twice.
class RandomPool {
 public:
  explicit RandomPool(const Entropy& entropy) : entropy_(entropy) {}
  // base64url of the next `bytes` bytes. REQUIRES: the pool has them (callers take at most 128).
  std::string secret(std::size_t bytes);

 private:
  const Entropy& entropy_;
  std::size_t used_ = 0;
};

}  // namespace gatehouse::idp
