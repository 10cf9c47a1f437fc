// The value matchers on their own: string patterns, path templates, IP ranges, principals.
#include "authz/matchers.h"

#include <gtest/gtest.h>

#include "test_support.h"

namespace gatehouse::authz {
namespace {

constexpr auto kNonEmpty = Pattern::Star::NonEmpty;

TEST(Pattern, ExactIsCaseSensitiveUnlessAsked) {
  EXPECT_TRUE(Pattern::parse("abc", kNonEmpty).matches("abc"));
  EXPECT_FALSE(Pattern::parse("abc", kNonEmpty).matches("ABC"));
  EXPECT_FALSE(Pattern::parse("abc", kNonEmpty).matches("abcd"));
  EXPECT_TRUE(Pattern::parse("abc", kNonEmpty, true).matches("ABC"));
}

TEST(Pattern, PrefixAndSuffix) {
  EXPECT_TRUE(Pattern::parse("/foo*", kNonEmpty).matches("/foobar"));
  EXPECT_FALSE(Pattern::parse("/foo*", kNonEmpty).matches("/fo"));
  EXPECT_TRUE(Pattern::parse("*.com", kNonEmpty).matches("a.com"));
  EXPECT_FALSE(Pattern::parse("*.com", kNonEmpty).matches("a.org"));
}

TEST(Pattern, LeadingStarWinsSoStarAStarIsASuffixWithALiteralStar) {
  const Pattern p = Pattern::parse("*a*", kNonEmpty);
  EXPECT_TRUE(p.matches("xa*"));
  EXPECT_FALSE(p.matches("xab"));
}

TEST(Pattern, InnerStarIsLiteral) {
  EXPECT_TRUE(Pattern::parse("a*b", kNonEmpty).matches("a*b"));
  EXPECT_FALSE(Pattern::parse("a*b", kNonEmpty).matches("axb"));
}

TEST(Pattern, LoneStarIsPresenceOrNonEmpty) {
  EXPECT_TRUE(Pattern::parse("*", Pattern::Star::Present).matches(""));
  EXPECT_FALSE(Pattern::parse("*", kNonEmpty).matches(""));
  EXPECT_TRUE(Pattern::parse("*", kNonEmpty).matches("x"));
}

TEST(PathTemplate, DoubleStarTakesTheRestIncludingEmpty) {
  const Pattern p = Pattern::parse_path("/allow/admin/{**}");
  EXPECT_TRUE(p.matches("/allow/admin/"));
  EXPECT_TRUE(p.matches("/allow/admin/temp.txt"));
  EXPECT_TRUE(p.matches("/allow/admin/foo/temp.txt"));
  EXPECT_FALSE(p.matches("/allow/admin"));
}

TEST(PathTemplate, SingleStarIsOneNonEmptySegment) {
  const Pattern p = Pattern::parse_path("/foo/{*}/bar/{**}");
  EXPECT_TRUE(p.matches("/foo/buzz/bar/bat"));
  EXPECT_TRUE(p.matches("/foo/buzz/bar/bat/fuzz.txt"));
  EXPECT_FALSE(p.matches("/foo/bar/bat.txt"));
  EXPECT_FALSE(p.matches("/foo//bar/bat.txt"));
}

TEST(PathTemplate, LiteralsAfterDoubleStar) {
  const Pattern p = Pattern::parse_path("/store/{**}/cart");
  EXPECT_TRUE(p.matches("/store//cart"));
  EXPECT_TRUE(p.matches("/store/foo/bar/cart"));
  EXPECT_FALSE(p.matches("/store/cart"));
}

TEST(PathTemplate, OperatorsRefuseCharactersOutsideTheirSet) {
  EXPECT_FALSE(Pattern::parse_path("/a/{*}").matches("/a/b?c"));
  EXPECT_FALSE(Pattern::parse_path("/a/{**}").matches("/a/b c"));
}

TEST(PathPattern, StarIsAnyNonEmptyPath) {
  EXPECT_TRUE(Pattern::parse_path("*").matches("/"));
  EXPECT_FALSE(Pattern::parse_path("*").matches(""));
}

TEST(IpRange, SingleAddressIsAHostRoute) {
  const auto range = IpRange::parse("10.1.2.3");
  ASSERT_TRUE(range);
  EXPECT_TRUE(range->contains(*IpAddress::parse("10.1.2.3")));
  EXPECT_FALSE(range->contains(*IpAddress::parse("10.1.2.4")));
}

TEST(IpRange, CidrWithPartialByte) {
  const auto range = IpRange::parse("10.0.0.0/9");
  ASSERT_TRUE(range);
  EXPECT_TRUE(range->contains(*IpAddress::parse("10.127.255.255")));
  EXPECT_FALSE(range->contains(*IpAddress::parse("10.128.0.0")));
  EXPECT_TRUE(IpRange::parse("0.0.0.0/0")->contains(*IpAddress::parse("192.0.2.1")));
}

TEST(IpRange, Ipv6AndFamilyMismatch) {
  const auto range = IpRange::parse("2001:db8::/32");
  ASSERT_TRUE(range);
  EXPECT_TRUE(range->contains(*IpAddress::parse("2001:db8::1")));
  EXPECT_FALSE(range->contains(*IpAddress::parse("2001:db9::1")));
  EXPECT_FALSE(IpRange::parse("0.0.0.0/0")->contains(*IpAddress::parse("::1")));
}

TEST(IpRange, RefusesGarbage) {
  EXPECT_FALSE(IpRange::parse("10.0.0.0/33"));
  EXPECT_FALSE(IpRange::parse("10.0.0.0/"));
  EXPECT_FALSE(IpRange::parse("example.com"));
}

struct PrincipalCase {
  const char* pattern;
  const char* payload;
  bool matches;
};

class PrincipalTable : public testing::TestWithParam<PrincipalCase> {};

TEST_P(PrincipalTable, SplitsAtTheLastSlash) {
  const authn::Identity id = identity(GetParam().payload);
  EXPECT_EQ(PrincipalPattern::parse(GetParam().pattern).matches(&id), GetParam().matches);
}

INSTANTIATE_TEST_SUITE_P(
    Istio, PrincipalTable,
    testing::Values(PrincipalCase{"*", R"({"iss":"i","sub":"s"})", true},
                    PrincipalCase{"*", R"({"iss":"i"})", false},  // no sub: never matches "*"
                    PrincipalCase{"*/s", R"({"iss":"i","sub":"s"})", true},
                    PrincipalCase{"*/s", R"({"iss":"i","sub":"t"})", false},
                    PrincipalCase{"*.example/s", R"({"iss":"https://a.example","sub":"s"})", true},
                    PrincipalCase{"*b", R"({"iss":"i","sub":"ab"})", true},
                    PrincipalCase{"i/*", R"({"iss":"i","sub":"x"})", true},
                    PrincipalCase{"i/pre*", R"({"iss":"i","sub":"prefix"})", true},
                    PrincipalCase{"htt*", R"({"iss":"https://i","sub":"x"})", true},
                    PrincipalCase{"https://i/s", R"({"iss":"https://i","sub":"s"})", true},
                    PrincipalCase{"plain", R"({"iss":"plain","sub":"s"})", false},
                    // a prefix inside a URL issuer splits at "https:/" and never matches
                    PrincipalCase{"https://accounts.goo*",
                                  R"({"iss":"https://accounts.google.com","sub":"s"})", false},
                    // a sub with '/' cannot be matched exactly
                    PrincipalCase{"i/a/b", R"({"iss":"i","sub":"a/b"})", false}));

TEST(PrincipalPattern, NoIdentityNeverMatches) {
  EXPECT_FALSE(PrincipalPattern::parse("*").matches(nullptr));
}

}  // namespace
}  // namespace gatehouse::authz
