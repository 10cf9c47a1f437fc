// route() cost: the reference article's single catch-all route, and 100 VirtualServices x 10
// prefix routes (per-host virtual hosts, and all on one "*" host as the linear worst case).
#include <benchmark/benchmark.h>

#include <string>
#include <vector>

#include "mesh/router.h"

namespace gatehouse::mesh {
namespace {

config::VirtualService virtual_service(std::string name, std::string host) {
  config::VirtualService vs;
  vs.kind = "VirtualService";
  vs.metadata.namespace_ = "foo";
  vs.metadata.name = std::move(name);
  vs.hosts = {std::move(host)};
  vs.gateways = {"gw"};
  return vs;
}

config::HttpRoute prefix_route(std::string prefix, std::string host) {
  config::HttpRoute route;
  config::HttpMatch match;
  match.uri = config::StringMatch{config::StringMatch::Kind::Prefix, std::move(prefix)};
  route.match.push_back(std::move(match));
  config::RouteDestination destination;
  destination.destination.host = std::move(host);
  destination.destination.port = 8000;
  route.route.push_back(std::move(destination));
  return route;
}

config::Snapshot with_gateway() {
  config::Snapshot snapshot;
  config::Gateway gateway;
  gateway.metadata.namespace_ = "foo";
  gateway.metadata.name = "gw";
  config::GatewayServer server;
  server.port = 80;
  server.protocol = "HTTP";
  server.hosts = {"*"};
  gateway.servers.push_back(server);
  snapshot.gateways.push_back(gateway);
  return snapshot;
}

config::Snapshot reference_snapshot() {
  config::Snapshot snapshot = with_gateway();
  auto vs = virtual_service("httpbin", "*");
  config::HttpRoute route;
  config::RouteDestination destination;
  destination.destination.host = "httpbin.foo.svc.cluster.local";
  destination.destination.port = 8000;
  route.route.push_back(destination);
  vs.http.push_back(route);
  snapshot.virtual_services.push_back(vs);
  config::ServiceEntry entry;
  entry.metadata.namespace_ = "foo";
  entry.metadata.name = "httpbin";
  entry.hosts = {"httpbin.foo.svc.cluster.local"};
  entry.ports = {{8000, "HTTP", "http", 0}};
  entry.resolution = "STATIC";
  config::WorkloadEntry endpoint;
  endpoint.address = "127.0.0.1";
  endpoint.labels = {{"app", "httpbin"}};
  entry.endpoints.push_back(endpoint);
  snapshot.service_entries.push_back(entry);
  return snapshot;
}

// 100 VirtualServices with 10 prefix routes each, on host svcN.example.com or all on "*".
config::Snapshot hundred_snapshot(bool shared_host) {
  config::Snapshot snapshot = with_gateway();
  for (int v = 0; v < 100; ++v) {
    std::string name = "svc" + std::to_string(v);
    auto vs = virtual_service(name, shared_host ? "*" : name + ".example.com");
    for (int r = 0; r < 10; ++r) {
      vs.http.push_back(prefix_route("/" + name + "/p" + std::to_string(r) + "/", name));
    }
    snapshot.virtual_services.push_back(vs);
  }
  return snapshot;
}

void run(benchmark::State& state, const config::Snapshot& snapshot, std::string_view authority,
         std::string_view path) {
  auto compiled = compile(snapshot);
  if (!compiled.ok()) {
    state.SkipWithError(compiled.errors.front().message.c_str());
    return;
  }
  const HeaderField headers[] = {{"host", authority},
                                 {"user-agent", "curl/8.0"},
                                 {"accept", "*/*"},
                                 {"x-amzn-oidc-accesstoken", "eyJhbGciOiJSUzI1NiJ9.e30.sig"}};
  RequestView request{.method = "GET",
                      .scheme = "http",
                      .authority = authority,
                      .path = path,
                      .query = "show_env=1",
                      .peer_ip = "10.0.0.1",
                      .listener_port = 80,
                      .headers = headers};
  uint64_t random = 0;
  for (auto _ : state) {
    Decision decision = compiled.router->route(80, request, ++random);
    benchmark::DoNotOptimize(decision);
  }
}

void BM_ReferenceCatchAll(benchmark::State& state) {
  run(state, reference_snapshot(), "gateway.example.com", "/status/200");
}
BENCHMARK(BM_ReferenceCatchAll);

void BM_HundredVirtualServicesPerHost(benchmark::State& state) {
  run(state, hundred_snapshot(/*shared_host=*/false), "svc99.example.com:80", "/svc99/p9/item");
}
BENCHMARK(BM_HundredVirtualServicesPerHost);

void BM_HundredVirtualServicesOneHostLastRoute(benchmark::State& state) {
  run(state, hundred_snapshot(/*shared_host=*/true), "any.example.com", "/svc99/p9/item");
}
BENCHMARK(BM_HundredVirtualServicesOneHostLastRoute);

void BM_HundredVirtualServicesOneHostNotFound(benchmark::State& state) {
  run(state, hundred_snapshot(/*shared_host=*/true), "any.example.com", "/nowhere");
}
BENCHMARK(BM_HundredVirtualServicesOneHostNotFound);

}  // namespace
}  // namespace gatehouse::mesh
