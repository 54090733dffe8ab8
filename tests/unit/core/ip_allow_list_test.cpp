#include "core/security/ip_allow_list.hpp"

#include <gtest/gtest.h>

namespace switchboard::core {
namespace {

boost::asio::ip::address ip(const char* s) {
  return boost::asio::ip::make_address(s);
}

TEST(IpAllowList, MatchesIpv4AndIpv6Blocks) {
  auto list = IpAllowList::parse({"10.1.0.0/16", "192.0.2.7", "2001:db8:abcd::/48", "::1"});
  ASSERT_TRUE(list.ok()) << list.error().message;
  EXPECT_TRUE(list->contains(ip("10.1.200.3")));
  EXPECT_FALSE(list->contains(ip("10.2.0.1")));
  EXPECT_TRUE(list->contains(ip("192.0.2.7")));
  EXPECT_FALSE(list->contains(ip("192.0.2.8")));
  EXPECT_TRUE(list->contains(ip("2001:db8:abcd:12::5")));
  EXPECT_FALSE(list->contains(ip("2001:db8:abce::5")));
  EXPECT_TRUE(list->contains(ip("::1")));
  EXPECT_FALSE(list->contains(ip("::2")));
}

TEST(IpAllowList, Ipv4MappedSourcesMatchIpv4Blocks) {
  auto list = IpAllowList::parse({"10.1.0.0/16"});
  ASSERT_TRUE(list.ok());
  EXPECT_TRUE(list->contains(ip("::ffff:10.1.2.3")));
  EXPECT_FALSE(list->contains(ip("::ffff:10.9.2.3")));
}

TEST(IpAllowList, OddPrefixLengthsAndCatchAll) {
  auto list = IpAllowList::parse({"172.16.0.0/12", "0.0.0.0/0"});
  ASSERT_TRUE(list.ok());
  EXPECT_TRUE(list->contains(ip("172.31.255.255")));
  EXPECT_TRUE(list->contains(ip("8.8.8.8")));  // the catch-all
  auto narrow = IpAllowList::parse({"172.16.0.0/12"});
  EXPECT_FALSE(narrow->contains(ip("172.32.0.0")));
  EXPECT_FALSE(narrow->contains(ip("2001:db8::1")));
}

TEST(IpAllowList, RejectsBadEntries) {
  for (const char* bad : {"10.0.0.0/33", "10.0.0/8", "::1/129", "host.example", "10.0.0.0/",
                          "10.0.0.0/8x", "1.2.3.4/-1"}) {
    auto r = IpAllowList::parse({bad});
    EXPECT_FALSE(r.ok()) << bad;
    if (!r.ok()) {
      EXPECT_NE(r.error().message.find(bad), std::string::npos);
    }
  }
  EXPECT_TRUE(IpAllowList::parse({}).value().empty());
}

}  // namespace
}  // namespace switchboard::core
