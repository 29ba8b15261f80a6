// SPDX-License-Identifier: BSD-3-Clause
#include <rawpkt/packet/icmpv6.hpp>

#include "support/hex.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <string_view>
#include <vector>

using namespace rawpkt;
using namespace rawpkt::test;

namespace {

consteval ipv6::address ip6(std::string_view s) {
    ipv6::address a;
    if (!ipv6_address::parse(s, a)) throw "not an IPv6 address";
    return a;
}

using icmpv6::message_type;

// Each array is one ICMPv6 message (the IPv6 payload), with the addresses
// of the IPv6 header it came in.

// tcpdump__ipv6-srh-ext-header.pcap frame 1, the inner packet's ICMPv6:
// Internet Protocol Version 6, Src: a:b:c:12::1, Dst: b2::2
// Internet Control Message Protocol v6
//     Type: Echo (ping) request (128), Code: 0
//     Checksum: 0x635e [correct]
//     Identifier: 0x06ee, Sequence: 1
//     Data (56 bytes): 03c5475a000000000a5e000000000000101112131415161718191a1b1c1d1e1f20212223...
constexpr auto echo_request = R"(
    80 00 63 5e 06 ee 00 01 03 c5 47 5a 00 00 00 00
    0a 5e 00 00 00 00 00 00 10 11 12 13 14 15 16 17
    18 19 1a 1b 1c 1d 1e 1f 20 21 22 23 24 25 26 27
    28 29 2a 2b 2c 2d 2e 2f 30 31 32 33 34 35 36 37)"_hex;
constexpr auto echo_src = ip6("a:b:c:12::1");
constexpr auto echo_dst = ip6("b2::2");

// Crafted (the corpus has no echo reply); tshark 4.0 reads:
// Internet Protocol Version 6, Src: b2::2, Dst: a:b:c:12::1
// Internet Control Message Protocol v6
//     Type: Echo (ping) reply (129), Code: 0
//     Checksum: 0xd944 [correct]
//     Identifier: 0x06ee, Sequence: 1, Data: deadbeef
constexpr auto echo_reply = R"(
    81 00 d9 44 06 ee 00 01 de ad be ef)"_hex;

// tcpdump__icmpv6.pcap frame 1, ICMPv6:
// Internet Protocol Version 6, Src: fe80::b299:28ff:fec8:d66c, Dst: ff02::1
// Internet Control Message Protocol v6
//     Type: Router Advertisement (134), Code: 0, Checksum: 0x2401 [correct]
//     Cur hop limit: 64
//     Flags: 0x20, Home Agent, Prf (Default Router Preference): Medium
//     Router lifetime (s): 15, Reachable time (ms): 0, Retrans timer (ms): 0
//     ICMPv6 Option (Prefix information : 2222:3333:4444:5555:6600::/72)
//         Length: 4 (32 bytes), Prefix Length: 72, Flag: 0xc0, On-link flag(L), Autonomous (A)
//         Valid Lifetime: 2592000, Preferred Lifetime: 604800
//     ICMPv6 Option (Recursive DNS Server abcd::efef 1234:5678::1), Length: 5 (40 bytes)
//     ICMPv6 Option (DNS Search List Option example.com example.org dom1.dom2.tld), Length: 7 (56 bytes)
//     ICMPv6 Option (MTU : 100), Length: 1 (8 bytes)
//     ICMPv6 Option (Source link-layer address : b0:99:28:c8:d6:6c), Length: 1 (8 bytes)
//     ICMPv6 Option (Advertisement Interval : 5000), Length: 1 (8 bytes)
//     ICMPv6 Option (Home Agent Information), Length: 1 (8 bytes), Preference: 50001, Lifetime: 15
constexpr auto router_advert = R"(
    86 00 24 01 40 20 00 0f 00 00 00 00 00 00 00 00
    03 04 48 c0 00 27 8d 00 00 09 3a 80 00 00 00 00
    22 22 33 33 44 44 55 55 66 00 00 00 00 00 00 00
    19 05 00 00 00 00 00 05 ab cd 00 00 00 00 00 00
    00 00 00 00 00 00 ef ef 12 34 56 78 00 00 00 00
    00 00 00 00 00 00 00 01 1f 07 00 00 00 00 00 05
    07 65 78 61 6d 70 6c 65 03 63 6f 6d 00 07 65 78
    61 6d 70 6c 65 03 6f 72 67 00 04 64 6f 6d 31 04
    64 6f 6d 32 03 74 6c 64 00 00 00 00 00 00 00 00
    05 01 00 00 00 00 00 64 01 01 b0 99 28 c8 d6 6c
    07 01 00 00 00 00 13 88 08 01 00 00 c3 51 00 0f)"_hex;
constexpr auto ra_src = ip6("fe80::b299:28ff:fec8:d66c");
constexpr auto all_nodes = ip6("ff02::1");

// suricata-verify__denial6-5.pcap frame 3, ICMPv6:
// Internet Protocol Version 6, Src: fe80::6600:6aff:fe5b:8eb3, Dst: ff02::1
// Internet Control Message Protocol v6
//     Type: Router Advertisement (134), Code: 0, Checksum: 0x8472 [correct]
//     Cur hop limit: 64
//     Flags: 0x18, Prf (Default Router Preference): Low
//     Router lifetime (s): 30, Reachable time (ms): 0, Retrans timer (ms): 0
//     ICMPv6 Option (Prefix information : 2001:db8:1::/64)
//         Prefix Length: 64, Flag: 0xc0, Valid Lifetime: 86400, Preferred Lifetime: 14400
//     ICMPv6 Option (Source link-layer address : 64:00:6a:5b:8e:b3)
constexpr auto router_advert_low = R"(
    86 00 84 72 40 18 00 1e 00 00 00 00 00 00 00 00
    03 04 40 c0 00 01 51 80 00 00 38 40 00 00 00 00
    20 01 0d b8 00 01 00 00 00 00 00 00 00 00 00 00
    01 01 64 00 6a 5b 8e b3)"_hex;
constexpr auto ra_low_src = ip6("fe80::6600:6aff:fe5b:8eb3");

// Crafted (the corpus has no router solicitation); tshark 4.0 reads:
// Internet Protocol Version 6, Src: fe80::200:ff:fe00:1, Dst: ff02::2
// Internet Control Message Protocol v6
//     Type: Router Solicitation (133), Code: 0, Checksum: 0x792c [correct]
//     Reserved: 00000000
//     ICMPv6 Option (Source link-layer address : 02:00:00:00:00:01)
constexpr auto router_solicit = R"(
    85 00 79 2c 00 00 00 00 01 01 02 00 00 00 00 01)"_hex;
constexpr auto rs_src = ip6("fe80::200:ff:fe00:1");
constexpr auto all_routers = ip6("ff02::2");

// pcapplusplus__IcmpV6_NeighAdvSoli.pcap frame 1, ICMPv6 (duplicate address detection):
// Internet Protocol Version 6, Src: ::, Dst: ff02::1:fff5:0
// Internet Control Message Protocol v6
//     Type: Neighbor Solicitation (135), Code: 0, Checksum: 0x673c [correct]
//     Reserved: 00000000
//     Target Address: fe80::c000:54ff:fef5:0
constexpr auto neighbor_solicit = R"(
    87 00 67 3c 00 00 00 00 fe 80 00 00 00 00 00 00
    c0 00 54 ff fe f5 00 00)"_hex;
constexpr auto ns_dst = ip6("ff02::1:fff5:0");

// tcpdump__icmpv6-ns-nonce.pcap frame 1, ICMPv6:
// Internet Protocol Version 6, Src: ::, Dst: ff02::1:ffe1:f
// Internet Control Message Protocol v6
//     Type: Neighbor Solicitation (135), Code: 0, Checksum: 0x566e [correct]
//     Target Address: fe80::546f:f7ff:fee1:f
//     ICMPv6 Option (Nonce): Length: 1 (8 bytes), Nonce: 6069604c0aaa
constexpr auto ns_nonce = R"(
    87 00 56 6e 00 00 00 00 fe 80 00 00 00 00 00 00
    54 6f f7 ff fe e1 00 0f 0e 01 60 69 60 4c 0a aa)"_hex;
constexpr auto ns_nonce_dst = ip6("ff02::1:ffe1:f");

// pcapplusplus__IcmpV6_NeighAdvSoli.pcap frame 2, ICMPv6:
// Internet Protocol Version 6, Src: fe80::c000:54ff:fef5:0, Dst: ff02::1
// Internet Control Message Protocol v6
//     Type: Neighbor Advertisement (136), Code: 0, Checksum: 0x9abb [correct]
//     Flags: 0xa0000000, Router, Override
//     Target Address: fe80::c000:54ff:fef5:0
//     ICMPv6 Option (Target link-layer address : c2:00:54:f5:00:00)
constexpr auto neighbor_advert = R"(
    88 00 9a bb a0 00 00 00 fe 80 00 00 00 00 00 00
    c0 00 54 ff fe f5 00 00 02 01 c2 00 54 f5 00 00)"_hex;
constexpr auto na_src = ip6("fe80::c000:54ff:fef5:0");

// suricata-verify__denial6-5.pcap frame 2, ICMPv6:
// Internet Protocol Version 6, Src: 2001:db8:1::1, Dst: 2001:db8:1::2
// Internet Control Message Protocol v6
//     Type: Neighbor Advertisement (136), Code: 0, Checksum: 0x2ecb [correct]
//     Flags: 0x60000000, Solicited, Override
//     Target Address: 2001:db8:1::1
//     ICMPv6 Option (Target link-layer address : 64:00:6a:5b:8f:4a)
constexpr auto na_solicited = R"(
    88 00 2e cb 60 00 00 00 20 01 0d b8 00 01 00 00
    00 00 00 00 00 00 00 01 02 01 64 00 6a 5b 8f 4a)"_hex;
constexpr auto doc_1 = ip6("2001:db8:1::1");
constexpr auto doc_2 = ip6("2001:db8:1::2");

// Crafted (the corpus has no redirect); tshark 4.0 reads:
// Internet Protocol Version 6, Src: fe80::ffff, Dst: fe80::200:ff:fe00:1
// Internet Control Message Protocol v6
//     Type: Redirect (137), Code: 0, Checksum: 0x8f8e [correct]
//     Target Address: fe80::1
//     Destination Address: 2001:db8::99
//     ICMPv6 Option (Target link-layer address : 02:00:00:00:00:fe)
//     ICMPv6 Option (Redirected header), Length: 7 (56 bytes)
//         Internet Protocol Version 6, Src: fe80::200:ff:fe00:1, Dst: 2001:db8::99
//             Payload Length: 16, Next Header: UDP (17)
//         User Datagram Protocol, Src Port: 5000, Dst Port: 53, Length: 16
constexpr auto redirect = R"(
    89 00 8f 8e 00 00 00 00 fe 80 00 00 00 00 00 00
    00 00 00 00 00 00 00 01 20 01 0d b8 00 00 00 00
    00 00 00 00 00 00 00 99 02 01 02 00 00 00 00 fe
    04 07 00 00 00 00 00 00 60 00 00 00 00 10 11 40
    fe 80 00 00 00 00 00 00 02 00 00 ff fe 00 00 01
    20 01 0d b8 00 00 00 00 00 00 00 00 00 00 00 99
    13 88 00 35 00 10 00 00)"_hex;
constexpr auto redirect_src = ip6("fe80::ffff");

// suricata-verify__denial6-5.pcap frame 6, ICMPv6:
// Internet Protocol Version 6, Src: 2001:db8:1::3, Dst: 2001:db8:1:0:306e:739d:dea6:99a4
// Internet Control Message Protocol v6
//     Type: Destination Unreachable (1), Code: 0 (no route to destination)
//     Checksum: 0x7d19 [correct], Reserved: 00000000
//     Internet Protocol Version 6, Src: 2001:db8:1:0:306e:739d:dea6:99a4, Dst: 2a01:b740:a41:600::a
//         Flow Label: 0xba33c, Payload Length: 44, Next Header: TCP (6), Hop Limit: 64
//     Transmission Control Protocol, Src Port: 53930, Dst Port: 443, Seq: 85885171 (SYN, 44-byte header)
constexpr auto unreachable = R"(
    01 00 7d 19 00 00 00 00 60 0b a3 3c 00 2c 06 40
    20 01 0d b8 00 01 00 00 30 6e 73 9d de a6 99 a4
    2a 01 b7 40 0a 41 06 00 00 00 00 00 00 00 00 0a
    d2 aa 01 bb 05 1e 80 f3 00 00 00 00 b0 c2 ff ff
    dc e9 00 00 02 04 05 a0 01 03 03 06 01 01 08 0a
    26 2e 9d 23 00 00 00 00 04 02 00 00)"_hex;
constexpr auto unreach_src = ip6("2001:db8:1::3");
constexpr auto unreach_dst = ip6("2001:db8:1:0:306e:739d:dea6:99a4");

// suricata-verify__denial6-5.pcap frame 15, ICMPv6:
// Internet Protocol Version 6, Src: 2001:db8:1::1, Dst: 2001:db8:1::2
// Internet Control Message Protocol v6
//     Type: Parameter Problem (4), Code: 1 (unrecognized Next Header type encountered)
//     Checksum: 0xd21f [correct], Pointer: 6
//     Internet Protocol Version 6, Src: 2001:db8:1::2, Dst: 2001:db8:1::1
//         Payload Length: 32, Next Header: Authentication Header (51), Hop Limit: 255
//         Authentication Header: Next header: ICMPv6 (58), Length: 2 (16 bytes), SPI 0, Sequence 0
//     Internet Control Message Protocol v6: Echo (ping) request, Identifier: 0xface, Sequence: 47806
constexpr auto param_problem = R"(
    04 01 d2 1f 00 00 00 06 60 00 00 00 00 20 33 ff
    20 01 0d b8 00 01 00 00 00 00 00 00 00 00 00 02
    20 01 0d b8 00 01 00 00 00 00 00 00 00 00 00 01
    3a 02 00 00 00 00 00 00 00 00 00 00 00 00 00 00
    80 00 6e b0 fa ce ba be 00 00 00 00 00 00 00 00)"_hex;

// Crafted (the corpus has no packet too big); tshark 4.0 reads:
// Internet Protocol Version 6, Src: 2001:db8::1, Dst: 2001:db8::2
// Internet Control Message Protocol v6
//     Type: Packet Too Big (2), Code: 0, Checksum: 0x27f8 [correct]
//     MTU: 1280
//     Internet Protocol Version 6, Src: 2001:db8::2, Dst: 2001:db8:ff::7
//         Payload Length: 1400, Next Header: UDP (17), Hop Limit: 64
//     User Datagram Protocol, Src Port: 40000, Dst Port: 53, Length: 1400 (quoted: 8 bytes)
constexpr auto too_big = R"(
    02 00 27 f8 00 00 05 00 60 00 00 00 05 78 11 40
    20 01 0d b8 00 00 00 00 00 00 00 00 00 00 00 02
    20 01 0d b8 00 ff 00 00 00 00 00 00 00 00 00 07
    9c 40 00 35 05 78 00 00)"_hex;
constexpr auto doc_a = ip6("2001:db8::1");
constexpr auto doc_b = ip6("2001:db8::2");

// Crafted (the corpus has no time exceeded); tshark 4.0 reads:
// Internet Protocol Version 6, Src: 2001:db8::1, Dst: 2001:db8::2
// Internet Control Message Protocol v6
//     Type: Time Exceeded (3), Code: 0 (hop limit exceeded in transit)
//     Checksum: 0x17df [correct], Reserved: 00000000
//     Internet Protocol Version 6, Src: 2001:db8::2, Dst: 2001:db8:ff::7
//         Payload Length: 64, Next Header: ICMPv6 (58), Hop Limit: 1
//     Internet Control Message Protocol v6: Echo (ping) request, Identifier: 0x0042, Sequence: 7
constexpr auto time_exceeded = R"(
    03 00 17 df 00 00 00 00 60 00 00 00 00 40 3a 01
    20 01 0d b8 00 00 00 00 00 00 00 00 00 00 00 02
    20 01 0d b8 00 ff 00 00 00 00 00 00 00 00 00 07
    80 00 12 34 00 42 00 07)"_hex;

// tcpdump__icmpv6.pcap frame 2, ICMPv6 (after a hop-by-hop header):
// Internet Protocol Version 6, Src: fe80::215:17ff:fecc:e546, Dst: ff02::16
// Internet Control Message Protocol v6
//     Type: Multicast Listener Report Message v2 (143), Code: 0, Checksum: 0x1fc5 [correct]
//     Number of Multicast Address Records: 1
//     Multicast Address Record Changed to exclude: ff02::db8:1122:3344
constexpr auto mld2_report = R"(
    8f 00 1f c5 00 00 00 01 04 00 00 00 ff 02 00 00
    00 00 00 00 00 00 0d b8 11 22 33 44)"_hex;
constexpr auto mld_src = ip6("fe80::215:17ff:fecc:e546");
constexpr auto mld_dst = ip6("ff02::16");

/// A message with the addresses its checksum covers.
struct sample {
    const char* name;
    bytes msg;
    ipv6::address src, dst;
};
const sample samples[] = {
    {"echo request", echo_request, echo_src, echo_dst},
    {"echo reply", echo_reply, echo_dst, echo_src},
    {"router advertisement", router_advert, ra_src, all_nodes},
    {"router advertisement, low preference", router_advert_low, ra_low_src, all_nodes},
    {"router solicitation", router_solicit, rs_src, all_routers},
    {"neighbor solicitation", neighbor_solicit, ipv6::address{}, ns_dst},
    {"neighbor solicitation with nonce", ns_nonce, ipv6::address{}, ns_nonce_dst},
    {"neighbor advertisement", neighbor_advert, na_src, all_nodes},
    {"solicited neighbor advertisement", na_solicited, doc_1, doc_2},
    {"redirect", redirect, redirect_src, rs_src},
    {"destination unreachable", unreachable, unreach_src, unreach_dst},
    {"parameter problem", param_problem, doc_1, doc_2},
    {"packet too big", too_big, doc_a, doc_b},
    {"time exceeded", time_exceeded, doc_a, doc_b},
    {"MLDv2 report", mld2_report, mld_src, mld_dst},
};

template <class Range>
auto collect(const Range& r) {
    std::vector<std::remove_cvref_t<decltype(*r.begin())>> out;
    for (const auto& x : r) out.push_back(x);
    return out;
}

// Accessors are usable in constant expressions, checksums included.
static_assert(icmpv6::view::checked(echo_request)->type() == message_type::echo_request);
static_assert(icmpv6::view::checked(echo_request)->identifier() == 0x06ee);
static_assert(icmpv6::view::checked(echo_request)->checksum_ok(echo_src, echo_dst));
static_assert(icmpv6::view::checked(neighbor_advert)->target() == ip6("fe80::c000:54ff:fef5:0"));
static_assert(icmpv6::view::checked(neighbor_advert)->options().validate().has_value());
static_assert((*icmpv6::view::checked(router_advert_low)->options().begin())->prefix_len() == 64);
static_assert(icmpv6::view::checked(unreachable)->invoking_ipv6()->payload_len() == 44);
static_assert(icmpv6::view::checked(bytes{neighbor_solicit}.first(23)).error().code == errc::truncated);

TEST(Icmpv6, EveryChecksumVerifies) {
    for (const auto& s : samples) {
        const auto v = icmpv6::view::checked(s.msg);
        ASSERT_TRUE(v) << s.name;
        EXPECT_TRUE(v->checksum_ok(s.src, s.dst)) << s.name;
        EXPECT_EQ(v->compute_checksum(s.src, s.dst), v->checksum()) << s.name;
        // The pseudo header counts: another source does not verify.
        EXPECT_FALSE(v->checksum_ok(ip6("2001:db8::dead"), s.dst)) << s.name;
    }
}

TEST(Icmpv6, ChecksumBehindARoutingHeaderCoversTheFinalDestination) {
    // tcpdump__ipv6-routing-header.pcap frame 2, from the IPv6 header on:
    // Internet Protocol Version 6, Src: 2200::244:212:3fff:feae:22f7, Dst: 2200::211:2:0:0:2
    //     Routing Header for IPv6 (Source Route): Segments Left: 2,
    //         Address[1]: 2200::210:2:0:0:4, Address[2]: 2200::240:2:0:0:4
    // Internet Control Message Protocol v6: Echo (ping) request, Checksum: 0xd37b [correct]
    constexpr auto routed = R"(
        60 00 00 00 00 30 2b 05 22 00 00 00 00 00 02 44
        02 12 3f ff fe ae 22 f7 22 00 00 00 00 00 02 11
        00 02 00 00 00 00 00 02 3a 04 00 02 00 00 00 00
        22 00 00 00 00 00 02 10 00 02 00 00 00 00 00 04
        22 00 00 00 00 00 02 40 00 02 00 00 00 00 00 04
        80 00 d3 7b 00 00 00 00)"_hex;
    const auto ip = ipv6::view::checked(routed);
    ASSERT_TRUE(ip);
    const auto msg = icmpv6::view::checked(ip->upper_layer()->data);
    ASSERT_TRUE(msg);
    EXPECT_TRUE(msg->checksum_ok(ip->src(), ip->final_destination()));
    EXPECT_FALSE(msg->checksum_ok(ip->src(), ip->dst()));
}

TEST(Icmpv6, FillChecksumRepairsAChangedMessage) {
    auto msg = copy_of(echo_request);
    auto v = icmpv6::mut_view::unchecked(msg);
    v.set_sequence(2);
    EXPECT_FALSE(v.checksum_ok(echo_src, echo_dst));
    v.fill_checksum(echo_src, echo_dst);
    EXPECT_TRUE(v.checksum_ok(echo_src, echo_dst));
    EXPECT_EQ(v.checksum(), 0x635d); // one less in the sum, one more in the complement
}

TEST(Icmpv6, ChecksumCountsLengthsPastSixteenBits) {
    // RFC 8200 §8.1: the pseudo header carries a 32-bit length. A crafted
    // jumbogram echo request of 69624 bytes, zero after its first 48; the
    // expected value was computed independently (with 16 bits it would be 0x56b2).
    std::vector<std::byte> msg(69624);
    constexpr auto head = R"(
        80 00 e3 b0 11 e0 c9 1e f4 b5 e3 5e ff 52 cb 42
        74 7e b6 5f 9e 5f be 3c 59 1a 53 59 71 da 4a 64
        26 c2 8a 0f a9 eb a6 44 9b 3e 9c 12 40 46 86 69)"_hex;
    std::copy(head.begin(), head.end(), msg.begin());
    const auto v = icmpv6::view::checked(msg);
    ASSERT_TRUE(v);
    EXPECT_EQ(v->compute_checksum(ip6("2200::244:212:3fff:feae:22f7"), ip6("2200::240:2:0:0:4")), 0x56b1);
}

TEST(Icmpv6, EchoRequestReadsEveryField) {
    const auto v = icmpv6::view::checked(echo_request);
    ASSERT_TRUE(v);
    EXPECT_EQ(v->type(), message_type::echo_request);
    EXPECT_EQ(v->code(), 0);
    EXPECT_EQ(v->checksum(), 0x635e);
    EXPECT_FALSE(v->is_error());
    EXPECT_EQ(v->identifier(), 0x06ee);
    EXPECT_EQ(v->sequence(), 1);
    EXPECT_EQ(v->rest_of_header(), 0x06ee0001u);
    EXPECT_EQ(v->payload().size(), 56u);
    EXPECT_EQ(v->payload().data(), echo_request.data() + 8);
    EXPECT_EQ(v->body().size(), 60u);
    EXPECT_EQ(v->payload().data(), v->body().data() + 4);
    // Not an error, not NDP.
    EXPECT_TRUE(v->invoking_packet().empty());
    EXPECT_TRUE(v->options_bytes().empty());
    EXPECT_TRUE(v->options().empty());
}

TEST(Icmpv6, EchoReply) {
    const auto v = icmpv6::view::checked(echo_reply);
    ASSERT_TRUE(v);
    EXPECT_EQ(v->type(), message_type::echo_reply);
    EXPECT_EQ(v->identifier(), 0x06ee);
    EXPECT_EQ(v->sequence(), 1);
    EXPECT_TRUE(std::ranges::equal(v->payload(), R"(de ad be ef)"_hex));
}

TEST(Icmpv6, RouterAdvertisementReadsEveryField) {
    const auto v = icmpv6::view::checked(router_advert);
    ASSERT_TRUE(v);
    EXPECT_EQ(v->type(), message_type::router_advert);
    EXPECT_EQ(v->cur_hop_limit(), 64);
    EXPECT_EQ(v->ra_flags(), 0x20);
    EXPECT_FALSE(v->managed_flag());
    EXPECT_FALSE(v->other_flag());
    EXPECT_TRUE(v->home_agent_flag());
    EXPECT_EQ(v->router_preference(), 0); // medium
    EXPECT_FALSE(v->proxy_flag());
    EXPECT_EQ(v->router_lifetime(), 15);
    EXPECT_EQ(v->reachable_time(), 0u);
    EXPECT_EQ(v->retrans_timer(), 0u);
    EXPECT_EQ(v->options_bytes().size(), 160u);

    const auto opts = collect(v->options());
    ASSERT_EQ(opts.size(), 7u);
    for (const auto& o : opts) ASSERT_TRUE(o);
    using icmpv6::option_kind;
    const option_kind kinds[] = {
        option_kind::prefix_info,      option_kind::rdnss,        option_kind::dnssl,          option_kind::mtu,
        option_kind::source_link_addr, option_kind::adv_interval, option_kind::home_agent_info};
    const std::size_t lengths[] = {32, 40, 56, 8, 8, 8, 8};
    std::size_t offset = 16;
    for (std::size_t i = 0; i < opts.size(); ++i) {
        EXPECT_EQ(opts[i]->kind, kinds[i]) << i;
        EXPECT_EQ(opts[i]->length, lengths[i]) << i;
        EXPECT_EQ(opts[i]->offset, offset) << i;
        EXPECT_EQ(opts[i]->data.size(), lengths[i] - 2) << i;
        EXPECT_EQ(opts[i]->data.data(), router_advert.data() + offset + 2) << i;
        offset += lengths[i];
    }
    const auto& prefix = *opts[0];
    EXPECT_EQ(prefix.prefix_len(), 72);
    EXPECT_EQ(prefix.prefix_flags(), 0xc0);
    EXPECT_TRUE(prefix.on_link_flag());
    EXPECT_TRUE(prefix.autonomous_flag());
    EXPECT_FALSE(prefix.router_address_flag());
    EXPECT_EQ(prefix.valid_lifetime(), 2592000u);
    EXPECT_EQ(prefix.preferred_lifetime(), 604800u);
    EXPECT_EQ(prefix.prefix(), ip6("2222:3333:4444:5555:6600::"));
    EXPECT_EQ(opts[3]->mtu(), 100u);
    EXPECT_EQ(opts[4]->mac(), (mac_address{{0xb0, 0x99, 0x28, 0xc8, 0xd6, 0x6c}}));
    EXPECT_EQ(opts[4]->link_layer_address().size(), 6u);
    // Accessors of other options never read past the option's data.
    EXPECT_EQ(opts[4]->prefix(), ipv6::address{});
    EXPECT_EQ(opts[4]->preferred_lifetime(), 0u);
}

TEST(Icmpv6, RouterAdvertisementWithLowPreference) {
    const auto v = icmpv6::view::checked(router_advert_low);
    ASSERT_TRUE(v);
    EXPECT_EQ(v->ra_flags(), 0x18);
    EXPECT_FALSE(v->home_agent_flag());
    EXPECT_EQ(v->router_preference(), 3); // low
    EXPECT_EQ(v->router_lifetime(), 30);
    const auto opts = collect(v->options());
    ASSERT_EQ(opts.size(), 2u);
    EXPECT_EQ(opts[0]->prefix(), ip6("2001:db8:1::"));
    EXPECT_EQ(opts[0]->prefix_len(), 64);
    EXPECT_EQ(opts[0]->valid_lifetime(), 86400u);
    EXPECT_EQ(opts[0]->preferred_lifetime(), 14400u);
    EXPECT_EQ(opts[1]->kind, icmpv6::option_kind::source_link_addr);
    EXPECT_EQ(opts[1]->offset, 48u);
    EXPECT_EQ(opts[1]->mac(), (mac_address{{0x64, 0x00, 0x6a, 0x5b, 0x8e, 0xb3}}));
}

TEST(Icmpv6, RouterSolicitation) {
    const auto v = icmpv6::view::checked(router_solicit);
    ASSERT_TRUE(v);
    EXPECT_EQ(v->type(), message_type::router_solicit);
    EXPECT_EQ(v->rest_of_header(), 0u);
    const auto opts = collect(v->options());
    ASSERT_EQ(opts.size(), 1u);
    EXPECT_EQ(opts[0]->kind, icmpv6::option_kind::source_link_addr);
    EXPECT_EQ(opts[0]->offset, 8u);
    EXPECT_EQ(opts[0]->mac(), (mac_address{{0x02, 0, 0, 0, 0, 0x01}}));
}

TEST(Icmpv6, NeighborSolicitations) {
    const auto dad = icmpv6::view::checked(neighbor_solicit);
    ASSERT_TRUE(dad);
    EXPECT_EQ(dad->type(), message_type::neighbor_solicit);
    EXPECT_EQ(dad->rest_of_header(), 0u);
    EXPECT_EQ(dad->target(), ip6("fe80::c000:54ff:fef5:0"));
    EXPECT_TRUE(dad->options().empty());

    const auto v = icmpv6::view::checked(ns_nonce);
    ASSERT_TRUE(v);
    EXPECT_EQ(v->target(), ip6("fe80::546f:f7ff:fee1:f"));
    const auto opts = collect(v->options());
    ASSERT_EQ(opts.size(), 1u);
    EXPECT_EQ(opts[0]->kind, icmpv6::option_kind::nonce);
    EXPECT_EQ(opts[0]->offset, 24u);
    EXPECT_TRUE(std::ranges::equal(opts[0]->nonce(), R"(60 69 60 4c 0a aa)"_hex));
}

TEST(Icmpv6, NeighborAdvertisements) {
    const auto v = icmpv6::view::checked(neighbor_advert);
    ASSERT_TRUE(v);
    EXPECT_EQ(v->type(), message_type::neighbor_advert);
    EXPECT_TRUE(v->router_flag());
    EXPECT_FALSE(v->solicited_flag());
    EXPECT_TRUE(v->override_flag());
    EXPECT_EQ(v->target(), ip6("fe80::c000:54ff:fef5:0"));
    const auto opts = collect(v->options());
    ASSERT_EQ(opts.size(), 1u);
    EXPECT_EQ(opts[0]->kind, icmpv6::option_kind::target_link_addr);
    EXPECT_EQ(opts[0]->mac(), (mac_address{{0xc2, 0x00, 0x54, 0xf5, 0x00, 0x00}}));

    const auto s = icmpv6::view::checked(na_solicited);
    ASSERT_TRUE(s);
    EXPECT_FALSE(s->router_flag());
    EXPECT_TRUE(s->solicited_flag());
    EXPECT_TRUE(s->override_flag());
    EXPECT_EQ(s->target(), doc_1);
}

TEST(Icmpv6, Redirect) {
    const auto v = icmpv6::view::checked(redirect);
    ASSERT_TRUE(v);
    EXPECT_EQ(v->type(), message_type::redirect);
    EXPECT_EQ(v->target(), ip6("fe80::1"));
    EXPECT_EQ(v->destination(), ip6("2001:db8::99"));
    const auto opts = collect(v->options());
    ASSERT_EQ(opts.size(), 2u);
    EXPECT_EQ(opts[0]->kind, icmpv6::option_kind::target_link_addr);
    EXPECT_EQ(opts[0]->offset, 40u);
    EXPECT_EQ(opts[1]->kind, icmpv6::option_kind::redirected_header);
    EXPECT_EQ(opts[1]->offset, 48u);
    EXPECT_EQ(opts[1]->length, 56u);
    // The redirected packet is cut to fit (RFC 4861 §4.6.3): 8 of its 16 UDP bytes.
    const auto redirected = ipv6::view::checked_header(opts[1]->redirected_packet());
    ASSERT_TRUE(redirected);
    EXPECT_EQ(redirected->dst(), ip6("2001:db8::99"));
    EXPECT_FALSE(redirected->is_complete());
    EXPECT_EQ(redirected->payload().size(), 8u);
    EXPECT_EQ(redirected->upper_layer()->protocol, ip_proto::udp);
}

TEST(Icmpv6, DestinationUnreachableQuotesTheInvokingPacket) {
    const auto v = icmpv6::view::checked(unreachable);
    ASSERT_TRUE(v);
    EXPECT_EQ(v->type(), message_type::destination_unreachable);
    EXPECT_EQ(v->code(), static_cast<std::uint8_t>(icmpv6::unreachable_code::no_route));
    EXPECT_TRUE(v->is_error());
    EXPECT_EQ(v->rest_of_header(), 0u);
    EXPECT_EQ(v->invoking_packet().size(), 84u);
    EXPECT_EQ(v->invoking_packet().data(), unreachable.data() + 8);
    const auto inner = v->invoking_ipv6();
    ASSERT_TRUE(inner);
    EXPECT_EQ(inner->src(), unreach_dst);
    EXPECT_EQ(inner->dst(), ip6("2a01:b740:a41:600::a"));
    EXPECT_EQ(inner->flow_label(), 0xba33cu);
    EXPECT_EQ(inner->payload_len(), 44);
    EXPECT_TRUE(inner->is_complete());
    const auto u = inner->upper_layer();
    ASSERT_TRUE(u);
    EXPECT_EQ(u->protocol, ip_proto::tcp);
    EXPECT_EQ(u->data.size(), 44u);
}

TEST(Icmpv6, ParameterProblemPointsIntoTheInvokingPacket) {
    const auto v = icmpv6::view::checked(param_problem);
    ASSERT_TRUE(v);
    EXPECT_EQ(v->type(), message_type::parameter_problem);
    EXPECT_EQ(v->code(), static_cast<std::uint8_t>(icmpv6::parameter_problem_code::unrecognized_next_header));
    EXPECT_EQ(v->pointer(), 6u); // the fixed header's next-header octet
    const auto inner = v->invoking_ipv6();
    ASSERT_TRUE(inner);
    EXPECT_EQ(static_cast<std::uint8_t>(inner->next_header()), load_u8(inner->buffer(), v->pointer()));
    EXPECT_EQ(inner->next_header(), ip_proto::ah);
    const auto u = inner->upper_layer();
    ASSERT_TRUE(u);
    EXPECT_EQ(u->protocol, ip_proto::icmpv6);
    EXPECT_EQ(u->offset, 56u);
    const auto echo = icmpv6::view::checked(u->data);
    ASSERT_TRUE(echo);
    EXPECT_EQ(echo->identifier(), 0xface);
    EXPECT_EQ(echo->sequence(), 47806);
}

TEST(Icmpv6, PacketTooBigQuotesAPacketCutShort) {
    const auto v = icmpv6::view::checked(too_big);
    ASSERT_TRUE(v);
    EXPECT_EQ(v->type(), message_type::packet_too_big);
    EXPECT_EQ(v->mtu(), 1280u);
    const auto inner = v->invoking_ipv6();
    ASSERT_TRUE(inner);
    EXPECT_EQ(inner->payload_len(), 1400);
    EXPECT_FALSE(inner->is_complete());
    EXPECT_EQ(inner->payload().size(), 8u);
    EXPECT_EQ(inner->upper_layer()->protocol, ip_proto::udp);
    // checked() wants the whole quoted packet, which is never there.
    EXPECT_ERROR(ipv6::view::checked(v->invoking_packet()),
                 error::truncated(layer::ipv6, length_source::payload_length, 0, 1440, 48));
}

TEST(Icmpv6, TimeExceeded) {
    const auto v = icmpv6::view::checked(time_exceeded);
    ASSERT_TRUE(v);
    EXPECT_EQ(v->type(), message_type::time_exceeded);
    EXPECT_EQ(v->code(), static_cast<std::uint8_t>(icmpv6::time_exceeded_code::hop_limit));
    const auto inner = v->invoking_ipv6();
    ASSERT_TRUE(inner);
    EXPECT_EQ(inner->hop_limit(), 1);
    const auto echo = icmpv6::view::checked(inner->upper_layer()->data);
    ASSERT_TRUE(echo);
    EXPECT_EQ(echo->identifier(), 0x42);
    EXPECT_EQ(echo->sequence(), 7);
}

TEST(Icmpv6, InvokingPacketErrorsCountFromTheMessage) {
    // Quoted packets shorter than an IPv6 header, or not IPv6 at all.
    EXPECT_ERROR(icmpv6::view::checked(bytes{unreachable}.first(20))->invoking_ipv6(),
                 error::truncated(layer::ipv6, length_source::fixed_header, 8, 40, 12));
    auto msg = copy_of(unreachable);
    msg[8] = std::byte{0x45};
    EXPECT_ERROR(icmpv6::view::checked(msg)->invoking_ipv6(),
                 error::invalid(layer::ipv6, errc::bad_version, length_source::none, 8, 6, 4));
    // Informational messages quote nothing.
    EXPECT_ERROR(icmpv6::view::checked(echo_request)->invoking_ipv6(),
                 error::truncated(layer::ipv6, length_source::fixed_header, 8, 40, 0));
}

TEST(Icmpv6, OtherMessageTypesNeedOnlyTheirHeader) {
    const auto v = icmpv6::view::checked(mld2_report);
    ASSERT_TRUE(v);
    EXPECT_EQ(v->type(), message_type::mld2_report);
    EXPECT_FALSE(v->is_error());
    EXPECT_EQ(v->body().size(), 24u);
    EXPECT_TRUE(v->options_bytes().empty());
    EXPECT_TRUE(v->invoking_packet().empty());
    // An unassigned informational type needs the 8-byte header every
    // message has (RFC 4443 §2.1): 8 bytes are accepted, 4 are not.
    constexpr auto bare = R"(c8 00 37 ff 00 00 00 00)"_hex;
    const auto b = icmpv6::view::checked(bare);
    ASSERT_TRUE(b);
    EXPECT_EQ(b->header_len(), 8u);
    EXPECT_EQ(b->body().size(), 4u);
    EXPECT_TRUE(b->payload().empty());
}

TEST(Icmpv6, EveryTypeNeedsTheEightByteHeader) {
    // Regression: a 4-byte message of a type outside the table used to be
    // accepted, and the decoder then recorded an 8-byte header over it.
    for (const std::uint8_t type : {0, 5, 127, 130, 143, 160, 200, 255}) {
        const auto four = make_bytes(type, 0x00, 0x37, 0xff);
        EXPECT_ERROR(icmpv6::view::checked(four),
                     error::truncated(layer::icmpv6, length_source::fixed_header, 0, 8, 4));
        EXPECT_GE(icmpv6::min_message_len(static_cast<message_type>(type)), icmpv6::header_len);
    }
}

TEST(Icmpv6, AccessorsOfOtherTypesNeverReadOutOfBounds) {
    const auto v = icmpv6::view::checked(echo_reply); // 12 bytes
    ASSERT_TRUE(v);
    EXPECT_EQ(v->target(), ipv6::address{});
    EXPECT_EQ(v->destination(), ipv6::address{});
    EXPECT_EQ(v->reachable_time(), 0xdeadbeefu); // whatever bytes 8..12 hold
    EXPECT_EQ(v->retrans_timer(), 0u);           // bytes 12..16 are not there
    // Even over a buffer checked() refuses (4 bytes), laid with unchecked().
    constexpr auto bytes4 = R"(c8 00 37 ff)"_hex;
    const auto four = icmpv6::view::unchecked(bytes4);
    EXPECT_EQ(four.identifier(), 0);
    EXPECT_EQ(four.sequence(), 0);
    EXPECT_EQ(four.mtu(), 0u);
    EXPECT_EQ(four.rest_of_header(), 0u);
    EXPECT_EQ(four.cur_hop_limit(), 0);
    EXPECT_FALSE(four.router_flag());
    EXPECT_TRUE(four.payload().empty());
    EXPECT_TRUE(four.options_bytes().empty());
}

TEST(Icmpv6, EveryTruncationIsRejectedWithTheExactError) {
    for (const auto& s : samples) {
        const std::size_t need = icmpv6::min_message_len(static_cast<message_type>(load_u8(s.msg, 0)));
        for (std::size_t n = 0; n < need; ++n) {
            const std::size_t want = n < 8 ? 8 : need;
            EXPECT_ERROR(icmpv6::view::checked(s.msg.first(n)),
                         error::truncated(layer::icmpv6, length_source::fixed_header, 0, want, n));
        }
        EXPECT_TRUE(icmpv6::view::checked(s.msg.first(need))) << s.name;
    }
    EXPECT_EQ(icmpv6::min_message_len(message_type::echo_request), 8u);
    EXPECT_EQ(icmpv6::min_message_len(message_type::router_advert), 16u);
    EXPECT_EQ(icmpv6::min_message_len(message_type::neighbor_advert), 24u);
    EXPECT_EQ(icmpv6::min_message_len(message_type::redirect), 40u);
}

TEST(Icmpv6, OptionsCutShortHaveExactErrors) {
    // Cutting the router advertisement inside its options.
    for (std::size_t n = 16; n < router_advert.size(); ++n) {
        const auto v = icmpv6::view::checked(bytes{router_advert}.first(n));
        ASSERT_TRUE(v) << n;
        // Options end at 48, 88, 144, 152, 160, 168, 176.
        const std::size_t ends[] = {16, 48, 88, 144, 152, 160, 168, 176};
        std::size_t at = 0;
        while (ends[at + 1] <= n) ++at;
        const std::size_t start = ends[at];
        const std::size_t left = n - start;
        const auto status = v->options().validate();
        if (left == 0) {
            EXPECT_TRUE(status) << n;
        } else if (left < 2) {
            EXPECT_EQ(status.error(), error::truncated(layer::ndp_option, length_source::option_length, start, 2, 1))
                << n;
        } else {
            EXPECT_EQ(status.error(), error::truncated(layer::ndp_option, length_source::option_length, start,
                                                       ends[at + 1] - start, left))
                << n;
        }
    }
}

TEST(Icmpv6, OptionRejectionRules) {
    struct bad_option {
        const char* what;
        std::vector<std::uint8_t> opt; // replaces the 8-byte target link-layer option
        error expected;
    };
    const std::vector<bad_option> cases = {
        {"length 0",
         {0x02, 0x00, 0xc2, 0, 0x54, 0xf5, 0, 0},
         error::invalid(layer::ndp_option, errc::length_too_small, length_source::option_length, 25, 8, 0)},
        {"length past the message",
         {0x02, 0x02, 0xc2, 0, 0x54, 0xf5, 0, 0},
         error::truncated(layer::ndp_option, length_source::option_length, 24, 16, 8)},
        {"prefix information not 32 bytes",
         {0x03, 0x01, 0x40, 0xc0, 0, 0, 0, 0},
         error::invalid(layer::ndp_option, errc::length_too_small, length_source::option_length, 25, 32, 8)},
        {"an MTU option of 16 bytes past the message",
         {0x05, 0x02, 0, 0, 0, 0, 0x05, 0xdc},
         error::truncated(layer::ndp_option, length_source::option_length, 24, 16, 8)},
    };
    for (const auto& c : cases) {
        auto msg = copy_of(neighbor_advert);
        for (std::size_t i = 0; i < 8; ++i) msg[24 + i] = static_cast<std::byte>(c.opt[i]);
        const auto v = icmpv6::view::checked(msg);
        ASSERT_TRUE(v) << c.what;
        EXPECT_EQ(v->options().validate().error(), c.expected) << c.what;
        EXPECT_EQ(icmpv6::neighbor_advert_repr::parse(*v).error(), c.expected) << c.what;
        std::size_t seen = 0;
        for (const auto& o : v->options()) {
            ASSERT_EQ(++seen, 1u) << c.what;
            EXPECT_EQ(o.error(), c.expected) << c.what;
        }
    }
    // An MTU option of 16 bytes that fits is too long; one byte left cannot hold a length.
    std::vector<std::byte> msg(neighbor_advert.begin(), neighbor_advert.end());
    msg.resize(40);
    msg[24] = std::byte{5};
    msg[25] = std::byte{2};
    EXPECT_EQ(icmpv6::view::checked(msg)->options().validate().error(),
              error::invalid(layer::ndp_option, errc::length_too_large, length_source::option_length, 25, 8, 16));
    msg.resize(25);
    EXPECT_EQ(icmpv6::view::checked(msg)->options().validate().error(),
              error::truncated(layer::ndp_option, length_source::option_length, 24, 2, 1));
}

TEST(Icmpv6, ReprRoundTripsReproduceTheMessages) {
    // Echo and error reprs hold their payload's length, NDP reprs their
    // options: emit(v, src, dst) writes header_len() bytes and fills the
    // checksum over the message, the payload in place after the header.
    const auto round_trip = [](const sample& s, auto parse) {
        const auto v = icmpv6::view::checked(s.msg);
        ASSERT_TRUE(v) << s.name;
        const auto r = parse(*v);
        ASSERT_TRUE(r) << s.name;
        EXPECT_EQ(detail::message_len(*r), s.msg.size()) << s.name;
        std::vector<std::byte> out(s.msg.begin(), s.msg.end());
        std::fill(out.begin(), out.begin() + static_cast<std::ptrdiff_t>(r->header_len()), std::byte{0xee});
        out.resize(s.msg.size() + 3, std::byte{0xaa});
        r->emit(icmpv6::mut_view::unchecked(out), s.src, s.dst);
        EXPECT_TRUE(std::equal(s.msg.begin(), s.msg.end(), out.begin())) << s.name;
        EXPECT_EQ(out.back(), std::byte{0xaa}) << s.name; // nothing written past the message
        out.resize(s.msg.size());
        const auto again = parse(*icmpv6::view::checked(out));
        ASSERT_TRUE(again) << s.name;
        EXPECT_EQ(*again, *r) << s.name;
    };
    for (const auto& s : samples) {
        switch (static_cast<message_type>(load_u8(s.msg, 0))) {
        case message_type::echo_request:
        case message_type::echo_reply: round_trip(s, icmpv6::echo_repr::parse); break;
        case message_type::destination_unreachable:
        case message_type::packet_too_big:
        case message_type::time_exceeded:
        case message_type::parameter_problem: round_trip(s, icmpv6::error_repr::parse); break;
        case message_type::router_solicit: round_trip(s, icmpv6::router_solicit_repr::parse); break;
        case message_type::router_advert: round_trip(s, icmpv6::router_advert_repr::parse); break;
        case message_type::neighbor_solicit: round_trip(s, icmpv6::neighbor_solicit_repr::parse); break;
        case message_type::neighbor_advert: round_trip(s, icmpv6::neighbor_advert_repr::parse); break;
        case message_type::redirect: round_trip(s, icmpv6::redirect_repr::parse); break;
        default: break;
        }
    }
}

TEST(Icmpv6, ReprsReadEveryField) {
    const auto echo = icmpv6::echo_repr::parse(*icmpv6::view::checked(echo_reply));
    ASSERT_TRUE(echo);
    EXPECT_TRUE(echo->reply);
    EXPECT_EQ(echo->identifier, 0x06ee);
    EXPECT_EQ(echo->sequence, 1);
    EXPECT_EQ(echo->data_len, 4u);
    EXPECT_EQ(echo->buffer_len(), 12u);

    const auto err = icmpv6::error_repr::parse(*icmpv6::view::checked(too_big));
    ASSERT_TRUE(err);
    EXPECT_EQ(err->type, message_type::packet_too_big);
    EXPECT_EQ(err->code, 0);
    EXPECT_EQ(err->mtu, 1280u);
    EXPECT_EQ(err->pointer, 0u);
    EXPECT_EQ(err->invoking_len, 48u);
    EXPECT_EQ(err->buffer_len(), too_big.size());

    const auto ra = icmpv6::router_advert_repr::parse(*icmpv6::view::checked(router_advert_low));
    ASSERT_TRUE(ra);
    EXPECT_EQ(ra->cur_hop_limit, 64);
    EXPECT_FALSE(ra->managed_flag);
    EXPECT_FALSE(ra->other_flag);
    EXPECT_FALSE(ra->home_agent_flag);
    EXPECT_EQ(ra->router_preference, 3);
    EXPECT_FALSE(ra->proxy_flag);
    EXPECT_EQ(ra->router_lifetime, 30);
    EXPECT_EQ(ra->reachable_time, 0u);
    EXPECT_EQ(ra->retrans_timer, 0u);
    EXPECT_EQ(ra->options.size(), 40u);
    EXPECT_EQ(ra->header_len(), router_advert_low.size());
    EXPECT_TRUE(std::ranges::equal(ra->options.bytes(), bytes{router_advert_low}.subspan(16)));

    const auto ns = icmpv6::neighbor_solicit_repr::parse(*icmpv6::view::checked(ns_nonce));
    ASSERT_TRUE(ns);
    EXPECT_EQ(ns->target, ip6("fe80::546f:f7ff:fee1:f"));
    EXPECT_EQ(ns->options.size(), 8u);

    const auto na = icmpv6::neighbor_advert_repr::parse(*icmpv6::view::checked(na_solicited));
    ASSERT_TRUE(na);
    EXPECT_FALSE(na->router_flag);
    EXPECT_TRUE(na->solicited_flag);
    EXPECT_TRUE(na->override_flag);
    EXPECT_EQ(na->target, doc_1);

    const auto rd = icmpv6::redirect_repr::parse(*icmpv6::view::checked(redirect));
    ASSERT_TRUE(rd);
    EXPECT_EQ(rd->target, ip6("fe80::1"));
    EXPECT_EQ(rd->destination, ip6("2001:db8::99"));
    EXPECT_EQ(rd->options.size(), 64u);
}

TEST(Icmpv6, ReprEmitBuildsAValidMessage) {
    constexpr auto slla = R"(01 01 02 00 00 00 00 07)"_hex;
    icmpv6::neighbor_advert_repr r;
    r.router_flag = true;
    r.solicited_flag = true;
    r.target = doc_2;
    ASSERT_TRUE(r.options.set(slla));
    EXPECT_EQ(r.header_len(), 32u);
    std::array<std::byte, 32> out{};
    out.fill(std::byte{0xaa});
    r.emit(icmpv6::mut_view::unchecked(out), doc_2, doc_1);
    const auto v = icmpv6::view::checked(out);
    ASSERT_TRUE(v);
    EXPECT_EQ(v->type(), message_type::neighbor_advert);
    EXPECT_EQ(v->code(), 0);
    EXPECT_TRUE(v->checksum_ok(doc_2, doc_1));
    EXPECT_EQ(v->rest_of_header(), 0xc0000000u); // reserved bits zero
    EXPECT_EQ(v->target(), doc_2);
    EXPECT_TRUE(v->options().validate());
}

TEST(Icmpv6, ReprEmitWithoutAddressesLeavesTheChecksumZero) {
    const auto r = icmpv6::echo_repr::parse(*icmpv6::view::checked(echo_request));
    ASSERT_TRUE(r);
    std::vector<std::byte> out(echo_request.begin(), echo_request.end());
    std::fill(out.begin(), out.begin() + 8, std::byte{0xaa});
    r->emit(icmpv6::mut_view::unchecked(out));
    auto v = icmpv6::mut_view::unchecked(out);
    EXPECT_EQ(v.checksum(), 0);
    v.fill_checksum(echo_src, echo_dst);
    EXPECT_TRUE(std::ranges::equal(out, echo_request));
}

TEST(Icmpv6, ReprWritesTheHeaderBeforeAPayloadInPlace) {
    // A builder writes the invoking packet first, then the header before it:
    // the repr holds only its length.
    std::vector<std::byte> out(too_big.size(), std::byte{0xaa});
    std::copy(too_big.begin() + 8, too_big.end(), out.begin() + 8);
    const icmpv6::error_repr r{message_type::packet_too_big, 0, 1280, 0, too_big.size() - 8};
    EXPECT_EQ(r.header_len(), 8u);
    EXPECT_EQ(r.buffer_len(), too_big.size());
    r.emit(icmpv6::mut_view::unchecked(out), doc_a, doc_b);
    EXPECT_TRUE(std::ranges::equal(out, too_big));
}

TEST(Icmpv6, NdpReprOptionsHaveABound) {
    // The router advertisement with its options repeated past 512 bytes:
    // well formed, but more than an NDP repr holds.
    std::vector<std::byte> msg(router_advert.begin(), router_advert.end());
    const bytes opts = bytes{router_advert}.subspan(16);
    while (msg.size() - 16 <= icmpv6::max_ndp_options_len) msg.insert(msg.end(), opts.begin(), opts.end());
    const auto v = icmpv6::view::checked(msg);
    ASSERT_TRUE(v);
    ASSERT_TRUE(v->options().validate());
    EXPECT_ERROR(icmpv6::router_advert_repr::parse(*v),
                 error::invalid(layer::icmpv6, errc::too_many, length_source::option_length, 16,
                                icmpv6::max_ndp_options_len, msg.size() - 16));
    icmpv6::router_advert_repr r;
    std::vector<std::byte> big(icmpv6::max_ndp_options_len + 1);
    EXPECT_FALSE(r.options.set(big));
    EXPECT_TRUE(r.options.set(bytes{big}.first(icmpv6::max_ndp_options_len)));
}

TEST(Icmpv6, ReprRejectionRules) {
    // Echo: the type must be an echo, the code 0 (RFC 4443 §4.1).
    auto echo = copy_of(echo_request);
    echo[1] = std::byte{1};
    EXPECT_ERROR(icmpv6::echo_repr::parse(*icmpv6::view::checked(echo)),
                 error::invalid(layer::icmpv6, errc::bad_value, length_source::none, 1, 0, 1));
    // Another message type is errc::unsupported, `available` the type
    // (as in icmpv4), `needed` the type the repr wants where there is one.
    EXPECT_ERROR(icmpv6::echo_repr::parse(*icmpv6::view::checked(neighbor_solicit)),
                 error::invalid(layer::icmpv6, errc::unsupported, length_source::none, 0, 128, 135));
    // Errors: one of the four RFC 4443 error types.
    EXPECT_ERROR(icmpv6::error_repr::parse(*icmpv6::view::checked(echo_request)),
                 error::invalid(layer::icmpv6, errc::unsupported, length_source::none, 0, 0, 128));
    // NDP: the right type, code 0 (RFC 4861 §6.1, §7.1).
    auto ns = copy_of(neighbor_solicit);
    ns[1] = std::byte{3};
    EXPECT_ERROR(icmpv6::neighbor_solicit_repr::parse(*icmpv6::view::checked(ns)),
                 error::invalid(layer::icmpv6, errc::bad_value, length_source::none, 1, 0, 3));
    EXPECT_ERROR(icmpv6::neighbor_advert_repr::parse(*icmpv6::view::checked(neighbor_solicit)),
                 error::invalid(layer::icmpv6, errc::unsupported, length_source::none, 0, 136, 135));
    EXPECT_ERROR(icmpv6::router_advert_repr::parse(*icmpv6::view::checked(router_solicit)),
                 error::invalid(layer::icmpv6, errc::unsupported, length_source::none, 0, 134, 133));
    EXPECT_ERROR(icmpv6::router_solicit_repr::parse(*icmpv6::view::checked(router_advert)),
                 error::invalid(layer::icmpv6, errc::unsupported, length_source::none, 0, 133, 134));
    EXPECT_ERROR(icmpv6::redirect_repr::parse(*icmpv6::view::checked(neighbor_advert)),
                 error::invalid(layer::icmpv6, errc::unsupported, length_source::none, 0, 137, 136));
    // NS and NA targets are never multicast (RFC 4861 §7.1.1, §7.1.2).
    ns = copy_of(neighbor_solicit);
    ns[8] = std::byte{0xff};
    EXPECT_ERROR(icmpv6::neighbor_solicit_repr::parse(*icmpv6::view::checked(ns)),
                 error::invalid(layer::icmpv6, errc::bad_value, length_source::none, 8, 0, 0xff));
    auto na = copy_of(neighbor_advert);
    na[8] = std::byte{0xff};
    EXPECT_ERROR(icmpv6::neighbor_advert_repr::parse(*icmpv6::view::checked(na)),
                 error::invalid(layer::icmpv6, errc::bad_value, length_source::none, 8, 0, 0xff));
    // A redirect's destination is never multicast (RFC 4861 §8.1).
    auto rd = copy_of(redirect);
    rd[24] = std::byte{0xff};
    EXPECT_ERROR(icmpv6::redirect_repr::parse(*icmpv6::view::checked(rd)),
                 error::invalid(layer::icmpv6, errc::bad_value, length_source::none, 24, 0, 0xff));
}

TEST(Icmpv6, SetEveryFieldThenCompare) {
    std::array<std::byte, 40> buf{};
    auto v = icmpv6::mut_view::unchecked(buf);
    const icmpv6::view r = v;
    v.set_type(message_type::router_advert);
    v.set_code(0);
    v.set_cur_hop_limit(255);
    v.set_managed_flag(true);
    v.set_other_flag(true);
    v.set_home_agent_flag(true);
    v.set_router_preference(1);
    v.set_proxy_flag(true);
    v.set_router_lifetime(1800);
    v.set_reachable_time(30000);
    v.set_retrans_timer(1000);
    EXPECT_EQ(r.type(), message_type::router_advert);
    EXPECT_EQ(r.cur_hop_limit(), 255);
    EXPECT_EQ(r.ra_flags(), 0xec);
    EXPECT_TRUE(r.managed_flag());
    EXPECT_TRUE(r.other_flag());
    EXPECT_TRUE(r.home_agent_flag());
    EXPECT_EQ(r.router_preference(), 1);
    EXPECT_TRUE(r.proxy_flag());
    EXPECT_EQ(r.router_lifetime(), 1800);
    EXPECT_EQ(r.reachable_time(), 30000u);
    EXPECT_EQ(r.retrans_timer(), 1000u);
    // Setting one flag leaves its neighbours alone.
    v.set_other_flag(false);
    v.set_router_preference(3);
    EXPECT_EQ(r.ra_flags(), 0xbc);
    v.set_ra_flags(0);
    EXPECT_EQ(r.router_preference(), 0);

    v.set_type(message_type::neighbor_advert);
    v.set_rest_of_header(0x1fffffff); // reserved bits set
    v.set_router_flag(true);
    v.set_solicited_flag(false);
    v.set_override_flag(true);
    v.set_target(doc_1);
    v.set_destination(doc_2);
    EXPECT_TRUE(r.router_flag());
    EXPECT_FALSE(r.solicited_flag());
    EXPECT_TRUE(r.override_flag());
    EXPECT_EQ(r.rest_of_header(), 0xbfffffffu);
    EXPECT_EQ(r.target(), doc_1);
    EXPECT_EQ(r.destination(), doc_2);

    v.set_type(message_type::echo_request);
    v.set_identifier(0x1234);
    v.set_sequence(0xabcd);
    EXPECT_EQ(r.identifier(), 0x1234);
    EXPECT_EQ(r.sequence(), 0xabcd);
    v.set_mtu(1500);
    EXPECT_EQ(r.mtu(), 1500u);
    v.set_pointer(40);
    EXPECT_EQ(r.pointer(), 40u);
    v.set_checksum(0xbeef);
    EXPECT_EQ(r.checksum(), 0xbeef);
    EXPECT_EQ(v.payload().size(), 32u);
}

TEST(Icmpv6, TypeSpecificSettersWriteNothingPastTheBuffer) {
    std::array<std::byte, 12> buf{};
    buf.fill(std::byte{0x11});
    auto v = icmpv6::mut_view::unchecked(buf);
    v.set_target(doc_1);      // bytes 8..24
    v.set_destination(doc_2); // bytes 24..40
    v.set_retrans_timer(9);   // bytes 12..16
    EXPECT_TRUE(std::all_of(buf.begin(), buf.end(), [](std::byte b) { return b == std::byte{0x11}; }));
    v.set_reachable_time(7); // bytes 8..12 fit
    EXPECT_EQ(v.reachable_time(), 7u);
    EXPECT_EQ(v.retrans_timer(), 0u);
}

TEST(Icmpv6, HostileInputNeverReadsOutOfBounds) {
    std::uint32_t state = 777;
    const auto next = [&state] {
        state = state * 1103515245u + 12345u;
        return static_cast<std::uint8_t>(state >> 16);
    };
    const std::uint8_t types[] = {1, 2, 3, 4, 128, 129, 133, 134, 135, 136, 137, 143, 200};
    std::size_t options = 0;
    for (int round = 0; round < 4000; ++round) {
        std::vector<std::byte> buf(static_cast<std::size_t>(round % 97));
        for (auto& b : buf) {
            const std::uint8_t r = next();
            b = static_cast<std::byte>(r < 128 ? r % 6 : r);
        }
        if (!buf.empty()) buf[0] = static_cast<std::byte>(types[static_cast<std::size_t>(round) % std::size(types)]);
        const auto v = icmpv6::view::checked(buf);
        if (!v) continue;
        (void)v->target();
        (void)v->destination();
        (void)v->retrans_timer();
        (void)v->checksum_ok(doc_1, doc_2);
        for (const auto& o : v->options()) {
            if (!o) break;
            ++options;
            (void)o->prefix();
            (void)o->preferred_lifetime();
            (void)o->mtu();
            (void)o->mac();
            (void)o->redirected_packet();
        }
        if (const auto inner = v->invoking_ipv6()) {
            for (const auto& h : inner->extensions())
                if (!h) break;
        }
    }
    EXPECT_GT(options, 300u);
}

TEST(Icmpv6, ErrorMessagesArePrecise) {
    EXPECT_EQ(to_string(icmpv6::view::checked(bytes{redirect}.first(30)).error()),
              "icmpv6: truncated at offset 0: fixed header needs 40 bytes, 30 available");
    auto msg = copy_of(neighbor_advert);
    msg[25] = std::byte{0};
    EXPECT_EQ(to_string(icmpv6::view::checked(msg)->options().validate().error()),
              "ndp option: length too small at offset 25: option length field is 0, at least 8 required");
}

} // namespace
