// The client side of a connection: plain TCP, or TLS over it. One class with a branch per
// operation rather than an engine templated on the stream: the plain path is the TcpStream's
// own operation behind one predictable branch, and both share the Beast stream's timeouts
// (expires_after/expires_at bound the TLS records' reads and writes as they bound plain ones).
// The TLS side lives in client_stream.cc, so the engine's other files never instantiate
// OpenSSL's stream templates (which would also change how the compiler inlines the plain path).
// Not movable: the TLS layer refers to the TCP stream beside it.
#pragma once

#include <openssl/types.h>

#include <boost/asio/buffer.hpp>
#include <boost/asio/write.hpp>
#include <memory>
#include <span>
#include <string_view>
#include <tuple>

#include "proxy/io.h"
#include "proxy/tcp_stream.h"

namespace gatehouse::proxy {

// What a read or a write completes with: (error, bytes).
using IoTask = Task<std::tuple<boost::system::error_code, std::size_t>>;
using UseTuple = std::decay_t<decltype(use_tuple)>;

class ClientStream {
 public:
  explicit ClientStream(Socket socket);
  ~ClientStream();
  ClientStream(const ClientStream&) = delete;
  ClientStream& operator=(const ClientStream&) = delete;

  TcpStream& tcp() { return tcp_; }
  bool tls() const { return tls_ != nullptr; }
  void expires_after(std::chrono::steady_clock::duration d) { tcp_.expires_after(d); }
  void expires_at(std::chrono::steady_clock::time_point t) { tcp_.expires_at(t); }

  // Runs the TLS server handshake on `session` (from TlsServer::new_session, owned from
  // now on); every later read and write goes through TLS.
  // REQUIRES: session is not null; called once.
  Task<boost::system::error_code> tls_handshake(SSL* session);
  // Sends TLS close_notify and waits for the peer's (bound it with expires_after).
  // REQUIRES: tls().
  Task<boost::system::error_code> tls_shutdown();
  // The server name the client sent in the TLS handshake; empty without TLS or SNI.
  std::string_view server_name() const;

  IoTask async_read_some(boost::asio::mutable_buffer buffer, UseTuple token) {
    if (tls_) return tls_read_some(buffer);
    return tcp_.async_read_some(buffer, token);
  }
  // Writes all of `buffers`. Over TLS, gathered buffers go out in records of up to 8 KiB
  // (Asio linearises them).
  IoTask async_write(std::span<const boost::asio::const_buffer> buffers, UseTuple token) {
    if (tls_) return tls_write(buffers);
    return boost::asio::async_write(tcp_, buffers, token);
  }

 private:
  struct Tls;
  IoTask tls_read_some(boost::asio::mutable_buffer buffer);
  IoTask tls_write(std::span<const boost::asio::const_buffer> buffers);

  TcpStream tcp_;
  std::unique_ptr<Tls> tls_;
};

// Writes all of `buffers` to either side of the proxy: a client or an upstream stream.
inline IoTask async_write_all(ClientStream& stream,
                              std::span<const boost::asio::const_buffer> buffers, UseTuple token) {
  return stream.async_write(buffers, token);
}
inline IoTask async_write_all(TcpStream& stream, std::span<const boost::asio::const_buffer> buffers,
                              UseTuple token) {
  return boost::asio::async_write(stream, buffers, token);
}

}  // namespace gatehouse::proxy
