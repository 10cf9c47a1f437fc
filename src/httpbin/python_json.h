// Serializes Boost.JSON values byte-for-byte the way python httpbin prints them: json.dumps
// with ensure_ascii (\uXXXX escapes, surrogate pairs), Python's float repr, and either Flask's
// pretty jsonify or a plain one-line json.dumps. Thread-safety: pure functions.
#pragma once

#include <boost/json/value.hpp>
#include <string>

namespace gatehouse::httpbin {

enum class JsonStyle {
  kPretty,  // 2-space indent, keys sorted by code point: jsonify(indent=2, sort_keys=True)
  kDumps,   // one line, ", " and ": " separators, insertion order: json.dumps(obj)
};

// Appends `value` to `out`. Bytes that are not UTF-8 print as U+FFFD; doubles print as Python's
// repr (1.0, 1e+16, Infinity).
void append_python_json(std::string& out, const boost::json::value& value, JsonStyle style);

// The body of httpbin's jsonify(): the pretty form plus a trailing newline.
std::string jsonify(const boost::json::value& value);

}  // namespace gatehouse::httpbin
