// The request-target as routing sees it: absolute-form reduced to its path (any scheme case),
// then normalized once.
#include "proxy/target_split.h"

#include <gtest/gtest.h>

namespace gatehouse::proxy {
namespace {

std::string split(std::string_view target) {
  pathnorm::Normalized out;
  return split_target(target, pathnorm::Mode::Base, out) ? out.target : "<refused>";
}

TEST(SplitTarget, OriginFormIsNormalized) {
  EXPECT_EQ(split("/status/200/../../headers?x=1"), "/headers?x=1");
}

TEST(SplitTarget, AbsoluteFormKeepsPathAndQuery) {
  EXPECT_EQ(split("http://example.com/status/200?x=1"), "/status/200?x=1");
  EXPECT_EQ(split("https://example.com:8443/a/../b"), "/b");
  EXPECT_EQ(split("http://example.com"), "/");
}

TEST(SplitTarget, SchemeIsCaseInsensitive) {
  EXPECT_EQ(split("HTTP://example.com/status/200"), "/status/200");
  EXPECT_EQ(split("Https://example.com/a"), "/a");
}

TEST(SplitTarget, RefusesWhatHasNoPath) {
  EXPECT_EQ(split("http://example.com?q"), "<refused>");
  EXPECT_EQ(split("ftp://example.com/a"), "<refused>");
  EXPECT_EQ(split("*"), "<refused>");
  EXPECT_EQ(split("/../etc/passwd"), "<refused>");
}

}  // namespace
}  // namespace gatehouse::proxy
