// Shared by the http1_*_fuzz targets: the abort-on-violation check, and the property every
// head parser must have however its input is cut.
#pragma once

#include <cstddef>
#include <cstdio>
#include <cstdlib>
#include <string_view>
#include <utility>
#include <vector>

#include "http1/head.h"

namespace http1_fuzz {

using gatehouse::http1::HeadResult;
using gatehouse::http1::HeadStatus;

inline void require(bool condition, const char* what, std::string_view input) {
  if (condition) return;
  std::fprintf(stderr, "http1 invariant broken: %s\ninput (%zu bytes): %.*s\n", what, input.size(),
               static_cast<int>(input.size()), input.data());
  std::abort();
}

inline bool inside(std::string_view part, std::string_view whole) {
  return part.empty() ||
         (part.data() >= whole.data() && part.data() + part.size() <= whole.data() + whole.size());
}

inline bool refused(HeadStatus status) {
  return status != HeadStatus::Complete && status != HeadStatus::NeedMore;
}

// `full` is `parse(input)`: a result and a snapshot of what was parsed. Cut `input` at a few
// places and check that a head found in a prefix is the head of the whole (what follows a
// head cannot change it), that a refused prefix stays refused however many bytes follow
// (no smuggling a head past the check by sending it slowly), and that every proper prefix
// of a complete head waits for more.
template <class Parse, class Snapshot>
void check_prefixes(std::string_view input, const std::pair<HeadResult, Snapshot>& full,
                    const Parse& parse) {
  const HeadResult& whole = full.first;
  std::vector<std::size_t> lengths{input.size() / 2, input.size() / 4, input.size() * 3 / 4};
  for (std::size_t n = 1; n <= 8 && n <= input.size(); ++n) lengths.push_back(input.size() - n);
  for (std::size_t n = 1; n <= 4 && n <= whole.length; ++n) lengths.push_back(whole.length - n);
  if (whole.status == HeadStatus::Complete) lengths.push_back(whole.length);
  for (std::size_t n : lengths) {
    const std::pair<HeadResult, Snapshot> part = parse(input.substr(0, n));
    if (part.first.status == HeadStatus::Complete)
      require(whole.status == HeadStatus::Complete && part.first.length == whole.length &&
                  part.second == full.second,
              "bytes after a head changed it", input);
    else if (refused(part.first.status))
      require(refused(whole.status), "a refused prefix was accepted later", input);
    else if (whole.status == HeadStatus::Complete)
      require(n < whole.length, "NeedMore for a complete head", input);
  }
}

// What must hold of any result that is not Complete.
inline void check_incomplete(const HeadResult& r, std::string_view input) {
  require(r.length == 0, "length set on an incomplete head", input);
  require((r.status == HeadStatus::Malformed) == !r.reason.empty(), "reason mismatch", input);
}

}  // namespace http1_fuzz
