#include "proxy/connection.h"

#include <string>

#include "http1/writer.h"
#include "proxy/target_split.h"

namespace gatehouse::proxy {
namespace {

namespace asio = boost::asio;

// How long a closing TLS connection waits for the client's close_notify after sending its own.
constexpr std::chrono::seconds kCloseNotifyWait{1};

enum class HeadOutcome { Ready, Closed, Refused };

unsigned refusal_status(http1::HeadStatus status) {
  switch (status) {
    case http1::HeadStatus::UriTooLong:
      return 414;
    case http1::HeadStatus::HeadTooLarge:
      return 431;
    case http1::HeadStatus::Malformed:
    case http1::HeadStatus::NeedMore:
    case http1::HeadStatus::Complete:
      return 400;
  }
  return 400;
}

// Reads bytes until a complete head is buffered, then parses a copy of it.
Task<HeadOutcome> read_head(ClientStream& stream, ConnectionBuffers& buffers,
                            const ConnectionSettings& settings, unsigned& refusal) {
  // The wait for a first byte runs under the idle limit; a head that arrives in pieces gets
  // the header deadline once, from its first piece, so slow pieces cannot extend it.
  bool idle_set = false, deadline_set = false;
  auto& in = buffers.client_in;
  std::size_t checked = 0;  // bytes examined by the previous find
  for (;;) {
    const std::string_view bytes(static_cast<const char*>(in.data().data()), in.size());
    const http1::HeadResult found = http1::find_request_head(bytes, settings.head, checked);
    if (found.status == http1::HeadStatus::Complete) {
      buffers.request_bytes.assign(bytes.data(), found.length);
      in.consume(found.length);
      const http1::HeadResult parsed =
          http1::parse_request(buffers.request_bytes, settings.head, buffers.request);
      if (parsed.status != http1::HeadStatus::Complete) {
        refusal = refusal_status(parsed.status);
        co_return HeadOutcome::Refused;
      }
      // The exchange that follows runs under the idle limit, from now.
      stream.expires_at(coarse_now() + settings.idle_timeout);
      co_return HeadOutcome::Ready;
    }
    if (found.status != http1::HeadStatus::NeedMore) {
      refusal = refusal_status(found.status);
      co_return HeadOutcome::Refused;
    }
    if (bytes.empty() && !idle_set) {
      stream.expires_at(coarse_now() + settings.idle_timeout);
      idle_set = true;
    } else if (!bytes.empty() && !deadline_set) {
      stream.expires_after(settings.header_timeout);
      deadline_set = true;
    }
    checked = bytes.size();
    auto [ec, n] = co_await stream.async_read_some(
        in.prepare(std::min<std::size_t>(16 * 1024, settings.head.max_head + 4)), use_tuple);
    if (ec) co_return HeadOutcome::Closed;
    in.commit(n);
  }
}

// Answers a request that cannot be served (it was malformed) and ends the connection.
Task<void> refuse(Exchange& ex, unsigned status, Service& service) {
  ex.close_after();
  ex.record().flags.set(telemetry::ResponseFlag::DownstreamProtocolError);
  co_await ex.respond(
      make_local_response(status, std::string(http1::reason_phrase(status)) + "\n"));
  service.finished(ex);
}

// The TLS handshake, under the header deadline. Counted, never logged: a port scan or plain
// HTTP sent to the HTTPS port is noise, not an exchange.
Task<bool> accept_tls(ClientStream& stream, const TlsServer& tls,
                      const ConnectionSettings& settings, ConnectionInfo& info,
                      telemetry::WorkerMetrics* metrics) {
  SSL* session = tls.new_session();
  if (!session) {
    tls.count(HandshakeResult::Failed, metrics);
    co_return false;
  }
  stream.expires_after(settings.header_timeout);
  const boost::system::error_code ec = co_await stream.tls_handshake(session);
  const HandshakeResult result = classify_handshake(ec);
  tls.count(result, metrics);
  if (result != HandshakeResult::Ok) co_return false;
  info.tls = true;
  info.sni = stream.server_name();
  co_return true;
}

}  // namespace

Task<void> serve_connection(Socket socket, ConnectionInfo info, Service& service,
                            ConnectionSettings settings, std::shared_ptr<const TlsServer> tls,
                            telemetry::WorkerMetrics* metrics) {
  ClientStream stream(std::move(socket));
  if (tls && !co_await accept_tls(stream, *tls, settings, info, metrics)) co_return;
  ConnectionBuffers buffers;
  pathnorm::Normalized normalized;
  bool client_gone = false;  // closed, broken or timed out while waiting for a head
  for (;;) {
    unsigned refusal = 0;
    HeadOutcome outcome = co_await read_head(stream, buffers, settings, refusal);
    if (outcome == HeadOutcome::Closed) {
      client_gone = true;
      break;
    }
    auto& req = buffers.request;
    if (outcome == HeadOutcome::Refused) {
      // Whatever was parsed of the bad head must not shape the answer.
      req.method = {};
      req.version = 11;
      req.framing = http1::Framing::None;
    }
    Exchange ex(stream, buffers, info);
    if (outcome == HeadOutcome::Refused ||
        !split_target(req.target, service.path_normalization(), normalized)) {
      co_await refuse(ex, outcome == HeadOutcome::Refused ? refusal : 400, service);
      break;
    }
    if (normalized.changed) req.target = normalized.target;  // upstream sees what policy saw
    ex.set_view(RequestView{.method = req.method,
                            .scheme = info.tls ? "https" : "http",
                            .authority = req.host,
                            .path = normalized.path(),
                            .query = normalized.query(),
                            .peer_ip = info.peer_ip,
                            .listener_port = info.listener_port,
                            .headers = req.fields.all()});
    ex.set_keep_alive(req.keep_alive && !info.draining->load(std::memory_order_relaxed));
    info.in_flight->fetch_add(1, std::memory_order_relaxed);
    co_await service.serve(ex);
    info.in_flight->fetch_sub(1, std::memory_order_relaxed);
    service.finished(ex);
    if (!ex.keep_alive() || !ex.body().done()) break;
  }
  if (!client_gone && stream.tls()) {
    // close_notify: without it the end of a close-delimited body could be forged by a reset.
    stream.expires_after(kCloseNotifyWait);
    co_await stream.tls_shutdown();
  }
  boost::beast::error_code ec;
  stream.tcp().socket().shutdown(asio::ip::tcp::socket::shutdown_send, ec);
}

}  // namespace gatehouse::proxy
