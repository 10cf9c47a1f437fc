// The reference setup's YAML, pasted as users write it, and examples from Istio's docs must
// load and produce the typed resources the runtime modules rely on.
#include <gtest/gtest.h>

#include "config/loader.h"
#include "test_support.h"

namespace gatehouse::config {
namespace {

using testing::error_strings;
using testing::load_text;

// From the article: the httpbin Gateway and VirtualService in namespace foo.
constexpr const char* kArticleIstio = R"(apiVersion: networking.istio.io/v1alpha3
kind: Gateway
metadata:
  name: httpbin-gateway
  namespace: foo
spec:
  selector:
    istio: ingressgateway # use Istio default gateway implementation
  servers:
  - port:
      number: 80
      name: http
      protocol: HTTP
    hosts:
    - "*"
---
apiVersion: networking.istio.io/v1alpha3
kind: VirtualService
metadata:
  name: httpbin
  namespace: foo
spec:
  hosts:
  - "*"
  gateways:
  - httpbin-gateway
  http:
  - route:
    - destination:
        port:
          number: 8000
        host: httpbin.foo.svc.cluster.local
)";

// gatehouse's side of the setup: the workload as a ServiceEntry, and the ALB part as a
// Listener forwarding to a mesh target group that hands requests to the Gateway on port 80.
constexpr const char* kGatehouseSide = R"(apiVersion: networking.istio.io/v1alpha3
kind: ServiceEntry
metadata:
  name: httpbin
  namespace: foo
spec:
  hosts:
  - httpbin.foo.svc.cluster.local
  location: MESH_INTERNAL
  ports:
  - number: 8000
    name: http
    protocol: HTTP
  resolution: STATIC
  endpoints:
  - address: 127.0.0.1
    ports:
      http: 8000
    labels:
      app: httpbin
---
apiVersion: gatehouse.dev/v1alpha1
kind: TargetGroup
metadata:
  name: istio-ingress
spec:
  targetType: mesh
  port: 80
  healthCheckPath: /status/200
---
apiVersion: gatehouse.dev/v1alpha1
kind: Listener
metadata:
  name: public
spec:
  port: 8080
  protocol: HTTP
  defaultActions:
  - type: forward
    targetGroupName: istio-ingress
  rules:
  - priority: 1
    conditions:
    - field: path-pattern
      values: [/status/200]
    actions:
    - type: forward
      targetGroupName: istio-ingress
)";

TEST(ReferenceSetup, ArticleIstioYamlLoadsAsPasted) {
  LoadResult result = load_text(kArticleIstio, "httpbin.yaml");
  ASSERT_EQ(error_strings(result), std::vector<std::string>{});
  ASSERT_TRUE(result.ok());

  ASSERT_EQ(result.snapshot.gateways.size(), 1u);
  const Gateway& gateway = result.snapshot.gateways[0];
  EXPECT_EQ(gateway.id(), "Gateway/foo/httpbin-gateway");
  EXPECT_EQ(gateway.api_version, "networking.istio.io/v1alpha3");
  EXPECT_EQ(gateway.where.file, "httpbin.yaml");
  EXPECT_EQ(gateway.where.line, 1);
  EXPECT_EQ(gateway.selector, (Labels{{"istio", "ingressgateway"}}));
  ASSERT_EQ(gateway.servers.size(), 1u);
  EXPECT_EQ(gateway.servers[0].port, 80u);
  EXPECT_EQ(gateway.servers[0].port_name, "http");
  EXPECT_EQ(gateway.servers[0].protocol, "HTTP");
  EXPECT_EQ(gateway.servers[0].hosts, std::vector<std::string>{"*"});
  EXPECT_EQ(gateway.servers[0].tls_mode, "");
  EXPECT_EQ(gateway.servers[0].where.line, 10);

  ASSERT_EQ(result.snapshot.virtual_services.size(), 1u);
  const VirtualService& vs = result.snapshot.virtual_services[0];
  EXPECT_EQ(vs.id(), "VirtualService/foo/httpbin");
  EXPECT_EQ(vs.where.line, 17);
  EXPECT_EQ(vs.hosts, std::vector<std::string>{"*"});
  EXPECT_EQ(vs.gateways, std::vector<std::string>{"foo/httpbin-gateway"});
  ASSERT_EQ(vs.http.size(), 1u);
  const HttpRoute& route = vs.http[0];
  EXPECT_TRUE(route.match.empty());
  ASSERT_EQ(route.route.size(), 1u);
  EXPECT_EQ(route.route[0].destination.host, "httpbin.foo.svc.cluster.local");
  EXPECT_EQ(route.route[0].destination.port, 8000u);
  EXPECT_EQ(route.route[0].destination.subset, "");
  EXPECT_FALSE(route.redirect.has_value());
  EXPECT_FALSE(route.direct_response.has_value());
  EXPECT_EQ(route.timeout, Millis(0));
  EXPECT_EQ(route.retries.attempts, 2u);  // Istio's default policy
  EXPECT_EQ(route.retries.retry_on,
            "connect-failure,refused-stream,unavailable,cancelled,retriable-status-codes");
}

TEST(ReferenceSetup, GatehouseSideLoadsWithTheArticle) {
  std::vector<SourceFile> files{{"httpbin.yaml", kArticleIstio}, {"edge.yaml", kGatehouseSide}};
  LoadResult result = load(files);
  ASSERT_EQ(error_strings(result), std::vector<std::string>{});

  ASSERT_EQ(result.snapshot.service_entries.size(), 1u);
  const ServiceEntry& entry = result.snapshot.service_entries[0];
  EXPECT_EQ(entry.hosts, std::vector<std::string>{"httpbin.foo.svc.cluster.local"});
  EXPECT_EQ(entry.resolution, "STATIC");
  EXPECT_EQ(entry.location, "MESH_INTERNAL");
  ASSERT_EQ(entry.ports.size(), 1u);
  EXPECT_EQ(entry.ports[0].number, 8000u);
  EXPECT_EQ(entry.ports[0].protocol, "HTTP");
  ASSERT_EQ(entry.endpoints.size(), 1u);
  EXPECT_EQ(entry.endpoints[0].address, "127.0.0.1");
  EXPECT_EQ(entry.endpoints[0].ports.at("http"), 8000u);
  EXPECT_EQ(entry.endpoints[0].labels, (Labels{{"app", "httpbin"}}));

  ASSERT_EQ(result.snapshot.target_groups.size(), 1u);
  const TargetGroup& group = result.snapshot.target_groups[0];
  EXPECT_EQ(group.id(), "TargetGroup/default/istio-ingress");
  EXPECT_EQ(group.target_type, "mesh");
  EXPECT_EQ(group.port, 80u);
  EXPECT_EQ(group.health_check.path, "/status/200");
  EXPECT_EQ(group.health_check.interval_seconds, 30u);  // ALB defaults
  EXPECT_EQ(group.health_check.matcher_http_code, "200");

  ASSERT_EQ(result.snapshot.listeners.size(), 1u);
  const Listener& listener = result.snapshot.listeners[0];
  EXPECT_EQ(listener.address, "0.0.0.0");
  EXPECT_EQ(listener.port, 8080u);
  ASSERT_EQ(listener.default_actions.size(), 1u);
  EXPECT_EQ(listener.default_actions[0].type, "forward");
  ASSERT_EQ(listener.default_actions[0].target_groups.size(), 1u);
  EXPECT_EQ(listener.default_actions[0].target_groups[0].target_group_name, "istio-ingress");
  EXPECT_EQ(listener.default_actions[0].target_groups[0].weight, 1u);
  ASSERT_EQ(listener.rules.size(), 1u);
  EXPECT_EQ(listener.rules[0].priority, 1u);
  ASSERT_EQ(listener.rules[0].conditions.size(), 1u);
  EXPECT_EQ(listener.rules[0].conditions[0].field, "path-pattern");
  EXPECT_EQ(listener.rules[0].conditions[0].values, std::vector<std::string>{"/status/200"});
  EXPECT_EQ(listener.rules[0].where.file, "edge.yaml");
  EXPECT_EQ(listener.rules[0].where.line, 42);
}

// istio.io "Traffic Management" concept page: weighted routing to subsets.
TEST(IstioDocsExamples, WeightedSubsetsLoad) {
  LoadResult result = load_text(R"(apiVersion: networking.istio.io/v1beta1
kind: VirtualService
metadata:
  name: reviews
spec:
  hosts:
  - reviews
  http:
  - match:
    - headers:
        end-user:
          exact: jason
    route:
    - destination:
        host: reviews
        subset: v2
  - route:
    - destination:
        host: reviews
        subset: v1
      weight: 75
    - destination:
        host: reviews
        subset: v3
      weight: 25
---
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata:
  name: reviews
spec:
  host: reviews
  trafficPolicy:
    loadBalancer:
      simple: RANDOM
  subsets:
  - name: v1
    labels:
      version: v1
  - name: v2
    labels:
      version: v2
    trafficPolicy:
      loadBalancer:
        simple: ROUND_ROBIN
  - name: v3
    labels:
      version: v3
)");
  ASSERT_EQ(error_strings(result), std::vector<std::string>{});
  const VirtualService& vs = result.snapshot.virtual_services.at(0);
  EXPECT_TRUE(vs.gateways.empty());
  ASSERT_EQ(vs.http.size(), 2u);
  ASSERT_EQ(vs.http[0].match.size(), 1u);
  ASSERT_EQ(vs.http[0].match[0].headers.size(), 1u);
  EXPECT_EQ(vs.http[0].match[0].headers[0].first, "end-user");
  EXPECT_EQ(vs.http[0].match[0].headers[0].second.kind, StringMatch::Kind::Exact);
  EXPECT_EQ(vs.http[0].match[0].headers[0].second.value, "jason");
  ASSERT_EQ(vs.http[1].route.size(), 2u);
  EXPECT_EQ(vs.http[1].route[0].weight, 75u);
  EXPECT_EQ(vs.http[1].route[1].destination.subset, "v3");

  const DestinationRule& rule = result.snapshot.destination_rules.at(0);
  EXPECT_EQ(rule.host, "reviews");
  ASSERT_TRUE(rule.traffic_policy.load_balancer.has_value());
  EXPECT_EQ(rule.traffic_policy.load_balancer->simple, LoadBalancerSettings::Simple::Random);
  ASSERT_EQ(rule.subsets.size(), 3u);
  EXPECT_EQ(rule.subsets[1].labels, (Labels{{"version", "v2"}}));
  EXPECT_EQ(rule.subsets[1].traffic_policy.load_balancer->simple,
            LoadBalancerSettings::Simple::RoundRobin);
  EXPECT_FALSE(rule.subsets[0].traffic_policy.load_balancer.has_value());
}

// istio.io VirtualService reference: rewrite, redirect, headers, timeout and retries.
TEST(IstioDocsExamples, RewriteRedirectHeadersLoad) {
  LoadResult result = load_text(R"(apiVersion: networking.istio.io/v1alpha3
kind: VirtualService
metadata:
  name: ratings-route
spec:
  hosts:
  - ratings.prod.svc.cluster.local
  http:
  - match:
    - uri:
        prefix: /ratings
    rewrite:
      uri: /v1/bookRatings
    route:
    - destination:
        host: ratings.prod.svc.cluster.local
        subset: v1
  - match:
    - uri:
        exact: /v1/getProductRatings
    redirect:
      uri: /v1/bookRatings
      authority: newratings.default.svc.cluster.local
  - headers:
      request:
        set:
          test: "true"
      response:
        remove:
        - foo
    route:
    - destination:
        host: reviews.prod.svc.cluster.local
        subset: v2
      weight: 25
      headers:
        response:
          add:
            X-Version: v2
    - destination:
        host: reviews.prod.svc.cluster.local
        subset: v1
      weight: 75
    timeout: 10s
    retries:
      attempts: 3
      perTryTimeout: 2s
      retryOn: gateway-error,connect-failure,refused-stream
)");
  ASSERT_EQ(error_strings(result), std::vector<std::string>{});
  const VirtualService& vs = result.snapshot.virtual_services.at(0);
  ASSERT_EQ(vs.http.size(), 3u);
  EXPECT_EQ(vs.http[0].match[0].uri->kind, StringMatch::Kind::Prefix);
  EXPECT_EQ(vs.http[0].rewrite->uri, "/v1/bookRatings");
  EXPECT_EQ(vs.http[1].redirect->uri, "/v1/bookRatings");
  EXPECT_EQ(vs.http[1].redirect->authority, "newratings.default.svc.cluster.local");
  EXPECT_EQ(vs.http[1].redirect->redirect_code, 301u);
  EXPECT_EQ(vs.http[2].headers.request.set,
            (std::vector<std::pair<std::string, std::string>>{{"test", "true"}}));
  EXPECT_EQ(vs.http[2].headers.response.remove, std::vector<std::string>{"foo"});
  EXPECT_EQ(vs.http[2].route[0].headers.response.add,
            (std::vector<std::pair<std::string, std::string>>{{"x-version", "v2"}}));
  EXPECT_EQ(vs.http[2].timeout, Millis(10000));
  EXPECT_EQ(vs.http[2].retries.attempts, 3u);
  EXPECT_EQ(vs.http[2].retries.per_try_timeout, Millis(2000));
  EXPECT_EQ(vs.http[2].retries.retry_on, "gateway-error,connect-failure,refused-stream");
}

}  // namespace
}  // namespace gatehouse::config
