// VirtualService: hosts, gateways, refused TCP/TLS routes, and HTTP match requests.
#include <gtest/gtest.h>

#include "config/loader.h"
#include "test_support.h"

namespace gatehouse::config {
namespace {

using testing::error_strings;
using testing::expect_error;
using testing::expect_errors;
using testing::expect_ok;
using testing::istio;
using testing::load_text;

// Line N of the spec snippet is line 6 + N of the file.
std::string at(int line, std::string_view message) {
  return testing::error_at("VirtualService", line, message);
}

std::string vs(std::string_view spec) { return istio("VirtualService", spec); }

// A route whose match list is `match` (indented as a list under `match:`): its first
// item is on line 10.
std::string with_match(std::string_view match) {
  return vs("hosts: [httpbin.example.com]\nhttp:\n- match:\n" + std::string(match) +
            "\n  route:\n  - destination: {host: httpbin}");
}

const HttpMatch& first_match(const LoadResult& result) {
  return result.snapshot.virtual_services.at(0).http.at(0).match.at(0);
}

TEST(VirtualService, HostsAreRequired) {
  expect_error(vs("http:\n- route:\n  - destination: {host: httpbin}"),
               at(6, "spec: missing required field \"hosts\""));
  expect_error(vs("hosts: []\nhttp:\n- route:\n  - destination: {host: httpbin}"),
               at(7,
                  "spec.hosts: virtual service must have at least one host (delegate "
                  "VirtualServices are not supported by gatehouse yet)"));
}

TEST(VirtualService, HostsMustBeValidNames) {
  expect_error(vs("hosts: [httpbin, 10.1.2.3, 'a_b.example.com']\nhttp:\n- route:\n"
                  "  - destination: {host: httpbin}"),
               at(7, "spec.hosts[2]: invalid host \"a_b.example.com\": label \"a_b\" is invalid"));
}

TEST(VirtualService, WildcardHostNeedsAGateway) {
  expect_error(vs("hosts: ['*']\nhttp:\n- route:\n  - destination: {host: httpbin}"),
               at(7,
                  "spec.hosts[0]: wildcard host * is not allowed for virtual services bound "
                  "to the mesh gateway"));
}

TEST(VirtualService, HostsMustNotOverlap) {
  expect_error(vs("hosts: ['*.example.com', a.Example.com]\nhttp:\n- route:\n"
                  "  - destination: {host: httpbin}"),
               at(7,
                  "spec.hosts[1]: duplicate hosts in virtual service: *.example.com & "
                  "a.example.com"));
}

TEST(VirtualService, HostsAreLowerCased) {
  LoadResult result =
      load_text(vs("hosts: [HTTPBIN.Example.com]\nhttp:\n- route:\n"
                   "  - destination: {host: HttpBin}"));
  ASSERT_TRUE(result.ok()) << error_strings(result)[0];
  EXPECT_EQ(result.snapshot.virtual_services[0].hosts[0], "httpbin.example.com");
  EXPECT_EQ(result.snapshot.virtual_services[0].http[0].route[0].destination.host, "httpbin");
}

TEST(VirtualService, TcpAndTlsRoutesAreRefused) {
  expect_errors(vs("hosts: [db.example.com]\ntcp:\n- route:\n  - destination: {host: db}\n"
                   "tls:\n- match: [{sniHosts: [db.example.com]}]"),
                {at(8, "spec.tcp: tcp routes are not supported by gatehouse (only http)"),
                 at(11, "spec.tls: tls routes are not supported by gatehouse (only http)")});
}

TEST(VirtualService, HttpRoutesAreRequired) {
  expect_error(vs("hosts: [a.example.com]"), at(6, "spec: missing required field \"http\""));
  expect_error(vs("hosts: [a.example.com]\nhttp: []"),
               at(8, "spec.http: virtual service must have at least one http route"));
}

TEST(VirtualService, ExportToIsAccepted) {
  expect_ok(
      vs("hosts: [a.example.com]\nexportTo: ['.']\nhttp:\n- route:\n"
         "  - destination: {host: a.example.com}"));
}

TEST(VirtualService, GatewayNamesResolveToNamespaceSlashName) {
  LoadResult result = load_text(
      istio("Gateway", "servers:\n- port: {number: 80, name: http, protocol: HTTP}\n  hosts: ['*']",
            "gw") +
      "---\n" +
      vs("hosts: [a.example.com]\ngateways: [gw, foo/gw, mesh]\nhttp:\n- match:\n  - gateways: "
         "[gw]\n"
         "  route:\n  - destination: {host: httpbin}"));
  ASSERT_EQ(error_strings(result), std::vector<std::string>{});
  const VirtualService& service = result.snapshot.virtual_services[0];
  EXPECT_EQ(service.gateways, (std::vector<std::string>{"foo/gw", "foo/gw", "mesh"}));
  EXPECT_EQ(service.http[0].match[0].gateways, std::vector<std::string>{"foo/gw"});
}

TEST(VirtualService, GatewayNamesMustBeWellFormed) {
  expect_errors(vs("hosts: [a.example.com]\ngateways:\n- gw.foo.svc.cluster.local\n- /gw\n"
                   "- Bad_ns/gw\n- foo/gw_1\n- gw_1\nhttp:\n- route:\n"
                   "  - destination: {host: a.example.com}"),
                {at(9,
                    "spec.gateways[0]: gateway \"gw.foo.svc.cluster.local\" uses the legacy "
                    "FQDN form; write it as \"foo/gw\""),
                 at(10, "spec.gateways[1]: config namespace and gateway name cannot be empty"),
                 at(11, "spec.gateways[2]: invalid value for namespace: \"Bad_ns\""),
                 at(12, "spec.gateways[3]: invalid value for gateway name: \"gw_1\""),
                 at(13, "spec.gateways[4]: invalid value for gateway name: \"gw_1\"")});
}

TEST(HttpMatch, ReadsEveryCondition) {
  LoadResult result = load_text(with_match(R"(  - name: api
    uri: {regex: "/api/v[0-9]+/.*"}
    scheme: {exact: https}
    method: {exact: GET}
    authority: {prefix: api.}
    headers:
      X-User: {prefix: ad}
      x-present: {}
      uri: {exact: ignored}
    withoutHeaders:
      x-debug: {exact: "1"}
    queryParams:
      v: {exact: "2"}
      flag: {}
    ignoreUriCase: true
    port: 8080
    statPrefix: api)"));
  ASSERT_EQ(error_strings(result), std::vector<std::string>{});
  const HttpMatch& match = first_match(result);
  EXPECT_EQ(match.name, "api");
  EXPECT_EQ(match.uri->kind, StringMatch::Kind::Regex);
  EXPECT_EQ(match.uri->value, "/api/v[0-9]+/.*");
  EXPECT_EQ(match.scheme->value, "https");
  EXPECT_EQ(match.method->kind, StringMatch::Kind::Exact);
  EXPECT_EQ(match.authority->kind, StringMatch::Kind::Prefix);
  ASSERT_EQ(match.headers.size(), 2u);
  EXPECT_EQ(match.headers[0].first, "x-user");
  EXPECT_EQ(match.headers[1].second.kind, StringMatch::Kind::Present);
  ASSERT_EQ(match.without_headers.size(), 1u);
  EXPECT_EQ(match.without_headers[0].second.value, "1");
  ASSERT_EQ(match.query_params.size(), 2u);
  EXPECT_EQ(match.query_params[1].first, "flag");
  EXPECT_EQ(match.query_params[1].second.kind, StringMatch::Kind::Present);
  EXPECT_TRUE(match.ignore_uri_case);
  EXPECT_EQ(match.port, 8080u);
  EXPECT_EQ(match.where.line, 10);
}

TEST(HttpMatch, UriNeedsExactlyOneKind) {
  expect_errors(with_match("  - uri: {}\n  - uri: {exact: /a, prefix: /a}"),
                {at(10, "spec.http[0].match[0].uri: set one of exact, prefix or regex"),
                 at(11, "spec.http[0].match[1].uri: set only one of exact, prefix and regex")});
}

TEST(HttpMatch, PrefixMustNotBeEmpty) {
  expect_error(with_match("  - uri: {prefix: \"\"}"),
               at(10, "spec.http[0].match[0].uri.prefix: prefix string match should not be empty"));
}

TEST(HttpMatch, RegexMustCompileWithRe2) {
  expect_errors(with_match("  - uri: {regex: \"/a(\"}\n  - uri: {regex: \"(?<=a)b\"}\n"
                           "  - uri: {regex: \"\"}"),
                {at(10,
                    "spec.http[0].match[0].uri.regex: invalid regex \"/a(\": missing ): /a( "
                    "(Istio uses RE2 syntax: https://github.com/google/re2/wiki/Syntax)"),
                 at(11,
                    "spec.http[0].match[1].uri.regex: invalid regex \"(?<=a)b\": invalid "
                    "perl operator: (?< (Istio uses RE2 syntax: "
                    "https://github.com/google/re2/wiki/Syntax)"),
                 at(12,
                    "spec.http[0].match[2].uri.regex: regex string match should not be "
                    "empty")});
}

TEST(HttpMatch, RegexLengthIsLimited) {
  expect_error(with_match("  - uri: {regex: \"" + std::string(1025, 'a') + "\"}"),
               at(10,
                  "spec.http[0].match[0].uri.regex: regex is too large, max length allowed is "
                  "1024"));
}

TEST(HttpMatch, HeaderNamesMustBeValid) {
  expect_errors(with_match("  - headers:\n      \"bad name\": {exact: x}\n"
                           "      x-null:\n      \"@request.auth.claims.groups\": {exact: a}"),
                {at(11,
                    "spec.http[0].match[0].headers.bad name: header name \"bad name\" is not "
                    "a valid header name"),
                 at(12,
                    "spec.http[0].match[0].headers.x-null: header match \"x-null\" cannot be "
                    "null"),
                 at(13,
                    "spec.http[0].match[0].headers.@request.auth.claims.groups: JWT claim "
                    "based routing (\"@request.auth.claims.groups\") is not supported by "
                    "gatehouse yet")});
}

TEST(HttpMatch, HeaderNameMustNotBeEmpty) {
  expect_error(with_match("  - headers: {\"\": {exact: x}}"),
               at(10, "spec.http[0].match[0].headers.: header name cannot be empty"));
}

TEST(HttpMatch, QueryParamsAreChecked) {
  expect_errors(with_match("  - queryParams:\n      \"\": {exact: a}\n      page:"),
                {at(11,
                    "spec.http[0].match[0].queryParams.: query parameter name cannot be "
                    "empty"),
                 at(12,
                    "spec.http[0].match[0].queryParams.page: query param match \"page\" "
                    "cannot be null")});
}

TEST(HttpMatch, HeaderMatchMustBeAMapping) {
  expect_error(with_match("  - headers:\n      x-user: jason"),
               at(11, "spec.http[0].match[0].headers.x-user: expected a mapping, got \"jason\""));
}

TEST(HttpMatch, SidecarOnlyConditionsAreRefused) {
  expect_error(with_match("  - sourceLabels: {app: web}"),
               at(10,
                  "spec.http[0].match[0]: field \"sourceLabels\" is not supported by "
                  "gatehouse yet"));
}

TEST(HttpMatch, PortAndIgnoreUriCaseAreTyped) {
  expect_errors(with_match("  - port: 70000\n    ignoreUriCase: maybe"),
                {at(11,
                    "spec.http[0].match[0].ignoreUriCase: expected true or false, got "
                    "\"maybe\""),
                 at(10, "spec.http[0].match[0].port: must be between 1 and 65535, got 70000")});
}

TEST(HttpMatch, UnknownFieldSuggestsName) {
  expect_error(with_match("  - uri: {prefix: /}\n    header: {x: {exact: y}}"),
               at(11,
                  "spec.http[0].match[0]: unknown field \"header\" (did you mean "
                  "\"headers\"?)"));
}

}  // namespace
}  // namespace gatehouse::config
