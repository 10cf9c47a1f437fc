// HTTPMatchRequest conditions (Istio 4.4), each with its negative cases.
#include <gtest/gtest.h>

#include "mesh/request_match.h"
#include "mesh/router.h"
#include "mesh_test_support.h"

namespace gatehouse::mesh::test {
namespace {

// True when a request satisfies `match` (compiled on its own).
bool holds(const config::HttpMatch& match, const Request& request,
           const ClaimSource* claims = nullptr) {
  auto compiled = RequestMatch::compile(&match);
  if (auto* error = std::get_if<std::string>(&compiled)) {
    ADD_FAILURE() << *error;
    return false;
  }
  return std::get<RequestMatch>(compiled).matches(request.view(), claims);
}

config::HttpMatch header(std::string name, config::StringMatch match) {
  config::HttpMatch out;
  out.headers.emplace_back(std::move(name), std::move(match));
  return out;
}

config::HttpMatch without_header(std::string name, config::StringMatch match) {
  config::HttpMatch out;
  out.without_headers.emplace_back(std::move(name), std::move(match));
  return out;
}

config::HttpMatch query_param(std::string name, config::StringMatch match) {
  config::HttpMatch out;
  out.query_params.emplace_back(std::move(name), std::move(match));
  return out;
}

TEST(UriMatch, ExactIsTheWholePath) {
  auto match = uri(exact("/foo"));
  EXPECT_TRUE(holds(match, Request("/foo")));
  EXPECT_FALSE(holds(match, Request("/foo/")));
  EXPECT_FALSE(holds(match, Request("/foobar")));
  EXPECT_FALSE(holds(match, Request("/FOO")));
}

TEST(UriMatch, PrefixIsAPlainStringPrefix) {
  auto match = uri(prefix("/foo"));
  EXPECT_TRUE(holds(match, Request("/foo")));
  EXPECT_TRUE(holds(match, Request("/foobar")));
  EXPECT_TRUE(holds(match, Request("/foo/x")));
  EXPECT_FALSE(holds(match, Request("/fo")));
  EXPECT_FALSE(holds(match, Request("/Foo")));
}

TEST(UriMatch, RegexIsAFullMatch) {
  auto match = uri(regex("/items/[0-9]+"));
  EXPECT_TRUE(holds(match, Request("/items/12")));
  EXPECT_FALSE(holds(match, Request("/items/12/x")));
  EXPECT_FALSE(holds(match, Request("/x/items/12")));
}

TEST(UriMatch, IgnoreUriCaseCoversExactAndPrefixButNotRegex) {
  auto exact_match = uri(exact("/Foo"));
  exact_match.ignore_uri_case = true;
  auto prefix_match = uri(prefix("/API/"));
  prefix_match.ignore_uri_case = true;
  auto regex_match = uri(regex("/foo"));
  regex_match.ignore_uri_case = true;
  EXPECT_TRUE(holds(exact_match, Request("/FOO")));
  EXPECT_FALSE(holds(exact_match, Request("/FOOx")));
  EXPECT_TRUE(holds(prefix_match, Request("/api/v1")));
  EXPECT_FALSE(holds(prefix_match, Request("/apix")));
  EXPECT_TRUE(holds(regex_match, Request("/foo")));
  EXPECT_FALSE(holds(regex_match, Request("/FOO")));
}

TEST(PseudoHeaderMatch, MethodSchemeAuthorityAreCaseSensitive) {
  config::HttpMatch method;
  method.method = exact("GET");
  EXPECT_TRUE(holds(method, Request("/")));
  EXPECT_FALSE(holds(method, Request("/").method("POST")));
  EXPECT_FALSE(holds(method, Request("/").method("get")));

  config::HttpMatch scheme;
  scheme.scheme = exact("https");
  EXPECT_TRUE(holds(scheme, Request("/").scheme("https")));
  EXPECT_FALSE(holds(scheme, Request("/")));

  config::HttpMatch method_regex;
  method_regex.method = regex("GET|HEAD");
  EXPECT_TRUE(holds(method_regex, Request("/").method("HEAD")));
  EXPECT_FALSE(holds(method_regex, Request("/").method("GETX")));
}

TEST(PseudoHeaderMatch, AuthorityIncludesThePort) {
  config::HttpMatch authority;
  authority.authority = exact("a.com");
  EXPECT_TRUE(holds(authority, Request("/", "a.com")));
  EXPECT_FALSE(holds(authority, Request("/", "a.com:8080")));
  EXPECT_FALSE(holds(authority, Request("/", "A.com")));
  config::HttpMatch with_port;
  with_port.authority = prefix("a.com:");
  EXPECT_TRUE(holds(with_port, Request("/", "a.com:8080")));
}

TEST(HeaderMatch, ExactPrefixRegexOnTheValue) {
  EXPECT_TRUE(holds(header("x-user", exact("alice")), Request("/").header("X-User", "alice")));
  EXPECT_FALSE(holds(header("x-user", exact("alice")), Request("/").header("x-user", "Alice")));
  EXPECT_FALSE(holds(header("x-user", exact("alice")), Request("/")));
  EXPECT_TRUE(holds(header("x-user", prefix("al")), Request("/").header("x-user", "alice")));
  EXPECT_FALSE(holds(header("x-user", prefix("li")), Request("/").header("x-user", "alice")));
  EXPECT_TRUE(holds(header("x-user", regex("a.*e")), Request("/").header("x-user", "alice")));
  EXPECT_FALSE(holds(header("x-user", regex("a.*c")), Request("/").header("x-user", "alice")));
}

TEST(HeaderMatch, RepeatedHeadersAreJoinedWithCommas) {
  auto request = Request("/").header("x-v", "a").header("x-other", "z").header("X-V", "b");
  EXPECT_TRUE(holds(header("x-v", exact("a,b")), request));
  EXPECT_FALSE(holds(header("x-v", exact("a")), request));
  EXPECT_TRUE(holds(header("x-v", regex("a,b")), request));
}

TEST(HeaderMatch, EmptyMatchAndRegexStarMeanPresent) {
  for (const auto& presence : {present(), regex("*")}) {
    EXPECT_TRUE(holds(header("x-flag", presence), Request("/").header("x-flag", "")));
    EXPECT_FALSE(holds(header("x-flag", presence), Request("/")));
  }
}

TEST(HeaderMatch, KeysNamingOtherMatchFieldsAreIgnored) {
  config::HttpMatch match;
  for (const char* key : {"uri", "scheme", "method", "authority"}) {
    match.headers.emplace_back(key, exact("never"));
  }
  EXPECT_TRUE(holds(match, Request("/")));
}

TEST(WithoutHeaders, MissingHeaderCountsAsEmptyString) {
  auto match = without_header("x-env", exact("prod"));
  EXPECT_TRUE(holds(match, Request("/")));
  EXPECT_TRUE(holds(match, Request("/").header("x-env", "dev")));
  EXPECT_FALSE(holds(match, Request("/").header("x-env", "prod")));
  auto empty = without_header("x-env", exact(""));
  EXPECT_FALSE(holds(empty, Request("/")));
  EXPECT_TRUE(holds(empty, Request("/").header("x-env", "x")));
  auto regex_match = without_header("x-env", regex("p.*"));
  EXPECT_TRUE(holds(regex_match, Request("/")));
  EXPECT_FALSE(holds(regex_match, Request("/").header("x-env", "prod")));
}

TEST(WithoutHeaders, PresenceFormHoldsOnlyWhenMissing) {
  auto match = without_header("x-debug", present());
  EXPECT_TRUE(holds(match, Request("/")));
  EXPECT_FALSE(holds(match, Request("/").header("x-debug", "")));
}

TEST(QueryParamMatch, MatchesTheFirstRawValue) {
  EXPECT_TRUE(holds(query_param("a", exact("1")), Request("/").query("a=1&b=2")));
  EXPECT_TRUE(holds(query_param("b", exact("2")), Request("/").query("a=1&b=2")));
  EXPECT_FALSE(holds(query_param("a", exact("2")), Request("/").query("a=1&a=2")));
  EXPECT_FALSE(holds(query_param("a", exact("1")), Request("/").query("b=1")));
  EXPECT_FALSE(holds(query_param("a", exact("1")), Request("/").query("aa=1")));
  EXPECT_FALSE(holds(query_param("a", exact("1")), Request("/")));
  EXPECT_TRUE(holds(query_param("q", exact("x%20y")), Request("/").query("q=x%20y")));
  EXPECT_TRUE(holds(query_param("v", prefix("1.")), Request("/").query("v=1.2")));
  EXPECT_TRUE(holds(query_param("v", regex("[0-9]+")), Request("/").query("v=12")));
  EXPECT_FALSE(holds(query_param("v", regex("[0-9]+")), Request("/").query("v=12a")));
}

TEST(QueryParamMatch, PresenceAcceptsParametersWithoutValue) {
  EXPECT_TRUE(holds(query_param("debug", present()), Request("/").query("x=1&debug")));
  EXPECT_TRUE(holds(query_param("debug", regex("*")), Request("/").query("debug=")));
  EXPECT_FALSE(holds(query_param("debug", present()), Request("/").query("debugging=1")));
}

TEST(QueryParamMatch, FirstValueParsingOfOddQueries) {
  EXPECT_EQ(first_query_value("", "a"), std::nullopt);
  EXPECT_EQ(first_query_value("&&&", "a"), std::nullopt);
  EXPECT_EQ(first_query_value("&&&", ""), std::optional<std::string_view>(""));
  EXPECT_EQ(first_query_value("a", "a"), std::optional<std::string_view>(""));
  EXPECT_EQ(first_query_value("a=", "a"), std::optional<std::string_view>(""));
  EXPECT_EQ(first_query_value("a==b", "a"), std::optional<std::string_view>("=b"));
  EXPECT_EQ(first_query_value("=x&a=1", "a"), std::optional<std::string_view>("1"));
  EXPECT_EQ(first_query_value(std::string(100000, '&') + "a=2", "a"),
            std::optional<std::string_view>("2"));
}

TEST(MatchBlock, ConditionsAreAnded) {
  auto match = uri(prefix("/api"));
  match.method = exact("POST");
  match.headers.emplace_back("x-user", present());
  EXPECT_TRUE(holds(match, Request("/api/x").method("POST").header("x-user", "a")));
  EXPECT_FALSE(holds(match, Request("/api/x").header("x-user", "a")));
  EXPECT_FALSE(holds(match, Request("/api/x").method("POST")));
  EXPECT_FALSE(holds(match, Request("/x").method("POST").header("x-user", "a")));
}

// Stands in for the JWT stage: one claim path with string values.
class FakeClaims : public ClaimSource {
 public:
  FakeClaims(std::vector<std::string> path, std::vector<std::string> values)
      : path_(std::move(path)), values_(std::move(values)) {}
  bool claim_matches(std::span<const std::string> path, const ValueMatcher& match) const override {
    if (!std::equal(path.begin(), path.end(), path_.begin(), path_.end())) return false;
    return std::any_of(values_.begin(), values_.end(),
                       [&](const std::string& value) { return match.matches(value); });
  }

 private:
  std::vector<std::string> path_, values_;
};

TEST(ClaimMatch, NeverHoldsWithoutAVerifiedToken) {
  auto match = header("@request.auth.claims.groups", exact("admin"));
  EXPECT_FALSE(holds(match, Request("/")));
  // A client header that merely looks like the claim key does not count.
  EXPECT_FALSE(holds(match, Request("/").header("@request.auth.claims.groups", "admin")));
  EXPECT_FALSE(holds(match, Request("/").header("request.auth.claims.groups", "admin")));
}

TEST(ClaimMatch, AsksTheClaimSourceWithTheClaimPath) {
  FakeClaims groups({"groups"}, {"dev", "admin"});
  EXPECT_TRUE(holds(header("@request.auth.claims.groups", exact("admin")), Request("/"), &groups));
  EXPECT_FALSE(holds(header("@request.auth.claims.groups", exact("ops")), Request("/"), &groups));
  FakeClaims nested({"nested", "key.1"}, {"v"});
  EXPECT_TRUE(
      holds(header("@request.auth.claims[nested][key.1]", exact("v")), Request("/"), &nested));
  FakeClaims dotted({"nested", "key"}, {"v"});
  EXPECT_TRUE(holds(header("@request.auth.claims.nested.key", prefix("v")), Request("/"), &dotted));
}

TEST(ClaimMatch, WithoutHeadersClaimHoldsWhenTheClaimDoesNot) {
  auto match = without_header("@request.auth.claims.groups", exact("blocked"));
  FakeClaims blocked({"groups"}, {"blocked"});
  FakeClaims fine({"groups"}, {"ok"});
  EXPECT_TRUE(holds(match, Request("/")));
  EXPECT_TRUE(holds(match, Request("/"), &fine));
  EXPECT_FALSE(holds(match, Request("/"), &blocked));
}

TEST(ClaimMatch, RoutesThroughTheRouterCallback) {
  config::Snapshot snapshot;
  snapshot.gateways.push_back(gateway("foo", "gw", {http_server(80, {"*"})}));
  snapshot.virtual_services.push_back(
      virtual_service("foo", "vs", {"*"}, {"gw"},
                      {route_to("admins", {header("@request.auth.claims.groups", exact("admin"))}),
                       route_to("everyone")}));
  auto router = compile_or_fail(snapshot);
  ASSERT_NE(router, nullptr);
  EXPECT_TRUE(router->has_claim_conditions());
  EXPECT_FALSE(compile_or_fail(httpbin_snapshot())->has_claim_conditions());
  FakeClaims admin({"groups"}, {"admin"});
  EXPECT_EQ(describe(router->route(80, Request("/").view(), 0, &admin)),
            "forward outbound|80||admins.foo.svc.cluster.local");
  EXPECT_EQ(describe(router->route(80, Request("/").view(), 0)),
            "forward outbound|80||everyone.foo.svc.cluster.local");
}

}  // namespace
}  // namespace gatehouse::mesh::test
