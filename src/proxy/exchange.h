// One request/response exchange on a client connection, as the services see it:
// the parsed head, the connection facts, and the helpers to read the body and answer.
// Per connection and single-threaded: lives on the connection coroutine's frame.
#pragma once

#include <atomic>
#include <boost/beast/core/flat_buffer.hpp>
#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "http1/body.h"
#include "http1/head.h"
#include "proxy/client_stream.h"
#include "proxy/io.h"
#include "request/request_view.h"
#include "telemetry/access_log.h"

namespace gatehouse::proxy {

struct ConnectionInfo {
  std::string peer_ip;
  uint16_t peer_port = 0;
  std::string local_ip;
  std::string listener_address;  // as configured, with listener_port names the listener
  uint16_t listener_port = 0;
  bool tls = false;
  std::string sni;  // the TLS server name the client sent; empty without TLS or SNI
  // Owned by the worker; the server reads them while draining.
  std::atomic<int>* in_flight = nullptr;
  const std::atomic<bool>* draining = nullptr;
};

// What a client connection keeps from one exchange to the next, so that a warmed-up
// connection handles a request without allocating. Parsed heads view the *_bytes strings:
// a head is copied out of its read buffer first, because body reads move that buffer.
struct ConnectionBuffers {
  boost::beast::flat_buffer client_in;  // read from the client, not yet used
  std::string request_bytes;
  http1::RequestHead request;
  boost::beast::flat_buffer upstream_in;  // read from the upstream, not yet used
  std::string response_bytes;
  http1::ResponseHead response;
  std::string head_out;  // a head being written
};

// What the access log and metrics learn about an exchange.
struct ExchangeRecord {
  static constexpr uint32_t kNoSeries = ~0u;
  uint32_t series = kNoSeries;  // metrics series (listener, route)
  std::string route;
  std::string upstream_host;
  telemetry::ResponseFlags flags;
  uint32_t upstream_connects = 0;  // new upstream connections attempted
  uint32_t upstream_connect_failures = 0;
  uint64_t bytes_received = 0;
  uint64_t bytes_sent = 0;
  unsigned status = 0;
  // Request authentication, for the access log: the status code name when a token was
  // checked (a static string), and the token's issuer and subject when it verified.
  std::string_view jwt_status;
  std::string jwt_issuer;
  std::string jwt_subject;
  // AuthorizationPolicy, when the workload has any: "allowed" or "denied" (a static string)
  // and the explanation, written only when an access log or header wants it.
  std::string_view authz_result;
  std::string authz_explanation;
  // authenticate-oidc: why the login answered itself or found no session (ALB's reason, a
  // static string), and gatehouse's precise code with its detail ("IdpError: access_denied").
  std::string_view error_reason;
  std::string error_detail;
};

// A response gatehouse makes itself (errors, fixed responses, admin pages, httpbin).
struct LocalResponse {
  unsigned status = 200;
  http1::Fields headers;  // Content-Length and Connection are added when it is sent
  std::string body;
  bool chunked = false;  // send the body with chunked coding
};

// A short answer with Server and Content-Type set.
LocalResponse make_local_response(unsigned status, std::string body,
                                  std::string_view content_type = "text/plain");

class Exchange {
 public:
  Exchange(ClientStream& client, ConnectionBuffers& buffers, const ConnectionInfo& conn);

  ClientStream& client() { return client_; }
  ConnectionBuffers& buffers() { return buffers_; }
  http1::RequestHead& request() { return buffers_.request; }
  const http1::RequestHead& request() const { return buffers_.request; }
  // Decodes the request body from buffers().client_in.
  http1::BodyReader& body() { return body_; }
  const ConnectionInfo& connection() const { return conn_; }
  // The request as routing and policy read it; its headers follow edits of request().
  const RequestView& view() const {
    view_.headers = buffers_.request.fields.all();
    return view_;
  }
  ExchangeRecord& record() { return record_; }
  const ExchangeRecord& record() const { return record_; }
  std::chrono::steady_clock::time_point started() const { return started_; }

  // Whether the client connection may carry another request after this one.
  bool keep_alive() const { return keep_alive_; }
  void close_after() { keep_alive_ = false; }

  // Reads the whole request body, up to `limit` bytes; nullopt when larger or broken
  // (the connection is then closed after the answer).
  Task<std::optional<std::string>> read_body(std::size_t limit);
  // Sends a locally generated answer; returns false when the client is gone.
  Task<bool> respond(LocalResponse response);
  // Sends "100 Continue" once, if the client asked for it and its body is still due.
  Task<bool> send_continue_if_expected();

  // A field added to whatever answer this request gets, the upstream's or a local one (a
  // renewed session's Set-Cookie).
  void add_response_field(std::string_view name, std::string value) {
    response_fields_.emplace_back(name, std::move(value));
  }
  // Adds the fields of add_response_field to `fields`.
  void add_response_fields(http1::Fields& fields) const {
    for (const auto& [name, value] : response_fields_) fields.add(name, value);
  }

  // Built by the connection after parsing and normalizing; services only read it.
  void set_view(const RequestView& view) { view_ = view; }
  void set_keep_alive(bool on) { keep_alive_ = on; }

 private:
  ClientStream& client_;
  ConnectionBuffers& buffers_;
  const ConnectionInfo& conn_;
  http1::BodyReader body_;
  mutable RequestView view_;
  ExchangeRecord record_;
  std::vector<std::pair<std::string_view, std::string>> response_fields_;  // names are literals
  std::chrono::steady_clock::time_point started_ = std::chrono::steady_clock::now();
  bool keep_alive_ = true;
  bool continue_sent_ = false;
};

// Adds the Connection field `keep_alive` needs under `version`'s default.
void add_connection_field(http1::Fields& fields, unsigned version, bool keep_alive);

}  // namespace gatehouse::proxy
