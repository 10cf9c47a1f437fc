#include "config/duration.h"

#include <array>
#include <cstdint>
#include <limits>

namespace gatehouse::config {
namespace {

struct Unit {
  std::string_view name;
  int64_t nanoseconds;
};

// Longest names first so "ms" is not read as "m" followed by garbage.
constexpr std::array<Unit, 8> kUnits{{{"ns", 1},
                                      {"us", 1'000},
                                      {"\xc2\xb5s", 1'000},  // µs, MICRO SIGN
                                      {"\xce\xbcs", 1'000},  // μs, GREEK SMALL LETTER MU
                                      {"ms", 1'000'000},
                                      {"s", 1'000'000'000},
                                      {"m", 60'000'000'000},
                                      {"h", 3'600'000'000'000}}};

constexpr int64_t kMax = std::numeric_limits<int64_t>::max();

bool is_digit(char c) { return c >= '0' && c <= '9'; }

}  // namespace

std::variant<std::chrono::nanoseconds, std::string> parse_duration(std::string_view text) {
  const std::string expected = "expected a duration such as \"10s\", \"500ms\" or \"1m30s\"";
  if (text.empty()) return expected;
  int64_t total = 0;
  std::size_t pos = 0;
  while (pos < text.size()) {
    // Integer part, then an optional fraction; at least one digit overall.
    int64_t whole = 0;
    std::size_t digits = 0;
    bool overflow = false;
    while (pos < text.size() && is_digit(text[pos])) {
      int digit = text[pos++] - '0';
      if (whole > (kMax - digit) / 10) overflow = true;
      if (!overflow) whole = whole * 10 + digit;
      ++digits;
    }
    // Fraction digits beyond nanosecond precision cannot change the result.
    int64_t fraction = 0, scale = 1;
    if (pos < text.size() && text[pos] == '.') {
      ++pos;
      while (pos < text.size() && is_digit(text[pos])) {
        if (scale < 1'000'000'000'000'000'000) {
          fraction = fraction * 10 + (text[pos] - '0');
          scale *= 10;
        }
        ++pos;
        ++digits;
      }
    }
    if (digits == 0) return expected;
    const Unit* unit = nullptr;
    for (const Unit& candidate : kUnits) {
      if (text.substr(pos).starts_with(candidate.name)) {
        unit = &candidate;
        break;
      }
    }
    if (unit == nullptr) return expected + " (missing or unknown unit)";
    pos += unit->name.size();
    if (overflow || whole > (kMax - total) / unit->nanoseconds) return "duration is too large";
    int64_t part = whole * unit->nanoseconds;
    // fraction / scale of a unit, computed without overflow: unit <= 3.6e12, scale <= 1e18.
    auto fractional = static_cast<int64_t>(static_cast<long double>(fraction) * unit->nanoseconds /
                                           static_cast<long double>(scale));
    if (part > kMax - total - fractional) return "duration is too large";
    total += part + fractional;
  }
  return std::chrono::nanoseconds(total);
}

}  // namespace gatehouse::config
