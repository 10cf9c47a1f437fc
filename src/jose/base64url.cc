#include "jose/base64url.h"

#include <array>
#include <cstdint>

namespace gatehouse::jose {
namespace {

// Every alphabet value fits in 6 bits, so one test of the high bits catches an invalid character.
constexpr std::uint8_t kInvalid = 0xFF;

// One spelling of base64: its 64 characters and whether texts are padded to whole groups.
struct Spelling {
  std::string_view alphabet;
  bool padded = false;
  std::array<std::uint8_t, 256> values{};  // character -> 6-bit value, or kInvalid
};

constexpr Spelling make_spelling(std::string_view alphabet, bool padded) {
  Spelling spelling{alphabet, padded, {}};
  spelling.values.fill(kInvalid);
  for (std::size_t i = 0; i < alphabet.size(); ++i)
    spelling.values[static_cast<unsigned char>(alphabet[i])] = static_cast<std::uint8_t>(i);
  return spelling;
}

constexpr Spelling kBase64url = make_spelling(
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_", /*padded=*/false);
constexpr Spelling kBase64 = make_spelling(
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/", /*padded=*/true);

// Both directions work on whole 3-byte / 4-character groups written into a pre-sized buffer:
// every part of every token, and every request's session cookie, goes through these loops.
template <const Spelling& spelling>
std::string encode(std::string_view bytes) {
  const std::size_t size =
      spelling.padded ? (bytes.size() + 2) / 3 * 4 : (bytes.size() * 4 + 2) / 3;
  std::string text(size, '=');
  const std::string_view alphabet = spelling.alphabet;
  const auto* in = reinterpret_cast<const std::uint8_t*>(bytes.data());
  char* out = text.data();
  std::size_t i = 0;
  for (; i + 3 <= bytes.size(); i += 3, out += 4) {
    const std::uint32_t group = in[i] << 16 | in[i + 1] << 8 | in[i + 2];
    out[0] = alphabet[group >> 18];
    out[1] = alphabet[(group >> 12) & 0x3F];
    out[2] = alphabet[(group >> 6) & 0x3F];
    out[3] = alphabet[group & 0x3F];
  }
  const std::size_t rest = bytes.size() - i;
  if (rest == 0) return text;
  const std::uint32_t group = in[i] << 16 | (rest == 2 ? in[i + 1] << 8 : 0);
  out[0] = alphabet[group >> 18];
  out[1] = alphabet[(group >> 12) & 0x3F];
  if (rest == 2) out[2] = alphabet[(group >> 6) & 0x3F];
  return text;  // a padded text keeps the '=' it was filled with after the last character
}

template <const Spelling& spelling>
bool decode(std::string_view text, std::string& out) {
  out.clear();
  std::size_t size = text.size();  // without the padding
  if constexpr (spelling.padded) {
    if (size % 4 != 0) return false;
    if (size != 0 && text[size - 1] == '=') size -= text[size - 2] == '=' ? 2 : 1;
  }
  const std::size_t full_groups = size / 4;
  const std::size_t rest = size % 4;  // 0, 2 or 3: a lone last character holds no whole byte
  if (rest == 1) return false;
  out.resize(full_groups * 3 + (rest == 0 ? 0 : rest - 1));
  const auto& values = spelling.values;
  const auto* in = reinterpret_cast<const unsigned char*>(text.data());
  char* bytes = out.data();
  for (std::size_t group = 0; group < full_groups; ++group, in += 4, bytes += 3) {
    const std::uint32_t a = values[in[0]], b = values[in[1]], c = values[in[2]], d = values[in[3]];
    if (((a | b | c | d) & 0xC0) != 0) return false;  // also a '=' before the padding's place
    const std::uint32_t bits = a << 18 | b << 12 | c << 6 | d;
    bytes[0] = static_cast<char>(bits >> 16);
    bytes[1] = static_cast<char>((bits >> 8) & 0xFF);
    bytes[2] = static_cast<char>(bits & 0xFF);
  }
  if (rest == 0) return true;
  const std::uint32_t a = values[in[0]], b = values[in[1]], c = rest == 3 ? values[in[2]] : 0;
  if (((a | b | c) & 0xC0) != 0) return false;
  const std::uint32_t bits = a << 18 | b << 12 | c << 6;
  bytes[0] = static_cast<char>(bits >> 16);
  if (rest == 3) bytes[1] = static_cast<char>((bits >> 8) & 0xFF);
  // The unused low bits must be zero, or a second text would decode to the same bytes.
  return (bits & (rest == 3 ? 0xFF : 0xFFFF)) == 0;
}

}  // namespace

std::string base64url_encode(std::string_view bytes) { return encode<kBase64url>(bytes); }

bool base64url_decode(std::string_view text, std::string& out) {
  return decode<kBase64url>(text, out);
}

std::string base64_encode(std::string_view bytes) { return encode<kBase64>(bytes); }

bool base64_decode(std::string_view text, std::string& out) { return decode<kBase64>(text, out); }

}  // namespace gatehouse::jose
