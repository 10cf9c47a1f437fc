// Keep-alive connections to upstream endpoints, one pool per worker thread, so a
// request reuses a warm connection without locks. Also counts requests in flight per
// endpoint for least-request balancing. Not thread-safe: owned by one worker.
#pragma once

#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <chrono>
#include <deque>
#include <memory>
#include <unordered_map>

#include "proxy/io.h"

namespace gatehouse::proxy {

struct EndpointHash {
  std::size_t operator()(const boost::asio::ip::tcp::endpoint& ep) const;
};

class UpstreamPool {
 public:
  struct Settings {
    std::size_t max_idle_per_endpoint = 128;
    // Shorter than common upstream keep-alive timeouts, so we rarely pick a connection
    // the upstream is about to close.
    std::chrono::seconds idle_timeout{50};
  };

  UpstreamPool() = default;
  explicit UpstreamPool(Settings settings) : settings_(settings) {}

  // Connections are held by pointer: moving a Beast stream allocates a new state object
  // and re-registers its timers, which would cost more than the request itself.
  using Connection = std::unique_ptr<TcpStream>;

  // A warm connection to `ep`, newest first; null when none is idle.
  Connection take(const boost::asio::ip::tcp::endpoint& ep);
  // Keeps `stream` for reuse (dropped when the pool for `ep` is full).
  void put(const boost::asio::ip::tcp::endpoint& ep, Connection stream);

  std::size_t idle(const boost::asio::ip::tcp::endpoint& ep) const;
  // Requests in flight to `ep` from this worker.
  uint32_t& active(const boost::asio::ip::tcp::endpoint& ep) { return slot(ep).active; }

 private:
  struct Idle {
    Connection stream;
    std::chrono::steady_clock::time_point since;
  };
  struct Slot {
    std::deque<Idle> idle;
    uint32_t active = 0;
  };
  Slot& slot(const boost::asio::ip::tcp::endpoint& ep) { return slots_[ep]; }

  Settings settings_;
  std::unordered_map<boost::asio::ip::tcp::endpoint, Slot, EndpointHash> slots_;
};

}  // namespace gatehouse::proxy
