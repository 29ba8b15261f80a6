// SPDX-License-Identifier: BSD-3-Clause
#include <rawpkt/packet/sll.hpp>

#include "support/hex.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <vector>

using namespace rawpkt;
using namespace rawpkt::test;

namespace {

// pcapplusplus__SllPacket.pcap frame 1, the first 24 of 128 bytes:
// Linux cooked capture v1
//     Packet type: Unicast to us (0)
//     Link-layer address type: Ethernet (1)
//     Link-layer address length: 6
//     Source: Cisco_1e:74:00 (00:12:44:1e:74:00)
//     Unused: f67f
//     Protocol: IPv6 (0x86dd)
// Internet Protocol Version 6, Src: 2404:6800:8004::68, Dst: 2404:138:4002:4000:230:48ff:fedd:53
constexpr auto ethernet_v6 = R"(
    00 00 00 01 00 06 00 12 44 1e 74 00 f6 7f 86 dd
    60 00 00 00 04 d8 06 37)"_hex;

// tcpdump__tcp-handshake-nano.pcap frame 1, the first 24 of 76 bytes:
// Linux cooked capture v1
//     Packet type: Sent by us (4)
//     Link-layer address type: PPP (512)
//     Link-layer address length: 0
//     Unused: 0000000000000000
//     Protocol: IPv4 (0x0800)
// Internet Protocol Version 4, Src: 131.155.215.69, Dst: 137.116.81.94
constexpr auto ppp_v4 = R"(
    00 04 02 00 00 00 00 00 00 00 00 00 00 00 08 00
    45 00 00 3c 29 a9 40 00)"_hex;

// pcapplusplus__sll.pcap frame 2, the first 24 of 78 bytes:
// Linux cooked capture v1
//     Packet type: Unicast to us (0)
//     Link-layer address type: Loopback (772)
//     Link-layer address length: 6
//     Source: 00:00:00_00:00:00 (00:00:00:00:00:00)
//     Unused: 0000
//     Protocol: IPv4 (0x0800)
// Internet Protocol Version 4, Src: 127.0.0.1, Dst: 127.0.0.1
constexpr auto loopback_v4 = R"(
    00 00 03 04 00 06 00 00 00 00 00 00 00 00 08 00
    45 00 00 3e d4 e5 40 00)"_hex;

// Crafted (no such frame in the corpus): an IPoIB broadcast with its
// 20-byte address cut to 8. tshark 4.0 on it:
// Linux cooked capture v1
//     Packet type: Broadcast (1)
//     Link-layer address type: InfiniBand (32)
//     Link-layer address length: 20
//     Source: 80000404fe800000
//     Protocol: IPv4 (0x0800)
constexpr auto infiniband = R"(
    00 01 00 20 00 14 80 00 04 04 fe 80 00 00 08 00
    45 00 00)"_hex;

// Crafted: an 802.2 LLC frame seen on a promiscuous Ethernet device.
// Linux cooked capture v1
//     Packet type: Unicast to another host (3)
//     Link-layer address type: Ethernet (1)
//     Link-layer address length: 6
//     Source: IntelCor_aa:bb:cc (00:1b:21:aa:bb:cc)
//     Unused: 0000
//     Protocol: 802.2 LLC (0x0004)
// Logical-Link Control
constexpr auto llc_frame = R"(
    00 03 00 01 00 06 00 1b 21 aa bb cc 00 00 00 04
    42 42 03)"_hex;

// Crafted: a Netlink message (the protocol field is the Netlink family).
// Linux netlink (cooked header)
//     Link-layer address type: Netlink (824)
//     Family: Route (0x0000)
// Linux rtnetlink (route netlink) protocol
constexpr auto netlink = R"(
    00 04 03 38 00 00 00 00 00 00 00 00 00 00 00 00
    14 00 00 00 10 00 01 00)"_hex;

// Accessors are usable in constant expressions.
static_assert(sll::view::checked(ethernet_v6).has_value());
static_assert(sll::view::checked(ethernet_v6)->ethertype() == ethertype::ipv6);
static_assert(sll::view::checked(ethernet_v6)->address().size() == 6);
static_assert(sll::view::checked(infiniband)->address().size() == 8);
static_assert(sll::view::checked(ppp_v4)->packet_type() == sll::packet_type::outgoing);
static_assert(!sll::view::checked(llc_frame)->is_ethertype());
static_assert(sll::view::checked(bytes{ppp_v4}.first(15)).error().code == errc::truncated);

TEST(Sll, ReadsEveryField) {
    const auto v = sll::view::checked(ethernet_v6);
    ASSERT_TRUE(v);
    EXPECT_EQ(v->packet_type(), sll::packet_type::host);
    EXPECT_EQ(v->arphrd_type(), sll::arphrd::ether);
    EXPECT_EQ(v->address_len(), 6);
    ASSERT_EQ(v->address().size(), 6u);
    EXPECT_EQ(v->address().data(), ethernet_v6.data() + 6);
    EXPECT_EQ(mac_address::load(v->address(), 0).to_string(), "00:12:44:1e:74:00");
    EXPECT_EQ(v->address_field().size(), 8u);
    EXPECT_EQ(v->address_field()[6], std::byte{0xf6}); // stale padding, as captured
    EXPECT_EQ(v->protocol(), 0x86dd);
    EXPECT_TRUE(v->is_ethertype());
    EXPECT_EQ(v->ethertype(), ethertype::ipv6);
    EXPECT_EQ(v->header_len(), 16u);
    EXPECT_EQ(v->header().size(), 16u);
    EXPECT_EQ(v->payload().size(), 8u);
    EXPECT_EQ(v->payload().data(), ethernet_v6.data() + 16);
}

TEST(Sll, LinkTypesWithoutAddress) {
    const auto p = sll::view::checked(ppp_v4);
    ASSERT_TRUE(p);
    EXPECT_EQ(p->packet_type(), sll::packet_type::outgoing);
    EXPECT_EQ(p->arphrd_type(), sll::arphrd::ppp);
    EXPECT_EQ(p->address_len(), 0);
    EXPECT_TRUE(p->address().empty());
    EXPECT_EQ(p->ethertype(), ethertype::ipv4);
    const auto l = sll::view::checked(loopback_v4);
    ASSERT_TRUE(l);
    EXPECT_EQ(l->arphrd_type(), sll::arphrd::loopback);
    EXPECT_EQ(l->address().size(), 6u);
    EXPECT_EQ(l->ethertype(), ethertype::ipv4);
}

TEST(Sll, AddressLongerThanTheFieldIsCut) {
    const auto v = sll::view::checked(infiniband);
    ASSERT_TRUE(v);
    EXPECT_EQ(v->packet_type(), sll::packet_type::broadcast);
    EXPECT_EQ(v->arphrd_type(), sll::arphrd::infiniband);
    EXPECT_EQ(v->address_len(), 20);
    ASSERT_EQ(v->address().size(), 8u);
    EXPECT_EQ(v->address()[0], std::byte{0x80});
    EXPECT_EQ(v->address()[7], std::byte{0x00});
    EXPECT_TRUE(v->is_ethertype());
}

TEST(Sll, ProtocolsThatAreNotEtherTypes) {
    const auto l = sll::view::checked(llc_frame);
    ASSERT_TRUE(l);
    EXPECT_EQ(l->protocol(), sll::linux_protocol::ieee802_2);
    EXPECT_FALSE(l->is_ethertype());
    EXPECT_EQ(l->payload()[0], std::byte{0x42});
    const auto n = sll::view::checked(netlink);
    ASSERT_TRUE(n);
    EXPECT_EQ(n->arphrd_type(), sll::arphrd::netlink);
    EXPECT_FALSE(n->is_ethertype());
    // The rules themselves.
    EXPECT_TRUE(sll::protocol_is_ethertype(sll::arphrd::ether, 0x0800));
    EXPECT_TRUE(sll::protocol_is_ethertype(sll::arphrd::ipgre, 0x6558)); // a GRE protocol type
    EXPECT_FALSE(sll::protocol_is_ethertype(sll::arphrd::ether, sll::linux_protocol::ieee802_3));
    EXPECT_FALSE(sll::protocol_is_ethertype(sll::arphrd::can, sll::linux_protocol::can));
    EXPECT_FALSE(sll::protocol_is_ethertype(sll::arphrd::netlink, 0x0800));
    EXPECT_FALSE(sll::protocol_is_ethertype(sll::arphrd::ieee80211_radiotap, 0x0800));
    EXPECT_FALSE(sll::protocol_is_ethertype(sll::arphrd::frad, 0x0800));
}

TEST(Sll, EveryTruncationIsRejectedWithTheExactError) {
    for (std::size_t n = 0; n <= ethernet_v6.size(); ++n) {
        const auto v = sll::view::checked(bytes{ethernet_v6}.first(n));
        if (n < 16) {
            EXPECT_ERROR(v, error::truncated(layer::sll, length_source::fixed_header, 0, 16, n));
        } else {
            ASSERT_TRUE(v) << n;
            EXPECT_EQ(v->payload().size(), n - 16);
        }
    }
}

TEST(Sll, SetEveryFieldThenCompare) {
    std::array<std::byte, 16> buf{};
    buf.fill(std::byte{0xee});
    auto v = sll::mut_view::unchecked(buf);
    v.set_packet_type(sll::packet_type::multicast);
    v.set_arphrd_type(sll::arphrd::ieee80211);
    const auto addr = make_bytes(0x02, 0x11, 0x22, 0x33, 0x44, 0x55);
    v.set_address(addr);
    v.set_ethertype(ethertype::arp);
    const sll::view r = v;
    EXPECT_EQ(r.packet_type(), sll::packet_type::multicast);
    EXPECT_EQ(r.arphrd_type(), sll::arphrd::ieee80211);
    EXPECT_EQ(r.address_len(), 6);
    EXPECT_TRUE(std::equal(r.address().begin(), r.address().end(), addr.begin(), addr.end()));
    EXPECT_EQ(r.address_field()[6], std::byte{0}); // padded with zeros
    EXPECT_EQ(r.address_field()[7], std::byte{0});
    EXPECT_EQ(r.protocol(), 0x0806);
    v.set_protocol(sll::linux_protocol::can);
    EXPECT_EQ(r.protocol(), 0x000c);
    v.set_address_len(0);
    EXPECT_TRUE(r.address().empty());
    EXPECT_EQ(r.arphrd_type(), sll::arphrd::ieee80211);
    // An address longer than 8 bytes keeps its length, not its tail.
    std::array<std::byte, 20> gid{};
    gid[0] = std::byte{0x80};
    v.set_address(gid);
    EXPECT_EQ(r.address_len(), 20);
    EXPECT_EQ(r.address().size(), 8u);
    EXPECT_EQ(r.protocol(), 0x000c);
}

TEST(Sll, ReprRoundTripReproducesTheHeaderBytes) {
    for (const bytes pkt :
         {bytes{ethernet_v6}, bytes{ppp_v4}, bytes{loopback_v4}, bytes{infiniband}, bytes{llc_frame}, bytes{netlink}}) {
        const auto v = sll::view::checked(pkt);
        ASSERT_TRUE(v);
        const auto r = sll::repr::parse(*v);
        ASSERT_TRUE(r);
        EXPECT_EQ(r->header_len(), 16u);
        std::array<std::byte, 16> out{};
        r->emit(sll::mut_view::unchecked(out));
        EXPECT_TRUE(std::equal(out.begin(), out.end(), pkt.begin())); // stale padding included
        EXPECT_EQ(*sll::repr::parse(*sll::view::checked(out)), *r);
    }
    sll::repr r;
    r.packet_type = sll::packet_type::host;
    const auto addr = make_bytes(0x00, 0x12, 0x44, 0x1e, 0x74, 0x00);
    r.set_address(addr);
    r.protocol = 0x86dd;
    std::array<std::byte, 16> out{};
    r.emit(sll::mut_view::unchecked(out));
    const auto v = sll::view::checked(out);
    EXPECT_EQ(v->address_len(), 6);
    EXPECT_TRUE(std::equal(out.begin(), out.begin() + 12, ethernet_v6.begin()));
    EXPECT_EQ(out[12], std::byte{0}); // a built header pads with zeros
    EXPECT_EQ(v->ethertype(), ethertype::ipv6);
}

} // namespace
