#include "edge/conditions.h"

#include <algorithm>
#include <string>

namespace gatehouse::edge {
namespace {

std::optional<std::string_view> visible(std::string_view value) {
  const bool has_control = std::any_of(value.begin(), value.end(), [](char c) {
    const auto byte = static_cast<unsigned char>(c);
    return byte < 0x20 || byte == 0x7f;
  });
  if (has_control) return std::nullopt;
  return value;
}

std::optional<ConditionField> parse_field(std::string_view name) {
  if (name == "path-pattern") return ConditionField::PathPattern;
  if (name == "host-header") return ConditionField::HostHeader;
  return std::nullopt;
}

GlobCase letter_case(ConditionField field) {
  switch (field) {
    case ConditionField::PathPattern:
      return GlobCase::Sensitive;
    case ConditionField::HostHeader:
      return GlobCase::Insensitive;
  }
  return GlobCase::Sensitive;
}

}  // namespace

std::string_view field_name(ConditionField field) {
  switch (field) {
    case ConditionField::PathPattern:
      return "path-pattern";
    case ConditionField::HostHeader:
      return "host-header";
  }
  return "?";
}

RequestFacts RequestFacts::of(const RequestView& request) {
  RequestFacts facts{.path = visible(request.path),
                     .host = visible(host_without_port(request.authority))};
  if (facts.host && facts.host->empty()) facts.host.reset();
  return facts;
}

bool Condition::matches(const RequestFacts& facts) const {
  std::optional<std::string_view> subject;
  switch (field) {
    case ConditionField::PathPattern:
      subject = facts.path;
      break;
    case ConditionField::HostHeader:
      subject = facts.host;
      break;
  }
  if (!subject) return false;
  return std::any_of(any_of.begin(), any_of.end(),
                     [&](const Glob& glob) { return glob.matches(*subject); });
}

std::optional<Condition> compile_condition(const config::RuleCondition& condition,
                                           std::vector<RuleError>& errors) {
  const auto field = parse_field(condition.field);
  if (!field) {
    errors.push_back({condition.where, "condition field \"" + condition.field +
                                           "\" is not supported (path-pattern, host-header)"});
    return std::nullopt;
  }
  const std::string name(field_name(*field));
  if (condition.values.empty()) {
    errors.push_back({condition.where, name + ": no values"});
    return std::nullopt;
  }
  Condition compiled{.field = *field, .any_of = {}};
  for (const std::string& value : condition.values) {
    if (value.empty()) {
      errors.push_back({condition.where, name + ": empty value"});
      continue;
    }
    auto glob = Glob::compile(value, letter_case(*field));
    if (!glob) {
      errors.push_back({condition.where, name + ": value longer than 128 characters (\"" +
                                             value.substr(0, 32) + "...\")"});
      continue;
    }
    compiled.any_of.push_back(std::move(*glob));
  }
  if (compiled.any_of.size() != condition.values.size()) return std::nullopt;
  return compiled;
}

}  // namespace gatehouse::edge
