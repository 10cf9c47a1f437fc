#include "keys/discovery.h"

#include <boost/json/parse.hpp>

#include "keys/url.h"

namespace gatehouse::keys {

std::string discovery_url(std::string_view issuer) {
  if (issuer.ends_with('/')) issuer.remove_suffix(1);
  return std::string(issuer) + "/.well-known/openid-configuration";
}

DiscoveredJwksUri jwks_uri_from_discovery(std::string_view document) {
  boost::system::error_code ec;
  const boost::json::value json = boost::json::parse(document, ec);
  if (ec) return {.error = "the discovery document is not JSON: " + ec.message()};
  const auto* object = json.if_object();
  if (!object) return {.error = "the discovery document is not a JSON object"};
  const auto* member = object->if_contains("jwks_uri");
  if (!member || !member->is_string())
    return {.error = "the discovery document has no string jwks_uri"};
  std::string uri(member->get_string());
  if (!parse_url(uri)) return {.error = "the discovered jwks_uri is not an http(s) URL: " + uri};
  return {.jwks_uri = std::move(uri)};
}

std::optional<std::string> end_session_endpoint_from_discovery(std::string_view document) {
  boost::system::error_code ec;
  const boost::json::value json = boost::json::parse(document, ec);
  const auto* object = ec ? nullptr : json.if_object();
  const auto* member = object ? object->if_contains("end_session_endpoint") : nullptr;
  if (!member || !member->is_string()) return std::nullopt;
  std::string uri(member->get_string());
  if (!parse_url(uri)) return std::nullopt;
  return uri;
}

}  // namespace gatehouse::keys
