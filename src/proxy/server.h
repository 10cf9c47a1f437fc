// The process's event loops: one io_context and thread per worker, each with its own
// SO_REUSEPORT acceptor per listening address, so connections never hop threads and
// the request path takes no locks. Owns draining on shutdown.
#pragma once

#include <atomic>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "proxy/connection.h"

namespace gatehouse::proxy {

struct ListenAddress {
  std::string address;
  uint16_t port = 0;
  auto operator<=>(const ListenAddress&) const = default;
};

class Worker {
 public:
  explicit Worker(unsigned index);
  boost::asio::io_context& io() { return io_; }
  unsigned index() const { return index_; }
  // Exchanges being served right now (read from other threads while draining).
  std::atomic<int> in_flight{0};

 private:
  unsigned index_;
  boost::asio::io_context io_;
};

class Server {
 public:
  // `make_service(worker)` builds the per-worker service, called on that worker's thread.
  using ServiceFactory = std::function<std::unique_ptr<Service>(Worker&)>;

  Server(unsigned workers, ConnectionSettings settings, ServiceFactory make_service);
  ~Server();

  // Opens the addresses not yet open and closes those no longer wanted. Returns an
  // error message per address that could not be bound (the others stay open).
  std::vector<std::string> listen(const std::vector<ListenAddress>& wanted);
  // Starts the worker threads. Returns at once.
  void start();
  // Stops accepting, waits up to `grace` for exchanges in flight, then stops the loops.
  void drain_and_stop(std::chrono::milliseconds grace);
  // Runs `fn` on every worker's thread (e.g. to hand over a new config snapshot).
  void on_each_worker(const std::function<void(Worker&, Service&)>& fn);
  unsigned worker_count() const { return static_cast<unsigned>(workers_.size()); }

 private:
  struct Acceptors;  // per address: one acceptor per worker
  void accept_on(Worker& worker, Acceptor& acceptor, ListenAddress address);

  ConnectionSettings settings_;
  ServiceFactory make_service_;
  std::vector<std::unique_ptr<Worker>> workers_;
  std::vector<std::unique_ptr<Service>> services_;
  std::vector<std::thread> threads_;
  std::map<ListenAddress, std::vector<std::unique_ptr<Acceptor>>> acceptors_;
  bool started_ = false;
  std::atomic<bool> draining_{false};
};

}  // namespace gatehouse::proxy
