#include "proxy/tcp_stream.h"

#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>
#include <functional>
#include <list>
#include <optional>

namespace gatehouse::proxy {
namespace {

namespace asio = boost::asio;
using std::chrono::milliseconds;
using Clock = std::chrono::steady_clock;

// A connected pair on loopback: `stream` under test, `peer` a plain socket that writes when
// a test wants the read to complete.
class TcpStreamTest : public ::testing::Test {
 protected:
  void SetUp() override {
    Acceptor acceptor(io_.get_executor(), {asio::ip::make_address("127.0.0.1"), 0});
    stream_.emplace(io_.get_executor());
    stream_->socket().connect(acceptor.local_endpoint());
    peer_.emplace(acceptor.accept());
  }

  // Runs one read on the stream; returns its error and how long it took.
  std::pair<boost::system::error_code, Clock::duration> read_once() {
    std::optional<boost::system::error_code> result;
    const auto start = Clock::now();
    Clock::time_point end;
    asio::co_spawn(
        io_,
        [&]() -> Task<void> {
          char byte;
          auto [ec, n] = co_await stream_->async_read_some(asio::buffer(&byte, 1), use_tuple);
          end = Clock::now();
          result = ec;
        },
        asio::detached);
    io_.run_for(std::chrono::seconds(5));  // bounded: a failing watchdog must not hang
    io_.restart();
    EXPECT_TRUE(result.has_value()) << "the read never completed";
    return {result.value_or(asio::error::would_block), end - start};
  }

  // Writes one byte from the peer after `delay`, while the io_context runs.
  void peer_writes_after(milliseconds delay) {
    timers_.emplace_back(io_.get_executor(), delay);
    timers_.back().async_wait([this](const boost::system::error_code& ec) {
      if (!ec) asio::write(*peer_, asio::buffer("x", 1));
    });
  }
  // Runs `fn` after `delay`, while the io_context runs.
  void after(milliseconds delay, std::function<void()> fn) {
    timers_.emplace_back(io_.get_executor(), delay);
    timers_.back().async_wait([fn = std::move(fn)](const boost::system::error_code& ec) {
      if (!ec) fn();
    });
  }

  asio::io_context io_;
  std::optional<TcpStream> stream_;
  std::optional<Socket> peer_;
  std::list<Timer> timers_;
};

TEST_F(TcpStreamTest, ReadWithoutDeadlineWaitsForData) {
  peer_writes_after(milliseconds(100));
  auto [ec, took] = read_once();
  EXPECT_FALSE(ec) << ec.message();
  EXPECT_GE(took, milliseconds(100));
}

TEST_F(TcpStreamTest, ReadPastTheDeadlineTimesOutAndClosesTheSocket) {
  stream_->expires_after(milliseconds(50));
  peer_writes_after(milliseconds(1000));
  auto [ec, took] = read_once();
  EXPECT_EQ(ec, boost::beast::error::timeout) << ec.message();
  EXPECT_GE(took, milliseconds(50));
  EXPECT_LT(took, milliseconds(1000));
  EXPECT_FALSE(stream_->socket().is_open());
}

TEST_F(TcpStreamTest, DeadlineMovedLaterKeepsTheReadAlive) {
  stream_->expires_after(milliseconds(50));
  after(milliseconds(20), [this] { stream_->expires_after(milliseconds(400)); });
  peer_writes_after(milliseconds(200));
  auto [ec, took] = read_once();
  EXPECT_FALSE(ec) << ec.message();
  EXPECT_GE(took, milliseconds(200));
}

TEST_F(TcpStreamTest, DeadlineMovedLaterStillEndsTheRead) {
  stream_->expires_after(milliseconds(50));
  after(milliseconds(20), [this] { stream_->expires_after(milliseconds(200)); });
  peer_writes_after(milliseconds(1500));
  auto [ec, took] = read_once();
  EXPECT_EQ(ec, boost::beast::error::timeout) << ec.message();
  EXPECT_GE(took, milliseconds(200));
  EXPECT_LT(took, milliseconds(1500));
}

TEST_F(TcpStreamTest, DeadlineMovedEarlierWakesTheWatchdogEarlier) {
  stream_->expires_after(std::chrono::seconds(30));
  after(milliseconds(20), [this] { stream_->expires_after(milliseconds(50)); });
  auto [ec, took] = read_once();
  EXPECT_EQ(ec, boost::beast::error::timeout) << ec.message();
  EXPECT_LT(took, milliseconds(2000));
}

TEST_F(TcpStreamTest, ExpiresNeverLiftsTheDeadline) {
  stream_->expires_after(milliseconds(50));
  stream_->expires_never();
  peer_writes_after(milliseconds(200));
  auto [ec, took] = read_once();
  EXPECT_FALSE(ec) << ec.message();
  EXPECT_TRUE(stream_->socket().is_open());
}

TEST_F(TcpStreamTest, DeadlinePassingBetweenOperationsFailsTheNextOne) {
  stream_->expires_after(milliseconds(20));
  io_.run_for(milliseconds(150));
  io_.restart();
  asio::write(*peer_, asio::buffer("x", 1));  // data is there, but the stream is closed
  auto [ec, took] = read_once();
  EXPECT_EQ(ec, boost::beast::error::timeout) << ec.message();
}

TEST_F(TcpStreamTest, DeadlinePassingBetweenOperationsKeepsTheConnectionForANewDeadline) {
  stream_->expires_after(milliseconds(20));
  io_.run_for(milliseconds(150));
  io_.restart();
  EXPECT_TRUE(stream_->socket().is_open());
  stream_->expires_after(milliseconds(2000));
  peer_writes_after(milliseconds(50));
  auto [ec, took] = read_once();
  EXPECT_FALSE(ec) << ec.message();
}

TEST_F(TcpStreamTest, DestroyingTheStreamCancelsItsWatchdog) {
  stream_->expires_after(std::chrono::seconds(30));
  stream_.reset();
  // A watchdog still waiting would keep the io_context busy past this bound.
  io_.run_for(milliseconds(500));
  EXPECT_TRUE(io_.stopped());
}

TEST_F(TcpStreamTest, ConnectAndWritesWorkUnderADeadline) {
  Acceptor acceptor(io_.get_executor(), {asio::ip::make_address("127.0.0.1"), 0});
  TcpStream client(io_.get_executor());
  client.expires_after(milliseconds(500));
  std::optional<boost::system::error_code> connected, written;
  std::optional<Socket> accepted;
  acceptor.async_accept([&](const boost::system::error_code& ec, Socket socket) {
    if (!ec) accepted.emplace(std::move(socket));
  });
  asio::co_spawn(
      io_,
      [&]() -> Task<void> {
        auto [ec] = co_await client.async_connect(acceptor.local_endpoint(), use_tuple);
        connected = ec;
        auto [wec, n] = co_await asio::async_write(client, asio::buffer("ping", 4), use_tuple);
        written = wec;
      },
      asio::detached);
  io_.run_for(std::chrono::seconds(5));
  ASSERT_TRUE(connected && written && accepted);
  EXPECT_FALSE(*connected) << connected->message();
  EXPECT_FALSE(*written) << written->message();
  char got[4];
  asio::read(*accepted, asio::buffer(got));
  EXPECT_EQ(std::string_view(got, 4), "ping");
}

}  // namespace
}  // namespace gatehouse::proxy
