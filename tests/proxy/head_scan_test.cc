#include "proxy/head_scan.h"

#include <gtest/gtest.h>

#include <string>

namespace gatehouse::proxy {
namespace {

HeadScanResult scan(std::string_view bytes, HeadLimits limits = {}) {
  return scan_request_head(bytes, limits);
}

TEST(HeadScanTest, CompleteHeadReportsItsLength) {
  const std::string head = "GET / HTTP/1.1\r\nHost: a\r\n\r\n";
  auto r = scan(head + "NEXT");
  EXPECT_EQ(r.status, HeadScan::Complete);
  EXPECT_EQ(r.length, head.size());
}

TEST(HeadScanTest, LeadingEmptyLinesAreSkipped) {
  const std::string head = "\r\n\r\nGET / HTTP/1.1\r\nHost: a\r\n\r\n";
  auto r = scan(head);
  EXPECT_EQ(r.status, HeadScan::Complete);
  EXPECT_EQ(r.length, head.size());
}

TEST(HeadScanTest, PartialHeadNeedsMore) {
  EXPECT_EQ(scan("GET / HTTP/1.1\r\nHost: a\r\n").status, HeadScan::NeedMore);
  EXPECT_EQ(scan("GET / HTTP/1.1\r").status, HeadScan::NeedMore);
  EXPECT_EQ(scan("").status, HeadScan::NeedMore);
}

TEST(HeadScanTest, ObsFoldIsMalformed) {
  EXPECT_EQ(scan("GET / HTTP/1.1\r\nX-A: 1\r\n  continued\r\n\r\n").status, HeadScan::Malformed);
  EXPECT_EQ(scan("GET / HTTP/1.1\r\nX-A: 1\r\n\tcontinued\r\n\r\n").status, HeadScan::Malformed);
}

TEST(HeadScanTest, BareCrIsMalformed) {
  EXPECT_EQ(scan("GET / HTTP/1.1\r\nX-A: 1\r2\r\n\r\n").status, HeadScan::Malformed);
}

TEST(HeadScanTest, BareLfIsMalformed) {
  EXPECT_EQ(scan("GET / HTTP/1.1\nHost: a\n\n").status, HeadScan::Malformed);
}

TEST(HeadScanTest, NulInHeaderIsMalformed) {
  EXPECT_EQ(scan(std::string("GET / HTTP/1.1\r\nX-A: a\0b\r\n\r\n", 29)).status,
            HeadScan::Malformed);
}

TEST(HeadScanTest, ControlCharacterIsMalformed) {
  EXPECT_EQ(scan("GET / HTTP/1.1\r\nX-A: a\x01"
                 "b\r\n\r\n")
                .status,
            HeadScan::Malformed);
  EXPECT_EQ(scan("GET / HTTP/1.1\r\nX-A: a\x7f\r\n\r\n").status, HeadScan::Malformed);
}

TEST(HeadScanTest, TabInHeaderValueIsAllowed) {
  EXPECT_EQ(scan("GET / HTTP/1.1\r\nX-A: a\tb\r\n\r\n").status, HeadScan::Complete);
}

TEST(HeadScanTest, TabInRequestLineIsMalformed) {
  EXPECT_EQ(scan("GET\t/ HTTP/1.1\r\n\r\n").status, HeadScan::Malformed);
}

TEST(HeadScanTest, EmptyFieldNameIsMalformed) {
  EXPECT_EQ(scan("GET / HTTP/1.1\r\n: x\r\n\r\n").status, HeadScan::Malformed);
}

TEST(HeadScanTest, LongRequestLineIsUriTooLong) {
  HeadLimits limits{.max_uri = 100, .max_head = 1000};
  std::string line = "GET /" + std::string(200, 'a');
  EXPECT_EQ(scan(line, limits).status, HeadScan::UriTooLong);
  EXPECT_EQ(scan(line + " HTTP/1.1\r\n\r\n", limits).status, HeadScan::UriTooLong);
}

TEST(HeadScanTest, LargeHeadIsTooLarge) {
  HeadLimits limits{.max_uri = 100, .max_head = 1000};
  std::string head = "GET / HTTP/1.1\r\n";
  for (int i = 0; i < 100; ++i) head += "X-Filler: 0123456789\r\n";
  EXPECT_EQ(scan(head, limits).status, HeadScan::HeadTooLarge);
}

TEST(HeadScanTest, HeadJustUnderTheLimitIsComplete) {
  HeadLimits limits{.max_uri = 100, .max_head = 64};
  std::string head = "GET / HTTP/1.1\r\nHost: a\r\n\r\n";
  head.insert(head.size() - 4, std::string(64 - head.size(), 'b'));
  ASSERT_EQ(head.size(), 64u);
  EXPECT_EQ(scan(head, limits).status, HeadScan::Complete);
}

}  // namespace
}  // namespace gatehouse::proxy
