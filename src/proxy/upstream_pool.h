// Keep-alive connections to upstream endpoints, one pool per worker thread, so a
// request reuses a warm connection without locks. Also counts requests in flight per
// endpoint for least-request balancing. Not thread-safe: owned by one worker.
#pragma once

#include <boost/asio/ip/tcp.hpp>
#include <chrono>
#include <deque>
#include <memory>
#include <unordered_map>

#include "proxy/tcp_stream.h"

namespace gatehouse::proxy {

struct EndpointHash {
  std::size_t operator()(const boost::asio::ip::tcp::endpoint& ep) const;
};

class UpstreamPool {
 public:
  static constexpr std::size_t kMaxIdlePerEndpoint = 128;

  // A connection and the requests it has carried.
  struct Connection {
    std::unique_ptr<TcpStream> stream;
    uint32_t requests = 0;
    explicit operator bool() const { return stream != nullptr; }
  };

  // How long and how often a connection may be reused (DestinationRule connectionPool).
  struct Reuse {
    std::chrono::milliseconds idle_timeout{50000};
    uint32_t max_requests = 0;  // 0: unlimited
  };

  // A warm connection to `ep`, newest first; empty when none is idle.
  Connection take(const boost::asio::ip::tcp::endpoint& ep);
  // Keeps `connection` for reuse within `reuse`; drops it when it carried its last request
  // or the pool for `ep` is full.
  void put(const boost::asio::ip::tcp::endpoint& ep, Connection connection, const Reuse& reuse);

  std::size_t idle(const boost::asio::ip::tcp::endpoint& ep) const;
  // Requests in flight to `ep` from this worker.
  uint32_t& active(const boost::asio::ip::tcp::endpoint& ep) { return slot(ep).active; }

 private:
  struct Idle {
    Connection connection;
    std::chrono::steady_clock::time_point expires;
  };
  struct Slot {
    std::deque<Idle> idle;
    uint32_t active = 0;
  };
  Slot& slot(const boost::asio::ip::tcp::endpoint& ep) { return slots_[ep]; }

  std::unordered_map<boost::asio::ip::tcp::endpoint, Slot, EndpointHash> slots_;
};

}  // namespace gatehouse::proxy
