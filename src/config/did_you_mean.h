// Suggestions for misspelt names ("hots" -> "hosts"), used by every config error that
// rejects a name the user typed. Internal to the config module; pure functions.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace gatehouse::config {

// The candidate closest to `typed`: same letters ignoring case, '_' and '-'; or an edit
// distance of at most 2 (1 for names of up to 4 letters); or one is a prefix of the other
// (at least 3 characters).
std::optional<std::string_view> did_you_mean(std::string_view typed,
                                             std::span<const std::string_view> candidates);

// `message` followed by ` (did you mean "x"?)` when there is a suggestion.
std::string with_suggestion(std::string message, std::string_view typed,
                            std::span<const std::string_view> candidates);

// `text` in double quotes for an error message: control and non-ASCII bytes escaped as
// \xNN, cut to 64 bytes with "..." so hostile input cannot flood a log line.
std::string quote(std::string_view text);

}  // namespace gatehouse::config
