// Listener rule conditions with ALB's names and limits. This issue implements path-pattern
// and host-header; the other ALB condition fields are refused until they are.
#include <array>

#include "config/decode.h"
#include "config/did_you_mean.h"
#include "config/syntax.h"

namespace gatehouse::config {
namespace {

constexpr std::array<std::string_view, 6> kConditionFields{"path-pattern", "host-header",
                                                           "http-header",  "http-request-method",
                                                           "query-string", "source-ip"};
// The configuration block each condition field takes, in kConditionFields order.
constexpr std::array<std::string_view, 6> kConfigBlocks{
    "pathPatternConfig",       "hostHeaderConfig",  "httpHeaderConfig",
    "httpRequestMethodConfig", "queryStringConfig", "sourceIpConfig"};
constexpr std::size_t kMaxValueLength = 128;

bool is_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool is_alnum(char c) { return is_alpha(c) || (c >= '0' && c <= '9'); }

SyntaxError check_path_pattern(std::string_view pattern) {
  if (pattern.empty()) return "must not be empty";
  if (pattern.size() > kMaxValueLength) return "must be at most 128 characters";
  for (char c : pattern) {
    if (!is_alnum(c) && std::string_view("_-.$/~\"'@:+&*?").find(c) == std::string_view::npos) {
      return "may only contain A-Z, a-z, 0-9, _ - . $ / ~ \" ' @ : + & * ?";
    }
  }
  return std::nullopt;
}

SyntaxError check_host_header(std::string_view host) {
  if (host.empty()) return "must not be empty";
  if (host.size() > kMaxValueLength) return "must be at most 128 characters";
  for (char c : host) {
    if (!is_alnum(c) && c != '-' && c != '.' && c != '*' && c != '?') {
      return "may only contain A-Z, a-z, 0-9, - . * ?";
    }
  }
  std::size_t last_dot = host.rfind('.');
  if (last_dot == std::string_view::npos) return "must contain at least one \".\"";
  std::string_view top = host.substr(last_dot + 1);
  if (top.empty()) return "must not end with \".\"";
  for (char c : top) {
    if (!is_alpha(c)) return "only letters may follow the last \".\"";
  }
  return std::nullopt;
}

std::vector<Value> read_values(const Object& condition, std::string_view config_field) {
  bool legacy = condition.has("values"), config = condition.has(config_field);
  if (legacy && config) {
    condition.self().error("set only one of values and " + std::string(config_field));
    return {};
  }
  if (legacy) {
    Value values = condition.get("values");
    std::vector<Value> items = values.items();
    if (values.is_empty_list() || items.size() > 1) {
      values.error("the values form takes exactly one value; use " + std::string(config_field) +
                   ".values for several");
    }
    return items;
  }
  if (!config) {
    condition.self().error("missing " + std::string(config_field) + ".values (or values)");
    return {};
  }
  Value values = condition.get(config_field).object({"values"}).require("values");
  if (values.is_empty_list()) values.error("must list at least one value");
  return values.items();
}

}  // namespace

std::optional<RuleCondition> read_condition(const Value& value) {
  Object condition =
      value.object({"field", "values", "pathPatternConfig", "hostHeaderConfig", "httpHeaderConfig",
                    "httpRequestMethodConfig", "queryStringConfig", "sourceIpConfig"});
  if (!condition.present()) return std::nullopt;
  Value field = condition.require("field");
  auto name = field.string();
  if (!name) return std::nullopt;
  std::size_t index = 0;
  while (index < kConditionFields.size() && kConditionFields[index] != *name) ++index;
  if (index == kConditionFields.size()) {
    field.error(
        with_suggestion("unknown condition field " + quote(*name), *name, kConditionFields));
    return std::nullopt;
  }
  if (index > 1) {
    field.error("condition field " + *name + " is not supported yet");
    return std::nullopt;
  }
  for (std::size_t other = 0; other < kConfigBlocks.size(); ++other) {
    if (other != index && condition.get(kConfigBlocks[other]).present()) {
      condition.get(kConfigBlocks[other]).error("does not apply to field " + *name);
    }
  }
  RuleCondition out;
  out.field = *name;
  out.where = value.where();
  for (const Value& item : read_values(condition, kConfigBlocks[index])) {
    auto text = item.string();
    if (!text) continue;
    auto problem = index == 0 ? check_path_pattern(*text) : check_host_header(*text);
    if (problem) item.error("invalid " + *name + " " + quote(*text) + ": " + *problem);
    out.values.push_back(std::move(*text));
  }
  return out;
}

}  // namespace gatehouse::config
