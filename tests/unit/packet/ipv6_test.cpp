// SPDX-License-Identifier: BSD-3-Clause
#include <rawpkt/packet/ipv6.hpp>

#include "support/hex.hpp"

#include <gtest/gtest.h>

#include <algorithm>
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

// pcapplusplus__ipv6_options.pcap frame 6, from the IPv6 header on:
// Internet Protocol Version 6, Src: 2a01:e35:8bd9:8bb0:a0a7:ea9c:74e8:d397, Dst: 2001:4b98:dc0:41:216:3eff:fece:1902
//     0110 .... = Version: 6
//     .... 0000 0000 .... .... .... .... .... = Traffic Class: 0x00 (DSCP: CS0, ECN: Not-ECT)
//     .... 0000 0000 0000 0000 0000 = Flow Label: 0x00000
//     Payload Length: 26
//     Next Header: Destination Options for IPv6 (60)
//     Hop Limit: 64
//     Destination Options for IPv6: Next Header: UDP (17), Length: 0 [8 bytes]
//         Unknown IPv6 Option (11), Length: 1, 09; PadN, Length: 1, 00
// User Datagram Protocol, Src Port: 42513, Dst Port: 42; Data (10 bytes)
constexpr auto dstopts_udp = R"(
    60 00 00 00 00 1a 3c 40 2a 01 0e 35 8b d9 8b b0
    a0 a7 ea 9c 74 e8 d3 97 20 01 4b 98 0d c0 00 41
    02 16 3e ff fe ce 19 02 11 00 0b 01 09 01 01 00
    a6 11 00 2a 00 12 68 89 61 62 63 64 65 66 67 68
    69 6a)"_hex;

// tcpdump__ip6_frag_asan.pcap frame 1 (a fuzzer find), from the IPv6 header on:
// Internet Protocol Version 6, Src: 452:22:19:0:41a:e4ff:10ff:484d, Dst: 2243:80:1400:100:19:ffff:ffff:fffb
//     .... 0101 0001 .... .... .... .... .... = Traffic Class: 0x51 (DSCP: AF22, ECN: ECT(1))
//     .... 1011 0010 0001 0000 0000 = Flow Label: 0xb2100
//     Payload Length: 27136
//     Next Header: Fragment Header for IPv6 (44)
//     Hop Limit: 16
// [Packet size limited during capture: IPv6 Fragment truncated] (6 of 8 bytes)
constexpr auto frag_asan = R"(
    65 1b 21 00 6a 00 2c 10 04 52 00 22 00 19 00 00
    04 1a e4 ff 10 ff 48 4d 22 43 00 80 14 00 01 00
    00 19 ff ff ff ff ff fb 0b ff 00 00 01 00)"_hex;

// tcpdump__ipv6-next-header-oobr-1.pcap frame 1 (LINKTYPE_IPV6, a fuzzer find):
// Internet Protocol Version 6, Src: 3030:3030:..., Dst: 3030:3030:...
//     Traffic Class: 0x33, Flow Label: 0x03030, Payload Length: 12336
//     Next Header: IPv6 Hop-by-Hop Option (0), Hop Limit: 48
//     IPv6 Hop-by-Hop Option: Next Header: Routing Header for IPv6 (43), Length: 0 [8 bytes]
//         Path MTU Option (0x30), Length: 48 [Invalid Length]
// [Packet size limited during capture: IPv6 Hop-by-Hop truncated]
constexpr auto oobr = R"(
    63 30 30 30 30 30 00 30 30 30 30 30 30 30 30 30
    30 30 30 30 30 30 30 30 30 30 30 30 30 30 30 30
    30 30 30 30 30 30 30 30 2b 00 30 30 30 30 30 30)"_hex;

// tcpdump__ipv6_invalid_length.pcap frame 1, from the IPv6 header on:
// Internet Protocol Version 6 [IPv6 header must be exactly 40 bytes] (39 captured)
//     Flow Label: 0x9d8d8, Payload Length: 64, Next Header: UDP (17), Hop Limit: 64
//     Source Address: 2605:bc80:3010:104::8cd3:9ce
constexpr auto short_header = R"(
    60 09 d8 d8 00 40 11 40 26 05 bc 80 30 10 01 04
    00 00 00 00 8c d3 09 ce 26 00 3c 00 e0 00 00 19
    00 00 00 00 00 00 00)"_hex;

// tcpdump__LINKTYPE_IPV6_invalid.pcap frame 1 (LINKTYPE_IPV6 carrying IPv4):
// Internet Protocol Version 6
//     0100 .... = Version: 4 [Bogus IPv6 version]
constexpr auto not_ipv6 = R"(
    45 00 00 39 00 01 00 00 40 11 a6 95 c0 a8 01 64
    09 09 09 09 30 39 00 35 00 25 19 76 12 34 01 00
    00 01 00 00 00 00 00 00 07 65 78 61 6d 70 6c 65
    03 63 6f 6d 00 00 01 00 01)"_hex;

// tcpdump__ipv6_jumbogram_1.pcap frame 1, the first 96 of its 65576 IPv6
// bytes (the rest is 65480 bytes of echo data):
// Internet Protocol Version 6, Src: 2200::244:212:3fff:feae:22f7, Dst: 2200::240:2:0:0:4
//     Payload Length: 0 (Jumbogram)
//     Next Header: IPv6 Hop-by-Hop Option (0)
//     Hop Limit: 227
//     IPv6 Hop-by-Hop Option: Next Header: ICMPv6 (58), Length: 0 [8 bytes]
//         Jumbo Payload (0xc2), Length: 4, Payload Length: 65536
// Internet Control Message Protocol v6: Echo (ping) request, Checksum: 0xe3b0 [correct]
//     Identifier: 0x11e0, Sequence: 51486, Data (65520 bytes)
constexpr auto jumbo_head = R"(
    60 00 00 00 00 00 00 e3 22 00 00 00 00 00 02 44
    02 12 3f ff fe ae 22 f7 22 00 00 00 00 00 02 40
    00 02 00 00 00 00 00 04 3a 00 c2 04 00 01 00 00
    80 00 e3 b0 11 e0 c9 1e f4 b5 e3 5e ff 52 cb 42
    74 7e b6 5f 9e 5f be 3c 59 1a 53 59 71 da 4a 64
    26 c2 8a 0f a9 eb a6 44 9b 3e 9c 12 40 46 86 69)"_hex;
constexpr std::size_t jumbo_len = 65576; // IPv6 bytes of the captured frame

/// The jumbogram at its captured length: the real first 96 bytes, then
/// zeros where the echo data was.
std::vector<std::byte> jumbogram(std::size_t len = jumbo_len) {
    std::vector<std::byte> p(len);
    std::copy_n(jumbo_head.begin(), std::min(len, jumbo_head.size()), p.begin());
    return p;
}

// Accessors are usable in constant expressions.
static_assert(ipv6::view::checked(dstopts_udp).has_value());
static_assert(ipv6::view::checked(dstopts_udp)->version() == 6);
static_assert(ipv6::view::checked(dstopts_udp)->next_header() == ip_proto::ipv6_opts);
static_assert(ipv6::view::checked(dstopts_udp)->payload().size() == 26);
static_assert(ipv6::view::checked(dstopts_udp)->dst() == ip6("2001:4b98:dc0:41:216:3eff:fece:1902"));
static_assert(ipv6::view::checked(dstopts_udp)->upper_layer()->protocol == ip_proto::udp);
static_assert(ipv6::view::checked_header(frag_asan)->flow_label() == 0xb2100);
static_assert(ipv6::view::checked(bytes{dstopts_udp}.first(39)).error().code == errc::truncated);
static_assert(ipv6::view::checked(not_ipv6).error().code == errc::bad_version);
static_assert(ipv6::view::checked_header(jumbo_head)->is_jumbogram());
static_assert(ipv6::view::checked_header(jumbo_head)->jumbo_payload_len() == 65536);

TEST(Ipv6, ReadsEveryField) {
    const auto v = ipv6::view::checked(dstopts_udp);
    ASSERT_TRUE(v);
    EXPECT_EQ(v->version(), 6);
    EXPECT_EQ(v->traffic_class(), 0);
    EXPECT_EQ(v->dscp(), 0);
    EXPECT_EQ(v->ecn(), 0);
    EXPECT_EQ(v->flow_label(), 0u);
    EXPECT_EQ(v->payload_len(), 26);
    EXPECT_EQ(v->next_header(), ip_proto::ipv6_opts);
    EXPECT_EQ(v->hop_limit(), 64);
    EXPECT_EQ(v->src(), ip6("2a01:e35:8bd9:8bb0:a0a7:ea9c:74e8:d397"));
    EXPECT_EQ(v->dst(), ip6("2001:4b98:dc0:41:216:3eff:fece:1902"));
    EXPECT_EQ(v->src().to_string(), "2a01:e35:8bd9:8bb0:a0a7:ea9c:74e8:d397");
    EXPECT_EQ(v->header_len(), 40u);
    EXPECT_EQ(v->header().size(), 40u);
    EXPECT_FALSE(v->is_jumbogram());
    EXPECT_EQ(v->jumbo_payload_len(), 0u);
    EXPECT_TRUE(v->is_complete());
    EXPECT_EQ(v->datagram_len(), 66u);
    EXPECT_EQ(v->payload().size(), 26u);
    EXPECT_EQ(v->payload().data(), dstopts_udp.data() + 40);
    const auto u = v->upper_layer();
    ASSERT_TRUE(u);
    EXPECT_EQ(u->protocol, ip_proto::udp);
    EXPECT_EQ(u->offset, 48u);
    EXPECT_EQ(u->data.size(), 18u);
    EXPECT_EQ(u->data.data(), dstopts_udp.data() + 48);
    EXPECT_FALSE(u->fragmented);
    EXPECT_FALSE(u->later_fragment);
}

TEST(Ipv6, ReadsTrafficClassAndFlowLabel) {
    const auto v = ipv6::view::checked_header(frag_asan);
    ASSERT_TRUE(v);
    EXPECT_EQ(v->traffic_class(), 0x51);
    EXPECT_EQ(v->dscp(), 20); // AF22
    EXPECT_EQ(v->ecn(), 1);   // ECT(1)
    EXPECT_EQ(v->flow_label(), 0xb2100u);
    EXPECT_EQ(v->payload_len(), 27136);
    EXPECT_EQ(v->next_header(), ip_proto::ipv6_frag);
    EXPECT_EQ(v->hop_limit(), 16);
    EXPECT_EQ(v->src(), ip6("452:22:19:0:41a:e4ff:10ff:484d"));
    EXPECT_EQ(v->dst(), ip6("2243:80:1400:100:19:ffff:ffff:fffb"));
}

TEST(Ipv6, EveryTruncationIsRejectedWithTheExactError) {
    for (std::size_t n = 0; n < dstopts_udp.size(); ++n) {
        const bytes cut = bytes{dstopts_udp}.first(n);
        const auto v = ipv6::view::checked(cut);
        ASSERT_FALSE(v) << n;
        if (n < 40) {
            EXPECT_EQ(v.error(), error::truncated(layer::ipv6, length_source::fixed_header, 0, 40, n));
            EXPECT_EQ(ipv6::view::checked_header(cut).error(), v.error());
        } else {
            EXPECT_EQ(v.error(), error::truncated(layer::ipv6, length_source::payload_length, 0, 66, n));
            // The fixed header alone is intact: the payload is what was captured.
            const auto h = ipv6::view::checked_header(cut);
            ASSERT_TRUE(h);
            EXPECT_FALSE(h->is_complete());
            EXPECT_EQ(h->datagram_len(), n);
            EXPECT_EQ(h->payload().size(), n - 40);
        }
    }
}

TEST(Ipv6, RejectsBadVersion) {
    // An IPv4 packet on a LINKTYPE_IPV6 capture.
    EXPECT_ERROR(ipv6::view::checked(not_ipv6),
                 error::invalid(layer::ipv6, errc::bad_version, length_source::none, 0, 6, 4));
    EXPECT_ERROR(ipv6::view::checked_header(not_ipv6),
                 error::invalid(layer::ipv6, errc::bad_version, length_source::none, 0, 6, 4));
}

TEST(Ipv6, RejectsAHeaderShorterThanForty) {
    EXPECT_ERROR(ipv6::view::checked(short_header),
                 error::truncated(layer::ipv6, length_source::fixed_header, 0, 40, 39));
    EXPECT_ERROR(ipv6::view::checked_header(short_header),
                 error::truncated(layer::ipv6, length_source::fixed_header, 0, 40, 39));
}

TEST(Ipv6, TruncatedFragmentHeaderFromAFuzzer) {
    EXPECT_ERROR(ipv6::view::checked(frag_asan),
                 error::truncated(layer::ipv6, length_source::payload_length, 0, 40 + 27136, 46));
    const auto v = ipv6::view::checked_header(frag_asan);
    ASSERT_TRUE(v);
    EXPECT_EQ(v->payload().size(), 6u);
    // The fragment header is 8 bytes; 6 were captured.
    const auto expected = error::truncated(layer::ipv6_extension, length_source::fixed_header, 40, 8, 6);
    EXPECT_ERROR(v->upper_layer(), expected);
    EXPECT_EQ(v->extensions().validate().error(), expected);
}

TEST(Ipv6, TruncatedHopByHopChainFromAFuzzer) {
    EXPECT_ERROR(ipv6::view::checked(oobr),
                 error::truncated(layer::ipv6, length_source::payload_length, 0, 40 + 12336, 48));
    const auto v = ipv6::view::checked_header(oobr);
    ASSERT_TRUE(v);
    EXPECT_EQ(v->traffic_class(), 0x33);
    EXPECT_EQ(v->flow_label(), 0x03030u);
    EXPECT_FALSE(v->is_jumbogram()); // payload length is not 0
    // The hop-by-hop header is whole; the routing header it names is missing.
    std::vector<result<ipv6::ext_header>> chain;
    for (const auto& h : v->extensions()) chain.push_back(h);
    ASSERT_EQ(chain.size(), 2u);
    ASSERT_TRUE(chain[0]);
    EXPECT_EQ(chain[0]->kind, ip_proto::hopopt);
    EXPECT_EQ(chain[0]->next_header, ip_proto::ipv6_route);
    EXPECT_EQ(chain[0]->offset, 40u);
    EXPECT_EQ(chain[0]->header_len, 8u);
    const auto missing = error::truncated(layer::ipv6_extension, length_source::fixed_header, 48, 8, 0);
    EXPECT_EQ(chain[1].error(), missing);
    EXPECT_ERROR(v->upper_layer(), missing);
    // Its one option (path MTU, length 48) runs past the header.
    const auto hbh = ipv6::opts::view::checked(chain[0]->header);
    ASSERT_TRUE(hbh);
    EXPECT_EQ(hbh->options().validate().error(),
              error::truncated(layer::ipv6_option, length_source::option_length, 2, 50, 6));
}

TEST(Ipv6, JumbogramPayloadComesFromTheJumboOption) {
    const auto pkt = jumbogram();
    const auto v = ipv6::view::checked(pkt);
    ASSERT_TRUE(v);
    EXPECT_EQ(v->payload_len(), 0);
    EXPECT_TRUE(v->is_jumbogram());
    EXPECT_EQ(v->jumbo_payload_len(), 65536u);
    EXPECT_TRUE(v->is_complete());
    EXPECT_EQ(v->datagram_len(), jumbo_len);
    EXPECT_EQ(v->payload().size(), 65536u);
    const auto u = v->upper_layer();
    ASSERT_TRUE(u);
    EXPECT_EQ(u->protocol, ip_proto::icmpv6);
    EXPECT_EQ(u->offset, 48u);
    EXPECT_EQ(u->data.size(), 65528u);
}

TEST(Ipv6, JumbogramStopsAtTheJumboLength) {
    auto pkt = jumbogram(jumbo_len + 4); // e.g. a link-layer trailer
    const auto v = ipv6::view::checked(pkt);
    ASSERT_TRUE(v);
    EXPECT_EQ(v->datagram_len(), jumbo_len);
    EXPECT_EQ(v->payload().size(), 65536u);
}

TEST(Ipv6, CutJumbogramExtendsToTheEndOfTheBuffer) {
    for (const std::size_t n : {std::size_t{48}, std::size_t{96}, std::size_t{1500}, jumbo_len - 1}) {
        const auto pkt = jumbogram(n);
        EXPECT_ERROR(ipv6::view::checked(pkt),
                     error::truncated(layer::ipv6, length_source::payload_length, 0, jumbo_len, n));
        const auto v = ipv6::view::checked_header(pkt);
        ASSERT_TRUE(v);
        EXPECT_TRUE(v->is_jumbogram());
        EXPECT_FALSE(v->is_complete());
        EXPECT_EQ(v->payload().size(), n - 40);
    }
    // Without the whole hop-by-hop header there is no jumbo option to see:
    // a zero payload length then means an empty payload.
    const auto pkt = jumbogram(47);
    const auto v = ipv6::view::checked(pkt);
    ASSERT_TRUE(v);
    EXPECT_FALSE(v->is_jumbogram());
    EXPECT_EQ(v->payload().size(), 0u);
}

TEST(Ipv6, RejectsAJumboLengthBelow65536) {
    // RFC 2675: a Jumbo Payload Length of 65535 or less is an error.
    auto pkt = jumbogram();
    pkt[44] = pkt[45] = std::byte{0};
    pkt[46] = std::byte{0xff};
    pkt[47] = std::byte{0xff};
    EXPECT_ERROR(ipv6::view::checked(pkt), error::invalid(layer::ipv6_option, errc::length_too_small,
                                                          length_source::payload_length, 44, 65536, 65535));
    // checked_header() does not look at it; the payload is still bounded.
    const auto v = ipv6::view::checked_header(pkt);
    ASSERT_TRUE(v);
    EXPECT_EQ(v->jumbo_payload_len(), 65535u);
    EXPECT_EQ(v->payload().size(), 65535u);
}

TEST(Ipv6, JumboOptionBehindAMalformedOptionIsNotSeen) {
    // A PadN whose length runs past the header hides the jumbo option.
    auto pkt = jumbogram();
    pkt[42] = std::byte{0x01};
    pkt[43] = std::byte{0x07};
    const auto v = ipv6::view::checked(pkt);
    ASSERT_TRUE(v);
    EXPECT_FALSE(v->is_jumbogram());
    EXPECT_EQ(v->payload().size(), 0u);
}

TEST(Ipv6, JumboOptionWithANonZeroPayloadLengthIsIgnored) {
    auto pkt = jumbogram(40 + 16);
    pkt[5] = std::byte{16};
    const auto v = ipv6::view::checked(pkt);
    ASSERT_TRUE(v);
    EXPECT_FALSE(v->is_jumbogram());
    EXPECT_EQ(v->payload().size(), 16u);
}

TEST(Ipv6, ZeroPayloadLengthWithoutJumboIsAnEmptyPayload) {
    auto pkt = copy_of(dstopts_udp);
    pkt[4] = pkt[5] = std::byte{0};
    const auto v = ipv6::view::checked(pkt);
    ASSERT_TRUE(v);
    EXPECT_FALSE(v->is_jumbogram());
    EXPECT_TRUE(v->is_complete());
    EXPECT_EQ(v->datagram_len(), 40u);
    EXPECT_TRUE(v->payload().empty());
    // The destination options header it names is then missing.
    EXPECT_ERROR(v->upper_layer(), error::truncated(layer::ipv6_extension, length_source::fixed_header, 40, 8, 0));
    // With No Next Header, that is a well-formed empty packet.
    pkt[6] = std::byte{59};
    const auto empty = ipv6::view::checked(pkt);
    ASSERT_TRUE(empty);
    const auto u = empty->upper_layer();
    ASSERT_TRUE(u);
    EXPECT_EQ(u->protocol, ip_proto::ipv6_nonxt);
    EXPECT_EQ(u->offset, 40u);
    EXPECT_TRUE(u->data.empty());
}

TEST(Ipv6, PayloadStopsAtThePayloadLength) {
    std::vector<std::byte> pkt(dstopts_udp.begin(), dstopts_udp.end());
    pkt.resize(pkt.size() + 6); // Ethernet padding
    const auto v = ipv6::view::checked(pkt);
    ASSERT_TRUE(v);
    EXPECT_EQ(v->payload().size(), 26u);
    EXPECT_EQ(v->buffer().size(), 72u);
}

TEST(Ipv6, SetEveryFieldThenCompare) {
    std::array<std::byte, 48> buf{};
    auto v = ipv6::mut_view::unchecked(buf);
    v.set_version(6);
    v.set_traffic_class(0xb9);
    v.set_flow_label(0xabcde);
    v.set_payload_len(8);
    v.set_next_header(ip_proto::udp);
    v.set_hop_limit(255);
    v.set_src(ip6("2001:db8::1"));
    v.set_dst(ip6("ff02::1:ff00:2"));
    const ipv6::view r = v;
    EXPECT_EQ(r.version(), 6);
    EXPECT_EQ(r.traffic_class(), 0xb9);
    EXPECT_EQ(r.dscp(), 0x2e);
    EXPECT_EQ(r.ecn(), 1);
    EXPECT_EQ(r.flow_label(), 0xabcdeu);
    EXPECT_EQ(r.payload_len(), 8);
    EXPECT_EQ(r.next_header(), ip_proto::udp);
    EXPECT_EQ(r.hop_limit(), 255);
    EXPECT_EQ(r.src(), ip6("2001:db8::1"));
    EXPECT_EQ(r.dst(), ip6("ff02::1:ff00:2"));
    EXPECT_TRUE(ipv6::view::checked(buf));
    EXPECT_EQ(v.payload().size(), 8u);
    // Setting one field leaves its neighbours alone.
    v.set_dscp(0x0a);
    EXPECT_EQ(r.version(), 6);
    EXPECT_EQ(r.ecn(), 1);
    EXPECT_EQ(r.flow_label(), 0xabcdeu);
    v.set_ecn(3);
    EXPECT_EQ(r.dscp(), 0x0a);
    EXPECT_EQ(r.traffic_class(), 0x2b);
    v.set_flow_label(0xfffff);
    EXPECT_EQ(r.traffic_class(), 0x2b);
    v.set_flow_label(0x123456); // only 20 bits are kept
    EXPECT_EQ(r.flow_label(), 0x23456u);
    EXPECT_EQ(r.traffic_class(), 0x2b);
    v.set_version(4);
    EXPECT_EQ(r.traffic_class(), 0x2b);
    EXPECT_ERROR(ipv6::view::checked(buf),
                 error::invalid(layer::ipv6, errc::bad_version, length_source::none, 0, 6, 4));
}

TEST(Ipv6, ReprRoundTripReproducesTheHeaderBytes) {
    const auto jumbo = jumbogram();
    for (const bytes pkt : {bytes{dstopts_udp}, bytes{jumbo}}) {
        const auto v = ipv6::view::checked(pkt);
        ASSERT_TRUE(v);
        const auto r = ipv6::repr::parse(*v);
        ASSERT_TRUE(r);
        EXPECT_EQ(r->header_len(), 40u);
        EXPECT_EQ(r->buffer_len(), v->datagram_len());
        std::array<std::byte, 40> out{};
        r->emit(ipv6::mut_view::unchecked(out));
        EXPECT_TRUE(std::equal(out.begin(), out.end(), pkt.begin()));
        // ...and the emitted header parses back to the same repr.
        std::vector<std::byte> full(pkt.begin(), pkt.end());
        std::copy(out.begin(), out.end(), full.begin());
        const auto again = ipv6::repr::parse(*ipv6::view::checked(full));
        ASSERT_TRUE(again);
        EXPECT_EQ(*again, *r);
    }
}

TEST(Ipv6, ReprReadsEveryField) {
    const auto r = ipv6::repr::parse(*ipv6::view::checked_header(frag_asan));
    ASSERT_TRUE(r);
    EXPECT_EQ(r->src, ip6("452:22:19:0:41a:e4ff:10ff:484d"));
    EXPECT_EQ(r->dst, ip6("2243:80:1400:100:19:ffff:ffff:fffb"));
    EXPECT_EQ(r->next_header, ip_proto::ipv6_frag);
    EXPECT_EQ(r->hop_limit, 16);
    EXPECT_EQ(r->traffic_class, 0x51);
    EXPECT_EQ(r->flow_label, 0xb2100u);
    EXPECT_EQ(r->payload_len, 27136u);
}

TEST(Ipv6, ReprEmitsAJumbogramWithAZeroPayloadLength) {
    ipv6::repr r;
    r.src = ip6("2001:db8::1");
    r.dst = ip6("2001:db8::2");
    r.next_header = ip_proto::hopopt;
    r.payload_len = 70000;
    EXPECT_TRUE(r.is_jumbogram());
    EXPECT_EQ(r.buffer_len(), 70040u);
    std::array<std::byte, 40> out{};
    out.fill(std::byte{0xaa});
    r.emit(ipv6::mut_view::unchecked(out));
    const auto v = ipv6::view::unchecked(out);
    EXPECT_EQ(v.payload_len(), 0);
    EXPECT_EQ(v.version(), 6);
    EXPECT_EQ(v.traffic_class(), 0);
    EXPECT_EQ(v.flow_label(), 0u);
    EXPECT_EQ(v.hop_limit(), 64);
    r.payload_len = 65535;
    EXPECT_FALSE(r.is_jumbogram());
    r.emit(ipv6::mut_view::unchecked(out));
    EXPECT_EQ(v.payload_len(), 65535);
}

TEST(Ipv6, ErrorMessagesArePrecise) {
    EXPECT_EQ(to_string(ipv6::view::checked(frag_asan).error()),
              "ipv6: truncated at offset 0: payload length field needs 27176 bytes, 46 available");
    EXPECT_EQ(to_string(ipv6::view::checked_header(frag_asan)->upper_layer().error()),
              "ipv6 extension header: truncated at offset 40: fixed header needs 8 bytes, 6 available");
}

} // namespace
