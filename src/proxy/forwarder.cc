#include "proxy/forwarder.h"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>
#include <vector>

#include "proxy/relay.h"

namespace gatehouse::proxy {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
using Clock = std::chrono::steady_clock;
using ResponseParser = http::response_parser<http::buffer_body>;

constexpr std::string_view kConnectFailure =
    "upstream connect error or disconnect/reset before headers. reset reason: connection failure";
constexpr std::string_view kConnectionTermination =
    "upstream connect error or disconnect/reset before headers. reset reason: connection "
    "termination";
constexpr std::string_view kProtocolError =
    "upstream connect error or disconnect/reset before headers. reset reason: protocol error";
constexpr std::string_view kTimeout = "upstream request timeout";

Task<UpstreamPool::Connection> connect(const UpstreamTarget& target, const ForwardPlan& plan) {
  auto stream = std::make_unique<TcpStream>(co_await asio::this_coro::executor);
  stream->expires_after(plan.connect_timeout);
  auto [ec] = co_await stream->async_connect(target.address, use_tuple);
  if (ec) co_return nullptr;
  beast::error_code ignored;
  stream->socket().set_option(asio::ip::tcp::no_delay(true), ignored);
  co_return stream;
}

using telemetry::ResponseFlag;

Task<void> fail(Exchange& ex, unsigned status, std::string_view body, ResponseFlag flag) {
  ex.record().flags.set(flag);
  ex.close_after();
  co_await ex.respond(make_local_response(status, std::string(body)));
}

bool body_allowed(unsigned status, http::verb method) {
  return method != http::verb::head && status >= 200 && status != 204 && status != 304;
}

// Removes Connection, the fields it names, and the other hop-by-hop fields.
void remove_hop_by_hop(http::fields& fields) {
  // One pass over the fields; the names a Connection header lists (rare) are erased after.
  std::vector<std::string> named;
  for (auto it = fields.begin(); it != fields.end();) {
    switch (it->name()) {
      case http::field::connection:
        for (auto token : http::token_list{it->value()}) named.emplace_back(token);
        [[fallthrough]];
      case http::field::keep_alive:
      case http::field::proxy_connection:
      case http::field::te:
      case http::field::upgrade:
      case http::field::expect:
        it = fields.erase(it);
        break;
      default:
        ++it;
    }
  }
  for (const auto& name : named) fields.erase(name);
}

}  // namespace

Task<void> forward(Exchange& ex, UpstreamPool& pool, const ForwardPlan& plan) {
  auto& req = ex.request();
  remove_hop_by_hop(req.base());
  if (plan.target) req.target(*plan.target);
  if (plan.authority) req.set(http::field::host, *plan.authority);
  const unsigned client_version = req.version();
  req.version(11);
  req.keep_alive(true);

  std::optional<Clock::time_point> deadline;
  if (plan.timeout.count() > 0) deadline = Clock::now() + plan.timeout;
  if (plan.targets.empty()) {
    co_await fail(ex, 503, "no healthy upstream", ResponseFlag::NoHealthyUpstream);
    co_return;
  }

  const http::verb method = req.method();
  for (uint32_t attempt = 0; attempt < plan.max_attempts; ++attempt) {
    const UpstreamTarget& target = *plan.targets[attempt % plan.targets.size()];
    ex.record().upstream_host = target.name;
    const bool last = attempt + 1 == plan.max_attempts;
    // Only a request whose body was not touched yet can be sent again.
    const bool replayable = ex.parser().is_done();

    UpstreamPool::Connection upstream = pool.take(target.address);
    const bool reused = static_cast<bool>(upstream);
    if (!upstream) {
      upstream = co_await connect(target, plan);
      ++ex.record().upstream_connects;
      if (!upstream) ++ex.record().upstream_connect_failures;
    }
    if (!upstream) {
      if (last) co_await fail(ex, 502, kConnectFailure, ResponseFlag::UpstreamConnectionFailure);
      if (last) co_return;
      continue;
    }
    uint32_t& active = pool.active(target.address);
    ++active;
    struct Release {
      uint32_t& n;
      ~Release() { --n; }
    } release{active};

    if (!co_await ex.send_continue_if_expected()) co_return;
    RelayTimeouts timeouts(plan.idle_timeout, deadline);
    ++upstream.requests;
    RelayResult up = co_await relay_message(ex.client(), ex.buffer(), ex.parser(), *upstream.stream,
                                            timeouts, ex.scratch(), ex.head_buffer());
    ex.record().bytes_received += up.bytes;
    if (up.error == RelayError::Read) {
      // Broken framing (a bad chunk size) still gets an answer; a vanished client doesn't.
      if (up.code.category() == http::make_error_code(http::error::bad_chunk).category()) {
        ex.record().flags.set(ResponseFlag::DownstreamProtocolError);
        ex.close_after();
        co_await ex.respond(make_local_response(400, "Bad Request\n"));
      }
      ex.close_after();
      co_return;
    }
    if (up.error == RelayError::Write) {
      if (reused && replayable && !last) continue;  // a pooled connection the upstream closed
      co_await fail(ex, 502, kConnectionTermination, ResponseFlag::UpstreamConnectionTermination);
      co_return;
    }

    beast::flat_buffer upstream_buffer;
    std::optional<ResponseParser> response_parser;
    beast::error_code rec;
    for (;;) {  // informational 1xx answers are consumed here, never relayed
      response_parser.emplace();
      response_parser->header_limit(32 * 1024);
      response_parser->body_limit(boost::none);
      if (method == http::verb::head) response_parser->skip(true);
      timeouts.arm(ex.client(), *upstream.stream);
      auto [ec, n] = co_await http::async_read_header(*upstream.stream, upstream_buffer,
                                                      *response_parser, use_tuple);
      rec = ec;
      const unsigned code = response_parser->get().result_int();
      if (ec || code >= 200 || code == 101) break;
    }
    if (rec) {
      if (rec == beast::error::timeout) {
        co_await fail(ex, 504, kTimeout, ResponseFlag::UpstreamRequestTimeout);
        co_return;
      }
      const bool stale = reused && upstream_buffer.size() == 0 && replayable;
      if (stale && !last) continue;
      const bool garbage =
          rec.category() == http::make_error_code(http::error::bad_version).category();
      co_await fail(ex, 502, garbage ? kProtocolError : kConnectionTermination,
                    garbage ? ResponseFlag::UpstreamProtocolError
                            : ResponseFlag::UpstreamConnectionTermination);
      co_return;
    }

    auto& res = response_parser->get();
    const bool upstream_keep_alive = res.keep_alive();
    remove_hop_by_hop(res.base());
    if (plan.edit_response) plan.edit_response(res.base());
    const unsigned status = res.result_int();
    if (body_allowed(status, method) && !res.has_content_length() && !res.chunked()) {
      if (client_version == 11)
        res.chunked(true);  // re-frame a close-delimited body
      else
        ex.close_after();
    }
    if (client_version == 10 && res.chunked()) {
      res.chunked(false);  // HTTP/1.0 has no chunked coding: the close ends the body
      ex.close_after();
    }
    res.version(client_version == 10 ? 10 : 11);
    res.keep_alive(ex.keep_alive());
    ex.record().status = status;

    RelayResult down =
        co_await relay_message(*upstream.stream, upstream_buffer, *response_parser, ex.client(),
                               timeouts, ex.scratch(), ex.head_buffer());
    ex.record().bytes_sent += down.bytes;
    if (down.error == RelayError::Read && !down.wrote) {
      // Nothing reached the client yet, so it can still get a clean answer.
      if (down.code == beast::error::timeout)
        co_await fail(ex, 504, kTimeout, ResponseFlag::UpstreamRequestTimeout);
      else
        co_await fail(ex, 502, kConnectionTermination, ResponseFlag::UpstreamConnectionTermination);
      co_return;
    }
    if (down.error != RelayError::None) {
      // Half a response was sent: the client must not reuse this connection.
      ex.record().flags.set(down.error == RelayError::Read
                                ? ResponseFlag::UpstreamConnectionTermination
                                : ResponseFlag::DownstreamConnectionTermination);
      ex.close_after();
      co_return;
    }
    if (upstream_keep_alive && response_parser->is_done() && upstream_buffer.size() == 0)
      pool.put(target.address, std::move(upstream), plan.reuse);
    co_return;
  }
}

}  // namespace gatehouse::proxy
