// ExpiringStore: single use, expiry, and the size bound.
#include <gtest/gtest.h>

#include "idp/expiring_store.h"

namespace gatehouse::idp {
namespace {

TEST(ExpiringStore, TakeIsSingleUse) {
  ExpiringStore<int> store(4);
  store.put("a", 1, 160, 100);
  EXPECT_EQ(store.take("a", 100), 1);
  EXPECT_EQ(store.take("a", 100), std::nullopt);
}

TEST(ExpiringStore, ExpiredEntriesAreGone) {
  ExpiringStore<int> store(4);
  store.put("a", 1, 160, 100);
  EXPECT_NE(store.find("a", 159), nullptr);
  EXPECT_EQ(store.find("a", 160), nullptr);
  EXPECT_EQ(store.take("a", 160), std::nullopt);
}

TEST(ExpiringStore, FullStoreDropsTheOldest) {
  ExpiringStore<int> store(3);
  for (int i = 0; i < 5; ++i) store.put("k" + std::to_string(i), i, 1000, 100);
  EXPECT_EQ(store.size(), 3u);
  EXPECT_EQ(store.find("k0", 100), nullptr);
  EXPECT_EQ(store.find("k1", 100), nullptr);
  ASSERT_NE(store.find("k4", 100), nullptr);
  EXPECT_EQ(*store.find("k4", 100), 4);
}

TEST(ExpiringStore, StaysBoundedUnderChurn) {
  ExpiringStore<int> store(8);
  for (int i = 0; i < 10'000; ++i) {
    store.put("k" + std::to_string(i), i, 1'000'000, 100);
    if (i % 2 == 0) store.take("k" + std::to_string(i), 100);
  }
  EXPECT_LE(store.size(), 8u);
}

TEST(ExpiringStore, ExpiredEntriesArePurgedOnInsert) {
  ExpiringStore<int> store(100);
  for (int i = 0; i < 50; ++i) store.put("old" + std::to_string(i), i, 110, 100);
  store.put("new", 1, 1000, 200);
  EXPECT_EQ(store.size(), 1u);
}

}  // namespace
}  // namespace gatehouse::idp
