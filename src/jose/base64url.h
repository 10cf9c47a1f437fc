// Strict base64url (RFC 4648 section 5) as JOSE uses it (RFC 7515 section 2): the URL-safe
// alphabet, no padding, no whitespace. Every byte string has exactly one accepted encoding, so
// two different texts never decode to the same bytes.
#pragma once

#include <string>
#include <string_view>

namespace gatehouse::jose {

// The unpadded base64url text of `bytes`.
std::string base64url_encode(std::string_view bytes);

// Decodes `text` into `out` (replacing its contents, reusing its capacity). Returns false, with
// `out` unspecified, for anything but canonical unpadded base64url: a character outside
// [A-Za-z0-9_-] (including '=', '+', '/', whitespace), a length of 4n+1, or non-zero unused
// bits in the last character.
[[nodiscard]] bool base64url_decode(std::string_view text, std::string& out);

}  // namespace gatehouse::jose
