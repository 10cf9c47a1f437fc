// Listener rule conditions with ALB's names and limits: path-pattern, host-header,
// http-header, http-request-method, query-string and source-ip, each value checked where it
// is written.
#include <algorithm>
#include <array>

#include "config/decode.h"
#include "config/did_you_mean.h"
#include "config/syntax.h"

namespace gatehouse::config {
namespace {

// The configuration block each condition field takes, in kConditionFields order.
constexpr std::array<std::string_view, 6> kConfigBlocks{
    "pathPatternConfig",       "hostHeaderConfig",  "httpHeaderConfig",
    "httpRequestMethodConfig", "queryStringConfig", "sourceIpConfig"};
constexpr std::size_t kMaxValueLength = 128;
constexpr std::size_t kMaxNameLength = 40;  // header names and methods
constexpr std::size_t kMaxValuesPerCondition = 3;

bool is_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool is_alnum(char c) { return is_alpha(c) || (c >= '0' && c <= '9'); }
bool is_control(char c) { return static_cast<unsigned char>(c) < 0x20 || c == 0x7f; }

SyntaxError check_length(std::string_view text, std::size_t max) {
  if (text.empty()) return "must not be empty";
  if (text.size() > max) return "must be at most " + std::to_string(max) + " characters";
  return std::nullopt;
}

SyntaxError check_path_pattern(std::string_view pattern) {
  if (auto problem = check_length(pattern, kMaxValueLength)) return problem;
  for (char c : pattern) {
    if (!is_alnum(c) && std::string_view("_-.$/~\"'@:+&*?").find(c) == std::string_view::npos) {
      return "may only contain A-Z, a-z, 0-9, _ - . $ / ~ \" ' @ : + & * ?";
    }
  }
  return std::nullopt;
}

SyntaxError check_host_header(std::string_view host) {
  if (auto problem = check_length(host, kMaxValueLength)) return problem;
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

// http-header values: ALB matches visible ASCII only, so a control character never matches.
SyntaxError check_header_value(std::string_view value) {
  if (auto problem = check_length(value, kMaxValueLength)) return problem;
  if (std::any_of(value.begin(), value.end(), is_control)) {
    return "control characters never match (ALB matches visible text only)";
  }
  return std::nullopt;
}

SyntaxError check_method(std::string_view method) {
  if (auto problem = check_length(method, kMaxNameLength)) return problem;
  for (char c : method) {
    if ((c < 'A' || c > 'Z') && c != '-' && c != '_') {
      return "may only contain A-Z, - and _ (methods are case-sensitive)";
    }
  }
  return std::nullopt;
}

// query-string keys and values: `\` escapes a literal `*`, `?` or `\`.
SyntaxError check_query_text(std::string_view text) {
  if (auto problem = check_header_value(text)) return problem;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '\\') continue;
    if (i + 1 == text.size() ||
        std::string_view("*?\\").find(text[i + 1]) == std::string_view::npos) {
      return "a \\ must be followed by *, ? or \\ (it escapes them)";
    }
    ++i;
  }
  return std::nullopt;
}

// The TCP peer is compared with CIDR blocks; the edge also refuses bits set after the prefix.
SyntaxError check_source_ip(std::string_view cidr) {
  if (cidr.find('/') == std::string_view::npos) {
    return "must be a CIDR block (add /32 for one IPv4 address, /128 for one IPv6 address)";
  }
  if (!is_cidr(cidr)) return "is not an IPv4 or IPv6 CIDR block";
  if (cidr == "255.255.255.255/32") return "the broadcast address is refused by ALB";
  return std::nullopt;
}

using Field = ConditionField;
std::size_t index(Field field) { return static_cast<std::size_t>(field); }

using ValueSyntax = SyntaxError (*)(std::string_view);
constexpr std::array<ValueSyntax, 6> kValueChecks{check_path_pattern, check_host_header,
                                                  check_header_value, check_method,
                                                  check_query_text,   check_source_ip};

void check_value(const Value& item, Field field, const std::string& text) {
  if (auto problem = kValueChecks[index(field)](text)) {
    item.error("invalid " + std::string(kConditionFields[index(field)]) + " " + quote(text) + ": " +
               *problem);
  }
}

// The list of values: `values` (path-pattern and host-header only, one value) or the
// field's block `.values`. Absent (reported) when neither is given.
std::optional<Value> values_list(const Object& condition, Field field, const Object& block) {
  const bool block_given = block.self().present();
  const std::string config_field(kConfigBlocks[index(field)]);
  const bool legacy_allowed = field == Field::PathPattern || field == Field::HostHeader;
  if (condition.has("values") && !legacy_allowed) {
    condition.get("values").error("the values form is only for path-pattern and host-header; use " +
                                  config_field + ".values");
    return std::nullopt;
  }
  if (condition.has("values") && block_given) {
    condition.self().error("set only one of values and " + config_field);
    return std::nullopt;
  }
  if (condition.has("values")) {
    Value values = condition.get("values");
    if (values.is_empty_list() || values.items().size() > 1) {
      values.error("the values form takes exactly one value; use " + config_field +
                   ".values for several");
    }
    return values;
  }
  if (!block_given) {
    condition.self().error("missing " + config_field + ".values" +
                           (legacy_allowed ? " (or values)" : ""));
  }
  if (!block.present()) return std::nullopt;  // missing, or not a mapping (reported)
  Value values = block.require("values");
  if (values.is_empty_list()) values.error("must list at least one value");
  return values;
}

void read_query_values(const std::vector<Value>& items, RuleCondition& out) {
  for (const Value& item : items) {
    auto pair = read_item(item, {"key", "value"});
    if (!pair) continue;
    QueryStringKeyValue read;
    Value key = pair->get("key");
    if (key.present()) {
      read.key = key.string();
      if (read.key) check_value(key, Field::QueryString, *read.key);
    }
    Value value = pair->require("value");
    auto text = value.string();
    if (!text) continue;
    check_value(value, Field::QueryString, *text);
    read.value = std::move(*text);
    out.query_values.push_back(std::move(read));
  }
}

void read_header_name(const Object& block, RuleCondition& out) {
  Value name = block.require("httpHeaderName");
  auto text = name.string();
  if (!text) return;
  out.http_header_name = *text;
  if (text->find('*') != std::string::npos || text->find('?') != std::string::npos) {
    name.error("wildcards are not allowed in a header name, got " + quote(*text));
  } else if (text->size() > kMaxNameLength) {
    name.error("a header name must be at most 40 characters, got " + std::to_string(text->size()));
  } else if (lower_case(*text) == "host") {
    name.error("use a host-header condition for the Host header");
  } else {
    check_header_name(name, *text);
  }
}

}  // namespace

std::optional<RuleCondition> read_condition(const Value& value) {
  Object condition =
      value.object({"field", "values", "pathPatternConfig", "hostHeaderConfig", "httpHeaderConfig",
                    "httpRequestMethodConfig", "queryStringConfig", "sourceIpConfig"});
  if (!condition.present()) return std::nullopt;
  Value field_value = condition.require("field");
  auto name = field_value.string();
  if (!name) return std::nullopt;
  const auto* known = std::find(kConditionFields.begin(), kConditionFields.end(), *name);
  if (known == kConditionFields.end()) {
    field_value.error(
        with_suggestion("unknown condition field " + quote(*name), *name, kConditionFields));
    return std::nullopt;
  }
  const auto field = static_cast<Field>(known - kConditionFields.begin());
  for (std::size_t other = 0; other < kConfigBlocks.size(); ++other) {
    if (other != index(field) && condition.get(kConfigBlocks[other]).present()) {
      condition.get(kConfigBlocks[other]).error("does not apply to field " + *name);
    }
  }
  RuleCondition out;
  out.field = *name;
  out.where = value.where();
  Value block_value = condition.get(kConfigBlocks[index(field)]);
  Object block = field == Field::HttpHeader ? block_value.object({"httpHeaderName", "values"})
                                            : block_value.object({"values"});
  if (field == Field::HttpHeader && block.present()) read_header_name(block, out);
  auto list = values_list(condition, field, block);
  if (!list) return out;
  std::vector<Value> items = list->items();
  if (items.size() > kMaxValuesPerCondition) {
    list->error("a condition may have at most 3 values, got " + std::to_string(items.size()));
  }
  if (field == Field::QueryString) {
    read_query_values(items, out);
    return out;
  }
  for (const Value& item : items) {
    auto text = item.string();
    if (!text) continue;
    check_value(item, field, *text);
    out.values.push_back(std::move(*text));
  }
  return out;
}

}  // namespace gatehouse::config
