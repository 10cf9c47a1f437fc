#include "keys/source_state.h"

#include <openssl/evp.h>

#include <algorithm>
#include <atomic>

namespace gatehouse::keys {
namespace {

bool same_key(const jose::Jwk& a, const jose::Jwk& b) {
  if (a.kid != b.kid || a.alg != b.alg || a.type != b.type || a.curve != b.curve ||
      a.secret != b.secret || !a.pkey != !b.pkey)
    return false;
  return !a.pkey || EVP_PKEY_eq(a.pkey.get(), b.pkey.get()) == 1;
}

}  // namespace

bool same_keys(const jose::Jwks& a, const jose::Jwks& b) {
  return std::ranges::equal(a.keys(), b.keys(), same_key);
}

uint64_t next_generation() {
  static std::atomic<uint64_t> last{0};
  return last.fetch_add(1, std::memory_order_relaxed) + 1;
}

SourceState::SourceState(Source source, Clock::time_point now)
    : source_(std::move(source)), due_(now) {
  status_.id = source_.id;
  status_.jwks_uri = source_.jwks_uri;
}

void SourceState::start(Clock::time_point now) {
  last_start_ = now;
  status_.fetching = true;
}

std::optional<authn::KeySet> SourceState::finish(const Settings& settings, Outcome outcome,
                                                 Clock::time_point now,
                                                 std::chrono::system_clock::time_point wall_now) {
  status_.fetching = false;
  status_.last_result = outcome.result;
  ++status_.fetches[static_cast<std::size_t>(outcome.result)];
  if (!outcome.jwks_uri.empty()) status_.jwks_uri = std::move(outcome.jwks_uri);
  if (outcome.result != FetchResult::Ok) {
    status_.last_error = std::move(outcome.error);
    due_ = now + settings.retry_after_failure;
    return std::nullopt;
  }
  status_.last_error.clear();
  due_ = now + settings.refresh;
  authn::KeySet& keys = status_.keys;
  if (keys.jwks && same_keys(*keys.jwks, *outcome.jwks)) {
    keys.fetched_at = wall_now;
    return std::nullopt;
  }
  keys = {.jwks = std::move(outcome.jwks), .generation = next_generation(), .fetched_at = wall_now};
  return keys;
}

bool SourceState::request_refetch(const Settings& settings, Clock::time_point now) {
  if (status_.fetching) return false;
  const Clock::time_point allowed =
      last_start_ ? std::max(now, *last_start_ + settings.min_refetch_interval) : now;
  if (allowed >= due_) return false;
  due_ = allowed;
  return true;
}

}  // namespace gatehouse::keys
