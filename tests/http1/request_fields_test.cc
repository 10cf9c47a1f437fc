// Request field lines (RFC 9112 section 5) and the connection facts taken from them:
// Host, keep-alive and Expect. Content-Length and Transfer-Encoding: request_framing_test.
#include <gtest/gtest.h>

#include <string>
#include <string_view>

#include "http1/head.h"
#include "http1_test_support.h"

namespace gatehouse::http1 {
namespace {

TEST(RequestFields, KeptInArrivalOrderAsViewsIntoTheInput) {
  const std::string bytes = request_with("Accept: */*\r\nX-B: 2\r\naccept: text/html\r\n");
  RequestHead head;
  parse_complete(bytes, head);
  ASSERT_EQ(head.fields.size(), 4u);
  EXPECT_EQ(head.fields.all()[2].name, "X-B");
  EXPECT_EQ(head.fields.all()[3].value, "text/html");
  EXPECT_EQ(head.fields.get("ACCEPT"), "*/*");
  for (const Field& f : head.fields.all()) {
    EXPECT_GE(f.name.data(), bytes.data());
    EXPECT_LE(f.value.data() + f.value.size(), bytes.data() + bytes.size());
  }
}

TEST(RequestFields, ObsFoldIsRefusedEvenOnTheFirstLine) {
  EXPECT_EQ(request_verdict("GET / HTTP/1.1\r\n Host: a\r\n\r\n"), "Malformed: obs-fold");
  EXPECT_EQ(request_verdict(request_with("X: 1\r\n\t2\r\n")), "Malformed: obs-fold");
}

TEST(RequestFields, NameMustBeATokenFollowedByAColon) {
  for (std::string_view line : {"X-A", ":", "X(A): 1", "X/A: 1", "X\"A: 1", "Caf\xc3\xa9: 1"}) {
    SCOPED_TRACE(line);
    EXPECT_EQ(request_verdict(request_with(std::string(line) + "\r\n")),
              "Malformed: bad field name");
  }
  EXPECT_EQ(request_verdict(request_with("!#$%&'*+-.^_`|~09azAZ: 1\r\n")), "Complete");
}

TEST(RequestFields, WhitespaceBeforeTheColonIsRefused) {
  EXPECT_EQ(request_verdict("GET / HTTP/1.1\r\nHost : a\r\n\r\n"), "Malformed: bad field name");
  EXPECT_EQ(request_verdict(request_with("X-A\t: 1\r\n")), "Malformed: bad field name");
}

TEST(RequestFields, ControlOrDelInAValueIsRefused) {
  for (int c = 0; c < 0x20; ++c) {
    if (c == '\t') continue;
    SCOPED_TRACE(c);
    EXPECT_EQ(request_verdict(request_with("X: a" + std::string(1, char(c)) + "b\r\n")),
              "Malformed: bad field value");
  }
  EXPECT_EQ(request_verdict(request_with("X: a\x7f\r\n")), "Malformed: bad field value");
  EXPECT_EQ(request_verdict(request_with("X: \x01\r\n")), "Malformed: bad field value");
}

TEST(RequestFields, WhitespaceAroundAValueIsTrimmedButNotInside) {
  const std::string bytes = request_with("A: \t a \t b\t \r\nB:\r\nC: \t \r\nD:x\r\n");
  RequestHead head;
  parse_complete(bytes, head);
  EXPECT_EQ(head.fields.get("A"), "a \t b");
  EXPECT_EQ(head.fields.get("B"), "");
  EXPECT_EQ(head.fields.get("C"), "");
  EXPECT_EQ(head.fields.get("D"), "x");
}

TEST(RequestFields, ObsTextIsAllowedInValues) {
  const std::string bytes = request_with("X: caf\xc3\xa9 \x80\xff\r\n");
  RequestHead head;
  parse_complete(bytes, head);
  EXPECT_EQ(head.fields.get("x"), "caf\xc3\xa9 \x80\xff");
}

TEST(RequestHost, Http11NeedsExactlyOneHost) {
  EXPECT_EQ(request_verdict("GET / HTTP/1.1\r\nX: 1\r\n\r\n"), "Malformed: bad Host");
  EXPECT_EQ(request_verdict("GET / HTTP/1.1\r\nHost: a\r\nhost: a\r\n\r\n"), "Malformed: bad Host");
  RequestHead head;
  parse_complete("GET / HTTP/1.1\r\nhOsT: a.example:8080\r\n\r\n", head);
  EXPECT_EQ(head.host, "a.example:8080");
  // RFC 9112 section 3.2: an empty Host is how a client says the target has no authority.
  parse_complete("GET / HTTP/1.1\r\nHost:\r\n\r\n", head);
  EXPECT_EQ(head.host, "");
}

TEST(RequestHost, Http10AllowsNoHostButNotTwo) {
  RequestHead head;
  parse_complete("GET / HTTP/1.0\r\n\r\n", head);
  EXPECT_EQ(head.host, "");
  parse_complete("GET / HTTP/1.0\r\nHost: b\r\n\r\n", head);
  EXPECT_EQ(head.host, "b");
  EXPECT_EQ(request_verdict("GET / HTTP/1.0\r\nHost: a\r\nHost: b\r\n\r\n"), "Malformed: bad Host");
}

// The connection facts of a request with `fields` (each ending in CRLF) after a Host.
struct Connection {
  bool keep_alive = false;
  bool expect_continue = false;
};

Connection connection_of(std::string_view version, std::string_view fields) {
  const std::string bytes =
      "GET / " + std::string(version) + "\r\nHost: a\r\n" + std::string(fields) + "\r\n";
  RequestHead head;
  const HeadResult r = parse_request(bytes, Limits{}, head);
  EXPECT_EQ(r.status, HeadStatus::Complete) << r.reason;
  return {head.keep_alive, head.expect_continue};
}

TEST(RequestKeepAlive, Http11DefaultsOnUntilClose) {
  for (std::string_view fields :
       {"", "Connection: Keep-Alive, Upgrade\r\n", "Connection: closed\r\nX-Connection: close\r\n"})
    EXPECT_TRUE(connection_of("HTTP/1.1", fields).keep_alive) << fields;
  for (std::string_view fields : {"Connection: close\r\n", "Connection: upgrade, CLOSE\r\n",
                                  "Connection: upgrade\r\nConnection: close\r\n"})
    EXPECT_FALSE(connection_of("HTTP/1.1", fields).keep_alive) << fields;
}

TEST(RequestKeepAlive, Http10DefaultsOffUnlessKeepAlive) {
  for (std::string_view fields :
       {"Connection: keep-alive\r\n", "Connection: Upgrade, Keep-Alive\r\n"})
    EXPECT_TRUE(connection_of("HTTP/1.0", fields).keep_alive) << fields;
  for (std::string_view fields :
       {"", "Connection: keep-alive, close\r\n", "Keep-Alive: timeout=5\r\n"})
    EXPECT_FALSE(connection_of("HTTP/1.0", fields).keep_alive) << fields;
}

TEST(RequestExpect, ContinueOnlyInHttp11) {
  EXPECT_TRUE(connection_of("HTTP/1.1", "Expect: 100-continue\r\n").expect_continue);
  EXPECT_TRUE(connection_of("HTTP/1.1", "Expect: 100-Continue\r\n").expect_continue);
  EXPECT_FALSE(connection_of("HTTP/1.1", "Expect: 200-ok\r\n").expect_continue);
  EXPECT_FALSE(connection_of("HTTP/1.1", "").expect_continue);
  // An HTTP/1.0 client does not wait for 100 Continue; sending one would confuse it.
  EXPECT_FALSE(connection_of("HTTP/1.0", "Expect: 100-continue\r\n").expect_continue);
}

}  // namespace
}  // namespace gatehouse::http1
