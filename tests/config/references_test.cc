// Checks between resources: gateway and target group names must exist, mesh target groups
// must point at a Gateway server port, listeners must not share an address and port.
#include <gtest/gtest.h>

#include "config/loader.h"
#include "test_support.h"

namespace gatehouse::config {
namespace {

using testing::expect_error;
using testing::expect_errors;
using testing::expect_ok;
using testing::gatehouse;
using testing::istio;
using testing::resource;

// Gateway foo/public on port 80; 10 lines including the separator after it.
const std::string kGateway =
    istio("Gateway", "servers:\n- port: {number: 80, name: http, protocol: HTTP}\n  hosts: ['*']",
          "public") +
    "---\n";

std::string virtual_service(std::string_view gateways, std::string_view match_gateways = "") {
  std::string match = match_gateways.empty()
                          ? std::string()
                          : "- match:\n  - gateways: " + std::string(match_gateways) + "\n  ";
  if (match.empty()) match = "- ";
  return istio("VirtualService",
               "hosts: [a.example.com]\ngateways: " + std::string(gateways) + "\nhttp:\n" + match +
                   "route:\n  - destination: {host: a}",
               "vs");
}

TEST(References, VirtualServiceGatewaysMustExist) {
  expect_ok(kGateway + virtual_service("[public, foo/public, mesh]"));
  expect_errors(kGateway + virtual_service("[pubilc, other/public]"),
                {"test.yaml:18: resource VirtualService/foo/vs: Gateway \"foo/pubilc\" not found "
                 "(did you mean \"foo/public\"?)",
                 "test.yaml:18: resource VirtualService/foo/vs: Gateway \"other/public\" not "
                 "found"});
}

TEST(References, GatewaysInOtherNamespacesNeedTheirNamespace) {
  std::string other = resource("networking.istio.io/v1", "Gateway",
                               "servers:\n- port: {number: 80, name: http, protocol: HTTP}\n"
                               "  hosts: ['*']",
                               "shared", "infra") +
                      "---\n";
  expect_ok(other + virtual_service("[infra/shared]"));
  expect_error(other + virtual_service("[shared]"),
               "test.yaml:18: resource VirtualService/foo/vs: Gateway \"foo/shared\" not found");
}

TEST(References, MatchGatewaysMustExist) {
  expect_error(kGateway + virtual_service("[public]", "[private]"),
               "test.yaml:21: resource VirtualService/foo/vs: Gateway \"foo/private\" not found");
}

TEST(References, ListenerTargetGroupsMustExistInItsNamespace) {
  std::string groups =
      gatehouse("TargetGroup", "port: 80", "web") + "---\n" +
      resource("gatehouse.dev/v1alpha1", "TargetGroup", "port: 80", "api", "other") + "---\n";
  expect_errors(groups + gatehouse("Listener",
                                   "port: 80\ndefaultActions:\n- type: forward\n"
                                   "  forwardConfig:\n    targetGroups:\n"
                                   "    - targetGroupName: web\n    - targetGroupName: api\n"
                                   "    - targetGroupName: wbe",
                                   "edge"),
                {"test.yaml:29: resource Listener/foo/edge: TargetGroup \"foo/api\" not found",
                 "test.yaml:30: resource Listener/foo/edge: TargetGroup \"foo/wbe\" not found "
                 "(did you mean \"foo/web\"?)"});
}

TEST(References, MeshTargetGroupPortMustBeAGatewayServerPort) {
  expect_ok(kGateway + gatehouse("TargetGroup", "targetType: mesh\nport: 80", "mesh"));
  expect_error(kGateway + gatehouse("TargetGroup", "targetType: mesh\nport: 8080", "mesh"),
               "test.yaml:18: resource TargetGroup/foo/mesh: no Gateway server listens on port "
               "8080 (a mesh target group hands requests to a Gateway server port)");
  expect_ok(gatehouse("TargetGroup", "targetType: ip\nport: 8080", "ip"));
}

std::string listener_on(std::string_view address, int port, std::string_view name) {
  return gatehouse("Listener",
                   "address: \"" + std::string(address) + "\"\nport: " + std::to_string(port) +
                       "\ndefaultActions: [{type: fixed-response, fixedResponseConfig: "
                       "{statusCode: 404}}]",
                   name) +
         "---\n";
}

TEST(References, ListenersMustNotShareAnAddressAndPort) {
  expect_error(listener_on("0.0.0.0", 80, "a") + listener_on("0.0.0.0", 80, "b"),
               "test.yaml:18: resource Listener/foo/b: address 0.0.0.0:80 is already used by "
               "Listener/foo/a (test.yaml:8)");
  expect_error(listener_on("127.0.0.1", 80, "a") + listener_on("0.0.0.0", 80, "b"),
               "test.yaml:18: resource Listener/foo/b: address 0.0.0.0:80 is already used by "
               "Listener/foo/a (test.yaml:8)");
  expect_error(listener_on("::", 80, "a") + listener_on("127.0.0.1", 80, "b"),
               "test.yaml:18: resource Listener/foo/b: address 127.0.0.1:80 is already used by "
               "Listener/foo/a (test.yaml:8)");
  expect_ok(listener_on("127.0.0.1", 80, "a") + listener_on("127.0.0.2", 80, "b") +
            listener_on("127.0.0.1", 81, "c") + listener_on("::1", 80, "d"));
}

}  // namespace
}  // namespace gatehouse::config
