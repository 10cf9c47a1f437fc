// One HTTP/1.1 response to a key-set GET, put together from the bytes as they are read:
// http1's strict head parser and body decoder do the framing (Content-Length, chunked, until
// close), and the body is held to a cap as it arrives, so a huge or endless document is
// refused without being read. Pure; no I/O.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "http1/body.h"

namespace gatehouse::keys {

class ResponseReader {
 public:
  enum class State {
    NeedMore,   // feed more bytes, or end_of_input() when the peer closed
    Done,       // status() is final; body() is whole when the status is 200 (or any status)
    Malformed,  // error() says why
    TooLarge,   // the body is longer than the cap
  };

  // `every_status`: read the body of any final status (an OAuth error's JSON), not only 200.
  explicit ResponseReader(std::size_t max_body, bool every_status = false)
      : max_body_(max_body), every_status_(every_status) {}

  // Takes the next bytes read from the connection. Once the state is not NeedMore, it stays.
  State feed(std::string_view bytes);
  // The peer closed the connection.
  State end_of_input();

  // The final status (1xx interim responses are skipped); 0 until its head was read. Unless
  // every_status, a status other than 200 ends the response at its head: a fetcher has no use
  // for that body.
  unsigned status() const { return status_; }
  bool has_head() const { return status_ != 0; }
  std::string& body() { return body_; }
  std::string_view error() const { return error_; }

 private:
  State read_head();
  State read_body(std::string_view bytes);
  State fail(std::string_view why);

  std::size_t max_body_;
  bool every_status_;
  State state_ = State::NeedMore;
  std::string head_bytes_;   // bytes read before the final head was complete
  std::size_t checked_ = 0;  // of head_bytes_, scanned by the previous head search
  unsigned status_ = 0;
  http1::BodyReader body_reader_;
  std::string body_;
  std::string error_;
};

}  // namespace gatehouse::keys
