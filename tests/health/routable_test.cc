#include <gtest/gtest.h>

#include <memory>
#include <vector>

#include "health/health_table.h"

namespace gatehouse::health {
namespace {

std::unique_ptr<HealthTable> table_of(std::initializer_list<State> states) {
  auto table = std::make_unique<HealthTable>(states.size());
  std::size_t i = 0;
  for (State state : states) table->set(i++, state);
  return table;
}

std::vector<std::size_t> all_nth(const Routable& routable) {
  std::vector<std::size_t> out;
  for (std::size_t k = 0; k < routable.size(); ++k) out.push_back(routable.nth(k));
  return out;
}

TEST(HealthTable, StartsInitial) {
  HealthTable table(3);
  for (std::size_t i = 0; i < 3; ++i) EXPECT_EQ(table.state(i), State::Initial);
  table.set(1, State::Healthy);
  EXPECT_TRUE(table.healthy(1));
  EXPECT_FALSE(table.healthy(0));
}

TEST(Routable, OnlyHealthyTargets) {
  const auto table = table_of({State::Unhealthy, State::Healthy, State::Initial, State::Healthy});
  const Routable routable(table.get(), 4);
  EXPECT_FALSE(routable.all());
  EXPECT_EQ(routable.size(), 2u);
  EXPECT_EQ(all_nth(routable), (std::vector<std::size_t>{1, 3}));
  // Retries move on to the next healthy target, wrapping around.
  EXPECT_EQ(routable.next(1), 3u);
  EXPECT_EQ(routable.next(3), 1u);
  EXPECT_EQ(routable.next(0), 1u);
}

TEST(Routable, EveryTargetUnhealthyFailsOpenToAll) {
  const auto table = table_of({State::Unhealthy, State::Unhealthy, State::Unhealthy});
  const Routable routable(table.get(), 3);
  EXPECT_TRUE(routable.all());
  EXPECT_EQ(routable.size(), 3u);
  EXPECT_EQ(all_nth(routable), (std::vector<std::size_t>{0, 1, 2}));
  EXPECT_EQ(routable.next(2), 0u);
}

TEST(Routable, InitialTargetsGetTrafficOnlyWhileNoneIsHealthy) {
  const auto starting = table_of({State::Initial, State::Initial});
  EXPECT_EQ(Routable(starting.get(), 2).size(), 2u);
  const auto mixed = table_of({State::Initial, State::Unhealthy});
  EXPECT_EQ(Routable(mixed.get(), 2).size(), 2u);
  const auto one = table_of({State::Initial, State::Healthy});
  const Routable routable(one.get(), 2);
  EXPECT_EQ(routable.size(), 1u);
  EXPECT_EQ(routable.nth(0), 1u);
  EXPECT_EQ(routable.next(1), 1u);
}

TEST(Routable, AllHealthyOrNoTableIsEveryTarget) {
  const auto table = table_of({State::Healthy, State::Healthy});
  EXPECT_TRUE(Routable(table.get(), 2).all());
  EXPECT_TRUE(Routable(nullptr, 5).all());
  EXPECT_EQ(Routable(nullptr, 5).size(), 5u);
  EXPECT_EQ(Routable(nullptr, 5).nth(4), 4u);
  // A table that does not describe these targets is ignored.
  EXPECT_TRUE(Routable(table.get(), 3).all());
}

TEST(Routable, StatesChangingWhilePickingStayInRange) {
  const auto table = table_of({State::Healthy, State::Unhealthy, State::Healthy});
  const Routable routable(table.get(), 3);
  ASSERT_EQ(routable.size(), 2u);
  table->set(2, State::Unhealthy);  // the checker wrote meanwhile
  EXPECT_LT(routable.nth(1), 3u);
  table->set(0, State::Unhealthy);
  EXPECT_LT(routable.nth(0), 3u);
  EXPECT_LT(routable.next(0), 3u);
}

TEST(Routable, RoundRobinOverHealthyTargetsSpreadsEvenly) {
  const auto table =
      table_of({State::Healthy, State::Unhealthy, State::Healthy, State::Healthy, State::Initial});
  const Routable routable(table.get(), 5);
  std::vector<int> hits(5);
  for (std::size_t counter = 0; counter < 300; ++counter)
    ++hits[routable.nth(counter % routable.size())];
  EXPECT_EQ(hits, (std::vector<int>{100, 0, 100, 100, 0}));
}

}  // namespace
}  // namespace gatehouse::health
