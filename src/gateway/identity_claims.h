// The verified JWT claims as the mesh router's claim matches read them (VirtualService
// header keys `@request.auth.claims[...]`): a string claim matches by itself, a list of
// strings when any element matches; other values never match, as in Istio.
#pragma once

#include "authn/identity.h"
#include "mesh/value_matcher.h"

namespace gatehouse::gateway {

class IdentityClaims final : public mesh::ClaimSource {
 public:
  explicit IdentityClaims(const authn::Identity& identity) : identity_(identity) {}

  bool claim_matches(std::span<const std::string> path,
                     const mesh::ValueMatcher& match) const override {
    const boost::json::value* claim = identity_.claim(path);
    if (claim == nullptr) return false;
    if (const auto* text = claim->if_string()) return match.matches(*text);
    if (const auto* list = claim->if_array()) {
      for (const auto& item : *list)
        if (const auto* text = item.if_string(); text && match.matches(*text)) return true;
    }
    return false;
  }

 private:
  const authn::Identity& identity_;
};

}  // namespace gatehouse::gateway
