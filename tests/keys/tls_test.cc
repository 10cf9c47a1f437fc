// HTTPS: nginx with a self-signed certificate for localhost and 127.0.0.1, trusted only
// through the CA file.
#include <gtest/gtest.h>

#include "keys/jwks_fetcher.h"
#include "test_keys.h"
#include "test_servers.h"

namespace gatehouse::keys {
namespace {

using namespace std::chrono_literals;
using namespace testing;

class Https : public ::testing::Test {
 protected:
  Https() { write_file(root_ / "jwks.json", document_); }

  GetResult fetch(const std::string& url, const std::string& ca_file) {
    return fetch_jwks_once(url, 5s, ca_file);
  }

  TempDir root_;
  const std::string document_ = jwks_document({"tls"});
  const Certificate certificate_ = make_certificate(root_.path());
  Nginx nginx_{root_.path(), &certificate_};
  const std::string ca_file_ = certificate_.cert.string();
};

TEST_F(Https, TrustedThroughTheCaFile) {
  for (const char* host : {"127.0.0.1", "localhost"}) {
    const GetResult got = fetch(nginx_.url("/jwks.json", host), ca_file_);
    EXPECT_TRUE(got.ok()) << host << ": " << got.error;
    EXPECT_EQ(got.body, document_);
  }
}

TEST_F(Https, SelfSignedIsRefusedWithTheSystemRoots) {
  const GetResult got = fetch(nginx_.url("/jwks.json"), "");
  EXPECT_EQ(got.result, FetchResult::TlsError);
  EXPECT_EQ(got.error, "TLS certificate verify failed: self-signed certificate");
  EXPECT_EQ(nginx_.requests("/jwks.json"), 0u);
}

TEST_F(Https, AnAddressTheCertificateDoesNotNameIsRefused) {
  const GetResult got = fetch(nginx_.url("/jwks.json", "127.0.0.2"), ca_file_);
  EXPECT_EQ(got.result, FetchResult::TlsError);
  EXPECT_EQ(got.error, "TLS certificate verify failed: hostname mismatch");
}

TEST_F(Https, UnreadableCaFileIsATlsError) {
  const GetResult got = fetch(nginx_.url("/jwks.json"), (root_ / "nope.pem").string());
  EXPECT_EQ(got.result, FetchResult::TlsError);
  EXPECT_NE(got.error.find("nope.pem"), std::string::npos) << got.error;
}

TEST_F(Https, PlainHttpServerIsATlsError) {
  Nginx plain(root_.path());
  std::string url = plain.url("/jwks.json");
  url.replace(0, 4, "https");
  const GetResult got = fetch(url, ca_file_);
  EXPECT_EQ(got.result, FetchResult::TlsError);
  EXPECT_NE(got.error.find("in the TLS handshake: "), std::string::npos) << got.error;
}

TEST_F(Https, SilentServerTimesOutInTheHandshake) {
  RawServer silent("");
  std::string url = silent.url("/jwks");
  url.replace(0, 4, "https");
  const GetResult got = fetch_jwks_once(url, 300ms, ca_file_);
  EXPECT_EQ(got.result, FetchResult::Timeout);
  EXPECT_EQ(got.error, "timed out after 300 ms in the TLS handshake");
}

TEST_F(Https, FetcherPublishesKeysFetchedOverTls) {
  std::atomic<int> published{0};
  JwksFetcher fetcher({.ca_file = ca_file_},
                      [&](const std::string&, const authn::KeySet&) { ++published; });
  fetcher.start();
  fetcher.set_sources({{.id = "tls", .jwks_uri = nginx_.url("/jwks.json", "localhost")}});
  EXPECT_TRUE(wait_until([&] { return published == 1; }));
  EXPECT_EQ(kids_of(*fetcher.key_table().at("tls").jwks), std::vector<std::string>{"tls"});
}

}  // namespace
}  // namespace gatehouse::keys
