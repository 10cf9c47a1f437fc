// The authenticate-oidc action's authenticateOidcConfig: ALB's fields and defaults, checked
// strictly, plus gatehouse's additions. Only names of secrets are read here (a file path or an
// environment variable); the runtime reads the secrets themselves.
#include <algorithm>
#include <array>

#include "config/decode.h"
#include "config/did_you_mean.h"
#include "config/syntax.h"

namespace gatehouse::config {
namespace {

// In the order of the enums they are read into.
constexpr std::array<std::string_view, 3> kOnUnauthenticated{"authenticate", "deny", "allow"};
constexpr std::array<std::string_view, 2> kClientAuthentications{"client_secret_basic",
                                                                 "client_secret_post"};
// Parameters gatehouse writes into the authorization request itself.
constexpr std::array<std::string_view, 8> kReservedParams{
    "client_id", "redirect_uri", "response_type",  "scope",
    "state",     "nonce",        "code_challenge", "code_challenge_method"};
constexpr std::size_t kMaxExtraParams = 10;
constexpr std::int64_t kMaxSessionTimeout = 604800;  // ALB's cap, 7 days
constexpr std::size_t kMaxUrlLength = 2048;
constexpr std::size_t kMaxClientIdLength = 1024;
constexpr std::string_view kCallbackPath = "/oauth2/idpresponse";
constexpr std::string_view kNonceCookieName = "AWSALBAuthNonce";

bool has_control_or_space(std::string_view text) {
  return std::any_of(text.begin(), text.end(),
                     [](char c) { return static_cast<unsigned char>(c) <= ' ' || c == 0x7f; });
}

// An endpoint URL: absolute http(s), https unless `insecure`, no fragment; the issuer also
// without a query (OpenID Connect Discovery 1.0, section 3).
void read_url(const Object& config, std::string_view field, bool insecure, bool is_issuer,
              std::string& out) {
  Value value = config.require(field);
  auto text = value.string();
  if (!text) return;
  out = *text;
  SyntaxError problem;
  if (out.size() > kMaxUrlLength) {
    problem = "must be at most 2048 characters";
  } else if (auto syntax = check_http_url(out)) {
    problem = syntax;
  } else if (!insecure && !lower_case(out.substr(0, 8)).starts_with("https://")) {
    problem = "must be an https:// URL (allowInsecureHttp: true allows http:// for development)";
  } else if (out.find('#') != std::string::npos) {
    problem = "must not have a fragment";
  } else if (is_issuer && out.find('?') != std::string::npos) {
    problem = "an issuer must not have a query";
  }
  if (problem) value.error("invalid " + std::string(field) + " " + quote(out) + ": " + *problem);
}

// RFC 6749 section 3.3: scope tokens of NQCHAR separated by single spaces, one of them "openid"
// or the login yields no ID token (ALB then fails every login with 401).
void read_scope(const Object& config, std::string& out) {
  Value value = config.get("scope");
  auto text = value.string();
  if (!text) return;
  out = *text;
  bool has_openid = false;
  std::string_view rest = out;
  for (;;) {
    const std::string_view word = rest.substr(0, rest.find(' '));
    const bool nqchars = std::all_of(word.begin(), word.end(), [](char c) {
      return c >= 0x21 && c <= 0x7e && c != '"' && c != '\\';
    });
    if (word.empty() || !nqchars) {
      value.error("invalid scope " + quote(out) +
                  ": scopes are words of visible characters (no \" or \\) separated by single "
                  "spaces");
      return;
    }
    has_openid = has_openid || word == "openid";
    if (word.size() == rest.size()) break;
    rest.remove_prefix(word.size() + 1);
  }
  if (!has_openid) value.error("scope " + quote(out) + " must include openid");
}

void read_client_secret(const Object& config, AuthenticateOidcConfig& out) {
  if (config.has("clientSecret")) {
    config.get("clientSecret")
        .error(
            "a client secret is never written in the configuration; name a file with "
            "clientSecretFile or an environment variable with clientSecretEnv");
  }
  Value file = config.get("clientSecretFile");
  Value env = config.get("clientSecretEnv");
  out.client_secret_file = file.string().value_or("");
  out.client_secret_env = env.string().value_or("");
  if (!out.client_secret_env.empty()) {
    const std::string& name = out.client_secret_env;
    const bool valid =
        !(name[0] >= '0' && name[0] <= '9') && std::all_of(name.begin(), name.end(), [](char c) {
          return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                 c == '_';
        });
    if (!valid)
      env.error("invalid clientSecretEnv " + quote(name) + ": expected [A-Za-z_][A-Za-z0-9_]*");
  }
  const bool by_file = file.present(), by_env = env.present();
  if (by_file && by_env) {
    env.error("set only one of clientSecretFile and clientSecretEnv");
  } else if (!by_file && !by_env && !config.has("clientSecret")) {
    config.self().error("missing clientSecretFile or clientSecretEnv (the client secret)");
  } else if (by_file && out.client_secret_file.empty()) {
    file.error("clientSecretFile must not be empty");
  }
}

void read_extra_params(const Value& value, AuthenticateOidcConfig& out) {
  std::vector<std::pair<std::string, Value>> entries = value.entries();
  if (entries.size() > kMaxExtraParams) {
    value.error("authenticationRequestExtraParams can have at most 10 entries, got " +
                std::to_string(entries.size()));
  }
  for (auto& [name, item] : entries) {
    auto text = item.string();
    if (!text) continue;
    if (std::find(kReservedParams.begin(), kReservedParams.end(), name) != kReservedParams.end()) {
      item.error("parameter " + quote(name) + " is sent by gatehouse itself and cannot be set");
      continue;
    }
    out.authentication_request_extra_params.emplace_back(name, std::move(*text));
  }
}

void read_session_cookie_name(const Value& value, std::string& out) {
  auto text = value.string();
  if (!text) return;
  out = *text;
  if (!is_http_token(out) || out.size() > 128) {
    value.error("invalid sessionCookieName " + quote(out) +
                ": expected a cookie name (letters, digits and !#$%&'*+-.^_`|~), at most 128");
  } else if (out == kNonceCookieName) {
    value.error("sessionCookieName cannot be AWSALBAuthNonce, the login nonce cookie");
  }
}

void read_logout_path(const Value& value, std::string& out) {
  auto text = value.string();
  if (!text) return;
  out = *text;
  if (!out.starts_with('/') || has_control_or_space(out) ||
      out.find_first_of("?#") != std::string::npos || out.size() > kMaxUrlLength) {
    value.error("invalid logoutPath " + quote(out) +
                ": expected a path starting with \"/\", without query, fragment or spaces");
  } else if (out == kCallbackPath) {
    value.error("logoutPath cannot be /oauth2/idpresponse, the login callback");
  }
}

void read_required_text(const Object& config, std::string_view field, std::size_t max,
                        std::string& out) {
  Value value = config.require(field);
  auto text = value.string();
  if (!text) return;
  out = *text;
  if (out.empty() || out.size() > max || has_control_or_space(out)) {
    value.error("invalid " + std::string(field) + " " + quote(out) + ": expected 1 to " +
                std::to_string(max) + " visible characters");
  }
}

void read_flags(const Object& config, AuthenticateOidcConfig& out) {
  if (auto value = config.get("usePkce").boolean()) out.use_pkce = *value;
  if (auto value = config.get("sendNonce").boolean()) out.send_nonce = *value;
  if (auto value = config.get("allowInsecureHttp").boolean()) out.allow_insecure_http = *value;
  if (auto index = config.get("onUnauthenticatedRequest").one_of(kOnUnauthenticated)) {
    out.on_unauthenticated_request = static_cast<OnUnauthenticatedRequest>(*index);
  }
  if (auto index = config.get("clientAuthentication").one_of(kClientAuthentications)) {
    out.client_authentication = static_cast<ClientAuthentication>(*index);
  }
}

}  // namespace

std::optional<AuthenticateOidcConfig> read_authenticate_oidc(const Object& action,
                                                             const Listener& listener) {
  Value config_value = action.require("authenticateOidcConfig");
  Object config = config_value.object({"issuer",
                                       "authorizationEndpoint",
                                       "tokenEndpoint",
                                       "userInfoEndpoint",
                                       "clientId",
                                       "clientSecret",
                                       "clientSecretFile",
                                       "clientSecretEnv",
                                       "useExistingClientSecret",
                                       "scope",
                                       "sessionCookieName",
                                       "sessionTimeout",
                                       "authenticationRequestExtraParams",
                                       "onUnauthenticatedRequest",
                                       "usePkce",
                                       "sendNonce",
                                       "clientAuthentication",
                                       "logoutPath",
                                       "sessionKeysFile",
                                       "allowInsecureHttp"});
  if (!config.present()) return std::nullopt;
  config.refuse({"useExistingClientSecret"});
  AuthenticateOidcConfig out;
  read_flags(config, out);
  const bool insecure = out.allow_insecure_http;
  if (listener.protocol != "HTTPS" && !insecure) {
    config_value.error(
        "authenticate-oidc needs an HTTPS listener (session cookies are Secure and the "
        "redirect URI is https://); allowInsecureHttp: true allows HTTP for development only");
  }
  read_url(config, "issuer", insecure, true, out.issuer);
  read_url(config, "authorizationEndpoint", insecure, false, out.authorization_endpoint);
  read_url(config, "tokenEndpoint", insecure, false, out.token_endpoint);
  read_url(config, "userInfoEndpoint", insecure, false, out.user_info_endpoint);
  read_required_text(config, "clientId", kMaxClientIdLength, out.client_id);
  read_client_secret(config, out);
  read_scope(config, out.scope);
  read_session_cookie_name(config.get("sessionCookieName"), out.session_cookie_name);
  if (auto seconds = config.get("sessionTimeout").integer(1, kMaxSessionTimeout)) {
    out.session_timeout_seconds = *seconds;
  }
  read_extra_params(config.get("authenticationRequestExtraParams"), out);
  read_logout_path(config.get("logoutPath"), out.logout_path);
  Value keys = config.require("sessionKeysFile");
  out.session_keys_file = keys.string().value_or("");
  if (keys.present() && out.session_keys_file.empty()) {
    keys.error("sessionKeysFile must not be empty");
  }
  return out;
}

void check_authenticate_actions(const Value& list, const std::vector<RuleAction>& actions) {
  const auto authenticates = std::count_if(actions.begin(), actions.end(), [](const auto& action) {
    return action.type == "authenticate-oidc";
  });
  if (authenticates > 1) list.error("a rule can have at most one authenticate-oidc action");
}

}  // namespace gatehouse::config
