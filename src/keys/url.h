// The http and https URLs key sets are fetched from, taken apart into what a connection and
// its request need. Pure; no I/O.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace gatehouse::keys {

struct Url {
  bool tls = false;       // https
  std::string host;       // a name or an address; an IPv6 address without its brackets
  std::string port;       // as written, else "80" or "443"
  std::string authority;  // the Host field: host and port as written
  std::string target;     // origin form: the path (at least "/") and the query
};

// An absolute http or https URL with a host and without userinfo (credentials would be
// sent in the clear to whoever the URL names); the fragment is dropped. nullopt otherwise.
std::optional<Url> parse_url(std::string_view text);

}  // namespace gatehouse::keys
