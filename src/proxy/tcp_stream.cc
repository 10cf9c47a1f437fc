#include "proxy/tcp_stream.h"

namespace gatehouse::proxy {

TcpStream::TcpStream(const Executor& executor) : TcpStream(Socket(executor)) {}

TcpStream::TcpStream(Socket socket) : state_(std::make_shared<State>(std::move(socket))) {}

TcpStream::~TcpStream() {
  if (!state_) return;  // moved from
  boost::system::error_code ignored;
  state_->socket.close(ignored);
  ++state_->generation;
  state_->watchdog.cancel();
}

void TcpStream::arm(const std::shared_ptr<State>& state, Clock::time_point at) {
  state->wake = at;
  const uint64_t generation = ++state->generation;
  state->watchdog.expires_at(at);
  state->watchdog.async_wait(
      [state, generation](const boost::system::error_code& ec) { woke(state, generation, ec); });
}

void TcpStream::woke(const std::shared_ptr<State>& state, uint64_t generation,
                     const boost::system::error_code& ec) {
  if (ec == boost::asio::error::operation_aborted || generation != state->generation) return;
  state->wake = Clock::time_point::max();
  if (state->deadline == Clock::time_point::max()) return;
  if (Clock::now() < state->deadline) {
    arm(state, state->deadline);
    return;
  }
  if (state->operations == 0) {
    state->lapsed = true;  // a connection between operations is not cut
    return;
  }
  time_out(*state);
}

void TcpStream::time_out(State& state) {
  state.lapsed = false;
  state.timed_out = true;
  boost::system::error_code ignored;
  state.socket.close(ignored);
}

}  // namespace gatehouse::proxy
