// SPDX-License-Identifier: BSD-3-Clause
#include <rawpkt/packet/ipv6.hpp>

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

// pcapplusplus__ipv6_options.pcap frame 1, from the IPv6 header on:
// Internet Protocol Version 6, Src: fe80::2, Dst: ff02::5
//     Traffic Class: 0xe0, Payload Length: 104, Next Header: IPv6 Hop-by-Hop Option (0), Hop Limit: 1
//     IPv6 Hop-by-Hop Option
//         Next Header: Destination Options for IPv6 (60), Length: 0 [8 bytes]
//         Router Alert: Length: 2, Router Alert: MLD (0)
//         PadN: Length: 0
//     Destination Options for IPv6
//         Next Header: Routing Header for IPv6 (43), Length: 0 [8 bytes]
//         Unknown IPv6 Option (11): Length: 1, Unknown Option Payload: 09
//         PadN: Length: 1, PadN: 00
//     Routing Header for IPv6 (Source Route)
//         Next Header: Authentication Header (51), Length: 2 [24 bytes]
//         Type: Source Route (0), Segments Left: 1, Reserved: 00000000
//         Address[1]: 2200::210:2:0:0:4
//     Authentication Header
//         Next header: OSPF IGP (89), Length: 4 (24 bytes), Reserved: 0000
//         AH SPI: 0x00000100, AH Sequence: 32, AH ICV: 35482148b2435a23dcdd5536
// Open Shortest Path First (40 bytes)
constexpr auto ospf_chain = R"(
    6e 00 00 00 00 68 00 01 fe 80 00 00 00 00 00 00
    00 00 00 00 00 00 00 02 ff 02 00 00 00 00 00 00
    00 00 00 00 00 00 00 05 3c 00 05 02 00 00 01 00
    2b 00 0b 01 09 01 01 00 33 02 00 01 00 00 00 00
    22 00 00 00 00 00 02 10 00 02 00 00 00 00 00 04
    59 04 00 00 00 00 01 00 00 00 00 20 35 48 21 48
    b2 43 5a 23 dc dd 55 36 03 01 00 28 02 02 02 02
    00 00 00 01 f1 73 00 00 00 00 00 05 01 00 00 13
    00 0a 00 28 02 02 02 02 01 01 01 01 01 01 01 01)"_hex;

// tcpdump__ipv6-srh-ext-header.pcap frame 1, from the IPv6 header on:
// Internet Protocol Version 6, Src: a:b:c:12::1, Dst: a:b:c:2::f1:0
//     Flow Label: 0x889ad, Payload Length: 144, Next Header: Routing Header for IPv6 (43), Hop Limit: 64
//     Routing Header for IPv6 (Segment Routing)
//         Next Header: IPv6 (41), Length: 4 [40 bytes]
//         Type: Segment Routing (4), Segments Left: 1, Last Entry: 1, Flags: 0x00, Tag: 0000
//         Address[0]: a:b:c:3::d6
//         Address[1]: a:b:c:2::f1:0
// Internet Protocol Version 6, Src: a:b:c:12::1, Dst: b2::2
//     Payload Length: 64, Next Header: ICMPv6 (58), Hop Limit: 64
// Internet Control Message Protocol v6: Echo (ping) request, id=0x06ee, seq=1
constexpr auto srh = R"(
    60 08 89 ad 00 90 2b 40 00 0a 00 0b 00 0c 00 12
    00 00 00 00 00 00 00 01 00 0a 00 0b 00 0c 00 02
    00 00 00 00 00 f1 00 00 29 04 04 01 01 00 00 00
    00 0a 00 0b 00 0c 00 03 00 00 00 00 00 00 00 d6
    00 0a 00 0b 00 0c 00 02 00 00 00 00 00 f1 00 00
    60 08 89 ad 00 40 3a 40 00 0a 00 0b 00 0c 00 12
    00 00 00 00 00 00 00 01 00 b2 00 00 00 00 00 00
    00 00 00 00 00 00 00 02 80 00 63 5e 06 ee 00 01
    03 c5 47 5a 00 00 00 00 0a 5e 00 00 00 00 00 00
    10 11 12 13 14 15 16 17 18 19 1a 1b 1c 1d 1e 1f
    20 21 22 23 24 25 26 27 28 29 2a 2b 2c 2d 2e 2f
    30 31 32 33 34 35 36 37)"_hex;

// tcpdump__ipv6-routing-header.pcap frame 2, from the IPv6 header on:
// Internet Protocol Version 6, Src: 2200::244:212:3fff:feae:22f7, Dst: 2200::211:2:0:0:2
//     Payload Length: 48, Next Header: Routing Header for IPv6 (43), Hop Limit: 5
//     Routing Header for IPv6 (Source Route)
//         Next Header: ICMPv6 (58), Length: 4 [40 bytes]
//         Type: Source Route (0), Segments Left: 2, Reserved: 00000000
//         Address[1]: 2200::210:2:0:0:4
//         Address[2]: 2200::240:2:0:0:4
// Internet Control Message Protocol v6 (8 bytes)
constexpr auto source_route = R"(
    60 00 00 00 00 30 2b 05 22 00 00 00 00 00 02 44
    02 12 3f ff fe ae 22 f7 22 00 00 00 00 00 02 11
    00 02 00 00 00 00 00 02 3a 04 00 02 00 00 00 00
    22 00 00 00 00 00 02 10 00 02 00 00 00 00 00 04
    22 00 00 00 00 00 02 40 00 02 00 00 00 00 00 04
    80 00 d3 7b 00 00 00 00)"_hex;

// pcapplusplus__ip6_fragments.pcap frame 1, from the IPv6 header on:
// Internet Protocol Version 6, Src: fe80::21f:f3ff:fecd:f617, Dst: ff02::fb
//     Payload Length: 128, Next Header: Fragment Header for IPv6 (44), Hop Limit: 255
//     Fragment Header for IPv6
//         Next header: UDP (17), Reserved octet: 0x00
//         0000 0000 0000 0... = Offset: 0 (0 bytes)
//         .... .... .... .00. = Reserved bits: 0
//         .... .... .... ...1 = More Fragments: Yes
//         Identification: 0x002c5323
// Data (120 bytes): the first 120 bytes of a 741-byte mDNS datagram
constexpr auto first_fragment = R"(
    60 00 00 00 00 80 2c ff fe 80 00 00 00 00 00 00
    02 1f f3 ff fe cd f6 17 ff 02 00 00 00 00 00 00
    00 00 00 00 00 00 00 fb 11 00 00 01 00 2c 53 23
    14 e9 14 e9 02 e1 f7 7b 00 00 00 00 00 17 00 00
    00 0b 00 01 0b 5f 61 66 70 6f 76 65 72 74 63 70
    04 5f 74 63 70 05 6c 6f 63 61 6c 00 00 0c 80 01
    04 5f 73 6d 62 c0 18 00 0c 80 01 04 5f 72 66 62
    c0 18 00 0c 80 01 06 5f 61 64 69 73 6b c0 18 00
    0c 80 01 08 5f 61 69 72 70 6f 72 74 c0 18 00 0c
    80 01 0d 5f 61 70 70 6c 65 74 76 2d 70 61 69 72
    c0 18 00 0c 80 01 08 5f)"_hex;

// pcapplusplus__ip6_fragments.pcap frame 7, from the IPv6 header on:
// Internet Protocol Version 6, Src: fe80::21f:f3ff:fecd:f617, Dst: ff02::fb
//     Payload Length: 29, Next Header: Fragment Header for IPv6 (44), Hop Limit: 255
//     Fragment Header for IPv6
//         Next header: UDP (17), Reserved octet: 0x00
//         0000 0010 1101 0... = Offset: 90 (720 bytes)
//         .... .... .... ...0 = More Fragments: No
//         Identification: 0x002c5323
// [7 IPv6 Fragments (741 bytes): ... #7(21)]
constexpr auto last_fragment = R"(
    60 00 00 00 00 1d 2c ff fe 80 00 00 00 00 00 00
    02 1f f3 ff fe cd f6 17 ff 02 00 00 00 00 00 00
    00 00 00 00 00 00 00 fb 11 00 02 d0 00 2c 53 23
    00 11 94 00 0c 00 04 00 08 00 0b 00 1f f3 cd f6
    17 51 27 c6 b5)"_hex;

// suricata-verify__denial6-5.pcap frame 100, from the IPv6 header on:
// Internet Protocol Version 6, Src: 2001:db8:1::2, Dst: 2001:db8:1::1
//     Payload Length: 32, Next Header: Authentication Header (51), Hop Limit: 255
//     Authentication Header
//         Next header: ICMPv6 (58), Length: 2 (16 bytes), Reserved: 0000
//         AH SPI: 0x00000000, AH Sequence: 0, AH ICV: 00000000
// Internet Control Message Protocol v6: Echo (ping) request, id=0xface, seq=47806
// (16 bytes is not a multiple of 8, as RFC 4302 §2.2 wants for IPv6.)
constexpr auto short_ah = R"(
    60 00 00 00 00 20 33 ff 20 01 0d b8 00 01 00 00
    00 00 00 00 00 00 00 02 20 01 0d b8 00 01 00 00
    00 00 00 00 00 00 00 01 3a 02 00 00 00 00 00 00
    00 00 00 00 00 00 00 00 80 00 6e b0 fa ce ba be
    00 00 00 00 00 00 00 00)"_hex;

// Crafted (no capture in the corpus has a mobility header); tshark 4.0 reads:
// Internet Protocol Version 6, Src: 2001:db8::10, Dst: 2001:db8::20
//     Payload Length: 32, Next Header: Destination Options for IPv6 (60), Hop Limit: 64
//     Destination Options for IPv6
//         Next Header: Mobile IPv6 (135), Length: 2 [24 bytes]
//         PadN: Length: 2, PadN: 0000
//         Home Address (0xc9): Length: 16, MIPv6 Home Address: 2001:db8:1::abcd
//     Mobile IPv6
//         Payload protocol: No Next Header for IPv6 (59), Header length: 0 (8 bytes)
//         Mobility Header Type: Binding Refresh Request (0), Reserved: 0x00, Checksum: 0xbd0f
constexpr auto mobility = R"(
    60 00 00 00 00 20 3c 40 20 01 0d b8 00 00 00 00
    00 00 00 00 00 00 00 10 20 01 0d b8 00 00 00 00
    00 00 00 00 00 00 00 20 87 02 01 02 00 00 c9 10
    20 01 0d b8 00 01 00 00 00 00 00 00 00 00 ab cd
    3b 00 00 00 bd 0f 00 00)"_hex;

/// The bytes after the fixed header.
constexpr bytes after_fixed(bytes pkt) { return pkt.subspan(40); }

template <class Range>
auto collect(const Range& r) {
    std::vector<std::remove_cvref_t<decltype(*r.begin())>> out;
    for (const auto& x : r) out.push_back(x);
    return out;
}

// Accessors are usable in constant expressions.
static_assert(ipv6::find_upper_layer(ip_proto::hopopt, after_fixed(ospf_chain), 40)->protocol == ip_proto::ospf);
static_assert(ipv6::find_upper_layer(ip_proto::hopopt, after_fixed(ospf_chain), 40)->offset == 104);
static_assert(ipv6::fragment::view::checked(after_fixed(last_fragment))->frag_offset() == 720);
static_assert(ipv6::routing::view::checked(after_fixed(srh))->address_at(1) == ip6("a:b:c:2::f1:0"));
static_assert(ipv6::opts::view::checked(after_fixed(ospf_chain))->options().validate().has_value());
static_assert(ipv6::ah::view::checked(after_fixed(short_ah))->header_len() == 16);
static_assert(ipv6::ext_range(ip_proto::hopopt, after_fixed(ospf_chain)).validate().has_value());

TEST(Ipv6Ext, ChainWalksHopByHopDestinationRoutingAndAh) {
    const auto v = ipv6::view::checked(ospf_chain);
    ASSERT_TRUE(v);
    const auto chain = collect(v->extensions());
    ASSERT_EQ(chain.size(), 4u);
    struct expected_header {
        ip_proto kind, next;
        std::size_t offset, len;
    };
    const expected_header want[] = {
        {ip_proto::hopopt, ip_proto::ipv6_opts, 40, 8},
        {ip_proto::ipv6_opts, ip_proto::ipv6_route, 48, 8},
        {ip_proto::ipv6_route, ip_proto::ah, 56, 24},
        {ip_proto::ah, ip_proto::ospf, 80, 24},
    };
    for (std::size_t i = 0; i < chain.size(); ++i) {
        ASSERT_TRUE(chain[i]) << i;
        EXPECT_EQ(chain[i]->kind, want[i].kind) << i;
        EXPECT_EQ(chain[i]->next_header, want[i].next) << i;
        EXPECT_EQ(chain[i]->offset, want[i].offset) << i;
        EXPECT_EQ(chain[i]->header_len, want[i].len) << i;
        EXPECT_EQ(chain[i]->header.data(), ospf_chain.data() + want[i].offset) << i;
        EXPECT_EQ(chain[i]->header.size(), want[i].len) << i;
        EXPECT_FALSE(chain[i]->is_later_fragment()) << i;
    }
    const auto u = v->upper_layer();
    ASSERT_TRUE(u);
    EXPECT_EQ(u->protocol, ip_proto::ospf);
    EXPECT_EQ(u->offset, 104u);
    EXPECT_EQ(u->data.size(), 40u);
    EXPECT_FALSE(u->fragmented);
    // Without a base, offsets count from the bytes given.
    const auto bare = ipv6::find_upper_layer(ip_proto::hopopt, after_fixed(ospf_chain));
    ASSERT_TRUE(bare);
    EXPECT_EQ(bare->offset, 64u);
}

TEST(Ipv6Ext, HopByHopOptions) {
    const auto h = ipv6::opts::view::checked(after_fixed(ospf_chain));
    ASSERT_TRUE(h);
    EXPECT_EQ(h->next_header(), ip_proto::ipv6_opts);
    EXPECT_EQ(h->hdr_ext_len(), 0);
    EXPECT_EQ(h->header_len(), 8u);
    EXPECT_EQ(h->options_bytes().size(), 6u);
    EXPECT_EQ(h->payload().size(), 96u);
    const auto opts = collect(h->options());
    ASSERT_EQ(opts.size(), 2u);
    ASSERT_TRUE(opts[0]);
    EXPECT_EQ(opts[0]->kind, ipv6::option_kind::router_alert);
    EXPECT_EQ(opts[0]->length, 4u);
    EXPECT_EQ(opts[0]->offset, 2u);
    EXPECT_EQ(opts[0]->data.size(), 2u);
    EXPECT_EQ(opts[0]->router_alert_value(), 0); // MLD
    EXPECT_EQ(opts[0]->action(), ipv6::option_action::skip);
    EXPECT_FALSE(opts[0]->may_change());
    ASSERT_TRUE(opts[1]);
    EXPECT_EQ(opts[1]->kind, ipv6::option_kind::padn);
    EXPECT_EQ(opts[1]->length, 2u);
    EXPECT_EQ(opts[1]->offset, 6u);
    EXPECT_TRUE(opts[1]->data.empty());
}

TEST(Ipv6Ext, DestinationOptionsWithAnUnknownOption) {
    const auto h = ipv6::opts::view::checked(after_fixed(ospf_chain).subspan(8));
    ASSERT_TRUE(h);
    EXPECT_EQ(h->next_header(), ip_proto::ipv6_route);
    const auto opts = collect(h->options());
    ASSERT_EQ(opts.size(), 2u);
    ASSERT_TRUE(opts[0]);
    EXPECT_EQ(static_cast<std::uint8_t>(opts[0]->kind), 11);
    EXPECT_EQ(opts[0]->length, 3u);
    EXPECT_EQ(opts[0]->offset, 2u);
    ASSERT_EQ(opts[0]->data.size(), 1u);
    EXPECT_EQ(opts[0]->data[0], std::byte{0x09});
    EXPECT_EQ(opts[0]->action(), ipv6::option_action::skip);
    // Accessors of other options never read past the option's data.
    EXPECT_EQ(opts[0]->jumbo_payload_len(), 0u);
    EXPECT_EQ(opts[0]->home_address(), ipv6::address{});
    ASSERT_TRUE(opts[1]);
    EXPECT_EQ(opts[1]->kind, ipv6::option_kind::padn);
    EXPECT_EQ(opts[1]->length, 3u);
    EXPECT_EQ(opts[1]->offset, 5u);
}

TEST(Ipv6Ext, OptionActionAndMayChangeBits) {
    const auto opt = [](std::uint8_t type) { return ipv6::option{static_cast<ipv6::option_kind>(type), 2, 0, {}}; };
    EXPECT_EQ(opt(0x1e).action(), ipv6::option_action::skip);
    EXPECT_EQ(opt(0x4d).action(), ipv6::option_action::discard);
    EXPECT_EQ(opt(0x8a).action(), ipv6::option_action::discard_icmp);
    EXPECT_EQ(opt(0xc2).action(), ipv6::option_action::discard_icmp_unicast); // jumbo payload
    EXPECT_TRUE(opt(0x30).may_change());                                      // path MTU
    EXPECT_FALSE(opt(0xc9).may_change());                                     // home address
}

TEST(Ipv6Ext, RoutingTypeZero) {
    const auto v = ipv6::view::checked(source_route);
    ASSERT_TRUE(v);
    const auto chain = collect(v->extensions());
    ASSERT_EQ(chain.size(), 1u);
    ASSERT_TRUE(chain[0]);
    const auto r = ipv6::routing::view::checked(chain[0]->header);
    ASSERT_TRUE(r);
    EXPECT_EQ(r->next_header(), ip_proto::icmpv6);
    EXPECT_EQ(r->hdr_ext_len(), 4);
    EXPECT_EQ(r->header_len(), 40u);
    EXPECT_EQ(r->routing_type(), ipv6::routing::kind::source_route);
    EXPECT_EQ(r->segments_left(), 2);
    EXPECT_EQ(r->type_data().size(), 36u);
    ASSERT_EQ(r->address_count(), 2u);
    EXPECT_EQ(r->address_at(0), ip6("2200::210:2:0:0:4"));
    EXPECT_EQ(r->address_at(1), ip6("2200::240:2:0:0:4"));
    EXPECT_EQ(r->address_at(2), ipv6::address{}); // past the header: never read
    EXPECT_TRUE(r->tlv_bytes().empty());
    EXPECT_TRUE(r->payload().empty());
    // The upper-layer checksum covers the last address (RFC 8200 §8.1).
    EXPECT_EQ(*r->final_destination(v->dst()), ip6("2200::240:2:0:0:4"));
    EXPECT_EQ(v->final_destination(), ip6("2200::240:2:0:0:4"));
    EXPECT_EQ(v->dst(), ip6("2200::211:2:0:0:2"));
    const auto u = v->upper_layer();
    ASSERT_TRUE(u);
    EXPECT_EQ(u->protocol, ip_proto::icmpv6);
    EXPECT_EQ(u->offset, 80u);
    EXPECT_EQ(u->data.size(), 8u);
}

TEST(Ipv6Ext, SegmentRoutingHeader) {
    const auto v = ipv6::view::checked(srh);
    ASSERT_TRUE(v);
    EXPECT_EQ(v->flow_label(), 0x889adu);
    const auto r = ipv6::routing::view::checked(bytes{v->payload()});
    ASSERT_TRUE(r);
    EXPECT_EQ(r->next_header(), ip_proto::ipv6);
    EXPECT_EQ(r->header_len(), 40u);
    EXPECT_EQ(r->routing_type(), ipv6::routing::kind::segment_routing);
    EXPECT_EQ(r->segments_left(), 1);
    EXPECT_EQ(r->last_entry(), 1);
    EXPECT_EQ(r->flags(), 0);
    EXPECT_EQ(r->tag(), 0);
    ASSERT_EQ(r->address_count(), 2u);
    EXPECT_EQ(r->address_at(0), ip6("a:b:c:3::d6"));   // the final segment
    EXPECT_EQ(r->address_at(1), ip6("a:b:c:2::f1:0")); // the first, = the IPv6 destination
    EXPECT_EQ(r->address_at(1), v->dst());
    EXPECT_TRUE(r->tlv_bytes().empty());
    EXPECT_EQ(r->payload().size(), 104u);
    EXPECT_EQ(*r->final_destination(v->dst()), ip6("a:b:c:3::d6"));
    EXPECT_EQ(v->final_destination(), ip6("a:b:c:3::d6"));
    // IPv6 in IPv6 follows: the chain ends there.
    const auto u = v->upper_layer();
    ASSERT_TRUE(u);
    EXPECT_EQ(u->protocol, ip_proto::ipv6);
    EXPECT_EQ(u->offset, 80u);
    const auto inner = ipv6::view::checked(u->data);
    ASSERT_TRUE(inner);
    EXPECT_EQ(inner->dst(), ip6("b2::2"));
    EXPECT_EQ(inner->upper_layer()->protocol, ip_proto::icmpv6);
}

TEST(Ipv6Ext, FinalDestination) {
    // No routing header: the destination address.
    EXPECT_EQ(ipv6::view::checked(mobility)->final_destination(), ip6("2001:db8::20"));
    // A broken chain before any routing header: the destination address.
    EXPECT_EQ(ipv6::view::checked_header(bytes{source_route}.first(47))->final_destination(), ip6("2200::211:2:0:0:2"));
    // Crafted: an RPL (type 3) header, whose addresses are compressed, and a
    // type 0 header without any.
    constexpr auto rpl = R"(3b 00 03 01 00 00 00 00)"_hex;
    const auto some_dst = ip6("2001:db8::1");
    EXPECT_ERROR(ipv6::routing::view::checked(rpl)->final_destination(some_dst),
                 error::invalid(layer::ipv6_extension, errc::unsupported, length_source::none, 2, 0, 3));
    constexpr auto empty = R"(3b 00 00 01 00 00 00 00)"_hex;
    EXPECT_ERROR(
        ipv6::routing::view::checked(empty)->final_destination(some_dst),
        error::invalid(layer::ipv6_extension, errc::length_too_small, length_source::extension_length, 1, 24, 8));
    // With Segments Left 0 either is at its final destination already.
    EXPECT_EQ(*ipv6::routing::view::checked(R"(3b 00 03 00 00 00 00 00)"_hex)->final_destination(some_dst), some_dst);
    EXPECT_EQ(*ipv6::routing::view::checked(R"(3b 00 00 00 00 00 00 00)"_hex)->final_destination(some_dst), some_dst);
}

TEST(Ipv6Ext, FinalDestinationOnceSegmentsLeftIsZero) {
    // RFC 8200 §8.1: at the final recipient (Segments Left 0) the IPv6
    // Destination Address is the final destination, whatever the list says.
    // The type 0 header with its Segments Left cleared (as the last hop
    // sees it, with the addresses already swapped around):
    auto pkt = copy_of(source_route);
    pkt[43] = std::byte{0};
    const auto v = ipv6::view::checked(pkt);
    ASSERT_TRUE(v);
    const auto r = ipv6::routing::view::checked(v->payload());
    ASSERT_TRUE(r);
    EXPECT_EQ(r->segments_left(), 0);
    EXPECT_EQ(*r->final_destination(v->dst()), ip6("2200::211:2:0:0:2"));
    EXPECT_EQ(v->final_destination(), v->dst());
    // The SRH: with Segments Left 0 the destination is Segment List[0]
    // on the wire; here it is not, and dst() still wins (it is what the
    // pseudo header holds at the receiver).
    auto s = copy_of(srh);
    s[43] = std::byte{0};
    const auto w = ipv6::view::checked(s);
    ASSERT_TRUE(w);
    EXPECT_EQ(w->final_destination(), ip6("a:b:c:2::f1:0"));
    EXPECT_EQ(w->final_destination(), w->dst());
}

TEST(Ipv6Ext, RejectsASegmentListLongerThanTheHeader) {
    auto pkt = copy_of(srh);
    pkt[44] = std::byte{2}; // last entry 2: three segments in a 40-byte header
    const auto v = ipv6::view::checked(pkt);
    ASSERT_TRUE(v);
    EXPECT_TRUE(v->extensions().validate()); // the generic format is intact
    EXPECT_ERROR(
        ipv6::routing::view::checked(bytes{v->payload()}),
        error::invalid(layer::ipv6_extension, errc::length_too_small, length_source::extension_length, 1, 56, 40));
}

TEST(Ipv6Ext, FirstFragment) {
    const auto v = ipv6::view::checked(first_fragment);
    ASSERT_TRUE(v);
    const auto f = ipv6::fragment::view::checked(bytes{v->payload()});
    ASSERT_TRUE(f);
    EXPECT_EQ(f->next_header(), ip_proto::udp);
    EXPECT_EQ(f->reserved(), 0);
    EXPECT_EQ(f->frag_offset_units(), 0);
    EXPECT_EQ(f->frag_offset(), 0u);
    EXPECT_EQ(f->reserved_bits(), 0);
    EXPECT_TRUE(f->more_fragments());
    EXPECT_EQ(f->ident(), 0x002c5323u);
    EXPECT_FALSE(f->is_later_fragment());
    EXPECT_FALSE(f->is_atomic());
    EXPECT_EQ(f->header_len(), 8u);
    EXPECT_EQ(f->payload().size(), 120u);
    // A first fragment starts with the upper-layer header.
    const auto u = v->upper_layer();
    ASSERT_TRUE(u);
    EXPECT_EQ(u->protocol, ip_proto::udp);
    EXPECT_EQ(u->offset, 48u);
    EXPECT_EQ(u->data.size(), 120u);
    EXPECT_TRUE(u->fragmented);
    EXPECT_FALSE(u->later_fragment);
}

TEST(Ipv6Ext, LaterFragmentEndsTheChain) {
    const auto v = ipv6::view::checked(last_fragment);
    ASSERT_TRUE(v);
    const auto chain = collect(v->extensions());
    ASSERT_EQ(chain.size(), 1u);
    ASSERT_TRUE(chain[0]);
    EXPECT_EQ(chain[0]->kind, ip_proto::ipv6_frag);
    EXPECT_TRUE(chain[0]->is_later_fragment());
    const auto f = ipv6::fragment::view::checked(chain[0]->header);
    ASSERT_TRUE(f);
    EXPECT_EQ(f->frag_offset_units(), 90);
    EXPECT_EQ(f->frag_offset(), 720u);
    EXPECT_FALSE(f->more_fragments());
    EXPECT_EQ(f->ident(), 0x002c5323u);
    EXPECT_TRUE(f->is_later_fragment());
    // What follows is fragment data (UDP names the original packet's
    // upper layer), even where it happens to look like a header.
    const auto u = v->upper_layer();
    ASSERT_TRUE(u);
    EXPECT_EQ(u->protocol, ip_proto::udp);
    EXPECT_EQ(u->offset, 48u);
    EXPECT_EQ(u->data.size(), 21u);
    EXPECT_TRUE(u->fragmented);
    EXPECT_TRUE(u->later_fragment);
    auto pkt = copy_of(last_fragment);
    pkt[40] = std::byte{60}; // a later fragment's data is never parsed
    EXPECT_EQ(ipv6::view::checked(pkt)->upper_layer()->protocol, ip_proto::ipv6_opts);
}

TEST(Ipv6Ext, AuthenticationHeader) {
    const auto a = ipv6::ah::view::checked(after_fixed(ospf_chain).subspan(40));
    ASSERT_TRUE(a);
    EXPECT_EQ(a->next_header(), ip_proto::ospf);
    EXPECT_EQ(a->payload_len_words(), 4);
    EXPECT_EQ(a->header_len(), 24u);
    EXPECT_EQ(a->reserved(), 0);
    EXPECT_EQ(a->spi(), 0x100u);
    EXPECT_EQ(a->sequence(), 32u);
    constexpr auto icv = R"(35 48 21 48 b2 43 5a 23 dc dd 55 36)"_hex;
    EXPECT_TRUE(std::ranges::equal(a->icv(), icv));
    EXPECT_EQ(a->payload().size(), 40u);
}

TEST(Ipv6Ext, AuthenticationHeaderOfSixteenBytesIsAccepted) {
    const auto v = ipv6::view::checked(short_ah);
    ASSERT_TRUE(v);
    const auto a = ipv6::ah::view::checked(bytes{v->payload()});
    ASSERT_TRUE(a);
    EXPECT_EQ(a->header_len(), 16u);
    EXPECT_EQ(a->icv().size(), 4u);
    const auto u = v->upper_layer();
    ASSERT_TRUE(u);
    EXPECT_EQ(u->protocol, ip_proto::icmpv6);
    EXPECT_EQ(u->offset, 56u);
    EXPECT_EQ(u->data.size(), 16u);
}

TEST(Ipv6Ext, MobilityHeaderAfterAHomeAddressOption) {
    const auto v = ipv6::view::checked(mobility);
    ASSERT_TRUE(v);
    const auto chain = collect(v->extensions());
    ASSERT_EQ(chain.size(), 2u);
    ASSERT_TRUE(chain[0]);
    ASSERT_TRUE(chain[1]);
    EXPECT_EQ(chain[1]->kind, ip_proto::mobility);
    EXPECT_EQ(chain[1]->next_header, ip_proto::ipv6_nonxt);
    EXPECT_EQ(chain[1]->offset, 64u);
    EXPECT_EQ(chain[1]->header_len, 8u);
    const auto d = ipv6::opts::view::checked(chain[0]->header);
    ASSERT_TRUE(d);
    const auto hao = collect(d->options());
    ASSERT_EQ(hao.size(), 2u);
    ASSERT_TRUE(hao[1]);
    EXPECT_EQ(hao[1]->kind, ipv6::option_kind::home_address);
    EXPECT_EQ(hao[1]->offset, 6u);
    EXPECT_EQ(hao[1]->home_address(), ip6("2001:db8:1::abcd"));
    EXPECT_EQ(hao[1]->action(), ipv6::option_action::discard_icmp_unicast);
    const auto u = v->upper_layer();
    ASSERT_TRUE(u);
    EXPECT_EQ(u->protocol, ip_proto::ipv6_nonxt);
    EXPECT_EQ(u->offset, 72u);
    EXPECT_TRUE(u->data.empty());
}

TEST(Ipv6Ext, HipAndShim6UseTheGenericFormat) {
    // Crafted: a HIP header of 16 bytes (length 1), then a shim6 header of
    // 8, then No Next Header and 4 bytes that are not parsed.
    constexpr auto chain = R"(
        8c 01 00 00 00 00 00 00 00 00 00 00 00 00 00 00
        3b 00 00 00 00 00 00 00 de ad be ef)"_hex;
    const auto hs = collect(ipv6::ext_range(ip_proto::hip, chain));
    ASSERT_EQ(hs.size(), 2u);
    EXPECT_EQ(hs[0]->kind, ip_proto::hip);
    EXPECT_EQ(hs[0]->header_len, 16u);
    EXPECT_EQ(hs[1]->kind, ip_proto::shim6);
    EXPECT_EQ(hs[1]->offset, 16u);
    const auto u = ipv6::find_upper_layer(ip_proto::hip, chain);
    ASSERT_TRUE(u);
    EXPECT_EQ(u->protocol, ip_proto::ipv6_nonxt);
    EXPECT_EQ(u->offset, 24u);
    EXPECT_EQ(u->data.size(), 4u); // RFC 8200 §4.7: to be ignored
}

TEST(Ipv6Ext, EspEndsTheChain) {
    // Crafted: destination options, then ESP (SPI 0x1234, sequence 1, ...).
    constexpr auto chain = R"(
        32 00 01 04 00 00 00 00 00 00 12 34 00 00 00 01
        aa bb cc dd)"_hex;
    EXPECT_EQ(collect(ipv6::ext_range(ip_proto::ipv6_opts, chain)).size(), 1u);
    const auto u = ipv6::find_upper_layer(ip_proto::ipv6_opts, chain, 40);
    ASSERT_TRUE(u);
    EXPECT_EQ(u->protocol, ip_proto::esp);
    EXPECT_EQ(u->offset, 48u);
    EXPECT_EQ(u->data.size(), 12u);
    EXPECT_FALSE(ipv6::is_extension_header(ip_proto::esp));
    EXPECT_FALSE(ipv6::is_extension_header(ip_proto::ipv6_nonxt));
    EXPECT_FALSE(ipv6::is_extension_header(ip_proto::tcp));
}

TEST(Ipv6Ext, EveryTruncationOfTheChainHasAnExactError) {
    // Cut the captured packet anywhere in its extension headers: the fixed
    // header is intact, the chain reports what is missing.
    for (std::size_t n = 40; n < ospf_chain.size(); ++n) {
        const auto v = ipv6::view::checked_header(bytes{ospf_chain}.first(n));
        ASSERT_TRUE(v) << n;
        const std::size_t p = n - 40; // payload bytes captured
        const auto u = v->upper_layer();
        const auto first_error = v->extensions().validate();
        if (p >= 64) {
            ASSERT_TRUE(u) << n;
            EXPECT_EQ(u->protocol, ip_proto::ospf);
            EXPECT_EQ(u->data.size(), p - 64);
            EXPECT_TRUE(first_error);
            continue;
        }
        error want;
        if (p < 8) {
            want = error::truncated(layer::ipv6_extension, length_source::fixed_header, 40, 8, p);
        } else if (p < 16) {
            want = error::truncated(layer::ipv6_extension, length_source::fixed_header, 48, 8, p - 8);
        } else if (p < 24) {
            want = error::truncated(layer::ipv6_extension, length_source::fixed_header, 56, 8, p - 16);
        } else if (p < 40) {
            want = error::truncated(layer::ipv6_extension, length_source::extension_length, 56, 24, p - 16);
        } else if (p < 48) {
            want = error::truncated(layer::ipv6_extension, length_source::fixed_header, 80, 8, p - 40);
        } else {
            want = error::truncated(layer::ipv6_extension, length_source::extension_length, 80, 24, p - 40);
        }
        ASSERT_FALSE(u) << n;
        EXPECT_EQ(u.error(), want) << n;
        EXPECT_EQ(first_error.error(), want) << n;
    }
}

TEST(Ipv6Ext, TypedViewsRejectEveryTruncation) {
    const bytes rh = after_fixed(ospf_chain).subspan(16, 24);
    const bytes ah = after_fixed(ospf_chain).subspan(40, 24);
    for (std::size_t n = 0; n < 24; ++n) {
        const auto want = n < 8 ? error::truncated(layer::ipv6_extension, length_source::fixed_header, 0, 8, n)
                                : error::truncated(layer::ipv6_extension, length_source::extension_length, 0, 24, n);
        EXPECT_ERROR(ipv6::routing::view::checked(rh.first(n)), want);
        const auto want_ah = n < 12
                                 ? error::truncated(layer::ipv6_extension, length_source::fixed_header, 0, 12, n)
                                 : error::truncated(layer::ipv6_extension, length_source::extension_length, 0, 24, n);
        EXPECT_ERROR(ipv6::ah::view::checked(ah.first(n)), want_ah);
        if (n < 8) {
            EXPECT_ERROR(ipv6::opts::view::checked(rh.first(n)), want);
            EXPECT_ERROR(ipv6::fragment::view::checked(after_fixed(first_fragment).first(n)), want);
        }
    }
}

TEST(Ipv6Ext, RejectsHopByHopAfterTheFirstHeader) {
    // RFC 8200 §4.3: hop-by-hop options only right after the fixed header.
    auto pkt = copy_of(ospf_chain);
    pkt[48] = std::byte{0}; // destination options -> hop-by-hop
    const auto v = ipv6::view::checked(pkt);
    ASSERT_TRUE(v);
    const auto want = error::invalid(layer::ipv6_extension, errc::bad_value, length_source::none, 56, 0, 0);
    EXPECT_ERROR(v->upper_layer(), want);
    const auto chain = collect(v->extensions());
    ASSERT_EQ(chain.size(), 3u); // two headers, then the error, then the end
    EXPECT_EQ(chain[2].error(), want);
}

TEST(Ipv6Ext, RejectsAnAuthenticationHeaderShorterThanTwelve) {
    auto pkt = copy_of(ospf_chain);
    pkt[81] = std::byte{0}; // (0 + 2) * 4 = 8 bytes
    const auto v = ipv6::view::checked(pkt);
    ASSERT_TRUE(v);
    const auto want =
        error::invalid(layer::ipv6_extension, errc::length_too_small, length_source::extension_length, 81, 12, 8);
    EXPECT_ERROR(v->upper_layer(), want);
    EXPECT_ERROR(
        ipv6::ah::view::checked(bytes{pkt}.subspan(80)),
        error::invalid(layer::ipv6_extension, errc::length_too_small, length_source::extension_length, 1, 12, 8));
    pkt[81] = std::byte{1}; // 12 bytes: no ICV, and OSPF starts 12 bytes early
    const auto shorter = ipv6::view::checked(pkt)->upper_layer();
    ASSERT_TRUE(shorter);
    EXPECT_EQ(shorter->offset, 92u);
}

TEST(Ipv6Ext, RejectsMoreThanSixteenHeaders) {
    // Crafted: destination options headers of 8 bytes (a 4-byte PadN each),
    // each naming another one; the last names No Next Header.
    const auto chain_of = [](std::size_t count) {
        std::vector<std::byte> b;
        for (std::size_t i = 0; i < count; ++i) {
            const auto h = make_bytes(i + 1 < count ? 60 : 59, 0, 1, 4, 0, 0, 0, 0);
            b.insert(b.end(), h.begin(), h.end());
        }
        return b;
    };
    const auto sixteen = chain_of(16);
    const auto ok = ipv6::find_upper_layer(ip_proto::ipv6_opts, sixteen);
    ASSERT_TRUE(ok);
    EXPECT_EQ(ok->protocol, ip_proto::ipv6_nonxt);
    EXPECT_EQ(collect(ipv6::ext_range(ip_proto::ipv6_opts, sixteen)).size(), 16u);

    const auto seventeen = chain_of(17);
    const auto want = error::invalid(layer::ipv6_extension, errc::too_many, length_source::none, 128, 16, 17);
    EXPECT_ERROR(ipv6::find_upper_layer(ip_proto::ipv6_opts, seventeen), want);
    const auto hs = collect(ipv6::ext_range(ip_proto::ipv6_opts, seventeen));
    ASSERT_EQ(hs.size(), 17u);
    EXPECT_EQ(hs[16].error(), want);
    EXPECT_EQ(ipv6::ext_range(ip_proto::ipv6_opts, seventeen).validate().error(), want);
}

TEST(Ipv6Ext, OptionRejectionRules) {
    struct bad_option {
        const char* what;
        std::vector<std::uint8_t> opts; // exactly 6 bytes: a hop-by-hop header of 8
        error expected;
    };
    const std::vector<bad_option> cases = {
        {"length past the header",
         {0x05, 0x02, 0x00, 0x00, 0x01, 0x01},
         error::truncated(layer::ipv6_option, length_source::option_length, 6, 3, 2)},
        {"no room for the length octet",
         {0x01, 0x02, 0x00, 0x00, 0x00, 0x05},
         error::truncated(layer::ipv6_option, length_source::option_length, 7, 2, 1)},
        {"router alert not 2",
         {0x05, 0x03, 0x00, 0x00, 0x00, 0x00},
         error::invalid(layer::ipv6_option, errc::length_too_large, length_source::option_length, 3, 2, 3)},
        {"jumbo payload not 4",
         {0xc2, 0x02, 0x00, 0x01, 0x01, 0x00},
         error::invalid(layer::ipv6_option, errc::length_too_small, length_source::option_length, 3, 4, 2)},
        {"tunnel encapsulation limit not 1",
         {0x04, 0x02, 0x04, 0x00, 0x01, 0x00},
         error::invalid(layer::ipv6_option, errc::length_too_large, length_source::option_length, 3, 1, 2)},
        {"home address not 16",
         {0xc9, 0x04, 0x20, 0x01, 0x0d, 0xb8},
         error::invalid(layer::ipv6_option, errc::length_too_small, length_source::option_length, 3, 16, 4)},
    };
    for (const auto& c : cases) {
        auto pkt = copy_of(ospf_chain);
        for (std::size_t i = 0; i < 6; ++i) pkt[42 + i] = static_cast<std::byte>(c.opts[i]);
        const auto v = ipv6::view::checked(pkt);
        ASSERT_TRUE(v) << c.what;
        // The chain is fine: options are checked when iterated.
        EXPECT_TRUE(v->upper_layer()) << c.what;
        const auto h = ipv6::opts::view::checked(bytes{v->payload()});
        ASSERT_TRUE(h) << c.what;
        EXPECT_EQ(h->options().validate().error(), c.expected) << c.what;
        EXPECT_EQ(ipv6::opts::repr::parse(*h).error(), c.expected) << c.what;
        // The iterator yields the error once and ends.
        std::size_t seen = 0;
        std::size_t errors = 0;
        for (const auto& o : h->options()) {
            ASSERT_LE(++seen, 6u) << c.what;
            if (!o) {
                ++errors;
                EXPECT_EQ(o.error(), c.expected) << c.what;
            }
        }
        EXPECT_EQ(errors, 1u) << c.what;
    }
}

TEST(Ipv6Ext, OptionsAreBoundedByTheirHeader) {
    // Pad1 and PadN fill the header exactly; nothing is read past it even
    // though the buffer continues.
    constexpr auto hbh = R"(3b 00 00 01 02 00 00 00 ff ff)"_hex;
    const auto h = ipv6::opts::view::checked(hbh);
    ASSERT_TRUE(h);
    const auto opts = collect(h->options());
    ASSERT_EQ(opts.size(), 3u);
    EXPECT_EQ(opts[0]->kind, ipv6::option_kind::pad1);
    EXPECT_EQ(opts[0]->length, 1u);
    EXPECT_EQ(opts[1]->kind, ipv6::option_kind::padn);
    EXPECT_EQ(opts[1]->offset, 3u);
    EXPECT_EQ(opts[1]->length, 4u);
    EXPECT_EQ(opts[2]->kind, ipv6::option_kind::pad1);
    EXPECT_EQ(opts[2]->offset, 7u);
    EXPECT_EQ(h->payload().size(), 2u);
}

TEST(Ipv6Ext, HostileInputNeverReadsOutOfBounds) {
    // Deterministic pseudo-random headers of every length up to 80 bytes,
    // walked from every extension type; sanitizer builds check the reads.
    std::uint32_t state = 12345;
    const auto next = [&state] {
        state = state * 1103515245u + 12345u;
        return static_cast<std::uint8_t>(state >> 16);
    };
    const ip_proto kinds[] = {ip_proto::hopopt, ip_proto::ipv6_route, ip_proto::ipv6_frag, ip_proto::ipv6_opts,
                              ip_proto::ah,     ip_proto::mobility,   ip_proto::hip,       ip_proto::shim6};
    std::size_t headers = 0;
    for (int round = 0; round < 3000; ++round) {
        std::vector<std::byte> buf(static_cast<std::size_t>(round % 81));
        for (auto& b : buf) {
            // Small length octets and extension-header types make long chains likely.
            const std::uint8_t r = next();
            b = static_cast<std::byte>(r < 96 ? r % 4 : r < 160 ? static_cast<std::uint8_t>(kinds[r % 8]) : r);
        }
        for (const ip_proto k : kinds) {
            for (const auto& h : ipv6::ext_range(k, buf)) {
                if (!h) break;
                ++headers;
                ASSERT_LE(h->header.data() + h->header.size(), buf.data() + buf.size());
                if (const auto o = ipv6::opts::view::checked(h->header)) {
                    for (const auto& opt : o->options()) {
                        if (!opt) break;
                        (void)opt->jumbo_payload_len();
                        (void)opt->home_address();
                        (void)opt->router_alert_value();
                        (void)opt->tunnel_encap_limit();
                    }
                }
                if (const auto r = ipv6::routing::view::checked(h->header)) {
                    for (std::size_t i = 0; i <= r->address_count(); ++i) (void)r->address_at(i);
                    (void)r->tlv_bytes();
                }
                if (const auto a = ipv6::ah::view::checked(h->header)) (void)a->icv();
            }
            (void)ipv6::find_upper_layer(k, buf);
        }
    }
    EXPECT_GT(headers, 1000u);
}

TEST(Ipv6Ext, FragmentSetEveryFieldThenCompare) {
    std::array<std::byte, 8> buf{};
    auto f = ipv6::fragment::mut_view::unchecked(buf);
    f.set_next_header(ip_proto::tcp);
    f.set_reserved(0x5a);
    f.set_frag_offset(65528);
    f.set_reserved_bits(3);
    f.set_more_fragments(true);
    f.set_ident(0xdeadbeef);
    const ipv6::fragment::view r = f;
    EXPECT_EQ(r.next_header(), ip_proto::tcp);
    EXPECT_EQ(r.reserved(), 0x5a);
    EXPECT_EQ(r.frag_offset(), 65528u);
    EXPECT_EQ(r.frag_offset_units(), 8191);
    EXPECT_EQ(r.reserved_bits(), 3);
    EXPECT_TRUE(r.more_fragments());
    EXPECT_EQ(r.ident(), 0xdeadbeefu);
    // Setting one field leaves its neighbours alone.
    f.set_more_fragments(false);
    EXPECT_EQ(r.frag_offset(), 65528u);
    EXPECT_EQ(r.reserved_bits(), 3);
    f.set_frag_offset(8);
    EXPECT_EQ(r.reserved_bits(), 3);
    EXPECT_FALSE(r.more_fragments());
    f.set_reserved_bits(0);
    EXPECT_EQ(r.frag_offset(), 8u);
    f.set_frag_offset(0);
    EXPECT_TRUE(r.is_atomic());
}

TEST(Ipv6Ext, RoutingSetEveryFieldThenCompare) {
    std::array<std::byte, 40> buf{};
    auto h = ipv6::routing::mut_view::unchecked(buf);
    h.set_next_header(ip_proto::udp);
    h.set_header_len(40);
    h.set_routing_type(ipv6::routing::kind::segment_routing);
    h.set_segments_left(1);
    h.set_last_entry(1);
    h.set_flags(0x80);
    h.set_tag(0xbeef);
    h.set_address_at(0, ip6("2001:db8::1"));
    h.set_address_at(1, ip6("2001:db8::2"));
    const ipv6::routing::view r = h;
    EXPECT_EQ(r.next_header(), ip_proto::udp);
    EXPECT_EQ(r.header_len(), 40u);
    EXPECT_EQ(r.routing_type(), ipv6::routing::kind::segment_routing);
    EXPECT_EQ(r.segments_left(), 1);
    EXPECT_EQ(r.last_entry(), 1);
    EXPECT_EQ(r.flags(), 0x80);
    EXPECT_EQ(r.tag(), 0xbeef);
    EXPECT_EQ(r.address_at(0), ip6("2001:db8::1"));
    EXPECT_EQ(r.address_at(1), ip6("2001:db8::2"));
    EXPECT_TRUE(ipv6::routing::view::checked(buf));
    // The same bytes as a type 0 header: the SRH fields are its reserved word.
    h.set_routing_type(ipv6::routing::kind::source_route);
    h.set_reserved(0);
    EXPECT_EQ(r.last_entry(), 0);
    EXPECT_EQ(r.tag(), 0);
    EXPECT_EQ(r.address_count(), 2u);
}

TEST(Ipv6Ext, AhAndOptionsSetEveryFieldThenCompare) {
    std::array<std::byte, 24> buf{};
    auto a = ipv6::ah::mut_view::unchecked(buf);
    a.set_next_header(ip_proto::tcp);
    a.set_header_len(24);
    a.set_reserved(0x0102);
    a.set_spi(0x11223344);
    a.set_sequence(7);
    const ipv6::ah::view ar = a;
    EXPECT_EQ(ar.next_header(), ip_proto::tcp);
    EXPECT_EQ(ar.payload_len_words(), 4);
    EXPECT_EQ(ar.header_len(), 24u);
    EXPECT_EQ(ar.reserved(), 0x0102);
    EXPECT_EQ(ar.spi(), 0x11223344u);
    EXPECT_EQ(ar.sequence(), 7u);
    EXPECT_EQ(ar.icv().size(), 12u);

    auto o = ipv6::opts::mut_view::unchecked(buf);
    o.set_next_header(ip_proto::icmpv6);
    o.set_header_len(16);
    const ipv6::opts::view orr = o;
    EXPECT_EQ(orr.next_header(), ip_proto::icmpv6);
    EXPECT_EQ(orr.hdr_ext_len(), 1);
    EXPECT_EQ(orr.header_len(), 16u);
    EXPECT_EQ(o.options_bytes().size(), 14u); // mut_bytes on a mut_view
}

TEST(Ipv6Ext, FragmentReprRoundTrip) {
    for (const bytes pkt : {bytes{first_fragment}, bytes{last_fragment}}) {
        const auto f = ipv6::fragment::view::checked(after_fixed(pkt));
        ASSERT_TRUE(f);
        const auto r = ipv6::fragment::repr::parse(*f);
        ASSERT_TRUE(r);
        EXPECT_EQ(r->header_len(), 8u);
        std::array<std::byte, 8> out{};
        out.fill(std::byte{0xaa});
        r->emit(ipv6::fragment::mut_view::unchecked(out));
        EXPECT_TRUE(std::ranges::equal(out, after_fixed(pkt).first(8)));
        EXPECT_EQ(*ipv6::fragment::repr::parse(*ipv6::fragment::view::checked(out)), *r);
    }
    const auto r = ipv6::fragment::repr::parse(*ipv6::fragment::view::checked(after_fixed(last_fragment)));
    EXPECT_EQ(r->next_header, ip_proto::udp);
    EXPECT_EQ(r->frag_offset, 720u);
    EXPECT_FALSE(r->more_fragments);
    EXPECT_EQ(r->ident, 0x002c5323u);
}

TEST(Ipv6Ext, OptionsReprRoundTrip) {
    for (const bytes hdr :
         {after_fixed(ospf_chain).first(8), after_fixed(ospf_chain).subspan(8, 8), after_fixed(mobility).first(24)}) {
        const auto h = ipv6::opts::view::checked(hdr);
        ASSERT_TRUE(h);
        const auto r = ipv6::opts::repr::parse(*h);
        ASSERT_TRUE(r);
        EXPECT_EQ(r->header_len(), hdr.size());
        std::vector<std::byte> out(r->header_len(), std::byte{0xaa});
        r->emit(ipv6::opts::mut_view::unchecked(out));
        EXPECT_TRUE(std::ranges::equal(out, hdr));
        EXPECT_EQ(*ipv6::opts::repr::parse(*ipv6::opts::view::checked(out)), *r);
    }
}

TEST(Ipv6Ext, OptionsReprPadsWithPad1OrPadN) {
    // Router alert (4 bytes) + 2 = 6: PadN with no data fills 2.
    constexpr auto ra = R"(05 02 00 00)"_hex;
    ipv6::opts::repr r{ip_proto::icmpv6, {}};
    ASSERT_TRUE(r.options.set(ra));
    EXPECT_EQ(r.header_len(), 8u);
    std::array<std::byte, 8> out{};
    out.fill(std::byte{0xaa});
    r.emit(ipv6::opts::mut_view::unchecked(out));
    EXPECT_TRUE(std::ranges::equal(out, R"(3a 00 05 02 00 00 01 00)"_hex));
    // Five bytes + 2 = 7: Pad1 fills 1.
    constexpr auto five = R"(0b 03 01 02 03)"_hex;
    ASSERT_TRUE(r.options.set(five));
    out.fill(std::byte{0xaa});
    r.emit(ipv6::opts::mut_view::unchecked(out));
    EXPECT_TRUE(std::ranges::equal(out, R"(3a 00 0b 03 01 02 03 00)"_hex));
    EXPECT_TRUE(ipv6::opts::view::checked(out)->options().validate());
    // No options: PadN of 6.
    r.options.clear();
    out.fill(std::byte{0xaa});
    r.emit(ipv6::opts::mut_view::unchecked(out));
    EXPECT_TRUE(std::ranges::equal(out, R"(3a 00 01 04 00 00 00 00)"_hex));
    // Seven bytes + 2 = 9: the header grows to 16, PadN of 7.
    constexpr auto seven = R"(0b 05 01 02 03 04 05)"_hex;
    ASSERT_TRUE(r.options.set(seven));
    EXPECT_EQ(r.header_len(), 16u);
    std::array<std::byte, 16> big{};
    r.emit(ipv6::opts::mut_view::unchecked(big));
    EXPECT_TRUE(std::ranges::equal(big, R"(3a 01 0b 05 01 02 03 04 05 01 05 00 00 00 00 00)"_hex));
    EXPECT_TRUE(ipv6::opts::view::checked(big)->options().validate());
}

TEST(Ipv6Ext, OptionsReprHoldsUpTo256Bytes) {
    // The options are owned, inline, up to max_repr_options_len bytes: a
    // header with more is refused by parse() (the format allows 2046), and
    // header_len() can never pass the 2048 bytes the length octet says.
    static_assert(ipv6::opts::max_repr_options_len == 256);
    // A 272-byte header: 270 bytes of options, two PadN (255 and 15 bytes).
    std::vector<std::byte> hdr(272, std::byte{0});
    hdr[0] = std::byte{59};
    hdr[1] = std::byte{272 / 8 - 1};
    hdr[2] = std::byte{1};
    hdr[3] = std::byte{253};
    hdr[257] = std::byte{1};
    hdr[258] = std::byte{13};
    const auto v = ipv6::opts::view::checked(hdr);
    ASSERT_TRUE(v);
    ASSERT_TRUE(v->options().validate());
    EXPECT_ERROR(ipv6::opts::repr::parse(*v),
                 error::invalid(layer::ipv6_extension, errc::too_many, length_source::extension_length, 1, 256, 270));
    ipv6::opts::repr r;
    std::vector<std::byte> big(257);
    EXPECT_FALSE(r.options.set(big));
    ASSERT_TRUE(r.options.set(bytes{big}.first(256)));
    EXPECT_EQ(r.header_len(), 264u);
}

TEST(Ipv6Ext, ErrorMessagesArePrecise) {
    auto pkt = copy_of(ospf_chain);
    pkt[81] = std::byte{0};
    EXPECT_EQ(to_string(ipv6::view::checked(pkt)->upper_layer().error()),
              "ipv6 extension header: length too small at offset 81: extension length field is 8, at least 12 "
              "required");
}

} // namespace
