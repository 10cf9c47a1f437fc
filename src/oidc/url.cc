#include "oidc/url.h"

#include <algorithm>

#include "request/request_view.h"

namespace gatehouse::oidc {
namespace {

constexpr char kHex[] = "0123456789ABCDEF";

bool is_alnum(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

enum class Encoding { Percent, Form };

std::string encode(std::string_view text, Encoding encoding) {
  const std::string_view kept = encoding == Encoding::Percent ? "-._~" : "*-._";
  std::string out;
  out.reserve(text.size() + text.size() / 2);
  for (char c : text) {
    if (is_alnum(c) || kept.find(c) != std::string_view::npos) {
      out += c;
    } else if (c == ' ' && encoding == Encoding::Form) {
      out += '+';
    } else {
      const auto byte = static_cast<unsigned char>(c);
      out += '%';
      out += kHex[byte >> 4];
      out += kHex[byte & 0xf];
    }
  }
  return out;
}

// A path the browser resolves on the current origin: one leading '/', no "//" or "/\" start
// (scheme-relative to another host), no '\' (browsers read it as '/'), no fragment, visible
// ASCII only.
bool is_local_path(std::string_view target) {
  if (!target.starts_with('/') || target.starts_with("//") || target.starts_with("/\\")) {
    return false;
  }
  return std::all_of(target.begin(), target.end(),
                     [](char c) { return c > ' ' && c < 0x7f && c != '\\' && c != '#'; });
}

// The path and query of an absolute http(s) URL on `host`; empty when it is not one.
std::string_view same_host_path(std::string_view target, std::string_view host) {
  const std::size_t separator = target.find("://");
  if (separator == std::string_view::npos) return {};
  const std::string_view scheme = target.substr(0, separator);
  if (!iequals(scheme, "http") && !iequals(scheme, "https")) return {};
  std::string_view rest = target.substr(separator + 3);
  const std::size_t authority_end = rest.find_first_of("/?#\\");
  const std::string_view authority = rest.substr(0, authority_end);
  if (host.empty() || !iequals(authority, host)) return {};
  if (authority_end == std::string_view::npos) return "/";
  rest.remove_prefix(authority_end);
  return rest.starts_with('?') ? std::string_view() : rest;
}

}  // namespace

std::string percent_encode(std::string_view text) { return encode(text, Encoding::Percent); }

std::string form_encode(std::string_view text) { return encode(text, Encoding::Form); }

bool form_decode(std::string_view text, std::string& out) {
  out.clear();
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '+') {
      out += ' ';
    } else if (text[i] != '%') {
      out += text[i];
    } else {
      const int high = i + 2 < text.size() ? hex_value(text[i + 1]) : -1;
      const int low = high >= 0 ? hex_value(text[i + 2]) : -1;
      if (low < 0) return false;
      out += static_cast<char>(high * 16 + low);
      i += 2;
    }
  }
  return true;
}

bool parse_form(std::string_view query, std::vector<FormParam>& out) {
  out.clear();
  while (!query.empty()) {
    const std::size_t amp = query.find('&');
    const std::string_view piece = query.substr(0, amp);
    query.remove_prefix(amp == std::string_view::npos ? query.size() : amp + 1);
    if (piece.empty()) continue;
    const std::size_t equals = piece.find('=');
    FormParam param;
    if (!form_decode(piece.substr(0, equals), param.name)) return false;
    if (equals != std::string_view::npos && !form_decode(piece.substr(equals + 1), param.value)) {
      return false;
    }
    out.push_back(std::move(param));
  }
  return true;
}

bool is_redirect_host(std::string_view host) {
  if (host.empty() || host.size() > 255) return false;
  std::string_view name = host, port;
  if (host.starts_with('[')) {
    const std::size_t close = host.find(']');
    if (close == std::string_view::npos || close < 3) return false;
    const std::string_view address = host.substr(1, close - 1);
    const bool ipv6_chars = std::all_of(address.begin(), address.end(), [](char c) {
      return hex_value(c) >= 0 || c == ':' || c == '.';
    });
    if (!ipv6_chars || address.find(':') == std::string_view::npos) return false;
    const std::string_view after = host.substr(close + 1);
    if (!after.empty() && !after.starts_with(':')) return false;
    name = {};
    port = after.empty() ? std::string_view() : after.substr(1);
    if (!after.empty() && port.empty()) return false;
  } else if (const std::size_t colon = host.find(':'); colon != std::string_view::npos) {
    name = host.substr(0, colon);
    port = host.substr(colon + 1);
    if (port.empty()) return false;
  }
  const bool name_ok = std::all_of(name.begin(), name.end(), [](char c) {
    return is_alnum(c) || c == '-' || c == '_' || c == '.';
  });
  const bool port_ok = port.size() <= 5 && std::all_of(port.begin(), port.end(),
                                                       [](char c) { return c >= '0' && c <= '9'; });
  return name_ok && port_ok && (host.starts_with('[') || !name.empty());
}

std::string safe_return_path(std::string_view target, std::string_view host) {
  if (!target.starts_with('/')) target = same_host_path(target, host);
  if (!is_local_path(target)) return "/";
  if (target.size() > kMaxReturnUrlBytes) target = target.substr(0, target.find('?'));
  if (target.size() > kMaxReturnUrlBytes) return "/";
  return std::string(target);
}

}  // namespace gatehouse::oidc
