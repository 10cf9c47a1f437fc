#include "keys/response_reader.h"

#include "http1/head.h"

namespace gatehouse::keys {
namespace {

// The engine's limits on a response head (Envoy's 60 KiB): a key server needs far less.
constexpr http1::Limits kHeadLimits{.max_head = 60 * 1024};

}  // namespace

ResponseReader::State ResponseReader::feed(std::string_view bytes) {
  if (state_ != State::NeedMore) return state_;
  if (has_head()) return read_body(bytes);
  head_bytes_.append(bytes);
  return read_head();
}

ResponseReader::State ResponseReader::end_of_input() {
  if (state_ != State::NeedMore) return state_;
  if (!has_head()) return fail("the connection closed before the response head was complete");
  body_reader_.end_of_input();
  if (!body_reader_.done()) return fail("the connection closed before the body was complete");
  return state_ = State::Done;
}

ResponseReader::State ResponseReader::read_head() {
  for (;;) {
    const http1::HeadResult found = http1::find_response_head(head_bytes_, kHeadLimits, checked_);
    if (found.status == http1::HeadStatus::NeedMore) {
      checked_ = head_bytes_.size();
      return state_;
    }
    if (found.status != http1::HeadStatus::Complete)
      return fail(found.status == http1::HeadStatus::Malformed
                      ? "malformed response head: " + std::string(found.reason)
                      : "the response head is too large");
    http1::ResponseHead head;
    const http1::HeadResult parsed = http1::parse_response(head_bytes_, kHeadLimits, false, head);
    if (parsed.status != http1::HeadStatus::Complete)
      return fail("malformed response head: " + std::string(parsed.reason));
    if (head.status < 200 && head.status != 101) {  // interim: the final head follows
      head_bytes_.erase(0, found.length);
      checked_ = 0;
      continue;
    }
    status_ = head.status;
    if (status_ != 200 && !every_status_) return state_ = State::Done;
    if (head.framing == http1::Framing::ContentLength && head.content_length > max_body_)
      return state_ = State::TooLarge;
    body_reader_ = http1::BodyReader(head.framing, head.content_length);
    const std::string rest = head_bytes_.substr(found.length);
    head_bytes_.clear();
    return read_body(rest);
  }
}

ResponseReader::State ResponseReader::read_body(std::string_view bytes) {
  while (!body_reader_.done() && !bytes.empty()) {
    std::size_t consumed = 0;
    std::string_view data;
    if (body_reader_.read(bytes, consumed, data) == http1::BodyStatus::Error)
      return fail("malformed chunked body");
    if (data.size() > max_body_ - body_.size()) return state_ = State::TooLarge;
    body_.append(data);
    bytes.remove_prefix(consumed);
  }
  // Bytes after the body are ignored: the request asked the server to close.
  return state_ = body_reader_.done() ? State::Done : State::NeedMore;
}

ResponseReader::State ResponseReader::fail(std::string_view why) {
  error_ = why;
  return state_ = State::Malformed;
}

}  // namespace gatehouse::keys
