// MeshConfig extensionProviders: the envoyExtAuthzHttp fields, Istio's defaults and
// validation, the provider kinds gatehouse refuses, and CUSTOM policies naming providers.
#include <gtest/gtest.h>

#include "config/loader.h"
#include "test_support.h"

namespace gatehouse::config {
namespace {

using testing::error_strings;
using testing::expect_error;
using testing::expect_errors;
using testing::expect_ok;
using testing::load_text;

// Line N of the spec snippet is line 6 + N of the file.
std::string at(int line, std::string_view message) {
  return "test.yaml:" + std::to_string(line) +
         ": resource MeshConfig/foo/mesh: " + std::string(message);
}

std::string mesh(std::string_view spec) { return testing::gatehouse("MeshConfig", spec, "mesh"); }

// One provider named authz whose envoyExtAuthzHttp block holds `fields` (lines 10 on).
std::string provider(std::string_view fields) {
  return mesh("extensionProviders:\n- name: authz\n  envoyExtAuthzHttp:\n" +
              testing::indent(fields, 4));
}

const std::string kService = "service: ext-authz.foo.svc.cluster.local\nport: 8000\n";

ExtAuthzHttpProvider only_provider(const std::string& text) {
  LoadResult result = load_text(text);
  EXPECT_EQ(error_strings(result), std::vector<std::string>{});
  if (result.snapshot.mesh.extension_providers.size() != 1) {
    ADD_FAILURE() << "expected one extension provider";
    return {};
  }
  return result.snapshot.mesh.extension_providers[0];
}

TEST(ExtensionProvider, EveryFieldIsDecoded) {
  ExtAuthzHttpProvider loaded = only_provider(provider(R"(service: foo/Ext-Authz.Example.COM
port: 9000
timeout: 250ms
pathPrefix: /check
failOpen: true
statusOnError: "503"
includeRequestHeadersInCheck: [X-Ext-Authz, "x-b3-*"]
includeAdditionalHeadersInCheck: {X-Source: gatehouse}
headersToUpstreamOnAllow: [X-User, "*-id"]
headersToDownstreamOnDeny: [Set-Cookie]
headersToDownstreamOnAllow: [X-Debug])"));
  EXPECT_EQ(loaded.name, "authz");
  EXPECT_EQ(loaded.where.line, 8);
  EXPECT_EQ(loaded.service, "foo/ext-authz.example.com");
  EXPECT_EQ(loaded.port, 9000u);
  EXPECT_EQ(loaded.timeout, Millis(250));
  EXPECT_EQ(loaded.path_prefix, "/check");
  EXPECT_TRUE(loaded.fail_open);
  EXPECT_EQ(loaded.status_on_error, 503u);
  EXPECT_EQ(loaded.include_request_headers_in_check,
            (std::vector<std::string>{"x-ext-authz", "x-b3-*"}));
  EXPECT_EQ(loaded.include_additional_headers_in_check,
            (std::vector<std::pair<std::string, std::string>>{{"x-source", "gatehouse"}}));
  EXPECT_EQ(loaded.headers_to_upstream_on_allow, (std::vector<std::string>{"x-user", "*-id"}));
  EXPECT_EQ(loaded.headers_to_downstream_on_deny, std::vector<std::string>{"set-cookie"});
  EXPECT_EQ(loaded.headers_to_downstream_on_allow, std::vector<std::string>{"x-debug"});
}

TEST(ExtensionProvider, DefaultsAreIstios) {
  ExtAuthzHttpProvider loaded = only_provider(provider(kService));
  EXPECT_EQ(loaded.timeout, Millis(600000));
  EXPECT_EQ(loaded.path_prefix, "");
  EXPECT_FALSE(loaded.fail_open);
  EXPECT_EQ(loaded.status_on_error, 403u);
  EXPECT_TRUE(loaded.include_request_headers_in_check.empty());
  EXPECT_TRUE(loaded.include_additional_headers_in_check.empty());
  EXPECT_TRUE(loaded.headers_to_upstream_on_allow.empty());
  EXPECT_TRUE(loaded.headers_to_downstream_on_deny.empty());
  EXPECT_TRUE(loaded.headers_to_downstream_on_allow.empty());
  EXPECT_TRUE(load_text(mesh("{}")).snapshot.mesh.extension_providers.empty());
}

TEST(ExtensionProvider, ServiceAndPortAreRequired) {
  expect_errors(provider("timeout: 1s"),
                {at(9,
                    "spec.extensionProviders[0].envoyExtAuthzHttp: missing required field "
                    "\"service\""),
                 at(9,
                    "spec.extensionProviders[0].envoyExtAuthzHttp: missing required field "
                    "\"port\"")});
  expect_error(provider("service: a.example.com\nport: 0"),
               at(11,
                  "spec.extensionProviders[0].envoyExtAuthzHttp.port: must be between 1 and "
                  "65535, got 0"));
}

TEST(ExtensionProvider, ServiceIsAHostOptionallyAfterANamespace) {
  for (std::string_view service : {"*.example.com", "a/b/c", "Foo_/a.example.com", "a..b"}) {
    expect_error(provider("service: \"" + std::string(service) + "\"\nport: 80"),
                 at(10,
                    "spec.extensionProviders[0].envoyExtAuthzHttp.service: invalid service "
                    "\"" +
                        std::string(service) + "\": expected [<namespace>/]<hostname>"));
  }
  EXPECT_EQ(only_provider(provider("service: 10.0.0.7\nport: 80")).service, "10.0.0.7");
  EXPECT_EQ(only_provider(provider("service: ext-authz\nport: 80")).service, "ext-authz");
}

TEST(ExtensionProvider, PathPrefixStartsWithASlash) {
  expect_error(provider(kService + "pathPrefix: check"),
               at(12,
                  "spec.extensionProviders[0].envoyExtAuthzHttp.pathPrefix: pathPrefix must "
                  "begin with '/', got \"check\""));
  expect_error(provider(kService + "pathPrefix: /a%zz"),
               at(12,
                  "spec.extensionProviders[0].envoyExtAuthzHttp.pathPrefix: invalid "
                  "pathPrefix \"/a%zz\""));
}

TEST(ExtensionProvider, StatusOnErrorIsAStatusEnvoyKnows) {
  expect_error(provider(kService + "statusOnError: \"299\""),
               at(12,
                  "spec.extensionProviders[0].envoyExtAuthzHttp.statusOnError: unsupported "
                  "statusOnError 299 (not an HTTP status Envoy knows)"));
  expect_error(provider(kService + "statusOnError: Forbidden"),
               at(12,
                  "spec.extensionProviders[0].envoyExtAuthzHttp.statusOnError: expected an "
                  "integer, got \"Forbidden\""));
  EXPECT_EQ(only_provider(provider(kService + "statusOnError: 500")).status_on_error, 500u);
}

TEST(ExtensionProvider, DeprecatedIncludeHeadersInCheckIsTheSameList) {
  EXPECT_EQ(only_provider(provider(kService + "includeHeadersInCheck: [X-A]"))
                .include_request_headers_in_check,
            std::vector<std::string>{"x-a"});
  expect_error(provider(kService + "includeHeadersInCheck: [a]\nincludeRequestHeadersInCheck: [b]"),
               at(12,
                  "spec.extensionProviders[0].envoyExtAuthzHttp.includeHeadersInCheck: set "
                  "only includeRequestHeadersInCheck (includeHeadersInCheck is its deprecated "
                  "name)"));
}

TEST(ExtensionProvider, AdditionalHeadersMustBeSendable) {
  expect_errors(
      provider(kService + "includeAdditionalHeadersInCheck: {\"a b\": x, x-ok: \"bad\\u0001\"}"),
      {at(12,
          "spec.extensionProviders[0].envoyExtAuthzHttp.includeAdditionalHeadersInCheck.a b: "
          "header name \"a b\" is not a valid header name"),
       at(12,
          "spec.extensionProviders[0].envoyExtAuthzHttp.includeAdditionalHeadersInCheck."
          "x-ok: header value \"bad\\x01\" is invalid")});
}

TEST(ExtensionProvider, RequestBodyIsNotSupportedYet) {
  expect_error(provider(kService + "includeRequestBodyInCheck: {maxRequestBytes: 100}"),
               at(12,
                  "spec.extensionProviders[0].envoyExtAuthzHttp: field "
                  "\"includeRequestBodyInCheck\" is not supported by gatehouse yet"));
}

TEST(ExtensionProvider, NamesAreRequiredAndUnique) {
  expect_errors(mesh("extensionProviders:\n- envoyExtAuthzHttp: {service: a, port: 1}\n"
                     "- {name: \"\", envoyExtAuthzHttp: {service: a, port: 1}}\n"
                     "- {name: x, envoyExtAuthzHttp: {service: a, port: 1}}\n"
                     "- {name: x, envoyExtAuthzHttp: {service: a, port: 1}}\n- ~"),
                {at(8, "spec.extensionProviders[0]: missing required field \"name\""),
                 at(9,
                    "spec.extensionProviders[1].name: extension provider name must not be "
                    "empty"),
                 at(11,
                    "spec.extensionProviders[3].name: duplicate extension provider name "
                    "\"x\""),
                 at(12, "spec.extensionProviders[4]: must not be null")});
}

TEST(ExtensionProvider, OtherKindsAreNotSupportedYet) {
  expect_error(mesh("extensionProviders:\n- name: grpc\n  envoyExtAuthzGrpc: {service: a, port: "
                    "9000}"),
               at(9,
                  "spec.extensionProviders[0].envoyExtAuthzGrpc: extension provider kind "
                  "envoyExtAuthzGrpc is not supported by gatehouse yet (only "
                  "envoyExtAuthzHttp)"));
  expect_error(mesh("extensionProviders:\n- name: a"),
               at(8,
                  "spec.extensionProviders[0]: an extension provider needs a kind, such as "
                  "envoyExtAuthzHttp"));
  expect_errors(mesh("extensionProviders:\n- name: a\n  envoyExtAuthzHttp: {service: a, port: 1}"
                     "\n  zipkin: {service: z, port: 9411}"),
                {at(10,
                    "spec.extensionProviders[0].zipkin: extension provider kind zipkin is "
                    "not supported by gatehouse yet (only envoyExtAuthzHttp)"),
                 at(8,
                    "spec.extensionProviders[0]: an extension provider has exactly one "
                    "kind")});
}

TEST(ExtensionProvider, MisspeltFieldSuggestsTheRightOne) {
  expect_error(provider(kService + "headersToUpstreamOnAlow: [a]"),
               at(12,
                  "spec.extensionProviders[0].envoyExtAuthzHttp: unknown field "
                  "\"headersToUpstreamOnAlow\" (did you mean \"headersToUpstreamOnAllow\"?)"));
  expect_error(mesh("extensionProvider: []"),
               at(7,
                  "spec: unknown field \"extensionProvider\" (did you mean "
                  "\"extensionProviders\"?)"));
}

// A CUSTOM policy names its provider; an unknown one is found after every file is read.
TEST(ExtensionProvider, CustomPoliciesMustNameAProvider) {
  std::string policy = testing::security("AuthorizationPolicy",
                                         "action: CUSTOM\nprovider:\n  name: ext-authz\n"
                                         "rules: [{}]",
                                         "custom");
  std::string declared =
      mesh("extensionProviders:\n- name: ext-authz\n  envoyExtAuthzHttp: {service: a, port: 1}");
  expect_ok(policy + "---\n" + declared);
  expect_error(policy + "---\n" +
                   mesh("extensionProviders:\n- name: ext-authx\n  envoyExtAuthzHttp: {service: "
                        "a, port: 1}"),
               "test.yaml:9: resource AuthorizationPolicy/foo/custom: MeshConfig extension "
               "provider \"ext-authz\" not found (did you mean \"ext-authx\"?)");
  expect_error(policy,
               "test.yaml:9: resource AuthorizationPolicy/foo/custom: MeshConfig "
               "extension provider \"ext-authz\" not found");
}

}  // namespace
}  // namespace gatehouse::config

namespace gatehouse::config {
namespace {

TEST(ExplainDecisions, OffByDefault) {
  LoadResult result = load_text(mesh("rootNamespace: istio-system\n"));
  EXPECT_EQ(error_strings(result), std::vector<std::string>{});
  EXPECT_EQ(result.snapshot.mesh.explain_decisions.header, "x-gatehouse-authz");
  EXPECT_TRUE(result.snapshot.mesh.explain_decisions.trusted_sources.empty());
}

TEST(ExplainDecisions, HeaderAndTrustedSourcesAreRead) {
  LoadResult result = load_text(mesh(
      "explainDecisions:\n  header: X-Why\n  trustedSources: [127.0.0.1, 10.0.0.0/8, \"::1\"]\n"));
  EXPECT_EQ(error_strings(result), std::vector<std::string>{});
  const auto& explain = result.snapshot.mesh.explain_decisions;
  EXPECT_EQ(explain.header, "x-why");
  EXPECT_EQ(explain.trusted_sources, (std::vector<std::string>{"127.0.0.1", "10.0.0.0/8", "::1"}));
}

TEST(ExplainDecisions, BadValuesAreLocated) {
  expect_errors(mesh("explainDecisions:\n  header: \"x why\"\n  trustedSources: [10.0.0.0/33, "
                     "example.com]\n  trusted: []\n"),
                {at(10,
                    "spec.explainDecisions: unknown field \"trusted\" (did you mean "
                    "\"trustedSources\"?)"),
                 at(8, "spec.explainDecisions.header: invalid header name \"x why\""),
                 at(9,
                    "spec.explainDecisions.trustedSources[0]: invalid IP address or CIDR "
                    "\"10.0.0.0/33\""),
                 at(9,
                    "spec.explainDecisions.trustedSources[1]: invalid IP address or CIDR "
                    "\"example.com\"")});
}

}  // namespace
}  // namespace gatehouse::config
