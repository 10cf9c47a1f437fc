// A small deterministic bit generator for httpbin's random outputs (/uuid, /bytes): the engine
// passes one 64-bit random number per request and this stretches it. Not for secrets.
// Thread-safety: a plain value; use one per request.
#pragma once

#include <cstdint>

namespace gatehouse::httpbin {

// SplitMix64 (Steele, Lea, Flood 2014): every seed, including 0, gives a well-mixed stream.
class SplitMix64 {
 public:
  explicit SplitMix64(uint64_t seed) : state_(seed) {}

  uint64_t next() {
    uint64_t z = (state_ += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
  }

 private:
  uint64_t state_;
};

}  // namespace gatehouse::httpbin
