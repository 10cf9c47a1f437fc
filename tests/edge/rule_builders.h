// Shorthands that build config::Listener parts in one line, so each test shows only the
// rules it is about.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "config/resources.h"
#include "request/request_view.h"

namespace gatehouse::edge::testing {

inline config::RuleCondition path_pattern(std::vector<std::string> values) {
  return {
      .field = "path-pattern", .values = std::move(values), .http_header_name = {}, .where = {}};
}

inline config::RuleCondition host_header(std::vector<std::string> values) {
  return {.field = "host-header", .values = std::move(values), .http_header_name = {}, .where = {}};
}

inline config::RuleAction forward(std::vector<config::WeightedTargetGroup> groups,
                                  uint32_t order = 1) {
  config::RuleAction action;
  action.type = "forward";
  action.order = order;
  action.target_groups = std::move(groups);
  return action;
}

inline config::RuleAction forward_to(std::string group) {
  return forward({{.target_group_name = std::move(group), .weight = 1}});
}

inline config::RuleAction fixed_response(uint32_t status, std::string content_type,
                                         std::string body, uint32_t order = 1) {
  config::RuleAction action;
  action.type = "fixed-response";
  action.order = order;
  action.fixed_response = config::FixedResponseConfig{.status_code = status,
                                                      .content_type = std::move(content_type),
                                                      .message_body = std::move(body)};
  return action;
}

inline config::ListenerRule rule(uint32_t priority, std::vector<config::RuleCondition> conditions,
                                 std::vector<config::RuleAction> actions) {
  return {.priority = priority,
          .conditions = std::move(conditions),
          .actions = std::move(actions),
          .where = {.file = "listener.yaml", .line = static_cast<int>(priority)}};
}

inline config::Listener listener(std::vector<config::ListenerRule> rules,
                                 std::vector<config::RuleAction> default_actions = {
                                     forward_to("default-tg")}) {
  config::Listener listener;
  listener.where = {.file = "listener.yaml", .line = 1};
  listener.port = 443;
  listener.protocol = "HTTPS";
  listener.rules = std::move(rules);
  listener.default_actions = std::move(default_actions);
  return listener;
}

inline RequestView request(std::string_view authority, std::string_view path) {
  RequestView view;
  view.method = "GET";
  view.scheme = "https";
  view.authority = authority;
  view.path = path;
  return view;
}

}  // namespace gatehouse::edge::testing
