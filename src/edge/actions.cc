#include "edge/actions.h"

#include <algorithm>
#include <array>
#include <optional>

namespace gatehouse::edge {
namespace {

constexpr uint32_t kMaxWeight = 999;
constexpr std::size_t kMaxForwardTargetGroups = 5;
constexpr std::size_t kMaxMessageBodyBytes = 1024;
constexpr std::array<std::string_view, 5> kFixedResponseContentTypes = {
    "text/plain", "text/css", "text/html", "application/javascript", "application/json"};

bool valid_fixed_status(uint32_t code) {
  return (code >= 200 && code <= 299) || (code >= 400 && code <= 599);
}

std::optional<Action> compile_forward(const config::RuleAction& action,
                                      std::vector<RuleError>& errors) {
  const std::size_t errors_before = errors.size();
  auto fail = [&](std::string message) { errors.push_back({action.where, std::move(message)}); };
  if (action.target_groups.empty()) fail("forward: no target group");
  if (action.target_groups.size() > kMaxForwardTargetGroups)
    fail("forward: more than 5 target groups");
  uint64_t total_weight = 0;
  for (const auto& group : action.target_groups) {
    if (group.target_group_name.empty()) fail("forward: target group without a name");
    if (group.weight > kMaxWeight)
      fail("forward: weight " + std::to_string(group.weight) + " of target group \"" +
           group.target_group_name + "\" is outside 0-999");
    total_weight += group.weight;
  }
  if (!action.target_groups.empty() && total_weight == 0)
    fail("forward: every target group has weight 0");
  if (errors.size() != errors_before) return std::nullopt;
  return ForwardAction(action.target_groups);
}

std::optional<Action> compile_fixed_response(const config::RuleAction& action,
                                             std::vector<RuleError>& errors) {
  if (!action.fixed_response) {
    errors.push_back({action.where, "fixed-response: fixedResponseConfig is missing"});
    return std::nullopt;
  }
  const config::FixedResponseConfig& config = *action.fixed_response;
  const std::size_t errors_before = errors.size();
  auto fail = [&](std::string message) { errors.push_back({action.where, std::move(message)}); };
  if (!valid_fixed_status(config.status_code))
    fail("fixed-response: statusCode " + std::to_string(config.status_code) +
         " is not 2XX, 4XX or 5XX");
  if (std::find(kFixedResponseContentTypes.begin(), kFixedResponseContentTypes.end(),
                config.content_type) == kFixedResponseContentTypes.end())
    fail("fixed-response: contentType \"" + config.content_type +
         "\" is not one of text/plain, text/css, text/html, application/javascript, "
         "application/json");
  if (config.message_body.size() > kMaxMessageBodyBytes)
    fail("fixed-response: messageBody is longer than 1024 bytes");
  if (errors.size() != errors_before) return std::nullopt;
  return FixedResponseAction{config.status_code, config.content_type, config.message_body};
}

std::optional<Action> compile_action(const config::RuleAction& action, const ListenerInfo& listener,
                                     std::vector<RuleError>& errors) {
  if (action.type == "forward") return compile_forward(action, errors);
  if (action.type == "fixed-response") return compile_fixed_response(action, errors);
  if (action.type == "redirect") {
    if (auto redirect = compile_redirect(action, listener, errors)) return std::move(*redirect);
    return std::nullopt;
  }
  errors.push_back({action.where, "action type \"" + action.type +
                                      "\" is not supported (authenticate-oidc, forward, "
                                      "fixed-response, redirect)"});
  return std::nullopt;
}

}  // namespace

ForwardAction::ForwardAction(std::vector<config::WeightedTargetGroup> groups)
    : groups_(std::move(groups)) {
  for (const auto& group : groups_) total_weight_ += group.weight;
}

std::string_view ForwardAction::choose_target_group(uint64_t random) const {
  uint64_t ticket = random % total_weight_;
  for (const auto& group : groups_) {
    if (ticket < group.weight) return group.target_group_name;
    ticket -= group.weight;
  }
  return groups_.back().target_group_name;  // unreachable: the weights sum to total_weight_
}

GeneratedResponse render(const FixedResponseAction& action) {
  return GeneratedResponse{
      .status_code = action.status_code,
      .headers = {HeaderField{"Server", kAlbServerHeader},
                  HeaderField{"Content-Type", action.content_type}},
      .body = action.message_body,
      .location = {},
  };
}

std::vector<Action> compile_actions(std::span<const config::RuleAction> actions,
                                    std::string_view owner, const config::SourceLocation& where,
                                    std::vector<RuleError>& errors, const ListenerInfo& listener) {
  if (actions.empty()) {
    errors.push_back({where, std::string(owner) + " has no actions"});
    return {};
  }
  std::vector<const config::RuleAction*> by_order;
  for (const auto& action : actions) by_order.push_back(&action);
  std::stable_sort(by_order.begin(), by_order.end(),
                   [](const auto* a, const auto* b) { return a->order < b->order; });

  const std::size_t errors_before = errors.size();
  std::vector<Action> compiled;
  std::size_t logins = 0;
  for (const auto* action : by_order) {
    if (action->type == "authenticate-oidc") {
      if (!action->authenticate_oidc)
        errors.push_back({action->where, "authenticate-oidc: authenticateOidcConfig is missing"});
      if (action != by_order.front() || ++logins > 1)
        errors.push_back({action->where, "authenticate-oidc must be the first action of a rule"});
      continue;  // kept by the rule itself (Rule::login)
    }
    if (auto one = compile_action(*action, listener, errors)) compiled.push_back(std::move(*one));
  }
  // Every other type ends the rule (ALB allows exactly one, last).
  for (std::size_t i = 0; i + 1 < by_order.size(); ++i) {
    if (by_order[i]->type == "authenticate-oidc") continue;
    errors.push_back({by_order[i]->where, "action \"" + by_order[i]->type +
                                              "\" ends the rule but is not the last action"});
  }
  if (!by_order.empty() && by_order.back()->type == "authenticate-oidc")
    errors.push_back({by_order.back()->where,
                      "authenticate-oidc must be followed by a forward, redirect or "
                      "fixed-response action"});
  if (errors.size() != errors_before) return {};
  return compiled;
}

}  // namespace gatehouse::edge
