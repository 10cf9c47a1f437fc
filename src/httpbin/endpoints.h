// One function per httpbin endpoint, each turning a routed request into its response (before
// CORS headers). Routing, 404/405 and OPTIONS live in httpbin.cc. Thread-safety: pure functions.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "httpbin/httpbin.h"

namespace gatehouse::httpbin {

struct Call {
  const Request& request;
  std::string_view path_param;  // the {n} / {codes} / {path} part of the route, if any
  uint64_t random;
};

// A response with one Content-Type header.
Response typed_response(unsigned status, std::string_view content_type, std::string body);
// 400 text/plain with `message`, httpbin's answer to an unusable parameter.
Response bad_request(std::string_view message);

Response echo_get(const Call& call);          // /get
Response echo_anything(const Call& call);     // /anything, /anything/{path}
Response echo_body(const Call& call);         // /post, /put, /patch, /delete
Response echo_headers(const Call& call);      // /headers
Response echo_ip(const Call& call);           // /ip
Response echo_user_agent(const Call& call);   // /user-agent
Response random_uuid(const Call& call);       // /uuid
Response status_codes(const Call& call);      // /status/{codes}
Response delayed(const Call& call);           // /delay/{seconds}, at most 10 s
Response random_bytes(const Call& call);      // /bytes/{n}, at most 100 KiB
Response json_stream(const Call& call);       // /stream/{n}, at most 100 lines
Response response_headers(const Call& call);  // /response-headers?name=value

}  // namespace gatehouse::httpbin
