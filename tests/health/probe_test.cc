#include "health/probe.h"

#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>

#include "test_server.h"

namespace gatehouse::health {
namespace {

namespace asio = boost::asio;
using namespace std::chrono_literals;

proxy::Task<void> probe_into(ProbeOutcome& out, ProbeRequest request, Matcher matcher,
                             std::chrono::milliseconds timeout) {
  out = co_await probe(request, matcher, timeout);
}

ProbeOutcome run_probe(const asio::ip::tcp::endpoint& endpoint, std::string_view matcher = "200",
                       std::chrono::milliseconds timeout = 2000ms) {
  ProbeOutcome out;
  asio::io_context io(1);
  ProbeRequest request{endpoint, "/health?deep=1", host_field(endpoint)};
  asio::co_spawn(io, probe_into(out, request, *Matcher::parse(matcher), timeout), asio::detached);
  io.run();
  return out;
}

TEST(Probe, SendsWhatAnAlbNodeSends) {
  TestServer server([](TestServer::Socket& s, const std::string&) { TestServer::reply(s, 200); });
  const ProbeOutcome outcome = run_probe(server.endpoint());
  EXPECT_EQ(outcome.result, ProbeResult::Success) << outcome.error;
  EXPECT_EQ(outcome.status, 200u);
  ASSERT_EQ(server.requests().size(), 1u);
  EXPECT_EQ(server.requests()[0],
            "GET /health?deep=1 HTTP/1.1\r\nHost: 127.0.0.1:" + std::to_string(server.port()) +
                "\r\nUser-Agent: ELB-HealthChecker/2.0\r\n"
                "Connection: close\r\n\r\n");
}

TEST(Probe, ANewConnectionEveryTime) {
  TestServer server([](TestServer::Socket& s, const std::string&) { TestServer::reply(s, 200); });
  for (int i = 0; i < 3; ++i) EXPECT_EQ(run_probe(server.endpoint()).result, ProbeResult::Success);
  EXPECT_EQ(server.requests().size(), 3u);  // one accepted connection per probe
}

TEST(Probe, StatusOutsideTheMatcherIsAMismatch) {
  TestServer server([](TestServer::Socket& s, const std::string&) { TestServer::reply(s, 404); });
  ProbeOutcome outcome = run_probe(server.endpoint());
  EXPECT_EQ(outcome.result, ProbeResult::ResponseCodeMismatch);
  EXPECT_EQ(outcome.status, 404u);
  EXPECT_EQ(outcome.error, "status 404 is not in \"200\"");
  EXPECT_EQ(run_probe(server.endpoint(), "200,404").result, ProbeResult::Success);
  EXPECT_EQ(run_probe(server.endpoint(), "400-499").result, ProbeResult::Success);
}

TEST(Probe, InterimResponsesAreSkipped) {
  TestServer server([](TestServer::Socket& s, const std::string&) {
    asio::write(s, asio::buffer(std::string("HTTP/1.1 100 Continue\r\n\r\n")));
    TestServer::reply(s, 204);
  });
  const ProbeOutcome outcome = run_probe(server.endpoint(), "200-299");
  EXPECT_EQ(outcome.result, ProbeResult::Success) << outcome.error;
  EXPECT_EQ(outcome.status, 204u);
}

TEST(Probe, NoAnswerWithinTheTimeoutIsATimeout) {
  TestServer server([](TestServer::Socket& s, const std::string&) {
    std::this_thread::sleep_for(600ms);  // holds the connection, says nothing
  });
  const auto start = std::chrono::steady_clock::now();
  const ProbeOutcome outcome = run_probe(server.endpoint(), "200", 200ms);
  EXPECT_EQ(outcome.result, ProbeResult::Timeout);
  EXPECT_LT(std::chrono::steady_clock::now() - start, 550ms);
  EXPECT_NE(outcome.error.find("200 ms"), std::string::npos) << outcome.error;
}

TEST(Probe, RefusedConnectionIsAConnectionError) {
  asio::ip::tcp::endpoint closed;
  {
    TestServer server([](TestServer::Socket&, const std::string&) {});
    closed = server.endpoint();
  }
  const ProbeOutcome outcome = run_probe(closed);
  EXPECT_EQ(outcome.result, ProbeResult::ConnectionError);
  EXPECT_NE(outcome.error.find("connecting"), std::string::npos) << outcome.error;
}

TEST(Probe, ClosedWithoutAnswerIsAConnectionError) {
  TestServer server([](TestServer::Socket& s, const std::string&) { s.close(); });
  EXPECT_EQ(run_probe(server.endpoint()).result, ProbeResult::ConnectionError);
}

TEST(Probe, MalformedOrHugeHeadsAreBadResponses) {
  TestServer garbage([](TestServer::Socket& s, const std::string&) {
    asio::write(s, asio::buffer(std::string("SSH-2.0-OpenSSH_9.2\r\n\r\n")));
  });
  EXPECT_EQ(run_probe(garbage.endpoint()).result, ProbeResult::BadResponse);

  TestServer cut([](TestServer::Socket& s, const std::string&) {
    asio::write(s, asio::buffer(std::string("HTTP/1.1 200 OK\r\nContent-")));
  });
  EXPECT_EQ(run_probe(cut.endpoint()).result, ProbeResult::BadResponse);

  TestServer huge([](TestServer::Socket& s, const std::string&) {
    const std::string head =
        "HTTP/1.1 200 OK\r\nX-Big: " + std::string(kMaxResponseHead, 'a') + "\r\n\r\n";
    boost::system::error_code ec;
    asio::write(s, asio::buffer(head), ec);
  });
  const ProbeOutcome outcome = run_probe(huge.endpoint());
  EXPECT_EQ(outcome.result, ProbeResult::BadResponse);
  EXPECT_NE(outcome.error.find("larger than"), std::string::npos) << outcome.error;
}

TEST(Probe, HostFieldBracketsIpv6) {
  EXPECT_EQ(host_field({asio::ip::make_address("::1"), 8080}), "[::1]:8080");
  EXPECT_EQ(host_field({asio::ip::make_address("10.1.2.3"), 80}), "10.1.2.3:80");
}

}  // namespace
}  // namespace gatehouse::health
