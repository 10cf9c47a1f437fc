#include "health/health_checker.h"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/post.hpp>
#include <map>
#include <mutex>
#include <thread>

#include "health/probe.h"
#include "proxy/io.h"

namespace gatehouse::health {
namespace {

namespace asio = boost::asio;
using Clock = std::chrono::steady_clock;
using Group = std::shared_ptr<const GroupSpec>;

// Where a mesh probe enters: the in-process Gateway server port, addressed as an ALB node
// addresses a target. A VirtualService for this Host must route the path (`*` does).
constexpr std::string_view kMeshAddress = "127.0.0.1";

struct Entry {
  explicit Entry(asio::io_context& io) : timer(io.get_executor()) {}

  // Guarded by the checker's mutex.
  Group group;
  std::size_t slot = 0;  // in group->table
  TargetStatus status;
  bool removed = false;
  Clock::time_point due;         // of the next probe
  Clock::time_point last_start;  // of the last probe; epoch before the first
  uint64_t rotation = 0;         // mesh: the endpoint the next probe goes to
  // Checker thread only: waits for the next probe.
  proxy::Timer timer;
};

std::string key_of(const std::string& group, const TargetSpec& target) {
  return group + '\n' + target.id + '\n' + std::to_string(target.port);
}

bool probing(State state) { return state != State::Unused && state != State::Unavailable; }

// The state a target takes from its group's settings; `fresh` for a target just registered.
void place(Entry& entry, bool fresh, Clock::time_point now) {
  const GroupSpec& group = *entry.group;
  TargetHealth& health = entry.status.health;
  const State state = health.state();
  if (!group.settings.enabled) {
    if (state != State::Unavailable) health.set_disabled();
  } else if (!group.in_use) {
    if (state != State::Unused) health.set_unused();
  } else if (!probing(state)) {
    health.set_registered();
    fresh = true;
  }
  if (fresh) {
    entry.status.checks = {};
    entry.due = now;
  } else if (entry.last_start != Clock::time_point()) {
    entry.due = entry.last_start + group.settings.interval;  // the interval may have changed
  }
  if (group.table && entry.slot < group.table->size()) group.table->set(entry.slot, health.state());
}

ProbeRecord local_answer(unsigned status, const Matcher& matcher) {
  ProbeRecord record;
  record.status = status;
  if (!matcher.matches(status)) {
    record.result = ProbeResult::ResponseCodeMismatch;
    record.error = "the mesh answered " + std::to_string(status) + " itself, not in \"" +
                   matcher.text() + "\"";
  }
  return record;
}

// One check of `target`: where it goes (the address, or the mesh's choice), then the probe.
proxy::Task<ProbeRecord> check(const GroupSpec& group, const TargetSpec& target,
                               uint64_t rotation) {
  const Settings& settings = group.settings;
  const uint16_t port = settings.port.value_or(target.port);
  const auto sent = std::chrono::system_clock::now();
  const Clock::time_point start = Clock::now();
  ProbeRecord record;
  ProbeRequest request;
  bool send = false;
  if (group.mesh) {
    const std::string host = std::string(kMeshAddress) + ":" + std::to_string(port);
    MeshProbe routed = group.resolve ? group.resolve(port, host, settings.path) : MeshProbe{};
    if (routed.local_status == 0 && routed.endpoints.empty()) routed.local_status = 503;
    if (routed.local_status != 0) {
      record = local_answer(routed.local_status, settings.matcher);
    } else {
      request = {routed.endpoints[rotation % routed.endpoints.size()], std::move(routed.target),
                 std::move(routed.host)};
      send = true;
    }
    record.route = std::move(routed.route);
    record.cluster = std::move(routed.cluster);
  } else {
    boost::system::error_code ec;
    const asio::ip::address address = asio::ip::make_address(target.id, ec);
    if (ec) {
      record.result = ProbeResult::InternalError;
      record.error = "\"" + target.id + "\" is not an IP address";
    } else {
      request.endpoint = {address, port};
      request.target = settings.path;
      request.host = host_field(request.endpoint);
      send = true;
    }
  }
  if (send) {
    record.endpoint = host_field(request.endpoint);
    ProbeOutcome outcome = co_await probe(request, settings.matcher, settings.timeout);
    record.result = outcome.result;
    record.status = outcome.status;
    record.error = std::move(outcome.error);
  }
  record.time = sent;
  record.latency = std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - start);
  co_return record;
}

}  // namespace

Settings settings_of(const config::HealthCheck& check) {
  Settings out;
  out.enabled = check.enabled;
  out.path = check.path;
  if (check.port != "traffic-port") out.port = static_cast<uint16_t>(std::stoul(check.port));
  out.interval = std::chrono::seconds(check.interval_seconds);
  out.timeout = std::chrono::seconds(check.timeout_seconds);
  out.thresholds = {.healthy = check.healthy_threshold, .unhealthy = check.unhealthy_threshold};
  if (auto matcher = Matcher::parse(check.matcher_http_code)) out.matcher = std::move(*matcher);
  return out;
}

struct HealthChecker::Impl {
  proxy::Task<void> run(std::shared_ptr<Entry> entry);

  asio::io_context io{1};
  asio::executor_work_guard<proxy::Executor> work = asio::make_work_guard(io);
  std::thread thread;
  mutable std::mutex mutex;
  std::map<std::string, std::shared_ptr<Entry>> entries;  // guarded by mutex
  // The groups in the order set_groups got them, each with its targets' entries in table
  // order; guarded by mutex.
  std::vector<std::pair<Group, std::vector<std::shared_ptr<Entry>>>> layout;
};

// The loop of one target: waits until its next probe is due, probes, records.
proxy::Task<void> HealthChecker::Impl::run(std::shared_ptr<Entry> entry) {
  std::unique_lock lock(mutex, std::defer_lock);  // never held across a co_await
  for (;;) {
    lock.lock();
    if (entry->removed) co_return;
    const Clock::time_point now = Clock::now();
    const bool active = probing(entry->status.health.state());
    if (!active || now < entry->due) {
      entry->timer.expires_at(active ? entry->due : Clock::time_point::max());
      lock.unlock();
      co_await entry->timer.async_wait(proxy::use_tuple);  // cut short by set_groups
      continue;
    }
    const Group group = entry->group;
    const TargetSpec target = entry->status.target;
    const uint64_t rotation = entry->rotation++;
    entry->last_start = now;
    entry->due = now + group->settings.interval;  // independent of how long the probe takes
    lock.unlock();
    ProbeRecord record = co_await check(*group, target, rotation);
    lock.lock();
    if (entry->removed) co_return;
    TargetStatus& status = entry->status;
    if (probing(status.health.state())) {
      status.health.record(record.result, record.status, entry->group->settings.thresholds);
      ++status.checks[static_cast<std::size_t>(record.result)];
      status.last = std::move(record);
      const auto& table = entry->group->table;
      if (table && entry->slot < table->size()) table->set(entry->slot, status.health.state());
    }
    lock.unlock();
  }
}

HealthChecker::HealthChecker() : impl_(std::make_unique<Impl>()) {}

HealthChecker::~HealthChecker() { stop(); }

void HealthChecker::start() {
  if (impl_->thread.joinable()) return;
  impl_->io.restart();
  impl_->thread = std::thread([io = &impl_->io] { io->run(); });
}

void HealthChecker::stop() {
  impl_->io.stop();
  if (impl_->thread.joinable()) impl_->thread.join();
}

void HealthChecker::set_groups(std::vector<GroupSpec> groups) {
  const Clock::time_point now = Clock::now();
  std::vector<std::shared_ptr<Entry>> added, kept;
  {
    std::lock_guard lock(impl_->mutex);
    std::map<std::string, std::shared_ptr<Entry>> wanted;
    decltype(impl_->layout) layout;
    for (GroupSpec& spec : groups) {
      Group group = std::make_shared<const GroupSpec>(std::move(spec));
      std::vector<std::shared_ptr<Entry>> targets;
      for (std::size_t slot = 0; slot < group->targets.size(); ++slot) {
        const TargetSpec& target = group->targets[slot];
        const std::string key = key_of(group->name, target);
        if (wanted.contains(key)) continue;  // listed twice: the first one is checked
        const auto found = impl_->entries.find(key);
        const bool fresh = found == impl_->entries.end();
        std::shared_ptr<Entry> entry = fresh ? std::make_shared<Entry>(impl_->io) : found->second;
        entry->group = group;
        entry->slot = slot;
        entry->status.target = target;
        entry->status.health_check_port = group->settings.port.value_or(target.port);
        place(*entry, fresh, now);
        (fresh ? added : kept).push_back(entry);
        wanted.emplace(key, entry);
        targets.push_back(std::move(entry));
      }
      layout.emplace_back(std::move(group), std::move(targets));
    }
    for (auto& [key, entry] : impl_->entries)
      if (!wanted.contains(key)) entry->removed = true;
    for (auto& [key, entry] : impl_->entries)
      if (entry->removed) kept.push_back(entry);  // its timer wakes it to end
    impl_->entries = std::move(wanted);
    impl_->layout = std::move(layout);
  }
  // On the checker's thread, which alone touches the timers: waiting loops re-read their
  // schedule; new targets get their loop (co_spawn runs it at once, and it locks).
  asio::post(impl_->io, [impl = impl_.get(), added = std::move(added), kept = std::move(kept)] {
    for (const auto& entry : kept) entry->timer.cancel();
    for (const auto& entry : added) asio::co_spawn(impl->io, impl->run(entry), asio::detached);
  });
}

std::vector<GroupStatus> HealthChecker::snapshot() const {
  std::lock_guard lock(impl_->mutex);
  std::vector<GroupStatus> out;
  out.reserve(impl_->layout.size());
  for (const auto& [group, entries] : impl_->layout) {
    GroupStatus status{.name = group->name,
                       .mesh = group->mesh,
                       .in_use = group->in_use,
                       .settings = group->settings};
    for (const auto& entry : entries) status.targets.push_back(entry->status);
    out.push_back(std::move(status));
  }
  return out;
}

}  // namespace gatehouse::health
