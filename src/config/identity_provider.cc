// gatehouse.dev IdentityProvider: the built-in development OpenID Provider. Checks what can be
// checked without files or keys: URLs, unique names, declared groups, password hash shape,
// groups claim filters, and which grants each client may use.
#include "config/identity_provider.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <set>

#include "config/decode.h"
#include "config/did_you_mean.h"
#include "config/syntax.h"

namespace gatehouse::config {
namespace {

constexpr std::size_t kMaxUrlLength = 2048;
constexpr std::size_t kMaxNameLength = 256;
constexpr std::size_t kMaxUsers = 10'000;
constexpr std::size_t kMaxClients = 1'000;
constexpr std::int64_t kMaxLifetimeSeconds = 365 * 86400;

constexpr std::array<std::string_view, 3> kGrantNames{"authorization_code", "refresh_token",
                                                      "client_credentials"};
constexpr std::array<IdpGrantType, 3> kGrantValues{
    IdpGrantType::AuthorizationCode, IdpGrantType::RefreshToken, IdpGrantType::ClientCredentials};
constexpr std::array<std::string_view, 3> kFilterNames{"EQUALS", "STARTS_WITH", "REGEX"};
constexpr std::array<GroupsFilterType, 3> kFilterValues{
    GroupsFilterType::Equals, GroupsFilterType::StartsWith, GroupsFilterType::Regex};
// Scopes the provider defines itself; custom scopes may not reuse them.
constexpr std::array<std::string_view, 5> kStandardScopes{"openid", "profile", "email",
                                                          "offline_access", "groups"};

bool is_printable(std::string_view text) {
  return std::all_of(text.begin(), text.end(),
                     [](char c) { return static_cast<unsigned char>(c) >= 0x20 && c != 0x7f; });
}

// A name shown in tokens and pages: 1-256 printable characters.
std::string read_name(const Value& value, std::string_view what) {
  auto text = value.string();
  if (!text) return {};
  if (text->empty() || text->size() > kMaxNameLength || !is_printable(*text)) {
    value.error("invalid " + std::string(what) + " " + quote(*text) +
                ": expected 1 to 256 printable characters");
  }
  return *text;
}

// RFC 6749 section 3.3 scope-token: NQCHAR, no spaces.
bool is_scope_token(std::string_view text) {
  return !text.empty() && std::all_of(text.begin(), text.end(), [](char c) {
    return c >= 0x21 && c <= 0x7e && c != '"' && c != '\\';
  });
}

std::int64_t read_lifetime(const Object& spec, std::string_view field, std::int64_t fallback) {
  Value value = spec.get(field);
  auto duration = value.duration();
  if (!duration) return fallback;
  const std::int64_t seconds = duration->count() / 1000;
  if (duration->count() % 1000 != 0 || seconds < 1 || seconds > kMaxLifetimeSeconds) {
    value.error(std::string(field) + " must be whole seconds between 1s and 8760h");
    return fallback;
  }
  return seconds;
}

void read_issuer(const Object& spec, std::string& out) {
  Value value = spec.require("issuer");
  auto text = value.string();
  if (!text) return;
  out = *text;
  SyntaxError problem;
  if (out.size() > kMaxUrlLength) {
    problem = "must be at most 2048 characters";
  } else if (auto syntax = check_http_url(out)) {
    problem = syntax;
  } else if (out.find_first_of("?#") != std::string::npos) {
    problem = "an issuer must not have a query or a fragment";
  } else if (out.ends_with('/')) {
    problem = "an issuer must not end with '/'";
  }
  if (problem) value.error("invalid issuer " + quote(out) + ": " + *problem);
}

void read_listen(const Object& spec, std::string& out) {
  Value value = spec.get("listen");
  auto text = value.string();
  if (!text) return;
  const std::size_t colon = text->rfind(':');
  std::string host = colon == std::string::npos ? "" : text->substr(0, colon);
  if (host.size() > 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
  }
  if (colon == std::string::npos || !is_ip(host) ||
      parse_port_number(text->substr(colon + 1)).value_or(0) == 0) {
    value.error("invalid listen " + quote(*text) + ": expected ADDR:PORT such as 127.0.0.1:9000");
    return;
  }
  out = *text;
}

// An absolute URI without a fragment (RFC 6749 section 3.1.2); native apps may use their own
// scheme, so only the shape is checked.
void read_uris(const Value& list, std::vector<std::string>& out) {
  std::set<std::string> seen;
  for (const Value& item : list.items()) {
    if (!require_item(item)) continue;
    auto text = item.string();
    if (!text) continue;
    const std::size_t colon = text->find(':');
    const bool has_scheme = colon != std::string::npos && colon > 0 &&
                            std::isalpha(static_cast<unsigned char>((*text)[0]));
    if (text->size() > kMaxUrlLength || !has_scheme || text->find('#') != std::string::npos ||
        !is_header_value(*text) || text->find(' ') != std::string::npos) {
      item.error("invalid URI " + quote(*text) + ": expected an absolute URI without a fragment");
      continue;
    }
    if (!seen.insert(*text).second) item.error("URI " + quote(*text) + " is listed twice");
    out.push_back(*text);
  }
}

// "pbkdf2-sha256$<iterations>$<salt>$<hash>"; the idp module checks the base64url parts.
void check_password_hash(const Value& value, const std::string& text) {
  const std::string prefix = "pbkdf2-sha256$";
  const std::size_t dollars = static_cast<std::size_t>(std::count(text.begin(), text.end(), '$'));
  const std::string_view iterations =
      text.starts_with(prefix) ? std::string_view(text).substr(
                                     prefix.size(), text.find('$', prefix.size()) - prefix.size())
                               : std::string_view();
  if (dollars != 3 || iterations.empty() || iterations.size() > 7 ||
      iterations.find_first_not_of("0123456789") != std::string_view::npos) {
    value.error(
        "invalid passwordHash: expected pbkdf2-sha256$<iterations>$<salt>$<hash> as printed "
        "by `gatehouse idp hash-password`");
  }
}

void read_user(const Value& item, const std::set<std::string>& groups,
               std::set<std::string>& usernames, IdpUser& out) {
  auto user =
      read_item(item, {"username", "id", "password", "passwordHash", "name", "email", "groups"});
  if (!user) return;
  out.where = item.where();
  Value username = user->require("username");
  out.username = read_name(username, "username");
  if (!out.username.empty() && !usernames.insert(out.username).second) {
    username.error("user " + quote(out.username) + " is listed twice");
  }
  out.id = user->has("id") ? read_name(user->get("id"), "id") : out.username;
  Value password = user->get("password");
  Value hash = user->get("passwordHash");
  if (password.present() == hash.present()) {
    user->self().error("set exactly one of password (development) or passwordHash");
  }
  out.password = password.string().value_or("");
  out.password_hash = hash.string().value_or("");
  if (hash.present()) check_password_hash(hash, out.password_hash);
  out.name = user->has("name") ? read_name(user->get("name"), "name") : out.username;
  if (user->has("email")) out.email = read_name(user->get("email"), "email");
  for (const Value& group : user->get("groups").items()) {
    if (!require_item(group)) continue;
    auto text = group.string();
    if (!text) continue;
    if (!groups.contains(*text)) {
      group.error(with_suggestion("group " + quote(*text) + " is not declared in spec.groups",
                                  *text,
                                  std::vector<std::string_view>(groups.begin(), groups.end())));
      continue;
    }
    out.groups.push_back(*text);
  }
}

void read_client(const Value& item, std::set<std::string>& client_ids, IdpClient& out) {
  auto client = read_item(item, {"clientId", "clientSecret", "clientSecretFile", "clientSecretEnv",
                                 "redirectUris", "postLogoutRedirectUris", "grantTypes"});
  if (!client) return;
  out.where = item.where();
  Value id = client->require("clientId");
  out.client_id = read_name(id, "clientId");
  if (!out.client_id.empty() && !client_ids.insert(out.client_id).second) {
    id.error("client " + quote(out.client_id) + " is listed twice");
  }
  out.client_secret = client->get("clientSecret").string().value_or("");
  out.client_secret_file = client->get("clientSecretFile").string().value_or("");
  out.client_secret_env = client->get("clientSecretEnv").string().value_or("");
  const int secrets = client->has("clientSecret") + client->has("clientSecretFile") +
                      client->has("clientSecretEnv");
  if (secrets > 1) {
    client->self().error(
        "set at most one of clientSecret, clientSecretFile, clientSecretEnv (none: a public "
        "client, which must use PKCE)");
  }
  if (client->has("clientSecret") && out.client_secret.empty()) {
    client->get("clientSecret").error("clientSecret must not be empty");
  }
  read_uris(client->get("redirectUris"), out.redirect_uris);
  read_uris(client->get("postLogoutRedirectUris"), out.post_logout_redirect_uris);
  if (Value grants = client->get("grantTypes"); grants.present()) {
    out.grant_types.clear();
    for (const Value& grant : grants.items()) {
      auto index = grant.one_of(kGrantNames);
      if (!index) continue;
      if (std::find(out.grant_types.begin(), out.grant_types.end(), kGrantValues[*index]) !=
          out.grant_types.end()) {
        grant.error("grant type " + std::string(kGrantNames[*index]) + " is listed twice");
      }
      out.grant_types.push_back(kGrantValues[*index]);
    }
    if (!has_values(grants)) grants.error("grantTypes must name at least one grant type");
  }
  auto allows = [&](IdpGrantType grant) {
    return std::find(out.grant_types.begin(), out.grant_types.end(), grant) !=
           out.grant_types.end();
  };
  if (allows(IdpGrantType::AuthorizationCode) && !has_values(client->get("redirectUris"))) {
    client->self().error("a client with grant type authorization_code needs redirectUris");
  }
  if (allows(IdpGrantType::ClientCredentials) && secrets == 0) {
    client->self().error("grant type client_credentials needs a client secret");
  }
}

void read_groups_claim(const Value& value, GroupsClaim& out) {
  Object claim = value.object({"enabled", "name", "filterType", "filterValue"});
  if (!claim.present()) return;
  out.enabled = claim.get("enabled").boolean().value_or(true);
  if (claim.has("name")) out.name = read_name(claim.get("name"), "claim name");
  if (auto type = claim.get("filterType").one_of(kFilterNames)) out.type = kFilterValues[*type];
  Value filter = claim.get("filterValue");
  if (!filter.present()) {
    if (claim.has("filterType")) filter.error("filterType needs a filterValue");
    return;
  }
  if (out.type == GroupsFilterType::Regex) {
    if (auto regex = read_regex(filter)) out.value = *regex;
  } else {
    out.value = read_name(filter, "filterValue");
  }
}

void read_signing_keys(const Value& list, std::vector<IdpSigningKey>& out) {
  for (const Value& item : list.items()) {
    auto key = read_item(item, {"file", "generate"});
    if (!key) continue;
    IdpSigningKey read{item.where(), key->get("file").string().value_or("")};
    const bool generate = key->get("generate").boolean().value_or(false);
    if (key->has("file") == generate) {
      item.error("set exactly one of file (a private JWK) or generate: true");
    } else if (key->has("file") && read.file.empty()) {
      key->get("file").error("file must not be empty");
    }
    out.push_back(std::move(read));
  }
}

}  // namespace

void decode_identity_provider(const Value& spec_value, IdentityProvider& out) {
  Object spec =
      spec_value.object({"issuer", "listen", "audience", "accessTokenLifetime", "idTokenLifetime",
                         "refreshTokenLifetime", "sessionLifetime", "scopes", "groups", "users",
                         "clients", "groupsClaim", "signingKeys"});
  if (!spec.present()) return;
  read_issuer(spec, out.issuer);
  read_listen(spec, out.listen);
  if (spec.has("audience")) out.audience = read_name(spec.get("audience"), "audience");
  out.access_token_lifetime_seconds =
      read_lifetime(spec, "accessTokenLifetime", out.access_token_lifetime_seconds);
  out.id_token_lifetime_seconds =
      read_lifetime(spec, "idTokenLifetime", out.id_token_lifetime_seconds);
  out.refresh_token_lifetime_seconds =
      read_lifetime(spec, "refreshTokenLifetime", out.refresh_token_lifetime_seconds);
  out.session_lifetime_seconds =
      read_lifetime(spec, "sessionLifetime", out.session_lifetime_seconds);
  for (const Value& item : spec.get("scopes").items()) {
    if (!require_item(item)) continue;
    auto text = item.string();
    if (!text) continue;
    if (!is_scope_token(*text)) {
      item.error("invalid scope " + quote(*text) + ": expected printable characters, no spaces");
    } else if (std::find(kStandardScopes.begin(), kStandardScopes.end(), *text) !=
               kStandardScopes.end()) {
      item.error("scope " + quote(*text) + " is defined by the provider itself");
    } else {
      out.scopes.push_back(*text);
    }
  }
  std::set<std::string> groups;
  for (const Value& item : spec.get("groups").items()) {
    if (!require_item(item)) continue;
    std::string name = read_name(item, "group");
    if (name.empty()) continue;
    if (!groups.insert(name).second) item.error("group " + quote(name) + " is listed twice");
    out.groups.push_back(std::move(name));
  }
  std::set<std::string> usernames;
  Value users = spec.get("users");
  for (const Value& item : users.items()) {
    read_user(item, groups, usernames, out.users.emplace_back());
  }
  if (out.users.size() > kMaxUsers) users.error("at most 10000 users");
  std::set<std::string> client_ids;
  Value clients = spec.require("clients");
  for (const Value& item : clients.items()) {
    read_client(item, client_ids, out.clients.emplace_back());
  }
  if (out.clients.size() > kMaxClients) clients.error("at most 1000 clients");
  Object claims = spec.get("groupsClaim").object({"accessToken", "idToken"});
  if (claims.present()) {
    read_groups_claim(claims.get("accessToken"), out.access_token_groups);
    read_groups_claim(claims.get("idToken"), out.id_token_groups);
  }
  read_signing_keys(spec.get("signingKeys"), out.signing_keys);
}

}  // namespace gatehouse::config
