#include "config/yaml_tree.h"

#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/exceptions.h>
#include <yaml-cpp/mark.h>
#include <yaml-cpp/parser.h>

#include <algorithm>
#include <exception>
#include <sstream>
#include <unordered_map>

namespace gatehouse::config {
namespace {

// Thrown by the builder to stop yaml-cpp's recursive descent early; caught in parse_yaml.
struct LimitExceeded {
  YAML::Mark mark;
  std::string message;
};

int line_of(const YAML::Mark& mark) { return mark.is_null() ? 0 : mark.line + 1; }

class TreeBuilder final : public YAML::EventHandler {
 public:
  TreeBuilder(YamlFile& out, const YamlLimits& limits) : out_(out), limits_(limits) {}

  void OnDocumentStart(const YAML::Mark&) override {
    anchors_.clear();
    open_.clear();
    root_.reset();
  }
  void OnDocumentEnd() override {
    if (root_) out_.documents.push_back(*root_);
  }

  void OnNull(const YAML::Mark& mark, YAML::anchor_t anchor) override {
    add(YamlNode::Kind::Null, mark, anchor);
  }

  void OnAlias(const YAML::Mark& mark, YAML::anchor_t anchor) override {
    count(mark);
    auto found = anchors_.find(anchor);
    if (found == anchors_.end()) throw LimitExceeded{mark, "alias to an unknown anchor"};
    // An alias inside the node it names would make the tree a cycle.
    if (std::find(open_.begin(), open_.end(), found->second) != open_.end()) {
      throw LimitExceeded{mark, "an alias may not refer to a node that contains it"};
    }
    attach(found->second);
  }

  void OnScalar(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t anchor,
                const std::string& value) override {
    uint32_t index = add(YamlNode::Kind::Scalar, mark, anchor);
    YamlNode& node = out_.nodes[index];
    node.text = value;
    node.plain = tag == "?";
  }

  void OnSequenceStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t anchor,
                       YAML::EmitterStyle::value) override {
    open(add(YamlNode::Kind::Sequence, mark, anchor), mark);
  }
  void OnSequenceEnd() override { open_.pop_back(); }

  void OnMapStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t anchor,
                  YAML::EmitterStyle::value) override {
    open(add(YamlNode::Kind::Mapping, mark, anchor), mark);
  }
  void OnMapEnd() override { open_.pop_back(); }

 private:
  void count(const YAML::Mark& mark) {
    if (++events_ > limits_.max_nodes) {
      throw LimitExceeded{
          mark, "too many YAML nodes (more than " + std::to_string(limits_.max_nodes) + ")"};
    }
  }

  uint32_t add(YamlNode::Kind kind, const YAML::Mark& mark, YAML::anchor_t anchor) {
    count(mark);
    auto index = static_cast<uint32_t>(out_.nodes.size());
    YamlNode& node = out_.nodes.emplace_back();
    node.kind = kind;
    node.line = line_of(mark);
    if (anchor != YAML::NullAnchor) anchors_[anchor] = index;
    attach(index);
    return index;
  }

  void attach(uint32_t index) {
    if (open_.empty()) {
      root_ = index;
      return;
    }
    YamlNode& parent = out_.nodes[open_.back()];
    // yaml-cpp marks an empty value (`key:`) on the next token; users look for the key.
    bool is_map_value = parent.kind == YamlNode::Kind::Mapping && parent.children.size() % 2 == 1;
    if (is_map_value && out_.nodes[index].kind == YamlNode::Kind::Null) {
      out_.nodes[index].line = out_.nodes[parent.children.back()].line;
    }
    parent.children.push_back(index);
  }

  void open(uint32_t index, const YAML::Mark& mark) {
    open_.push_back(index);
    if (open_.size() > limits_.max_depth) {
      throw LimitExceeded{mark,
                          "nesting deeper than " + std::to_string(limits_.max_depth) + " levels"};
    }
  }

  YamlFile& out_;
  const YamlLimits& limits_;
  std::unordered_map<YAML::anchor_t, uint32_t> anchors_;
  std::vector<uint32_t> open_;
  std::optional<uint32_t> root_;
  std::size_t events_ = 0;
};

}  // namespace

YamlFile parse_yaml(std::string_view text, const YamlLimits& limits) {
  YamlFile file;
  try {
    std::istringstream stream{std::string(text)};
    YAML::Parser parser(stream);
    TreeBuilder builder(file, limits);
    while (parser.HandleNextDocument(builder)) {
    }
  } catch (const LimitExceeded& e) {
    file.error = YamlSyntaxError{line_of(e.mark), e.message};
  } catch (const YAML::Exception& e) {
    file.error = YamlSyntaxError{line_of(e.mark), e.msg};
  } catch (const std::exception& e) {
    file.error = YamlSyntaxError{0, e.what()};
  }
  return file;
}

}  // namespace gatehouse::config
