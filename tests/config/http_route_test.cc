// VirtualService HTTP routes: actions, destinations and weights, redirect, direct response,
// rewrite, timeout, retries and header operations.
#include <gtest/gtest.h>

#include "config/loader.h"
#include "test_support.h"

namespace gatehouse::config {
namespace {

using testing::error_strings;
using testing::expect_error;
using testing::expect_errors;
using testing::istio;
using testing::load_text;

std::string at(int line, std::string_view message) {
  return testing::error_at("VirtualService", line, message);
}

// One HTTP route whose body starts at line 9 of the file (`- ` is on line 9).
std::string route(std::string_view body) {
  return istio("VirtualService", "hosts: [httpbin.example.com]\nhttp:\n" + std::string(body));
}

constexpr std::string_view kDestination = "  route:\n  - destination: {host: httpbin}";

const HttpRoute& first_route(const LoadResult& result) {
  return result.snapshot.virtual_services.at(0).http.at(0);
}

TEST(HttpRoute, NeedsExactlyOneAction) {
  expect_error(route("- name: nothing"),
               at(9,
                  "spec.http[0]: an HTTP route needs exactly one of route, redirect or "
                  "directResponse"));
  expect_error(route("- redirect: {uri: /x}\n" + std::string(kDestination)),
               at(9,
                  "spec.http[0]: an HTTP route needs exactly one of route, redirect or "
                  "directResponse"));
}

TEST(HttpRoute, RewriteCannotCombineWithRedirect) {
  expect_error(route("- redirect: {uri: /x}\n  rewrite: {uri: /y}"),
               at(9, "spec.http[0]: rewrite cannot be combined with redirect or directResponse"));
}

TEST(HttpRoute, BehaviourChangingFieldsAreRefused) {
  expect_errors(route("- fault: {abort: {httpStatus: 500}}\n  mirror: {host: shadow}\n"
                      "  corsPolicy: {allowOrigins: [{exact: a}]}\n  delegate: {name: child}\n" +
                      std::string(kDestination)),
                {at(12, "spec.http[0]: field \"delegate\" is not supported by gatehouse yet"),
                 at(9, "spec.http[0]: field \"fault\" is not supported by gatehouse yet"),
                 at(10, "spec.http[0]: field \"mirror\" is not supported by gatehouse yet"),
                 at(11, "spec.http[0]: field \"corsPolicy\" is not supported by gatehouse yet")});
}

TEST(RouteDestination, HostIsRequiredAndChecked) {
  expect_errors(route("- route:\n  - {destination: {subset: v1}, weight: 1}\n"
                      "  - {destination: {host: '*'}, weight: 1}\n"
                      "  - {destination: {host: 'a..b'}, weight: 1}"),
                {at(10, "spec.http[0].route[0].destination: missing required field \"host\""),
                 at(11, "spec.http[0].route[1].destination.host: invalid destination host *"),
                 at(12,
                    "spec.http[0].route[2].destination.host: invalid host \"a..b\": label "
                    "\"\" is invalid")});
}

TEST(RouteDestination, SubsetAndPortAreChecked) {
  expect_errors(route("- route:\n  - destination: {host: a, subset: 'v_1', port: {number: 0}}"),
                {at(10,
                    "spec.http[0].route[0].destination.subset: subset name is invalid: "
                    "\"v_1\""),
                 at(10,
                    "spec.http[0].route[0].destination.port.number: must be between 1 and "
                    "65535, got 0")});
}

TEST(RouteDestination, WeightsMustBeNonNegative) {
  expect_error(route("- route:\n  - destination: {host: a}\n    weight: -1"),
               at(11, "spec.http[0].route[0].weight: must be between 0 and 2147483647, got -1"));
}

TEST(RouteDestination, SeveralDestinationsNeedSomeWeight) {
  expect_error(route("- route:\n  - destination: {host: a}\n  - destination: {host: b}"),
               at(9,
                  "spec.http[0].route: total destination weight = 0: give at least one "
                  "destination a weight"));
}

TEST(RouteDestination, WeightsNeedNotSumTo100) {
  LoadResult result =
      load_text(route("- route:\n  - destination: {host: a}\n    weight: 1\n"
                      "  - destination: {host: b}\n    weight: 3"));
  ASSERT_EQ(error_strings(result), std::vector<std::string>{});
  EXPECT_EQ(first_route(result).route[1].weight, 3u);
}

TEST(Redirect, ReadsEveryField) {
  LoadResult result =
      load_text(route("- redirect:\n    uri: /new\n    authority: b.example.com\n"
                      "    scheme: https\n    derivePort: FROM_REQUEST_PORT\n"
                      "    redirectCode: 308"));
  ASSERT_EQ(error_strings(result), std::vector<std::string>{});
  const HttpRedirect& redirect = *first_route(result).redirect;
  EXPECT_EQ(redirect.uri, "/new");
  EXPECT_EQ(redirect.authority, "b.example.com");
  EXPECT_EQ(redirect.scheme, "https");
  EXPECT_EQ(redirect.derive_port, "FROM_REQUEST_PORT");
  EXPECT_FALSE(redirect.port.has_value());
  EXPECT_EQ(redirect.redirect_code, 308u);
}

TEST(Redirect, MustChangeSomething) {
  expect_error(route("- redirect: {redirectCode: 302}"),
               at(9,
                  "spec.http[0].redirect: redirect must specify uri, authority, scheme, port "
                  "or derivePort"));
}

TEST(Redirect, PortAndDerivePortAreExclusive) {
  expect_error(route("- redirect: {port: 8443, derivePort: FROM_PROTOCOL_DEFAULT}"),
               at(9, "spec.http[0].redirect: redirect may set only one of port and derivePort"));
}

TEST(Redirect, SchemeAndCodeAreChecked) {
  expect_errors(route("- redirect: {scheme: ftp, redirectCode: 300}"),
                {at(9,
                    "spec.http[0].redirect.scheme: invalid redirect scheme, must be \"http\" "
                    "or \"https\""),
                 at(9,
                    "spec.http[0].redirect.redirectCode: redirectCode must be one of 301, 302, "
                    "303, 307, 308, got 300")});
}

TEST(Redirect, DerivePortMustBeKnown) {
  expect_error(route("- redirect: {derivePort: FROM_REQUEST}"),
               at(9,
                  "spec.http[0].redirect.derivePort: invalid value \"FROM_REQUEST\", expected "
                  "one of FROM_PROTOCOL_DEFAULT, FROM_REQUEST_PORT (did you mean "
                  "\"FROM_REQUEST_PORT\"?)"));
}

TEST(DirectResponse, ReadsStringAndBytesBodies) {
  LoadResult result =
      load_text(route("- directResponse: {status: 503, body: {string: down}}\n"
                      "- directResponse: {status: 200, body: {bytes: aGk=}}"));
  ASSERT_EQ(error_strings(result), std::vector<std::string>{});
  const auto& http = result.snapshot.virtual_services[0].http;
  EXPECT_EQ(http[0].direct_response->status, 503u);
  EXPECT_EQ(http[0].direct_response->body, "down");
  EXPECT_EQ(http[1].direct_response->body, "hi");
}

TEST(DirectResponse, StatusIsRequiredAndInRange) {
  expect_errors(route("- directResponse: {body: {string: x}}\n- directResponse: {status: 600}"),
                {at(9, "spec.http[0].directResponse: missing required field \"status\""),
                 at(10,
                    "spec.http[1].directResponse.status: must be between 200 and 599, got "
                    "600")});
}

TEST(DirectResponse, BodyIsOneOfStringOrBytes) {
  expect_errors(route("- directResponse: {status: 200, body: {string: a, bytes: YQ==}}\n"
                      "- directResponse: {status: 200, body: {bytes: \"not base64!\"}}"),
                {at(9,
                    "spec.http[0].directResponse.body: body may set only one of string and "
                    "bytes"),
                 at(10, "spec.http[1].directResponse.body.bytes: is not valid base64")});
}

TEST(DirectResponse, BodyIsAtMostOneMegabyte) {
  expect_error(route("- directResponse:\n    status: 200\n    body: {string: " +
                     std::string(1024 * 1024 + 1, 'x') + "}"),
               at(11,
                  "spec.http[0].directResponse.body: direct response body must be at most "
                  "1MB"));
}

TEST(Rewrite, ReadsUriRegexRewrite) {
  LoadResult result =
      load_text(route("- rewrite:\n    uriRegexRewrite: {match: \"^/v1/(.*)\", "
                      "rewrite: \"/v2/\\\\1\"}\n    authority: b\n" +
                      std::string(kDestination)));
  ASSERT_EQ(error_strings(result), std::vector<std::string>{});
  const HttpRewrite& rewrite = *first_route(result).rewrite;
  EXPECT_EQ(rewrite.uri_regex_rewrite->match, "^/v1/(.*)");
  EXPECT_EQ(rewrite.uri_regex_rewrite->rewrite, "/v2/\\1");
  EXPECT_EQ(rewrite.authority, "b");
}

TEST(Rewrite, UriAndRegexAreExclusive) {
  expect_error(route("- rewrite: {uri: /a, uriRegexRewrite: {match: a, rewrite: b}}\n" +
                     std::string(kDestination)),
               at(9,
                  "spec.http[0].rewrite: rewrite may only contain one of uri or "
                  "uriRegexRewrite"));
}

TEST(Rewrite, MustRewriteSomething) {
  expect_error(route("- rewrite: {}\n" + std::string(kDestination)),
               at(9,
                  "spec.http[0].rewrite: rewrite must specify at least one of uri, "
                  "uriRegexRewrite or authority"));
}

TEST(Rewrite, RegexRewriteNeedsAValidMatchAndARewrite) {
  expect_errors(route("- rewrite: {uriRegexRewrite: {match: \"(\"}}\n" + std::string(kDestination)),
                {at(9,
                    "spec.http[0].rewrite.uriRegexRewrite.match: invalid regex \"(\": missing "
                    "): ( (Istio uses RE2 syntax: https://github.com/google/re2/wiki/Syntax)"),
                 at(9,
                    "spec.http[0].rewrite.uriRegexRewrite: missing required field "
                    "\"rewrite\"")});
}

TEST(Timeout, ReadsMilliseconds) {
  LoadResult result = load_text(route("- timeout: 1.5s\n" + std::string(kDestination)));
  ASSERT_EQ(error_strings(result), std::vector<std::string>{});
  EXPECT_EQ(first_route(result).timeout, Millis(1500));
}

TEST(Timeout, BadDurationsAreErrors) {
  expect_errors(route("- timeout: 10\n" + std::string(kDestination) + "\n- timeout: 100us\n" +
                      std::string(kDestination) + "\n- timeout: 0s\n" + std::string(kDestination)),
                {at(9,
                    "spec.http[0].timeout: expected a duration such as \"10s\", \"500ms\" or "
                    "\"1m30s\" (missing or unknown unit), got \"10\""),
                 at(12, "spec.http[1].timeout: duration must be at least 1ms, got \"100us\""),
                 at(15, "spec.http[2].timeout: duration must be at least 1ms, got \"0s\"")});
  expect_error(route("- timeout: 1500us\n" + std::string(kDestination)),
               at(9,
                  "spec.http[0].timeout: only durations in whole milliseconds are supported, "
                  "got \"1500us\""));
}

TEST(Retries, BlockReplacesIstioDefault) {
  LoadResult result =
      load_text(route("- retries: {attempts: 3, retryOn: \"5xx,503\"}\n" +
                      std::string(kDestination) + "\n- retries: {}\n" + std::string(kDestination)));
  ASSERT_EQ(error_strings(result), std::vector<std::string>{});
  const auto& http = result.snapshot.virtual_services[0].http;
  EXPECT_EQ(http[0].retries.attempts, 3u);
  EXPECT_EQ(http[0].retries.retry_on, "5xx,503");
  EXPECT_EQ(http[1].retries.attempts, 0u);  // a block without attempts disables retries
}

TEST(Retries, AttemptsMustBeNonNegative) {
  expect_error(route("- retries: {attempts: -1}\n" + std::string(kDestination)),
               at(9, "spec.http[0].retries.attempts: must be between 0 and 2147483647, got -1"));
}

TEST(Retries, TuningNeedsAttempts) {
  expect_error(route("- retries: {perTryTimeout: 2s}\n" + std::string(kDestination)),
               at(9,
                  "spec.http[0].retries: http retry policy configured when attempts are set "
                  "to 0 (disabled)"));
}

TEST(Retries, RetryOnPoliciesAreChecked) {
  expect_errors(route("- retries: {attempts: 1, retryOn: \"5xx,conect-failure,999\"}\n" +
                      std::string(kDestination)),
                {at(9,
                    "spec.http[0].retries.retryOn: \"conect-failure\" is not a valid retryOn "
                    "policy (did you mean \"connect-failure\"?)"),
                 at(9, "spec.http[0].retries.retryOn: \"999\" is not a valid retryOn policy")});
}

TEST(Retries, BackoffIsNotSupported) {
  expect_error(route("- retries: {attempts: 1, backoff: 1s}\n" + std::string(kDestination)),
               at(9, "spec.http[0].retries: field \"backoff\" is not supported by gatehouse yet"));
}

TEST(HeaderOperations, ReadsSetAddRemoveLowerCased) {
  LoadResult result =
      load_text(route("- headers:\n    request:\n      set: {X-A: \"1\", "
                      ":authority: b.example.com}\n      add: {x-b: two}\n"
                      "      remove: [X-C]\n" +
                      std::string(kDestination)));
  ASSERT_EQ(error_strings(result), std::vector<std::string>{});
  const Headers& headers = first_route(result).headers;
  EXPECT_EQ(headers.request.set, (std::vector<std::pair<std::string, std::string>>{
                                     {"x-a", "1"}, {":authority", "b.example.com"}}));
  EXPECT_EQ(headers.request.add,
            (std::vector<std::pair<std::string, std::string>>{{"x-b", "two"}}));
  EXPECT_EQ(headers.request.remove, std::vector<std::string>{"x-c"});
}

TEST(HeaderOperations, HostAndPseudoHeadersAreProtected) {
  expect_errors(
      route("- headers:\n    response:\n      set: {Host: a}\n      remove: [\":path\"]\n" +
            std::string(kDestination)),
      {at(11,
          "spec.http[0].headers.response.set.Host: invalid header \"Host\": cannot "
          "set Host header"),
       at(12,
          "spec.http[0].headers.response.remove[0]: invalid header \":path\": header "
          "cannot have \":\" prefix")});
}

TEST(HeaderOperations, NamesAndValuesAreChecked) {
  expect_errors(route("- headers:\n    request:\n      set:\n        \"a b\": x\n"
                      "        x-crlf: \"a\\r\\nInjected: 1\"\n        x-var: \"%HOSTNAME%\"\n" +
                      std::string(kDestination)),
                {at(12,
                    "spec.http[0].headers.request.set.a b: header name \"a b\" is not a valid "
                    "header name"),
                 at(13,
                    "spec.http[0].headers.request.set.x-crlf: header value "
                    "\"a\\x0d\\x0aInjected: 1\" is invalid"),
                 at(14,
                    "spec.http[0].headers.request.set.x-var: header values with % (Envoy "
                    "substitution variables) are not supported by gatehouse yet")});
}

TEST(HeaderOperations, AuthorityIsSetOnlyOnce) {
  expect_error(route("- rewrite: {authority: a.example.com}\n  headers:\n    request:\n"
                     "      set: {host: b.example.com}\n" +
                     std::string(kDestination)),
               at(9,
                  "spec.http[0]: authority header cannot be set multiple times "
                  "(rewrite.authority and headers.request)"));
}

TEST(HeaderOperations, PerDestinationHeadersAreRead) {
  LoadResult result =
      load_text(route("- route:\n  - destination: {host: a}\n    headers:\n"
                      "      response: {add: {x-from: a}}"));
  ASSERT_EQ(error_strings(result), std::vector<std::string>{});
  EXPECT_EQ(first_route(result).route[0].headers.response.add,
            (std::vector<std::pair<std::string, std::string>>{{"x-from", "a"}}));
}

}  // namespace
}  // namespace gatehouse::config
