#include "authn/extract.h"

#include <algorithm>
#include <array>

namespace gatehouse::authn::detail {
namespace {

// RFC 4648 section 5 plus the dot: what a compact JWS is made of. A table: find_first_not_of
// with the set runs memchr once per character of a ~1 KiB token, seven times slower.
constexpr auto kIsJwtCharacter = [] {
  std::array<bool, 256> table{};
  for (char c :
       std::string_view("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_."))
    table[static_cast<unsigned char>(c)] = true;
  return table;
}();

bool is_jwt_character(char c) { return kIsJwtCharacter[static_cast<unsigned char>(c)]; }

// Where the run of JWT characters from `start` ends. Whole blocks first, without a branch per
// character (a fifth faster): the bearer token is scanned on every request, cache hit or not.
std::size_t jwt_run_end(std::string_view value, std::size_t start) {
  constexpr std::size_t kBlock = 16;
  std::size_t at = start;
  for (; at + kBlock <= value.size(); at += kBlock) {
    bool all = true;
    for (std::size_t i = 0; i < kBlock; ++i) all &= is_jwt_character(value[at + i]);
    if (!all) break;
  }
  while (at < value.size() && is_jwt_character(value[at])) ++at;
  return at;
}

// Envoy's extractJWT: the first run of JWT characters at or after `from`, so
// "Bearer <jwt> trailing" yields <jwt>; the whole value when there is no such character.
std::string_view jwt_after(std::string_view value, std::size_t from) {
  const auto begin = std::find_if(value.begin() + from, value.end(), is_jwt_character);
  if (begin == value.end()) return value;
  const std::size_t start = begin - value.begin();
  return value.substr(start, jwt_run_end(value, start) - start);
}

int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Envoy's PercentEncoding::decode, one byte at a time into `put`: "%XY" with two hex digits is
// that byte, anything else (a lone '%', '+') stays as it is.
template <typename Put>
void percent_decode(std::string_view text, Put&& put) {
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '%' && i + 2 < text.size() && hex_digit(text[i + 1]) >= 0 &&
        hex_digit(text[i + 2]) >= 0) {
      put(static_cast<char>(hex_digit(text[i + 1]) * 16 + hex_digit(text[i + 2])));
      i += 2;
    } else {
      put(text[i]);
    }
  }
}

// Whether `encoded` %-decodes to `plain`, without building the decoded text.
bool decodes_to(std::string_view encoded, std::string_view plain) {
  std::size_t at = 0;
  bool same = true;
  percent_decode(encoded, [&](char c) {
    same = same && at < plain.size() && plain[at] == c;
    ++at;
  });
  return same && at == plain.size();
}

// Calls `visit` with each `separator`-separated piece of `text` until it returns true.
template <typename Visit>
void for_each_piece(std::string_view text, char separator, Visit&& visit) {
  while (true) {
    const std::size_t end = text.find(separator);
    if (visit(text.substr(0, end)) || end == std::string_view::npos) return;
    text.remove_prefix(end + 1);
  }
}

void extract_header(const HeaderLocation& location, const http1::Fields& headers, Tokens& out) {
  Token token;
  token.header = location.name;
  bool found = false;
  // Envoy joins repeated fields with ',' and extracts once from the result.
  for (const http1::Field& field : headers.all()) {
    if (!iequals(field.name, location.name)) continue;
    if (!found) {
      token.view = field.value;
      found = true;
      continue;
    }
    if (!token.is_owned) token.owned.assign(token.view);
    token.is_owned = true;
    token.owned += ',';
    token.owned += field.value;
  }
  if (!found) return;
  if (!location.prefix.empty()) {
    const std::string_view value = token.text();
    const std::size_t at = value.find(location.prefix);
    if (at == std::string_view::npos) return;
    const std::string_view jwt = jwt_after(value, at + location.prefix.size());
    if (token.is_owned) {
      token.owned = std::string(jwt);
    } else {
      token.view = jwt;
    }
  }
  out.push_back(std::move(token));
}

void extract_param(std::string_view name, std::string_view query, Tokens& out) {
  for_each_piece(query, '&', [&](std::string_view piece) {
    const std::size_t equals = piece.find('=');
    if (piece.empty() || !decodes_to(piece.substr(0, equals), name)) return false;
    // A parameter without '=' has an empty value, which is still a (malformed) token.
    const std::string_view value =
        equals == std::string_view::npos ? std::string_view() : piece.substr(equals + 1);
    Token token;
    if (value.find('%') == std::string_view::npos) {
      token.view = value;
    } else {
      token.is_owned = true;
      percent_decode(value, [&](char c) { token.owned += c; });
    }
    out.push_back(std::move(token));
    return true;
  });
}

// Envoy's parseCookies: pieces split on ';' of every Cookie field, leading spaces dropped
// from the name, a piece without '=' skipped, a value in double quotes unquoted.
void extract_cookie(std::string_view name, const http1::Fields& headers, Tokens& out) {
  bool found = false;
  for (const http1::Field& field : headers.all()) {
    if (found) return;
    if (!iequals(field.name, "cookie")) continue;
    for_each_piece(field.value, ';', [&](std::string_view piece) {
      const std::size_t equals = piece.find('=');
      if (equals == std::string_view::npos) return false;
      const std::size_t start = piece.find_first_not_of(' ');
      if (piece.substr(start, equals - start) != name) return false;
      std::string_view value = piece.substr(equals + 1);
      if (value.size() >= 2 && value.front() == '"' && value.back() == '"')
        value = value.substr(1, value.size() - 2);
      Token token;
      token.view = value;
      out.push_back(std::move(token));
      found = true;
      return true;
    });
  }
}

}  // namespace

void extract_tokens(const Provider& provider, const http1::Fields& headers, std::string_view query,
                    Tokens& out) {
  for (const HeaderLocation& location : provider.from_headers)
    extract_header(location, headers, out);
  if (!query.empty())
    for (const std::string& name : provider.from_params) extract_param(name, query, out);
  for (const std::string& name : provider.from_cookies) extract_cookie(name, headers, out);
}

}  // namespace gatehouse::authn::detail
