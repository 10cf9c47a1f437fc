#include "health/matcher.h"

namespace gatehouse::health {
namespace {

constexpr unsigned kLowest = 200, kHighest = 499;

std::optional<unsigned> code_of(std::string_view text) {
  if (text.size() != 3) return std::nullopt;
  unsigned code = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
    code = code * 10 + static_cast<unsigned>(c - '0');
  }
  return code;
}

}  // namespace

std::optional<Matcher> Matcher::parse(std::string_view text, std::string* error) {
  auto fail = [error](std::string why) -> std::optional<Matcher> {
    if (error) *error = std::move(why);
    return std::nullopt;
  };
  Matcher out;
  out.text_ = std::string(text);
  const std::size_t dash = text.find('-');
  if (dash != std::string_view::npos) {
    const auto low = code_of(text.substr(0, dash)), high = code_of(text.substr(dash + 1));
    if (!low || !high) return fail("a range is two three-digit codes: \"200-299\"");
    if (*low > *high) return fail("the range must go from the lower code to the higher");
    out.ranges_.emplace_back(*low, *high);
  } else {
    for (std::size_t start = 0;;) {
      const std::size_t comma = text.find(',', start);
      const auto code = code_of(text.substr(start, comma - start));
      if (!code) return fail("expected codes such as \"200\", \"200,202\" or \"200-299\"");
      out.ranges_.emplace_back(*code, *code);
      if (comma == std::string_view::npos) break;
      start = comma + 1;
    }
  }
  for (const auto& [low, high] : out.ranges_)
    if (low < kLowest || high > kHighest) return fail("codes must be between 200 and 499");
  return out;
}

bool Matcher::matches(unsigned status) const {
  for (const auto& [low, high] : ranges_)
    if (status >= low && status <= high) return true;
  return false;
}

}  // namespace gatehouse::health
