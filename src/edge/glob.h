// ALB wildcard patterns (`*` = any run of characters, `?` = exactly one), compiled once
// and matched in time linear in the input: no recursion, no backtracking.
// Thread-safety: a compiled Glob is immutable; matches() may run on any number of threads.
#pragma once

#include <bitset>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace gatehouse::edge {

enum class GlobCase { Sensitive, Insensitive };

// How a pattern writes a literal `*` or `?`. ALB knows escapes only in query-string
// values: there `\*`, `\?` and `\\` stand for the character itself.
enum class GlobEscapes { None, Backslash };

class Glob {
 public:
  // ALB caps every condition value at 128 characters; the matcher's state is sized for that.
  static constexpr std::size_t kMaxPatternLength = 128;

  // nullopt when `pattern` is longer than kMaxPatternLength or, with Backslash escapes,
  // when a `\` is not followed by `*`, `?` or `\`. Insensitive folds ASCII only.
  static std::optional<Glob> compile(std::string_view pattern, GlobCase letter_case,
                                     GlobEscapes escapes = GlobEscapes::None);

  // True when the whole of `text` matches (the pattern is anchored at both ends).
  // O(text.size()) for patterns of bounded length, whatever the pattern.
  bool matches(std::string_view text) const;

 private:
  // A run of literal characters and `?` wildcards without a `*`.
  struct Segment {
    std::string chars;                   // lower-cased when insensitive
    std::bitset<kMaxPatternLength> any;  // positions holding an unescaped `?`
    bool has_any = false;                // any.any(), kept for the literal fast path
  };
  // A segment between two `*`, which must be searched for: with Shift-And tables, one bit
  // per segment position, masks[c * words + w].
  struct Middle {
    Segment segment;
    std::vector<uint64_t> masks;
    std::size_t words = 0;
  };

  Glob() = default;
  bool segment_at(const Segment& segment, std::string_view text, std::size_t pos) const;
  // Leftmost start of `segment` in text[from, to), or npos.
  std::size_t find(const Middle& middle, std::string_view text, std::size_t from,
                   std::size_t to) const;

  GlobCase case_ = GlobCase::Sensitive;
  bool has_star_ = false;
  Segment prefix_;               // before the first `*` (the whole pattern without `*`)
  Segment suffix_;               // after the last `*`
  std::vector<Middle> middles_;  // between stars, in order
};

}  // namespace gatehouse::edge
