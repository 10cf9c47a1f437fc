#include "proxy/exchange.h"

#include <array>
#include <boost/asio/write.hpp>
#include <charconv>

#include "http1/writer.h"

namespace gatehouse::proxy {

namespace asio = boost::asio;

Exchange::Exchange(ClientStream& client, ConnectionBuffers& buffers, const ConnectionInfo& conn)
    : client_(client),
      buffers_(buffers),
      conn_(conn),
      body_(buffers.request.framing, buffers.request.content_length) {}

Task<bool> Exchange::send_continue_if_expected() {
  if (!buffers_.request.expect_continue || continue_sent_ || body_.done()) co_return true;
  continue_sent_ = true;
  static constexpr std::string_view kContinue = "HTTP/1.1 100 Continue\r\n\r\n";
  const asio::const_buffer piece = asio::buffer(kContinue.data(), kContinue.size());
  auto [ec, n] = co_await client_.async_write({&piece, 1}, use_tuple);
  co_return !ec;
}

Task<std::optional<std::string>> Exchange::read_body(std::size_t limit) {
  std::string body;
  if (body_.done()) co_return body;
  if (body_.remaining() > limit) {
    close_after();
    co_return std::nullopt;
  }
  if (!co_await send_continue_if_expected()) co_return std::nullopt;
  auto& in = buffers_.client_in;
  while (!body_.done()) {
    if (in.size() == 0) {
      auto [ec, n] = co_await client_.async_read_some(in.prepare(16 * 1024), use_tuple);
      if (ec) {
        close_after();
        co_return std::nullopt;
      }
      in.commit(n);
    }
    const std::string_view bytes(static_cast<const char*>(in.data().data()), in.size());
    std::size_t used = 0;
    std::string_view data;
    if (body_.read(bytes, used, data) == http1::BodyStatus::Error ||
        body.size() + data.size() > limit) {
      close_after();
      co_return std::nullopt;
    }
    body.append(data);
    in.consume(used);
  }
  record_.bytes_received += body.size();
  co_return body;
}

void add_connection_field(http1::Fields& fields, unsigned version, bool keep_alive) {
  if (version == 11 && !keep_alive) fields.add_view("Connection", "close");
  if (version == 10 && keep_alive) fields.add_view("Connection", "keep-alive");
}

Task<bool> Exchange::respond(LocalResponse response) {
  // A body we did not read would be taken for the next request: close instead.
  if (!body_.done()) close_after();
  const unsigned version = buffers_.request.version == 10 ? 10 : 11;
  auto& fields = response.headers;
  add_response_fields(fields);
  char length[24];
  const bool chunked = response.chunked && version == 11;
  if (chunked) {
    fields.add_view("Transfer-Encoding", "chunked");
  } else {
    auto [end, ec] = std::to_chars(length, length + sizeof(length), response.body.size());
    fields.add_view("Content-Length", std::string_view(length, end - length));
    if (response.chunked) close_after();  // HTTP/1.0: the body ends with the connection
  }
  add_connection_field(fields, version, keep_alive_);
  std::string& head = buffers_.head_out;
  http1::write_response_head(version, response.status, {}, fields.all(), head);
  record_.status = response.status;

  const bool head_only = buffers_.request.method == "HEAD";
  const bool send_body = !head_only && !response.body.empty();
  std::array<asio::const_buffer, 4> pieces;
  std::size_t count = 0;
  pieces[count++] = asio::buffer(head);
  char size_line[20];
  if (send_body && chunked)
    pieces[count++] =
        asio::buffer(size_line, http1::write_chunk_size(response.body.size(), size_line));
  if (send_body) pieces[count++] = asio::buffer(response.body);
  static constexpr std::string_view kChunkEnd = "\r\n0\r\n\r\n", kLastChunk = "0\r\n\r\n";
  if (chunked && !head_only)
    pieces[count++] = send_body ? asio::buffer(kChunkEnd.data(), kChunkEnd.size())
                                : asio::buffer(kLastChunk.data(), kLastChunk.size());
  auto [ec, n] = co_await client_.async_write(
      std::span<const asio::const_buffer>(pieces.data(), count), use_tuple);
  if (send_body) record_.bytes_sent += response.body.size();
  co_return !ec;
}

LocalResponse make_local_response(unsigned status, std::string body,
                                  std::string_view content_type) {
  LocalResponse res;
  res.status = status;
  res.body = std::move(body);
  res.headers.add_view("Server", "gatehouse");
  res.headers.add("Content-Type", content_type);
  return res;
}

}  // namespace gatehouse::proxy
