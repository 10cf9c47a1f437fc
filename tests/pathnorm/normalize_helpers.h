// Shared helpers for the pathnorm tests: shrink a case to one readable line.
#pragma once

#include <array>
#include <ostream>
#include <string>
#include <string_view>

#include "pathnorm/pathnorm.h"

namespace gatehouse::pathnorm {

inline constexpr std::array kAllModes = {Mode::None, Mode::Base, Mode::MergeSlashes,
                                         Mode::DecodeAndMergeSlashes};

// The target forwarded upstream, or "refused: <message>" so a failing assertion says why.
inline std::string normalized(std::string_view target, Mode mode) {
  Normalized out;
  const Status status = normalize(target, mode, out);
  if (status != Status::Ok) return "refused: " + std::string(message(status));
  return out.target;
}

// Status::Ok when the target is accepted, else the reason it is refused.
inline Status status_of(std::string_view target, Mode mode) {
  Normalized out;
  return normalize(target, mode, out);
}

inline std::string_view mode_name(Mode mode) {
  switch (mode) {
    case Mode::None:
      return "NONE";
    case Mode::Base:
      return "BASE";
    case Mode::MergeSlashes:
      return "MERGE_SLASHES";
    case Mode::DecodeAndMergeSlashes:
      return "DECODE_AND_MERGE_SLASHES";
  }
  return "?";
}

// Lets GoogleTest print statuses and modes by name in failure messages.
inline void PrintTo(Status status, std::ostream* os) { *os << message(status); }
inline void PrintTo(Mode mode, std::ostream* os) { *os << mode_name(mode); }

}  // namespace gatehouse::pathnorm
