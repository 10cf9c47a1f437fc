#include "proxy/server.h"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <latch>

namespace gatehouse::proxy {

namespace asio = boost::asio;
using asio::ip::tcp;
using reuse_port = asio::detail::socket_option::boolean<SOL_SOCKET, SO_REUSEPORT>;

// Scheduler locking stays (reloads post from another thread); I/O locking goes.
Worker::Worker(unsigned index, telemetry::WorkerMetrics* metrics)
    : index_(index), metrics_(metrics), io_(BOOST_ASIO_CONCURRENCY_HINT_UNSAFE_IO) {}

Server::Server(unsigned workers, ConnectionSettings settings, ServiceFactory make_service,
               telemetry::MetricsRegistry* metrics)
    : settings_(settings), make_service_(std::move(make_service)) {
  for (unsigned i = 0; i < std::max(1u, workers); ++i) {
    telemetry::WorkerMetrics* counts =
        metrics && i < metrics->worker_count() ? &metrics->worker(i) : nullptr;
    workers_.push_back(std::make_unique<Worker>(i, counts));
    services_.push_back(make_service_(*workers_.back()));
  }
}

Server::~Server() {
  for (auto& w : workers_) w->io().stop();
  for (auto& t : threads_)
    if (t.joinable()) t.join();
}

void Server::accept_on(Worker& worker, Accepting& accepting, ListenAddress address) {
  Service& service = *services_[worker.index()];
  auto loop = [](Worker& worker, Accepting& accepting, Service& service,
                 ConnectionSettings settings, ListenAddress address,
                 const std::atomic<bool>* draining) -> Task<void> {
    Acceptor& acceptor = accepting.acceptor;
    for (;;) {
      auto [ec, socket] = co_await acceptor.async_accept(use_tuple);
      if (ec == asio::error::operation_aborted || !acceptor.is_open()) co_return;
      if (ec) {  // e.g. out of file descriptors: back off instead of spinning
        Timer pause(worker.io(), std::chrono::milliseconds(50));
        co_await pause.async_wait(use_tuple);
        continue;
      }
      boost::system::error_code ignored;
      socket.set_option(tcp::no_delay(true), ignored);
      ConnectionInfo info;
      auto peer = socket.remote_endpoint(ignored);
      auto local = socket.local_endpoint(ignored);
      info.peer_ip = peer.address().to_string();
      info.peer_port = peer.port();
      info.local_ip = local.address().to_string();
      info.listener_port = address.port;
      info.listener_address = address.address;
      info.in_flight = &worker.in_flight;
      info.draining = draining;
      asio::co_spawn(worker.io(),
                     serve_connection(std::move(socket), std::move(info), service, settings,
                                      accepting.tls, worker.metrics()),
                     asio::detached);
    }
  };
  asio::co_spawn(worker.io(), loop(worker, accepting, service, settings_, address, &draining_),
                 asio::detached);
}

std::vector<std::string> Server::listen(const std::vector<ListenSpec>& wanted) {
  std::vector<std::string> errors;
  auto spec_of = [&](const ListenAddress& address) -> const ListenSpec* {
    for (const auto& spec : wanted)
      if (spec.at == address) return &spec;
    return nullptr;
  };
  for (auto it = acceptors_.begin(); it != acceptors_.end();) {
    if (const ListenSpec* spec = spec_of(it->first)) {
      // Kept: new connections get the new TLS, on each worker's own thread.
      auto& per_worker = it->second;
      on_each_worker([&](Worker& w, Service&) { per_worker[w.index()]->tls = spec->tls; });
      ++it;
      continue;
    }
    auto owned = std::make_shared<std::vector<std::unique_ptr<Accepting>>>(std::move(it->second));
    for (std::size_t i = 0; i < owned->size(); ++i) {
      Acceptor* a = &(*owned)[i]->acceptor;
      asio::post(workers_[i]->io(), [a, owned] {
        boost::system::error_code ignored;
        a->close(ignored);
      });
    }
    it = acceptors_.erase(it);
  }
  for (const auto& [address, tls] : wanted) {
    if (acceptors_.contains(address)) continue;
    std::vector<std::unique_ptr<Accepting>> per_worker;
    boost::system::error_code ec;
    auto ip = asio::ip::make_address(address.address, ec);
    if (ec) {
      errors.push_back(address.address + ":" + std::to_string(address.port) + ": bad address");
      continue;
    }
    const tcp::endpoint endpoint(ip, address.port);
    for (auto& worker : workers_) {
      auto accepting = std::make_unique<Accepting>(worker->io());
      accepting->tls = tls;  // before its accept loop starts
      Acceptor& acceptor = accepting->acceptor;
      acceptor.open(endpoint.protocol(), ec);
      if (!ec) acceptor.set_option(Acceptor::reuse_address(true), ec);
      if (!ec) acceptor.set_option(reuse_port(true), ec);
      if (!ec) acceptor.bind(endpoint, ec);
      if (!ec) acceptor.listen(asio::socket_base::max_listen_connections, ec);
      if (ec) break;
      per_worker.push_back(std::move(accepting));
    }
    if (ec) {
      errors.push_back(address.address + ":" + std::to_string(address.port) + ": " + ec.message());
      continue;
    }
    for (std::size_t i = 0; i < per_worker.size(); ++i)
      accept_on(*workers_[i], *per_worker[i], address);
    acceptors_.emplace(address, std::move(per_worker));
  }
  return errors;
}

void Server::start() {
  started_ = true;
  for (auto& worker : workers_) {
    threads_.emplace_back([w = worker.get()] {
      auto guard = asio::make_work_guard(w->io());
      w->io().run();
    });
  }
}

void Server::on_each_worker(const std::function<void(Worker&, Service&)>& fn) {
  if (!started_) {
    for (std::size_t i = 0; i < workers_.size(); ++i) fn(*workers_[i], *services_[i]);
    return;
  }
  std::latch done(static_cast<std::ptrdiff_t>(workers_.size()));
  for (std::size_t i = 0; i < workers_.size(); ++i) {
    asio::post(workers_[i]->io(), [&, i] {
      fn(*workers_[i], *services_[i]);
      done.count_down();
    });
  }
  done.wait();
}

void Server::drain_and_stop(std::chrono::milliseconds grace) {
  draining_ = true;
  listen({});
  const auto until = std::chrono::steady_clock::now() + grace;
  auto busy = [&] {
    for (auto& w : workers_)
      if (w->in_flight.load(std::memory_order_relaxed) > 0) return true;
    return false;
  };
  while (busy() && std::chrono::steady_clock::now() < until)
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  for (auto& w : workers_) w->io().stop();
  for (auto& t : threads_)
    if (t.joinable()) t.join();
  threads_.clear();
}

}  // namespace gatehouse::proxy
