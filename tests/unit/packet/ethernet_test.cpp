// SPDX-License-Identifier: BSD-3-Clause
#include <rawpkt/packet/ethernet.hpp>

#include "support/hex.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <vector>

using namespace rawpkt;
using namespace rawpkt::test;

namespace {

// pcapplusplus__ArpRequestPacket.pcap frame 1 (42 bytes):
// Ethernet II, Src: Giga-Byt_b2:de:6e (6c:f0:49:b2:de:6e), Dst: Broadcast (ff:ff:ff:ff:ff:ff)
//     Destination: Broadcast (ff:ff:ff:ff:ff:ff)
//     Source: Giga-Byt_b2:de:6e (6c:f0:49:b2:de:6e)
//     Type: ARP (0x0806)
// Address Resolution Protocol (request), 28 bytes
constexpr auto arp_frame = R"(
    ff ff ff ff ff ff 6c f0 49 b2 de 6e 08 06 00 01
    08 00 06 04 00 01 6c f0 49 b2 de 6e 0a 00 00 01
    00 00 00 00 00 00 0a 00 00 8a)"_hex;

// pcapplusplus__EthDot3.pcap frame 1 (60 bytes):
// IEEE 802.3 Ethernet
//     Destination: Spanning-tree-(for-bridges)_00 (01:80:c2:00:00:00)
//     Source: SMCNetwo_11:5e:db (00:13:f7:11:5e:db)
//     Length: 38
//     Padding: 0000000000000000
// Logical-Link Control
//     DSAP: Spanning Tree BPDU (0x42), SSAP: Spanning Tree BPDU (0x42)
//     Control field: U, func=UI (0x03)
// Spanning Tree Protocol
constexpr auto dot3_frame = R"(
    01 80 c2 00 00 00 00 13 f7 11 5e db 00 26 42 42
    03 00 00 00 00 00 00 00 00 13 f7 1e df f0 00 00
    27 10 80 00 00 13 f7 11 5e c0 80 1b 01 00 14 00
    02 00 0f 00 00 00 00 00 00 00 00 00)"_hex;

constexpr ethernet::address mac(std::uint8_t a, std::uint8_t b, std::uint8_t c, std::uint8_t d, std::uint8_t e,
                                std::uint8_t f) {
    return {{a, b, c, d, e, f}};
}

// Accessors are usable in constant expressions.
static_assert(ethernet::view::checked(arp_frame).has_value());
static_assert(ethernet::view::checked(arp_frame)->ethertype() == ethertype::arp);
static_assert(ethernet::view::checked(arp_frame)->dst().is_broadcast());
static_assert(ethernet::view::checked(arp_frame)->payload().size() == 28);
static_assert(ethernet::view::checked(dot3_frame)->is_length());
static_assert(ethernet::view::checked(dot3_frame)->payload().size() == 38);
static_assert(ethernet::view::checked(dot3_frame)->padding().size() == 8);
static_assert(ethernet::view::checked(bytes{dot3_frame}.first(51)).error().source == length_source::payload_length);
static_assert(ethernet::repr::parse(*ethernet::view::checked(arp_frame))->src ==
              mac(0x6c, 0xf0, 0x49, 0xb2, 0xde, 0x6e));

TEST(Ethernet, ReadsEveryFieldOfAnEthernetIIFrame) {
    const auto v = ethernet::view::checked(arp_frame);
    ASSERT_TRUE(v);
    EXPECT_EQ(v->dst(), mac(0xff, 0xff, 0xff, 0xff, 0xff, 0xff));
    EXPECT_EQ(v->src(), mac(0x6c, 0xf0, 0x49, 0xb2, 0xde, 0x6e));
    EXPECT_EQ(v->src().to_string(), "6c:f0:49:b2:de:6e");
    EXPECT_EQ(v->type_len(), 0x0806);
    EXPECT_EQ(v->ethertype(), ethertype::arp);
    EXPECT_TRUE(v->is_ethertype());
    EXPECT_FALSE(v->is_length());
    EXPECT_EQ(v->header_len(), 14u);
    EXPECT_EQ(v->header().size(), 14u);
    EXPECT_EQ(v->payload().size(), 28u);
    EXPECT_EQ(v->payload().data(), arp_frame.data() + 14);
    EXPECT_TRUE(v->padding().empty());
    EXPECT_EQ(v->buffer().size(), arp_frame.size());
}

TEST(Ethernet, ReadsEveryFieldOfAn8023Frame) {
    const auto v = ethernet::view::checked(dot3_frame);
    ASSERT_TRUE(v);
    EXPECT_EQ(v->dst(), mac(0x01, 0x80, 0xc2, 0x00, 0x00, 0x00));
    EXPECT_TRUE(v->dst().is_multicast());
    EXPECT_EQ(v->src(), mac(0x00, 0x13, 0xf7, 0x11, 0x5e, 0xdb));
    EXPECT_EQ(v->type_len(), 38);
    EXPECT_TRUE(v->is_length());
    EXPECT_FALSE(v->is_ethertype());
    EXPECT_EQ(v->length_field(), 38);
    // The payload stops at the length: the 8 bytes of padding are not LLC data.
    EXPECT_EQ(v->payload().size(), 38u);
    EXPECT_EQ(v->payload().data(), dot3_frame.data() + 14);
    EXPECT_EQ(v->payload()[0], std::byte{0x42});
    EXPECT_EQ(v->padding().size(), 8u);
    EXPECT_EQ(v->padding().data(), dot3_frame.data() + 52);
}

TEST(Ethernet, EveryTruncationIsRejectedWithTheExactError) {
    for (std::size_t n = 0; n <= dot3_frame.size(); ++n) {
        const bytes cut = bytes{dot3_frame}.first(n);
        const auto v = ethernet::view::checked(cut);
        if (n < 14) {
            ASSERT_FALSE(v) << n;
            EXPECT_EQ(v.error(), error::truncated(layer::ethernet, length_source::fixed_header, 0, 14, n));
            EXPECT_EQ(ethernet::view::checked_header(cut).error(), v.error());
        } else if (n < 52) {
            ASSERT_FALSE(v) << n;
            EXPECT_EQ(v.error(), error::truncated(layer::ethernet, length_source::payload_length, 0, 52, n));
            // The header alone is intact: checked_header() accepts it and the
            // payload is what was captured.
            const auto h = ethernet::view::checked_header(cut);
            ASSERT_TRUE(h) << n;
            EXPECT_EQ(h->payload().size(), n - 14);
            EXPECT_TRUE(h->padding().empty());
        } else {
            ASSERT_TRUE(v) << n;
            EXPECT_EQ(v->payload().size(), 38u);
            EXPECT_EQ(v->padding().size(), n - 52);
        }
    }
    // Ethernet II has no length: any cut after the header is accepted.
    for (std::size_t n = 0; n <= arp_frame.size(); ++n) {
        const auto v = ethernet::view::checked(bytes{arp_frame}.first(n));
        if (n < 14) {
            EXPECT_ERROR(v, error::truncated(layer::ethernet, length_source::fixed_header, 0, 14, n));
        } else {
            ASSERT_TRUE(v) << n;
            EXPECT_EQ(v->payload().size(), n - 14);
        }
    }
}

TEST(Ethernet, RejectsTypeLengthBetween1501And1535) {
    for (std::uint16_t value = 1501; value < 1536; ++value) {
        auto pkt = copy_of(arp_frame);
        pkt[12] = static_cast<std::byte>(value >> 8);
        pkt[13] = static_cast<std::byte>(value & 0xff);
        const auto expected = error::invalid(layer::ethernet, errc::bad_value, length_source::none, 12, 0, value);
        EXPECT_ERROR(ethernet::view::checked(pkt), expected);
        EXPECT_ERROR(ethernet::view::checked_header(pkt), expected);
    }
}

TEST(Ethernet, TypeLengthBoundaries) {
    EXPECT_TRUE(ethernet::is_length(0));
    EXPECT_TRUE(ethernet::is_length(1500));
    EXPECT_FALSE(ethernet::is_length(1501));
    EXPECT_FALSE(ethernet::is_ethertype(1535));
    EXPECT_TRUE(ethernet::is_ethertype(0x0600));
    // A length of 1500 needs 1514 bytes; an EtherType of 0x0600 nothing more.
    std::vector<std::byte> frame(1514);
    auto w = ethernet::mut_view::unchecked(frame);
    w.set_type_len(1500);
    EXPECT_TRUE(ethernet::view::checked(frame));
    EXPECT_ERROR(ethernet::view::checked(bytes{frame}.first(1513)),
                 error::truncated(layer::ethernet, length_source::payload_length, 0, 1514, 1513));
    w.set_type_len(0x0600);
    EXPECT_EQ(ethernet::view::checked(bytes{frame}.first(14))->payload().size(), 0u);
    // A zero length is a valid, empty 802.3 frame.
    w.set_type_len(0);
    EXPECT_EQ(ethernet::view::checked(bytes{frame}.first(60))->payload().size(), 0u);
    EXPECT_EQ(ethernet::view::checked(bytes{frame}.first(60))->padding().size(), 46u);
}

TEST(Ethernet, SetEveryFieldThenCompare) {
    std::array<std::byte, 20> buf{};
    auto v = ethernet::mut_view::unchecked(buf);
    v.set_dst(mac(0x02, 0x00, 0x5e, 0x10, 0x00, 0x01));
    v.set_src(mac(0x00, 0x1b, 0x21, 0xaa, 0xbb, 0xcc));
    v.set_ethertype(ethertype::ipv6);
    const ethernet::view r = v;
    EXPECT_EQ(r.dst(), mac(0x02, 0x00, 0x5e, 0x10, 0x00, 0x01));
    EXPECT_EQ(r.src(), mac(0x00, 0x1b, 0x21, 0xaa, 0xbb, 0xcc));
    EXPECT_EQ(r.ethertype(), ethertype::ipv6);
    EXPECT_EQ(r.payload().size(), 6u);
    v.set_type_len(4);
    EXPECT_TRUE(r.is_length());
    EXPECT_EQ(r.length_field(), 4);
    EXPECT_EQ(r.payload().size(), 4u);
    EXPECT_EQ(r.padding().size(), 2u);
    // The payload of a mut_view is writable.
    v.payload()[0] = std::byte{0x42};
    EXPECT_EQ(buf[14], std::byte{0x42});
    // Setting one field leaves its neighbours alone.
    EXPECT_EQ(r.src(), mac(0x00, 0x1b, 0x21, 0xaa, 0xbb, 0xcc));
    EXPECT_EQ(r.dst(), mac(0x02, 0x00, 0x5e, 0x10, 0x00, 0x01));
}

TEST(Ethernet, LengthFieldLargerThanTheBufferIsClamped) {
    // An unchecked view over a lying length never reads past the buffer.
    auto pkt = copy_of(dot3_frame);
    pkt[12] = std::byte{0x05};
    pkt[13] = std::byte{0xdc};
    const auto v = ethernet::view::unchecked(pkt);
    EXPECT_EQ(v.payload().size(), dot3_frame.size() - 14);
    EXPECT_TRUE(v.padding().empty());
}

TEST(Ethernet, ReprRoundTripReproducesTheHeaderBytes) {
    const auto v = ethernet::view::checked(arp_frame);
    ASSERT_TRUE(v);
    const auto r = ethernet::repr::parse(*v);
    ASSERT_TRUE(r);
    EXPECT_EQ(r->src, mac(0x6c, 0xf0, 0x49, 0xb2, 0xde, 0x6e));
    EXPECT_EQ(r->dst, ethernet::address::broadcast());
    EXPECT_EQ(r->ethertype, ethertype::arp);
    EXPECT_EQ(r->header_len(), 14u);
    std::array<std::byte, 14> out{};
    r->emit(ethernet::mut_view::unchecked(out));
    EXPECT_TRUE(std::equal(out.begin(), out.end(), arp_frame.begin()));
    const auto again = ethernet::repr::parse(*ethernet::view::checked(out));
    ASSERT_TRUE(again);
    EXPECT_EQ(*again, *r);
}

TEST(Ethernet, ReprRejects8023Frames) {
    const auto v = ethernet::view::checked(dot3_frame);
    ASSERT_TRUE(v);
    EXPECT_ERROR(ethernet::repr::parse(*v),
                 error::invalid(layer::ethernet, errc::unsupported, length_source::none, 12, 0, 38));
}

TEST(Ethernet, ErrorMessagesArePrecise) {
    const auto v = ethernet::view::checked(bytes{dot3_frame}.first(40));
    EXPECT_EQ(to_string(v.error()),
              "ethernet: truncated at offset 0: payload length field needs 52 bytes, 40 available");
}

} // namespace
