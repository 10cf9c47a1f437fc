// Listener rule actions with ALB's names and limits: forward (one or up to five weighted
// target groups), fixed-response and redirect, ordered by `order`, ending in one terminal
// action.
#include <algorithm>
#include <array>

#include "config/decode.h"
#include "config/did_you_mean.h"
#include "config/syntax.h"

namespace gatehouse::config {
namespace {

constexpr std::array<std::string_view, 5> kActionTypes{"forward", "fixed-response", "redirect",
                                                       "authenticate-oidc", "authenticate-cognito"};
constexpr std::array<std::string_view, 5> kContentTypes{
    "text/plain", "text/css", "text/html", "application/javascript", "application/json"};
constexpr std::array<std::string_view, 3> kRedirectProtocols{"HTTP", "HTTPS", "#{protocol}"};
constexpr std::array<std::string_view, 2> kRedirectStatusCodes{"HTTP_301", "HTTP_302"};
constexpr std::size_t kMaxWeightedTargetGroups = 5;
constexpr std::size_t kMaxMessageBody = 1024;
constexpr std::size_t kMaxRedirectComponent = 128;

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

// A redirect component and what ALB lets it hold: its own characters and the `#{...}`
// placeholders allowed there.
constexpr std::array<std::string_view, 5> kPlaceholders{"protocol", "host", "port", "path",
                                                        "query"};

struct RedirectComponent {
  std::string_view field;
  unsigned placeholders;  // bit i set: kPlaceholders[i] is allowed
  bool (*allowed_char)(char c);
  std::string_view charset;  // how the error describes allowed_char
};

bool is_alnum(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}
bool host_char(char c) { return is_alnum(c) || c == '-' || c == '.'; }
bool path_char(char c) {
  return is_alnum(c) || std::string_view("_-.$/~\"'@:+&*").find(c) != std::string_view::npos;
}
bool query_char(char c) { return c > ' ' && c != 0x7f && c != '#'; }

// ALB: #{protocol} in protocol and query; #{host} in host, path and query; #{port} in port,
// path and query; #{path} in path and query; #{query} in query.
constexpr RedirectComponent kRedirectHost{"host", 0b00010, host_char, "A-Z, a-z, 0-9, - ."};
constexpr RedirectComponent kRedirectPath{"path", 0b01110, path_char,
                                          "A-Z, a-z, 0-9, _ - . $ / ~ \" ' @ : + & *"};
constexpr RedirectComponent kRedirectQuery{"query", 0b11111, query_char,
                                           "visible characters but #"};

// Why `text` is not a valid `component`, or nullopt.
SyntaxError check_redirect_component(const RedirectComponent& component, std::string_view text) {
  if (text.size() > kMaxRedirectComponent) return "must be at most 128 characters";
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text.substr(i).starts_with("#{") && text.find('}', i) != std::string_view::npos) {
      const std::size_t close = text.find('}', i);
      const std::string name(text.substr(i + 2, close - i - 2));
      const auto* known = std::find(kPlaceholders.begin(), kPlaceholders.end(), name);
      if (known == kPlaceholders.end()) {
        return "unknown placeholder \"#{" + name +
               "}\" (the placeholders are #{protocol}, #{host}, #{port}, #{path}, #{query})";
      }
      if ((component.placeholders >> (known - kPlaceholders.begin()) & 1) == 0) {
        return "#{" + name + "} cannot be used in " + std::string(component.field);
      }
      i = close;
    } else if (text[i] == '#') {
      return "\"#\" may only start a placeholder such as #{host}";
    } else if (text[i] == '?' && component.field == "path") {
      return "\"?\" would start the query; set query instead";
    } else if (!component.allowed_char(text[i])) {
      return "may only contain " + std::string(component.charset) + " and placeholders";
    }
  }
  return std::nullopt;
}

// Reads one redirect component into `into` (which holds its default) and checks it.
void read_redirect_component(const Object& config, const RedirectComponent& component,
                             std::string& into) {
  Value value = config.get(component.field);
  auto text = value.string();
  if (!text) return;
  into = *text;
  SyntaxError problem = check_redirect_component(component, into);
  if (!problem && into.empty() && component.field != "query") problem = "must not be empty";
  if (!problem && component.field == "path" && !into.starts_with('/')) {
    problem = "must start with \"/\"";
  }
  if (!problem && component.field == "query" && into.starts_with('?')) {
    problem = "must not start with \"?\" (ALB adds it)";
  }
  if (problem)
    value.error("invalid " + std::string(component.field) + " " + quote(into) + ": " + *problem);
}

// ALB refuses a redirect that cannot change the URL: protocol, host, port and path all the
// request's own (a protocol or port equal to the listener's is its own too).
bool redirects_to_itself(const RedirectConfig& redirect, const Listener& listener) {
  const bool same_protocol =
      redirect.protocol == "#{protocol}" || redirect.protocol == listener.protocol;
  const bool same_port =
      redirect.port == "#{port}" || redirect.port == std::to_string(listener.port);
  return same_protocol && same_port && redirect.host == "#{host}" && redirect.path == "/#{path}";
}

void read_redirect(const Object& action, const Listener& listener, RuleAction& out) {
  Value config_value = action.require("redirectConfig");
  Object config = config_value.object({"protocol", "host", "port", "path", "query", "statusCode"});
  if (!config.present()) return;
  RedirectConfig redirect;
  bool valid = config.known_keys_only();  // else a loop cannot be told from a typo
  Value protocol = config.get("protocol");
  if (auto index = protocol.one_of(kRedirectProtocols)) {
    redirect.protocol = kRedirectProtocols[*index];
    if (redirect.protocol == "HTTP" && listener.protocol == "HTTPS") {
      protocol.error("an HTTPS listener cannot redirect to HTTP");
    }
  } else {
    valid = valid && !protocol.present();
  }
  Value port = config.get("port");
  if (auto text = port.string()) {
    redirect.port = *text;
    auto number = parse_port_number(*text);
    if (*text != "#{port}" && (!number || *number == 0 || text->front() == '0')) {
      port.error("port must be 1-65535 or #{port}, got " + quote(*text));
    }
  }
  read_redirect_component(config, kRedirectHost, redirect.host);
  read_redirect_component(config, kRedirectPath, redirect.path);
  read_redirect_component(config, kRedirectQuery, redirect.query);
  if (auto index = config.require("statusCode").one_of(kRedirectStatusCodes)) {
    redirect.status_code = *index == 0 ? 301 : 302;
  }
  if (valid && redirects_to_itself(redirect, listener)) {
    config_value.error(
        "a redirect must change the protocol, host, port or path; this one sends the client "
        "back to the URL it asked for");
  }
  out.redirect = std::move(redirect);
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
  if (out.type == "authenticate-cognito") {
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
  } else if (out.type == "authenticate-oidc") {
    out.authenticate_oidc = read_authenticate_oidc(action, listener);
  } else if (out.type == "redirect") {
    read_redirect(action, listener, out);
  } else {
    read_fixed_response(action, out);
  }
  return out;
}

bool is_terminal(const RuleAction& action) {
  return action.type == "forward" || action.type == "fixed-response" || action.type == "redirect";
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
  check_authenticate_actions(list, actions);
  auto terminals = std::count_if(actions.begin(), actions.end(), is_terminal);
  if (!actions.empty() && (terminals != 1 || !is_terminal(actions.back()))) {
    list.error(
        "actions must end with exactly one forward, redirect or fixed-response action, and "
        "it must be the last");
  }
  return actions;
}

}  // namespace gatehouse::config
