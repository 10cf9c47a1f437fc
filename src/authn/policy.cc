#include "authn/policy.h"

#include <algorithm>

#include "authn/key_table.h"

namespace gatehouse::authn {
namespace {

// jwt_verify_lib's sanitizeAudience: "https://api.example.com/" and "api.example.com" are
// the same audience.
std::string_view normalize_audience(std::string_view audience) {
  for (std::string_view scheme : {"https://", "http://"}) {
    if (audience.starts_with(scheme)) {
      audience.remove_prefix(scheme.size());
      break;
    }
  }
  if (audience.ends_with('/')) audience.remove_suffix(1);
  return audience;
}

template <typename T, typename Less = std::less<>>
void sort_unique(std::vector<T>& items, Less less = {}) {
  std::sort(items.begin(), items.end(), less);
  items.erase(std::unique(items.begin(), items.end(),
                          [&](const T& a, const T& b) { return !less(a, b) && !less(b, a); }),
              items.end());
}

// Envoy keeps header locations in a map keyed by name + prefix.
bool header_location_less(const HeaderLocation& a, const HeaderLocation& b) {
  return a.name + a.prefix < b.name + b.prefix;
}

bool selects(const config::Labels& selector, const config::Labels& labels) {
  return std::all_of(selector.begin(), selector.end(), [&](const auto& label) {
    const auto found = labels.find(label.first);
    return found != labels.end() && found->second == label.second;
  });
}

}  // namespace

bool Provider::allows_audiences(const std::vector<std::string>& token_audiences) const {
  if (audiences.empty()) return true;
  return std::any_of(token_audiences.begin(), token_audiences.end(), [&](const std::string& aud) {
    return std::find(audiences.begin(), audiences.end(), normalize_audience(aud)) !=
           audiences.end();
  });
}

Provider make_provider(const config::JwtRule& rule) {
  Provider provider;
  provider.issuer = rule.issuer;
  for (const std::string& audience : rule.audiences)
    provider.audiences.emplace_back(normalize_audience(audience));
  provider.key_source = key_source_id(rule);
  provider.from_headers.reserve(rule.from_headers.size());
  for (const config::JwtHeader& header : rule.from_headers)
    provider.from_headers.push_back({header.name, header.prefix});
  provider.from_params = rule.from_params;
  provider.from_cookies = rule.from_cookies;
  // The config decoder fills these in too; a rule built in code gets them here.
  if (provider.from_headers.empty() && provider.from_params.empty() &&
      provider.from_cookies.empty()) {
    provider.from_headers.push_back({"authorization", "Bearer "});
    provider.from_params.push_back("access_token");
  }
  sort_unique(provider.from_headers, header_location_less);
  sort_unique(provider.from_params);
  sort_unique(provider.from_cookies);
  provider.forward_original_token = rule.forward_original_token;
  provider.output_payload_to_header = rule.output_payload_to_header;
  provider.output_claim_to_headers = rule.output_claim_to_headers;
  provider.space_delimited_claims = rule.space_delimited_claims;
  provider.space_delimited_claims.push_back("permission");
  provider.space_delimited_claims.push_back("scope");
  sort_unique(provider.space_delimited_claims);
  // NUL never occurs in a YAML-given claim name or URL, so the scope text is unambiguous.
  provider.cache_scope = provider.key_source;
  for (const std::string& claim : provider.space_delimited_claims) {
    provider.cache_scope += '\0';
    provider.cache_scope += claim;
  }
  return provider;
}

PolicySet PolicySet::compile(const std::vector<config::RequestAuthentication>& policies,
                             std::string_view root_namespace) {
  PolicySet set;
  set.root_namespace_ = root_namespace;
  for (const config::RequestAuthentication& policy : policies) {
    Policy compiled{policy.metadata.namespace_, policy.selector, {}};
    for (const config::JwtRule& rule : policy.jwt_rules)
      compiled.providers.push_back(make_provider(rule));
    set.policies_.push_back(std::move(compiled));
  }
  return set;
}

std::shared_ptr<const Requirement> PolicySet::for_workload(std::string_view ns,
                                                           const config::Labels& labels) const {
  auto requirement = std::make_shared<Requirement>();
  for (const Policy& policy : policies_) {
    if ((policy.ns == root_namespace_ || policy.ns == ns) && selects(policy.selector, labels))
      requirement->providers.insert(requirement->providers.end(), policy.providers.begin(),
                                    policy.providers.end());
  }
  if (requirement->providers.empty()) return nullptr;
  // Istio sorts by issuer with an unstable sort; a stable one keeps same-issuer rules in
  // configuration order, so the result does not change from one load to the next.
  std::stable_sort(requirement->providers.begin(), requirement->providers.end(),
                   [](const Provider& a, const Provider& b) { return a.issuer < b.issuer; });
  std::vector<std::string>& outputs = requirement->output_headers;
  for (const Provider& provider : requirement->providers) {
    if (!provider.output_payload_to_header.empty())
      outputs.push_back(provider.output_payload_to_header);
    for (const config::ClaimToHeader& claim : provider.output_claim_to_headers)
      outputs.push_back(claim.header);
  }
  sort_unique(outputs);
  return requirement;
}

}  // namespace gatehouse::authn
