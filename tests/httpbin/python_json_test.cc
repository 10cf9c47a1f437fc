#include "httpbin/python_json.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <limits>

namespace gatehouse::httpbin {
namespace {

std::string dumps(const boost::json::value& value) {
  std::string out;
  append_python_json(out, value, JsonStyle::kDumps);
  return out;
}

std::string float_repr(double value) { return dumps(value); }

TEST(PythonJsonTest, PrettyFormMatchesFlaskJsonify) {
  boost::json::value value = boost::json::parse(R"({"b":[1,"x",{}],"a":{"z":null,"y":[]}})");
  EXPECT_EQ(jsonify(value),
            "{\n"
            "  \"a\": {\n"
            "    \"y\": [],\n"
            "    \"z\": null\n"
            "  },\n"
            "  \"b\": [\n"
            "    1,\n"
            "    \"x\",\n"
            "    {}\n"
            "  ]\n"
            "}\n");
}

TEST(PythonJsonTest, PrettyFormSortsKeysByCodePoint) {
  boost::json::value value = boost::json::parse(R"({"user-agent":1,"X-B":2,"User-Agent":3,"a":4})");
  EXPECT_EQ(jsonify(value),
            "{\n  \"User-Agent\": 3,\n  \"X-B\": 2,\n  \"a\": 4,\n  \"user-agent\": 1\n}\n");
}

TEST(PythonJsonTest, DumpsKeepsInsertionOrderOnOneLine) {
  boost::json::value value = boost::json::parse(R"({"url":"u","args":{},"id":[1,2],"a":true})");
  EXPECT_EQ(dumps(value), R"({"url": "u", "args": {}, "id": [1, 2], "a": true})");
}

TEST(PythonJsonTest, EscapesLikeEnsureAscii) {
  EXPECT_EQ(dumps("q\"b\\s/"), R"("q\"b\\s/")");
  EXPECT_EQ(dumps("\n\r\t\b\f"), R"("\n\r\t\b\f")");
  EXPECT_EQ(dumps(boost::json::string(std::string_view("\x01\x1F\x7F", 3))),
            R"("\u0001\u001f\u007f")");
  EXPECT_EQ(dumps(boost::json::string(std::string_view("\0", 1))), R"("\u0000")");
  EXPECT_EQ(dumps("caf\xC3\xA9"), R"("caf\u00e9")");
  EXPECT_EQ(dumps("\xF0\x9F\x98\x80"), R"("\ud83d\ude00")");
}

TEST(PythonJsonTest, MalformedUtf8PrintsReplacementCharacter) {
  EXPECT_EQ(dumps("a\xFF"
                  "b"),
            R"("a\ufffdb")");
  EXPECT_EQ(dumps("\xED\xA0\x80"), R"("\ufffd\ufffd\ufffd")");
}

TEST(PythonJsonTest, FloatsPrintAsPythonRepr) {
  EXPECT_EQ(float_repr(1.0), "1.0");
  EXPECT_EQ(float_repr(2.5), "2.5");
  EXPECT_EQ(float_repr(-0.0), "-0.0");
  EXPECT_EQ(float_repr(100.0), "100.0");
  EXPECT_EQ(float_repr(0.1), "0.1");
  EXPECT_EQ(float_repr(123.456), "123.456");
  EXPECT_EQ(float_repr(0.0001), "0.0001");
  EXPECT_EQ(float_repr(0.00001), "1e-05");
  EXPECT_EQ(float_repr(1e15), "1000000000000000.0");
  EXPECT_EQ(float_repr(1e16), "1e+16");
  EXPECT_EQ(float_repr(1.5e300), "1.5e+300");
  EXPECT_EQ(float_repr(-1.25e-7), "-1.25e-07");
  EXPECT_EQ(float_repr(1.2345678901234568e29), "1.2345678901234568e+29");
  EXPECT_EQ(float_repr(std::numeric_limits<double>::infinity()), "Infinity");
  EXPECT_EQ(float_repr(-std::numeric_limits<double>::infinity()), "-Infinity");
  EXPECT_EQ(float_repr(std::numeric_limits<double>::quiet_NaN()), "NaN");
}

TEST(PythonJsonTest, IntegersPrintExactly) {
  EXPECT_EQ(dumps(boost::json::parse("18446744073709551615")), "18446744073709551615");
  EXPECT_EQ(dumps(boost::json::parse("-9223372036854775808")), "-9223372036854775808");
  EXPECT_EQ(dumps(0), "0");
}

}  // namespace
}  // namespace gatehouse::httpbin
