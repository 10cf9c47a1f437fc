#include "telemetry/metrics_registry.h"

#include <gtest/gtest.h>

#include <thread>

#include "prometheus_parse.h"

namespace gatehouse::telemetry {
namespace {

using namespace std::chrono_literals;
using testing::Exposition;
using testing::parse_exposition;
using Labels = std::vector<std::pair<std::string, std::string>>;

Labels request_labels(std::string listener, std::string route, std::string code_class) {
  return {{"listener", std::move(listener)},
          {"route", std::move(route)},
          {"code_class", std::move(code_class)}};
}

Exposition scrape(const MetricsRegistry& registry) {
  Exposition exposition = parse_exposition(registry.render_prometheus());
  EXPECT_TRUE(exposition.malformed.empty()) << exposition.malformed.front();
  return exposition;
}

std::vector<SeriesId> register_ok(MetricsRegistry& registry, std::vector<RouteLabels> routes) {
  auto ids = registry.register_routes(routes);
  EXPECT_TRUE(ids.has_value());
  return ids.value_or(std::vector<SeriesId>{});
}

TEST(MetricsRegistry, EmptyRegistryExposesEveryFamily) {
  MetricsRegistry registry(2);
  const Exposition exposition = scrape(registry);
  EXPECT_EQ(exposition.types.at("gatehouse_requests_total"), "counter");
  EXPECT_EQ(exposition.types.at("gatehouse_request_duration_seconds"), "histogram");
  EXPECT_EQ(exposition.types.at("gatehouse_upstream_connections_total"), "counter");
  EXPECT_EQ(exposition.types.at("gatehouse_upstream_connection_failures_total"), "counter");
  EXPECT_EQ(exposition.types.at("gatehouse_upstream_requests_active"), "gauge");
  EXPECT_EQ(exposition.types.at("gatehouse_config_reloads_total"), "counter");
  EXPECT_EQ(exposition.value("gatehouse_request_duration_seconds_count"), "0");
  EXPECT_EQ(exposition.value("gatehouse_upstream_requests_active"), "0");
  EXPECT_EQ(exposition.value("gatehouse_config_reloads_total", {{"result", "ok"}}), "0");
  EXPECT_EQ(exposition.value("gatehouse_config_reloads_total", {{"result", "error"}}), "0");
}

TEST(MetricsRegistry, SameLabelsGetTheSameId) {
  MetricsRegistry registry(1);
  const auto first =
      register_ok(registry, {{"https", "health"}, {"https", "app"}, {"http", "app"}});
  EXPECT_EQ(first, (std::vector<SeriesId>{0, 1, 2}));
  const auto again = register_ok(
      registry, {{"http", "app"}, {"https", "new"}, {"https", "health"}, {"https", "new"}});
  EXPECT_EQ(again, (std::vector<SeriesId>{2, 3, 0, 3}));
}

TEST(MetricsRegistry, SumsRequestsOverWorkers) {
  MetricsRegistry registry(3);
  const auto ids = register_ok(registry, {{"https", "app"}, {"https", "health"}});
  registry.worker(0).record_request(ids[0], 200, 1ms);
  registry.worker(1).record_request(ids[0], 201, 1ms);
  registry.worker(2).record_request(ids[0], 404, 1ms);
  registry.worker(2).record_request(ids[1], 0, 1ms);
  const Exposition exposition = scrape(registry);
  EXPECT_EQ(exposition.value("gatehouse_requests_total", request_labels("https", "app", "2xx")),
            "2");
  EXPECT_EQ(exposition.value("gatehouse_requests_total", request_labels("https", "app", "4xx")),
            "1");
  EXPECT_EQ(
      exposition.value("gatehouse_requests_total", request_labels("https", "health", "other")),
      "1");
  // Series that counted nothing are left out.
  EXPECT_FALSE(exposition.value("gatehouse_requests_total", request_labels("https", "app", "5xx")));
  EXPECT_FALSE(
      exposition.value("gatehouse_requests_total", request_labels("https", "health", "2xx")));
}

TEST(MetricsRegistry, HistogramIsCumulativeWithSumAndCount) {
  MetricsRegistry registry(2);
  const auto ids = register_ok(registry, {{"l", "r"}});
  registry.worker(0).record_request(ids[0], 200, 500us);        // le 0.0005 exactly
  registry.worker(1).record_request(ids[0], 200, 500us + 1ns);  // le 0.001
  registry.worker(1).record_request(ids[0], 200, 10s);          // le 10 exactly
  registry.worker(0).record_request(ids[0], 200, 11s);          // +Inf only
  const Exposition exposition = scrape(registry);
  auto bucket = [&](const std::string& le) {
    return exposition.value("gatehouse_request_duration_seconds_bucket", {{"le", le}})
        .value_or("?");
  };
  EXPECT_EQ(bucket("0.0005"), "1");
  EXPECT_EQ(bucket("0.001"), "2");
  EXPECT_EQ(bucket("5"), "2");
  EXPECT_EQ(bucket("10"), "3");
  EXPECT_EQ(bucket("+Inf"), "4");
  EXPECT_EQ(exposition.value("gatehouse_request_duration_seconds_count"), "4");
  EXPECT_DOUBLE_EQ(std::stod(*exposition.value("gatehouse_request_duration_seconds_sum")),
                   21.001000001);

  int buckets = 0;
  for (const auto& sample : exposition.samples)
    buckets += sample.name == "gatehouse_request_duration_seconds_bucket";
  EXPECT_EQ(buckets, 15);
}

TEST(MetricsRegistry, SumsUpstreamCountersAndGauge) {
  MetricsRegistry registry(2);
  registry.worker(0).record_upstream_connect(ConnectOutcome::Connected);
  registry.worker(1).record_upstream_connect(ConnectOutcome::Failed);
  registry.worker(0).upstream_request_started();
  registry.worker(1).upstream_request_started();
  registry.worker(1).upstream_request_started();
  registry.worker(1).upstream_request_finished();
  const Exposition exposition = scrape(registry);
  EXPECT_EQ(exposition.value("gatehouse_upstream_connections_total"), "2");
  EXPECT_EQ(exposition.value("gatehouse_upstream_connection_failures_total"), "1");
  EXPECT_EQ(exposition.value("gatehouse_upstream_requests_active"), "2");
}

TEST(MetricsRegistry, CountsConfigReloads) {
  MetricsRegistry registry(1);
  registry.record_config_reload(ReloadOutcome::Ok);
  registry.record_config_reload(ReloadOutcome::Ok);
  registry.record_config_reload(ReloadOutcome::Error);
  const Exposition exposition = scrape(registry);
  EXPECT_EQ(exposition.value("gatehouse_config_reloads_total", {{"result", "ok"}}), "2");
  EXPECT_EQ(exposition.value("gatehouse_config_reloads_total", {{"result", "error"}}), "1");
}

TEST(MetricsRegistry, ReloadKeepsCountersOfKeptAndDroppedRoutes) {
  MetricsRegistry registry(1);
  const auto old_ids = register_ok(registry, {{"https", "kept"}, {"https", "dropped"}});
  registry.worker(0).record_request(old_ids[0], 200, 1ms);
  registry.worker(0).record_request(old_ids[1], 200, 1ms);

  const auto new_ids = register_ok(registry, {{"https", "added"}, {"https", "kept"}});
  EXPECT_EQ(new_ids[1], old_ids[0]);
  registry.worker(0).record_request(new_ids[1], 200, 1ms);
  registry.worker(0).record_request(new_ids[0], 200, 1ms);
  registry.worker(0).record_request(old_ids[1], 200,
                                    1ms);  // an in-flight request of the old config

  const Exposition exposition = scrape(registry);
  EXPECT_EQ(exposition.value("gatehouse_requests_total", request_labels("https", "kept", "2xx")),
            "2");
  EXPECT_EQ(exposition.value("gatehouse_requests_total", request_labels("https", "added", "2xx")),
            "1");
  EXPECT_EQ(exposition.value("gatehouse_requests_total", request_labels("https", "dropped", "2xx")),
            "2");
}

TEST(MetricsRegistry, EscapesHostileLabelValues) {
  MetricsRegistry registry(1);
  const std::string listener = "a\"b\\c\nd";
  const std::string route = "r\xFFoute";
  const auto ids = register_ok(registry, {{listener, route}});
  registry.worker(0).record_request(ids[0], 500, 1ms);
  const std::string text = registry.render_prometheus();
  EXPECT_NE(text.find(R"(listener="a\"b\\c\nd")"), std::string::npos);
  const Exposition exposition = scrape(registry);
  EXPECT_EQ(exposition.value("gatehouse_requests_total",
                             request_labels(listener, "r\xEF\xBF\xBDoute", "5xx")),
            "1");
}

TEST(MetricsRegistry, RefusesMoreThanMaxSeriesAndRegistersNothing) {
  MetricsRegistry registry(1);
  std::vector<RouteLabels> routes;
  for (std::size_t i = 0; i + 1 < WorkerMetrics::kMaxSeries; ++i)
    routes.push_back({"l", std::to_string(i)});
  ASSERT_TRUE(registry.register_routes(routes).has_value());

  const std::vector<RouteLabels> two_new = {{"l", "new-1"}, {"l", "new-2"}};
  EXPECT_FALSE(registry.register_routes(two_new).has_value());
  const std::vector<RouteLabels> one_new_twice = {{"l", "new-1"}, {"l", "new-1"}, {"l", "0"}};
  const auto ids = registry.register_routes(one_new_twice);
  ASSERT_TRUE(ids.has_value());
  EXPECT_EQ(*ids, (std::vector<SeriesId>{WorkerMetrics::kMaxSeries - 1,
                                         WorkerMetrics::kMaxSeries - 1, 0}));
  registry.worker(0).record_request(ids->front(), 200, 1ms);
  EXPECT_EQ(registry.worker(0).requests(ids->front(), CodeClass::Success), 1u);
}

TEST(MetricsRegistry, WorkersCountWhileAdminScrapesAndConfigReloads) {
  constexpr std::size_t kWorkers = 4;
  constexpr int kRequestsPerWorker = 20000;
  MetricsRegistry registry(kWorkers);
  const auto ids = register_ok(registry, {{"https", "app"}});

  std::vector<std::thread> threads;
  for (std::size_t w = 0; w < kWorkers; ++w) {
    threads.emplace_back([&, w] {
      WorkerMetrics& mine = registry.worker(w);
      for (int i = 0; i < kRequestsPerWorker; ++i) {
        mine.upstream_request_started();
        mine.record_request(ids[0], 200, std::chrono::microseconds(i % 3000));
        mine.upstream_request_finished();
      }
    });
  }
  threads.emplace_back([&] {
    for (int i = 0; i < 50; ++i) {
      EXPECT_TRUE(parse_exposition(registry.render_prometheus()).malformed.empty());
      std::vector<RouteLabels> reload = {{"https", "app"}, {"https", std::to_string(i)}};
      EXPECT_TRUE(registry.register_routes(reload).has_value());
    }
  });
  for (auto& thread : threads) thread.join();

  const Exposition exposition = scrape(registry);
  const std::string total = std::to_string(kWorkers * kRequestsPerWorker);
  EXPECT_EQ(exposition.value("gatehouse_requests_total", request_labels("https", "app", "2xx")),
            total);
  EXPECT_EQ(exposition.value("gatehouse_request_duration_seconds_count"), total);
  EXPECT_EQ(exposition.value("gatehouse_upstream_requests_active"), "0");
}

}  // namespace
}  // namespace gatehouse::telemetry

namespace gatehouse::telemetry {
namespace {

TEST(MetricsRegistryJwt, ResultsAreSummedOverWorkersAndNamed) {
  MetricsRegistry registry(2);
  registry.set_jwt_result_names({"Ok", "JwtExpired", "JwtVerificationFail"});
  registry.worker(0).record_jwt_result(0);
  registry.worker(1).record_jwt_result(0);
  registry.worker(1).record_jwt_result(1);
  registry.worker(0).record_jwt_result(WorkerMetrics::kJwtResults);  // out of range: dropped
  registry.worker(0).record_token_cache(true);
  registry.worker(1).record_token_cache(false);
  registry.worker(1).record_token_cache(false);
  const Exposition exposition = scrape(registry);
  EXPECT_EQ(exposition.types.at("gatehouse_jwt_verifications_total"), "counter");
  EXPECT_EQ(exposition.value("gatehouse_jwt_verifications_total", {{"result", "Ok"}}), "2");
  EXPECT_EQ(exposition.value("gatehouse_jwt_verifications_total", {{"result", "JwtExpired"}}), "1");
  // Results never counted are left out rather than listed at zero.
  EXPECT_FALSE(
      exposition.value("gatehouse_jwt_verifications_total", {{"result", "JwtVerificationFail"}})
          .has_value());
  EXPECT_EQ(exposition.value("gatehouse_jwt_token_cache_total", {{"result", "hit"}}), "1");
  EXPECT_EQ(exposition.value("gatehouse_jwt_token_cache_total", {{"result", "miss"}}), "2");
}

TEST(MetricsRegistryJwt, WithoutNamesNoJwtFamilyAppears) {
  MetricsRegistry registry(1);
  registry.worker(0).record_jwt_result(0);
  EXPECT_FALSE(scrape(registry).types.contains("gatehouse_jwt_verifications_total"));
}

TEST(MetricsRegistryJwt, SectionsAreAppendedToEveryScrape) {
  MetricsRegistry registry(1);
  int calls = 0;
  registry.add_section([&calls](std::string& out) {
    ++calls;
    out += "# TYPE gatehouse_jwks_keys gauge\ngatehouse_jwks_keys{source=\"uri:x\"} 2\n";
  });
  EXPECT_EQ(scrape(registry).value("gatehouse_jwks_keys", {{"source", "uri:x"}}), "2");
  scrape(registry);
  EXPECT_EQ(calls, 2);
}

}  // namespace
}  // namespace gatehouse::telemetry
