#include "proxy/forwarder.h"

#include <boost/asio/connect.hpp>
#include <vector>

#include "http1/writer.h"
#include "proxy/relay.h"

namespace gatehouse::proxy {
namespace {

namespace asio = boost::asio;
using Clock = std::chrono::steady_clock;
using telemetry::ResponseFlag;

constexpr std::string_view kConnectFailure =
    "upstream connect error or disconnect/reset before headers. reset reason: connection failure";
constexpr std::string_view kConnectionTermination =
    "upstream connect error or disconnect/reset before headers. reset reason: connection "
    "termination";
constexpr std::string_view kProtocolError =
    "upstream connect error or disconnect/reset before headers. reset reason: protocol error";
constexpr std::string_view kTimeout = "upstream request timeout";
// Envoy's default limit on an upstream response head.
constexpr http1::Limits kResponseLimits{.max_head = 60 * 1024};

Task<UpstreamPool::Connection> connect(const UpstreamTarget& target, const ForwardPlan& plan) {
  auto stream = std::make_unique<TcpStream>(co_await asio::this_coro::executor);
  stream->expires_after(plan.connect_timeout);
  auto [ec] = co_await stream->async_connect(target.address, use_tuple);
  if (ec) co_return nullptr;
  boost::system::error_code ignored;
  stream->socket().set_option(asio::ip::tcp::no_delay(true), ignored);
  co_return stream;
}

// The client's deadline may have passed with the upstream's (they share RelayTimeouts), so
// the answer gets the idle limit of its own.
Task<void> fail(Exchange& ex, const ForwardPlan& plan, unsigned status, std::string_view body,
                ResponseFlag flag) {
  ex.client().expires_after(plan.idle_timeout);
  ex.record().flags.set(flag);
  ex.close_after();
  co_await ex.respond(make_local_response(status, std::string(body)));
}

bool is_hop_by_hop(std::string_view name) {
  switch (name.size()) {
    case 2:
      return iequals(name, "te");
    case 6:
      return iequals(name, "expect");
    case 7:
      return iequals(name, "upgrade");
    case 10:
      return iequals(name, "connection") || iequals(name, "keep-alive");
    case 16:
      return iequals(name, "proxy-connection");
    default:
      return false;
  }
}

// Removes Connection, the fields it names, and the other hop-by-hop fields.
void remove_hop_by_hop(http1::Fields& fields) {
  std::vector<std::string_view> named;  // rare: only when Connection lists field names
  for (const auto& field : fields.all()) {
    if (!iequals(field.name, "connection")) continue;
    http1::for_each_list_item(field.value, [&](std::string_view token) {
      if (!token.empty() && !iequals(token, "close") && !iequals(token, "keep-alive"))
        named.push_back(token);
      return true;
    });
  }
  fields.erase_if([&](const http1::Field& f) {
    if (is_hop_by_hop(f.name)) return true;
    for (auto name : named)
      if (iequals(f.name, name)) return true;
    return false;
  });
}

enum class HeadRead { Ok, Timeout, Closed, Garbage };

// Reads the upstream's response head into the connection's buffers, skipping 1xx answers
// (never relayed), and parses a copy of it.
Task<HeadRead> read_response_head(TcpStream& upstream, ConnectionBuffers& buffers,
                                  bool head_request, Exchange& ex, RelayTimeouts& timeouts) {
  auto& in = buffers.upstream_in;
  std::size_t checked = 0;  // bytes examined by the previous find
  for (;;) {
    const std::string_view bytes(static_cast<const char*>(in.data().data()), in.size());
    const http1::HeadResult found = http1::find_response_head(bytes, kResponseLimits, checked);
    if (found.status == http1::HeadStatus::Complete) {
      buffers.response_bytes.assign(bytes.data(), found.length);
      in.consume(found.length);
      const http1::HeadResult parsed = http1::parse_response(
          buffers.response_bytes, kResponseLimits, head_request, buffers.response);
      if (parsed.status != http1::HeadStatus::Complete) co_return HeadRead::Garbage;
      const unsigned code = buffers.response.status;
      if (code >= 200 || code == 101) co_return HeadRead::Ok;
      checked = 0;
      continue;
    }
    if (found.status != http1::HeadStatus::NeedMore) co_return HeadRead::Garbage;
    checked = bytes.size();
    timeouts.arm(ex.client(), upstream);
    auto [ec, n] = co_await upstream.async_read_some(in.prepare(16 * 1024), use_tuple);
    if (ec == boost::beast::error::timeout) co_return HeadRead::Timeout;
    if (ec) co_return HeadRead::Closed;
    in.commit(n);
  }
}

}  // namespace

Task<void> forward(Exchange& ex, UpstreamPool& pool, const ForwardPlan& plan) {
  auto& buffers = ex.buffers();
  auto& req = buffers.request;
  remove_hop_by_hop(req.fields);
  if (plan.target) req.target = *plan.target;
  if (plan.authority) req.fields.set("Host", *plan.authority);
  const unsigned client_version = req.version;
  // The upstream leg is always HTTP/1.1 keep-alive; the body keeps the client's framing.
  http1::write_request_head(req.method, req.target, 11, req.fields.all(), buffers.head_out);
  const bool request_chunked = req.framing == http1::Framing::Chunked;

  std::optional<Clock::time_point> deadline;
  if (plan.timeout.count() > 0) deadline = Clock::now() + plan.timeout;
  if (plan.targets.empty()) {
    co_await fail(ex, plan, 503, "no healthy upstream", ResponseFlag::NoHealthyUpstream);
    co_return;
  }

  const bool head_request = req.method == "HEAD";
  for (uint32_t attempt = 0; attempt < plan.max_attempts; ++attempt) {
    const UpstreamTarget& target = *plan.targets[attempt % plan.targets.size()];
    ex.record().upstream_host = target.name;
    const bool last = attempt + 1 == plan.max_attempts;
    // Only a request whose body was not touched yet can be sent again.
    const bool replayable = ex.body().done();

    UpstreamPool::Connection upstream = pool.take(target.address);
    const bool reused = static_cast<bool>(upstream);
    if (!upstream) {
      upstream = co_await connect(target, plan);
      ++ex.record().upstream_connects;
      if (!upstream) ++ex.record().upstream_connect_failures;
    }
    if (!upstream) {
      if (last)
        co_await fail(ex, plan, 502, kConnectFailure, ResponseFlag::UpstreamConnectionFailure);
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
    RelayResult up;
    if (ex.body().done() && !request_chunked) {  // the head alone: no relay to run
      timeouts.arm(ex.client(), *upstream.stream);
      const asio::const_buffer head = asio::buffer(buffers.head_out);
      auto [ec, n] = co_await async_write_all(*upstream.stream, {&head, 1}, use_tuple);
      up.wrote = n > 0;
      if (ec) {
        up.error = RelayError::Write;
        up.code = ec;
      }
    } else {
      up = co_await relay_message(buffers.head_out, ex.client(), buffers.client_in, ex.body(),
                                  request_chunked, *upstream.stream, timeouts);
    }
    ex.record().bytes_received += up.bytes;
    if (up.error == RelayError::Framing) {
      // Broken chunked coding still gets an answer.
      ex.record().flags.set(ResponseFlag::DownstreamProtocolError);
      ex.close_after();
      co_await ex.respond(make_local_response(400, "Bad Request\n"));
      co_return;
    }
    if (up.error == RelayError::Read) {  // the client vanished mid-body
      ex.close_after();
      co_return;
    }
    if (up.error == RelayError::Write) {
      if (reused && replayable && !last) continue;  // a pooled connection the upstream closed
      co_await fail(ex, plan, 502, kConnectionTermination,
                    ResponseFlag::UpstreamConnectionTermination);
      co_return;
    }

    buffers.upstream_in.clear();
    const HeadRead got =
        co_await read_response_head(*upstream.stream, buffers, head_request, ex, timeouts);
    if (got == HeadRead::Timeout) {
      co_await fail(ex, plan, 504, kTimeout, ResponseFlag::UpstreamRequestTimeout);
      co_return;
    }
    if (got == HeadRead::Closed && reused && replayable && !last && buffers.upstream_in.size() == 0)
      continue;  // stale pooled connection: nothing was answered, try again
    if (got != HeadRead::Ok) {
      const bool garbage = got == HeadRead::Garbage;
      co_await fail(ex, plan, 502, garbage ? kProtocolError : kConnectionTermination,
                    garbage ? ResponseFlag::UpstreamProtocolError
                            : ResponseFlag::UpstreamConnectionTermination);
      co_return;
    }

    auto& res = buffers.response;
    const bool upstream_keep_alive = res.keep_alive;
    remove_hop_by_hop(res.fields);
    if (plan.edit_response) plan.edit_response(res.fields);
    ex.add_response_fields(res.fields);
    bool chunked_out = res.framing == http1::Framing::Chunked;
    if (res.framing == http1::Framing::UntilClose) {
      if (client_version == 11) {
        res.fields.add_view("Transfer-Encoding", "chunked");  // re-frame the body
        chunked_out = true;
      } else {
        ex.close_after();
      }
    }
    if (client_version == 10 && chunked_out) {
      res.fields.erase("Transfer-Encoding");  // HTTP/1.0 has no chunked coding:
      chunked_out = false;                    // the close ends the body
      ex.close_after();
    }
    add_connection_field(res.fields, client_version, ex.keep_alive());
    ex.record().status = res.status;
    http1::write_response_head(client_version, res.status, res.reason, res.fields.all(),
                               buffers.head_out);

    http1::BodyReader body(res.framing, res.content_length);
    RelayResult down =
        co_await relay_message(buffers.head_out, *upstream.stream, buffers.upstream_in, body,
                               chunked_out, ex.client(), timeouts);
    ex.record().bytes_sent += down.bytes;
    if (down.error != RelayError::None && down.error != RelayError::Write && !down.wrote) {
      // Nothing reached the client yet, so it can still get a clean answer.
      if (down.code == boost::beast::error::timeout)
        co_await fail(ex, plan, 504, kTimeout, ResponseFlag::UpstreamRequestTimeout);
      else
        co_await fail(ex, plan, 502, kConnectionTermination,
                      ResponseFlag::UpstreamConnectionTermination);
      co_return;
    }
    if (down.error != RelayError::None) {
      // Half a response was sent: the client must not reuse this connection.
      ex.record().flags.set(down.error == RelayError::Write
                                ? ResponseFlag::DownstreamConnectionTermination
                                : ResponseFlag::UpstreamConnectionTermination);
      ex.close_after();
      co_return;
    }
    if (upstream_keep_alive && body.done() && buffers.upstream_in.size() == 0)
      pool.put(target.address, std::move(upstream), plan.reuse);
    co_return;
  }
}

}  // namespace gatehouse::proxy
