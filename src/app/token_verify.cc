// `gatehouse token verify`: runs a token through the same authentication code as the gateway
// (authn::authenticate), with key sets read from a file, fetched once from a URL, or taken
// from the RequestAuthentication rules of a configuration, and prints its verdict.
#include <fstream>
#include <iostream>
#include <sstream>

#include "app/commands.h"
#include "app/config_files.h"
#include "authn/authn.h"
#include "config/loader.h"
#include "keys/discovery.h"
#include "keys/jwks_fetcher.h"

namespace gatehouse::app {
namespace {

struct Usage {
  std::string error;
};

// The JWKS text a rule names: inline, from its jwksUri, or found by discovery on its issuer.
std::string jwks_text(const config::JwtRule& rule, const std::string& ca_file, std::string& error) {
  if (!rule.jwks.empty()) return rule.jwks;
  std::string uri = rule.jwks_uri;
  if (uri.empty()) {
    const auto doc = keys::fetch_jwks_once(keys::discovery_url(rule.issuer), rule.timeout, ca_file);
    if (!doc.ok()) {
      error = "discovery on " + rule.issuer + ": " + doc.error;
      return {};
    }
    const auto found = keys::jwks_uri_from_discovery(doc.body);
    if (found.jwks_uri.empty()) {
      error = "discovery on " + rule.issuer + ": " + found.error;
      return {};
    }
    uri = found.jwks_uri;
  }
  const auto got = keys::fetch_jwks_once(uri, rule.timeout, ca_file);
  if (!got.ok()) error = uri + ": " + got.error;
  return got.ok() ? got.body : std::string();
}

// The rules to check against: one built from the flags, or every rule of the configuration.
std::vector<config::JwtRule> rules_for(const TokenVerifyOptions& options, Usage& usage) {
  if (!options.jwks.empty()) {
    config::JwtRule rule;
    rule.issuer = options.issuer;
    rule.audiences = options.audiences;
    if (options.jwks.starts_with("http://") || options.jwks.starts_with("https://")) {
      rule.jwks_uri = options.jwks;
    } else {
      std::ifstream in(options.jwks);
      std::stringstream text;
      text << in.rdbuf();
      if (!in) usage.error = "cannot read " + options.jwks;
      rule.jwks = text.str();
    }
    return {rule};
  }
  ConfigFiles files = read_config_files(options.config_paths);
  for (const auto& e : files.errors) usage.error += e + "\n";
  config::LoadResult loaded = config::load(files.files);
  for (const auto& e : loaded.errors) usage.error += e.to_string() + "\n";
  std::vector<config::JwtRule> rules;
  for (const auto& ra : loaded.snapshot.request_authentications)
    for (const auto& rule : ra.jwt_rules)
      if (options.issuer.empty() || rule.issuer == options.issuer) rules.push_back(rule);
  if (usage.error.empty() && rules.empty())
    usage.error = "no RequestAuthentication rule in the configuration" +
                  (options.issuer.empty() ? "" : " for issuer " + options.issuer);
  return rules;
}

}  // namespace

int token_verify(const TokenVerifyOptions& options) {
  Usage usage;
  std::vector<config::JwtRule> rules = rules_for(options, usage);
  if (!usage.error.empty()) {
    std::cerr << usage.error << (usage.error.ends_with('\n') ? "" : "\n");
    return 2;
  }
  // The token is handed over as `Authorization: Bearer`, so every rule reads it from there.
  authn::Requirement requirement;
  authn::KeyTable keys;
  for (auto& rule : rules) {
    rule.from_headers = {{.name = "authorization", .prefix = "Bearer "}};
    rule.from_params.clear();
    rule.from_cookies.clear();
    if (!options.audiences.empty()) rule.audiences = options.audiences;
    requirement.providers.push_back(authn::make_provider(rule));
    const std::string source = authn::key_source_id(rule);
    if (keys.contains(source)) continue;
    std::string error;
    const std::string text = jwks_text(rule, options.ca_file, error);
    if (!error.empty()) {
      std::cerr << "keys: " << error << "\n";
      continue;  // the token then gets the gateway's answer for missing keys
    }
    auto parsed = jose::Jwks::parse(text, {.allow_oct_keys = !rule.jwks.empty()});
    if (!parsed.ok()) {
      std::cerr << "keys: " << jose::status_message(parsed.status()) << "\n";
      continue;
    }
    keys[source] = {std::make_shared<const jose::Jwks>(std::move(*parsed)), 1, {}};
  }

  http1::Fields fields;
  const std::string bearer = "Bearer " + options.token;
  fields.add_view("Authorization", bearer);
  authn::Request request{"GET", "https", "token-verify", "/", "", fields};
  authn::TokenCache cache;
  const int64_t now = std::chrono::duration_cast<std::chrono::seconds>(
                          std::chrono::system_clock::now().time_since_epoch())
                          .count();
  const authn::Outcome outcome = authn::authenticate(requirement, request, keys, cache, now);
  if (outcome.kind == authn::Outcome::Kind::Verified) {
    const auto& id = *outcome.identity;
    std::cout << "Ok: the token verifies\nissuer: " << id.issuer << "\nsubject: " << id.subject
              << "\nprincipal: " << id.principal << "\n";
    return 0;
  }
  if (outcome.kind != authn::Outcome::Kind::Rejected) {
    std::cout << "no token found\n";
    return 1;
  }
  std::cout << jose::status_name(outcome.status) << ": " << outcome.body()
            << " (the gateway answers " << outcome.http_status << ")\n";
  return 1;
}

}  // namespace gatehouse::app
