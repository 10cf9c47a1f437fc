#include "session/cookies.h"

#include <algorithm>
#include <array>
#include <cstdint>

namespace gatehouse::session {
namespace {

bool is_blank(char c) { return c == ' ' || c == '\t'; }

std::string_view trim_blanks(std::string_view text) {
  while (!text.empty() && is_blank(text.front())) text.remove_prefix(1);
  while (!text.empty() && is_blank(text.back())) text.remove_suffix(1);
  return text;
}

// Byte classes as tables: every byte of every session cookie goes through them per request.
enum ByteClass : std::uint8_t { kTokenChar = 1, kCookieOctet = 2 };

constexpr std::array<std::uint8_t, 256> make_byte_classes() {
  std::array<std::uint8_t, 256> classes{};
  constexpr std::string_view kTokenPunctuation = "!#$%&'*+-.^_`|~";
  for (int c = 0; c < 256; ++c) {
    if ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
        kTokenPunctuation.find(static_cast<char>(c)) != std::string_view::npos)
      classes[c] |= kTokenChar;
    // RFC 6265 cookie-octet: printable US-ASCII except space, '"', ',', ';' and '\'.
    if (c == 0x21 || (c >= 0x23 && c <= 0x2B) || (c >= 0x2D && c <= 0x3A) ||
        (c >= 0x3C && c <= 0x5B) || (c >= 0x5D && c <= 0x7E))
      classes[c] |= kCookieOctet;
  }
  return classes;
}
constexpr std::array<std::uint8_t, 256> kByteClasses = make_byte_classes();

// No early exit: valid values, the common case, are read to the end anyway, and without the
// branch the loop over a 4000-byte shard is measurably faster (bench/session_bench.cc).
bool all_of_class(std::string_view text, ByteClass byte_class) {
  std::uint8_t common = byte_class;
  for (char c : text) common &= kByteClasses[static_cast<unsigned char>(c)];
  return common != 0;
}

// Calls visit(piece) for every ';'-separated piece of `header`, untrimmed, until it returns
// false.
template <typename Visit>
void for_each_piece(std::string_view header, Visit visit) {
  for (std::size_t start = 0;;) {
    const std::size_t end = header.find(';', start);
    if (!visit(header.substr(start, end - start)) || end == std::string_view::npos) return;
    start = end + 1;
  }
}

// What a piece would be named: the text before its '=' (all of it without one), trimmed.
std::string_view piece_name(std::string_view piece) {
  return trim_blanks(piece.substr(0, piece.find('=')));
}

std::optional<Cookie> parse_pair(std::string_view pair) {
  const std::size_t equals = pair.find('=');
  if (equals == std::string_view::npos) return std::nullopt;
  const std::string_view name = trim_blanks(pair.substr(0, equals));
  std::string_view value = trim_blanks(pair.substr(equals + 1));
  if (!is_cookie_name(name)) return std::nullopt;
  if (value.size() >= 2 && value.front() == '"' && value.back() == '"')
    value = value.substr(1, value.size() - 2);
  if (!all_of_class(value, kCookieOctet)) return std::nullopt;
  return Cookie{name, value};
}

bool is_named_in(std::string_view piece, std::span<const std::string> names) {
  const std::string_view name = piece_name(piece);
  return std::find(names.begin(), names.end(), name) != names.end();
}

}  // namespace

bool is_cookie_name(std::string_view name) {
  return !name.empty() && all_of_class(name, kTokenChar);
}

Status parse_cookie_header(std::string_view header, std::vector<Cookie>& cookies) {
  if (header.size() > kMaxCookieHeaderBytes) return Status::CookieHeaderTooLarge;
  const std::size_t size_before = cookies.size();
  Status status = Status::Ok;
  for_each_piece(header, [&](std::string_view piece) {
    const std::string_view pair = trim_blanks(piece);
    // The '=' is not part of the browsers' per-cookie budget.
    if (pair.size() > kMaxCookieBytes + 1) {
      status = Status::CookieHeaderTooLarge;
      return false;
    }
    const std::optional<Cookie> cookie = parse_pair(pair);
    if (!cookie) return true;
    if (cookies.size() == kMaxCookies) {
      status = Status::CookieHeaderTooManyCookies;
      return false;
    }
    cookies.push_back(*cookie);
    return true;
  });
  if (status != Status::Ok) cookies.resize(size_before);
  return status;
}

std::optional<std::string_view> find_cookie(std::span<const Cookie> cookies,
                                            std::string_view name) {
  for (const Cookie& cookie : cookies)
    if (cookie.name == name) return cookie.value;
  return std::nullopt;
}

bool remove_cookies(std::string_view header, std::span<const std::string> names, std::string& out) {
  bool any_named = false;
  for_each_piece(header, [&](std::string_view piece) {
    any_named = is_named_in(piece, names);
    return !any_named;
  });
  if (!any_named) return false;

  out.clear();
  bool first_kept = true;
  for_each_piece(header, [&](std::string_view piece) {
    if (is_named_in(piece, names)) return true;
    if (!first_kept) out += ';';
    first_kept = false;
    out += piece;
    return true;
  });
  // The removed pairs may have been the ones without blanks around them.
  while (!out.empty() && is_blank(out.back())) out.pop_back();
  out.erase(0, std::min(out.find_first_not_of(" \t"), out.size()));
  return true;
}

}  // namespace gatehouse::session
