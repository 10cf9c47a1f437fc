// MetricsRegistry::register_counters and the rendering of labelled counter families.
#include <gtest/gtest.h>

#include <string>
#include <thread>

#include "prometheus_parse.h"
#include "telemetry/metrics_registry.h"

namespace gatehouse::telemetry {
namespace {

using testing::Exposition;
using testing::parse_exposition;

constexpr std::string_view kMatches = "gatehouse_authz_rule_matches_total";
constexpr std::string_view kDenials = "gatehouse_authz_denials_total";

Exposition scrape(const MetricsRegistry& registry) {
  Exposition exposition = parse_exposition(registry.render_prometheus());
  EXPECT_TRUE(exposition.malformed.empty()) << exposition.malformed.front();
  return exposition;
}

std::vector<CounterId> register_ok(MetricsRegistry& registry, std::string_view family,
                                   std::vector<LabelSet> label_sets) {
  auto ids = registry.register_counters(family, "Help text.", label_sets);
  EXPECT_TRUE(ids.has_value());
  return ids.value_or(std::vector<CounterId>{});
}

LabelSet rule(std::string policy, std::string index) {
  return {{"policy", std::move(policy)}, {"rule", std::move(index)}};
}

std::size_t occurrences(const std::string& text, const std::string& needle) {
  std::size_t n = 0;
  for (auto pos = text.find(needle); pos != std::string::npos; pos = text.find(needle, pos + 1))
    ++n;
  return n;
}

TEST(CounterFamilies, SameLabelSetGetsTheSameIdAcrossRegistrations) {
  MetricsRegistry registry(1);
  const auto first = register_ok(registry, kMatches, {rule("a", "0"), rule("a", "1")});
  EXPECT_EQ(first, (std::vector<CounterId>{0, 1}));
  const auto again = register_ok(registry, kMatches,
                                 {rule("a", "1"), rule("b", "0"), rule("a", "0"), rule("b", "0")});
  EXPECT_EQ(again, (std::vector<CounterId>{1, 2, 0, 2}));
}

TEST(CounterFamilies, CountersSurviveAReload) {
  MetricsRegistry registry(1);
  const auto old_ids = register_ok(registry, kMatches, {rule("kept", "0"), rule("dropped", "0")});
  registry.worker(0).count(old_ids[0]);
  registry.worker(0).count(old_ids[1]);
  const auto new_ids = register_ok(registry, kMatches, {rule("added", "0"), rule("kept", "0")});
  registry.worker(0).count(new_ids[1]);
  const Exposition exposition = scrape(registry);
  EXPECT_EQ(exposition.value(std::string(kMatches), rule("kept", "0")), "2");
  EXPECT_EQ(exposition.value(std::string(kMatches), rule("dropped", "0")), "1");
  EXPECT_FALSE(exposition.value(std::string(kMatches), rule("added", "0")).has_value());
}

TEST(CounterFamilies, FamiliesAreKeptApartAndRenderedOnce) {
  MetricsRegistry registry(1);
  const auto matches = register_ok(registry, kMatches, {rule("a", "0")});
  const auto denials = register_ok(registry, kDenials, {rule("a", "0")});
  const auto more_matches = register_ok(registry, kMatches, {rule("a", "0"), rule("b", "0")});
  EXPECT_NE(matches[0], denials[0]);
  EXPECT_EQ(more_matches[0], matches[0]);
  EXPECT_NE(more_matches[1], denials[0]);
  registry.worker(0).count(matches[0]);
  registry.worker(0).count(denials[0]);
  registry.worker(0).count(denials[0]);
  registry.worker(0).count(more_matches[1]);

  const std::string text = registry.render_prometheus();
  for (const std::string& family : {std::string(kMatches), std::string(kDenials)}) {
    EXPECT_EQ(occurrences(text, "# TYPE " + family + " counter\n"), 1u) << family;
    EXPECT_EQ(occurrences(text, "# HELP " + family + " Help text.\n"), 1u) << family;
  }
  const Exposition exposition = scrape(registry);
  EXPECT_EQ(exposition.value(std::string(kMatches), rule("a", "0")), "1");
  EXPECT_EQ(exposition.value(std::string(kMatches), rule("b", "0")), "1");
  EXPECT_EQ(exposition.value(std::string(kDenials), rule("a", "0")), "2");
  EXPECT_FALSE(exposition.value(std::string(kDenials), rule("b", "0")).has_value());
}

TEST(CounterFamilies, SumsOverWorkers) {
  MetricsRegistry registry(3);
  const auto ids = register_ok(registry, kMatches, {rule("a", "0"), rule("a", "1")});
  registry.worker(0).count(ids[0]);
  registry.worker(1).count(ids[0]);
  registry.worker(2).count(ids[0]);
  registry.worker(2).count(ids[1]);
  const Exposition exposition = scrape(registry);
  EXPECT_EQ(exposition.value(std::string(kMatches), rule("a", "0")), "3");
  EXPECT_EQ(exposition.value(std::string(kMatches), rule("a", "1")), "1");
}

TEST(CounterFamilies, ZeroRowsAreLeftOutButTheFamilyIsDeclared) {
  MetricsRegistry registry(2);
  register_ok(registry, kMatches, {rule("a", "0"), rule("a", "1")});
  const Exposition exposition = scrape(registry);
  EXPECT_EQ(exposition.types.at(std::string(kMatches)), "counter");
  for (const auto& sample : exposition.samples) EXPECT_NE(sample.name, kMatches);
}

TEST(CounterFamilies, LabelsKeepTheGivenOrderAndMayBeAbsent) {
  MetricsRegistry registry(1);
  const auto ids = register_ok(registry, kMatches, {{{"z", "1"}, {"a", "2"}}, {}});
  registry.worker(0).count(ids[0]);
  registry.worker(0).count(ids[1]);
  const std::string text = registry.render_prometheus();
  EXPECT_NE(text.find(std::string(kMatches) + R"({z="1",a="2"} 1)" + "\n"), std::string::npos);
  EXPECT_NE(text.find(std::string(kMatches) + " 1\n"), std::string::npos);
}

TEST(CounterFamilies, EscapesHostileLabelValues) {
  MetricsRegistry registry(1);
  const std::string hostile = "a\"b\\c\nd\"} 999\n";
  const auto ids = register_ok(registry, kMatches, {rule(hostile, "r\xFFule")});
  registry.worker(0).count(ids[0]);
  const std::string text = registry.render_prometheus();
  EXPECT_NE(text.find(R"(policy="a\"b\\c\nd\"} 999\n")"), std::string::npos);
  const Exposition exposition = scrape(registry);
  EXPECT_EQ(exposition.value(std::string(kMatches), rule(hostile, "r\xEF\xBF\xBDule")), "1");
  EXPECT_EQ(exposition.samples.size(), scrape(MetricsRegistry(1)).samples.size() + 1);
}

TEST(CounterFamilies, RefusesInvalidNamesAndRegistersNothing) {
  MetricsRegistry registry(1);
  for (std::string_view family : {"", "1st_total", "authz-matches", "with space", "é_total"})
    EXPECT_FALSE(registry.register_counters(family, "h", std::vector<LabelSet>{rule("a", "0")}))
        << family;
  const std::vector<LabelSet> bad_label_sets = {
      {{"", "v"}},   {{"__reserved", "v"}}, {{"a:b", "v"}},
      {{"0a", "v"}}, {{"a-b", "v"}},        {{"same", "1"}, {"same", "2"}},
  };
  for (const LabelSet& bad : bad_label_sets) {
    const std::vector<LabelSet> label_sets = {rule("a", "0"), bad};
    EXPECT_FALSE(registry.register_counters(kMatches, "h", label_sets)) << bad.front().first;
  }
  EXPECT_FALSE(scrape(registry).types.contains(std::string(kMatches)));
  EXPECT_EQ(register_ok(registry, "ns:valid_Name_2", {{{"_ok", "v"}, {"Ok2", "v"}}}),
            (std::vector<CounterId>{0}));
}

TEST(CounterFamilies, RefusesMoreThanMaxCountersAndRegistersNothing) {
  MetricsRegistry registry(1);
  std::vector<LabelSet> label_sets;
  for (std::size_t i = 0; i + 1 < WorkerMetrics::kMaxCounters; ++i)
    label_sets.push_back({{"i", std::to_string(i)}});
  ASSERT_TRUE(registry.register_counters(kMatches, "h", label_sets).has_value());

  const std::vector<LabelSet> two_new = {{{"i", "new-1"}}, {{"i", "new-2"}}};
  EXPECT_FALSE(registry.register_counters(kMatches, "h", two_new).has_value());
  EXPECT_FALSE(registry.register_counters(kDenials, "h", two_new).has_value());
  EXPECT_FALSE(scrape(registry).types.contains(std::string(kDenials)));

  const std::vector<LabelSet> one_new_twice = {{{"i", "new-1"}}, {{"i", "new-1"}}, {{"i", "0"}}};
  const auto ids = registry.register_counters(kMatches, "h", one_new_twice);
  ASSERT_TRUE(ids.has_value());
  EXPECT_EQ(*ids, (std::vector<CounterId>{WorkerMetrics::kMaxCounters - 1,
                                          WorkerMetrics::kMaxCounters - 1, 0}));
  const std::vector<LabelSet> one_new = {{{"i", "0"}}};
  EXPECT_FALSE(registry.register_counters(kDenials, "h", one_new).has_value());
  EXPECT_FALSE(scrape(registry).types.contains(std::string(kDenials)));
  registry.worker(0).count(ids->front());
  EXPECT_EQ(registry.worker(0).counter(ids->front()), 1u);
}

TEST(CounterFamilies, IdsPastTheRegisteredOnesAreDropped) {
  MetricsRegistry registry(1);
  const auto ids = register_ok(registry, kMatches, {rule("a", "0")});
  registry.worker(0).count(ids[0] + 1000);
  registry.worker(0).count(WorkerMetrics::kMaxCounters);
  registry.worker(0).count(ids[0]);
  const Exposition exposition = scrape(registry);
  EXPECT_EQ(exposition.value(std::string(kMatches), rule("a", "0")), "1");
  EXPECT_EQ(registry.worker(0).counter(ids[0] + 1000), 0u);
}

TEST(CounterFamilies, WorkersCountWhileAdminScrapesAndRegisters) {
  constexpr std::size_t kWorkers = 4;
  constexpr int kEventsPerWorker = 20000;
  MetricsRegistry registry(kWorkers);
  const auto ids = register_ok(registry, kMatches, {rule("a", "0")});

  std::vector<std::thread> threads;
  for (std::size_t w = 0; w < kWorkers; ++w) {
    threads.emplace_back([&, w] {
      for (int i = 0; i < kEventsPerWorker; ++i) registry.worker(w).count(ids[0]);
    });
  }
  threads.emplace_back([&] {
    for (int i = 0; i < 50; ++i) {
      EXPECT_TRUE(parse_exposition(registry.render_prometheus()).malformed.empty());
      const std::vector<LabelSet> reload = {rule("a", "0"), rule("b", std::to_string(i))};
      EXPECT_TRUE(registry.register_counters(i % 2 ? kMatches : kDenials, "h", reload));
    }
  });
  for (auto& thread : threads) thread.join();

  EXPECT_EQ(scrape(registry).value(std::string(kMatches), rule("a", "0")),
            std::to_string(kWorkers * kEventsPerWorker));
}

}  // namespace
}  // namespace gatehouse::telemetry
