// SessionKeys::parse: the key file format, its errors with their lines, and the key ids.
#include "session/keys.h"

#include <gtest/gtest.h>

#include <string>

#include "test_support.h"

namespace gatehouse::session {
namespace {

KeyFileError parse_error(std::string_view text) {
  Result<SessionKeys, KeyFileError> keys = SessionKeys::parse(text);
  EXPECT_FALSE(keys.ok()) << "parsed: " << text;
  return keys.ok() ? KeyFileError{Status::Ok, 0} : keys.error();
}

void expect_error(std::string_view text, Status status, std::size_t line) {
  const KeyFileError error = parse_error(text);
  EXPECT_EQ(error.status, status) << text;
  EXPECT_EQ(error.line, line) << text;
}

std::string with_url_alphabet(std::string_view key) {
  std::string text(key);
  for (char& c : text) c = c == '+' ? '-' : c == '/' ? '_' : c;
  return text;
}

TEST(SessionKeys, OneKeyFromOpensslRand) {
  const SessionKeys keys = keys_or_fail(std::string(kKeyA) + "\n");
  ASSERT_EQ(keys.all().size(), 1u);
  EXPECT_EQ(&keys.sealing_key(), &keys.all()[0]);
}

// sha256(key A) = 3d343fe1..., sha256(key B) = 600db4d9... (`base64 -d | sha256sum`).
TEST(SessionKeys, KeyIdIsTheFirstFourBytesOfSha256) {
  const SessionKeys keys = keys_or_fail(std::string(kKeyA) + "\n" + std::string(kKeyB));
  EXPECT_EQ(keys.all()[0].id, (KeyId{0x3d, 0x34, 0x3f, 0xe1}));
  EXPECT_EQ(keys.all()[1].id, (KeyId{0x60, 0x0d, 0xb4, 0xd9}));
}

TEST(SessionKeys, FirstKeySealsAndOrderIsKept) {
  const SessionKeys keys =
      keys_or_fail(std::string(kKeyB) + "\n" + std::string(kKeyA) + "\n" + std::string(kKeyC));
  ASSERT_EQ(keys.all().size(), 3u);
  EXPECT_EQ(keys.sealing_key().id, (KeyId{0x60, 0x0d, 0xb4, 0xd9}));
  EXPECT_EQ(keys.all()[1].id, (KeyId{0x3d, 0x34, 0x3f, 0xe1}));
}

TEST(SessionKeys, UrlSafeAndUnpaddedSpellingsGiveTheSameKey) {
  const SessionKeys standard = keys_or_fail(kKeyB);
  std::string url_safe = with_url_alphabet(kKeyB);
  ASSERT_NE(url_safe, kKeyB);  // the key has '+' and '/', so the spelling really differs
  const SessionKeys padded = keys_or_fail(url_safe);
  url_safe.pop_back();
  const SessionKeys unpadded = keys_or_fail(url_safe);
  EXPECT_EQ(padded.sealing_key().bytes, standard.sealing_key().bytes);
  EXPECT_EQ(unpadded.sealing_key().bytes, standard.sealing_key().bytes);
}

TEST(SessionKeys, CommentsBlankLinesCrlfAndBlanksAreIgnored) {
  const std::string text = "# session keys, newest first\r\n\r\n   \n\t" + std::string(kKeyA) +
                           "  \r\n  # retired next week\n" + std::string(kKeyB) + "\t";
  EXPECT_EQ(keys_or_fail(text).all().size(), 2u);
}

TEST(SessionKeys, EmptyFileIsRefused) {
  expect_error("", Status::KeyFileEmpty, 0);
  expect_error("\n\n  \n", Status::KeyFileEmpty, 0);
  expect_error("# only a comment\n#" + std::string(kKeyA) + "\n", Status::KeyFileEmpty, 0);
}

TEST(SessionKeys, BadBase64NamesItsLine) {
  expect_error(std::string(kKeyA) + "\nnot base64 at all\n", Status::KeyBadBase64, 2);
  expect_error("\n\n" + std::string(kKeyA) + "!", Status::KeyBadBase64, 3);
  // A comment after the key is not part of the format.
  expect_error(std::string(kKeyA) + " # main key", Status::KeyBadBase64, 1);
  expect_error("mItEZMuNmPkrAZdu/Ojwqlj1L0LZ=dP8YC8mGvvu8Wk=", Status::KeyBadBase64, 1);
  expect_error(std::string(kKeyA) + "==", Status::KeyBadBase64, 1);
  expect_error(std::string("mItEZMuNmPkrAZdu/Ojwq\0j1L0LZdDP8YC8mGvvu8Wk=", 44),
               Status::KeyBadBase64, 1);
}

// openssl rand -base64 31 and -base64 33, and a hex key (64 characters, 48 bytes as base64).
TEST(SessionKeys, WrongLengthNamesItsLine) {
  expect_error("xenntBnSi09nyQq+ZHdPomlel+lREY97NQEmtmfgCQ==", Status::KeyWrongLength, 1);
  expect_error("# k\n" + std::string(kKeyA) + "\nxW/dWOlA4fvE/8llMcOCA5ZZnfuqgWzm2oEZprHrnHMU",
               Status::KeyWrongLength, 3);
  expect_error("9a2d6f0c1b3e4d5f6a7b8c9d0e1f2a3b4c5d6e7f8091a2b3c4d5e6f708192a3b",
               Status::KeyWrongLength, 1);
}

TEST(SessionKeys, DuplicateKeyNamesTheSecondLine) {
  expect_error(std::string(kKeyA) + "\n" + std::string(kKeyB) + "\n" + std::string(kKeyA),
               Status::KeyDuplicate, 3);
  // The same bytes in another spelling are the same key.
  expect_error(std::string(kKeyB) + "\n" + with_url_alphabet(kKeyB), Status::KeyDuplicate, 2);
}

TEST(SessionKeys, FirstBadLineWins) {
  expect_error("bad!\n" + std::string(kKeyA) + "\n" + std::string(kKeyA), Status::KeyBadBase64, 1);
}

}  // namespace
}  // namespace gatehouse::session
