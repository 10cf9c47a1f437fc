// One request for a small document over HTTP/1.1, plain or TLS, as a coroutine on the
// caller's io_context: the deadline covers DNS, connect, the handshake and the whole response.
// Only moves bytes: ResponseReader (on http1) frames the response. Network code.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ssl/context.hpp>
#include <chrono>
#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

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

// GETs `url` with `Connection: close`; redirects are not followed, and a status other than
// 200 is a failure (FetchResult::HttpStatus).
Task<GetResult> http_get(const Url& url, const GetOptions& options);

// A request with a body, for the back channel of a login (token and userinfo endpoints).
struct HttpRequest {
  std::string_view method = "GET";
  std::vector<std::pair<std::string, std::string>> headers = {};
  std::string body = {};
  bool any_status = false;  // a complete response of any status is Ok, its body kept
};
// Sends `request` to `url` with `Connection: close` (and Content-Length when it has a body).
// REQUIRES: `request` outlives the returned task.
Task<GetResult> http_request(const Url& url, const HttpRequest& request, const GetOptions& options);

}  // namespace gatehouse::keys
