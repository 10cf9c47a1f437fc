// A TCP socket whose connect, reads and writes share one deadline, as Beast's basic_stream
// has it, without Beast's timer wait and cancel around every read and write: moving the
// deadline is a store, and one watchdog wait per stream wakes at the deadline it last saw and
// re-arms itself if the deadline moved on. A busy keep-alive connection does no timer work.
// As with Beast, the deadline bounds operations, not the connection: reached with an
// operation in progress, it closes the socket and the operation completes with
// boost::beast::error::timeout; reached with none, the next operation started before a new
// deadline is set fails that way.
#pragma once

#include <time.h>

#include <boost/asio/async_result.hpp>
#include <boost/beast/core/error.hpp>
#include <chrono>
#include <memory>

#include "proxy/io.h"

namespace gatehouse::proxy {

// steady_clock's time as of the kernel's last tick (CLOCK_MONOTONIC_COARSE: the clock
// steady_clock reads, without the counter read), for deadlines counted in seconds, which
// then fall up to a tick (a few milliseconds) early. A fraction of the cost of now().
inline std::chrono::steady_clock::time_point coarse_now() {
  timespec ts;
  clock_gettime(CLOCK_MONOTONIC_COARSE, &ts);
  return std::chrono::steady_clock::time_point(std::chrono::seconds(ts.tv_sec) +
                                               std::chrono::nanoseconds(ts.tv_nsec));
}

class TcpStream {
 public:
  using Clock = std::chrono::steady_clock;
  using executor_type = Executor;
  using lowest_layer_type = Socket;  // for asio::ssl::stream

  explicit TcpStream(const Executor& executor);
  explicit TcpStream(Socket socket);
  ~TcpStream();
  TcpStream(TcpStream&&) noexcept = default;
  TcpStream& operator=(TcpStream&&) = delete;

  executor_type get_executor() { return state_->socket.get_executor(); }
  Socket& socket() { return state_->socket; }
  Socket& lowest_layer() { return state_->socket; }

  void expires_after(Clock::duration d) { expires_at(Clock::now() + d); }
  void expires_at(Clock::time_point at) {
    state_->deadline = at;
    state_->lapsed = false;
    if (at < state_->wake) arm(state_, at);  // the watchdog would wake too late
  }
  // No deadline: a pooled connection waits as long as its pool keeps it.
  void expires_never() {
    state_->deadline = Clock::time_point::max();
    state_->lapsed = false;
  }

  template <class Buffers, class Token>
  auto async_read_some(const Buffers& buffers, Token&& token) {
    return boost::asio::async_initiate<Token, void(boost::system::error_code, std::size_t)>(
        [](auto handler, State* state, const Buffers& b) {
          state->socket.async_read_some(b, started(state, std::move(handler)));
        },
        token, state_.get(), buffers);
  }
  template <class Buffers, class Token>
  auto async_write_some(const Buffers& buffers, Token&& token) {
    return boost::asio::async_initiate<Token, void(boost::system::error_code, std::size_t)>(
        [](auto handler, State* state, const Buffers& b) {
          state->socket.async_write_some(b, started(state, std::move(handler)));
        },
        token, state_.get(), buffers);
  }
  template <class Token>
  auto async_connect(const boost::asio::ip::tcp::endpoint& endpoint, Token&& token) {
    return boost::asio::async_initiate<Token, void(boost::system::error_code)>(
        [](auto handler, State* state, const boost::asio::ip::tcp::endpoint& to) {
          state->socket.async_connect(to, started(state, std::move(handler)));
        },
        token, state_.get(), endpoint);
  }

 private:
  // Shared with the watchdog's pending wait, which may outlive the stream by one wake-up.
  struct State {
    explicit State(Socket s) : socket(std::move(s)), watchdog(socket.get_executor()) {}
    Socket socket;
    Timer watchdog;
    Clock::time_point deadline = Clock::time_point::max();
    Clock::time_point wake = Clock::time_point::max();  // end of the pending wait; max: none
    uint64_t generation = 0;                            // of the pending wait
    uint32_t operations = 0;                            // in progress
    bool lapsed = false;     // the deadline passed with no operation in progress
    bool timed_out = false;  // the deadline closed the socket
  };

  // An operation's handler, told "timeout" instead of the error the closed socket gave.
  // Operations never outlive the stream (their coroutine owns it), so a plain pointer does.
  template <class Handler>
  struct Reported {
    State* state;
    Handler handler;
    template <class... Results>
    void operator()(boost::system::error_code ec, Results... results) {
      --state->operations;
      if (ec && state->timed_out) ec = boost::beast::error::timeout;
      std::move(handler)(ec, results...);
    }
  };

  // Counts an operation about to start; one started past a lapsed deadline fails at once.
  template <class Handler>
  static Reported<Handler> started(State* state, Handler handler) {
    if (state->lapsed) time_out(*state);
    ++state->operations;
    return {state, std::move(handler)};
  }
  static void time_out(State& state);
  static void arm(const std::shared_ptr<State>& state, Clock::time_point at);
  static void woke(const std::shared_ptr<State>& state, uint64_t generation,
                   const boost::system::error_code& ec);

  std::shared_ptr<State> state_;
};

}  // namespace gatehouse::proxy
