// Streams a message from one connection to another through a fixed buffer, so bodies of
// any size pass with constant memory: the head goes out with the first piece of body, in
// one write. Shared by both directions of the proxy.
#pragma once

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/buffer_body.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/serializer.hpp>
#include <boost/beast/http/write.hpp>
#include <chrono>
#include <optional>

namespace gatehouse::proxy {

enum class RelayError { None, Read, Write };

// Each read and write must progress within `idle`; the whole relay ends by `deadline`.
// Re-arming a timer costs a lock and a clock read, so the expiry is moved only once half
// of `idle` has passed: a stalled peer is cut after between idle/2 and idle.
class RelayTimeouts {
 public:
  RelayTimeouts(std::chrono::milliseconds idle,
                std::optional<std::chrono::steady_clock::time_point> deadline)
      : idle_(idle), deadline_(deadline) {}

  void arm(boost::beast::tcp_stream& in, boost::beast::tcp_stream& out) {
    const auto now = std::chrono::steady_clock::now();
    if (armed_ && now < armed_at_ + idle_ / 2) return;
    auto at = now + idle_;
    if (deadline_ && *deadline_ < at) at = *deadline_;
    in.expires_at(at);
    out.expires_at(at);
    armed_ = true;
    armed_at_ = now;
  }

 private:
  std::chrono::milliseconds idle_;
  std::optional<std::chrono::steady_clock::time_point> deadline_;
  bool armed_ = false;
  std::chrono::steady_clock::time_point armed_at_;
};

struct RelayResult {
  RelayError error = RelayError::None;
  boost::system::error_code code;
  uint64_t bytes = 0;
  bool wrote = false;  // anything reached `out` (the head goes with the first write)
};

// REQUIRES: `parser` has read the head; `serializer` wraps the same message and has
// written nothing yet. Both streams are left with no expiry.
template <bool isRequest>
boost::asio::awaitable<RelayResult> relay_body(
    boost::beast::tcp_stream& in, boost::beast::flat_buffer& in_buffer,
    boost::beast::http::parser<isRequest, boost::beast::http::buffer_body>& parser,
    boost::beast::tcp_stream& out,
    boost::beast::http::serializer<isRequest, boost::beast::http::buffer_body>& serializer,
    RelayTimeouts timeouts) {
  namespace http = boost::beast::http;
  constexpr auto use_tuple = boost::asio::as_tuple(boost::asio::use_awaitable);
  char chunk[16 * 1024];
  RelayResult result;
  auto& body = parser.get().body();
  do {
    if (!parser.is_done()) {
      body.data = chunk;
      body.size = sizeof(chunk);
      timeouts.arm(in, out);
      auto [ec, n] = co_await http::async_read(in, in_buffer, parser, use_tuple);
      if (ec && ec != http::error::need_buffer) {
        in.expires_never();
        out.expires_never();
        result.error = RelayError::Read;
        result.code = ec;
        co_return result;
      }
      body.size = sizeof(chunk) - body.size;
      body.data = chunk;
      body.more = !parser.is_done();
      result.bytes += body.size;
    } else {
      body.data = nullptr;
      body.size = 0;
      body.more = false;
    }
    timeouts.arm(in, out);
    auto [ec, n] = co_await http::async_write(out, serializer, use_tuple);
    result.wrote = result.wrote || n > 0;
    if (ec && ec != http::error::need_buffer) {
      in.expires_never();
      out.expires_never();
      result.error = RelayError::Write;
      result.code = ec;
      co_return result;
    }
  } while (!parser.is_done() || !serializer.is_done());
  in.expires_never();
  out.expires_never();
  co_return result;
}

}  // namespace gatehouse::proxy
