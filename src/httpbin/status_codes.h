// /status/{codes}: parses "418", "200,500" or "200:0.9,500:0.1", picks one code with the
// caller's random number, and builds httpbin's canned response for it (redirect Location,
// WWW-Authenticate, the teapot...). Thread-safety: pure functions.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include "httpbin/httpbin.h"

namespace gatehouse::httpbin {

// The code chosen from `codes`: one code, or a comma list of `code[:weight]` picked with
// probability weight/total (weight 1 when omitted). nullopt when any code is not a decimal in
// [200, 999], a weight is not a finite number >= 0, or all weights are 0.
std::optional<unsigned> choose_status(std::string_view codes, uint64_t random);

// httpbin's status_code(code) response, before CORS headers. REQUIRES: 200 <= code <= 999.
Response status_response(unsigned code);

}  // namespace gatehouse::httpbin
