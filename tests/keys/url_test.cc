#include "keys/url.h"

#include <gtest/gtest.h>

#include "keys/discovery.h"

namespace gatehouse::keys {
namespace {

TEST(ParseUrl, TakesUrlsApart) {
  struct Case {
    const char* text;
    bool tls;
    const char* host;
    const char* port;
    const char* authority;
    const char* target;
  };
  const Case cases[] = {
      {"http://idp.example", false, "idp.example", "80", "idp.example", "/"},
      // The fragment is not sent.
      {"https://idp.example:8443/oauth2/v1/keys?client=a%20b#frag", true, "idp.example", "8443",
       "idp.example:8443", "/oauth2/v1/keys?client=a%20b"},
      {"HTTPS://idp.example/keys", true, "idp.example", "443", "idp.example", "/keys"},
      // An IPv6 address loses its brackets; the Host field keeps them.
      {"http://[::1]:8080/jwks", false, "::1", "8080", "[::1]:8080", "/jwks"},
      // "host:" means the default port.
      {"https://idp.example:/keys", true, "idp.example", "443", "idp.example:", "/keys"},
      {"http://127.0.0.1?x=1", false, "127.0.0.1", "80", "127.0.0.1", "/?x=1"},
  };
  for (const Case& c : cases) {
    const auto url = parse_url(c.text);
    ASSERT_TRUE(url) << c.text;
    EXPECT_EQ(url->tls, c.tls) << c.text;
    EXPECT_EQ(url->host, c.host) << c.text;
    EXPECT_EQ(url->port, c.port) << c.text;
    EXPECT_EQ(url->authority, c.authority) << c.text;
    EXPECT_EQ(url->target, c.target) << c.text;
  }
}

TEST(ParseUrl, RefusesWhatCannotBeFetched) {
  for (const char* text :
       {"", "idp.example/keys", "/keys", "ftp://idp.example/keys", "file:///etc/passwd",
        "http:///keys", "http://user:secret@idp.example/keys", "http://idp.example:0/",
        "http://idp.example:99999/", "http://idp%2eexample/", "http://[v1.fe80::a]/",
        "http://idp.example/ke ys"})
    EXPECT_FALSE(parse_url(text)) << text;
}

TEST(Discovery, UrlIsTheIssuerWithoutItsTrailingSlash) {
  EXPECT_EQ(discovery_url("https://idp.example"),
            "https://idp.example/.well-known/openid-configuration");
  EXPECT_EQ(discovery_url("https://idp.example/tenant/"),
            "https://idp.example/tenant/.well-known/openid-configuration");
}

TEST(Discovery, TakesTheJwksUri) {
  const auto found = jwks_uri_from_discovery(
      R"({"issuer":"https://idp.example","jwks_uri":"https://idp.example/keys","x":[1]})");
  EXPECT_EQ(found.jwks_uri, "https://idp.example/keys");
  EXPECT_EQ(found.error, "");
}

TEST(Discovery, RefusesDocumentsWithoutAnHttpJwksUri) {
  const std::pair<const char*, const char*> cases[] = {
      {"<html>", "is not JSON"},
      {R"(["https://idp.example/keys"])", "is not a JSON object"},
      {R"({"issuer":"https://idp.example"})", "has no string jwks_uri"},
      {R"({"jwks_uri":42})", "has no string jwks_uri"},
      {R"({"jwks_uri":"file:///etc/keys"})", "is not an http(s) URL"},
  };
  for (const auto& [document, why] : cases) {
    const auto found = jwks_uri_from_discovery(document);
    EXPECT_EQ(found.jwks_uri, "") << document;
    EXPECT_NE(found.error.find(why), std::string::npos) << document << ": " << found.error;
  }
}

TEST(Discovery, TakesTheEndSessionEndpoint) {
  EXPECT_EQ(
      end_session_endpoint_from_discovery(
          R"({"issuer":"https://idp.example","end_session_endpoint":"https://idp.example/logout"})"),
      "https://idp.example/logout");
}

TEST(Discovery, NoEndSessionEndpointUnlessAnHttpUrl) {
  for (const char* document :
       {"<html>", "[]", R"({"issuer":"https://idp.example"})", R"({"end_session_endpoint":1})",
        R"x({"end_session_endpoint":"javascript:alert(1)"})x",
        R"({"end_session_endpoint":"https://user:pw@idp.example/logout"})"})
    EXPECT_EQ(end_session_endpoint_from_discovery(document), std::nullopt) << document;
}

}  // namespace
}  // namespace gatehouse::keys
