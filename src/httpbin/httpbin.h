// The built-in httpbin: computes the responses of python httpbin's core endpoints (/get,
// /anything, /status, /delay, /bytes, /stream, ...) with the same JSON shapes. Pure: the engine
// serves what respond() returns. Thread-safety: respond() is a pure function.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "request/request_view.h"

namespace gatehouse::httpbin {

struct Request {
  const RequestView& view;
  std::string_view body;
  // The full URL as httpbin reports it ("http://127.0.0.1:8000/get?a=1"); when empty it is
  // built from view.scheme, authority, path and query.
  std::string_view url;
};

struct Response {
  unsigned status = 200;
  // Never Content-Length or Transfer-Encoding: framing belongs to the engine.
  std::vector<std::pair<std::string, std::string>> headers{};
  std::string body{};
  // The engine waits this long before sending (/delay); at most 10 s.
  std::chrono::milliseconds delay{0};
  // Send with Transfer-Encoding: chunked, as httpbin streams /stream/{n}.
  bool chunked = false;
};

// Answers `request` as python httpbin 0.7 (Flask 2.2) would, except that JSON bodies are
// pretty-printed. `random` seeds /uuid, /bytes and the choice in /status/{a,b}. Unknown paths
// give 404, known paths with a wrong method 405 (with Allow), OPTIONS 200 with CORS headers.
// HEAD is answered like GET, body included: the engine must send only the head, with the
// Content-Length of that body. Hostile parameters give a 4xx or a capped result.
//
// Example:
//   RequestView view{.method = "GET", .scheme = "http", .authority = "h", .path = "/ip",
//                    .peer_ip = "10.0.0.1"};
//   Response r = respond(Request{view, {}, {}}, rng());  // 200 {"origin": "10.0.0.1"}
Response respond(const Request& request, uint64_t random);

}  // namespace gatehouse::httpbin
