// SPDX-License-Identifier: BSD-3-Clause
#include <rawpkt/packet/sll2.hpp>

#include "support/hex.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <vector>

using namespace rawpkt;
using namespace rawpkt::test;

namespace {

// pcapplusplus__Sll2Packet.pcap frame 1, the first 28 of 60 bytes:
// Linux cooked capture v2
//     Protocol: IPv4 (0x0800)
//     Interface index: 20
//     Link-layer address type: Ethernet (1)
//     Packet type: Sent by us (4)
//     Link-layer address length: 6
//     Source: d2:cf:c2:50:15:ea (d2:cf:c2:50:15:ea)
//     Unused: 0000
// Internet Protocol Version 4, Src: 7.249.151.114, Dst: 116.63.66.108
constexpr auto outgoing = R"(
    08 00 00 00 00 00 00 14 00 01 04 06 d2 cf c2 50
    15 ea 00 00 45 00 00 28 8b 22 40 00)"_hex;

// pcapplusplus__sll2.pcap frame 1, the first 28 of 91 bytes:
// Linux cooked capture v2
//     Protocol: IPv4 (0x0800)
//     Interface index: 20
//     Link-layer address type: Ethernet (1)
//     Packet type: Unicast to us (0)
//     Link-layer address length: 6
//     Source: HuaweiTe_8f:82:63 (f0:3f:95:8f:82:63)
//     Unused: 0000
// Internet Protocol Version 4, Src: 116.63.66.108, Dst: 7.249.151.114
constexpr auto incoming = R"(
    08 00 00 00 00 00 00 14 00 01 00 06 f0 3f 95 8f
    82 63 00 00 45 00 00 47 87 2c 40 00)"_hex;

// Crafted (no such frame in the corpus): an IPoIB broadcast with its
// 20-byte address cut to 8, then an IPv4 header. tshark 4.0 on it:
// Linux cooked capture v2
//     Protocol: IPv4 (0x0800)
//     Interface index: 7
//     Link-layer address type: InfiniBand (32)
//     Packet type: Broadcast (1)
//     Link-layer address length: 20
//     Source: 80000404fe800000
// Internet Protocol Version 4, Src: 127.0.0.1, Dst: 127.0.0.1
constexpr auto infiniband = R"(
    08 00 00 00 00 00 00 07 00 20 01 14 80 00 04 04
    fe 80 00 00 45 00 00 14 00 00 00 00 40 01 00 00
    7f 00 00 01 7f 00 00 01)"_hex;

// Accessors are usable in constant expressions.
static_assert(sll2::view::checked(outgoing).has_value());
static_assert(sll2::view::checked(outgoing)->if_index() == 20);
static_assert(sll2::view::checked(outgoing)->packet_type() == sll2::packet_type::outgoing);
static_assert(sll2::view::checked(infiniband)->address().size() == 8);
static_assert(sll2::view::checked(bytes{outgoing}.first(19)).error().code == errc::truncated);

TEST(Sll2, ReadsEveryField) {
    const auto v = sll2::view::checked(outgoing);
    ASSERT_TRUE(v);
    EXPECT_EQ(v->protocol(), 0x0800);
    EXPECT_TRUE(v->is_ethertype());
    EXPECT_EQ(v->ethertype(), ethertype::ipv4);
    EXPECT_EQ(v->reserved(), 0);
    EXPECT_EQ(v->if_index(), 20u);
    EXPECT_EQ(v->arphrd_type(), sll2::arphrd::ether);
    EXPECT_EQ(v->packet_type(), sll2::packet_type::outgoing);
    EXPECT_EQ(v->address_len(), 6);
    ASSERT_EQ(v->address().size(), 6u);
    EXPECT_EQ(v->address().data(), outgoing.data() + 12);
    EXPECT_EQ(mac_address::load(v->address(), 0).to_string(), "d2:cf:c2:50:15:ea");
    EXPECT_EQ(v->address_field().size(), 8u);
    EXPECT_EQ(v->header_len(), 20u);
    EXPECT_EQ(v->header().size(), 20u);
    EXPECT_EQ(v->payload().size(), 8u);
    EXPECT_EQ(v->payload().data(), outgoing.data() + 20);

    const auto in = sll2::view::checked(incoming);
    ASSERT_TRUE(in);
    EXPECT_EQ(in->packet_type(), sll2::packet_type::host);
    EXPECT_EQ(mac_address::load(in->address(), 0).to_string(), "f0:3f:95:8f:82:63");
}

TEST(Sll2, AddressLongerThanTheFieldIsCut) {
    const auto v = sll2::view::checked(infiniband);
    ASSERT_TRUE(v);
    EXPECT_EQ(v->if_index(), 7u);
    EXPECT_EQ(v->arphrd_type(), sll2::arphrd::infiniband);
    EXPECT_EQ(v->packet_type(), sll2::packet_type::broadcast);
    EXPECT_EQ(v->address_len(), 20);
    ASSERT_EQ(v->address().size(), 8u);
    EXPECT_EQ(v->address()[0], std::byte{0x80});
    EXPECT_EQ(v->address()[5], std::byte{0x80});
    EXPECT_EQ(v->payload()[0], std::byte{0x45});
}

TEST(Sll2, ProtocolRulesAreSllOnes) {
    auto pkt = copy_of(outgoing);
    pkt[0] = std::byte{0x00};
    pkt[1] = std::byte{0x04}; // 802.2 LLC
    EXPECT_FALSE(sll2::view::checked(pkt)->is_ethertype());
    EXPECT_EQ(sll2::view::checked(pkt)->protocol(), sll2::linux_protocol::ieee802_2);
    pkt[1] = std::byte{0x00};
    pkt[8] = std::byte{0x03};
    pkt[9] = std::byte{0x38}; // ARPHRD_NETLINK, Netlink family 0
    EXPECT_EQ(sll2::view::checked(pkt)->arphrd_type(), sll2::arphrd::netlink);
    EXPECT_FALSE(sll2::view::checked(pkt)->is_ethertype());
}

TEST(Sll2, EveryTruncationIsRejectedWithTheExactError) {
    for (std::size_t n = 0; n <= outgoing.size(); ++n) {
        const auto v = sll2::view::checked(bytes{outgoing}.first(n));
        if (n < 20) {
            EXPECT_ERROR(v, error::truncated(layer::sll2, length_source::fixed_header, 0, 20, n));
        } else {
            ASSERT_TRUE(v) << n;
            EXPECT_EQ(v->payload().size(), n - 20);
        }
    }
}

TEST(Sll2, ReprRejectsANonZeroReservedField) {
    auto pkt = copy_of(outgoing);
    pkt[3] = std::byte{0x01};
    const auto v = sll2::view::checked(pkt);
    ASSERT_TRUE(v); // the view accepts it
    EXPECT_EQ(v->reserved(), 1);
    EXPECT_ERROR(sll2::repr::parse(*v), error::invalid(layer::sll2, errc::bad_value, length_source::none, 2, 0, 1));
}

TEST(Sll2, SetEveryFieldThenCompare) {
    std::array<std::byte, 20> buf{};
    buf.fill(std::byte{0xee});
    auto v = sll2::mut_view::unchecked(buf);
    v.set_ethertype(ethertype::ipv6);
    v.set_reserved(0);
    v.set_if_index(0x01020304);
    v.set_arphrd_type(sll2::arphrd::loopback);
    v.set_packet_type(sll2::packet_type::otherhost);
    const auto addr = make_bytes(0x02, 0x11, 0x22, 0x33, 0x44, 0x55);
    v.set_address(addr);
    const sll2::view r = v;
    EXPECT_EQ(r.ethertype(), ethertype::ipv6);
    EXPECT_EQ(r.reserved(), 0);
    EXPECT_EQ(r.if_index(), 0x01020304u);
    EXPECT_EQ(r.arphrd_type(), sll2::arphrd::loopback);
    EXPECT_EQ(r.packet_type(), sll2::packet_type::otherhost);
    EXPECT_EQ(r.address_len(), 6);
    EXPECT_TRUE(std::equal(r.address().begin(), r.address().end(), addr.begin(), addr.end()));
    EXPECT_EQ(r.address_field()[7], std::byte{0});
    v.set_protocol(0x0003);
    v.set_address_len(2);
    EXPECT_EQ(r.protocol(), 3);
    EXPECT_EQ(r.address().size(), 2u);
    EXPECT_EQ(r.packet_type(), sll2::packet_type::otherhost);
    EXPECT_EQ(r.if_index(), 0x01020304u);
}

TEST(Sll2, ReprRoundTripReproducesTheHeaderBytes) {
    for (const bytes pkt : {bytes{outgoing}, bytes{incoming}, bytes{infiniband}}) {
        const auto v = sll2::view::checked(pkt);
        ASSERT_TRUE(v);
        const auto r = sll2::repr::parse(*v);
        ASSERT_TRUE(r);
        EXPECT_EQ(r->header_len(), 20u);
        std::array<std::byte, 20> out{};
        out.fill(std::byte{0xee});
        r->emit(sll2::mut_view::unchecked(out));
        EXPECT_TRUE(std::equal(out.begin(), out.end(), pkt.begin()));
        EXPECT_EQ(*sll2::repr::parse(*sll2::view::checked(out)), *r);
    }
    sll2::repr r;
    r.if_index = 20;
    const auto addr = make_bytes(0xd2, 0xcf, 0xc2, 0x50, 0x15, 0xea);
    r.set_address(addr);
    std::array<std::byte, 20> out{};
    r.emit(sll2::mut_view::unchecked(out));
    EXPECT_TRUE(std::equal(out.begin(), out.end(), outgoing.begin()));
}

} // namespace
