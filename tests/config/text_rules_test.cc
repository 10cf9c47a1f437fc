// The small pure helpers behind config errors and checks: durations, did-you-mean,
// quoting, and name syntax (hosts, labels, IPs, header names).
#include <gtest/gtest.h>

#include <array>
#include <chrono>
#include <variant>

#include "config/did_you_mean.h"
#include "config/duration.h"
#include "config/syntax.h"

namespace gatehouse::config {
namespace {

using std::chrono::nanoseconds;

nanoseconds duration_of(std::string_view text) {
  auto parsed = parse_duration(text);
  EXPECT_TRUE(std::holds_alternative<nanoseconds>(parsed)) << text;
  return std::holds_alternative<nanoseconds>(parsed) ? std::get<nanoseconds>(parsed)
                                                     : nanoseconds(-1);
}

std::string duration_error(std::string_view text) {
  auto parsed = parse_duration(text);
  EXPECT_TRUE(std::holds_alternative<std::string>(parsed)) << text;
  return std::holds_alternative<std::string>(parsed) ? std::get<std::string>(parsed) : "";
}

TEST(Duration, ReadsGoAndProtobufForms) {
  EXPECT_EQ(duration_of("10s"), std::chrono::seconds(10));
  EXPECT_EQ(duration_of("1.5s"), std::chrono::milliseconds(1500));
  EXPECT_EQ(duration_of("500ms"), std::chrono::milliseconds(500));
  EXPECT_EQ(duration_of("1m"), std::chrono::minutes(1));
  EXPECT_EQ(duration_of("1h"), std::chrono::hours(1));
  EXPECT_EQ(duration_of("100us"), std::chrono::microseconds(100));
  EXPECT_EQ(duration_of("100\xc2\xb5s"), std::chrono::microseconds(100));
  EXPECT_EQ(duration_of("7ns"), nanoseconds(7));
  EXPECT_EQ(duration_of("1h30m"), std::chrono::minutes(90));
  EXPECT_EQ(duration_of("0.000000001s"), nanoseconds(1));
  EXPECT_EQ(duration_of(".5s"), std::chrono::milliseconds(500));
  EXPECT_EQ(duration_of("0s"), nanoseconds(0));
}

TEST(Duration, RefusesBadForms) {
  const std::string expected = "expected a duration such as \"10s\", \"500ms\" or \"1m30s\"";
  EXPECT_EQ(duration_error(""), expected);
  EXPECT_EQ(duration_error("10"), expected + " (missing or unknown unit)");
  EXPECT_EQ(duration_error("10 s"), expected + " (missing or unknown unit)");
  EXPECT_EQ(duration_error("10S"), expected + " (missing or unknown unit)");
  EXPECT_EQ(duration_error("-1s"), expected);
  EXPECT_EQ(duration_error("s"), expected);
  EXPECT_EQ(duration_error("1.s.5"), expected + " (missing or unknown unit)");
  EXPECT_EQ(duration_error("1s."), expected);
  EXPECT_EQ(duration_error("1d"), expected + " (missing or unknown unit)");
}

TEST(Duration, RefusesOverflow) {
  EXPECT_EQ(duration_error("9999999999999999999h"), "duration is too large");
  EXPECT_EQ(duration_error("3000000h"), "duration is too large");
  EXPECT_EQ(duration_error("2562047h2562047h"), "duration is too large");
}

TEST(DidYouMean, FindsCloseNames) {
  constexpr std::array<std::string_view, 4> kNames{"hosts", "gateways", "http", "exportTo"};
  EXPECT_EQ(did_you_mean("hots", kNames), "hosts");
  EXPECT_EQ(did_you_mean("gateway", kNames), "gateways");
  EXPECT_EQ(did_you_mean("export_to", kNames), "exportTo");
  EXPECT_EQ(did_you_mean("HOSTS", kNames), "hosts");
  EXPECT_EQ(did_you_mean("gatewaysList", kNames), "gateways");
  EXPECT_EQ(did_you_mean("tcp", kNames), std::nullopt);
  EXPECT_EQ(did_you_mean("", kNames), std::nullopt);
  EXPECT_EQ(did_you_mean(std::string(1000, 'h'), kNames), std::nullopt);
}

TEST(DidYouMean, AppendsSuggestionToMessage) {
  constexpr std::array<std::string_view, 1> kNames{"hosts"};
  EXPECT_EQ(with_suggestion("unknown field \"hots\"", "hots", kNames),
            "unknown field \"hots\" (did you mean \"hosts\"?)");
  EXPECT_EQ(with_suggestion("unknown field \"zzz\"", "zzz", kNames), "unknown field \"zzz\"");
}

TEST(Quote, EscapesAndTruncates) {
  EXPECT_EQ(quote("plain"), "\"plain\"");
  EXPECT_EQ(quote("a\"b\\c"), "\"a\\\"b\\\\c\"");
  EXPECT_EQ(quote(std::string("\x01\xff\n", 3)), "\"\\x01\\xff\\x0a\"");
  EXPECT_EQ(quote(std::string(100, 'x')), "\"" + std::string(64, 'x') + "...\"");
}

TEST(Syntax, Hosts) {
  EXPECT_EQ(check_host("*"), std::nullopt);
  EXPECT_EQ(check_host("reviews"), std::nullopt);
  EXPECT_EQ(check_host("*.example.com"), std::nullopt);
  EXPECT_EQ(check_host("Httpbin.Foo.svc.cluster.local."), std::nullopt);
  EXPECT_EQ(check_host(""), "empty host name not allowed");
  EXPECT_EQ(check_host(std::string(256, 'a')), "host name too long (max 255)");
  EXPECT_EQ(check_host("*foo.example.com"),
            "a wildcard is only allowed as the whole left-most label, as in \"*.example.com\"");
  EXPECT_EQ(check_host("foo.*.com"),
            "a wildcard is only allowed as the whole left-most label, as in \"*.example.com\"");
  EXPECT_EQ(check_host("a..b"), "label \"\" is invalid");
  EXPECT_EQ(check_host("-a.b"), "label \"-a\" is invalid");
  EXPECT_EQ(check_host("a.123"), "top-level domain \"123\" cannot be all-numeric");
}

TEST(Syntax, GatewayHosts) {
  EXPECT_EQ(check_gateway_host("*"), std::nullopt);
  EXPECT_EQ(check_gateway_host("foo/*.example.com"), std::nullopt);
  EXPECT_EQ(check_gateway_host("./bookinfo.com"), std::nullopt);
  EXPECT_EQ(check_gateway_host("*/bookinfo.com"), std::nullopt);
  EXPECT_EQ(check_gateway_host("10.0.0.1"), std::nullopt);
  EXPECT_EQ(check_gateway_host("bookinfo"), "short names (non FQDN) are not allowed");
  EXPECT_EQ(check_gateway_host("/a.com"), "namespace and host name cannot be empty");
  EXPECT_EQ(check_gateway_host("n_s/a.com"), "invalid namespace \"n_s\"");
}

TEST(Syntax, ObjectNamesAndLabels) {
  EXPECT_EQ(check_object_name("httpbin-gateway.v1"), std::nullopt);
  EXPECT_NE(check_object_name("Httpbin"), std::nullopt);
  EXPECT_NE(check_object_name("a/b"), std::nullopt);
  EXPECT_NE(check_object_name(""), std::nullopt);
  EXPECT_NE(check_object_name(std::string(254, 'a')), std::nullopt);
  EXPECT_EQ(check_label_key("app.kubernetes.io/name"), std::nullopt);
  EXPECT_NE(check_label_key("Bad Prefix/name"), std::nullopt);
  EXPECT_NE(check_label_key(std::string(64, 'a')), std::nullopt);
  EXPECT_EQ(check_label_value(""), std::nullopt);
  EXPECT_EQ(check_label_value("v1.2_3-x"), std::nullopt);
  EXPECT_NE(check_label_value("v1 "), std::nullopt);
  EXPECT_TRUE(is_dns_label("abc-1"));
  EXPECT_FALSE(is_dns_label("ABC"));
  EXPECT_TRUE(is_dns_label("ABC", true));
  EXPECT_FALSE(is_dns_label(std::string(64, 'a')));
}

TEST(Syntax, IpAddresses) {
  EXPECT_TRUE(is_ipv4("127.0.0.1"));
  EXPECT_TRUE(is_ipv4("255.255.255.255"));
  EXPECT_FALSE(is_ipv4("256.0.0.1"));
  EXPECT_FALSE(is_ipv4("01.2.3.4"));
  EXPECT_FALSE(is_ipv4("1.2.3"));
  EXPECT_FALSE(is_ipv4("1.2.3.4.5"));
  EXPECT_FALSE(is_ipv4("a.b.c.d"));
  EXPECT_TRUE(is_ipv6("::"));
  EXPECT_TRUE(is_ipv6("::1"));
  EXPECT_TRUE(is_ipv6("fe80::1:2"));
  EXPECT_TRUE(is_ipv6("2001:db8:0:0:0:0:0:1"));
  EXPECT_TRUE(is_ipv6("::ffff:10.0.0.1"));
  EXPECT_TRUE(is_ipv6("1::"));
  EXPECT_FALSE(is_ipv6(":::"));
  EXPECT_FALSE(is_ipv6("1:2:3:4:5:6:7:8:9"));
  EXPECT_FALSE(is_ipv6("1::2::3"));
  EXPECT_FALSE(is_ipv6("12345::"));
  EXPECT_FALSE(is_ipv6("1:"));
  EXPECT_FALSE(is_ipv6("fe80::1%eth0"));
  EXPECT_FALSE(is_ipv6("1.2.3.4"));
  EXPECT_TRUE(is_unspecified_ip("0.0.0.0"));
  EXPECT_TRUE(is_cidr("10.0.0.0/8"));
  EXPECT_TRUE(is_cidr("2001:db8::/32"));
  EXPECT_FALSE(is_cidr("10.0.0.0/33"));
  EXPECT_FALSE(is_cidr("10.0.0.0/"));
}

TEST(Syntax, HeaderNamesAndValues) {
  EXPECT_TRUE(is_http_token("x-request-id"));
  EXPECT_FALSE(is_http_token("bad header"));
  EXPECT_FALSE(is_http_token(""));
  EXPECT_FALSE(is_http_token(":authority"));
  EXPECT_TRUE(is_header_value("a\tb"));
  EXPECT_FALSE(is_header_value("a\r\nInjected: 1"));
  EXPECT_EQ(lower_case("X-Version"), "x-version");
  EXPECT_EQ(upper_case("grpc-web"), "GRPC-WEB");
}

TEST(Syntax, PortNumbers) {
  EXPECT_EQ(parse_port_number("0"), 0u);
  EXPECT_EQ(parse_port_number("080"), 80u);  // Go's ParseUint, as Istio reads ports
  EXPECT_EQ(parse_port_number("65535"), 65535u);
  for (std::string_view bad : {"", "65536", "-1", "+80", "80 ", "0x50", "999999"}) {
    EXPECT_FALSE(parse_port_number(bad).has_value()) << bad;
  }
}

TEST(Syntax, HttpUrls) {
  for (std::string_view good : {"https://a.example/keys", "http://a.example", "HTTPS://A:8443/x",
                                "https://[2001:db8::1]:443/k?x=1#f", "https://u:p@a/k"}) {
    EXPECT_EQ(check_http_url(good), std::nullopt) << good;
  }
  EXPECT_EQ(check_http_url("ftp://a/k"), "the scheme must be http or https");
  EXPECT_EQ(check_http_url("//a/k"), "the scheme must be http or https");
  EXPECT_EQ(check_http_url("https://"), "a host is required");
  EXPECT_EQ(check_http_url("https://:80/k"), "a host is required");
  EXPECT_EQ(check_http_url("https://a:0/k"), "invalid port");
  EXPECT_EQ(check_http_url("https://a:x/k"), "invalid port");
  EXPECT_EQ(check_http_url("https://[::1/k"), "invalid IPv6 address in brackets");
  EXPECT_EQ(check_http_url("https://[::1]x/k"), "unexpected text after the IPv6 address");
  EXPECT_EQ(check_http_url("https://a/\nb"), "spaces and control characters are not allowed");
}

TEST(Syntax, PathTemplates) {
  for (std::string_view good : {"/a/{*}", "/a/{**}", "/store/{**}/cart", "/foo/{*}/bar/{**}",
                                "/a/{*}/", "*", "/a*", "*.php", "/{x}", "{*"}) {
    EXPECT_EQ(check_path_template(good), std::nullopt) << good;
  }
  EXPECT_EQ(check_path_template("a/{*}"), "a path template must start with '/'");
  EXPECT_EQ(check_path_template("/a//{*}"), "a path template must not contain //");
  EXPECT_EQ(check_path_template("/{**}/a/{*}"),
            "{**} must be the last operator of a path template");
  for (std::string_view bad : {"/a/{*}.txt", "/{name}/{*}", "/a*/{*}", "/{*}/a?b", "/{*}/{=}"}) {
    EXPECT_TRUE(check_path_template(bad).has_value()) << bad;
  }
}

}  // namespace
}  // namespace gatehouse::config
