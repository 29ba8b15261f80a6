// SPDX-License-Identifier: BSD-3-Clause
// TCP stream reassembly on segments built from a real IPv4/TCP header:
// order, retransmissions, overlaps, gaps, wrap-around, mid-stream pickup,
// FIN/RST/timeout closes, every bound, VLAN-separated connections.
#include <rawpkt/decode.hpp>
#include <rawpkt/flow/tcp_reassembly.hpp>

#include "support/hex.hpp"
#include "support/tcp_segments.hpp"

#include <gtest/gtest.h>

#include <cstring>
#include <map>
#include <string>
#include <vector>

namespace {

using namespace rawpkt;
using namespace rawpkt::flow;
using rawpkt::test::operator""_hex;

namespace fl = tcp::flag;
using rawpkt::test::segment;

struct recorder {
    std::map<std::uint64_t, std::array<std::string, 2>> streams;
    std::vector<std::string> events;
    std::vector<const std::byte*> data_pointers;
    void on_data(const tcp_connection& c, unsigned dir, bytes data) {
        streams[c.index][dir].append(reinterpret_cast<const char*>(data.data()), data.size());
        events.push_back(std::to_string(c.index) + (dir ? "<" : ">") +
                         std::string(reinterpret_cast<const char*>(data.data()), data.size()));
        data_pointers.push_back(data.data());
    }
    void on_gap(const tcp_connection& c, unsigned dir, std::uint64_t size) {
        events.push_back(std::to_string(c.index) + (dir ? "<" : ">") + "gap " + std::to_string(size));
    }
    void on_close(const tcp_connection& c, tcp_close why) {
        events.push_back(std::to_string(c.index) + " close " + to_string(why));
    }
};

struct harness {
    recorder rec;
    tcp_reassembler<recorder> r;
    decoded d;
    std::int64_t now = 0;
    explicit harness(const tcp_config& cfg = {}) : r(rec, cfg) {}
    void add(const std::vector<std::byte>& p, link_type link = link_type::ipv4) {
        ASSERT_TRUE(decode(bytes{p}, link, d));
        EXPECT_TRUE(r.add(d, now));
    }
};

TEST(TcpReassembly, HandshakeDataAndFinInOrderWithoutCopy) {
    harness h;
    const auto syn = segment(false, 1000, fl::syn);
    const auto synack = segment(true, 5000, fl::syn | fl::ack);
    const auto req = segment(false, 1001, fl::ack | fl::psh, "GET /");
    const auto resp = segment(true, 5001, fl::ack | fl::psh, "200 OK");
    const auto fin1 = segment(false, 1006, fl::ack | fl::fin);
    const auto fin2 = segment(true, 5007, fl::ack | fl::fin);
    for (const auto* p : {&syn, &synack, &req, &resp, &fin1}) h.add(*p);
    EXPECT_EQ(h.rec.events, (std::vector<std::string>{"0>GET /", "0<200 OK"}));
    // In-order data is handed over where it lies in the frame.
    EXPECT_EQ(h.rec.data_pointers[0], req.data() + 40);
    h.add(fin2);
    EXPECT_EQ(h.rec.events.back(), "0 close fin");
    EXPECT_EQ(h.r.stats().open_connections, 0u);
    // The last ACK of a closed connection does not open a new one.
    h.add(segment(false, 1007, fl::ack));
    EXPECT_EQ(h.r.stats().connections, 1u);
    // A new SYN on the same ports does.
    h.add(segment(false, 9000, fl::syn));
    h.add(segment(false, 9001, fl::ack, "again"));
    EXPECT_EQ(h.rec.streams[1][0], "again");
}

TEST(TcpReassembly, OutOfOrderSegmentsWaitForTheHole) {
    harness h;
    h.add(segment(false, 100, fl::syn));
    h.add(segment(false, 106, fl::ack, "world"));
    h.add(segment(false, 111, fl::ack, "!"));
    EXPECT_TRUE(h.rec.events.empty());
    h.add(segment(false, 101, fl::ack, "hello"));
    EXPECT_EQ(h.rec.events, (std::vector<std::string>{"0>hello", "0>world", "0>!"}));
    EXPECT_EQ(h.r.stats().out_of_order_segments, 2u);
    // A small buffer stays for the next hole (see free_buffer()).
    EXPECT_LE(h.r.stats().buffered_bytes, 16384u);
}

TEST(TcpReassembly, AcknowledgedHoleBeforeTheFinIsReported) {
    harness h;
    const auto ack_of = [](std::vector<std::byte> p, std::uint32_t ack) {
        tcp::mut_view::unchecked(mut_bytes{p}.subspan(20)).set_ack_number(ack);
        return p;
    };
    h.add(segment(false, 100, fl::syn));
    h.add(ack_of(segment(true, 500, fl::syn | fl::ack), 101));
    h.add(segment(false, 101, fl::ack, "ab"));
    // "cd" at 103 is missing from the capture; nothing follows it but the FIN.
    h.add(segment(false, 105, fl::ack | fl::fin));
    h.add(ack_of(segment(true, 501, fl::ack), 103)); // not into the hole yet
    EXPECT_EQ(h.rec.events, (std::vector<std::string>{"0>ab"}));
    h.add(ack_of(segment(true, 501, fl::ack | fl::fin), 106)); // the receiver had it all
    EXPECT_EQ(h.rec.events, (std::vector<std::string>{"0>ab", "0>gap 2", "0 close fin"}));
    EXPECT_EQ(h.r.stats().gap_bytes, 2u);
}

TEST(TcpReassembly, RetransmissionsAreDeduplicated) {
    harness h;
    h.add(segment(false, 100, fl::syn));
    h.add(segment(false, 101, fl::ack, "abcd"));
    h.add(segment(false, 101, fl::ack, "abcd"));   // whole retransmission
    h.add(segment(false, 103, fl::ack, "cdefgh")); // partly new
    EXPECT_EQ(h.rec.streams[0][0], "abcdefgh");
    EXPECT_EQ(h.r.stats().duplicate_bytes, 6u);
}

TEST(TcpReassembly, OverlapPolicyDecidesBufferedBytes) {
    for (const auto policy : {tcp_overlap::first, tcp_overlap::last}) {
        harness h({.overlap = policy});
        h.add(segment(false, 100, fl::syn));
        h.add(segment(false, 103, fl::ack, "XXXX"));   // [103,107)
        h.add(segment(false, 105, fl::ack, "YYYYYY")); // [105,111) overlaps
        h.add(segment(false, 101, fl::ack, "ab"));
        EXPECT_EQ(h.rec.streams[0][0], policy == tcp_overlap::first ? "abXXXXYYYY" : "abXXYYYYYY");
    }
}

TEST(TcpReassembly, GapReportedAtTheEnd) {
    harness h;
    h.add(segment(false, 100, fl::syn));
    h.add(segment(false, 101, fl::ack, "one"));
    h.add(segment(false, 110, fl::ack, "three")); // 104..110 never comes
    h.r.finish();
    EXPECT_EQ(h.rec.events, (std::vector<std::string>{"0>one", "0>gap 6", "0>three", "0 close end"}));
}

// A reply that acknowledges `ack` (the checksum is not checked here).
std::vector<std::byte> ack_of(std::uint32_t ack) {
    auto p = segment(true, 5001, fl::ack);
    tcp::mut_view::unchecked(mut_bytes{p}.subspan(20)).set_ack_number(ack);
    return p;
}

TEST(TcpReassembly, AcknowledgedHolesAreGivenUpEveryOne) {
    harness h;
    h.add(segment(false, 100, fl::syn));
    h.add(segment(false, 101, fl::ack, "one"));
    h.add(segment(false, 110, fl::ack, "three")); // hole 104..110
    h.add(segment(false, 120, fl::ack, "five"));  // hole 115..120
    h.add(segment(false, 130, fl::ack, "seven")); // hole 124..130
    // An ACK that ends inside the first hole leaves it open: its rest may
    // still come, and does.
    h.add(ack_of(106));
    EXPECT_EQ(h.rec.events, (std::vector<std::string>{"0>one"}));
    h.add(segment(false, 104, fl::ack, "twotwo"));
    EXPECT_EQ(h.rec.events, (std::vector<std::string>{"0>one", "0>twotwo", "0>three"}));
    // One ACK past the last buffered segment gives up both holes before it,
    // each reported whole, as tshark's follow does.
    h.add(ack_of(135));
    EXPECT_EQ(h.rec.events,
              (std::vector<std::string>{"0>one", "0>twotwo", "0>three", "0>gap 5", "0>five", "0>gap 6", "0>seven"}));
}

TEST(TcpReassembly, SequenceNumbersWrapAround) {
    harness h;
    h.add(segment(false, 0xfffffffdu, fl::syn)); // data starts at 0xfffffffe
    h.add(segment(false, 0x00000002u, fl::ack, "cd"));
    h.add(segment(false, 0xfffffffeu, fl::ack, "abXY"));
    EXPECT_EQ(h.rec.streams[0][0], "abXYcd");
}

TEST(TcpReassembly, MidStreamPickup) {
    harness h;
    h.add(segment(true, 777777, fl::ack, "middle"));
    h.add(segment(true, 777783, fl::ack, "-end"));
    EXPECT_EQ(h.rec.streams[0][0], "middle-end");
    h.r.finish();
    EXPECT_EQ(h.rec.events.back(), "0 close end");
}

TEST(TcpReassembly, RstClosesAfterDeliveringItsData) {
    harness h;
    h.add(segment(false, 100, fl::syn));
    h.add(segment(false, 105, fl::ack, "late"));
    h.add(segment(true, 500, fl::rst | fl::ack, "bye"));
    // What the client direction held goes out first, its hole reported.
    EXPECT_EQ(h.rec.events, (std::vector<std::string>{"0<bye", "0>gap 4", "0>late", "0 close rst"}));
    h.add(segment(false, 101, fl::ack, "ignored"));
    EXPECT_EQ(h.rec.events.size(), 4u);
}

TEST(TcpReassembly, PerDirectionBoundGivesUpOnTheHole) {
    harness h({.max_buffer_per_direction = 8});
    h.add(segment(false, 100, fl::syn));
    h.add(segment(false, 103, fl::ack, "cdef")); // held: 6 bytes from 101
    h.add(segment(false, 107, fl::ack, "ghij")); // would need 10: the hole goes
    // The hole is given up; the new segment is then in order.
    EXPECT_EQ(h.rec.events, (std::vector<std::string>{"0>gap 2", "0>cdef", "0>ghij"}));
    EXPECT_EQ(h.r.stats().buffer_limit_hits, 1u);
    h.add(segment(false, 111, fl::ack, "k"));
    EXPECT_EQ(h.rec.streams[0][0], "cdefghijk");
    // A segment beyond the bound with nothing held: the bytes before it are lost.
    h.add(segment(false, 200, fl::ack, "far"));
    EXPECT_EQ(h.rec.events[h.rec.events.size() - 2], "0>gap 88");
    EXPECT_EQ(h.r.stats().buffer_limit_hits, 2u);
    EXPECT_EQ(h.rec.streams[0][0], "cdefghijkfar");
    EXPECT_LE(h.r.stats().peak_buffered_bytes, 16384u);
}

TEST(TcpReassembly, SegmentCountBound) {
    harness h({.max_segments_per_direction = 2});
    h.add(segment(false, 100, fl::syn));
    h.add(segment(false, 103, fl::ack, "c"));
    h.add(segment(false, 105, fl::ack, "e"));
    h.add(segment(false, 107, fl::ack, "g"));
    EXPECT_EQ(h.rec.events, (std::vector<std::string>{"0>gap 2", "0>c"}));
    EXPECT_EQ(h.r.stats().buffer_limit_hits, 1u);
}

TEST(TcpReassembly, GlobalBoundFlushesOtherConnections) {
    harness h({.max_buffer_total = 20000});
    h.add(segment(false, 100, fl::syn));
    h.add(segment(false, 110, fl::ack, std::string(12000, 'a'))); // connection 0 holds ~12 KB
    auto other = segment(false, 100, fl::syn);
    tcp::mut_view::unchecked(mut_bytes{other}.subspan(20)).set_src_port(40000);
    h.add(other);
    auto big = segment(false, 110, fl::ack, std::string(12000, 'b'));
    tcp::mut_view::unchecked(mut_bytes{big}.subspan(20)).set_src_port(40000);
    h.add(big);
    EXPECT_EQ(h.rec.events.at(0), "0>gap 9");
    EXPECT_EQ(h.rec.streams[0][0].size(), 12000u);
    EXPECT_LE(h.r.stats().buffered_bytes, 20000u);
    EXPECT_EQ(h.r.stats().buffer_limit_hits, 1u);
}

TEST(TcpReassembly, FilledHolesLeaveNothingCountedAgainstTheGlobalBound) {
    // Two connections each fill a hole of 9 KB; a third then needs 4 KB of
    // buffer. Nothing is held any more, so nothing may be given up.
    harness h({.max_buffer_total = 20000});
    for (const std::uint16_t port : {40000, 40001, 40002}) {
        const auto on_port = [&](std::vector<std::byte> p) {
            tcp::mut_view::unchecked(mut_bytes{p}.subspan(20)).set_src_port(port);
            return p;
        };
        h.add(on_port(segment(false, 100, fl::syn)));
        h.add(on_port(segment(false, 110, fl::ack, std::string(port == 40002 ? 4000 : 9000, 'x'))));
        h.add(on_port(segment(false, 101, fl::ack, std::string(9, 'y'))));
    }
    for (const std::string& e : h.rec.events) EXPECT_EQ(e.find("gap"), std::string::npos) << e;
    EXPECT_EQ(h.r.stats().gap_bytes, 0u);
    EXPECT_EQ(h.r.stats().buffered_bytes, 0u);
    EXPECT_EQ(h.r.stats().buffer_limit_hits, 0u);
    EXPECT_EQ(h.r.stats().delivered_bytes, 9009u + 9009u + 4009u);
}

TEST(TcpReassembly, TableBoundEvictsLeastRecentlyActive) {
    harness h({.max_connections = 2});
    for (std::uint16_t port = 1; port <= 3; ++port) {
        auto s = segment(false, 100, fl::syn);
        tcp::mut_view::unchecked(mut_bytes{s}.subspan(20)).set_src_port(port);
        h.add(s);
    }
    EXPECT_EQ(h.rec.events, (std::vector<std::string>{"0 close evicted"}));
    EXPECT_EQ(h.r.stats().evicted, 1u);
}

TEST(TcpReassembly, IdleConnectionsTimeOut) {
    harness h({.idle_timeout_ns = 1000});
    h.add(segment(false, 100, fl::syn));
    h.add(segment(false, 103, fl::ack, "held"));
    h.now = 5000;
    h.r.expire(h.now);
    EXPECT_EQ(h.rec.events, (std::vector<std::string>{"0>gap 2", "0>held", "0 close timeout"}));
    EXPECT_EQ(h.r.stats().timed_out, 1u);
}

TEST(TcpReassembly, VlansSeparateEqualTuples) {
    // Ethernet, 802.1Q VLAN 10 or 20, then the segment.
    const auto tagged = [](std::uint16_t vid, const std::vector<std::byte>& ip) {
        auto head = R"(00 00 00 00 00 02 00 00 00 00 00 01 81 00 00 0a 08 00)"_hex;
        std::vector<std::byte> f(head.size() + ip.size());
        std::memcpy(f.data(), head.data(), head.size());
        std::memcpy(f.data() + head.size(), ip.data(), ip.size());
        f[15] = static_cast<std::byte>(vid);
        return f;
    };
    harness h;
    h.add(tagged(10, segment(false, 100, fl::ack, "ten")), link_type::ethernet);
    h.add(tagged(20, segment(false, 100, fl::ack, "twenty")), link_type::ethernet);
    EXPECT_EQ(h.r.stats().connections, 2u);
    EXPECT_EQ(h.rec.streams[0][0], "ten");
    EXPECT_EQ(h.rec.streams[1][0], "twenty");
}

TEST(TcpReassembly, NonTcpFramesAreIgnored) {
    harness h;
    decoded d;
    const auto udp = R"(45 00 00 1c 00 01 00 00 40 11 66 ce 0a 00 00 01 0a 00 00 02 00 35 00 35 00 08 00 00)"_hex;
    ASSERT_TRUE(decode(bytes{udp}, link_type::ipv4, d));
    EXPECT_FALSE(h.r.add(d, 0));
    EXPECT_EQ(h.r.stats().segments, 0u);
}

} // namespace
