#include "proxy/forwarded_headers.h"

#include <gtest/gtest.h>

#include <regex>

namespace gatehouse::proxy {
namespace {

TEST(ForwardedForTest, CreatesOrAppends) {
  EXPECT_EQ(forwarded_for(std::nullopt, "10.0.0.1"), "10.0.0.1");
  EXPECT_EQ(forwarded_for("  ", "10.0.0.1"), "10.0.0.1");
  EXPECT_EQ(forwarded_for("1.2.3.4", "10.0.0.1"), "1.2.3.4, 10.0.0.1");
  EXPECT_EQ(forwarded_for("1.2.3.4, 5.6.7.8", "::1"), "1.2.3.4, 5.6.7.8, ::1");
}

TEST(UuidTest, IsVersion4WithVariantBits) {
  const std::regex shape("^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$");
  EXPECT_TRUE(std::regex_match(uuid_v4(0, 0), shape));
  EXPECT_TRUE(std::regex_match(uuid_v4(~0ull, ~0ull), shape));
  EXPECT_TRUE(std::regex_match(uuid_v4(0x0123456789abcdefull, 0xfedcba9876543210ull), shape));
  EXPECT_NE(uuid_v4(1, 2), uuid_v4(1, 3));
}

TEST(RequestIdTest, KeepsOnlySaneIds) {
  EXPECT_TRUE(request_id_is_acceptable("abc-123"));
  EXPECT_FALSE(request_id_is_acceptable(""));
  EXPECT_FALSE(request_id_is_acceptable("a b"));
  EXPECT_FALSE(request_id_is_acceptable(std::string(201, 'a')));
  EXPECT_FALSE(request_id_is_acceptable("a\x7f"));
}

TEST(AmznTraceIdTest, AbsentGetsRoot) {
  auto id = amzn_trace_id(std::nullopt, 0x5f84b3e0, 0x0123456789abcdefull, 0x11223344);
  EXPECT_EQ(id, "Root=1-5f84b3e0-0123456789abcdef11223344");
}

TEST(AmznTraceIdTest, WithRootGetsSelfFirst) {
  auto id = amzn_trace_id("Root=1-00000001-aaaaaaaaaaaaaaaaaaaaaaaa;Sampled=1", 2, 0, 1);
  EXPECT_EQ(id,
            "Self=1-00000002-000000000000000000000001;Root=1-00000001-aaaaaaaaaaaaaaaaaaaaaaaa;"
            "Sampled=1");
}

TEST(AmznTraceIdTest, OlderSelfIsReplaced) {
  auto id = amzn_trace_id("Self=1-0-x;Root=1-00000001-aa", 2, 0, 1);
  EXPECT_EQ(id, "Self=1-00000002-000000000000000000000001;Root=1-00000001-aa");
}

TEST(AmznTraceIdTest, WithoutRootGetsRootAndKeepsFields) {
  auto id = amzn_trace_id("Foo=bar", 2, 0, 1);
  EXPECT_EQ(id, "Root=1-00000002-000000000000000000000001;Foo=bar");
}

}  // namespace
}  // namespace gatehouse::proxy
