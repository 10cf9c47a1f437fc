// `gatehouse idp`: the built-in development OpenID Provider. Reads the IdentityProvider
// resource, its secret and key files, makes the keys it is asked to generate, and serves.
#include <openssl/rand.h>

#include <filesystem>
#include <iostream>

#include "app/commands.h"
#include "app/config_files.h"
#include "app/started_server.h"
#include "gateway/idp_service.h"
#include "gateway/load_support.h"
#include "jose/base64url.h"

namespace gatehouse::app {
namespace {

void say(const std::string& line) { std::cerr << "gatehouse idp: " << line << std::endl; }

using gateway::path_from;
using gateway::read_small_file;

// Puts the secrets named by file or variable into client_secret; false after reporting.
bool resolve_client_secrets(config::IdentityProvider& config) {
  bool ok = true;
  for (config::IdpClient& client : config.clients) {
    if (client.client_secret_env.empty() && client.client_secret_file.empty()) continue;
    gateway::ClientSecret read = gateway::read_client_secret(
        config.where.file, client.client_secret_file, client.client_secret_env);
    if (!read.problem.empty()) {
      say("client " + client.client_id + ": " + read.problem);
      ok = false;
      continue;
    }
    client.client_secret = std::move(read.secret);
  }
  return ok;
}

std::string random_kid() {
  unsigned char bytes[9];
  if (RAND_bytes(bytes, sizeof bytes) != 1) return "gatehouse-idp";
  return jose::base64url_encode(std::string_view(reinterpret_cast<char*>(bytes), sizeof bytes));
}

// The signing keys in order (the first signs); nullopt after reporting.
std::optional<std::vector<jose::PrivateKey>> load_keys(const config::IdentityProvider& config) {
  std::vector<config::IdpSigningKey> wanted = config.signing_keys;
  if (wanted.empty()) wanted.push_back({});
  std::vector<jose::PrivateKey> keys;
  for (const config::IdpSigningKey& key : wanted) {
    if (key.file.empty()) {
      auto generated = jose::PrivateKey::generate(jose::Alg::RS256, random_kid());
      if (!generated.ok()) {
        say("cannot generate an RSA key");
        return std::nullopt;
      }
      keys.push_back(std::move(generated).value());
      continue;
    }
    const std::string path = path_from(config.where.file, key.file);
    auto text = read_small_file(path);
    if (!text) {
      say("signing key file " + path + " cannot be read");
      return std::nullopt;
    }
    auto parsed = jose::PrivateKey::from_jwk(*text);
    if (!parsed.ok()) {
      say("signing key file " + path + ": " + std::string(jose::status_message(parsed.status())));
      return std::nullopt;
    }
    keys.push_back(std::move(parsed).value());
  }
  return keys;
}

}  // namespace

StartOutcome start_idp(const IdpOptions& options) {
  StartOutcome outcome;
  outcome.exit_code = 1;
  ConfigFiles files = read_config_files(options.config_paths);
  for (const auto& error : files.errors) say(error);
  if (!files.errors.empty()) return outcome;
  config::LoadResult loaded = config::load(files.files);
  for (const auto& error : loaded.errors) say(error.to_string());
  if (!loaded.ok()) return outcome;
  if (loaded.identity_providers.size() != 1) {
    say("the config must hold exactly one IdentityProvider, found " +
        std::to_string(loaded.identity_providers.size()));
    return outcome;
  }
  config::IdentityProvider config = std::move(loaded.identity_providers.front());
  if (!resolve_client_secrets(config)) return outcome;
  auto keys = load_keys(config);
  if (!keys) return outcome;
  unsigned char seed[32];
  if (RAND_bytes(seed, sizeof seed) != 1) {
    say("no randomness available");
    return outcome;
  }
  auto provider = idp::Provider::create(config, std::move(*keys), seed);
  if (!provider.ok()) {
    say(config.where.file + ":" + std::to_string(config.where.line) + ": " +
        provider.error().message);
    return outcome;
  }
  const std::string listen = options.listen.empty() ? config.listen : options.listen;
  auto address = parse_listen_address(listen);
  if (!address) {
    say("--listen wants ADDR:PORT, got \"" + listen + "\"");
    outcome.exit_code = 2;
    return outcome;
  }
  auto shared = std::make_shared<gateway::SharedProvider>(std::move(provider).value());
  auto server = std::make_unique<proxy::Server>(
      1, proxy::ConnectionSettings{},
      [shared](proxy::Worker&) { return std::make_unique<gateway::IdpService>(shared); });
  if (auto errors = server->listen({{*address, nullptr}}); !errors.empty()) {
    for (const auto& e : errors) say("cannot listen on " + e);
    return outcome;
  }
  server->start();
  say("issuer " + config.issuer + ", listening on " + listen +
      " (for development and tests, not for production)");
  outcome.server.emplace(std::move(server));
  outcome.exit_code = 0;
  outcome.issuer = config.issuer;
  outcome.listen = listen;
  return outcome;
}

int serve_idp(const IdpOptions& options) {
  StartOutcome started = start_idp(options);
  if (!started.server) return started.exit_code;
  wait_for_signals();
  started.server->stop(std::chrono::seconds(5));
  return 0;
}

int hash_password_command() {
  std::string password;
  if (!std::getline(std::cin, password) || password.empty()) {
    std::cerr << "gatehouse idp hash-password: reads the password from the first line of stdin\n";
    return 2;
  }
  unsigned char salt[16];
  if (RAND_bytes(salt, sizeof salt) != 1) return 1;
  std::cout << idp::hash_password(password, salt, 100'000) << "\n";
  return 0;
}

}  // namespace gatehouse::app
