// The ALB conditions beyond path and host: http-header, http-request-method, query-string
// and source-ip, each through ListenerRules::select as the engine calls it.
#include <gtest/gtest.h>

#include <chrono>
#include <string>

#include "edge/listener_rules.h"
#include "rule_builders.h"

namespace gatehouse::edge {
namespace {

using namespace testing;

ListenerRules one_rule(std::vector<config::RuleCondition> conditions) {
  CompileResult result = compile(listener({rule(1, std::move(conditions), {forward_to("x")})}));
  for (const auto& error : result.errors) ADD_FAILURE() << error.message;
  return std::move(*result.rules);
}

bool matches(const ListenerRules& rules, TestRequest& request) {
  return !rules.select(request.view()).is_default();
}

std::vector<std::string> errors_of(config::RuleCondition condition) {
  CompileResult result = compile(listener({rule(1, {std::move(condition)}, {forward_to("x")})}));
  EXPECT_FALSE(result.rules.has_value());
  std::vector<std::string> messages;
  for (const auto& error : result.errors) {
    EXPECT_EQ(error.where.line, 42);  // the condition's own location
    messages.push_back(error.message);
  }
  return messages;
}

TestRequest with_header(std::string name, std::string value) {
  TestRequest request;
  request.headers = {{"Accept", "*/*"}, {std::move(name), std::move(value)}};
  return request;
}

bool header_matches(const ListenerRules& rules, std::string name, std::string value) {
  auto request = with_header(std::move(name), std::move(value));
  return matches(rules, request);
}

// ---- http-header -------------------------------------------------------------------

TEST(HttpHeaderCondition, NameAndValueAreCaseInsensitiveGlobs) {
  const auto rules = one_rule({http_header("User-Agent", {"*Chrome*", "*Safari*"})});
  EXPECT_TRUE(header_matches(rules, "user-agent", "Mozilla/5.0 (X11) CHROME/120.0"));
  EXPECT_TRUE(header_matches(rules, "USER-AGENT", "Mozilla/5.0 Version/17 Safari/605"));
  EXPECT_FALSE(header_matches(rules, "User-Agent", "curl/8.5.0"));
}

TEST(HttpHeaderCondition, MissingHeaderNeverMatchesEvenAStar) {
  const auto rules = one_rule({http_header("X-Tenant", {"*"})});
  TestRequest none;
  EXPECT_FALSE(matches(rules, none));
  EXPECT_TRUE(header_matches(rules, "X-Tenant", ""));  // present and empty: `*` matches it
}

TEST(HttpHeaderCondition, RepeatedHeaderIsSearchedInOrder) {
  const auto rules = one_rule({http_header("X-Tenant", {"acme"})});
  TestRequest request;
  request.headers = {{"X-Tenant", "other"}, {"x-tenant", "ACME"}};
  EXPECT_TRUE(matches(rules, request));
  request.headers = {{"X-Tenant", "other, acme"}};  // one field: the whole value is compared
  EXPECT_FALSE(matches(rules, request));
}

TEST(HttpHeaderCondition, WholeValueIsCompared) {
  const auto rules = one_rule({http_header("X-Version", {"v?"})});
  EXPECT_TRUE(header_matches(rules, "X-Version", "v1"));
  EXPECT_FALSE(header_matches(rules, "X-Version", "v10"));
  EXPECT_FALSE(header_matches(rules, "X-Version", "xv1"));
}

TEST(HttpHeaderCondition, ValueWithAControlCharacterNeverMatches) {
  const auto rules = one_rule({http_header("X-Tenant", {"*"})});
  auto tab = with_header("X-Tenant", "a\tb");
  auto del = with_header("X-Tenant", "a\x7f");
  EXPECT_FALSE(matches(rules, tab));
  EXPECT_FALSE(matches(rules, del));
  tab.headers.push_back({"X-Tenant", "clean"});
  EXPECT_TRUE(matches(rules, tab));  // a later clean occurrence still counts
}

TEST(HttpHeaderCondition, OtherHeadersWithSimilarNamesDoNotCount) {
  const auto rules = one_rule({http_header("X-Tenant", {"acme"})});
  TestRequest request;
  request.headers = {{"X-Tenant-Id", "acme"}, {"X-Tenan", "acme"}, {"Tenant", "acme"}};
  EXPECT_FALSE(matches(rules, request));
}

TEST(HttpHeaderCondition, XForwardedForIsJustAHeader) {
  const auto rules = one_rule({http_header("X-Forwarded-For", {"203.0.113.*"})});
  auto forwarded = with_header("X-Forwarded-For", "203.0.113.9");
  EXPECT_TRUE(matches(rules, forwarded));
  forwarded.peer_ip = "10.0.0.1";  // the peer does not matter to http-header
  EXPECT_TRUE(matches(rules, forwarded));
}

TEST(HttpHeaderCondition, SeveralHeaderConditionsAreAnded) {
  const auto rules = one_rule({http_header("X-A", {"1"}), http_header("X-B", {"2"})});
  TestRequest both, only_a;
  both.headers = {{"X-A", "1"}, {"X-B", "2"}};
  only_a.headers = {{"X-A", "1"}, {"X-B", "3"}};
  EXPECT_TRUE(matches(rules, both));
  EXPECT_FALSE(matches(rules, only_a));
}

TEST(HttpHeaderCondition, HugeValuesAndManyHeadersStayLinear) {
  const auto rules = one_rule({http_header("X-Big", {"*a*a*a*b"})});
  TestRequest request;
  for (int i = 0; i < 1000; ++i) request.headers.push_back({"X-Filler-" + std::to_string(i), "v"});
  request.headers.push_back({"X-Big", std::string(1 << 20, 'a')});
  request.headers.push_back({"X-Big", std::string(1 << 20, 'a') + "b"});
  const auto start = std::chrono::steady_clock::now();
  EXPECT_TRUE(matches(rules, request));
  request.headers.pop_back();
  EXPECT_FALSE(matches(rules, request));
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(2));
}

TEST(HttpHeaderCondition, CompileErrors) {
  EXPECT_EQ(errors_of(http_header("", {"a"})),
            std::vector<std::string>{"http-header: no header name"});
  EXPECT_EQ(errors_of(http_header("X-A", {})), std::vector<std::string>{"http-header: no values"});
  EXPECT_EQ(errors_of(http_header("X-A", {"ok", ""})),
            std::vector<std::string>{"http-header: empty value"});
  EXPECT_EQ(errors_of(http_header("X-A", {std::string(129, 'v')})),
            std::vector<std::string>{"http-header: value longer than 128 characters (\"" +
                                     std::string(32, 'v') + "...\")"});
}

// ---- http-request-method -----------------------------------------------------------

TEST(MethodCondition, ExactAndCaseSensitive) {
  const auto rules = one_rule({request_method({"GET", "PURGE"})});
  TestRequest request;
  for (std::string method : {"GET", "PURGE"}) {
    request.method = method;
    EXPECT_TRUE(matches(rules, request)) << method;
  }
  for (std::string method : {"get", "Get", "HEAD", "POST", "GETX", "GE", "purge", ""}) {
    request.method = method;
    EXPECT_FALSE(matches(rules, request)) << method;
  }
}

TEST(MethodCondition, StarIsNotAWildcard) {
  const auto rules = one_rule({request_method({"OPTIONS"})});
  TestRequest request;
  request.method = "OPTIONS";
  EXPECT_TRUE(matches(rules, request));  // the CORS preflight exemption (spec 7.8)
  request.method = "*";
  EXPECT_FALSE(matches(rules, request));
}

TEST(MethodCondition, CompileErrors) {
  EXPECT_EQ(errors_of(request_method({})),
            std::vector<std::string>{"http-request-method: no values"});
  EXPECT_EQ(errors_of(request_method({""})),
            std::vector<std::string>{"http-request-method: empty value"});
}

// ---- query-string ------------------------------------------------------------------

TestRequest with_query(std::string query) {
  TestRequest request;
  request.query = std::move(query);
  return request;
}

bool query_matches(const ListenerRules& rules, std::string query) {
  auto request = with_query(std::move(query));
  return matches(rules, request);
}

TEST(QueryStringCondition, AlbDocumentationExample) {
  // "version=v1" or any key set to "example".
  const auto rules = one_rule(
      {query_string({{.key = "version", .value = "v1"}, {.key = {}, .value = "example"}})});
  EXPECT_TRUE(query_matches(rules, "version=v1"));
  EXPECT_TRUE(query_matches(rules, "a=b&VERSION=V1"));  // keys and values case-insensitive
  EXPECT_TRUE(query_matches(rules, "q=example"));
  EXPECT_TRUE(query_matches(rules, "=example"));
  EXPECT_FALSE(query_matches(rules, "version=v2"));
  EXPECT_FALSE(query_matches(rules, "xversion=v1"));
  EXPECT_FALSE(query_matches(rules, "version=v1x"));
  EXPECT_FALSE(query_matches(rules, "q=examples"));
  EXPECT_FALSE(query_matches(rules, ""));
  EXPECT_FALSE(query_matches(rules, "v1"));  // a key alone, no value
}

struct QueryCase {
  std::optional<std::string> key;  // the condition's one pair
  std::string value;
  std::string query;  // the request's
  bool matches;
};

const QueryCase kQueryCases[] = {
    // Key and value must match the same parameter.
    {"a", "1", "b=2&a=1", true},
    {"a", "1", "a=2&b=1", false},
    // Parameters are percent-decoded once; `+` is not a space.
    {"name", "a b", "na%6De=a%20b", true},
    {"name", "a b", "name=A%20B", true},
    {"name", "a b", "name=a+b", false},
    {"name", "a b", "name=a%2520b", false},
    // Escaped wildcards match literally, encoded or not.
    {{}, R"(\*)", "q=*", true},
    {{}, R"(\*)", "q=%2A", true},
    {{}, R"(\*)", "q=x", false},
    {"q", "*", "q=anything", true},
    {"q", "*", "q=", true},
    {"q", "*", "q", true},  // the flag form: a key with an empty value
    {"q", "*", "r=1", false},
    // Keys take wildcards too.
    {"utm_*", "?*", "utm_source=mail", true},
    {"utm_*", "?*", "utm_source=", false},
    {"utm_*", "?*", "source=mail", false},
    // A parameter that decodes to a control character is invisible.
    {"a", "*", "a=%00", false},
    {"a", "*", "a=x%0Ay", false},
    {"a", "*", "a=%00&a=ok", true},
};

TEST(QueryStringCondition, MatchesDecodedParameters) {
  for (const QueryCase& c : kQueryCases) {
    const auto rules = one_rule({query_string({{.key = c.key, .value = c.value}})});
    EXPECT_EQ(query_matches(rules, c.query), c.matches)
        << c.key.value_or("(any key)") << "=" << c.value << " vs " << c.query;
  }
}

TEST(QueryStringCondition, SeveralConditionsAreAnded) {
  const auto rules = one_rule(
      {query_string({{.key = "a", .value = "1"}}), query_string({{.key = "b", .value = "2"}})});
  EXPECT_TRUE(query_matches(rules, "b=2&a=1"));
  EXPECT_FALSE(query_matches(rules, "a=1"));
}

TEST(QueryStringCondition, HostileQueriesStayBounded) {
  const auto rules = one_rule({query_string({{.key = "*a*a*b", .value = "*a*a*b"},
                                             {.key = {}, .value = "*%*"},
                                             {.key = "k", .value = "v"}})});
  std::string query;
  while (query.size() < 16 * 1024) query += "aaaaaaaaaaaaaaa%41=aaaaaaaaaaaaaaa&";
  const auto start = std::chrono::steady_clock::now();
  EXPECT_FALSE(query_matches(rules, query));
  EXPECT_TRUE(query_matches(rules, query + "k=v"));
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(2));
}

TEST(QueryStringCondition, CompileErrors) {
  EXPECT_EQ(errors_of(query_string({})), std::vector<std::string>{"query-string: no values"});
  EXPECT_EQ(errors_of(query_string({{.key = "", .value = "v"}})),
            std::vector<std::string>{"query-string: empty value"});
  EXPECT_EQ(errors_of(query_string({{.key = {}, .value = R"(a\b)"}})),
            std::vector<std::string>{R"(query-string: "a\b": a \ must be followed by *, ? or \)"});
  config::RuleCondition mixed = query_string({{.key = {}, .value = "v"}});
  mixed.values = {"v"};
  EXPECT_EQ(errors_of(mixed),
            std::vector<std::string>{"query-string: values must be key/value pairs"});
}

// ---- source-ip ---------------------------------------------------------------------

bool from(const ListenerRules& rules, std::string peer) {
  TestRequest request;
  request.peer_ip = std::move(peer);
  return matches(rules, request);
}

TEST(SourceIpCondition, MatchesThePeerAgainstAnyBlock) {
  const auto rules = one_rule({source_ip({"192.0.2.0/24", "198.51.100.10/32", "2001:db8::/32"})});
  EXPECT_TRUE(from(rules, "192.0.2.77"));
  EXPECT_TRUE(from(rules, "198.51.100.10"));
  EXPECT_TRUE(from(rules, "2001:db8:1::5"));
  EXPECT_TRUE(from(rules, "::ffff:192.0.2.1"));  // IPv4 client on a `::` listener
  EXPECT_FALSE(from(rules, "198.51.100.11"));
  EXPECT_FALSE(from(rules, "2001:db9::1"));
  EXPECT_FALSE(from(rules, ""));
  EXPECT_FALSE(from(rules, "not-an-ip"));
}

TEST(SourceIpCondition, NeverReadsXForwardedFor) {
  const auto rules = one_rule({source_ip({"203.0.113.0/24"})});
  TestRequest request;
  request.peer_ip = "10.0.0.1";
  request.headers = {{"X-Forwarded-For", "203.0.113.9"},
                     {"X-Real-IP", "203.0.113.9"},
                     {"Forwarded", "for=203.0.113.9"}};
  EXPECT_FALSE(matches(rules, request));
  request.peer_ip = "203.0.113.9";
  request.headers.clear();
  EXPECT_TRUE(matches(rules, request));
}

TEST(SourceIpCondition, CompileErrorsNameTheValue) {
  EXPECT_EQ(errors_of(source_ip({"10.0.0.1"})),
            std::vector<std::string>{"source-ip: \"10.0.0.1\" is not in CIDR format (add /32 for "
                                     "one IPv4 address, /128 for one IPv6 address)"});
  EXPECT_EQ(errors_of(source_ip({"10.0.0.1/8", "255.255.255.255/32", "10.0.0.0/40", "x/1"})),
            (std::vector<std::string>{
                "source-ip: \"10.0.0.1/8\" has bits set after the prefix length",
                "source-ip: \"255.255.255.255/32\" is the broadcast address, which ALB refuses",
                "source-ip: \"10.0.0.0/40\" has a prefix length outside 0-32",
                "source-ip: \"x/1\" is not an IPv4 or IPv6 address with a prefix length"}));
  EXPECT_EQ(errors_of(source_ip({})), std::vector<std::string>{"source-ip: no values"});
}

// ---- all together ------------------------------------------------------------------

TEST(Conditions, EveryFieldAndedInOneRule) {
  const auto rules = one_rule({
      path_pattern({"/api/*"}),
      host_header({"*.example.com"}),
      http_header("X-Tenant", {"acme"}),
      request_method({"POST"}),
      query_string({{.key = "v", .value = "2"}}),
  });
  TestRequest request;
  request.authority = "api.example.com";
  request.path = "/api/items";
  request.method = "POST";
  request.query = "v=2";
  request.headers = {{"X-Tenant", "acme"}};
  EXPECT_TRUE(matches(rules, request));
  for (int broken = 0; broken < 5; ++broken) {
    TestRequest changed = request;
    switch (broken) {
      case 0:
        changed.path = "/web/items";
        break;
      case 1:
        changed.authority = "api.example.org";
        break;
      case 2:
        changed.headers = {{"X-Tenant", "other"}};
        break;
      case 3:
        changed.method = "GET";
        break;
      case 4:
        changed.query = "v=3";
        break;
    }
    EXPECT_FALSE(matches(rules, changed)) << broken;
  }
}

TEST(Conditions, SourceIpAndAPathTogether) {
  // The article's health exemption, narrowed to a monitoring network.
  const auto rules = one_rule({path_pattern({"/status/200"}), source_ip({"10.0.0.0/8"})});
  TestRequest request;
  request.path = "/status/200";
  request.peer_ip = "10.1.1.1";
  EXPECT_TRUE(matches(rules, request));
  request.peer_ip = "192.0.2.1";
  EXPECT_FALSE(matches(rules, request));
}

TEST(Conditions, UnknownFieldIsRefused) {
  EXPECT_EQ(errors_of(condition("cookie", {"a"})),
            std::vector<std::string>{"unknown condition field \"cookie\""});
}

}  // namespace
}  // namespace gatehouse::edge
