// The request line and the head as a whole: methods, targets, versions, leading empty
// lines, incomplete input, the bytes refused on sight (bare CR, bare LF, NUL) and the
// limits. Field syntax and framing are in request_fields_test and request_framing_test.
#include <gtest/gtest.h>

#include <string>
#include <string_view>

#include "http1/head.h"
#include "http1_test_support.h"

namespace gatehouse::http1 {
namespace {

std::string with_line(std::string_view request_line) {
  return std::string(request_line) + "\r\nHost: a\r\n\r\n";
}

TEST(RequestLine, MethodsOfCapitalLettersPass) {
  for (std::string_view method : {"GET", "POST", "PATCH", "DELETE", "PROPFIND", "M"}) {
    const std::string bytes = with_line(std::string(method) + " / HTTP/1.1");
    RequestHead head;
    parse_complete(bytes, head);
    EXPECT_EQ(head.method, method);
  }
}

TEST(RequestLine, MethodsBeyondCapitalLettersAreRefused) {
  for (std::string_view method : {"get", "Get", "G-T", "G_T", "GET1", "GÉT", "G\x7fT", ""}) {
    SCOPED_TRACE(method);
    EXPECT_EQ(request_verdict(with_line(std::string(method) + " / HTTP/1.1")),
              "Malformed: bad method");
  }
}

TEST(RequestLine, EveryTargetFormPasses) {
  for (std::string_view line : {"GET /a/b?c=d&e HTTP/1.1", "GET http://example.com:8080/x HTTP/1.1",
                                "CONNECT example.com:443 HTTP/1.1", "OPTIONS * HTTP/1.1"}) {
    const std::string bytes = with_line(line);
    RequestHead head;
    parse_complete(bytes, head);
    const std::size_t sp1 = line.find(' ');
    EXPECT_EQ(head.target, line.substr(sp1 + 1, line.rfind(' ') - sp1 - 1));
  }
}

TEST(RequestLine, TargetWithControlDelOrNonAsciiIsRefused) {
  for (std::string_view bad : {"\t", "\x01", "\x1f", "\x7f", "\x80", "\xff"}) {
    SCOPED_TRACE(static_cast<int>(static_cast<unsigned char>(bad[0])));
    EXPECT_EQ(request_verdict(with_line("GET /a" + std::string(bad) + "b HTTP/1.1")),
              "Malformed: bad target");
  }
}

TEST(RequestLine, SpaceInOrAroundTheTargetIsRefused) {
  // A space splits the line in more than three parts: the version then takes the rest.
  EXPECT_EQ(request_verdict(with_line("GET /a b HTTP/1.1")), "Malformed: bad version");
  EXPECT_EQ(request_verdict(with_line("GET  / HTTP/1.1")), "Malformed: bad target");
  EXPECT_EQ(request_verdict(with_line("GET / HTTP/1.1 ")), "Malformed: bad version");
  EXPECT_EQ(request_verdict(with_line("GET /")), "Malformed: bad request line");
}

TEST(RequestLine, VersionsOneZeroAndOneOnePass) {
  RequestHead head;
  parse_complete("GET / HTTP/1.0\r\n\r\n", head);
  EXPECT_EQ(head.version, 10u);
  parse_complete("GET / HTTP/1.1\r\nHost: a\r\n\r\n", head);
  EXPECT_EQ(head.version, 11u);
}

TEST(RequestLine, OtherVersionsAreRefused) {
  for (std::string_view version :
       {"HTTP/2.0", "HTTP/1.2", "HTTP/0.9", "http/1.1", "HTTP/1.1x", "HTTP/1", "HTTP/01.1", ""}) {
    SCOPED_TRACE(version);
    EXPECT_EQ(request_verdict(with_line("GET / " + std::string(version))),
              "Malformed: bad version");
  }
}

TEST(RequestHeadTest, LeadingEmptyLinesAreSkippedAndCountedInLength) {
  const std::string head = "\r\n\r\n\r\nGET / HTTP/1.1\r\nHost: a\r\n\r\n";
  const std::string input = head + "POST";
  RequestHead out;
  const HeadResult r = parse_request(input, Limits{}, out);
  ASSERT_EQ(r.status, HeadStatus::Complete);
  EXPECT_EQ(r.length, head.size());
  EXPECT_EQ(out.method, "GET");
}

TEST(RequestHeadTest, LeadingBareLfIsRefused) {
  EXPECT_EQ(request_verdict("\nGET / HTTP/1.1\r\nHost: a\r\n\r\n"), "Malformed: bad method");
  EXPECT_EQ(request_verdict("\r\n\nGET"), "Malformed: bare LF");
}

// Every prefix of a valid head waits for more, including at limits the head just meets.
TEST(RequestHeadTest, EveryPrefixOfAValidHeadNeedsMore) {
  const std::string head =
      "\r\nPOST /upload?x=1 HTTP/1.1\r\nHost: a\r\nX-Empty:\r\nX-Ows: \t v \t\r\n"
      "X-Obs: caf\xc3\xa9\r\nContent-Length: 3\r\n\r\n";
  const Limits exact{.max_request_line = std::string_view("POST /upload?x=1 HTTP/1.1").size(),
                     .max_head = head.size() - 2,
                     .max_fields = 5};
  for (const Limits& limits : {Limits{}, exact}) {
    for (std::size_t n = 0; n < head.size(); ++n)
      EXPECT_EQ(request_verdict(head.substr(0, n), limits), "NeedMore") << "prefix " << n;
    EXPECT_EQ(request_verdict(head, limits), "Complete");
  }
}

// Complete heads are refused by the grammar; incomplete ones at once, without waiting.
TEST(RequestHeadTest, BareCrIsRefusedWithOrWithoutTheRestOfTheHead) {
  expect_request_verdicts({
      {"GET /\r HTTP/1.1\r\nHost: a\r\n\r\n", "Malformed: bad target"},
      {"GET / HTTP/1.1\r\nHost: a\r\nX: a\rb\r\n\r\n", "Malformed: bad field value"},
      {"GET /\r HTTP/1.1", "Malformed: bare CR"},
      {"GET / HTTP/1.1\r\nX: a\rb", "Malformed: bare CR"},
      {"GET / HTTP/1.1\r\r\n", "Malformed: bare CR"},
  });
}

TEST(RequestHeadTest, BareLfIsRefusedWithOrWithoutTheRestOfTheHead) {
  expect_request_verdicts({
      {"GET / HTTP/1.1\r\nHost: a\nX: b\r\n\r\n", "Malformed: bad field value"},
      {"GET / HTTP/1.1\nHost: a\r\n\r\n", "Malformed: bad version"},
      {"GET / HTTP/1.1\n", "Malformed: bare LF"},
      {"GET / HTTP/1.1\r\nHost: a\n", "Malformed: bare LF"},
  });
}

TEST(RequestHeadTest, NulIsRefusedWithOrWithoutTheRestOfTheHead) {
  using namespace std::string_view_literals;
  expect_request_verdicts({
      {"GET /\0 HTTP/1.1\r\nHost: a\r\n\r\n"sv, "Malformed: bad target"},
      {"GET / HTTP/1.1\r\nHo\0st: a\r\n\r\n"sv, "Malformed: bad field name"},
      {"G\0"sv, "Malformed: NUL in head"},
      {"GET / HTTP/1.1\r\nX: \0"sv, "Malformed: NUL in head"},
  });
}

class RequestLineLimit : public testing::Test {
 protected:
  static constexpr std::size_t kMax = 32;
  const Limits limits_{.max_request_line = kMax, .max_head = 1024};
  // "GET /aaa... HTTP/1.1" of exactly `size` bytes.
  static std::string line_of(std::size_t size) {
    return "GET /" + std::string(size - 14, 'a') + " HTTP/1.1";
  }
};

TEST_F(RequestLineLimit, LineAtTheLimitPasses) {
  EXPECT_EQ(request_verdict(with_line(line_of(kMax)), limits_), "Complete");
  EXPECT_EQ(request_verdict(line_of(kMax) + "\r", limits_), "NeedMore");
}

TEST_F(RequestLineLimit, LongerLineIsUriTooLongCompleteOrNot) {
  EXPECT_EQ(request_verdict(with_line(line_of(kMax + 1)), limits_), "UriTooLong");
  EXPECT_EQ(request_verdict(line_of(kMax + 1), limits_), "UriTooLong");
  EXPECT_EQ(request_verdict(line_of(kMax + 1) + "\r", limits_), "UriTooLong");
  // Refused as soon as the line has ended, not when the whole head has.
  EXPECT_EQ(request_verdict(line_of(kMax + 1) + "\r\nHost: a\r\n", limits_), "UriTooLong");
}

class HeadLimit : public testing::Test {
 protected:
  const Limits limits_{.max_request_line = 64, .max_head = 64, .max_fields = 100};
  // A complete head of exactly `size` bytes, padded in one field value.
  static std::string head_of(std::size_t size) {
    std::string head = "GET / HTTP/1.1\r\nHost: a\r\n\r\n";
    head.insert(head.size() - 4, std::string(size - head.size(), 'b'));
    return head;
  }
};

TEST_F(HeadLimit, LongerHeadIsHeadTooLargeCompleteOrNot) {
  EXPECT_EQ(request_verdict(head_of(65), limits_), "HeadTooLarge");
  EXPECT_EQ(request_verdict(head_of(65).substr(0, 65 - 2), limits_), "NeedMore");
  EXPECT_EQ(request_verdict(head_of(80).substr(0, 65), limits_), "HeadTooLarge");
}

TEST_F(HeadLimit, LeadingEmptyLinesCountOnlyAgainstTheirOwnLimit) {
  std::string lines;
  for (int i = 0; i < 32; ++i) lines += "\r\n";
  // 64 bytes of empty lines, and the head proper may still use all of max_head after them.
  EXPECT_EQ(request_verdict(lines + head_of(64), limits_), "Complete");
  EXPECT_EQ(request_verdict(lines + "\r\n", limits_), "HeadTooLarge");
}

TEST(RequestHeadTest, FieldsBeyondMaxFieldsAreHeadTooLarge) {
  const Limits limits{.max_fields = 3};
  EXPECT_EQ(request_verdict(request_with("A: 1\r\nB: 2\r\n"), limits), "Complete");
  EXPECT_EQ(request_verdict(request_with("A: 1\r\nB: 2\r\nC: 3\r\n"), limits), "HeadTooLarge");
}

TEST(RequestHeadTest, PipelinedRequestsParseOneAfterTheOther) {
  const std::string first = "POST /a HTTP/1.1\r\nHost: a\r\nContent-Length: 4\r\n\r\n";
  const std::string second = "GET /b HTTP/1.1\r\nHost: a\r\n\r\n";
  const std::string bytes = first + "body" + second + first;
  RequestHead head;
  const HeadResult r1 = parse_request(bytes, Limits{}, head);
  ASSERT_EQ(r1.status, HeadStatus::Complete);
  EXPECT_EQ(r1.length, first.size());
  EXPECT_EQ(head.content_length, 4u);
  const HeadResult r2 = parse_request(std::string_view(bytes).substr(r1.length + 4), {}, head);
  ASSERT_EQ(r2.status, HeadStatus::Complete);
  EXPECT_EQ(r2.length, second.size());
  EXPECT_EQ(head.target, "/b");
  EXPECT_EQ(head.framing, Framing::None);
}

}  // namespace
}  // namespace gatehouse::http1
