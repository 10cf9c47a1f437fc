// Fetches the JWK sets that request authentication verifies tokens with, from each rule's
// jwksUri or by OpenID discovery on its issuer, over HTTP or HTTPS, on a thread of its own.
// Keeps the last good key set through failures and tells subscribers only about changes.
#pragma once

#include <array>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "authn/key_table.h"

namespace gatehouse::keys {

// Where one key set comes from.
struct Source {
  std::string id = {};        // authn::key_source_id of the rule ("uri:...", "discovery:...")
  std::string jwks_uri = {};  // empty: OpenID discovery on `issuer`
  std::string issuer = {};
  std::chrono::milliseconds timeout{5000};  // per HTTP request: DNS, connect, TLS, response
};

struct Settings {
  std::chrono::seconds refresh{1200};  // istiod's PILOT_JWT_PUB_KEY_REFRESH_INTERVAL
  std::chrono::seconds retry_after_failure{60};
  std::chrono::seconds min_refetch_interval{10};  // request_refetch's rate limit per source
  std::string ca_file = {};                       // empty: the system's trusted roots
  std::size_t max_body = 1 << 20;                 // per document, enforced while reading
};

// How a fetch ended. A fetch of a discovery source counts once, whichever of its two
// requests failed.
enum class FetchResult {
  Ok,
  ConnectError,  // DNS, connect, or the connection failed before the response head
  TlsError,      // handshake or certificate verification (the message says which)
  Timeout,
  HttpStatus,    // a final status other than 200; redirects are not followed
  BadResponse,   // not well-formed HTTP/1.1, or cut short
  TooLarge,      // body over Settings::max_body
  BadJwks,       // not a JWKS, or no usable key in it
  BadDiscovery,  // the discovery document has no http(s) jwks_uri, or the issuer is no URL
  BadUrl,        // jwks_uri is not an http(s) URL
};
inline constexpr std::size_t kFetchResultCount = 10;

// "ok", "connect_error", ...: stable, for metrics labels and logs.
std::string_view result_name(FetchResult result);

// What the admin page and the metrics show for one source.
struct SourceStatus {
  std::string id;
  std::string jwks_uri;  // the URL keys were last fetched from (the discovered one, if any)
  std::optional<FetchResult> last_result;             // none before the first fetch ended
  std::string last_error;                             // empty after a success
  std::array<uint64_t, kFetchResultCount> fetches{};  // ended fetches, by FetchResult
  // The last good key set. keys.fetched_at: when a fetch last returned it (an unchanged
  // refresh moves it, unpublished), so now - fetched_at is how stale the keys may be.
  authn::KeySet keys;
  bool fetching = false;

  std::size_t key_count() const { return keys.jwks ? keys.jwks->keys().size() : 0; }
  uint64_t fetch_count(FetchResult result) const {
    return fetches[static_cast<std::size_t>(result)];
  }
};

// Called on the fetcher's thread when a source has a new key set: the first one, or one
// whose keys differ from the last. Must not throw, nor block for long: every source waits.
using Publish = std::function<void(const std::string& source_id, const authn::KeySet&)>;

class JwksFetcher {
 public:
  JwksFetcher(Settings settings, Publish publish);
  // Stops and joins the thread.
  ~JwksFetcher();
  JwksFetcher(const JwksFetcher&) = delete;
  JwksFetcher& operator=(const JwksFetcher&) = delete;

  // Starts the thread; sources set before start are fetched then.
  void start();
  // Stops the thread; fetches in flight are abandoned. start() resumes them. Neither may be
  // called from the Publish callback.
  void stop();

  // The sources wanted now: new ones are fetched at once, those that stay (same id, URL and
  // issuer) keep their keys and schedule, the others are forgotten. Thread-safe.
  void set_sources(std::vector<Source> sources);
  // Asks for a fetch of `id` sooner than its schedule (a token named an unknown key). At
  // most one fetch per min_refetch_interval: a request inside it is put off to its end, and
  // requests while one is pending or in flight join it. Thread-safe; cheap when refused.
  void request_refetch(const std::string& id);

  // Thread-safe copies, for the admin page, metrics, and workers that start later.
  std::vector<SourceStatus> snapshot() const;
  authn::KeyTable key_table() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// One GET: the body of a 200 response, or why there is none.
struct GetResult {
  FetchResult result = FetchResult::Ok;
  unsigned status = 0;     // the response's status, when one was read
  std::string body = {};   // Ok only
  std::string error = {};  // not Ok: a sentence for logs and the command line

  bool ok() const { return result == FetchResult::Ok; }
};

// Fetches `uri` once and blocks until done or `timeout` (for `gatehouse token verify
// --jwks URL`). The body is not parsed: the caller parses it as a JWKS. `ca_file` as in
// Settings.
GetResult fetch_jwks_once(const std::string& uri, std::chrono::milliseconds timeout,
                          const std::string& ca_file, std::size_t max_body = 1 << 20);

}  // namespace gatehouse::keys
