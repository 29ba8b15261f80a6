// SPDX-License-Identifier: BSD-3-Clause
// tcp_follower's memory bound: a stream larger than max_bytes is cut at the
// first chunk that does not fit, and the cut is reported.
#include <rawpkt/flow/follow.hpp>

#include <gtest/gtest.h>

#include <array>
#include <cstddef>
#include <string>

using namespace rawpkt;
using namespace rawpkt::flow;

namespace {

const std::array<std::byte, 100> payload{};

TEST(TcpFollower, KeepsEverythingWithinTheBound) {
    tcp_follower f(3);
    tcp_connection c;
    c.index = 3;
    f.on_data(c, 0, bytes{payload});
    f.on_gap(c, 1, 40);
    c.index = 4; // another connection: not kept, not counted
    f.on_data(c, 0, bytes{payload});
    ASSERT_EQ(f.chunks().size(), 2u);
    EXPECT_FALSE(f.truncated());
    EXPECT_EQ(f.dropped_bytes(), 0u);
    EXPECT_EQ(f.held_bytes(), 100 + missing_bytes_note(40).size() + 2 * sizeof(tcp_follower::chunk));
    EXPECT_EQ(f.max_bytes(), tcp_follower::default_max_bytes);
}

TEST(TcpFollower, CutsTheStreamAtTheBoundAndCountsTheRest) {
    // Room for two chunks of 100 bytes with their bookkeeping, not three.
    const std::size_t bound = 2 * (100 + sizeof(tcp_follower::chunk)) + 50;
    tcp_follower f(0, bound);
    tcp_connection c;
    f.on_data(c, 0, bytes{payload});
    f.on_data(c, 1, bytes{payload});
    EXPECT_FALSE(f.truncated());
    f.on_data(c, 0, bytes{payload});
    EXPECT_TRUE(f.truncated());
    // Once cut, even what would fit is dropped: the output stays a prefix.
    f.on_data(c, 1, bytes{payload}.first(1));
    f.on_gap(c, 0, 7);
    EXPECT_EQ(f.chunks().size(), 2u);
    EXPECT_LE(f.held_bytes(), bound);
    EXPECT_EQ(f.dropped_bytes(), 100u + 1u + missing_bytes_note(7).size());
    // The printed stream holds the two kept chunks, one line each (the second from node 1).
    const std::string text = f.text();
    const std::string line(200, '0');
    std::size_t lines = 0;
    for (std::size_t at = text.find(line); at != std::string::npos; at = text.find(line, at + line.size())) ++lines;
    EXPECT_EQ(lines, 2u);
    EXPECT_NE(text.find("\n" + line + "\n\t" + line + "\n"), std::string::npos);
}

} // namespace
