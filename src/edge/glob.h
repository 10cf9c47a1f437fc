// ALB wildcard patterns (`*` = any run of characters, `?` = exactly one), compiled once
// and matched in time linear in the input: no recursion, no backtracking.
// Thread-safety: a compiled Glob is immutable; matches() may run on any number of threads.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace gatehouse::edge {

enum class GlobCase { Sensitive, Insensitive };

class Glob {
 public:
  // ALB caps path-pattern and host-header values at 128 characters; the matcher's state
  // is sized for that.
  static constexpr std::size_t kMaxPatternLength = 128;

  // nullopt when `pattern` is longer than kMaxPatternLength. Insensitive folds ASCII only.
  static std::optional<Glob> compile(std::string_view pattern, GlobCase letter_case);

  // True when the whole of `text` matches (the pattern is anchored at both ends).
  // O(text.size()) for patterns of bounded length, whatever the pattern.
  bool matches(std::string_view text) const;

 private:
  // A run of literal characters and `?` between two `*`.
  struct Segment {
    std::string chars;  // lower-cased when insensitive
    // Shift-And tables, one bit per segment position, only for segments that must be
    // searched for (the ones between two `*`): masks[c * words + w].
    std::vector<uint64_t> masks;
    std::size_t words = 0;
  };

  Glob() = default;
  bool segment_at(const Segment& segment, std::string_view text, std::size_t pos) const;
  // Leftmost start of `segment` in text[from, to), or npos.
  std::size_t find(const Segment& segment, std::string_view text, std::size_t from,
                   std::size_t to) const;

  GlobCase case_ = GlobCase::Sensitive;
  bool has_star_ = false;
  Segment prefix_;                // before the first `*` (the whole pattern without `*`)
  Segment suffix_;                // after the last `*`
  std::vector<Segment> middles_;  // between stars, in order
};

}  // namespace gatehouse::edge
