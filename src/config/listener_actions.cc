// Listener rule actions with ALB's names and limits: forward (one or up to five weighted
// target groups) and fixed-response, ordered by `order`, ending in one terminal action.
#include <algorithm>
#include <array>

#include "config/decode.h"
#include "config/did_you_mean.h"

namespace gatehouse::config {
namespace {

constexpr std::array<std::string_view, 5> kActionTypes{"forward", "fixed-response", "redirect",
                                                       "authenticate-oidc", "authenticate-cognito"};
constexpr std::array<std::string_view, 5> kContentTypes{
    "text/plain", "text/css", "text/html", "application/javascript", "application/json"};
constexpr std::size_t kMaxWeightedTargetGroups = 5;
constexpr std::size_t kMaxMessageBody = 1024;

// Which action type each configuration block belongs to.
struct ConfigBlock {
  std::string_view field;
  std::string_view type;
};
constexpr std::array<ConfigBlock, 6> kConfigBlocks{
    {{"targetGroupName", "forward"},
     {"forwardConfig", "forward"},
     {"fixedResponseConfig", "fixed-response"},
     {"redirectConfig", "redirect"},
     {"authenticateOidcConfig", "authenticate-oidc"},
     {"authenticateCognitoConfig", "authenticate-cognito"}}};

void add_target_group(const Value& at, const std::string& name, uint32_t weight,
                      const Listener& listener, RuleAction& action, CrossReferences& refs) {
  for (const WeightedTargetGroup& earlier : action.target_groups) {
    if (earlier.target_group_name == name) {
      at.error("target group " + quote(name) + " is listed twice");
      return;
    }
  }
  action.target_groups.push_back(WeightedTargetGroup{name, weight});
  refs.target_groups.push_back(
      Reference{at.where(), listener.id(), listener.metadata.namespace_ + "/" + name});
}

void read_forward(const Value& value, const Object& action, const Listener& listener,
                  RuleAction& out, CrossReferences& refs) {
  bool by_name = action.has("targetGroupName"), by_config = action.has("forwardConfig");
  if (by_name == by_config) {
    value.error(by_name ? "set only one of targetGroupName and forwardConfig"
                        : "a forward action needs targetGroupName or forwardConfig");
    return;
  }
  if (by_name) {
    Value name = action.get("targetGroupName");
    if (auto text = name.string()) add_target_group(name, *text, 1, listener, out, refs);
    return;
  }
  Object config =
      action.get("forwardConfig").object({"targetGroups", "targetGroupStickinessConfig"});
  config.refuse({"targetGroupStickinessConfig"});
  Value groups = config.require("targetGroups");
  std::vector<Value> items = groups.items();
  if (groups.is_empty_list()) groups.error("must list at least one target group");
  if (items.size() > kMaxWeightedTargetGroups) {
    groups.error("a forward action can have at most 5 target groups, got " +
                 std::to_string(items.size()));
    return;
  }
  for (const Value& item : items) {
    Object group = item.object({"targetGroupName", "weight"});
    Value name = group.require("targetGroupName");
    auto weight = group.get("weight").integer(0, 999);
    if (auto text = name.string()) {
      add_target_group(name, *text, static_cast<uint32_t>(weight.value_or(1)), listener, out, refs);
    }
  }
}

bool is_fixed_response_status(std::string_view code) {
  return code.size() == 3 && (code[0] == '2' || code[0] == '4' || code[0] == '5') &&
         code[1] >= '0' && code[1] <= '9' && code[2] >= '0' && code[2] <= '9';
}

void read_fixed_response(const Object& action, RuleAction& out) {
  Value config_value = action.require("fixedResponseConfig");
  Object config = config_value.object({"statusCode", "contentType", "messageBody"});
  if (!config.present()) return;
  FixedResponseConfig fixed;
  Value status = config.require("statusCode");
  if (auto text = status.string()) {
    if (is_fixed_response_status(*text)) {
      fixed.status_code = static_cast<uint32_t>(std::stoi(*text));
    } else {
      status.error("statusCode must match ^(2|4|5)\\d\\d$, got " + quote(*text));
    }
  }
  if (auto index = config.get("contentType").one_of(kContentTypes)) {
    fixed.content_type = kContentTypes[*index];
  }
  Value body = config.get("messageBody");
  fixed.message_body = body.string().value_or("");
  if (fixed.message_body.size() > kMaxMessageBody) {
    body.error("messageBody must be at most 1024 bytes, got " +
               std::to_string(fixed.message_body.size()));
  }
  out.fixed_response = std::move(fixed);
}

std::optional<RuleAction> read_action(const Value& value, const Listener& listener,
                                      CrossReferences& refs) {
  Object action =
      value.object({"type", "order", "targetGroupName", "forwardConfig", "fixedResponseConfig",
                    "redirectConfig", "authenticateOidcConfig", "authenticateCognitoConfig"});
  if (!action.present()) return std::nullopt;
  RuleAction out;
  out.where = value.where();
  out.order = static_cast<uint32_t>(action.get("order").integer(1, 50000).value_or(0));
  Value type = action.require("type");
  auto index = type.one_of(kActionTypes);
  if (!index) return std::nullopt;
  out.type = kActionTypes[*index];
  if (out.type != "forward" && out.type != "fixed-response") {
    type.error("action type " + out.type + " is not supported yet");
    return std::nullopt;
  }
  for (const ConfigBlock& block : kConfigBlocks) {
    if (block.type != out.type && action.get(block.field).present()) {
      action.get(block.field).error("does not apply to a " + out.type + " action");
    }
  }
  if (out.type == "forward") {
    read_forward(value, action, listener, out, refs);
  } else {
    read_fixed_response(action, out);
  }
  return out;
}

bool is_terminal(const RuleAction& action) {
  return action.type == "forward" || action.type == "fixed-response";
}

}  // namespace

std::vector<RuleAction> read_actions(const Value& list, const Listener& listener,
                                     CrossReferences& refs) {
  std::vector<Value> items = list.items();
  if (list.is_empty_list()) list.error("must have at least one action");
  std::vector<RuleAction> actions;
  for (const Value& item : items) {
    if (auto action = read_action(item, listener, refs)) actions.push_back(std::move(*action));
  }
  if (actions.size() != items.size()) return actions;  // already reported
  if (actions.size() > 1) {
    for (const RuleAction& action : actions) {
      if (action.order == 0) {
        list.error("every action needs an order when there is more than one");
        return actions;
      }
    }
  }
  std::stable_sort(actions.begin(), actions.end(),
                   [](const RuleAction& a, const RuleAction& b) { return a.order < b.order; });
  for (std::size_t i = 1; i < actions.size(); ++i) {
    if (actions[i].order == actions[i - 1].order) {
      list.error("duplicate action order " + std::to_string(actions[i].order));
    }
  }
  auto terminals = std::count_if(actions.begin(), actions.end(), is_terminal);
  if (!actions.empty() && (terminals != 1 || !is_terminal(actions.back()))) {
    list.error(
        "actions must end with exactly one forward or fixed-response action, and it "
        "must be the last");
  }
  return actions;
}

}  // namespace gatehouse::config
