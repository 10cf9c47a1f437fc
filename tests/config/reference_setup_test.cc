// The reference setup's YAML, pasted as users write it, must load and produce the typed
// resources the runtime modules rely on.
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

// From the article: the workload's security. The token is the Okta access token the ALB
// forwards in x-amzn-oidc-accesstoken; /status/200 is open, everything else needs a token
// from the Okta issuer whose groups claim holds httpbin.
constexpr const char* kArticleSecurity = R"(apiVersion: "security.istio.io/v1beta1"
kind: "RequestAuthentication"
metadata:
  name: "httpbin"
  namespace: foo
spec:
  selector:
    matchLabels:
      app: httpbin
  jwtRules:
  - issuer: "https://dev-123456.okta.com/oauth2/default"
    jwksUri: "https://dev-123456.okta.com/oauth2/default/v1/keys"
    fromHeaders:
    - name: x-amzn-oidc-accesstoken
    forwardOriginalToken: true
---
apiVersion: "security.istio.io/v1beta1"
kind: "AuthorizationPolicy"
metadata:
  name: "httpbin"
  namespace: foo
spec:
  selector:
    matchLabels:
      app: httpbin
  action: ALLOW
  rules:
  - to:
    - operation:
        paths: ["/status/200"]
  - from:
    - source:
        requestPrincipals: ["https://dev-123456.okta.com/oauth2/default/*"]
    when:
    - key: request.auth.claims[groups]
      values: ["httpbin"]
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

TEST(ReferenceSetup, ArticleSecurityYamlLoadsAsPasted) {
  LoadResult result = load_text(kArticleSecurity, "security.yaml");
  ASSERT_EQ(error_strings(result), std::vector<std::string>{});

  ASSERT_EQ(result.snapshot.request_authentications.size(), 1u);
  const RequestAuthentication& authn = result.snapshot.request_authentications[0];
  EXPECT_EQ(authn.id(), "RequestAuthentication/foo/httpbin");
  EXPECT_EQ(authn.api_version, "security.istio.io/v1beta1");
  EXPECT_EQ(authn.selector, (Labels{{"app", "httpbin"}}));
  ASSERT_EQ(authn.jwt_rules.size(), 1u);
  const JwtRule& jwt = authn.jwt_rules[0];
  EXPECT_EQ(jwt.where.line, 11);
  EXPECT_EQ(jwt.issuer, "https://dev-123456.okta.com/oauth2/default");
  EXPECT_EQ(jwt.jwks_uri, "https://dev-123456.okta.com/oauth2/default/v1/keys");
  ASSERT_EQ(jwt.from_headers.size(), 1u);
  EXPECT_EQ(jwt.from_headers[0].name, "x-amzn-oidc-accesstoken");
  EXPECT_EQ(jwt.from_headers[0].prefix, "");
  EXPECT_TRUE(jwt.from_params.empty());  // a location given: no Bearer/access_token default
  EXPECT_TRUE(jwt.forward_original_token);
  EXPECT_TRUE(jwt.audiences.empty());
  EXPECT_EQ(jwt.timeout, Millis(5000));

  ASSERT_EQ(result.snapshot.authorization_policies.size(), 1u);
  const AuthorizationPolicy& policy = result.snapshot.authorization_policies[0];
  EXPECT_EQ(policy.id(), "AuthorizationPolicy/foo/httpbin");
  EXPECT_EQ(policy.where.line, 17);
  EXPECT_EQ(policy.action, AuthorizationPolicy::Action::Allow);
  EXPECT_EQ(policy.selector, (Labels{{"app", "httpbin"}}));
  EXPECT_FALSE(policy.dry_run);
  ASSERT_TRUE(policy.rules.has_value());
  ASSERT_EQ(policy.rules->size(), 2u);
  const Rule& open = policy.rules->at(0);
  EXPECT_TRUE(open.from.empty());
  EXPECT_TRUE(open.when.empty());
  ASSERT_EQ(open.to.size(), 1u);
  EXPECT_EQ(open.to[0].paths, std::vector<std::string>{"/status/200"});
  const Rule& members = policy.rules->at(1);
  EXPECT_EQ(members.where.line, 31);
  EXPECT_TRUE(members.to.empty());
  ASSERT_EQ(members.from.size(), 1u);
  EXPECT_EQ(members.from[0].request_principals,
            std::vector<std::string>{"https://dev-123456.okta.com/oauth2/default/*"});
  ASSERT_EQ(members.when.size(), 1u);
  EXPECT_EQ(members.when[0].key, "request.auth.claims[groups]");
  EXPECT_EQ(members.when[0].attribute, ConditionKey::RequestClaims);
  EXPECT_EQ(members.when[0].path, std::vector<std::string>{"groups"});
  EXPECT_EQ(members.when[0].values, std::vector<std::string>{"httpbin"});
  EXPECT_TRUE(members.when[0].not_values.empty());
}

TEST(ReferenceSetup, WholeSetupLoadsTogether) {
  std::vector<SourceFile> files{{"httpbin.yaml", kArticleIstio},
                                {"security.yaml", kArticleSecurity},
                                {"edge.yaml", kGatehouseSide}};
  LoadResult result = load(files);
  ASSERT_EQ(error_strings(result), std::vector<std::string>{});
  EXPECT_EQ(result.snapshot.gateways.size(), 1u);
  EXPECT_EQ(result.snapshot.request_authentications.size(), 1u);
  EXPECT_EQ(result.snapshot.authorization_policies.size(), 1u);
  // The policies select the workload by the labels of its ServiceEntry endpoint.
  EXPECT_EQ(result.snapshot.authorization_policies[0].selector,
            result.snapshot.service_entries.at(0).endpoints.at(0).labels);
}

}  // namespace
}  // namespace gatehouse::config
