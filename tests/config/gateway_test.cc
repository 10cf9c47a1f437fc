// Gateway: servers, ports, hosts, bind and TLS settings, one negative test per rule.
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

constexpr std::string_view kPrefix = "test.yaml:";
const std::string kResource = " resource Gateway/foo/demo: ";

// Line N of the spec snippet is line 6 + N of the file.
std::string at(int line, std::string_view message) {
  return std::string(kPrefix) + std::to_string(line) + ":" + kResource + std::string(message);
}

std::string gateway(std::string_view spec) { return istio("Gateway", spec); }

TEST(Gateway, HttpsServerWithCredentialLoads) {
  LoadResult result = load_text(gateway(R"(servers:
- port:
    number: 443
    name: https
    protocol: https
  hosts:
  - "./bookinfo.example.com"
  - "*.example.org"
  - 10.0.0.1
  bind: 0.0.0.0
  name: main
  tls:
    mode: SIMPLE
    credentialName: bookinfo-cert
    httpsRedirect: true
- port: {number: 80, name: http, protocol: HTTP}
  hosts: ["*"]
  tls: {httpsRedirect: true, mode: PASSTHROUGH})"));
  ASSERT_EQ(error_strings(result), std::vector<std::string>{});
  const GatewayServer& https = result.snapshot.gateways[0].servers[0];
  EXPECT_EQ(https.protocol, "HTTPS");
  EXPECT_EQ(https.port, 443u);
  EXPECT_EQ(https.hosts.size(), 3u);
  EXPECT_EQ(https.bind, "0.0.0.0");
  EXPECT_EQ(https.name, "main");
  EXPECT_EQ(https.tls_mode, "SIMPLE");
  EXPECT_EQ(https.credential_name, "bookinfo-cert");
  EXPECT_TRUE(https.https_redirect);
  const GatewayServer& http = result.snapshot.gateways[0].servers[1];
  EXPECT_TRUE(http.https_redirect);
  EXPECT_EQ(http.tls_mode, "");
}

TEST(Gateway, ServersAreRequired) {
  expect_error(gateway("selector: {istio: ingressgateway}"),
               at(6, "spec: missing required field \"servers\""));
  expect_error(gateway("servers: []"),
               at(7, "spec.servers: gateway must have at least one server"));
}

TEST(Gateway, SelectorLabelsAreChecked) {
  expect_errors(gateway("selector: {istio: \"bad value\"}\nservers: []"),
                {at(7,
                    "spec.selector.istio: invalid label value \"bad value\": must be at most 63 "
                    "characters of letters, digits, '-', '_' and '.', starting and ending with "
                    "a letter or digit"),
                 at(8, "spec.servers: gateway must have at least one server")});
}

TEST(Gateway, PortIsRequired) {
  expect_error(gateway("servers:\n- hosts: ['*']"),
               at(8, "spec.servers[0]: missing required field \"port\""));
}

TEST(Gateway, PortNumberMustBeInRange) {
  expect_error(gateway("servers:\n- port: {number: 0, name: http, protocol: HTTP}\n  hosts: ['*']"),
               at(8, "spec.servers[0].port.number: must be between 1 and 65535, got 0"));
}

TEST(Gateway, ProtocolMustBeKnown) {
  expect_error(gateway("servers:\n- port: {number: 80, name: http, protocol: HTTPX}\n"
                       "  hosts: ['*']"),
               at(8,
                  "spec.servers[0].port.protocol: invalid protocol \"HTTPX\", supported "
                  "protocols are HTTP, HTTPS, HTTP2, GRPC, GRPC-WEB, MONGO, REDIS, MYSQL, TCP, "
                  "TLS (did you mean \"HTTP\"?)"));
}

TEST(Gateway, NonHttpProtocolsAreNotSupportedYet) {
  expect_error(gateway("servers:\n- port: {number: 31400, name: tcp, protocol: TCP}\n"
                       "  hosts: ['*']"),
               at(8,
                  "spec.servers[0].port.protocol: protocol TCP is not supported by gatehouse "
                  "yet (Gateway servers speak HTTP or HTTPS)"));
}

TEST(Gateway, PortNameIsRequired) {
  expect_error(gateway("servers:\n- port: {number: 80, protocol: HTTP}\n  hosts: ['*']"),
               at(8, "spec.servers[0].port: missing required field \"name\""));
}

TEST(Gateway, TargetPortIsRefused) {
  expect_error(
      gateway("servers:\n- port: {number: 80, name: http, protocol: HTTP, targetPort: 8080}"
              "\n  hosts: ['*']"),
      at(8, "spec.servers[0].port.targetPort: targetPort has no impact on Gateways"));
}

TEST(Gateway, HostsAreRequired) {
  expect_error(gateway("servers:\n- port: {number: 80, name: http, protocol: HTTP}"),
               at(8, "spec.servers[0]: missing required field \"hosts\""));
  expect_error(gateway("servers:\n- port: {number: 80, name: http, protocol: HTTP}\n  hosts: []"),
               at(9, "spec.servers[0].hosts: server config must contain at least one host"));
}

TEST(Gateway, HostsMustBeNamespaceSlashDnsName) {
  expect_errors(gateway("servers:\n- port: {number: 80, name: http, protocol: HTTP}\n  hosts:\n"
                        "  - httpbin\n  - '*httpbin.example.com'\n  - 'bad ns/a.example.com'"),
                {at(10,
                    "spec.servers[0].hosts[0]: invalid host \"httpbin\": short names (non "
                    "FQDN) are not allowed"),
                 at(11,
                    "spec.servers[0].hosts[1]: invalid host \"*httpbin.example.com\": a "
                    "wildcard is only allowed as the whole left-most label, as in "
                    "\"*.example.com\""),
                 at(12,
                    "spec.servers[0].hosts[2]: invalid host \"bad ns/a.example.com\": invalid "
                    "namespace \"bad ns\"")});
}

TEST(Gateway, BindMustBeAnIpAddress) {
  expect_errors(gateway("servers:\n- port: {number: 80, name: http, protocol: HTTP}\n"
                        "  hosts: ['*']\n  bind: localhost\n"
                        "- port: {number: 81, name: http2, protocol: HTTP}\n"
                        "  hosts: ['*']\n  bind: unix:///var/run/gw.sock"),
                {at(10, "spec.servers[0].bind: \"localhost\" is not a valid IP address"),
                 at(13,
                    "spec.servers[1].bind: binding to a unix domain socket is not supported "
                    "by gatehouse yet")});
}

TEST(Gateway, DefaultEndpointIsNotSupported) {
  expect_error(gateway("servers:\n- port: {number: 80, name: http, protocol: HTTP}\n"
                       "  hosts: ['*']\n  defaultEndpoint: 127.0.0.1:8080"),
               at(10,
                  "spec.servers[0]: field \"defaultEndpoint\" is not supported by gatehouse "
                  "yet"));
}

TEST(Gateway, PortNamesMustBeUnique) {
  expect_error(gateway("servers:\n- port: {number: 80, name: http, protocol: HTTP}\n"
                       "  hosts: ['*']\n- port: {number: 81, name: http, protocol: HTTP}\n"
                       "  hosts: ['*']"),
               at(10,
                  "spec.servers[1]: port names in servers must be unique: duplicate name "
                  "\"http\""));
}

TEST(GatewayTls, HttpsNeedsTlsSettings) {
  expect_error(gateway("servers:\n- port: {number: 443, name: https, protocol: HTTPS}\n"
                       "  hosts: ['*']"),
               at(8, "spec.servers[0]: server must have TLS settings for HTTPS/TLS protocols"));
}

TEST(GatewayTls, PlainHttpCannotHaveTlsSettings) {
  expect_error(gateway("servers:\n- port: {number: 80, name: http, protocol: HTTP}\n"
                       "  hosts: ['*']\n  tls: {mode: SIMPLE, credentialName: cert}"),
               at(10,
                  "spec.servers[0].tls: server cannot have TLS settings for plain text HTTP "
                  "ports"));
}

TEST(GatewayTls, OnlySimpleModeIsSupported) {
  expect_error(gateway("servers:\n- port: {number: 443, name: https, protocol: HTTPS}\n"
                       "  hosts: ['*']\n  tls:\n    mode: MUTUAL\n    credentialName: cert"),
               at(11,
                  "spec.servers[0].tls.mode: tls mode MUTUAL is not supported by gatehouse "
                  "yet (HTTPS servers use SIMPLE)"));
  expect_error(gateway("servers:\n- port: {number: 443, name: https, protocol: HTTPS}\n"
                       "  hosts: ['*']\n  tls:\n    credentialName: cert"),
               at(10,
                  "spec.servers[0].tls: tls mode PASSTHROUGH is not supported by gatehouse "
                  "yet (HTTPS servers use SIMPLE)"));
}

TEST(GatewayTls, ModeMustBeKnown) {
  expect_error(gateway("servers:\n- port: {number: 443, name: https, protocol: HTTPS}\n"
                       "  hosts: ['*']\n  tls: {mode: SIMPEL, credentialName: cert}"),
               at(10,
                  "spec.servers[0].tls.mode: invalid value \"SIMPEL\", expected one of "
                  "PASSTHROUGH, SIMPLE, MUTUAL, AUTO_PASSTHROUGH, ISTIO_MUTUAL, "
                  "OPTIONAL_MUTUAL (did you mean \"SIMPLE\"?)"));
}

TEST(GatewayTls, SimpleNeedsCredentialName) {
  expect_error(gateway("servers:\n- port: {number: 443, name: https, protocol: HTTPS}\n"
                       "  hosts: ['*']\n  tls: {mode: SIMPLE}"),
               at(10, "spec.servers[0].tls: SIMPLE TLS requires credentialName"));
}

TEST(GatewayTls, OtherCertificateSourcesAndTuningAreRefused) {
  expect_errors(gateway("servers:\n- port: {number: 443, name: https, protocol: HTTPS}\n"
                        "  hosts: ['*']\n  tls:\n    mode: SIMPLE\n    credentialName: cert\n"
                        "    minProtocolVersion: TLSV1_2\n    serverCertificate: /etc/cert.pem"),
                {at(14,
                    "spec.servers[0].tls: field \"serverCertificate\" is not supported by "
                    "gatehouse yet"),
                 at(13,
                    "spec.servers[0].tls: field \"minProtocolVersion\" is not supported by "
                    "gatehouse yet")});
}

}  // namespace
}  // namespace gatehouse::config
