// SPDX-License-Identifier: BSD-3-Clause
// The flow table: both directions in one record, counters, flags, idle and
// active timeouts, the size bound, VLAN-separated flows, JSON and CSV.
#include <rawpkt/decode.hpp>
#include <rawpkt/flow/flow_table.hpp>

#include "support/hex.hpp"
#include "support/tcp_segments.hpp"

#include <gtest/gtest.h>

#include <cstring>
#include <vector>

namespace {

using namespace rawpkt;
using namespace rawpkt::flow;
using rawpkt::test::operator""_hex;

// 10.0.0.1:53 -> 10.0.0.2:53, UDP, 28 bytes.
constexpr auto udp_packet =
    R"(45 00 00 1c 00 01 00 00 40 11 66 ce 0a 00 00 01 0a 00 00 02 00 35 00 35 00 08 00 00)"_hex;

/// 10.0.0.1:12345 <-> 10.0.0.2:80, 40 bytes of IPv4 each.
std::vector<std::byte> tcp_packet(bool reply, std::uint16_t flags) { return rawpkt::test::segment(reply, 0, flags); }

struct sink {
    std::vector<flow_record> flows;
    void on_flow(const flow_record& r) { flows.push_back(r); }
};

struct harness {
    sink out;
    flow_table<sink> table;
    decoded d;
    explicit harness(const flow_table_config& c = {}) : table(out, c) {}
    void add(bytes p, std::int64_t t, link_type link = link_type::ipv4) {
        ASSERT_TRUE(decode(p, link, d));
        EXPECT_TRUE(table.add(d, t));
    }
};

namespace fl = tcp::flag;

TEST(FlowTable, BothDirectionsShareOneRecord) {
    harness h;
    h.add(bytes{tcp_packet(false, fl::syn)}, 1000);
    h.add(bytes{tcp_packet(true, fl::syn | fl::ack)}, 2000);
    h.add(bytes{tcp_packet(false, fl::ack)}, 3000);
    h.add(bytes{tcp_packet(false, fl::fin | fl::ack)}, 4000);
    h.table.finish();
    ASSERT_EQ(h.out.flows.size(), 1u);
    const flow_record& r = h.out.flows[0];
    EXPECT_EQ(r.address(0), "10.0.0.1");
    EXPECT_EQ(r.address(1), "10.0.0.2");
    EXPECT_EQ(r.port(0), 12345);
    EXPECT_EQ(r.port(1), 80);
    EXPECT_EQ(r.key.protocol, 6);
    EXPECT_EQ(r.packets, (std::array<std::uint64_t, 2>{3, 1}));
    EXPECT_EQ(r.bytes, (std::array<std::uint64_t, 2>{120, 40}));
    EXPECT_EQ(r.tcp_flags[0], fl::syn | fl::ack | fl::fin);
    EXPECT_EQ(r.tcp_flags[1], fl::syn | fl::ack);
    EXPECT_EQ(r.first_ns, 1000);
    EXPECT_EQ(r.last_ns, 4000);
    EXPECT_EQ(r.end, flow_end::end);
    EXPECT_EQ(to_json(r), R"({"src":"10.0.0.1","dst":"10.0.0.2","sport":12345,"dport":80,"proto":6,"vlan":0,)"
                          R"("tunnel":0,"depth":0,"first_ns":1000,"last_ns":4000,"packets":[3,1],"bytes":[120,40],)"
                          R"("tcp_flags":["ASF","AS"],"end":"end"})");
    EXPECT_EQ(csv_header(), "src,dst,sport,dport,proto,vlan,tunnel,depth,first_ns,last_ns,packets_fwd,packets_rev,"
                            "bytes_fwd,bytes_rev,tcp_flags_fwd,tcp_flags_rev,end");
    EXPECT_EQ(to_csv(r), "10.0.0.1,10.0.0.2,12345,80,6,0,0,0,1000,4000,3,1,120,40,ASF,AS,end");
}

TEST(FlowTable, FirstSenderIsDirectionZero) {
    harness h;
    h.add(bytes{tcp_packet(true, fl::syn | fl::ack)}, 0);
    h.table.finish();
    ASSERT_EQ(h.out.flows.size(), 1u);
    EXPECT_EQ(h.out.flows[0].address(0), "10.0.0.2");
    EXPECT_EQ(h.out.flows[0].port(0), 80);
}

TEST(FlowTable, IdleTimeoutEndsAFlow) {
    harness h({.idle_timeout_ns = 100});
    h.add(bytes{udp_packet}, 0);
    h.add(bytes{tcp_packet(false, fl::syn)}, 50);
    h.add(bytes{tcp_packet(false, fl::ack)}, 140); // UDP idle for 140, TCP for 90
    ASSERT_EQ(h.out.flows.size(), 1u);
    EXPECT_EQ(h.out.flows[0].key.protocol, 17);
    EXPECT_EQ(h.out.flows[0].end, flow_end::idle);
    EXPECT_EQ(h.table.stats().active, 1u);
}

TEST(FlowTable, ActiveTimeoutSplitsLongFlows) {
    harness h({.active_timeout_ns = 100});
    h.add(bytes{udp_packet}, 0);
    h.add(bytes{udp_packet}, 90);
    h.add(bytes{udp_packet}, 150);
    h.table.finish();
    ASSERT_EQ(h.out.flows.size(), 2u);
    EXPECT_EQ(h.out.flows[0].end, flow_end::active);
    EXPECT_EQ(h.out.flows[0].packets[0], 2u);
    EXPECT_EQ(h.out.flows[1].packets[0], 1u);
    EXPECT_EQ(h.out.flows[1].first_ns, 150);
}

TEST(FlowTable, SizeBoundEvictsLeastRecentlyActive) {
    harness h({.max_flows = 1});
    h.add(bytes{udp_packet}, 0);
    h.add(bytes{tcp_packet(false, fl::syn)}, 1);
    EXPECT_EQ(h.table.stats().evicted, 1u);
    ASSERT_EQ(h.out.flows.size(), 1u);
    EXPECT_EQ(h.out.flows[0].end, flow_end::evicted);
}

TEST(FlowTable, VlansSeparateFlows) {
    const auto tagged = [](std::uint8_t vid) {
        auto head = R"(00 00 00 00 00 02 00 00 00 00 00 01 81 00 00 00 08 00)"_hex;
        std::vector<std::byte> f(head.size() + udp_packet.size());
        std::memcpy(f.data(), head.data(), head.size());
        std::memcpy(f.data() + head.size(), udp_packet.data(), udp_packet.size());
        f[15] = static_cast<std::byte>(vid);
        return f;
    };
    harness h;
    h.add(bytes{tagged(10)}, 0, link_type::ethernet);
    h.add(bytes{tagged(20)}, 0, link_type::ethernet);
    h.add(bytes{tagged(10)}, 0, link_type::ethernet);
    h.table.finish();
    ASSERT_EQ(h.out.flows.size(), 2u);
    EXPECT_EQ(h.out.flows[0].key.vlan, 10);
    EXPECT_EQ(h.out.flows[0].packets[0], 2u);
    EXPECT_EQ(h.out.flows[1].key.vlan, 20);
}

TEST(FlowTable, FramesWithoutIpAreCounted) {
    harness h;
    const auto arp = R"(ff ff ff ff ff ff 00 00 00 00 00 01 08 06 00 01 08 00 06 04 00 01
        00 00 00 00 00 01 0a 00 00 01 00 00 00 00 00 00 0a 00 00 02)"_hex;
    ASSERT_TRUE(decode(bytes{arp}, link_type::ethernet, h.d));
    EXPECT_FALSE(h.table.add(h.d, 0));
    EXPECT_EQ(h.table.stats().not_ip, 1u);
}

} // namespace
