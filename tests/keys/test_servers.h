// Real servers on loopback for the keys tests: nginx serving files from a temp dir (plain or
// TLS), and a raw server for what nginx cannot be made to send (chunked, close-delimited,
// broken or no answer). Each is started and stopped by the test; every wait is bounded.
#pragma once

#include <sys/types.h>

#include <atomic>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <string_view>
#include <thread>

namespace gatehouse::keys::testing {

// A fresh directory under the system's temp dir, removed with everything in it.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::filesystem::path& path() const { return path_; }
  std::filesystem::path operator/(std::string_view name) const { return path_ / name; }

 private:
  std::filesystem::path path_;
};

void write_file(const std::filesystem::path& path, std::string_view content);
std::string read_file(const std::filesystem::path& path);

// Polls `done` every 10 ms until it holds or `limit` passes; returns its last value.
bool wait_until(const std::function<bool()>& done,
                std::chrono::milliseconds limit = std::chrono::seconds(10));

// A self-signed certificate for localhost and 127.0.0.1 (openssl CLI), in `dir`.
struct Certificate {
  std::filesystem::path cert;  // also the CA file that trusts it
  std::filesystem::path key;
};
Certificate make_certificate(const std::filesystem::path& dir);

// nginx serving `root` on 127.0.0.1 at a free port; with a certificate, over TLS and on
// 127.0.0.2 too (an address the certificate does not name). GTEST-fails when it cannot start.
class Nginx {
 public:
  explicit Nginx(const std::filesystem::path& root, const Certificate* tls = nullptr);
  ~Nginx() { stop(); }
  Nginx(const Nginx&) = delete;
  Nginx& operator=(const Nginx&) = delete;

  bool running() const { return pid_ > 0; }
  uint16_t port() const { return port_; }
  // "http[s]://127.0.0.1:<port><path>"
  std::string url(std::string_view path, std::string_view host = "127.0.0.1") const;
  // Requests for `path` in the access log so far. nginx logs a request after answering it,
  // so a client can see the response before the line is there.
  std::size_t requests(std::string_view path) const;
  void stop();

 private:
  bool start_once(const std::filesystem::path& root, const Certificate* tls);

  TempDir dir_;
  bool tls_ = false;
  pid_t pid_ = -1;
  uint16_t port_ = 0;
};

// Answers every request on 127.0.0.1 with `response` and closes; with an empty `response`
// it reads the request and never answers.
class RawServer {
 public:
  explicit RawServer(std::string response);
  ~RawServer();
  RawServer(const RawServer&) = delete;
  RawServer& operator=(const RawServer&) = delete;

  std::string url(std::string_view path) const;
  int connections() const { return connections_.load(); }

 private:
  void accept();

  std::string response_;
  std::atomic<int> connections_{0};
  boost::asio::io_context io_;
  boost::asio::ip::tcp::acceptor acceptor_;
  std::thread thread_;
};

// A port on 127.0.0.1 that nothing listens on (bound, read, released).
uint16_t unused_port();

}  // namespace gatehouse::keys::testing
