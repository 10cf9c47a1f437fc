// SessionCache: a worker's sessions by login and Cookie header, dropped at their end.
#include "gateway/session_cache.h"

#include <gtest/gtest.h>

namespace gatehouse::gateway {
namespace {

CachedSession session_until(std::int64_t end, std::string token = "at") {
  CachedSession c;
  session::Session& s = c.session;
  s.expires_at = end;
  s.access_token = std::move(token);
  s.access_token_expires_at = end;
  s.claims_json = R"({"sub":"alice"})";
  return c;
}

TEST(SessionCache, FindsWhatWasPutForTheSameLoginAndText) {
  const std::uint64_t a = 1, b = 2;
  SessionCache cache;
  cache.put(a, "sealed-text-1", session_until(100, "one"));
  const CachedSession* found = cache.find(a, "sealed-text-1", 50);
  ASSERT_NE(found, nullptr);
  EXPECT_EQ(found->session.access_token, "one");
  EXPECT_EQ(cache.find(b, "sealed-text-1", 50), nullptr) << "another login's keys";
  EXPECT_EQ(cache.find(a, "sealed-text-2", 50), nullptr);
  EXPECT_EQ(cache.find(a, "sealed-text-", 50), nullptr);
}

TEST(SessionCache, HeadersWithTheSameEdgesAreStillDifferent) {
  const std::uint64_t a = 1;
  SessionCache cache;
  const std::string edge(40, 'E');
  cache.put(a, edge + "first" + edge, session_until(100, "first"));
  cache.put(a, edge + "other" + edge, session_until(100, "other"));
  EXPECT_EQ(cache.find(a, edge + "first" + edge, 0)->session.access_token, "first");
  EXPECT_EQ(cache.find(a, edge + "other" + edge, 0)->session.access_token, "other");
  EXPECT_EQ(cache.find(a, edge + "third" + edge, 0), nullptr);
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
