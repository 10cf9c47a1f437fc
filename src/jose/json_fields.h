// Internal to jose: reading JOSE JSON with Boost.JSON's non-throwing API, so a hostile token or
// key set becomes a Status, never an exception.
#pragma once

#include <boost/json/object.hpp>
#include <cstddef>
#include <string>
#include <string_view>

#include "jose/status.h"

namespace gatehouse::jose::detail {

// Parses `text` as one JSON object (strict RFC 8259: no comments, no trailing commas, valid
// UTF-8; a duplicate member keeps the last value, as RFC 7515 section 4 allows). Returns Ok,
// `too_deep` past `max_depth` nested containers, else `bad_json`.
Status parse_json_object(std::string_view text, std::size_t max_depth, Status bad_json,
                         Status too_deep, boost::json::object& out);

// Reads the string member `key` into `out` (a view into `object`): Ok, or the status given for
// a missing member and for one that is not a string. Passing Status::Ok as `missing` makes the
// member optional; `out` is then empty when it is absent.
Status string_member(const boost::json::object& object, std::string_view key, Status missing,
                     Status wrong_type, std::string_view& out);

// The same for a base64url string member, decoded into `out`; `bad_base64` when the text is not
// canonical base64url.
Status base64url_member(const boost::json::object& object, std::string_view key, Status missing,
                        Status wrong_type, Status bad_base64, std::string& out);

}  // namespace gatehouse::jose::detail
