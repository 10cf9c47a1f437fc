#include "edge/ip_prefix.h"

#include <gtest/gtest.h>

#include <string>

namespace gatehouse::edge {
namespace {

IpPrefix prefix(std::string_view text) {
  std::string problem;
  auto parsed = IpPrefix::parse(text, problem);
  EXPECT_TRUE(parsed.has_value()) << text << ": " << problem;
  return parsed.value_or(IpPrefix::parse("0.0.0.0/32", problem).value());
}

std::string problem_of(std::string_view text) {
  std::string problem;
  EXPECT_FALSE(IpPrefix::parse(text, problem).has_value()) << text;
  return problem;
}

bool contains(std::string_view cidr, std::string_view address) {
  auto parsed = IpAddress::parse(address);
  EXPECT_TRUE(parsed.has_value()) << address;
  return parsed && prefix(cidr).contains(*parsed);
}

TEST(IpAddress, ParsesBothFamiliesAndRefusesTheRest) {
  EXPECT_TRUE(IpAddress::parse("192.0.2.1"));
  EXPECT_TRUE(IpAddress::parse("2001:db8::1"));
  EXPECT_TRUE(IpAddress::parse("fe80::1%eth0"));  // zone from the socket layer is ignored
  for (std::string_view bad : std::initializer_list<std::string_view>{
           "", "localhost", "192.0.2", "192.0.2.256", "010.0.0.1", "1.2.3.4 ", "::g", "1:2:3",
           "2001:db8::1/64", std::string_view("1.2.3.4\0", 8)}) {
    EXPECT_FALSE(IpAddress::parse(bad)) << bad;
  }
  EXPECT_FALSE(IpAddress::parse(std::string(1000, '1')));
}

TEST(IpAddress, Ipv4MappedIpv6IsIpv4) {
  EXPECT_TRUE(IpAddress::parse("192.0.2.1")->v4);
  EXPECT_TRUE(IpAddress::parse("::ffff:192.0.2.1")->v4);
  EXPECT_EQ(IpAddress::parse("::ffff:192.0.2.1")->bytes, IpAddress::parse("192.0.2.1")->bytes);
  EXPECT_FALSE(IpAddress::parse("::192.0.2.1")->v4);  // the deprecated compatible form is v6
  EXPECT_FALSE(IpAddress::parse("::1")->v4);
}

struct Membership {
  std::string_view cidr;
  std::string_view address;
  bool inside;
};

// Edges of each block, both families, and the two never mixing.
constexpr Membership kMemberships[] = {
    {"10.0.0.0/8", "10.255.1.2", true},
    {"10.0.0.0/8", "11.0.0.1", false},
    {"192.0.2.0/24", "192.0.2.255", true},
    {"192.0.2.0/24", "192.0.3.0", false},
    {"198.51.100.10/32", "198.51.100.10", true},
    {"198.51.100.10/32", "198.51.100.11", false},
    {"0.0.0.0/0", "203.0.113.7", true},
    {"172.16.0.0/12", "172.31.255.255", true},
    {"172.16.0.0/12", "172.32.0.0", false},
    {"255.255.255.0/24", "255.255.255.255", true},  // broadcast is refused only as a /32
    {"2001:db8::/32", "2001:db8:ffff::1", true},
    {"2001:db8::/32", "2001:db9::1", false},
    {"::1/128", "::1", true},
    {"::1/128", "::2", false},
    {"2001:db8::/127", "2001:db8::1", true},
    {"2001:db8::/127", "2001:db8::2", false},
    {"fe80::/10", "fe80::1%eth0", true},
    {"2001:db8:0:0:8000::/65", "2001:db8::8000:0:0:1", true},  // the bit after the first half
    {"2001:db8:0:0:8000::/65", "2001:db8::7fff:0:0:1", false},
    {"0.0.0.0/0", "::1", false},
    {"0.0.0.0/0", "2001:db8::1", false},
    {"::/0", "192.0.2.1", false},
    {"::/0", "::ffff:192.0.2.1", false},
    {"::/0", "2001:db8::1", true},
    // An IPv4 client of a dual-stack `::` listener has a mapped peer address.
    {"10.0.0.0/8", "::ffff:10.1.2.3", true},
    {"10.0.0.0/8", "::ffff:11.1.2.3", false},
    {"::ffff:10.0.0.0/104", "10.9.9.9", true},  // a block written as mapped IPv6
};

TEST(IpPrefix, ContainsExactlyItsAddresses) {
  for (const Membership& m : kMemberships)
    EXPECT_EQ(contains(m.cidr, m.address), m.inside) << m.cidr << " " << m.address;
}

TEST(IpPrefix, RefusesWhatAlbRefusesAndWhatIsAmbiguous) {
  EXPECT_EQ(problem_of("10.0.0.1"),
            "is not in CIDR format (add /32 for one IPv4 address, /128 for one IPv6 address)");
  EXPECT_EQ(problem_of("10.0.0.1/24"), "has bits set after the prefix length");
  EXPECT_EQ(problem_of("2001:db8::1/32"), "has bits set after the prefix length");
  EXPECT_EQ(problem_of("255.255.255.255/32"), "is the broadcast address, which ALB refuses");
  EXPECT_EQ(problem_of("10.0.0.0/33"), "has a prefix length outside 0-32");
  EXPECT_EQ(problem_of("::/129"), "has a prefix length outside 0-128");
  for (std::string_view bad : {"10.0.0.0/", "10.0.0.0/08", "10.0.0.0/+8", "10.0.0.0/ 8",
                               "10.0.0.0/8/8", "10.0.0.0/1000"}) {
    EXPECT_FALSE(problem_of(bad).empty()) << bad;
  }
  for (std::string_view bad :
       {"/8", "abc/8", "10.0.0/8", "fe80::1%eth0/128", "*/0", "10.0.0.0 /8"}) {
    EXPECT_EQ(problem_of(bad), "is not an IPv4 or IPv6 address with a prefix length") << bad;
  }
}

}  // namespace
}  // namespace gatehouse::edge
