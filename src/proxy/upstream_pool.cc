#include "proxy/upstream_pool.h"

#include <functional>

namespace gatehouse::proxy {

std::size_t EndpointHash::operator()(const boost::asio::ip::tcp::endpoint& ep) const {
  const auto addr = ep.address();
  std::size_t h = addr.is_v4() ? std::hash<uint32_t>{}(addr.to_v4().to_uint())
                               : std::hash<std::string>{}(addr.to_string());
  return h * 31 + ep.port();
}

UpstreamPool::Connection UpstreamPool::take(const boost::asio::ip::tcp::endpoint& ep) {
  auto it = slots_.find(ep);
  if (it == slots_.end()) return {};
  auto& idle = it->second.idle;
  const auto now = coarse_now();
  while (!idle.empty()) {
    Idle entry = std::move(idle.back());
    idle.pop_back();
    if (now < entry.expires && entry.connection.stream->socket().is_open())
      return std::move(entry.connection);
  }
  return {};
}

void UpstreamPool::put(const boost::asio::ip::tcp::endpoint& ep, Connection connection,
                       const Reuse& reuse) {
  if (reuse.max_requests != 0 && connection.requests >= reuse.max_requests) return;
  auto& idle = slot(ep).idle;
  if (idle.size() >= kMaxIdlePerEndpoint) {
    idle.pop_front();  // the oldest is the likeliest to be closed by the upstream
  }
  connection.stream->expires_never();
  idle.push_back({std::move(connection), coarse_now() + reuse.idle_timeout});
}

std::size_t UpstreamPool::idle(const boost::asio::ip::tcp::endpoint& ep) const {
  auto it = slots_.find(ep);
  return it == slots_.end() ? 0 : it->second.idle.size();
}

}  // namespace gatehouse::proxy
