// Listener: address, port, protocol, certificates, rules, conditions and actions with ALB's
// names and limits.
#include <gtest/gtest.h>

#include "config/loader.h"
#include "test_support.h"

namespace gatehouse::config {
namespace {

using testing::error_strings;
using testing::expect_error;
using testing::expect_errors;
using testing::gatehouse;
using testing::load_text;

std::string at(int line, std::string_view message) {
  return testing::error_at("Listener", line, message);
}

// The listener first (its spec from line 7), then the target groups it may name.
std::string listener(std::string_view spec) {
  std::string out = gatehouse("Listener", spec);
  for (std::string_view name : {"web", "a1", "a2", "a3", "a4", "a5"}) {
    out += "---\n" + gatehouse("TargetGroup", "port: 8080", name);
  }
  return out;
}

constexpr std::string_view kForward = "defaultActions:\n- type: forward\n  targetGroupName: web";

// A rule list whose first rule starts on line 10 (after port and default action).
std::string with_rules(std::string_view rules) {
  return listener("port: 80\ndefaultActions: [{type: forward, targetGroupName: web}]\nrules:\n" +
                  std::string(rules));
}

TEST(Listener, HttpsListenerWithRulesLoads) {
  LoadResult result = load_text(listener(R"(address: "::"
port: 443
protocol: HTTPS
certificates:
- certificateFile: /etc/gatehouse/tls.crt
  keyFile: /etc/gatehouse/tls.key
defaultActions:
- type: fixed-response
  fixedResponseConfig:
    statusCode: "404"
    contentType: application/json
    messageBody: '{"error": "not found"}'
rules:
- priority: 20
  conditions:
  - field: host-header
    hostHeaderConfig:
      values: [api.example.com, "*.api.example.com"]
  - field: path-pattern
    pathPatternConfig:
      values: ["/v1/*"]
  actions:
  - type: forward
    order: 1
    forwardConfig:
      targetGroups:
      - targetGroupName: a1
        weight: 90
      - targetGroupName: a2
        weight: 10
- priority: 10
  conditions:
  - field: path-pattern
    values: [/status/200]
  actions:
  - type: fixed-response
    fixedResponseConfig: {statusCode: 200})"));
  ASSERT_EQ(error_strings(result), std::vector<std::string>{});
  const Listener& out = result.snapshot.listeners[0];
  EXPECT_EQ(out.address, "::");
  EXPECT_EQ(out.protocol, "HTTPS");
  ASSERT_EQ(out.certificates.size(), 1u);
  EXPECT_EQ(out.certificates[0].certificate_file, "/etc/gatehouse/tls.crt");
  EXPECT_EQ(out.certificates[0].key_file, "/etc/gatehouse/tls.key");
  const FixedResponseConfig& fixed = *out.default_actions[0].fixed_response;
  EXPECT_EQ(fixed.status_code, 404u);
  EXPECT_EQ(fixed.content_type, "application/json");
  EXPECT_EQ(fixed.message_body, "{\"error\": \"not found\"}");
  ASSERT_EQ(out.rules.size(), 2u);
  EXPECT_EQ(out.rules[0].priority, 10u);  // sorted by priority
  EXPECT_EQ(out.rules[0].actions[0].fixed_response->status_code, 200u);
  EXPECT_EQ(out.rules[0].actions[0].fixed_response->content_type, "text/plain");
  const ListenerRule& api = out.rules[1];
  ASSERT_EQ(api.conditions.size(), 2u);
  EXPECT_EQ(api.conditions[0].values,
            (std::vector<std::string>{"api.example.com", "*.api.example.com"}));
  ASSERT_EQ(api.actions[0].target_groups.size(), 2u);
  EXPECT_EQ(api.actions[0].target_groups[0].weight, 90u);
  EXPECT_EQ(api.actions[0].order, 1u);
}

TEST(Listener, PortIsRequiredAndInRange) {
  expect_error(listener(std::string(kForward)), at(6, "spec: missing required field \"port\""));
  expect_error(listener("port: 65536\n" + std::string(kForward)),
               at(7, "spec.port: must be between 1 and 65535, got 65536"));
}

TEST(Listener, AddressMustBeAnIp) {
  expect_error(listener("address: localhost\nport: 80\n" + std::string(kForward)),
               at(7,
                  "spec.address: \"localhost\" is not an IP address (such as 0.0.0.0, "
                  "127.0.0.1 or ::)"));
}

TEST(Listener, ProtocolIsHttpOrHttps) {
  expect_error(listener("port: 80\nprotocol: http\n" + std::string(kForward)),
               at(8,
                  "spec.protocol: invalid value \"http\", expected one of HTTP, HTTPS (did you "
                  "mean \"HTTP\"?)"));
}

TEST(Listener, HttpsNeedsACertificate) {
  expect_error(listener("port: 443\nprotocol: HTTPS\n" + std::string(kForward)),
               at(6, "spec.certificates: an HTTPS listener needs at least one certificate"));
}

TEST(Listener, HttpTakesNoCertificates) {
  expect_error(listener("port: 80\ncertificates:\n- {certificateFile: a.crt, keyFile: a.key}\n" +
                        std::string(kForward)),
               at(8, "spec.certificates: certificates are only allowed on HTTPS listeners"));
}

TEST(Listener, CertificateNeedsBothFiles) {
  expect_error(listener("port: 443\nprotocol: HTTPS\ncertificates:\n- {certificateFile: a.crt}\n" +
                        std::string(kForward)),
               at(10, "spec.certificates[0]: missing required field \"keyFile\""));
}

TEST(Listener, DefaultActionsAreRequired) {
  expect_error(listener("port: 80"), at(6, "spec: missing required field \"defaultActions\""));
  expect_error(listener("port: 80\ndefaultActions: []"),
               at(8, "spec.defaultActions: must have at least one action"));
}

TEST(Action, TypeMustBeKnown) {
  expect_error(listener("port: 80\ndefaultActions: [{type: foward, targetGroupName: web}]"),
               at(8,
                  "spec.defaultActions[0].type: invalid value \"foward\", expected one of "
                  "forward, fixed-response, redirect, authenticate-oidc, authenticate-cognito "
                  "(did you mean \"forward\"?)"));
}

TEST(Action, RedirectAndAuthenticateAreNotSupportedYet) {
  expect_errors(listener("port: 80\ndefaultActions:\n- type: authenticate-oidc\n  order: 1\n"
                         "- type: redirect\n  order: 2"),
                {at(9,
                    "spec.defaultActions[0].type: action type authenticate-oidc is not "
                    "supported yet"),
                 at(11,
                    "spec.defaultActions[1].type: action type redirect is not supported "
                    "yet")});
}

TEST(Action, ForwardNeedsOneTargetSpecification) {
  expect_errors(listener("port: 80\ndefaultActions:\n- type: forward\n"
                         "- type: forward\n  targetGroupName: web\n"
                         "  forwardConfig: {targetGroups: [{targetGroupName: web}]}"),
                {at(9,
                    "spec.defaultActions[0]: a forward action needs targetGroupName or "
                    "forwardConfig"),
                 at(10,
                    "spec.defaultActions[1]: set only one of targetGroupName and "
                    "forwardConfig"),
                 at(8,
                    "spec.defaultActions: every action needs an order when there is more "
                    "than one")});
}

TEST(Action, ForwardConfigLimits) {
  expect_errors(
      listener("port: 80\ndefaultActions:\n- type: forward\n  forwardConfig:\n"
               "    targetGroupStickinessConfig: {enabled: true}\n    targetGroups:\n"
               "    - {targetGroupName: web, weight: 1000}\n    - {targetGroupName: web}"),
      {at(11,
          "spec.defaultActions[0].forwardConfig: field \"targetGroupStickinessConfig\" is not "
          "supported by gatehouse yet"),
       at(13,
          "spec.defaultActions[0].forwardConfig.targetGroups[0].weight: must be between 0 "
          "and 999, got 1000"),
       at(14,
          "spec.defaultActions[0].forwardConfig.targetGroups[1].targetGroupName: target "
          "group \"web\" is listed twice")});
  expect_error(listener("port: 80\ndefaultActions:\n- type: forward\n  forwardConfig:\n"
                        "    targetGroups: [{targetGroupName: web}, {targetGroupName: a1}, "
                        "{targetGroupName: a2}, {targetGroupName: a3}, {targetGroupName: a4}, "
                        "{targetGroupName: a5}]"),
               at(11,
                  "spec.defaultActions[0].forwardConfig.targetGroups: a forward action can "
                  "have at most 5 target groups, got 6"));
}

TEST(Action, ForwardConfigNeedsATargetGroup) {
  expect_error(listener("port: 80\ndefaultActions:\n- type: forward\n"
                        "  forwardConfig: {targetGroups: []}"),
               at(10,
                  "spec.defaultActions[0].forwardConfig.targetGroups: must list at least one "
                  "target group"));
}

TEST(Action, FixedResponseIsChecked) {
  expect_errors(listener("port: 80\ndefaultActions:\n- type: fixed-response\n"
                         "  fixedResponseConfig:\n    statusCode: \"302\"\n"
                         "    contentType: text/xml\n    messageBody: " +
                         std::string(1025, 'x')),
                {at(11,
                    "spec.defaultActions[0].fixedResponseConfig.statusCode: statusCode must "
                    "match ^(2|4|5)\\d\\d$, got \"302\""),
                 at(12,
                    "spec.defaultActions[0].fixedResponseConfig.contentType: invalid value "
                    "\"text/xml\", expected one of text/plain, text/css, text/html, "
                    "application/javascript, application/json (did you mean \"text/html\"?)"),
                 at(13,
                    "spec.defaultActions[0].fixedResponseConfig.messageBody: messageBody "
                    "must be at most 1024 bytes, got 1025")});
  expect_error(listener("port: 80\ndefaultActions: [{type: fixed-response}]"),
               at(8, "spec.defaultActions[0]: missing required field \"fixedResponseConfig\""));
}

TEST(Action, ConfigMustMatchType) {
  expect_error(listener("port: 80\ndefaultActions:\n- type: forward\n  targetGroupName: web\n"
                        "  fixedResponseConfig: {statusCode: 200}"),
               at(11,
                  "spec.defaultActions[0].fixedResponseConfig: does not apply to a forward "
                  "action"));
}

TEST(Action, OrdersAreUniqueInRangeAndSorted) {
  expect_errors(listener("port: 80\ndefaultActions:\n- {type: forward, targetGroupName: web, "
                         "order: 0}"),
                {at(9, "spec.defaultActions[0].order: must be between 1 and 50000, got 0")});
  expect_errors(listener("port: 80\ndefaultActions:\n"
                         "- {type: forward, targetGroupName: web, order: 2}\n"
                         "- {type: fixed-response, fixedResponseConfig: {statusCode: 503}, "
                         "order: 2}"),
                {at(8, "spec.defaultActions: duplicate action order 2"),
                 at(8,
                    "spec.defaultActions: actions must end with exactly one forward or "
                    "fixed-response action, and it must be the last")});
}

TEST(Action, OnlyOneTerminalAction) {
  expect_error(listener("port: 80\ndefaultActions:\n"
                        "- {type: forward, targetGroupName: web, order: 2}\n"
                        "- {type: fixed-response, fixedResponseConfig: {statusCode: 503}, "
                        "order: 1}"),
               at(8,
                  "spec.defaultActions: actions must end with exactly one forward or "
                  "fixed-response action, and it must be the last"));
}

TEST(Rule, PriorityIsRequiredInRangeAndUnique) {
  expect_errors(with_rules("- conditions: [{field: path-pattern, values: [/a]}]\n"
                           "  actions: [{type: forward, targetGroupName: web}]\n"
                           "- priority: 50001\n"
                           "  conditions: [{field: path-pattern, values: [/b]}]\n"
                           "  actions: [{type: forward, targetGroupName: web}]\n"
                           "- priority: 5\n"
                           "  conditions: [{field: path-pattern, values: [/c]}]\n"
                           "  actions: [{type: forward, targetGroupName: web}]\n"
                           "- priority: 5\n"
                           "  conditions: [{field: path-pattern, values: [/d]}]\n"
                           "  actions: [{type: forward, targetGroupName: web}]"),
                {at(10, "spec.rules[0]: missing required field \"priority\""),
                 at(12, "spec.rules[1].priority: must be between 1 and 50000, got 50001"),
                 at(18, "spec.rules[3]: duplicate rule priority 5")});
}

TEST(Rule, ConditionsAndActionsAreRequired) {
  expect_errors(with_rules("- priority: 1\n- priority: 2\n  conditions: []\n  actions: []"),
                {at(10, "spec.rules[0]: missing required field \"conditions\""),
                 at(10, "spec.rules[0]: missing required field \"actions\""),
                 at(12, "spec.rules[1].conditions: a rule needs at least one condition"),
                 at(13, "spec.rules[1].actions: must have at least one action")});
}

// One rule at line 10 whose conditions list starts at line 12.
std::string with_conditions(std::string_view conditions) {
  return with_rules("- priority: 1\n  conditions:\n" + std::string(conditions) +
                    "\n  actions: [{type: forward, targetGroupName: web}]");
}

TEST(Condition, FieldMustBeKnownAndSupported) {
  expect_errors(with_conditions("  - {field: path-patern, values: [/a]}\n"
                                "  - {field: http-header, httpHeaderConfig: {httpHeaderName: x}}"),
                {at(12,
                    "spec.rules[0].conditions[0].field: unknown condition field "
                    "\"path-patern\" (did you mean \"path-pattern\"?)"),
                 at(13,
                    "spec.rules[0].conditions[1].field: condition field http-header is not "
                    "supported yet")});
}

TEST(Condition, LegacyValuesTakeExactlyOneValue) {
  expect_error(with_conditions("  - {field: path-pattern, values: [/a, /b]}"),
               at(12,
                  "spec.rules[0].conditions[0].values: the values form takes exactly one "
                  "value; use pathPatternConfig.values for several"));
}

TEST(Condition, ValuesComeFromOneForm) {
  expect_errors(with_conditions("  - field: host-header\n    values: [a.example.com]\n"
                                "    hostHeaderConfig: {values: [b.example.com]}\n"
                                "  - field: host-header\n"
                                "  - field: path-pattern\n    hostHeaderConfig: {values: [a.b]}"),
                {at(12,
                    "spec.rules[0].conditions[0]: set only one of values and "
                    "hostHeaderConfig"),
                 at(15,
                    "spec.rules[0].conditions[1]: missing hostHeaderConfig.values (or "
                    "values)"),
                 at(17,
                    "spec.rules[0].conditions[2].hostHeaderConfig: does not apply to field "
                    "path-pattern"),
                 at(16,
                    "spec.rules[0].conditions[2]: missing pathPatternConfig.values (or "
                    "values)"),
                 at(11,
                    "spec.rules[0].conditions: a rule may have only one host-header "
                    "condition")});
}

TEST(Condition, ConfigValuesMustNotBeEmpty) {
  expect_error(with_conditions("  - {field: path-pattern, pathPatternConfig: {values: []}}"),
               at(12,
                  "spec.rules[0].conditions[0].pathPatternConfig.values: must list at least "
                  "one value"));
}

TEST(Condition, PathPatternFollowsAlbRules) {
  expect_errors(with_conditions("  - field: path-pattern\n    pathPatternConfig:\n      values:\n"
                                "      - /a b\n      - /" +
                                std::string(128, 'x')),
                {at(15,
                    "spec.rules[0].conditions[0].pathPatternConfig.values[0]: invalid "
                    "path-pattern \"/a b\": may only contain A-Z, a-z, 0-9, _ - . $ / ~ \" ' "
                    "@ : + & * ?"),
                 at(16,
                    "spec.rules[0].conditions[0].pathPatternConfig.values[1]: invalid "
                    "path-pattern \"/" +
                        std::string(63, 'x') +
                        "...\": must be at most 128 "
                        "characters")});
}

TEST(Condition, HostHeaderFollowsAlbRules) {
  expect_errors(with_conditions("  - field: host-header\n    hostHeaderConfig:\n      values:\n"
                                "      - localhost\n      - example.c0m\n      - a_b.example.com"),
                {at(15,
                    "spec.rules[0].conditions[0].hostHeaderConfig.values[0]: invalid "
                    "host-header \"localhost\": must contain at least one \".\""),
                 at(16,
                    "spec.rules[0].conditions[0].hostHeaderConfig.values[1]: invalid "
                    "host-header \"example.c0m\": only letters may follow the last \".\""),
                 at(17,
                    "spec.rules[0].conditions[0].hostHeaderConfig.values[2]: invalid "
                    "host-header \"a_b.example.com\": may only contain A-Z, a-z, 0-9, - . * "
                    "?")});
}

TEST(Condition, RuleQuotasApply) {
  expect_errors(with_conditions("  - field: path-pattern\n    pathPatternConfig:\n"
                                "      values: ['/a*', '/b*', '/c*', '/d*', '/e*', '/f?']"),
                {at(11,
                    "spec.rules[0].conditions: a rule may have at most 5 condition values, "
                    "got 6"),
                 at(11,
                    "spec.rules[0].conditions: a rule may have at most 5 wildcards (* or ?), "
                    "got 6")});
}

}  // namespace
}  // namespace gatehouse::config
