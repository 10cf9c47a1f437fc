// How a request says where its body ends (RFC 9112 section 6): Content-Length, chunked
// Transfer-Encoding, or neither. Everything two parsers could read differently, the
// root of request smuggling, must be refused.
#include <gtest/gtest.h>

#include <string>
#include <string_view>

#include "http1/head.h"
#include "http1_test_support.h"

namespace gatehouse::http1 {
namespace {

constexpr std::string_view kBadLength = "Malformed: bad Content-Length";
constexpr std::string_view kBadCoding = "Malformed: unsupported Transfer-Encoding";

std::string post_with(std::string_view fields) {
  return "POST /upload HTTP/1.1\r\nHost: a\r\n" + std::string(fields) + "\r\n";
}

// Parses a request that must be complete and returns its framing and length.
std::pair<Framing, uint64_t> framing_of(std::string_view fields) {
  const std::string bytes = post_with(fields);
  RequestHead head;
  const HeadResult r = parse_request(bytes, Limits{}, head);
  EXPECT_EQ(r.status, HeadStatus::Complete) << r.reason;
  return {head.framing, head.content_length};
}

TEST(RequestFraming, NoLengthOrZeroLengthMeansNoBody) {
  EXPECT_EQ(framing_of(""), std::pair(Framing::None, uint64_t{0}));
  EXPECT_EQ(framing_of("Content-Length: 0\r\n"), std::pair(Framing::None, uint64_t{0}));
}

TEST(RequestFraming, ContentLengthIsDecimalDigits) {
  EXPECT_EQ(framing_of("Content-Length: 42\r\n"), std::pair(Framing::ContentLength, uint64_t{42}));
  EXPECT_EQ(framing_of("content-length:007\r\n"), std::pair(Framing::ContentLength, uint64_t{7}));
  EXPECT_EQ(framing_of("Content-Length: 999999999999999999\r\n"),
            std::pair(Framing::ContentLength, uint64_t{999999999999999999}));
}

TEST(RequestFraming, RepeatedEqualLengthsAreOneLength) {
  EXPECT_EQ(framing_of("Content-Length: 5, 5\r\n"), std::pair(Framing::ContentLength, uint64_t{5}));
  EXPECT_EQ(framing_of("Content-Length: 5,5\t,\t5\r\n"),
            std::pair(Framing::ContentLength, uint64_t{5}));
  EXPECT_EQ(framing_of("Content-Length: 5\r\nContent-Length: 5\r\n"),
            std::pair(Framing::ContentLength, uint64_t{5}));
}

TEST(RequestFraming, DifferingLengthsAreRefused) {
  EXPECT_EQ(request_verdict(post_with("Content-Length: 5, 6\r\n")), kBadLength);
  EXPECT_EQ(request_verdict(post_with("Content-Length: 5, 5, 0\r\n")), kBadLength);
  EXPECT_EQ(request_verdict(post_with("Content-Length: 5\r\nContent-Length: 6\r\n")), kBadLength);
  EXPECT_EQ(request_verdict(post_with("Content-Length: 0\r\nContent-Length: 05\r\n")), kBadLength);
}

TEST(RequestFraming, LengthsThatAreNotPlainDigitsAreRefused) {
  for (std::string_view value : {"+5", "-5", "0x5", "5 5", "5a", "1e3", "", ",5", "5,", "5,,5",
                                 "\xd9\xa5", "1000000000000000000", "18446744073709551616"}) {
    SCOPED_TRACE(value);
    EXPECT_EQ(request_verdict(post_with("Content-Length: " + std::string(value) + "\r\n")),
              kBadLength);
  }
}

TEST(RequestFraming, ChunkedInAnyCaseIsChunked) {
  for (std::string_view value : {"chunked", "Chunked", "CHUNKED", " \tchunked\t "}) {
    SCOPED_TRACE(value);
    EXPECT_EQ(framing_of("Transfer-Encoding: " + std::string(value) + "\r\n"),
              std::pair(Framing::Chunked, uint64_t{0}));
  }
}

TEST(RequestFraming, AnyCodingButChunkedAloneIsRefused) {
  for (std::string_view value : {"gzip", "gzip, chunked", "chunked, gzip", "chunked, chunked",
                                 "chunked;q=1", "chunk", "\"chunked\"", ""}) {
    SCOPED_TRACE(value);
    EXPECT_EQ(request_verdict(post_with("Transfer-Encoding: " + std::string(value) + "\r\n")),
              kBadCoding);
  }
}

TEST(RequestFraming, TwoTransferEncodingFieldsAreRefused) {
  EXPECT_EQ(
      request_verdict(post_with("Transfer-Encoding: chunked\r\ntransfer-encoding: chunked\r\n")),
      kBadCoding);
  EXPECT_EQ(request_verdict(post_with("Transfer-Encoding: gzip\r\nTransfer-Encoding: chunked\r\n")),
            kBadCoding);
}

TEST(RequestFraming, TransferEncodingInHttp10IsRefused) {
  EXPECT_EQ(request_verdict("POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n"),
            "Malformed: Transfer-Encoding in HTTP/1.0");
}

TEST(RequestFraming, TransferEncodingWithContentLengthIsRefused) {
  constexpr std::string_view kBoth = "Malformed: both Content-Length and Transfer-Encoding";
  EXPECT_EQ(request_verdict(post_with("Transfer-Encoding: chunked\r\nContent-Length: 5\r\n")),
            kBoth);
  EXPECT_EQ(request_verdict(post_with("Content-Length: 0\r\nTransfer-Encoding: chunked\r\n")),
            kBoth);
}

TEST(RequestFraming, LookalikeFieldNamesDoNotFrame) {
  // Only the exact names count; a proxy that forwards these must not frame by them either.
  EXPECT_EQ(framing_of("Content_Length: 5\r\nTransfer-Encodings: chunked\r\n"),
            std::pair(Framing::None, uint64_t{0}));
  EXPECT_EQ(request_verdict(post_with("Content-Length : 5\r\n")), "Malformed: bad field name");
}

}  // namespace
}  // namespace gatehouse::http1
