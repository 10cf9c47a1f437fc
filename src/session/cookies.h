// The request's Cookie header as the session code reads it (RFC 6265 section 4.2): a strict,
// bounded parser into name/value views, and the removal of the gateway's own cookies before a
// request goes upstream. Pure functions over strings; safe from any thread.
#pragma once

#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "session/status.h"

namespace gatehouse::session {

// One cookie: views into the parsed header text.
struct Cookie {
  std::string_view name;
  std::string_view value;  // without the double quotes of a quoted value

  bool operator==(const Cookie&) const = default;
};

// The whole request head is capped at 64 KiB by http1; one header field can be no larger.
inline constexpr std::size_t kMaxCookieHeaderBytes = 64 * 1024;
// Browsers store at most 4096 bytes of name and value per cookie.
inline constexpr std::size_t kMaxCookieBytes = 4096;
// Above every browser's per-site cookie cap (Chrome: 180), so only a forged header hits it.
inline constexpr std::size_t kMaxCookies = 256;

// The login nonce cookie ALB sets for the authorization round trip.
inline constexpr std::string_view kNonceCookieName = "AWSALBAuthNonce";

// True for an RFC 6265 cookie-name: a non-empty RFC 9110 token.
bool is_cookie_name(std::string_view name);

// Appends the cookies of one Cookie header value to `cookies`, in order. Pairs are separated by
// ';' with optional spaces or tabs around pairs and around '='; a name is a token, a value
// cookie-octets, bare or in double quotes. A pair that is not of that form (no '=', a bad name,
// a space, comma, backslash, unbalanced quote or control byte in the value) is skipped, not
// guessed at: other applications on the host set cookies the gateway does not control.
// Fails, leaving `cookies` as it was, with CookieHeaderTooLarge when the header exceeds
// kMaxCookieHeaderBytes or one pair exceeds kMaxCookieBytes, and with
// CookieHeaderTooManyCookies when `cookies` would exceed kMaxCookies (call it once per Cookie
// field of a request: the limit is for the request).
[[nodiscard]] Status parse_cookie_header(std::string_view header, std::vector<Cookie>& cookies);

// The value of the first cookie named `name` (a later duplicate is ignored), or nullopt.
std::optional<std::string_view> find_cookie(std::span<const Cookie> cookies, std::string_view name);

// Writes to `out` the Cookie header value without the pairs whose name is one of `names`
// (malformed pairs included: a session must not slip through by being malformed), every other
// pair byte for byte, rejoined with ';'. Returns false, leaving `out` untouched, when nothing
// was removed, so the caller forwards the header as it came. An empty `out` means no cookie is
// left: drop the field.
bool remove_cookies(std::string_view header, std::span<const std::string> names, std::string& out);

}  // namespace gatehouse::session
