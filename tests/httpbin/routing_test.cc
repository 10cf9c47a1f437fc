// Routing, errors and the CORS headers every response carries.
#include <gtest/gtest.h>

#include "httpbin/httpbin.h"
#include "httpbin_test_util.h"

namespace gatehouse::httpbin {
namespace {

using testing::call;
using testing::get;
using testing::header;

TEST(RoutingTest, UnknownPathIsWerkzeugNotFound) {
  for (std::string path : {"/", "/nope", "/get/", "/GET", "/getx", "/ip/x", ""}) {
    Response response = get(path);
    EXPECT_EQ(response.status, 404u) << path;
    EXPECT_EQ(header(response, "Content-Type"), "text/html; charset=utf-8");
    EXPECT_EQ(response.body.size(), 207u);  // werkzeug's page, byte for byte
  }
}

TEST(RoutingTest, WrongMethodIs405WithAllow) {
  Response response = call({.method = "POST", .path = "/get"});
  EXPECT_EQ(response.status, 405u);
  EXPECT_EQ(header(response, "Allow"), "GET, HEAD, OPTIONS");
  EXPECT_EQ(response.body.size(), 153u);
  EXPECT_EQ(call({.method = "get", .path = "/get"}).status, 405u);  // methods are case-sensitive
  EXPECT_EQ(call({.method = "", .path = "/get"}).status, 405u);
  EXPECT_EQ(call({.method = "BREW", .path = "/anything"}).status, 405u);
}

TEST(RoutingTest, HeadAnswersLikeGet) {
  Response head = call({.method = "HEAD", .path = "/ip"});
  EXPECT_EQ(head.status, 200u);
  EXPECT_EQ(head.body, get("/ip").body);
  EXPECT_EQ(call({.method = "HEAD", .path = "/post"}).status, 405u);
}

TEST(RoutingTest, OptionsListsAllowAndPreflightHeaders) {
  Response response =
      call({.method = "OPTIONS",
            .path = "/post",
            .headers = {{"Origin", "http://x"}, {"Access-Control-Request-Headers", "X-A"}}});
  EXPECT_EQ(response.status, 200u);
  EXPECT_EQ(response.body, "");
  EXPECT_EQ(header(response, "Allow"), "POST, OPTIONS");
  EXPECT_EQ(header(response, "Access-Control-Allow-Origin"), "http://x");
  EXPECT_EQ(header(response, "Access-Control-Allow-Methods"),
            "GET, POST, PUT, DELETE, PATCH, OPTIONS");
  EXPECT_EQ(header(response, "Access-Control-Max-Age"), "3600");
  EXPECT_EQ(header(response, "Access-Control-Allow-Headers"), "X-A");
}

TEST(RoutingTest, EveryResponseCarriesCors) {
  for (const Response& response :
       {get("/ip"), get("/nope"), get("/status/500"), call({.method = "POST", .path = "/get"})}) {
    EXPECT_EQ(header(response, "Access-Control-Allow-Origin"), "*");
    EXPECT_EQ(header(response, "Access-Control-Allow-Credentials"), "true");
    EXPECT_EQ(header(response, "Access-Control-Max-Age"), std::nullopt);
  }
}

TEST(RoutingTest, NoResponseCarriesFramingHeaders) {
  for (const Response& response :
       {get("/ip"), get("/bytes/10"), get("/stream/2"), get("/status/302"), get("/nope")}) {
    for (const auto& [name, value] : response.headers) {
      EXPECT_FALSE(iequals(name, "Content-Length")) << name;
      EXPECT_FALSE(iequals(name, "Transfer-Encoding")) << name;
    }
  }
}

}  // namespace
}  // namespace gatehouse::httpbin
