// The redirect action: compile-time checks against ALB's rules and the Location it builds,
// including the captured ALB answer of spec section 1.1.
#include "edge/redirect.h"

#include <gtest/gtest.h>

#include <string>

#include "edge/actions.h"
#include "rule_builders.h"

namespace gatehouse::edge {
namespace {

using testing::TestRequest;

constexpr ListenerInfo kHttp80{.protocol = "HTTP", .port = 80};
constexpr ListenerInfo kHttps443{.protocol = "HTTPS", .port = 443};

config::RedirectConfig redirect_config(std::string protocol, std::string port,
                                       uint32_t status = 301) {
  config::RedirectConfig config;
  config.protocol = std::move(protocol);
  config.port = std::move(port);
  config.status_code = status;
  return config;
}

RedirectAction compile_ok(config::RedirectConfig config, const ListenerInfo& on = kHttp80) {
  std::vector<RuleError> errors;
  auto compiled = compile_redirect(testing::redirect(std::move(config)), on, errors);
  for (const auto& error : errors) ADD_FAILURE() << error.message;
  return compiled.value_or(RedirectAction{});
}

std::vector<std::string> errors_of(config::RedirectConfig config,
                                   const ListenerInfo& on = kHttp80) {
  std::vector<RuleError> errors;
  EXPECT_FALSE(compile_redirect(testing::redirect(std::move(config)), on, errors));
  std::vector<std::string> messages;
  for (const auto& error : errors) {
    EXPECT_EQ(error.where.line, 9);  // the action's own location
    messages.push_back(error.message);
  }
  return messages;
}

// What a request to `host` + `target` on an HTTP listener on port 80 is redirected to.
std::string location(const RedirectAction& action, std::string host, std::string path,
                     std::string query = "") {
  TestRequest request;
  request.scheme = "http";
  request.listener_port = 80;
  request.authority = std::move(host);
  request.path = std::move(path);
  request.query = std::move(query);
  const GeneratedResponse response = render(action, request.view());
  EXPECT_TRUE(response.status_code == 301 || response.status_code == 302 ||
              response.location.empty());
  return response.location;
}

// ---- the spec's captured answer ----------------------------------------------------

TEST(Redirect, HttpToHttpsAsTheAlbAnswersIt) {
  // Spec 1.1: `GET / Host: example.com` on port 80 with {Protocol: HTTPS, Port: "443",
  // StatusCode: HTTP_301} answers exactly this (Date and Connection come from the HTTP layer).
  const RedirectAction action = compile_ok(redirect_config("HTTPS", "443"));
  TestRequest request;
  request.scheme = "http";
  request.listener_port = 80;
  request.authority = "example.com";
  request.path = "/";
  const GeneratedResponse response = render(action, request.view());
  EXPECT_EQ(response.status_code, 301u);
  EXPECT_EQ(response.location, "https://example.com:443/");
  EXPECT_EQ(response.headers[0].name, "Server");
  EXPECT_EQ(response.headers[0].value, "awselb/2.0");
  EXPECT_EQ(response.headers[1].name, "Content-Type");
  EXPECT_EQ(response.headers[1].value, "text/html");
  EXPECT_EQ(response.body.size(), 134u);  // Content-Length: 134
  EXPECT_EQ(response.body,
            "<html>\r\n<head><title>301 Moved Permanently</title></head>\r\n<body>\r\n"
            "<center><h1>301 Moved Permanently</h1></center>\r\n</body>\r\n</html>\r\n");
}

TEST(Redirect, ReferenceTemplateKeepsPathAndQuery) {
  // RyAndrew/aws-alb-okta-oidc-example spells out Host "#{host}", Path "/#{path}" and Query
  // "#{query}": exactly the defaults redirect_config() leaves in place.
  const RedirectAction action = compile_ok(redirect_config("HTTPS", "443"));
  EXPECT_EQ(location(action, "example.com", "/a/b", "x=1&y=%20"),
            "https://example.com:443/a/b?x=1&y=%20");
  EXPECT_EQ(location(action, "example.com:80", "/"), "https://example.com:443/");  // no `?`
}

// ---- placeholders and defaults -------------------------------------------------------

TEST(Redirect, UnsetComponentsKeepTheRequestsOwn) {
  // Only the protocol changes: the port stays the listener's, a known ALB surprise.
  const RedirectAction action = compile_ok(redirect_config("HTTPS", "#{port}"));
  EXPECT_EQ(location(action, "shop.example.com", "/cart", "id=7"),
            "https://shop.example.com:80/cart?id=7");
}

TEST(Redirect, PathPlaceholderHasNoLeadingSlash) {
  const RedirectAction action = compile_ok({.path = "/new/#{path}", .status_code = 301});
  EXPECT_EQ(location(action, "example.com", "/old/page"), "http://example.com:80/new/old/page");
  EXPECT_EQ(location(action, "example.com", "/"), "http://example.com:80/new/");
}

TEST(Redirect, PlaceholdersWhereAlbAllowsThem) {
  const RedirectAction action =
      compile_ok({.protocol = "HTTPS",
                  .host = "www.#{host}",
                  .port = "8443",
                  .path = "/#{host}/#{port}/#{path}",
                  .query = "from=#{protocol}://#{host}:#{port}/#{path}&#{query}",
                  .status_code = 302});
  EXPECT_EQ(location(action, "example.com", "/x", "q=1"),
            "https://www.example.com:8443/example.com/80/x?from=http://example.com:80/x&q=1");
}

TEST(Redirect, ExplicitEmptyQueryDropsIt) {
  const RedirectAction action =
      compile_ok({.protocol = "HTTPS", .port = "443", .query = "", .status_code = 301});
  EXPECT_EQ(location(action, "example.com", "/a", "secret=1"), "https://example.com:443/a");
}

TEST(Redirect, LiteralHostAndPath) {
  const RedirectAction action =
      compile_ok({.host = "example.org", .path = "/moved", .query = "v=2", .status_code = 302});
  EXPECT_EQ(location(action, "example.com", "/anything", "x=1"), "http://example.org:80/moved?v=2");
}

TEST(Redirect, HostLosesItsPortAndKeepsIpv6Brackets) {
  const RedirectAction action = compile_ok(redirect_config("HTTPS", "443"));
  EXPECT_EQ(location(action, "example.com:8080", "/"), "https://example.com:443/");
  EXPECT_EQ(location(action, "[::1]:8080", "/"), "https://[::1]:443/");
  EXPECT_EQ(location(action, "Example.COM", "/"), "https://Example.COM:443/");  // as sent
}

TEST(Redirect, Found302HasItsOwnBody) {
  const RedirectAction action = compile_ok(redirect_config("HTTPS", "443", 302));
  TestRequest request;
  const GeneratedResponse response = render(action, request.view());
  EXPECT_EQ(response.status_code, 302u);
  EXPECT_EQ(response.body,
            "<html>\r\n<head><title>302 Found</title></head>\r\n<body>\r\n"
            "<center><h1>302 Found</h1></center>\r\n</body>\r\n</html>\r\n");
}

TEST(Redirect, NoHostMeansBadRequest) {
  const RedirectAction action = compile_ok(redirect_config("HTTPS", "443"));
  TestRequest request;
  request.authority = "";  // HTTP/1.0 without Host
  const GeneratedResponse response = render(action, request.view());
  EXPECT_EQ(response.status_code, 400u);
  EXPECT_TRUE(response.location.empty());
  EXPECT_NE(response.body.find("400 Bad Request"), std::string_view::npos);
}

TEST(Redirect, NeverWritesControlCharactersOrSpacesIntoLocation) {
  const RedirectAction action = compile_ok(redirect_config("HTTPS", "443"));
  for (std::string query :
       {std::string("a=b c"), std::string("a=\r\nSet-Cookie: x=1"), std::string("a\0b", 3)}) {
    TestRequest request;
    request.query = query;
    EXPECT_EQ(render(action, request.view()).status_code, 400u);
  }
}

TEST(Redirect, LongRequestsMakeLongLocations) {
  const RedirectAction action = compile_ok(redirect_config("HTTPS", "443"));
  const std::string path = "/" + std::string(16 * 1024, 'p');
  EXPECT_EQ(location(action, "example.com", path, std::string(8 * 1024, 'q')).size(),
            std::string("https://example.com:443").size() + path.size() + 1 + 8 * 1024);
}

// ---- compile-time checks -----------------------------------------------------------

TEST(RedirectCompile, StatusIs301Or302) {
  EXPECT_EQ(errors_of(redirect_config("HTTPS", "443", 0)),
            std::vector<std::string>{"redirect: statusCode must be HTTP_301 or HTTP_302"});
  EXPECT_EQ(errors_of(redirect_config("HTTPS", "443", 307)),
            std::vector<std::string>{"redirect: statusCode must be HTTP_301 or HTTP_302"});
}

TEST(RedirectCompile, ProtocolAndPortValues) {
  EXPECT_EQ(errors_of(redirect_config("https", "443")),
            std::vector<std::string>{
                "redirect: protocol must be HTTP, HTTPS or #{protocol}, got \"https\""});
  for (std::string port : {"0", "65536", "08", "-1", "", "#{host}", "443 "}) {
    EXPECT_EQ(errors_of(redirect_config("HTTPS", port)),
              std::vector<std::string>{"redirect: port must be 1-65535 or #{port}, got \"" + port +
                                       "\""});
  }
  compile_ok(redirect_config("HTTPS", "65535"));
  compile_ok(redirect_config("HTTPS", "1"));
}

TEST(RedirectCompile, HttpsListenerCannotRedirectToHttp) {
  EXPECT_EQ(errors_of(redirect_config("HTTP", "80"), kHttps443),
            std::vector<std::string>{"redirect: an HTTPS listener cannot redirect to HTTP"});
  compile_ok(redirect_config("HTTP", "8080"), kHttp80);     // HTTP to HTTP
  compile_ok(redirect_config("HTTPS", "8443"), kHttps443);  // HTTPS to HTTPS
}

TEST(RedirectCompile, RefusesARedirectToTheSameUrl) {
  const std::string loop =
      "redirect: it must change the protocol, host, port or path, or it sends the client back "
      "where it came from";
  EXPECT_EQ(errors_of(redirect_config("#{protocol}", "#{port}")), std::vector<std::string>{loop});
  // The listener's own protocol and port are no change either.
  EXPECT_EQ(errors_of(redirect_config("HTTP", "80")), std::vector<std::string>{loop});
  EXPECT_EQ(errors_of(redirect_config("HTTPS", "443"), kHttps443), std::vector<std::string>{loop});
  // Changing only the query does not count (ALB's rule).
  EXPECT_EQ(errors_of({.query = "lang=en", .status_code = 301}), std::vector<std::string>{loop});
  // Any one of the four is enough.
  compile_ok(redirect_config("HTTP", "8080"));
  compile_ok(redirect_config("HTTPS", "#{port}"));
  compile_ok({.host = "www.#{host}", .status_code = 301});
  compile_ok({.path = "/v2/#{path}", .status_code = 301});
  // An unknown listener port: a literal port is taken as a change.
  compile_ok(redirect_config("#{protocol}", "80"), ListenerInfo{});
}

TEST(RedirectCompile, PlaceholdersOnlyWhereAlbAllowsThem) {
  EXPECT_EQ(errors_of({.protocol = "HTTPS",
                       .host = "#{path}.example.com",
                       .path = "/#{query}",
                       .query = "#{nope}",
                       .status_code = 301}),
            (std::vector<std::string>{"redirect: host: placeholder #{path} is not allowed here",
                                      "redirect: path: placeholder #{query} is not allowed here",
                                      "redirect: query: unknown placeholder \"#{nope}\""}));
  EXPECT_EQ(
      errors_of(
          {.protocol = "HTTPS", .host = "#{protocol}", .path = "/#{protocol}", .status_code = 301}),
      (std::vector<std::string>{"redirect: host: placeholder #{protocol} is not allowed here",
                                "redirect: path: placeholder #{protocol} is not allowed here"}));
}

TEST(RedirectCompile, PathAndHostShape) {
  EXPECT_EQ(errors_of({.protocol = "HTTPS", .host = "", .path = "relative", .status_code = 301}),
            (std::vector<std::string>{"redirect: path must start with '/'",
                                      "redirect: host must not be empty"}));
}

TEST(RedirectCompile, MissingConfig) {
  config::RuleAction action;
  action.type = "redirect";
  std::vector<RuleError> errors;
  EXPECT_FALSE(compile_redirect(action, kHttp80, errors));
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].message, "redirect: redirectConfig is missing");
}

TEST(RedirectCompile, IsATerminalActionOfARule) {
  std::vector<RuleError> errors;
  std::vector<config::RuleAction> actions = {testing::redirect(redirect_config("HTTPS", "443"))};
  auto compiled = compile_actions(actions, "rule 1", {}, errors, kHttp80);
  ASSERT_TRUE(errors.empty());
  ASSERT_EQ(compiled.size(), 1u);
  EXPECT_EQ(std::get<RedirectAction>(compiled[0]).status_code, 301u);
  actions.push_back(testing::forward_to("web"));
  actions[1].order = 2;
  compiled = compile_actions(actions, "rule 1", {}, errors, kHttp80);
  EXPECT_TRUE(compiled.empty());
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].message, "action \"redirect\" ends the rule but is not the last action");
}

}  // namespace
}  // namespace gatehouse::edge
