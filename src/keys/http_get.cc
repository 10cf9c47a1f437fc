#include "keys/http_get.h"

#include <openssl/ssl.h>
#include <openssl/x509_vfy.h>

#include <array>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/host_name_verification.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/tcp_stream.hpp>

#include "http1/writer.h"
#include "keys/response_reader.h"

namespace gatehouse::keys {
namespace {

namespace asio = boost::asio;
namespace ssl = asio::ssl;
namespace beast = boost::beast;
using tcp = asio::ip::tcp;
using Clock = std::chrono::steady_clock;
using TcpStream = beast::basic_stream<tcp, Executor, beast::unlimited_rate_policy>;
using TlsStream = ssl::stream<TcpStream>;
using Resolver = asio::ip::basic_resolver<tcp, Executor>;
// co_await yields (error_code, results...) instead of throwing.
constexpr auto use_tuple = asio::as_tuple(asio::use_awaitable_t<Executor>{});

GetResult failure(FetchResult result, std::string error) {
  return {.result = result, .error = std::move(error)};
}

// A failed step: a timeout when the deadline has passed (Beast reports it, and through TLS
// it may arrive as another error), else `result`.
GetResult step_failure(const boost::system::error_code& ec, FetchResult result,
                       std::string_view step, Clock::time_point deadline,
                       std::chrono::milliseconds timeout) {
  if (ec == beast::error::timeout || Clock::now() >= deadline)
    return failure(FetchResult::Timeout, "timed out after " + std::to_string(timeout.count()) +
                                             " ms " + std::string(step));
  return failure(result, std::string(step) + ": " + ec.message());
}

// asio's RFC 6125 check, plus a reason for OpenSSL to report when it refuses the name:
// otherwise the handshake fails with nothing better than "certificate verify failed".
struct VerifyHost {
  ssl::host_name_verification check;
  bool operator()(bool preverified, ssl::verify_context& context) {
    if (check(preverified, context)) return true;
    if (preverified)
      X509_STORE_CTX_set_error(context.native_handle(), X509_V_ERR_HOSTNAME_MISMATCH);
    return false;
  }
};

std::string request_bytes(const Url& url, const HttpRequest& request) {
  http1::Fields fields;
  fields.add_view("Host", url.authority);
  fields.add_view("User-Agent", "gatehouse");
  // One request per connection: fetches are minutes apart, logins seconds.
  fields.add_view("Connection", "close");
  for (const auto& [name, value] : request.headers) fields.add_view(name, value);
  if (request.method != "GET" || !request.body.empty())
    fields.add("Content-Length", std::to_string(request.body.size()));
  std::string bytes;
  http1::write_request_head(request.method, url.target, 11, fields.all(), bytes);
  bytes += request.body;
  return bytes;
}

GetResult finished(ResponseReader::State state, ResponseReader& reader, std::size_t max_body,
                   bool any_status) {
  const unsigned status = reader.status();
  switch (state) {
    case ResponseReader::State::Done:
      if (status == 200 || any_status) return {.status = status, .body = std::move(reader.body())};
      if (status >= 300 && status < 400)
        return {.result = FetchResult::HttpStatus,
                .status = status,
                .error = "HTTP status " + std::to_string(status) + " (redirects are not followed)"};
      return {.result = FetchResult::HttpStatus,
              .status = status,
              .error = "HTTP status " + std::to_string(status)};
    case ResponseReader::State::TooLarge:
      return {.result = FetchResult::TooLarge,
              .status = status,
              .error = "the body is larger than " + std::to_string(max_body) + " bytes"};
    case ResponseReader::State::Malformed:
    case ResponseReader::State::NeedMore:
      break;
  }
  return {
      .result = FetchResult::BadResponse, .status = status, .error = std::string(reader.error())};
}

// Writes the request and reads the response on a connected stream, plain or TLS.
template <class Stream>
Task<GetResult> exchange(Stream& stream, const Url& url, const HttpRequest& request,
                         const GetOptions& options, Clock::time_point deadline) {
  const std::string bytes = request_bytes(url, request);
  auto [write_error, written] = co_await asio::async_write(stream, asio::buffer(bytes), use_tuple);
  if (write_error)
    co_return step_failure(write_error, FetchResult::ConnectError, "sending the request", deadline,
                           options.timeout);
  ResponseReader reader(options.max_body, request.any_status);
  std::array<char, 16 * 1024> buffer;
  ResponseReader::State state = ResponseReader::State::NeedMore;
  while (state == ResponseReader::State::NeedMore) {
    auto [ec, n] = co_await stream.async_read_some(asio::buffer(buffer), use_tuple);
    if (n > 0) state = reader.feed({buffer.data(), n});
    if (!ec || state != ResponseReader::State::NeedMore) continue;
    // Over TLS a close without close_notify is an error too: the body may have been cut.
    if (ec != asio::error::eof)
      co_return step_failure(
          ec, reader.has_head() ? FetchResult::BadResponse : FetchResult::ConnectError,
          "reading the response", deadline, options.timeout);
    state = reader.end_of_input();
  }
  co_return finished(state, reader, options.max_body, request.any_status);
}

Task<GetResult> tls_exchange(TcpStream tcp, const Url& url, const HttpRequest& request,
                             const GetOptions& options, Clock::time_point deadline) {
  TlsStream tls(std::move(tcp), *options.tls->context);
  boost::system::error_code ec;
  asio::ip::make_address(url.host, ec);
  // SNI carries names only (RFC 6066, section 3).
  if (ec) SSL_set_tlsext_host_name(tls.native_handle(), url.host.c_str());
  tls.set_verify_callback(VerifyHost{ssl::host_name_verification(url.host)}, ec);
  auto [handshake_error] = co_await tls.async_handshake(ssl::stream_base::client, use_tuple);
  if (handshake_error) {
    const long verify = SSL_get_verify_result(tls.native_handle());
    if (verify != X509_V_OK)
      co_return failure(FetchResult::TlsError, std::string("TLS certificate verify failed: ") +
                                                   X509_verify_cert_error_string(verify));
    co_return step_failure(handshake_error, FetchResult::TlsError, "in the TLS handshake", deadline,
                           options.timeout);
  }
  co_return co_await exchange(tls, url, request, options, deadline);
}

// `options` by value: the coroutine outlives the caller's temporary.
Task<void> get_into(GetResult& out, const Url& url, GetOptions options) {
  out = co_await http_get(url, options);
}

// GETs the documents key sets come from: a status other than 200 is a failure.
const HttpRequest kDocumentGet{};

}  // namespace

TlsClient make_tls_client(const std::string& ca_file) {
  TlsClient out;
  auto context = std::make_unique<ssl::context>(ssl::context::tls_client);
  SSL_CTX_set_min_proto_version(context->native_handle(), TLS1_2_VERSION);
  boost::system::error_code ec;
  if (ca_file.empty())
    context->set_default_verify_paths(ec);
  else
    context->load_verify_file(ca_file, ec);
  if (ec) {
    out.error =
        (ca_file.empty() ? std::string("the system's trusted roots") : "the CA file " + ca_file) +
        ": " + ec.message();
    return out;
  }
  context->set_verify_mode(ssl::verify_peer, ec);
  out.context = std::move(context);
  return out;
}

Task<GetResult> http_get(const Url& url, const GetOptions& options) {
  co_return co_await http_request(url, kDocumentGet, options);
}

Task<GetResult> http_request(const Url& url, const HttpRequest& request,
                             const GetOptions& options) {
  const Clock::time_point deadline = Clock::now() + options.timeout;
  if (url.tls && !(options.tls && options.tls->context))
    co_return failure(FetchResult::TlsError, options.tls ? options.tls->error : "no TLS client");
  const auto executor = co_await asio::this_coro::executor;
  // The resolver cannot be cancelled once getaddrinfo runs: the system resolver's own
  // timeouts bound it, and a late answer still counts as a timeout.
  Resolver resolver(executor);
  auto [resolve_error, endpoints] = co_await resolver.async_resolve(url.host, url.port, use_tuple);
  if (resolve_error || Clock::now() >= deadline)
    co_return step_failure(resolve_error, FetchResult::ConnectError, "resolving " + url.host,
                           deadline, options.timeout);
  TcpStream tcp(executor);
  // Beast's stream timer: one deadline for every read and write from here on.
  tcp.expires_at(deadline);
  auto [connect_error, endpoint] = co_await tcp.async_connect(endpoints, use_tuple);
  if (connect_error)
    co_return step_failure(connect_error, FetchResult::ConnectError,
                           "connecting to " + url.authority, deadline, options.timeout);
  if (url.tls) co_return co_await tls_exchange(std::move(tcp), url, request, options, deadline);
  co_return co_await exchange(tcp, url, request, options, deadline);
}

GetResult fetch_jwks_once(const std::string& uri, std::chrono::milliseconds timeout,
                          const std::string& ca_file, std::size_t max_body) {
  const std::optional<Url> url = parse_url(uri);
  if (!url) return failure(FetchResult::BadUrl, "not an http(s) URL: " + uri);
  TlsClient tls;
  if (url->tls) tls = make_tls_client(ca_file);
  GetResult result;
  boost::asio::io_context io(1);
  asio::co_spawn(io,
                 get_into(result, *url, {.timeout = timeout, .max_body = max_body, .tls = &tls}),
                 asio::detached);
  io.run();
  return result;
}

}  // namespace gatehouse::keys
