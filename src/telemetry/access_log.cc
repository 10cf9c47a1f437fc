#include "telemetry/access_log.h"

#include <fmt/format.h>

#include <algorithm>

#include "telemetry/escape.h"

namespace gatehouse::telemetry {
namespace {

// fmt::format_int rather than fmt::format_to: no intermediate buffer on this hot path.
void append_number(std::string& out, uint64_t value, std::size_t min_width = 0) {
  const fmt::format_int digits(value);
  if (digits.size() < min_width) out.append(min_width - digits.size(), '0');
  out.append(digits.data(), digits.size());
}

void append_rfc3339_millis(std::string& out, std::chrono::system_clock::time_point time) {
  using namespace std::chrono;
  const auto millis = floor<milliseconds>(time);
  const auto day = floor<days>(millis);
  const year_month_day date{day};
  const hh_mm_ss clock{millis - day};
  // system_clock's range (years 1677-2262) keeps the year at four digits.
  append_number(out, static_cast<uint64_t>(static_cast<int>(date.year())), 4);
  out.push_back('-');
  append_number(out, static_cast<unsigned>(date.month()), 2);
  out.push_back('-');
  append_number(out, static_cast<unsigned>(date.day()), 2);
  out.push_back('T');
  append_number(out, static_cast<uint64_t>(clock.hours().count()), 2);
  out.push_back(':');
  append_number(out, static_cast<uint64_t>(clock.minutes().count()), 2);
  out.push_back(':');
  append_number(out, static_cast<uint64_t>(clock.seconds().count()), 2);
  out.push_back('.');
  append_number(out, static_cast<uint64_t>(clock.subseconds().count()), 3);
  out.push_back('Z');
}

void append_response_flags(std::string& out, ResponseFlags flags) {
  if (flags.empty()) {
    out.append("\"-\"");
    return;
  }
  out.push_back('"');
  bool first = true;
  for (std::size_t i = 0; i < kResponseFlagCount; ++i) {
    const auto flag = static_cast<ResponseFlag>(i);
    if (!flags.has(flag)) continue;
    if (!first) out.push_back(',');
    out.append(short_code(flag));
    first = false;
  }
  out.push_back('"');
}

// `"key":` followed by the value as a JSON string, or null when it is empty.
void append_string_field(std::string& out, std::string_view key, std::string_view value) {
  out.push_back('"');
  out.append(key);
  out.append("\":");
  if (value.empty())
    out.append("null");
  else
    append_json_string(out, value);
  out.push_back(',');
}

void append_number_field(std::string& out, std::string_view key, uint64_t value) {
  out.push_back('"');
  out.append(key);
  out.append("\":");
  append_number(out, value);
  out.push_back(',');
}

}  // namespace

std::string_view short_code(ResponseFlag flag) {
  switch (flag) {
    case ResponseFlag::NoHealthyUpstream:
      return "UH";
    case ResponseFlag::UpstreamRequestTimeout:
      return "UT";
    case ResponseFlag::LocalReset:
      return "LR";
    case ResponseFlag::UpstreamRemoteReset:
      return "UR";
    case ResponseFlag::UpstreamConnectionFailure:
      return "UF";
    case ResponseFlag::UpstreamConnectionTermination:
      return "UC";
    case ResponseFlag::UpstreamOverflow:
      return "UO";
    case ResponseFlag::NoRoute:
      return "NR";
    case ResponseFlag::UnauthorizedExternalService:
      return "UAEX";
    case ResponseFlag::DownstreamConnectionTermination:
      return "DC";
    case ResponseFlag::UpstreamRetryLimitExceeded:
      return "URX";
    case ResponseFlag::StreamIdleTimeout:
      return "SI";
    case ResponseFlag::DownstreamProtocolError:
      return "DPE";
    case ResponseFlag::DurationTimeout:
      return "DT";
    case ResponseFlag::UpstreamProtocolError:
      return "UPE";
  }
  return "-";
}

void append_access_log_json(const AccessLogEntry& entry, std::string& out) {
  out.append("{\"start_time\":\"");
  append_rfc3339_millis(out, entry.time);
  out.append("\",");
  append_string_field(out, "request_id", entry.request_id);
  append_string_field(out, "downstream_remote_address", entry.peer);
  append_string_field(out, "method", entry.method);
  append_string_field(out, "authority", entry.authority);
  append_string_field(out, "path", entry.path);
  append_string_field(out, "protocol", entry.protocol);
  append_number_field(out, "response_code", entry.status);
  append_number_field(out, "bytes_received", entry.bytes_received);
  append_number_field(out, "bytes_sent", entry.bytes_sent);
  const auto millis = std::chrono::duration_cast<std::chrono::milliseconds>(entry.duration);
  append_number_field(out, "duration", static_cast<uint64_t>(std::max<int64_t>(0, millis.count())));
  append_string_field(out, "route_name", entry.route);
  append_string_field(out, "upstream_host", entry.upstream_host);
  out.append("\"response_flags\":");
  append_response_flags(out, entry.response_flags);
  out.push_back(',');
  append_string_field(out, "user_agent", entry.user_agent);
  append_string_field(out, "x_forwarded_for", entry.x_forwarded_for);
  append_string_field(out, "jwt_status", entry.jwt_status);
  append_string_field(out, "jwt_issuer", entry.jwt_issuer);
  append_string_field(out, "jwt_subject", entry.jwt_subject);
  append_string_field(out, "authz_result", entry.authz_result);
  append_string_field(out, "authz", entry.authz);
  append_string_field(out, "error_reason", entry.error_reason);
  append_string_field(out, "error_detail", entry.error_detail);
  out.back() = '}';  // the last field's trailing comma
  out.push_back('\n');
}

}  // namespace gatehouse::telemetry
