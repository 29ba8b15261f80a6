// SPDX-License-Identifier: BSD-3-Clause
#include <rawpkt/packet/mpls.hpp>

#include "support/hex.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <vector>

using namespace rawpkt;
using namespace rawpkt::test;

namespace {

// pcapplusplus__MplsPackets.pcap frame 2, the first 16 bytes after the
// Ethernet header (Type: MPLS label switched packet (0x8847)):
// MultiProtocol Label Switching Header, Label: 18, Exp: 0, S: 0, TTL: 254
//     0000 0000 0000 0001 0010 .... .... .... = MPLS Label: 18 (0x00012)
//     .... .... .... .... .... 000. .... .... = MPLS Experimental Bits: 0
//     .... .... .... .... .... ...0 .... .... = MPLS Bottom Of Label Stack: 0
//     .... .... .... .... .... .... 1111 1110 = MPLS TTL: 254
// MultiProtocol Label Switching Header, Label: 16, Exp: 0, S: 1, TTL: 255
// PW Ethernet Control Word
//     Sequence Number: 0
// Ethernet II, Src: cc:00:0a:64:00:00, Dst: cc:07:0d:08:00:00 (first 4 bytes)
constexpr auto pseudowire = R"(
    00 01 20 fe 00 01 01 ff 00 00 00 00 cc 07 0d 08)"_hex;

// pcapplusplus__MplsPackets.pcap frame 1, the first 12 bytes after two
// 802.1Q tags (Type: MPLS label switched packet (0x8847)):
// MultiProtocol Label Switching Header, Label: 16000, Exp: 0, S: 1, TTL: 126
//     0000 0011 1110 1000 0000 .... .... .... = MPLS Label: 16000 (0x03e80)
//     .... .... .... .... .... ...1 .... .... = MPLS Bottom Of Label Stack: 1
//     .... .... .... .... .... .... 0111 1110 = MPLS TTL: 126
// Internet Protocol Version 4, Src: 2.3.4.6, Dst: 12.13.14.15
constexpr auto over_vlan = R"(03 e8 01 7e 45 00 01 4f 7a c5 00 00)"_hex;

// tcpdump__mpls-over-udp.pcap frame 1, the UDP payload (dst port 6635), first 12 bytes:
// MultiProtocol Label Switching Header, Label: 21, Exp: 0, S: 1, TTL: 63
//     0000 0000 0000 0001 0101 .... .... .... = MPLS Label: 21 (0x00015)
//     .... .... .... .... .... 000. .... .... = MPLS Experimental Bits: 0
//     .... .... .... .... .... ...1 .... .... = MPLS Bottom Of Label Stack: 1
//     .... .... .... .... .... .... 0011 1111 = MPLS TTL: 63
// Internet Protocol Version 4, Src: 10.3.0.10, Dst: 10.1.0.10
constexpr auto over_udp = R"(00 01 51 3f 45 00 00 54 67 6f 40 00)"_hex;

// tcpdump__mpls-traceroute.pcap frame 1, after the PPP header (Protocol:
// MPLS Unicast (0x0281)), first 12 bytes:
// MultiProtocol Label Switching Header, Label: 100704, Exp: 0, S: 1, TTL: 1
//     0001 1000 1001 0110 0000 .... .... .... = MPLS Label: 100704 (0x18960)
//     .... .... .... .... .... 000. .... .... = MPLS Experimental Bits: 0
//     .... .... .... .... .... ...1 .... .... = MPLS Bottom Of Label Stack: 1
//     .... .... .... .... .... .... 0000 0001 = MPLS TTL: 1
// Internet Protocol Version 4, Src: 12.4.4.4, Dst: 12.1.1.1
constexpr auto over_ppp = R"(18 96 01 01 45 00 00 28 a5 4c 00 00)"_hex;

// Accessors are usable in constant expressions.
static_assert(mpls::view::checked(pseudowire).has_value());
static_assert(mpls::view::checked(pseudowire)->label() == 18);
static_assert(!mpls::view::checked(pseudowire)->bottom_of_stack());
static_assert(mpls::view::checked(over_ppp)->label() == 100704);
static_assert(*mpls::label_stack(pseudowire).len() == 8);
static_assert(*mpls::guess_payload(*mpls::label_stack(over_udp).payload()) == ethertype::ipv4);
static_assert(mpls::view::checked(bytes{over_ppp}.first(3)).error().code == errc::truncated);

std::vector<mpls::entry> collect(bytes b) {
    std::vector<mpls::entry> out;
    for (const auto& e : mpls::label_stack(b)) {
        EXPECT_TRUE(e);
        if (!e) break;
        out.push_back(*e);
    }
    return out;
}

TEST(Mpls, ReadsEveryField) {
    const auto v = mpls::view::checked(pseudowire);
    ASSERT_TRUE(v);
    EXPECT_EQ(v->entry(), 0x000120feu);
    EXPECT_EQ(v->label(), 18u);
    EXPECT_EQ(v->tc(), 0);
    EXPECT_FALSE(v->bottom_of_stack());
    EXPECT_EQ(v->ttl(), 254);
    EXPECT_EQ(v->header_len(), 4u);
    EXPECT_EQ(v->header().size(), 4u);
    EXPECT_EQ(v->payload().size(), 12u);
    EXPECT_EQ(v->payload().data(), pseudowire.data() + 4);
    const auto bottom = mpls::view::checked(v->payload());
    ASSERT_TRUE(bottom);
    EXPECT_EQ(bottom->label(), 16u);
    EXPECT_TRUE(bottom->bottom_of_stack());
    EXPECT_EQ(bottom->ttl(), 255);

    const auto p = mpls::view::checked(over_ppp);
    EXPECT_EQ(p->label(), 100704u);
    EXPECT_TRUE(p->bottom_of_stack());
    EXPECT_EQ(p->ttl(), 1);
    const auto u = mpls::view::checked(over_udp);
    EXPECT_EQ(u->label(), 21u);
    EXPECT_EQ(u->ttl(), 63);
}

TEST(Mpls, LabelStacks) {
    const auto two = collect(pseudowire);
    ASSERT_EQ(two.size(), 2u);
    EXPECT_EQ(two[0], (mpls::entry{18, 0, false, 254, 0}));
    EXPECT_EQ(two[1], (mpls::entry{16, 0, true, 255, 4}));
    EXPECT_EQ(*mpls::label_stack(pseudowire).len(), 8u);
    const auto pw = mpls::label_stack(pseudowire).payload();
    ASSERT_TRUE(pw);
    EXPECT_EQ(pw->size(), 8u);
    EXPECT_EQ(pw->data(), pseudowire.data() + 8);

    for (const bytes pkt : {bytes{over_vlan}, bytes{over_udp}, bytes{over_ppp}}) {
        const auto one = collect(pkt);
        ASSERT_EQ(one.size(), 1u);
        EXPECT_TRUE(one[0].bottom_of_stack);
        EXPECT_EQ(*mpls::label_stack(pkt).len(), 4u);
        EXPECT_EQ(mpls::label_stack(pkt).payload()->size(), 8u);
    }
    EXPECT_EQ(collect(over_vlan)[0], (mpls::entry{16000, 0, true, 126, 0}));
}

TEST(Mpls, GuessesThePayloadFromItsFirstNibble) {
    for (const bytes pkt : {bytes{over_vlan}, bytes{over_udp}, bytes{over_ppp}}) {
        EXPECT_EQ(*mpls::guess_payload(*mpls::label_stack(pkt).payload()), ethertype::ipv4);
    }
    const auto v6 = make_bytes(0x60, 0x00, 0x00, 0x00);
    EXPECT_EQ(*mpls::guess_payload(v6), ethertype::ipv6);
    // A pseudowire control word starts with nibble 0: not guessed.
    EXPECT_ERROR(mpls::guess_payload(*mpls::label_stack(pseudowire).payload()),
                 error::invalid(layer::mpls, errc::unsupported, length_source::none, 0, 0, 0));
    EXPECT_ERROR(mpls::guess_payload(bytes{}), error::truncated(layer::mpls, length_source::fixed_header, 0, 1, 0));
}

TEST(Mpls, EveryTruncationIsRejectedWithTheExactError) {
    for (std::size_t n = 0; n <= pseudowire.size(); ++n) {
        const bytes cut = bytes{pseudowire}.first(n);
        const auto v = mpls::view::checked(cut);
        const auto len = mpls::label_stack(cut).len();
        if (n < 4) {
            EXPECT_ERROR(v, error::truncated(layer::mpls, length_source::fixed_header, 0, 4, n));
            EXPECT_ERROR(len, error::truncated(layer::mpls, length_source::fixed_header, 0, 4, n));
        } else if (n < 8) {
            ASSERT_TRUE(v) << n;
            // No bottom of stack yet: the missing entry is reported where it should start.
            EXPECT_ERROR(len, error::truncated(layer::mpls, length_source::fixed_header, 4, 4, n - 4));
            EXPECT_ERROR(mpls::label_stack(cut).payload(),
                         error::truncated(layer::mpls, length_source::fixed_header, 4, 4, n - 4));
        } else {
            ASSERT_TRUE(v) << n;
            EXPECT_EQ(*len, 8u);
            EXPECT_EQ(mpls::label_stack(cut).payload()->size(), n - 8);
        }
    }
}

TEST(Mpls, RejectsAStackWithoutBottom) {
    // Crafted: three entries, none with S set, fill the buffer.
    std::array<std::byte, 12> pkt{};
    for (std::size_t i = 0; i < 3; ++i) {
        mpls::repr{static_cast<std::uint32_t>(100 + i), 0, false, 64}.emit(
            mpls::mut_view::unchecked(mut_bytes{pkt}.subspan(4 * i)));
    }
    std::vector<result<mpls::entry>> seen;
    for (const auto& e : mpls::label_stack(pkt)) seen.push_back(e);
    ASSERT_EQ(seen.size(), 4u); // three entries, then the error, then the end
    EXPECT_EQ(seen[2]->label, 102u);
    EXPECT_ERROR(seen[3], error::truncated(layer::mpls, length_source::fixed_header, 12, 4, 0));
    EXPECT_ERROR(mpls::label_stack(pkt).len(), error::truncated(layer::mpls, length_source::fixed_header, 12, 4, 0));
}

TEST(Mpls, EmptyBuffer) {
    const mpls::label_stack s{bytes{}};
    auto it = s.begin();
    ASSERT_FALSE(it == s.end());
    EXPECT_ERROR(*it, error::truncated(layer::mpls, length_source::fixed_header, 0, 4, 0));
    ++it;
    EXPECT_TRUE(it == s.end());
}

TEST(Mpls, SetEveryFieldThenCompare) {
    std::array<std::byte, 4> buf{};
    auto v = mpls::mut_view::unchecked(buf);
    v.set_label(mpls::max_label);
    v.set_tc(5);
    v.set_bottom_of_stack(true);
    v.set_ttl(200);
    const mpls::view r = v;
    EXPECT_EQ(r.label(), 0xfffffu);
    EXPECT_EQ(r.tc(), 5);
    EXPECT_TRUE(r.bottom_of_stack());
    EXPECT_EQ(r.ttl(), 200);
    EXPECT_EQ(r.entry(), 0xfffffbc8u);
    // Setting one field leaves its neighbours alone.
    v.set_label(mpls::label::router_alert);
    EXPECT_EQ(r.tc(), 5);
    EXPECT_TRUE(r.bottom_of_stack());
    EXPECT_EQ(r.ttl(), 200);
    v.set_tc(0);
    v.set_bottom_of_stack(false);
    EXPECT_EQ(r.label(), 1u);
    EXPECT_EQ(r.ttl(), 200);
    v.set_ttl(0);
    EXPECT_EQ(r.entry(), 0x00001000u);
    v.set_entry(0x12345678u);
    EXPECT_EQ(r.label(), 0x12345u);
}

TEST(Mpls, ReprRoundTripReproducesTheEntryBytes) {
    for (const bytes pkt :
         {bytes{pseudowire}, bytes{pseudowire}.subspan(4), bytes{over_vlan}, bytes{over_udp}, bytes{over_ppp}}) {
        const auto v = mpls::view::checked(pkt);
        ASSERT_TRUE(v);
        const auto r = mpls::repr::parse(*v);
        ASSERT_TRUE(r);
        EXPECT_EQ(r->header_len(), 4u);
        std::array<std::byte, 4> out{};
        r->emit(mpls::mut_view::unchecked(out));
        EXPECT_TRUE(std::equal(out.begin(), out.end(), pkt.begin()));
        EXPECT_EQ(*mpls::repr::parse(*mpls::view::checked(out)), *r);
    }
    EXPECT_EQ(*mpls::repr::parse(*mpls::view::checked(over_ppp)), (mpls::repr{100704, 0, true, 1}));
}

} // namespace
