// The authenticate-oidc actions of a snapshot made ready to serve: per action, the session keys
// and client secret read when the config loads (a reload re-reads them), the back-channel URLs,
// the issuer's key source and the signer of x-amzn-oidc-data. Immutable once built; shared by
// every worker.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "config/resources.h"
#include "edge/listener_rules.h"
#include "http1/fields.h"
#include "jose/sign.h"
#include "keys/jwks_fetcher.h"
#include "keys/url.h"
#include "oidc/data_token.h"
#include "oidc/result.h"
#include "proxy/exchange.h"
#include "session/cookies.h"
#include "session/keys.h"
#include "session/shards.h"

namespace gatehouse::gateway {

struct EdgeLogin {
  // Unique in the process, never reused: what a worker's session cache files sessions under,
  // so a session opened with a login's keys never counts for another's (after a reload too).
  std::uint64_t id = 0;
  config::AuthenticateOidcConfig config;
  std::shared_ptr<const session::SessionKeys> keys;
  std::string client_secret;
  keys::Url token_endpoint;
  keys::Url user_info_endpoint;
  std::string key_source;  // the issuer's key set in the worker's KeyTable ("discovery:<issuer>")
  std::shared_ptr<const oidc::DataTokenSigner> signer;
  // The scheme of the redirect URI: "https", or "http" on a plain listener allowed for
  // development.
  std::string scheme;
  // The session's shards and the nonce cookie: what never goes upstream.
  std::array<std::string, session::kMaxShards + 1> gateway_cookies;
};

// The wall clock in Unix seconds, as sessions and tokens count time.
std::int64_t unix_now();

// Records a login failure in the access log: ALB's reason, and the precise code with its
// detail.
void note_login_error(proxy::Exchange& ex, const oidc::Error& error);

// Every cookie of the request, into `cookies`. A Cookie header past the session module's limits
// (a cookie over 4096 bytes, more than 256 cookies) leaves `cookies` empty and is returned
// (CookieHeaderTooLarge, CookieHeaderTooManyCookies): the session is then unusable, as a
// tampered one is, and the browser logs in again.
session::Status request_cookies(const http1::Fields& fields, std::vector<session::Cookie>& cookies);

// The key x-amzn-oidc-data is signed with: one P-256 key per process, made on first use and
// kept across reloads, so targets that cached its PEM keep verifying. Null if OpenSSL fails.
std::shared_ptr<const jose::PrivateKey> data_signing_key();

// Builds the login of each of `rules.logins()` of `listener`, reading the files and variables
// they name. Problems go to `errors` in the house format, and the result is then incomplete.
// New issuer key sources are added to `key_sources`.
std::vector<std::shared_ptr<const EdgeLogin>> build_edge_logins(
    const config::Listener& listener, const edge::ListenerRules& rules,
    std::vector<keys::Source>& key_sources, std::vector<std::string>& errors);

}  // namespace gatehouse::gateway
