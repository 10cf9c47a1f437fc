// Typed security.istio.io resources: RequestAuthentication and AuthorizationPolicy after
// strict decoding, with Istio's field names and defaults. Use resources.h, which includes
// this; runtime modules take these structs, never YAML.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "config/resource_base.h"

namespace gatehouse::config {

// ---- RequestAuthentication -----------------------------------------------------------

struct JwtHeader {
  std::string name;    // lower-cased
  std::string prefix;  // as written, e.g. "Bearer "
};

struct ClaimToHeader {
  std::string header;  // lower-cased
  std::string claim;   // a top-level claim or a dotted path into nested objects: "a.b.c"
};

struct JwtRule {
  std::string issuer;                  // empty: any issuer, for the keys of jwks_uri
  std::vector<std::string> audiences;  // empty: no audience check
  std::string jwks_uri;                // empty with empty jwks: OpenID discovery from the issuer
  std::string jwks;                    // inline JWKS (JSON text)
  // Where the token is read. Without any of the three, Istio's default is filled in:
  // `Authorization: Bearer <token>` and the `access_token` query parameter.
  std::vector<JwtHeader> from_headers;
  std::vector<std::string> from_params;
  std::vector<std::string> from_cookies;
  bool forward_original_token = false;
  std::string output_payload_to_header;  // lower-cased; empty: not written
  std::vector<ClaimToHeader> output_claim_to_headers;
  Millis timeout{5000};  // for fetching the JWKS
  // Claims split on spaces into lists for authorization, besides scope and permission.
  std::vector<std::string> space_delimited_claims;
  SourceLocation where;
};

struct RequestAuthentication : ResourceBase {
  Labels selector;  // spec.selector.matchLabels; empty: every workload in scope
  std::vector<JwtRule> jwt_rules;
};

// ---- AuthorizationPolicy -------------------------------------------------------------

// The attribute a `when` condition tests, from its key.
enum class ConditionKey {
  RequestHeader,         // request.headers[<name>]
  SourceIp,              // source.ip
  RemoteIp,              // remote.ip
  SourceNamespace,       // source.namespace
  SourcePrincipal,       // source.principal
  SourceServiceAccount,  // source.serviceAccount
  RequestPrincipal,      // request.auth.principal
  RequestAudiences,      // request.auth.audiences
  RequestPresenter,      // request.auth.presenter
  RequestClaims,         // request.auth.claims[<claim>][<nested claim>]...
  DestinationIp,         // destination.ip
  DestinationPort,       // destination.port
  ConnectionSni,         // connection.sni
};

struct Condition {
  std::string key;  // as written
  ConditionKey attribute = ConditionKey::RequestHeader;
  // The bracketed names of the key: the header name (lower-cased) for RequestHeader, the
  // claim path for RequestClaims; empty otherwise.
  std::vector<std::string> path;
  // Checked like the attribute: IPs or CIDRs for the *.ip keys, 0-65535 for
  // destination.port; Istio's string patterns otherwise.
  std::vector<std::string> values;
  std::vector<std::string> not_values;
  SourceLocation where;
};

// Rule.from[].source. Each field is a list of Istio string patterns (exact, `prefix*`,
// `*suffix`, `*`) unless said otherwise; an empty list does not constrain.
struct Source {
  std::vector<std::string> principals, not_principals;
  std::vector<std::string> request_principals, not_request_principals;
  std::vector<std::string> namespaces, not_namespaces;
  std::vector<std::string> service_accounts, not_service_accounts;  // `[namespace/]name`
  std::vector<std::string> ip_blocks, not_ip_blocks;                // IPs or CIDRs
  std::vector<std::string> remote_ip_blocks, not_remote_ip_blocks;  // IPs or CIDRs
  SourceLocation where;
};

// Rule.to[].operation.
struct Operation {
  std::vector<std::string> hosts, not_hosts;  // lower-cased
  std::vector<uint32_t> ports, not_ports;
  std::vector<std::string> methods, not_methods;
  std::vector<std::string> paths, not_paths;  // patterns or templates with {*} and {**}
  SourceLocation where;
};

// Matches when some source matches (or `from` is empty), some operation matches (or `to`
// is empty) and every condition holds.
struct Rule {
  std::vector<Source> from;
  std::vector<Operation> to;
  std::vector<Condition> when;
  SourceLocation where;
};

struct AuthorizationPolicy : ResourceBase {
  enum class Action { Allow, Deny, Audit, Custom };

  Labels selector;  // spec.selector.matchLabels; empty: every workload in scope
  Action action = Action::Allow;
  std::string provider;  // provider.name: the MeshConfig extension provider, CUSTOM only
  // Absent (nullopt) and `[]` both hold no rule, so an ALLOW policy allows nothing (and
  // DENY and CUSTOM are refused); `[{}]` holds one rule that matches every request.
  std::optional<std::vector<Rule>> rules;
  bool dry_run = false;  // annotation istio.io/dry-run: evaluated and logged, not enforced
};

}  // namespace gatehouse::config
