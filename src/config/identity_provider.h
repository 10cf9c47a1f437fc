// gatehouse.dev IdentityProvider: the built-in development OpenID Provider (`gatehouse idp`)
// with its users, groups, clients and token settings, as decoded from YAML. Plain values;
// the idp module compiles them (hashes plain passwords, compiles filters, loads keys).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "config/resource_base.h"

namespace gatehouse::config {

// Okta's groups claim filter types ("Starts with", "Equals", "Matches regex").
enum class GroupsFilterType { Equals, StartsWith, Regex };

// Which of a user's groups a token carries, and under which claim name.
struct GroupsClaim {
  bool enabled = true;
  std::string name = "groups";
  GroupsFilterType type = GroupsFilterType::Regex;
  std::string value = ".*";  // every group by default
};

struct IdpUser {
  SourceLocation where;
  std::string username;       // the login; the access token's "sub", "preferred_username"
  std::string id;             // "uid" and the ID token's "sub"; defaults to username
  std::string password;       // plain, for development; hashed when the provider starts
  std::string password_hash;  // "pbkdf2-sha256$<iterations>$<salt>$<hash>" (base64url)
  std::string name;
  std::string email;
  std::vector<std::string> groups;  // each declared in spec.groups
};

enum class IdpGrantType { AuthorizationCode, RefreshToken, ClientCredentials };

struct IdpClient {
  SourceLocation where;
  std::string client_id;
  // At most one is set; none makes a public client, which must use PKCE. The file and the
  // variable are read by the runtime, not here.
  std::string client_secret;  // inline, for development only
  std::string client_secret_file;
  std::string client_secret_env;
  std::vector<std::string> redirect_uris;              // compared byte for byte
  std::vector<std::string> post_logout_redirect_uris;  // compared byte for byte
  std::vector<IdpGrantType> grant_types{IdpGrantType::AuthorizationCode,
                                        IdpGrantType::RefreshToken};
};

// One signing key: a private JWK file, or generated at start when `file` is empty.
struct IdpSigningKey {
  SourceLocation where;
  std::string file;
};

struct IdentityProvider : ResourceBase {
  std::string issuer;                     // http(s) URL without query, fragment or trailing '/'
  std::string listen = "127.0.0.1:9000";  // ADDR:PORT
  std::string audience = "api://default";
  std::int64_t access_token_lifetime_seconds = 3600;
  std::int64_t id_token_lifetime_seconds = 3600;
  std::int64_t refresh_token_lifetime_seconds = 7 * 86400;
  std::int64_t session_lifetime_seconds = 2 * 3600;
  std::vector<std::string> scopes;  // custom scopes a client_credentials token may carry
  std::vector<std::string> groups;
  std::vector<IdpUser> users;
  std::vector<IdpClient> clients;
  GroupsClaim access_token_groups;
  GroupsClaim id_token_groups;
  // The first key signs; the others are published in the JWKS only (rotation). Empty: one
  // RS256 key generated at start.
  std::vector<IdpSigningKey> signing_keys;
};

}  // namespace gatehouse::config
