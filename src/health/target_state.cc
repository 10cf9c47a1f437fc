#include "health/target_state.h"

#include <array>

namespace gatehouse::health {
namespace {

constexpr std::array<std::string_view, kProbeResultCount> kResultNames = {
    "success",          "response_code_mismatch", "timeout",
    "connection_error", "bad_response",           "internal_error"};
constexpr std::array<std::string_view, kStateCount> kStateNames = {
    "initial", "healthy", "unhealthy", "unused", "unavailable"};

Reason reason_of(ProbeResult result) {
  switch (result) {
    case ProbeResult::ResponseCodeMismatch:
      return Reason::ResponseCodeMismatch;
    case ProbeResult::Timeout:
      return Reason::Timeout;
    case ProbeResult::InternalError:
      return Reason::InternalError;
    case ProbeResult::ConnectionError:
    case ProbeResult::BadResponse:
    case ProbeResult::Success:
      break;
  }
  return Reason::FailedHealthChecks;
}

}  // namespace

std::string_view result_name(ProbeResult result) {
  return kResultNames[static_cast<std::size_t>(result)];
}

std::string_view state_name(State state) { return kStateNames[static_cast<std::size_t>(state)]; }

std::string_view reason_code(Reason reason) {
  switch (reason) {
    case Reason::None:
      return "";
    case Reason::RegistrationInProgress:
      return "Elb.RegistrationInProgress";
    case Reason::InitialHealthChecking:
      return "Elb.InitialHealthChecking";
    case Reason::ResponseCodeMismatch:
      return "Target.ResponseCodeMismatch";
    case Reason::Timeout:
      return "Target.Timeout";
    case Reason::FailedHealthChecks:
      return "Target.FailedHealthChecks";
    case Reason::InternalError:
      return "Elb.InternalError";
    case Reason::NotInUse:
      return "Target.NotInUse";
    case Reason::HealthCheckDisabled:
      return "Target.HealthCheckDisabled";
  }
  return "";
}

// The descriptions of the ALB user guide's table of reason codes.
std::string TargetHealth::description() const {
  switch (reason_) {
    case Reason::None:
      return "";
    case Reason::RegistrationInProgress:
      return "Target registration is in progress";
    case Reason::InitialHealthChecking:
      return "Initial health checks in progress";
    case Reason::ResponseCodeMismatch:
      return "Health checks failed with these codes: [" + std::to_string(failed_status_) + "]";
    case Reason::Timeout:
      return "Request timed out";
    case Reason::FailedHealthChecks:
      return "Health checks failed";
    case Reason::InternalError:
      return "Health checks failed due to an internal error";
    case Reason::NotInUse:
      return "Target group is not configured to receive traffic from the load balancer";
    case Reason::HealthCheckDisabled:
      return "Health checks are disabled";
  }
  return "";
}

bool TargetHealth::record(ProbeResult result, unsigned status, const Thresholds& thresholds) {
  if (state_ == State::Unused || state_ == State::Unavailable) return false;
  const State before = state_;
  if (result == ProbeResult::Success) {
    ++successes_;
    failures_ = 0;
    // A registered target must pass one check; an unhealthy one the healthy threshold.
    if (state_ == State::Initial ||
        (state_ == State::Unhealthy && successes_ >= thresholds.healthy)) {
      state_ = State::Healthy;
      reason_ = Reason::None;
    }
    return state_ != before;
  }
  ++failures_;
  successes_ = 0;
  if (state_ == State::Healthy && failures_ < thresholds.unhealthy) return false;
  if (state_ == State::Initial && failures_ < thresholds.unhealthy) {
    reason_ = Reason::InitialHealthChecking;
    return false;
  }
  // Unhealthy now, or still: the reason follows the latest failure.
  state_ = State::Unhealthy;
  reason_ = reason_of(result);
  failed_status_ = result == ProbeResult::ResponseCodeMismatch ? status : 0;
  return state_ != before;
}

void TargetHealth::set_registered() { *this = TargetHealth(); }

void TargetHealth::set_unused() {
  *this = TargetHealth();
  state_ = State::Unused;
  reason_ = Reason::NotInUse;
}

void TargetHealth::set_disabled() {
  *this = TargetHealth();
  state_ = State::Unavailable;
  reason_ = Reason::HealthCheckDisabled;
}

}  // namespace gatehouse::health
