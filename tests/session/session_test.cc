// encode_session / decode_session: the pinned binary layout, round trips, strict decoding.
#include "session/session.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <string>

#include "test_support.h"

namespace gatehouse::session {
namespace {

using namespace std::string_literals;

Status decode_status(std::string_view bytes) { return decode_session(bytes).status(); }

void expect_round_trip(const Session& session) {
  Result<std::string> encoded = encode_session(session);
  ASSERT_TRUE(encoded.ok());
  Result<Session> decoded = decode_session(*encoded);
  ASSERT_TRUE(decoded.ok()) << status_name(decoded.error());
  EXPECT_EQ(*decoded, session);
}

TEST(SessionEncoding, LayoutIsPinned) {
  Session session;
  session.expires_at = 0x0102030405060708;
  session.access_token = "at";
  session.access_token_expires_at = -1;
  session.id_token = "id";
  session.claims_json = "{}";
  const std::string expected =
      "\x01\x02\x03\x04\x05\x06\x07\x08"s  // expires_at
      "\xff\xff\xff\xff\xff\xff\xff\xff"s  // access_token_expires_at
      "\x02"                               // flags: ID token
      "\x00\x02"s
      "at"  // access token
      "\x00\x02"s
      "id"  // ID token
      "\x00\x02"s
      "{}";  // claims
  EXPECT_EQ(*encode_session(session), expected);
}

TEST(SessionEncoding, RoundTrips) {
  expect_round_trip(typical_session());
  expect_round_trip(Session{});
  Session all = typical_session();
  all.id_token = "eyJhbGciOiJSUzI1NiJ9.e30.c2ln";
  expect_round_trip(all);
  Session extremes;
  extremes.expires_at = std::numeric_limits<std::int64_t>::max();
  extremes.access_token_expires_at = std::numeric_limits<std::int64_t>::min();
  extremes.access_token = std::string(65535, 'a');
  extremes.claims_json = "\0\xff binary is kept as is"s;
  expect_round_trip(extremes);
}

TEST(SessionEncoding, EmptyOptionalTokensStayDistinctFromAbsentOnes) {
  Session empty_refresh = typical_session();
  empty_refresh.refresh_token = "";
  empty_refresh.id_token = "";
  expect_round_trip(empty_refresh);
  Session absent = typical_session();
  absent.refresh_token.reset();
  EXPECT_NE(*encode_session(absent), *encode_session(empty_refresh));
}

TEST(SessionEncoding, FieldsLongerThan65535BytesAreRefused) {
  for (int field = 0; field < 4; ++field) {
    Session session = typical_session();
    const std::string huge(65536, 'x');
    if (field == 0) session.access_token = huge;
    if (field == 1) session.refresh_token = huge;
    if (field == 2) session.id_token = huge;
    if (field == 3) session.claims_json = huge;
    Result<std::string> encoded = encode_session(session);
    ASSERT_FALSE(encoded.ok()) << field;
    EXPECT_EQ(encoded.error(), Status::SessionTooLarge);
  }
}

TEST(SessionEncoding, EveryTruncationIsRefused) {
  Session session = typical_session();
  session.id_token = "id-token";
  const std::string encoded = *encode_session(session);
  for (std::size_t size = 0; size < encoded.size(); ++size)
    EXPECT_EQ(decode_status(encoded.substr(0, size)), Status::CookieBadPayload) << size;
}

TEST(SessionEncoding, TrailingBytesAreRefused) {
  const std::string encoded = *encode_session(typical_session());
  EXPECT_EQ(decode_status(encoded + '\0'), Status::CookieBadPayload);
  EXPECT_EQ(decode_status(encoded + encoded), Status::CookieBadPayload);
}

TEST(SessionEncoding, UnknownFlagsAreRefused) {
  std::string encoded = *encode_session(Session{});
  for (int flag = 4; flag < 256; flag <<= 1) {
    encoded[16] = static_cast<char>(flag);
    EXPECT_EQ(decode_status(encoded), Status::CookieBadPayload) << flag;
  }
}

TEST(SessionEncoding, LengthsPastTheEndAreRefused) {
  std::string encoded = *encode_session(Session{});  // two times, flags, two empty fields
  ASSERT_EQ(encoded.size(), 21u);
  encoded[18] = 1;  // the access token claims one byte, eating a byte of the claims' length
  EXPECT_EQ(decode_status(encoded), Status::CookieBadPayload);
  encoded[17] = '\xff';
  EXPECT_EQ(decode_status(encoded), Status::CookieBadPayload);
}

}  // namespace
}  // namespace gatehouse::session
