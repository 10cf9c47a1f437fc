#include "telemetry/worker_metrics.h"

#include <gtest/gtest.h>

#include <set>

namespace gatehouse::telemetry {
namespace {

using namespace std::chrono_literals;

TEST(CodeClass, ClassifiesByHundreds) {
  EXPECT_EQ(code_class_of(100), CodeClass::Informational);
  EXPECT_EQ(code_class_of(199), CodeClass::Informational);
  EXPECT_EQ(code_class_of(200), CodeClass::Success);
  EXPECT_EQ(code_class_of(301), CodeClass::Redirection);
  EXPECT_EQ(code_class_of(404), CodeClass::ClientError);
  EXPECT_EQ(code_class_of(561), CodeClass::ServerError);
  EXPECT_EQ(code_class_of(599), CodeClass::ServerError);
}

TEST(CodeClass, OutOfRangeStatusIsOther) {
  for (uint32_t status : {0u, 1u, 99u, 600u, 999u, 4294967295u})
    EXPECT_EQ(code_class_of(status), CodeClass::Other) << status;
}

TEST(CodeClass, LabelsAreDistinct) {
  std::set<std::string_view> labels;
  for (std::size_t i = 0; i < kCodeClassCount; ++i)
    EXPECT_TRUE(labels.insert(label(static_cast<CodeClass>(i))).second);
  EXPECT_EQ(label(CodeClass::Success), "2xx");
  EXPECT_EQ(label(CodeClass::Other), "other");
}

TEST(DurationBucket, UpperBoundIsInclusive) {
  EXPECT_EQ(duration_bucket_of(0ns), 0u);
  EXPECT_EQ(duration_bucket_of(500us), 0u);        // le="0.0005"
  EXPECT_EQ(duration_bucket_of(500us + 1ns), 1u);  // le="0.001"
  EXPECT_EQ(duration_bucket_of(1ms), 1u);
  EXPECT_EQ(duration_bucket_of(1s), 10u);         // le="1"
  EXPECT_EQ(duration_bucket_of(10s), 13u);        // le="10"
  EXPECT_EQ(duration_bucket_of(10s + 1ns), 14u);  // +Inf
  EXPECT_EQ(duration_bucket_of(std::chrono::hours(24)), 14u);
  EXPECT_EQ(duration_bucket_of(-1s), 0u);  // clock went backwards
}

TEST(DurationBucket, BoundsAscendAndMatchTheirLabels) {
  for (std::size_t i = 0; i < kDurationBuckets.size(); ++i) {
    EXPECT_DOUBLE_EQ(std::stod(std::string(kDurationBuckets[i].le)),
                     static_cast<double>(kDurationBuckets[i].upper_nanos) / 1e9);
    if (i > 0) {
      EXPECT_LT(kDurationBuckets[i - 1].upper_nanos, kDurationBuckets[i].upper_nanos);
    }
  }
}

TEST(WorkerMetrics, CountsRequestsBySeriesAndClass) {
  WorkerMetrics metrics;
  metrics.reserve_series(130);  // three chunks
  metrics.record_request(0, 200, 1ms);
  metrics.record_request(0, 204, 1ms);
  metrics.record_request(129, 503, 2s);
  EXPECT_EQ(metrics.requests(0, CodeClass::Success), 2u);
  EXPECT_EQ(metrics.requests(0, CodeClass::ServerError), 0u);
  EXPECT_EQ(metrics.requests(129, CodeClass::ServerError), 1u);
  EXPECT_EQ(metrics.duration_bucket(1), 2u);
  EXPECT_EQ(metrics.duration_bucket(11), 1u);  // le="2.5"
  EXPECT_EQ(metrics.duration_sum_nanos(), 2'002'000'000u);
}

TEST(WorkerMetrics, UnreservedSeriesReadsAsZero) {
  WorkerMetrics metrics;
  EXPECT_EQ(metrics.requests(5, CodeClass::Success), 0u);
  EXPECT_EQ(metrics.requests(WorkerMetrics::kMaxSeries + 1, CodeClass::Success), 0u);
}

TEST(WorkerMetrics, UpstreamConnectionsAndActiveGauge) {
  WorkerMetrics metrics;
  metrics.record_upstream_connect(ConnectOutcome::Connected);
  metrics.record_upstream_connect(ConnectOutcome::Failed);
  metrics.record_upstream_connect(ConnectOutcome::Failed);
  EXPECT_EQ(metrics.upstream_connections(), 3u);
  EXPECT_EQ(metrics.upstream_connection_failures(), 2u);
  metrics.upstream_request_started();
  metrics.upstream_request_started();
  metrics.upstream_request_finished();
  EXPECT_EQ(metrics.upstream_requests_active(), 1);
}

TEST(WorkerMetrics, CountsReservedCounters) {
  WorkerMetrics metrics;
  metrics.reserve_counters(WorkerMetrics::kCountersPerChunk + 1);  // two chunks
  metrics.count(0);
  metrics.count(0);
  metrics.count(WorkerMetrics::kCountersPerChunk);
  EXPECT_EQ(metrics.counter(0), 2u);
  EXPECT_EQ(metrics.counter(1), 0u);
  EXPECT_EQ(metrics.counter(WorkerMetrics::kCountersPerChunk), 1u);
}

TEST(WorkerMetrics, CountersPastTheReservationAreDropped) {
  WorkerMetrics metrics;
  metrics.count(0);  // nothing reserved yet
  EXPECT_EQ(metrics.counter(0), 0u);
  metrics.reserve_counters(1);
  const CounterId unreserved_chunk = WorkerMetrics::kCountersPerChunk;
  for (CounterId id :
       {unreserved_chunk, CounterId{WorkerMetrics::kMaxCounters}, CounterId{0xFFFF'FFFF}}) {
    metrics.count(id);
    EXPECT_EQ(metrics.counter(id), 0u) << id;
  }
  metrics.count(0);
  EXPECT_EQ(metrics.counter(0), 1u);
}

TEST(WorkerMetrics, ReservingPastTheMaximumStopsAtIt) {
  WorkerMetrics metrics;
  metrics.reserve_counters(WorkerMetrics::kMaxCounters + 1000);
  metrics.count(WorkerMetrics::kMaxCounters - 1);
  metrics.count(WorkerMetrics::kMaxCounters);
  EXPECT_EQ(metrics.counter(WorkerMetrics::kMaxCounters - 1), 1u);
  EXPECT_EQ(metrics.counter(WorkerMetrics::kMaxCounters), 0u);
}

TEST(WorkerMetrics, SeriesAndCountersAreSeparateIdSpaces) {
  WorkerMetrics metrics;
  metrics.reserve_series(1);
  metrics.reserve_counters(1);
  metrics.record_request(0, 200, 1ms);
  EXPECT_EQ(metrics.counter(0), 0u);
  metrics.count(0);
  EXPECT_EQ(metrics.requests(0, CodeClass::Success), 1u);
}

}  // namespace
}  // namespace gatehouse::telemetry
