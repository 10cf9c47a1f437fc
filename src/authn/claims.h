// Internal to authn: turning a verified token into an Identity, and rendering claims into
// headers (outputClaimToHeaders) as Envoy's jwt_authn does.
#pragma once

#include <boost/json/object.hpp>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "authn/identity.h"
#include "http1/fields.h"
#include "jose/jwt.h"

namespace gatehouse::authn::detail {

// The identity of a verified `jwt`, whose claims it takes (jwt.claims is left empty).
// `space_delimited` names the claims to split into word lists (Provider::space_delimited_claims).
std::shared_ptr<const Identity> make_identity(jose::Jwt& jwt,
                                              const std::vector<std::string>& space_delimited);

// Adds `header` for claim `dotted_name` ("a.b.c" walks nested objects) as Envoy renders it: a
// non-empty string as is, a number as an integer when whole and in 0..2^64, else as printf's
// "%f" (Envoy holds claims as doubles: "1.500000", "-3.000000"), a bool as "true"/"false".
// Adds nothing for anything else, an empty string or a missing claim.
void add_claim_header(const boost::json::object& claims, std::string_view dotted_name,
                      std::string_view header, http1::Fields& headers);

}  // namespace gatehouse::authn::detail
