// Builders for the config structs and requests the mesh tests feed the router, so each test
// reads as the Istio YAML it stands for.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "config/resources.h"
#include "mesh/router.h"
#include "request/request_view.h"

namespace gatehouse::mesh::test {

config::StringMatch exact(std::string value);
config::StringMatch prefix(std::string value);
config::StringMatch regex(std::string value);
config::StringMatch present();

config::HttpMatch uri(config::StringMatch match);
config::GatewayServer http_server(uint32_t port, std::vector<std::string> hosts);
config::Gateway gateway(std::string namespace_, std::string name,
                        std::vector<config::GatewayServer> servers);
config::RouteDestination destination(std::string host, std::optional<uint32_t> port = {},
                                     uint32_t weight = 0, std::string subset = "");
// An HTTPRoute forwarding to `host` (one destination) under the given match blocks.
config::HttpRoute route_to(std::string host, std::vector<config::HttpMatch> matches = {},
                           std::string name = "");
config::HttpRewrite uri_rewrite(std::string uri);
config::HttpRewrite regex_rewrite(std::string match, std::string substitution);
config::HttpRewrite authority_rewrite(std::string authority);

// An HTTPRedirect spelled field by field: RedirectSpec().uri("/x").scheme("https").code(302).
class RedirectSpec {
 public:
  RedirectSpec& uri(std::string value);
  RedirectSpec& authority(std::string value);
  RedirectSpec& scheme(std::string value);
  RedirectSpec& port(uint32_t value);
  RedirectSpec& derive_port(std::string value);
  RedirectSpec& code(uint32_t value);
  operator config::HttpRedirect() const { return redirect_; }

 private:
  config::HttpRedirect redirect_;
};

config::VirtualService virtual_service(std::string namespace_, std::string name,
                                       std::vector<std::string> hosts,
                                       std::vector<std::string> gateways,
                                       std::vector<config::HttpRoute> http);
config::ServicePort service_port(uint32_t number, std::string name = "http");
config::WorkloadEntry workload(std::string address, config::Labels labels = {});
config::ServiceEntry service_entry(std::string namespace_, std::string name, std::string host,
                                   std::vector<config::ServicePort> ports,
                                   std::vector<config::WorkloadEntry> endpoints,
                                   std::string resolution = "STATIC");

// The reference article's httpbin setup: Gateway foo/httpbin-gateway (port 80, hosts "*"),
// VirtualService foo/httpbin, ServiceEntry for httpbin.foo.svc.cluster.local:8000.
config::Snapshot httpbin_snapshot();

// Compiles and fails the current test (returning null) when compile() reports errors.
std::shared_ptr<const Router> compile_or_fail(const config::Snapshot& snapshot);
// The messages compile() reports, for tests that expect errors.
std::vector<std::string> compile_errors(const config::Snapshot& snapshot);

// Owns the strings a RequestView points into.
class Request {
 public:
  explicit Request(std::string path = "/", std::string authority = "example.com");
  Request& method(std::string value);
  Request& scheme(std::string value);
  Request& query(std::string value);
  Request& header(std::string name, std::string value);
  RequestView view() const;

 private:
  std::string method_ = "GET", scheme_ = "http", authority_, path_, query_;
  std::vector<std::pair<std::string, std::string>> headers_;
  mutable std::vector<HeaderField> fields_;
};

// One line per decision, for readable assertions: "forward outbound|80||a.com",
// "redirect 301 http://a.com/x", "direct 503 body", "https-redirect https://a.com/",
// "not-found".
std::string describe(const Decision& decision);

// route() on `router` (which may be null after a failed compile) described as above.
std::string route(const std::shared_ptr<const Router>& router, uint16_t port,
                  const Request& request, uint64_t random = 0);

}  // namespace gatehouse::mesh::test
