#include "mesh/hostnames.h"

#include <algorithm>

#include "request/request_view.h"

namespace gatehouse::mesh {
namespace {

char lower_char(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : c; }

// IPv4 literals contain dots and are left alone anyway; IPv6 ones are told by their colons.
bool is_ipv6_address(std::string_view host) { return host.find(':') != std::string_view::npos; }

bool is_wildcard(std::string_view host) { return host.starts_with('*'); }

}  // namespace

std::string lower_ascii(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(), lower_char);
  return out;
}

bool istarts_with(std::string_view text, std::string_view prefix) {
  return text.size() >= prefix.size() && iequals(text.substr(0, prefix.size()), prefix);
}

std::string resolve_short_name(std::string_view host, std::string_view namespace_) {
  if (host.empty() || host == "*" || is_ipv6_address(host) ||
      host.find('.') != std::string_view::npos) {
    return std::string(host);
  }
  std::string out(host);
  if (!namespace_.empty()) out.append(".").append(namespace_);
  out.append(".svc.").append(kClusterDomain);
  return out;
}

std::string resolve_gateway_name(std::string_view reference, std::string_view namespace_) {
  if (reference == "mesh") return std::string(reference);
  auto slash = reference.find('/');
  if (slash != std::string_view::npos) {
    if (reference.substr(0, slash) == ".") {
      return std::string(namespace_) + std::string(reference.substr(slash));
    }
    return std::string(reference);
  }
  auto dot = reference.find('.');
  if (dot == std::string_view::npos) {
    return std::string(namespace_) + "/" + std::string(reference);
  }
  std::string_view rest = reference.substr(dot + 1);
  std::string_view ns = rest.substr(0, rest.find('.'));
  return std::string(ns) + "/" + std::string(reference.substr(0, dot));
}

bool is_valid_host_pattern(std::string_view host) {
  if (host.empty()) return false;
  if (host == "*") return true;
  std::string_view rest = host.starts_with("*.") ? host.substr(2) : host;
  return !rest.empty() && rest.find('*') == std::string_view::npos;
}

bool host_subset_of(std::string_view a, std::string_view b) {
  if (is_wildcard(a)) return is_wildcard(b) && a.substr(1).ends_with(b.substr(1));
  if (is_wildcard(b)) return a.ends_with(b.substr(1));
  return a == b;
}

std::vector<std::string> intersect_hosts(const std::vector<std::string>& server_hosts,
                                         const std::vector<std::string>& virtual_service_hosts) {
  std::vector<std::string> out;
  auto keep = [&out](const std::string& name) {
    if (std::find(out.begin(), out.end(), name) == out.end()) out.push_back(name);
  };
  for (const auto& server_host : server_hosts) {
    for (const auto& vs_host : virtual_service_hosts) {
      if (host_subset_of(server_host, vs_host)) {
        keep(server_host);
      } else if (host_subset_of(vs_host, server_host)) {
        keep(vs_host);
      }
    }
  }
  return out;
}

std::size_t CaseInsensitiveHash::operator()(std::string_view text) const {
  std::size_t hash = 14695981039346656037ull;  // FNV-1a over lower-cased bytes
  for (char c : text) {
    hash ^= static_cast<unsigned char>(lower_char(c));
    hash *= 1099511628211ull;
  }
  return hash;
}

bool CaseInsensitiveEqual::operator()(std::string_view a, std::string_view b) const {
  return iequals(a, b);
}

}  // namespace gatehouse::mesh
