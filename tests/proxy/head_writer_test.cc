#include "proxy/head_writer.h"

#include <gtest/gtest.h>

namespace gatehouse::proxy {
namespace {

namespace http = boost::beast::http;

TEST(HeadWriterTest, RequestHeadKeepsFieldOrderAndValues) {
  http::request_header<> head;
  head.method(http::verb::post);
  head.target("/a?b=c");
  head.version(11);
  head.set(http::field::host, "example.com");
  head.insert("X-Custom", "1");
  head.insert("X-Custom", "2");
  std::string out = "stale";
  write_head(head, out);
  EXPECT_EQ(out, "POST /a?b=c HTTP/1.1\r\nHost: example.com\r\nX-Custom: 1\r\nX-Custom: 2\r\n\r\n");
}

TEST(HeadWriterTest, CustomMethodIsWrittenVerbatim) {
  http::request_header<> head;
  head.method_string("PURGE");
  head.target("/");
  head.version(10);
  std::string out;
  write_head(head, out);
  EXPECT_EQ(out, "PURGE / HTTP/1.0\r\n\r\n");
}

TEST(HeadWriterTest, ResponseHeadUsesTheReasonReceived) {
  http::response_header<> head;
  head.result(404);
  head.reason("Nope");
  head.version(11);
  head.set(http::field::content_length, "0");
  std::string out;
  write_head(head, out);
  EXPECT_EQ(out, "HTTP/1.1 404 Nope\r\nContent-Length: 0\r\n\r\n");
}

TEST(HeadWriterTest, ResponseHeadFallsBackToTheStandardReason) {
  http::response_header<> head;
  head.result(503);
  head.version(10);
  std::string out;
  write_head(head, out);
  EXPECT_EQ(out, "HTTP/1.0 503 Service Unavailable\r\n\r\n");
}

TEST(HeadWriterTest, ChunkSizeIsHexWithCrlf) {
  char line[20];
  EXPECT_EQ(std::string(line, write_chunk_size(0x1a2b, line)), "1a2b\r\n");
  EXPECT_EQ(std::string(line, write_chunk_size(1, line)), "1\r\n");
  EXPECT_EQ(std::string(line, write_chunk_size(16 * 1024, line)), "4000\r\n");
}

}  // namespace
}  // namespace gatehouse::proxy
