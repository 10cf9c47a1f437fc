#include "httpbin/text_codec.h"

namespace gatehouse::httpbin {
namespace {

bool is_continuation(unsigned char c) { return (c & 0xC0) == 0x80; }
bool is_ascii_letter(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

}  // namespace

Utf8Step next_utf8(std::string_view text) {
  auto byte = [&](std::size_t i) { return static_cast<unsigned char>(text[i]); };
  unsigned char lead = byte(0);
  if (lead < 0x80) return {1, lead, true};
  constexpr Utf8Step kInvalidLead{1, U'\uFFFD', false};
  std::size_t length;
  char32_t code_point;
  // The allowed range of the second byte excludes overlong forms, surrogates and > U+10FFFF.
  unsigned char second_min = 0x80, second_max = 0xBF;
  if (lead >= 0xC2 && lead <= 0xDF) {
    length = 2;
    code_point = lead & 0x1F;
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    length = 3;
    code_point = lead & 0x0F;
    if (lead == 0xE0) second_min = 0xA0;
    if (lead == 0xED) second_max = 0x9F;
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    length = 4;
    code_point = lead & 0x07;
    if (lead == 0xF0) second_min = 0x90;
    if (lead == 0xF4) second_max = 0x8F;
  } else {
    return kInvalidLead;
  }
  for (std::size_t i = 1; i < length; ++i) {
    bool in_range = i < text.size() && (i == 1 ? byte(i) >= second_min && byte(i) <= second_max
                                               : is_continuation(byte(i)));
    if (!in_range) return {i, U'\uFFFD', false};
    code_point = (code_point << 6) | (byte(i) & 0x3F);
  }
  return {length, code_point, true};
}

bool is_valid_utf8(std::string_view text) {
  while (!text.empty()) {
    Utf8Step step = next_utf8(text);
    if (!step.valid) return false;
    text.remove_prefix(step.length);
  }
  return true;
}

std::string replace_invalid_utf8(std::string_view bytes) {
  std::string out;
  out.reserve(bytes.size());
  while (!bytes.empty()) {
    Utf8Step step = next_utf8(bytes);
    out.append(step.valid ? bytes.substr(0, step.length) : std::string_view("\xEF\xBF\xBD"));
    bytes.remove_prefix(step.length);
  }
  return out;
}

std::string latin1_to_utf8(std::string_view bytes) {
  std::string out;
  out.reserve(bytes.size());
  for (unsigned char c : bytes) {
    if (c < 0x80) {
      out.push_back(static_cast<char>(c));
    } else {
      out.push_back(static_cast<char>(0xC0 | (c >> 6)));
      out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
    }
  }
  return out;
}

std::string base64_encode(std::string_view bytes) {
  static constexpr char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  std::size_t i = 0;
  auto at = [&](std::size_t k) { return static_cast<unsigned char>(bytes[k]); };
  for (; i + 3 <= bytes.size(); i += 3) {
    unsigned triple = (at(i) << 16) | (at(i + 1) << 8) | at(i + 2);
    out.push_back(kAlphabet[(triple >> 18) & 63]);
    out.push_back(kAlphabet[(triple >> 12) & 63]);
    out.push_back(kAlphabet[(triple >> 6) & 63]);
    out.push_back(kAlphabet[triple & 63]);
  }
  std::size_t rest = bytes.size() - i;
  if (rest > 0) {
    unsigned triple = (at(i) << 16) | (rest == 2 ? at(i + 1) << 8 : 0);
    out.push_back(kAlphabet[(triple >> 18) & 63]);
    out.push_back(kAlphabet[(triple >> 12) & 63]);
    out.push_back(rest == 2 ? kAlphabet[(triple >> 6) & 63] : '=');
    out.push_back('=');
  }
  return out;
}

std::string title_case_header(std::string_view name) {
  std::string out(name);
  bool after_letter = false;
  for (char& c : out) {
    if (c == '_') c = '-';
    if (is_ascii_letter(c)) {
      bool upper = c <= 'Z';
      if (after_letter && upper) c = static_cast<char>(c + 32);
      if (!after_letter && !upper) c = static_cast<char>(c - 32);
      after_letter = true;
    } else {
      after_letter = false;
    }
  }
  return out;
}

}  // namespace gatehouse::httpbin
