#include "health/report.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>

namespace gatehouse::health {
namespace {

namespace json = boost::json;

std::vector<GroupStatus> sample() {
  GroupStatus web{.name = "web", .settings = {}};
  web.settings.path = "/health";
  web.settings.matcher = *Matcher::parse("200-299");
  TargetStatus up{.target = {"10.0.0.1", 8080}, .health_check_port = 8080};
  up.health.record(ProbeResult::Success, 200, {});
  up.checks[0] = 3;
  up.last = ProbeRecord{
      .time = std::chrono::system_clock::time_point(std::chrono::milliseconds(1700000000123)),
      .latency = std::chrono::microseconds(1500),
      .status = 200,
      .endpoint = "10.0.0.1:8080"};
  TargetStatus down{.target = {"10.0.0.2", 8080}, .health_check_port = 9000};
  down.health.record(ProbeResult::ResponseCodeMismatch, 404, {});
  down.health.record(ProbeResult::ResponseCodeMismatch, 404, {});
  down.checks[1] = 2;
  web.targets = {up, down};

  GroupStatus mesh{.name = "mesh \"gw\"", .mesh = true, .in_use = false, .settings = {}};
  TargetStatus gateway{.target = {"mesh", 80}, .health_check_port = 80};
  gateway.health.set_unused();
  mesh.targets = {gateway};
  return {web, mesh};
}

TEST(TargetsJson, DescribesEveryTargetInAlbTerms) {
  const json::value page = json::parse(targets_json(sample()));
  const auto& groups = page.at("target_groups").as_array();
  ASSERT_EQ(groups.size(), 2u);
  const auto& web = groups[0].as_object();
  EXPECT_EQ(web.at("name"), "web");
  EXPECT_EQ(web.at("target_type"), "ip");
  EXPECT_EQ(web.at("health_check").at("path"), "/health");
  EXPECT_EQ(web.at("health_check").at("port"), "traffic-port");
  EXPECT_EQ(web.at("health_check").at("matcher"), "200-299");
  EXPECT_EQ(web.at("health_check").at("interval_seconds"), 30);

  const auto& up = web.at("targets").at(0).as_object();
  EXPECT_EQ(up.at("id"), "10.0.0.1");
  EXPECT_EQ(up.at("port"), 8080);
  EXPECT_EQ(up.at("state"), "healthy");
  EXPECT_TRUE(up.at("reason").is_null());
  EXPECT_TRUE(up.at("description").is_null());
  EXPECT_EQ(up.at("checks").at("success"), 3);
  EXPECT_EQ(up.at("last_check").at("time"), "2023-11-14T22:13:20.123Z");
  EXPECT_EQ(up.at("last_check").at("latency_ms"), 1.5);
  EXPECT_EQ(up.at("last_check").at("status"), 200);
  EXPECT_EQ(up.at("last_check").at("endpoint"), "10.0.0.1:8080");

  const auto& down = web.at("targets").at(1).as_object();
  EXPECT_EQ(down.at("state"), "unhealthy");
  EXPECT_EQ(down.at("reason"), "Target.ResponseCodeMismatch");
  EXPECT_EQ(down.at("description"), "Health checks failed with these codes: [404]");
  EXPECT_EQ(down.at("health_check_port"), 9000);
  EXPECT_EQ(down.at("consecutive_failures"), 2);
  EXPECT_TRUE(down.at("last_check").is_null());

  const auto& mesh = groups[1].as_object();
  EXPECT_EQ(mesh.at("target_type"), "mesh");
  EXPECT_EQ(mesh.at("in_use"), false);
  EXPECT_EQ(mesh.at("targets").at(0).at("reason"), "Target.NotInUse");
}

TEST(HealthMetrics, OneSeriesPerStateReasonsAndResults) {
  std::string out;
  append_health_metrics(sample(), out);
  for (std::string_view line : {
           "# TYPE gatehouse_target_health gauge\n",
           "gatehouse_target_health{target_group=\"web\",target=\"10.0.0.1:8080\",state="
           "\"healthy\"} 1\n",
           "gatehouse_target_health{target_group=\"web\",target=\"10.0.0.1:8080\",state="
           "\"unhealthy\"} 0\n",
           "gatehouse_target_health{target_group=\"web\",target=\"10.0.0.2:8080\",state="
           "\"unhealthy\"} 1\n",
           "gatehouse_target_health{target_group=\"mesh "
           "\\\"gw\\\"\",target=\"mesh:80\",state=\"unused\"} 1\n",
           "gatehouse_target_health_reason{target_group=\"web\",target=\"10.0.0.2:8080\",reason="
           "\"Target.ResponseCodeMismatch\"} 1\n",
           "# TYPE gatehouse_health_checks_total counter\n",
           "gatehouse_health_checks_total{target_group=\"web\",target=\"10.0.0.1:8080\",result="
           "\"success\"} 3\n",
           "gatehouse_health_checks_total{target_group=\"web\",target=\"10.0.0.2:8080\",result="
           "\"success\"} 0\n",
           "gatehouse_health_checks_total{target_group=\"web\",target=\"10.0.0.2:8080\",result="
           "\"response_code_mismatch\"} 2\n",
       })
    EXPECT_NE(out.find(line), std::string::npos) << line << "\nin:\n" << out;
  EXPECT_EQ(out.find("target=\"10.0.0.1:8080\",reason="), std::string::npos);
  EXPECT_EQ(out.find("result=\"timeout\""), std::string::npos);
}

TEST(HealthMetrics, NothingWithoutTargetGroups) {
  std::string out;
  append_health_metrics({}, out);
  EXPECT_EQ(out, "");
}

}  // namespace
}  // namespace gatehouse::health
