#include "proxy/exchange.h"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>

namespace gatehouse::proxy {

namespace asio = boost::asio;

Exchange::Exchange(TcpStream& client, boost::beast::flat_buffer& buffer, RequestParser& parser,
                   const ConnectionInfo& conn, std::span<char> scratch, std::string& head_buffer)
    : client_(client),
      buffer_(buffer),
      parser_(parser),
      conn_(conn),
      scratch_(scratch),
      head_buffer_(head_buffer) {}

Task<bool> Exchange::send_continue_if_expected() {
  if (!expects_continue_ || continue_sent_ || parser_.is_done()) co_return true;
  continue_sent_ = true;
  static constexpr std::string_view kContinue = "HTTP/1.1 100 Continue\r\n\r\n";
  auto [ec, n] = co_await asio::async_write(
      client_, asio::buffer(kContinue.data(), kContinue.size()), use_tuple);
  co_return !ec;
}

Task<std::optional<std::string>> Exchange::read_body(std::size_t limit) {
  std::string body;
  if (parser_.is_done()) co_return body;
  if (auto len = parser_.content_length(); len && *len > limit) {
    close_after();
    co_return std::nullopt;
  }
  if (!co_await send_continue_if_expected()) co_return std::nullopt;
  while (!parser_.is_done()) {
    auto& b = request().body();
    b.data = scratch_.data();
    b.size = scratch_.size();
    auto [ec, n] = co_await http::async_read(client_, buffer_, parser_, use_tuple);
    if (ec && ec != http::error::need_buffer) {
      close_after();
      co_return std::nullopt;
    }
    const std::size_t got = scratch_.size() - b.size;
    if (body.size() + got > limit) {
      close_after();
      co_return std::nullopt;
    }
    body.append(scratch_.data(), got);
  }
  record_.bytes_received += body.size();
  co_return body;
}

Task<bool> Exchange::respond(LocalResponse response) {
  // A body we did not read would be taken for the next request: close instead.
  if (!parser_.is_done()) close_after();
  response.version(request().version() == 10 ? 10 : 11);
  response.keep_alive(keep_alive_);
  if (!response.chunked()) response.prepare_payload();
  if (request().method() == http::verb::head) {
    http::response_serializer<http::string_body> sr{response};
    sr.split(true);
    auto [ec, n] = co_await http::async_write_header(client_, sr, use_tuple);
    record_.status = response.result_int();
    co_return !ec;
  }
  record_.status = response.result_int();
  auto [ec, n] = co_await http::async_write(client_, response, use_tuple);
  record_.bytes_sent += response.body().size();
  co_return !ec;
}

LocalResponse make_local_response(unsigned status, std::string body,
                                  std::string_view content_type) {
  LocalResponse res{static_cast<http::status>(status), 11};
  res.set(http::field::server, "gatehouse");
  res.set(http::field::content_type, content_type);
  res.body() = std::move(body);
  return res;
}

}  // namespace gatehouse::proxy
