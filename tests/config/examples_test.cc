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

LoadResult load_seed() {
  std::vector<SourceFile> files;
  std::filesystem::path seed = std::filesystem::path(GATEHOUSE_SOURCE_DIR) / "examples/seed";
  for (const auto& entry : std::filesystem::directory_iterator(seed)) {
    if (entry.path().extension() == ".yaml") {
      files.push_back({entry.path().filename().string(), read_file(entry.path())});
    }
  }
  return load(files);
}

TEST(Examples, SeedConfigurationLoads) {
  if (!std::filesystem::exists(std::filesystem::path(GATEHOUSE_SOURCE_DIR) / "examples/seed"))
    GTEST_SKIP() << "no examples/seed";
  LoadResult result = load_seed();
  EXPECT_EQ(testing::error_strings(result), std::vector<std::string>{});
  EXPECT_FALSE(result.snapshot.listeners.empty());
}

// The seed is `gatehouse demo`'s whole setup: its parts must name each other consistently,
// or the demo starts and every login fails.
TEST(Examples, SeedIsTheWholeReferenceSetupWithOneIssuer) {
  if (!std::filesystem::exists(std::filesystem::path(GATEHOUSE_SOURCE_DIR) / "examples/seed"))
    GTEST_SKIP() << "no examples/seed";
  LoadResult result = load_seed();
  ASSERT_TRUE(result.ok());
  ASSERT_EQ(result.identity_providers.size(), 1u);
  const IdentityProvider& idp = result.identity_providers.front();
  const std::string issuer = "http://127.0.0.1:9000/oauth2/default";
  EXPECT_EQ(idp.issuer, issuer);

  const AuthenticateOidcConfig* login = nullptr;
  for (const Listener& listener : result.snapshot.listeners)
    for (const RuleAction& action : listener.default_actions)
      if (action.authenticate_oidc) login = &*action.authenticate_oidc;
  ASSERT_NE(login, nullptr);
  EXPECT_EQ(login->issuer, issuer);
  EXPECT_EQ(login->authorization_endpoint, issuer + "/v1/authorize");
  EXPECT_EQ(login->token_endpoint, issuer + "/v1/token");
  EXPECT_EQ(login->user_info_endpoint, issuer + "/v1/userinfo");
  ASSERT_EQ(idp.clients.size(), 1u);
  EXPECT_EQ(idp.clients.front().client_id, login->client_id);
  EXPECT_EQ(idp.clients.front().client_secret_file, login->client_secret_file);
  EXPECT_EQ(idp.clients.front().redirect_uris,
            (std::vector<std::string>{"https://localhost:8443/oauth2/idpresponse",
                                      "https://127.0.0.1:8443/oauth2/idpresponse"}));

  ASSERT_EQ(result.snapshot.request_authentications.size(), 1u);
  const auto& rules = result.snapshot.request_authentications.front().jwt_rules;
  ASSERT_EQ(rules.size(), 1u);
  EXPECT_EQ(rules.front().issuer, issuer);
  EXPECT_EQ(rules.front().jwks_uri, issuer + "/v1/keys");
  EXPECT_TRUE(rules.front().forward_original_token);
  EXPECT_EQ(result.snapshot.authorization_policies.size(), 1u);
}

}  // namespace
}  // namespace gatehouse::config
