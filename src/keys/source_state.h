// The life of one key source without the I/O: when its next fetch is due, how requests for
// an early fetch are rate-limited, and what an ended fetch changes (counts, last good keys,
// schedule) and whether subscribers must hear of it. Pure; the fetcher feeds it the clock.
#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <string>

#include "jose/jwks.h"
#include "keys/jwks_fetcher.h"

namespace gatehouse::keys {

using Clock = std::chrono::steady_clock;

// What one fetch of a source gave.
struct Outcome {
  FetchResult result = FetchResult::Ok;
  std::string error = {};                       // not Ok
  std::string jwks_uri = {};                    // the URL keys were fetched from, when known
  std::shared_ptr<const jose::Jwks> jwks = {};  // Ok only
};

// True when both sets hold the same keys in the same order (kid, alg, type and key
// material): a refetch of an unchanged document must not void the verification caches.
bool same_keys(const jose::Jwks& a, const jose::Jwks& b);

// A process-wide counter, so a generation never repeats, even across sources.
uint64_t next_generation();

class SourceState {
 public:
  // Due at once.
  SourceState(Source source, Clock::time_point now);

  const Source& source() const { return source_; }
  // Same id, new details (a new timeout): the keys and the schedule stay.
  void set_source(Source source) { source_ = std::move(source); }
  const SourceStatus& status() const { return status_; }

  Clock::time_point due() const { return due_; }
  void start(Clock::time_point now);
  // Records the outcome, keeping the last good keys on failure, and schedules the next
  // fetch. Returns the key set to publish: the first one, or one that differs from the last.
  std::optional<authn::KeySet> finish(const Settings& settings, Outcome outcome,
                                      Clock::time_point now,
                                      std::chrono::system_clock::time_point wall_now);
  // Brings the next fetch forward to now, or to the end of min_refetch_interval after the
  // last start. False when that changes nothing (a fetch in flight, or one due earlier
  // already), so a thousand requests wake the fetcher once.
  bool request_refetch(const Settings& settings, Clock::time_point now);

 private:
  Source source_;
  SourceStatus status_;
  Clock::time_point due_;
  std::optional<Clock::time_point> last_start_;
};

}  // namespace gatehouse::keys
