#include "httpbin/status_codes.h"

#include <gtest/gtest.h>

#include <map>

#include "httpbin_test_util.h"

namespace gatehouse::httpbin {
namespace {

using testing::header;

TEST(ChooseStatusTest, SingleCode) {
  EXPECT_EQ(choose_status("418", 0), 418u);
  EXPECT_EQ(choose_status("200", ~0ULL), 200u);
  EXPECT_EQ(choose_status("999", 0), 999u);
}

TEST(ChooseStatusTest, RejectsMalformedCodes) {
  for (std::string_view codes : {"",
                                 "abc",
                                 "200.0",
                                 "+200",
                                 "-1",
                                 " 200",
                                 "2_00",
                                 "0",
                                 "99",
                                 "100",
                                 "199",
                                 "1000",
                                 "99999999999999999999",
                                 "200,",
                                 ",200",
                                 "200,abc",
                                 "200,,500",
                                 "200:0",
                                 "200:inf",
                                 "a:b:c,200",
                                 "200:x,500",
                                 "200:-1,500:1",
                                 "200:nan,201:1",
                                 "200:1e400,500",
                                 "200:0,500:0",
                                 "200:,500",
                                 "200:1:2,500"}) {
    EXPECT_EQ(choose_status(codes, 0), std::nullopt) << codes;
  }
}

TEST(ChooseStatusTest, PicksUniformlyFromList) {
  std::map<unsigned, int> seen;
  for (uint64_t i = 0; i < 300; ++i)
    ++seen[*choose_status("200,201,500", i * 0x0123456789ABCDEFULL)];
  EXPECT_EQ(seen.size(), 3u);
  EXPECT_EQ(*choose_status("200,201,500", 0), 200u);
  EXPECT_EQ(*choose_status("200,201,500", ~0ULL), 500u);
}

TEST(ChooseStatusTest, FollowsWeights) {
  EXPECT_EQ(*choose_status("200:0.5,500:0.5", 0), 200u);
  EXPECT_EQ(*choose_status("200:0.5,500:0.5", 1ULL << 63), 500u);
  EXPECT_EQ(*choose_status("200:0.5,500:0.5", (1ULL << 63) - (1ULL << 11)), 200u);
  // Zero weights are never picked, even at the edges of the random range.
  for (uint64_t random : {0ULL, 1ULL << 63, ~0ULL}) {
    EXPECT_EQ(*choose_status("200:0,404:1,500:0", random), 404u);
  }
  // Unweighted entries weigh 1.
  EXPECT_EQ(*choose_status("200:3,500", (1ULL << 63)), 200u);
}

TEST(StatusResponseTest, DefaultIsEmptyHtml) {
  Response response = status_response(204);
  EXPECT_EQ(response.status, 204u);
  EXPECT_EQ(response.body, "");
  EXPECT_EQ(header(response, "Content-Type"), "text/html; charset=utf-8");
}

TEST(StatusResponseTest, RedirectsPointAtRedirectOne) {
  for (unsigned code : {301u, 302u, 303u, 305u, 307u}) {
    Response response = status_response(code);
    EXPECT_EQ(header(response, "Location"), "/redirect/1") << code;
    EXPECT_EQ(header(response, "Content-Type"), std::nullopt) << code;
  }
  EXPECT_EQ(header(status_response(308), "Location"), std::nullopt);
}

TEST(StatusResponseTest, CannedBodiesAndHeaders) {
  Response teapot = status_response(418);
  EXPECT_EQ(teapot.body.size(), 135u);  // httpbin's ASCII_ART, byte for byte
  EXPECT_NE(teapot.body.find("-=[ teapot ]=-"), std::string::npos);
  EXPECT_EQ(header(teapot, "x-more-info"), "http://tools.ietf.org/html/rfc2324");
  EXPECT_EQ(header(status_response(401), "WWW-Authenticate"), "Basic realm=\"Fake Realm\"");
  EXPECT_EQ(header(status_response(407), "Proxy-Authenticate"), "Basic realm=\"Fake Realm\"");
  EXPECT_EQ(header(status_response(402), "x-more-info"), "http://vimeo.com/22053820");
  Response not_acceptable = status_response(406);
  EXPECT_EQ(header(not_acceptable, "Content-Type"), "application/json");
  EXPECT_EQ(not_acceptable.body.size(), 142u);
  Response not_modified = status_response(304);
  EXPECT_EQ(not_modified.body, "");
  EXPECT_TRUE(not_modified.headers.empty());
}

}  // namespace
}  // namespace gatehouse::httpbin
