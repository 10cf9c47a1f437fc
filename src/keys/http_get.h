// One GET of a small document over HTTP/1.1, plain or TLS, as a coroutine on the caller's
// io_context: the deadline covers DNS, connect, the handshake and the whole response. Only
// moves bytes: ResponseReader (on http1) frames the response. Network code.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ssl/context.hpp>
#include <chrono>
#include <cstddef>
#include <memory>
#include <string>

#include "keys/jwks_fetcher.h"
#include "keys/url.h"

namespace gatehouse::keys {

using Executor = boost::asio::io_context::executor_type;
template <class T = void>
using Task = boost::asio::awaitable<T, Executor>;

// The client side of TLS: peers verified against `ca_file`, or the system's roots when it
// is empty. A CA file that cannot be loaded leaves `context` null and says why in `error`.
struct TlsClient {
  std::unique_ptr<boost::asio::ssl::context> context;
  std::string error;
};
TlsClient make_tls_client(const std::string& ca_file);

struct GetOptions {
  std::chrono::milliseconds timeout{5000};
  std::size_t max_body = 1 << 20;
  const TlsClient* tls = nullptr;  // needed for https URLs
};

// GETs `url` with `Connection: close`; redirects are not followed.
Task<GetResult> http_get(const Url& url, const GetOptions& options);

}  // namespace gatehouse::keys
