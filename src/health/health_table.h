// Where workers read target health on the request path: one atomic state per target of a
// target group, in the order of the runtime cluster's targets. A Runtime snapshot creates
// its tables (every target `initial`) and never changes their layout; the health checker
// writes states into them, workers read them with relaxed loads, and no lock is taken.
// Routable is the choice ALB makes with them: healthy targets only, all targets when none
// is healthy (fail-open).
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>

namespace gatehouse::health {

// ALB's target states (describe-target-health `State`). Draining does not exist here: a
// target a reload removes is gone at once (requests under way keep their snapshot).
enum class State : uint8_t {
  Initial,      // registered, before the first passing check
  Healthy,      // passed one check after registration, or the healthy threshold since
  Unhealthy,    // failed the unhealthy threshold in a row
  Unused,       // its target group is not in any listener's forward action
  Unavailable,  // health checks are disabled (healthCheckEnabled: false)
};
inline constexpr std::size_t kStateCount = 5;

class HealthTable {
 public:
  explicit HealthTable(std::size_t size)
      : size_(size), states_(std::make_unique<std::atomic<uint8_t>[]>(size)) {
    for (std::size_t i = 0; i < size; ++i) states_[i].store(static_cast<uint8_t>(State::Initial));
  }
  HealthTable(const HealthTable&) = delete;
  HealthTable& operator=(const HealthTable&) = delete;

  std::size_t size() const { return size_; }
  // REQUIRES: index < size().
  State state(std::size_t index) const {
    return static_cast<State>(states_[index].load(std::memory_order_relaxed));
  }
  bool healthy(std::size_t index) const { return state(index) == State::Healthy; }
  void set(std::size_t index, State state) {
    states_[index].store(static_cast<uint8_t>(state), std::memory_order_relaxed);
  }

 private:
  std::size_t size_;
  std::unique_ptr<std::atomic<uint8_t>[]> states_;
};

// The targets one request may go to, out of `count` targets described by `table`: the
// healthy ones; every one when none is healthy (ALB fails open), when all are, or when
// there is no table (mesh clusters) or it does not describe these targets. Initial targets
// count as not healthy: they get traffic only while no target is healthy, which is also
// what keeps a fresh gateway serving before its first checks end.
// States may change while a request picks; every index returned is still < count.
class Routable {
 public:
  Routable(const HealthTable* table, std::size_t count) : count_(count), routable_(count) {
    if (!table || table->size() != count) return;
    std::size_t healthy = 0;
    for (std::size_t i = 0; i < count; ++i) healthy += table->healthy(i);
    if (healthy == 0 || healthy == count) return;
    table_ = table;
    routable_ = healthy;
  }

  // How many targets a request may go to; count when every target may.
  std::size_t size() const { return routable_; }
  bool all() const { return table_ == nullptr; }

  // The index of the k-th routable target. REQUIRES: k < size().
  std::size_t nth(std::size_t k) const {
    if (!table_) return k;
    std::size_t last = k % count_;
    for (std::size_t i = 0; i < count_; ++i) {
      if (!table_->healthy(i)) continue;
      if (k-- == 0) return i;
      last = i;
    }
    return last;  // a target turned unhealthy since the count
  }

  // The routable target after `index`, wrapping around (for retries).
  std::size_t next(std::size_t index) const {
    for (std::size_t step = 1; step <= count_; ++step) {
      const std::size_t i = (index + step) % count_;
      if (!table_ || table_->healthy(i)) return i;
    }
    return (index + 1) % count_;
  }

 private:
  const HealthTable* table_ = nullptr;
  std::size_t count_;
  std::size_t routable_;
};

}  // namespace gatehouse::health
