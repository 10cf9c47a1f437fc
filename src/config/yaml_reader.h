// Strict, located reading of a YamlNode tree into typed values: only known field names
// (with did-you-mean), typed scalars, and every error reported as "path: message" at the
// offending node's line. Internal to the config module; one load() call at a time.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "config/loader.h"
#include "config/regex_check.h"
#include "config/resources.h"
#include "config/yaml_tree.h"

namespace gatehouse::config {

// Collects the errors of one load() and bounds the work hostile input can cause: aliases
// make a small file expand into a huge tree, so node visits are counted.
class Diagnostics {
 public:
  static constexpr std::size_t kMaxErrors = 1000;
  static constexpr std::size_t kMaxVisits = 500'000;

  void report(SourceLocation where, std::string resource, std::string message);
  // False once the visit budget is spent; the first refusal is reported at `where`.
  bool visit(const SourceLocation& where, const std::string& resource);
  std::vector<Error> take() { return std::move(errors_); }

 private:
  std::vector<Error> errors_;
  std::size_t visits_ = 0;
  bool truncated_ = false;
  bool exhausted_ = false;
};

// What reading one document needs: where errors go and how to label them.
struct DocumentScope {
  Diagnostics& diagnostics;
  RegexCheck& regexes;
  const YamlFile& yaml;
  const std::string& file;
  std::string resource;            // "kind/namespace/name" once known
  bool proto_field_names = false;  // Istio kinds: also accept proto names (https_redirect)
};

class Object;

// A node at a path ("spec.servers[0].port"), possibly absent. Readers report their own
// errors and return nullopt (or an empty collection) when the node has the wrong shape.
// Errors point at the field's key line (a list item's own line), or at the enclosing
// object for an absent field.
class Value {
 public:
  Value(DocumentScope& scope, const YamlNode* node, int line, std::string path)
      : scope_(&scope), node_(node), line_(line), path_(std::move(path)) {}

  // Absent and `null` (`key:` with nothing, `~`) both read as "not set".
  bool present() const { return node_ != nullptr && node_->kind != YamlNode::Kind::Null; }
  // `[]`: present, so not "missing", but still nothing in it.
  bool is_empty_list() const {
    return present() && node_->kind == YamlNode::Kind::Sequence && node_->children.empty();
  }
  const std::string& path() const { return path_; }
  SourceLocation where() const { return {scope_->file, line_}; }
  DocumentScope& scope() const { return *scope_; }
  // Reports "path: message" at this node's line.
  void error(std::string_view message) const;

  // Any scalar, as written (numbers and booleans included).
  std::optional<std::string> string() const;
  // A decimal integer, plain or quoted ("80"), within [min, max].
  std::optional<int64_t> integer(int64_t min, int64_t max) const;
  std::optional<uint32_t> port() const;
  // Unquoted true/True/TRUE/false/False/FALSE.
  std::optional<bool> boolean() const;
  // A duration as Istio validates it: at least 1ms, whole milliseconds.
  std::optional<Millis> duration() const;
  // One of `allowed`, exactly; the index into it.
  std::optional<std::size_t> one_of(std::span<const std::string_view> allowed) const;

  std::vector<Value> items() const;                            // a sequence
  std::vector<std::pair<std::string, Value>> entries() const;  // a mapping, keys unique
  std::vector<std::string> strings() const;                    // a sequence of scalars
  std::vector<std::pair<std::string, std::string>> string_map() const;
  // A mapping whose keys must be among `fields` (see Object).
  Object object(std::initializer_list<std::string_view> fields) const;

 private:
  friend class Object;
  std::optional<std::string_view> scalar(std::string_view expected) const;
  std::string describe() const;  // "a list", "a mapping", "\"text\""
  std::string child_path(std::string_view name) const;

  DocumentScope* scope_;
  const YamlNode* node_;
  int line_;
  std::string path_;
};

// A mapping read strictly: unknown keys are errors with a did-you-mean, duplicate keys
// are errors; fields are then looked up by name. Field names are camelCase; with
// DocumentScope::proto_field_names their snake_case forms are accepted too.
class Object {
 public:
  Object(const Value& self, std::initializer_list<std::string_view> fields);

  // Given, and a mapping (a wrong shape has been reported already).
  bool present() const { return mapping_; }
  const Value& self() const { return self_; }
  bool has(std::string_view field) const { return find(field) != nullptr; }
  // False when some key was reported (unknown, duplicate, not a string): checks on what is
  // left would only echo that error.
  bool known_keys_only() const { return known_keys_only_; }
  Value get(std::string_view field) const;
  // Like get(), and reports `missing required field "x"` when absent.
  Value require(std::string_view field) const;
  // Reports `field "x" is not supported by gatehouse yet` for each one present.
  void refuse(std::initializer_list<std::string_view> fields) const;

 private:
  struct Field {
    std::string_view name;
    const YamlNode* value;
    int key_line;  // errors about a field point at its key, also for block values
  };
  const Field* find(std::string_view name) const;

  Value self_;
  bool mapping_ = false;
  bool known_keys_only_ = true;
  std::vector<Field> fields_;
};

}  // namespace gatehouse::config
