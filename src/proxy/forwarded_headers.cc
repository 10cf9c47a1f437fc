#include "proxy/forwarded_headers.h"

#include <array>
#include <vector>

namespace gatehouse::proxy {
namespace {

// Writes the low 4*`digits` bits of `value` as lower-case hex at `out`.
void put_hex(char* out, uint64_t value, int digits) {
  static constexpr char kHex[] = "0123456789abcdef";
  for (int i = digits - 1; i >= 0; --i, value >>= 4) out[i] = kHex[value & 0xf];
}

// "1-<8 hex seconds>-<24 hex random>": 35 characters.
constexpr std::size_t kTraceValueSize = 35;
void put_trace_value(char* out, uint64_t epoch_seconds, uint64_t random_high, uint64_t random_low) {
  out[0] = '1';
  out[1] = '-';
  put_hex(out + 2, epoch_seconds & 0xffffffffu, 8);
  out[10] = '-';
  put_hex(out + 11, random_high, 16);
  put_hex(out + 27, random_low & 0xffffffffu, 8);
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
  char text[36];
  put_hex(text, high >> 32, 8);
  text[8] = '-';
  put_hex(text + 9, (high >> 16) & 0xffff, 4);
  text[13] = '-';
  put_hex(text + 14, high & 0xffff, 4);
  text[18] = '-';
  put_hex(text + 19, low >> 48, 4);
  text[23] = '-';
  put_hex(text + 24, low & 0xffffffffffffull, 12);
  return std::string(text, sizeof(text));
}

bool request_id_is_acceptable(std::string_view id) {
  if (id.empty() || id.size() > 200) return false;
  for (unsigned char c : id)
    if (c <= 0x20 || c >= 0x7f) return false;
  return true;
}

std::string amzn_trace_id(std::optional<std::string_view> existing, uint64_t epoch_seconds,
                          uint64_t random_high, uint64_t random_low) {
  char fresh[kTraceValueSize];
  put_trace_value(fresh, epoch_seconds, random_high, random_low);
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
  std::string out;
  out.reserve(5 + kTraceValueSize + (existing ? existing->size() + 1 : 0));
  out.append(has_root ? "Self=" : "Root=");
  out.append(fresh, kTraceValueSize);
  for (auto field : kept) {
    out.push_back(';');
    out.append(field);
  }
  return out;
}

}  // namespace gatehouse::proxy
