// The per-worker verified-token cache, through authenticate() and on its own.
#include <gmock/gmock.h>

#include "test_support.h"

namespace gatehouse::authn {
namespace {

using jose::Status;

// One worker: a requirement, a key table and a cache that persist between requests.
struct Worker {
  std::shared_ptr<const Requirement> rules = requirement({jwt_rule()});
  KeyTable keys = default_keys();
  TokenCache cache;

  explicit Worker(std::size_t capacity = TokenCache::kDefaultCapacity,
                  std::size_t max_token_bytes = TokenCache::kDefaultMaxTokenBytes)
      : cache(capacity, max_token_bytes) {}

  Outcome present(std::string_view token, std::int64_t now = kNow) {
    TestRequest request;
    request.bearer(token);
    return run(*rules, request, keys, now, &cache);
  }
};

TEST(TokenCache, HitReturnsTheSameIdentity) {
  Worker worker;
  const std::string token = good_token();
  const Outcome first = worker.present(token);
  const Outcome second = worker.present(token);
  ASSERT_EQ(first.kind, Outcome::Kind::Verified);
  ASSERT_EQ(second.kind, Outcome::Kind::Verified);
  EXPECT_EQ(first.identity.get(), second.identity.get());
  EXPECT_EQ(worker.cache.misses(), 1u);
  EXPECT_EQ(worker.cache.hits(), 1u);
  EXPECT_EQ(worker.cache.size(), 1u);
}

TEST(TokenCache, HitSkipsTheSignatureUntilTheKeySetGenerationChanges) {
  Worker worker;
  const std::string token = good_token();
  ASSERT_EQ(worker.present(token).kind, Outcome::Kind::Verified);
  // Same generation, other keys: only a cache hit can still pass.
  KeySet& set = worker.keys.begin()->second;
  set.jwks = key_set({&test_key(jose::Alg::ES256, 2)}).jwks;
  EXPECT_EQ(worker.present(token).kind, Outcome::Kind::Verified);
  set.generation = 2;
  EXPECT_EQ(rejection(worker.present(token)), Status::JwksKidAlgMismatch);
  EXPECT_EQ(worker.cache.size(), 0u);
}

TEST(TokenCache, ExpiryIsCheckedOnEveryHit) {
  Worker worker;
  const std::string token = good_token({.exp = kNow + 100});
  ASSERT_EQ(worker.present(token).kind, Outcome::Kind::Verified);
  EXPECT_EQ(worker.present(token, kNow + 160).kind, Outcome::Kind::Verified);  // skew
  EXPECT_EQ(worker.cache.hits(), 1u);
  EXPECT_EQ(rejection(worker.present(token, kNow + 161)), Status::JwtExpired);
  EXPECT_EQ(worker.cache.size(), 0u);
  EXPECT_EQ(worker.cache.hits(), 1u);
}

TEST(TokenCache, HitStillChecksIssuerAndAudienceOfTheRule) {
  Worker worker;
  const std::string token = good_token();
  ASSERT_EQ(worker.present(token).kind, Outcome::Kind::Verified);
  config::JwtRule strict = jwt_rule();
  strict.audiences = {"payments"};
  worker.rules = requirement({strict});
  EXPECT_EQ(rejection(worker.present(token)), Status::JwtAudienceNotAllowed);
  worker.rules = requirement({jwt_rule("https://other.example")});
  EXPECT_EQ(rejection(worker.present(token)), Status::JwtUnknownIssuer);
  EXPECT_EQ(worker.cache.hits(), 2u);
}

TEST(TokenCache, OtherSplitClaimsMeanAnotherIdentity) {
  Worker worker;
  const std::string token = good_token({.extra = R"("roles":"a b")"});
  const Outcome plain = worker.present(token);
  ASSERT_EQ(plain.kind, Outcome::Kind::Verified);
  config::JwtRule splitting = jwt_rule();
  splitting.space_delimited_claims = {"roles"};
  worker.rules = requirement({splitting});
  const Outcome split = worker.present(token);
  ASSERT_EQ(split.kind, Outcome::Kind::Verified);
  EXPECT_FALSE(plain.identity->split_claims.contains("roles"));
  EXPECT_TRUE(split.identity->split_claims.contains("roles"));
  EXPECT_EQ(worker.cache.hits(), 0u);
}

TEST(TokenCache, LeastRecentlyUsedGoesBeyondTheCapacity) {
  Worker worker(2);
  const std::string a = good_token({.sub = "a"}), b = good_token({.sub = "b"}),
                    c = good_token({.sub = "c"});
  worker.present(a);
  worker.present(b);
  worker.present(a);  // b is now the least recently used
  worker.present(c);
  EXPECT_EQ(worker.cache.size(), 2u);
  EXPECT_EQ(worker.cache.hits(), 1u);
  worker.present(a);
  worker.present(c);
  EXPECT_EQ(worker.cache.hits(), 3u);
  worker.present(b);
  EXPECT_EQ(worker.cache.hits(), 3u);
  EXPECT_EQ(worker.cache.size(), 2u);
}

TEST(TokenCache, LongTokensAndZeroCapacityAreNeverStored) {
  Worker short_tokens_only(10, 100);
  ASSERT_EQ(short_tokens_only.present(good_token()).kind, Outcome::Kind::Verified);
  ASSERT_EQ(short_tokens_only.present(good_token()).kind, Outcome::Kind::Verified);
  EXPECT_EQ(short_tokens_only.cache.size(), 0u);
  EXPECT_EQ(short_tokens_only.cache.misses(), 2u);
  Worker disabled(0);
  ASSERT_EQ(disabled.present(good_token()).kind, Outcome::Kind::Verified);
  EXPECT_EQ(disabled.cache.size(), 0u);
}

TEST(TokenCache, FailuresAreNotCached) {
  Worker worker;
  EXPECT_EQ(
      worker.present(sign(Claims{.aud = R"("x")"}.json(), test_key(jose::Alg::ES256, 2))).kind,
      Outcome::Kind::Rejected);
  EXPECT_EQ(worker.cache.size(), 0u);
}

TokenCache::Entry entry(std::string scope, std::uint64_t generation,
                        std::optional<std::uint64_t> exp = std::nullopt) {
  TokenCache::Entry out{std::move(scope), generation, {}, std::make_shared<Identity>()};
  out.checks.exp = exp;
  return out;
}

TEST(TokenCacheUnit, FindNeedsTheSameScopeAndGenerationAndDropsWhatCannotStand) {
  TokenCache cache;
  cache.insert("t", entry("s", 1));
  EXPECT_NE(cache.find("t", "s", 1, kNow), nullptr);
  EXPECT_EQ(cache.find("t", "other", 1, kNow), nullptr);
  EXPECT_EQ(cache.size(), 0u);
  cache.insert("t", entry("s", 1));
  EXPECT_EQ(cache.find("t", "s", 2, kNow), nullptr);
  EXPECT_EQ(cache.size(), 0u);
  EXPECT_EQ(cache.find("absent", "s", 1, kNow), nullptr);
  EXPECT_EQ(cache.hits(), 1u);
  EXPECT_EQ(cache.misses(), 3u);
}

TEST(TokenCacheUnit, InsertReplacesAndExpiredEntriesGoOnLookup) {
  TokenCache cache;
  cache.insert("t", entry("s", 1, kNow));
  cache.insert("t", entry("s", 2, kNow));
  EXPECT_EQ(cache.size(), 1u);
  const TokenCache::Entry* found = cache.find("t", "s", 2, kNow + 60);
  ASSERT_NE(found, nullptr);
  EXPECT_EQ(found->generation, 2u);
  EXPECT_EQ(cache.find("t", "s", 2, kNow + 61), nullptr);
  EXPECT_EQ(cache.size(), 0u);
}

}  // namespace
}  // namespace gatehouse::authn
