// The per-worker cache of verified tokens, so a token seen before costs a hash lookup instead
// of a parse and a signature check. A bounded LRU keyed by the token bytes; an entry stands
// only for the key set generation and provider cache scope it was verified under, and never
// once the token has expired. Not thread-safe: each worker owns one.
#pragma once

#include <cstddef>
#include <cstdint>
#include <list>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>

#include "authn/identity.h"
#include "jose/jwt.h"

namespace gatehouse::authn {

class TokenCache {
 public:
  struct Entry {
    std::string scope;             // Provider::cache_scope it was verified for
    std::uint64_t generation = 0;  // of the key set that verified it
    // What every request re-checks, as Envoy does on a cache hit: iss, aud, nbf, exp. The
    // bulky members (segments, claims) are left empty: the identity holds the claims.
    jose::Jwt checks;
    std::shared_ptr<const Identity> identity;
  };

  static constexpr std::size_t kDefaultCapacity = 10'000;
  // Longer tokens are verified every time, which bounds what a full cache holds (real access
  // tokens are 1-8 KiB).
  static constexpr std::size_t kDefaultMaxTokenBytes = 8 * 1024;

  explicit TokenCache(std::size_t capacity = kDefaultCapacity,
                      std::size_t max_token_bytes = kDefaultMaxTokenBytes)
      : capacity_(capacity), max_token_bytes_(max_token_bytes) {}
  TokenCache(const TokenCache&) = delete;
  TokenCache& operator=(const TokenCache&) = delete;

  // Whether find() and insert() consider `token` at all (by its size).
  bool cacheable(std::string_view token) const { return token.size() <= max_token_bytes_; }

  // The entry for `token` when it was verified under `scope` and `generation` and has not
  // expired at `now_seconds` (with jose's clock skew), made the most recently used; else
  // nullptr, and an entry that can no longer stand is dropped. Counts a hit or a miss.
  // Allocates nothing.
  const Entry* find(std::string_view token, std::string_view scope, std::uint64_t generation,
                    std::int64_t now_seconds);

  // Stores `entry` for `token` (replacing any), evicting the least recently used entry beyond
  // the capacity. Does nothing for a token that is not cacheable() or with capacity 0.
  void insert(std::string_view token, Entry entry);

  std::size_t size() const { return index_.size(); }
  std::size_t capacity() const { return capacity_; }
  std::uint64_t hits() const { return hits_; }
  std::uint64_t misses() const { return misses_; }

 private:
  struct Node {
    std::string token;
    Entry entry;
  };
  using Lru = std::list<Node>;

  void erase(Lru::iterator node);

  std::size_t capacity_;
  std::size_t max_token_bytes_;
  Lru lru_;  // most recently used first; list nodes never move, so index_ can view their tokens
  std::unordered_map<std::string_view, Lru::iterator> index_;
  std::uint64_t hits_ = 0;
  std::uint64_t misses_ = 0;
};

}  // namespace gatehouse::authn
