// ALB's success-code matcher (`Matcher.HttpCode`): one code "200", a list "200,202", or a
// range "200-299"; codes 200-499. Pure.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace gatehouse::health {

class Matcher {
 public:
  // `text` as the target group gives it; nullopt with `error` set when it is not a valid
  // matcher (the config loader refuses those first, with the same rules).
  static std::optional<Matcher> parse(std::string_view text, std::string* error = nullptr);

  bool matches(unsigned status) const;
  // As configured, for the admin page.
  const std::string& text() const { return text_; }

 private:
  std::string text_;
  std::vector<std::pair<unsigned, unsigned>> ranges_;  // inclusive
};

}  // namespace gatehouse::health
