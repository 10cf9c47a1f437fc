#include "proxy/client_stream.h"

#include <openssl/ssl.h>

#include <boost/asio/ssl/stream.hpp>

namespace gatehouse::proxy {

namespace asio = boost::asio;

struct ClientStream::Tls {
  Tls(TcpStream& tcp, SSL* session) : stream(tcp, session) {}
  asio::ssl::stream<TcpStream&> stream;
};

ClientStream::ClientStream(Socket socket) : tcp_(std::move(socket)) {}

ClientStream::~ClientStream() = default;

Task<boost::system::error_code> ClientStream::tls_handshake(SSL* session) {
  tls_ = std::make_unique<Tls>(tcp_, session);
  auto [ec] = co_await tls_->stream.async_handshake(asio::ssl::stream_base::server, use_tuple);
  co_return ec;
}

Task<boost::system::error_code> ClientStream::tls_shutdown() {
  auto [ec] = co_await tls_->stream.async_shutdown(use_tuple);
  co_return ec;
}

std::string_view ClientStream::server_name() const {
  const char* name =
      tls_ ? SSL_get_servername(tls_->stream.native_handle(), TLSEXT_NAMETYPE_host_name) : nullptr;
  return name ? std::string_view(name) : std::string_view();
}

IoTask ClientStream::tls_read_some(asio::mutable_buffer buffer) {
  return tls_->stream.async_read_some(buffer, use_tuple);
}

IoTask ClientStream::tls_write(std::span<const asio::const_buffer> buffers) {
  return asio::async_write(tls_->stream, buffers, use_tuple);
}

}  // namespace gatehouse::proxy
