// Parameters, scopes, credentials, the session cookie and HTML escaping, with hostile input.
#include "idp/http_text.h"

#include <gtest/gtest.h>

#include "jose/base64url.h"

namespace gatehouse::idp {
namespace {

TEST(Params, ParsesFormText) {
  std::string error;
  auto params = Params::parse("a=1&b=x+y%21&c", error);
  ASSERT_TRUE(params) << error;
  EXPECT_EQ(params->value("a"), "1");
  EXPECT_EQ(params->value("b"), "x y!");
  EXPECT_TRUE(params->has("c"));
  EXPECT_FALSE(params->has("d"));
}

TEST(Params, RepeatedParameterIsRefused) {
  std::string error;
  EXPECT_FALSE(Params::parse("client_id=a&client_id=b", error));
  EXPECT_EQ(error, "parameter client_id is given more than once");
}

TEST(Params, BadEscapeTooManyAndTooLongAreRefused) {
  std::string error;
  EXPECT_FALSE(Params::parse("a=%zz", error));
  std::string many;
  for (int i = 0; i < 65; ++i) many += "p" + std::to_string(i) + "=1&";
  EXPECT_FALSE(Params::parse(many, error));
  EXPECT_FALSE(Params::parse("a=" + std::string(Params::kMaxValueBytes + 1, 'x'), error));
}

TEST(Scope, ParsesAndRefusesMalformed) {
  EXPECT_EQ(parse_scope("openid profile openid"), (std::vector<std::string>{"openid", "profile"}));
  EXPECT_EQ(parse_scope(""), std::vector<std::string>{});
  EXPECT_FALSE(parse_scope("openid  profile"));
  EXPECT_FALSE(parse_scope("openid "));
  EXPECT_FALSE(parse_scope("a\"b"));
  EXPECT_FALSE(parse_scope("caf\xc3\xa9"));
}

TEST(ContentType, FormOnly) {
  EXPECT_TRUE(is_form_content_type("application/x-www-form-urlencoded"));
  EXPECT_TRUE(is_form_content_type("Application/X-WWW-Form-Urlencoded; charset=UTF-8"));
  EXPECT_FALSE(is_form_content_type("application/json"));
  EXPECT_FALSE(is_form_content_type(""));
}

TEST(AppendQuery, EncodesAndKeepsExistingQuery) {
  std::pair<std::string_view, std::string_view> params[] = {{"code", "a b&c"}, {"state", "s"}};
  EXPECT_EQ(append_query("https://x/cb", params), "https://x/cb?code=a+b%26c&state=s");
  EXPECT_EQ(append_query("https://x/cb?x=1", params), "https://x/cb?x=1&code=a+b%26c&state=s");
}

TEST(Basic, DecodesFormEncodedIdAndSecret) {
  BasicCredentials out;
  ASSERT_EQ(parse_basic("Basic " + jose::base64_encode("my+app:p%3Ass:w"), out), BasicParse::Ok);
  EXPECT_EQ(out.client_id, "my app");
  EXPECT_EQ(out.client_secret, "p:ss:w");
  EXPECT_EQ(parse_basic("bAsIc " + jose::base64_encode("a:b"), out), BasicParse::Ok);
}

TEST(Basic, MalformedIsReportedAbsentIsNot) {
  BasicCredentials out;
  EXPECT_EQ(parse_basic("", out), BasicParse::Absent);
  EXPECT_EQ(parse_basic("Bearer x", out), BasicParse::Absent);
  EXPECT_EQ(parse_basic("Basic !!!", out), BasicParse::Malformed);
  EXPECT_EQ(parse_basic("Basic " + jose::base64_encode("nocolon"), out), BasicParse::Malformed);
  EXPECT_EQ(parse_basic("Basic " + jose::base64_encode(":secret"), out), BasicParse::Malformed);
  EXPECT_EQ(parse_basic("Basic " + jose::base64_encode("a%zz:b"), out), BasicParse::Malformed);
}

TEST(Bearer, TakesOneToken) {
  EXPECT_EQ(bearer_token("Bearer abc.def"), "abc.def");
  EXPECT_EQ(bearer_token("bearer abc"), "abc");
  EXPECT_FALSE(bearer_token("Bearer "));
  EXPECT_FALSE(bearer_token("Bearer a b"));
  EXPECT_FALSE(bearer_token("Basic abc"));
}

TEST(SessionCookie, FoundOnlyWhenUnambiguousAndWellFormed) {
  const std::string id(43, 'A');
  std::string header = "x=1; gatehouse_idp_session=" + id;
  std::vector<std::string_view> fields{header};
  EXPECT_EQ(find_session_cookie(fields), id);
  std::string twice = header + "; gatehouse_idp_session=" + id;
  fields = {twice};
  EXPECT_FALSE(find_session_cookie(fields));
  std::string short_id = "gatehouse_idp_session=abc";
  fields = {short_id};
  EXPECT_FALSE(find_session_cookie(fields));
  std::string bad_chars = "gatehouse_idp_session=" + std::string(42, 'A') + "!";
  fields = {bad_chars};
  EXPECT_FALSE(find_session_cookie(fields));
  std::string huge(70 * 1024, 'a');
  fields = {huge};
  EXPECT_FALSE(find_session_cookie(fields));
}

TEST(HtmlEscape, EscapesEverySpecialCharacter) {
  EXPECT_EQ(html_escape(R"(<a href="x">'&'</a>)"),
            "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;");
}

}  // namespace
}  // namespace gatehouse::idp
