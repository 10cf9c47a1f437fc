// Load-time validation of RE2 regular expressions within bounded work: compiling is the
// costliest check in a configuration, so results are cached by pattern (aliases repeat
// them) and the total compiled program size is capped. Internal; one per load() call.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <unordered_map>

namespace gatehouse::config {

class RegexCheck {
 public:
  static constexpr std::size_t kMaxMemory = 1024 * 1024;          // per pattern, for RE2
  static constexpr std::size_t kMaxTotalProgramSize = 2'000'000;  // RE2 instructions, all patterns

  // Why `pattern` is refused, or nullopt when RE2 compiles it. Callers bound its length.
  std::optional<std::string> check(const std::string& pattern);

 private:
  std::unordered_map<std::string, std::optional<std::string>> results_;
  std::size_t total_program_size_ = 0;
};

}  // namespace gatehouse::config
