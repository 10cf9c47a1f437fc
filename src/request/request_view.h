// The request as every routing and policy stage reads it: a non-owning view of one
// HTTP request head, built once per request by the engine. Pure stages only read it.
// Thread-safety: a plain value; valid while the request it views is alive.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace gatehouse {

struct HeaderField {
  std::string_view name;  // as received; compare case-insensitively
  std::string_view value;
};

struct RequestView {
  std::string_view method;
  std::string_view scheme;     // "http" or "https" of the client leg
  std::string_view authority;  // Host header verbatim, port included when sent
  std::string_view path;       // normalized, without the query
  std::string_view query;      // after '?', without it; empty when none
  std::string_view peer_ip;    // TCP peer address, textual
  uint16_t listener_port = 0;
  std::span<const HeaderField> headers;

  // First value of the header `name` (case-insensitive), if present.
  std::optional<std::string_view> header(std::string_view name) const;
  // All values of `name` joined with ",", as Envoy matches repeated headers.
  std::optional<std::string> joined_header(std::string_view name) const;
};

// ASCII case-insensitive equality; inline because header lookups call it per field.
inline bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    const auto x = static_cast<unsigned char>(a[i]), y = static_cast<unsigned char>(b[i]);
    if (x != y && ((x | 0x20) != (y | 0x20) || (x | 0x20) < 'a' || (x | 0x20) > 'z')) return false;
  }
  return true;
}
// `authority` without a trailing ":port" (IPv6 brackets kept).
std::string_view host_without_port(std::string_view authority);

}  // namespace gatehouse
