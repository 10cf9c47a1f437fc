// Fuzz target for the built-in development OpenID Provider's request handler. The first input
// byte picks the method and the endpoint; the rest is "query\nbody\nauthorization\ncookie\n
// content-type". Before each input, alice signs in once, and "@CODE@" and "@SESSION@" in the
// input stand for her fresh authorization code and login session id, so the fuzzer reaches the
// token exchange and the session paths. Must never crash; broken invariants abort:
// - every status is one the provider answers with;
// - a redirect goes only to a registered redirect or post-logout URI;
// - no HTML page carries markup that came from the input (the pages have no <script>).
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "idp/idp.h"
#include "jose/sign.h"

namespace {

using namespace gatehouse;

constexpr std::int64_t kNow = 1700000000;
constexpr std::string_view kPrefix = "/oauth2/default";
constexpr std::string_view kRedirect = "https://app.example/cb";
constexpr std::string_view kLogoutRedirect = "https://app.example/bye";

void require(bool condition, const char* what, std::string_view input) {
  if (condition) return;
  std::fprintf(stderr, "idp request invariant broken: %s\ninput (%zu bytes): %.*s\n", what,
               input.size(), static_cast<int>(input.size()), input.data());
  std::abort();
}

const std::string& key_jwk() {
  static const std::string jwk =
      jose::PrivateKey::generate(jose::Alg::RS256, "fuzz-key").value().private_jwk();
  return jwk;
}

// One iteration: creating a provider per input must be cheap.
const std::string& cheap_hash(std::string_view password) {
  static const unsigned char salt[16] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16};
  static const std::string alice = idp::hash_password("alice", salt, 1);
  static const std::string bob = idp::hash_password("bob", salt, 1);
  return password == "alice" ? alice : bob;
}

idp::Provider make_provider() {
  config::IdentityProvider c;
  c.issuer = "http://127.0.0.1:9000/oauth2/default";
  c.scopes = {"api.read"};
  c.groups = {"httpbin", "everyone"};
  c.users.push_back({{},
                     "alice",
                     "alice",
                     "",
                     cheap_hash("alice"),
                     "Alice",
                     "a@example.com",
                     {"httpbin", "everyone"}});
  c.users.push_back({{}, "bob", "bob", "", cheap_hash("bob"), "Bob", "", {"everyone"}});
  config::IdpClient app;
  app.client_id = "app";
  app.client_secret = "secret";
  app.redirect_uris = {std::string(kRedirect)};
  app.post_logout_redirect_uris = {std::string(kLogoutRedirect)};
  app.grant_types = {config::IdpGrantType::AuthorizationCode, config::IdpGrantType::RefreshToken,
                     config::IdpGrantType::ClientCredentials};
  c.clients.push_back(app);
  config::IdpClient spa;
  spa.client_id = "spa";
  spa.redirect_uris = {std::string(kRedirect)};
  c.clients.push_back(spa);
  c.id_token_groups = {true, "groups", config::GroupsFilterType::StartsWith, "http"};
  std::vector<jose::PrivateKey> keys;
  keys.push_back(jose::PrivateKey::from_jwk(key_jwk()).value());
  auto provider = idp::Provider::create(c, std::move(keys), {});
  if (!provider.ok()) std::abort();
  return std::move(provider).value();
}

std::string_view next_line(std::string_view& rest) {
  const std::size_t newline = rest.find('\n');
  const std::string_view line = rest.substr(0, newline);
  rest = newline == std::string_view::npos ? std::string_view() : rest.substr(newline + 1);
  return line;
}

void replace_all(std::string& text, std::string_view from, std::string_view to) {
  for (std::size_t at = text.find(from); at != std::string::npos;
       at = text.find(from, at + to.size())) {
    text.replace(at, from.size(), to);
  }
}

std::string header(const idp::Response& res, std::string_view name) {
  for (const auto& [key, value] : res.headers) {
    if (key == name) return value;
  }
  return "";
}

// alice's login: fills the code and the session id.
void sign_in(idp::Provider& provider, std::string& code, std::string& session) {
  const std::string body =
      "client_id=app&redirect_uri=https%3A%2F%2Fapp.example%2Fcb&response_type=code&scope=openid+"
      "profile+offline_access&state=s&nonce=n&username=alice&password=alice";
  const std::string path = std::string(kPrefix) + "/v1/login";
  idp::Request request{"POST", path, "", body, "application/x-www-form-urlencoded", "", {}};
  idp::Entropy entropy;
  entropy.bytes.fill(7);
  idp::Response res = provider.handle(request, kNow, entropy);
  const std::string location = header(res, "Location");
  const std::size_t at = location.find("code=");
  code = at == std::string::npos ? "" : location.substr(at + 5, 43);
  const std::string cookie = header(res, "Set-Cookie");
  session = cookie.substr(cookie.find('=') + 1, 43);
}

constexpr std::string_view kEndpoints[] = {"/.well-known/openid-configuration",
                                           "/v1/keys",
                                           "/v1/authorize",
                                           "/v1/login",
                                           "/v1/token",
                                           "/v1/userinfo",
                                           "/v1/logout",
                                           "/v1/other"};
constexpr std::string_view kMethods[] = {"GET", "POST", "HEAD", "PUT"};
constexpr unsigned kStatuses[] = {200, 302, 400, 401, 403, 404, 405, 413, 429, 500};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  idp::Provider provider = make_provider();
  std::string code, session;
  sign_in(provider, code, session);

  const unsigned char selector = data[0];
  std::string_view rest = input.substr(1);
  std::string fields[5];
  for (std::string& field : fields) {
    field = std::string(next_line(rest));
    replace_all(field, "@CODE@", code);
    replace_all(field, "@SESSION@", session);
  }
  const std::string path =
      std::string(kPrefix) + std::string(kEndpoints[(selector >> 2) % std::size(kEndpoints)]);
  idp::Request request{kMethods[selector % std::size(kMethods)],
                       path,
                       fields[0],
                       fields[1],
                       fields[4],
                       fields[2],
                       {}};
  if (!fields[3].empty()) request.cookie_fields.push_back(fields[3]);
  idp::Entropy entropy;
  entropy.bytes.fill(static_cast<unsigned char>(size));
  idp::Response res = provider.handle(request, kNow + (selector & 0x40 ? 61 : 1), entropy);

  bool known_status = false;
  for (unsigned status : kStatuses) known_status = known_status || res.status == status;
  require(known_status, "unexpected status", input);
  if (res.status == 302) {
    const std::string location = header(res, "Location");
    const bool registered = location.starts_with(std::string(kRedirect) + "?") ||
                            location.starts_with(std::string(kLogoutRedirect));
    require(registered, "redirect to an unregistered URI", input);
  }
  if (header(res, "Content-Type").starts_with("text/html")) {
    require(res.body.find("<script") == std::string::npos, "markup from the input in a page",
            input);
  }
  return 0;
}
