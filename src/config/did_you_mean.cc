#include "config/did_you_mean.h"

#include <algorithm>
#include <cstdio>
#include <vector>

namespace gatehouse::config {
namespace {

constexpr std::size_t kMaxComparedLength = 64;
constexpr std::size_t kMaxQuotedLength = 64;

std::string normalized(std::string_view name) {
  std::string out;
  for (char c : name) {
    if (c == '_' || c == '-') continue;
    out.push_back(c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c);
  }
  return out;
}

// Optimal string alignment distance: insertions, deletions, substitutions and swaps of
// neighbours ("spce" -> "spec") each cost 1. Inputs are at most kMaxComparedLength long.
std::size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<std::vector<std::size_t>> d(a.size() + 1, std::vector<std::size_t>(b.size() + 1));
  for (std::size_t i = 0; i <= a.size(); ++i) d[i][0] = i;
  for (std::size_t j = 0; j <= b.size(); ++j) d[0][j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    for (std::size_t j = 1; j <= b.size(); ++j) {
      std::size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
      d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) {
        d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
      }
    }
  }
  return d[a.size()][b.size()];
}

bool is_prefix_of(std::string_view shorter, std::string_view longer) {
  return shorter.size() >= 3 && longer.starts_with(shorter);
}

}  // namespace

std::optional<std::string_view> did_you_mean(std::string_view typed,
                                             std::span<const std::string_view> candidates) {
  if (typed.empty() || typed.size() > kMaxComparedLength) return std::nullopt;
  std::string wanted = normalized(typed);
  // Two edits turn almost any short word into another ("tcp" -> "http"); allow one there.
  std::size_t allowed = wanted.size() <= 4 ? 1 : 2;
  std::optional<std::string_view> best;
  std::size_t best_score = allowed + 1;
  for (std::string_view candidate : candidates) {
    std::string have = normalized(candidate);
    std::size_t score = edit_distance(wanted, have);
    if (score > allowed && (is_prefix_of(wanted, have) || is_prefix_of(have, wanted))) {
      score = allowed;
    }
    if (score < best_score) {
      best_score = score;
      best = candidate;
    }
  }
  return best;
}

std::string with_suggestion(std::string message, std::string_view typed,
                            std::span<const std::string_view> candidates) {
  if (auto suggestion = did_you_mean(typed, candidates)) {
    message += " (did you mean " + quote(*suggestion) + "?)";
  }
  return message;
}

std::string quote(std::string_view text) {
  std::string out = "\"";
  std::size_t shown = std::min(text.size(), kMaxQuotedLength);
  for (std::size_t i = 0; i < shown; ++i) {
    auto byte = static_cast<unsigned char>(text[i]);
    if (byte == '"' || byte == '\\') {
      out.push_back('\\');
      out.push_back(static_cast<char>(byte));
    } else if (byte < 0x20 || byte >= 0x7f) {
      char escaped[5];
      std::snprintf(escaped, sizeof escaped, "\\x%02x", byte);
      out += escaped;
    } else {
      out.push_back(static_cast<char>(byte));
    }
  }
  if (shown < text.size()) out += "...";
  out.push_back('"');
  return out;
}

}  // namespace gatehouse::config
