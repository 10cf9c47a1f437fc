// Behaviour of normalize() beyond the Istio examples: target splitting, the `changed` flag,
// dot-segment edge cases, buffer reuse and large inputs.
#include "pathnorm/pathnorm.h"

#include <gtest/gtest.h>

#include <string>
#include <string_view>

#include "normalize_helpers.h"

namespace gatehouse::pathnorm {
namespace {

Normalized normalize_ok(std::string_view target, Mode mode) {
  Normalized out;
  EXPECT_EQ(normalize(target, mode, out), Status::Ok) << target;
  return out;
}

TEST(PathnormTarget, QueryIsKeptVerbatim) {
  for (Mode mode : kAllModes) {
    SCOPED_TRACE(std::string(mode_name(mode)));
    const Normalized out = normalize_ok("/a/b?x=/../%2e&y=%41%2F\\//", mode);
    EXPECT_EQ(out.query(), "x=/../%2e&y=%41%2F\\//");
  }
  EXPECT_EQ(normalize_ok("/a/../b?x=/../", Mode::Base).target, "/b?x=/../");
}

TEST(PathnormTarget, PathAndQueryAccessorsSplitTheTarget) {
  const Normalized out = normalize_ok("/a/./b?k=v#frag", Mode::Base);
  EXPECT_EQ(out.target, "/a/b?k=v");
  EXPECT_EQ(out.path(), "/a/b");
  EXPECT_EQ(out.query(), "k=v");
}

TEST(PathnormTarget, EmptyQueryKeepsItsQuestionMark) {
  const Normalized out = normalize_ok("/a?", Mode::Base);
  EXPECT_EQ(out.target, "/a?");
  EXPECT_EQ(out.path(), "/a");
  EXPECT_EQ(out.query(), "");
  EXPECT_FALSE(out.changed);
}

TEST(PathnormTarget, NoQueryGivesEmptyQuery) {
  const Normalized out = normalize_ok("/a", Mode::Base);
  EXPECT_EQ(out.path(), "/a");
  EXPECT_EQ(out.query(), "");
}

TEST(PathnormTarget, FragmentEndsPathAndQuery) {
  EXPECT_EQ(normalized("/a?x#y?z", Mode::Base), "/a?x");
  EXPECT_EQ(normalized("/a#b?c", Mode::Base), "/a");
  EXPECT_EQ(normalized("/a#b/../..", Mode::Base), "/a");
  EXPECT_EQ(normalized("/#", Mode::Base), "/");
}

TEST(PathnormChanged, FalseWhenTheTargetGoesOnAsReceived) {
  for (std::string_view target : {"/", "/a/b", "/a/b?x=1", "/a//b", "/%2F", "/%c0"}) {
    SCOPED_TRACE(target);
    EXPECT_FALSE(normalize_ok(target, Mode::Base).changed);
  }
  EXPECT_FALSE(normalize_ok("/a/../b/%41", Mode::None).changed);
}

TEST(PathnormChanged, TrueWhenThePathIsRewrittenOrAFragmentDropped) {
  EXPECT_TRUE(normalize_ok("/a/./b", Mode::Base).changed);
  EXPECT_TRUE(normalize_ok("/%41", Mode::Base).changed);
  EXPECT_TRUE(normalize_ok("/a\\b", Mode::Base).changed);
  EXPECT_TRUE(normalize_ok("/a//b", Mode::MergeSlashes).changed);
  EXPECT_TRUE(normalize_ok("/a%2Fb", Mode::DecodeAndMergeSlashes).changed);
  EXPECT_TRUE(normalize_ok("/a#f", Mode::None).changed);
  EXPECT_TRUE(normalize_ok("/a?q#", Mode::Base).changed);
}

TEST(PathnormBase, DotSegmentEdgeCases) {
  constexpr std::pair<std::string_view, std::string_view> kCases[] = {
      {"/", "/"},
      {"/.", "/"},
      {"/./", "/"},
      {"/a/.", "/a/"},
      {"/a/..", "/"},
      {"/a/b/..", "/a/"},
      {"/a/b/../", "/a/"},
      {"/a/.b", "/a/.b"},
      {"/a/..b", "/a/..b"},
      {"/a/b.", "/a/b."},
      {"/a/b..", "/a/b.."},
      {"/a/%2e", "/a/"},
      {"/a/%2E%2e/b", "/b"},
      {"/a//./b", "/a//b"},
      {"/a/.//b", "/a//b"},
      {"/a//..", "/a/"},
      {"/a/.%2e/b", "/b"},
      {"/a/%2e./b", "/b"},
      {"/./a/./b/./", "/a/b/"},
      {"/a/b/c/../../d", "/a/d"},
  };
  for (const auto& [input, expected] : kCases)
    EXPECT_EQ(normalized(input, Mode::Base), expected) << input;
}

TEST(PathnormBase, EscapesAreDecodedOnlyOnce) {
  EXPECT_EQ(normalized("/%2541", Mode::Base), "/%2541");
  EXPECT_EQ(normalized("/%252e%252e/x", Mode::DecodeAndMergeSlashes), "/%252e%252e/x");
  EXPECT_EQ(normalized("/%252F", Mode::DecodeAndMergeSlashes), "/%252F");
}

TEST(PathnormBase, KeptEscapesPreserveHexCase) {
  EXPECT_EQ(normalized("/%aB%Cd%2f%2F%5c%5C", Mode::Base), "/%aB%Cd%2f%2F%5c%5C");
}

TEST(PathnormBase, UnreservedEscapesDecodeInEitherHexCase) {
  EXPECT_EQ(normalized("/%7e%7E%5f%2d%2D", Mode::Base), "/~~_--");
}

TEST(PathnormBase, NonAsciiBytesAndSubDelimitersPassThrough) {
  EXPECT_EQ(normalized("/caf\xc3\xa9/!$&'()*+,;=:@", Mode::Base), "/caf\xc3\xa9/!$&'()*+,;=:@");
}

TEST(PathnormMergeSlashes, CollapsesEveryRun) {
  EXPECT_EQ(normalized("///", Mode::MergeSlashes), "/");
  EXPECT_EQ(normalized("//a//b///c//", Mode::MergeSlashes), "/a/b/c/");
  EXPECT_EQ(normalized("/a\\\\b", Mode::MergeSlashes), "/a/b");
}

TEST(PathnormDecodeAndMergeSlashes, DecodedSlashesSplitSegments) {
  EXPECT_EQ(normalized("/a%2Fb%5cc", Mode::DecodeAndMergeSlashes), "/a/b/c");
  EXPECT_EQ(normalized("/a/b%2F..%2Fc", Mode::DecodeAndMergeSlashes), "/a/c");
}

TEST(PathnormBuffer, ReusesTheCallersCapacity) {
  Normalized out;
  ASSERT_EQ(normalize("/" + std::string(200, 'x') + "?q=1", Mode::Base, out), Status::Ok);
  const char* buffer = out.target.data();
  ASSERT_EQ(normalize("/a/../b?k", Mode::Base, out), Status::Ok);
  EXPECT_EQ(out.target, "/b?k");
  EXPECT_EQ(out.target.data(), buffer);
}

TEST(PathnormBuffer, RefusalAfterSuccessLeavesAReusableBuffer) {
  Normalized out;
  ASSERT_EQ(normalize("/a/b", Mode::Base, out), Status::Ok);
  EXPECT_EQ(normalize("/..", Mode::Base, out), Status::AboveRoot);
  ASSERT_EQ(normalize("/c/./d", Mode::Base, out), Status::Ok);
  EXPECT_EQ(out.target, "/c/d");
  EXPECT_EQ(out.path(), "/c/d");
}

TEST(PathnormLarge, SixtyFourKiBPathInEveryMode) {
  std::string path;
  while (path.size() < 64 * 1024) path += "/segment";
  for (Mode mode : kAllModes) EXPECT_EQ(normalized(path, mode), path) << mode_name(mode);
}

TEST(PathnormLarge, SixtyFourKiBOfDotSegments) {
  std::string climb_and_return;
  for (int i = 0; i < 8 * 1024; ++i) climb_and_return += "/a";
  for (int i = 0; i < 8 * 1024; ++i) climb_and_return += "/..";
  climb_and_return += "/end";
  EXPECT_EQ(normalized(climb_and_return, Mode::Base), "/end");
  EXPECT_EQ(status_of(climb_and_return + "/../..", Mode::Base), Status::AboveRoot);

  std::string dots;
  while (dots.size() < 64 * 1024) dots += "/x/..";
  EXPECT_EQ(normalized(dots, Mode::MergeSlashes), "/");
}

TEST(PathnormVariant, ReturnsTheNormalizedTarget) {
  const auto result = normalize("/a/./b?q", Mode::Base);
  ASSERT_TRUE(std::holds_alternative<Normalized>(result));
  EXPECT_EQ(std::get<Normalized>(result).target, "/a/b?q");
}

}  // namespace
}  // namespace gatehouse::pathnorm
