// AuthorizationPolicy `when` conditions: every key Istio knows, parsed into its attribute,
// the keys Istio refuses, and the checks on values.
#include <gtest/gtest.h>

#include "config/loader.h"
#include "test_support.h"

namespace gatehouse::config {
namespace {

using testing::error_at;
using testing::error_strings;
using testing::expect_error;
using testing::expect_errors;
using testing::load_text;
using testing::security;

// A policy whose one rule has the conditions `condition` (flow mappings) on line 9, or on
// line 10 for CUSTOM.
std::string when(std::string_view condition, std::string_view action = "ALLOW") {
  std::string spec =
      "action: " + std::string(action) + "\nrules:\n- when: [" + std::string(condition) + "]";
  if (action == "CUSTOM") spec = "provider: {name: authz}\n" + spec;
  return security("AuthorizationPolicy", spec);
}

std::string at(int line, std::string_view message) {
  return error_at("AuthorizationPolicy", line, message);
}

// The condition of when(`condition`), which must load.
Condition only_condition(std::string_view condition) {
  LoadResult result = load_text(when(condition));
  EXPECT_EQ(error_strings(result), std::vector<std::string>{});
  const auto& policies = result.snapshot.authorization_policies;
  if (policies.size() != 1 || !policies[0].rules || policies[0].rules->size() != 1 ||
      policies[0].rules->at(0).when.size() != 1) {
    ADD_FAILURE() << "expected one condition";
    return {};
  }
  return policies[0].rules->at(0).when[0];
}

TEST(Condition, PlainKeysNameTheirAttribute) {
  struct Case {
    std::string_view key;
    ConditionKey attribute;
    std::string_view value;
  };
  const std::vector<Case> cases{
      {"source.ip", ConditionKey::SourceIp, "10.0.0.0/8"},
      {"remote.ip", ConditionKey::RemoteIp, "2001:db8::1"},
      {"source.namespace", ConditionKey::SourceNamespace, "foo"},
      {"source.principal", ConditionKey::SourcePrincipal, "cluster.local/ns/foo/sa/a"},
      {"source.serviceAccount", ConditionKey::SourceServiceAccount, "foo/a"},
      {"request.auth.principal", ConditionKey::RequestPrincipal, "https://issuer/sub"},
      {"request.auth.audiences", ConditionKey::RequestAudiences, "api"},
      {"request.auth.presenter", ConditionKey::RequestPresenter, "client"},
      {"destination.ip", ConditionKey::DestinationIp, "127.0.0.1"},
      {"destination.port", ConditionKey::DestinationPort, "8080"},
      {"connection.sni", ConditionKey::ConnectionSni, "*.example.com"},
  };
  for (const Case& test : cases) {
    Condition condition = only_condition("{key: " + std::string(test.key) + ", values: ['" +
                                         std::string(test.value) + "']}");
    EXPECT_EQ(condition.key, test.key);
    EXPECT_EQ(condition.attribute, test.attribute) << test.key;
    EXPECT_EQ(condition.values, std::vector<std::string>{std::string(test.value)});
    EXPECT_TRUE(condition.path.empty()) << test.key;
  }
}

TEST(Condition, ValuesAndNotValuesAreKept) {
  Condition condition =
      only_condition("{key: request.auth.presenter, values: [a, 'b*'], notValues: ['*c']}");
  EXPECT_EQ(condition.values, (std::vector<std::string>{"a", "b*"}));
  EXPECT_EQ(condition.not_values, std::vector<std::string>{"*c"});
  EXPECT_EQ(condition.where.line, 9);
  EXPECT_TRUE(only_condition("{key: connection.sni, notValues: [a]}").values.empty());
}

TEST(Condition, RequestHeaderKeysNameTheHeaderInLowerCase) {
  Condition header = only_condition("{key: 'request.headers[X-Forwarded-Client]', values: [a]}");
  EXPECT_EQ(header.attribute, ConditionKey::RequestHeader);
  EXPECT_EQ(header.path, std::vector<std::string>{"x-forwarded-client"});
  EXPECT_EQ(only_condition("{key: 'request.headers[:method]', values: [GET]}").path,
            std::vector<std::string>{":method"});
}

TEST(Condition, ClaimKeysNameTheClaimPath) {
  Condition groups = only_condition("{key: 'request.auth.claims[groups]', values: [httpbin]}");
  EXPECT_EQ(groups.attribute, ConditionKey::RequestClaims);
  EXPECT_EQ(groups.path, std::vector<std::string>{"groups"});
  EXPECT_EQ(only_condition("{key: 'request.auth.claims[realm][roles][0]', values: [a]}").path,
            (std::vector<std::string>{"realm", "roles", "0"}));
  // Brackets hold the name literally, dots and slashes included.
  EXPECT_EQ(only_condition("{key: 'request.auth.claims[foo.com/name]', values: [a]}").path,
            std::vector<std::string>{"foo.com/name"});
  // As Istio splits it: not a clean run of brackets is one name between the outer ones.
  EXPECT_EQ(only_condition("{key: 'request.auth.claims[a]b]', values: [x]}").path,
            std::vector<std::string>{"a]b"});
}

TEST(Condition, BracketedKeysNeedANameInBrackets) {
  for (std::string_view key : {"request.headers", "request.headers[]", "request.headersX[a]"}) {
    expect_error(when("{key: '" + std::string(key) + "', values: [a]}"),
                 at(9, "spec.rules[0].when[0].key: bad key \"" + std::string(key) +
                           "\": should have the form request.headers[<name>]"));
  }
  expect_error(when("{key: 'request.auth.claims[]', values: [a]}"),
               at(9,
                  "spec.rules[0].when[0].key: bad key \"request.auth.claims[]\": should have "
                  "the form request.auth.claims[<name>]"));
}

TEST(Condition, HeaderNamesMustBeValid) {
  expect_error(when("{key: 'request.headers[a b]', values: [a]}"),
               at(9,
                  "spec.rules[0].when[0].key: header name \"a b\" is not a valid header "
                  "name"));
  expect_error(when("{key: 'request.headers[:foo]', values: [a]}"),
               at(9,
                  "spec.rules[0].when[0].key: header name \":foo\" is not a valid header "
                  "name"));
}

TEST(Condition, UnknownKeysSuggestKnownOnes) {
  expect_error(when("{key: 'request.auth.claim[groups]', values: [a]}"),
               at(9,
                  "spec.rules[0].when[0].key: unknown attribute \"request.auth.claim[groups]\" "
                  "(did you mean \"request.auth.claims\"?)"));
  expect_error(when("{key: source.IP, values: [10.0.0.1]}"),
               at(9,
                  "spec.rules[0].when[0].key: unknown attribute \"source.IP\" (did you mean "
                  "\"source.ip\"?)"));
  expect_error(when("{key: user, values: [a]}"),
               at(9, "spec.rules[0].when[0].key: unknown attribute \"user\""));
}

TEST(Condition, KeysIstioRefusesAreRefused) {
  expect_errors(
      when("{key: destination.namespace, values: [a]}, {key: 'destination.labels[app]', "
           "values: [a]}, {key: destination.name, values: [a]}, {key: destination.user, "
           "values: [a]}"),
      {at(9,
          "spec.rules[0].when[0].key: attribute \"destination.namespace\" is replaced by the "
          "metadata.namespace"),
       at(9,
          "spec.rules[0].when[1].key: attribute \"destination.labels[app]\" is replaced by "
          "the workload selector"),
       at(9,
          "spec.rules[0].when[2].key: attribute \"destination.name\" is deprecated: only "
          "supported in v1alpha1"),
       at(9,
          "spec.rules[0].when[3].key: attribute \"destination.user\" is deprecated: only "
          "supported in v1alpha1")});
}

TEST(Condition, EnvoyMetadataAndTrustDomainAreNotSupported) {
  expect_error(when("{key: 'experimental.envoy.filters.network.mysql_proxy[db.table]', values: "
                    "['[update]']}"),
               at(9,
                  "spec.rules[0].when[0].key: attribute "
                  "\"experimental.envoy.filters.network.mysql_proxy[db.table]\" is not "
                  "supported by gatehouse (it tests Envoy filter metadata)"));
  expect_error(when("{key: source.trustDomain, values: [td]}"),
               at(9,
                  "spec.rules[0].when[0].key: attribute \"source.trustDomain\" is not "
                  "supported by gatehouse yet"));
}

TEST(Condition, KeyIsRequiredAndNotEmpty) {
  expect_error(when("{values: [a]}"), at(9,
                                         "spec.rules[0].when[0]: missing required field "
                                         "\"key\""));
  expect_error(when("{key: '', values: [a]}"),
               at(9, "spec.rules[0].when[0].key: key must not be empty"));
  expect_error(when("{key: [source.ip], values: [a]}"),
               at(9, "spec.rules[0].when[0].key: expected a string, got a list"));
}

TEST(Condition, ValuesOrNotValuesAreRequired) {
  std::string message =
      "spec.rules[0].when[0]: at least one of values or notValues must be set for key "
      "\"source.ip\"";
  expect_error(when("{key: source.ip}"), at(9, message));
  expect_error(when("{key: source.ip, values: [], notValues: []}"), at(9, message));
}

TEST(Condition, ValuesAreCheckedLikeTheirAttribute) {
  expect_errors(
      when("{key: source.ip, values: [10.0.0.1, bad]}, {key: remote.ip, notValues: ['::1/200']}, "
           "{key: destination.ip, values: [10.0.0.0/8]}, {key: destination.port, values: ['80', "
           "http]}, {key: source.serviceAccount, values: ['ns/*']}, {key: connection.sni, "
           "values: ['']}"),
      {at(9, "spec.rules[0].when[0].values[1]: \"bad\" is not a valid IP address or CIDR block"),
       at(9,
          "spec.rules[0].when[1].notValues[0]: \"::1/200\" is not a valid IP address or CIDR "
          "block"),
       at(9, "spec.rules[0].when[3].values[1]: invalid port \"http\": expected 0-65535"),
       at(9,
          "spec.rules[0].when[4].values[0]: wildcards are not allowed in service accounts, "
          "got \"ns/*\""),
       at(9, "spec.rules[0].when[5].values[0]: empty value not allowed")});
}

TEST(Condition, CustomCannotTestIdentities) {
  std::string mesh = testing::gatehouse("MeshConfig",
                                        "extensionProviders:\n- name: authz\n  envoyExtAuthzHttp: "
                                        "{service: authz.example.com, port: 9000}",
                                        "mesh") +
                     "---\n";  // 10 lines: the policy's spec line N is line 16 + N
  for (std::string_view key :
       {"source.namespace", "source.principal", "source.serviceAccount", "request.auth.principal",
        "request.auth.audiences", "request.auth.presenter", "request.auth.claims[groups]"}) {
    LoadResult result =
        load_text(mesh + when("{key: '" + std::string(key) + "', values: [a]}", "CUSTOM"));
    EXPECT_EQ(
        error_strings(result),
        std::vector<std::string>{"test.yaml:20: resource AuthorizationPolicy/foo/demo: "
                                 "spec.rules[0].when[0].key: attribute \"" +
                                 std::string(key) + "\" is not supported with action CUSTOM"});
  }
  LoadResult headers =
      load_text(mesh + when("{key: 'request.headers[x-a]', values: [a]}, {key: remote.ip, "
                            "values: [10.0.0.1]}",
                            "CUSTOM"));
  EXPECT_EQ(error_strings(headers), std::vector<std::string>{});
}

TEST(Condition, NullConditionIsRefused) {
  expect_error(when("~"), at(9, "spec.rules[0].when[0]: must not be null"));
}

}  // namespace
}  // namespace gatehouse::config
