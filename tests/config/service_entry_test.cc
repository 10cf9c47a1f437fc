// ServiceEntry: hosts, addresses, ports, resolution rules and endpoints.
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
  return testing::error_at("ServiceEntry", line, message);
}

std::string entry(std::string_view spec) { return istio("ServiceEntry", spec); }

// Hosts on line 7, ports on 8-9; `rest` starts on line 10.
std::string with_port(std::string_view rest) {
  return entry("hosts: [api.example.com]\nports:\n- {number: 8000, name: http, protocol: HTTP}\n" +
               std::string(rest));
}

TEST(ServiceEntry, DnsEndpointsAndSelectorLoad) {
  LoadResult result =
      load_text(with_port("resolution: DNS\nendpoints:\n- address: backend.internal.example.com\n"
                          "  ports: {http: 8080}\n  weight: 3\n  network: n1\n  locality: us/east\n"
                          "- address: 10.0.0.7") +
                "---\n" +
                istio("ServiceEntry",
                      "hosts: [b.example.com]\nworkloadSelector:\n"
                      "  labels: {app: b}",
                      "selected"));
  ASSERT_EQ(error_strings(result), std::vector<std::string>{});
  const ServiceEntry& dns = result.snapshot.service_entries[0];
  EXPECT_EQ(dns.resolution, "DNS");
  EXPECT_EQ(dns.location, "MESH_EXTERNAL");
  ASSERT_EQ(dns.endpoints.size(), 2u);
  EXPECT_EQ(dns.endpoints[0].ports.at("http"), 8080u);
  EXPECT_EQ(dns.endpoints[0].weight, 3u);
  EXPECT_EQ(result.snapshot.service_entries[1].workload_selector, (Labels{{"app", "b"}}));
}

TEST(ServiceEntry, HostsAreRequiredAndChecked) {
  expect_error(entry("resolution: NONE"), at(6, "spec: missing required field \"hosts\""));
  expect_error(entry("hosts: []"), at(7, "spec.hosts: service entry must have at least one host"));
  expect_errors(entry("hosts: ['*', 'a b']"),
                {at(7, "spec.hosts[0]: invalid host *"),
                 at(7, "spec.hosts[1]: invalid host \"a b\": label \"a b\" is invalid")});
}

TEST(ServiceEntry, AddressesMustBeIpsOrCidrs) {
  expect_errors(entry("hosts: [a.example.com]\nresolution: DNS\naddresses: [10.0.0.0/8, a.b]"),
                {at(9,
                    "spec.addresses[0]: CIDR addresses are allowed only for NONE/STATIC "
                    "resolution types"),
                 at(9, "spec.addresses[1]: \"a.b\" is not a valid IP address or CIDR block")});
}

TEST(ServiceEntry, PortsAreChecked) {
  expect_errors(entry("hosts: [a.example.com]\nports:\n- {number: 80}\n"
                      "- {number: 81, name: 'bad name', protocol: SMTP, targetPort: 0}"),
                {at(9, "spec.ports[0]: missing required field \"protocol\""),
                 at(9, "spec.ports[0]: missing required field \"name\""),
                 at(10,
                    "spec.ports[1].protocol: invalid protocol \"SMTP\", supported protocols "
                    "are HTTP, HTTPS, HTTP2, GRPC, GRPC-WEB, MONGO, REDIS, MYSQL, TCP, TLS"),
                 at(10, "spec.ports[1].name: invalid port name \"bad name\""),
                 at(10, "spec.ports[1].targetPort: must be between 1 and 65535, got 0")});
}

TEST(ServiceEntry, PortNamesAndNumbersAreUnique) {
  expect_errors(with_port("- {number: 8000, name: other, protocol: HTTP}\n"
                          "- {number: 9000, name: http, protocol: HTTP}"),
                {at(10, "spec.ports[1]: service entry port 8000 already defined"),
                 at(11, "spec.ports[2]: service entry port name \"http\" already defined")});
}

TEST(ServiceEntry, LocationAndResolutionAreEnums) {
  expect_errors(entry("hosts: [a.example.com]\nlocation: EXTERNAL\nresolution: static"),
                {at(8,
                    "spec.location: invalid value \"EXTERNAL\", expected one of "
                    "MESH_EXTERNAL, MESH_INTERNAL"),
                 at(9,
                    "spec.resolution: invalid value \"static\", expected one of NONE, STATIC, "
                    "DNS, DNS_ROUND_ROBIN (did you mean \"STATIC\"?)")});
}

TEST(ServiceEntry, ResolutionNoneTakesNoEndpoints) {
  expect_error(with_port("endpoints:\n- address: 10.0.0.1"),
               at(6, "spec: no endpoints should be provided for resolution type NONE"));
}

TEST(ServiceEntry, StaticEndpointsAreIpAddressesWithKnownPorts) {
  expect_errors(with_port("resolution: STATIC\nendpoints:\n- address: backend.example.com\n"
                          "- address: 10.0.0.1\n  ports: {grpc: 9000}\n"
                          "- address: unix:///var/run/app.sock"),
                {at(12,
                    "spec.endpoints[0]: endpoint address \"backend.example.com\" is not a "
                    "valid IP address"),
                 at(13,
                    "spec.endpoints[1]: endpoint port \"grpc\" is not defined by the service "
                    "entry"),
                 at(15,
                    "spec.endpoints[2]: unix domain socket endpoints are not supported by "
                    "gatehouse yet")});
}

TEST(ServiceEntry, DnsEndpointsAreNamesOrIps) {
  expect_error(with_port("resolution: DNS\nendpoints:\n- address: '*.example.com'"),
               at(12,
                  "spec.endpoints[0]: endpoint address \"*.example.com\" is not a valid FQDN "
                  "or an IP address"));
}

TEST(ServiceEntry, DnsWithoutEndpointsNeedsConcreteHosts) {
  expect_error(entry("hosts: ['*.example.com']\nresolution: DNS"),
               at(6,
                  "spec: hosts must be fully qualified for DNS resolution without endpoints, "
                  "got \"*.example.com\""));
}

TEST(ServiceEntry, DnsRoundRobinTakesAtMostOneEndpoint) {
  expect_error(with_port("resolution: DNS_ROUND_ROBIN\nendpoints:\n- address: a.example.com\n"
                         "- address: b.example.com"),
               at(6,
                  "spec: there must only be 0 or 1 endpoint for resolution type "
                  "DNS_ROUND_ROBIN"));
}

TEST(ServiceEntry, WorkloadSelectorAndEndpointsAreExclusive) {
  expect_error(with_port("resolution: STATIC\nworkloadSelector: {labels: {app: a}}\n"
                         "endpoints:\n- address: 10.0.0.1"),
               at(6,
                  "spec: only one of workloadSelector or endpoints is allowed in Service "
                  "Entry"));
}

TEST(ServiceEntry, SubjectAltNamesAreNotSupported) {
  expect_error(entry("hosts: [a.example.com]\nsubjectAltNames: [spiffe://x]"),
               at(8, "spec: field \"subjectAltNames\" is not supported by gatehouse yet"));
}

TEST(ServiceEntry, EndpointFieldsAreChecked) {
  expect_errors(with_port("resolution: STATIC\nendpoints:\n- ports: {'bad name': 0}\n"
                          "  labels: {app: 'a b'}\n  weight: -1"),
                {at(12, "spec.endpoints[0]: missing required field \"address\""),
                 at(12, "spec.endpoints[0].ports.bad name: invalid port name \"bad name\""),
                 at(12, "spec.endpoints[0].ports.bad name: must be between 1 and 65535, got 0"),
                 at(13,
                    "spec.endpoints[0].labels.app: invalid label value \"a b\": must be at "
                    "most 63 characters of letters, digits, '-', '_' and '.', starting and "
                    "ending with a letter or digit"),
                 at(14, "spec.endpoints[0].weight: must be between 0 and 4294967295, got -1")});
}

}  // namespace
}  // namespace gatehouse::config
