// Request-path metrics of one worker thread. Only the owning worker writes them, so an
// update is a relaxed load and store on a cache line no other thread writes: no lock, no
// read-modify-write, no contention. The admin thread reads the same relaxed atomics while
// they change; each value it sees is one the worker wrote, which is all a scrape needs.
// Thread-safety: record_*/upstream_* from the owning worker only; readers from any thread.
#pragma once

#include <array>
#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string_view>

#include "telemetry/grow_only_array.h"

namespace gatehouse::telemetry {

// Dense id of a (listener, route) label set, handed out by MetricsRegistry::register_routes.
using SeriesId = uint32_t;
// Dense id of a (family, label set) counter, handed out by MetricsRegistry::register_counters.
using CounterId = uint32_t;

enum class CodeClass : uint8_t {
  Informational,
  Success,
  Redirection,
  ClientError,
  ServerError,
  Other
};
inline constexpr std::size_t kCodeClassCount = 6;

// 1xx..5xx; Other for anything outside 100-599 (0 = no response sent).
CodeClass code_class_of(uint32_t status);
// The Prometheus label value: "1xx" ... "5xx", "other".
std::string_view label(CodeClass code_class);

struct DurationBucket {
  uint64_t upper_nanos;  // inclusive, as Prometheus `le`
  std::string_view le;
};
// Fixed request-duration buckets, 0.5 ms to 10 s; a +Inf bucket follows implicitly.
inline constexpr std::array<DurationBucket, 14> kDurationBuckets = {{
    {500'000, "0.0005"},
    {1'000'000, "0.001"},
    {2'500'000, "0.0025"},
    {5'000'000, "0.005"},
    {10'000'000, "0.01"},
    {25'000'000, "0.025"},
    {50'000'000, "0.05"},
    {100'000'000, "0.1"},
    {250'000'000, "0.25"},
    {500'000'000, "0.5"},
    {1'000'000'000, "1"},
    {2'500'000'000, "2.5"},
    {5'000'000'000, "5"},
    {10'000'000'000, "10"},
}};
// Index of the bucket an observation falls in; kDurationBuckets.size() is +Inf.
std::size_t duration_bucket_of(std::chrono::nanoseconds duration);

enum class ConnectOutcome { Connected, Failed };

class alignas(64) WorkerMetrics {
 public:
  // Series and counter ids index grow-only chunked arrays (see GrowOnlyArray).
  static constexpr std::size_t kSeriesPerChunk = 64;
  static constexpr std::size_t kMaxSeries = 65536;
  static constexpr std::size_t kCountersPerChunk = 256;
  static constexpr std::size_t kMaxCounters = 65536;

  WorkerMetrics() = default;
  WorkerMetrics(const WorkerMetrics&) = delete;
  WorkerMetrics& operator=(const WorkerMetrics&) = delete;

  // REQUIRES: `series` came from the registry that owns this worker.
  void record_request(SeriesId series, uint32_t status, std::chrono::nanoseconds duration);
  // Every attempt counts as a connection; failed ones also count as failures.
  void record_upstream_connect(ConnectOutcome outcome);
  void upstream_request_started();
  void upstream_request_finished();
  // JWT verifications by outcome: `result` is a dense index the registry names at render
  // time (the authentication module's status codes). Indexes past kJwtResults are dropped.
  static constexpr std::size_t kJwtResults = 64;
  void record_jwt_result(std::size_t result);
  void record_token_cache(bool hit);
  // +1 on a labelled counter. An id this worker has no room for (not reserved yet, or
  // >= kMaxCounters) is dropped.
  void count(CounterId id);

  // Readers, from any thread. requests() is 0 for a series this worker has no room for yet.
  uint64_t requests(SeriesId series, CodeClass code_class) const;
  uint64_t duration_bucket(std::size_t index) const;  // not cumulative; index <= 14
  uint64_t duration_sum_nanos() const;
  uint64_t upstream_connections() const;
  uint64_t upstream_connection_failures() const;
  int64_t upstream_requests_active() const;
  uint64_t jwt_results(std::size_t result) const;
  uint64_t token_cache(bool hit) const;
  uint64_t counter(CounterId id) const;  // 0 for an id this worker has no room for

  // Makes room for series ids below `count`. Called by the registry (never by the
  // worker) before those ids are published in a config snapshot.
  // REQUIRES: count <= kMaxSeries.
  void reserve_series(std::size_t count);
  // The same for counter ids; ids >= kMaxCounters never get room.
  void reserve_counters(std::size_t count);

 private:
  using RequestCounts = std::array<std::atomic<uint64_t>, kCodeClassCount>;  // by CodeClass

  GrowOnlyArray<RequestCounts, kSeriesPerChunk, kMaxSeries> requests_;  // by SeriesId
  std::array<std::atomic<uint64_t>, kDurationBuckets.size() + 1> duration_buckets_{};
  std::atomic<uint64_t> duration_sum_nanos_{0};
  std::atomic<uint64_t> upstream_connections_{0};
  std::atomic<uint64_t> upstream_connection_failures_{0};
  std::atomic<int64_t> upstream_requests_active_{0};
  std::array<std::atomic<uint64_t>, kJwtResults> jwt_results_{};
  std::array<std::atomic<uint64_t>, 2> token_cache_{};                              // [miss, hit]
  GrowOnlyArray<std::atomic<uint64_t>, kCountersPerChunk, kMaxCounters> counters_;  // by CounterId
};

}  // namespace gatehouse::telemetry
