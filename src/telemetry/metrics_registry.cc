#include "telemetry/metrics_registry.h"

#include <fmt/format.h>

#include <iterator>
#include <set>

#include "telemetry/escape.h"

namespace gatehouse::telemetry {
namespace {

void append_header(std::string& out, std::string_view name, std::string_view type,
                   std::string_view help) {
  fmt::format_to(std::back_inserter(out), "# HELP {} {}\n# TYPE {} {}\n", name, help, name, type);
}

void append_request_counters(std::string& out, std::span<const RouteLabels> series,
                             std::span<const std::unique_ptr<WorkerMetrics>> workers) {
  append_header(out, "gatehouse_requests_total", "counter",
                "Requests answered, by listener, route and status class.");
  for (SeriesId id = 0; id < series.size(); ++id) {
    for (std::size_t c = 0; c < kCodeClassCount; ++c) {
      const auto code_class = static_cast<CodeClass>(c);
      uint64_t total = 0;
      for (const auto& worker : workers) total += worker->requests(id, code_class);
      if (total == 0) continue;
      out.append("gatehouse_requests_total{listener=\"");
      append_prometheus_label_value(out, series[id].listener);
      out.append("\",route=\"");
      append_prometheus_label_value(out, series[id].route);
      fmt::format_to(std::back_inserter(out), "\",code_class=\"{}\"}} {}\n", label(code_class),
                     total);
    }
  }
}

void append_duration_histogram(std::string& out,
                               std::span<const std::unique_ptr<WorkerMetrics>> workers) {
  constexpr std::string_view name = "gatehouse_request_duration_seconds";
  append_header(out, name, "histogram",
                "Time from the request's first byte to the response's last byte.");
  uint64_t cumulative = 0;
  uint64_t sum_nanos = 0;
  for (std::size_t i = 0; i <= kDurationBuckets.size(); ++i) {
    for (const auto& worker : workers) cumulative += worker->duration_bucket(i);
    const std::string_view le = i < kDurationBuckets.size() ? kDurationBuckets[i].le : "+Inf";
    fmt::format_to(std::back_inserter(out), "{}_bucket{{le=\"{}\"}} {}\n", name, le, cumulative);
  }
  for (const auto& worker : workers) sum_nanos += worker->duration_sum_nanos();
  fmt::format_to(std::back_inserter(out), "{}_sum {}\n{}_count {}\n", name,
                 static_cast<double>(sum_nanos) / 1e9, name, cumulative);
}

template <typename T, typename Read>
T sum_over(std::span<const std::unique_ptr<WorkerMetrics>> workers, Read read) {
  T total = 0;
  for (const auto& worker : workers) total += read(*worker);
  return total;
}

}  // namespace

MetricsRegistry::MetricsRegistry(std::size_t worker_count) {
  for (std::size_t i = 0; i < worker_count; ++i)
    workers_.push_back(std::make_unique<WorkerMetrics>());
}

std::optional<std::vector<SeriesId>> MetricsRegistry::register_routes(
    std::span<const RouteLabels> routes) {
  std::lock_guard lock(mutex_);
  std::set<std::pair<std::string_view, std::string_view>> new_label_sets;
  for (const auto& route : routes) {
    if (!ids_.contains({route.listener, route.route}))
      new_label_sets.emplace(route.listener, route.route);
  }
  if (series_.size() + new_label_sets.size() > WorkerMetrics::kMaxSeries) return std::nullopt;

  std::vector<SeriesId> ids;
  ids.reserve(routes.size());
  for (const auto& route : routes) {
    const auto [it, inserted] =
        ids_.try_emplace({route.listener, route.route}, static_cast<SeriesId>(series_.size()));
    if (inserted) series_.push_back(route);
    ids.push_back(it->second);
  }
  for (auto& worker : workers_) worker->reserve_series(series_.size());
  return ids;
}

void MetricsRegistry::record_config_reload(ReloadOutcome outcome) {
  switch (outcome) {
    case ReloadOutcome::Ok:
      reloads_ok_.fetch_add(1, std::memory_order_relaxed);
      break;
    case ReloadOutcome::Error:
      reloads_error_.fetch_add(1, std::memory_order_relaxed);
      break;
  }
}

std::string MetricsRegistry::render_prometheus() const {
  std::string out;
  std::span<const std::unique_ptr<WorkerMetrics>> workers = workers_;
  {
    std::lock_guard lock(mutex_);
    append_request_counters(out, series_, workers);
  }
  append_duration_histogram(out, workers);

  append_header(out, "gatehouse_upstream_connections_total", "counter",
                "Connection attempts to upstream hosts.");
  fmt::format_to(
      std::back_inserter(out), "gatehouse_upstream_connections_total {}\n",
      sum_over<uint64_t>(workers, [](const WorkerMetrics& w) { return w.upstream_connections(); }));
  append_header(out, "gatehouse_upstream_connection_failures_total", "counter",
                "Connection attempts to upstream hosts that failed.");
  fmt::format_to(std::back_inserter(out), "gatehouse_upstream_connection_failures_total {}\n",
                 sum_over<uint64_t>(workers, [](const WorkerMetrics& w) {
                   return w.upstream_connection_failures();
                 }));
  append_header(out, "gatehouse_upstream_requests_active", "gauge",
                "Requests sent upstream and not finished yet.");
  fmt::format_to(std::back_inserter(out), "gatehouse_upstream_requests_active {}\n",
                 sum_over<int64_t>(
                     workers, [](const WorkerMetrics& w) { return w.upstream_requests_active(); }));
  append_header(out, "gatehouse_config_reloads_total", "counter",
                "Configuration loads, by whether the new configuration was taken.");
  fmt::format_to(std::back_inserter(out),
                 "gatehouse_config_reloads_total{{result=\"ok\"}} {}\n"
                 "gatehouse_config_reloads_total{{result=\"error\"}} {}\n",
                 reloads_ok_.load(std::memory_order_relaxed),
                 reloads_error_.load(std::memory_order_relaxed));
  append_jwt_counters(out, workers);
  for (const auto& render : sections_) render(out);
  return out;
}

void MetricsRegistry::append_jwt_counters(
    std::string& out, std::span<const std::unique_ptr<WorkerMetrics>> workers) const {
  if (jwt_result_names_.empty()) return;
  append_header(out, "gatehouse_jwt_verifications_total", "counter",
                "Requests that carried a JWT, by the outcome of its verification.");
  for (std::size_t i = 0; i < jwt_result_names_.size(); ++i) {
    const auto n =
        sum_over<uint64_t>(workers, [i](const WorkerMetrics& w) { return w.jwt_results(i); });
    if (n > 0)
      fmt::format_to(std::back_inserter(out),
                     "gatehouse_jwt_verifications_total{{result=\"{}\"}} {}\n",
                     jwt_result_names_[i], n);
  }
  append_header(out, "gatehouse_jwt_token_cache_total", "counter",
                "Verified-token cache lookups, by whether the token was found.");
  for (const bool hit : {true, false})
    fmt::format_to(std::back_inserter(out), "gatehouse_jwt_token_cache_total{{result=\"{}\"}} {}\n",
                   hit ? "hit" : "miss", sum_over<uint64_t>(workers, [hit](const WorkerMetrics& w) {
                     return w.token_cache(hit);
                   }));
}

void MetricsRegistry::set_jwt_result_names(std::vector<std::string> names) {
  jwt_result_names_ = std::move(names);
}

void MetricsRegistry::add_section(std::function<void(std::string&)> render) {
  sections_.push_back(std::move(render));
}

}  // namespace gatehouse::telemetry
