#include "http1/body.h"

#include <algorithm>

namespace gatehouse::http1 {
namespace {

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

bool is_control(unsigned char c) { return (c < 0x20 && c != '\t') || c == 0x7f; }

// Sizes past 2^60 are refused: no real body is that large, and the sum cannot overflow.
constexpr unsigned kMaxSizeDigits = 15;

}  // namespace

BodyReader::BodyReader(Framing framing, uint64_t content_length) : framing_(framing) {
  switch (framing) {
    case Framing::None:
      state_ = State::Done;
      break;
    case Framing::ContentLength:
      left_ = content_length;
      state_ = left_ == 0 ? State::Done : State::Raw;
      break;
    case Framing::Chunked:
      state_ = State::Size;
      break;
    case Framing::UntilClose:
      state_ = State::Raw;
      break;
  }
}

BodyStatus BodyReader::read(std::string_view input, std::size_t& consumed, std::string_view& data) {
  consumed = 0;
  data = {};
  if (state_ == State::Failed) return BodyStatus::Error;
  while (consumed < input.size() && state_ != State::Done) {
    const std::string_view rest = input.substr(consumed);
    if (state_ == State::Raw || state_ == State::Data) {
      const std::size_t n = framing_ == Framing::UntilClose
                                ? rest.size()
                                : static_cast<std::size_t>(std::min<uint64_t>(left_, rest.size()));
      data = rest.substr(0, n);
      consumed += n;
      if (framing_ != Framing::UntilClose) left_ -= n;
      if (left_ == 0 && framing_ == Framing::ContentLength) state_ = State::Done;
      if (left_ == 0 && state_ == State::Data) state_ = State::DataEnd;
      return BodyStatus::Ok;  // one data piece per call, so the caller can write it out
    }
    std::size_t used = 0;
    const BodyStatus status =
        state_ == State::Trailer ? read_trailers(rest, used) : read_chunk_line(rest, used);
    consumed += used;
    if (status == BodyStatus::Error) {
      state_ = State::Failed;  // the rest of the input has no defined meaning
      return status;
    }
  }
  return BodyStatus::Ok;
}

// The chunk framing around the data: size line (with extensions) and the CRLF after data.
BodyStatus BodyReader::read_chunk_line(std::string_view input, std::size_t& consumed) {
  for (consumed = 0; consumed < input.size();) {
    const char c = input[consumed++];
    if (state_ != State::DataEnd && ++line_ > kMaxChunkLine) return BodyStatus::Error;
    switch (state_) {
      case State::Size:
        if (const int v = hex_value(c); v >= 0) {
          if (++digits_ > kMaxSizeDigits) return BodyStatus::Error;
          left_ = left_ * 16 + static_cast<uint64_t>(v);
        } else if (digits_ > 0 && c == ';') {
          state_ = State::Extension;
        } else if (digits_ > 0 && (c == ' ' || c == '\t')) {
          state_ = State::SizeSpace;  // BWS, allowed only before an extension
        } else if (digits_ > 0 && c == '\r') {
          state_ = State::SizeEnd;
        } else {
          return BodyStatus::Error;
        }
        break;
      case State::SizeSpace:
        if (c == ';')
          state_ = State::Extension;
        else if (c != ' ' && c != '\t')
          return BodyStatus::Error;
        break;
      case State::Extension:
        if (c == '\r')
          state_ = State::SizeEnd;
        else if (is_control(static_cast<unsigned char>(c)))
          return BodyStatus::Error;
        break;
      case State::SizeEnd:
        if (c != '\n') return BodyStatus::Error;
        line_ = 0;
        if (left_ > 0) {
          state_ = State::Data;
          return BodyStatus::Ok;
        }
        state_ = State::Trailer;
        line_start_ = true;
        return BodyStatus::Ok;
      case State::DataEnd:
        if (c != (saw_cr_ ? '\n' : '\r')) return BodyStatus::Error;
        saw_cr_ = !saw_cr_;
        if (!saw_cr_) {
          state_ = State::Size;
          digits_ = 0;
          left_ = 0;
          line_ = 0;
          return BodyStatus::Ok;
        }
        break;
      default:
        return BodyStatus::Error;
    }
  }
  return BodyStatus::Ok;
}

// Trailer fields up to the final empty line; their content is dropped, only checked for
// control characters and size.
BodyStatus BodyReader::read_trailers(std::string_view input, std::size_t& consumed) {
  for (consumed = 0; consumed < input.size();) {
    const char c = input[consumed++];
    if (++line_ > kMaxTrailers) return BodyStatus::Error;
    if (saw_cr_) {
      if (c != '\n') return BodyStatus::Error;
      saw_cr_ = false;
      if (line_start_) {
        state_ = State::Done;
        return BodyStatus::Ok;
      }
      line_start_ = true;
    } else if (c == '\r') {
      saw_cr_ = true;
    } else if (is_control(static_cast<unsigned char>(c)) ||
               (line_start_ && (c == ' ' || c == '\t'))) {
      return BodyStatus::Error;
    } else {
      line_start_ = false;
    }
  }
  return BodyStatus::Ok;
}

}  // namespace gatehouse::http1
