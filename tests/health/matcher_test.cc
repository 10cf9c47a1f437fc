#include "health/matcher.h"

#include <gtest/gtest.h>

namespace gatehouse::health {
namespace {

TEST(Matcher, OneCode) {
  auto matcher = Matcher::parse("200");
  ASSERT_TRUE(matcher);
  EXPECT_TRUE(matcher->matches(200));
  EXPECT_FALSE(matcher->matches(201));
  EXPECT_FALSE(matcher->matches(404));
  EXPECT_EQ(matcher->text(), "200");
}

TEST(Matcher, List) {
  auto matcher = Matcher::parse("200,202,418");
  ASSERT_TRUE(matcher);
  for (unsigned code : {200u, 202u, 418u}) EXPECT_TRUE(matcher->matches(code)) << code;
  for (unsigned code : {201u, 203u, 417u, 419u}) EXPECT_FALSE(matcher->matches(code)) << code;
}

TEST(Matcher, RangeIsInclusive) {
  auto matcher = Matcher::parse("200-299");
  ASSERT_TRUE(matcher);
  EXPECT_TRUE(matcher->matches(200));
  EXPECT_TRUE(matcher->matches(250));
  EXPECT_TRUE(matcher->matches(299));
  EXPECT_FALSE(matcher->matches(199));
  EXPECT_FALSE(matcher->matches(300));
  EXPECT_TRUE(Matcher::parse("404-404")->matches(404));
}

TEST(Matcher, RefusesWhatAlbRefuses) {
  for (std::string_view bad :
       {"", "20", "2000", "abc", "200,", ",200", "200,,202", "200-", "-200", "299-200",
        "200-299-300", "200 ,202", "199", "500", "100-200", "200-500", "200,202-299"}) {
    std::string error;
    EXPECT_FALSE(Matcher::parse(bad, &error)) << bad;
    EXPECT_FALSE(error.empty()) << bad;
  }
}

TEST(Matcher, SaysWhy) {
  std::string error;
  EXPECT_FALSE(Matcher::parse("500", &error));
  EXPECT_EQ(error, "codes must be between 200 and 499");
  EXPECT_FALSE(Matcher::parse("299-200", &error));
  EXPECT_EQ(error, "the range must go from the lower code to the higher");
}

}  // namespace
}  // namespace gatehouse::health
