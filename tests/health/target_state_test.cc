#include "health/target_state.h"

#include <gtest/gtest.h>

namespace gatehouse::health {
namespace {

constexpr Thresholds kAlb{.healthy = 5, .unhealthy = 2};

void pass(TargetHealth& health, int times = 1, Thresholds thresholds = kAlb) {
  for (int i = 0; i < times; ++i) health.record(ProbeResult::Success, 200, thresholds);
}
void fail(TargetHealth& health, ProbeResult result, int times = 1, unsigned status = 0,
          Thresholds thresholds = kAlb) {
  for (int i = 0; i < times; ++i) health.record(result, status, thresholds);
}

TEST(TargetHealth, RegisteredTargetsStartInitial) {
  TargetHealth health;
  EXPECT_EQ(health.state(), State::Initial);
  EXPECT_EQ(reason_code(health.reason()), "Elb.RegistrationInProgress");
  EXPECT_EQ(health.description(), "Target registration is in progress");
}

TEST(TargetHealth, ANewTargetIsHealthyAfterOnePassingCheck) {
  TargetHealth health;
  EXPECT_TRUE(health.record(ProbeResult::Success, 200, kAlb));
  EXPECT_EQ(health.state(), State::Healthy);
  EXPECT_EQ(health.reason(), Reason::None);
  EXPECT_EQ(health.description(), "");
  EXPECT_EQ(health.consecutive_successes(), 1u);
}

TEST(TargetHealth, InitialFailuresBelowTheThresholdAreInitialHealthChecking) {
  TargetHealth health;
  EXPECT_FALSE(health.record(ProbeResult::Timeout, 0, kAlb));
  EXPECT_EQ(health.state(), State::Initial);
  EXPECT_EQ(reason_code(health.reason()), "Elb.InitialHealthChecking");
  EXPECT_EQ(health.description(), "Initial health checks in progress");
  EXPECT_TRUE(health.record(ProbeResult::Timeout, 0, kAlb));
  EXPECT_EQ(health.state(), State::Unhealthy);
  EXPECT_EQ(reason_code(health.reason()), "Target.Timeout");
}

TEST(TargetHealth, HealthyGoesUnhealthyAfterTheUnhealthyThreshold) {
  const Thresholds three{.healthy = 5, .unhealthy = 3};
  TargetHealth health;
  pass(health);
  fail(health, ProbeResult::ResponseCodeMismatch, 2, 503, three);
  EXPECT_EQ(health.state(), State::Healthy);
  EXPECT_EQ(health.reason(), Reason::None);
  EXPECT_EQ(health.consecutive_failures(), 2u);
  fail(health, ProbeResult::ResponseCodeMismatch, 1, 404, three);
  EXPECT_EQ(health.state(), State::Unhealthy);
  EXPECT_EQ(reason_code(health.reason()), "Target.ResponseCodeMismatch");
  EXPECT_EQ(health.description(), "Health checks failed with these codes: [404]");
}

TEST(TargetHealth, APassInBetweenStartsTheFailureCountOver) {
  TargetHealth health;
  pass(health);
  fail(health, ProbeResult::Timeout);
  pass(health);
  fail(health, ProbeResult::Timeout);
  EXPECT_EQ(health.state(), State::Healthy);
  EXPECT_EQ(health.consecutive_failures(), 1u);
}

TEST(TargetHealth, UnhealthyNeedsTheHealthyThresholdToComeBack) {
  TargetHealth health;
  pass(health);
  fail(health, ProbeResult::ConnectionError, 2);
  ASSERT_EQ(health.state(), State::Unhealthy);
  pass(health, 4);
  EXPECT_EQ(health.state(), State::Unhealthy);
  EXPECT_EQ(reason_code(health.reason()), "Target.FailedHealthChecks");  // kept until healthy
  EXPECT_EQ(health.consecutive_successes(), 4u);
  fail(health, ProbeResult::Timeout);
  pass(health, 4);
  EXPECT_EQ(health.state(), State::Unhealthy);
  pass(health);
  EXPECT_EQ(health.state(), State::Healthy);
  EXPECT_EQ(health.reason(), Reason::None);
}

TEST(TargetHealth, TheReasonFollowsTheLatestFailure) {
  TargetHealth health;
  fail(health, ProbeResult::Timeout, 2);
  EXPECT_EQ(health.description(), "Request timed out");
  fail(health, ProbeResult::ResponseCodeMismatch, 1, 500);
  EXPECT_EQ(health.description(), "Health checks failed with these codes: [500]");
  fail(health, ProbeResult::BadResponse);
  EXPECT_EQ(reason_code(health.reason()), "Target.FailedHealthChecks");
  EXPECT_EQ(health.description(), "Health checks failed");
  fail(health, ProbeResult::InternalError);
  EXPECT_EQ(reason_code(health.reason()), "Elb.InternalError");
  EXPECT_EQ(health.description(), "Health checks failed due to an internal error");
}

TEST(TargetHealth, ConnectionErrorsAndMalformedResponsesAreFailedHealthChecks) {
  for (ProbeResult result : {ProbeResult::ConnectionError, ProbeResult::BadResponse}) {
    TargetHealth health;
    fail(health, result, 2);
    EXPECT_EQ(health.state(), State::Unhealthy);
    EXPECT_EQ(reason_code(health.reason()), "Target.FailedHealthChecks");
  }
}

TEST(TargetHealth, UnusedAndDisabledTargetsIgnoreProbes) {
  TargetHealth health;
  health.set_unused();
  EXPECT_EQ(health.state(), State::Unused);
  EXPECT_EQ(reason_code(health.reason()), "Target.NotInUse");
  EXPECT_EQ(health.description(),
            "Target group is not configured to receive traffic from the load balancer");
  EXPECT_FALSE(health.record(ProbeResult::Success, 200, kAlb));
  EXPECT_EQ(health.state(), State::Unused);

  health.set_disabled();
  EXPECT_EQ(health.state(), State::Unavailable);
  EXPECT_EQ(reason_code(health.reason()), "Target.HealthCheckDisabled");
  EXPECT_EQ(health.description(), "Health checks are disabled");

  health.set_registered();
  EXPECT_EQ(health.state(), State::Initial);
  EXPECT_EQ(reason_code(health.reason()), "Elb.RegistrationInProgress");
  EXPECT_EQ(health.consecutive_successes(), 0u);
}

TEST(TargetHealth, Names) {
  EXPECT_EQ(state_name(State::Initial), "initial");
  EXPECT_EQ(state_name(State::Healthy), "healthy");
  EXPECT_EQ(state_name(State::Unhealthy), "unhealthy");
  EXPECT_EQ(state_name(State::Unused), "unused");
  EXPECT_EQ(state_name(State::Unavailable), "unavailable");
  EXPECT_EQ(result_name(ProbeResult::Success), "success");
  EXPECT_EQ(result_name(ProbeResult::ResponseCodeMismatch), "response_code_mismatch");
  EXPECT_EQ(result_name(ProbeResult::Timeout), "timeout");
  EXPECT_EQ(result_name(ProbeResult::ConnectionError), "connection_error");
  EXPECT_EQ(result_name(ProbeResult::InternalError), "internal_error");
  EXPECT_EQ(reason_code(Reason::None), "");
}

}  // namespace
}  // namespace gatehouse::health
