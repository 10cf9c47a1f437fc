// All workers' metrics and the label sets they are keyed by, summed into the Prometheus
// text format (0.0.4) for /stats/prometheus. Workers increment by SeriesId, never by
// name; names are resolved once per config load.
// Thread-safety: worker(i) belongs to worker thread i (see WorkerMetrics). Every other
// method may be called from any thread; they share one mutex the request path never takes.
//
//   MetricsRegistry metrics(worker_count);                // at startup
//   auto ids = metrics.register_routes(labels);           // per config load, before publishing
//   metrics.worker(w).record_request((*ids)[r], 200, d);  // per request, on worker w
//   auto rule_ids = metrics.register_counters(             // per config load, per family
//       "gatehouse_authz_rule_matches_total", "Rules matched.", label_sets);
//   metrics.worker(w).count((*rule_ids)[i]);              // per event, on worker w
//   std::string page = metrics.render_prometheus();       // per scrape
#pragma once

#include <atomic>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "telemetry/worker_metrics.h"

namespace gatehouse::telemetry {

struct RouteLabels {
  std::string listener;
  std::string route;
};

// The labels of one counter of a family, rendered in this order. The same pairs in another
// order are another label set.
using LabelSet = std::vector<std::pair<std::string, std::string>>;

enum class ReloadOutcome { Ok, Error };

// Content-Type of the exposition.
inline constexpr std::string_view kPrometheusContentType =
    "text/plain; version=0.0.4; charset=utf-8";

class MetricsRegistry {
 public:
  explicit MetricsRegistry(std::size_t worker_count);

  std::size_t worker_count() const { return workers_.size(); }
  // REQUIRES: index < worker_count(). The reference stays valid for the registry's life.
  WorkerMetrics& worker(std::size_t index) { return *workers_[index]; }

  // One SeriesId per entry, in order, with room reserved in every worker. A label set
  // registered before gets its old id back, so a reload that keeps a route keeps its
  // counters. Ids are never reused: a route a new config drops keeps its last values in
  // the exposition until restart (counters never go backwards, and in-flight requests of
  // the old snapshot may still count into it). nullopt when more than
  // WorkerMetrics::kMaxSeries distinct label sets would exist; nothing is registered then.
  std::optional<std::vector<SeriesId>> register_routes(std::span<const RouteLabels> routes);

  // Labelled counters of the family `family` (a Prometheus metric name; `help` a single
  // line, kept from the family's first registration): one CounterId per label set, in
  // order, with room reserved in every worker. Ids are kept and never reused exactly as
  // register_routes' are, across all families. nullopt, with nothing registered, when the
  // family or a label name is not a valid Prometheus name, a label set repeats a label
  // name, or more than WorkerMetrics::kMaxCounters distinct counters would exist. A family
  // is rendered once, its label sets that counted something sorted by label set.
  // REQUIRES: `family` is not one of the names this registry renders itself.
  std::optional<std::vector<CounterId>> register_counters(std::string_view family,
                                                          std::string_view help,
                                                          std::span<const LabelSet> label_sets);

  void record_config_reload(ReloadOutcome outcome);

  // Names of the JWT result indexes WorkerMetrics::record_jwt_result counts (call once,
  // before serving). Only results counted at least once are rendered.
  void set_jwt_result_names(std::vector<std::string> names);
  // Appends a section of metrics kept elsewhere (the JWKS fetcher's) to every scrape; called
  // on the scraping thread, so it must be thread-safe.
  void add_section(std::function<void(std::string&)> render);

  // The whole exposition. Request and labelled counters appear once they have counted
  // something; the histogram, upstream and reload metrics always appear.
  std::string render_prometheus() const;

 private:
  void append_jwt_counters(std::string& out,
                           std::span<const std::unique_ptr<WorkerMetrics>> workers) const;
  // REQUIRES: mutex_ held.
  void append_counter_families(std::string& out,
                               std::span<const std::unique_ptr<WorkerMetrics>> workers) const;

  std::vector<std::unique_ptr<WorkerMetrics>> workers_;  // fixed after construction
  std::atomic<uint64_t> reloads_ok_{0};
  std::atomic<uint64_t> reloads_error_{0};

  std::vector<std::string> jwt_result_names_;
  std::vector<std::function<void(std::string&)>> sections_;  // set before serving

  mutable std::mutex mutex_;
  std::vector<RouteLabels> series_;                              // GUARDED_BY(mutex_); index = id
  std::map<std::pair<std::string, std::string>, SeriesId> ids_;  // GUARDED_BY(mutex_)

  struct CounterFamily {
    std::string name;
    std::string help;
    std::map<LabelSet, CounterId> ids;
  };
  std::vector<CounterFamily> counter_families_;  // GUARDED_BY(mutex_); first registered first
  std::size_t counter_count_ = 0;                // GUARDED_BY(mutex_); the next CounterId
};

}  // namespace gatehouse::telemetry
