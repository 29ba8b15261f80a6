// SPDX-License-Identifier: BSD-3-Clause
#include <rawpkt/packet/ppp.hpp>

#include "support/hex.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <vector>

using namespace rawpkt;
using namespace rawpkt::test;

namespace {

// tcpdump__mpls-traceroute.pcap (LINKTYPE_PPP) frame 1, the first 12 of 48 bytes:
// Point-to-Point Protocol
//     Address: 0xff
//     Control: 0x03
//     Protocol: MPLS Unicast (0x0281)
// MultiProtocol Label Switching Header, Label: 100704, Exp: 0, S: 1, TTL: 1
// Internet Protocol Version 4, Src: 12.4.4.4, Dst: 12.1.1.1
constexpr auto mpls_frame = R"(ff 03 02 81 18 96 01 01 45 00 00 28)"_hex;

// Same file, frame 2, the first 12 of 172 bytes:
// Point-to-Point Protocol
//     Address: 0xff
//     Control: 0x03
//     Protocol: Internet Protocol version 4 (0x0021)
// Internet Protocol Version 4, Src: 10.5.0.1, Dst: 12.4.4.4
constexpr auto ipv4_frame = R"(ff 03 00 21 45 00 00 a8 13 96 40 00)"_hex;

// pcapplusplus__GrePackets.cap frame 11, the PPP frame in the PPTP GRE
// packet (14 bytes):
// Point-to-Point Protocol
//     Address: 0xff
//     Control: 0x03
//     Protocol: Link Control Protocol (0xc021)
// PPP Link Control Protocol
//     Code: Configuration Request (1)
//     Identifier: 0 (0x00)
//     Length: 10
//     Options: (6 bytes), Magic Number
constexpr auto lcp = R"(ff 03 c0 21 01 00 00 0a 05 06 0a 94 c1 66)"_hex;

// tcpdump__ppp_ip_udp_dns.pcap (LINKTYPE_PPP_HDLC) frame 1, the first 16
// of 353 bytes, a fuzzed frame:
// Point-to-Point Protocol
//     Address: 0xff
//     Control: 0x5f
//     Protocol: Unknown (0x7e08)
// Data (349 bytes)
// tcpdump -vv: "unknown PPP protocol (0x7e08)". RFC 1662 §3.1 wants
// control 0x03 and RFC 1661 §2 an odd protocol number: rawpkt rejects it.
constexpr auto fuzzed = R"(ff 5f 7e 08 00 45 00 c1 21 00 01 00 00 40 11 45)"_hex;

// Crafted (the corpus has no compressed header): no address and control,
// a one-octet protocol field. tshark 4.0 (LINKTYPE_PPP) on it:
// Point-to-Point Protocol
//     Protocol: Internet Protocol version 4 (0x0021)
// Internet Protocol Version 4, Src: 127.0.0.1, Dst: 127.0.0.1
constexpr auto compressed = R"(21 45 00 00 14 00 00 00 00 40 01 00 00)"_hex;

// Crafted: address and control, a one-octet protocol field.
// Point-to-Point Protocol
//     Address: 0xff
//     Control: 0x03
//     Protocol: Internet Protocol version 6 (0x0057)
// Internet Protocol Version 6, Src: ::1, Dst: ::1
constexpr auto framed_compressed = R"(ff 03 57 60 00 00 00 00 00 3b 40)"_hex;

// Crafted: no address and control, a two-octet protocol field.
// Point-to-Point Protocol
//     Protocol: Internet Protocol version 4 (0x0021)
// Internet Protocol Version 4, Src: 127.0.0.1, Dst: 127.0.0.1
constexpr auto unframed = R"(00 21 45 00 00 14 00 00 00 00 40 01 00 00)"_hex;

// Accessors are usable in constant expressions.
static_assert(ppp::view::checked(mpls_frame).has_value());
static_assert(ppp::view::checked(mpls_frame)->protocol() == ppp::protocol::mpls_unicast);
static_assert(ppp::view::checked(mpls_frame)->header_len() == 4);
static_assert(ppp::view::checked(compressed)->header_len() == 1);
static_assert(*ppp::view::checked(framed_compressed)->payload_ethertype() == ethertype::ipv6);
static_assert(ppp::view::checked(fuzzed).error().code == errc::bad_value);

TEST(Ppp, ReadsEveryField) {
    const auto v = ppp::view::checked(mpls_frame);
    ASSERT_TRUE(v);
    EXPECT_TRUE(v->has_address_control());
    EXPECT_EQ(v->address(), 0xff);
    EXPECT_EQ(v->control(), 0x03);
    EXPECT_EQ(v->protocol_offset(), 2u);
    EXPECT_EQ(v->protocol_len(), 2u);
    EXPECT_FALSE(v->is_protocol_compressed());
    EXPECT_EQ(v->protocol_number(), 0x0281);
    EXPECT_EQ(v->protocol(), ppp::protocol::mpls_unicast);
    EXPECT_EQ(*v->payload_ethertype(), ethertype::mpls_unicast);
    EXPECT_EQ(v->header_len(), 4u);
    EXPECT_EQ(v->header().size(), 4u);
    EXPECT_EQ(v->payload().size(), 8u);
    EXPECT_EQ(v->payload().data(), mpls_frame.data() + 4);

    const auto v4 = ppp::view::checked(ipv4_frame);
    ASSERT_TRUE(v4);
    EXPECT_EQ(v4->protocol(), ppp::protocol::ipv4);
    EXPECT_EQ(*v4->payload_ethertype(), ethertype::ipv4);
    EXPECT_EQ(v4->payload()[0], std::byte{0x45});
}

TEST(Ppp, ControlProtocolsHaveNoEtherType) {
    const auto v = ppp::view::checked(lcp);
    ASSERT_TRUE(v);
    EXPECT_EQ(v->protocol(), ppp::protocol::lcp);
    EXPECT_EQ(v->payload().size(), 10u);
    EXPECT_ERROR(v->payload_ethertype(),
                 error::invalid(layer::ppp, errc::unsupported, length_source::none, 2, 0, 0xc021));
}

TEST(Ppp, CompressedHeaders) {
    const auto c = ppp::view::checked(compressed);
    ASSERT_TRUE(c);
    EXPECT_FALSE(c->has_address_control());
    EXPECT_EQ(c->address(), 0);
    EXPECT_EQ(c->control(), 0);
    EXPECT_EQ(c->protocol_offset(), 0u);
    EXPECT_EQ(c->protocol_len(), 1u);
    EXPECT_TRUE(c->is_protocol_compressed());
    EXPECT_EQ(c->protocol(), ppp::protocol::ipv4);
    EXPECT_EQ(c->header_len(), 1u);
    EXPECT_EQ(c->payload().data(), compressed.data() + 1);

    const auto f = ppp::view::checked(framed_compressed);
    ASSERT_TRUE(f);
    EXPECT_TRUE(f->has_address_control());
    EXPECT_EQ(f->protocol_len(), 1u);
    EXPECT_EQ(f->protocol(), ppp::protocol::ipv6);
    EXPECT_EQ(f->header_len(), 3u);

    const auto u = ppp::view::checked(unframed);
    ASSERT_TRUE(u);
    EXPECT_FALSE(u->has_address_control());
    EXPECT_EQ(u->protocol_len(), 2u);
    EXPECT_EQ(u->protocol(), ppp::protocol::ipv4);
    EXPECT_EQ(u->header_len(), 2u);
}

TEST(Ppp, RejectsTheFuzzedFrame) {
    EXPECT_ERROR(ppp::view::checked(fuzzed),
                 error::invalid(layer::ppp, errc::bad_value, length_source::none, 1, 0x03, 0x5f));
    // With a proper control octet, the protocol number is the next problem.
    auto pkt = copy_of(fuzzed);
    pkt[1] = std::byte{0x03};
    EXPECT_ERROR(ppp::view::checked(pkt),
                 error::invalid(layer::ppp, errc::bad_value, length_source::none, 2, 0, 0x7e08));
}

TEST(Ppp, RejectsAnEvenProtocolNumber) {
    const auto even = make_bytes(0xff, 0x03, 0x00, 0x20, 0x45, 0x00);
    EXPECT_ERROR(ppp::view::checked(even),
                 error::invalid(layer::ppp, errc::bad_value, length_source::none, 2, 0, 0x0020));
    EXPECT_ERROR(ppp::view::checked(bytes{even}.subspan(2)),
                 error::invalid(layer::ppp, errc::bad_value, length_source::none, 0, 0, 0x0020));
    EXPECT_TRUE(ppp::is_valid_protocol(0x0021));
    EXPECT_TRUE(ppp::is_valid_protocol(0xc021));
    EXPECT_FALSE(ppp::is_valid_protocol(0x0120)); // even
    EXPECT_FALSE(ppp::is_valid_protocol(0x0121)); // odd high octet
}

TEST(Ppp, RejectsAControlOctetOtherThanUi) {
    const auto bad = make_bytes(0xff, 0x13, 0x00, 0x21);
    EXPECT_ERROR(ppp::view::checked(bad),
                 error::invalid(layer::ppp, errc::bad_value, length_source::none, 1, 0x03, 0x13));
}

TEST(Ppp, EveryTruncationIsRejectedWithTheExactError) {
    // Until the protocol field's first octet is there it counts as two
    // octets; a leading 0xff announces the framing octets.
    const std::size_t needed[] = {2, 4, 4, 4};
    for (std::size_t n = 0; n <= mpls_frame.size(); ++n) {
        const auto v = ppp::view::checked(bytes{mpls_frame}.first(n));
        if (n < 4) {
            EXPECT_ERROR(v, error::truncated(layer::ppp, length_source::fixed_header, 0, needed[n], n));
        } else {
            ASSERT_TRUE(v) << n;
            EXPECT_EQ(v->payload().size(), n - 4);
        }
    }
    for (std::size_t n = 0; n <= unframed.size(); ++n) {
        const auto v = ppp::view::checked(bytes{unframed}.first(n));
        if (n < 2) {
            EXPECT_ERROR(v, error::truncated(layer::ppp, length_source::fixed_header, 0, 2, n));
        } else {
            ASSERT_TRUE(v) << n;
        }
    }
    EXPECT_ERROR(ppp::view::checked(bytes{framed_compressed}.first(2)),
                 error::truncated(layer::ppp, length_source::fixed_header, 0, 4, 2));
    EXPECT_EQ(ppp::view::checked(bytes{framed_compressed}.first(3))->header_len(), 3u);
    EXPECT_EQ(ppp::view::checked(bytes{compressed}.first(1))->header_len(), 1u);
}

TEST(Ppp, SetEveryFieldThenCompare) {
    auto pkt = copy_of(ipv4_frame);
    auto v = ppp::mut_view::unchecked(pkt);
    v.set_control(0x03);
    v.set_protocol(ppp::protocol::ipv6cp);
    const ppp::view r = v;
    EXPECT_EQ(r.protocol(), ppp::protocol::ipv6cp);
    EXPECT_EQ(r.protocol_number(), 0x8057);
    EXPECT_EQ(r.control(), 0x03);
    EXPECT_EQ(r.header_len(), 4u);
    EXPECT_EQ(pkt[4], std::byte{0x45}); // the payload is untouched
    // A compressed field keeps its width.
    auto c = copy_of(compressed);
    auto cv = ppp::mut_view::unchecked(c);
    cv.set_protocol(ppp::protocol::ipv6);
    EXPECT_EQ(cv.protocol(), ppp::protocol::ipv6);
    EXPECT_EQ(cv.header_len(), 1u);
    EXPECT_EQ(c[0], std::byte{0x57});
    EXPECT_EQ(c[1], std::byte{0x45});
}

TEST(Ppp, ReprRoundTripReproducesTheHeaderBytes) {
    for (const bytes pkt : {bytes{mpls_frame}, bytes{ipv4_frame}, bytes{lcp}, bytes{compressed},
                            bytes{framed_compressed}, bytes{unframed}}) {
        const auto v = ppp::view::checked(pkt);
        ASSERT_TRUE(v);
        const auto r = ppp::repr::parse(*v);
        ASSERT_TRUE(r);
        EXPECT_EQ(r->header_len(), v->header_len());
        std::vector<std::byte> out(r->header_len());
        r->emit(ppp::mut_view::unchecked(out));
        EXPECT_TRUE(std::equal(out.begin(), out.end(), pkt.begin()));
        EXPECT_EQ(*ppp::repr::parse(*ppp::view::checked(out)), *r);
    }
    EXPECT_EQ(*ppp::repr::parse(*ppp::view::checked(compressed)), (ppp::repr{ppp::protocol::ipv4, false, true}));
    // Compression applies to one-octet protocols only.
    const ppp::repr big{ppp::protocol::lcp, true, true};
    EXPECT_FALSE(big.compressed());
    EXPECT_EQ(big.header_len(), 4u);
    std::array<std::byte, 4> out{};
    big.emit(ppp::mut_view::unchecked(out));
    EXPECT_TRUE(std::equal(out.begin(), out.end(), lcp.begin()));
}

} // namespace
