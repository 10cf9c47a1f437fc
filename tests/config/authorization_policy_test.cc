// AuthorizationPolicy: action, provider, rules, sources and operations; Istio's defaults
// and one negative test per validation rule. Conditions are in authorization_condition_test.
#include <gtest/gtest.h>

#include "config/loader.h"
#include "test_support.h"

namespace gatehouse::config {
namespace {

using testing::error_at;
using testing::error_strings;
using testing::expect_error;
using testing::expect_errors;
using testing::expect_ok;
using testing::load_text;
using testing::security;
using Action = AuthorizationPolicy::Action;

constexpr std::string_view kKind = "AuthorizationPolicy";

// Line N of the spec snippet is line 6 + N of the file.
std::string at(int line, std::string_view message) { return error_at(kKind, line, message); }

std::string policy(std::string_view spec) { return security(kKind, spec); }

AuthorizationPolicy only_policy(const std::string& text) {
  LoadResult result = load_text(text);
  EXPECT_EQ(error_strings(result), std::vector<std::string>{});
  if (result.snapshot.authorization_policies.size() != 1) {
    ADD_FAILURE() << "expected one AuthorizationPolicy";
    return {};
  }
  return result.snapshot.authorization_policies[0];
}

// The first rule's first source or operation, from a one-line flow mapping.
Source only_source(std::string_view source) {
  AuthorizationPolicy loaded =
      only_policy(policy("rules:\n- from:\n  - source: " + std::string(source)));
  return loaded.rules.value_or(std::vector<Rule>{{}}).at(0).from.at(0);
}

Operation only_operation(std::string_view operation) {
  AuthorizationPolicy loaded =
      only_policy(policy("rules:\n- to:\n  - operation: " + std::string(operation)));
  return loaded.rules.value_or(std::vector<Rule>{{}}).at(0).to.at(0);
}

// A rule whose first source (line 9) or operation (line 9) is `body`.
std::string with_source(std::string_view source) {
  return policy("rules:\n- from:\n  - source: " + std::string(source));
}
std::string with_operation(std::string_view operation) {
  return policy("rules:\n- to:\n  - operation: " + std::string(operation));
}

TEST(AuthorizationPolicy, EveryFieldIsDecoded) {
  AuthorizationPolicy loaded = only_policy(policy(R"(selector:
  matchLabels: {app: httpbin}
action: DENY
rules:
- from:
  - source:
      principals: [cluster.local/ns/a/sa/b]
      notPrincipals: [cluster.local/ns/a/sa/c]
      requestPrincipals: ["https://issuer/*"]
      notRequestPrincipals: ["*"]
      namespaces: [a]
      notNamespaces: [b]
      ipBlocks: [10.0.0.0/8, 192.168.1.1]
      notIpBlocks: ["::1"]
      remoteIpBlocks: [203.0.113.0/24]
      notRemoteIpBlocks: ["2001:db8::/32"]
  - source: {serviceAccounts: [ns/sa, sa], notServiceAccounts: [other]}
  to:
  - operation:
      hosts: [Example.COM, "*.example.org"]
      notHosts: [Admin.example.com]
      ports: ["8080", 0]
      notPorts: [65535]
      methods: [GET, "PO*"]
      notMethods: [DELETE]
      paths: [/status/200, "/api/*", "/v1/{*}/items/{**}"]
      notPaths: ["*.php"]
  when:
  - key: request.auth.claims[groups]
    values: [httpbin]
    notValues: [guest])"));
  EXPECT_EQ(loaded.id(), "AuthorizationPolicy/foo/demo");
  EXPECT_EQ(loaded.selector, (Labels{{"app", "httpbin"}}));
  EXPECT_EQ(loaded.action, Action::Deny);
  EXPECT_EQ(loaded.provider, "");
  EXPECT_FALSE(loaded.dry_run);
  ASSERT_TRUE(loaded.rules.has_value());
  ASSERT_EQ(loaded.rules->size(), 1u);
  const Rule& rule = loaded.rules->at(0);
  EXPECT_EQ(rule.where.line, 11);
  ASSERT_EQ(rule.from.size(), 2u);
  const Source& source = rule.from[0];
  EXPECT_EQ(source.where.line, 12);
  EXPECT_EQ(source.principals, std::vector<std::string>{"cluster.local/ns/a/sa/b"});
  EXPECT_EQ(source.not_principals, std::vector<std::string>{"cluster.local/ns/a/sa/c"});
  EXPECT_EQ(source.request_principals, std::vector<std::string>{"https://issuer/*"});
  EXPECT_EQ(source.not_request_principals, std::vector<std::string>{"*"});
  EXPECT_EQ(source.namespaces, std::vector<std::string>{"a"});
  EXPECT_EQ(source.not_namespaces, std::vector<std::string>{"b"});
  EXPECT_EQ(source.ip_blocks, (std::vector<std::string>{"10.0.0.0/8", "192.168.1.1"}));
  EXPECT_EQ(source.not_ip_blocks, std::vector<std::string>{"::1"});
  EXPECT_EQ(source.remote_ip_blocks, std::vector<std::string>{"203.0.113.0/24"});
  EXPECT_EQ(source.not_remote_ip_blocks, std::vector<std::string>{"2001:db8::/32"});
  EXPECT_EQ(rule.from[1].service_accounts, (std::vector<std::string>{"ns/sa", "sa"}));
  EXPECT_EQ(rule.from[1].not_service_accounts, std::vector<std::string>{"other"});
  ASSERT_EQ(rule.to.size(), 1u);
  const Operation& operation = rule.to[0];
  EXPECT_EQ(operation.where.line, 25);
  EXPECT_EQ(operation.hosts, (std::vector<std::string>{"example.com", "*.example.org"}));
  EXPECT_EQ(operation.not_hosts, std::vector<std::string>{"admin.example.com"});
  EXPECT_EQ(operation.ports, (std::vector<uint32_t>{8080, 0}));
  EXPECT_EQ(operation.not_ports, std::vector<uint32_t>{65535});
  EXPECT_EQ(operation.methods, (std::vector<std::string>{"GET", "PO*"}));
  EXPECT_EQ(operation.not_methods, std::vector<std::string>{"DELETE"});
  EXPECT_EQ(operation.paths,
            (std::vector<std::string>{"/status/200", "/api/*", "/v1/{*}/items/{**}"}));
  EXPECT_EQ(operation.not_paths, std::vector<std::string>{"*.php"});
  ASSERT_EQ(rule.when.size(), 1u);
  EXPECT_EQ(rule.when[0].key, "request.auth.claims[groups]");
  EXPECT_EQ(rule.when[0].values, std::vector<std::string>{"httpbin"});
  EXPECT_EQ(rule.when[0].not_values, std::vector<std::string>{"guest"});
}

TEST(AuthorizationPolicy, ActionDefaultsToAllow) {
  EXPECT_EQ(only_policy(policy("rules: [{}]")).action, Action::Allow);
  EXPECT_EQ(only_policy(policy("action: ~\nrules: [{}]")).action, Action::Allow);
}

TEST(AuthorizationPolicy, EveryActionIsRead) {
  EXPECT_EQ(only_policy(policy("action: ALLOW")).action, Action::Allow);
  EXPECT_EQ(only_policy(policy("action: DENY\nrules: [{}]")).action, Action::Deny);
  EXPECT_EQ(only_policy(policy("action: AUDIT\nrules: [{}]")).action, Action::Audit);
  AuthorizationPolicy custom =
      only_policy(testing::gatehouse("MeshConfig",
                                     "extensionProviders:\n- name: authz\n  envoyExtAuthzHttp: "
                                     "{service: authz.foo.svc.cluster.local, port: 9000}",
                                     "mesh") +
                  "---\n" + policy("action: CUSTOM\nprovider: {name: authz}\nrules: [{}]"));
  EXPECT_EQ(custom.action, Action::Custom);
  EXPECT_EQ(custom.provider, "authz");
}

TEST(AuthorizationPolicy, ActionsAreCaseSensitive) {
  expect_error(policy("action: Deny\nrules: [{}]"),
               at(7,
                  "spec.action: invalid value \"Deny\", expected one of ALLOW, DENY, AUDIT, "
                  "CUSTOM (did you mean \"DENY\"?)"));
}

TEST(AuthorizationPolicy, AbsentEmptyAndOneEmptyRuleAreDistinct) {
  AuthorizationPolicy absent = only_policy(policy("action: ALLOW"));
  EXPECT_FALSE(absent.rules.has_value());
  AuthorizationPolicy empty = only_policy(policy("rules: []"));
  ASSERT_TRUE(empty.rules.has_value());
  EXPECT_TRUE(empty.rules->empty());
  AuthorizationPolicy one = only_policy(policy("rules: [{}]"));
  ASSERT_TRUE(one.rules.has_value());
  ASSERT_EQ(one.rules->size(), 1u);
  EXPECT_TRUE(one.rules->at(0).from.empty());
  EXPECT_TRUE(one.rules->at(0).to.empty());
  EXPECT_TRUE(one.rules->at(0).when.empty());
}

TEST(AuthorizationPolicy, AllowNothingNeedsNoSpec) {
  EXPECT_FALSE(only_policy(policy("{}")).rules.has_value());
  AuthorizationPolicy bare = only_policy(
      "apiVersion: security.istio.io/v1beta1\nkind: AuthorizationPolicy\nmetadata:\n"
      "  name: allow-nothing\n  namespace: foo\n");
  EXPECT_EQ(bare.action, Action::Allow);
  EXPECT_FALSE(bare.rules.has_value());
}

TEST(AuthorizationPolicy, DenyAndCustomNeedRules) {
  std::string advice =
      " action without rules is meaningless as it will never be triggered; add an empty rule {} "
      "to trigger it for every request";
  expect_error(policy("action: DENY"), at(6, "spec: DENY" + advice));
  expect_error(policy("action: DENY\nrules: []"), at(8, "spec.rules: DENY" + advice));
  expect_errors(policy("action: CUSTOM\nprovider: {name: authz}"),
                {at(6, "spec: CUSTOM" + advice),
                 "test.yaml:8: resource AuthorizationPolicy/foo/demo: MeshConfig extension "
                 "provider \"authz\" not found"});
  expect_ok(policy("action: AUDIT"));
  expect_ok(policy("action: DENY\nrules: [{}]"));
}

TEST(AuthorizationPolicy, CustomNeedsAProviderName) {
  expect_error(policy("action: CUSTOM\nrules: [{}]"),
               at(6,
                  "spec: action CUSTOM needs provider.name (a MeshConfig extension "
                  "provider)"));
  expect_error(policy("action: CUSTOM\nprovider: {}\nrules: [{}]"),
               at(8, "spec.provider: missing required field \"name\""));
  expect_error(policy("action: CUSTOM\nprovider: {name: \"\"}\nrules: [{}]"),
               at(8, "spec.provider.name: provider name must not be empty"));
}

TEST(AuthorizationPolicy, ProviderOnlyWithCustom) {
  expect_error(policy("action: DENY\nprovider: {name: authz}\nrules: [{}]"),
               at(8, "spec.provider: provider is only allowed with action CUSTOM, found DENY"));
  expect_error(policy("provider: {}"),
               at(7, "spec.provider: provider is only allowed with action CUSTOM, found ALLOW"));
}

TEST(AuthorizationPolicy, CustomCannotTestIdentities) {
  std::string mesh = testing::gatehouse("MeshConfig",
                                        "extensionProviders:\n- name: authz\n  envoyExtAuthzHttp: "
                                        "{service: authz.example.com, port: 9000}",
                                        "mesh") +
                     "---\n";  // 10 lines: the policy's spec line N is line 16 + N
  expect_errors(
      mesh + policy("action: CUSTOM\nprovider: {name: authz}\nrules:\n- from:\n"
                    "  - source: {principals: [a], requestPrincipals: [b], ipBlocks: [10.0.0.1]}"),
      {"test.yaml:21: resource AuthorizationPolicy/foo/demo: spec.rules[0].from[0].source."
       "principals: not supported with action CUSTOM",
       "test.yaml:21: resource AuthorizationPolicy/foo/demo: spec.rules[0].from[0].source."
       "requestPrincipals: not supported with action CUSTOM"});
  expect_ok(mesh + policy("action: CUSTOM\nprovider: {name: authz}\nrules:\n"
                          "- from: [{source: {remoteIpBlocks: [10.0.0.0/8]}}]\n"
                          "  to: [{operation: {paths: [/admin*], ports: [80]}}]\n"
                          "  when: [{key: 'request.headers[x-user]', values: [a]}]"));
}

TEST(AuthorizationPolicy, EmptyFromAndToAreRefused) {
  expect_errors(policy("rules:\n- from: []\n  to: []"),
                {at(8,
                    "spec.rules[0].from: from must not be empty (leave it out to match any "
                    "source)"),
                 at(9,
                    "spec.rules[0].to: to must not be empty (leave it out to match any "
                    "operation)")});
}

TEST(AuthorizationPolicy, SourceAndOperationMustBeGivenAndSetSomething) {
  expect_errors(
      policy("rules:\n- from: [{}, {source: {}}, ~]\n  to: [{operation: ~}, {operation: {}}]"),
      {at(8, "spec.rules[0].from[0]: missing required field \"source\""),
       at(8, "spec.rules[0].from[1].source: source must set at least one field"),
       at(8, "spec.rules[0].from[2]: must not be null"),
       at(9, "spec.rules[0].to[0]: missing required field \"operation\""),
       at(9, "spec.rules[0].to[1].operation: operation must set at least one field")});
  expect_error(with_source("{principals: []}"),
               at(9, "spec.rules[0].from[0].source: source must set at least one field"));
  expect_error(with_operation("{ports: []}"),
               at(9, "spec.rules[0].to[0].operation: operation must set at least one field"));
}

TEST(AuthorizationPolicy, NullRuleIsRefused) {
  expect_error(policy("rules:\n- ~"), at(8, "spec.rules[0]: must not be null"));
}

TEST(AuthorizationPolicy, EmptyValuesAreRefused) {
  expect_errors(with_source("{principals: [\"\"], namespaces: [a, ~]}"),
                {at(9, "spec.rules[0].from[0].source.principals[0]: empty value not allowed"),
                 at(9, "spec.rules[0].from[0].source.namespaces[1]: empty value not allowed")});
  expect_errors(with_operation("{methods: [\"\"], paths: [\"\"], ports: [\"\"]}"),
                {at(9, "spec.rules[0].to[0].operation.methods[0]: empty value not allowed"),
                 at(9, "spec.rules[0].to[0].operation.paths[0]: empty value not allowed"),
                 at(9, "spec.rules[0].to[0].operation.ports[0]: empty value not allowed")});
}

TEST(AuthorizationPolicy, IpBlocksMustBeAddressesOrCidrs) {
  expect_errors(with_source("{ipBlocks: [10.0.0.256], notRemoteIpBlocks: [10.0.0.0/33, a]}"),
                {at(9,
                    "spec.rules[0].from[0].source.ipBlocks[0]: \"10.0.0.256\" is not a valid "
                    "IP address or CIDR block"),
                 at(9,
                    "spec.rules[0].from[0].source.notRemoteIpBlocks[0]: \"10.0.0.0/33\" is "
                    "not a valid IP address or CIDR block"),
                 at(9,
                    "spec.rules[0].from[0].source.notRemoteIpBlocks[1]: \"a\" is not a valid "
                    "IP address or CIDR block")});
  EXPECT_EQ(only_source("{notIpBlocks: [\"fe80::/10\"]}").not_ip_blocks,
            std::vector<std::string>{"fe80::/10"});
}

TEST(AuthorizationPolicy, PortsMustBeNumbers) {
  expect_errors(with_operation("{ports: [http, \"65536\", -1], notPorts: [\"80 \"]}"),
                {at(9,
                    "spec.rules[0].to[0].operation.ports[0]: invalid port \"http\": expected "
                    "0-65535"),
                 at(9,
                    "spec.rules[0].to[0].operation.ports[1]: invalid port \"65536\": "
                    "expected 0-65535"),
                 at(9,
                    "spec.rules[0].to[0].operation.ports[2]: invalid port \"-1\": expected "
                    "0-65535"),
                 at(9,
                    "spec.rules[0].to[0].operation.notPorts[0]: invalid port \"80 \": "
                    "expected 0-65535")});
}

TEST(AuthorizationPolicy, PathTemplatesMustBeWellFormed) {
  std::string prefix = "spec.rules[0].to[0].operation.paths[0]: invalid path template ";
  expect_error(with_operation("{paths: [\"/foo/{*}.txt\"]}"),
               at(9, prefix + "\"/foo/{*}.txt\": {*} and {**} must be whole path segments, and "
                              "other segments may only hold letters, digits and "
                              "-._~%!$&'()+,;:@="));
  expect_error(with_operation("{paths: [\"/a/{**}/{*}\"]}"),
               at(9, prefix + "\"/a/{**}/{*}\": {**} must be the last operator of a path "
                              "template"));
  expect_error(with_operation("{paths: [\"/a//{*}\"]}"),
               at(9, prefix + "\"/a//{*}\": a path template must not contain //"));
  expect_error(with_operation("{paths: [\"{*}/a\"]}"),
               at(9, prefix + "\"{*}/a\": a path template must start with '/'"));
  expect_error(with_operation("{paths: [\"/{name}/{*}\"]}"),
               at(9, prefix + "\"/{name}/{*}\": {*} and {**} must be whole path segments, and "
                              "other segments may only hold letters, digits and "
                              "-._~%!$&'()+,;:@="));
  Operation ok = only_operation("{paths: [\"/store/{**}/cart\", \"/a/{*}/\", \"/{x}\", /a*]}");
  EXPECT_EQ(ok.paths.size(), 4u);
}

TEST(AuthorizationPolicy, ServiceAccountsFollowIstiosRules) {
  expect_errors(with_source("{serviceAccounts: [\"ns/*\", a/b/c]}"),
                {at(9,
                    "spec.rules[0].from[0].source.serviceAccounts[0]: wildcards are not "
                    "allowed in service accounts, got \"ns/*\""),
                 at(9,
                    "spec.rules[0].from[0].source.serviceAccounts[1]: a service account is "
                    "<namespace>/<name> or <name>, got \"a/b/c\"")});
  expect_error(with_source("{serviceAccounts: [a], namespaces: [b]}"),
               at(9,
                  "spec.rules[0].from[0].source: serviceAccounts cannot be combined with "
                  "principals or namespaces"));
  std::string many = "{notServiceAccounts: [a0";
  for (int i = 1; i < 17; ++i) many += ", a" + std::to_string(i);
  expect_error(with_source(many + "]}"),
               at(9,
                  "spec.rules[0].from[0].source.notServiceAccounts: at most 16 service "
                  "accounts, got 17"));
}

TEST(AuthorizationPolicy, TrustDomainsAreNotSupportedYet) {
  expect_error(with_source("{trustDomains: [td]}"),
               at(9,
                  "spec.rules[0].from[0].source: field \"trustDomains\" is not supported by "
                  "gatehouse yet"));
}

TEST(AuthorizationPolicy, TargetRefsAreRefused) {
  expect_error(policy("targetRef: {kind: Gateway, group: gateway.networking.k8s.io, name: gw}"),
               at(7,
                  "spec.targetRef: targetRef is not supported by gatehouse (it attaches "
                  "policies to Gateway API gateways and waypoints); use selector, or nothing "
                  "for the whole namespace"));
}

TEST(AuthorizationPolicy, DryRunAnnotationIsReadAsIstioDoes) {
  auto with_annotation = [](std::string_view value) {
    return "apiVersion: security.istio.io/v1\nkind: AuthorizationPolicy\nmetadata:\n  name: p\n"
           "  annotations:\n    istio.io/dry-run: " +
           std::string(value) + "\nspec:\n  action: DENY\n  rules: [{}]\n";
  };
  EXPECT_TRUE(only_policy(with_annotation("\"true\"")).dry_run);
  EXPECT_TRUE(only_policy(with_annotation("\"1\"")).dry_run);
  EXPECT_FALSE(only_policy(with_annotation("\"false\"")).dry_run);
  EXPECT_FALSE(only_policy(with_annotation("\"yes\"")).dry_run);  // ParseBool fails: enforced
}

TEST(AuthorizationPolicy, MisspeltFieldsSuggestTheRightOnes) {
  expect_error(policy("rule: []"), at(7, "spec: unknown field \"rule\" (did you mean \"rules\"?)"));
  expect_error(with_operation("{notPath: [/a]}"),
               at(9,
                  "spec.rules[0].to[0].operation: unknown field \"notPath\" (did you mean "
                  "\"notPaths\"?)"));
  expect_error(with_source("{requestPrincipal: [a]}"),
               at(9,
                  "spec.rules[0].from[0].source: unknown field \"requestPrincipal\" (did you "
                  "mean \"requestPrincipals\"?)"));
}

TEST(AuthorizationPolicy, ProtoFieldNamesAreAccepted) {
  Source source = only_source("{request_principals: [a], not_ip_blocks: [10.0.0.1]}");
  EXPECT_EQ(source.request_principals, std::vector<std::string>{"a"});
  EXPECT_EQ(source.not_ip_blocks, std::vector<std::string>{"10.0.0.1"});
  EXPECT_EQ(only_operation("{not_paths: [/a]}").not_paths, std::vector<std::string>{"/a"});
}

TEST(AuthorizationPolicy, WrongShapesAreErrors) {
  expect_error(policy("rules: {from: []}"), at(7, "spec.rules: expected a list, got a mapping"));
  expect_error(policy("rules:\n- from: {source: {}}"),
               at(8, "spec.rules[0].from: expected a list, got a mapping"));
  expect_error(with_source("[a]"),
               at(9, "spec.rules[0].from[0].source: expected a mapping, got a list"));
  expect_error(with_operation("{paths: /a}"),
               at(9, "spec.rules[0].to[0].operation.paths: expected a list, got \"/a\""));
  expect_error(with_operation("{methods: [[GET]]}"),
               at(9, "spec.rules[0].to[0].operation.methods[0]: expected a string, got a list"));
}

}  // namespace
}  // namespace gatehouse::config
