// What health checking costs. On the request path: the pick forward_to_cluster makes with a
// target group's HealthTable (count the routable targets, take the k-th, the next one for a
// retry), against the same pick without a table (mesh clusters). Off it: one probe (new
// connection, request, response head, close) against a loopback server, as the checker's
// thread pays it.
#include <benchmark/benchmark.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/read_until.hpp>
#include <boost/asio/write.hpp>
#include <thread>

#include "health/health_table.h"
#include "health/probe.h"

namespace gatehouse::health {
namespace {

namespace asio = boost::asio;

// Args: target count, then how many of them are unhealthy (-1: no table).
void BM_Pick(benchmark::State& state) {
  const auto count = static_cast<std::size_t>(state.range(0));
  const int64_t unhealthy = state.range(1);
  HealthTable table(count);
  for (std::size_t i = 0; i < count; ++i)
    table.set(i, static_cast<int64_t>(i) < unhealthy ? State::Unhealthy : State::Healthy);
  const HealthTable* used = unhealthy < 0 ? nullptr : &table;
  uint64_t round_robin = 0;
  for (auto _ : state) {
    const Routable routable(used, count);
    std::size_t first = routable.nth(round_robin++ % routable.size());
    benchmark::DoNotOptimize(first);
    benchmark::DoNotOptimize(routable.next(first));
  }
}
BENCHMARK(BM_Pick)
    ->Args({2, -1})
    ->Args({2, 0})
    ->Args({2, 1})
    ->Args({8, 0})
    ->Args({8, 4})
    ->Args({8, 8})
    ->Args({64, 0})
    ->Args({64, 32});

// A loopback server answering every connection with a 200 and closing it.
class Answering {
 public:
  Answering() : acceptor_(io_, {asio::ip::make_address("127.0.0.1"), 0}) {
    thread_ = std::thread([this] {
      for (;;) {
        boost::system::error_code ec;
        asio::ip::tcp::socket socket(io_);
        acceptor_.accept(socket, ec);
        if (ec || stopping_) return;
        std::string head;
        asio::read_until(socket, asio::dynamic_buffer(head), "\r\n\r\n", ec);
        asio::write(socket,
                    asio::buffer(std::string_view("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n")),
                    ec);
      }
    });
  }
  ~Answering() {
    stopping_ = true;
    boost::system::error_code ec;
    asio::ip::tcp::socket poke(io_);
    poke.connect(acceptor_.local_endpoint(), ec);
    thread_.join();
  }
  asio::ip::tcp::endpoint endpoint() const { return acceptor_.local_endpoint(); }

 private:
  asio::io_context io_;
  asio::ip::tcp::acceptor acceptor_;
  std::atomic<bool> stopping_{false};
  std::thread thread_;
};

proxy::Task<void> probe_into(ProbeOutcome& out, const ProbeRequest& request,
                             const Matcher& matcher) {
  out = co_await probe(request, matcher, std::chrono::milliseconds(2000));
}

void BM_Probe(benchmark::State& state) {
  Answering server;
  const Matcher matcher = *Matcher::parse("200");
  const ProbeRequest request{server.endpoint(), "/health", host_field(server.endpoint())};
  asio::io_context io(1);
  for (auto _ : state) {
    ProbeOutcome outcome;
    asio::co_spawn(io, probe_into(outcome, request, matcher), asio::detached);
    io.restart();
    io.run();
    if (outcome.result != ProbeResult::Success) state.SkipWithError(outcome.error.c_str());
  }
}
BENCHMARK(BM_Probe)->UseRealTime();

}  // namespace
}  // namespace gatehouse::health
