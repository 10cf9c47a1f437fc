// TlsServer: loading certificate and key files (the errors users see), and handshakes run in
// memory against it: SNI picking the certificate, TLS versions, ciphers and ALPN.
#include "proxy/tls_server.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <openssl/err.h>
#include <openssl/ssl.h>

#include <boost/asio/error.hpp>
#include <boost/asio/ssl/error.hpp>
#include <boost/beast/core/error.hpp>
#include <filesystem>

#include "test_certificates.h"

namespace gatehouse::proxy {
namespace {

using testing::CertificateFolder;
using ::testing::HasSubstr;
using testing::TestCertificate;

const auto kNow = std::chrono::system_clock::now();

TlsServer::LoadResult load(std::vector<TestCertificate> certs) {
  std::vector<CertificateFiles> files;
  for (const auto& c : certs) files.push_back({c.certificate_file, c.key_file});
  return TlsServer::load(files, kNow);
}

std::string only_error(const TlsServer::LoadResult& r) {
  EXPECT_EQ(r.server, nullptr);
  EXPECT_EQ(r.errors.size(), 1u);
  return r.errors.empty() ? "" : r.errors[0].message;
}

struct Client {
  std::string sni{};
  int min_version = TLS1_2_VERSION;
  int max_version = TLS1_3_VERSION;
  std::string tls12_ciphers{};  // empty: OpenSSL's
  std::vector<std::string> alpn{};
};

struct Handshake {
  bool ok = false;
  std::string peer;  // the server certificate's common name
  std::string alpn;
  int version = 0;
  std::string server_error;  // OpenSSL's reason when the server side failed
};

std::string common_name(X509* x) {
  char cn[256] = {};
  X509_NAME_get_text_by_NID(X509_get_subject_name(x), NID_commonName, cn, sizeof(cn));
  return cn;
}

// One handshake through a pair of memory BIOs.
Handshake handshake(const TlsServer& server, const Client& c) {
  Handshake out;
  SSL_CTX* context = SSL_CTX_new(TLS_client_method());
  SSL_CTX_set_verify(context, SSL_VERIFY_NONE, nullptr);
  SSL_CTX_set_min_proto_version(context, c.min_version);
  SSL_CTX_set_max_proto_version(context, c.max_version);
  if (c.min_version < TLS1_2_VERSION) SSL_CTX_set_security_level(context, 0);
  if (!c.tls12_ciphers.empty()) SSL_CTX_set_cipher_list(context, c.tls12_ciphers.c_str());
  if (!c.alpn.empty()) {
    std::string wire;
    for (const auto& p : c.alpn) wire += static_cast<char>(p.size()) + p;
    SSL_CTX_set_alpn_protos(context, reinterpret_cast<const unsigned char*>(wire.data()),
                            static_cast<unsigned>(wire.size()));
  }
  SSL* client = SSL_new(context);
  SSL* srv = server.new_session();
  if (!c.sni.empty()) SSL_set_tlsext_host_name(client, c.sni.c_str());
  BIO *a = nullptr, *b = nullptr;
  BIO_new_bio_pair(&a, 0, &b, 0);
  SSL_set_bio(client, a, a);
  SSL_set_bio(srv, b, b);
  SSL_set_connect_state(client);
  SSL_set_accept_state(srv);
  bool client_done = false, server_done = false, failed = false;
  auto step = [&](SSL* ssl, bool& done, bool is_server) {
    if (done || failed) return;
    const int r = SSL_do_handshake(ssl);
    if (r == 1) {
      done = true;
      return;
    }
    const int e = SSL_get_error(ssl, r);
    if (e == SSL_ERROR_WANT_READ || e == SSL_ERROR_WANT_WRITE) return;
    failed = true;
    if (is_server) {
      const char* reason = ERR_reason_error_string(ERR_peek_last_error());
      out.server_error = reason ? reason : "";
    }
  };
  for (int i = 0; i < 50 && !(client_done && server_done) && !failed; ++i) {
    step(client, client_done, false);
    step(srv, server_done, true);
  }
  out.ok = client_done && server_done;
  if (X509* peer = SSL_get1_peer_certificate(client)) {
    out.peer = common_name(peer);
    X509_free(peer);
  }
  const unsigned char* alpn = nullptr;
  unsigned alpn_length = 0;
  SSL_get0_alpn_selected(client, &alpn, &alpn_length);
  out.alpn.assign(reinterpret_cast<const char*>(alpn), alpn_length);
  out.version = SSL_version(client);
  SSL_free(client);
  SSL_free(srv);
  SSL_CTX_free(context);
  ERR_clear_error();
  return out;
}

class TlsServerTest : public ::testing::Test {
 protected:
  CertificateFolder folder;
};

TEST_F(TlsServerTest, LoadsACertificateAndReadsItsNames) {
  auto r = load({folder.make("a", "localhost", {"localhost", "*.local.test"})});
  ASSERT_TRUE(r.errors.empty()) << r.errors[0].message;
  ASSERT_NE(r.server, nullptr);
  EXPECT_TRUE(r.warnings.empty());
  ASSERT_EQ(r.server->certificates().size(), 1u);
  const auto& info = r.server->certificates()[0];
  EXPECT_EQ(info.subject, "localhost");
  EXPECT_EQ(info.dns_names, (std::vector<std::string>{"localhost", "*.local.test"}));
  EXPECT_LT(info.not_before, kNow);
  EXPECT_GT(info.not_after, kNow);
}

TEST_F(TlsServerTest, CommonNameStandsInWhenThereIsNoDnsName) {
  auto r = load({folder.make("a", "legacy.example", {})});
  ASSERT_NE(r.server, nullptr);
  EXPECT_EQ(r.server->certificates()[0].dns_names, std::vector<std::string>{"legacy.example"});
}

TEST_F(TlsServerTest, MissingFilesAreNamed) {
  auto good = folder.make("a", "localhost", {"localhost"});
  const std::string missing = folder.path("missing.pem");
  EXPECT_EQ(only_error(load({{missing, good.key_file}})),
            "cannot read certificateFile \"" + missing + "\": No such file or directory");
  EXPECT_EQ(only_error(load({{good.certificate_file, missing}})),
            "cannot read keyFile \"" + missing + "\": No such file or directory");
  EXPECT_EQ(only_error(load({{folder.dir().string(), good.key_file}})),
            "cannot read certificateFile \"" + folder.dir().string() + "\": it is a folder");
}

TEST_F(TlsServerTest, FilesWithoutPemAreRefused) {
  auto good = folder.make("a", "localhost", {"localhost"});
  const std::string garbage = folder.write("garbage.pem", "not a certificate\n");
  EXPECT_THAT(only_error(load({{garbage, good.key_file}})),
              HasSubstr("certificateFile \"" + garbage + "\" holds no PEM certificate"));
  EXPECT_THAT(only_error(load({{good.key_file, good.key_file}})),
              HasSubstr("holds no PEM certificate"));  // the files swapped
  EXPECT_THAT(only_error(load({{good.certificate_file, garbage}})),
              HasSubstr("keyFile \"" + garbage + "\" holds no PEM private key"));
}

TEST_F(TlsServerTest, KeyOfAnotherCertificateIsRefused) {
  auto a = folder.make("a", "localhost", {"localhost"});
  auto b = folder.make("b", "other.example", {"other.example"});
  EXPECT_EQ(only_error(load({{a.certificate_file, b.key_file}})),
            "keyFile \"" + b.key_file + "\" does not match certificateFile \"" +
                a.certificate_file + "\"");
}

TEST_F(TlsServerTest, EncryptedKeyIsRefusedWithoutAskingForAPassword) {
  auto c = folder.make("enc", "localhost", {"localhost"}, -1, 30, "secret");
  EXPECT_EQ(only_error(load({c})),
            "keyFile \"" + c.key_file + "\" is encrypted; gatehouse reads unencrypted keys");
}

TEST_F(TlsServerTest, ErrorsNameTheCertificateAndKeepGoing) {
  auto good = folder.make("a", "localhost", {"localhost"});
  const std::string missing = folder.path("missing.pem");
  auto r = load({good, {missing, good.key_file}, good, {good.certificate_file, missing}});
  EXPECT_EQ(r.server, nullptr);
  ASSERT_EQ(r.errors.size(), 2u);
  EXPECT_EQ(r.errors[0].certificate, 1u);
  EXPECT_EQ(r.errors[1].certificate, 3u);
}

TEST_F(TlsServerTest, CertificatesOutsideTheirValidityAreServedWithAWarning) {
  auto expired = folder.make("old", "old.example", {"old.example"}, -30, -1);
  auto future = folder.make("new", "new.example", {"new.example"}, 2, 30);
  auto r = load({expired, future});
  ASSERT_NE(r.server, nullptr);
  ASSERT_EQ(r.warnings.size(), 2u);
  EXPECT_EQ(r.warnings[0].certificate, 0u);
  EXPECT_THAT(r.warnings[0].message, HasSubstr("certificateFile \"" + expired.certificate_file +
                                               "\" (old.example) expired on "));
  EXPECT_THAT(r.warnings[0].message, HasSubstr("; clients will refuse it"));
  EXPECT_EQ(r.warnings[1].certificate, 1u);
  EXPECT_THAT(r.warnings[1].message, HasSubstr("(new.example) is not valid before "));
}

TEST_F(TlsServerTest, SniPicksTheCertificateAndDefaultsToTheFirst) {
  auto r = load({folder.make("a", "localhost", {"localhost"}),
                 folder.make("b", "other.example", {"other.example"}),
                 folder.make("c", "wild", {"*.wild.example"})});
  ASSERT_NE(r.server, nullptr);
  const TlsServer& server = *r.server;
  EXPECT_EQ(server.select("other.example"), 1u);
  EXPECT_EQ(handshake(server, {.sni = "other.example"}).peer, "other.example");
  EXPECT_EQ(handshake(server, {.sni = "OTHER.example"}).peer, "other.example");
  EXPECT_EQ(handshake(server, {.sni = "api.wild.example"}).peer, "wild");
  EXPECT_EQ(handshake(server, {.sni = "localhost"}).peer, "localhost");
  EXPECT_EQ(handshake(server, {.sni = "unknown.example"}).peer, "localhost");
  EXPECT_EQ(handshake(server, {}).peer, "localhost");
  // TLS 1.2 switches certificates the same way.
  Handshake tls12 = handshake(server, {.sni = "other.example", .max_version = TLS1_2_VERSION});
  EXPECT_TRUE(tls12.ok);
  EXPECT_EQ(tls12.version, TLS1_2_VERSION);
  EXPECT_EQ(tls12.peer, "other.example");
}

TEST_F(TlsServerTest, OnlyTls12AndTls13) {
  auto r = load({folder.make("a", "localhost", {"localhost"})});
  ASSERT_NE(r.server, nullptr);
  Handshake tls13 = handshake(*r.server, {});
  EXPECT_TRUE(tls13.ok);
  EXPECT_EQ(tls13.version, TLS1_3_VERSION);
  Handshake tls11 =
      handshake(*r.server, {.min_version = TLS1_VERSION, .max_version = TLS1_1_VERSION});
  EXPECT_FALSE(tls11.ok);
  EXPECT_EQ(tls11.server_error, "unsupported protocol");
}

TEST_F(TlsServerTest, Tls12OnlyWithAeadSuites) {
  auto r = load({folder.make("a", "localhost", {"localhost"})});
  ASSERT_NE(r.server, nullptr);
  for (const char* suite : {"ECDHE-ECDSA-AES128-GCM-SHA256", "ECDHE-ECDSA-AES256-GCM-SHA384",
                            "ECDHE-ECDSA-CHACHA20-POLY1305"}) {
    Handshake h = handshake(*r.server, {.max_version = TLS1_2_VERSION, .tls12_ciphers = suite});
    EXPECT_TRUE(h.ok) << suite;
  }
  for (const char* suite :
       {"ECDHE-ECDSA-AES128-SHA256", "ECDHE-ECDSA-AES128-SHA", "AES128-GCM-SHA256"}) {
    Handshake h = handshake(*r.server, {.max_version = TLS1_2_VERSION, .tls12_ciphers = suite});
    EXPECT_FALSE(h.ok) << suite;
  }
}

TEST_F(TlsServerTest, AlpnSpeaksHttp1Only) {
  auto r = load({folder.make("a", "localhost", {"localhost"})});
  ASSERT_NE(r.server, nullptr);
  EXPECT_EQ(handshake(*r.server, {.alpn = {"h2", "http/1.1"}}).alpn, "http/1.1");
  EXPECT_EQ(handshake(*r.server, {.alpn = {"http/1.0", "http/1.1"}}).alpn, "http/1.1");
  EXPECT_EQ(handshake(*r.server, {.alpn = {"http/1.0"}}).alpn, "http/1.0");
  Handshake none = handshake(*r.server, {});
  EXPECT_TRUE(none.ok);
  EXPECT_EQ(none.alpn, "");
  Handshake h2 = handshake(*r.server, {.alpn = {"h2"}});
  EXPECT_FALSE(h2.ok);
}

TEST(HandshakeResultTest, ClassifiesEndings) {
  namespace asio = boost::asio;
  EXPECT_EQ(classify_handshake({}), HandshakeResult::Ok);
  EXPECT_EQ(classify_handshake(boost::beast::error::timeout), HandshakeResult::Timeout);
  EXPECT_EQ(classify_handshake(asio::error::eof), HandshakeResult::Closed);
  EXPECT_EQ(classify_handshake(asio::ssl::error::stream_truncated), HandshakeResult::Closed);
  EXPECT_EQ(classify_handshake(asio::error::connection_reset), HandshakeResult::Closed);
  EXPECT_EQ(classify_handshake(boost::system::error_code(1, asio::error::get_ssl_category())),
            HandshakeResult::Failed);
  EXPECT_EQ(label(HandshakeResult::Ok), "ok");
  EXPECT_EQ(label(HandshakeResult::Failed), "failed");
  EXPECT_EQ(label(HandshakeResult::Timeout), "timeout");
  EXPECT_EQ(label(HandshakeResult::Closed), "closed");
}

}  // namespace
}  // namespace gatehouse::proxy
