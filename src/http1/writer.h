// Serializes HTTP/1.1 message heads and chunk-size lines into reused buffers: the proxy
// writes a head in the same gathered write as the first body bytes. Pure; no I/O.
#pragma once

#include <cstddef>
#include <span>
#include <string>
#include <string_view>

#include "http1/fields.h"

namespace gatehouse::http1 {

// Replaces `out` with "METHOD TARGET HTTP/1.x", the fields, and the empty line.
void write_request_head(std::string_view method, std::string_view target, unsigned version,
                        std::span<const Field> fields, std::string& out);

// Replaces `out` with the status line (the standard reason when `reason` is empty), the
// fields, and the empty line.
void write_response_head(unsigned version, unsigned status, std::string_view reason,
                         std::span<const Field> fields, std::string& out);

// The standard reason phrase of `status` ("Not Found"); "Unknown" for unregistered codes.
std::string_view reason_phrase(unsigned status);

// "<hex size>\r\n" for one chunk of chunked coding; returns the bytes written to `out`.
std::size_t write_chunk_size(std::size_t size, char (&out)[20]);

}  // namespace gatehouse::http1
