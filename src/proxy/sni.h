// Which certificate of an HTTPS listener answers a TLS server name (SNI), as an ALB picks
// among a listener's certificates: a certificate naming the server exactly, else one with a
// wildcard `*.example.com` covering the name's first label, else the listener's first
// certificate (ALB's default certificate). Pure: the names come from the certificates.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <unordered_map>

namespace gatehouse::proxy {

// A DNS name as SNI matching compares it: lower case, without a trailing dot.
std::string normalize_server_name(std::string_view name);

class SniTable {
 public:
  // Adds a DNS name of certificate `index`: an exact name (`api.example.com`) or a wildcard
  // over one whole left-most label (`*.example.com`). Partial wildcards (`a*.example.com`),
  // wildcards over a single label (`*.com`) and empty names are ignored. When several
  // certificates name the same host, the first added keeps it.
  void add(std::string_view dns_name, std::size_t index);

  // The certificate for `server_name` (as the client sent it): an exact name first, then a
  // wildcard; `fallback` when nothing matches or the name is empty.
  std::size_t find(std::string_view server_name, std::size_t fallback = 0) const;

  bool empty() const { return exact_.empty() && wildcard_.empty(); }

 private:
  std::unordered_map<std::string, std::size_t> exact_;     // "api.example.com"
  std::unordered_map<std::string, std::size_t> wildcard_;  // "example.com" for *.example.com
};

}  // namespace gatehouse::proxy
