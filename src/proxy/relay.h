// Streams a message from one connection to another through a fixed buffer, so bodies of
// any size pass with constant memory. Shared by both directions of the proxy.
#pragma once

#include <array>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/buffer_body.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <chrono>
#include <optional>
#include <span>
#include <string>

#include "proxy/head_writer.h"
#include "proxy/io.h"

namespace gatehouse::proxy {

enum class RelayError { None, Read, Write };

// Each read and write must progress within `idle`; the whole exchange ends by `deadline`.
// One instance serves an exchange's request relay, response wait and response relay.
// Re-arming a timer costs a lock and a clock read, so the expiry is moved only once half
// of `idle` has passed: a stalled peer is cut after between idle/2 and idle.
class RelayTimeouts {
 public:
  RelayTimeouts(std::chrono::milliseconds idle,
                std::optional<std::chrono::steady_clock::time_point> deadline)
      : idle_(idle), deadline_(deadline) {}

  void arm(TcpStream& in, TcpStream& out) {
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

// Relays the message `parser` is reading: its head as it is now (edits included), then
// the body, re-framed with chunked coding when the head says so. The head goes out with
// the first body bytes in one gathered write.
// REQUIRES: `parser` has read the head. `chunk` and `head` are the caller's buffers (kept
// out of the coroutine frame, which would otherwise be allocated with them on every call).
// Both streams keep the expiry `timeouts` gave them.
template <bool isRequest>
Task<RelayResult> relay_message(
    TcpStream& in, boost::beast::flat_buffer& in_buffer,
    boost::beast::http::parser<isRequest, boost::beast::http::buffer_body>& parser, TcpStream& out,
    RelayTimeouts& timeouts, std::span<char> chunk, std::string& head) {
  namespace asio = boost::asio;
  namespace http = boost::beast::http;
  static constexpr std::string_view kCrlf = "\r\n", kLastChunk = "0\r\n\r\n";
  RelayResult result;
  write_head(parser.get().base(), head);
  const bool chunked = parser.get().chunked();
  bool head_sent = false;
  auto& body = parser.get().body();
  for (;;) {
    std::size_t got = 0;
    if (!parser.is_done()) {
      body.data = chunk.data();
      body.size = chunk.size();
      timeouts.arm(in, out);
      auto [ec, n] = co_await http::async_read(in, in_buffer, parser, use_tuple);
      if (ec && ec != http::error::need_buffer) {
        result.error = RelayError::Read;
        result.code = ec;
        co_return result;
      }
      got = chunk.size() - body.size;
      result.bytes += got;
    }
    const bool last = parser.is_done();
    std::array<asio::const_buffer, 5> pieces;
    std::size_t count = 0;
    char size_line[20];
    if (!head_sent) pieces[count++] = asio::buffer(head);
    if (got > 0 && chunked) {
      pieces[count++] = asio::buffer(size_line, write_chunk_size(got, size_line));
      pieces[count++] = asio::buffer(chunk.data(), got);
      pieces[count++] = asio::buffer(kCrlf.data(), kCrlf.size());
    } else if (got > 0) {
      pieces[count++] = asio::buffer(chunk.data(), got);
    }
    if (last && chunked) pieces[count++] = asio::buffer(kLastChunk.data(), kLastChunk.size());
    if (count > 0) {
      timeouts.arm(in, out);
      auto [ec, n] = co_await asio::async_write(
          out, std::span<const asio::const_buffer>(pieces.data(), count), use_tuple);
      result.wrote = result.wrote || n > 0;
      if (ec) {
        result.error = RelayError::Write;
        result.code = ec;
        co_return result;
      }
    }
    head_sent = true;
    if (last) break;
  }
  co_return result;
}

}  // namespace gatehouse::proxy
