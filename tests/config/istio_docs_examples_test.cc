// Examples from Istio's docs, pasted as users copy them, must load and produce the typed
// resources the runtime modules rely on.
#include <gtest/gtest.h>

#include "config/loader.h"
#include "test_support.h"

namespace gatehouse::config {
namespace {

using testing::error_strings;
using testing::load_text;

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
