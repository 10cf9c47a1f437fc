// Feeds a BodyReader the way a proxy does, slice by slice as reads complete, and checks the
// contract on every call: progress is made, `consumed` stays within the slice, and `data`
// lies within the bytes consumed by that call.
#pragma once

#include <gtest/gtest.h>

#include <cstddef>
#include <functional>
#include <limits>
#include <random>
#include <string>
#include <string_view>

#include "http1/body.h"

namespace gatehouse::http1 {

struct Decoded {
  std::string data;          // every data piece, in order
  bool error = false;        // read() returned Error
  bool done = false;         // done() after the last call
  std::size_t consumed = 0;  // input used, up to and including the erroneous call
};

// Returns how many bytes the next slice gets (at least 1 is used).
using Slicer = std::function<std::size_t()>;

inline Slicer whole() {
  return [] { return std::numeric_limits<std::size_t>::max(); };
}
inline Slicer bytewise() {
  return [] { return std::size_t{1}; };
}
// Slices of 1 to `max` bytes; seeded, so a failure reproduces.
inline Slicer random_slices(unsigned seed, std::size_t max = 9) {
  return [rng = std::mt19937(seed), max]() mutable {
    return std::uniform_int_distribution<std::size_t>(1, max)(rng);
  };
}

inline Decoded feed(BodyReader& reader, std::string_view input, const Slicer& next_slice) {
  Decoded out;
  while (out.consumed < input.size() && !reader.done()) {
    const std::string_view rest = input.substr(out.consumed);
    const std::string_view slice = rest.substr(0, std::max<std::size_t>(1, next_slice()));
    for (std::size_t used = 0; used < slice.size() && !reader.done();) {
      std::size_t consumed = 0;
      std::string_view data;
      const BodyStatus status = reader.read(slice.substr(used), consumed, data);
      out.consumed += consumed;
      if (status == BodyStatus::Error) {
        out.error = true;
        return out;
      }
      EXPECT_LE(consumed, slice.size() - used);
      if (!data.empty()) {
        EXPECT_GE(data.data(), slice.data() + used);
        EXPECT_LE(data.data() + data.size(), slice.data() + used + consumed);
      }
      if (consumed == 0) {
        ADD_FAILURE() << "read() made no progress at byte " << out.consumed;
        return out;
      }
      used += consumed;
      out.data.append(data);
    }
  }
  out.done = reader.done();
  return out;
}

inline Decoded decode(Framing framing, uint64_t length, std::string_view input,
                      const Slicer& slicer) {
  BodyReader reader(framing, length);
  return feed(reader, input, slicer);
}

inline Decoded decode_chunked(std::string_view input, const Slicer& slicer = whole()) {
  return decode(Framing::Chunked, 0, input, slicer);
}

}  // namespace gatehouse::http1
