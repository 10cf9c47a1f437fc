#include "proxy/relay.h"

#include <array>
#include <boost/asio/write.hpp>

#include "http1/writer.h"

namespace gatehouse::proxy {
namespace {

namespace asio = boost::asio;

// One gathered write: the head, then up to kMaxChunks decoded pieces with their framing.
constexpr std::size_t kMaxChunks = 8;
constexpr std::string_view kCrlf = "\r\n", kLastChunk = "0\r\n\r\n";

struct Gather {
  std::array<asio::const_buffer, 2 + 3 * kMaxChunks> pieces;
  std::array<char[20], kMaxChunks> size_lines;
  std::size_t count = 0, chunks = 0;

  void add(std::string_view bytes) { pieces[count++] = asio::buffer(bytes.data(), bytes.size()); }
  void add_data(std::string_view data, bool chunked) {
    if (chunked) {
      char(&line)[20] = size_lines[chunks];
      add({line, http1::write_chunk_size(data.size(), line)});
    }
    add(data);
    if (chunked) add(kCrlf);
    ++chunks;
  }
};

// Whether the body `reader` expects is all in `bytes` (decoded by a copy of the reader).
bool body_buffered(http1::BodyReader reader, std::string_view bytes) {
  std::size_t used = 0;
  while (!reader.done() && used < bytes.size()) {
    std::size_t consumed = 0;
    std::string_view data;
    if (reader.read(bytes.substr(used), consumed, data) == http1::BodyStatus::Error) return true;
    used += consumed;
  }
  return reader.done();
}

// A head is held back until its whole body or this much of it is buffered: an upstream
// that fails early can then still be answered with a clean 502 instead of half a response.
constexpr std::size_t kHoldBytes = 16 * 1024;

}  // namespace

template <class In, class Out>
Task<RelayResult> relay_message(std::string_view head, In& in, boost::beast::flat_buffer& in_buffer,
                                http1::BodyReader& reader, bool chunked_out, Out& out,
                                RelayTimeouts& timeouts) {
  RelayResult result;
  bool head_sent = false, eof = false;
  while (!reader.done() && in_buffer.size() < kHoldBytes &&
         !body_buffered(reader,
                        {static_cast<const char*>(in_buffer.data().data()), in_buffer.size()})) {
    timeouts.arm(in, out);
    auto [ec, n] = co_await in.async_read_some(in_buffer.prepare(kHoldBytes), use_tuple);
    in_buffer.commit(n);
    if (ec == asio::error::eof) eof = true;
    if (eof && reader.until_close()) break;  // the close ends such a body
    if (ec) {
      result.error = RelayError::Read;
      result.code = ec;
      co_return result;
    }
  }
  for (;;) {
    // Decode what is buffered; the pieces view in_buffer until the write completes.
    Gather gather;
    if (!head_sent) gather.add(head);
    std::size_t used = 0;
    const std::string_view bytes(static_cast<const char*>(in_buffer.data().data()),
                                 in_buffer.size());
    while (!reader.done() && used < bytes.size() && gather.chunks < kMaxChunks) {
      std::size_t consumed = 0;
      std::string_view data;
      if (reader.read(bytes.substr(used), consumed, data) == http1::BodyStatus::Error) {
        result.error = RelayError::Framing;
        co_return result;
      }
      used += consumed;
      if (!data.empty()) gather.add_data(data, chunked_out);
      result.bytes += data.size();
    }
    if (eof) reader.end_of_input();
    const bool last = reader.done();
    if (last && chunked_out) gather.add(kLastChunk);
    if (gather.count > 0) {
      timeouts.arm(in, out);
      auto [ec, n] = co_await async_write_all(
          out, std::span<const asio::const_buffer>(gather.pieces.data(), gather.count), use_tuple);
      result.wrote = result.wrote || n > 0;
      if (ec) {
        result.error = RelayError::Write;
        result.code = ec;
        co_return result;
      }
      head_sent = true;
    }
    in_buffer.consume(used);
    if (last) co_return result;
    if (eof) {
      result.error = RelayError::Read;  // the peer closed before the body ended
      result.code = asio::error::eof;
      co_return result;
    }
    if (in_buffer.size() > 0 && used > 0) continue;  // more decoded pieces than one write
    timeouts.arm(in, out);
    auto [ec, n] = co_await in.async_read_some(in_buffer.prepare(16 * 1024), use_tuple);
    in_buffer.commit(n);
    if (ec == asio::error::eof) {
      eof = true;
    } else if (ec) {
      result.error = RelayError::Read;
      result.code = ec;
      co_return result;
    }
  }
}

template Task<RelayResult> relay_message(std::string_view, ClientStream&,
                                         boost::beast::flat_buffer&, http1::BodyReader&, bool,
                                         TcpStream&, RelayTimeouts&);
template Task<RelayResult> relay_message(std::string_view, TcpStream&, boost::beast::flat_buffer&,
                                         http1::BodyReader&, bool, ClientStream&, RelayTimeouts&);

}  // namespace gatehouse::proxy
