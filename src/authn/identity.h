// authn::Identity: what a verified JWT tells the stages after request authentication (Istio's
// request.auth.* attributes). Built once per verified token and shared, read-only, between the
// token cache and every request that presents the same token.
#pragma once

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace gatehouse::authn {

struct Identity {
  std::string issuer;   // "iss"; empty when absent
  std::string subject;  // "sub"; empty when absent
  // request.auth.principal: "<iss>/<sub>" when both are non-empty, else empty (Istio matches a
  // principal pattern only when the token has both).
  std::string principal;
  std::vector<std::string> audiences;  // "aud", a string or a list of strings, as a list
  std::string presenter;               // "azp" when it is a string, else empty
  boost::json::object claims;          // the verified payload, as the token carries it
  // The top-level claims "scope", "permission" and the rule's spaceDelimitedClaims whose value
  // is a string with at least one word, as an array of its space-separated words (Envoy's
  // normalize_payload_in_metadata): authorization sees these lists in place of the strings.
  boost::json::object split_claims;

  // request.auth.claims[path[0]][path[1]]...: path[0] in split_claims, else in claims, then
  // each further name in the nested object. nullptr when a name is missing, a step is not an
  // object, or the path is empty.
  const boost::json::value* claim(std::span<const std::string> path) const;
};

// The identity a verified token carrying `payload` (a JSON object) would give, for tools
// that take claims on trust such as `gatehouse check --claims`. The payload is read by the
// same code as a token's; nullptr with `error` set when it is not a valid JWT payload.
std::shared_ptr<const Identity> identity_from_payload(
    std::string_view payload, const std::vector<std::string>& space_delimited_claims,
    std::string& error);

}  // namespace gatehouse::authn
