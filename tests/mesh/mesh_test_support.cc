#include "mesh_test_support.h"

#include <gtest/gtest.h>

namespace gatehouse::mesh::test {
namespace {

config::StringMatch string_match(config::StringMatch::Kind kind, std::string value) {
  return {kind, std::move(value)};
}

template <class Resource>
Resource named(std::string kind, std::string namespace_, std::string name) {
  Resource resource;
  resource.kind = std::move(kind);
  resource.metadata.namespace_ = std::move(namespace_);
  resource.metadata.name = std::move(name);
  resource.where = {"test.yaml", 1};
  return resource;
}

}  // namespace

config::StringMatch exact(std::string value) {
  return string_match(config::StringMatch::Kind::Exact, std::move(value));
}
config::StringMatch prefix(std::string value) {
  return string_match(config::StringMatch::Kind::Prefix, std::move(value));
}
config::StringMatch regex(std::string value) {
  return string_match(config::StringMatch::Kind::Regex, std::move(value));
}
config::StringMatch present() { return string_match(config::StringMatch::Kind::Present, ""); }

config::HttpMatch uri(config::StringMatch match) {
  config::HttpMatch out;
  out.uri = std::move(match);
  return out;
}

config::GatewayServer http_server(uint32_t port, std::vector<std::string> hosts) {
  config::GatewayServer out;
  out.port = port;
  out.port_name = "http";
  out.protocol = "HTTP";
  out.hosts = std::move(hosts);
  return out;
}

config::Gateway gateway(std::string namespace_, std::string name,
                        std::vector<config::GatewayServer> servers) {
  auto out = named<config::Gateway>("Gateway", std::move(namespace_), std::move(name));
  out.servers = std::move(servers);
  return out;
}

config::RouteDestination destination(std::string host, std::optional<uint32_t> port,
                                     uint32_t weight, std::string subset) {
  config::RouteDestination out;
  out.destination = {std::move(host), std::move(subset), port};
  out.weight = weight;
  return out;
}

config::HttpRoute route_to(std::string host, std::vector<config::HttpMatch> matches,
                           std::string name) {
  config::HttpRoute out;
  out.name = std::move(name);
  out.match = std::move(matches);
  out.route.push_back(destination(std::move(host), 80));
  out.where = {"test.yaml", 10};
  return out;
}

config::HttpRewrite uri_rewrite(std::string uri) {
  config::HttpRewrite out;
  out.uri = std::move(uri);
  return out;
}
config::HttpRewrite regex_rewrite(std::string match, std::string substitution) {
  config::HttpRewrite out;
  out.uri_regex_rewrite = config::RegexRewrite{std::move(match), std::move(substitution)};
  return out;
}
config::HttpRewrite authority_rewrite(std::string authority) {
  config::HttpRewrite out;
  out.authority = std::move(authority);
  return out;
}

RedirectSpec& RedirectSpec::uri(std::string value) {
  redirect_.uri = std::move(value);
  return *this;
}
RedirectSpec& RedirectSpec::authority(std::string value) {
  redirect_.authority = std::move(value);
  return *this;
}
RedirectSpec& RedirectSpec::scheme(std::string value) {
  redirect_.scheme = std::move(value);
  return *this;
}
RedirectSpec& RedirectSpec::port(uint32_t value) {
  redirect_.port = value;
  return *this;
}
RedirectSpec& RedirectSpec::derive_port(std::string value) {
  redirect_.derive_port = std::move(value);
  return *this;
}
RedirectSpec& RedirectSpec::code(uint32_t value) {
  redirect_.redirect_code = value;
  return *this;
}

config::VirtualService virtual_service(std::string namespace_, std::string name,
                                       std::vector<std::string> hosts,
                                       std::vector<std::string> gateways,
                                       std::vector<config::HttpRoute> http) {
  auto out =
      named<config::VirtualService>("VirtualService", std::move(namespace_), std::move(name));
  out.hosts = std::move(hosts);
  out.gateways = std::move(gateways);
  out.http = std::move(http);
  return out;
}

config::ServicePort service_port(uint32_t number, std::string name) {
  return {number, "HTTP", std::move(name), 0};
}

config::WorkloadEntry workload(std::string address, config::Labels labels) {
  config::WorkloadEntry out;
  out.address = std::move(address);
  out.labels = std::move(labels);
  return out;
}

config::ServiceEntry service_entry(std::string namespace_, std::string name, std::string host,
                                   std::vector<config::ServicePort> ports,
                                   std::vector<config::WorkloadEntry> endpoints,
                                   std::string resolution) {
  auto out = named<config::ServiceEntry>("ServiceEntry", std::move(namespace_), std::move(name));
  out.hosts = {std::move(host)};
  out.ports = std::move(ports);
  out.endpoints = std::move(endpoints);
  out.resolution = std::move(resolution);
  out.location = "MESH_INTERNAL";
  return out;
}

config::Snapshot httpbin_snapshot() {
  config::Snapshot snapshot;
  snapshot.gateways.push_back(gateway("foo", "httpbin-gateway", {http_server(80, {"*"})}));
  config::HttpRoute route;
  route.route.push_back(destination("httpbin.foo.svc.cluster.local", 8000));
  snapshot.virtual_services.push_back(
      virtual_service("foo", "httpbin", {"*"}, {"httpbin-gateway"}, {route}));
  snapshot.service_entries.push_back(
      service_entry("foo", "httpbin", "httpbin.foo.svc.cluster.local", {service_port(8000)},
                    {workload("127.0.0.1", {{"app", "httpbin"}})}));
  return snapshot;
}

std::shared_ptr<const Router> compile_or_fail(const config::Snapshot& snapshot) {
  auto result = compile(snapshot);
  for (const auto& error : result.errors) ADD_FAILURE() << error.resource << ": " << error.message;
  return result.router;
}

std::vector<std::string> compile_errors(const config::Snapshot& snapshot) {
  auto result = compile(snapshot);
  EXPECT_EQ(result.router, nullptr);
  std::vector<std::string> out;
  for (const auto& error : result.errors) out.push_back(error.message);
  return out;
}

Request::Request(std::string path, std::string authority)
    : authority_(std::move(authority)), path_(std::move(path)) {}
Request& Request::method(std::string value) {
  method_ = std::move(value);
  return *this;
}
Request& Request::scheme(std::string value) {
  scheme_ = std::move(value);
  return *this;
}
Request& Request::query(std::string value) {
  query_ = std::move(value);
  return *this;
}
Request& Request::header(std::string name, std::string value) {
  headers_.emplace_back(std::move(name), std::move(value));
  return *this;
}

RequestView Request::view() const {
  fields_.clear();
  for (const auto& [name, value] : headers_) fields_.push_back({name, value});
  RequestView out;
  out.method = method_;
  out.scheme = scheme_;
  out.authority = authority_;
  out.path = path_;
  out.query = query_;
  out.headers = fields_;
  return out;
}

std::string describe(const Decision& decision) {
  if (auto* forward = std::get_if<Forward>(&decision)) return "forward " + forward->cluster->name;
  if (auto* redirect = std::get_if<Redirect>(&decision)) {
    return "redirect " + std::to_string(redirect->status) + " " + redirect->location;
  }
  if (auto* direct = std::get_if<DirectResponse>(&decision)) {
    return "direct " + std::to_string(direct->status) + " " + std::string(direct->body);
  }
  if (auto* https = std::get_if<HttpsRedirect>(&decision))
    return "https-redirect " + https->location;
  return "not-found";
}

std::string route(const std::shared_ptr<const Router>& router, uint16_t port,
                  const Request& request, uint64_t random) {
  if (router == nullptr) return "no router";
  return describe(router->route(port, request.view(), random));
}

}  // namespace gatehouse::mesh::test
