// compile() refuses configurations the router cannot honour, one test per rule.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "mesh/router.h"
#include "mesh_test_support.h"

namespace gatehouse::mesh::test {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

config::Snapshot with_routes(std::vector<config::HttpRoute> http) {
  config::Snapshot snapshot = httpbin_snapshot();
  snapshot.virtual_services[0].http = std::move(http);
  return snapshot;
}

config::HttpRoute matching(config::HttpMatch match) { return route_to("a", {std::move(match)}); }

TEST(CompileErrors, ReferenceConfigCompiles) {
  auto result = compile(httpbin_snapshot());
  EXPECT_TRUE(result.ok());
  EXPECT_NE(result.router, nullptr);
}

TEST(CompileErrors, BadRegexesInEveryMatchField) {
  config::HttpMatch in_uri = uri(regex("(unclosed"));
  config::HttpMatch in_header;
  in_header.headers.emplace_back("x-a", regex("[z-a]"));
  config::HttpMatch in_without;
  in_without.without_headers.emplace_back("x-a", regex("a**"));
  config::HttpMatch in_query;
  in_query.query_params.emplace_back("q", regex("(?P<n"));
  config::HttpMatch in_method;
  in_method.method = regex("\\");
  auto errors =
      compile_errors(with_routes({matching(in_uri), matching(in_header), matching(in_without),
                                  matching(in_query), matching(in_method)}));
  ASSERT_EQ(errors.size(), 5u);
  EXPECT_THAT(errors[0], HasSubstr("uri: invalid regex \"(unclosed\""));
  EXPECT_THAT(errors[1], HasSubstr("x-a: invalid regex"));
  EXPECT_THAT(errors[3], HasSubstr("queryParams q: invalid regex"));
  EXPECT_THAT(errors[4], HasSubstr("method: invalid regex"));
}

TEST(CompileErrors, UriRegexStarIsNotPresence) {
  EXPECT_THAT(compile_errors(with_routes({matching(uri(regex("*")))})),
              ElementsAre(HasSubstr("uri: invalid regex \"*\"")));
}

TEST(CompileErrors, OversizedRegexIsRefusedNotFatal) {
  EXPECT_THAT(compile_errors(with_routes({matching(uri(regex("((a{100}){100}){100}")))})),
              ElementsAre(HasSubstr("invalid regex")));
}

TEST(CompileErrors, BadUriRegexRewrite) {
  auto bad_regex = route_to("a");
  bad_regex.rewrite = regex_rewrite("(", "x");
  auto bad_group = route_to("a");
  bad_group.rewrite = regex_rewrite("/(a)", "\\2");
  auto both = route_to("a");
  both.rewrite = regex_rewrite("a", "b");
  both.rewrite->uri = "/x";
  EXPECT_THAT(compile_errors(with_routes({bad_regex, bad_group, both})),
              ElementsAre(HasSubstr("uriRegexRewrite: invalid regex"),
                          HasSubstr("uriRegexRewrite: bad rewrite \"\\2\""),
                          HasSubstr("both uri and uriRegexRewrite")));
}

TEST(CompileErrors, MalformedClaimKey) {
  config::HttpMatch match;
  match.headers.emplace_back("@request.auth.claimsgroups", exact("a"));
  EXPECT_THAT(compile_errors(with_routes({matching(match)})),
              ElementsAre(HasSubstr("claim keys look like")));
}

TEST(CompileErrors, UndeclaredGateways) {
  auto snapshot = httpbin_snapshot();
  snapshot.virtual_services[0].gateways = {"missing", "mesh", "bar/httpbin-gateway"};
  auto per_match = uri(prefix("/"));
  per_match.gateways = {"other/gw"};
  snapshot.virtual_services[0].http.insert(snapshot.virtual_services[0].http.begin(),
                                           matching(per_match));
  EXPECT_THAT(compile_errors(snapshot),
              ElementsAre(HasSubstr("gateway \"missing\" (foo/missing) is not declared"),
                          HasSubstr("gateway \"bar/httpbin-gateway\" (bar/httpbin-gateway)"),
                          HasSubstr("gateway \"other/gw\" (other/gw) is not declared")));
}

TEST(CompileErrors, UnknownSubsetAndUndeclaredPort) {
  auto unknown_subset = route_to("a");
  unknown_subset.route = {destination("httpbin.foo.svc.cluster.local", 8000, 0, "v9")};
  auto undeclared_port = route_to("a", {uri(prefix("/p"))});
  undeclared_port.route = {destination("httpbin.foo.svc.cluster.local", 9000)};
  EXPECT_THAT(
      compile_errors(with_routes({undeclared_port, unknown_subset})),
      ElementsAre(HasSubstr("port 9000 of httpbin.foo.svc.cluster.local is not declared by "
                            "ServiceEntry/foo/httpbin"),
                  HasSubstr("subset \"v9\" of httpbin.foo.svc.cluster.local is not defined")));
}

TEST(CompileErrors, ErrorsAreReportedOncePerRouteAcrossPorts) {
  auto snapshot = httpbin_snapshot();
  snapshot.gateways[0].servers.push_back(http_server(8080, {"*"}));
  snapshot.virtual_services[0].http[0].route[0].destination.subset = "v9";
  EXPECT_EQ(compile_errors(snapshot).size(), 1u);
}

TEST(CompileErrors, RouteActions) {
  config::HttpRoute none;
  auto two = route_to("a");
  two.direct_response = config::DirectResponse{200, "x"};
  config::HttpRoute rewrite_redirect;
  rewrite_redirect.redirect = RedirectSpec().uri("/x");
  rewrite_redirect.rewrite = uri_rewrite("/y");
  config::HttpRoute bad_status;
  bad_status.direct_response = config::DirectResponse{99, ""};
  EXPECT_THAT(compile_errors(with_routes({none, two, rewrite_redirect, bad_status})),
              ElementsAre(HasSubstr("needs exactly one of route, redirect, directResponse"),
                          HasSubstr("needs exactly one of route, redirect, directResponse"),
                          HasSubstr("rewrite needs route destinations"),
                          HasSubstr("directResponse status must be 200..599")));
}

TEST(CompileErrors, RedirectSettings) {
  config::HttpRoute not_3xx;
  not_3xx.redirect = RedirectSpec().uri("/x").code(200);
  config::HttpRoute bad_derive;
  bad_derive.redirect = RedirectSpec().derive_port("FROM_NOWHERE");
  config::HttpRoute bad_port;
  bad_port.redirect = RedirectSpec().port(70000);
  EXPECT_THAT(
      compile_errors(with_routes({not_3xx, bad_derive, bad_port})),
      ElementsAre(HasSubstr("redirectCode must be a 3xx status"), HasSubstr("derivePort must be"),
                  HasSubstr("redirect port out of range")));
}

TEST(CompileErrors, Destinations) {
  auto all_zero = route_to("a", {uri(prefix("/zero"))});
  all_zero.route = {destination("a", 80, 0), destination("b", 80, 0)};
  auto empty_host = route_to("a", {uri(prefix("/empty"))});
  empty_host.route = {destination("", 80)};
  auto big_port = route_to("a");
  big_port.route = {destination("a", 65536)};
  EXPECT_THAT(compile_errors(with_routes({all_zero, empty_host, big_port})),
              ElementsAre(HasSubstr("every destination has weight 0"),
                          HasSubstr("destination host is empty"),
                          HasSubstr("port 65536 of a.foo.svc.cluster.local is out of range")));
}

TEST(CompileErrors, Retries) {
  auto unknown = route_to("a");
  unknown.retries.retry_on = "5xx,sometimes";
  auto not_status = route_to("a");
  not_status.retries.retry_on = "700";
  EXPECT_THAT(compile_errors(with_routes({unknown, not_status})),
              ElementsAre(HasSubstr("retryOn: unknown condition \"sometimes\""),
                          HasSubstr("retryOn: 700 is no HTTP status")));
}

TEST(CompileErrors, HostPatterns) {
  auto snapshot = httpbin_snapshot();
  snapshot.virtual_services[0].hosts = {"a.*.com"};
  snapshot.gateways[0].servers[0].hosts = {"foo/*bar.com"};
  EXPECT_THAT(compile_errors(snapshot),
              ElementsAre(HasSubstr("host \"a.*.com\": '*' may only be the whole left-most label"),
                          HasSubstr("host \"foo/*bar.com\"")));
}

TEST(CompileErrors, ServiceEntryResolution) {
  auto snapshot = httpbin_snapshot();
  snapshot.service_entries[0].resolution = "MAGIC";
  EXPECT_THAT(compile_errors(snapshot), ElementsAre(HasSubstr("resolution \"MAGIC\" is not")));
}

TEST(CompileErrors, CarryLocationAndResource) {
  auto snapshot = with_routes({matching(uri(regex("(")))});
  snapshot.virtual_services[0].http[0].where = {"routes.yaml", 12};
  snapshot.virtual_services[0].http[0].match[0].where = {"routes.yaml", 14};
  auto result = compile(snapshot);
  ASSERT_EQ(result.errors.size(), 1u);
  EXPECT_EQ(result.errors[0].where.file, "routes.yaml");
  EXPECT_EQ(result.errors[0].where.line, 14);
  EXPECT_EQ(result.errors[0].resource, "VirtualService/foo/httpbin");
}

}  // namespace
}  // namespace gatehouse::mesh::test
