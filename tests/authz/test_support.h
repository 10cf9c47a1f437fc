// Shared helpers for the authz tests: requests, identities and policies in one readable line
// each, and `allows`, which runs one rule as the only ALLOW policy.
#pragma once

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <optional>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "authn/identity.h"
#include "authz/policy_set.h"

namespace gatehouse::authz {

// Owns what authz::Request points at.
struct TestRequest {
  std::string method = "GET", authority = "example.com", path = "/", query;
  std::string peer_ip = "10.0.0.1", remote_ip, destination_ip, sni;
  uint16_t port = 8080;
  std::vector<std::pair<std::string, std::string>> headers;
  const authn::Identity* identity = nullptr;

  Request get() {
    fields_.clear();
    for (const auto& [name, value] : headers) fields_.push_back({name, value});
    Request r;
    r.http.method = method;
    r.http.scheme = "https";
    r.http.authority = authority;
    r.http.path = path;
    r.http.query = query;
    r.http.peer_ip = peer_ip;
    r.http.listener_port = port;
    r.http.headers = fields_;
    r.remote_ip = remote_ip;
    r.destination_ip = destination_ip;
    r.sni = sni;
    r.identity = identity;
    return r;
  }

 private:
  std::vector<HeaderField> fields_;
};

// A verified identity over `payload` (JSON), with iss/sub/aud/azp read as authn does.
inline authn::Identity identity(std::string_view payload) {
  authn::Identity id;
  id.claims = boost::json::parse(payload).as_object();
  auto text = [&](const char* name) {
    const auto* v = id.claims.if_contains(name);
    return v && v->is_string() ? std::string(v->get_string()) : std::string();
  };
  id.issuer = text("iss");
  id.subject = text("sub");
  id.presenter = text("azp");
  if (!id.issuer.empty() && !id.subject.empty()) id.principal = id.issuer + "/" + id.subject;
  if (const auto* aud = id.claims.if_contains("aud")) {
    if (aud->is_string()) id.audiences.emplace_back(aud->get_string());
    if (aud->is_array())
      for (const auto& a : aud->get_array()) id.audiences.emplace_back(a.get_string());
  }
  return id;
}

inline config::AuthorizationPolicy policy(std::string name, Action action,
                                          std::optional<std::vector<config::Rule>> rules,
                                          std::string ns = "default",
                                          config::Labels selector = {}) {
  config::AuthorizationPolicy p;
  p.kind = "AuthorizationPolicy";
  p.metadata.name = std::move(name);
  p.metadata.namespace_ = std::move(ns);
  p.action = action;
  p.rules = std::move(rules);
  p.selector = std::move(selector);
  return p;
}

// Sources and operations from (field, values) pairs: designated initializers would trip
// -Wmissing-field-initializers.
template <class Resource>
using Fields = std::initializer_list<
    std::pair<std::vector<std::string> Resource::*, std::vector<std::string>>>;
using S = config::Source;
using O = config::Operation;

inline config::Source source(Fields<S> fields) {
  config::Source s;
  for (const auto& [field, values] : fields) s.*field = values;
  return s;
}
inline config::Operation operation(Fields<O> fields, std::vector<uint32_t> ports = {},
                                   std::vector<uint32_t> not_ports = {}) {
  config::Operation op;
  for (const auto& [field, values] : fields) op.*field = values;
  op.ports = std::move(ports);
  op.not_ports = std::move(not_ports);
  return op;
}
inline config::Rule from(Fields<S> fields) {
  config::Rule rule;
  rule.from.push_back(source(fields));
  return rule;
}
inline config::Rule to(Fields<O> fields, std::vector<uint32_t> ports = {},
                       std::vector<uint32_t> not_ports = {}) {
  config::Rule rule;
  rule.to.push_back(operation(fields, std::move(ports), std::move(not_ports)));
  return rule;
}
inline config::Condition condition(config::ConditionKey key, std::vector<std::string> path,
                                   std::vector<std::string> values,
                                   std::vector<std::string> not_values = {}) {
  config::Condition c;
  c.attribute = key;
  // The key as written, for the two bracketed forms explanations are tested with.
  c.key = key == config::ConditionKey::RequestHeader ? "request.headers" : "request.auth.claims";
  for (const auto& name : path) c.key += "[" + name + "]";
  c.path = std::move(path);
  c.values = std::move(values);
  c.not_values = std::move(not_values);
  return c;
}
inline config::Rule when(config::Condition c) {
  config::Rule rule;
  rule.when.push_back(std::move(c));
  return rule;
}

inline PolicySet compile_ok(const std::vector<config::AuthorizationPolicy>& policies) {
  auto set = PolicySet::compile(policies, "istio-system");
  if (auto* error = std::get_if<CompileError>(&set)) {
    ADD_FAILURE() << error->policy << ": " << error->message;
    return std::get<PolicySet>(PolicySet::compile({}, "istio-system"));
  }
  return std::get<PolicySet>(std::move(set));
}

// A decision with the policies its RuleRefs point into.
struct Evaluated : Decision {
  std::shared_ptr<const WorkloadPolicies> policies;
};

inline Evaluated decide(const std::vector<config::AuthorizationPolicy>& policies,
                        TestRequest& request, std::string_view ns = "default",
                        const config::Labels& labels = {}) {
  auto selected = compile_ok(policies).for_workload(ns, labels);
  return {evaluate(*selected, request.get()), selected};
}

// Whether `rule`, as the only rule of the only ALLOW policy, matches the request.
inline bool allows(const config::Rule& rule, TestRequest& request) {
  return decide({policy("p", Action::Allow, std::vector{rule})}, request).allowed;
}

}  // namespace gatehouse::authz
