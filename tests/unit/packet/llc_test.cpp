// SPDX-License-Identifier: BSD-3-Clause
#include <rawpkt/packet/llc.hpp>

#include "support/hex.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <vector>

using namespace rawpkt;
using namespace rawpkt::test;

namespace {

// pcapplusplus__EthDot3.pcap frame 1, the 38 bytes of LLC data after the
// 802.3 header (Length: 38):
// Logical-Link Control
//     DSAP: Spanning Tree BPDU (0x42)
//         .... ...0 = IG Bit: Individual
//     SSAP: Spanning Tree BPDU (0x42)
//         .... ...0 = CR Bit: Command
//     Control field: U, func=UI (0x03)
//         000. 00.. = Command: Unnumbered Information (0x00)
//         .... ..11 = Frame type: Unnumbered frame (0x3)
// Spanning Tree Protocol (35 bytes)
constexpr auto stp = R"(
    42 42 03 00 00 00 00 00 00 00 00 13 f7 1e df f0
    00 00 27 10 80 00 00 13 f7 11 5e c0 80 1b 01 00
    14 00 02 00 0f 00)"_hex;

// pcapplusplus__VlanPackets.pcap frame 23 (IEEE 802.3, Length: 361), the
// first 24 bytes after the 802.3 header:
// Logical-Link Control
//     DSAP: SNAP (0xaa)
//     SSAP: SNAP (0xaa)
//     Control field: U, func=UI (0x03)
//     Organization Code: 00:00:0c (Cisco Systems, Inc)
//     PID: CDP (0x2000)
// Cisco Discovery Protocol
//     Version: 2, TTL: 180 seconds, Checksum: 0x01a5, Device ID: S2...
constexpr auto cdp = R"(
    aa aa 03 00 00 0c 20 00 02 b4 01 a5 00 01 00 06
    53 32 00 05 00 c2 43 69)"_hex;

// Crafted (the corpus has U-format PDUs only): NetBIOS over LLC type 2,
// then two bytes of a NetBIOS frame. tshark, given it in an 802.3 frame:
// Logical-Link Control
//     DSAP: NetBIOS (0xf0)
//         .... ...0 = IG Bit: Individual
//     SSAP: NetBIOS (0xf0)
//         .... ...0 = CR Bit: Command
//     Control field: I, N(R)=6, N(S)=5 (0x0C0A)
//         0000 110. .... .... = N(R): 6
//         .... .... 0000 101. = N(S): 5
//         .... .... .... ...0 = Frame type: Information frame (0x0)
constexpr auto netbios_i = R"(f0 f0 0a 0c ff ef)"_hex;

// Crafted: an S-format response. tshark, given it in an 802.3 frame:
// Logical-Link Control
//     DSAP: NetBIOS (0xf0)
//     SSAP: Unknown (0xf1)
//         1111 000. = SAP: NetBIOS
//         .... ...1 = CR Bit: Response
//     Control field: S F, func=RR, N(R)=3 (0x0701)
//         0000 011. .... .... = N(R): 3
//         .... ...1 .... .... = Final: Set
//         .... .... .... 00.. = Supervisory frame type: Receiver ready (0x0)
//         .... .... .... ..01 = Frame type: Supervisory frame (0x1)
constexpr auto netbios_rr = R"(f0 f1 01 07)"_hex;

// Crafted (no OUI 0 in the corpus): RFC 1042 encapsulation of IPv4, the
// first bytes of an IPv4 header after it. tshark, given it in an 802.3 frame:
// Logical-Link Control
//     DSAP: SNAP (0xaa)
//     SSAP: SNAP (0xaa)
//     Control field: U, func=UI (0x03)
//     Organization Code: 00:00:00 (Officially Xerox, but
//     Type: IPv4 (0x0800)
constexpr auto rfc1042 = R"(aa aa 03 00 00 00 08 00 45 00 00 54)"_hex;

// Accessors are usable in constant expressions.
static_assert(llc::view::checked(stp).has_value());
static_assert(llc::view::checked(stp)->header_len() == 3);
static_assert(llc::view::checked(stp)->u_function() == llc::u_function::ui);
static_assert(llc::view::checked(netbios_i)->header_len() == 4);
static_assert(llc::view::checked(netbios_i)->send_seq() == 5);
static_assert(llc::view::checked(cdp)->is_snap());
static_assert(snap::view::checked(llc::view::checked(cdp)->payload())->oui() == snap::oui_cisco);
static_assert(snap::view::checked(bytes{rfc1042}.subspan(3))->ethertype() == ethertype::ipv4);
static_assert(llc::view::checked(bytes{netbios_i}.first(3)).error().source == length_source::header_length);

TEST(Llc, ReadsEveryFieldOfAUFormatPdu) {
    const auto v = llc::view::checked(stp);
    ASSERT_TRUE(v);
    EXPECT_EQ(v->dsap(), llc::sap::stp);
    EXPECT_EQ(v->ssap(), llc::sap::stp);
    EXPECT_FALSE(v->is_group());
    EXPECT_FALSE(v->is_response());
    EXPECT_EQ(v->format(), llc::format::unnumbered);
    EXPECT_EQ(v->control_len(), 1u);
    EXPECT_EQ(v->header_len(), 3u);
    EXPECT_EQ(v->control(), 0x03);
    EXPECT_EQ(v->u_function(), llc::u_function::ui);
    EXPECT_FALSE(v->poll_final());
    EXPECT_EQ(v->recv_seq(), 0); // no second control octet to read
    EXPECT_FALSE(v->is_snap());
    EXPECT_EQ(v->header().size(), 3u);
    EXPECT_EQ(v->payload().size(), 35u);
    EXPECT_EQ(v->payload().data(), stp.data() + 3);
}

TEST(Llc, ReadsEveryFieldOfAnIFormatPdu) {
    const auto v = llc::view::checked(netbios_i);
    ASSERT_TRUE(v);
    EXPECT_EQ(v->dsap(), llc::sap::netbios);
    EXPECT_EQ(v->ssap(), llc::sap::netbios);
    EXPECT_FALSE(v->is_response());
    EXPECT_EQ(v->format(), llc::format::information);
    EXPECT_EQ(v->control_len(), 2u);
    EXPECT_EQ(v->header_len(), 4u);
    EXPECT_EQ(v->control(), 0x0c0a);
    EXPECT_EQ(v->send_seq(), 5);
    EXPECT_EQ(v->recv_seq(), 6);
    EXPECT_FALSE(v->poll_final());
    EXPECT_EQ(v->payload().size(), 2u);
}

TEST(Llc, ReadsEveryFieldOfAnSFormatPdu) {
    const auto v = llc::view::checked(netbios_rr);
    ASSERT_TRUE(v);
    EXPECT_EQ(v->ssap(), 0xf1);
    EXPECT_TRUE(v->is_response());
    EXPECT_EQ(v->format(), llc::format::supervisory);
    EXPECT_EQ(v->header_len(), 4u);
    EXPECT_EQ(v->control(), 0x0701);
    EXPECT_EQ(v->s_function(), llc::s_function::rr);
    EXPECT_EQ(v->recv_seq(), 3);
    EXPECT_TRUE(v->poll_final());
    EXPECT_TRUE(v->payload().empty());
}

TEST(Llc, SnapHeaderAfterLlc) {
    const auto l = llc::view::checked(cdp);
    ASSERT_TRUE(l);
    EXPECT_EQ(l->dsap(), llc::sap::snap);
    EXPECT_TRUE(l->is_snap());
    const auto s = snap::view::checked(l->payload());
    ASSERT_TRUE(s);
    EXPECT_EQ(s->oui(), 0x00000cu);
    EXPECT_EQ(s->oui(), snap::oui_cisco);
    EXPECT_EQ(s->protocol_id(), 0x2000);
    EXPECT_FALSE(s->is_ethertype());
    EXPECT_EQ(s->header_len(), 5u);
    EXPECT_EQ(s->header().size(), 5u);
    EXPECT_EQ(s->payload().size(), 16u);
    EXPECT_EQ(s->payload().data(), cdp.data() + 8);
}

TEST(Llc, SnapWithAnEtherType) {
    const auto l = llc::view::checked(rfc1042);
    ASSERT_TRUE(l);
    ASSERT_TRUE(l->is_snap());
    const auto s = snap::view::checked(l->payload());
    ASSERT_TRUE(s);
    EXPECT_EQ(s->oui(), snap::oui_ethertype);
    EXPECT_TRUE(s->is_ethertype());
    EXPECT_EQ(s->ethertype(), ethertype::ipv4);
    EXPECT_EQ(s->payload()[0], std::byte{0x45});
    // IEEE 802.1H bridge tunnel: also an EtherType.
    auto tunnel = copy_of(rfc1042);
    tunnel[5] = std::byte{0xf8};
    EXPECT_TRUE(snap::view::checked(bytes{tunnel}.subspan(3))->is_ethertype());
}

TEST(Llc, SnapIgnoresTheGroupAndResponseBitsButNotPollFinal) {
    auto pkt = copy_of(rfc1042);
    pkt[1] = std::byte{0xab}; // a response
    EXPECT_TRUE(llc::view::checked(pkt)->is_snap());
    pkt[2] = std::byte{0x13}; // UI with P/F set
    EXPECT_FALSE(llc::view::checked(pkt)->is_snap());
    pkt[2] = std::byte{0x03};
    pkt[0] = std::byte{0x42};
    EXPECT_FALSE(llc::view::checked(pkt)->is_snap());
}

TEST(Llc, EveryTruncationIsRejectedWithTheExactError) {
    for (std::size_t n = 0; n < 3; ++n) {
        for (const bytes pkt : {bytes{stp}, bytes{netbios_i}, bytes{netbios_rr}}) {
            EXPECT_ERROR(llc::view::checked(pkt.first(n)),
                         error::truncated(layer::llc, length_source::fixed_header, 0, 3, n));
        }
    }
    EXPECT_TRUE(llc::view::checked(bytes{stp}.first(3)));
    EXPECT_TRUE(llc::view::checked(bytes{netbios_i}.first(4)));
    for (std::size_t n = 0; n < 5; ++n) {
        EXPECT_ERROR(snap::view::checked(bytes{cdp}.subspan(3, n)),
                     error::truncated(layer::snap, length_source::fixed_header, 0, 5, n));
    }
    EXPECT_TRUE(snap::view::checked(bytes{cdp}.subspan(3, 5)));
}

TEST(Llc, RejectsATwoOctetControlFieldCutShort) {
    // The format bits of an I or S PDU announce a second control octet.
    EXPECT_ERROR(llc::view::checked(bytes{netbios_i}.first(3)),
                 error::truncated(layer::llc, length_source::header_length, 0, 4, 3));
    EXPECT_ERROR(llc::view::checked(bytes{netbios_rr}.first(3)),
                 error::truncated(layer::llc, length_source::header_length, 0, 4, 3));
}

TEST(Llc, UFormatFunctionsAndPollFinal) {
    auto pkt = copy_of(stp);
    pkt[2] = std::byte{0xf3}; // TEST with P
    const auto v = llc::view::checked(pkt);
    ASSERT_TRUE(v);
    EXPECT_EQ(v->format(), llc::format::unnumbered);
    EXPECT_EQ(v->u_function(), llc::u_function::test);
    EXPECT_TRUE(v->poll_final());
    EXPECT_EQ(v->control(), 0xf3);
    pkt[2] = std::byte{0xaf};
    EXPECT_EQ(llc::view::checked(pkt)->u_function(), llc::u_function::xid);
}

TEST(Llc, SetEveryFieldThenCompare) {
    std::array<std::byte, 6> buf{};
    auto v = llc::mut_view::unchecked(buf);
    v.set_dsap(llc::sap::netbios);
    v.set_ssap(llc::sap::netbios | llc::ssap_response_bit);
    v.set_control(llc::i_control(100, 27, true));
    const llc::view r = v;
    EXPECT_EQ(r.dsap(), 0xf0);
    EXPECT_EQ(r.ssap(), 0xf1);
    EXPECT_TRUE(r.is_response());
    EXPECT_EQ(r.format(), llc::format::information);
    EXPECT_EQ(r.send_seq(), 100);
    EXPECT_EQ(r.recv_seq(), 27);
    EXPECT_TRUE(r.poll_final());
    v.set_control(llc::s_control(llc::s_function::rej, 127));
    EXPECT_EQ(r.format(), llc::format::supervisory);
    EXPECT_EQ(r.s_function(), llc::s_function::rej);
    EXPECT_EQ(r.recv_seq(), 127);
    EXPECT_FALSE(r.poll_final());
    v.set_control(llc::u_control(llc::u_function::sabme, true));
    EXPECT_EQ(r.format(), llc::format::unnumbered);
    EXPECT_EQ(r.header_len(), 3u);
    EXPECT_EQ(r.u_function(), llc::u_function::sabme);
    EXPECT_TRUE(r.poll_final());
    EXPECT_EQ(r.dsap(), 0xf0); // neighbours untouched

    std::array<std::byte, 5> sbuf{};
    auto s = snap::mut_view::unchecked(sbuf);
    s.set_oui(snap::oui_bridge_tunnel);
    s.set_protocol_id(static_cast<std::uint16_t>(ethertype::ipx));
    const snap::view sr = s;
    EXPECT_EQ(sr.oui(), 0x0000f8u);
    EXPECT_TRUE(sr.is_ethertype());
    EXPECT_EQ(sr.ethertype(), ethertype::ipx);
}

TEST(Llc, ReprRoundTripReproducesTheHeaderBytes) {
    for (const bytes pkt : {bytes{stp}, bytes{cdp}, bytes{netbios_i}, bytes{netbios_rr}, bytes{rfc1042}}) {
        const auto v = llc::view::checked(pkt);
        ASSERT_TRUE(v);
        const auto r = llc::repr::parse(*v);
        ASSERT_TRUE(r);
        EXPECT_EQ(r->header_len(), v->header_len());
        std::vector<std::byte> out(r->header_len());
        r->emit(llc::mut_view::unchecked(out));
        EXPECT_TRUE(std::equal(out.begin(), out.end(), pkt.begin()));
        const auto again = llc::repr::parse(*llc::view::checked(out));
        ASSERT_TRUE(again);
        EXPECT_EQ(*again, *r);
    }
    for (const bytes pkt : {bytes{cdp}, bytes{rfc1042}}) {
        const auto v = snap::view::checked(pkt.subspan(3));
        ASSERT_TRUE(v);
        const auto r = snap::repr::parse(*v);
        ASSERT_TRUE(r);
        EXPECT_EQ(r->header_len(), 5u);
        std::array<std::byte, 5> out{};
        r->emit(snap::mut_view::unchecked(out));
        EXPECT_TRUE(std::equal(out.begin(), out.end(), pkt.begin() + 3));
        EXPECT_EQ(*snap::repr::parse(*snap::view::checked(out)), *r);
    }
    EXPECT_EQ(snap::repr::for_ethertype(ethertype::ipv4),
              *snap::repr::parse(*snap::view::checked(bytes{rfc1042}.subspan(3))));
}

TEST(Llc, ReprEmitsEachControlFormat) {
    llc::repr r{llc::sap::netbios, llc::sap::netbios, llc::i_control(5, 6)};
    EXPECT_EQ(r.header_len(), 4u);
    std::array<std::byte, 4> out{};
    r.emit(llc::mut_view::unchecked(out));
    EXPECT_TRUE(std::equal(out.begin(), out.end(), netbios_i.begin()));
    r = {llc::sap::netbios, llc::sap::netbios | llc::ssap_response_bit, llc::s_control(llc::s_function::rr, 3, true)};
    r.emit(llc::mut_view::unchecked(out));
    EXPECT_TRUE(std::equal(out.begin(), out.end(), netbios_rr.begin()));
    r = llc::repr{};
    EXPECT_EQ(r.header_len(), 3u);
    r.emit(llc::mut_view::unchecked(out));
    EXPECT_TRUE(std::equal(out.begin(), out.begin() + 3, rfc1042.begin()));
}

} // namespace
