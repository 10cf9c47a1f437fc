// Istio StringMatch compiled once (RE2 built at load time) and the seam through which route
// conditions on JWT claims (`@request.auth.claims...` keys) reach the verified token.
// Thread-safety: a compiled ValueMatcher is immutable and safe to share between threads.
#pragma once

#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <variant>

#include "config/resources.h"

namespace re2 {
class RE2;
}

namespace gatehouse::mesh {

// Exact and prefix matches are case-sensitive except for `uri` with `ignoreUriCase`.
enum class LetterCase { Sensitive, Insensitive };

class ValueMatcher {
 public:
  enum class Kind { Exact, Prefix, Regex, Present };

  // `{}` and regex "*" become Present, as Istio turns them into presence checks. A regex is
  // an RE2 full match. Returns the RE2 error text for a regex that does not compile.
  // `letter_case` applies to exact and prefix only.
  static std::variant<ValueMatcher, std::string> compile(
      const config::StringMatch& match, LetterCase letter_case = LetterCase::Sensitive);

  ValueMatcher(ValueMatcher&&) noexcept;
  ValueMatcher& operator=(ValueMatcher&&) noexcept;
  ~ValueMatcher();

  // Whether a value that is present satisfies the match (Present: always true).
  bool matches(std::string_view value) const;
  Kind kind() const { return kind_; }
  const std::string& value() const { return value_; }

 private:
  ValueMatcher(Kind kind, std::string value, LetterCase letter_case,
               std::unique_ptr<const re2::RE2> regex);

  Kind kind_;
  std::string value_;
  LetterCase letter_case_;
  std::unique_ptr<const re2::RE2> regex_;  // Regex only
};

// Implemented by the JWT stage once a token is verified. A route condition on
// `@request.auth.claims.a.b` (or `[a][b]`) asks for path {"a","b"}; the claim satisfies
// `match` when it is a string the matcher accepts, or a list with such a string element
// (Istio's claim semantics). Without a ClaimSource claim conditions never hold, and
// `withoutHeaders` claim conditions always do.
class ClaimSource {
 public:
  virtual bool claim_matches(std::span<const std::string> path,
                             const ValueMatcher& match) const = 0;

 protected:
  ~ClaimSource() = default;
};

}  // namespace gatehouse::mesh
