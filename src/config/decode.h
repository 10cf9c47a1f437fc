// The per-kind decoders load() dispatches to, the helpers they share, and the references
// between resources they record for validate_references(). Internal to the config module;
// everything runs inside one load() call.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "config/identity_provider.h"
#include "config/resources.h"
#include "config/yaml_reader.h"

namespace gatehouse::config {

// A name one resource uses for another, checked once every document has been read.
struct Reference {
  SourceLocation where;
  std::string from;    // id of the resource that uses the name
  std::string target;  // "namespace/name"
};

struct PortReference {
  SourceLocation where;
  std::string from;
  uint32_t port = 0;
};

struct ListenerAddress {
  SourceLocation where;
  std::string from;
  std::string address;
  uint32_t port = 0;
};

struct CrossReferences {
  std::vector<Reference> gateways;                  // VirtualService -> Gateway
  std::vector<Reference> target_groups;             // Listener -> TargetGroup
  std::vector<PortReference> gateway_ports;         // mesh TargetGroup -> Gateway server port
  std::vector<ListenerAddress> listener_addresses;  // must not collide
  std::vector<Reference> extension_providers;       // CUSTOM policy -> MeshConfig provider
};

// Each reads `spec` into `out`, whose ResourceBase is already filled in.
void decode_gateway(const Value& spec, Gateway& out);
void decode_virtual_service(const Value& spec, VirtualService& out, CrossReferences& refs);
void decode_service_entry(const Value& spec, ServiceEntry& out);
void decode_destination_rule(const Value& spec, DestinationRule& out);
void decode_request_authentication(const Value& spec, RequestAuthentication& out);
void decode_authorization_policy(const Value& spec, AuthorizationPolicy& out,
                                 CrossReferences& refs);
void decode_listener(const Value& spec, Listener& out, CrossReferences& refs);
void decode_target_group(const Value& spec, TargetGroup& out, CrossReferences& refs);
void decode_mesh_config(const Value& spec, MeshConfig& out);
void decode_identity_provider(const Value& spec, IdentityProvider& out);

// Listener parts: one rule condition; an action list, checked and sorted by order.
std::optional<RuleCondition> read_condition(const Value& value);
std::vector<RuleAction> read_actions(const Value& list, const Listener& listener,
                                     CrossReferences& refs);
// An authenticate-oidc action's authenticateOidcConfig (authenticate_oidc.cc); and the rule-level
// check that `actions` holds at most one of them.
std::optional<AuthenticateOidcConfig> read_authenticate_oidc(const Object& action,
                                                             const Listener& listener);
void check_authenticate_actions(const Value& list, const std::vector<RuleAction>& actions);

// One HTTPRoute of `vs` (which supplies the namespace for gateway names).
HttpRoute decode_http_route(const Value& value, const VirtualService& vs, CrossReferences& refs);
HttpMatch decode_http_match(const Value& value, const VirtualService& vs, CrossReferences& refs);

// A VirtualService `gateways` entry: "mesh", "name" (same namespace) or "namespace/name".
// Returns "mesh" or "namespace/name", and records a reference to check; nullopt if invalid.
std::optional<std::string> read_gateway_name(const Value& value, const VirtualService& vs,
                                             CrossReferences& refs);

// An Istio port protocol (case-insensitive), upper-cased: HTTP, HTTPS, HTTP2, GRPC, TCP, ...
std::optional<std::string> read_protocol_name(const Value& value);

// A mapping of Kubernetes labels, keys and values checked.
Labels read_labels(const Value& value);

// A list item that must be given: reports `- ~` (and a bare `-`) and returns false.
bool require_item(const Value& item);
// A list item that is an object of `fields`; nullopt when it is null (reported here) or
// not a mapping (reported by Object).
std::optional<Object> read_item(const Value& item, std::initializer_list<std::string_view> fields);

// The security kinds' `selector.matchLabels` (targetRef and targetRefs are refused).
Labels read_workload_selector(const Object& spec);

// Reports what is wrong with one value of a list, at `item`.
using ValueCheck = void (*)(const Value& item, const std::string& text);

// A list of strings in which, as in Istio, no value may be empty or null; `check` looks at
// each non-empty one. Every given value is returned, valid or not, so callers can tell an
// empty list from one with bad values.
std::vector<std::string> read_values(const Value& list, ValueCheck check = nullptr);

// Whether a list field holds anything, valid or not: what Istio counts when it asks
// whether a field is set (a wrong shape has been reported by the field's reader).
bool has_values(const Value& list);

// ValueChecks shared by policy fields and conditions.
void check_ip_block(const Value& item, const std::string& text);
void check_port_number(const Value& item, const std::string& text);
void check_service_account(const Value& item, const std::string& text);

// One `when` condition of an AuthorizationPolicy rule; `custom` for action CUSTOM, which
// cannot test identities.
std::optional<Condition> read_when_condition(const Value& value, bool custom);

// An RE2 regular expression as Istio accepts it: at most 1024 bytes, compiles.
std::optional<std::string> read_regex(const Value& value);

// Reports and returns false unless `name` is a valid HTTP header name (an RFC 9110 token).
bool check_header_name(const Value& at, std::string_view name);
// HTTP/2 pseudo-headers Istio lets a route or a policy match on (":method", ...).
bool is_pseudo_header(std::string_view name);

// Checks references between resources; errors go to `diagnostics`.
void validate_references(const Snapshot& snapshot, const CrossReferences& refs,
                         Diagnostics& diagnostics);

}  // namespace gatehouse::config
