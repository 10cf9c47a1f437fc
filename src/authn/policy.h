// Which JWT providers guard a workload: the RequestAuthentication resources that apply to it,
// merged as Istio merges them (every rule of every applicable resource, sorted by issuer, one
// provider per rule). Compiled once per configuration snapshot; immutable afterwards, so any
// number of workers may read it at once.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "config/security_resources.h"

namespace gatehouse::authn {

struct HeaderLocation {
  std::string name;    // lower-cased
  std::string prefix;  // searched for case-sensitively; empty: the whole value is the token
};

// One JWT rule, ready for the request path.
struct Provider {
  std::string issuer;                  // empty: any issuer
  std::vector<std::string> audiences;  // normalized (see allows_audiences); empty: no check
  std::string key_source;              // key_source_id(rule): where its keys are in a KeyTable
  // Where tokens are read, in Envoy's extraction order: headers by name and prefix, then query
  // parameters, then cookies, each sorted and without repeats. Istio's defaults
  // (`Authorization: Bearer ` and `access_token`) when the rule names none.
  std::vector<HeaderLocation> from_headers;
  std::vector<std::string> from_params;
  std::vector<std::string> from_cookies;
  bool forward_original_token = false;
  std::string output_payload_to_header;  // empty: none
  std::vector<config::ClaimToHeader> output_claim_to_headers;
  // The claims split into word lists for authorization: "scope", "permission" and the rule's
  // spaceDelimitedClaims, sorted, without repeats.
  std::vector<std::string> space_delimited_claims;
  // What a cached verification must have been made under to stand for this provider: the key
  // source and the split claims (the Identity depends on both).
  std::string cache_scope;

  // Envoy's audience check: true when `audiences` is empty or some token audience equals some
  // configured one, both without a leading "http://" or "https://" and one trailing '/'.
  bool allows_audiences(const std::vector<std::string>& token_audiences) const;
};

// The providers of one workload.
struct Requirement {
  std::vector<Provider> providers;  // by issuer; rules of one issuer keep configuration order
  // Every provider's outputPayloadToHeader and outputClaimToHeaders headers, without repeats:
  // removed from every request before verification, so a client cannot forge them.
  std::vector<std::string> output_headers;
};

// The provider for one rule, with Istio's default token locations filled in when it has none.
Provider make_provider(const config::JwtRule& rule);

class PolicySet {
 public:
  // `root_namespace` is the mesh's root namespace (Istio's default: istio-system), whose
  // resources apply to workloads of every namespace.
  static PolicySet compile(const std::vector<config::RequestAuthentication>& policies,
                           std::string_view root_namespace);

  // The merged providers of every resource that applies to the workload: those in the root
  // namespace and those in `ns`, whose selector's labels are all among `labels` (an empty
  // selector selects every workload). nullptr when no rule applies. Allocates: meant to be
  // called once per destination at configuration load.
  std::shared_ptr<const Requirement> for_workload(std::string_view ns,
                                                  const config::Labels& labels) const;

 private:
  struct Policy {
    std::string ns;
    config::Labels selector;
    std::vector<Provider> providers;  // in rule order
  };

  std::vector<Policy> policies_;  // in configuration order
  std::string root_namespace_;
};

}  // namespace gatehouse::authn
