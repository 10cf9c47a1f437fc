// Decodes query strings and form bodies the way werkzeug does for python httpbin: lenient
// percent-decoding, repeated fields flattened to lists ("semiflatten"), a minimal multipart
// reader. Never fails: malformed input decodes to whatever parses. Thread-safety: pure functions.
#pragma once

#include <boost/json/object.hpp>
#include <optional>
#include <string>
#include <string_view>

namespace gatehouse::httpbin {

// werkzeug's url_unquote_plus: '+' is a space, "%XX" with two hex digits is that byte, any other
// '%' stays literal; the bytes are then read as UTF-8 with U+FFFD for malformed runs.
std::string url_decode(std::string_view text);

// Adds `value` under `key`: the first value is a string, a repeated key turns into a list in
// arrival order. Keys keep first-arrival order.
void add_field(boost::json::object& fields, std::string_view key, std::string value);

// "a=1&a=2&b&=v" -> {"a": ["1", "2"], "b": "", "": "v"}; empty pieces are skipped.
boost::json::object parse_urlencoded(std::string_view text);

// The value of parameter `name` (case-insensitive) in a header such as
// `multipart/form-data; boundary="x"`, unquoted; nullopt when absent.
std::optional<std::string> header_parameter(std::string_view header_value, std::string_view name);

// The media type of a Content-Type value, lower-cased and without parameters.
std::string media_type(std::string_view content_type);

// httpbin's json_safe(): `bytes` itself when it is UTF-8, else a
// "data:<content_type>;base64,..." URL.
std::string json_safe(std::string_view bytes, std::string_view content_type);

struct MultipartFields {
  boost::json::object form;   // parts without a filename, as text
  boost::json::object files;  // parts with a filename, through json_safe()
};
// Reads a multipart/form-data body. Parts without a name are skipped; reading stops at the
// first malformed part, keeping the fields before it.
MultipartFields parse_multipart(std::string_view body, std::string_view boundary);

}  // namespace gatehouse::httpbin
