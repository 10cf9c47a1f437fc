#include "proxy/forwarded_headers.h"

#include <array>
#include <vector>

namespace gatehouse::proxy {
namespace {

void append_hex(std::string& out, uint64_t value, int digits) {
  static constexpr char kHex[] = "0123456789abcdef";
  char text[16];
  for (int i = digits - 1; i >= 0; --i, value >>= 4) text[i] = kHex[value & 0xf];
  out.append(text, static_cast<std::size_t>(digits));
}

std::string trace_value(uint64_t epoch_seconds, uint64_t random_high, uint64_t random_low) {
  std::string out = "1-";
  append_hex(out, epoch_seconds & 0xffffffffu, 8);
  out.push_back('-');
  append_hex(out, random_high & 0xffffffffffffffffu, 16);
  append_hex(out, random_low & 0xffffffffu, 8);
  return out;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

bool starts_with_key(std::string_view field, std::string_view key) {
  return field.size() > key.size() && field.substr(0, key.size()) == key &&
         field[key.size()] == '=';
}

}  // namespace

std::string forwarded_for(std::optional<std::string_view> existing, std::string_view peer_ip) {
  if (!existing || trim(*existing).empty()) return std::string(peer_ip);
  std::string out(trim(*existing));
  out.append(", ");
  out.append(peer_ip);
  return out;
}

std::string uuid_v4(uint64_t high, uint64_t low) {
  high = (high & ~0xf000ull) | 0x4000ull;            // version 4
  low = (low & ~(0xc0ull << 56)) | (0x80ull << 56);  // RFC 4122 variant
  std::string out;
  out.reserve(36);
  append_hex(out, high >> 32, 8);
  out.push_back('-');
  append_hex(out, (high >> 16) & 0xffff, 4);
  out.push_back('-');
  append_hex(out, high & 0xffff, 4);
  out.push_back('-');
  append_hex(out, low >> 48, 4);
  out.push_back('-');
  append_hex(out, low & 0xffffffffffffull, 12);
  return out;
}

bool request_id_is_acceptable(std::string_view id) {
  if (id.empty() || id.size() > 200) return false;
  for (unsigned char c : id)
    if (c <= 0x20 || c >= 0x7f) return false;
  return true;
}

std::string amzn_trace_id(std::optional<std::string_view> existing, uint64_t epoch_seconds,
                          uint64_t random_high, uint64_t random_low) {
  const std::string fresh = trace_value(epoch_seconds, random_high, random_low);
  std::vector<std::string_view> kept;
  bool has_root = false;
  if (existing) {
    std::string_view rest = *existing;
    while (!rest.empty()) {
      auto semi = rest.find(';');
      std::string_view field = trim(rest.substr(0, semi));
      rest = semi == std::string_view::npos ? std::string_view() : rest.substr(semi + 1);
      if (field.empty() || starts_with_key(field, "Self")) continue;
      if (starts_with_key(field, "Root")) has_root = true;
      kept.push_back(field);
    }
  }
  std::string out = (has_root ? "Self=" : "Root=") + fresh;
  for (auto field : kept) {
    out.push_back(';');
    out.append(field);
  }
  return out;
}

}  // namespace gatehouse::proxy
