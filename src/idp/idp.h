// gatehouse's built-in development OpenID Provider (`gatehouse idp`), Okta's URL layout under
// one issuer, as a pure function: handle(request, now, entropy) -> response. No I/O: the
// network layer reads bodies, files and random bytes and passes them in. For development and
// tests only. Thread-safety: handle() changes the provider's stores (codes, login sessions,
// refresh tokens, failed logins); callers serialize calls on one Provider.
//
// Usage:
//   auto provider = idp::Provider::create(config, std::move(keys), seed);
//   if (!provider.ok()) return fail(provider.error());
//   idp::Response res = provider->handle(request, now_seconds, entropy_from_rand_bytes);
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "config/identity_provider.h"
#include "jose/result.h"
#include "jose/sign.h"

namespace gatehouse::idp {

// Request bodies (token, login and logout forms) larger than this are refused with 413.
inline constexpr std::size_t kMaxBodyBytes = 64 * 1024;

// One HTTP request, as views into the network layer's buffers.
struct Request {
  std::string_view method;
  std::string_view path;   // without the query
  std::string_view query;  // after '?', without it
  std::string_view body;
  std::string_view content_type;
  std::string_view authorization;               // the Authorization header, empty when none
  std::vector<std::string_view> cookie_fields;  // every Cookie header, in order
};

struct Response {
  unsigned status = 200;
  std::vector<std::pair<std::string, std::string>> headers;  // Content-Type included
  std::string body;
};

// Fresh random bytes for one call (RAND_bytes in the network layer): enough for every secret a
// request may mint (a login session and a code; or a refresh token and token ids).
struct Entropy {
  std::array<unsigned char, 128> bytes{};
};

// Why the configuration could not be turned into a provider ("user alice: ...").
struct CreateError {
  std::string message;
};

struct State;

class Provider {
 public:
  // Compiles `config`: hashes plain passwords (salts derived from `salt_seed`, which must be
  // random), compiles the groups claim filters, publishes every key of `signing_keys` in the
  // JWKS and signs with the first (RS256 keys only, each with a distinct kid). Client secrets
  // named by file or variable must already be in client_secret. Fails on a bad password hash,
  // a bad filter, no key or an unusable key.
  static jose::Result<Provider, CreateError> create(const config::IdentityProvider& config,
                                                    std::vector<jose::PrivateKey> signing_keys,
                                                    std::span<const unsigned char> salt_seed);

  Provider(Provider&&) noexcept;
  Provider& operator=(Provider&&) noexcept;
  ~Provider();

  // Answers one request; never throws for any input. `now` is seconds since the epoch.
  Response handle(const Request& request, std::int64_t now, const Entropy& entropy);

  const std::string& issuer() const;
  // The issuer URL's path ("/oauth2/default"); every endpoint lies below it.
  const std::string& path_prefix() const;

 private:
  explicit Provider(std::unique_ptr<State> state);
  std::unique_ptr<State> state_;
};

// "pbkdf2-sha256$<iterations>$<salt>$<hash>" for `password`, for users' passwordHash fields.
// REQUIRES: salt of at least 16 bytes, 1 <= iterations <= 10'000'000.
std::string hash_password(std::string_view password, std::span<const unsigned char> salt,
                          std::uint32_t iterations);

}  // namespace gatehouse::idp
