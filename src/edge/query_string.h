// The query string as ALB's `query-string` condition reads it: parameters split at `&`,
// each at its first `=`, key and value percent-decoded (RFC 3986: `+` stays a `+`).
// Pure function; thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace gatehouse::edge {

struct QueryParameter {
  std::string_view key;    // decoded; the whole piece when it has no `=`
  std::string_view value;  // decoded; empty when the piece has no `=`
};

// Appends the parameters of `query` (the part after `?`) to `out`, in order. Empty pieces
// (`a=1&&b=2`) are skipped, and so is a parameter whose decoded key or value holds a
// control character (0x00-0x1f, 0x7f): ALB matches visible text only. A `%` not followed
// by two hex digits stays as it is. Decoded text is written to `storage`, which must not be
// touched while `out` is in use; views into `query` are used where nothing is encoded.
void parse_query(std::string_view query, std::string& storage, std::vector<QueryParameter>& out);

}  // namespace gatehouse::edge
