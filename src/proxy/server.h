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
#include "proxy/tls_server.h"
#include "telemetry/metrics_registry.h"

namespace gatehouse::proxy {

struct ListenAddress {
  std::string address;
  uint16_t port = 0;
  auto operator<=>(const ListenAddress&) const = default;
};

// An address to serve, and how: plain HTTP, or TLS with `tls`'s certificates first.
struct ListenSpec {
  ListenAddress at;
  std::shared_ptr<const TlsServer> tls;  // null: plain HTTP
};

class Worker {
 public:
  explicit Worker(unsigned index, telemetry::WorkerMetrics* metrics = nullptr);
  boost::asio::io_context& io() { return io_; }
  unsigned index() const { return index_; }
  // Where the engine counts what no exchange carries (TLS handshakes); may be null.
  telemetry::WorkerMetrics* metrics() const { return metrics_; }
  // Exchanges being served right now (read from other threads while draining).
  std::atomic<int> in_flight{0};

 private:
  unsigned index_;
  telemetry::WorkerMetrics* metrics_;
  boost::asio::io_context io_;
};

class Server {
 public:
  // `make_service(worker)` builds the per-worker service, called on that worker's thread.
  using ServiceFactory = std::function<std::unique_ptr<Service>(Worker&)>;

  // With `metrics`, worker i counts into metrics->worker(i).
  Server(unsigned workers, ConnectionSettings settings, ServiceFactory make_service,
         telemetry::MetricsRegistry* metrics = nullptr);
  ~Server();

  // Opens the addresses not yet open and closes those no longer wanted; connections accepted
  // from now on get each address's TLS (those already open keep theirs). Returns an error
  // message per address that could not be bound (the others stay open).
  std::vector<std::string> listen(const std::vector<ListenSpec>& wanted);
  // Starts the worker threads. Returns at once.
  void start();
  // Stops accepting, waits up to `grace` for exchanges in flight, then stops the loops.
  void drain_and_stop(std::chrono::milliseconds grace);
  // Runs `fn` on every worker's thread (e.g. to hand over a new config snapshot).
  void on_each_worker(const std::function<void(Worker&, Service&)>& fn);
  unsigned worker_count() const { return static_cast<unsigned>(workers_.size()); }

 private:
  // One per address and worker; `tls` is read and written on the worker's thread only.
  struct Accepting {
    explicit Accepting(boost::asio::io_context& io) : acceptor(io) {}
    Acceptor acceptor;
    std::shared_ptr<const TlsServer> tls;
  };
  void accept_on(Worker& worker, Accepting& accepting, ListenAddress address);

  ConnectionSettings settings_;
  ServiceFactory make_service_;
  std::vector<std::unique_ptr<Worker>> workers_;
  std::vector<std::unique_ptr<Service>> services_;
  std::vector<std::thread> threads_;
  std::map<ListenAddress, std::vector<std::unique_ptr<Accepting>>> acceptors_;
  bool started_ = false;
  std::atomic<bool> draining_{false};
};

}  // namespace gatehouse::proxy
