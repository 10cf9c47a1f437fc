// Every case of tests/proxy/head_scan_test.cc (the pre-parser scan http1 replaces), on the
// new API: the parser must keep each rule the scan enforced. HeadLimits::max_uri became
// Limits::max_request_line; where the parser is more precise than the scan (it names a
// reason, or counts fields), the exact outcome is asserted.
#include <gtest/gtest.h>

#include <string>

#include "http1/head.h"
#include "http1_test_support.h"

namespace gatehouse::http1 {
namespace {

TEST(HeadScanPort, CompleteHeadReportsItsLength) {
  const std::string head = "GET / HTTP/1.1\r\nHost: a\r\n\r\n";
  RequestHead out;
  const HeadResult r = parse_request(head + "NEXT", Limits{}, out);
  EXPECT_EQ(r.status, HeadStatus::Complete);
  EXPECT_EQ(r.length, head.size());
}

TEST(HeadScanPort, LeadingEmptyLinesAreSkipped) {
  const std::string head = "\r\n\r\nGET / HTTP/1.1\r\nHost: a\r\n\r\n";
  RequestHead out;
  const HeadResult r = parse_request(head, Limits{}, out);
  EXPECT_EQ(r.status, HeadStatus::Complete);
  EXPECT_EQ(r.length, head.size());
}

TEST(HeadScanPort, PartialHeadNeedsMore) {
  EXPECT_EQ(request_verdict("GET / HTTP/1.1\r\nHost: a\r\n"), "NeedMore");
  EXPECT_EQ(request_verdict("GET / HTTP/1.1\r"), "NeedMore");
  EXPECT_EQ(request_verdict(""), "NeedMore");
}

TEST(HeadScanPort, ObsFoldIsMalformed) {
  EXPECT_EQ(request_verdict("GET / HTTP/1.1\r\nX-A: 1\r\n  continued\r\n\r\n"),
            "Malformed: obs-fold");
  EXPECT_EQ(request_verdict("GET / HTTP/1.1\r\nX-A: 1\r\n\tcontinued\r\n\r\n"),
            "Malformed: obs-fold");
}

TEST(HeadScanPort, BareCrIsMalformed) {
  EXPECT_EQ(request_verdict("GET / HTTP/1.1\r\nX-A: 1\r2\r\n\r\n"), "Malformed: bad field value");
}

TEST(HeadScanPort, BareLfIsMalformed) {
  EXPECT_EQ(request_verdict("GET / HTTP/1.1\nHost: a\n\n"), "Malformed: bare LF");
}

TEST(HeadScanPort, NulInHeaderIsMalformed) {
  EXPECT_EQ(request_verdict(std::string("GET / HTTP/1.1\r\nX-A: a\0b\r\n\r\n", 29)),
            "Malformed: bad field value");
}

TEST(HeadScanPort, ControlCharacterIsMalformed) {
  EXPECT_EQ(request_verdict("GET / HTTP/1.1\r\nX-A: a\x01"
                            "b\r\n\r\n"),
            "Malformed: bad field value");
  EXPECT_EQ(request_verdict("GET / HTTP/1.1\r\nX-A: a\x7f\r\n\r\n"), "Malformed: bad field value");
}

TEST(HeadScanPort, TabInHeaderValueIsAllowed) {
  // The scan did not need Host; the parser does for HTTP/1.1.
  EXPECT_EQ(request_verdict("GET / HTTP/1.1\r\nHost: a\r\nX-A: a\tb\r\n\r\n"), "Complete");
}

TEST(HeadScanPort, TabInRequestLineIsMalformed) {
  EXPECT_EQ(request_verdict("GET\t/ HTTP/1.1\r\n\r\n"), "Malformed: bad request line");
}

TEST(HeadScanPort, EmptyFieldNameIsMalformed) {
  EXPECT_EQ(request_verdict("GET / HTTP/1.1\r\n: x\r\n\r\n"), "Malformed: bad field name");
}

TEST(HeadScanPort, LongRequestLineIsUriTooLong) {
  const Limits limits{.max_request_line = 100, .max_head = 1000};
  const std::string line = "GET /" + std::string(200, 'a');
  EXPECT_EQ(request_verdict(line, limits), "UriTooLong");
  EXPECT_EQ(request_verdict(line + " HTTP/1.1\r\n\r\n", limits), "UriTooLong");
}

TEST(HeadScanPort, LargeHeadIsTooLarge) {
  const Limits limits{.max_request_line = 100, .max_head = 1000};
  std::string head = "GET / HTTP/1.1\r\n";
  for (int i = 0; i < 100; ++i) head += "X-Filler: 0123456789\r\n";
  EXPECT_EQ(request_verdict(head, limits), "HeadTooLarge");
}

TEST(HeadScanPort, HeadJustUnderTheLimitIsComplete) {
  const Limits limits{.max_request_line = 100, .max_head = 64};
  std::string head = "GET / HTTP/1.1\r\nHost: a\r\n\r\n";
  head.insert(head.size() - 4, std::string(64 - head.size(), 'b'));
  ASSERT_EQ(head.size(), 64u);
  EXPECT_EQ(request_verdict(head, limits), "Complete");
}

}  // namespace
}  // namespace gatehouse::http1
