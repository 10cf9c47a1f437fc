// TLS for an HTTPS listener: one OpenSSL server context per certificate, all set up alike
// (TLS 1.2 and 1.3, ALB's TLS13-1-2-2021-06 suites without the CBC ones, ALPN http/1.1 or
// http/1.0, stateless session tickets), the certificate picked by SNI during the handshake (see
// sni.h). Built from the certificate and key files when a configuration loads, then shared
// read-only by every worker; a connection holds the one it started with, so a reload with new
// files changes nothing for connections already open.
#pragma once

#include <openssl/types.h>

#include <array>
#include <boost/system/error_code.hpp>
#include <chrono>
#include <cstddef>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "proxy/sni.h"
#include "telemetry/worker_metrics.h"

namespace gatehouse::proxy {

struct CertificateFiles {
  std::string certificate_file;  // PEM: the certificate, then its chain
  std::string key_file;          // PEM, unencrypted
};

// What a certificate says about itself, read when it is loaded.
struct CertificateInfo {
  std::string subject;                 // the subject's common name, or the whole subject
  std::vector<std::string> dns_names;  // SAN DNS names; the common name when there are none
  std::chrono::system_clock::time_point not_before, not_after;
};

// How a TLS handshake ended, for the metrics: `closed` is a peer that went away (a TCP probe,
// a port scan), `failed` one that spoke something else than acceptable TLS (plain HTTP, TLS 1.1,
// no common cipher or ALPN protocol).
enum class HandshakeResult { Ok, Failed, Timeout, Closed };
inline constexpr std::size_t kHandshakeResults = 4;
std::string_view label(HandshakeResult result);
HandshakeResult classify_handshake(const boost::system::error_code& ec);

class TlsServer {
 public:
  // A problem with certificate `certificate` (an index into the files given to load()).
  struct Problem {
    std::size_t certificate = 0;
    std::string message;
  };
  struct LoadResult {
    std::shared_ptr<TlsServer> server;  // set when errors is empty
    std::vector<Problem> errors;    // unreadable files, no PEM in them, key and certificate apart
    std::vector<Problem> warnings;  // a certificate outside its validity period (served anyway)
  };
  // Reads every certificate and key; the first certificate answers when SNI picks none.
  // `now` dates the validity warnings.
  // REQUIRES: `files` is not empty.
  static LoadResult load(std::span<const CertificateFiles> files,
                         std::chrono::system_clock::time_point now);

  ~TlsServer();
  TlsServer(const TlsServer&) = delete;
  TlsServer& operator=(const TlsServer&) = delete;

  // A server-side SSL object for a new connection, owned by the caller; null when OpenSSL
  // has no memory. The handshake switches it to the certificate SNI names.
  SSL* new_session() const;
  const std::vector<CertificateInfo>& certificates() const { return certificates_; }
  // The index of the certificate that answers `server_name` (0 for none or no match).
  std::size_t select(std::string_view server_name) const { return sni_.find(server_name); }

  // Counters, by HandshakeResult, that count() increments (registered by the caller).
  void set_counters(const std::array<telemetry::CounterId, kHandshakeResults>& ids) {
    counters_ = ids;
  }
  void count(HandshakeResult result, telemetry::WorkerMetrics* metrics) const;

 private:
  struct ContextFree {
    void operator()(SSL_CTX* context) const;
  };
  using ContextPtr = std::unique_ptr<SSL_CTX, ContextFree>;

  TlsServer() = default;
  static int on_server_name(SSL* ssl, int* alert, void* self);

  std::vector<ContextPtr> contexts_;  // by certificate; the first is every session's start
  std::vector<CertificateInfo> certificates_;
  SniTable sni_;
  std::optional<std::array<telemetry::CounterId, kHandshakeResults>> counters_;
};

}  // namespace gatehouse::proxy
