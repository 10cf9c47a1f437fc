// Endpoints whose output the responder makes up: /uuid, /status, /delay, /bytes, /stream,
// /response-headers, including their hostile parameters.
#include <gtest/gtest.h>

#include <regex>

#include "httpbin/httpbin.h"
#include "httpbin/python_json.h"
#include "httpbin_test_util.h"

namespace gatehouse::httpbin {
namespace {

using boost::json::parse;
using testing::body_json;
using testing::call;
using testing::get;
using testing::header;
using testing::header_values;

TEST(UuidEndpointTest, IsVersion4AndFollowsRandom) {
  std::string uuid = std::string(body_json(get("/uuid")).at("uuid").as_string());
  EXPECT_TRUE(std::regex_match(
      uuid, std::regex("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}")))
      << uuid;
  EXPECT_EQ(call({.path = "/uuid"}, 7).body, call({.path = "/uuid"}, 7).body);
  EXPECT_NE(call({.path = "/uuid"}, 7).body, call({.path = "/uuid"}, 8).body);
}

TEST(StatusEndpointTest, AnswersWithChosenCode) {
  EXPECT_EQ(get("/status/418").status, 418u);
  EXPECT_EQ(call({.method = "POST", .path = "/status/201"}).status, 201u);
  EXPECT_EQ(call({.path = "/status/200:0,503:1"}).status, 503u);
}

TEST(StatusEndpointTest, InvalidCodesGive400) {
  for (std::string codes : {"abc", "0", "1000", "-1", "200:1", "200,x", "99999999999999999999"}) {
    Response response = get("/status/" + codes);
    EXPECT_EQ(response.status, 400u) << codes;
    EXPECT_EQ(response.body, "Invalid status code");
    EXPECT_EQ(header(response, "Content-Type"), "text/plain; charset=utf-8");
  }
  EXPECT_EQ(get("/status/").status, 404u);
  EXPECT_EQ(get("/status/200/").status, 404u);
}

TEST(DelayEndpointTest, DelaysAndCapsAtTenSeconds) {
  EXPECT_EQ(get("/delay/0").delay.count(), 0);
  EXPECT_EQ(get("/delay/1.5").delay.count(), 1500);
  EXPECT_EQ(get("/delay/2e0").delay.count(), 2000);
  EXPECT_EQ(get("/delay/11").delay.count(), 10000);
  EXPECT_EQ(get("/delay/1e300").delay.count(), 10000);
  Response response = get("/delay/0");
  EXPECT_EQ(response.status, 200u);
  boost::json::object json = body_json(response);
  EXPECT_EQ(json.size(), 7u);
  EXPECT_FALSE(json.contains("json"));
  EXPECT_FALSE(json.contains("method"));
}

TEST(DelayEndpointTest, RejectsValuesThatAreNotFiniteNonNegative) {
  for (std::string value : {"-1", "abc", "nan", "inf", "-inf", "1e400", "1s", "", "0x10", "+1"}) {
    Response response = get("/delay/" + value);
    EXPECT_TRUE(response.status == 400 || response.status == 404) << value;
    EXPECT_EQ(response.delay.count(), 0) << value;
  }
  EXPECT_EQ(call({.method = "POST", .path = "/delay/0"}).status, 405u);
}

TEST(BytesEndpointTest, ReturnsRandomBytes) {
  Response response = get("/bytes/16");
  EXPECT_EQ(response.status, 200u);
  EXPECT_EQ(response.body.size(), 16u);
  EXPECT_EQ(header(response, "Content-Type"), "application/octet-stream");
  EXPECT_EQ(get("/bytes/0").body.size(), 0u);
  EXPECT_EQ(get("/bytes/13").body.size(), 13u);
  EXPECT_NE(call({.path = "/bytes/16"}, 1).body, call({.path = "/bytes/16"}, 2).body);
}

TEST(BytesEndpointTest, CapsAt100KiB) {
  EXPECT_EQ(get("/bytes/102400").body.size(), 102400u);
  EXPECT_EQ(get("/bytes/102401").body.size(), 102400u);
  EXPECT_EQ(get("/bytes/99999999999999999999999999999999").body.size(), 102400u);
}

TEST(BytesEndpointTest, NonNumericCountsAreNotFound) {
  for (std::string count : {"-1", "abc", "1.5", "", "16/"}) {
    EXPECT_EQ(get("/bytes/" + count).status, 404u) << count;
  }
}

TEST(BytesEndpointTest, SeedMakesOutputRepeatable) {
  std::string seeded = call({.path = "/bytes/32", .query = "seed=5"}, 1).body;
  EXPECT_EQ(call({.path = "/bytes/32", .query = "SEED=5"}, 2).body, seeded);
  EXPECT_NE(call({.path = "/bytes/32", .query = "seed=6"}, 1).body, seeded);
  EXPECT_EQ(call({.path = "/bytes/4", .query = "seed=-3"}).status, 200u);
  for (std::string seed : {"x", "", "1.5", "99999999999999999999999"}) {
    EXPECT_EQ(call({.path = "/bytes/4", .query = "seed=" + seed}).status, 400u) << seed;
  }
}

TEST(StreamEndpointTest, SendsOneJsonLinePerMessage) {
  Response response = call({.path = "/stream/3", .headers = {{"Host", "h"}}, .authority = "h"});
  EXPECT_EQ(response.status, 200u);
  EXPECT_TRUE(response.chunked);
  EXPECT_EQ(header(response, "Content-Type"), "application/json");
  std::string first_line = response.body.substr(0, response.body.find('\n'));
  EXPECT_EQ(first_line, R"({"url": "http://h/stream/3", "args": {}, "headers": {"Host": "h"}, )"
                        R"("origin": "10.1.2.3", "id": 0})");
  std::size_t lines = 0;
  for (std::size_t at = 0; (at = response.body.find('\n', at)) != std::string::npos; ++at) ++lines;
  EXPECT_EQ(lines, 3u);
  EXPECT_NE(response.body.find("\"id\": 2}\n"), std::string::npos);
}

TEST(StreamEndpointTest, CapsAt100Lines) {
  auto line_count = [](const Response& response) {
    return std::count(response.body.begin(), response.body.end(), '\n');
  };
  EXPECT_EQ(line_count(get("/stream/0")), 0);
  EXPECT_EQ(line_count(get("/stream/100")), 100);
  EXPECT_EQ(line_count(get("/stream/99999999999999999999999")), 100);
  EXPECT_EQ(get("/stream/-1").status, 404u);
  EXPECT_EQ(get("/stream/x").status, 404u);
}

TEST(ResponseHeadersEndpointTest, ReflectsQueryIntoHeadersAndBody) {
  Response response = get("/response-headers", "X-Foo=bar&X-Foo=baz&A=1");
  EXPECT_EQ(response.status, 200u);
  EXPECT_EQ(header_values(response, "X-Foo"), (std::vector<std::string>{"bar", "baz"}));
  EXPECT_EQ(header(response, "A"), "1");
  boost::json::object json = body_json(response);
  EXPECT_EQ(json.at("X-Foo"), parse(R"(["bar","baz"])"));
  EXPECT_EQ(json.at("Content-Type"), "application/json");
  // httpbin's quirk: the body states its own length.
  EXPECT_EQ(json.at("Content-Length"), boost::json::value(std::to_string(response.body.size())));
}

TEST(ResponseHeadersEndpointTest, SelfLengthIsExactAcrossDigitBoundaries) {
  for (int n = 0; n < 200; n += 7) {
    Response response = get("/response-headers", "k=" + std::string(n, 'v'));
    EXPECT_EQ(body_json(response).at("Content-Length"),
              boost::json::value(std::to_string(response.body.size())));
  }
}

TEST(ResponseHeadersEndpointTest, ExtraContentTypeIsListed) {
  Response response = get("/response-headers", "Content-Type=text/plain");
  EXPECT_EQ(body_json(response).at("Content-Type"), parse(R"(["application/json","text/plain"])"));
  EXPECT_EQ(header_values(response, "Content-Type"),
            (std::vector<std::string>{"application/json", "text/plain"}));
}

TEST(ResponseHeadersEndpointTest, NeverEmitsFramingHeaders) {
  Response response =
      get("/response-headers", "Content-Length=5&Transfer-Encoding=chunked&Connection=close");
  EXPECT_EQ(response.status, 200u);
  EXPECT_TRUE(header_values(response, "Content-Length").empty());
  EXPECT_TRUE(header_values(response, "Transfer-Encoding").empty());
  EXPECT_TRUE(header_values(response, "Connection").empty());
}

TEST(ResponseHeadersEndpointTest, RejectsHeaderInjection) {
  for (std::string query : {"X-A=1%0d%0aSet-Cookie:%20x", "X-A=%00", "Bad%20Name=1", "Bad:Name=1",
                            "=1", "%E9=1", "X-A=%7F"}) {
    Response response = get("/response-headers", query);
    EXPECT_EQ(response.status, 400u) << query;
    EXPECT_EQ(response.body, "Invalid response header");
  }
}

TEST(ResponseHeadersEndpointTest, AcceptsPostAndBareRequest) {
  EXPECT_EQ(call({.method = "POST", .path = "/response-headers", .query = "a=1"}).status, 200u);
  Response bare = get("/response-headers");
  EXPECT_EQ(body_json(bare).size(), 2u);
  EXPECT_EQ(call({.method = "PUT", .path = "/response-headers"}).status, 405u);
}

}  // namespace
}  // namespace gatehouse::httpbin
