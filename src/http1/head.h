// Strict HTTP/1.1 message heads (RFC 9112), parsed in place: the start line and fields
// become views into the caller's bytes, and the framing facts a proxy needs (body length
// or chunked, keep-alive, Expect) are settled during the one pass. Everything a lenient
// parser lets through for request smuggling (obs-fold, bare CR or LF, NUL, conflicting
// Content-Length and Transfer-Encoding) is refused. Pure; no I/O.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "http1/fields.h"

namespace gatehouse::http1 {

struct Limits {
  std::size_t max_request_line = 16 * 1024;  // beyond this: UriTooLong (414)
  std::size_t max_head = 64 * 1024;          // beyond this: HeadTooLarge (431)
  std::size_t max_fields = 100;              // Envoy's max_headers_count; beyond: HeadTooLarge
};

enum class HeadStatus {
  Complete,      // a head of `length` bytes is at the front of the input
  NeedMore,      // no complete head yet and no limit passed
  Malformed,     // 400 for a request, 502 for a response
  UriTooLong,    // 414
  HeadTooLarge,  // 431
};

struct HeadResult {
  HeadStatus status = HeadStatus::NeedMore;
  std::size_t length = 0;        // bytes of the head, final CRLF included (Complete only)
  std::string_view reason = {};  // why it is Malformed, for logs and tests
};

enum class Framing {
  None,           // no body
  ContentLength,  // exactly `content_length` bytes
  Chunked,        // chunked transfer coding
  UntilClose,     // responses only: the body ends when the connection does
};

struct RequestHead {
  std::string_view method;
  std::string_view target;
  unsigned version = 11;  // 10 or 11
  Fields fields;
  std::string_view host;  // the Host field; empty when an HTTP/1.0 request has none
  Framing framing = Framing::None;
  uint64_t content_length = 0;
  bool keep_alive = true;
  bool expect_continue = false;
};

struct ResponseHead {
  unsigned version = 11;
  unsigned status = 0;
  std::string_view reason;
  Fields fields;
  Framing framing = Framing::None;
  uint64_t content_length = 0;
  bool keep_alive = true;  // the upstream may carry another request after this one
};

// Where the head at the front of `bytes` ends, without parsing it: for a caller that
// copies the head before parsing it, so that the parsed views outlive its read buffer.
// Fails fast like the parsers on NUL, bare CR or LF, and the size limits. `checked`: the
// size of the input at the previous call for the same head (its bytes are not rescanned).
HeadResult find_request_head(std::string_view bytes, const Limits& limits, std::size_t checked = 0);
HeadResult find_response_head(std::string_view bytes, const Limits& limits,
                              std::size_t checked = 0);

// Parses the request head at the front of `bytes` (leading empty lines are skipped, as
// RFC 9112 allows). On Complete `out` views `bytes`, which must outlive it.
HeadResult parse_request(std::string_view bytes, const Limits& limits, RequestHead& out);

// Parses the response head at the front of `bytes`. `head_request`: the request was
// HEAD, so the response has no body whatever its fields say.
HeadResult parse_response(std::string_view bytes, const Limits& limits, bool head_request,
                          ResponseHead& out);

}  // namespace gatehouse::http1
