// Strict base64 (RFC 4648) in the two spellings gatehouse meets: base64url without padding, as
// JOSE uses it (RFC 7515 section 2), and standard base64 with '=' padding, as ALB session cookies
// use it. No whitespace in either; every byte string has exactly one accepted text per spelling,
// so two different texts never decode to the same bytes.
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

// The padded standard base64 text of `bytes` (RFC 4648 section 4).
std::string base64_encode(std::string_view bytes);

// Decodes `text` into `out` (replacing its contents, reusing its capacity). Returns false, with
// `out` unspecified, for anything but canonical padded base64: a length that is not a multiple
// of 4, a character outside [A-Za-z0-9+/] (including '-', '_', whitespace), '=' anywhere but as
// the last one or two, or non-zero unused bits.
[[nodiscard]] bool base64_decode(std::string_view text, std::string& out);

}  // namespace gatehouse::jose
