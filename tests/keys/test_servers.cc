#include "test_servers.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <boost/asio/read_until.hpp>
#include <boost/asio/write.hpp>
#include <cstdlib>
#include <fstream>
#include <memory>
#include <sstream>
#include <vector>

extern char** environ;

namespace gatehouse::keys::testing {
namespace {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;
using namespace std::chrono_literals;

// Starts `argv` with stdout and stderr into `output`; -1 when it cannot.
pid_t spawn(const std::vector<std::string>& argv, const std::filesystem::path& output) {
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 1, output.c_str(), O_WRONLY | O_CREAT | O_APPEND,
                                   0644);
  posix_spawn_file_actions_adddup2(&actions, 1, 2);
  std::vector<char*> args;
  for (const std::string& arg : argv) args.push_back(const_cast<char*>(arg.c_str()));
  args.push_back(nullptr);
  pid_t pid = -1;
  const int failed = posix_spawnp(&pid, args[0], &actions, nullptr, args.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  return failed ? -1 : pid;
}

// Waits up to `limit` for `pid` to exit; its exit status, or -1 when it did not.
int wait_exit(pid_t pid, std::chrono::milliseconds limit) {
  int status = 0;
  const bool exited = wait_until([&] { return waitpid(pid, &status, WNOHANG) == pid; }, limit);
  return exited && WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

bool accepts_connections(uint16_t port) {
  asio::io_context io;
  tcp::socket socket(io);
  boost::system::error_code ec;
  socket.connect({asio::ip::make_address("127.0.0.1"), port}, ec);
  return !ec;
}

}  // namespace

TempDir::TempDir() {
  std::string pattern = (std::filesystem::temp_directory_path() / "gatehouse-keys-XXXXXX").string();
  if (!mkdtemp(pattern.data())) throw std::runtime_error("mkdtemp failed");
  path_ = pattern;
  // nginx's workers run as nobody when the tests run as root.
  std::filesystem::permissions(
      path_, std::filesystem::perms::owner_all | std::filesystem::perms::group_read |
                 std::filesystem::perms::group_exec | std::filesystem::perms::others_read |
                 std::filesystem::perms::others_exec);
}

TempDir::~TempDir() {
  std::error_code ignored;
  std::filesystem::remove_all(path_, ignored);
}

void write_file(const std::filesystem::path& path, std::string_view content) {
  // Written aside and renamed, so a server never reads a half-written file.
  const std::filesystem::path temp = path.string() + ".tmp";
  std::ofstream(temp, std::ios::binary) << content;
  std::filesystem::rename(temp, path);
}

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

bool wait_until(const std::function<bool()>& done, std::chrono::milliseconds limit) {
  const auto end = std::chrono::steady_clock::now() + limit;
  for (;;) {
    if (done()) return true;
    if (std::chrono::steady_clock::now() >= end) return false;
    std::this_thread::sleep_for(10ms);
  }
}

Certificate make_certificate(const std::filesystem::path& dir) {
  Certificate out{dir / "cert.pem", dir / "key.pem"};
  const pid_t pid = spawn({"openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt",
                           "ec_paramgen_curve:prime256v1", "-nodes", "-days", "2", "-subj",
                           "/CN=localhost", "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1",
                           "-keyout", out.key.string(), "-out", out.cert.string()},
                          dir / "openssl.log");
  EXPECT_GT(pid, 0) << "cannot run openssl";
  if (pid > 0) {
    EXPECT_EQ(wait_exit(pid, 20s), 0) << read_file(dir / "openssl.log");
  }
  return out;
}

uint16_t unused_port() {
  asio::io_context io;
  tcp::acceptor acceptor(io, {asio::ip::make_address("127.0.0.1"), 0});
  return acceptor.local_endpoint().port();
}

Nginx::Nginx(const std::filesystem::path& root, const Certificate* tls) : tls_(tls != nullptr) {
  // A free port can be taken between finding and binding it: try another.
  for (int attempt = 0; attempt < 3 && !running(); ++attempt) start_once(root, tls);
  EXPECT_TRUE(running()) << read_file(dir_ / "error.log");
}

bool Nginx::start_once(const std::filesystem::path& root, const Certificate* tls) {
  port_ = unused_port();
  const std::string dir = dir_.path().string(), port = std::to_string(port_);
  std::string listen = "listen 127.0.0.1:" + port + (tls ? " ssl;\n" : ";\n");
  if (tls)
    listen += "listen 127.0.0.2:" + port + " ssl;\nssl_certificate " + tls->cert.string() +
              ";\nssl_certificate_key " + tls->key.string() + ";\n";
  write_file(dir_ / "nginx.conf",
             "worker_processes 1;\npid " + dir + "/nginx.pid;\nerror_log " + dir +
                 "/error.log;\nevents { worker_connections 64; }\nhttp {\n  access_log " + dir +
                 "/access.log;\n  client_body_temp_path " + dir + ";\n  proxy_temp_path " + dir +
                 ";\n  fastcgi_temp_path " + dir + ";\n  uwsgi_temp_path " + dir +
                 ";\n  scgi_temp_path " + dir +
                 ";\n  default_type application/json;\n  server {\n    " + listen + "    root " +
                 root.string() + ";\n    location = /moved { return 302 /jwks.json; }\n  }\n}\n");
  // Debian puts nginx in /usr/sbin, which a non-root PATH may lack.
  const std::string nginx =
      std::filesystem::exists("/usr/sbin/nginx") ? "/usr/sbin/nginx" : "nginx";
  pid_ = spawn(
      {nginx, "-p", dir, "-e", dir + "/error.log", "-c", dir + "/nginx.conf", "-g", "daemon off;"},
      dir_ / "nginx.out");
  if (pid_ <= 0) return false;
  int status = 0;
  bool exited = false;
  wait_until([&] {
    exited = waitpid(pid_, &status, WNOHANG) == pid_;
    return exited || accepts_connections(port_);
  });
  if (exited) pid_ = -1;  // reaped: nothing left to stop
  if (running() && accepts_connections(port_)) return true;
  stop();
  return false;
}

std::string Nginx::url(std::string_view path, std::string_view host) const {
  return (tls_ ? "https://" : "http://") + std::string(host) + ":" + std::to_string(port_) +
         std::string(path);
}

std::size_t Nginx::requests(std::string_view path) const {
  std::istringstream log(read_file(dir_ / "access.log"));
  const std::string needle = "\"GET " + std::string(path) + " ";
  std::size_t count = 0;
  for (std::string line; std::getline(log, line);) count += line.find(needle) != std::string::npos;
  return count;
}

void Nginx::stop() {
  if (pid_ <= 0) return;
  kill(pid_, SIGTERM);  // fast shutdown: the master stops its worker and exits
  if (wait_exit(pid_, 5s) < 0) {
    kill(pid_, SIGKILL);
    wait_exit(pid_, 5s);
  }
  pid_ = -1;
}

// One connection: read the request head, then answer and close, or wait for the peer to go.
struct RawSession : std::enable_shared_from_this<RawSession> {
  RawSession(tcp::socket s, const std::string& r) : socket(std::move(s)), response(r) {}

  void start() {
    asio::async_read_until(socket, asio::dynamic_buffer(request), "\r\n\r\n",
                           [self = shared_from_this()](boost::system::error_code ec, std::size_t) {
                             if (!ec) self->answer();
                           });
  }
  void answer() {
    auto self = shared_from_this();
    if (response.empty()) {  // silent: holds the connection until the client gives up
      request.resize(4096);
      socket.async_read_some(asio::buffer(request),
                             [self](boost::system::error_code ec, std::size_t) {
                               if (!ec) self->answer();
                             });
      return;
    }
    asio::async_write(socket, asio::buffer(response),
                      [self](boost::system::error_code, std::size_t) {
                        boost::system::error_code ignored;
                        self->socket.shutdown(tcp::socket::shutdown_both, ignored);
                      });
  }

  tcp::socket socket;
  const std::string& response;
  std::string request;
};

RawServer::RawServer(std::string response)
    : response_(std::move(response)), acceptor_(io_, {asio::ip::make_address("127.0.0.1"), 0}) {
  accept();
  thread_ = std::thread([this] { io_.run(); });
}

RawServer::~RawServer() {
  io_.stop();
  thread_.join();
}

void RawServer::accept() {
  acceptor_.async_accept([this](boost::system::error_code ec, tcp::socket socket) {
    if (ec) return;
    ++connections_;
    std::make_shared<RawSession>(std::move(socket), response_)->start();
    accept();
  });
}

std::string RawServer::url(std::string_view path) const {
  return "http://127.0.0.1:" + std::to_string(acceptor_.local_endpoint().port()) +
         std::string(path);
}

}  // namespace gatehouse::keys::testing
