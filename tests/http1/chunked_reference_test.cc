// BodyReader against a chunked decoder written here from RFC 9112 section 7.1 (plus the
// reader's documented limits): whole-message and string-based, sharing nothing with the
// reader's byte-at-a-time state machine, so the two fail independently. Both decode
// randomized valid encodings and one-byte mutations of them, and must agree on every one.
#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cstdint>
#include <optional>
#include <random>
#include <string>
#include <string_view>

#include "body_test_support.h"
#include "http1/body.h"

namespace gatehouse::http1 {
namespace {

constexpr std::size_t kMaxLine = 4096;       // a chunk-size line, CRLF included
constexpr std::size_t kMaxTrailers = 65536;  // the trailer section, final CRLF included
constexpr std::size_t kMaxSizeDigits = 15;

bool has_control(std::string_view text) {
  return std::any_of(text.begin(), text.end(), [](char c) {
    const auto u = static_cast<unsigned char>(c);
    return (u < 0x20 && u != '\t') || u == 0x7f;
  });
}

struct Reference {
  std::string data;
  std::size_t length = 0;  // bytes of the chunked message
};

// The message at the front of `in`, or nullopt when it is invalid or incomplete.
std::optional<Reference> reference_decode(std::string_view in) {
  Reference out;
  std::size_t pos = 0;
  const auto next_line = [&](std::size_t limit) -> std::optional<std::string_view> {
    const std::size_t eol = in.find("\r\n", pos);
    if (eol == std::string_view::npos || eol + 2 - pos > limit) return std::nullopt;
    const std::string_view line = in.substr(pos, eol - pos);
    pos = eol + 2;
    return line;
  };
  for (;;) {
    const std::optional<std::string_view> line = next_line(kMaxLine);
    if (!line) return std::nullopt;
    const std::size_t digits =
        std::min(line->find_first_not_of("0123456789abcdefABCDEF"), line->size());
    if (digits == 0 || digits > kMaxSizeDigits) return std::nullopt;
    // chunk-ext = *( BWS ";" ... ): whitespace only before a ';', then no controls.
    const std::string_view ext = line->substr(digits);
    const std::size_t semicolon = ext.find_first_not_of(" \t");
    if (!ext.empty() &&
        (semicolon == std::string_view::npos || ext[semicolon] != ';' || has_control(ext)))
      return std::nullopt;
    uint64_t size = 0;
    std::from_chars(line->data(), line->data() + digits, size, 16);
    if (size == 0) break;
    if (in.size() - pos < size + 2 || in.substr(pos + size, 2) != "\r\n") return std::nullopt;
    out.data.append(in.substr(pos, size));
    pos += size + 2;
  }
  const std::size_t trailers = pos;
  for (;;) {
    const std::optional<std::string_view> line = next_line(kMaxTrailers);
    if (!line || pos - trailers > kMaxTrailers) return std::nullopt;
    if (line->empty()) break;
    if (line->front() == ' ' || line->front() == '\t' || has_control(*line)) return std::nullopt;
  }
  out.length = pos;
  return out;
}

std::size_t pick(std::mt19937& rng, std::size_t below) {
  return std::uniform_int_distribution<std::size_t>(0, below - 1)(rng);
}

// A chunk-size line for `size`: hex in mixed case, maybe zero-padded, maybe extensions.
std::string size_line(std::mt19937& rng, std::size_t size) {
  char hex[16];
  std::string line(std::to_chars(hex, hex + sizeof(hex), size, 16).ptr - hex, '0');
  std::copy(hex, hex + line.size(), line.begin());
  for (char& c : line)
    if (pick(rng, 2) == 0) c = static_cast<char>(std::toupper(c));
  line.insert(0, pick(rng, kMaxSizeDigits - line.size() + 1) * pick(rng, 2), '0');
  static constexpr std::string_view kExtensions[] = {";a", " ;a=1", "\t; a = \"q s\"", ";x;y=z"};
  if (pick(rng, 3) == 0) line += kExtensions[pick(rng, std::size(kExtensions))];
  return line + "\r\n";
}

struct Encoding {
  std::string body;
  std::string bytes;
};

Encoding random_encoding(std::mt19937& rng) {
  Encoding e;
  e.body.resize(pick(rng, 200));
  for (char& c : e.body) c = static_cast<char>(pick(rng, 256));
  for (std::size_t at = 0; at < e.body.size();) {
    const std::size_t size = std::min(1 + pick(rng, 64), e.body.size() - at);
    e.bytes += size_line(rng, size) + e.body.substr(at, size) + "\r\n";
    at += size;
  }
  e.bytes += size_line(rng, 0);
  for (std::size_t n = pick(rng, 3); n > 0; --n)
    e.bytes += "X-Trailer: v" + std::to_string(n) + "\r\n";
  e.bytes += "\r\n";
  return e;
}

// `bytes` with one byte replaced, inserted or deleted, drawn from the framing alphabet.
std::string mutate(std::mt19937& rng, std::string bytes) {
  using namespace std::string_view_literals;
  static constexpr std::string_view kAlphabet = "0aF;= \t\r\n\0\x01\x7f\x80\"gX:"sv;
  const std::size_t at = pick(rng, bytes.size());
  const char c = kAlphabet[pick(rng, kAlphabet.size())];
  switch (pick(rng, 3)) {
    case 0:
      bytes[at] = c;
      break;
    case 1:
      bytes.insert(at, 1, c);
      break;
    default:
      bytes.erase(at, 1);
  }
  return bytes;
}

TEST(ChunkedReference, RandomEncodingsDecodeToTheirBody) {
  std::mt19937 rng(20240601);
  for (int i = 0; i < 300; ++i) {
    const Encoding e = random_encoding(rng);
    SCOPED_TRACE(e.bytes);
    // The reference agrees with the generator, so it can judge the mutations below.
    const std::optional<Reference> ref = reference_decode(e.bytes + "NEXT");
    ASSERT_TRUE(ref);
    EXPECT_EQ(ref->data, e.body);
    EXPECT_EQ(ref->length, e.bytes.size());
    const Decoded d = decode_chunked(e.bytes + "NEXT", random_slices(i));
    EXPECT_TRUE(d.done);
    EXPECT_EQ(d.consumed, e.bytes.size());
    EXPECT_EQ(d.data, e.body);
  }
}

TEST(ChunkedReference, MutatedEncodingsAreJudgedAlike) {
  std::mt19937 rng(7);
  int accepted = 0, refused = 0;
  for (int i = 0; i < 300; ++i) {
    const Encoding e = random_encoding(rng);
    for (int m = 0; m < 8; ++m) {
      const std::string bytes = mutate(rng, e.bytes);
      SCOPED_TRACE(bytes);
      const std::optional<Reference> ref = reference_decode(bytes);
      const Decoded d = decode_chunked(bytes, random_slices(i * 8 + m));
      ASSERT_EQ(d.done, ref.has_value());
      if (ref) {
        EXPECT_EQ(d.data, ref->data);
        EXPECT_EQ(d.consumed, ref->length);
      }
      ++(ref ? accepted : refused);
    }
  }
  // Both outcomes must be common, or the comparison proves little.
  EXPECT_GT(accepted, 300);
  EXPECT_GT(refused, 300);
}

TEST(ChunkedReference, EveryPrefixOfARandomEncodingIsIncomplete) {
  std::mt19937 rng(99);
  for (int i = 0; i < 40; ++i) {
    const Encoding e = random_encoding(rng);
    for (std::size_t n = 0; n < e.bytes.size(); ++n) {
      const Decoded d = decode_chunked(std::string_view(e.bytes).substr(0, n), random_slices(n));
      ASSERT_FALSE(d.error) << "prefix " << n << " of " << e.bytes;
      ASSERT_FALSE(d.done) << "prefix " << n << " of " << e.bytes;
    }
  }
}

}  // namespace
}  // namespace gatehouse::http1
