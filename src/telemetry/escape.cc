#include "telemetry/escape.h"

#include <cstdint>

namespace gatehouse::telemetry {
namespace {

constexpr std::string_view kReplacementUtf8 = "\xEF\xBF\xBD";  // U+FFFD

struct Utf8Sequence {
  std::size_t length;  // bytes consumed: the whole sequence, or its maximal invalid subpart
  bool valid;
};

// Decodes the sequence starting at text[pos] (a byte >= 0x80), following the table of
// well-formed sequences in Unicode 15 section 3.9 (no overlongs, surrogates or > U+10FFFF).
Utf8Sequence next_utf8_sequence(std::string_view text, std::size_t pos) {
  const auto byte = [&](std::size_t i) { return static_cast<uint8_t>(text[pos + i]); };
  const uint8_t lead = byte(0);
  std::size_t length = 0;
  uint8_t second_min = 0x80, second_max = 0xBF;
  if (lead >= 0xC2 && lead <= 0xDF) {
    length = 2;
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    length = 3;
    if (lead == 0xE0) second_min = 0xA0;
    if (lead == 0xED) second_max = 0x9F;
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    length = 4;
    if (lead == 0xF0) second_min = 0x90;
    if (lead == 0xF4) second_max = 0x8F;
  } else {
    return {1, false};
  }
  for (std::size_t i = 1; i < length; ++i) {
    if (pos + i >= text.size()) return {i, false};
    const uint8_t min = i == 1 ? second_min : 0x80;
    const uint8_t max = i == 1 ? second_max : 0xBF;
    if (byte(i) < min || byte(i) > max) return {i, false};
  }
  return {length, true};
}

bool json_plain(uint8_t c) { return c >= 0x20 && c < 0x7f && c != '"' && c != '\\'; }

bool prometheus_plain(uint8_t c) { return c < 0x80 && c != '"' && c != '\\' && c != '\n'; }

// Copies runs of bytes that need no escaping in one append, hands every other ASCII
// byte to `escape_ascii`, copies valid UTF-8 and replaces invalid UTF-8 with
// `replacement`.
template <typename Plain, typename EscapeAscii>
void append_escaped(std::string& out, std::string_view text, Plain plain, EscapeAscii escape_ascii,
                    std::string_view replacement) {
  std::size_t pos = 0;
  while (pos < text.size()) {
    std::size_t run = pos;
    while (run < text.size() && plain(static_cast<uint8_t>(text[run]))) ++run;
    out.append(text.substr(pos, run - pos));
    if (run == text.size()) return;
    pos = run;
    const auto c = static_cast<uint8_t>(text[pos]);
    if (c < 0x80) {
      escape_ascii(c);
      ++pos;
      continue;
    }
    const Utf8Sequence sequence = next_utf8_sequence(text, pos);
    out.append(sequence.valid ? text.substr(pos, sequence.length) : replacement);
    pos += sequence.length;
  }
}

}  // namespace

void append_json_string(std::string& out, std::string_view text) {
  static constexpr char kHex[] = "0123456789abcdef";
  out.push_back('"');
  append_escaped(
      out, text, json_plain,
      [&](uint8_t c) {
        switch (c) {
          case '"':
            out.append("\\\"");
            return;
          case '\\':
            out.append("\\\\");
            return;
          case '\b':
            out.append("\\b");
            return;
          case '\f':
            out.append("\\f");
            return;
          case '\n':
            out.append("\\n");
            return;
          case '\r':
            out.append("\\r");
            return;
          case '\t':
            out.append("\\t");
            return;
        }
        const char escaped[] = {'\\', 'u', '0', '0', kHex[c >> 4], kHex[c & 0xf]};
        out.append(escaped, sizeof escaped);
      },
      "\\ufffd");
  out.push_back('"');
}

void append_prometheus_label_value(std::string& out, std::string_view text) {
  append_escaped(
      out, text, prometheus_plain,
      [&](uint8_t c) {
        out.push_back('\\');
        out.push_back(c == '\n' ? 'n' : static_cast<char>(c));
      },
      kReplacementUtf8);
}

}  // namespace gatehouse::telemetry
