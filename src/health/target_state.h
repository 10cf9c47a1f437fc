// One target's health as ALB tracks it: the state, the reason code and description that
// describe-target-health shows, and the consecutive check results the thresholds count.
// Pure: the checker feeds it probe results; nothing here does I/O or reads a clock.
//
//   initial --first pass--> healthy --unhealthy threshold of failures--> unhealthy
//   initial --unhealthy threshold of failures--> unhealthy
//   unhealthy --healthy threshold of passes--> healthy
//
// A registered target needs one passing check to become healthy (ALB's rule for new
// targets); only a target that was unhealthy needs the healthy threshold.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "health/health_table.h"

namespace gatehouse::health {

// How one probe ended.
enum class ProbeResult : uint8_t {
  Success,               // a status the matcher accepts, within the timeout
  ResponseCodeMismatch,  // another status
  Timeout,               // no response head within the timeout (connect included)
  ConnectionError,       // refused, reset, or closed before a response head
  BadResponse,           // not a well-formed HTTP/1.x response head
  InternalError,         // the gateway could not send the probe
};
inline constexpr std::size_t kProbeResultCount = 6;

// "success", "response_code_mismatch", ...: stable, for the metrics' `result` label.
std::string_view result_name(ProbeResult result);

// ALB's reason codes (describe-target-health `Reason`); None while healthy.
enum class Reason : uint8_t {
  None,
  RegistrationInProgress,  // Elb.RegistrationInProgress
  InitialHealthChecking,   // Elb.InitialHealthChecking
  ResponseCodeMismatch,    // Target.ResponseCodeMismatch
  Timeout,                 // Target.Timeout
  FailedHealthChecks,      // Target.FailedHealthChecks
  InternalError,           // Elb.InternalError
  NotInUse,                // Target.NotInUse
  HealthCheckDisabled,     // Target.HealthCheckDisabled
};

std::string_view state_name(State state);     // "initial", "healthy", ...
std::string_view reason_code(Reason reason);  // "Target.Timeout", ...; empty for None

struct Thresholds {
  uint32_t healthy = 5;
  uint32_t unhealthy = 2;
};

class TargetHealth {
 public:
  State state() const { return state_; }
  Reason reason() const { return reason_; }
  // ALB's description for the reason ("Health checks failed with these codes: [404]");
  // empty while healthy.
  std::string description() const;
  uint32_t consecutive_successes() const { return successes_; }
  uint32_t consecutive_failures() const { return failures_; }

  // Counts one probe; `status` is the response's status when there was one. Returns
  // whether the state changed.
  bool record(ProbeResult result, unsigned status, const Thresholds& thresholds);

  // The target group started or stopped being used by a listener, or its checks were
  // disabled: counts start over.
  void set_registered();  // initial, Elb.RegistrationInProgress
  void set_unused();      // unused, Target.NotInUse
  void set_disabled();    // unavailable, Target.HealthCheckDisabled

 private:
  State state_ = State::Initial;
  Reason reason_ = Reason::RegistrationInProgress;
  unsigned failed_status_ = 0;  // for ResponseCodeMismatch's description
  uint32_t successes_ = 0;
  uint32_t failures_ = 0;
};

}  // namespace gatehouse::health
