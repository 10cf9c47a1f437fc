// One health check over the network, as an ALB node sends it: a new TCP connection per
// check, `GET <path> HTTP/1.1` with `Host: <ip>:<port>`, `User-Agent: ELB-HealthChecker/2.0`
// and `Connection: close`; only the response head is read (bounded), then the connection is
// closed. A coroutine on the caller's io_context. Network code.
#pragma once

#include <boost/asio/ip/tcp.hpp>
#include <chrono>
#include <cstddef>
#include <string>
#include <string_view>

#include "health/matcher.h"
#include "health/target_state.h"
#include "proxy/io.h"

namespace gatehouse::health {

inline constexpr std::string_view kUserAgent = "ELB-HealthChecker/2.0";

// Larger response heads fail the check (BadResponse); ALB does not say its limit.
inline constexpr std::size_t kMaxResponseHead = 16 * 1024;

struct ProbeRequest {
  boost::asio::ip::tcp::endpoint endpoint = {};
  std::string target = {};  // origin-form request-target: path and query
  std::string host = {};    // the Host field
};

struct ProbeOutcome {
  ProbeResult result = ProbeResult::Success;
  unsigned status = 0;     // the final response status, when one was read
  std::string error = {};  // not Success: a sentence for the admin page
};

// The Host an ALB node sends: the target's address and the health-check port.
std::string host_field(const boost::asio::ip::tcp::endpoint& endpoint);

// Sends one check; `timeout` bounds everything from connecting to the end of the head.
// Success when `matcher` accepts the status.
proxy::Task<ProbeOutcome> probe(const ProbeRequest& request, const Matcher& matcher,
                                std::chrono::milliseconds timeout);

}  // namespace gatehouse::health
