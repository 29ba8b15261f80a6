// SPDX-License-Identifier: BSD-3-Clause
// traffic_stats' bound on the addresses it counts: new addresses beyond
// max_talkers are left out of top_talkers() and counted in untracked().
#include <rawpkt/decode.hpp>
#include <rawpkt/traffic.hpp>

#include "support/hex.hpp"

#include <gtest/gtest.h>

#include <array>
#include <cstddef>

using namespace rawpkt;
using namespace rawpkt::test;

namespace {

// Ethernet, IPv4 192.0.2.1 -> 192.0.2.2, UDP 1024 -> 53, one byte of data.
constexpr auto udp_frame = R"(
    02 00 00 00 00 02 02 00 00 00 00 01 08 00 45 00
    00 1d 00 01 00 00 40 11 00 00 c0 00 02 01 c0 00
    02 02 04 00 00 35 00 09 00 00 ab)"_hex;

/// Counts the frame sent from 192.0.2.`host` to 192.0.2.2.
void count_from(traffic_stats& s, unsigned host) {
    std::array<std::byte, udp_frame.size()> b{};
    std::copy(udp_frame.begin(), udp_frame.end(), b.begin());
    b[29] = static_cast<std::byte>(host);
    frame f;
    f.data = bytes{b};
    f.original_len = static_cast<std::uint32_t>(b.size());
    decoded d;
    ASSERT_TRUE(decode(f.data, link_type::ethernet, d));
    s.add(f, d);
}

TEST(TrafficStats, TalkerTableStopsAtItsBound) {
    traffic_stats s(3);
    for (unsigned host = 10; host < 15; ++host) count_from(s, host); // 192.0.2.2 plus five sources
    EXPECT_EQ(s.packets(), 5u);                                      // every frame still counts
    EXPECT_EQ(s.max_talkers(), 3u);
    EXPECT_EQ(s.top_talkers(100).size(), 3u); // 192.0.2.10, 192.0.2.2, 192.0.2.11
    EXPECT_EQ(s.untracked(), 3u);             // the sources .12, .13 and .14
    count_from(s, 11);                        // a known address keeps counting
    EXPECT_EQ(s.untracked(), 3u);
    s.clear();
    EXPECT_EQ(s.untracked(), 0u);
    EXPECT_EQ(s.max_talkers(), 3u); // clear() keeps the bound
}

TEST(TrafficStats, DefaultBound) {
    const traffic_stats s;
    EXPECT_EQ(s.max_talkers(), traffic_stats::default_max_talkers);
    EXPECT_EQ(s.untracked(), 0u);
}

} // namespace
