// OpenID Connect discovery (OpenID Connect Discovery 1.0, section 4), as istiod does it for
// a JWT rule without jwksUri: the issuer's configuration document names the JWKS's URL.
// Pure; no I/O.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace gatehouse::keys {

// "<issuer without its trailing slash>/.well-known/openid-configuration".
std::string discovery_url(std::string_view issuer);

struct DiscoveredJwksUri {
  std::string jwks_uri = {};  // an http or https URL; empty on failure
  std::string error = {};     // why there is none
};

// The "jwks_uri" member of a discovery document.
DiscoveredJwksUri jwks_uri_from_discovery(std::string_view document);

// The "end_session_endpoint" member of a discovery document (OpenID Connect RP-Initiated
// Logout); nullopt when the document has none that is an http(s) URL.
std::optional<std::string> end_session_endpoint_from_discovery(std::string_view document);

}  // namespace gatehouse::keys
