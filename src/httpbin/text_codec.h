// Byte-level text helpers for the httpbin responder: UTF-8 checks, the Latin-1 view of header
// bytes that WSGI servers give Python, base64, and werkzeug's title-cased header names.
// Thread-safety: pure functions.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace gatehouse::httpbin {

struct Utf8Step {
  std::size_t length;   // bytes consumed, at least 1
  char32_t code_point;  // U+FFFD when !valid
  bool valid;
};
// Decodes the UTF-8 sequence at the start of `text`. A malformed one (bad lead byte, truncated,
// overlong, surrogate, above U+10FFFF) consumes its maximal valid prefix, so callers emit one
// U+FFFD per prefix as Python's errors='replace' does. REQUIRES: !text.empty().
Utf8Step next_utf8(std::string_view text);

// True when all of `text` is well-formed UTF-8 (Python's bytes.decode('utf-8') would succeed).
bool is_valid_utf8(std::string_view text);

// `bytes` with every malformed UTF-8 run replaced by U+FFFD, as bytes.decode('utf-8',
// errors='replace') does.
std::string replace_invalid_utf8(std::string_view bytes);

// Each byte of `bytes` read as one Latin-1 code point, re-encoded as UTF-8. WSGI hands header
// values to Python this way, so httpbin shows a UTF-8 "é" header as two characters.
std::string latin1_to_utf8(std::string_view bytes);

// Standard base64 with padding (RFC 4648 section 4).
std::string base64_encode(std::string_view bytes);

// A header name as werkzeug reports it: '_' becomes '-', then Python's str.title() (a letter is
// upper-cased after any non-letter and lower-cased after a letter): "x-b3-traceid" ->
// "X-B3-Traceid".
std::string title_case_header(std::string_view name);

}  // namespace gatehouse::httpbin
