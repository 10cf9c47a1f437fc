// Shared helpers for the authn tests: signed tokens, key tables, rules and requests in one
// readable line each. Keys are generated once per test binary.
#pragma once

#include <gtest/gtest.h>

#include <cstdint>
#include <cstdlib>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "authn/authn.h"
#include "jose/sign.h"

namespace gatehouse::authn {

inline void PrintTo(jose::Status status, std::ostream* out) { *out << jose::status_name(status); }

inline constexpr std::int64_t kNow = 1'700'000'000;
inline constexpr std::string_view kIssuer = "https://idp.example";
inline constexpr std::string_view kJwksUri = "https://idp.example/keys";

// A key for `alg` with kid "<alg>-<n>", made on first use.
inline const jose::PrivateKey& test_key(jose::Alg alg = jose::Alg::ES256, int n = 1) {
  static std::map<std::pair<jose::Alg, int>, jose::PrivateKey> keys;
  auto found = keys.find({alg, n});
  if (found == keys.end()) {
    const std::string kid = std::string(jose::alg_name(alg)) + "-" + std::to_string(n);
    jose::Result<jose::PrivateKey> key = jose::PrivateKey::generate(alg, kid);
    if (!key.ok()) std::abort();
    found = keys.emplace(std::pair(alg, n), std::move(key).value()).first;
  }
  return found->second;
}

// A compact token over `payload_json`, signed with `key` under its own kid (or `kid`).
inline std::string sign(std::string_view payload_json, const jose::PrivateKey& key = test_key(),
                        std::string_view kid = {}) {
  const jose::Alg alg = key.alg().value_or(jose::Alg::ES256);
  const std::string header = R"({"alg":")" + std::string(jose::alg_name(alg)) + R"(","kid":")" +
                             std::string(kid.empty() ? key.kid() : kid) + "\"}";
  jose::Result<std::string> token = jose::sign_compact(header, payload_json, key, alg);
  EXPECT_TRUE(token.ok()) << jose::status_name(token.status());
  return token.ok() ? token.value() : std::string();
}

// A payload: the usual iss/sub/aud and exp an hour after kNow; an empty string or nullopt
// leaves the member out, `aud` is JSON, `extra` ("\"a\":1,...") goes first.
struct Claims {
  std::string iss = std::string(kIssuer);
  std::string sub = "alice";
  std::string aud = R"("httpbin")";
  std::optional<std::int64_t> exp = kNow + 3600;
  std::optional<std::int64_t> nbf = std::nullopt;
  std::string extra = {};

  std::string json() const {
    std::string out = "{" + extra;
    const auto member = [&](std::string_view name, const std::string& value_json) {
      if (out.size() > 1) out += ',';
      out += '"' + std::string(name) + "\":" + value_json;
    };
    if (!iss.empty()) member("iss", '"' + iss + '"');
    if (!sub.empty()) member("sub", '"' + sub + '"');
    if (!aud.empty()) member("aud", aud);
    if (exp) member("exp", std::to_string(*exp));
    if (nbf) member("nbf", std::to_string(*nbf));
    return out + "}";
  }
};

// A valid token for kIssuer.
inline std::string good_token(const Claims& payload = {}) { return sign(payload.json()); }

// A rule for `issuer` whose keys come from `jwks_uri`.
inline config::JwtRule jwt_rule(std::string_view issuer = kIssuer,
                                std::string_view jwks_uri = kJwksUri) {
  config::JwtRule rule;
  rule.issuer = issuer;
  rule.jwks_uri = jwks_uri;
  return rule;
}

inline std::shared_ptr<const Requirement> requirement(std::vector<config::JwtRule> rules) {
  config::RequestAuthentication policy;
  policy.metadata.namespace_ = "default";
  policy.jwt_rules = std::move(rules);
  return PolicySet::compile({policy}, "istio-system").for_workload("default", {});
}

// The public key set of `keys`, at `generation`.
inline KeySet key_set(std::initializer_list<const jose::PrivateKey*> keys,
                      std::uint64_t generation = 1) {
  std::string json = R"({"keys":[)";
  for (const jose::PrivateKey* key : keys) {
    if (json.back() != '[') json += ',';
    json += key->public_jwk();
  }
  jose::Result<jose::Jwks> jwks = jose::Jwks::parse(json + "]}");
  EXPECT_TRUE(jwks.ok()) << jose::status_name(jwks.status());
  if (!jwks.ok()) return {};
  return {std::make_shared<const jose::Jwks>(std::move(jwks).value()), generation, {}};
}

// kJwksUri's key set holding test_key().
inline KeyTable default_keys() { return {{key_source_id(jwt_rule()), key_set({&test_key()})}}; }

// A request and its header list; view() is what authenticate takes.
struct TestRequest {
  std::string method = "GET";
  std::string scheme = "https";
  std::string authority = "api.example.com";
  std::string path = "/headers";
  std::string query;
  http1::Fields headers;

  TestRequest& header(std::string_view name, std::string_view value) {
    headers.add(name, value);
    return *this;
  }
  TestRequest& bearer(std::string_view token) {
    return header("Authorization", "Bearer " + std::string(token));
  }
  Request view() { return {method, scheme, authority, path, query, headers}; }

  // Every value of `name`, in order.
  std::vector<std::string> values(std::string_view name) const {
    std::vector<std::string> out;
    for (const http1::Field& field : headers.all())
      if (iequals(field.name, name)) out.emplace_back(field.value);
    return out;
  }
};

// authenticate() with a fresh cache unless one is given.
inline Outcome run(const Requirement& requirement, TestRequest& request,
                   const KeyTable& keys = default_keys(), std::int64_t now = kNow,
                   TokenCache* cache = nullptr) {
  TokenCache fresh;
  Request view = request.view();
  return authenticate(requirement, view, keys, cache != nullptr ? *cache : fresh, now);
}

// The status of a Rejected outcome; Ok (and a test failure) for any other kind.
inline jose::Status rejection(const Outcome& outcome) {
  EXPECT_EQ(outcome.kind, Outcome::Kind::Rejected);
  return outcome.kind == Outcome::Kind::Rejected ? outcome.status : jose::Status::Ok;
}

}  // namespace gatehouse::authn
