// Internal to authn: finding a provider's tokens in a request, as Envoy's jwt_authn extractor
// does (headers, then query parameters, then cookies). Nothing is copied unless it has to be:
// a token is normally a view into the request.
#pragma once

#include <boost/container/small_vector.hpp>
#include <string>
#include <string_view>

#include "authn/policy.h"
#include "http1/fields.h"

namespace gatehouse::authn::detail {

struct Token {
  // The header the token came from, removed after a successful verification unless
  // forwardOriginalToken; empty for a query parameter or cookie, which are never removed.
  std::string_view header;
  std::string_view view;  // the token, when it lies in the request as is
  std::string owned;      // the token, when it had to be built (joined headers, %-decoding)
  bool is_owned = false;

  std::string_view text() const { return is_owned ? std::string_view(owned) : view; }
};

// Two inline slots: a request rarely carries more than one token for a provider.
using Tokens = boost::container::small_vector<Token, 2>;

// Appends the tokens of `provider`'s locations found in `headers` and `query`, in Envoy's
// order. A header location with a prefix holds a token only when the prefix occurs (case-
// sensitively, anywhere) in the field's values joined with ','; the token is then the first
// run of base64url characters and dots after it, or the whole value when there is none. A
// header without prefix, a parameter (first occurrence, %-decoded) or a cookie (first
// occurrence, quotes removed) is a token even when empty.
void extract_tokens(const Provider& provider, const http1::Fields& headers, std::string_view query,
                    Tokens& out);

}  // namespace gatehouse::authn::detail
