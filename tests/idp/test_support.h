// A provider for the tests: alice/alice (groups httpbin, everyone), bob/bob (everyone), a
// confidential client "app" and a public client "spa", under
// http://127.0.0.1:9000/oauth2/default; one RSA key generated per test binary; deterministic
// entropy. Helpers walk the flows in a line each.
#pragma once

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>
#include <map>
#include <string>
#include <string_view>

#include "idp/idp.h"
#include "jose/base64url.h"
#include "jose/sign.h"
#include "oidc/url.h"

namespace gatehouse::idp::testing {

inline constexpr std::string_view kIssuer = "http://127.0.0.1:9000/oauth2/default";
inline constexpr std::string_view kPrefix = "/oauth2/default";
inline constexpr std::string_view kRedirect = "https://localhost:8443/oauth2/idpresponse";
inline constexpr std::string_view kSpaRedirect = "http://localhost:3000/callback";
inline constexpr std::int64_t kNow = 1'700'000'000;
// RFC 7636 appendix B.
inline constexpr std::string_view kVerifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
inline constexpr std::string_view kChallenge = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";

// A copy of the binary's one RSA key named `kid` (generated once: RSA keygen is slow).
inline jose::PrivateKey test_key(const std::string& kid = "key-1") {
  static std::map<std::string, std::string> jwks;
  auto found = jwks.find(kid);
  if (found == jwks.end()) {
    found =
        jwks.emplace(kid, jose::PrivateKey::generate(jose::Alg::RS256, kid)->private_jwk()).first;
  }
  return jose::PrivateKey::from_jwk(found->second).value();
}

inline std::vector<jose::PrivateKey> keys_of(std::initializer_list<std::string> kids) {
  std::vector<jose::PrivateKey> out;
  for (const std::string& kid : kids) out.push_back(test_key(kid));
  return out;
}

inline std::vector<jose::PrivateKey> one_key(jose::PrivateKey key) {
  std::vector<jose::PrivateKey> out;
  out.push_back(std::move(key));
  return out;
}

// A JSON string, for comparing claims.
inline boost::json::value jv(std::string_view text) { return boost::json::value(text); }

inline config::IdentityProvider test_config() {
  config::IdentityProvider c;
  c.issuer = std::string(kIssuer);
  c.scopes = {"httpbin.read"};
  c.groups = {"httpbin", "everyone"};
  c.users.push_back({{},
                     "alice",
                     "00ualice",
                     "alice",
                     "",
                     "Alice Example",
                     "alice@example.com",
                     {"httpbin", "everyone"}});
  c.users.push_back({{}, "bob", "00ubob", "bob", "", "Bob Example", "", {"everyone"}});
  config::IdpClient app;
  app.client_id = "app";
  app.client_secret = "app-secret";
  app.redirect_uris = {std::string(kRedirect)};
  app.post_logout_redirect_uris = {"https://localhost:8443/"};
  app.grant_types = {config::IdpGrantType::AuthorizationCode, config::IdpGrantType::RefreshToken,
                     config::IdpGrantType::ClientCredentials};
  c.clients.push_back(app);
  config::IdpClient spa;
  spa.client_id = "spa";
  spa.redirect_uris = {std::string(kSpaRedirect)};
  c.clients.push_back(spa);
  return c;
}

inline Provider make_provider(const config::IdentityProvider& config = test_config()) {
  const unsigned char seed[32] = {1, 2, 3};
  auto provider = Provider::create(config, keys_of({"key-1"}), seed);
  if (!provider.ok()) ADD_FAILURE() << provider.error().message;
  return std::move(provider).value();
}

// Owns the strings a Request views.
struct TestRequest {
  std::string method = "GET";
  std::string path;
  std::string query;
  std::string body;
  std::string content_type;
  std::string authorization;
  std::string cookie;

  Request view() const {
    Request out{method, path, query, body, content_type, authorization, {}};
    if (!cookie.empty()) out.cookie_fields.push_back(cookie);
    return out;
  }
};

inline std::string form(std::initializer_list<std::pair<std::string_view, std::string_view>> kv) {
  std::string out;
  for (const auto& [name, value] : kv) {
    out += (out.empty() ? "" : "&") + oidc::form_encode(name) + "=" + oidc::form_encode(value);
  }
  return out;
}

inline std::string basic(std::string_view id, std::string_view secret) {
  return "Basic " + jose::base64_encode(std::string(id) + ":" + std::string(secret));
}

inline std::string header(const Response& res, std::string_view name) {
  for (const auto& [key, value] : res.headers) {
    if (key == name) return value;
  }
  return "";
}

// The value of `name` in the Location query of a redirect.
inline std::string location_param(const Response& res, std::string_view name) {
  const std::string location = header(res, "Location");
  const std::size_t q = location.find('?');
  std::vector<oidc::FormParam> params;
  if (q == std::string::npos || !oidc::parse_form(location.substr(q + 1), params)) return "";
  for (const auto& p : params) {
    if (p.name == name) return p.value;
  }
  return "";
}

inline boost::json::object json_body(const Response& res) {
  boost::system::error_code ec;
  boost::json::value v = boost::json::parse(res.body, ec);
  if (ec || !v.is_object()) return {};
  return v.as_object();
}

inline std::string json_string(const Response& res, std::string_view key) {
  auto body = json_body(res);
  const auto* v = body.if_contains(key);
  return v != nullptr && v->is_string() ? std::string(v->get_string()) : "";
}

// Drives one provider with fresh deterministic entropy per call.
class Harness {
 public:
  explicit Harness(Provider provider = make_provider()) : provider_(std::move(provider)) {}

  Response send(const TestRequest& req, std::int64_t now = kNow) {
    Entropy entropy;
    for (std::size_t i = 0; i < entropy.bytes.size(); ++i) {
      entropy.bytes[i] = static_cast<unsigned char>((counter_ * 131 + i * 7) & 0xff);
    }
    // Every secret starts on a multiple of 16 bytes: stamping the call number there keeps
    // secrets of different calls apart.
    for (std::size_t i = 0; i < entropy.bytes.size(); i += 16) {
      entropy.bytes[i] = static_cast<unsigned char>(counter_ & 0xff);
      entropy.bytes[i + 1] = static_cast<unsigned char>(counter_ >> 8);
    }
    ++counter_;
    return provider_.handle(req.view(), now, entropy);
  }

  Response get(std::string_view endpoint, std::string query = "", std::string cookie = "") {
    TestRequest req;
    req.path = std::string(kPrefix) + std::string(endpoint);
    req.query = std::move(query);
    req.cookie = std::move(cookie);
    return send(req);
  }

  Response post(std::string_view endpoint, std::string body, std::string authorization = "",
                std::int64_t now = kNow, std::string cookie = "") {
    TestRequest req;
    req.method = "POST";
    req.path = std::string(kPrefix) + std::string(endpoint);
    req.body = std::move(body);
    req.content_type = "application/x-www-form-urlencoded";
    req.authorization = std::move(authorization);
    req.cookie = std::move(cookie);
    return send(req, now);
  }

  // The authorization request's parameters for "app" (or `client`), S256 PKCE.
  static std::string authorize_params(
      std::string_view client = "app", std::string_view redirect = kRedirect,
      std::string_view scope = "openid profile email offline_access") {
    return form({{"client_id", client},
                 {"redirect_uri", redirect},
                 {"response_type", "code"},
                 {"scope", scope},
                 {"state", "st-1"},
                 {"nonce", "n-1"},
                 {"code_challenge", kChallenge},
                 {"code_challenge_method", "S256"}});
  }

  // Posts the login form; the response (302 with a code on success).
  Response login(std::string_view username, std::string_view password,
                 std::string params = authorize_params(), std::int64_t now = kNow) {
    params += "&" + form({{"username", username}, {"password", password}});
    return post("/v1/login", std::move(params), "", now);
  }

  // A code for alice at "app".
  std::string code_for(std::string_view user = "alice", std::string_view password = "",
                       std::int64_t now = kNow) {
    Response res = login(user, password.empty() ? user : password, authorize_params(), now);
    EXPECT_EQ(res.status, 302u) << res.body;
    return location_param(res, "code");
  }

  Response exchange(std::string_view code, std::string_view verifier = kVerifier,
                    std::string_view redirect = kRedirect, std::int64_t now = kNow) {
    return post("/v1/token",
                form({{"grant_type", "authorization_code"},
                      {"code", code},
                      {"redirect_uri", redirect},
                      {"code_verifier", verifier}}),
                basic("app", "app-secret"), now);
  }

  Provider& provider() { return provider_; }

 private:
  Provider provider_;
  unsigned counter_ = 0;
};

// The payload of a compact JWT, parsed (no verification).
inline boost::json::object jwt_payload(std::string_view token) {
  const std::size_t first = token.find('.');
  const std::size_t second = token.find('.', first + 1);
  std::string payload;
  if (first == std::string_view::npos || second == std::string_view::npos ||
      !jose::base64url_decode(token.substr(first + 1, second - first - 1), payload)) {
    return {};
  }
  boost::system::error_code ec;
  boost::json::value v = boost::json::parse(payload, ec);
  return ec || !v.is_object() ? boost::json::object{} : v.as_object();
}

}  // namespace gatehouse::idp::testing
