// Per-user limit on wrong passwords: after kMaxFailures in a row the user is locked for
// kLockSeconds, and attempts meanwhile are refused without checking the password. One slot per
// configured user, so memory is bounded by the user list, not by what clients send. Internal
// to the idp module; not thread-safe.
#pragma once

#include <cstdint>
#include <vector>

namespace gatehouse::idp {

class LoginThrottle {
 public:
  static constexpr int kMaxFailures = 5;
  static constexpr std::int64_t kLockSeconds = 30;

  explicit LoginThrottle(std::size_t users) : slots_(users) {}

  // Seconds until `user` may try again; 0 when a password may be checked now.
  std::int64_t locked_for(std::size_t user, std::int64_t now) const {
    const Slot& slot = slots_[user];
    return slot.locked_until > now ? slot.locked_until - now : 0;
  }

  void failed(std::size_t user, std::int64_t now) {
    Slot& slot = slots_[user];
    if (slot.locked_until != 0 && slot.locked_until <= now) slot = {};
    if (++slot.failures >= kMaxFailures) slot.locked_until = now + kLockSeconds;
  }

  void succeeded(std::size_t user) { slots_[user] = {}; }

 private:
  struct Slot {
    int failures = 0;
    std::int64_t locked_until = 0;
  };
  std::vector<Slot> slots_;
};

}  // namespace gatehouse::idp
