// Sessions a worker opened recently, by the Cookie header that carried them. Reading a session
// costs parsing the Cookie header, joining the shards, a base64 decode and an AES-GCM
// decryption (about 3 us, more than the rest of the edge), and a browser sends the same Cookie
// header with every request until the session changes, so each worker keeps what it read.
// One per worker thread; no locks. Cleared when the worker takes a new snapshot (a reload may
// have removed the key a cached session was sealed with).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>

#include "session/session.h"

namespace gatehouse::gateway {

struct CachedSession {
  session::Session session;
  // The header held the gateway's cookies only: it is dropped before the request goes upstream.
  bool only_gateway_cookies = false;
};

class SessionCache {
 public:
  explicit SessionCache(std::size_t max_entries = 4096) : max_entries_(max_entries) {}

  // What the login `login_id` (EdgeLogin::id) read from this exact Cookie header value; null
  // when absent or past the session's end. Valid until the next put() or clear().
  const CachedSession* find(std::uint64_t login_id, std::string_view cookie_header,
                            std::int64_t now);
  // Remembers a session read from `cookie_header`; the whole cache is dropped when it is full
  // (it refills from the next requests, one decryption each).
  void put(std::uint64_t login_id, std::string_view cookie_header, const CachedSession& entry);
  void clear() { entries_.clear(); }
  std::size_t size() const { return entries_.size(); }

 private:
  // Hashes the key's first and last bytes and its length: cheap for kilobytes of cookies, and
  // the key's equality compares everything.
  struct EdgeHash {
    using is_transparent = void;
    std::size_t operator()(std::string_view key) const;
  };
  struct Equal {
    using is_transparent = void;
    bool operator()(std::string_view a, std::string_view b) const { return a == b; }
  };

  std::size_t max_entries_;
  // Key: the login's id (8 bytes) then the Cookie header value.
  std::unordered_map<std::string, CachedSession, EdgeHash, Equal> entries_;
  std::string key_;  // scratch for lookups
};

}  // namespace gatehouse::gateway
