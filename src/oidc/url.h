// The URL text an OpenID Connect relying party writes and reads: percent- and form-encoding of
// parameters, form-decoding of the callback query, the Host a redirect URI may carry, and the
// same-host check on the URL a login returns to. Pure functions; safe from any thread.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace gatehouse::oidc {

// The longest original URL (path and query) a login carries through the IdP and back; IdPs
// refuse authorization requests of more than a few KB.
inline constexpr std::size_t kMaxReturnUrlBytes = 2048;

// RFC 3986 section 2.1: every byte but ALPHA DIGIT - . _ ~ as %XX (upper-case hex). For the
// parameters of the authorization request.
std::string percent_encode(std::string_view text);

// application/x-www-form-urlencoded (WHATWG URL, section 5.2): ALPHA DIGIT * - . _ kept, space
// as '+', every other byte %XX. For token request bodies and, as RFC 6749 section 2.3.1 wants,
// the client id and secret inside HTTP Basic.
std::string form_encode(std::string_view text);

// The inverse of form_encode for one component: '+' is a space, %XX a byte. Returns false,
// with `out` unspecified, on a '%' not followed by two hex digits.
[[nodiscard]] bool form_decode(std::string_view text, std::string& out);

struct FormParam {
  std::string name;
  std::string value;
};

// Splits `query` (without '?') on '&', each piece on its first '=' (none: an empty value), and
// form-decodes both ('+' is a space, %XX a byte). Empty pieces are skipped. Returns false, with
// `out` unspecified, on a '%' not followed by two hex digits.
[[nodiscard]] bool parse_form(std::string_view query, std::vector<FormParam>& out);

// True for a Host header value that can stand in https://HOST/oauth2/idpresponse: a DNS name
// (letters, digits, '-', '_', '.'), an IPv4 address or a bracketed IPv6 address, with an
// optional :port of 1 to 5 digits; at most 255 bytes. Nothing that could end or reshape the
// authority ('@', '/', '\', '?', '#', spaces, controls).
bool is_redirect_host(std::string_view host);

// Where a login may send the browser back to: a path on `host`, never anywhere else (no open
// redirect). `target` is kept when it is a path: it starts with one '/' (not "//" or "/\"), has
// no '\', no '#' and only visible ASCII. An absolute http(s) URL whose authority is `host`
// (case-insensitively, without user info) is reduced to its path and query. Beyond
// kMaxReturnUrlBytes the query is dropped, then the path. Anything else gives "/".
std::string safe_return_path(std::string_view target, std::string_view host);

}  // namespace gatehouse::oidc
