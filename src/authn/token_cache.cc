#include "authn/token_cache.h"

namespace gatehouse::authn {

const TokenCache::Entry* TokenCache::find(std::string_view token, std::string_view scope,
                                          std::uint64_t generation, std::int64_t now_seconds) {
  const auto found = cacheable(token) ? index_.find(token) : index_.end();
  if (found == index_.end()) {
    ++misses_;
    return nullptr;
  }
  const Lru::iterator node = found->second;
  const Entry& entry = node->entry;
  // A rotated key set, another provider's view of the claims, or an expired token: the entry
  // can never stand again, so it goes now rather than waiting for eviction.
  if (entry.generation != generation || entry.scope != scope ||
      jose::verify_time(entry.checks, now_seconds) == jose::Status::JwtExpired) {
    erase(node);
    ++misses_;
    return nullptr;
  }
  lru_.splice(lru_.begin(), lru_, node);
  ++hits_;
  return &node->entry;
}

void TokenCache::insert(std::string_view token, Entry entry) {
  if (capacity_ == 0 || !cacheable(token)) return;
  if (const auto found = index_.find(token); found != index_.end()) erase(found->second);
  lru_.push_front(Node{std::string(token), std::move(entry)});
  index_.emplace(lru_.front().token, lru_.begin());
  if (index_.size() > capacity_) erase(std::prev(lru_.end()));
}

void TokenCache::erase(Lru::iterator node) {
  index_.erase(node->token);
  lru_.erase(node);
}

}  // namespace gatehouse::authn
