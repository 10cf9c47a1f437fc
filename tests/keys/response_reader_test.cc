#include "keys/response_reader.h"

#include <gtest/gtest.h>

namespace gatehouse::keys {
namespace {

using State = ResponseReader::State;

constexpr std::string_view kOkHead = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n";

std::string with_length(std::string_view body) {
  return std::string(kOkHead) + "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n" +
         std::string(body);
}

// Feeds `bytes` in pieces of `step` bytes; the state after the last piece.
State feed_in_pieces(ResponseReader& reader, std::string_view bytes, std::size_t step) {
  State state = State::NeedMore;
  for (std::size_t at = 0; at < bytes.size(); at += step)
    state = reader.feed(bytes.substr(at, step));
  return state;
}

TEST(ResponseReader, ContentLengthBodyInOnePieceOrByteByByte) {
  for (std::size_t step : {std::size_t{1}, std::size_t{7}, std::size_t{4096}}) {
    ResponseReader reader(1024);
    EXPECT_EQ(feed_in_pieces(reader, with_length(R"({"keys":[]})"), step), State::Done);
    EXPECT_EQ(reader.status(), 200u);
    EXPECT_EQ(reader.body(), R"({"keys":[]})");
  }
}

TEST(ResponseReader, ChunkedBodyWithExtensionsAndTrailers) {
  ResponseReader reader(1024);
  const std::string response = std::string(kOkHead) +
                               "Transfer-Encoding: chunked\r\n\r\n"
                               "5;ext=1\r\n{\"key\r\n"
                               "6\r\ns\":[]}\r\n"
                               "0\r\nX-Trailer: t\r\n\r\n";
  EXPECT_EQ(feed_in_pieces(reader, response, 3), State::Done);
  EXPECT_EQ(reader.body(), R"({"keys":[]})");
}

TEST(ResponseReader, CloseDelimitedBodyEndsWithTheConnection) {
  ResponseReader reader(1024);
  EXPECT_EQ(reader.feed("HTTP/1.0 200 OK\r\n\r\n{\"keys\""), State::NeedMore);
  EXPECT_EQ(reader.feed(":[]}"), State::NeedMore);
  EXPECT_EQ(reader.end_of_input(), State::Done);
  EXPECT_EQ(reader.body(), R"({"keys":[]})");
}

TEST(ResponseReader, InterimResponsesAreSkipped) {
  ResponseReader reader(1024);
  EXPECT_EQ(reader.feed("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: x\r\n\r\n" +
                        with_length("{}")),
            State::Done);
  EXPECT_EQ(reader.status(), 200u);
  EXPECT_EQ(reader.body(), "{}");
}

TEST(ResponseReader, OtherStatusesEndAtTheHead) {
  for (unsigned status : {204u, 302u, 404u, 503u}) {
    ResponseReader reader(1024);
    const std::string head = "HTTP/1.1 " + std::to_string(status) +
                             " X\r\nLocation: /elsewhere\r\nContent-Length: 100\r\n\r\n";
    EXPECT_EQ(reader.feed(head), State::Done) << status;
    EXPECT_EQ(reader.status(), status);
    EXPECT_EQ(reader.body(), "");
  }
}

TEST(ResponseReader, EveryStatusReadsTheBodyOfAnyStatus) {
  ResponseReader reader(1024, /*every_status=*/true);
  const std::string error = R"({"error":"invalid_grant"})";
  EXPECT_EQ(reader.feed("HTTP/1.1 400 Bad Request\r\nContent-Length: " +
                        std::to_string(error.size()) + "\r\n\r\n" + error.substr(0, 5)),
            State::NeedMore);
  EXPECT_EQ(reader.feed(error.substr(5)), State::Done);
  EXPECT_EQ(reader.status(), 400u);
  EXPECT_EQ(reader.body(), error);
}

TEST(ResponseReader, EveryStatusKeepsTheCap) {
  ResponseReader reader(4, /*every_status=*/true);
  EXPECT_EQ(reader.feed("HTTP/1.1 401 Unauthorized\r\nContent-Length: 5\r\n\r\n12345"),
            State::TooLarge);
}

TEST(ResponseReader, BodyOfExactlyTheCapIsAccepted) {
  ResponseReader reader(10);
  EXPECT_EQ(reader.feed(with_length("0123456789")), State::Done);
  EXPECT_EQ(reader.body(), "0123456789");
}

TEST(ResponseReader, ContentLengthOverTheCapIsRefusedAtTheHead) {
  ResponseReader reader(10);
  EXPECT_EQ(reader.feed(std::string(kOkHead) + "Content-Length: 11\r\n\r\n"), State::TooLarge);
  EXPECT_EQ(reader.feed("more"), State::TooLarge);  // final
}

TEST(ResponseReader, ChunkedBodyOverTheCapIsRefusedWhileReading) {
  ResponseReader reader(10);
  EXPECT_EQ(reader.feed(std::string(kOkHead) + "Transfer-Encoding: chunked\r\n\r\n6\r\n012345\r\n"),
            State::NeedMore);
  EXPECT_EQ(reader.feed("5\r\n6789a"), State::TooLarge);
}

TEST(ResponseReader, CloseDelimitedBodyOverTheCapIsRefusedWhileReading) {
  ResponseReader reader(10);
  EXPECT_EQ(reader.feed("HTTP/1.1 200 OK\r\n\r\n0123456789"), State::NeedMore);
  EXPECT_EQ(reader.feed("a"), State::TooLarge);
}

TEST(ResponseReader, BytesAfterTheBodyAreIgnored) {
  ResponseReader reader(1024);
  EXPECT_EQ(reader.feed(with_length("{}") + "HTTP/1.1 200 OK\r\n"), State::Done);
  EXPECT_EQ(reader.body(), "{}");
}

TEST(ResponseReader, ConnectionClosedEarlyIsMalformed) {
  ResponseReader before_head(1024);
  EXPECT_EQ(before_head.feed("HTTP/1.1 200 OK\r\nContent-Le"), State::NeedMore);
  EXPECT_EQ(before_head.end_of_input(), State::Malformed);
  EXPECT_NE(before_head.error().find("before the response head"), std::string_view::npos);

  ResponseReader in_body(1024);
  EXPECT_EQ(in_body.feed(std::string(kOkHead) + "Content-Length: 10\r\n\r\n01234"),
            State::NeedMore);
  EXPECT_EQ(in_body.end_of_input(), State::Malformed);
  EXPECT_NE(in_body.error().find("before the body"), std::string_view::npos);
}

TEST(ResponseReader, MalformedHeadsAndChunksAreRefused) {
  for (std::string_view response :
       {std::string_view("HTTP/1.1 200 OK\nContent-Length: 2\n\n{}"),
        std::string_view("HTTP/1.1 200 OK\r\nX: a\r\n folded\r\n\r\n"),
        std::string_view("SSH-2.0-OpenSSH_9.2\r\n\r\n"),
        std::string_view("HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\n{}"),
        std::string_view("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n")}) {
    ResponseReader reader(1024);
    EXPECT_EQ(reader.feed(response), State::Malformed) << response;
    EXPECT_FALSE(reader.error().empty());
  }
}

TEST(ResponseReader, HugeHeadIsRefused) {
  ResponseReader reader(1024);
  const std::string head = "HTTP/1.1 200 OK\r\nX: " + std::string(70 * 1024, 'a') + "\r\n\r\n";
  EXPECT_EQ(reader.feed(head), State::Malformed);
  EXPECT_NE(reader.error().find("too large"), std::string_view::npos);
}

}  // namespace
}  // namespace gatehouse::keys
