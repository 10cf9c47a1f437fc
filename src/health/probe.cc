#include "health/probe.h"

#include <array>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/write.hpp>

#include "http1/head.h"
#include "http1/writer.h"
#include "proxy/tcp_stream.h"

namespace gatehouse::health {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;

constexpr http1::Limits kHeadLimits{.max_head = kMaxResponseHead};

std::string request_head(const ProbeRequest& request) {
  http1::Fields fields;
  fields.add_view("Host", request.host);
  fields.add_view("User-Agent", kUserAgent);
  fields.add_view("Connection", "close");
  std::string head;
  http1::write_request_head("GET", request.target, 11, fields.all(), head);
  return head;
}

ProbeOutcome failed(const boost::system::error_code& ec, std::string_view step,
                    std::chrono::milliseconds timeout) {
  if (ec == beast::error::timeout)
    return {.result = ProbeResult::Timeout,
            .error = "no response within " + std::to_string(timeout.count()) + " ms (" +
                     std::string(step) + ")"};
  return {.result = ProbeResult::ConnectionError, .error = std::string(step) + ": " + ec.message()};
}

// The final status of the response head at the front of `bytes`: 0 while incomplete; 1xx
// interim heads are dropped from `bytes`. Sets `error` when the head is malformed.
unsigned final_status(std::string& bytes, std::size_t& checked, std::string& error) {
  for (;;) {
    const http1::HeadResult found = http1::find_response_head(bytes, kHeadLimits, checked);
    if (found.status == http1::HeadStatus::NeedMore) {
      checked = bytes.size();
      return 0;
    }
    http1::ResponseHead head;
    const http1::HeadResult parsed = found.status == http1::HeadStatus::Complete
                                         ? http1::parse_response(bytes, kHeadLimits, false, head)
                                         : found;
    if (parsed.status != http1::HeadStatus::Complete) {
      error =
          parsed.status == http1::HeadStatus::Malformed
              ? "malformed response head: " + std::string(parsed.reason)
              : "the response head is larger than " + std::to_string(kMaxResponseHead) + " bytes";
      return 0;
    }
    if (head.status >= 200 || head.status == 101) return head.status;
    bytes.erase(0, found.length);
    checked = 0;
  }
}

}  // namespace

std::string host_field(const asio::ip::tcp::endpoint& endpoint) {
  const auto address = endpoint.address();
  const std::string ip = address.is_v6() ? "[" + address.to_string() + "]" : address.to_string();
  return ip + ":" + std::to_string(endpoint.port());
}

proxy::Task<ProbeOutcome> probe(const ProbeRequest& request, const Matcher& matcher,
                                std::chrono::milliseconds timeout) {
  proxy::TcpStream stream(co_await asio::this_coro::executor);
  stream.expires_after(timeout);  // one deadline for connect, write and every read
  auto [connect_error] = co_await stream.async_connect(request.endpoint, proxy::use_tuple);
  if (connect_error) co_return failed(connect_error, "connecting", timeout);
  const std::string head = request_head(request);
  auto [write_error, written] =
      co_await asio::async_write(stream, asio::buffer(head), proxy::use_tuple);
  if (write_error) co_return failed(write_error, "sending the request", timeout);

  std::string bytes;
  std::size_t checked = 0;
  std::string error;
  std::array<char, 4096> buffer;
  for (;;) {
    auto [ec, n] = co_await stream.async_read_some(asio::buffer(buffer), proxy::use_tuple);
    bytes.append(buffer.data(), n);
    if (const unsigned status = final_status(bytes, checked, error)) {
      if (matcher.matches(status)) co_return ProbeOutcome{.status = status};
      co_return ProbeOutcome{
          .result = ProbeResult::ResponseCodeMismatch,
          .status = status,
          .error = "status " + std::to_string(status) + " is not in \"" + matcher.text() + "\""};
    }
    if (!error.empty()) co_return ProbeOutcome{.result = ProbeResult::BadResponse, .error = error};
    if (ec == asio::error::eof && bytes.empty())
      co_return ProbeOutcome{.result = ProbeResult::ConnectionError,
                             .error = "the connection closed without a response"};
    if (ec == asio::error::eof)
      co_return ProbeOutcome{.result = ProbeResult::BadResponse,
                             .error = "the connection closed inside the response head"};
    if (ec) co_return failed(ec, "reading the response", timeout);
  }
}

}  // namespace gatehouse::health
