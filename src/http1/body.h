// Decodes a message body from the bytes that follow its head, in place: the body's data
// comes back as views into the input, so a proxy writes it on without copying. Chunked
// coding is checked strictly (hex sizes without overflow, CRLF after every chunk, bounded
// extensions and trailers); trailers are read and dropped. Pure; no I/O.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "http1/head.h"

namespace gatehouse::http1 {

enum class BodyStatus {
  Ok,     // made progress; call again with more input unless done()
  Error,  // broken chunked coding: 400 for a request, 502 for a response; final
};

class BodyReader {
 public:
  static constexpr std::size_t kMaxChunkLine = 4096;  // size line with extensions
  static constexpr std::size_t kMaxTrailers = 64 * 1024;

  BodyReader() = default;
  BodyReader(Framing framing, uint64_t content_length);

  // Decodes from the front of `input`. `consumed` is how many bytes were used and `data`
  // the body bytes found among them (a view into `input`, possibly empty).
  BodyStatus read(std::string_view input, std::size_t& consumed, std::string_view& data);

  // The body is complete (an UntilClose body only after end_of_input()).
  bool done() const { return state_ == State::Done; }
  // The peer closed: completes an UntilClose body; any other unfinished body is truncated.
  void end_of_input() {
    if (framing_ == Framing::UntilClose) state_ = State::Done;
  }
  bool until_close() const { return framing_ == Framing::UntilClose; }
  // Body bytes still expected for a Content-Length body; unknown (0) otherwise.
  uint64_t remaining() const { return framing_ == Framing::ContentLength ? left_ : 0; }

 private:
  enum class State {
    Size,
    SizeSpace,
    Extension,
    SizeEnd,
    Data,
    DataEnd,
    Trailer,
    Raw,
    Done,
    Failed
  };
  BodyStatus read_chunk_line(std::string_view input, std::size_t& consumed);
  BodyStatus read_trailers(std::string_view input, std::size_t& consumed);

  Framing framing_ = Framing::None;
  State state_ = State::Done;
  uint64_t left_ = 0;       // bytes left of the body (ContentLength) or of the chunk
  std::size_t line_ = 0;    // bytes of the current chunk-size line or trailer section
  unsigned digits_ = 0;     // hex digits of the chunk size so far
  bool line_start_ = true;  // Trailer: at the start of a trailer line
  bool saw_cr_ = false;     // a CR was read and its LF is due
};

}  // namespace gatehouse::http1
