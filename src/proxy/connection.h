// The client side of HTTP/1.1: one coroutine per accepted connection that reads
// requests under strict limits, builds the request view and hands each exchange to
// a Service (the gateway, or the built-in httpbin). Single-threaded per connection.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <memory>

#include "http1/head.h"
#include "pathnorm/pathnorm.h"
#include "proxy/exchange.h"
#include "proxy/tls_server.h"

namespace gatehouse::proxy {

class Service {
 public:
  virtual ~Service() = default;
  // Answers one exchange. The connection closes afterwards unless ex.keep_alive().
  virtual Task<void> serve(Exchange& ex) = 0;
  // Path normalization applied to every request before serve() sees it.
  virtual pathnorm::Mode path_normalization() const = 0;
  // Called once per finished exchange, including refused ones, for the access log.
  virtual void finished(const Exchange& ex) = 0;
};

struct ConnectionSettings {
  http1::Limits head;
  std::chrono::seconds header_timeout{10};  // a head, or a TLS handshake, must arrive within this
  std::chrono::seconds idle_timeout{60};    // keep-alive wait for the next request
};

// Serves one accepted connection until it closes. With `tls`, the TLS handshake comes first
// (bounded by the header timeout); a failed one closes the connection without an answer and
// is only counted, into `metrics` when set.
Task<void> serve_connection(Socket socket, ConnectionInfo info, Service& service,
                            ConnectionSettings settings, std::shared_ptr<const TlsServer> tls,
                            telemetry::WorkerMetrics* metrics);

}  // namespace gatehouse::proxy
