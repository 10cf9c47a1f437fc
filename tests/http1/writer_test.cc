// Head serialization, byte for byte: what the proxy writes is what the next hop parses.
#include "http1/writer.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <string>
#include <string_view>

#include "http1/head.h"
#include "http1_test_support.h"

namespace gatehouse::http1 {
namespace {

constexpr Field kFields[] = {{"Host", "a.example"}, {"X-Empty", ""}};

TEST(WriterTest, RequestHeadIsExact) {
  std::string out = "left over from the last request";
  write_request_head("POST", "/a?b=c", 11, kFields, out);
  EXPECT_EQ(out, "POST /a?b=c HTTP/1.1\r\nHost: a.example\r\nX-Empty: \r\n\r\n");
  write_request_head("GET", "/", 10, {}, out);
  EXPECT_EQ(out, "GET / HTTP/1.0\r\n\r\n");
}

TEST(WriterTest, ResponseHeadIsExact) {
  std::string out = "left over";
  write_response_head(11, 200, "Fine", kFields, out);
  EXPECT_EQ(out, "HTTP/1.1 200 Fine\r\nHost: a.example\r\nX-Empty: \r\n\r\n");
  write_response_head(10, 404, "", {}, out);
  EXPECT_EQ(out, "HTTP/1.0 404 Not Found\r\n\r\n");
}

TEST(WriterTest, UnregisteredCodeGetsUnknown) {
  std::string out;
  write_response_head(11, 299, "", {}, out);
  EXPECT_EQ(out, "HTTP/1.1 299 Unknown\r\n\r\n");
  // Never a valid code, but written in full rather than as unset bytes.
  write_response_head(11, 10000, "", {}, out);
  EXPECT_EQ(out, "HTTP/1.1 10000 Unknown\r\n\r\n");
  write_response_head(11, std::numeric_limits<unsigned>::max(), "", {}, out);
  EXPECT_EQ(out, "HTTP/1.1 4294967295 Unknown\r\n\r\n");
}

TEST(WriterTest, StandardReasonPhrases) {
  const std::pair<unsigned, std::string_view> expected[] = {
      {100, "Continue"},     {101, "Switching Protocols"},
      {200, "OK"},           {204, "No Content"},
      {304, "Not Modified"}, {308, "Permanent Redirect"},
      {400, "Bad Request"},  {413, "Payload Too Large"},
      {414, "URI Too Long"}, {431, "Request Header Fields Too Large"},
      {502, "Bad Gateway"},  {505, "HTTP Version Not Supported"}};
  for (const auto& [code, phrase] : expected) EXPECT_EQ(reason_phrase(code), phrase) << code;
  for (unsigned code : {0u, 99u, 102u, 199u, 299u, 306u, 499u, 506u, 599u, 600u})
    EXPECT_EQ(reason_phrase(code), "Unknown") << code;
}

TEST(WriterTest, ChunkSizeLinesAreLowerHex) {
  char line[20];
  const auto written = [&](std::size_t size) {
    return std::string(line, write_chunk_size(size, line));
  };
  EXPECT_EQ(written(0), "0\r\n");
  EXPECT_EQ(written(10), "a\r\n");
  EXPECT_EQ(written(0xBEEF), "beef\r\n");
  EXPECT_EQ(written(std::numeric_limits<std::size_t>::max()), "ffffffffffffffff\r\n");
}

TEST(WriterTest, WrittenRequestParsesBackTheSame) {
  const std::string input =
      "\r\nPUT /x?y HTTP/1.1\r\nHost: a\r\nX-Ows:  v \t w \r\nTransfer-Encoding: chunked\r\n\r\n";
  RequestHead first, second;
  parse_complete(input, first);
  std::string out;
  write_request_head(first.method, first.target, first.version, first.fields.all(), out);
  EXPECT_EQ(out,
            "PUT /x?y HTTP/1.1\r\nHost: a\r\nX-Ows: v \t w\r\nTransfer-Encoding: chunked\r\n\r\n");
  parse_complete(out, second);
  EXPECT_EQ(second.framing, Framing::Chunked);
  EXPECT_EQ(second.fields.get("x-ows"), "v \t w");
}

}  // namespace
}  // namespace gatehouse::http1
