// A response the edge answers itself, without a target (fixed-response, redirect).
// Plain value.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

#include "request/request_view.h"

namespace gatehouse::edge {

// What ALB puts on responses it generates itself.
inline constexpr std::string_view kAlbServerHeader = "awselb/2.0";

// The headers and body view the action (or static text) they came from; the HTTP layer adds
// Date, Content-Length and Connection when it writes the response.
struct GeneratedResponse {
  uint32_t status_code = 0;
  std::array<HeaderField, 2> headers;  // Server, Content-Type
  std::string_view body;
  std::string location;  // a redirect's Location header; empty otherwise
};

}  // namespace gatehouse::edge
