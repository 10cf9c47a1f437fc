// A loopback HTTP server for the probe and checker tests: every connection is handed to
// `answer` on the server's own thread, with the request head it sent. Blocking I/O is fine
// there: one test talks to it at a time.
#pragma once

#include <atomic>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read_until.hpp>
#include <boost/asio/write.hpp>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace gatehouse::health {

class TestServer {
 public:
  using Socket = boost::asio::ip::tcp::socket;
  // `answer` gets the connection and the request head read from it.
  explicit TestServer(std::function<void(Socket&, const std::string&)> answer)
      : answer_(std::move(answer)),
        acceptor_(io_, {boost::asio::ip::make_address("127.0.0.1"), 0}) {
    accept();
    thread_ = std::thread([this] { io_.run(); });
  }
  ~TestServer() {
    io_.stop();
    thread_.join();
  }

  uint16_t port() const { return acceptor_.local_endpoint().port(); }
  boost::asio::ip::tcp::endpoint endpoint() const { return acceptor_.local_endpoint(); }
  // The request heads received so far.
  std::vector<std::string> requests() const {
    std::lock_guard lock(mutex_);
    return requests_;
  }

  // Answers with `status` and an empty body.
  static void reply(Socket& socket, unsigned status) {
    const std::string response = "HTTP/1.1 " + std::to_string(status) +
                                 " Whatever\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";
    boost::system::error_code ec;
    boost::asio::write(socket, boost::asio::buffer(response), ec);
  }

 private:
  void accept() {
    acceptor_.async_accept([this](boost::system::error_code ec, Socket socket) {
      if (ec) return;
      std::string head;
      boost::asio::read_until(socket, boost::asio::dynamic_buffer(head), "\r\n\r\n", ec);
      {
        std::lock_guard lock(mutex_);
        requests_.push_back(head);
      }
      answer_(socket, head);
      accept();
    });
  }

  std::function<void(Socket&, const std::string&)> answer_;
  boost::asio::io_context io_;
  boost::asio::ip::tcp::acceptor acceptor_;
  std::thread thread_;
  mutable std::mutex mutex_;
  std::vector<std::string> requests_;
};

}  // namespace gatehouse::health
