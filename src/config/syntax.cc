#include "config/syntax.h"

#include <vector>

namespace gatehouse::config {
namespace {

bool is_lower_alnum(char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); }
bool is_alnum(char c) { return is_lower_alnum(c) || (c >= 'A' && c <= 'Z'); }
bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_hex(char c) { return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }

std::vector<std::string_view> split(std::string_view text, char separator) {
  std::vector<std::string_view> parts;
  std::size_t start = 0;
  while (true) {
    std::size_t end = text.find(separator, start);
    parts.push_back(text.substr(start, end == std::string_view::npos ? end : end - start));
    if (end == std::string_view::npos) return parts;
    start = end + 1;
  }
}

bool all_digits(std::string_view text) {
  if (text.empty()) return false;
  for (char c : text) {
    if (!is_digit(c)) return false;
  }
  return true;
}

// [A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?, at most 63: label names and values.
bool is_qualified_name(std::string_view text) {
  if (text.empty() || text.size() > 63) return false;
  if (!is_alnum(text.front()) || !is_alnum(text.back())) return false;
  for (char c : text) {
    if (!is_alnum(c) && c != '-' && c != '_' && c != '.') return false;
  }
  return true;
}

}  // namespace

bool is_dns_label(std::string_view text, bool any_case) {
  if (text.empty() || text.size() > 63) return false;
  auto alnum = [any_case](char c) { return any_case ? is_alnum(c) : is_lower_alnum(c); };
  if (!alnum(text.front()) || !alnum(text.back())) return false;
  for (char c : text) {
    if (!alnum(c) && c != '-') return false;
  }
  return true;
}

SyntaxError check_object_name(std::string_view text) {
  if (text.empty()) return "must not be empty";
  if (text.size() > 253) return "must be at most 253 characters";
  for (std::string_view label : split(text, '.')) {
    if (!is_dns_label(label)) {
      return "must consist of lower-case letters, digits, '-' and '.', and start and end "
             "with a letter or digit";
    }
  }
  return std::nullopt;
}

SyntaxError check_label_key(std::string_view text) {
  std::size_t slash = text.find('/');
  if (slash != std::string_view::npos) {
    std::string_view prefix = text.substr(0, slash);
    if (check_object_name(prefix)) return "prefix must be a DNS subdomain";
    text = text.substr(slash + 1);
  }
  if (!is_qualified_name(text)) {
    return "name must be 1-63 characters of letters, digits, '-', '_' and '.', starting and "
           "ending with a letter or digit";
  }
  return std::nullopt;
}

SyntaxError check_label_value(std::string_view text) {
  if (text.empty() || is_qualified_name(text)) return std::nullopt;
  return "must be at most 63 characters of letters, digits, '-', '_' and '.', starting and "
         "ending with a letter or digit";
}

SyntaxError check_host(std::string_view text) {
  if (text.empty()) return "empty host name not allowed";
  if (text.size() > 255) return "host name too long (max 255)";
  if (text == "*") return std::nullopt;
  std::vector<std::string_view> labels = split(text, '.');
  if (labels.size() > 1 && labels.back().empty()) labels.pop_back();  // "istio.io."
  for (std::size_t i = 0; i < labels.size(); ++i) {
    if (i == 0 && labels[i] == "*" && labels.size() > 1) continue;
    if (labels[i].find('*') != std::string_view::npos) {
      return "a wildcard is only allowed as the whole left-most label, as in \"*.example.com\"";
    }
    if (!is_dns_label(labels[i], true)) {
      return "label \"" + std::string(labels[i]) + "\" is invalid";
    }
  }
  if (labels.size() > 1 && all_digits(labels.back())) {
    return "top-level domain \"" + std::string(labels.back()) + "\" cannot be all-numeric";
  }
  return std::nullopt;
}

SyntaxError check_gateway_host(std::string_view text) {
  std::size_t slash = text.find('/');
  std::string_view host = text;
  if (slash != std::string_view::npos) {
    std::string_view ns = text.substr(0, slash);
    host = text.substr(slash + 1);
    if (ns.empty() || host.empty()) return "namespace and host name cannot be empty";
    if (ns != "*" && ns != "." && !is_dns_label(ns, true)) {
      return "invalid namespace \"" + std::string(ns) + "\"";
    }
  }
  if (is_ip(host)) return std::nullopt;
  if (host != "*" && host.find('.') == std::string_view::npos) {
    return "short names (non FQDN) are not allowed";
  }
  return check_host(host);
}

bool is_ipv4(std::string_view text) {
  std::vector<std::string_view> parts = split(text, '.');
  if (parts.size() != 4) return false;
  for (std::string_view part : parts) {
    if (!all_digits(part) || part.size() > 3) return false;
    if (part.size() > 1 && part.front() == '0') return false;  // no octal look-alikes
    if (std::stoi(std::string(part)) > 255) return false;
  }
  return true;
}

bool is_ipv6(std::string_view text) {
  std::size_t i = 0, groups = 0;
  bool compressed = false;
  if (text.starts_with("::")) {
    compressed = true;
    i = 2;
  }
  while (i < text.size()) {
    std::size_t end = i;
    while (end < text.size() && is_hex(text[end]) && end - i < 5) ++end;
    if (end < text.size() && text[end] == '.') {  // dotted IPv4 in the last 32 bits
      if (!is_ipv4(text.substr(i))) return false;
      groups += 2;
      break;
    }
    if (end == i || end - i > 4) return false;
    ++groups;
    i = end;
    if (i == text.size()) break;
    if (text[i] != ':') return false;
    ++i;
    if (i < text.size() && text[i] == ':') {
      if (compressed) return false;
      compressed = true;
      ++i;
    } else if (i == text.size()) {
      return false;
    }
  }
  return compressed ? groups <= 7 : groups == 8;
}

bool is_unspecified_ip(std::string_view text) {
  return text == "0.0.0.0" || text == "::" || text == "0:0:0:0:0:0:0:0";
}

bool is_cidr(std::string_view text) {
  std::size_t slash = text.find('/');
  if (slash == std::string_view::npos) return false;
  std::string_view address = text.substr(0, slash), bits = text.substr(slash + 1);
  if (!all_digits(bits) || bits.size() > 3) return false;
  int prefix = std::stoi(std::string(bits));
  if (is_ipv4(address)) return prefix <= 32;
  return is_ipv6(address) && prefix <= 128;
}

std::optional<uint32_t> parse_port_number(std::string_view text) {
  if (!all_digits(text) || text.size() > 5) return std::nullopt;
  int port = std::stoi(std::string(text));
  if (port > 65535) return std::nullopt;
  return static_cast<uint32_t>(port);
}

SyntaxError check_http_url(std::string_view text) {
  std::size_t separator = text.find("://");
  std::string scheme = lower_case(text.substr(0, separator));
  if (separator == std::string_view::npos || (scheme != "http" && scheme != "https")) {
    return "the scheme must be http or https";
  }
  for (char c : text) {
    if (static_cast<unsigned char>(c) <= ' ' || c == 0x7f) {
      return "spaces and control characters are not allowed";
    }
  }
  std::string_view authority = text.substr(separator + 3);
  authority = authority.substr(0, authority.find_first_of("/?#"));
  if (std::size_t at = authority.rfind('@'); at != std::string_view::npos) {
    authority.remove_prefix(at + 1);  // user information
  }
  std::string_view host = authority, port;
  if (authority.starts_with('[')) {
    std::size_t close = authority.find(']');
    if (close == std::string_view::npos || !is_ipv6(authority.substr(1, close - 1))) {
      return "invalid IPv6 address in brackets";
    }
    host = authority.substr(1, close - 1);
    std::string_view after = authority.substr(close + 1);
    if (!after.empty() && after.front() != ':') return "unexpected text after the IPv6 address";
    if (!after.empty()) port = after.substr(1);
  } else if (std::size_t colon = authority.rfind(':'); colon != std::string_view::npos) {
    host = authority.substr(0, colon);
    port = authority.substr(colon + 1);
  }
  if (host.empty()) return "a host is required";
  auto number = parse_port_number(port);
  if (!port.empty() && (!number || *number == 0)) return "invalid port";
  return std::nullopt;
}

SyntaxError check_path_template(std::string_view path) {
  constexpr std::string_view kOne = "{*}", kRest = "{**}";
  if (path.find(kOne) == std::string_view::npos && path.find(kRest) == std::string_view::npos) {
    return std::nullopt;
  }
  if (!path.starts_with('/')) return "a path template must start with '/'";
  std::vector<std::string_view> segments = split(path.substr(1), '/');
  bool after_rest = false;
  for (std::size_t i = 0; i < segments.size(); ++i) {
    std::string_view segment = segments[i];
    if (segment.empty() && i + 1 < segments.size()) return "a path template must not contain //";
    if (segment == kOne || segment == kRest) {
      if (after_rest) return "{**} must be the last operator of a path template";
      after_rest = segment == kRest;
      continue;
    }
    for (char c : segment) {
      if (!is_alnum(c) && std::string_view("-._~%!$&'()+,;:@=").find(c) == std::string_view::npos) {
        return "{*} and {**} must be whole path segments, and other segments may only hold "
               "letters, digits and -._~%!$&'()+,;:@=";
      }
    }
  }
  return std::nullopt;
}

bool is_http_token(std::string_view text) {
  if (text.empty()) return false;
  for (char c : text) {
    if (is_alnum(c)) continue;
    if (std::string_view("!#$%&'*+-.^_`|~").find(c) == std::string_view::npos) return false;
  }
  return true;
}

bool is_header_value(std::string_view text) {
  for (char c : text) {
    auto byte = static_cast<unsigned char>(c);
    if ((byte < 0x20 && byte != '\t') || byte == 0x7f) return false;
  }
  return true;
}

std::string lower_case(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

std::string upper_case(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  }
  return out;
}

}  // namespace gatehouse::config
