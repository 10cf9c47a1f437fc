// Fields: lookups, edits that must copy (the proxy edits heads whose input buffer is reused
// for the next read), and an arena that is reset and refilled on every request.
#include "http1/fields.h"

#include <gtest/gtest.h>

#include <string>
#include <string_view>
#include <vector>

namespace gatehouse::http1 {
namespace {

std::vector<std::string> lines_of(const Fields& fields) {
  std::vector<std::string> lines;
  for (const Field& f : fields.all())
    lines.push_back(std::string(f.name) + ": " + std::string(f.value));
  return lines;
}

Fields sample() {
  Fields fields;
  fields.add_view("Host", "a");
  fields.add_view("X-Tag", "1");
  fields.add_view("Accept", "*/*");
  fields.add_view("x-tag", "2");
  return fields;
}

TEST(FieldsTest, GetReturnsTheFirstMatchCaseInsensitively) {
  const Fields fields = sample();
  EXPECT_EQ(fields.get("X-TAG"), "1");
  EXPECT_EQ(fields.get("accept"), "*/*");
  EXPECT_EQ(fields.get("X-Ta"), std::nullopt);
  EXPECT_EQ(fields.get(""), std::nullopt);
}

TEST(FieldsTest, CountIsCaseInsensitive) {
  const Fields fields = sample();
  EXPECT_EQ(fields.count("x-TAG"), 2u);
  EXPECT_EQ(fields.count("host"), 1u);
  EXPECT_EQ(fields.count("Via"), 0u);
}

TEST(FieldsTest, AddViewKeepsTheCallersBytes) {
  const std::string value = "viewed";
  Fields fields;
  fields.add_view("X", value);
  EXPECT_EQ(fields.get("X")->data(), value.data());
}

TEST(FieldsTest, AddCopiesSoTheSourceMayDie) {
  Fields fields;
  {
    std::string name = "X-Forwarded-For", value = "192.0.2.1";
    fields.add(name, value);
    name.assign(name.size(), '#');
    value.assign(value.size(), '#');
  }
  EXPECT_EQ(lines_of(fields), std::vector<std::string>{"X-Forwarded-For: 192.0.2.1"});
}

TEST(FieldsTest, SetReplacesEveryMatchAtTheFirstOnesPlace) {
  Fields fields = sample();
  fields.set("X-TAG", "9");
  EXPECT_EQ(lines_of(fields), (std::vector<std::string>{"Host: a", "X-Tag: 9", "Accept: */*"}));
}

TEST(FieldsTest, SetAppendsWhenAbsent) {
  Fields fields = sample();
  fields.set("Via", "1.1 gatehouse");
  EXPECT_EQ(fields.size(), 5u);
  EXPECT_EQ(fields.all().back().value, "1.1 gatehouse");
}

TEST(FieldsTest, SetCopiesAValueViewingAFieldItRemoves) {
  std::string input = "first,second";
  Fields fields;
  fields.add_view("X", std::string_view(input).substr(0, 5));
  fields.add_view("X", std::string_view(input).substr(6));
  fields.set("X", fields.all()[1].value);
  input.assign(input.size(), '#');  // the input buffer is reused for the next read
  EXPECT_EQ(lines_of(fields), std::vector<std::string>{"X: second"});
}

TEST(FieldsTest, EraseRemovesEveryMatchAndCountsThem) {
  Fields fields = sample();
  EXPECT_EQ(fields.erase("X-TAG"), 2u);
  EXPECT_EQ(fields.erase("X-TAG"), 0u);
  EXPECT_EQ(lines_of(fields), (std::vector<std::string>{"Host: a", "Accept: */*"}));
}

TEST(FieldsTest, EraseIfRemovesWhatThePredicatePicks) {
  Fields fields = sample();
  fields.erase_if([](const Field& f) { return f.value.size() == 1; });
  EXPECT_EQ(lines_of(fields), std::vector<std::string>{"Accept: */*"});
}

TEST(FieldsTest, ClearThenRefillAcrossManyCycles) {
  // Values of every size, past the 4 KiB arena block too, must survive each other's copies
  // in the same cycle while the arena's blocks are reused from one cycle to the next.
  Fields fields;
  for (int cycle = 0; cycle < 200; ++cycle) {
    fields.clear();
    EXPECT_EQ(fields.size(), 0u);
    std::vector<std::string> expected;
    for (int i = 0; i < 12; ++i) {
      const std::size_t size = (cycle * 131 + i * 977) % (i % 4 == 3 ? 9000 : 700);
      const std::string value(size, static_cast<char>('a' + (cycle + i) % 26));
      fields.add("X-" + std::to_string(i), value);
      expected.push_back("X-" + std::to_string(i) + ": " + value);
    }
    ASSERT_EQ(lines_of(fields), expected) << "cycle " << cycle;
  }
}

TEST(ListHasToken, MatchesWholeItemsCaseInsensitively) {
  EXPECT_TRUE(list_has_token("close", "close"));
  EXPECT_TRUE(list_has_token("Keep-Alive, Upgrade", "upgrade"));
  EXPECT_TRUE(list_has_token("a,, \tCLOSE\t ,b", "close"));
  EXPECT_FALSE(list_has_token("closed, enclose", "close"));
  EXPECT_FALSE(list_has_token("clo se", "close"));
  EXPECT_FALSE(list_has_token("", "close"));
  EXPECT_FALSE(list_has_token("keep-alive;close", "close"));
}

}  // namespace
}  // namespace gatehouse::http1
