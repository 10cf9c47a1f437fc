// JwksFetcher against nginx serving JWKS files from a temp dir, and a raw server that never
// answers: publishing, rotation, failures keeping the last good keys, rate limiting.
#include "keys/jwks_fetcher.h"

#include <gtest/gtest.h>

#include <mutex>
#include <numeric>
#include <optional>
#include <thread>

#include "test_keys.h"
#include "test_servers.h"

namespace gatehouse::keys {
namespace {

using namespace std::chrono_literals;
using namespace testing;

// What the fetcher published, in order.
class Published {
 public:
  Publish callback() {
    return [this](const std::string& id, const authn::KeySet& keys) {
      std::lock_guard lock(mutex_);
      sets_.emplace_back(id, keys);
    };
  }
  std::size_t count() const {
    std::lock_guard lock(mutex_);
    return sets_.size();
  }
  std::pair<std::string, authn::KeySet> last() const {
    std::lock_guard lock(mutex_);
    return sets_.empty() ? std::pair<std::string, authn::KeySet>{} : sets_.back();
  }
  bool wait_for(std::size_t count, std::chrono::milliseconds limit = 10s) const {
    return wait_until([&] { return this->count() >= count; }, limit);
  }

 private:
  mutable std::mutex mutex_;
  std::vector<std::pair<std::string, authn::KeySet>> sets_;
};

uint64_t fetches(const SourceStatus& status) {
  return std::accumulate(status.fetches.begin(), status.fetches.end(), uint64_t{0});
}

class FetcherTest : public ::testing::Test {
 protected:
  FetcherTest() { write_file(root_ / "jwks.json", jwks_document({"a", "b"})); }

  // Starts a fetcher whose schedule never fires on its own during a test.
  void start(Settings settings = {
                 .refresh = 3600s, .retry_after_failure = 3600s, .min_refetch_interval = 0s}) {
    fetcher_.emplace(std::move(settings), published_.callback());
    fetcher_->start();
  }
  // The source's status; an empty one when the fetcher does not know it.
  SourceStatus status(const std::string& id = "jwks") const {
    for (SourceStatus& status : fetcher_->snapshot())
      if (status.id == id) return status;
    return {};
  }
  bool wait_for_fetches(uint64_t count, const std::string& id = "jwks") const {
    return wait_until([&] { return fetches(status(id)) >= count; });
  }
  // Asks for a refetch and waits until it has ended; returns its result.
  std::optional<FetchResult> refetch() {
    const uint64_t before = fetches(status());
    fetcher_->request_refetch("jwks");
    EXPECT_TRUE(wait_for_fetches(before + 1));
    return status().last_result;
  }
  Source source(const std::string& id, const std::string& path) const {
    return {.id = id, .jwks_uri = nginx_.url(path)};
  }

  TempDir root_;
  Nginx nginx_{root_.path()};
  Published published_;
  std::optional<JwksFetcher> fetcher_;  // stopped before what it publishes to goes away
};

TEST_F(FetcherTest, FirstFetchPublishesTheKeys) {
  start();
  const auto before = std::chrono::system_clock::now();
  fetcher_->set_sources({source("jwks", "/jwks.json")});
  ASSERT_TRUE(published_.wait_for(1));
  const auto [id, keys] = published_.last();
  EXPECT_EQ(id, "jwks");
  EXPECT_GT(keys.generation, 0u);
  EXPECT_EQ(kids_of(*keys.jwks), (std::vector<std::string>{"a", "b"}));
  EXPECT_GE(keys.fetched_at, before);

  const SourceStatus now = status();
  EXPECT_EQ(now.last_result, FetchResult::Ok);
  EXPECT_EQ(now.fetch_count(FetchResult::Ok), 1u);
  EXPECT_EQ(now.key_count(), 2u);
  EXPECT_EQ(now.keys.generation, keys.generation);
  EXPECT_EQ(now.jwks_uri, nginx_.url("/jwks.json"));
  EXPECT_EQ(fetcher_->key_table().at("jwks").jwks, keys.jwks);
}

TEST_F(FetcherTest, SourcesSetBeforeStartAreFetchedOnStart) {
  fetcher_.emplace(Settings{}, published_.callback());
  fetcher_->set_sources({source("jwks", "/jwks.json")});
  EXPECT_FALSE(published_.wait_for(1, 200ms));
  fetcher_->start();
  EXPECT_TRUE(published_.wait_for(1));
}

TEST_F(FetcherTest, RotatedKeysArePublishedAfterARefetch) {
  start();
  fetcher_->set_sources({source("jwks", "/jwks.json")});
  ASSERT_TRUE(published_.wait_for(1));
  const uint64_t first = published_.last().second.generation;
  write_file(root_ / "jwks.json", jwks_document({"c"}));
  fetcher_->request_refetch("jwks");
  ASSERT_TRUE(published_.wait_for(2));
  const authn::KeySet rotated = published_.last().second;
  EXPECT_GT(rotated.generation, first);
  EXPECT_EQ(kids_of(*rotated.jwks), std::vector<std::string>{"c"});
  EXPECT_EQ(fetcher_->key_table().at("jwks").generation, rotated.generation);
}

TEST_F(FetcherTest, TheSameContentIsNotPublishedAgain) {
  start();
  fetcher_->set_sources({source("jwks", "/jwks.json")});
  ASSERT_TRUE(published_.wait_for(1));
  EXPECT_EQ(refetch(), FetchResult::Ok);
  // A third fetch ends after the second one's publish would have been made.
  EXPECT_EQ(refetch(), FetchResult::Ok);
  EXPECT_EQ(published_.count(), 1u);
  EXPECT_TRUE(wait_until([&] { return nginx_.requests("/jwks.json") == 3; }));
}

TEST_F(FetcherTest, ServerDownKeepsTheLastGoodKeys) {
  start();
  fetcher_->set_sources({source("jwks", "/jwks.json")});
  ASSERT_TRUE(published_.wait_for(1));
  const authn::KeySet good = published_.last().second;
  nginx_.stop();
  EXPECT_EQ(refetch(), FetchResult::ConnectError);
  const SourceStatus down = status();
  EXPECT_NE(down.last_error.find("connecting to 127.0.0.1"), std::string::npos) << down.last_error;
  EXPECT_EQ(down.keys.jwks, good.jwks);
  EXPECT_EQ(down.keys.generation, good.generation);
  EXPECT_EQ(fetcher_->key_table().at("jwks").generation, good.generation);
  EXPECT_EQ(published_.count(), 1u);
}

TEST_F(FetcherTest, GarbageOversizedAndKeylessBodiesKeepTheLastGoodKeys) {
  start();
  fetcher_->set_sources({source("jwks", "/jwks.json")});
  ASSERT_TRUE(published_.wait_for(1));
  const uint64_t good = published_.last().second.generation;

  write_file(root_ / "jwks.json", "<html>not a key set</html>");
  EXPECT_EQ(refetch(), FetchResult::BadJwks);
  EXPECT_EQ(status().last_error, "Jwks is an invalid JSON");
  write_file(root_ / "jwks.json",
             R"({"keys":[)" + new_public_jwk("x") + "]}" + std::string(2 << 20, ' '));
  EXPECT_EQ(refetch(), FetchResult::TooLarge);
  write_file(root_ / "jwks.json", R"({"keys":[{"kty":"oct","k":"c2VjcmV0"}]})");
  EXPECT_EQ(refetch(), FetchResult::BadJwks);  // secrets are never taken from the network
  write_file(root_ / "jwks.json", R"({"keys":[]})");
  EXPECT_EQ(refetch(), FetchResult::BadJwks);

  const SourceStatus after = status();
  EXPECT_EQ(after.keys.generation, good);
  EXPECT_EQ(after.key_count(), 2u);
  EXPECT_EQ(after.fetch_count(FetchResult::BadJwks), 3u);
  EXPECT_EQ(after.fetch_count(FetchResult::TooLarge), 1u);
  EXPECT_EQ(published_.count(), 1u);
}

TEST_F(FetcherTest, FailureIsRetriedAfterTheRetryInterval) {
  start({.refresh = 3600s, .retry_after_failure = 1s, .min_refetch_interval = 3600s});
  fetcher_->set_sources({source("jwks", "/late.json")});
  ASSERT_TRUE(wait_for_fetches(1));
  EXPECT_EQ(status().last_result, FetchResult::HttpStatus);
  EXPECT_EQ(status().last_error, "HTTP status 404");
  write_file(root_ / "late.json", jwks_document({"late"}));
  EXPECT_TRUE(published_.wait_for(1, 5s));
}

TEST_F(FetcherTest, KeysAreRefreshedOnSchedule) {
  start({.refresh = 1s, .retry_after_failure = 3600s, .min_refetch_interval = 3600s});
  fetcher_->set_sources({source("jwks", "/jwks.json")});
  ASSERT_TRUE(published_.wait_for(1));
  write_file(root_ / "jwks.json", jwks_document({"next"}));
  ASSERT_TRUE(published_.wait_for(2, 5s));
  EXPECT_EQ(kids_of(*published_.last().second.jwks), std::vector<std::string>{"next"});
}

TEST_F(FetcherTest, ASilentServerTimesOutWithoutHoldingUpOtherSources) {
  RawServer silent("");
  start();
  const auto begin = std::chrono::steady_clock::now();
  fetcher_->set_sources({{.id = "slow", .jwks_uri = silent.url("/jwks"), .timeout = 1500ms},
                         source("jwks", "/jwks.json")});
  ASSERT_TRUE(published_.wait_for(1, 1000ms));
  EXPECT_EQ(published_.last().first, "jwks");
  EXPECT_TRUE(status("slow").fetching);
  ASSERT_TRUE(wait_for_fetches(1, "slow"));
  const auto took = std::chrono::steady_clock::now() - begin;
  EXPECT_EQ(status("slow").last_result, FetchResult::Timeout);
  EXPECT_GE(took, 1500ms);
  EXPECT_LT(took, 3000ms);
}

TEST_F(FetcherTest, DiscoveryFindsTheJwks) {
  std::filesystem::create_directories(root_ / ".well-known");
  write_file(
      root_ / ".well-known/openid-configuration",
      R"({"issuer":")" + nginx_.url("") + R"(","jwks_uri":")" + nginx_.url("/jwks.json") + R"("})");
  start();
  fetcher_->set_sources({{.id = "discovery", .issuer = nginx_.url("/")}});
  ASSERT_TRUE(published_.wait_for(1));
  EXPECT_EQ(kids_of(*published_.last().second.jwks), (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(status("discovery").jwks_uri, nginx_.url("/jwks.json"));
  EXPECT_TRUE(
      wait_until([&] { return nginx_.requests("/.well-known/openid-configuration") == 1; }));
}

TEST_F(FetcherTest, DiscoveryWithoutAnHttpJwksUriFails) {
  std::filesystem::create_directories(root_ / "bad/.well-known");
  write_file(root_ / "bad/.well-known/openid-configuration", R"({"jwks_uri":"ftp://x/keys"})");
  start();
  fetcher_->set_sources({{.id = "bad", .issuer = nginx_.url("/bad")},
                         {.id = "missing", .issuer = nginx_.url("/missing")},
                         {.id = "no-url", .issuer = "accounts.example"}});
  ASSERT_TRUE(wait_for_fetches(1, "bad") && wait_for_fetches(1, "missing") &&
              wait_for_fetches(1, "no-url"));
  EXPECT_EQ(status("bad").last_result, FetchResult::BadDiscovery);
  EXPECT_NE(status("bad").last_error.find("ftp://x/keys"), std::string::npos);
  EXPECT_EQ(status("missing").last_result, FetchResult::HttpStatus);
  EXPECT_EQ(status("no-url").last_result, FetchResult::BadDiscovery);
  EXPECT_EQ(published_.count(), 0u);
}

TEST_F(FetcherTest, AThousandRefetchRequestsCauseOneFetch) {
  start({.refresh = 3600s, .retry_after_failure = 3600s, .min_refetch_interval = 1s});
  fetcher_->set_sources({source("jwks", "/jwks.json")});
  ASSERT_TRUE(published_.wait_for(1));
  std::vector<std::thread> callers;
  for (int t = 0; t < 4; ++t)
    callers.emplace_back([&] {
      for (int i = 0; i < 250; ++i) fetcher_->request_refetch("jwks");
    });
  for (std::thread& caller : callers) caller.join();
  // Put off to the end of the interval after the first fetch, then nothing more.
  ASSERT_TRUE(wait_for_fetches(2));
  std::this_thread::sleep_for(1500ms);
  EXPECT_EQ(fetches(status()), 2u);
  EXPECT_EQ(nginx_.requests("/jwks.json"), 2u);
}

TEST_F(FetcherTest, SetSourcesKeepsStayingSourcesAndForgetsRemovedOnes) {
  write_file(root_ / "b.json", jwks_document({"b1"}));
  start();
  fetcher_->set_sources({source("jwks", "/jwks.json")});
  ASSERT_TRUE(published_.wait_for(1));
  const uint64_t generation = published_.last().second.generation;

  Source longer = source("jwks", "/jwks.json");
  longer.timeout = 9s;
  fetcher_->set_sources({longer, source("b", "/b.json")});
  ASSERT_TRUE(published_.wait_for(2));
  EXPECT_EQ(published_.last().first, "b");
  EXPECT_EQ(status("jwks").keys.generation, generation);
  EXPECT_EQ(fetches(status("jwks")), 1u);  // kept, not fetched again

  fetcher_->set_sources({source("b", "/b.json")});
  ASSERT_TRUE(wait_until([&] { return fetcher_->snapshot().size() == 1; }));
  fetcher_->request_refetch("jwks");  // forgotten: nothing to do
  EXPECT_EQ(fetcher_->key_table().count("jwks"), 0u);
  EXPECT_EQ(status("b").key_count(), 1u);
}

TEST_F(FetcherTest, StopsPromptlyWithAFetchInFlight) {
  RawServer silent("");
  start();
  fetcher_->set_sources({{.id = "slow", .jwks_uri = silent.url("/jwks"), .timeout = 30s}});
  ASSERT_TRUE(wait_until([&] { return silent.connections() == 1; }));
  const auto begin = std::chrono::steady_clock::now();
  fetcher_.reset();
  EXPECT_LT(std::chrono::steady_clock::now() - begin, 1s);
}

}  // namespace
}  // namespace gatehouse::keys
