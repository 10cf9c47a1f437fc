// Random and adversarial requests: respond() must always give a well-formed answer. Runs under
// the sanitizer build, where a crash or undefined behaviour fails the test.
#include <gtest/gtest.h>

#include <random>

#include "httpbin/httpbin.h"
#include "httpbin_test_util.h"

namespace gatehouse::httpbin {
namespace {

using testing::call;
using testing::TestRequest;

std::string random_text(std::mt19937_64& rng, std::size_t max_length) {
  static constexpr char kChars[] = "%+&=;:,/.-_09azAZ\"\\\r\n\t \x00\x7F\x80\xC3\xA9\xFF";
  constexpr std::string_view kAlphabet(kChars, sizeof kChars - 1);  // keeps the NUL
  std::string text(rng() % (max_length + 1), '\0');
  for (char& c : text) c = kAlphabet[rng() % kAlphabet.size()];
  return text;
}

TEST(HostileInputTest, RandomRequestsGetWellFormedAnswers) {
  const std::vector<std::string> prefixes = {
      "/get",     "/anything",         "/anything/", "/post", "/status/", "/delay/",     "/bytes/",
      "/stream/", "/response-headers", "/headers",   "/uuid", "/ip",      "/user-agent", "/"};
  const std::vector<std::string> content_types = {"application/json",
                                                  "application/x-www-form-urlencoded",
                                                  "multipart/form-data; boundary=b",
                                                  "multipart/form-data",
                                                  "text/plain",
                                                  ""};
  const std::vector<std::string> methods = {"GET", "POST", "PUT", "HEAD", "OPTIONS", "TRACE"};
  std::mt19937_64 rng(20240607);
  for (int i = 0; i < 3000; ++i) {
    TestRequest spec{
        .method = methods[rng() % methods.size()],
        .path = prefixes[rng() % prefixes.size()] + random_text(rng, 12),
        .query = random_text(rng, 40),
        .headers = {{"Content-Type", content_types[rng() % content_types.size()]},
                    {random_text(rng, 8), random_text(rng, 16)}},
        .body = (rng() % 2 ? "--b\r\n" : "") + random_text(rng, 64),
    };
    Response response = call(spec, rng());
    EXPECT_GE(response.status, 200u) << spec.path;
    EXPECT_LE(response.status, 999u) << spec.path;
    EXPECT_LE(response.delay.count(), 10000);
    EXPECT_LE(response.body.size(), 200u * 1024) << spec.path;
  }
}

TEST(HostileInputTest, LargeRepeatedInputsStayBounded) {
  std::string query;
  for (int i = 0; i < 100; ++i) query += "X-H=" + std::to_string(i) + "&";
  Response reflected = call({.path = "/response-headers", .query = query});
  EXPECT_EQ(reflected.status, 200u);
  EXPECT_EQ(testing::header_values(reflected, "X-H").size(), 100u);
  query += "x-h=100";
  Response too_many = call({.path = "/response-headers", .query = query});
  EXPECT_EQ(too_many.status, 400u);
  EXPECT_EQ(too_many.body, "Too many response headers");

  std::string codes = "200";
  for (int i = 0; i < 5000; ++i) codes += ",201:0.5";
  EXPECT_NE(call({.path = "/status/" + codes}).status, 400u);

  std::string nested(10000, '[');
  Response echoed = call({.method = "POST", .path = "/anything", .body = nested});
  EXPECT_EQ(echoed.status, 200u);
  EXPECT_TRUE(testing::body_json(echoed).at("json").is_null());
}

}  // namespace
}  // namespace gatehouse::httpbin
