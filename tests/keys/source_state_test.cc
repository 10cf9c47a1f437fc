#include "keys/source_state.h"

#include <gtest/gtest.h>

#include "test_keys.h"

namespace gatehouse::keys {
namespace {

using namespace std::chrono_literals;
using testing::jwks_document;
using testing::kids_of;

std::shared_ptr<const jose::Jwks> parsed(const std::string& document) {
  jose::Result<jose::Jwks> jwks = jose::Jwks::parse(document);
  EXPECT_TRUE(jwks.ok());
  return jwks.ok() ? std::make_shared<const jose::Jwks>(std::move(jwks).value()) : nullptr;
}

Outcome success(const std::string& document) {
  return {.jwks_uri = "https://idp.example/keys", .jwks = parsed(document)};
}

Outcome failure(FetchResult result) { return {.result = result, .error = "it broke"}; }

class SourceStateTest : public ::testing::Test {
 protected:
  std::optional<authn::KeySet> finish(Outcome outcome) {
    return state_.finish(settings_, std::move(outcome), now_, wall_);
  }
  // Starts and ends a fetch at now_.
  std::optional<authn::KeySet> fetch(Outcome outcome) {
    state_.start(now_);
    return finish(std::move(outcome));
  }

  const Settings settings_{
      .refresh = 1200s, .retry_after_failure = 60s, .min_refetch_interval = 10s};
  const Clock::time_point t0_ = Clock::time_point() + 1000h;
  Clock::time_point now_ = t0_;
  std::chrono::system_clock::time_point wall_ = std::chrono::system_clock::now();
  SourceState state_{{.id = "uri:https://idp.example/keys", .jwks_uri = "https://idp.example/keys"},
                     t0_};
  const std::string document_ = jwks_document({"a", "b"});
};

TEST_F(SourceStateTest, NewSourceIsDueAtOnceWithNothingToShow) {
  EXPECT_EQ(state_.due(), t0_);
  const SourceStatus& status = state_.status();
  EXPECT_EQ(status.id, "uri:https://idp.example/keys");
  EXPECT_FALSE(status.last_result);
  EXPECT_EQ(status.keys.jwks, nullptr);
  EXPECT_EQ(status.key_count(), 0u);
}

TEST_F(SourceStateTest, FirstSuccessPublishesAndSchedulesTheRefresh) {
  state_.start(now_);
  EXPECT_TRUE(state_.status().fetching);
  now_ += 2s;
  const auto published = finish(success(document_));
  ASSERT_TRUE(published);
  EXPECT_GT(published->generation, 0u);
  EXPECT_EQ(published->fetched_at, wall_);
  EXPECT_EQ(kids_of(*published->jwks), (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(state_.due(), now_ + 1200s);
  const SourceStatus& status = state_.status();
  EXPECT_FALSE(status.fetching);
  EXPECT_EQ(status.last_result, FetchResult::Ok);
  EXPECT_EQ(status.fetch_count(FetchResult::Ok), 1u);
  EXPECT_EQ(status.key_count(), 2u);
  EXPECT_EQ(status.keys.generation, published->generation);
  EXPECT_EQ(status.jwks_uri, "https://idp.example/keys");
}

TEST_F(SourceStateTest, TheSameKeysAgainAreNotPublished) {
  const auto first = fetch(success(document_));
  ASSERT_TRUE(first);
  now_ += 1200s;
  wall_ += 1200s;
  EXPECT_FALSE(fetch(success(document_)));  // parsed anew: equal content, other objects
  EXPECT_EQ(state_.status().keys.generation, first->generation);
  EXPECT_EQ(state_.status().keys.fetched_at, wall_);  // fresh again
  EXPECT_EQ(state_.status().fetch_count(FetchResult::Ok), 2u);
  EXPECT_EQ(state_.due(), now_ + 1200s);
}

TEST_F(SourceStateTest, ChangedKeysArePublishedWithANewerGeneration) {
  const auto first = fetch(success(document_));
  const auto rotated = fetch(success(jwks_document({"a", "c"})));
  ASSERT_TRUE(first && rotated);
  EXPECT_GT(rotated->generation, first->generation);
  EXPECT_EQ(kids_of(*rotated->jwks), (std::vector<std::string>{"a", "c"}));
}

TEST_F(SourceStateTest, FailureKeepsTheLastGoodKeysAndRetriesSooner) {
  const auto first = fetch(success(document_));
  ASSERT_TRUE(first);
  const auto fetched_at = wall_;
  now_ += 1200s;
  wall_ += 1200s;
  EXPECT_FALSE(fetch(failure(FetchResult::Timeout)));
  const SourceStatus& status = state_.status();
  EXPECT_EQ(status.last_result, FetchResult::Timeout);
  EXPECT_EQ(status.last_error, "it broke");
  EXPECT_EQ(status.keys.jwks, first->jwks);
  EXPECT_EQ(status.keys.generation, first->generation);
  EXPECT_EQ(status.keys.fetched_at, fetched_at);
  EXPECT_EQ(status.jwks_uri, "https://idp.example/keys");  // a failure without a URL keeps it
  EXPECT_EQ(state_.due(), now_ + 60s);

  EXPECT_FALSE(fetch(success(document_)));  // recovered with the same keys: nothing new
  EXPECT_EQ(state_.status().last_error, "");
  EXPECT_EQ(state_.status().fetch_count(FetchResult::Timeout), 1u);
  EXPECT_EQ(state_.status().fetch_count(FetchResult::Ok), 2u);
}

TEST_F(SourceStateTest, FailureBeforeAnySuccessLeavesNoKeys) {
  EXPECT_FALSE(fetch(failure(FetchResult::BadJwks)));
  EXPECT_EQ(state_.status().keys.jwks, nullptr);
  EXPECT_EQ(state_.status().keys.generation, 0u);
  EXPECT_EQ(state_.due(), now_ + 60s);
}

TEST_F(SourceStateTest, RefetchIsPutOffToTheEndOfTheMinimumInterval) {
  fetch(success(document_));
  now_ += 3s;
  EXPECT_TRUE(state_.request_refetch(settings_, now_));
  EXPECT_EQ(state_.due(), t0_ + 10s);
  for (int i = 0; i < 1000; ++i) EXPECT_FALSE(state_.request_refetch(settings_, now_));
  EXPECT_EQ(state_.due(), t0_ + 10s);
}

TEST_F(SourceStateTest, RefetchAfterTheIntervalIsDueAtOnce) {
  fetch(success(document_));
  now_ += 30s;
  EXPECT_TRUE(state_.request_refetch(settings_, now_));
  EXPECT_EQ(state_.due(), now_);
  EXPECT_FALSE(state_.request_refetch(settings_, now_));
}

TEST_F(SourceStateTest, RefetchJoinsAFetchInFlightOrDueSooner) {
  EXPECT_FALSE(state_.request_refetch(settings_, now_));  // the first fetch is due already
  state_.start(now_);
  now_ += 20s;
  EXPECT_FALSE(state_.request_refetch(settings_, now_));  // in flight
  finish(failure(FetchResult::ConnectError));
  EXPECT_TRUE(state_.request_refetch(settings_, now_));  // before the retry
  EXPECT_EQ(state_.due(), now_);
}

TEST_F(SourceStateTest, GenerationsComeFromOneCounterForAllSources) {
  SourceState other({.id = "uri:other", .jwks_uri = "https://other.example/keys"}, t0_);
  other.start(now_);
  const auto a = fetch(success(document_));
  const auto b = other.finish(settings_, success(document_), now_, wall_);
  ASSERT_TRUE(a && b);
  EXPECT_NE(a->generation, b->generation);
}

TEST(SameKeys, ComparesKidsAlgorithmsAndKeyMaterialInOrder) {
  const std::string a = testing::new_public_jwk("a"), other_a = testing::new_public_jwk("a");
  const std::string b = testing::new_public_jwk("b");
  EXPECT_TRUE(same_keys(*parsed(testing::jwks_of({a, b})), *parsed(testing::jwks_of({a, b}))));
  EXPECT_FALSE(same_keys(*parsed(testing::jwks_of({a})), *parsed(testing::jwks_of({other_a}))));
  EXPECT_FALSE(same_keys(*parsed(testing::jwks_of({a, b})), *parsed(testing::jwks_of({b, a}))));
  EXPECT_FALSE(same_keys(*parsed(testing::jwks_of({a, b})), *parsed(testing::jwks_of({a}))));
}

TEST(ResultName, NamesEveryResult) {
  EXPECT_EQ(result_name(FetchResult::Ok), "ok");
  EXPECT_EQ(result_name(FetchResult::ConnectError), "connect_error");
  EXPECT_EQ(result_name(FetchResult::BadUrl), "bad_url");
  EXPECT_EQ(static_cast<std::size_t>(FetchResult::BadUrl) + 1, kFetchResultCount);
}

}  // namespace
}  // namespace gatehouse::keys
