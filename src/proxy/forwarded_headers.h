// The headers an ALB adds at the listener before a request goes to a target:
// X-Forwarded-For (appended), X-Forwarded-Proto/Port (set), X-Request-Id (kept or new)
// and X-Amzn-Trace-Id in ALB's format. Pure: time and randomness are passed in.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace gatehouse::proxy {

// "existing, peer" (comma and space, as ALB's append mode), or just the peer.
std::string forwarded_for(std::optional<std::string_view> existing, std::string_view peer_ip);

// A random (version 4) UUID in lower-case hex, from two random words.
std::string uuid_v4(uint64_t high, uint64_t low);

// Whether a client-sent X-Request-Id can be kept: 1-200 visible ASCII characters.
bool request_id_is_acceptable(std::string_view id);

// ALB's X-Amzn-Trace-Id: absent (or without Root) -> "Root=1-<8 hex secs>-<24 hex>"
// (other fields kept after it); with Root -> a "Self=1-..." field first, replacing an
// older Self. Fields are ';'-separated.
std::string amzn_trace_id(std::optional<std::string_view> existing, uint64_t epoch_seconds,
                          uint64_t random_high, uint64_t random_low);

}  // namespace gatehouse::proxy
