#include "edge/listener_rules.h"

#include <gtest/gtest.h>

#include "rule_builders.h"

namespace gatehouse::edge {
namespace {

using namespace testing;

ListenerRules compile_ok(const config::Listener& config) {
  CompileResult result = compile(config);
  for (const auto& error : result.errors) ADD_FAILURE() << error.message;
  return std::move(*result.rules);
}

std::vector<std::string> error_messages(const config::Listener& config) {
  CompileResult result = compile(config);
  EXPECT_FALSE(result.rules.has_value());
  std::vector<std::string> messages;
  for (const auto& error : result.errors) messages.push_back(error.message);
  return messages;
}

// The name of the rule chosen for `authority` + `path`.
std::string chosen(const ListenerRules& rules, std::string_view authority, std::string_view path) {
  return rules.select(request(authority, path)).name;
}

TEST(ListenerRules, LowestPriorityWinsWhateverTheConfigOrder) {
  const auto rules = compile_ok(listener({
      rule(20, {path_pattern({"/status/*"})}, {forward_to("broad")}),
      rule(3, {path_pattern({"/status/200"})}, {forward_to("health")}),
      rule(50000, {path_pattern({"*"})}, {forward_to("catch-all")}),
  }));
  EXPECT_EQ(chosen(rules, "a.example.com", "/status/200"), "3");
  EXPECT_EQ(chosen(rules, "a.example.com", "/status/500"), "20");
  EXPECT_EQ(chosen(rules, "a.example.com", "/headers"), "50000");
  ASSERT_EQ(rules.rules().size(), 4u);
  EXPECT_EQ(rules.rules()[0].priority, 3u);
  EXPECT_TRUE(rules.rules()[3].is_default());
}

TEST(ListenerRules, DefaultRuleWhenNothingMatches) {
  const auto rules =
      compile_ok(listener({rule(1, {path_pattern({"/status/200"})}, {forward_to("x")})},
                          {fixed_response(404, "text/plain", "nope")}));
  const Rule& rule = rules.select(request("example.com", "/headers"));
  EXPECT_TRUE(rule.is_default());
  EXPECT_EQ(rule.name, "default");
  EXPECT_TRUE(rule.conditions.empty());
  ASSERT_EQ(rule.actions.size(), 1u);
  EXPECT_EQ(std::get<FixedResponseAction>(rule.actions[0]).message_body, "nope");
}

TEST(ListenerRules, ListenerWithOnlyTheDefaultRule) {
  const auto rules = compile_ok(listener({}));
  EXPECT_TRUE(rules.select(request("", "/")).is_default());
  EXPECT_EQ(rules.rules().size(), 1u);
}

TEST(ListenerRules, NormalizedTraversalDoesNotRideTheHealthExemption) {
  // The engine normalizes `/status/200/../headers` to `/headers` before select().
  const auto rules =
      compile_ok(listener({rule(1, {path_pattern({"/status/200"})}, {forward_to("x")})}));
  EXPECT_EQ(chosen(rules, "example.com", "/headers"), "default");
}

TEST(ListenerRules, ValuesWithinAConditionAreOred) {
  const auto rules =
      compile_ok(listener({rule(1, {path_pattern({"/a", "/b/*", "/c?"})}, {forward_to("x")})}));
  EXPECT_EQ(chosen(rules, "h", "/a"), "1");
  EXPECT_EQ(chosen(rules, "h", "/b/1"), "1");
  EXPECT_EQ(chosen(rules, "h", "/c1"), "1");
  EXPECT_EQ(chosen(rules, "h", "/d"), "default");
}

TEST(ListenerRules, ConditionsWithinARuleAreAnded) {
  const auto rules = compile_ok(listener(
      {rule(1, {path_pattern({"/api/*"}), host_header({"api.example.com", "*.api.example.com"})},
            {forward_to("api")})}));
  EXPECT_EQ(chosen(rules, "api.example.com", "/api/x"), "1");
  EXPECT_EQ(chosen(rules, "eu.api.example.com", "/api/x"), "1");
  EXPECT_EQ(chosen(rules, "www.example.com", "/api/x"), "default");  // host fails
  EXPECT_EQ(chosen(rules, "api.example.com", "/web/x"), "default");  // path fails
}

TEST(ListenerRules, HostIgnoresPortAndCase) {
  const auto rules =
      compile_ok(listener({rule(1, {host_header({"*.example.com"})}, {forward_to("x")})}));
  EXPECT_EQ(chosen(rules, "api.example.com:8443", "/"), "1");
  EXPECT_EQ(chosen(rules, "API.Example.COM", "/"), "1");
  EXPECT_EQ(chosen(rules, "example.com", "/"), "default");
  EXPECT_EQ(chosen(rules, "example.com:443", "/"), "default");
  EXPECT_EQ(chosen(rules, "api.example.com.evil.net", "/"), "default");
}

TEST(ListenerRules, HostConditionNeverMatchesAMissingHost) {
  const auto rules = compile_ok(listener({rule(1, {host_header({"*"})}, {forward_to("x")})}));
  EXPECT_EQ(chosen(rules, "", "/"), "default");
  EXPECT_EQ(chosen(rules, ":8080", "/"), "default");
  EXPECT_EQ(chosen(rules, "anything", "/"), "1");
}

TEST(ListenerRules, IPv6HostKeepsBrackets) {
  const auto rules = compile_ok(listener({rule(1, {host_header({"[::1]"})}, {forward_to("x")})}));
  EXPECT_EQ(chosen(rules, "[::1]:8080", "/"), "1");
}

TEST(ListenerRules, PathIsCaseSensitive) {
  const auto rules =
      compile_ok(listener({rule(1, {path_pattern({"/Admin/*"})}, {forward_to("x")})}));
  EXPECT_EQ(chosen(rules, "h", "/Admin/users"), "1");
  EXPECT_EQ(chosen(rules, "h", "/admin/users"), "default");
}

TEST(ListenerRules, ControlCharactersNeverMatch) {
  const auto rules = compile_ok(listener({
      rule(1, {path_pattern({"*"})}, {forward_to("path")}),
  }));
  EXPECT_EQ(chosen(rules, "h", std::string_view("/a\0b", 4)), "default");
  EXPECT_EQ(chosen(rules, "h", "/a\x7f"), "default");
  EXPECT_EQ(chosen(rules, "h", "/a\tb"), "default");
  EXPECT_EQ(chosen(rules, "h", "/caf\xc3\xa9"), "1");  // bytes above 0x7f are matched as bytes

  const auto by_host = compile_ok(listener({rule(1, {host_header({"*"})}, {forward_to("host")})}));
  EXPECT_EQ(chosen(by_host, "a\r\nb", "/"), "default");
}

TEST(ListenerRules, SelectedRuleCarriesItsActions) {
  const auto rules =
      compile_ok(listener({rule(7, {path_pattern({"/split"})},
                                {forward({{.target_group_name = "blue", .weight = 1},
                                          {.target_group_name = "green", .weight = 0}})})}));
  const Rule& rule = rules.select(request("h", "/split"));
  ASSERT_EQ(rule.actions.size(), 1u);
  EXPECT_EQ(std::get<ForwardAction>(rule.actions[0]).choose_target_group(12345), "blue");
}

TEST(ListenerRules, RulesWithAuthenticateOidcNameTheirLogin) {
  config::Listener config = listener(
      {rule(5, {path_pattern({"/b"})}, {authenticate_oidc(1, "second"), forward_to_group("b", 2)}),
       rule(2, {path_pattern({"/a"})}, {authenticate_oidc(1, "first"), forward_to_group("a", 2)}),
       rule(3, {path_pattern({"/open"})}, {forward_to("open")})});
  config.default_actions = {authenticate_oidc(1, "default"), forward_to_group("d", 2)};
  const auto rules = compile_ok(config);
  ASSERT_EQ(rules.logins().size(), 3u);
  auto client_of = [&](std::string_view path) -> std::string {
    const Rule& rule = rules.select(request("h", path));
    if (!rule.login) return "none";
    return rules.logins()[*rule.login].client_id;
  };
  EXPECT_EQ(client_of("/a"), "first");
  EXPECT_EQ(client_of("/b"), "second");
  EXPECT_EQ(client_of("/open"), "none");
  EXPECT_EQ(client_of("/elsewhere"), "default");
  const Rule& a = rules.select(request("h", "/a"));
  ASSERT_EQ(a.actions.size(), 1u);
  EXPECT_TRUE(std::holds_alternative<ForwardAction>(a.actions[0]));
}

TEST(ListenerRulesCompile, RejectsPriorityOutOfRange) {
  EXPECT_EQ(error_messages(listener({rule(0, {path_pattern({"/"})}, {forward_to("x")})})),
            std::vector<std::string>{"rule priority 0 is outside 1-50000"});
  EXPECT_EQ(error_messages(listener({rule(50001, {path_pattern({"/"})}, {forward_to("x")})})),
            std::vector<std::string>{"rule priority 50001 is outside 1-50000"});
}

TEST(ListenerRulesCompile, RejectsDuplicatePriority) {
  const auto errors =
      error_messages(listener({rule(5, {path_pattern({"/a"})}, {forward_to("x")}),
                               rule(5, {path_pattern({"/b"})}, {forward_to("y")})}));
  EXPECT_EQ(errors, std::vector<std::string>{"rule priority 5 is used twice"});
}

TEST(ListenerRulesCompile, RejectsRuleWithoutConditions) {
  EXPECT_EQ(error_messages(listener({rule(2, {}, {forward_to("x")})})),
            std::vector<std::string>{"rule 2 has no conditions"});
}

TEST(ListenerRulesCompile, RejectsRuleWithoutActions) {
  EXPECT_EQ(error_messages(listener({rule(2, {path_pattern({"/"})}, {})})),
            std::vector<std::string>{"rule 2 has no actions"});
}

TEST(ListenerRulesCompile, RejectsListenerWithoutDefaultActions) {
  EXPECT_EQ(error_messages(listener({}, {})),
            std::vector<std::string>{"the default rule has no actions"});
}

TEST(ListenerRulesCompile, RejectsTwoConditionsOnOneField) {
  EXPECT_EQ(error_messages(listener(
                {rule(1, {path_pattern({"/a"}), path_pattern({"/b"})}, {forward_to("x")})})),
            std::vector<std::string>{"rule 1 has more than one path-pattern condition"});
}

TEST(ListenerRulesCompile, RejectsTwoMethodOrSourceConditions) {
  EXPECT_EQ(error_messages(listener(
                {rule(1, {request_method({"GET"}), request_method({"POST"})}, {forward_to("x")})})),
            std::vector<std::string>{"rule 1 has more than one http-request-method condition"});
  EXPECT_EQ(error_messages(listener(
                {rule(1, {source_ip({"10.0.0.0/8"}), source_ip({"::/0"})}, {forward_to("x")})})),
            std::vector<std::string>{"rule 1 has more than one source-ip condition"});
}

TEST(ListenerRulesCompile, AllowsSeveralHeaderAndQueryConditions) {
  const auto rules = compile_ok(listener({rule(
      1,
      {http_header("X-A", {"1"}), http_header("X-B", {"2"}),
       query_string({{.key = "a", .value = "1"}}), query_string({{.key = "b", .value = "2"}})},
      {forward_to("x")})}));
  EXPECT_EQ(rules.rules()[0].conditions.size(), 4u);
}

TEST(ListenerRulesCompile, RedirectIsCheckedAgainstTheListener) {
  config::RedirectConfig to_http;
  to_http.protocol = "HTTP";
  to_http.port = "80";
  to_http.status_code = 301;
  // The test listener is HTTPS on 443.
  EXPECT_EQ(error_messages(listener({rule(1, {path_pattern({"/"})}, {redirect(to_http)})})),
            std::vector<std::string>{"redirect: an HTTPS listener cannot redirect to HTTP"});
  config::RedirectConfig same;
  same.protocol = "HTTPS";
  same.port = "443";
  same.status_code = 302;
  EXPECT_EQ(
      error_messages(listener({}, {redirect(same)})),
      std::vector<std::string>{"redirect: it must change the protocol, host, port or path, or "
                               "it sends the client back where it came from"});
}

TEST(ListenerRules, RedirectRuleIsSelectedLikeAnyOther) {
  config::RedirectConfig moved;
  moved.path = "/v2/#{path}";
  moved.status_code = 301;
  const auto rules = compile_ok(listener({rule(1, {path_pattern({"/v1/*"})}, {redirect(moved)})}));
  const Rule& rule = rules.select(request("example.com", "/v1/users"));
  ASSERT_EQ(rule.name, "1");
  RequestView view = request("example.com", "/v1/users");
  view.listener_port = 443;
  EXPECT_EQ(render(std::get<RedirectAction>(rule.actions.back()), view).location,
            "https://example.com:443/v2/v1/users");
}

TEST(ListenerRulesCompile, RejectsConditionWithoutValues) {
  EXPECT_EQ(error_messages(listener({rule(1, {host_header({})}, {forward_to("x")})})),
            std::vector<std::string>{"host-header: no values"});
}

TEST(ListenerRulesCompile, RejectsEmptyValue) {
  EXPECT_EQ(error_messages(listener({rule(1, {path_pattern({"/a", ""})}, {forward_to("x")})})),
            std::vector<std::string>{"path-pattern: empty value"});
}

TEST(ListenerRulesCompile, RejectsValueLongerThan128) {
  const std::string long_value = "/" + std::string(128, 'a');
  EXPECT_EQ(error_messages(listener({rule(1, {path_pattern({long_value})}, {forward_to("x")})})),
            std::vector<std::string>{"path-pattern: value longer than 128 characters (\"/" +
                                     std::string(31, 'a') + "...\")"});
}

TEST(ListenerRulesCompile, CollectsEveryErrorWithItsLocation) {
  config::Listener config =
      listener({rule(0, {}, {forward_to("x")}), rule(4, {path_pattern({""})}, {forward({})})}, {});
  CompileResult result = compile(config);
  ASSERT_FALSE(result.rules.has_value());
  ASSERT_EQ(result.errors.size(), 5u);
  EXPECT_EQ(result.errors[0].message, "rule priority 0 is outside 1-50000");
  EXPECT_EQ(result.errors[0].where.line, 0);
  EXPECT_EQ(result.errors[1].message, "rule 0 has no conditions");
  EXPECT_EQ(result.errors[2].message, "path-pattern: empty value");
  EXPECT_EQ(result.errors[3].message, "forward: no target group");
  EXPECT_EQ(result.errors[4].message, "the default rule has no actions");
  EXPECT_EQ(result.errors[4].where.file, "listener.yaml");
  EXPECT_EQ(result.errors[4].where.line, 1);
}

}  // namespace
}  // namespace gatehouse::edge
