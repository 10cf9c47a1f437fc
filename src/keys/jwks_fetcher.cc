#include "keys/jwks_fetcher.h"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <map>
#include <mutex>
#include <thread>

#include "keys/discovery.h"
#include "keys/http_get.h"
#include "keys/source_state.h"

namespace gatehouse::keys {
namespace {

namespace asio = boost::asio;
using Timer = asio::basic_waitable_timer<Clock, asio::wait_traits<Clock>, Executor>;
constexpr auto use_tuple = asio::as_tuple(asio::use_awaitable_t<Executor>{});

constexpr std::array<std::string_view, kFetchResultCount> kResultNames = {
    "ok",           "connect_error", "tls_error", "timeout",       "http_status",
    "bad_response", "too_large",     "bad_jwks",  "bad_discovery", "bad_url"};

// One fetch of a source: its discovery document first when it has no jwks_uri, then the JWKS.
Task<Outcome> fetch(const Source& source, const Settings& settings, const TlsClient& tls) {
  const GetOptions options{.timeout = source.timeout, .max_body = settings.max_body, .tls = &tls};
  std::string jwks_uri = source.jwks_uri;
  if (jwks_uri.empty()) {
    const std::string where = discovery_url(source.issuer);
    const std::optional<Url> url = parse_url(where);
    if (!url)
      co_return Outcome{.result = FetchResult::BadDiscovery,
                        .error = "the issuer is not an http(s) URL: " + source.issuer};
    GetResult document = co_await http_get(*url, options);
    if (!document.ok())
      co_return Outcome{.result = document.result, .error = where + ": " + document.error};
    DiscoveredJwksUri found = jwks_uri_from_discovery(document.body);
    if (found.jwks_uri.empty())
      co_return Outcome{.result = FetchResult::BadDiscovery, .error = where + ": " + found.error};
    jwks_uri = std::move(found.jwks_uri);
  }
  const std::optional<Url> url = parse_url(jwks_uri);
  if (!url)
    co_return Outcome{
        .result = FetchResult::BadUrl, .error = "not an http(s) URL", .jwks_uri = jwks_uri};
  GetResult got = co_await http_get(*url, options);
  if (!got.ok()) co_return Outcome{.result = got.result, .error = got.error, .jwks_uri = jwks_uri};
  jose::Result<jose::Jwks> jwks = jose::Jwks::parse(got.body, {.max_bytes = settings.max_body});
  if (!jwks.ok())
    co_return Outcome{.result = FetchResult::BadJwks,
                      .error = std::string(jose::status_message(jwks.status())),
                      .jwks_uri = jwks_uri};
  co_return Outcome{.jwks_uri = jwks_uri,
                    .jwks = std::make_shared<const jose::Jwks>(std::move(jwks).value())};
}

struct Entry {
  Entry(Source source, Clock::time_point now, asio::io_context& io)
      : state(std::move(source), now), timer(io.get_executor()) {}

  SourceState state;     // guarded by the fetcher's mutex
  bool removed = false;  // guarded by the fetcher's mutex
  Timer timer;           // fetcher thread only: waits for the next fetch
};

}  // namespace

std::string_view result_name(FetchResult result) {
  return kResultNames[static_cast<std::size_t>(result)];
}

struct JwksFetcher::Impl {
  Impl(Settings s, Publish p)
      : settings(std::move(s)), publish(std::move(p)), tls(make_tls_client(settings.ca_file)) {}

  Task<void> run(std::shared_ptr<Entry> entry);
  void apply(std::vector<Source> sources);

  const Settings settings;
  const Publish publish;
  const TlsClient tls;  // declared before io: fetches in flight use it until io is destroyed
  asio::io_context io{1};
  asio::executor_work_guard<Executor> work = asio::make_work_guard(io);  // run() with no source
  std::thread thread;
  mutable std::mutex mutex;
  std::map<std::string, std::shared_ptr<Entry>> entries;  // guarded by mutex
};

// The loop of one source: waits until it is due, fetches, records, publishes a change.
Task<void> JwksFetcher::Impl::run(std::shared_ptr<Entry> entry) {
  std::unique_lock lock(mutex, std::defer_lock);  // never held across a co_await
  for (;;) {
    lock.lock();
    if (entry->removed) co_return;
    const Clock::time_point now = Clock::now(), due = entry->state.due();
    if (now < due) {
      lock.unlock();
      entry->timer.expires_at(due);
      co_await entry->timer.async_wait(use_tuple);  // cut short by a refetch or a removal
      continue;
    }
    entry->state.start(now);
    const Source source = entry->state.source();
    lock.unlock();
    Outcome outcome = co_await fetch(source, settings, tls);
    lock.lock();
    if (entry->removed) co_return;
    std::optional<authn::KeySet> changed = entry->state.finish(
        settings, std::move(outcome), Clock::now(), std::chrono::system_clock::now());
    lock.unlock();
    if (changed && publish) publish(source.id, *changed);
  }
}

// On the fetcher thread, which alone touches the timers.
void JwksFetcher::Impl::apply(std::vector<Source> sources) {
  const Clock::time_point now = Clock::now();
  std::vector<std::shared_ptr<Entry>> added;
  {
    std::lock_guard lock(mutex);
    std::map<std::string, std::shared_ptr<Entry>> wanted;
    for (Source& source : sources) {
      if (wanted.contains(source.id)) continue;  // the first of a repeated id wins
      const auto kept = entries.find(source.id);
      if (kept != entries.end() && kept->second->state.source().jwks_uri == source.jwks_uri &&
          kept->second->state.source().issuer == source.issuer) {
        const std::string id = source.id;
        kept->second->state.set_source(std::move(source));
        wanted.emplace(id, kept->second);
        continue;
      }
      added.push_back(std::make_shared<Entry>(source, now, io));
      wanted.emplace(source.id, added.back());
    }
    for (auto& [id, entry] : entries) {
      const auto still = wanted.find(id);
      if (still != wanted.end() && still->second == entry) continue;
      entry->removed = true;
      entry->timer.cancel();
    }
    entries = std::move(wanted);
  }
  // Outside the lock: on its own thread co_spawn runs the loop at once, and the loop locks.
  for (auto& entry : added) asio::co_spawn(io, run(std::move(entry)), asio::detached);
}

JwksFetcher::JwksFetcher(Settings settings, Publish publish)
    : impl_(std::make_unique<Impl>(std::move(settings), std::move(publish))) {}

JwksFetcher::~JwksFetcher() { stop(); }

void JwksFetcher::start() {
  if (impl_->thread.joinable()) return;
  impl_->io.restart();
  impl_->thread = std::thread([io = &impl_->io] { io->run(); });
}

void JwksFetcher::stop() {
  impl_->io.stop();
  if (impl_->thread.joinable()) impl_->thread.join();
}

void JwksFetcher::set_sources(std::vector<Source> sources) {
  asio::post(impl_->io, [impl = impl_.get(), sources = std::move(sources)]() mutable {
    impl->apply(std::move(sources));
  });
}

void JwksFetcher::request_refetch(const std::string& id) {
  std::shared_ptr<Entry> entry;
  {
    std::lock_guard lock(impl_->mutex);
    const auto found = impl_->entries.find(id);
    if (found == impl_->entries.end() ||
        !found->second->state.request_refetch(impl_->settings, Clock::now()))
      return;
    entry = found->second;
  }
  // The loop reads the new due time when its wait ends.
  asio::post(impl_->io, [entry = std::move(entry)] { entry->timer.cancel(); });
}

std::vector<SourceStatus> JwksFetcher::snapshot() const {
  std::lock_guard lock(impl_->mutex);
  std::vector<SourceStatus> out;
  out.reserve(impl_->entries.size());
  for (const auto& [id, entry] : impl_->entries) out.push_back(entry->state.status());
  return out;
}

authn::KeyTable JwksFetcher::key_table() const {
  std::lock_guard lock(impl_->mutex);
  authn::KeyTable out;
  for (const auto& [id, entry] : impl_->entries) out.emplace(id, entry->state.status().keys);
  return out;
}

}  // namespace gatehouse::keys
