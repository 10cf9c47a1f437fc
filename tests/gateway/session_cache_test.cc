// SessionCache: a worker's opened sessions by sealed text and login, dropped at their end.
#include "gateway/session_cache.h"

#include <gtest/gtest.h>

namespace gatehouse::gateway {
namespace {

session::Session session_until(std::int64_t end, std::string token = "at") {
  session::Session s;
  s.expires_at = end;
  s.access_token = std::move(token);
  s.access_token_expires_at = end;
  s.claims_json = R"({"sub":"alice"})";
  return s;
}

TEST(SessionCache, FindsWhatWasPutForTheSameLoginAndText) {
  const std::uint64_t a = 1, b = 2;
  SessionCache cache;
  cache.put(a, "sealed-text-1", session_until(100, "one"));
  const session::Session* found = cache.find(a, "sealed-text-1", 50);
  ASSERT_NE(found, nullptr);
  EXPECT_EQ(found->access_token, "one");
  EXPECT_EQ(cache.find(b, "sealed-text-1", 50), nullptr) << "another login's keys";
  EXPECT_EQ(cache.find(a, "sealed-text-2", 50), nullptr);
  EXPECT_EQ(cache.find(a, "sealed-text-", 50), nullptr);
}

TEST(SessionCache, TextsWithTheSameTailAreStillDifferent) {
  const std::uint64_t a = 1;
  SessionCache cache;
  const std::string tail(40, 'T');
  cache.put(a, "first" + tail, session_until(100, "first"));
  cache.put(a, "other" + tail, session_until(100, "other"));
  EXPECT_EQ(cache.find(a, "first" + tail, 0)->access_token, "first");
  EXPECT_EQ(cache.find(a, "other" + tail, 0)->access_token, "other");
  EXPECT_EQ(cache.find(a, "third" + tail, 0), nullptr);
}

TEST(SessionCache, SessionsPastTheirEndAreGone) {
  const std::uint64_t a = 1;
  SessionCache cache;
  cache.put(a, "s", session_until(100));
  EXPECT_NE(cache.find(a, "s", 99), nullptr);
  EXPECT_EQ(cache.find(a, "s", 100), nullptr);
  EXPECT_EQ(cache.size(), 0u);
}

TEST(SessionCache, IsBoundedAndCanBeCleared) {
  const std::uint64_t a = 1;
  SessionCache cache(3);
  for (int i = 0; i < 7; ++i) cache.put(a, "s" + std::to_string(i), session_until(100));
  EXPECT_LE(cache.size(), 3u);
  EXPECT_NE(cache.find(a, "s6", 0), nullptr);
  cache.clear();
  EXPECT_EQ(cache.find(a, "s6", 0), nullptr);
}

}  // namespace
}  // namespace gatehouse::gateway
