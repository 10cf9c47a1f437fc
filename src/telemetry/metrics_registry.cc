#include "telemetry/metrics_registry.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <functional>
#include <iterator>
#include <set>

#include "telemetry/escape.h"

namespace gatehouse::telemetry {
namespace {

void append_header(std::string& out, std::string_view name, std::string_view type,
                   std::string_view help) {
  fmt::format_to(std::back_inserter(out), "# HELP {} {}\n# TYPE {} {}\n", name, help, name, type);
}

// One sample line, `name{label="value",...} value`, label values escaped. `labels` is a
// range of (name, value) pairs of anything that converts to std::string_view.
template <typename Labels>
void append_sample(std::string& out, std::string_view name, const Labels& labels, uint64_t value) {
  out.append(name);
  char separator = '{';
  for (const auto& [label_name, label_value] : labels) {
    out.push_back(separator);
    separator = ',';
    out.append(label_name);
    out.append("=\"");
    append_prometheus_label_value(out, label_value);
    out.push_back('"');
  }
  if (separator == ',') out.push_back('}');
  fmt::format_to(std::back_inserter(out), " {}\n", value);
}

template <typename T, typename Read>
T sum_over(std::span<const std::unique_ptr<WorkerMetrics>> workers, Read read) {
  T total = 0;
  for (const auto& worker : workers) total += read(*worker);
  return total;
}

void append_request_counters(std::string& out, std::span<const RouteLabels> series,
                             std::span<const std::unique_ptr<WorkerMetrics>> workers) {
  constexpr std::string_view name = "gatehouse_requests_total";
  append_header(out, name, "counter", "Requests answered, by listener, route and status class.");
  for (SeriesId id = 0; id < series.size(); ++id) {
    for (std::size_t c = 0; c < kCodeClassCount; ++c) {
      const auto code_class = static_cast<CodeClass>(c);
      const auto total = sum_over<uint64_t>(
          workers, [&](const WorkerMetrics& w) { return w.requests(id, code_class); });
      if (total == 0) continue;
      const std::array<std::pair<std::string_view, std::string_view>, 3> labels = {{
          {"listener", series[id].listener},
          {"route", series[id].route},
          {"code_class", label(code_class)},
      }};
      append_sample(out, name, labels, total);
    }
  }
}

enum class NameKind { Metric, Label };

// The Prometheus data model's names: [a-zA-Z_:][a-zA-Z0-9_:]* for metrics; no ':' in label
// names, and label names starting with "__" are reserved for Prometheus itself.
bool is_prometheus_name(std::string_view name, NameKind kind) {
  if (name.empty() || (kind == NameKind::Label && name.starts_with("__"))) return false;
  for (std::size_t i = 0; i < name.size(); ++i) {
    const char c = name[i];
    const bool allowed = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' ||
                         (c == ':' && kind == NameKind::Metric) || (i > 0 && c >= '0' && c <= '9');
    if (!allowed) return false;
  }
  return true;
}

bool is_valid_label_set(const LabelSet& labels) {
  for (auto it = labels.begin(); it != labels.end(); ++it) {
    if (!is_prometheus_name(it->first, NameKind::Label)) return false;
    if (std::any_of(labels.begin(), it,
                    [&](const auto& earlier) { return earlier.first == it->first; }))
      return false;
  }
  return true;
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

std::optional<std::vector<CounterId>> MetricsRegistry::register_counters(
    std::string_view family, std::string_view help, std::span<const LabelSet> label_sets) {
  if (!is_prometheus_name(family, NameKind::Metric) ||
      !std::ranges::all_of(label_sets, is_valid_label_set))
    return std::nullopt;
  std::lock_guard lock(mutex_);
  auto it = std::ranges::find(counter_families_, family, &CounterFamily::name);
  std::set<std::reference_wrapper<const LabelSet>, std::less<LabelSet>> new_label_sets;
  for (const LabelSet& labels : label_sets) {
    if (it == counter_families_.end() || !it->ids.contains(labels)) new_label_sets.insert(labels);
  }
  if (counter_count_ + new_label_sets.size() > WorkerMetrics::kMaxCounters) return std::nullopt;

  if (it == counter_families_.end())
    it = counter_families_.insert(it, {std::string(family), std::string(help), {}});
  std::vector<CounterId> ids;
  ids.reserve(label_sets.size());
  for (const LabelSet& labels : label_sets) {
    const auto [entry, inserted] =
        it->ids.try_emplace(labels, static_cast<CounterId>(counter_count_));
    if (inserted) ++counter_count_;
    ids.push_back(entry->second);
  }
  for (auto& worker : workers_) worker->reserve_counters(counter_count_);
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
  {
    std::lock_guard lock(mutex_);
    append_counter_families(out, workers);
  }
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

void MetricsRegistry::append_counter_families(
    std::string& out, std::span<const std::unique_ptr<WorkerMetrics>> workers) const {
  for (const CounterFamily& family : counter_families_) {
    append_header(out, family.name, "counter", family.help);
    for (const auto& [labels, id] : family.ids) {
      const auto total =
          sum_over<uint64_t>(workers, [id](const WorkerMetrics& w) { return w.counter(id); });
      if (total > 0) append_sample(out, family.name, labels, total);
    }
  }
}

void MetricsRegistry::set_jwt_result_names(std::vector<std::string> names) {
  jwt_result_names_ = std::move(names);
}

void MetricsRegistry::add_section(std::function<void(std::string&)> render) {
  sections_.push_back(std::move(render));
}

}  // namespace gatehouse::telemetry
