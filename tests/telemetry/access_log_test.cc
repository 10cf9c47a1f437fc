#include "telemetry/access_log.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <set>
#include <string>

namespace gatehouse::telemetry {
namespace {

using namespace std::chrono_literals;

// 2024-02-29T23:59:58.123Z
constexpr std::chrono::system_clock::time_point kLeapDay{std::chrono::milliseconds(1709251198123)};

AccessLogEntry typical_entry() {
  return AccessLogEntry{
      .time = kLeapDay,
      .request_id = "5d9c6ab5-1111-4c2d-9d07-000000000001",
      .peer = "203.0.113.7:51234",
      .method = "GET",
      .authority = "app.example.com",
      .path = "/headers?x=1",
      .protocol = "HTTP/1.1",
      .status = 200,
      .bytes_received = 0,
      .bytes_sent = 512,
      .duration = 12'345'678ns,
      .route = "httpbin",
      .upstream_host = "10.0.0.5:8080",
      .response_flags = {},
      .user_agent = "curl/8.0",
      .x_forwarded_for = "198.51.100.1",
      .jwt_status = "Ok",
      .jwt_issuer = "https://idp.example/oauth2/default",
      .jwt_subject = "alice",
      .authz_result = "allowed",
      .authz = "allowed: matched an ALLOW rule (foo/require-group rule 0)",
      .error_reason = "",
      .error_detail = "",
  };
}

std::string line_of(const AccessLogEntry& entry) {
  std::string out;
  append_access_log_json(entry, out);
  return out;
}

boost::json::object parse_line(const std::string& line) {
  EXPECT_EQ(line.back(), '\n');
  EXPECT_EQ(line.find('\n'), line.size() - 1) << "exactly one line";
  boost::system::error_code error;
  auto value = boost::json::parse(line, error);
  EXPECT_FALSE(error) << error.message() << " in " << line;
  return value.is_object() ? value.as_object() : boost::json::object{};
}

TEST(AccessLog, WritesIstioFieldNamesAndValues) {
  EXPECT_EQ(line_of(typical_entry()),
            R"({"start_time":"2024-02-29T23:59:58.123Z",)"
            R"("request_id":"5d9c6ab5-1111-4c2d-9d07-000000000001",)"
            R"("downstream_remote_address":"203.0.113.7:51234","method":"GET",)"
            R"("authority":"app.example.com","path":"/headers?x=1","protocol":"HTTP/1.1",)"
            R"("response_code":200,"bytes_received":0,"bytes_sent":512,"duration":12,)"
            R"("route_name":"httpbin","upstream_host":"10.0.0.5:8080","response_flags":"-",)"
            R"("user_agent":"curl/8.0","x_forwarded_for":"198.51.100.1","jwt_status":"Ok",)"
            R"("jwt_issuer":"https://idp.example/oauth2/default","jwt_subject":"alice",)"
            R"("authz_result":"allowed",)"
            R"x("authz":"allowed: matched an ALLOW rule (foo/require-group rule 0)",)x"
            R"("error_reason":null,"error_detail":null})"
            "\n");
}

TEST(AccessLog, NoTokenOrPolicyCheckedLeavesTheirFieldsNull) {
  AccessLogEntry entry = typical_entry();
  entry.jwt_status = entry.jwt_issuer = entry.jwt_subject = "";
  entry.authz_result = entry.authz = "";
  const auto object = parse_line(line_of(entry));
  for (const char* key : {"jwt_status", "jwt_issuer", "jwt_subject", "authz_result", "authz",
                          "error_reason", "error_detail"}) {
    ASSERT_TRUE(object.contains(key)) << key;
    EXPECT_TRUE(object.at(key).is_null()) << key;
  }
}

TEST(AccessLog, WritesTheLoginErrorReason) {
  AccessLogEntry entry = typical_entry();
  entry.error_reason = "AuthInvalidStateParam";
  EXPECT_EQ(parse_line(line_of(entry)).at("error_reason").as_string(), "AuthInvalidStateParam");
}

TEST(AccessLog, AppendsToExistingBuffer) {
  std::string out = "previous line\n";
  append_access_log_json(typical_entry(), out);
  append_access_log_json(typical_entry(), out);
  EXPECT_EQ(out.rfind("previous line\n", 0), 0u);
  EXPECT_EQ(std::count(out.begin(), out.end(), '\n'), 3);
}

TEST(AccessLog, EmptyStringsBecomeNull) {
  AccessLogEntry entry = typical_entry();
  entry.route = "";
  entry.upstream_host = "";
  entry.user_agent = "";
  entry.x_forwarded_for = "";
  entry.request_id = "";
  const auto object = parse_line(line_of(entry));
  for (const char* key :
       {"route_name", "upstream_host", "user_agent", "x_forwarded_for", "request_id"})
    EXPECT_TRUE(object.at(key).is_null()) << key;
  EXPECT_EQ(object.at("method").as_string(), "GET");
}

TEST(AccessLog, TimeIsUtcWithMilliseconds) {
  AccessLogEntry entry = typical_entry();
  entry.time = std::chrono::system_clock::time_point{};  // the epoch
  EXPECT_EQ(parse_line(line_of(entry)).at("start_time").as_string(), "1970-01-01T00:00:00.000Z");
  entry.time = kLeapDay + 1877ms + 999us;  // sub-millisecond part is truncated, not rounded
  EXPECT_EQ(parse_line(line_of(entry)).at("start_time").as_string(), "2024-03-01T00:00:00.000Z");
  entry.time = std::chrono::system_clock::time_point{} - 1ms;
  EXPECT_EQ(parse_line(line_of(entry)).at("start_time").as_string(), "1969-12-31T23:59:59.999Z");
}

TEST(AccessLog, DurationInWholeMillisecondsNeverNegative) {
  AccessLogEntry entry = typical_entry();
  entry.duration = 999us;
  EXPECT_EQ(parse_line(line_of(entry)).at("duration").as_int64(), 0);
  entry.duration = 90s;
  EXPECT_EQ(parse_line(line_of(entry)).at("duration").as_int64(), 90000);
  entry.duration = -5ms;
  EXPECT_EQ(parse_line(line_of(entry)).at("duration").as_int64(), 0);
}

TEST(AccessLog, ResponseFlagsInEnvoyOrder) {
  AccessLogEntry entry = typical_entry();
  entry.response_flags.set(ResponseFlag::UpstreamRetryLimitExceeded)
      .set(ResponseFlag::UpstreamConnectionFailure)
      .set(ResponseFlag::NoHealthyUpstream);
  EXPECT_EQ(parse_line(line_of(entry)).at("response_flags").as_string(), "UH,UF,URX");
  entry.response_flags = ResponseFlags{}.set(ResponseFlag::NoRoute);
  EXPECT_EQ(parse_line(line_of(entry)).at("response_flags").as_string(), "NR");
}

TEST(AccessLog, EveryFlagHasADistinctShortCode) {
  std::set<std::string_view> codes;
  for (std::size_t i = 0; i < kResponseFlagCount; ++i) {
    const auto code = short_code(static_cast<ResponseFlag>(i));
    EXPECT_FALSE(code.empty());
    EXPECT_NE(code, "-");
    EXPECT_TRUE(codes.insert(code).second) << code;
  }
  EXPECT_EQ(short_code(ResponseFlag::DownstreamProtocolError), "DPE");
  EXPECT_EQ(short_code(ResponseFlag::UpstreamConnectionTermination), "UC");
  EXPECT_EQ(short_code(ResponseFlag::UpstreamRequestTimeout), "UT");
}

TEST(AccessLog, HostileValuesStayOneValidJsonLine) {
  const std::string nul_path("/a\0b", 4);
  AccessLogEntry entry = typical_entry();
  entry.path = nul_path;
  entry.user_agent = "evil\"}\n{\"status\":200,\"x\":\"\\";
  entry.x_forwarded_for = "\xFF\xFE, 1.2.3.4\r\n";
  entry.authority = "\xED\xA0\x80host";  // encoded surrogate
  entry.method = "G\tET\x01";
  entry.request_id = "\xC3\xA9t\xC3\xA9";  // valid UTF-8 is kept

  const auto object = parse_line(line_of(entry));
  EXPECT_EQ(object.at("path").as_string(), nul_path);
  EXPECT_EQ(object.at("user_agent").as_string(), "evil\"}\n{\"status\":200,\"x\":\"\\");
  EXPECT_EQ(object.at("x_forwarded_for").as_string(), "\uFFFD\uFFFD, 1.2.3.4\r\n");
  EXPECT_EQ(object.at("authority").as_string(), "\uFFFD\uFFFD\uFFFDhost");
  EXPECT_EQ(object.at("method").as_string(), "G\tET\x01");
  EXPECT_EQ(object.at("request_id").as_string(), "\xC3\xA9t\xC3\xA9");
  EXPECT_EQ(object.size(), 23u);
}

TEST(AccessLog, LargeCountersAndNoResponse) {
  AccessLogEntry entry = typical_entry();
  entry.status = 0;
  entry.bytes_received = UINT64_MAX;
  const std::string line = line_of(entry);
  EXPECT_NE(line.find(R"("response_code":0,)"), std::string::npos);
  EXPECT_NE(line.find(R"("bytes_received":18446744073709551615,)"), std::string::npos);
}

}  // namespace
}  // namespace gatehouse::telemetry
