// The endpoints that echo the request: /get, /anything, /post and friends, /headers, /ip,
// /user-agent. Golden bodies come from Debian's python3-httpbin 0.7.0, re-printed with
// json.dumps(indent=2, sort_keys=True).
#include <gtest/gtest.h>

#include "httpbin/httpbin.h"
#include "httpbin_test_util.h"

namespace gatehouse::httpbin {
namespace {

using boost::json::parse;
using testing::body_json;
using testing::call;
using testing::get;
using testing::header;
using testing::TestRequest;

TEST(GetEndpointTest, MatchesHttpbinByteForByte) {
  Response response = call({.path = "/get",
                            .query = "a=1&a=2&b=x",
                            .headers = {{"Host", "127.0.0.1:18080"},
                                        {"User-Agent", "test/1"},
                                        {"X-Forwarded-For", "1.2.3.4"},
                                        {"x-amzn-trace-id", "Root=1"}},
                            .url = "http://127.0.0.1:18080/get?a=1&a=2&b=x"});
  EXPECT_EQ(response.status, 200u);
  EXPECT_EQ(header(response, "Content-Type"), "application/json");
  EXPECT_EQ(response.body, R"({
  "args": {
    "a": [
      "1",
      "2"
    ],
    "b": "x"
  },
  "headers": {
    "Host": "127.0.0.1:18080",
    "User-Agent": "test/1",
    "X-Amzn-Trace-Id": "Root=1"
  },
  "origin": "1.2.3.4",
  "url": "http://127.0.0.1:18080/get?a=1&a=2&b=x"
}
)");
}

TEST(AnythingEndpointTest, EchoesJsonBodyByteForByte) {
  Response response = call({.method = "POST",
                            .path = "/anything/x",
                            .headers = {{"Host", "127.0.0.1:18080"},
                                        {"User-Agent", "test/1"},
                                        {"Content-Type", "application/json"},
                                        {"Content-Length", "42"}},
                            .body = "{\"b\":[1,2.5,{\"z\":null}],\"a\":\"\xC3\xA9\",\"t\":true}",
                            .url = "http://127.0.0.1:18080/anything/x",
                            .peer_ip = "127.0.0.1"});
  EXPECT_EQ(response.body, R"({
  "args": {},
  "data": "{\"b\":[1,2.5,{\"z\":null}],\"a\":\"\u00e9\",\"t\":true}",
  "files": {},
  "form": {},
  "headers": {
    "Content-Length": "42",
    "Content-Type": "application/json",
    "Host": "127.0.0.1:18080",
    "User-Agent": "test/1"
  },
  "json": {
    "a": "\u00e9",
    "b": [
      1,
      2.5,
      {
        "z": null
      }
    ],
    "t": true
  },
  "method": "POST",
  "origin": "127.0.0.1",
  "url": "http://127.0.0.1:18080/anything/x"
}
)");
}

TEST(AnythingEndpointTest, AcceptsEveryHttpbinMethod) {
  for (std::string method : {"GET", "POST", "PUT", "DELETE", "PATCH", "TRACE"}) {
    Response response = call({.method = method, .path = "/anything"});
    ASSERT_EQ(response.status, 200u) << method;
    EXPECT_EQ(body_json(response).at("method"), boost::json::value(method));
  }
}

TEST(AnythingEndpointTest, EchoesForm) {
  Response response = call({.method = "PUT",
                            .path = "/anything/a/b",
                            .query = "q=1",
                            .headers = {{"Content-Type", "application/x-www-form-urlencoded"}},
                            .body = "a=1&a=2&b=x%20y"});
  boost::json::object json = body_json(response);
  EXPECT_EQ(json.at("form"), parse(R"({"a":["1","2"],"b":"x y"})"));
  EXPECT_EQ(json.at("args"), parse(R"({"q":"1"})"));
  EXPECT_EQ(json.at("data"), "");
  EXPECT_TRUE(json.at("json").is_null());
  EXPECT_EQ(json.at("url"), "http://httpbin.test/anything/a/b?q=1");
}

TEST(AnythingEndpointTest, BareSlashIsNotFound) { EXPECT_EQ(get("/anything/").status, 404u); }

TEST(BodyEchoEndpointTest, EachAcceptsOnlyItsMethod) {
  for (std::string method : {"POST", "PUT", "PATCH", "DELETE"}) {
    std::string path = "/" + method;
    for (char& c : path) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    Response response = call({.method = method, .path = path, .body = "[1]"});
    ASSERT_EQ(response.status, 200u) << path;
    boost::json::object json = body_json(response);
    EXPECT_EQ(json.size(), 8u);  // no "method", unlike /anything
    EXPECT_EQ(json.at("json"), parse("[1]"));
    EXPECT_EQ(call({.method = "GET", .path = path}).status, 405u) << path;
  }
}

TEST(HeadersEndpointTest, ReportsOnlyHeaders) {
  Response response = call({.path = "/headers", .headers = {{"Host", "h"}, {"X-Custom", "yes"}}});
  EXPECT_EQ(body_json(response), parse(R"({"headers":{"Host":"h","X-Custom":"yes"}})"));
}

TEST(IpEndpointTest, ReportsPeerOrForwardedFor) {
  EXPECT_EQ(body_json(get("/ip")), parse(R"({"origin":"10.1.2.3"})"));
  Response forwarded = call({.path = "/ip", .headers = {{"X-Forwarded-For", "1.2.3.4, 10.0.0.1"}}});
  EXPECT_EQ(body_json(forwarded), parse(R"({"origin":"1.2.3.4, 10.0.0.1"})"));
  EXPECT_EQ(forwarded.body, "{\n  \"origin\": \"1.2.3.4, 10.0.0.1\"\n}\n");
}

TEST(UserAgentEndpointTest, ReportsAgentOrNull) {
  Response response = call({.path = "/user-agent", .headers = {{"user-agent", "curl/8"}}});
  EXPECT_EQ(response.body, "{\n  \"user-agent\": \"curl/8\"\n}\n");
  EXPECT_TRUE(body_json(get("/user-agent")).at("user-agent").is_null());
}

}  // namespace
}  // namespace gatehouse::httpbin
