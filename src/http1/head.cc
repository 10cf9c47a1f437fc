#include "http1/head.h"

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstring>
#include <optional>

namespace gatehouse::http1 {
namespace {

constexpr std::string_view kCrlf = "\r\n";

// Character classes by table: the field loop tests every byte of a head.
enum CharClass : uint8_t { kToken = 1, kValue = 2 };

constexpr std::array<uint8_t, 256> make_char_classes() {
  std::array<uint8_t, 256> table{};
  for (unsigned c = 0; c < 256; ++c) {
    // Field values: visible ASCII, SP, HTAB and obs-text; never CTL or DEL.
    if (c == '\t' || (c >= 0x20 && c != 0x7f)) table[c] |= kValue;
    const bool alnum = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    if (alnum ||
        std::string_view("!#$%&'*+-.^_`|~").find(static_cast<char>(c)) != std::string_view::npos)
      table[c] |= kToken;
  }
  return table;
}
constexpr std::array<uint8_t, 256> kCharClasses = make_char_classes();

bool is_tchar(unsigned char c) { return kCharClasses[c] & kToken; }
bool is_value_char(unsigned char c) { return kCharClasses[c] & kValue; }

HeadResult malformed(std::string_view why) { return {HeadStatus::Malformed, 0, why}; }

// Checks on an incomplete head that fail fast instead of waiting for more bytes: NUL,
// bare LF, and CR not followed by LF. Only bytes from `from` on are new.
HeadResult incomplete(std::string_view bytes, std::size_t from, const Limits& limits,
                      bool request) {
  if (bytes.find('\0', from) != std::string_view::npos) return malformed("NUL in head");
  for (std::size_t at = bytes.find('\n', from); at != std::string_view::npos;
       at = bytes.find('\n', at + 1))
    if (at == 0 || bytes[at - 1] != '\r') return malformed("bare LF");
  for (std::size_t at = bytes.find('\r', from); at != std::string_view::npos;
       at = bytes.find('\r', at + 1))
    if (at + 1 < bytes.size() && bytes[at + 1] != '\n') return malformed("bare CR");
  if (request) {
    // The request line so far: up to its CRLF, else all of it but a final CR (the CRLF's).
    std::size_t line = bytes.find(kCrlf);
    if (line == std::string_view::npos) line = bytes.size() - (bytes.ends_with('\r') ? 1 : 0);
    if (line > limits.max_request_line) return {HeadStatus::UriTooLong};
  }
  if (bytes.size() > limits.max_head) return {HeadStatus::HeadTooLarge};
  return {HeadStatus::NeedMore};
}

// Locates the head: `start` skips leading empty lines, `end` is just past CRLFCRLF.
// `checked` bytes were examined by an earlier call on a prefix of `bytes`, so a head
// arriving a byte at a time costs linear, not quadratic, time.
HeadResult find_head(std::string_view bytes, const Limits& limits, bool request,
                     std::size_t checked, std::size_t& start) {
  start = 0;
  while (bytes.substr(start, 2) == kCrlf) {
    start += 2;
    if (start > limits.max_head) return {HeadStatus::HeadTooLarge};
  }
  const std::string_view rest = bytes.substr(start);
  // Back up over what could be the first bytes of a CRLF or CRLFCRLF split by a read.
  const std::size_t seen = checked > start ? checked - start : 0;
  // A head with no fields ends right after its start line.
  const std::size_t line_end = rest.find(kCrlf);
  std::size_t end = std::string_view::npos;
  if (line_end != std::string_view::npos) {
    if (rest.substr(line_end + 2, 2) == kCrlf)
      end = line_end + 4;
    else if (const std::size_t at =
                 rest.find("\r\n\r\n", std::max(line_end, seen > 3 ? seen - 3 : 0));
             at != std::string_view::npos)
      end = at + 4;
  }
  if (end == std::string_view::npos)
    return incomplete(rest, seen > 0 ? seen - 1 : 0, limits, request);
  if (end > limits.max_head) return {HeadStatus::HeadTooLarge};
  return {HeadStatus::Complete, start + end};
}

// Content-Length: digits, or a list of equal numbers; repeats must agree too.
bool merge_content_length(std::string_view value, bool& seen, uint64_t& length) {
  return for_each_list_item(value, [&](std::string_view item) {
    if (item.empty() || item.size() > 18) return false;
    uint64_t n = 0;
    for (char c : item) {
      if (c < '0' || c > '9') return false;
      n = n * 10 + static_cast<uint64_t>(c - '0');
    }
    if (seen && n != length) return false;
    seen = true;
    length = n;
    return true;
  });
}

// What the fields say about framing and the connection, gathered in the one pass.
struct FieldFacts {
  std::string_view host;
  unsigned hosts = 0;
  bool has_length = false;
  uint64_t length = 0;
  unsigned transfer_encodings = 0;
  std::string_view transfer_encoding;
  bool close = false, keep_alive = false, expect_continue = false;
};

// Parses the field lines of `block` (each ending in CRLF, the final empty line excluded).
HeadResult parse_fields(std::string_view block, const Limits& limits, Fields& fields,
                        FieldFacts& facts) {
  while (!block.empty()) {
    const std::size_t eol = block.find(kCrlf);
    const std::string_view line = block.substr(0, eol);
    block.remove_prefix(eol + 2);
    if (line.front() == ' ' || line.front() == '\t') return malformed("obs-fold");
    std::size_t colon = 0;
    while (colon < line.size() && is_tchar(static_cast<unsigned char>(line[colon]))) ++colon;
    if (colon == 0 || colon == line.size() || line[colon] != ':')
      return malformed("bad field name");
    std::size_t from = colon + 1, to = line.size();
    while (from < to && (line[from] == ' ' || line[from] == '\t')) ++from;
    while (to > from && (line[to - 1] == ' ' || line[to - 1] == '\t')) --to;
    for (std::size_t i = from; i < to; ++i)
      if (!is_value_char(static_cast<unsigned char>(line[i]))) return malformed("bad field value");
    if (fields.size() == limits.max_fields) return {HeadStatus::HeadTooLarge};
    const std::string_view name = line.substr(0, colon), value = line.substr(from, to - from);
    fields.add_view(name, value);
    switch (name.size()) {
      case 4:
        if (iequals(name, "host") && facts.hosts++ == 0) facts.host = value;
        break;
      case 6:
        if (iequals(name, "expect") && iequals(value, "100-continue")) facts.expect_continue = true;
        break;
      case 10:
        if (iequals(name, "connection")) {
          facts.close = facts.close || list_has_token(value, "close");
          facts.keep_alive = facts.keep_alive || list_has_token(value, "keep-alive");
        }
        break;
      case 14:
        if (iequals(name, "content-length") &&
            !merge_content_length(value, facts.has_length, facts.length))
          return malformed("bad Content-Length");
        break;
      case 17:
        if (iequals(name, "transfer-encoding") && facts.transfer_encodings++ == 0)
          facts.transfer_encoding = value;
        break;
      default:
        break;
    }
  }
  return {HeadStatus::Complete};
}

// "HTTP/1.1" or "HTTP/1.0"; 0 for anything else.
unsigned parse_version(std::string_view text) {
  if (text == "HTTP/1.1") return 11;
  if (text == "HTTP/1.0") return 10;
  return 0;
}

// RFC 3986 authority characters (reg-name or IP literal, then an optional port).
bool is_valid_host(std::string_view host) {
  for (char c : host) {
    const auto u = static_cast<unsigned char>(c);
    if (is_tchar(u) && c != '^' && c != '`' && c != '|' && c != '#') continue;
    if (std::strchr("()*,;=:[]", c) != nullptr && c != 0) continue;
    return false;
  }
  return true;
}

// The authority of an absolute-form target ("http://host:port/path"), which RFC 9112
// section 3.2.2 says replaces the Host field; nullopt for the other forms.
std::optional<std::string_view> absolute_form_authority(std::string_view target) {
  std::size_t scheme_end = target.find("://");
  if (scheme_end == std::string_view::npos || target.front() == '/') return std::nullopt;
  const std::string_view scheme = target.substr(0, scheme_end);
  if (!iequals(scheme, "http") && !iequals(scheme, "https")) return std::nullopt;
  const std::string_view rest = target.substr(scheme_end + 3);
  return rest.substr(0, rest.find_first_of("/?"));
}

bool keep_alive(unsigned version, const FieldFacts& facts) {
  return version == 11 ? !facts.close : facts.keep_alive && !facts.close;
}

}  // namespace

HeadResult find_request_head(std::string_view bytes, const Limits& limits, std::size_t checked) {
  std::size_t start = 0;
  return find_head(bytes, limits, true, checked, start);
}

HeadResult find_response_head(std::string_view bytes, const Limits& limits, std::size_t checked) {
  std::size_t start = 0;
  return find_head(bytes, limits, false, checked, start);
}

HeadResult parse_request(std::string_view bytes, const Limits& limits, RequestHead& out) {
  std::size_t start = 0;
  HeadResult found = find_head(bytes, limits, true, 0, start);
  if (found.status != HeadStatus::Complete) return found;
  const std::string_view head = bytes.substr(start, found.length - start - 2);
  const std::size_t line_end = head.find(kCrlf);
  if (line_end > limits.max_request_line) return {HeadStatus::UriTooLong};
  const std::string_view line = head.substr(0, line_end);

  const std::size_t sp1 = line.find(' ');
  const std::size_t sp2 = sp1 == std::string_view::npos ? sp1 : line.find(' ', sp1 + 1);
  if (sp2 == std::string_view::npos) return malformed("bad request line");
  out.method = line.substr(0, sp1);
  out.target = line.substr(sp1 + 1, sp2 - sp1 - 1);
  out.version = parse_version(line.substr(sp2 + 1));
  if (out.method.empty()) return malformed("bad method");
  for (char c : out.method)
    if (c < 'A' || c > 'Z') return malformed("bad method");
  if (out.target.empty()) return malformed("bad target");
  for (char c : out.target)
    if (static_cast<unsigned char>(c) <= 0x20 || static_cast<unsigned char>(c) >= 0x7f)
      return malformed("bad target");
  if (out.version == 0) return malformed("bad version");

  out.fields.clear();
  FieldFacts facts;
  HeadResult fields = parse_fields(head.substr(line_end + 2), limits, out.fields, facts);
  if (fields.status != HeadStatus::Complete) return fields;

  if (facts.hosts > 1 || (out.version == 11 && facts.hosts == 0)) return malformed("bad Host");
  out.host = facts.host;
  if (const auto authority = absolute_form_authority(out.target)) {
    out.fields.set("Host", *authority);
    out.host = *out.fields.get("Host");
  }
  if (!is_valid_host(out.host)) return malformed("bad Host");
  if (facts.transfer_encodings > 0) {
    if (out.version == 10) return malformed("Transfer-Encoding in HTTP/1.0");
    if (facts.transfer_encodings > 1 || !iequals(facts.transfer_encoding, "chunked"))
      return malformed("unsupported Transfer-Encoding");
    if (facts.has_length) return malformed("both Content-Length and Transfer-Encoding");
  }
  out.framing = facts.transfer_encodings > 0           ? Framing::Chunked
                : facts.has_length && facts.length > 0 ? Framing::ContentLength
                                                       : Framing::None;
  out.content_length = facts.has_length ? facts.length : 0;
  out.keep_alive = keep_alive(out.version, facts);
  out.expect_continue = out.version == 11 && facts.expect_continue;
  return found;
}

HeadResult parse_response(std::string_view bytes, const Limits& limits, bool head_request,
                          ResponseHead& out) {
  std::size_t start = 0;
  HeadResult found = find_head(bytes, limits, false, 0, start);
  if (found.status != HeadStatus::Complete) return found;
  const std::string_view head = bytes.substr(start, found.length - start - 2);
  const std::size_t line_end = head.find(kCrlf);
  const std::string_view line = head.substr(0, line_end);

  // "HTTP/1.1 200 OK"; the reason phrase may be empty, and so may its separating space.
  out.version = parse_version(line.substr(0, 8));
  if (out.version == 0 || line.size() < 12 || line[8] != ' ') return malformed("bad status line");
  out.status = 0;
  for (char c : line.substr(9, 3)) {
    if (c < '0' || c > '9') return malformed("bad status code");
    out.status = out.status * 10 + static_cast<unsigned>(c - '0');
  }
  if (out.status < 100) return malformed("bad status code");
  if (line.size() > 12 && line[12] != ' ') return malformed("bad status line");
  out.reason = line.size() > 13 ? line.substr(13) : std::string_view{};
  for (char c : out.reason)
    if (!is_value_char(static_cast<unsigned char>(c))) return malformed("bad reason phrase");

  out.fields.clear();
  FieldFacts facts;
  HeadResult fields = parse_fields(head.substr(line_end + 2), limits, out.fields, facts);
  if (fields.status != HeadStatus::Complete) return fields;

  out.keep_alive = keep_alive(out.version, facts);
  out.content_length = facts.has_length ? facts.length : 0;
  const bool bodiless = head_request || out.status < 200 || out.status == 204 || out.status == 304;
  if (facts.transfer_encodings > 0 && facts.has_length)
    return malformed("both Content-Length and Transfer-Encoding");
  // RFC 9112 section 6.1: such framing is faulty.
  if (facts.transfer_encodings > 0 && out.version == 10)
    return malformed("Transfer-Encoding in HTTP/1.0");
  if (bodiless) {
    out.framing = Framing::None;
  } else if (facts.transfer_encodings > 0) {
    if (facts.transfer_encodings > 1 || !iequals(facts.transfer_encoding, "chunked"))
      return malformed("unsupported Transfer-Encoding");
    out.framing = Framing::Chunked;
  } else if (facts.has_length) {
    out.framing = facts.length > 0 ? Framing::ContentLength : Framing::None;
  } else {
    out.framing = Framing::UntilClose;
    out.keep_alive = false;
  }
  return found;
}

}  // namespace gatehouse::http1
