// One YAML file as a small immutable tree that keeps the line of every node. Built from
// yaml-cpp's event parser so nesting depth and node count are bounded while parsing, and
// aliases become shared nodes (never copies). Internal to the config module; a plain value.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace gatehouse::config {

struct YamlNode {
  enum class Kind : uint8_t { Null, Scalar, Sequence, Mapping };
  Kind kind = Kind::Null;
  bool plain = false;  // a scalar written without quotes, tag or block style
  int line = 0;        // 1-based
  std::string text;    // scalars only
  // Sequence: the items. Mapping: key, value, key, value, ... in file order.
  std::vector<uint32_t> children;
};

struct YamlLimits {
  std::size_t max_depth = 64;
  std::size_t max_nodes = 1'000'000;  // nodes plus alias uses
};

struct YamlSyntaxError {
  int line = 0;  // 1-based; 0 when yaml-cpp gives no position
  std::string message;
};

struct YamlFile {
  std::vector<YamlNode> nodes;
  std::vector<uint32_t> documents;  // root of each complete document, in file order
  // The first syntax error; the documents completed before it are still listed.
  std::optional<YamlSyntaxError> error;

  const YamlNode& at(uint32_t index) const { return nodes[index]; }
};

// Never throws: syntax errors and exceeded limits end up in YamlFile::error.
YamlFile parse_yaml(std::string_view text, const YamlLimits& limits = {});

}  // namespace gatehouse::config
