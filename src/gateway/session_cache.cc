#include "gateway/session_cache.h"

#include <functional>

namespace gatehouse::gateway {
namespace {

constexpr std::size_t kEdgeBytes = 40;  // the 8-byte id and 32 bytes of cookies

void make_key(std::string& key, std::uint64_t login_id, std::string_view cookie_header) {
  key.assign(reinterpret_cast<const char*>(&login_id), sizeof(login_id));
  key.append(cookie_header);
}

}  // namespace

std::size_t SessionCache::EdgeHash::operator()(std::string_view key) const {
  const std::hash<std::string_view> hash;
  if (key.size() <= 2 * kEdgeBytes) return hash(key);
  return hash(key.substr(0, kEdgeBytes)) ^ (hash(key.substr(key.size() - kEdgeBytes)) * 31) ^
         key.size();
}

const CachedSession* SessionCache::find(std::uint64_t login_id, std::string_view cookie_header,
                                        std::int64_t now) {
  make_key(key_, login_id, cookie_header);
  const auto it = entries_.find(std::string_view(key_));
  if (it == entries_.end()) return nullptr;
  if (now >= it->second.session.expires_at) {
    entries_.erase(it);
    return nullptr;
  }
  return &it->second;
}

void SessionCache::put(std::uint64_t login_id, std::string_view cookie_header,
                       const CachedSession& entry) {
  if (entries_.size() >= max_entries_) entries_.clear();
  make_key(key_, login_id, cookie_header);
  entries_.insert_or_assign(key_, entry);
}

}  // namespace gatehouse::gateway
