#include "proxy/sni.h"

#include <gtest/gtest.h>

#include <utility>
#include <vector>

namespace gatehouse::proxy {
namespace {

// A table of (DNS name, certificate) in the order a listener lists them.
SniTable table_of(const std::vector<std::pair<std::string, std::size_t>>& names) {
  SniTable table;
  for (const auto& [name, index] : names) table.add(name, index);
  return table;
}

// Which certificate each server name gets.
void expect_choices(const SniTable& table,
                    const std::vector<std::pair<std::string, std::size_t>>& choices) {
  for (const auto& [server_name, index] : choices)
    EXPECT_EQ(table.find(server_name), index) << server_name;
}

TEST(NormalizeServerNameTest, LowerCaseWithoutTrailingDot) {
  EXPECT_EQ(normalize_server_name("API.Example.COM."), "api.example.com");
  EXPECT_EQ(normalize_server_name("a.b"), "a.b");
  EXPECT_EQ(normalize_server_name(""), "");
  EXPECT_EQ(normalize_server_name("."), "");
}

TEST(SniTableTest, NoNameOrNoMatchGetsTheFallback) {
  const SniTable table = table_of({{"localhost", 0}, {"other.example", 1}});
  expect_choices(table, {{"", 0}, {"nowhere.example", 0}});
  EXPECT_EQ(table.find("nowhere.example", 7), 7u);
}

TEST(SniTableTest, ExactNamesIgnoreCaseAndTrailingDot) {
  expect_choices(table_of({{"localhost", 0}, {"Other.Example", 1}}),
                 {{"other.example", 1}, {"OTHER.EXAMPLE.", 1}, {"localhost", 0}});
}

TEST(SniTableTest, WildcardCoversExactlyOneLeftMostLabel) {
  expect_choices(table_of({{"default.test", 0}, {"*.example.com", 1}}),
                 {{"api.example.com", 1},
                  {"API.EXAMPLE.COM", 1},
                  {"example.com", 0},      // the wildcard needs a label
                  {"a.b.example.com", 0},  // and covers only one
                  {".example.com", 0},     // an empty label is no label
                  {"api.example.com.evil", 0}});
}

TEST(SniTableTest, ExactBeatsWildcardWhateverTheOrder) {
  expect_choices(table_of({{"*.example.com", 1}, {"api.example.com", 2}}),
                 {{"api.example.com", 2}, {"www.example.com", 1}});
}

TEST(SniTableTest, FirstCertificateKeepsASharedName) {
  expect_choices(table_of({{"shared.example", 1},
                           {"shared.example", 2},
                           {"*.wild.example", 3},
                           {"*.wild.example", 4}}),
                 {{"shared.example", 1}, {"x.wild.example", 3}});
}

TEST(SniTableTest, IgnoresWildcardsItCannotHonour) {
  const SniTable table = table_of({{"*.com", 1},           // a whole top-level domain
                                   {"a*.example.com", 2},  // partial label
                                   {"*.*.example.com", 3},
                                   {"api.*.example.com", 4},
                                   {"*", 5},
                                   {"", 6},
                                   {".example.com", 7}});
  EXPECT_TRUE(table.empty());
  expect_choices(table, {{"x.com", 0}, {"ab.example.com", 0}});
}

}  // namespace
}  // namespace gatehouse::proxy
