// Host-name rules shared by route building and lookup: Istio short-name expansion, gateway
// references, wildcard subset tests, Gateway x VirtualService host intersection, and
// case-insensitive hashing for the per-port virtual-host maps. Pure functions.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace gatehouse::mesh {

inline constexpr std::string_view kClusterDomain = "cluster.local";

std::string lower_ascii(std::string_view text);
bool istarts_with(std::string_view text, std::string_view prefix);

// Istio ResolveShortnameToFQDN: "reviews" in namespace "foo" becomes
// "reviews.foo.svc.cluster.local"; "*", IP addresses and names with a dot stay as they are.
std::string resolve_short_name(std::string_view host, std::string_view namespace_);

// Istio resolveGatewayName, giving "ns/name": "name" and "./name" take `namespace_`, "ns/name"
// stays, the legacy "name.ns[.svc.cluster.local]" becomes "ns/name". "mesh" stays "mesh".
std::string resolve_gateway_name(std::string_view reference, std::string_view namespace_);

// A name Istio accepts for matching: "*", "*.suffix", or a name without '*'.
bool is_valid_host_pattern(std::string_view host);

// Istio host.Name.SubsetOf: every name `a` matches is also matched by `b` ("*" matches all,
// "*.x.com" matches any name ending in ".x.com"). Both lower-case.
bool host_subset_of(std::string_view a, std::string_view b);

// Istio Names.Intersection: for each pair where one side is a subset of the other, the more
// specific name; first occurrence order, no duplicates. Both lists lower-case.
std::vector<std::string> intersect_hosts(const std::vector<std::string>& server_hosts,
                                         const std::vector<std::string>& virtual_service_hosts);

// For unordered maps keyed by lower-case host names and searched with names as sent.
struct CaseInsensitiveHash {
  using is_transparent = void;
  std::size_t operator()(std::string_view text) const;
};
struct CaseInsensitiveEqual {
  using is_transparent = void;
  bool operator()(std::string_view a, std::string_view b) const;
};

}  // namespace gatehouse::mesh
