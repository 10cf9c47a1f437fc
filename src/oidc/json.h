// Internal to oidc: reading the IdP's JSON answers with Boost.JSON's non-throwing API, so a
// hostile body becomes a Status, never an exception.
#pragma once

#include <boost/json/object.hpp>
#include <cstddef>
#include <string>
#include <string_view>

namespace gatehouse::oidc::detail {

// Nesting deeper than this is refused: userinfo claims are a flat object with a few arrays.
inline constexpr std::size_t kMaxJsonDepth = 32;

// Parses `text` as one JSON object (strict RFC 8259, valid UTF-8; a duplicate member keeps the
// last value). False for anything else, including nesting beyond kMaxJsonDepth.
[[nodiscard]] bool parse_object(std::string_view text, boost::json::object& out);

// True for RFC 6749 appendix A's VSCHAR text (%x20-7E) that does not start or end with a space:
// what access tokens, refresh tokens and error codes are made of, and safe in a header value.
bool is_vschar_text(std::string_view text);

// An error code from the IdP (a callback's `error`, a token response's "error") as gatehouse
// logs it: RFC 6749's characters (%x20-21 / %x23-5B / %x5D-7E) only, others dropped, at most
// kMaxIdpErrorBytes.
inline constexpr std::size_t kMaxIdpErrorBytes = 64;
std::string idp_error_code(std::string_view error);

}  // namespace gatehouse::oidc::detail
