// Durations as Istio reads them: Go/protobuf style text such as "10s", "1.5s", "500ms",
// "1m30s", "1h", "100us". Internal to the config module; pure functions.
#pragma once

#include <chrono>
#include <string>
#include <string_view>
#include <variant>

namespace gatehouse::config {

// The duration in nanoseconds, or why the text is not one. Units: ns, us (or µs), ms, s, m,
// h; a number may have a fraction; several parts add up ("1h30m"). No sign, no spaces.
std::variant<std::chrono::nanoseconds, std::string> parse_duration(std::string_view text);

}  // namespace gatehouse::config
