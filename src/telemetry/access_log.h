// The access log line: one JSON object per request, in the field names of Istio's JSON
// access log so existing log pipelines read it. Pure: the engine writes the line out.
// Thread-safety: pure functions over caller-owned values.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

namespace gatehouse::telemetry {

// Envoy's response flags (the subset gatehouse can raise), in Envoy's rendering order.
enum class ResponseFlag : uint8_t {
  NoHealthyUpstream,                // UH
  UpstreamRequestTimeout,           // UT
  LocalReset,                       // LR
  UpstreamRemoteReset,              // UR
  UpstreamConnectionFailure,        // UF
  UpstreamConnectionTermination,    // UC
  UpstreamOverflow,                 // UO
  NoRoute,                          // NR
  UnauthorizedExternalService,      // UAEX
  DownstreamConnectionTermination,  // DC
  UpstreamRetryLimitExceeded,       // URX
  StreamIdleTimeout,                // SI
  DownstreamProtocolError,          // DPE
  DurationTimeout,                  // DT
  UpstreamProtocolError,            // UPE
};
inline constexpr std::size_t kResponseFlagCount = 15;

// Envoy's short code, e.g. "UF".
std::string_view short_code(ResponseFlag flag);

// A set of response flags; a plain value, so building one never allocates.
class ResponseFlags {
 public:
  ResponseFlags& set(ResponseFlag flag) {
    bits_ |= bit(flag);
    return *this;
  }
  bool has(ResponseFlag flag) const { return (bits_ & bit(flag)) != 0; }
  bool empty() const { return bits_ == 0; }

 private:
  static uint32_t bit(ResponseFlag flag) { return uint32_t{1} << static_cast<unsigned>(flag); }
  uint32_t bits_ = 0;
};

// One finished request. Views into the request's buffers: the engine fills it right
// before the line is formatted.
struct AccessLogEntry {
  std::chrono::system_clock::time_point time;  // when the first request byte arrived
  std::string_view request_id;                 // x-request-id
  std::string_view peer;                       // downstream "address:port"
  std::string_view method;
  std::string_view authority;
  std::string_view path;      // as received, query included (what Envoy logs as :path)
  std::string_view protocol;  // "HTTP/1.1"
  uint32_t status = 0;        // 0 when no response was sent
  uint64_t bytes_received = 0;
  uint64_t bytes_sent = 0;
  std::chrono::nanoseconds duration{0};
  std::string_view route;          // route or rule name; empty when none matched
  std::string_view upstream_host;  // "address:port"; empty when no upstream was used
  ResponseFlags response_flags;
  std::string_view user_agent;
  std::string_view x_forwarded_for;
  // Request authentication: the outcome's status code name ("Ok", "JwtExpired"; empty when no
  // token was checked) and the verified or presented token's issuer and subject.
  std::string_view jwt_status;
  std::string_view jwt_issuer;
  std::string_view jwt_subject;
  std::string_view authz_result;
  std::string_view authz;  // the decision's explanation
  // Why the edge's login answered itself, ALB's error_reason ("AuthInvalidStateParam"), and
  // gatehouse's precise code with its detail ("NonceCookieMismatch").
  std::string_view error_reason;
  std::string_view error_detail;
};

// Appends `entry` as one JSON line ending in '\n'. Keys: start_time (RFC 3339 UTC with
// milliseconds), request_id, downstream_remote_address, method, authority, path,
// protocol, response_code, bytes_received, bytes_sent, duration (whole milliseconds),
// route_name, upstream_host, response_flags ("UF,URX", "-" when none), user_agent,
// x_forwarded_for, jwt_status, jwt_issuer, jwt_subject, authz_result, authz, error_reason,
// error_detail.
// Empty strings are
// written as null. Every string is escaped, so hostile header values cannot break the line.
// Allocates only by growing `out`.
void append_access_log_json(const AccessLogEntry& entry, std::string& out);

}  // namespace gatehouse::telemetry
