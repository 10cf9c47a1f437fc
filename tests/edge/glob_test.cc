#include "edge/glob.h"

#include <gtest/gtest.h>

#include <cctype>
#include <chrono>
#include <random>
#include <string>
#include <vector>

namespace gatehouse::edge {
namespace {

bool path_matches(std::string_view pattern, std::string_view text) {
  auto glob = Glob::compile(pattern, GlobCase::Sensitive);
  EXPECT_TRUE(glob.has_value()) << pattern;
  return glob && glob->matches(text);
}

bool host_matches(std::string_view pattern, std::string_view text) {
  auto glob = Glob::compile(pattern, GlobCase::Insensitive);
  EXPECT_TRUE(glob.has_value()) << pattern;
  return glob && glob->matches(text);
}

// Textbook dynamic programming over (pattern, text) prefixes: obviously right, quadratic.
bool reference_matches(std::string_view pattern, std::string_view text) {
  std::vector<std::vector<bool>> m(pattern.size() + 1, std::vector<bool>(text.size() + 1));
  m[0][0] = true;
  for (std::size_t p = 1; p <= pattern.size(); ++p) {
    const char c = pattern[p - 1];
    m[p][0] = c == '*' && m[p - 1][0];
    for (std::size_t t = 1; t <= text.size(); ++t) {
      if (c == '*')
        m[p][t] = m[p - 1][t] || m[p][t - 1];
      else
        m[p][t] = m[p - 1][t - 1] && (c == '?' || c == text[t - 1]);
    }
  }
  return m[pattern.size()][text.size()];
}

TEST(Glob, ExactPatternMatchesOnlyItself) {
  EXPECT_TRUE(path_matches("/status/200", "/status/200"));
  EXPECT_FALSE(path_matches("/status/200", "/status/2000"));
  EXPECT_FALSE(path_matches("/status/200", "/status/20"));
  EXPECT_FALSE(path_matches("/status/200", "/status/200/"));
  EXPECT_FALSE(path_matches("/status/200", ""));
}

TEST(Glob, TrailingStarNeedsTheSlashBeforeIt) {
  EXPECT_TRUE(path_matches("/img/*", "/img/"));
  EXPECT_TRUE(path_matches("/img/*", "/img/a"));
  EXPECT_TRUE(path_matches("/img/*", "/img/a/b"));
  EXPECT_FALSE(path_matches("/img/*", "/img"));
  EXPECT_FALSE(path_matches("/img/*", "/images/a"));
  EXPECT_FALSE(path_matches("/img/*", "/x/img/a"));
}

TEST(Glob, StarMatchesEmptyAndAnything) {
  EXPECT_TRUE(path_matches("*", ""));
  EXPECT_TRUE(path_matches("*", "/any/thing"));
  EXPECT_TRUE(path_matches("**", "/a"));
  EXPECT_TRUE(path_matches("/a*b", "/ab"));
  EXPECT_TRUE(path_matches("/a*b", "/a/x/b"));
  EXPECT_FALSE(path_matches("/a*b", "/a/x/bc"));
}

TEST(Glob, LeadingStarAnchorsTheSuffix) {
  EXPECT_TRUE(path_matches("*.png", "/img/x.png"));
  EXPECT_TRUE(path_matches("*.png", ".png"));
  EXPECT_FALSE(path_matches("*.png", "/img/x.png/more"));
  EXPECT_FALSE(path_matches("*.png", "/img/x.PNG"));
}

TEST(Glob, QuestionMarkIsExactlyOneCharacter) {
  EXPECT_TRUE(path_matches("/v?/users", "/v1/users"));
  EXPECT_FALSE(path_matches("/v?/users", "/v/users"));
  EXPECT_FALSE(path_matches("/v?/users", "/v10/users"));
  EXPECT_TRUE(path_matches("/???", "/abc"));
  EXPECT_FALSE(path_matches("/???", "/ab"));
  EXPECT_TRUE(path_matches("?", "/"));
  EXPECT_FALSE(path_matches("?", ""));
}

TEST(Glob, MiddleSegmentsMatchInOrderWithoutOverlap) {
  EXPECT_TRUE(path_matches("/*/thumb/*", "/a/b/thumb/c"));
  EXPECT_FALSE(path_matches("/*/thumb/*", "/thumb/c"));
  EXPECT_TRUE(path_matches("*ab*ab*", "abab"));
  EXPECT_FALSE(path_matches("*ab*ab*", "aba"));
  EXPECT_FALSE(path_matches("*aba*aba*", "ababa"));  // the two "aba" would share a byte
  EXPECT_TRUE(path_matches("*a?c*", "xxabcxx"));
  EXPECT_FALSE(path_matches("a*bc*c", "abc"));  // prefix, middle and suffix must not overlap
}

TEST(Glob, PathIsCaseSensitive) {
  EXPECT_FALSE(path_matches("/Status/*", "/status/200"));
  EXPECT_FALSE(path_matches("/status/*", "/STATUS/200"));
  EXPECT_FALSE(path_matches("*/A*", "/x/a/y"));
}

TEST(Glob, HostIsCaseInsensitive) {
  EXPECT_TRUE(host_matches("example.com", "EXAMPLE.com"));
  EXPECT_TRUE(host_matches("*.Example.COM", "api.example.com"));
  EXPECT_TRUE(host_matches("*X*.com", "axb.com"));
  EXPECT_TRUE(host_matches("api?.example.com", "APIZ.EXAMPLE.COM"));
  EXPECT_FALSE(host_matches("*.example.com", "example.com"));
  EXPECT_FALSE(host_matches("*.example.com", "api.example.org"));
}

TEST(Glob, InsensitiveFoldsAsciiLettersOnly) {
  EXPECT_FALSE(host_matches("a[b", "A{B"));  // '[' and '{' differ by the same bit as a/A
  EXPECT_FALSE(host_matches("*@*", "x`y"));
}

TEST(Glob, RejectsPatternsLongerThan128) {
  EXPECT_TRUE(Glob::compile(std::string(128, 'a'), GlobCase::Sensitive).has_value());
  EXPECT_FALSE(Glob::compile(std::string(129, 'a'), GlobCase::Sensitive).has_value());
}

TEST(Glob, LongMiddleSegmentSpansTwoWords) {
  const std::string middle = std::string(70, 'a') + "?" + std::string(40, 'b');
  const std::string pattern = "*" + middle + "*";
  std::string text = std::string(200, 'a') + "X" + std::string(40, 'b') + "tail";
  EXPECT_TRUE(path_matches(pattern, text));
  text[200 + 1 + 39] = 'c';  // break the last 'b'
  EXPECT_FALSE(path_matches(pattern, text));
}

TEST(Glob, AgreesWithReferenceOnRandomInputs) {
  std::mt19937 rng(12345);
  const std::string pattern_alphabet = "ab*?";
  const std::string text_alphabet = "abc";
  for (int round = 0; round < 20000; ++round) {
    std::string pattern(rng() % 9, ' ');
    for (char& c : pattern) c = pattern_alphabet[rng() % pattern_alphabet.size()];
    std::string text(rng() % 12, ' ');
    for (char& c : text) c = text_alphabet[rng() % text_alphabet.size()];
    ASSERT_EQ(path_matches(pattern, text), reference_matches(pattern, text))
        << "pattern \"" << pattern << "\" text \"" << text << "\"";
  }
}

TEST(Glob, InsensitiveAgreesWithReferenceOnLowerCasedInputs) {
  std::mt19937 rng(678);
  const std::string pattern_alphabet = "aB*?";
  const std::string text_alphabet = "AbB";
  auto lower = [](std::string s) {
    for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
  };
  for (int round = 0; round < 20000; ++round) {
    std::string pattern(rng() % 9, ' ');
    for (char& c : pattern) c = pattern_alphabet[rng() % pattern_alphabet.size()];
    std::string text(rng() % 12, ' ');
    for (char& c : text) c = text_alphabet[rng() % text_alphabet.size()];
    ASSERT_EQ(host_matches(pattern, text), reference_matches(lower(pattern), lower(text)))
        << "pattern \"" << pattern << "\" text \"" << text << "\"";
  }
}

TEST(Glob, HostilePatternsStayLinear) {
  // A backtracking matcher needs about n^k steps for k stars here; 1 MiB would never end.
  const std::string many_a(1 << 20, 'a');
  const std::vector<std::string> hostile = {
      "*a*a*a*a*b",
      "*a*a*a*a*b*",
      "*" + std::string(100, 'a') + "b*",
      "*" + std::string(60, '?') + "b*",
      "*a?a?a?a?a?a?a?a?a?a?a?a?b*a*",
      "a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*ac",
  };
  const auto start = std::chrono::steady_clock::now();
  for (const auto& pattern : hostile) EXPECT_FALSE(path_matches(pattern, many_a)) << pattern;
  const auto elapsed = std::chrono::steady_clock::now() - start;
  // Linear work is a few milliseconds even under sanitizers; the bound only catches blow-up.
  EXPECT_LT(elapsed, std::chrono::seconds(2));
}

// Query-string values: `\` escapes `*`, `?` and itself; nothing else.
bool query_matches(std::string_view pattern, std::string_view text) {
  auto glob = Glob::compile(pattern, GlobCase::Insensitive, GlobEscapes::Backslash);
  EXPECT_TRUE(glob.has_value()) << pattern;
  return glob && glob->matches(text);
}

struct EscapeCase {
  std::string_view pattern;
  std::string_view text;
  bool matches;
};

constexpr EscapeCase kEscapeCases[] = {
    // Escaped wildcards are literal.
    {R"(a\*b)", "a*b", true},
    {R"(a\*b)", "axb", false},
    {R"(a\*b)", "ab", false},
    {R"(\?)", "?", true},
    {R"(\?)", "x", false},
    {R"(a\\b)", R"(a\b)", true},
    {R"(a\\b)", R"(a\\b)", false},
    // They mix with real wildcards, and letters still fold.
    {R"(*\**)", "x*y", true},
    {R"(*\**)", "xy", false},
    {R"(?\?)", "a?", true},
    {R"(?\?)", "ab", false},
    {R"(*\?*\?)", "why? because?", true},
    {R"(*\?*\?)", "why? because!", false},
    {R"(V\*1)", "v*1", true},
};

TEST(GlobEscapes, EscapedWildcardsAreLiteral) {
  for (const EscapeCase& c : kEscapeCases)
    EXPECT_EQ(query_matches(c.pattern, c.text), c.matches) << c.pattern << " " << c.text;
}

TEST(GlobEscapes, RefusesDanglingOrUnknownEscapes) {
  for (std::string_view bad : {R"(a\)", R"(\a)", R"(\ )", R"(x\%41)"}) {
    EXPECT_FALSE(Glob::compile(bad, GlobCase::Insensitive, GlobEscapes::Backslash)) << bad;
    // Without escapes a backslash is an ordinary character.
    EXPECT_TRUE(Glob::compile(bad, GlobCase::Insensitive)) << bad;
  }
  EXPECT_TRUE(path_matches(R"(a\*)", R"(a\anything)"));
}

// The reference with escapes: turn `\c` into a character class the reference cannot confuse
// with a wildcard, by mapping literal '*' and '?' to 'S' and 'Q' on both sides.
TEST(GlobEscapes, AgreesWithReferenceOnRandomInputs) {
  std::mt19937 rng(4242);
  const std::vector<std::string> pattern_tokens = {"a", "b", "*", "?", "\\*", "\\?"};
  const std::string text_alphabet = "ab*?";
  for (int round = 0; round < 20000; ++round) {
    std::string pattern, reference_pattern;
    for (std::size_t n = rng() % 7; n > 0; --n) {
      const std::string& token = pattern_tokens[rng() % pattern_tokens.size()];
      pattern += token;
      reference_pattern += token == "\\*" ? "S" : token == "\\?" ? "Q" : token;
    }
    std::string text(rng() % 10, ' ');
    for (char& c : text) c = text_alphabet[rng() % text_alphabet.size()];
    std::string reference_text = text;
    for (char& c : reference_text) c = c == '*' ? 'S' : c == '?' ? 'Q' : c;
    ASSERT_EQ(query_matches(pattern, text), reference_matches(reference_pattern, reference_text))
        << "pattern \"" << pattern << "\" text \"" << text << "\"";
  }
}

TEST(GlobEscapes, LengthLimitCountsThePatternAsWritten) {
  std::string escaped;
  for (int i = 0; i < 64; ++i) escaped += "\\*";  // 128 characters, 64 literal stars
  auto glob = Glob::compile(escaped, GlobCase::Insensitive, GlobEscapes::Backslash);
  ASSERT_TRUE(glob);
  EXPECT_TRUE(glob->matches(std::string(64, '*')));
  EXPECT_FALSE(glob->matches(std::string(63, '*')));
  EXPECT_FALSE(Glob::compile(escaped + "a", GlobCase::Insensitive, GlobEscapes::Backslash));
}

}  // namespace
}  // namespace gatehouse::edge
