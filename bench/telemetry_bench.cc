// The per-request telemetry cost: one access-log line formatted into a reused buffer,
// one request recorded in a worker's counters and histogram, one labelled counter counted.
#include <benchmark/benchmark.h>

#include <string>

#include "telemetry/access_log.h"
#include "telemetry/metrics_registry.h"

namespace gatehouse::telemetry {
namespace {

using namespace std::chrono_literals;

void BM_AccessLogLine(benchmark::State& state) {
  const AccessLogEntry entry{
      .time = std::chrono::system_clock::now(),
      .request_id = "5d9c6ab5-1111-4c2d-9d07-000000000001",
      .peer = "203.0.113.7:51234",
      .method = "GET",
      .authority = "app.example.com",
      .path = "/headers?show_env=1",
      .protocol = "HTTP/1.1",
      .status = 200,
      .bytes_received = 0,
      .bytes_sent = 512,
      .duration = 1234us,
      .route = "httpbin",
      .upstream_host = "10.0.0.5:8080",
      .response_flags = {},
      .user_agent = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko)",
      .x_forwarded_for = "198.51.100.1, 10.0.0.1",
      .jwt_status = "Ok",
      .jwt_issuer = "https://dev-12345678.okta.com/oauth2/default",
      .jwt_subject = "alice@example.com",
      .authz_result = "allowed",
      .authz = "allowed: matched an ALLOW rule (foo/require-group rule 0)",
      .error_reason = "",
      .error_detail = "",
  };
  std::string line;
  for (auto _ : state) {
    line.clear();  // keeps the capacity, as the engine's per-worker buffer does
    append_access_log_json(entry, line);
    benchmark::DoNotOptimize(line.data());
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * line.size()));
}
BENCHMARK(BM_AccessLogLine);

void BM_RecordRequest(benchmark::State& state) {
  MetricsRegistry registry(1);
  std::vector<RouteLabels> routes;
  for (int i = 0; i < 100; ++i) routes.push_back({"https", "route-" + std::to_string(i)});
  const auto ids = *registry.register_routes(routes);
  WorkerMetrics& worker = registry.worker(0);
  std::size_t i = 0;
  for (auto _ : state) {
    worker.record_request(ids[i++ % ids.size()], 200, 1500us);
    benchmark::ClobberMemory();
  }
}
BENCHMARK(BM_RecordRequest);

void BM_Count(benchmark::State& state) {
  MetricsRegistry registry(1);
  std::vector<LabelSet> label_sets;
  for (int i = 0; i < 1000; ++i)
    label_sets.push_back(
        {{"policy", "ns/policy-" + std::to_string(i / 10)}, {"rule", std::to_string(i % 10)}});
  const auto ids = *registry.register_counters("gatehouse_authz_rule_matches_total",
                                               "Rules matched.", label_sets);
  WorkerMetrics& worker = registry.worker(0);
  std::size_t i = 0;
  for (auto _ : state) {
    worker.count(ids[i++ % ids.size()]);
    benchmark::ClobberMemory();
  }
}
BENCHMARK(BM_Count);

void BM_RenderPrometheus100Routes(benchmark::State& state) {
  MetricsRegistry registry(8);
  std::vector<RouteLabels> routes;
  for (int i = 0; i < 100; ++i) routes.push_back({"https", "route-" + std::to_string(i)});
  const auto ids = *registry.register_routes(routes);
  for (std::size_t w = 0; w < registry.worker_count(); ++w)
    for (SeriesId id : ids) registry.worker(w).record_request(id, 200, 2ms);
  for (auto _ : state) benchmark::DoNotOptimize(registry.render_prometheus());
}
BENCHMARK(BM_RenderPrometheus100Routes);

}  // namespace
}  // namespace gatehouse::telemetry
