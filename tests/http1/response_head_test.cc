// Response heads: the status line, and the framing table of RFC 9112 section 6.3 that
// decides where an upstream's body ends (a proxy that gets it wrong desynchronizes from
// the upstream connection).
#include <gtest/gtest.h>

#include <string>
#include <string_view>

#include "http1/head.h"
#include "http1_test_support.h"

namespace gatehouse::http1 {
namespace {

struct Parsed {
  unsigned status = 0;
  std::string reason;
  Framing framing = Framing::None;
  uint64_t content_length = 0;
  bool keep_alive = false;
};

Parsed parse(std::string_view bytes, bool head_request = false) {
  ResponseHead head;
  const HeadResult r = parse_response(bytes, Limits{}, head_request, head);
  EXPECT_EQ(r.status, HeadStatus::Complete) << r.reason;
  return {head.status, std::string(head.reason), head.framing, head.content_length,
          head.keep_alive};
}

std::string response(std::string_view status_line, std::string_view fields) {
  return std::string(status_line) + "\r\n" + std::string(fields) + "\r\n";
}

TEST(StatusLine, ReasonMayBeAnythingPrintableOrEmpty) {
  EXPECT_EQ(parse(response("HTTP/1.1 200 OK", "Content-Length: 0\r\n")).reason, "OK");
  EXPECT_EQ(parse(response("HTTP/1.1 404 Not  Found\t!", "")).reason, "Not  Found\t!");
  EXPECT_EQ(parse(response("HTTP/1.1 200 caf\xc3\xa9", "")).reason, "caf\xc3\xa9");
  EXPECT_EQ(parse(response("HTTP/1.1 204 ", "")).reason, "");
  const Parsed bare = parse(response("HTTP/1.1 204", ""));
  EXPECT_EQ(bare.status, 204u);
  EXPECT_EQ(bare.reason, "");
}

TEST(StatusLine, VersionsOneZeroAndOneOnePass) {
  ResponseHead head;
  parse_complete(response("HTTP/1.0 200 OK", ""), head);
  EXPECT_EQ(head.version, 10u);
  parse_complete(response("HTTP/1.1 200 OK", ""), head);
  EXPECT_EQ(head.version, 11u);
}

TEST(StatusLine, MalformedLinesAreRefused) {
  for (std::string_view line :
       {"HTTP/1.1", "HTTP/1.1 ", "HTTP/2 200 OK", "HTTP/2.0 200 OK", "http/1.1 200 OK",
        "HTTP/1.1\t200 OK", "HTTP/1.1 2000 OK", "HTTP/1.1 200\tOK", " HTTP/1.1 200 OK"}) {
    SCOPED_TRACE(line);
    EXPECT_EQ(response_verdict(response(line, "")), "Malformed: bad status line");
  }
}

TEST(StatusLine, CodeIsThreeDigitsFrom100) {
  for (std::string_view line : {"HTTP/1.1 20 OK", "HTTP/1.1 2x0 OK", "HTTP/1.1  200 OK",
                                "HTTP/1.1 099 X", "HTTP/1.1 000"}) {
    SCOPED_TRACE(line);
    EXPECT_EQ(response_verdict(response(line, "")), "Malformed: bad status code");
  }
  EXPECT_EQ(parse(response("HTTP/1.1 100 Continue", "")).status, 100u);
  EXPECT_EQ(parse(response("HTTP/1.1 599 X", "")).status, 599u);
}

TEST(StatusLine, ControlInTheReasonIsRefused) {
  EXPECT_EQ(response_verdict(response("HTTP/1.1 200 O\x01K", "")), "Malformed: bad reason phrase");
  EXPECT_EQ(response_verdict(response("HTTP/1.1 200 OK\x7f", "")), "Malformed: bad reason phrase");
}

TEST(ResponseHeadTest, EveryPrefixOfAValidHeadNeedsMore) {
  const std::string head = response("HTTP/1.1 200 OK", "Content-Length: 2\r\nX-A: b\r\n");
  for (std::size_t n = 0; n < head.size(); ++n)
    EXPECT_EQ(response_verdict(head.substr(0, n)), "NeedMore") << "prefix " << n;
  EXPECT_EQ(response_verdict(head + "ok"), "Complete");
}

TEST(ResponseHeadTest, FieldLinesFollowTheRequestRules) {
  EXPECT_EQ(response_verdict(response("HTTP/1.1 200 OK", "X: 1\r\n 2\r\n")), "Malformed: obs-fold");
  EXPECT_EQ(response_verdict(response("HTTP/1.1 200 OK", "X : 1\r\n")),
            "Malformed: bad field name");
  EXPECT_EQ(response_verdict("HTTP/1.1 200 OK\r\nX: 1\n\r\n\r\n"), "Malformed: bad field value");
  EXPECT_EQ(response_verdict("HTTP/1.1 200 OK\nX"), "Malformed: bare LF");
  EXPECT_EQ(response_verdict(response("HTTP/1.1 200 OK", "Content-Length: 1, 2\r\n")),
            "Malformed: bad Content-Length");
}

TEST(ResponseFraming, BodilessStatusesHaveNoBodyWhateverTheFields) {
  for (std::string_view line : {"HTTP/1.1 100 Continue", "HTTP/1.1 101 Switching Protocols",
                                "HTTP/1.1 199 X", "HTTP/1.1 204 No Content", "HTTP/1.1 304 X"}) {
    SCOPED_TRACE(line);
    EXPECT_EQ(parse(response(line, "Content-Length: 5\r\n")).framing, Framing::None);
    EXPECT_EQ(parse(response(line, "Transfer-Encoding: chunked\r\n")).framing, Framing::None);
    EXPECT_EQ(parse(response(line, "")).framing, Framing::None);
  }
}

TEST(ResponseFraming, AnswerToHeadHasNoBody) {
  const Parsed p = parse(response("HTTP/1.1 200 OK", "Content-Length: 5\r\n"), true);
  EXPECT_EQ(p.framing, Framing::None);
  EXPECT_TRUE(p.keep_alive);
  EXPECT_EQ(parse(response("HTTP/1.1 200 OK", "Transfer-Encoding: chunked\r\n"), true).framing,
            Framing::None);
  EXPECT_EQ(parse(response("HTTP/1.1 200 OK", ""), true).framing, Framing::None);
}

TEST(ResponseFraming, ChunkedOrContentLength) {
  EXPECT_EQ(parse(response("HTTP/1.1 200 OK", "Transfer-Encoding: Chunked\r\n")).framing,
            Framing::Chunked);
  const Parsed sized = parse(response("HTTP/1.1 200 OK", "Content-Length: 5\r\n"));
  EXPECT_EQ(sized.framing, Framing::ContentLength);
  EXPECT_EQ(sized.content_length, 5u);
  EXPECT_EQ(parse(response("HTTP/1.1 200 OK", "Content-Length: 0\r\n")).framing, Framing::None);
}

TEST(ResponseFraming, NeitherMeansUntilCloseAndNoReuse) {
  const Parsed p = parse(response("HTTP/1.1 200 OK", "Connection: keep-alive\r\n"));
  EXPECT_EQ(p.framing, Framing::UntilClose);
  EXPECT_FALSE(p.keep_alive);
}

TEST(ResponseFraming, ContentLengthWithTransferEncodingIsRefused) {
  constexpr std::string_view kBoth = "Malformed: both Content-Length and Transfer-Encoding";
  const std::string_view fields = "Content-Length: 5\r\nTransfer-Encoding: chunked\r\n";
  EXPECT_EQ(response_verdict(response("HTTP/1.1 200 OK", fields)), kBoth);
  // Refused even where no body follows: the upstream is confused about framing.
  EXPECT_EQ(response_verdict(response("HTTP/1.1 204 No Content", fields)), kBoth);
  EXPECT_EQ(response_verdict(response("HTTP/1.1 200 OK", fields), true), kBoth);
}

TEST(ResponseFraming, OtherTransferCodingsAreRefusedWhereABodyFollows) {
  constexpr std::string_view kBad = "Malformed: unsupported Transfer-Encoding";
  EXPECT_EQ(response_verdict(response("HTTP/1.1 200 OK", "Transfer-Encoding: gzip, chunked\r\n")),
            kBad);
  EXPECT_EQ(response_verdict(response(
                "HTTP/1.1 200 OK", "Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n")),
            kBad);
  EXPECT_EQ(response_verdict(response("HTTP/1.1 304 X", "Transfer-Encoding: gzip\r\n")),
            "Complete");
}

TEST(ResponseKeepAlive, Http11UnlessClose) {
  EXPECT_TRUE(parse(response("HTTP/1.1 200 OK", "Content-Length: 1\r\n")).keep_alive);
  EXPECT_FALSE(
      parse(response("HTTP/1.1 200 OK", "Content-Length: 1\r\nConnection: close\r\n")).keep_alive);
}

TEST(ResponseKeepAlive, Http10OnlyWithKeepAliveAndALength) {
  EXPECT_FALSE(parse(response("HTTP/1.0 200 OK", "Content-Length: 1\r\n")).keep_alive);
  EXPECT_TRUE(parse(response("HTTP/1.0 200 OK", "Content-Length: 1\r\nConnection: Keep-Alive\r\n"))
                  .keep_alive);
  EXPECT_FALSE(parse(response("HTTP/1.0 200 OK", "Connection: keep-alive\r\n")).keep_alive);
  EXPECT_TRUE(parse(response("HTTP/1.0 304 X", "Connection: keep-alive\r\n")).keep_alive);
}

}  // namespace
}  // namespace gatehouse::http1
