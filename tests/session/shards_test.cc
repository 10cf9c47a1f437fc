// Shards: splitting, joining from a request's cookies (missing, out of order, repeated), the
// Set-Cookie values that write and expire them, and IMF-fixdate.
#include "session/shards.h"

#include <gtest/gtest.h>

#include <ctime>
#include <string>
#include <vector>

#include "test_support.h"

namespace gatehouse::session {
namespace {

constexpr std::string_view kAttributes = "; Path=/; Secure; HttpOnly; SameSite=None";

Result<std::string> join_header(std::string_view header) {
  std::vector<Cookie> cookies;
  EXPECT_EQ(parse_cookie_header(header, cookies), Status::Ok);
  return join_shards(cookies, "S");
}

Status join_status(std::string_view header) { return join_header(header).status(); }

// The Cookie header a browser sends back for these Set-Cookie values (expired ones dropped),
// in the given order of shard indexes.
std::string cookie_header(const std::vector<std::string>& set_cookies,
                          const std::vector<std::size_t>& order) {
  std::string header = "theme=dark";
  for (std::size_t index : order) {
    const std::string& value = set_cookies[index];
    if (value.find("Expires=Thu, 01 Jan 1970") == std::string::npos)
      header += "; " + value.substr(0, value.find(';'));
  }
  return header;
}

TEST(Shards, NamesAreTheCookieNameAndIndex) {
  EXPECT_EQ(shard_name("AWSELBAuthSessionCookie", 0), "AWSELBAuthSessionCookie-0");
  EXPECT_EQ(shard_name("S", 3), "S-3");
  const auto names = gateway_cookie_names("S");
  EXPECT_EQ(std::vector<std::string>(names.begin(), names.end()),
            (std::vector<std::string>{"S-0", "S-1", "S-2", "S-3", "AWSALBAuthNonce"}));
}

TEST(Shards, SplitIntoPiecesOfAtMost4000) {
  const std::vector<std::pair<std::size_t, std::size_t>> size_to_count = {
      {0, 0}, {1, 1}, {4000, 1}, {4001, 2}, {8000, 2}, {12345, 4}, {16000, 4}};
  for (auto [size, count] : size_to_count) {
    const std::string sealed(size, 'v');
    Result<std::vector<std::string_view>> shards = split_shards(sealed);
    ASSERT_TRUE(shards.ok()) << size;
    EXPECT_EQ(shards->size(), count) << size;
    std::string joined;
    for (std::string_view shard : *shards) {
      EXPECT_LE(shard.size(), kMaxShardBytes);
      joined += shard;
    }
    EXPECT_EQ(joined, sealed);
  }
}

TEST(Shards, ValueNeedingAFifthShardIsRefused) {
  Result<std::vector<std::string_view>> shards = split_shards(std::string(16001, 'v'));
  ASSERT_FALSE(shards.ok());
  EXPECT_EQ(shards.error(), Status::SessionTooLarge);
  Result<std::vector<std::string>> set_cookies =
      session_set_cookies("S", std::string(16001, 'v'), kNow);
  ASSERT_FALSE(set_cookies.ok());
  EXPECT_EQ(set_cookies.error(), Status::SessionTooLarge);
}

TEST(Shards, JoinInIndexOrderWhereverTheyStand) {
  EXPECT_EQ(*join_header("S-0=abc"), "abc");
  EXPECT_EQ(*join_header("S-0=a; S-1=b; S-2=c; S-3=d"), "abcd");
  EXPECT_EQ(*join_header("S-2=c; x=1; S-0=a; S-1=b"), "abc");
}

TEST(Shards, NoShardIsNoSession) {
  EXPECT_EQ(join_status(""), Status::CookieMissing);
  EXPECT_EQ(join_status("S=a; S-4=b; S-00=c; T-0=d; s-0=e; SS-0=f; S_0=g"), Status::CookieMissing);
}

TEST(Shards, MissingShardIsNoSession) {
  EXPECT_EQ(join_status("S-1=b"), Status::CookieShardMissing);
  EXPECT_EQ(join_status("S-0=a; S-2=c"), Status::CookieShardMissing);
  EXPECT_EQ(join_status("S-0=a; S-1=b; S-3=d"), Status::CookieShardMissing);
  EXPECT_EQ(join_status("S-3=d; S-2=c; S-1=b"), Status::CookieShardMissing);
}

TEST(Shards, MalformedShardCountsAsMissing) {
  EXPECT_EQ(join_status("S-0=a; S-1=b c; S-2=d"), Status::CookieShardMissing);
  EXPECT_EQ(join_status("S-0=\"a"), Status::CookieMissing);
}

TEST(Shards, FirstOfARepeatedShardCounts) {
  EXPECT_EQ(*join_header("S-0=a; S-1=b; S-0=evil"), "ab");
  EXPECT_EQ(*join_header("S-1=b; S-1=x; S-0=a"), "ab");
}

TEST(Shards, SetCookieValuesHaveAlbsShape) {
  Result<std::vector<std::string>> values = session_set_cookies("S", "ab+/cd==", kNow);
  ASSERT_TRUE(values.ok());
  const std::string expired = "=; Expires=Thu, 01 Jan 1970 00:00:00 GMT" + std::string(kAttributes);
  EXPECT_EQ(*values,
            (std::vector<std::string>{
                "S-0=ab+/cd==; Expires=Tue, 14 Nov 2023 22:13:20 GMT" + std::string(kAttributes),
                "S-1" + expired, "S-2" + expired, "S-3" + expired}));
  EXPECT_EQ(expired_session_set_cookies("S"),
            (std::vector<std::string>{"S-0" + expired, "S-1" + expired, "S-2" + expired,
                                      "S-3" + expired}));
}

TEST(Shards, ShrunkSessionExpiresItsStaleShards) {
  const std::vector<std::string> big = *session_set_cookies("S", std::string(9000, 'v'), kNow);
  const std::vector<std::string> small = *session_set_cookies("S", std::string(100, 'v'), kNow);
  EXPECT_EQ(big[2].substr(0, 9), "S-2=vvvvv");
  EXPECT_EQ(big[3], expired_session_set_cookies("S")[3]);
  for (std::size_t i = 1; i < kMaxShards; ++i)
    EXPECT_EQ(small[i], expired_session_set_cookies("S")[i]);
}

TEST(Shards, SealedSessionSurvivesTheBrowserRoundTrip) {
  const SessionKeys keys = keys_or_fail(kKeyA);
  const Session session = session_of_size(kMaxPlaintextBytes);
  const std::string sealed = seal_or_fail(session, keys);
  const std::vector<std::string> set_cookies =
      *session_set_cookies(kCookieName, sealed, kNow + kCookieLifetimeSeconds);
  EXPECT_NE(set_cookies[0].find("Expires=Tue, 21 Nov 2023 22:13:20 GMT"), std::string::npos);
  for (const std::vector<std::size_t>& order :
       {std::vector<std::size_t>{0, 1, 2, 3}, {3, 1, 0, 2}}) {
    std::vector<Cookie> cookies;
    const std::string header = cookie_header(set_cookies, order);
    ASSERT_EQ(parse_cookie_header(header, cookies), Status::Ok);
    Result<std::string> joined = join_shards(cookies, kCookieName);
    ASSERT_TRUE(joined.ok()) << status_name(joined.error());
    Result<Session> opened = open(*joined, keys, kCookieName, kNow);
    ASSERT_TRUE(opened.ok()) << status_name(opened.error());
    EXPECT_EQ(*opened, session);
  }
}

TEST(Shards, ShardValuesSwappedBetweenNamesFail) {
  const SessionKeys keys = keys_or_fail(kKeyA);
  const std::string sealed = seal_or_fail(session_of_size(5000), keys);
  std::vector<std::string> set_cookies = *session_set_cookies(kCookieName, sealed, kNow);
  const std::string first = set_cookies[0].substr(set_cookies[0].find('='));
  const std::string second = set_cookies[1].substr(set_cookies[1].find('='));
  set_cookies[0] = shard_name(kCookieName, 0) + second;
  set_cookies[1] = shard_name(kCookieName, 1) + first;
  const std::string header = cookie_header(set_cookies, {0, 1});
  std::vector<Cookie> cookies;
  ASSERT_EQ(parse_cookie_header(header, cookies), Status::Ok);
  Result<std::string> joined = join_shards(cookies, kCookieName);
  ASSERT_TRUE(joined.ok()) << status_name(joined.error());
  EXPECT_EQ(open_status(*joined, keys), Status::CookieBadBase64);
}

TEST(ImfFixdate, FormatsRfcExamplesAndLeapDays) {
  EXPECT_EQ(imf_fixdate(0), "Thu, 01 Jan 1970 00:00:00 GMT");
  EXPECT_EQ(imf_fixdate(784111777), "Sun, 06 Nov 1994 08:49:37 GMT");
  EXPECT_EQ(imf_fixdate(951782400), "Tue, 29 Feb 2000 00:00:00 GMT");
  EXPECT_EQ(imf_fixdate(kNow), "Tue, 14 Nov 2023 22:13:20 GMT");
}

TEST(ImfFixdate, ClampsToFourDigitYearsSince1970) {
  EXPECT_EQ(imf_fixdate(-1), "Thu, 01 Jan 1970 00:00:00 GMT");
  EXPECT_EQ(imf_fixdate(INT64_MIN), "Thu, 01 Jan 1970 00:00:00 GMT");
  EXPECT_EQ(imf_fixdate(253402300799), "Fri, 31 Dec 9999 23:59:59 GMT");
  EXPECT_EQ(imf_fixdate(INT64_MAX), "Fri, 31 Dec 9999 23:59:59 GMT");
}

// The C library's calendar as an independent reference, over eight millennia.
TEST(ImfFixdate, AgreesWithGmtime) {
  for (std::int64_t seconds = 0; seconds <= 253402300799; seconds += 86400 * 97 + 3677) {
    const std::time_t at = static_cast<std::time_t>(seconds);
    std::tm utc{};
    ASSERT_NE(gmtime_r(&at, &utc), nullptr);
    char expected[64];
    std::strftime(expected, sizeof expected, "%a, %d %b %Y %H:%M:%S GMT", &utc);
    ASSERT_EQ(imf_fixdate(seconds), expected) << seconds;
  }
}

}  // namespace
}  // namespace gatehouse::session
