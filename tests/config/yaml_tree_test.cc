// The YAML tree: lines, scalars, aliases as shared nodes, and the limits that keep
// yaml-cpp's recursive parser away from deep or huge input.
#include "config/yaml_tree.h"

#include <gtest/gtest.h>

#include <string>

namespace gatehouse::config {
namespace {

const YamlNode& value_of(const YamlFile& file, const YamlNode& mapping, std::string_view key) {
  for (std::size_t i = 0; i + 1 < mapping.children.size(); i += 2) {
    if (file.at(mapping.children[i]).text == key) return file.at(mapping.children[i + 1]);
  }
  ADD_FAILURE() << "no key " << key;
  return mapping;
}

TEST(YamlTree, KeepsLinesKindsAndQuoting) {
  YamlFile file = parse_yaml("a: 1\nb: \"two\"\nc:\n  - x\n  - {d: e}\nf:\n");
  ASSERT_FALSE(file.error.has_value());
  ASSERT_EQ(file.documents.size(), 1u);
  const YamlNode& root = file.at(file.documents[0]);
  EXPECT_EQ(root.kind, YamlNode::Kind::Mapping);
  EXPECT_EQ(root.line, 1);
  const YamlNode& a = value_of(file, root, "a");
  EXPECT_EQ(a.kind, YamlNode::Kind::Scalar);
  EXPECT_TRUE(a.plain);
  EXPECT_EQ(a.text, "1");
  const YamlNode& b = value_of(file, root, "b");
  EXPECT_FALSE(b.plain);
  EXPECT_EQ(b.line, 2);
  const YamlNode& c = value_of(file, root, "c");
  EXPECT_EQ(c.kind, YamlNode::Kind::Sequence);
  EXPECT_EQ(c.line, 4);
  ASSERT_EQ(c.children.size(), 2u);
  EXPECT_EQ(file.at(c.children[1]).kind, YamlNode::Kind::Mapping);
  EXPECT_EQ(file.at(c.children[1]).line, 5);
  // An empty value is null, located on its key's line rather than on the next token.
  const YamlNode& f = value_of(file, root, "f");
  EXPECT_EQ(f.kind, YamlNode::Kind::Null);
  EXPECT_EQ(f.line, 6);
}

TEST(YamlTree, SplitsDocumentsAndKeepsEmptyOnesAsNull) {
  YamlFile file = parse_yaml("a: 1\n---\n---\nb: 2\n");
  ASSERT_EQ(file.documents.size(), 3u);
  EXPECT_EQ(file.at(file.documents[1]).kind, YamlNode::Kind::Null);
  EXPECT_EQ(file.at(file.documents[2]).line, 4);
}

TEST(YamlTree, AliasesShareTheAnchoredNode) {
  YamlFile file = parse_yaml("a: &x [1, 2]\nb: *x\n");
  ASSERT_FALSE(file.error.has_value());
  const YamlNode& root = file.at(file.documents[0]);
  EXPECT_EQ(root.children[1], root.children[3]);
}

TEST(YamlTree, AliasInsideItsOwnAnchorIsRefused) {
  YamlFile file = parse_yaml("a: &x [1, *x]\n");
  ASSERT_TRUE(file.error.has_value());
  EXPECT_EQ(file.error->line, 1);
  EXPECT_EQ(file.error->message, "an alias may not refer to a node that contains it");
}

TEST(YamlTree, UnknownAliasIsASyntaxError) {
  YamlFile file = parse_yaml("a: *nowhere\n");
  ASSERT_TRUE(file.error.has_value());
  EXPECT_EQ(file.error->line, 1);
}

TEST(YamlTree, SyntaxErrorKeepsEarlierDocuments) {
  YamlFile file = parse_yaml("a: 1\n---\nb: [1, 2\nc: 3\n");
  ASSERT_TRUE(file.error.has_value());
  EXPECT_EQ(file.error->line, 4);
  EXPECT_EQ(file.error->message, "end of sequence flow not found");
  EXPECT_EQ(file.documents.size(), 1u);
}

TEST(YamlTree, NestingAtTheLimitIsFine) {
  std::string text = std::string(64, '[') + std::string(64, ']');
  EXPECT_FALSE(parse_yaml(text).error.has_value());
}

TEST(YamlTree, NestingBeyondTheLimitIsRefusedBeforeRecursingFurther) {
  std::string text = std::string(65, '[') + std::string(65, ']');
  YamlFile file = parse_yaml(text);
  ASSERT_TRUE(file.error.has_value());
  EXPECT_EQ(file.error->message, "nesting deeper than 64 levels");
  // Far beyond yaml-cpp's own guard of 2000, which would already use a lot of stack.
  YamlFile deep = parse_yaml(std::string(100000, '['));
  ASSERT_TRUE(deep.error.has_value());
  EXPECT_EQ(deep.error->message, "nesting deeper than 64 levels");
}

TEST(YamlTree, DeepBlockNestingIsRefused) {
  std::string text;
  for (int i = 0; i < 200; ++i) text += std::string(static_cast<std::size_t>(i), ' ') + "k:\n";
  YamlFile file = parse_yaml(text);
  ASSERT_TRUE(file.error.has_value());
  EXPECT_EQ(file.error->message, "nesting deeper than 64 levels");
  EXPECT_EQ(file.error->line, 65);
}

TEST(YamlTree, NodeCountIsBounded) {
  YamlFile file = parse_yaml("[1, 2, 3, 4, 5, 6]", YamlLimits{64, 5});
  ASSERT_TRUE(file.error.has_value());
  EXPECT_EQ(file.error->message, "too many YAML nodes (more than 5)");
}

TEST(YamlTree, AliasUsesCountTowardsTheNodeLimit) {
  YamlFile file = parse_yaml("a: &x 1\nb: [*x, *x, *x, *x]\n", YamlLimits{64, 6});
  ASSERT_TRUE(file.error.has_value());
  EXPECT_EQ(file.error->message, "too many YAML nodes (more than 6)");
}

}  // namespace
}  // namespace gatehouse::config
