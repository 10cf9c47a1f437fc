// Escaping of untrusted text (request paths, headers, config names) for the two text
// formats telemetry writes: JSON access-log lines and Prometheus label values. Both
// append to a caller-owned string and never allocate beyond its growth.
// Thread-safety: pure functions.
#pragma once

#include <string>
#include <string_view>

namespace gatehouse::telemetry {

// Appends `text` as a quoted JSON string. Control characters become \n-style or \u00XX
// escapes, invalid UTF-8 becomes \ufffd (one per maximal invalid subpart), valid UTF-8 is
// copied as is. The result is always valid JSON and valid UTF-8.
void append_json_string(std::string& out, std::string_view text);

// Appends `text` as the inside of a Prometheus label value (text format 0.0.4): `\`, `"`
// and newline are escaped; invalid UTF-8 becomes U+FFFD so the exposition stays UTF-8.
void append_prometheus_label_value(std::string& out, std::string_view text);

}  // namespace gatehouse::telemetry
