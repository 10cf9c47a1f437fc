// Sessions a worker opened recently, by their sealed text. Opening a session costs a base64
// decode and an AES-GCM decryption (about 2 us, more than the rest of the edge), and a browser
// sends the same cookie with every request until the session changes, so each worker keeps
// what it opened. One per worker thread; no locks. Cleared when the worker takes a new
// snapshot (a reload may have removed the key a cached session was sealed with).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>

#include "session/session.h"

namespace gatehouse::gateway {

class SessionCache {
 public:
  explicit SessionCache(std::size_t max_entries = 4096) : max_entries_(max_entries) {}

  // The session sealed as `sealed` for the login `login_id` (EdgeLogin::id); null when absent or
  // past its end. Valid until the next put() or clear().
  const session::Session* find(std::uint64_t login_id, std::string_view sealed, std::int64_t now);
  // Remembers an opened session; the whole cache is dropped when it is full (it refills from
  // the next requests, one decryption each).
  void put(std::uint64_t login_id, std::string_view sealed, const session::Session& session);
  void clear() { entries_.clear(); }
  std::size_t size() const { return entries_.size(); }

 private:
  // The sealed text ends in its GCM tag, unique per seal: its last bytes make a good hash and
  // leave the full comparison to the key's equality.
  struct TailHash {
    using is_transparent = void;
    std::size_t operator()(std::string_view key) const;
  };
  struct Equal {
    using is_transparent = void;
    bool operator()(std::string_view a, std::string_view b) const { return a == b; }
  };

  std::size_t max_entries_;
  // Key: the login's id (8 bytes) then the sealed text.
  std::unordered_map<std::string, session::Session, TailHash, Equal> entries_;
  std::string key_;  // scratch for lookups
};

}  // namespace gatehouse::gateway
