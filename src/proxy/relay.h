// Streams a message body from one connection to another straight out of the read
// buffer: decoded body bytes are written without a copy, re-framed with chunked coding
// when asked. Shared by both directions of the proxy.
#pragma once

#include <boost/beast/core/flat_buffer.hpp>
#include <chrono>
#include <optional>
#include <string_view>

#include "http1/body.h"
#include "proxy/client_stream.h"
#include "proxy/io.h"

namespace gatehouse::proxy {

enum class RelayError { None, Read, Write, Framing };

// Each read and write must progress within `idle`; the whole exchange ends by `deadline`.
// One instance serves an exchange's request relay, response wait and response relay.
// Arming before every operation is cheap: a coarse clock read and two stores (TcpStream).
class RelayTimeouts {
 public:
  RelayTimeouts(std::chrono::milliseconds idle,
                std::optional<std::chrono::steady_clock::time_point> deadline)
      : idle_(idle), deadline_(deadline) {}

  template <class In, class Out>
  void arm(In& in, Out& out) {
    auto at = coarse_now() + idle_;
    if (deadline_ && *deadline_ < at) at = *deadline_;
    in.expires_at(at);
    out.expires_at(at);
  }

 private:
  std::chrono::milliseconds idle_;
  std::optional<std::chrono::steady_clock::time_point> deadline_;
};

struct RelayResult {
  RelayError error = RelayError::None;
  boost::system::error_code code;  // of the failed read or write
  uint64_t bytes = 0;              // body bytes relayed
  bool wrote = false;              // anything reached `out` (the head goes with the first write)
};

// Writes `head`, then the body `reader` decodes from `in` (what `in_buffer` holds first),
// with chunked coding when `chunked_out`. The head goes out with the first body bytes in
// one gathered write. Both streams keep the expiry `timeouts` gave them.
// Instantiated for the two directions: client to upstream, upstream to client.
template <class In, class Out>
Task<RelayResult> relay_message(std::string_view head, In& in, boost::beast::flat_buffer& in_buffer,
                                http1::BodyReader& reader, bool chunked_out, Out& out,
                                RelayTimeouts& timeouts);
extern template Task<RelayResult> relay_message(std::string_view, ClientStream&,
                                                boost::beast::flat_buffer&, http1::BodyReader&,
                                                bool, TcpStream&, RelayTimeouts&);
extern template Task<RelayResult> relay_message(std::string_view, TcpStream&,
                                                boost::beast::flat_buffer&, http1::BodyReader&,
                                                bool, ClientStream&, RelayTimeouts&);

}  // namespace gatehouse::proxy
