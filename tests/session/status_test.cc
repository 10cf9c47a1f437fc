// Every Status has a distinct name and message; the key-file errors read as config errors.
#include "session/status.h"

#include <gtest/gtest.h>

#include <set>
#include <string_view>

#include "session/keys.h"

namespace gatehouse::session {
namespace {

TEST(SessionStatus, EveryStatusHasADistinctNonEmptyMessageAndName) {
  std::set<std::string_view> messages, names;
  for (Status status : kAllStatuses) {
    EXPECT_FALSE(status_message(status).empty());
    EXPECT_TRUE(messages.insert(status_message(status)).second) << status_message(status);
    EXPECT_TRUE(names.insert(status_name(status)).second) << status_name(status);
  }
}

TEST(SessionStatus, NamesAreTheEnumerators) {
  EXPECT_EQ(status_name(Status::Ok), "Ok");
  EXPECT_EQ(status_name(Status::SessionExpired), "SessionExpired");
  EXPECT_EQ(status_name(Status::CookieAuthenticationFailed), "CookieAuthenticationFailed");
}

TEST(SessionStatus, KeyFileErrorsNameFileAndLine) {
  EXPECT_EQ((KeyFileError{Status::KeyBadBase64, 3}.describe("/etc/gatehouse/session.keys")),
            "/etc/gatehouse/session.keys:3: session key is not valid base64");
  EXPECT_EQ((KeyFileError{Status::KeyWrongLength, 1}.describe("k")),
            "k:1: session key does not decode to 32 bytes");
  EXPECT_EQ((KeyFileError{Status::KeyDuplicate, 7}.describe("k")),
            "k:7: session key is listed twice");
  EXPECT_EQ((KeyFileError{Status::KeyFileEmpty, 0}.describe("k")),
            "k: session key file holds no key");
}

}  // namespace
}  // namespace gatehouse::session
