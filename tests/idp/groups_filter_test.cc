// Groups claim filters in Okta's three forms, and what the tokens carry.
#include "idp/groups_filter.h"

#include <gtest/gtest.h>

namespace gatehouse::idp {
namespace {

const std::vector<std::string> kGroups{"httpbin", "httpbin-admins", "everyone", "Everyone"};

std::vector<std::string> select(config::GroupsFilterType type, std::string value) {
  std::string error;
  auto filter = GroupsFilter::compile({true, "groups", type, std::move(value)}, error);
  EXPECT_TRUE(filter) << error;
  return filter ? filter->select(kGroups) : std::vector<std::string>{};
}

TEST(GroupsFilter, EqualsIsExactAndCaseSensitive) {
  EXPECT_EQ(select(config::GroupsFilterType::Equals, "everyone"),
            std::vector<std::string>{"everyone"});
  EXPECT_EQ(select(config::GroupsFilterType::Equals, "httpbi"), std::vector<std::string>{});
}

TEST(GroupsFilter, StartsWithKeepsOrder) {
  EXPECT_EQ(select(config::GroupsFilterType::StartsWith, "httpbin"),
            (std::vector<std::string>{"httpbin", "httpbin-admins"}));
  EXPECT_EQ(select(config::GroupsFilterType::StartsWith, "Every"),
            std::vector<std::string>{"Everyone"});
}

TEST(GroupsFilter, RegexMustMatchTheWholeName) {
  EXPECT_EQ(select(config::GroupsFilterType::Regex, ".*"), kGroups);
  EXPECT_EQ(select(config::GroupsFilterType::Regex, "http"), std::vector<std::string>{});
  EXPECT_EQ(select(config::GroupsFilterType::Regex, "(?i)everyone"),
            (std::vector<std::string>{"everyone", "Everyone"}));
}

TEST(GroupsFilter, BadRegexIsAnError) {
  std::string error;
  EXPECT_FALSE(
      GroupsFilter::compile({true, "groups", config::GroupsFilterType::Regex, "(x"}, error));
  EXPECT_NE(error.find("(x"), std::string::npos);
}

}  // namespace
}  // namespace gatehouse::idp
