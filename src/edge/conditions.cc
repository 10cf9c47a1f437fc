#include "edge/conditions.h"

#include <algorithm>
#include <string>

namespace gatehouse::edge {
namespace {

bool is_visible(std::string_view value) {
  return std::none_of(value.begin(), value.end(), [](char c) {
    const auto byte = static_cast<unsigned char>(c);
    return byte < 0x20 || byte == 0x7f;
  });
}

std::optional<std::string_view> visible(std::string_view value) {
  if (!is_visible(value)) return std::nullopt;
  return value;
}

std::optional<ConditionField> parse_field(std::string_view name) {
  for (std::size_t i = 0; i < config::kConditionFields.size(); ++i)
    if (config::kConditionFields[i] == name) return static_cast<ConditionField>(i);
  return std::nullopt;
}

bool any_glob_matches(const std::vector<Glob>& globs, std::string_view text) {
  return std::any_of(globs.begin(), globs.end(),
                     [&](const Glob& glob) { return glob.matches(text); });
}

// ALB searches repeated headers in order until one value matches.
bool header_matches(const Condition& condition, const RequestView& request) {
  return std::any_of(request.headers.begin(), request.headers.end(), [&](const HeaderField& h) {
    return iequals(h.name, condition.header_name) && is_visible(h.value) &&
           any_glob_matches(condition.any_of, h.value);
  });
}

bool query_matches(const std::vector<QueryPattern>& patterns,
                   const std::vector<QueryParameter>& parameters) {
  return std::any_of(patterns.begin(), patterns.end(), [&](const QueryPattern& pattern) {
    return std::any_of(parameters.begin(), parameters.end(), [&](const QueryParameter& p) {
      return (!pattern.key || pattern.key->matches(p.key)) && pattern.value.matches(p.value);
    });
  });
}

// Compiles one condition value; appends the reason to `errors` when it cannot be.
class ValueCompiler {
 public:
  ValueCompiler(const config::RuleCondition& condition, std::vector<RuleError>& errors)
      : condition_(condition), errors_(errors) {}

  void fail(const std::string& message) {
    errors_.push_back({condition_.where, condition_.field + ": " + message});
  }

  std::optional<Glob> glob(const std::string& value, GlobCase letter_case,
                           GlobEscapes escapes = GlobEscapes::None) {
    if (value.empty()) {
      fail("empty value");
      return std::nullopt;
    }
    auto glob = Glob::compile(value, letter_case, escapes);
    if (!glob && value.size() > Glob::kMaxPatternLength) {
      fail("value longer than 128 characters (\"" + value.substr(0, 32) + "...\")");
    } else if (!glob) {
      fail("\"" + value + "\": a \\ must be followed by *, ? or \\");
    }
    return glob;
  }

 private:
  const config::RuleCondition& condition_;
  std::vector<RuleError>& errors_;
};

void compile_values(const config::RuleCondition& condition, Condition& out, ValueCompiler& values) {
  for (const std::string& value : condition.values) {
    switch (out.field) {
      case ConditionField::PathPattern:
        if (auto glob = values.glob(value, GlobCase::Sensitive)) out.any_of.push_back(*glob);
        break;
      case ConditionField::HostHeader:
      case ConditionField::HttpHeader:
        if (auto glob = values.glob(value, GlobCase::Insensitive)) out.any_of.push_back(*glob);
        break;
      case ConditionField::HttpRequestMethod:
        if (value.empty()) values.fail("empty value");
        out.methods.push_back(value);
        break;
      case ConditionField::SourceIp: {
        std::string problem;
        if (auto prefix = IpPrefix::parse(value, problem))
          out.sources.push_back(*prefix);
        else
          values.fail("\"" + value + "\" " + problem);
        break;
      }
      case ConditionField::QueryString:
        break;  // values come from query_values
    }
  }
  for (const config::QueryStringKeyValue& pair : condition.query_values) {
    std::optional<Glob> key;
    if (pair.key) key = values.glob(*pair.key, GlobCase::Insensitive, GlobEscapes::Backslash);
    auto value = values.glob(pair.value, GlobCase::Insensitive, GlobEscapes::Backslash);
    if (value && (key || !pair.key)) out.query.push_back({std::move(key), std::move(*value)});
  }
}

}  // namespace

std::string_view field_name(ConditionField field) {
  return config::kConditionFields[static_cast<std::size_t>(field)];
}

RequestFacts::RequestFacts(const RequestView& request)
    : request_(request),
      path_(visible(request.path)),
      host_(visible(host_without_port(request.authority))) {
  if (host_ && host_->empty()) host_.reset();
}

const std::optional<IpAddress>& RequestFacts::peer() const {
  if (!peer_parsed_) {
    peer_ = IpAddress::parse(request_.peer_ip);
    peer_parsed_ = true;
  }
  return peer_;
}

const std::vector<QueryParameter>& RequestFacts::query() const {
  if (!query_) {
    query_.emplace();
    parse_query(request_.query, query_->storage, query_->parameters);
  }
  return query_->parameters;
}

bool Condition::matches(const RequestFacts& facts) const {
  switch (field) {
    case ConditionField::PathPattern:
      return facts.path() && any_glob_matches(any_of, *facts.path());
    case ConditionField::HostHeader:
      return facts.host() && any_glob_matches(any_of, *facts.host());
    case ConditionField::HttpHeader:
      return header_matches(*this, facts.request());
    case ConditionField::HttpRequestMethod:
      return std::find(methods.begin(), methods.end(), facts.request().method) != methods.end();
    case ConditionField::QueryString:
      return query_matches(query, facts.query());
    case ConditionField::SourceIp: {
      const auto& peer = facts.peer();
      return peer && std::any_of(sources.begin(), sources.end(),
                                 [&](const IpPrefix& prefix) { return prefix.contains(*peer); });
    }
  }
  return false;
}

std::optional<Condition> compile_condition(const config::RuleCondition& condition,
                                           std::vector<RuleError>& errors) {
  const auto field = parse_field(condition.field);
  if (!field) {
    errors.push_back({condition.where, "unknown condition field \"" + condition.field + "\""});
    return std::nullopt;
  }
  const std::size_t errors_before = errors.size();
  ValueCompiler values(condition, errors);
  const bool query = *field == ConditionField::QueryString;
  if (query ? condition.query_values.empty() : condition.values.empty()) values.fail("no values");
  if (query ? !condition.values.empty() : !condition.query_values.empty())
    values.fail(query ? "values must be key/value pairs" : "key/value pairs are for query-string");
  if (*field == ConditionField::HttpHeader && condition.http_header_name.empty())
    values.fail("no header name");
  Condition compiled{.field = *field,
                     .any_of = {},
                     .header_name = condition.http_header_name,
                     .methods = {},
                     .query = {},
                     .sources = {}};
  compile_values(condition, compiled, values);
  if (errors.size() != errors_before) return std::nullopt;
  return compiled;
}

}  // namespace gatehouse::edge
