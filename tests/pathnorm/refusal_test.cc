// One group per Status: what gatehouse refuses (400) where Envoy would normalize silently.
#include <gtest/gtest.h>

#include <set>
#include <string>
#include <string_view>

#include "normalize_helpers.h"
#include "pathnorm/pathnorm.h"

namespace gatehouse::pathnorm {
namespace {

constexpr Status kAllStatuses[] = {
    Status::Ok,      Status::NotOriginForm,      Status::ControlCharacter,
    Status::NulByte, Status::BadPercentEncoding, Status::AboveRoot};

void expect_refused_in_every_mode(std::string_view target, Status expected) {
  for (Mode mode : kAllModes) {
    SCOPED_TRACE(std::string(mode_name(mode)));
    EXPECT_EQ(status_of(target, mode), expected);
  }
}

TEST(PathnormMessage, EveryStatusHasADistinctNonEmptyMessage) {
  std::set<std::string_view> seen;
  for (Status status : kAllStatuses) {
    EXPECT_FALSE(message(status).empty());
    EXPECT_TRUE(seen.insert(message(status)).second) << message(status);
  }
}

TEST(PathnormRefusal, NotOriginForm) {
  for (std::string_view target : {"", "*", "a/b", "http://example.com/", "example.com:443", "?q=1",
                                  "#frag", "\\admin", "%2Fadmin"}) {
    SCOPED_TRACE(target);
    expect_refused_in_every_mode(target, Status::NotOriginForm);
  }
}

TEST(PathnormRefusal, ControlCharacterAnywhereInTheTarget) {
  for (int byte = 0; byte <= 0x20; ++byte) {
    for (unsigned char c : {static_cast<unsigned char>(byte), static_cast<unsigned char>(0x7F)}) {
      const std::string bad(1, static_cast<char>(c));
      for (const std::string& target :
           {"/a" + bad + "b", "/a?q=" + bad, "/a#" + bad, "/a?q#" + bad, "/" + bad}) {
        SCOPED_TRACE(testing::Message() << "byte " << int(c) << " in " << target.size());
        expect_refused_in_every_mode(target, Status::ControlCharacter);
      }
    }
  }
}

TEST(PathnormRefusal, EncodedNulInThePath) {
  for (std::string_view target : {"/%00", "/a%00b", "/a/%00/..", "/%2e%00", "/a%00?x=1"}) {
    SCOPED_TRACE(target);
    expect_refused_in_every_mode(target, Status::NulByte);
  }
}

TEST(PathnormRefusal, EncodedNulOutsideThePathIsNotInspected) {
  // The query is never normalized and the fragment is dropped; the backend owns both.
  EXPECT_EQ(normalized("/a?x=%00", Mode::Base), "/a?x=%00");
  EXPECT_EQ(normalized("/a#%00", Mode::Base), "/a");
}

TEST(PathnormRefusal, MalformedPercentEscape) {
  for (std::string_view target :
       {"/%", "/a%", "/%4", "/a%4", "/%4g", "/%g4", "/%%41", "/%-1", "/%+1", "/%0x41", "/%25%",
        "/a%2/b", "/%\xc3\xa9", "/%?q", "/%#f"}) {
    SCOPED_TRACE(target);
    expect_refused_in_every_mode(target, Status::BadPercentEncoding);
  }
}

TEST(PathnormRefusal, MalformedPercentEscapeOutsideThePathIsNotInspected) {
  EXPECT_EQ(normalized("/a?x=%zz%", Mode::DecodeAndMergeSlashes), "/a?x=%zz%");
  EXPECT_EQ(normalized("/a#%zz", Mode::Base), "/a");
}

TEST(PathnormRefusal, DotDotAboveTheRoot) {
  for (std::string_view target :
       {"/..", "/../", "/../x", "/a/../../b", "/a/../..", "/%2e%2e/x", "/%2E%2E", "/.%2e", "/%2E.",
        "/./..", "/a/./../..", "/..\\x", "/..?q", "/..#f", "/a/b/../../../c"}) {
    SCOPED_TRACE(target);
    expect_refused_in_every_mode(target, Status::AboveRoot);
  }
}

TEST(PathnormRefusal, DotDotFromDecodedSlashesOnlyInDecodeMode) {
  // Without decoding, "%2f..%2f.." is part of one ordinary segment.
  constexpr std::string_view kTarget = "/a%2f..%2f..%2fetc";
  EXPECT_EQ(status_of(kTarget, Mode::DecodeAndMergeSlashes), Status::AboveRoot);
  EXPECT_EQ(normalized(kTarget, Mode::Base), kTarget);
  EXPECT_EQ(status_of("/a%5c..%5c..", Mode::DecodeAndMergeSlashes), Status::AboveRoot);
  EXPECT_EQ(normalized("/a%5c..%5c..", Mode::Base), "/a%5c..%5c..");
}

TEST(PathnormRefusal, NoneModeRefusesWhatBaseRefuses) {
  // NONE forwards the path as received, so the backend would resolve these itself.
  EXPECT_EQ(status_of("/..", Mode::None), Status::AboveRoot);
  EXPECT_EQ(status_of("/%2e%2e/etc/passwd", Mode::None), Status::AboveRoot);
  EXPECT_EQ(status_of("/a\\..\\..\\b", Mode::None), Status::AboveRoot);
}

TEST(PathnormRefusal, DotDotThatStaysInsideTheRootIsAccepted) {
  EXPECT_EQ(normalized("/a/..", Mode::Base), "/");
  EXPECT_EQ(normalized("//..", Mode::Base), "/");
  EXPECT_EQ(normalized("/\\..", Mode::Base), "/");
  EXPECT_EQ(normalized("/a/b/../..", Mode::Base), "/");
  EXPECT_EQ(normalized("/a/../b/../c", Mode::Base), "/c");
}

TEST(PathnormRefusal, VariantOverloadCarriesTheStatus) {
  const auto result = normalize("/a/../..", Mode::Base);
  ASSERT_TRUE(std::holds_alternative<Status>(result));
  EXPECT_EQ(std::get<Status>(result), Status::AboveRoot);
}

}  // namespace
}  // namespace gatehouse::pathnorm
