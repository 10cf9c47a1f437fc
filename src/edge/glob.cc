#include "edge/glob.h"

#include <array>

namespace gatehouse::edge {
namespace {

constexpr std::size_t kWordBits = 64;
constexpr std::size_t kMaxWords = (Glob::kMaxPatternLength + kWordBits - 1) / kWordBits;

char fold(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

// Fills the Shift-And tables: bit i of masks[c] says "segment position i accepts byte c".
template <typename Segment>  // Glob::Segment, which is private
void build_masks(const Segment& segment, GlobCase letter_case, std::vector<uint64_t>& masks,
                 std::size_t& words) {
  const std::string& chars = segment.chars;
  words = (chars.size() + kWordBits - 1) / kWordBits;
  masks.assign(256 * words, 0);
  auto set = [&](unsigned char c, std::size_t i) {
    masks[c * words + i / kWordBits] |= uint64_t{1} << (i % kWordBits);
  };
  for (std::size_t i = 0; i < chars.size(); ++i) {
    const auto c = static_cast<unsigned char>(chars[i]);
    if (segment.any[i]) {
      for (unsigned every = 0; every < 256; ++every) set(static_cast<unsigned char>(every), i);
    } else {
      set(c, i);
      if (letter_case == GlobCase::Insensitive && c >= 'a' && c <= 'z') set(c - 'a' + 'A', i);
    }
  }
}

}  // namespace

std::optional<Glob> Glob::compile(std::string_view pattern, GlobCase letter_case,
                                  GlobEscapes escapes) {
  if (pattern.size() > kMaxPatternLength) return std::nullopt;
  Glob glob;
  glob.case_ = letter_case;

  std::vector<Segment> pieces(1);
  for (std::size_t i = 0; i < pattern.size(); ++i) {
    char c = pattern[i];
    bool literal = false;
    if (c == '\\' && escapes == GlobEscapes::Backslash) {
      if (i + 1 == pattern.size() ||
          std::string_view("*?\\").find(pattern[i + 1]) == std::string_view::npos)
        return std::nullopt;
      c = pattern[++i];
      literal = true;
    }
    if (c == '*' && !literal) {
      glob.has_star_ = true;
      // Consecutive stars mean the same as one, so empty middle pieces never exist.
      if (pieces.size() == 1 || !pieces.back().chars.empty()) pieces.emplace_back();
      continue;
    }
    Segment& piece = pieces.back();
    const bool any = c == '?' && !literal;
    piece.any[piece.chars.size()] = any;
    piece.has_any = piece.has_any || any;
    piece.chars.push_back(letter_case == GlobCase::Insensitive ? fold(c) : c);
  }
  glob.prefix_ = std::move(pieces.front());
  if (glob.has_star_) {
    glob.suffix_ = std::move(pieces.back());
    for (std::size_t i = 1; i + 1 < pieces.size(); ++i) {
      Middle middle;
      middle.segment = std::move(pieces[i]);
      build_masks(middle.segment, letter_case, middle.masks, middle.words);
      glob.middles_.push_back(std::move(middle));
    }
  }
  return glob;
}

bool Glob::segment_at(const Segment& segment, std::string_view text, std::size_t pos) const {
  if (!segment.has_any && case_ == GlobCase::Sensitive)  // plain bytes: one memcmp
    return text.substr(pos, segment.chars.size()) == segment.chars;
  for (std::size_t i = 0; i < segment.chars.size(); ++i) {
    if (segment.any[i]) continue;
    const char got = case_ == GlobCase::Insensitive ? fold(text[pos + i]) : text[pos + i];
    if (segment.chars[i] != got) return false;
  }
  return true;
}

std::size_t Glob::find(const Middle& middle, std::string_view text, std::size_t from,
                       std::size_t to) const {
  const std::size_t length = middle.segment.chars.size();
  const std::size_t last_word = (length - 1) / kWordBits;
  const uint64_t last_bit = uint64_t{1} << ((length - 1) % kWordBits);
  std::array<uint64_t, kMaxWords> state{};
  for (std::size_t i = from; i < to; ++i) {
    const uint64_t* mask = &middle.masks[static_cast<unsigned char>(text[i]) * middle.words];
    uint64_t carry = 1;  // a match may start at every position
    for (std::size_t w = 0; w < middle.words; ++w) {
      const uint64_t shifted = (state[w] << 1) | carry;
      carry = state[w] >> (kWordBits - 1);
      state[w] = shifted & mask[w];
    }
    if (state[last_word] & last_bit) return i + 1 - length;
  }
  return std::string_view::npos;
}

bool Glob::matches(std::string_view text) const {
  if (!has_star_) return text.size() == prefix_.chars.size() && segment_at(prefix_, text, 0);
  const std::size_t head = prefix_.chars.size();
  const std::size_t tail = suffix_.chars.size();
  if (text.size() < head + tail) return false;
  if (!segment_at(prefix_, text, 0) || !segment_at(suffix_, text, text.size() - tail)) return false;
  // Leftmost placement of each middle segment leaves the most room for the rest, so one
  // forward pass decides the match.
  std::size_t pos = head;
  const std::size_t end = text.size() - tail;
  for (const Middle& middle : middles_) {
    const std::size_t start = find(middle, text, pos, end);
    if (start == std::string_view::npos) return false;
    pos = start + middle.segment.chars.size();
  }
  return true;
}

}  // namespace gatehouse::edge
