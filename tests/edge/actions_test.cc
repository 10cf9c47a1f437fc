#include "edge/actions.h"

#include <gtest/gtest.h>

#include <map>
#include <random>
#include <variant>

#include "rule_builders.h"

namespace gatehouse::edge {
namespace {

using testing::authenticate_oidc;
using testing::fixed_response;
using testing::forward;
using testing::forward_to_group;

std::vector<RuleError> errors_of(std::vector<config::RuleAction> actions) {
  std::vector<RuleError> errors;
  const auto compiled = compile_actions(actions, "rule 7", {.file = "l.yaml", .line = 3}, errors);
  EXPECT_EQ(compiled.empty(), !errors.empty());
  return errors;
}

std::string only_error(std::vector<config::RuleAction> actions) {
  auto errors = errors_of(std::move(actions));
  EXPECT_EQ(errors.size(), 1u);
  return errors.empty() ? "" : errors.front().message;
}

ForwardAction compile_forward(std::vector<config::WeightedTargetGroup> groups) {
  std::vector<RuleError> errors;
  std::vector<config::RuleAction> actions = {forward(std::move(groups))};
  auto compiled = compile_actions(actions, "rule 1", {}, errors);
  EXPECT_TRUE(errors.empty());
  return std::get<ForwardAction>(compiled.at(0));
}

TEST(ForwardAction, SingleGroupAlwaysChosen) {
  const auto action = compile_forward({{.target_group_name = "web", .weight = 1}});
  for (uint64_t random : {0ull, 1ull, 7ull, ~0ull})
    EXPECT_EQ(action.choose_target_group(random), "web");
}

TEST(ForwardAction, WeightsSplitTrafficProportionally) {
  const auto action = compile_forward({{.target_group_name = "blue", .weight = 3},
                                       {.target_group_name = "green", .weight = 1},
                                       {.target_group_name = "never", .weight = 0}});
  std::mt19937_64 rng(42);
  std::map<std::string, int> counts;
  const int draws = 40000;
  for (int i = 0; i < draws; ++i) ++counts[std::string(action.choose_target_group(rng()))];
  EXPECT_EQ(counts.count("never"), 0u);
  EXPECT_NEAR(counts["blue"], draws * 3 / 4, draws / 50);
  EXPECT_NEAR(counts["green"], draws / 4, draws / 50);
}

TEST(ForwardAction, EveryTicketMapsToItsGroup) {
  const auto action = compile_forward({{.target_group_name = "a", .weight = 0},
                                       {.target_group_name = "b", .weight = 2},
                                       {.target_group_name = "c", .weight = 999}});
  EXPECT_EQ(action.choose_target_group(0), "b");
  EXPECT_EQ(action.choose_target_group(1), "b");
  EXPECT_EQ(action.choose_target_group(2), "c");
  EXPECT_EQ(action.choose_target_group(1000), "c");
  EXPECT_EQ(action.choose_target_group(1001), "b");  // wraps modulo the total weight
}

TEST(CompileActions, SortsByOrder) {
  std::vector<RuleError> errors;
  std::vector<config::RuleAction> actions = {fixed_response(503, "text/plain", "late", 9)};
  auto compiled = compile_actions(actions, "rule 1", {}, errors);
  ASSERT_TRUE(errors.empty());
  EXPECT_EQ(std::get<FixedResponseAction>(compiled.at(0)).message_body, "late");
}

TEST(CompileActions, RejectsNoActions) {
  auto errors = errors_of({});
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].message, "rule 7 has no actions");
  EXPECT_EQ(errors[0].where.line, 3);
}

TEST(CompileActions, RejectsTerminalActionBeforeTheLast) {
  EXPECT_EQ(only_error({fixed_response(404, "text/plain", "", 2),
                        forward({{.target_group_name = "web", .weight = 1}}, 1)}),
            "action \"forward\" ends the rule but is not the last action");
}

TEST(CompileActions, RejectsUnknownActionType) {
  config::RuleAction action;
  action.type = "authenticate-cognito";
  EXPECT_EQ(only_error({action}),
            "action type \"authenticate-cognito\" is not supported (authenticate-oidc, forward, "
            "fixed-response, redirect)");
}

TEST(CompileActions, AuthenticateOidcIsKeptOutOfTheTerminalActions) {
  std::vector<RuleError> errors;
  const config::RuleAction actions[] = {authenticate_oidc(1), forward_to_group("web", 2)};
  auto compiled = compile_actions(actions, "rule 1", {}, errors);
  EXPECT_TRUE(errors.empty());
  ASSERT_EQ(compiled.size(), 1u);
  EXPECT_TRUE(std::holds_alternative<ForwardAction>(compiled[0]));
}

TEST(CompileActions, RejectsAuthenticateOidcAfterAnotherAction) {
  std::vector<RuleError> errors;
  const config::RuleAction actions[] = {fixed_response(404, "text/plain", "", 1),
                                        authenticate_oidc(2)};
  compile_actions(actions, "rule 1", {}, errors);
  ASSERT_FALSE(errors.empty());
  EXPECT_EQ(errors[0].message, "authenticate-oidc must be the first action of a rule");
}

TEST(CompileActions, RejectsAuthenticateOidcAlone) {
  EXPECT_EQ(only_error({authenticate_oidc(1)}),
            "authenticate-oidc must be followed by a forward, redirect or fixed-response action");
}

TEST(CompileActions, RejectsAuthenticateOidcWithoutItsConfig) {
  config::RuleAction action = authenticate_oidc(1);
  action.authenticate_oidc.reset();
  std::vector<RuleError> errors;
  const config::RuleAction actions[] = {action, forward_to_group("web", 2)};
  compile_actions(actions, "rule 1", {}, errors);
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].message, "authenticate-oidc: authenticateOidcConfig is missing");
}

TEST(CompileActions, RejectsForwardWithoutGroups) {
  EXPECT_EQ(only_error({forward({})}), "forward: no target group");
}

TEST(CompileActions, RejectsMoreThanFiveGroups) {
  std::vector<config::WeightedTargetGroup> groups(6, {.target_group_name = "g", .weight = 1});
  EXPECT_EQ(only_error({forward(groups)}), "forward: more than 5 target groups");
}

TEST(CompileActions, RejectsWeightAbove999) {
  EXPECT_EQ(only_error({forward({{.target_group_name = "g", .weight = 1000}})}),
            "forward: weight 1000 of target group \"g\" is outside 0-999");
}

TEST(CompileActions, RejectsAllWeightsZero) {
  EXPECT_EQ(only_error({forward({{.target_group_name = "a", .weight = 0},
                                 {.target_group_name = "b", .weight = 0}})}),
            "forward: every target group has weight 0");
}

TEST(CompileActions, RejectsUnnamedGroup) {
  EXPECT_EQ(only_error({forward({{.target_group_name = "", .weight = 1}})}),
            "forward: target group without a name");
}

TEST(CompileActions, RejectsFixedResponseWithoutConfig) {
  config::RuleAction action;
  action.type = "fixed-response";
  EXPECT_EQ(only_error({action}), "fixed-response: fixedResponseConfig is missing");
}

TEST(CompileActions, RejectsFixedResponseStatusOutside2xx4xx5xx) {
  for (uint32_t status : {0u, 199u, 301u, 399u, 600u}) {
    EXPECT_EQ(only_error({fixed_response(status, "text/plain", "")}),
              "fixed-response: statusCode " + std::to_string(status) + " is not 2XX, 4XX or 5XX");
  }
  for (uint32_t status : {200u, 299u, 400u, 599u}) {
    EXPECT_TRUE(errors_of({fixed_response(status, "text/plain", "")}).empty()) << status;
  }
}

TEST(CompileActions, RejectsUnlistedContentType) {
  EXPECT_EQ(only_error({fixed_response(200, "image/png", "")}),
            "fixed-response: contentType \"image/png\" is not one of text/plain, text/css, "
            "text/html, application/javascript, application/json");
}

TEST(CompileActions, RejectsBodyOver1024Bytes) {
  EXPECT_TRUE(errors_of({fixed_response(200, "text/plain", std::string(1024, 'x'))}).empty());
  EXPECT_EQ(only_error({fixed_response(200, "text/plain", std::string(1025, 'x'))}),
            "fixed-response: messageBody is longer than 1024 bytes");
}

TEST(FixedResponse, RendersAlbHeadersAndConfiguredBody) {
  const FixedResponseAction action{
      .status_code = 503, .content_type = "application/json", .message_body = R"({"down":true})"};
  const GeneratedResponse response = render(action);
  EXPECT_EQ(response.status_code, 503u);
  EXPECT_EQ(response.headers[0].name, "Server");
  EXPECT_EQ(response.headers[0].value, "awselb/2.0");
  EXPECT_EQ(response.headers[1].name, "Content-Type");
  EXPECT_EQ(response.headers[1].value, "application/json");
  EXPECT_EQ(response.body, R"({"down":true})");
}

}  // namespace
}  // namespace gatehouse::edge
