#include "proxy/tls_server.h"

#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>
#include <sys/stat.h>

#include <boost/asio/error.hpp>
#include <boost/asio/ssl/error.hpp>
#include <boost/beast/core/error.hpp>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <ctime>

namespace gatehouse::proxy {
namespace {

// ELBSecurityPolicy-TLS13-1-2-2021-06: its TLS 1.3 suites; for TLS 1.2 its ECDHE AES-GCM
// suites plus ECDHE ChaCha20-Poly1305 (for clients without AES instructions), without its
// CBC suites.
constexpr const char* kTls13Suites =
    "TLS_AES_128_GCM_SHA256:TLS_AES_256_GCM_SHA384:TLS_CHACHA20_POLY1305_SHA256";
constexpr const char* kTls12Ciphers =
    "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:"
    "ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384:"
    "ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305";
constexpr const char* kGroups = "X25519:P-256:P-384";

struct X509Free {
  void operator()(X509* x) const { X509_free(x); }
};
struct PkeyFree {
  void operator()(EVP_PKEY* k) const { EVP_PKEY_free(k); }
};
struct BioFree {
  void operator()(BIO* b) const { BIO_free(b); }
};
struct NamesFree {
  void operator()(GENERAL_NAMES* n) const { GENERAL_NAMES_free(n); }
};

std::string openssl_reason() {
  const unsigned long code = ERR_peek_last_error();
  const char* reason = code ? ERR_reason_error_string(code) : nullptr;
  return reason ? std::string(" (") + reason + ")" : std::string();
}

std::string quoted(std::string_view s) { return "\"" + std::string(s) + "\""; }

// Why `path` cannot be read, or nothing when it can.
std::optional<std::string> unreadable(const std::string& path) {
  std::FILE* file = std::fopen(path.c_str(), "r");
  if (!file) return std::string(std::strerror(errno));
  struct stat st {};
  const bool folder = ::fstat(fileno(file), &st) == 0 && S_ISDIR(st.st_mode);
  std::fclose(file);
  if (folder) return std::string("it is a folder");
  return std::nullopt;
}

// ALPN: HTTP/1.1, or HTTP/1.0 for a client that offers only that (curl --http1.0), as nginx
// does; a client offering neither (only h2) gets no_application_protocol (RFC 7301).
int select_http1(SSL*, const unsigned char** out, unsigned char* out_length,
                 const unsigned char* offered, unsigned int offered_length, void*) {
  static const unsigned char kHttp1[] = {8, 'h', 't', 't', 'p', '/', '1', '.', '1',
                                         8, 'h', 't', 't', 'p', '/', '1', '.', '0'};
  unsigned char* chosen = nullptr;
  if (SSL_select_next_proto(&chosen, out_length, kHttp1, sizeof(kHttp1), offered, offered_length) !=
      OPENSSL_NPN_NEGOTIATED)
    return SSL_TLSEXT_ERR_ALERT_FATAL;
  *out = chosen;
  return SSL_TLSEXT_ERR_OK;
}

// An encrypted key would make OpenSSL ask on the terminal; refuse it instead.
int refuse_password(char*, int, int, void* asked) {
  *static_cast<bool*>(asked) = true;
  return -1;
}

bool set_up(SSL_CTX* context) {
  SSL_CTX_set_options(context, SSL_OP_NO_RENEGOTIATION | SSL_OP_CIPHER_SERVER_PREFERENCE |
                                   SSL_OP_PRIORITIZE_CHACHA | SSL_OP_NO_COMPRESSION);
  // Stateless tickets (TLS 1.2 and 1.3) under this context's own random key, and no
  // server-side session cache: resumption works across workers without a shared lock.
  SSL_CTX_set_session_cache_mode(context, SSL_SESS_CACHE_OFF);
  SSL_CTX_set_alpn_select_cb(context, select_http1, nullptr);
  return SSL_CTX_set_min_proto_version(context, TLS1_2_VERSION) == 1 &&
         SSL_CTX_set_max_proto_version(context, TLS1_3_VERSION) == 1 &&
         SSL_CTX_set_ciphersuites(context, kTls13Suites) == 1 &&
         SSL_CTX_set_cipher_list(context, kTls12Ciphers) == 1 &&
         SSL_CTX_set1_groups_list(context, kGroups) == 1;
}

std::chrono::system_clock::time_point to_time_point(const ASN1_TIME* time) {
  std::tm tm{};
  if (!time || ASN1_TIME_to_tm(time, &tm) != 1) return {};
  return std::chrono::system_clock::from_time_t(timegm(&tm));
}

std::string iso8601(std::chrono::system_clock::time_point time) {
  const std::time_t t = std::chrono::system_clock::to_time_t(time);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char text[32];
  std::strftime(text, sizeof(text), "%Y-%m-%dT%H:%M:%SZ", &tm);
  return text;
}

std::string text_of(const ASN1_STRING* s) {
  return std::string(reinterpret_cast<const char*>(ASN1_STRING_get0_data(s)),
                     static_cast<std::size_t>(ASN1_STRING_length(s)));
}

CertificateInfo describe(X509* certificate) {
  CertificateInfo info;
  const X509_NAME* subject = X509_get_subject_name(certificate);
  const int cn = X509_NAME_get_index_by_NID(subject, NID_commonName, -1);
  if (cn >= 0) {
    info.subject = text_of(X509_NAME_ENTRY_get_data(X509_NAME_get_entry(subject, cn)));
  } else if (char* line = X509_NAME_oneline(subject, nullptr, 0)) {
    info.subject = line;
    OPENSSL_free(line);
  }
  std::unique_ptr<GENERAL_NAMES, NamesFree> names(static_cast<GENERAL_NAMES*>(
      X509_get_ext_d2i(certificate, NID_subject_alt_name, nullptr, nullptr)));
  for (int i = 0; names && i < sk_GENERAL_NAME_num(names.get()); ++i) {
    const GENERAL_NAME* name = sk_GENERAL_NAME_value(names.get(), i);
    if (name->type == GEN_DNS) info.dns_names.push_back(text_of(name->d.dNSName));
  }
  if (info.dns_names.empty() && cn >= 0) info.dns_names.push_back(info.subject);
  info.not_before = to_time_point(X509_get0_notBefore(certificate));
  info.not_after = to_time_point(X509_get0_notAfter(certificate));
  return info;
}

// Reads the unencrypted private key in `path`; sets `error` when there is none.
std::unique_ptr<EVP_PKEY, PkeyFree> read_key(const std::string& path, std::string& error) {
  std::unique_ptr<BIO, BioFree> file(BIO_new_file(path.c_str(), "r"));
  bool asked = false;
  std::unique_ptr<EVP_PKEY, PkeyFree> key(
      file ? PEM_read_bio_PrivateKey(file.get(), nullptr, refuse_password, &asked) : nullptr);
  if (!key) {
    error = asked ? "keyFile " + quoted(path) + " is encrypted; gatehouse reads unencrypted keys"
                  : "keyFile " + quoted(path) + " holds no PEM private key" + openssl_reason();
  }
  return key;
}

}  // namespace

std::string_view label(HandshakeResult result) {
  switch (result) {
    case HandshakeResult::Ok:
      return "ok";
    case HandshakeResult::Failed:
      return "failed";
    case HandshakeResult::Timeout:
      return "timeout";
    case HandshakeResult::Closed:
      return "closed";
  }
  return "failed";
}

HandshakeResult classify_handshake(const boost::system::error_code& ec) {
  namespace asio = boost::asio;
  if (!ec) return HandshakeResult::Ok;
  if (ec == boost::beast::error::timeout) return HandshakeResult::Timeout;
  if (ec == asio::error::eof || ec == asio::ssl::error::stream_truncated ||
      ec == asio::error::connection_reset || ec == asio::error::broken_pipe)
    return HandshakeResult::Closed;
  return HandshakeResult::Failed;
}

void TlsServer::ContextFree::operator()(SSL_CTX* context) const { SSL_CTX_free(context); }

TlsServer::~TlsServer() = default;

TlsServer::LoadResult TlsServer::load(std::span<const CertificateFiles> files,
                                      std::chrono::system_clock::time_point now) {
  LoadResult result;
  std::shared_ptr<TlsServer> server(new TlsServer());
  for (std::size_t i = 0; i < files.size(); ++i) {
    // OpenSSL's per-thread error queue: its last entry explains this file's failure, and
    // none may stay behind for the next TLS operation on this thread.
    ERR_clear_error();
    const std::string& cert_path = files[i].certificate_file;
    const std::string& key_path = files[i].key_file;
    auto fail = [&](std::string message) { result.errors.push_back({i, std::move(message)}); };
    if (auto why = unreadable(cert_path)) {
      fail("cannot read certificateFile " + quoted(cert_path) + ": " + *why);
      continue;
    }
    if (auto why = unreadable(key_path)) {
      fail("cannot read keyFile " + quoted(key_path) + ": " + *why);
      continue;
    }
    ContextPtr context(SSL_CTX_new(TLS_server_method()));
    if (!context || !set_up(context.get())) {
      fail("cannot set up TLS" + openssl_reason());
      continue;
    }
    const bool has_chain =
        SSL_CTX_use_certificate_chain_file(context.get(), cert_path.c_str()) == 1;
    X509* leaf = has_chain ? SSL_CTX_get0_certificate(context.get()) : nullptr;
    if (!leaf) {
      fail("certificateFile " + quoted(cert_path) + " holds no PEM certificate" + openssl_reason());
      continue;
    }
    std::string error;
    auto key = read_key(key_path, error);
    if (!key) {
      fail(std::move(error));
      continue;
    }
    if (X509_check_private_key(leaf, key.get()) != 1) {
      fail("keyFile " + quoted(key_path) + " does not match certificateFile " + quoted(cert_path));
      continue;
    }
    if (SSL_CTX_use_PrivateKey(context.get(), key.get()) != 1) {
      fail("keyFile " + quoted(key_path) + " cannot be used" + openssl_reason());
      continue;
    }
    CertificateInfo info = describe(leaf);
    if (info.not_after < now) {
      result.warnings.push_back({i, "certificateFile " + quoted(cert_path) + " (" + info.subject +
                                        ") expired on " + iso8601(info.not_after) +
                                        "; clients will refuse it"});
    } else if (now < info.not_before) {
      result.warnings.push_back({i, "certificateFile " + quoted(cert_path) + " (" + info.subject +
                                        ") is not valid before " + iso8601(info.not_before) +
                                        "; clients will refuse it"});
    }
    for (const auto& name : info.dns_names) server->sni_.add(name, i);
    server->certificates_.push_back(std::move(info));
    server->contexts_.push_back(std::move(context));
  }
  ERR_clear_error();
  if (!result.errors.empty() || server->contexts_.empty()) return result;
  SSL_CTX* first = server->contexts_.front().get();
  SSL_CTX_set_tlsext_servername_callback(first, on_server_name);
  SSL_CTX_set_tlsext_servername_arg(first, server.get());
  result.server = std::move(server);
  return result;
}

SSL* TlsServer::new_session() const { return SSL_new(contexts_.front().get()); }

int TlsServer::on_server_name(SSL* ssl, int*, void* arg) {
  const auto* self = static_cast<const TlsServer*>(arg);
  const char* name = SSL_get_servername(ssl, TLSEXT_NAMETYPE_host_name);
  if (!name) return SSL_TLSEXT_ERR_NOACK;
  const std::size_t index = self->sni_.find(name);
  if (index != 0 && !SSL_set_SSL_CTX(ssl, self->contexts_[index].get()))
    return SSL_TLSEXT_ERR_ALERT_FATAL;
  return SSL_TLSEXT_ERR_OK;
}

void TlsServer::count(HandshakeResult result, telemetry::WorkerMetrics* metrics) const {
  if (metrics && counters_) metrics->count((*counters_)[static_cast<std::size_t>(result)]);
}

}  // namespace gatehouse::proxy
