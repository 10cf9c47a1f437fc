// BodyReader rule by rule: Content-Length and until-close bodies, the chunked forms it
// accepts, and each way a chunked body is refused. The randomized comparison against a
// reference decoder is in chunked_reference_test.
#include <gtest/gtest.h>

#include <string>
#include <string_view>

#include "body_test_support.h"
#include "http1/body.h"
#include "http1_test_support.h"

namespace gatehouse::http1 {
namespace {

constexpr std::string_view kWikipedia =
    "4\r\nWiki\r\n7\r\npedia i\r\nB\r\nn \r\nchunks.\r\n0\r\n\r\n";

// Every byte value, so no data byte is mistaken for framing.
std::string all_bytes(std::size_t size) {
  std::string body(size, '\0');
  for (std::size_t i = 0; i < size; ++i) body[i] = static_cast<char>(i * 7);
  return body;
}

// The slicings every well-formed body must decode the same under.
std::vector<Slicer> slicings() {
  std::vector<Slicer> all{whole(), bytewise()};
  for (unsigned seed = 1; seed <= 20; ++seed) all.push_back(random_slices(seed));
  return all;
}

// `encoded` followed by bytes of the next message decodes to `body`, done exactly at its end.
void expect_decodes(Framing framing, uint64_t length, std::string_view encoded,
                    std::string_view body) {
  const std::string input = std::string(encoded) + "GET / HTTP/1.1\r\n";
  for (const Slicer& slicer : slicings()) {
    const Decoded d = decode(framing, length, input, slicer);
    EXPECT_FALSE(d.error);
    EXPECT_TRUE(d.done);
    EXPECT_EQ(d.consumed, encoded.size());
    EXPECT_EQ(d.data, body);
  }
}

TEST(ContentLengthBody, ArrivesWhateverTheSlices) {
  const std::string body = all_bytes(300);
  expect_decodes(Framing::ContentLength, body.size(), body, body);
}

TEST(ContentLengthBody, RemainingCountsDown) {
  BodyReader reader(Framing::ContentLength, 10);
  const Decoded d = feed(reader, "0123", whole());
  EXPECT_EQ(d.data, "0123");
  EXPECT_EQ(reader.remaining(), 6u);
  EXPECT_FALSE(reader.done());
  reader.end_of_input();  // a truncated body stays unfinished
  EXPECT_FALSE(reader.done());
}

TEST(BodyReaderTest, NoBodyIsDoneAtOnce) {
  for (const BodyReader& reader :
       {BodyReader(), BodyReader(Framing::None, 5), BodyReader(Framing::ContentLength, 0)})
    EXPECT_TRUE(reader.done());
  BodyReader reader(Framing::ContentLength, 0);
  EXPECT_EQ(feed(reader, "GET", whole()).consumed, 0u);
}

TEST(UntilCloseBody, CompletesOnlyAtEndOfInput) {
  const std::string body = all_bytes(100);
  BodyReader reader(Framing::UntilClose, 0);
  const Decoded d = feed(reader, body, random_slices(3));
  EXPECT_EQ(d.data, body);
  EXPECT_FALSE(d.done);
  reader.end_of_input();
  EXPECT_TRUE(reader.done());
}

TEST(ChunkedBody, ArrivesWhateverTheSlices) {
  expect_decodes(Framing::Chunked, 0, kWikipedia, "Wikipedia in \r\nchunks.");
}

TEST(ChunkedBody, OneDataPiecePerCall) {
  // The proxy writes each piece out before the next read; the rest waits for the next call.
  BodyReader reader(Framing::Chunked, 0);
  std::size_t consumed = 0;
  std::string_view data;
  ASSERT_EQ(reader.read(kWikipedia, consumed, data), BodyStatus::Ok);
  EXPECT_EQ(data, "Wiki");
  EXPECT_EQ(consumed, 7u);
}

TEST(ChunkedBody, ExtensionsAreSkipped) {
  expect_decodes(Framing::Chunked, 0, "4;a=1;b=\"x y\"\r\nWiki\r\n0;last\t;\xff\r\n\r\n", "Wiki");
}

TEST(ChunkedBody, WhitespaceIsAllowedOnlyBeforeAnExtension) {
  expect_decodes(Framing::Chunked, 0, "4 \t ;a\r\nWiki\r\n0 ;\r\n\r\n", "Wiki");
  EXPECT_TRUE(decode_chunked("4 \r\nWiki\r\n0\r\n\r\n").error);
  EXPECT_TRUE(decode_chunked(" 4\r\nWiki\r\n0\r\n\r\n").error);
}

TEST(ChunkedBody, TrailersAreReadAndDropped) {
  expect_decodes(Framing::Chunked, 0, "4\r\nWiki\r\n0\r\nX-Sum: 1\r\nY:\t2 \r\n\r\n", "Wiki");
}

TEST(ChunkedBody, SizesAreHexInEitherCaseWithLeadingZeros) {
  const std::string body = all_bytes(0x1aF);
  expect_decodes(Framing::Chunked, 0, "00001aF\r\n" + body + "\r\n0\r\n\r\n", body);
  expect_decodes(Framing::Chunked, 0, "00000000000000A\r\n0123456789\r\n0\r\n\r\n", "0123456789");
}

TEST(ChunkedBody, SizeThatIsNotHexIsRefused) {
  for (std::string_view size : {"g", "-1", "+1", "0x4", "4g", "\xef\xbc\x94"}) {
    SCOPED_TRACE(size);
    EXPECT_TRUE(decode_chunked(std::string(size) + "\r\nWiki\r\n0\r\n\r\n").error);
  }
}

TEST(ChunkedBody, EmptySizeIsRefused) {
  for (std::string_view line : {"\r\n", ";a\r\n", "\t;a\r\n"}) {
    SCOPED_TRACE(line);
    EXPECT_TRUE(decode_chunked(std::string(line) + "0\r\n\r\n").error);
  }
}

TEST(ChunkedBody, SixteenHexDigitsAreRefused) {
  EXPECT_TRUE(decode_chunked("0000000000000004\r\nWiki\r\n0\r\n\r\n").error);
  EXPECT_TRUE(decode_chunked("ffffffffffffffff\r\n").error);
  // Fifteen are a size, however large: the data is simply still due.
  const Decoded d = decode_chunked("fffffffffffffff\r\nWiki");
  EXPECT_FALSE(d.error);
  EXPECT_FALSE(d.done);
  EXPECT_EQ(d.data, "Wiki");
}

TEST(ChunkedBody, DataMustEndInCrlf) {
  for (std::string_view bad : {"4\r\nWikiX\r\n0\r\n\r\n", "4\r\nWiki\n0\r\n\r\n",
                               "4\r\nWiki\r0\r\n\r\n", "4\r\nWiki0\r\n\r\n"}) {
    SCOPED_TRACE(bad);
    EXPECT_TRUE(decode_chunked(bad, bytewise()).error);
  }
}

TEST(ChunkedBody, BareLfOrBareCrIsRefused) {
  for (std::string_view bad : {"4\nWiki\r\n0\r\n\r\n", "4;a\nWiki\r\n0\r\n\r\n", "4\rWiki\r\n",
                               "0\r\nX: 1\n\r\n", "0\r\nX: 1\r\n\n", "0\r\n\r\r\n"}) {
    SCOPED_TRACE(bad);
    EXPECT_TRUE(decode_chunked(bad).error);
  }
}

TEST(ChunkedBody, ControlInAnExtensionOrTrailerIsRefused) {
  for (std::string_view bad :
       {"4;a\x01"
        "b\r\nWiki\r\n0\r\n\r\n",
        "4;a\x7f\r\nWiki\r\n0\r\n\r\n", "0\r\nX: \x01\r\n\r\n", "0\r\nX: \x7f\r\n\r\n"}) {
    SCOPED_TRACE(bad);
    EXPECT_TRUE(decode_chunked(bad).error);
  }
  EXPECT_TRUE(decode_chunked("4;a\tb\r\nWiki\r\n0\r\nX:\ty\r\n\r\n").done);
}

TEST(ChunkedBody, FoldedTrailerIsRefused) {
  EXPECT_TRUE(decode_chunked("0\r\nX: 1\r\n continued\r\n\r\n").error);
  EXPECT_TRUE(decode_chunked("0\r\n\tX: 1\r\n\r\n").error);
}

TEST(ChunkedBody, SizeLineIsLimitedTo4096Bytes) {
  // The limit counts the whole line: size, extensions and CRLF.
  const auto line_of = [](std::size_t size) { return "4;" + std::string(size - 4, 'x') + "\r\n"; };
  ASSERT_EQ(line_of(BodyReader::kMaxChunkLine).size(), BodyReader::kMaxChunkLine);
  EXPECT_TRUE(decode_chunked(line_of(BodyReader::kMaxChunkLine) + "Wiki\r\n0\r\n\r\n").done);
  EXPECT_TRUE(decode_chunked(line_of(BodyReader::kMaxChunkLine + 1) + "Wiki\r\n0\r\n\r\n").error);
  // Refused before the line ends.
  EXPECT_TRUE(decode_chunked(line_of(BodyReader::kMaxChunkLine + 2).substr(0, 4097)).error);
}

TEST(ChunkedBody, TrailersAreLimitedTo64KiB) {
  // The limit counts the whole trailer section, its final empty line included.
  const auto section_of = [](std::size_t size) {
    return "X: " + std::string(size - 7, 'v') + "\r\n\r\n";
  };
  ASSERT_EQ(section_of(BodyReader::kMaxTrailers).size(), BodyReader::kMaxTrailers);
  EXPECT_TRUE(decode_chunked("0\r\n" + section_of(BodyReader::kMaxTrailers)).done);
  EXPECT_TRUE(decode_chunked("0\r\n" + section_of(BodyReader::kMaxTrailers + 1)).error);
}

TEST(ChunkedBody, TruncatedBodyIsNeverDone) {
  for (std::size_t n = 0; n < kWikipedia.size(); ++n) {
    BodyReader reader(Framing::Chunked, 0);
    const Decoded d = feed(reader, kWikipedia.substr(0, n), whole());
    EXPECT_FALSE(d.error) << "prefix " << n;
    EXPECT_FALSE(d.done) << "prefix " << n;
    reader.end_of_input();
    EXPECT_FALSE(reader.done()) << "prefix " << n;
  }
}

}  // namespace
}  // namespace gatehouse::http1
