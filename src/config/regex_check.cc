#include "config/regex_check.h"

#include <re2/re2.h>

namespace gatehouse::config {
namespace {

// A refused compile costs about as much as a program that fills kMaxMemory.
constexpr std::size_t kFailedCompileCost = 50'000;

}  // namespace

std::optional<std::string> RegexCheck::check(const std::string& pattern) {
  if (auto known = results_.find(pattern); known != results_.end()) return known->second;
  if (total_program_size_ > kMaxTotalProgramSize) {
    return "the regular expressions of this configuration are too large in total (more than " +
           std::to_string(kMaxTotalProgramSize) + " RE2 instructions)";
  }
  RE2::Options options;
  options.set_log_errors(false);
  options.set_max_mem(static_cast<int64_t>(kMaxMemory));
  RE2 compiled(pattern, options);
  std::optional<std::string> result;
  if (compiled.ok()) {
    total_program_size_ += static_cast<std::size_t>(compiled.ProgramSize());
  } else {
    total_program_size_ += kFailedCompileCost;
    result = compiled.error();
    if (compiled.error_code() == RE2::ErrorPatternTooLarge) {
      *result += " (the compiled program would need more than 1 MiB)";
    } else {
      *result += " (Istio uses RE2 syntax: https://github.com/google/re2/wiki/Syntax)";
    }
  }
  results_.emplace(pattern, result);
  return result;
}

}  // namespace gatehouse::config
