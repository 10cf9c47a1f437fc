#include "mesh/value_matcher.h"

#include <re2/re2.h>

#include "mesh/hostnames.h"
#include "request/request_view.h"

namespace gatehouse::mesh {

std::variant<ValueMatcher, std::string> ValueMatcher::compile(const config::StringMatch& match,
                                                              LetterCase letter_case) {
  switch (match.kind) {
    case config::StringMatch::Kind::Exact:
      return ValueMatcher(Kind::Exact, match.value, letter_case, nullptr);
    case config::StringMatch::Kind::Prefix:
      return ValueMatcher(Kind::Prefix, match.value, letter_case, nullptr);
    case config::StringMatch::Kind::Present:
      return ValueMatcher(Kind::Present, "", letter_case, nullptr);
    case config::StringMatch::Kind::Regex: {
      // Istio (PR 20629): "*" is not RE2; it means "present".
      if (match.value == "*") return ValueMatcher(Kind::Present, "", letter_case, nullptr);
      RE2::Options options;
      options.set_log_errors(false);
      auto regex = std::make_unique<const RE2>(match.value, options);
      if (!regex->ok()) return "invalid regex \"" + match.value + "\": " + regex->error();
      return ValueMatcher(Kind::Regex, match.value, letter_case, std::move(regex));
    }
  }
  return "unknown string match kind";
}

ValueMatcher::ValueMatcher(Kind kind, std::string value, LetterCase letter_case,
                           std::unique_ptr<const re2::RE2> regex)
    : kind_(kind), value_(std::move(value)), letter_case_(letter_case), regex_(std::move(regex)) {}

ValueMatcher::ValueMatcher(ValueMatcher&&) noexcept = default;
ValueMatcher& ValueMatcher::operator=(ValueMatcher&&) noexcept = default;
ValueMatcher::~ValueMatcher() = default;

bool ValueMatcher::matches(std::string_view value) const {
  switch (kind_) {
    case Kind::Exact:
      return letter_case_ == LetterCase::Sensitive ? value == value_ : iequals(value, value_);
    case Kind::Prefix:
      return letter_case_ == LetterCase::Sensitive ? value.starts_with(value_)
                                                   : istarts_with(value, value_);
    case Kind::Regex:
      return RE2::FullMatch(value, *regex_);
    case Kind::Present:
      return true;
  }
  return false;
}

}  // namespace gatehouse::mesh
