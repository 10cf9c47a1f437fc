// Proxies one exchange to an upstream endpoint: takes a pooled connection or opens
// one, streams the request body up and the response body down, retries what is safe
// to retry, and turns upstream failures into 502/503/504 with Envoy's words.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <chrono>
#include <functional>
#include <optional>
#include <span>
#include <string>

#include "proxy/exchange.h"
#include "proxy/upstream_pool.h"

namespace gatehouse::proxy {

struct UpstreamTarget {
  boost::asio::ip::tcp::endpoint address;
  std::string name;  // "ip:port", for logs
};

struct ForwardPlan {
  // Endpoints in the order to try them; a retry moves to the next one.
  std::span<const UpstreamTarget* const> targets;
  uint32_t max_attempts = 1;
  std::chrono::milliseconds connect_timeout{10000};
  std::chrono::milliseconds timeout{0};           // whole exchange; 0 = none
  std::chrono::milliseconds idle_timeout{60000};  // silence from either side
  UpstreamPool::Reuse reuse;                      // how pooled connections are reused
  std::optional<std::string> target;              // rewritten request-target
  std::optional<std::string> authority;           // rewritten Host
  // Edits the upstream's response head before it goes to the client (route header ops).
  std::function<void(http1::Fields&)> edit_response;
};

// REQUIRES: the request head in `ex` already carries the forwarding headers
// (X-Forwarded-*, request id) and the route's header edits. Hop-by-hop fields are
// removed here.
Task<void> forward(Exchange& ex, UpstreamPool& pool, const ForwardPlan& plan);

}  // namespace gatehouse::proxy
