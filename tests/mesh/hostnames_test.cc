// Host-name helpers: short names, gateway references, wildcard subsets and intersections.
#include "mesh/hostnames.h"

#include <gtest/gtest.h>

namespace gatehouse::mesh {
namespace {

TEST(ResolveShortName, ExpandsOnlyNamesWithoutDots) {
  EXPECT_EQ(resolve_short_name("reviews", "foo"), "reviews.foo.svc.cluster.local");
  EXPECT_EQ(resolve_short_name("reviews.bar", "foo"), "reviews.bar");
  EXPECT_EQ(resolve_short_name("*", "foo"), "*");
  EXPECT_EQ(resolve_short_name("*.foo.com", "foo"), "*.foo.com");
  EXPECT_EQ(resolve_short_name("10.0.0.1", "foo"), "10.0.0.1");
  EXPECT_EQ(resolve_short_name("::1", "foo"), "::1");
  EXPECT_EQ(resolve_short_name("", "foo"), "");
}

TEST(ResolveGatewayName, AllReferenceForms) {
  EXPECT_EQ(resolve_gateway_name("gw", "foo"), "foo/gw");
  EXPECT_EQ(resolve_gateway_name("./gw", "foo"), "foo/gw");
  EXPECT_EQ(resolve_gateway_name("bar/gw", "foo"), "bar/gw");
  EXPECT_EQ(resolve_gateway_name("gw.bar.svc.cluster.local", "foo"), "bar/gw");
  EXPECT_EQ(resolve_gateway_name("gw.bar", "foo"), "bar/gw");
  EXPECT_EQ(resolve_gateway_name("mesh", "foo"), "mesh");
}

TEST(HostSubset, WildcardSemantics) {
  EXPECT_TRUE(host_subset_of("a.foo.com", "*.foo.com"));
  EXPECT_TRUE(host_subset_of("a.b.foo.com", "*.foo.com"));
  EXPECT_FALSE(host_subset_of("foo.com", "*.foo.com"));
  EXPECT_TRUE(host_subset_of("*.b.foo.com", "*.foo.com"));
  EXPECT_FALSE(host_subset_of("*.foo.com", "*.b.foo.com"));
  EXPECT_FALSE(host_subset_of("*.foo.com", "a.foo.com"));
  EXPECT_TRUE(host_subset_of("anything", "*"));
  EXPECT_TRUE(host_subset_of("*", "*"));
  EXPECT_FALSE(host_subset_of("*", "*.foo.com"));
  EXPECT_TRUE(host_subset_of("a.com", "a.com"));
  EXPECT_FALSE(host_subset_of("a.com", "b.com"));
}

TEST(IntersectHosts, KeepsTheMoreSpecificNameOnce) {
  using Names = std::vector<std::string>;
  EXPECT_EQ(intersect_hosts({"*.foo.com"}, {"a.foo.com", "b.bar.com"}), Names{"a.foo.com"});
  EXPECT_EQ(intersect_hosts({"a.foo.com", "b.foo.com"}, {"*.foo.com"}),
            (Names{"a.foo.com", "b.foo.com"}));
  EXPECT_EQ(intersect_hosts({"*"}, {"*"}), Names{"*"});
  EXPECT_EQ(intersect_hosts({"*", "*.com"}, {"a.com"}), Names{"a.com"});
  EXPECT_TRUE(intersect_hosts({"a.com"}, {"b.com"}).empty());
}

TEST(HostPattern, StarOnlyAsTheWholeLeftMostLabel) {
  EXPECT_TRUE(is_valid_host_pattern("*"));
  EXPECT_TRUE(is_valid_host_pattern("*.foo.com"));
  EXPECT_TRUE(is_valid_host_pattern("foo.com"));
  EXPECT_FALSE(is_valid_host_pattern(""));
  EXPECT_FALSE(is_valid_host_pattern("*foo.com"));
  EXPECT_FALSE(is_valid_host_pattern("a.*.com"));
  EXPECT_FALSE(is_valid_host_pattern("*.*.com"));
  EXPECT_FALSE(is_valid_host_pattern("*."));
}

TEST(CaseInsensitiveHashing, EqualNamesHashEqually) {
  EXPECT_EQ(CaseInsensitiveHash{}("Example.COM"), CaseInsensitiveHash{}("example.com"));
  EXPECT_TRUE(CaseInsensitiveEqual{}("Example.COM", "example.com"));
  EXPECT_FALSE(CaseInsensitiveEqual{}("example.com", "example.org"));
}

}  // namespace
}  // namespace gatehouse::mesh
