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
using testing::expect_ok;
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

TEST(Listener, TrustOidcHeadersFromTakesIpsAndCidrs) {
  const std::string text =
      listener("port: 80\ntrustOidcHeadersFrom: [10.0.0.0/8, \"::1\"]\n" + std::string(kForward));
  expect_ok(text);
  LoadResult result = load_text(text);
  ASSERT_EQ(result.snapshot.listeners.size(), 1u);
  EXPECT_EQ(result.snapshot.listeners[0].trust_oidc_headers_from,
            (std::vector<std::string>{"10.0.0.0/8", "::1"}));
  EXPECT_TRUE(load_text(listener("port: 80\n" + std::string(kForward)))
                  .snapshot.listeners[0]
                  .trust_oidc_headers_from.empty());
}

TEST(Listener, TrustOidcHeadersFromRefusesWhatIsNoAddress) {
  expect_error(listener("port: 80\ntrustOidcHeadersFrom: [alb.internal]\n" + std::string(kForward)),
               at(8, "spec.trustOidcHeadersFrom[0]: invalid IP address or CIDR \"alb.internal\""));
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

TEST(Action, AuthenticateCognitoIsNotSupported) {
  expect_errors(listener("port: 80\ndefaultActions:\n- type: authenticate-cognito\n  order: 1\n"
                         "- type: forward\n  order: 2\n  targetGroupName: web"),
                {at(9,
                    "spec.defaultActions[0].type: action type authenticate-cognito is not "
                    "supported yet")});
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
                    "spec.defaultActions: actions must end with exactly one forward, "
                    "redirect or fixed-response action, and it must be the last")});
}

TEST(Action, OnlyOneTerminalAction) {
  expect_error(listener("port: 80\ndefaultActions:\n"
                        "- {type: forward, targetGroupName: web, order: 2}\n"
                        "- {type: fixed-response, fixedResponseConfig: {statusCode: 503}, "
                        "order: 1}"),
               at(8,
                  "spec.defaultActions: actions must end with exactly one forward, redirect or "
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

TEST(Condition, FieldMustBeKnown) {
  expect_error(with_conditions("  - {field: path-patern, values: [/a]}"),
               at(12,
                  "spec.rules[0].conditions[0].field: unknown condition field "
                  "\"path-patern\" (did you mean \"path-pattern\"?)"));
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
                {at(14,
                    "spec.rules[0].conditions[0].pathPatternConfig.values: a condition may "
                    "have at most 3 values, got 6"),
                 at(11,
                    "spec.rules[0].conditions: a rule may have at most 5 condition values, "
                    "got 6"),
                 at(11,
                    "spec.rules[0].conditions: a rule may have at most 5 wildcards (* or ?), "
                    "got 6")});
}

TEST(Condition, QuotasCountEveryField) {
  // Values: 2 + 2 + 2 = 6 > 5, across three conditions of up to 3 values each.
  expect_error(
      with_conditions("  - {field: path-pattern, pathPatternConfig: {values: [/a, /b]}}\n"
                      "  - {field: http-request-method,\n"
                      "     httpRequestMethodConfig: {values: [GET, HEAD]}}\n"
                      "  - {field: source-ip,\n"
                      "     sourceIpConfig: {values: [10.0.0.0/8, \"::1/128\"]}}"),
      at(11, "spec.rules[0].conditions: a rule may have at most 5 condition values, got 6"));
  // Wildcards: 2 in a header value + 3 in query keys and values = 5, escaped ones not counted.
  expect_ok(with_conditions(
      "  - {field: http-header, httpHeaderConfig: {httpHeaderName: X-A, values: ['*a*']}}\n"
      "  - field: query-string\n"
      "    queryStringConfig:\n"
      "      values: [{key: 'k*', value: '\\*\\?*?'}]"));
  expect_error(
      with_conditions(
          "  - {field: http-header, httpHeaderConfig: {httpHeaderName: X-A, values: ['*a*']}}\n"
          "  - field: query-string\n"
          "    queryStringConfig:\n"
          "      values: [{key: 'k*', value: '*\\?*?'}]"),
      at(11, "spec.rules[0].conditions: a rule may have at most 5 wildcards (* or ?), got 6"));
}

TEST(Condition, OnlyHeaderAndQueryConditionsRepeat) {
  expect_ok(with_conditions(
      "  - {field: http-header, httpHeaderConfig: {httpHeaderName: X-A, values: [a]}}\n"
      "  - {field: http-header, httpHeaderConfig: {httpHeaderName: X-B, values: [b]}}\n"
      "  - {field: query-string, queryStringConfig: {values: [{value: c}]}}\n"
      "  - {field: query-string, queryStringConfig: {values: [{key: d, value: e}]}}"));
  expect_errors(
      with_conditions("  - {field: http-request-method, httpRequestMethodConfig: {values: [GET]}}\n"
                      "  - {field: http-request-method, httpRequestMethodConfig: {values: [PUT]}}\n"
                      "  - {field: source-ip, sourceIpConfig: {values: [10.0.0.0/8]}}\n"
                      "  - {field: source-ip, sourceIpConfig: {values: [\"::/0\"]}}"),
      {at(11, "spec.rules[0].conditions: a rule may have only one http-request-method condition"),
       at(11, "spec.rules[0].conditions: a rule may have only one source-ip condition")});
}

TEST(Condition, NewFieldsTakeOnlyTheirConfigBlock) {
  expect_errors(
      with_conditions("  - {field: http-request-method, values: [GET]}\n"
                      "  - {field: source-ip}\n"
                      "  - {field: query-string, sourceIpConfig: {values: [10.0.0.0/8]}}"),
      {at(12,
          "spec.rules[0].conditions[0].values: the values form is only for path-pattern and "
          "host-header; use httpRequestMethodConfig.values"),
       at(13, "spec.rules[0].conditions[1]: missing sourceIpConfig.values"),
       at(14, "spec.rules[0].conditions[2].sourceIpConfig: does not apply to field query-string"),
       at(14, "spec.rules[0].conditions[2]: missing queryStringConfig.values")});
}

TEST(HttpHeaderCondition, Loads) {
  LoadResult result =
      load_text(with_conditions("  - field: http-header\n"
                                "    httpHeaderConfig:\n"
                                "      httpHeaderName: User-Agent\n"
                                "      values: ['*Chrome*', '*Safari*']\n"
                                "  - field: http-header\n"
                                "    httpHeaderConfig:\n"
                                "      httpHeaderName: x-tenant\n"
                                "      values: [acme]"));
  ASSERT_EQ(error_strings(result), std::vector<std::string>{});
  const auto& conditions = result.snapshot.listeners[0].rules[0].conditions;
  ASSERT_EQ(conditions.size(), 2u);
  EXPECT_EQ(conditions[0].field, "http-header");
  EXPECT_EQ(conditions[0].http_header_name, "User-Agent");
  EXPECT_EQ(conditions[0].values, (std::vector<std::string>{"*Chrome*", "*Safari*"}));
  EXPECT_EQ(conditions[1].http_header_name, "x-tenant");
}

TEST(HttpHeaderCondition, HeaderNameFollowsAlbRules) {
  expect_errors(
      with_conditions(
          "  - field: http-header\n    httpHeaderConfig: {values: [a]}\n"
          "  - field: http-header\n    httpHeaderConfig: {httpHeaderName: 'X-*', values: [a]}\n"
          "  - field: http-header\n    httpHeaderConfig: {httpHeaderName: HOST, values: [a]}\n"
          "  - field: http-header\n    httpHeaderConfig: {httpHeaderName: 'X A', values: [a]}"),
      {at(13,
          "spec.rules[0].conditions[0].httpHeaderConfig: missing required field "
          "\"httpHeaderName\""),
       at(15,
          "spec.rules[0].conditions[1].httpHeaderConfig.httpHeaderName: wildcards are not "
          "allowed in a header name, got \"X-*\""),
       at(17,
          "spec.rules[0].conditions[2].httpHeaderConfig.httpHeaderName: use a host-header "
          "condition for the Host header"),
       at(19,
          "spec.rules[0].conditions[3].httpHeaderConfig.httpHeaderName: header name \"X A\" is "
          "not a valid header name")});
  expect_error(
      with_conditions("  - field: http-header\n    httpHeaderConfig:\n      httpHeaderName: " +
                      std::string(41, 'X') + "\n      values: [a]"),
      at(14,
         "spec.rules[0].conditions[0].httpHeaderConfig.httpHeaderName: a header name "
         "must be at most 40 characters, got 41"));
}

TEST(HttpHeaderCondition, ValuesFollowAlbRules) {
  expect_errors(
      with_conditions("  - field: http-header\n    httpHeaderConfig:\n      httpHeaderName: X-A\n"
                      "      values:\n      - \"a\\tb\"\n      - ''\n      - " +
                      std::string(129, 'v')),
      {at(16,
          "spec.rules[0].conditions[0].httpHeaderConfig.values[0]: invalid http-header "
          "\"a\\x09b\": control characters never match (ALB matches visible text only)"),
       at(17,
          "spec.rules[0].conditions[0].httpHeaderConfig.values[1]: invalid http-header \"\": "
          "must not be empty"),
       at(18, "spec.rules[0].conditions[0].httpHeaderConfig.values[2]: invalid http-header \"" +
                  std::string(64, 'v') + "...\": must be at most 128 characters")});
  expect_error(with_conditions("  - field: http-header\n    httpHeaderConfig:\n"
                               "      httpHeaderName: X-A\n      values: [a, b, c, d]"),
               at(15,
                  "spec.rules[0].conditions[0].httpHeaderConfig.values: a condition may have at "
                  "most 3 values, got 4"));
}

TEST(MethodCondition, LoadsAndFollowsAlbRules) {
  LoadResult result = load_text(with_conditions(
      "  - {field: http-request-method, httpRequestMethodConfig: {values: [GET, CUSTOM-METHOD, "
      "MY_VERB]}}"));
  ASSERT_EQ(error_strings(result), std::vector<std::string>{});
  EXPECT_EQ(result.snapshot.listeners[0].rules[0].conditions[0].values,
            (std::vector<std::string>{"GET", "CUSTOM-METHOD", "MY_VERB"}));
  expect_errors(with_conditions("  - field: http-request-method\n    httpRequestMethodConfig:\n"
                                "      values:\n      - get\n      - 'GE*'\n      - " +
                                std::string(41, 'M')),
                {at(15,
                    "spec.rules[0].conditions[0].httpRequestMethodConfig.values[0]: invalid "
                    "http-request-method \"get\": may only contain A-Z, - and _ (methods are "
                    "case-sensitive)"),
                 at(16,
                    "spec.rules[0].conditions[0].httpRequestMethodConfig.values[1]: invalid "
                    "http-request-method \"GE*\": may only contain A-Z, - and _ (methods are "
                    "case-sensitive)"),
                 at(17,
                    "spec.rules[0].conditions[0].httpRequestMethodConfig.values[2]: invalid "
                    "http-request-method \"" +
                        std::string(41, 'M') + "\": must be at most 40 characters")});
}

TEST(QueryStringCondition, LoadsKeyValuePairs) {
  LoadResult result =
      load_text(with_conditions("  - field: query-string\n"
                                "    queryStringConfig:\n"
                                "      values:\n"
                                "      - {key: version, value: v1}\n"
                                "      - value: '*example*'\n"
                                "      - {key: 'a\\*', value: 1}"));
  ASSERT_EQ(error_strings(result), std::vector<std::string>{});
  const auto& pairs = result.snapshot.listeners[0].rules[0].conditions[0].query_values;
  ASSERT_EQ(pairs.size(), 3u);
  EXPECT_EQ(pairs[0].key, "version");
  EXPECT_EQ(pairs[0].value, "v1");
  EXPECT_EQ(pairs[1].key, std::nullopt);
  EXPECT_EQ(pairs[1].value, "*example*");
  EXPECT_EQ(pairs[2].key, "a\\*");
  EXPECT_EQ(pairs[2].value, "1");
}

TEST(QueryStringCondition, PairsFollowAlbRules) {
  expect_errors(
      with_conditions("  - field: query-string\n"
                      "    queryStringConfig:\n"
                      "      values:\n"
                      "      - {key: '', value: v}\n"
                      "      - {key: k}\n"
                      "      - {value: 'a\\b', kee: x}"),
      {at(15,
          "spec.rules[0].conditions[0].queryStringConfig.values[0].key: invalid query-string "
          "\"\": must not be empty"),
       at(16,
          "spec.rules[0].conditions[0].queryStringConfig.values[1]: missing required field "
          "\"value\""),
       at(17,
          "spec.rules[0].conditions[0].queryStringConfig.values[2]: unknown field \"kee\" (did "
          "you mean \"key\"?)"),
       at(17,
          "spec.rules[0].conditions[0].queryStringConfig.values[2].value: invalid query-string "
          "\"a\\\\b\": a \\ must be followed by *, ? or \\ (it escapes them)")});
  expect_error(with_conditions("  - {field: query-string, queryStringConfig: {values: [a=b]}}"),
               at(12,
                  "spec.rules[0].conditions[0].queryStringConfig.values[0]: expected a mapping, "
                  "got \"a=b\""));
}

TEST(SourceIpCondition, LoadsAndFollowsAlbRules) {
  LoadResult result = load_text(with_conditions(
      "  - {field: source-ip, sourceIpConfig: {values: [192.0.2.0/24, '2001:db8::/32']}}"));
  ASSERT_EQ(error_strings(result), std::vector<std::string>{});
  EXPECT_EQ(result.snapshot.listeners[0].rules[0].conditions[0].values,
            (std::vector<std::string>{"192.0.2.0/24", "2001:db8::/32"}));
  expect_errors(
      with_conditions("  - field: source-ip\n    sourceIpConfig:\n      values:\n"
                      "      - 10.0.0.1\n      - 10.0.0.0/33\n      - 255.255.255.255/32"),
      {at(15,
          "spec.rules[0].conditions[0].sourceIpConfig.values[0]: invalid source-ip "
          "\"10.0.0.1\": must be a CIDR block (add /32 for one IPv4 address, /128 for one IPv6 "
          "address)"),
       at(16,
          "spec.rules[0].conditions[0].sourceIpConfig.values[1]: invalid source-ip "
          "\"10.0.0.0/33\": is not an IPv4 or IPv6 CIDR block"),
       at(17,
          "spec.rules[0].conditions[0].sourceIpConfig.values[2]: invalid source-ip "
          "\"255.255.255.255/32\": the broadcast address is refused by ALB")});
}

// ---- redirect ----------------------------------------------------------------------

std::string redirect_listener(std::string_view config, std::string_view head = "port: 80") {
  return listener(std::string(head) + "\ndefaultActions:\n- type: redirect\n  redirectConfig:\n" +
                  testing::indent(config, 4));
}

// The redirect of a listener whose only default action is `config`; it must load cleanly.
RedirectConfig loaded_redirect(std::string_view config) {
  LoadResult result = load_text(redirect_listener(config));
  EXPECT_EQ(error_strings(result), std::vector<std::string>{});
  if (result.snapshot.listeners.empty()) return {};
  return result.snapshot.listeners[0].default_actions[0].redirect.value_or(RedirectConfig{});
}

std::vector<std::string> components(const RedirectConfig& r) {
  return {r.protocol, r.host, r.port, r.path, r.query, std::to_string(r.status_code)};
}

TEST(Redirect, TheArticlesHttpToHttpsListenerLoads) {
  EXPECT_EQ(components(loaded_redirect("protocol: HTTPS\nport: \"443\"\nstatusCode: HTTP_301")),
            (std::vector<std::string>{"HTTPS", "#{host}", "443", "/#{path}", "#{query}", "301"}));
}

TEST(Redirect, EveryComponentLoads) {
  EXPECT_EQ(
      components(
          loaded_redirect("protocol: '#{protocol}'\nport: 8443\nhost: 'www.#{host}'\n"
                          "path: '/#{host}/#{port}/#{path}'\nquery: 'from=#{protocol}&#{query}'\n"
                          "statusCode: HTTP_302")),
      (std::vector<std::string>{"#{protocol}", "www.#{host}", "8443", "/#{host}/#{port}/#{path}",
                                "from=#{protocol}&#{query}", "302"}));
  EXPECT_EQ(loaded_redirect("path: /moved\nquery: ''\nstatusCode: HTTP_301").query, "");
}

TEST(Redirect, StatusCodeIsRequired) {
  expect_errors(redirect_listener("protocol: HTTPS\nstatusCode: 301"),
                {at(12,
                    "spec.defaultActions[0].redirectConfig.statusCode: invalid value \"301\", "
                    "expected one of HTTP_301, HTTP_302")});
  expect_error(
      redirect_listener("protocol: HTTPS"),
      at(10, "spec.defaultActions[0].redirectConfig: missing required field \"statusCode\""));
  expect_error(listener("port: 80\ndefaultActions: [{type: redirect}]"),
               at(8, "spec.defaultActions[0]: missing required field \"redirectConfig\""));
}

TEST(Redirect, ComponentsFollowAlbRules) {
  expect_errors(
      redirect_listener("protocol: https\nport: '0'\nhost: '#{hots}.example.com'\n"
                        "path: 'new/#{query}'\nquery: '?a=#{path}'\nstatusCode: HTTP_301"),
      {at(11,
          "spec.defaultActions[0].redirectConfig.protocol: invalid value \"https\", expected one "
          "of HTTP, HTTPS, #{protocol} (did you mean \"HTTPS\"?)"),
       at(12,
          "spec.defaultActions[0].redirectConfig.port: port must be 1-65535 or #{port}, got \"0\""),
       at(13,
          "spec.defaultActions[0].redirectConfig.host: invalid host \"#{hots}.example.com\": "
          "unknown placeholder \"#{hots}\" (the placeholders are #{protocol}, #{host}, #{port}, "
          "#{path}, #{query})"),
       at(14,
          "spec.defaultActions[0].redirectConfig.path: invalid path \"new/#{query}\": #{query} "
          "cannot be used in path"),
       at(15,
          "spec.defaultActions[0].redirectConfig.query: invalid query \"?a=#{path}\": must not "
          "start with \"?\" (ALB adds it)")});
}

TEST(Redirect, CharactersAndPlaceholdersPerComponent) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"host: a_b.example.com",
       "invalid host \"a_b.example.com\": may only contain A-Z, a-z, 0-9, - . and placeholders"},
      {"host: '#{path}'", "invalid host \"#{path}\": #{path} cannot be used in host"},
      {"host: ''", "invalid host \"\": must not be empty"},
      {"path: '/a?b'", "invalid path \"/a?b\": \"?\" would start the query; set query instead"},
      {"path: '/a b'",
       "invalid path \"/a b\": may only contain A-Z, a-z, 0-9, _ - . $ / ~ \" ' @ : + & * and "
       "placeholders"},
      {"path: '/#'", "invalid path \"/#\": \"#\" may only start a placeholder such as #{host}"},
      {"path: '/#{path'",
       "invalid path \"/#{path\": \"#\" may only start a placeholder such as #{host}"},
      {"path: '/#{protocol}'", "invalid path \"/#{protocol}\": #{protocol} cannot be used in path"},
      {"path: /" + std::string(128, 'p'),
       "invalid path \"/" + std::string(63, 'p') + "...\": must be at most 128 characters"},
      {"query: 'a b'",
       "invalid query \"a b\": may only contain visible characters but # and placeholders"},
      {"query: 'a=#{}'",
       "invalid query \"a=#{}\": unknown placeholder \"#{}\" (the placeholders are #{protocol}, "
       "#{host}, #{port}, #{path}, #{query})"},
  };
  for (const auto& [line, message] : cases) {
    const std::string field = line.substr(0, line.find(':'));
    expect_error(redirect_listener("protocol: HTTPS\n" + line + "\nstatusCode: HTTP_301"),
                 at(12, "spec.defaultActions[0].redirectConfig." + field + ": " + message));
  }
  for (std::string port : {"65536", "08", "'#{host}'", "-1", "'443 '"}) {
    LoadResult result =
        load_text(redirect_listener("protocol: HTTPS\nport: " + port + "\nstatusCode: HTTP_301"));
    ASSERT_EQ(result.errors.size(), 1u) << port;
    EXPECT_NE(result.errors[0].message.find("port must be 1-65535 or #{port}"), std::string::npos)
        << port;
  }
}

TEST(Redirect, HttpsListenerCannotRedirectToHttp) {
  expect_error(redirect_listener("protocol: HTTP\nport: 80\nstatusCode: HTTP_301",
                                 "port: 443\nprotocol: HTTPS\ncertificates:\n"
                                 "- {certificateFile: a.crt, keyFile: a.key}"),
               at(14,
                  "spec.defaultActions[0].redirectConfig.protocol: an HTTPS listener cannot "
                  "redirect to HTTP"));
}

TEST(Redirect, RefusesARedirectToTheSameUrl) {
  const std::string loop =
      "spec.defaultActions[0].redirectConfig: a redirect must change the protocol, host, port "
      "or path; this one sends the client back to the URL it asked for";
  expect_error(redirect_listener("statusCode: HTTP_301"), at(10, loop));
  expect_error(redirect_listener("protocol: HTTP\nport: 80\nstatusCode: HTTP_301"), at(10, loop));
  expect_error(redirect_listener("query: lang=en\nstatusCode: HTTP_302"), at(10, loop));
  expect_error(redirect_listener("host: '#{host}'\npath: '/#{path}'\nstatusCode: HTTP_302"),
               at(10, loop));
  // A misspelt protocol is reported as such, not as a loop too.
  EXPECT_EQ(load_text(redirect_listener("protocol: HTTSP\nstatusCode: HTTP_301")).errors.size(),
            1u);
  expect_ok(redirect_listener("port: 8080\nstatusCode: HTTP_301"));
  expect_ok(redirect_listener("path: '/v2/#{path}'\nstatusCode: HTTP_301"));
  expect_ok(redirect_listener("host: 'www.#{host}'\nstatusCode: HTTP_301"));
}

TEST(Redirect, IsTerminalAndTakesNoOtherBlock) {
  expect_error(
      listener(
          "port: 80\ndefaultActions:\n"
          "- {type: redirect, order: 1, redirectConfig: {protocol: HTTPS, statusCode: HTTP_301}}\n"
          "- {type: forward, order: 2, targetGroupName: web}"),
      at(8,
         "spec.defaultActions: actions must end with exactly one forward, redirect or "
         "fixed-response action, and it must be the last"));
  expect_error(
      listener("port: 80\ndefaultActions:\n- type: redirect\n  targetGroupName: web\n"
               "  redirectConfig: {protocol: HTTPS, statusCode: HTTP_301}"),
      at(10, "spec.defaultActions[0].targetGroupName: does not apply to a redirect action"));
  expect_error(listener("port: 80\ndefaultActions:\n- type: forward\n  targetGroupName: web\n"
                        "  redirectConfig: {protocol: HTTPS, statusCode: HTTP_301}"),
               at(11, "spec.defaultActions[0].redirectConfig: does not apply to a forward action"));
}

}  // namespace
}  // namespace gatehouse::config
