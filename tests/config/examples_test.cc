// The configurations users copy must load: the YAML examples of docs/configuration.md and
// the seed configuration under examples/seed.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "config/loader.h"
#include "test_support.h"

namespace gatehouse::config {
namespace {

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

TEST(Examples, EveryCompleteYamlBlockOfTheDocsLoads) {
  std::string docs =
      read_file(std::filesystem::path(GATEHOUSE_SOURCE_DIR) / "docs/configuration.md");
  ASSERT_FALSE(docs.empty());
  int loaded = 0;
  for (std::size_t start = docs.find("```yaml\n"); start != std::string::npos;
       start = docs.find("```yaml\n", start + 1)) {
    std::size_t body = start + 8;
    std::string block = docs.substr(body, docs.find("```", body) - body);
    // Only whole resources; fragments illustrate a single field.
    if (!block.starts_with("apiVersion:") || block.find("spec:\n  ...") != std::string::npos) {
      continue;
    }
    LoadResult result = testing::load_text(block, "configuration.md");
    EXPECT_EQ(testing::error_strings(result), std::vector<std::string>{}) << block;
    ++loaded;
  }
  EXPECT_GE(loaded, 2);
}

TEST(Examples, SeedConfigurationLoads) {
  std::vector<SourceFile> files;
  std::filesystem::path seed = std::filesystem::path(GATEHOUSE_SOURCE_DIR) / "examples/seed";
  if (!std::filesystem::exists(seed)) GTEST_SKIP() << "no examples/seed";
  for (const auto& entry : std::filesystem::directory_iterator(seed)) {
    if (entry.path().extension() == ".yaml") {
      files.push_back({entry.path().filename().string(), read_file(entry.path())});
    }
  }
  LoadResult result = load(files);
  EXPECT_EQ(testing::error_strings(result), std::vector<std::string>{});
  EXPECT_FALSE(result.snapshot.listeners.empty());
}

}  // namespace
}  // namespace gatehouse::config
