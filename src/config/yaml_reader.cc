#include "config/yaml_reader.h"

#include <algorithm>
#include <unordered_set>
#include <variant>

#include "config/did_you_mean.h"
#include "config/duration.h"

namespace gatehouse::config {
namespace {

// proto field name -> JSON name, as protobuf's JSON mapping derives it: https_redirect ->
// httpsRedirect.
std::string camel_case(std::string_view proto_name) {
  std::string out;
  bool upper_next = false;
  for (char c : proto_name) {
    if (c == '_') {
      upper_next = true;
    } else if (upper_next && c >= 'a' && c <= 'z') {
      out.push_back(static_cast<char>(c - 'a' + 'A'));
      upper_next = false;
    } else {
      out.push_back(c);
      upper_next = false;
    }
  }
  return out;
}

// Parses [+-]digits; nullopt when not an integer; saturates far outside any range we use.
std::optional<int64_t> parse_integer(std::string_view text) {
  bool negative = false;
  if (!text.empty() && (text.front() == '-' || text.front() == '+')) {
    negative = text.front() == '-';
    text.remove_prefix(1);
  }
  if (text.empty()) return std::nullopt;
  constexpr int64_t kSaturated = int64_t{1} << 62;
  int64_t value = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
    int digit = c - '0';
    value = value > (kSaturated - digit) / 10 ? kSaturated : value * 10 + digit;
  }
  return negative ? -value : value;
}

}  // namespace

void Diagnostics::report(SourceLocation where, std::string resource, std::string message) {
  if (exhausted_ || truncated_) return;
  if (errors_.size() == kMaxErrors) {
    truncated_ = true;
    message = "too many errors; only the first " + std::to_string(kMaxErrors) + " are shown";
  }
  errors_.push_back(Error{std::move(where), std::move(resource), std::move(message)});
}

bool Diagnostics::visit(const SourceLocation& where, const std::string& resource) {
  if (exhausted_) return false;
  if (++visits_ <= kMaxVisits) return true;
  report(where, resource,
         "the configuration expands to more than " + std::to_string(kMaxVisits) +
             " YAML nodes (aliases to large anchors?)");
  exhausted_ = true;
  return false;
}

void Value::error(std::string_view message) const {
  std::string text = path_.empty() ? std::string(message) : path_ + ": " + std::string(message);
  scope_->diagnostics.report(where(), scope_->resource, std::move(text));
}

std::string Value::describe() const {
  if (node_ == nullptr) return "nothing";
  switch (node_->kind) {
    case YamlNode::Kind::Null:
      return "null";
    case YamlNode::Kind::Scalar:
      return quote(node_->text);
    case YamlNode::Kind::Sequence:
      return "a list";
    case YamlNode::Kind::Mapping:
      return "a mapping";
  }
  return "?";
}

std::string Value::child_path(std::string_view name) const {
  return path_.empty() ? std::string(name) : path_ + "." + std::string(name);
}

std::optional<std::string_view> Value::scalar(std::string_view expected) const {
  if (!present()) return std::nullopt;
  if (node_->kind != YamlNode::Kind::Scalar) {
    error("expected " + std::string(expected) + ", got " + describe());
    return std::nullopt;
  }
  return node_->text;
}

std::optional<std::string> Value::string() const {
  auto text = scalar("a string");
  if (!text) return std::nullopt;
  return std::string(*text);
}

std::optional<int64_t> Value::integer(int64_t min, int64_t max) const {
  auto text = scalar("an integer");
  if (!text) return std::nullopt;
  auto number = parse_integer(*text);
  if (!number) {
    error("expected an integer, got " + describe());
    return std::nullopt;
  }
  if (*number < min || *number > max) {
    error("must be between " + std::to_string(min) + " and " + std::to_string(max) + ", got " +
          std::string(text->substr(0, 32)));
    return std::nullopt;
  }
  return number;
}

std::optional<uint32_t> Value::port() const {
  auto number = integer(1, 65535);
  if (!number) return std::nullopt;
  return static_cast<uint32_t>(*number);
}

std::optional<bool> Value::boolean() const {
  auto text = scalar("true or false");
  if (!text) return std::nullopt;
  if (node_->plain) {
    if (*text == "true" || *text == "True" || *text == "TRUE") return true;
    if (*text == "false" || *text == "False" || *text == "FALSE") return false;
  }
  error("expected true or false, got " + describe());
  return std::nullopt;
}

std::optional<Millis> Value::duration() const {
  auto text = scalar("a duration");
  if (!text) return std::nullopt;
  auto parsed = parse_duration(*text);
  if (auto* reason = std::get_if<std::string>(&parsed)) {
    error(*reason + ", got " + describe());
    return std::nullopt;
  }
  auto nanoseconds = std::get<std::chrono::nanoseconds>(parsed);
  if (nanoseconds < std::chrono::milliseconds(1)) {
    error("duration must be at least 1ms, got " + describe());
    return std::nullopt;
  }
  if (nanoseconds % std::chrono::milliseconds(1) != std::chrono::nanoseconds(0)) {
    error("only durations in whole milliseconds are supported, got " + describe());
    return std::nullopt;
  }
  return std::chrono::duration_cast<Millis>(nanoseconds);
}

std::optional<std::size_t> Value::one_of(std::span<const std::string_view> allowed) const {
  auto text = scalar("a string");
  if (!text) return std::nullopt;
  auto found = std::find(allowed.begin(), allowed.end(), *text);
  if (found != allowed.end()) return static_cast<std::size_t>(found - allowed.begin());
  std::string message = "invalid value " + describe() + ", expected one of ";
  for (auto it = allowed.begin(); it != allowed.end(); ++it) {
    message += (it == allowed.begin() ? "" : ", ") + std::string(*it);
  }
  error(with_suggestion(std::move(message), *text, allowed));
  return std::nullopt;
}

std::vector<Value> Value::items() const {
  std::vector<Value> out;
  if (!present()) return out;
  if (node_->kind != YamlNode::Kind::Sequence) {
    error("expected a list, got " + describe());
    return out;
  }
  out.reserve(node_->children.size());
  for (uint32_t index : node_->children) {
    const YamlNode& item = scope_->yaml.at(index);
    if (!scope_->diagnostics.visit(where(), scope_->resource)) break;
    out.emplace_back(*scope_, &item, item.line, path_ + "[" + std::to_string(out.size()) + "]");
  }
  return out;
}

std::vector<std::pair<std::string, Value>> Value::entries() const {
  std::vector<std::pair<std::string, Value>> out;
  if (!present()) return out;
  if (node_->kind != YamlNode::Kind::Mapping) {
    error("expected a mapping, got " + describe());
    return out;
  }
  std::unordered_set<std::string_view> seen;  // keys live in the YamlFile
  for (std::size_t i = 0; i + 1 < node_->children.size(); i += 2) {
    const YamlNode& key = scope_->yaml.at(node_->children[i]);
    const YamlNode& value = scope_->yaml.at(node_->children[i + 1]);
    Value key_value(*scope_, &key, key.line, path_);
    if (!scope_->diagnostics.visit(key_value.where(), scope_->resource)) break;
    if (key.kind != YamlNode::Kind::Scalar) {
      key_value.error("keys must be strings, got " + key_value.describe());
      continue;
    }
    if (!seen.insert(key.text).second) {
      key_value.error("duplicate key " + quote(key.text));
      continue;
    }
    out.emplace_back(key.text, Value(*scope_, &value, key.line, child_path(key.text)));
  }
  return out;
}

std::vector<std::string> Value::strings() const {
  std::vector<std::string> out;
  for (const Value& item : items()) {
    if (auto text = item.string()) out.push_back(std::move(*text));
  }
  return out;
}

std::vector<std::pair<std::string, std::string>> Value::string_map() const {
  std::vector<std::pair<std::string, std::string>> out;
  for (auto& [key, value] : entries()) {
    out.emplace_back(key, value.string().value_or(""));
  }
  return out;
}

Object Value::object(std::initializer_list<std::string_view> fields) const {
  return Object(*this, fields);
}

Object::Object(const Value& self, std::initializer_list<std::string_view> fields) : self_(self) {
  if (!self.present()) return;
  const YamlNode& node = *self.node_;
  if (node.kind != YamlNode::Kind::Mapping) {
    self.error("expected a mapping, got " + self.describe());
    return;
  }
  mapping_ = true;
  DocumentScope& scope = self.scope();
  for (std::size_t i = 0; i + 1 < node.children.size(); i += 2) {
    const YamlNode& key = scope.yaml.at(node.children[i]);
    Value at_key(scope, &key, key.line, self.path());
    if (!scope.diagnostics.visit(at_key.where(), scope.resource)) return;
    if (key.kind != YamlNode::Kind::Scalar) {
      at_key.error("field names must be strings, got " + at_key.describe());
      known_keys_only_ = false;
      continue;
    }
    auto known = std::find(fields.begin(), fields.end(), key.text);
    if (known == fields.end() && scope.proto_field_names &&
        key.text.find('_') != std::string::npos) {
      known = std::find(fields.begin(), fields.end(), camel_case(key.text));
    }
    if (known == fields.end()) {
      at_key.error(with_suggestion("unknown field " + quote(key.text), key.text,
                                   {fields.begin(), fields.size()}));
      known_keys_only_ = false;
      continue;
    }
    if (find(*known) != nullptr) {
      at_key.error("duplicate field " + quote(key.text));
      known_keys_only_ = false;
      continue;
    }
    fields_.push_back(Field{*known, &scope.yaml.at(node.children[i + 1]), key.line});
  }
}

const Object::Field* Object::find(std::string_view name) const {
  for (const Field& field : fields_) {
    if (field.name == name) return &field;
  }
  return nullptr;
}

Value Object::get(std::string_view field) const {
  const Field* found = find(field);
  if (found == nullptr) {
    return Value(self_.scope(), nullptr, self_.line_, self_.child_path(field));
  }
  return Value(self_.scope(), found->value, found->key_line, self_.child_path(field));
}

Value Object::require(std::string_view field) const {
  Value value = get(field);
  // An absent or wrong-shaped object has been reported (or allowed) by its reader; its
  // fields are not missing too.
  if (!value.present() && mapping_) self_.error("missing required field " + quote(field));
  return value;
}

void Object::refuse(std::initializer_list<std::string_view> fields) const {
  for (std::string_view field : fields) {
    const Field* found = find(field);
    if (found != nullptr && found->value->kind != YamlNode::Kind::Null) {
      Value(self_.scope(), found->value, found->key_line, self_.path())
          .error("field " + quote(field) + " is not supported by gatehouse yet");
    }
  }
}

}  // namespace gatehouse::config
