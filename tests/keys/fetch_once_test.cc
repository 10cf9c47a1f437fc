// fetch_jwks_once against real servers on loopback: the HTTP side of every fetch.
#include <gtest/gtest.h>

#include "keys/jwks_fetcher.h"
#include "test_keys.h"
#include "test_servers.h"

namespace gatehouse::keys {
namespace {

using namespace std::chrono_literals;
using namespace testing;

constexpr std::size_t kMiB = 1 << 20;

GetResult fetch(const std::string& url, std::chrono::milliseconds timeout = 5s) {
  return fetch_jwks_once(url, timeout, "");
}

class FetchOnceFromNginx : public ::testing::Test {
 protected:
  TempDir root_;
  Nginx nginx_{root_.path()};
};

TEST_F(FetchOnceFromNginx, ReturnsTheBodyOfA200) {
  const std::string document = jwks_document({"k1"});
  write_file(root_ / "jwks.json", document);
  const GetResult got = fetch(nginx_.url("/jwks.json"));
  EXPECT_TRUE(got.ok()) << got.error;
  EXPECT_EQ(got.status, 200u);
  EXPECT_EQ(got.body, document);
  EXPECT_TRUE(wait_until([&] { return nginx_.requests("/jwks.json") == 1; }));
}

TEST_F(FetchOnceFromNginx, ResolvesLocalhost) {
  write_file(root_ / "jwks.json", "{}");
  const GetResult got = fetch(nginx_.url("/jwks.json", "localhost"));
  EXPECT_TRUE(got.ok()) << got.error;
}

TEST_F(FetchOnceFromNginx, NotFoundIsAnHttpStatus) {
  const GetResult got = fetch(nginx_.url("/missing.json"));
  EXPECT_EQ(got.result, FetchResult::HttpStatus);
  EXPECT_EQ(got.status, 404u);
  EXPECT_EQ(got.error, "HTTP status 404");
}

TEST_F(FetchOnceFromNginx, RedirectIsNotFollowed) {
  write_file(root_ / "jwks.json", "{}");
  const GetResult got = fetch(nginx_.url("/moved"));
  EXPECT_EQ(got.result, FetchResult::HttpStatus);
  EXPECT_EQ(got.status, 302u);
  EXPECT_NE(got.error.find("redirects are not followed"), std::string::npos);
  EXPECT_EQ(nginx_.requests("/jwks.json"), 0u);
}

TEST_F(FetchOnceFromNginx, BodyOverTheCapIsRefused) {
  write_file(root_ / "big.json", std::string(2 * kMiB, ' '));
  const GetResult got = fetch(nginx_.url("/big.json"));
  EXPECT_EQ(got.result, FetchResult::TooLarge);
  EXPECT_EQ(got.body, "");
  write_file(root_ / "cap.json", std::string(kMiB, ' '));
  EXPECT_TRUE(fetch(nginx_.url("/cap.json")).ok());
}

TEST(FetchOnce, ChunkedBody) {
  RawServer server(
      "HTTP/1.1 200 OK\r\nTransfer-Encoding: "
      "chunked\r\n\r\n3\r\n{\"k\r\n6\r\neys\":[\r\n2\r\n]}\r\n0\r\n\r\n");
  const GetResult got = fetch(server.url("/jwks"));
  EXPECT_TRUE(got.ok()) << got.error;
  EXPECT_EQ(got.body, R"({"keys":[]})");
}

TEST(FetchOnce, CloseDelimitedBody) {
  RawServer server("HTTP/1.0 200 OK\r\nContent-Type: application/json\r\n\r\n{\"keys\":[]}");
  const GetResult got = fetch(server.url("/jwks"));
  EXPECT_TRUE(got.ok()) << got.error;
  EXPECT_EQ(got.body, R"({"keys":[]})");
}

TEST(FetchOnce, EndlessBodiesStopAtTheCap) {
  const std::string chunk = std::string(64 * 1024, 'x');
  std::string chunked = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n";
  std::string close_delimited = "HTTP/1.1 200 OK\r\n\r\n";
  for (int i = 0; i < 40; ++i) {  // 2.5 MiB
    chunked += "10000\r\n" + chunk + "\r\n";
    close_delimited += chunk;
  }
  for (const std::string& response : {chunked, close_delimited}) {
    RawServer server(response);
    EXPECT_EQ(fetch(server.url("/jwks")).result, FetchResult::TooLarge);
  }
}

TEST(FetchOnce, CutShortOrBrokenResponsesAreBadResponses) {
  for (const char* response :
       {"HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n{\"keys\"", "HTTP/1.1 200 OK\r\nX: 1\n\n{}",
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nnope\r\n"}) {
    RawServer server(response);
    const GetResult got = fetch(server.url("/jwks"));
    EXPECT_EQ(got.result, FetchResult::BadResponse) << response << ": " << got.error;
  }
}

TEST(FetchOnce, ClosedInTheHeadIsABadResponse) {
  RawServer server("HTTP/1.1 20");
  EXPECT_EQ(fetch(server.url("/jwks")).result, FetchResult::BadResponse);
}

TEST(FetchOnce, NobodyListeningIsAConnectError) {
  const GetResult got = fetch("http://127.0.0.1:" + std::to_string(unused_port()) + "/jwks");
  EXPECT_EQ(got.result, FetchResult::ConnectError);
  EXPECT_NE(got.error.find("connecting to 127.0.0.1"), std::string::npos) << got.error;
}

TEST(FetchOnce, SilentServerTimesOutInTime) {
  RawServer server("");
  const auto start = std::chrono::steady_clock::now();
  const GetResult got = fetch(server.url("/jwks"), 300ms);
  const auto took = std::chrono::steady_clock::now() - start;
  EXPECT_EQ(got.result, FetchResult::Timeout);
  EXPECT_EQ(got.error, "timed out after 300 ms reading the response");
  EXPECT_GE(took, 300ms);
  EXPECT_LT(took, 1500ms);
  EXPECT_EQ(server.connections(), 1);
}

TEST(FetchOnce, OnlyHttpUrlsAreFetched) {
  const GetResult got = fetch("file:///etc/passwd");
  EXPECT_EQ(got.result, FetchResult::BadUrl);
  EXPECT_EQ(got.error, "not an http(s) URL: file:///etc/passwd");
}

}  // namespace
}  // namespace gatehouse::keys
