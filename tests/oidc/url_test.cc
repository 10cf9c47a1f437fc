// Parameter encoding, callback query decoding, redirect-URI hosts and the same-host check on the
// URL a login returns to (no open redirect).
#include "oidc/url.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace gatehouse::oidc {
namespace {

TEST(PercentEncode, KeepsOnlyUnreservedCharacters) {
  EXPECT_EQ(percent_encode("AZaz09-._~"), "AZaz09-._~");
  EXPECT_EQ(percent_encode("openid profile"), "openid%20profile");
  EXPECT_EQ(percent_encode("https://app.example.com/oauth2/idpresponse"),
            "https%3A%2F%2Fapp.example.com%2Foauth2%2Fidpresponse");
  EXPECT_EQ(percent_encode("a+b/c=d&e?f#g%"), "a%2Bb%2Fc%3Dd%26e%3Ff%23g%25");
  EXPECT_EQ(percent_encode(std::string("\x00\xff\xe9", 3)), "%00%FF%E9");
  EXPECT_EQ(percent_encode(""), "");
}

TEST(FormEncode, FollowsTheFormSerializer) {
  EXPECT_EQ(form_encode("AZaz09*-._"), "AZaz09*-._");
  EXPECT_EQ(form_encode("a b"), "a+b");
  EXPECT_EQ(form_encode("~"), "%7E");
  EXPECT_EQ(form_encode("s3cr3t:with/ü"), "s3cr3t%3Awith%2F%C3%BC");
}

TEST(ParseForm, DecodesPlusAndEscapesAndKeepsOrder) {
  std::vector<FormParam> params;
  ASSERT_TRUE(parse_form("code=a%2Bb+c&state=x%3D%3D&&flag&=v&e=", params));
  ASSERT_EQ(params.size(), 5u);
  EXPECT_EQ(params[0].name, "code");
  EXPECT_EQ(params[0].value, "a+b c");
  EXPECT_EQ(params[1].value, "x==");
  EXPECT_EQ(params[2].name, "flag");
  EXPECT_EQ(params[2].value, "");
  EXPECT_EQ(params[3].name, "");
  EXPECT_EQ(params[3].value, "v");
  EXPECT_EQ(params[4].value, "");
  ASSERT_TRUE(parse_form("", params));
  EXPECT_TRUE(params.empty());
  ASSERT_TRUE(parse_form("a=%00", params));
  EXPECT_EQ(params[0].value, std::string(1, '\0'));
}

TEST(ParseForm, RefusesBrokenEscapes) {
  std::vector<FormParam> params;
  for (const char* query : {"a=%", "a=%4", "a=%zz", "a=%4g", "%=1", "a=1&b=%%41"}) {
    EXPECT_FALSE(parse_form(query, params)) << query;
  }
}

TEST(ParseForm, InvertsFormEncode) {
  const std::string value = "x y+z&=%/\xc3\xa9";
  std::vector<FormParam> params;
  ASSERT_TRUE(parse_form(form_encode("n a") + "=" + form_encode(value), params));
  ASSERT_EQ(params.size(), 1u);
  EXPECT_EQ(params[0].name, "n a");
  EXPECT_EQ(params[0].value, value);
}

TEST(FormDecode, DecodesOneComponentAndRefusesBrokenEscapes) {
  std::string out;
  ASSERT_TRUE(form_decode("a+b%3Ac%3a%00", out));
  EXPECT_EQ(out, std::string("a b:c:\0", 7));
  for (const char* text : {"%", "%4", "%zz", "%4g", "a%"})
    EXPECT_FALSE(form_decode(text, out)) << text;
  ASSERT_TRUE(form_decode(form_encode("client:id é"), out));
  EXPECT_EQ(out, "client:id é");
}

TEST(RedirectHost, AcceptsNamesAddressesAndPorts) {
  for (const char* host :
       {"app.example.com", "APP.Example.COM", "localhost:8443", "10.0.0.1", "10.0.0.1:443", "[::1]",
        "[::1]:8443", "[2001:db8::1]", "my_host.local"}) {
    EXPECT_TRUE(is_redirect_host(host)) << host;
  }
}

TEST(RedirectHost, RefusesAnythingThatReshapesTheUrl) {
  for (const char* host :
       {"", "evil.com@app.example.com", "app.example.com/evil", "app.example.com\\evil",
        "app.example.com?x", "app.example.com#x", "app .example.com",
        "app.example.com:", "app.example.com:12345678", "app.example.com:80a", ":443", "[::1", "[]",
        "[::1]x", "[::1]:", "[evil.com]", "app\r\nSet-Cookie: x=y", "%65vil.com"}) {
    EXPECT_FALSE(is_redirect_host(host)) << host;
  }
  EXPECT_FALSE(is_redirect_host(std::string(256, 'a')));
  EXPECT_TRUE(is_redirect_host(std::string(255, 'a')));
}

TEST(SafeReturnPath, KeepsPathsOnTheSameHost) {
  EXPECT_EQ(safe_return_path("/", "h"), "/");
  EXPECT_EQ(safe_return_path("/headers?show_env=1&a=%2F", "h"), "/headers?show_env=1&a=%2F");
  EXPECT_EQ(safe_return_path("/a/b/../c;p?q=//x", "h"), "/a/b/../c;p?q=//x");
  EXPECT_EQ(safe_return_path("https://App.Example.com/x?y=1", "app.example.com"), "/x?y=1");
  EXPECT_EQ(safe_return_path("HTTP://app.example.com:8443/x", "app.example.com:8443"), "/x");
  EXPECT_EQ(safe_return_path("https://app.example.com", "app.example.com"), "/");
}

// alb-semantics section 8: redirect targets on other hosts and scheme-relative URLs.
TEST(SafeReturnPath, FallsBackToRootForEverythingElse) {
  for (const char* target : {"",
                             "//evil.com",
                             "//evil.com/x",
                             "/\\evil.com",
                             "\\\\evil.com",
                             "/x\\y",
                             "evil.com",
                             "https://evil.com/",
                             "https://evil.com",
                             "https://app.example.com.evil.com/",
                             "https://app.example.com@evil.com/",
                             "https://evil.com@app.example.com/x",
                             "https://evil.com\\@app.example.com/",
                             "javascript:alert(1)",
                             "ftp://app.example.com/x",
                             "/x#frag",
                             "/x y",
                             "/x\ty",
                             "/\t/evil.com",
                             "/x\r\nSet-Cookie:a=b",
                             "/caf\xc3\xa9",
                             "https://app.example.com?x=1",
                             "https:app.example.com/x",
                             "/\x7f"}) {
    EXPECT_EQ(safe_return_path(target, "app.example.com"), "/") << target;
  }
  EXPECT_EQ(safe_return_path("https://app.example.com/x", ""), "/");
}

TEST(SafeReturnPath, DropsTheQueryThenThePathBeyondTheCap) {
  const std::string path = "/" + std::string(100, 'p');
  const std::string long_query = "?" + std::string(kMaxReturnUrlBytes, 'q');
  EXPECT_EQ(safe_return_path(path + long_query, "h"), path);
  const std::string at_cap = path + "?" + std::string(kMaxReturnUrlBytes - path.size() - 1, 'q');
  EXPECT_EQ(safe_return_path(at_cap, "h"), at_cap);
  EXPECT_EQ(safe_return_path("/" + std::string(kMaxReturnUrlBytes, 'p'), "h"), "/");
}

}  // namespace
}  // namespace gatehouse::oidc
