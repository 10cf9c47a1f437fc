#include "health/health_checker.h"

#include <gtest/gtest.h>

#include <atomic>

#include "test_server.h"

namespace gatehouse::health {
namespace {

using namespace std::chrono_literals;

// Fast settings: checks every 100 ms, ALB's thresholds otherwise shrunk to 2 and 2.
Settings fast(std::string path = "/health") {
  Settings settings;
  settings.path = std::move(path);
  settings.interval = 100ms;
  settings.timeout = 80ms;
  settings.thresholds = {.healthy = 2, .unhealthy = 2};
  return settings;
}

GroupSpec ip_group(std::string name, std::vector<uint16_t> ports,
                   std::shared_ptr<HealthTable>& table) {
  GroupSpec group{.name = std::move(name), .settings = fast()};
  for (uint16_t port : ports) group.targets.push_back({"127.0.0.1", port});
  table = std::make_shared<HealthTable>(ports.size());
  group.table = table;
  return group;
}

const TargetStatus* find(const std::vector<GroupStatus>& groups, std::string_view group,
                         std::size_t index) {
  for (const auto& g : groups)
    if (g.name == group && index < g.targets.size()) return &g.targets[index];
  return nullptr;
}

// Polls until `target` of `group` is in `state`, for at most 5 s.
bool wait_for(const HealthChecker& checker, std::string_view group, std::size_t index,
              State state) {
  const auto deadline = std::chrono::steady_clock::now() + 5s;
  while (std::chrono::steady_clock::now() < deadline) {
    const auto groups = checker.snapshot();
    if (const TargetStatus* target = find(groups, group, index))
      if (target->health.state() == state) return true;
    std::this_thread::sleep_for(10ms);
  }
  return false;
}

TEST(HealthChecker, TargetGoesUnhealthyAndComesBack) {
  std::atomic<unsigned> status{200};
  TestServer server(
      [&status](TestServer::Socket& s, const std::string&) { TestServer::reply(s, status); });
  HealthChecker checker;
  std::shared_ptr<HealthTable> table;
  checker.set_groups({ip_group("web", {server.port()}, table)});
  EXPECT_EQ(table->state(0), State::Initial);
  checker.start();

  ASSERT_TRUE(wait_for(checker, "web", 0, State::Healthy));
  EXPECT_EQ(table->state(0), State::Healthy);
  status = 503;
  ASSERT_TRUE(wait_for(checker, "web", 0, State::Unhealthy));
  EXPECT_EQ(table->state(0), State::Unhealthy);
  const auto groups = checker.snapshot();
  const TargetStatus* target = find(groups, "web", 0);
  EXPECT_EQ(reason_code(target->health.reason()), "Target.ResponseCodeMismatch");
  EXPECT_EQ(target->health.description(), "Health checks failed with these codes: [503]");
  ASSERT_TRUE(target->last);
  EXPECT_EQ(target->last->status, 503u);
  EXPECT_EQ(target->last->endpoint, "127.0.0.1:" + std::to_string(server.port()));
  EXPECT_GE(target->checks[static_cast<std::size_t>(ProbeResult::ResponseCodeMismatch)], 2u);

  status = 200;
  ASSERT_TRUE(wait_for(checker, "web", 0, State::Healthy));
  EXPECT_EQ(table->state(0), State::Healthy);
  checker.stop();
}

TEST(HealthChecker, TargetsThatStayKeepTheirStateInTheNewTable) {
  TestServer server([](TestServer::Socket& s, const std::string&) { TestServer::reply(s, 200); });
  TestServer other([](TestServer::Socket& s, const std::string&) { TestServer::reply(s, 200); });
  HealthChecker checker;
  std::shared_ptr<HealthTable> first;
  checker.set_groups({ip_group("web", {server.port()}, first)});
  checker.start();
  ASSERT_TRUE(wait_for(checker, "web", 0, State::Healthy));

  // A reload: the same target, now second in its group, next to a new one.
  std::shared_ptr<HealthTable> second;
  checker.set_groups({ip_group("web", {other.port(), server.port()}, second)});
  EXPECT_EQ(second->state(1), State::Healthy);  // written before set_groups returned
  EXPECT_EQ(second->state(0), State::Initial);
  ASSERT_TRUE(wait_for(checker, "web", 0, State::Healthy));

  // Gone from the config: forgotten.
  std::shared_ptr<HealthTable> third;
  checker.set_groups({ip_group("web", {other.port()}, third)});
  const auto groups = checker.snapshot();
  ASSERT_EQ(groups.size(), 1u);
  ASSERT_EQ(groups[0].targets.size(), 1u);
  EXPECT_EQ(groups[0].targets[0].target.port, other.port());
  EXPECT_EQ(third->state(0), State::Healthy);
  checker.stop();
}

TEST(HealthChecker, UnusedGroupsAreNotProbed) {
  TestServer server([](TestServer::Socket& s, const std::string&) { TestServer::reply(s, 200); });
  HealthChecker checker;
  std::shared_ptr<HealthTable> table;
  GroupSpec group = ip_group("idle", {server.port()}, table);
  group.in_use = false;
  checker.set_groups({group});
  checker.start();
  std::this_thread::sleep_for(200ms);
  EXPECT_TRUE(server.requests().empty());
  auto groups = checker.snapshot();
  EXPECT_EQ(reason_code(groups[0].targets[0].health.reason()), "Target.NotInUse");
  EXPECT_EQ(table->state(0), State::Unused);

  // A listener starts forwarding to it: registered, then checked.
  std::shared_ptr<HealthTable> used;
  checker.set_groups({ip_group("idle", {server.port()}, used)});
  EXPECT_EQ(used->state(0), State::Initial);
  ASSERT_TRUE(wait_for(checker, "idle", 0, State::Healthy));
  checker.stop();
}

TEST(HealthChecker, TimeoutsAndRefusedConnections) {
  TestServer silent(
      [](TestServer::Socket&, const std::string&) { std::this_thread::sleep_for(150ms); });
  uint16_t closed = 0;
  {
    TestServer gone([](TestServer::Socket&, const std::string&) {});
    closed = gone.port();
  }
  HealthChecker checker;
  std::shared_ptr<HealthTable> table;
  checker.set_groups({ip_group("down", {silent.port(), closed}, table)});
  checker.start();
  ASSERT_TRUE(wait_for(checker, "down", 0, State::Unhealthy));
  ASSERT_TRUE(wait_for(checker, "down", 1, State::Unhealthy));
  const auto groups = checker.snapshot();
  EXPECT_EQ(reason_code(groups[0].targets[0].health.reason()), "Target.Timeout");
  EXPECT_EQ(groups[0].targets[0].health.description(), "Request timed out");
  EXPECT_EQ(reason_code(groups[0].targets[1].health.reason()), "Target.FailedHealthChecks");
  checker.stop();
}

TEST(HealthChecker, MeshGroupsProbeWhereTheMeshRoutes) {
  TestServer upstream([](TestServer::Socket& s, const std::string& head) {
    TestServer::reply(s, head.starts_with("GET /status/200 ") ? 200 : 404);
  });
  HealthChecker checker;
  GroupSpec group{.name = "mesh", .mesh = true, .settings = fast("/healthz")};
  group.targets.push_back({"mesh", 80});
  std::atomic<int> routed{0};
  group.resolve = [&](uint16_t port, std::string_view host, std::string_view target) {
    ++routed;
    MeshProbe out;
    if (port != 80 || host != "127.0.0.1:80" || target != "/healthz") {
      out.local_status = 404;
      return out;
    }
    out.endpoints = {upstream.endpoint()};
    out.target = "/status/200";  // the route rewrites the path
    out.host = "httpbin.internal";
    out.route = "VirtualService/foo/httpbin";
    out.cluster = "outbound|8000||httpbin.foo.svc.cluster.local";
    return out;
  };
  checker.set_groups({group});
  checker.start();
  ASSERT_TRUE(wait_for(checker, "mesh", 0, State::Healthy));
  EXPECT_GE(routed.load(), 1);
  ASSERT_FALSE(upstream.requests().empty());
  EXPECT_TRUE(
      upstream.requests()[0].starts_with("GET /status/200 HTTP/1.1\r\nHost: httpbin.internal\r\n"));
  const auto groups = checker.snapshot();
  const auto& last = *groups[0].targets[0].last;
  EXPECT_EQ(last.route, "VirtualService/foo/httpbin");
  EXPECT_EQ(last.endpoint, "127.0.0.1:" + std::to_string(upstream.port()));
  checker.stop();
}

TEST(HealthChecker, MeshAnswersItselfCountAsTheirStatus) {
  HealthChecker checker;
  GroupSpec group{.name = "mesh", .mesh = true, .settings = fast()};
  group.targets.push_back({"mesh", 80});
  group.resolve = [](uint16_t, std::string_view, std::string_view) {
    return MeshProbe{.local_status = 403};  // AuthorizationPolicy: RBAC: access denied
  };
  checker.set_groups({group});
  checker.start();
  ASSERT_TRUE(wait_for(checker, "mesh", 0, State::Unhealthy));
  const auto groups = checker.snapshot();
  EXPECT_EQ(groups[0].targets[0].health.description(),
            "Health checks failed with these codes: [403]");
  EXPECT_TRUE(groups[0].targets[0].last->endpoint.empty());
  checker.stop();
}

}  // namespace
}  // namespace gatehouse::health
