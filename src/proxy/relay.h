// Streams a message body from one connection to another through a fixed buffer, so
// bodies of any size pass with constant memory. Shared by both directions of the proxy.
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
struct RelayTimeouts {
  std::chrono::milliseconds idle{60000};
  std::optional<std::chrono::steady_clock::time_point> deadline;

  std::chrono::steady_clock::time_point next() const {
    auto at = std::chrono::steady_clock::now() + idle;
    return deadline && *deadline < at ? *deadline : at;
  }
};

struct RelayResult {
  RelayError error = RelayError::None;
  boost::system::error_code code;
  uint64_t bytes = 0;
};

// REQUIRES: the header of `parser`'s message was already written through `serializer`.
// Both streams are left with no expiry.
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
  if (serializer.is_done()) co_return result;
  do {
    if (!parser.is_done()) {
      body.data = chunk;
      body.size = sizeof(chunk);
      in.expires_at(timeouts.next());
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
    out.expires_at(timeouts.next());
    auto [ec, n] = co_await http::async_write(out, serializer, use_tuple);
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
