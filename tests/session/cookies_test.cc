// The Cookie header: strict pairs, tolerated blanks, skipped malformed pairs, hostile headers
// refused within bounds, first-wins lookups, and removal that keeps everything else intact.
#include "session/cookies.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "session/shards.h"
#include "test_support.h"

namespace gatehouse::session {
namespace {

using namespace std::string_literals;

std::vector<Cookie> parsed(std::string_view header) {
  std::vector<Cookie> cookies;
  EXPECT_EQ(parse_cookie_header(header, cookies), Status::Ok) << header;
  return cookies;
}

Status parse_status(std::string_view header, std::vector<Cookie>& cookies) {
  return parse_cookie_header(header, cookies);
}

std::string many_cookies(std::size_t count) {
  std::string header;
  for (std::size_t i = 0; i < count; ++i) header += "c" + std::to_string(i) + "=v; ";
  return header;
}

// remove_cookies with the gateway's names for kCookieName; nullopt when nothing was removed.
std::optional<std::string> without_gateway_cookies(std::string_view header) {
  static const auto names = gateway_cookie_names(kCookieName);
  std::string out = "untouched";
  if (!remove_cookies(header, names, out)) {
    EXPECT_EQ(out, "untouched");
    return std::nullopt;
  }
  return out;
}

TEST(CookieHeader, ParsesPairsInOrder) {
  EXPECT_EQ(parsed("a=1; b=two; _ga=GA1.2.3"),
            (std::vector<Cookie>{{"a", "1"}, {"b", "two"}, {"_ga", "GA1.2.3"}}));
  EXPECT_EQ(parsed("AWSELBAuthSessionCookie-0=ab+/cd=="),
            (std::vector<Cookie>{{"AWSELBAuthSessionCookie-0", "ab+/cd=="}}));
  EXPECT_EQ(parsed("empty="), (std::vector<Cookie>{{"empty", ""}}));
}

TEST(CookieHeader, QuotedValuesAreUnquoted) {
  EXPECT_EQ(parsed(R"(a="quoted"; b=""; c=plain)"),
            (std::vector<Cookie>{{"a", "quoted"}, {"b", ""}, {"c", "plain"}}));
}

TEST(CookieHeader, ExtraBlanksAreTolerated) {
  EXPECT_EQ(parsed("  a=1 ;b=2;\tc = 3 ;  ; "),
            (std::vector<Cookie>{{"a", "1"}, {"b", "2"}, {"c", "3"}}));
}

TEST(CookieHeader, MalformedPairsAreSkippedAndTheRestKept) {
  const std::vector<Cookie> expected{{"a", "1"}, {"ok", "yes"}};
  for (std::string_view bad :
       {"no_equals", "=no_name", "bad name=1", "bad(name)=1", "sp=a b", "comma=a,b",
        "backslash=a\\b", "unbalanced=\"abc", "lone_quote=\"", "inner=a\"b\"", "quoted_space=\" \"",
        "ctl=a\x01", "del=a\x7f", "utf8=caf\xc3\xa9", "utf8_n\xc3\xa4me=1"}) {
    EXPECT_EQ(parsed("a=1; "s + std::string(bad) + "; ok=yes"), expected) << bad;
  }
}

TEST(CookieHeader, NulBytesMakeAPairMalformed) {
  EXPECT_EQ(parsed("a=1; n=x\0y; m\0=1; ok=yes"s),
            (std::vector<Cookie>{{"a", "1"}, {"ok", "yes"}}));
}

TEST(CookieHeader, EmptyAndSeparatorOnlyHeadersHoldNoCookie) {
  EXPECT_TRUE(parsed("").empty());
  EXPECT_TRUE(parsed(";;; ; \t;").empty());
  EXPECT_TRUE(parsed(std::string(60000, ';')).empty());
}

TEST(CookieHeader, FirstOfDuplicateNamesWins) {
  const std::vector<Cookie> cookies = parsed("s=first; other=1; s=second");
  EXPECT_EQ(find_cookie(cookies, "s"), "first");
  EXPECT_EQ(find_cookie(cookies, "other"), "1");
  EXPECT_EQ(find_cookie(cookies, "S"), std::nullopt);  // names are case-sensitive
  EXPECT_EQ(find_cookie(cookies, "missing"), std::nullopt);
}

TEST(CookieHeader, OversizedHeaderIsRefusedWhole) {
  std::vector<Cookie> cookies{{"kept", "from an earlier field"}};
  const std::string huge = "a=1; b=" + std::string(kMaxCookieHeaderBytes, 'x');
  EXPECT_EQ(parse_status(huge, cookies), Status::CookieHeaderTooLarge);
  EXPECT_EQ(parse_status(std::string(kMaxCookieHeaderBytes + 1, ';'), cookies),
            Status::CookieHeaderTooLarge);
  EXPECT_EQ(cookies, (std::vector<Cookie>{{"kept", "from an earlier field"}}));
}

TEST(CookieHeader, OneCookieIsBoundedLikeABrowsers) {
  std::vector<Cookie> cookies;
  const std::string largest = "n=" + std::string(kMaxCookieBytes - 1, 'v');
  EXPECT_EQ(parse_status("a=1; " + largest, cookies), Status::Ok);
  EXPECT_EQ(cookies.size(), 2u);
  cookies.clear();
  EXPECT_EQ(parse_status("a=1; " + largest + "v; b=2", cookies), Status::CookieHeaderTooLarge);
  EXPECT_TRUE(cookies.empty());
}

TEST(CookieHeader, ThousandsOfCookiesAreRefusedWhole) {
  std::vector<Cookie> cookies;
  EXPECT_EQ(parse_status(many_cookies(3000), cookies), Status::CookieHeaderTooManyCookies);
  EXPECT_TRUE(cookies.empty());
  EXPECT_EQ(parse_status(many_cookies(kMaxCookies), cookies), Status::Ok);
  EXPECT_EQ(cookies.size(), kMaxCookies);
  cookies.clear();
  EXPECT_EQ(parse_status(many_cookies(kMaxCookies + 1), cookies),
            Status::CookieHeaderTooManyCookies);
}

TEST(CookieHeader, CookieLimitCoversEveryCookieFieldOfARequest) {
  std::vector<Cookie> cookies;
  EXPECT_EQ(parse_status(many_cookies(200), cookies), Status::Ok);
  EXPECT_EQ(parse_status(many_cookies(100), cookies), Status::CookieHeaderTooManyCookies);
  EXPECT_EQ(cookies.size(), 200u);
}

TEST(CookieName, IsANonEmptyToken) {
  EXPECT_TRUE(is_cookie_name("AWSELBAuthSessionCookie"));
  EXPECT_TRUE(is_cookie_name("a!#$%&'*+-.^_`|~9"));
  for (std::string_view bad : {"", "a b", "a;b", "a=b", "a,b", "a\"b", "a\r\nSet-Cookie: x"})
    EXPECT_FALSE(is_cookie_name(bad)) << bad;
}

TEST(RemoveCookies, RemovesShardsAndNonceKeepingTheRestByteForByte) {
  EXPECT_EQ(without_gateway_cookies("a=1; AWSELBAuthSessionCookie-0=xyz; b=\"q\""), "a=1; b=\"q\"");
  EXPECT_EQ(without_gateway_cookies("AWSELBAuthSessionCookie-0=x; a=1"), "a=1");
  EXPECT_EQ(without_gateway_cookies("a=1;AWSELBAuthSessionCookie-3=x"), "a=1");
  EXPECT_EQ(without_gateway_cookies("AWSALBAuthNonce=n; x=1;  y = 2 ; AWSELBAuthSessionCookie-1=b; "
                                    "AWSELBAuthSessionCookie-0=a; z=3"),
            "x=1;  y = 2 ; z=3");
}

TEST(RemoveCookies, OnlyGatewayCookiesLeaveAnEmptyHeader) {
  EXPECT_EQ(without_gateway_cookies("AWSELBAuthSessionCookie-0=a; AWSALBAuthNonce=n"), "");
}

TEST(RemoveCookies, NothingToRemoveLeavesTheOutputUntouched) {
  EXPECT_EQ(without_gateway_cookies("a=1; b=2"), std::nullopt);
  EXPECT_EQ(without_gateway_cookies(""), std::nullopt);
  // Near misses are other applications' cookies.
  EXPECT_EQ(without_gateway_cookies("AWSELBAuthSessionCookie-4=x; AWSELBAuthSessionCookie-00=x; "
                                    "xAWSELBAuthSessionCookie-0=x; awselbauthsessioncookie-0=x; "
                                    "AWSELBAuthSessionCookie=x; AWSALBAuthNonce2=x"),
            std::nullopt);
}

// A session must not reach the upstream by being malformed.
TEST(RemoveCookies, MalformedGatewayPairsAreRemovedToo) {
  EXPECT_EQ(without_gateway_cookies("a=1; AWSELBAuthSessionCookie-0=\"open; b=2"), "a=1; b=2");
  EXPECT_EQ(without_gateway_cookies("a=1; AWSELBAuthSessionCookie-1; b=2"), "a=1; b=2");
  EXPECT_EQ(without_gateway_cookies("a=1;  AWSELBAuthSessionCookie-2 = x y ;b=2"), "a=1;b=2");
  EXPECT_EQ(without_gateway_cookies("a=1; AWSALBAuthNonce=\0; b=2"s), "a=1; b=2");
}

TEST(RemoveCookies, MalformedOtherPairsAreKeptAsSent) {
  EXPECT_EQ(without_gateway_cookies("weird=a b,c; AWSALBAuthNonce=n; json={\"k\":1}"),
            "weird=a b,c; json={\"k\":1}");
}

TEST(RemoveCookies, EveryRepeatedGatewayCookieIsRemoved) {
  EXPECT_EQ(without_gateway_cookies("AWSALBAuthNonce=1; a=1; AWSALBAuthNonce=2"), "a=1");
}

TEST(RemoveCookies, HugeHeadersAreHandledInOnePass) {
  const std::string others = many_cookies(5000);
  EXPECT_EQ(without_gateway_cookies(others + "AWSALBAuthNonce=n"),
            others.substr(0, others.size() - 2));
}

}  // namespace
}  // namespace gatehouse::session
