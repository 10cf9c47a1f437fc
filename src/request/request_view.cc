#include "request/request_view.h"

#include <algorithm>

namespace gatehouse {

std::optional<std::string_view> RequestView::header(std::string_view name) const {
  for (const auto& h : headers)
    if (iequals(h.name, name)) return h.value;
  return std::nullopt;
}

std::optional<std::string> RequestView::joined_header(std::string_view name) const {
  std::optional<std::string> out;
  for (const auto& h : headers) {
    if (!iequals(h.name, name)) continue;
    if (out) {
      out->push_back(',');
      out->append(h.value);
    } else {
      out.emplace(h.value);
    }
  }
  return out;
}

std::string_view host_without_port(std::string_view authority) {
  auto colon = authority.rfind(':');
  if (colon == std::string_view::npos) return authority;
  auto bracket = authority.rfind(']');
  if (bracket != std::string_view::npos && bracket > colon) return authority;
  if (authority.find(':') != colon && authority.front() != '[') return authority;  // bare IPv6
  return authority.substr(0, colon);
}

}  // namespace gatehouse
