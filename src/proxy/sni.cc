#include "proxy/sni.h"

namespace gatehouse::proxy {

std::string normalize_server_name(std::string_view name) {
  if (!name.empty() && name.back() == '.') name.remove_suffix(1);
  std::string out(name);
  for (char& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

void SniTable::add(std::string_view dns_name, std::size_t index) {
  std::string name = normalize_server_name(dns_name);
  if (name.empty() || name.front() == '.') return;
  if (name.starts_with("*.")) {
    std::string parent = name.substr(2);
    // At least two labels under the wildcard, and no other wildcard in them.
    if (parent.find('.') == std::string::npos || parent.find('*') != std::string::npos ||
        parent.front() == '.' || parent.find("..") != std::string::npos)
      return;
    wildcard_.emplace(std::move(parent), index);
    return;
  }
  if (name.find('*') != std::string::npos) return;
  exact_.emplace(std::move(name), index);
}

std::size_t SniTable::find(std::string_view server_name, std::size_t fallback) const {
  if (server_name.empty()) return fallback;
  const std::string name = normalize_server_name(server_name);
  if (auto it = exact_.find(name); it != exact_.end()) return it->second;
  const auto dot = name.find('.');
  if (dot == 0 || dot == std::string::npos) return fallback;
  if (auto it = wildcard_.find(name.substr(dot + 1)); it != wildcard_.end()) return it->second;
  return fallback;
}

}  // namespace gatehouse::proxy
