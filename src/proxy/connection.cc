#include "proxy/connection.h"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/http/write.hpp>
#include <string>
#include <vector>

#include "proxy/target_split.h"

namespace gatehouse::proxy {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;

enum class HeadOutcome { Ready, Closed, Refused };
constexpr std::size_t kScratchSize = 16 * 1024;

// Writes a refusal for a request we could not parse, then the connection closes.
Task<void> refuse(TcpStream& stream, unsigned status) {
  LocalResponse res = make_local_response(
      status, std::string(http::obsolete_reason(static_cast<http::status>(status))) + "\n");
  res.keep_alive(false);
  res.prepare_payload();
  co_await http::async_write(stream, res, use_tuple);
}

unsigned refusal_status(HeadScan scan) {
  switch (scan) {
    case HeadScan::UriTooLong:
      return 414;
    case HeadScan::HeadTooLarge:
      return 431;
    case HeadScan::Malformed:
    case HeadScan::NeedMore:
    case HeadScan::Complete:
      return 400;
  }
  return 400;
}

// Reads bytes until a complete, strictly checked head is buffered, then parses it.
Task<HeadOutcome> read_head(TcpStream& stream, beast::flat_buffer& buffer, RequestParser& parser,
                            const ConnectionSettings& settings, unsigned& refusal) {
  // One timer operation per head in the common case: the idle wait before the first byte.
  // A head that arrives in pieces gets the header deadline once, from its first piece.
  bool idle_set = false, deadline_set = false;
  for (;;) {
    auto bytes = std::string_view(static_cast<const char*>(buffer.data().data()), buffer.size());
    HeadScanResult scan = scan_request_head(bytes, settings.head);
    if (scan.status == HeadScan::Complete) {
      beast::error_code ec;
      parser.header_limit(static_cast<std::uint32_t>(settings.head.max_head));
      parser.body_limit(boost::none);
      const std::size_t used = parser.put(asio::buffer(bytes.data(), scan.length), ec);
      if (ec || !parser.is_header_done()) {
        refusal = 400;
        co_return HeadOutcome::Refused;
      }
      buffer.consume(used);
      // The exchange that follows runs under the idle limit, not the header deadline.
      if (deadline_set || !idle_set) stream.expires_after(settings.idle_timeout);
      co_return HeadOutcome::Ready;
    }
    if (scan.status != HeadScan::NeedMore) {
      refusal = refusal_status(scan.status);
      co_return HeadOutcome::Refused;
    }
    if (bytes.empty() && !idle_set) {
      stream.expires_after(settings.idle_timeout);
      idle_set = true;
    } else if (!bytes.empty() && !deadline_set) {
      stream.expires_after(settings.header_timeout);  // slow heads cannot reset it
      deadline_set = true;
    }
    auto [ec, n] = co_await stream.async_read_some(
        buffer.prepare(std::min<std::size_t>(16 * 1024, settings.head.max_head + 4)), use_tuple);
    if (ec) co_return HeadOutcome::Closed;
    buffer.commit(n);
  }
}

bool method_is_valid(std::string_view method) {
  for (char c : method)
    if (c < 'A' || c > 'Z') return false;
  return !method.empty();
}

// Framing rules the parser leaves to us: only "chunked" may be a Transfer-Encoding.
bool framing_is_valid(const http::request<http::buffer_body>& req) {
  auto te = req.find(http::field::transfer_encoding);
  if (te != req.end() && !beast::iequals(te->value(), "chunked")) return false;
  return req.count(http::field::transfer_encoding) <= 1;
}

}  // namespace

Task<void> serve_connection(TcpStream stream, ConnectionInfo info, Service& service,
                            ConnectionSettings settings) {
  beast::flat_buffer buffer;
  std::vector<HeaderField> headers;
  pathnorm::Normalized normalized;
  auto scratch = std::make_unique<char[]>(kScratchSize);
  std::string head_buffer;
  for (;;) {
    RequestParser parser;
    unsigned refusal = 0;
    HeadOutcome outcome = co_await read_head(stream, buffer, parser, settings, refusal);
    if (outcome == HeadOutcome::Closed) break;
    Exchange ex(stream, buffer, parser, info, std::span<char>(scratch.get(), kScratchSize),
                head_buffer);
    if (outcome == HeadOutcome::Refused) {
      co_await refuse(stream, refusal);
      ex.record().status = refusal;
      ex.record().flags.set(telemetry::ResponseFlag::DownstreamProtocolError);
      service.finished(ex);
      break;
    }
    auto& req = parser.get();
    const std::string_view method = req.method_string();
    const std::string_view host = req[http::field::host];
    const bool host_ok = req.version() == 10 || req.count(http::field::host) == 1;
    if (!method_is_valid(method) || !framing_is_valid(req) || !host_ok ||
        !split_target(req.target(), service.path_normalization(), normalized)) {
      co_await refuse(stream, 400);
      ex.record().status = 400;
      ex.record().flags.set(telemetry::ResponseFlag::DownstreamProtocolError);
      service.finished(ex);
      break;
    }
    if (normalized.changed) req.target(normalized.target);  // upstream sees what policy saw
    headers.clear();
    for (const auto& field : req) headers.push_back({field.name_string(), field.value()});
    RequestView view{.method = method,
                     .scheme = info.tls ? "https" : "http",
                     .authority = host,
                     .path = normalized.path(),
                     .query = normalized.query(),
                     .peer_ip = info.peer_ip,
                     .listener_port = info.listener_port,
                     .headers = headers};
    ex.set_view(view);
    ex.set_expects_continue(beast::iequals(req[http::field::expect], "100-continue"));
    ex.set_keep_alive(req.keep_alive() && !info.draining->load(std::memory_order_relaxed));
    info.in_flight->fetch_add(1, std::memory_order_relaxed);
    co_await service.serve(ex);
    info.in_flight->fetch_sub(1, std::memory_order_relaxed);
    service.finished(ex);
    if (!ex.keep_alive() || !parser.is_done()) break;
  }
  beast::error_code ec;
  stream.socket().shutdown(asio::ip::tcp::socket::shutdown_send, ec);
}

}  // namespace gatehouse::proxy
