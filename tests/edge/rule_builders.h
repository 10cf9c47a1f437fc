// Shorthands that build config::Listener parts in one line, so each test shows only the
// rules it is about.
#pragma once

#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "config/resources.h"
#include "request/request_view.h"

namespace gatehouse::edge::testing {

inline config::RuleCondition condition(std::string field, std::vector<std::string> values) {
  return {.field = std::move(field),
          .values = std::move(values),
          .http_header_name = {},
          .query_values = {},
          .where = {.file = "listener.yaml", .line = 42}};
}

inline config::RuleCondition path_pattern(std::vector<std::string> values) {
  return condition("path-pattern", std::move(values));
}

inline config::RuleCondition host_header(std::vector<std::string> values) {
  return condition("host-header", std::move(values));
}

inline config::RuleCondition http_header(std::string name, std::vector<std::string> values) {
  config::RuleCondition out = condition("http-header", std::move(values));
  out.http_header_name = std::move(name);
  return out;
}

inline config::RuleCondition request_method(std::vector<std::string> values) {
  return condition("http-request-method", std::move(values));
}

inline config::RuleCondition source_ip(std::vector<std::string> values) {
  return condition("source-ip", std::move(values));
}

inline config::RuleCondition query_string(std::vector<config::QueryStringKeyValue> pairs) {
  config::RuleCondition out = condition("query-string", {});
  out.query_values = std::move(pairs);
  return out;
}

inline config::RuleAction forward(std::vector<config::WeightedTargetGroup> groups,
                                  uint32_t order = 1) {
  config::RuleAction action;
  action.type = "forward";
  action.order = order;
  action.target_groups = std::move(groups);
  return action;
}

inline config::RuleAction forward_to_group(std::string group, uint32_t order) {
  return forward({{.target_group_name = std::move(group), .weight = 1}}, order);
}

inline config::RuleAction authenticate_oidc(uint32_t order, std::string client_id = "app") {
  config::RuleAction action;
  action.type = "authenticate-oidc";
  action.order = order;
  action.authenticate_oidc.emplace();
  action.authenticate_oidc->client_id = std::move(client_id);
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

inline config::RuleAction redirect(config::RedirectConfig config, uint32_t order = 1) {
  config::RuleAction action;
  action.type = "redirect";
  action.order = order;
  action.redirect = std::move(config);
  action.where = {.file = "listener.yaml", .line = 9};
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

// A request that owns its text, for tests that set headers, the query or the peer.
struct TestRequest {
  std::string peer_ip = "192.0.2.10";
  uint16_t listener_port = 443;
  std::string method = "GET";
  std::string scheme = "https";
  std::string authority = "example.com";
  std::string path = "/";
  std::string query;
  std::vector<std::pair<std::string, std::string>> headers;

  // Valid while this TestRequest is alive and unchanged.
  RequestView view() {
    fields_.clear();
    for (const auto& [name, value] : headers) fields_.push_back({name, value});
    RequestView out = request(authority, path);
    std::tie(out.method, out.scheme, out.query, out.peer_ip) =
        std::forward_as_tuple(method, scheme, query, peer_ip);
    out.listener_port = listener_port;
    out.headers = fields_;
    return out;
  }

 private:
  std::vector<HeaderField> fields_;
};

}  // namespace gatehouse::edge::testing
