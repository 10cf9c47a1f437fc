#include "gateway/session_cache.h"

#include <functional>

namespace gatehouse::gateway {
namespace {

constexpr std::size_t kTailBytes = 32;

void make_key(std::string& key, std::uint64_t login_id, std::string_view sealed) {
  key.assign(reinterpret_cast<const char*>(&login_id), sizeof(login_id));
  key.append(sealed);
}

}  // namespace

std::size_t SessionCache::TailHash::operator()(std::string_view key) const {
  const std::size_t tail = key.size() < kTailBytes ? key.size() : kTailBytes;
  return std::hash<std::string_view>{}(key.substr(key.size() - tail)) ^ key.size();
}

const session::Session* SessionCache::find(std::uint64_t login_id, std::string_view sealed,
                                           std::int64_t now) {
  make_key(key_, login_id, sealed);
  const auto it = entries_.find(std::string_view(key_));
  if (it == entries_.end()) return nullptr;
  if (now >= it->second.expires_at) {
    entries_.erase(it);
    return nullptr;
  }
  return &it->second;
}

void SessionCache::put(std::uint64_t login_id, std::string_view sealed,
                       const session::Session& session) {
  if (entries_.size() >= max_entries_) entries_.clear();
  make_key(key_, login_id, sealed);
  entries_.insert_or_assign(key_, session);
}

}  // namespace gatehouse::gateway
