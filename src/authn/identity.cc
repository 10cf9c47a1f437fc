#include "authn/identity.h"

#include <boost/json/array.hpp>
#include <cmath>
#include <limits>

#include "authn/claims.h"
#include "jose/base64url.h"
#include "jose/status.h"

namespace gatehouse::authn {

const boost::json::value* Identity::claim(std::span<const std::string> path) const {
  if (path.empty()) return nullptr;
  const boost::json::value* value = split_claims.if_contains(path.front());
  if (value == nullptr) value = claims.if_contains(path.front());
  for (const std::string& name : path.subspan(1)) {
    const boost::json::object* object = value != nullptr ? value->if_object() : nullptr;
    value = object != nullptr ? object->if_contains(name) : nullptr;
  }
  return value;
}

namespace detail {
namespace {

// Envoy's absl::StrSplit(value, ' ', absl::SkipEmpty()).
boost::json::array words(std::string_view text) {
  boost::json::array list;
  while (!text.empty()) {
    const std::size_t space = text.find(' ');
    if (space != 0) list.emplace_back(text.substr(0, space));
    if (space == std::string_view::npos) break;
    text.remove_prefix(space + 1);
  }
  return list;
}

// Envoy's convertClaimDoubleToString: protobuf holds every JSON number as a double.
std::string number_text(double number) {
  double whole = 0;
  if (number < 0 || number >= static_cast<double>(std::numeric_limits<std::uint64_t>::max()) ||
      std::modf(number, &whole) != 0)
    return std::to_string(number);
  return std::to_string(static_cast<std::uint64_t>(number));
}

}  // namespace

std::shared_ptr<const Identity> make_identity(jose::Jwt& jwt,
                                              const std::vector<std::string>& space_delimited) {
  auto identity = std::make_shared<Identity>();
  identity->issuer = jwt.iss;
  identity->subject = jwt.sub;
  if (!jwt.iss.empty() && !jwt.sub.empty()) identity->principal = jwt.iss + "/" + jwt.sub;
  identity->audiences = jwt.audiences;
  if (const boost::json::value* azp = jwt.claims.if_contains("azp"); azp && azp->is_string())
    identity->presenter = azp->get_string();
  for (const std::string& name : space_delimited) {
    const boost::json::value* value = jwt.claims.if_contains(name);
    if (value == nullptr || !value->is_string()) continue;
    boost::json::array list = words(value->get_string());
    // Envoy builds the list word by word, so a claim without words stays a string.
    if (!list.empty()) identity->split_claims[name] = std::move(list);
  }
  identity->claims = std::move(jwt.claims);  // a moved-from Boost.JSON object is empty
  return identity;
}

void add_claim_header(const boost::json::object& claims, std::string_view dotted_name,
                      std::string_view header, http1::Fields& headers) {
  const boost::json::object* object = &claims;
  const boost::json::value* value = nullptr;
  // Envoy's StructUtils::GetValue: every dot is a step into a nested object.
  while (object != nullptr) {
    const std::size_t dot = dotted_name.find('.');
    value = object->if_contains(dotted_name.substr(0, dot));
    if (value == nullptr || dot == std::string_view::npos) break;
    object = value->if_object();
    value = nullptr;
    dotted_name.remove_prefix(dot + 1);
  }
  if (value == nullptr) return;
  switch (value->kind()) {
    case boost::json::kind::string:
      if (!value->get_string().empty()) headers.add(header, value->get_string());
      return;
    case boost::json::kind::int64:
      return headers.add(header, number_text(static_cast<double>(value->get_int64())));
    case boost::json::kind::uint64:
      return headers.add(header, number_text(static_cast<double>(value->get_uint64())));
    case boost::json::kind::double_:
      return headers.add(header, number_text(value->get_double()));
    case boost::json::kind::bool_:
      return headers.add(header, value->get_bool() ? "true" : "false");
    default:
      return;
  }
}

}  // namespace detail

std::shared_ptr<const Identity> identity_from_payload(
    std::string_view payload, const std::vector<std::string>& space_delimited_claims,
    std::string& error) {
  // Wrapped as an unsigned token so jose reads the claims exactly as it reads a real one;
  // the signature is never looked at.
  const std::string compact =
      jose::base64url_encode(R"({"alg":"RS256"})") + "." + jose::base64url_encode(payload) + ".AA";
  auto jwt = jose::parse_jwt(compact);
  if (!jwt.ok()) {
    error = std::string(jose::status_message(jwt.status()));
    return nullptr;
  }
  return detail::make_identity(*jwt, space_delimited_claims);
}

}  // namespace gatehouse::authn
