#include "telemetry/worker_metrics.h"

#include <algorithm>

namespace gatehouse::telemetry {
namespace {

// The single-writer increment: plain load and store, no locked instruction. Correct only
// because the owning worker is the one thread that writes the counter.
template <typename T>
void add(std::atomic<T>& counter, T delta) {
  counter.store(counter.load(std::memory_order_relaxed) + delta, std::memory_order_relaxed);
}

}  // namespace

CodeClass code_class_of(uint32_t status) {
  switch (status / 100) {
    case 1:
      return CodeClass::Informational;
    case 2:
      return CodeClass::Success;
    case 3:
      return CodeClass::Redirection;
    case 4:
      return CodeClass::ClientError;
    case 5:
      return CodeClass::ServerError;
  }
  return CodeClass::Other;
}

std::string_view label(CodeClass code_class) {
  switch (code_class) {
    case CodeClass::Informational:
      return "1xx";
    case CodeClass::Success:
      return "2xx";
    case CodeClass::Redirection:
      return "3xx";
    case CodeClass::ClientError:
      return "4xx";
    case CodeClass::ServerError:
      return "5xx";
    case CodeClass::Other:
      return "other";
  }
  return "other";
}

std::size_t duration_bucket_of(std::chrono::nanoseconds duration) {
  const auto nanos = static_cast<uint64_t>(std::max<int64_t>(0, duration.count()));
  const auto it = std::lower_bound(
      kDurationBuckets.begin(), kDurationBuckets.end(), nanos,
      [](const DurationBucket& bucket, uint64_t value) { return bucket.upper_nanos < value; });
  return static_cast<std::size_t>(it - kDurationBuckets.begin());
}

void WorkerMetrics::record_request(SeriesId series, uint32_t status,
                                   std::chrono::nanoseconds duration) {
  add(requests_[series][static_cast<std::size_t>(code_class_of(status))], uint64_t{1});
  add(duration_buckets_[duration_bucket_of(duration)], uint64_t{1});
  add(duration_sum_nanos_, static_cast<uint64_t>(std::max<int64_t>(0, duration.count())));
}

void WorkerMetrics::record_upstream_connect(ConnectOutcome outcome) {
  add(upstream_connections_, uint64_t{1});
  switch (outcome) {
    case ConnectOutcome::Connected:
      break;
    case ConnectOutcome::Failed:
      add(upstream_connection_failures_, uint64_t{1});
      break;
  }
}

void WorkerMetrics::upstream_request_started() { add(upstream_requests_active_, int64_t{1}); }

void WorkerMetrics::upstream_request_finished() { add(upstream_requests_active_, int64_t{-1}); }

void WorkerMetrics::record_jwt_result(std::size_t result) {
  if (result < kJwtResults) add(jwt_results_[result], uint64_t{1});
}

void WorkerMetrics::record_token_cache(bool hit) { add(token_cache_[hit ? 1 : 0], uint64_t{1}); }

void WorkerMetrics::count(CounterId id) {
  if (std::atomic<uint64_t>* counter = counters_.find(id)) add(*counter, uint64_t{1});
}

uint64_t WorkerMetrics::jwt_results(std::size_t result) const {
  return result < kJwtResults ? jwt_results_[result].load(std::memory_order_relaxed) : 0;
}

uint64_t WorkerMetrics::token_cache(bool hit) const {
  return token_cache_[hit ? 1 : 0].load(std::memory_order_relaxed);
}

uint64_t WorkerMetrics::counter(CounterId id) const {
  const std::atomic<uint64_t>* counter = counters_.find(id);
  return counter == nullptr ? 0 : counter->load(std::memory_order_relaxed);
}

uint64_t WorkerMetrics::requests(SeriesId series, CodeClass code_class) const {
  const RequestCounts* counts = requests_.find(series);
  return counts == nullptr
             ? 0
             : (*counts)[static_cast<std::size_t>(code_class)].load(std::memory_order_relaxed);
}

uint64_t WorkerMetrics::duration_bucket(std::size_t index) const {
  return duration_buckets_[index].load(std::memory_order_relaxed);
}

uint64_t WorkerMetrics::duration_sum_nanos() const {
  return duration_sum_nanos_.load(std::memory_order_relaxed);
}

uint64_t WorkerMetrics::upstream_connections() const {
  return upstream_connections_.load(std::memory_order_relaxed);
}

uint64_t WorkerMetrics::upstream_connection_failures() const {
  return upstream_connection_failures_.load(std::memory_order_relaxed);
}

int64_t WorkerMetrics::upstream_requests_active() const {
  return upstream_requests_active_.load(std::memory_order_relaxed);
}

void WorkerMetrics::reserve_series(std::size_t count) { requests_.reserve(count); }

void WorkerMetrics::reserve_counters(std::size_t count) { counters_.reserve(count); }

}  // namespace gatehouse::telemetry
