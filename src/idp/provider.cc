// Provider: compiling the configuration, routing a request to its endpoint, and the two
// static documents (discovery and JWKS).
#include <openssl/evp.h>

#include <boost/json/array.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <cstdlib>
#include <exception>

#include "idp/endpoints.h"
#include "idp/responses.h"
#include "jose/base64url.h"

namespace gatehouse::idp {
namespace {

// Plain passwords are hashed at start with fewer rounds than hash-password's default: they
// are development passwords in a YAML file anyway, and start-up stays quick.
constexpr std::uint32_t kPlainPasswordIterations = 10'000;
constexpr std::size_t kSaltBytes = 16;

// A salt unique per user and per start: SHA-256(seed || label), first 16 bytes.
std::string derive_salt(std::span<const unsigned char> seed, std::string_view label) {
  std::string input(reinterpret_cast<const char*>(seed.data()), seed.size());
  input += label;
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  EVP_Digest(input.data(), input.size(), digest, &size, EVP_sha256(), nullptr);
  return std::string(reinterpret_cast<const char*>(digest), kSaltBytes);
}

// "https://host:port/oauth2/default" -> "/oauth2/default".
std::string issuer_path(std::string_view issuer) {
  const std::size_t scheme_end = issuer.find("://");
  if (scheme_end == std::string_view::npos) return "";
  const std::size_t slash = issuer.find('/', scheme_end + 3);
  return slash == std::string_view::npos ? "" : std::string(issuer.substr(slash));
}

std::string discovery_document(const State& state) {
  auto strings = [](std::initializer_list<std::string_view> values) {
    boost::json::array out;
    for (std::string_view value : values) out.emplace_back(value);
    return out;
  };
  boost::json::array scopes = strings({"openid", "profile", "email", "offline_access", "groups"});
  for (const std::string& scope : state.custom_scopes) scopes.emplace_back(scope);
  boost::json::object doc{
      {"issuer", state.issuer},
      {"authorization_endpoint", state.endpoint("/v1/authorize")},
      {"token_endpoint", state.endpoint("/v1/token")},
      {"userinfo_endpoint", state.endpoint("/v1/userinfo")},
      {"jwks_uri", state.endpoint("/v1/keys")},
      {"end_session_endpoint", state.endpoint("/v1/logout")},
      {"response_types_supported", strings({"code"})},
      {"response_modes_supported", strings({"query"})},
      {"grant_types_supported",
       strings({"authorization_code", "refresh_token", "client_credentials"})},
      {"subject_types_supported", strings({"public"})},
      {"id_token_signing_alg_values_supported", strings({"RS256"})},
      {"token_endpoint_auth_methods_supported",
       strings({"client_secret_basic", "client_secret_post", "none"})},
      {"code_challenge_methods_supported", strings({"S256", "plain"})},
      {"scopes_supported", std::move(scopes)},
      {"claims_supported", strings({"iss", "sub", "aud", "exp", "iat", "auth_time", "nonce", "name",
                                    "preferred_username", "email", "email_verified", "groups"})},
      {"request_parameter_supported", false}};
  return boost::json::serialize(doc);
}

// Checks the keys and fills keys, jwks and jwks_json; an error message or "".
std::string install_keys(State& state, std::vector<jose::PrivateKey> keys) {
  if (keys.empty()) return "no signing key";
  boost::json::array published;
  for (std::size_t i = 0; i < keys.size(); ++i) {
    if (!keys[i].fits(jose::Alg::RS256)) return "signing keys must be RSA keys for RS256";
    if (keys[i].kid().empty()) return "every signing key needs a kid";
    for (std::size_t j = 0; j < i; ++j) {
      if (keys[j].kid() == keys[i].kid()) return "two signing keys share the kid " + keys[i].kid();
    }
    boost::system::error_code ec;
    boost::json::value jwk = boost::json::parse(keys[i].public_jwk(), ec);
    if (ec || !jwk.is_object()) return "cannot publish signing key " + keys[i].kid();
    published.push_back(std::move(jwk));
  }
  state.jwks_json = boost::json::serialize(boost::json::object{{"keys", std::move(published)}});
  auto jwks = jose::Jwks::parse(state.jwks_json);
  if (!jwks.ok())
    return std::string("signing keys: ") + std::string(jose::status_message(jwks.status()));
  state.jwks = std::move(jwks).value();
  state.keys = std::move(keys);
  return "";
}

// Fills users; an error message or "".
std::string install_users(State& state, const config::IdentityProvider& config,
                          std::span<const unsigned char> seed) {
  for (const config::IdpUser& in : config.users) {
    User user{in.username, in.id, in.name, in.email, in.groups, {}};
    if (!in.password_hash.empty()) {
      auto hash = parse_password_hash(in.password_hash);
      if (!hash) return "user " + in.username + ": passwordHash is not a valid pbkdf2-sha256 hash";
      user.password = std::move(*hash);
    } else {
      user.password = derive_password_hash(in.password, derive_salt(seed, "user:" + in.username),
                                           kPlainPasswordIterations);
    }
    if (!state.user_by_name.emplace(user.username, state.users.size()).second) {
      return "user " + in.username + " is listed twice";
    }
    state.users.push_back(std::move(user));
  }
  const std::uint32_t decoy_iterations =
      state.users.empty() ? kPlainPasswordIterations : state.users.front().password.iterations;
  state.decoy_password =
      derive_password_hash("decoy", derive_salt(seed, "decoy"), decoy_iterations);
  state.throttle = LoginThrottle(state.users.size());
  return "";
}

Response method_not_allowed(std::string_view allow) {
  Response out = json_error(OAuthError::InvalidRequest, "method not allowed");
  out.status = 405;
  out.headers.emplace_back("Allow", std::string(allow));
  return out;
}

Response route(State& state, const Request& request, std::int64_t now, RandomPool& random) {
  if (!request.path.starts_with(state.path_prefix)) {
    return json_response(404, R"({"error":"not_found"})");
  }
  const std::string_view endpoint = request.path.substr(state.path_prefix.size());
  const bool get = request.method == "GET" || request.method == "HEAD";
  const bool post = request.method == "POST";
  if (request.body.size() > kMaxBodyBytes) {
    Response out = json_error(OAuthError::InvalidRequest, "request body too large");
    out.status = 413;
    return out;
  }
  if (endpoint == "/.well-known/openid-configuration" ||
      endpoint == "/.well-known/oauth-authorization-server") {
    if (!get) return method_not_allowed("GET, HEAD");
    Response out = json_response(200, state.discovery_json);
    out.headers.emplace_back("Access-Control-Allow-Origin", "*");
    return out;
  }
  if (endpoint == "/v1/keys") {
    if (!get) return method_not_allowed("GET, HEAD");
    Response out = json_response(200, state.jwks_json);
    out.headers.emplace_back("Access-Control-Allow-Origin", "*");
    out.headers.emplace_back("Cache-Control", "max-age=300");
    return out;
  }
  if (endpoint == "/v1/authorize") {
    if (!get && !post) return method_not_allowed("GET, HEAD, POST");
    return authorize_endpoint(state, request, now, random);
  }
  if (endpoint == "/v1/login") {
    if (!post) return method_not_allowed("POST");
    return login_endpoint(state, request, now, random);
  }
  if (endpoint == "/v1/token") {
    if (!post) return method_not_allowed("POST");
    return token_endpoint(state, request, now, random);
  }
  if (endpoint == "/v1/userinfo") {
    if (!get && !post) return method_not_allowed("GET, HEAD, POST");
    return userinfo_endpoint(state, request, now);
  }
  if (endpoint == "/v1/logout") {
    if (!get && !post) return method_not_allowed("GET, HEAD, POST");
    return logout_endpoint(state, request);
  }
  return json_response(404, R"({"error":"not_found"})");
}

}  // namespace

bool Client::allows(config::IdpGrantType grant) const {
  return std::find(grants.begin(), grants.end(), grant) != grants.end();
}
bool Client::redirect_registered(std::string_view uri) const {
  return std::find(redirect_uris.begin(), redirect_uris.end(), uri) != redirect_uris.end();
}
bool Client::post_logout_registered(std::string_view uri) const {
  return std::find(post_logout_redirect_uris.begin(), post_logout_redirect_uris.end(), uri) !=
         post_logout_redirect_uris.end();
}

const Client* State::find_client(std::string_view id) const {
  auto found = client_by_id.find(std::string(id));
  return found == client_by_id.end() ? nullptr : &clients[found->second];
}

std::optional<std::size_t> State::find_user(std::string_view username) const {
  auto found = user_by_name.find(std::string(username));
  if (found == user_by_name.end()) return std::nullopt;
  return found->second;
}

std::string RandomPool::secret(std::size_t bytes) {
  // Every endpoint takes a fixed, small number of secrets: running out is a bug.
  if (used_ + bytes > entropy_.bytes.size()) std::abort();
  std::string out(reinterpret_cast<const char*>(entropy_.bytes.data() + used_), bytes);
  used_ += bytes;
  return jose::base64url_encode(out);
}

jose::Result<Provider, CreateError> Provider::create(const config::IdentityProvider& config,
                                                     std::vector<jose::PrivateKey> signing_keys,
                                                     std::span<const unsigned char> salt_seed) {
  auto state = std::make_unique<State>();
  state->issuer = config.issuer;
  state->path_prefix = issuer_path(config.issuer);
  state->secure_cookie = config.issuer.starts_with("https://");
  state->audience = config.audience;
  state->access_token_lifetime = config.access_token_lifetime_seconds;
  state->id_token_lifetime = config.id_token_lifetime_seconds;
  state->refresh_token_lifetime = config.refresh_token_lifetime_seconds;
  state->session_lifetime = config.session_lifetime_seconds;
  state->custom_scopes = config.scopes;
  if (std::string error = install_users(*state, config, salt_seed); !error.empty()) {
    return CreateError{error};
  }
  for (const config::IdpClient& in : config.clients) {
    if (!state->client_by_id.emplace(in.client_id, state->clients.size()).second) {
      return CreateError{"client " + in.client_id + " is listed twice"};
    }
    state->clients.push_back(Client{in.client_id, in.client_secret, in.redirect_uris,
                                    in.post_logout_redirect_uris, in.grant_types});
  }
  std::string error;
  state->access_groups = GroupsFilter::compile(config.access_token_groups, error);
  if (!state->access_groups) return CreateError{"access token " + error};
  state->id_groups = GroupsFilter::compile(config.id_token_groups, error);
  if (!state->id_groups) return CreateError{"ID token " + error};
  if (std::string problem = install_keys(*state, std::move(signing_keys)); !problem.empty()) {
    return CreateError{problem};
  }
  state->discovery_json = discovery_document(*state);
  return Provider(std::move(state));
}

Provider::Provider(std::unique_ptr<State> state) : state_(std::move(state)) {}
Provider::Provider(Provider&&) noexcept = default;
Provider& Provider::operator=(Provider&&) noexcept = default;
Provider::~Provider() = default;

const std::string& Provider::issuer() const { return state_->issuer; }
const std::string& Provider::path_prefix() const { return state_->path_prefix; }

Response Provider::handle(const Request& request, std::int64_t now, const Entropy& entropy) {
  RandomPool random(entropy);
  try {
    Response out = route(*state_, request, now, random);
    if (request.method == "HEAD") out.body.clear();
    return out;
  } catch (const std::exception&) {
    // Only allocation failures can get here; the request fails, the provider goes on.
    return json_error(OAuthError::ServerError, "the request could not be handled");
  }
}

}  // namespace gatehouse::idp
