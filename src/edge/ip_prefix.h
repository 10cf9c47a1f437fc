// Addresses and CIDR blocks for the ALB `source-ip` condition. Both families live in one
// 128-bit space: IPv4 is held as its IPv4-mapped IPv6 form (::ffff:a.b.c.d), so a client
// that reaches a dual-stack `::` listener over IPv4 matches the IPv4 blocks it should.
// Plain values; thread-safe to share.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace gatehouse::edge {

struct IpAddress {
  std::array<uint8_t, 16> bytes{};  // network order; IPv4 as ::ffff:a.b.c.d
  bool v4 = false;                  // an IPv4 address or an IPv4-mapped IPv6 one

  // A textual IPv4 or IPv6 address (an IPv6 zone such as "%eth0" is ignored); nullopt for
  // anything else.
  static std::optional<IpAddress> parse(std::string_view text);
};

class IpPrefix {
 public:
  // "address/length": IPv4 with 0-32, IPv6 with 0-128. nullopt, with the reason in
  // `problem`, for a missing length, a bad address or length, bits set after the prefix
  // ("10.0.0.1/24" is refused rather than read as 10.0.0.0/24), and 255.255.255.255/32,
  // which ALB refuses.
  static std::optional<IpPrefix> parse(std::string_view text, std::string& problem);

  // True when `address` is of the same family and its first `length` bits are the block's.
  bool contains(const IpAddress& address) const;

 private:
  uint64_t high_ = 0, low_ = 0;            // the block's address
  uint64_t high_mask_ = 0, low_mask_ = 0;  // its prefix, as a mask over the 128 bits
  bool v4_ = false;
};

}  // namespace gatehouse::edge
