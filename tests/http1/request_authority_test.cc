// The Host rules beyond presence: characters, and the absolute-form target's authority
// replacing the Host field (RFC 9112 section 3.2.2), so routing and upstream agree.
#include <gtest/gtest.h>

#include "http1_test_support.h"

namespace gatehouse::http1 {
namespace {

TEST(RequestAuthority, HostOfAuthorityCharactersPasses) {
  for (std::string_view host : {"example.com", "a.example:8080", "[::1]:443", "127.0.0.1",
                                "xn--bcher-kva.example", "a_b.example", "%65x.example"}) {
    RequestHead head;
    const std::string bytes = "GET / HTTP/1.1\r\nHost: " + std::string(host) + "\r\n\r\n";
    parse_complete(bytes, head);
    EXPECT_EQ(head.host, host);
  }
}

TEST(RequestAuthority, HostWithOtherCharactersIsRefused) {
  for (std::string_view host : {"a b", "user@a.example", "a/b", "a\\b", "a?b", "a#b", "a\"b", "a<b",
                                "a{b}", "a|b", "a^b", "a`b"}) {
    const std::string bytes = "GET / HTTP/1.1\r\nHost: " + std::string(host) + "\r\n\r\n";
    EXPECT_EQ(request_verdict(bytes), "Malformed: bad Host") << host;
  }
}

TEST(RequestAuthority, AbsoluteFormAuthorityReplacesTheHostField) {
  RequestHead head;
  parse_complete("GET http://b.example:81/p?q HTTP/1.1\r\nHost: a.example\r\nX: 1\r\n\r\n", head);
  EXPECT_EQ(head.host, "b.example:81");
  ASSERT_EQ(head.fields.count("host"), 1u);
  EXPECT_EQ(*head.fields.get("host"), "b.example:81");
  EXPECT_EQ(head.fields.all()[0].name, "Host");  // kept in place
  EXPECT_EQ(head.target, "http://b.example:81/p?q");
}

TEST(RequestAuthority, AbsoluteFormWithoutPathOrWithQueryOnly) {
  RequestHead head;
  parse_complete("GET HTTPS://c.example HTTP/1.1\r\nHost: a\r\n\r\n", head);
  EXPECT_EQ(head.host, "c.example");
  parse_complete("GET http://d.example?x=1 HTTP/1.1\r\nHost: a\r\n\r\n", head);
  EXPECT_EQ(head.host, "d.example");
}

TEST(RequestAuthority, AbsoluteFormAuthorityIsCheckedLikeAHost) {
  EXPECT_EQ(request_verdict("GET http://u@b.example/ HTTP/1.1\r\nHost: a\r\n\r\n"),
            "Malformed: bad Host");
}

TEST(RequestAuthority, OtherSchemesAndOriginFormKeepTheHostField) {
  RequestHead head;
  parse_complete("GET /http://x.example/ HTTP/1.1\r\nHost: a\r\n\r\n", head);
  EXPECT_EQ(head.host, "a");
  parse_complete("GET ftp://x.example/ HTTP/1.1\r\nHost: a\r\n\r\n", head);
  EXPECT_EQ(head.host, "a");
}

TEST(FindHead, ResumingGivesTheSameAnswersAsAFullScan) {
  const std::string head =
      "GET /a HTTP/1.1\r\nHost: a\r\nX-Long: " + std::string(300, 'v') + "\r\n\r\n";
  // Byte by byte, as a slow client sends it: NeedMore until the last byte, then Complete.
  for (std::size_t size = 1; size <= head.size(); ++size) {
    const HeadResult r =
        find_request_head(std::string_view(head).substr(0, size), Limits{}, size - 1);
    if (size < head.size()) {
      ASSERT_EQ(r.status, HeadStatus::NeedMore) << size;
    } else {
      EXPECT_EQ(r.status, HeadStatus::Complete);
      EXPECT_EQ(r.length, head.size());
    }
  }
}

TEST(FindHead, ResumingStillFindsATerminatorSplitAcrossReads) {
  const std::string head = "GET / HTTP/1.1\r\nHost: a\r\n\r\n";
  for (std::size_t split = 1; split < head.size(); ++split) {
    ASSERT_EQ(find_request_head(std::string_view(head).substr(0, split), Limits{}).status,
              HeadStatus::NeedMore);
    const HeadResult r = find_request_head(head, Limits{}, split);
    EXPECT_EQ(r.status, HeadStatus::Complete) << split;
    EXPECT_EQ(r.length, head.size()) << split;
  }
}

TEST(FindHead, ResumingStillRefusesABareCrOrLfAtTheSeam) {
  // The CR was the last byte of the previous read; the byte after it decides.
  EXPECT_EQ(find_request_head("GET / HTTP/1.1\r\nHost: a\rX", Limits{}, 24).status,
            HeadStatus::Malformed);
  EXPECT_EQ(find_request_head("GET / HTTP/1.1\r\nHost: a\nX", Limits{}, 24).status,
            HeadStatus::Malformed);
}

TEST(ResponseFraming, TransferEncodingInHttp10IsRefused) {
  EXPECT_EQ(response_verdict("HTTP/1.0 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"),
            "Malformed: Transfer-Encoding in HTTP/1.0");
}

TEST(ChunkedBody, AnErrorIsFinal) {
  BodyReader reader(Framing::Chunked, 0);
  std::size_t used = 0;
  std::string_view data;
  ASSERT_EQ(reader.read("zz\r\n", used, data), BodyStatus::Error);
  // Valid-looking input after the error must not resume decoding mid-state.
  EXPECT_EQ(reader.read("3\r\nabc\r\n0\r\n\r\n", used, data), BodyStatus::Error);
  EXPECT_EQ(used, 0u);
  EXPECT_TRUE(data.empty());
  EXPECT_FALSE(reader.done());
}

}  // namespace
}  // namespace gatehouse::http1
