// A bounded map from random handles (codes, login session ids, refresh tokens) to what they
// stand for, each entry with an expiry. Every entry of one store lives equally long, so
// insertion order is expiry order: inserting drops expired entries from the front and, when
// the store is full, the oldest live one. Internal to the idp module; not thread-safe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>

namespace gatehouse::idp {

template <class V>
class ExpiringStore {
 public:
  explicit ExpiringStore(std::size_t capacity) : capacity_(capacity) {}

  // Stores `value` under `key` until `expires_at`. A key already present is replaced.
  void put(std::string key, V value, std::int64_t expires_at, std::int64_t now) {
    trim(now);
    const std::uint64_t serial = ++serial_;
    order_.emplace_back(key, serial);
    entries_.insert_or_assign(std::move(key), Entry{std::move(value), expires_at, serial});
  }

  // The live entry under `key`, removed from the store (single use); nullopt when there is
  // none or it expired.
  std::optional<V> take(std::string_view key, std::int64_t now) {
    auto found = entries_.find(std::string(key));
    if (found == entries_.end()) return std::nullopt;
    std::optional<V> out;
    if (found->second.expires_at > now) out = std::move(found->second.value);
    entries_.erase(found);
    return out;
  }

  // The live entry under `key`, or nullptr; valid until the next put, take or erase.
  const V* find(std::string_view key, std::int64_t now) const {
    auto found = entries_.find(std::string(key));
    if (found == entries_.end() || found->second.expires_at <= now) return nullptr;
    return &found->second.value;
  }

  void erase(std::string_view key) { entries_.erase(std::string(key)); }
  std::size_t size() const { return entries_.size(); }

 private:
  struct Entry {
    V value;
    std::int64_t expires_at;
    std::uint64_t serial;  // tells a replaced or taken key's stale order_ slot apart
  };

  // Makes room for one more entry.
  void trim(std::int64_t now) {
    while (!order_.empty()) {
      auto found = entries_.find(order_.front().first);
      const bool stale = found == entries_.end() || found->second.serial != order_.front().second;
      if (!stale && found->second.expires_at > now && entries_.size() < capacity_) break;
      if (!stale) entries_.erase(found);
      order_.pop_front();
    }
    // Taken entries leave slots behind in the middle of order_; rebuild once they dominate.
    if (order_.size() > 2 * capacity_ + 16) {
      std::deque<std::pair<std::string, std::uint64_t>> live;
      for (auto& slot : order_) {
        auto found = entries_.find(slot.first);
        if (found != entries_.end() && found->second.serial == slot.second) {
          live.push_back(std::move(slot));
        }
      }
      order_ = std::move(live);
    }
  }

  std::size_t capacity_;
  std::uint64_t serial_ = 0;
  std::unordered_map<std::string, Entry> entries_;
  std::deque<std::pair<std::string, std::uint64_t>> order_;
};

}  // namespace gatehouse::idp
