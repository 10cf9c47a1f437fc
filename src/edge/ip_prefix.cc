#include "edge/ip_prefix.h"

#include <arpa/inet.h>

#include <cstring>

namespace gatehouse::edge {
namespace {

constexpr std::array<uint8_t, 12> kV4MappedPrefix{0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
constexpr unsigned kV4MappedBits = 96;

uint64_t load_big_endian(const uint8_t* bytes) {
  uint64_t value = 0;
  for (int i = 0; i < 8; ++i) value = value << 8 | bytes[i];
  return value;
}

// The mask of the first `bits` (0-64) bits of a 64-bit half.
uint64_t leading_ones(unsigned bits) { return bits == 0 ? 0 : ~uint64_t{0} << (64 - bits); }

}  // namespace

std::optional<IpAddress> IpAddress::parse(std::string_view text) {
  text = text.substr(0, text.find('%'));
  if (text.empty() || text.size() > 45 || text.find('\0') != std::string_view::npos)
    return std::nullopt;  // 45: INET6_ADDRSTRLEN - 1
  char terminated[46];
  std::memcpy(terminated, text.data(), text.size());
  terminated[text.size()] = '\0';
  IpAddress address;
  if (text.find(':') == std::string_view::npos) {
    if (inet_pton(AF_INET, terminated, address.bytes.data() + 12) != 1) return std::nullopt;
    std::memcpy(address.bytes.data(), kV4MappedPrefix.data(), kV4MappedPrefix.size());
    address.v4 = true;
    return address;
  }
  if (inet_pton(AF_INET6, terminated, address.bytes.data()) != 1) return std::nullopt;
  address.v4 = std::memcmp(address.bytes.data(), kV4MappedPrefix.data(), 12) == 0;
  return address;
}

std::optional<IpPrefix> IpPrefix::parse(std::string_view text, std::string& problem) {
  const std::size_t slash = text.find('/');
  if (slash == std::string_view::npos) {
    problem = "is not in CIDR format (add /32 for one IPv4 address, /128 for one IPv6 address)";
    return std::nullopt;
  }
  const std::string_view length_text = text.substr(slash + 1);
  const auto address = IpAddress::parse(text.substr(0, slash));
  const bool v4_text = text.substr(0, slash).find(':') == std::string_view::npos;
  const unsigned max_length = v4_text ? 32 : 128;
  unsigned length = 0;
  bool length_ok = !length_text.empty() && length_text.size() <= 3 &&
                   (length_text.size() == 1 || length_text[0] != '0');
  for (char c : length_text) {
    length_ok = length_ok && c >= '0' && c <= '9';
    if (length_ok) length = length * 10 + static_cast<unsigned>(c - '0');
  }
  if (!address || text.substr(0, slash).find('%') != std::string_view::npos) {
    problem = "is not an IPv4 or IPv6 address with a prefix length";
    return std::nullopt;
  }
  if (!length_ok || length > max_length) {
    problem = "has a prefix length outside 0-" + std::to_string(max_length);
    return std::nullopt;
  }
  IpPrefix prefix;
  prefix.v4_ = address->v4;
  const unsigned bits = v4_text ? kV4MappedBits + length : length;
  prefix.high_mask_ = leading_ones(bits > 64 ? 64 : bits);
  prefix.low_mask_ = leading_ones(bits > 64 ? bits - 64 : 0);
  prefix.high_ = load_big_endian(address->bytes.data());
  prefix.low_ = load_big_endian(address->bytes.data() + 8);
  if ((prefix.high_ & ~prefix.high_mask_) != 0 || (prefix.low_ & ~prefix.low_mask_) != 0) {
    problem = "has bits set after the prefix length";
    return std::nullopt;
  }
  if (v4_text && length == 32 && prefix.low_ == 0xffffffffffffull) {
    problem = "is the broadcast address, which ALB refuses";
    return std::nullopt;
  }
  return prefix;
}

bool IpPrefix::contains(const IpAddress& address) const {
  if (address.v4 != v4_) return false;
  return (load_big_endian(address.bytes.data()) & high_mask_) == high_ &&
         (load_big_endian(address.bytes.data() + 8) & low_mask_) == low_;
}

}  // namespace gatehouse::edge
