#include "edge/query_string.h"

#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

namespace gatehouse::edge {
namespace {

using Pairs = std::vector<std::pair<std::string, std::string>>;

Pairs parse(std::string_view query) {
  std::string storage;
  std::vector<QueryParameter> parameters;
  parse_query(query, storage, parameters);
  Pairs out;
  for (const auto& p : parameters) out.emplace_back(p.key, p.value);
  return out;
}

TEST(QueryString, SplitsAtAmpersandAndFirstEquals) {
  EXPECT_EQ(parse("version=v1&lang=en"), (Pairs{{"version", "v1"}, {"lang", "en"}}));
  EXPECT_EQ(parse("a=b=c"), (Pairs{{"a", "b=c"}}));
  EXPECT_EQ(parse("=v"), (Pairs{{"", "v"}}));
  EXPECT_EQ(parse("k="), (Pairs{{"k", ""}}));
}

TEST(QueryString, PieceWithoutEqualsIsAKeyWithAnEmptyValue) {
  EXPECT_EQ(parse("debug&x=1"), (Pairs{{"debug", ""}, {"x", "1"}}));
}

TEST(QueryString, SkipsEmptyPieces) {
  EXPECT_EQ(parse(""), Pairs{});
  EXPECT_EQ(parse("&&a=1&&&b=2&"), (Pairs{{"a", "1"}, {"b", "2"}}));
  EXPECT_EQ(parse("&"), Pairs{});
}

TEST(QueryString, PercentDecodesKeysAndValues) {
  EXPECT_EQ(parse("na%6De=v%31"), (Pairs{{"name", "v1"}}));
  EXPECT_EQ(parse("q=a%20b&r=%26%3D"), (Pairs{{"q", "a b"}, {"r", "&="}}));
  EXPECT_EQ(parse("%2a=%3F"), (Pairs{{"*", "?"}}));
  EXPECT_EQ(parse("u=caf%C3%A9"), (Pairs{{"u", "caf\xC3\xA9"}}));
}

TEST(QueryString, PlusIsNotASpace) { EXPECT_EQ(parse("q=a+b"), (Pairs{{"q", "a+b"}})); }

TEST(QueryString, BrokenEscapesStayAsWritten) {
  EXPECT_EQ(parse("a=%zz&b=%4&c=%&d=100%"),
            (Pairs{{"a", "%zz"}, {"b", "%4"}, {"c", "%"}, {"d", "100%"}}));
  EXPECT_EQ(parse("e=%%41"), (Pairs{{"e", "%A"}}));
}

TEST(QueryString, ControlCharactersHideTheParameter) {
  EXPECT_EQ(parse("a=%00&b=2&c%0A=3&d=%7F&e=%1f"), (Pairs{{"b", "2"}}));
}

TEST(QueryString, ViewsStayValidForManyEncodedParameters) {
  std::string query;
  for (int i = 0; i < 2000; ++i) query += "k%" + std::string(i % 2 ? "41" : "42") + "=v%31&";
  const Pairs pairs = parse(query);
  ASSERT_EQ(pairs.size(), 2000u);
  EXPECT_EQ(pairs.front(), (std::pair<std::string, std::string>{"kB", "v1"}));
  EXPECT_EQ(pairs.back(), (std::pair<std::string, std::string>{"kA", "v1"}));
}

TEST(QueryString, ReusedStorageIsReset) {
  std::string storage;
  std::vector<QueryParameter> parameters;
  parse_query("a=%31", storage, parameters);
  parameters.clear();
  parse_query("b=%32", storage, parameters);
  ASSERT_EQ(parameters.size(), 1u);
  EXPECT_EQ(parameters[0].value, "2");
}

}  // namespace
}  // namespace gatehouse::edge
