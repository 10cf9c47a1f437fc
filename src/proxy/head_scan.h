// Strict checks on the raw bytes of an HTTP/1.1 request head, done before the parser
// sees them: the framing tricks a lenient parser would accept (obs-fold, bare CR, NUL)
// and the size limits that decide between 400, 414 and 431. Pure; no I/O.
#pragma once

#include <cstddef>
#include <string_view>

namespace gatehouse::proxy {

struct HeadLimits {
  std::size_t max_uri = 16 * 1024;   // request line beyond this: 414
  std::size_t max_head = 64 * 1024;  // whole head beyond this: 431
};

enum class HeadScan {
  NeedMore,      // no complete head yet, and no limit passed
  Complete,      // a well-formed head of `length` bytes is at the front
  Malformed,     // 400: NUL, bare CR, obs-fold, control characters, empty field name
  UriTooLong,    // 414
  HeadTooLarge,  // 431
};

struct HeadScanResult {
  HeadScan status = HeadScan::NeedMore;
  std::size_t length = 0;  // bytes of the head including the final CRLFCRLF (Complete only)
};

// Scans `bytes`, the unparsed input of a connection starting at a request's first byte.
// Leading empty lines (allowed by RFC 9112 before a request line) are skipped.
HeadScanResult scan_request_head(std::string_view bytes, const HeadLimits& limits);

}  // namespace gatehouse::proxy
