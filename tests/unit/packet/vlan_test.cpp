// SPDX-License-Identifier: BSD-3-Clause
#include <rawpkt/packet/vlan.hpp>

#include "support/hex.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <vector>

using namespace rawpkt;
using namespace rawpkt::test;

namespace {

// pcapplusplus__ArpRequestWithVlan.pcap frame 1, after the Ethernet header
// (Type: 802.1Q Virtual LAN (0x8100)):
// 802.1Q Virtual LAN, PRI: 5, DEI: 1, ID: 666
//     101. .... .... .... = Priority: Voice, < 10ms latency and jitter (5)
//     ...1 .... .... .... = DEI: Eligible
//     .... 0010 1001 1010 = ID: 666
//     Type: 802.1Q Virtual LAN (0x8100)
// 802.1Q Virtual LAN, PRI: 2, DEI: 0, ID: 200
//     010. .... .... .... = Priority: Excellent Effort (2)
//     ...0 .... .... .... = DEI: Ineligible
//     .... 0000 1100 1000 = ID: 200
//     Type: ARP (0x0806)
// Address Resolution Protocol (request), 28 bytes
constexpr auto two_tags = R"(
    b2 9a 81 00 40 c8 08 06 00 01 08 00 06 04 00 01
    ca 03 0d b4 00 1c c0 a8 02 c8 00 00 00 00 00 00
    c0 a8 02 fe)"_hex;

// tcpdump__802.1ad_QinQ.pcap frame 1, after the Ethernet header
// (Type: 802.1ad Provider Bridge (Q-in-Q) (0x88a8)):
// IEEE 802.1ad, ID: 200
//     000. .... .... .... = Priority: 0
//     ...0 .... .... .... = DEI: 0
//     .... 0000 1100 1000 = ID: 200
//     Type: 802.1Q Virtual LAN (0x8100)
// 802.1Q Virtual LAN, PRI: 0, DEI: 0, ID: 2001
//     Type: ARP (0x0806)
//     Padding: 00000000000000000000
//     Trailer: 00000000
// Address Resolution Protocol (request), 28 bytes
constexpr auto qinq = R"(
    00 c8 81 00 07 d1 08 06 00 01 08 00 06 04 00 01
    00 20 d2 5a fb 3f ac 15 4f 61 00 00 00 00 00 00
    ac 15 4f 64 00 00 00 00 00 00 00 00 00 00 00 00
    00 00)"_hex;

// pcapplusplus__VlanPackets.pcap frame 21 (375 bytes), the first 40 bytes
// after the Ethernet header (Type: 802.1Q Virtual LAN (0x8100)):
// 802.1Q Virtual LAN, PRI: 5, DEI: 0, ID: 118
//     101. .... .... .... = Priority: Voice, < 10ms latency and jitter (5)
//     ...0 .... .... .... = DEI: Ineligible
//     .... 0000 0111 0110 = ID: 118
//     Length: 357
// Logical-Link Control
//     DSAP: SNAP (0xaa), SSAP: SNAP (0xaa), Control field: U, func=UI (0x03)
//     Organization Code: 00:00:0c (Cisco Systems, Inc), PID: CDP (0x2000)
// Cisco Discovery Protocol
constexpr auto tag_over_llc = R"(
    a0 76 01 65 aa aa 03 00 00 0c 20 00 02 b4 ba e2
    00 01 00 06 52 31 00 05 00 fd 43 69 73 63 6f 20
    49 4f 53 20 53 6f 66 74)"_hex;

// Accessors are usable in constant expressions.
static_assert(vlan::view::checked(two_tags).has_value());
static_assert(vlan::view::checked(two_tags)->vid() == 666);
static_assert(vlan::view::checked(two_tags)->pcp() == 5);
static_assert(vlan::view::checked(two_tags)->dei());
static_assert(vlan::is_tag_type(vlan::view::checked(two_tags)->ethertype()));
static_assert(vlan::tag_range(ethertype::vlan, two_tags).inner()->type == ethertype::arp);
static_assert(vlan::tag_range(ethertype::qinq, qinq).inner()->offset == 8);
static_assert(vlan::view::checked_header(tag_over_llc)->length_field() == 357);
static_assert(vlan::view::checked(bytes{two_tags}.first(3)).error().code == errc::truncated);

std::vector<vlan::tag> collect(ethertype first, bytes b) {
    std::vector<vlan::tag> out;
    for (const auto& t : vlan::tag_range(first, b)) {
        EXPECT_TRUE(t);
        if (!t) break;
        out.push_back(*t);
    }
    return out;
}

TEST(Vlan, ReadsEveryField) {
    const auto v = vlan::view::checked(two_tags);
    ASSERT_TRUE(v);
    EXPECT_EQ(v->tci(), 0xb29a);
    EXPECT_EQ(v->pcp(), 5);
    EXPECT_TRUE(v->dei());
    EXPECT_EQ(v->vid(), 666);
    EXPECT_EQ(v->type_len(), 0x8100);
    EXPECT_EQ(v->ethertype(), ethertype::vlan);
    EXPECT_TRUE(v->is_ethertype());
    EXPECT_FALSE(v->is_length());
    EXPECT_EQ(v->header_len(), 4u);
    EXPECT_EQ(v->header().size(), 4u);
    EXPECT_EQ(v->payload().size(), 32u);
    EXPECT_EQ(v->payload().data(), two_tags.data() + 4);
    EXPECT_TRUE(v->padding().empty());
    const auto inner = vlan::view::checked(v->payload());
    ASSERT_TRUE(inner);
    EXPECT_EQ(inner->pcp(), 2);
    EXPECT_FALSE(inner->dei());
    EXPECT_EQ(inner->vid(), 200);
    EXPECT_EQ(inner->ethertype(), ethertype::arp);
}

TEST(Vlan, TagTypes) {
    EXPECT_TRUE(vlan::is_tag_type(ethertype::vlan));
    EXPECT_TRUE(vlan::is_tag_type(ethertype::qinq));
    EXPECT_TRUE(vlan::is_tag_type(static_cast<ethertype>(0x9100)));
    EXPECT_TRUE(vlan::is_tag_type(static_cast<ethertype>(0x9200)));
    EXPECT_FALSE(vlan::is_tag_type(ethertype::ipv4));
    EXPECT_FALSE(vlan::is_tag_type(static_cast<ethertype>(0x9300)));
}

TEST(Vlan, TagStackOfTwoCTags) {
    const auto tags = collect(ethertype::vlan, two_tags);
    ASSERT_EQ(tags.size(), 2u);
    EXPECT_EQ(tags[0], (vlan::tag{ethertype::vlan, 0xb29a, ethertype::vlan, 0}));
    EXPECT_EQ(tags[0].pcp(), 5);
    EXPECT_TRUE(tags[0].dei());
    EXPECT_EQ(tags[0].vid(), 666);
    EXPECT_EQ(tags[1], (vlan::tag{ethertype::vlan, 0x40c8, ethertype::arp, 4}));
    EXPECT_EQ(tags[1].pcp(), 2);
    EXPECT_FALSE(tags[1].dei());
    EXPECT_EQ(tags[1].vid(), 200);
    const auto end = vlan::tag_range(ethertype::vlan, two_tags).inner();
    ASSERT_TRUE(end);
    EXPECT_EQ(*end, (vlan::stack_end{ethertype::arp, 8, 2}));
}

TEST(Vlan, TagStackOfAnSTagAndACTag) {
    const auto tags = collect(ethertype::qinq, qinq);
    ASSERT_EQ(tags.size(), 2u);
    EXPECT_EQ(tags[0].tpid, ethertype::qinq);
    EXPECT_EQ(tags[0].vid(), 200);
    EXPECT_EQ(tags[0].next, ethertype::vlan);
    EXPECT_EQ(tags[1].tpid, ethertype::vlan);
    EXPECT_EQ(tags[1].vid(), 2001);
    EXPECT_EQ(tags[1].offset, 4u);
    EXPECT_EQ(*vlan::tag_range(ethertype::qinq, qinq).inner(), (vlan::stack_end{ethertype::arp, 8, 2}));
}

TEST(Vlan, TagStacksOfAnyDepth) {
    // Crafted: 200 tags alternating S-tag and pre-standard 0x9100, then IPv6.
    std::vector<std::byte> pkt(200 * 4 + 8);
    for (std::size_t i = 0; i < 200; ++i) {
        auto t = vlan::mut_view::unchecked(mut_bytes{pkt}.subspan(i * 4, 4));
        t.set_vid(static_cast<std::uint16_t>(i + 1));
        t.set_ethertype(i == 199 ? ethertype::ipv6 : (i % 2 ? ethertype::qinq : ethertype::qinq_old));
    }
    std::size_t n = 0;
    for (const auto& t : vlan::tag_range(ethertype::qinq, pkt)) {
        ASSERT_TRUE(t);
        EXPECT_EQ(t->vid(), n + 1);
        EXPECT_EQ(t->offset, n * 4);
        ++n;
    }
    EXPECT_EQ(n, 200u);
    EXPECT_EQ(*vlan::tag_range(ethertype::qinq, pkt).inner(), (vlan::stack_end{ethertype::ipv6, 800, 200}));
}

TEST(Vlan, NoTagsWhenTheFirstTypeIsNotATpid) {
    const vlan::tag_range none(ethertype::ipv4, two_tags);
    EXPECT_TRUE(none.empty());
    EXPECT_TRUE(none.begin() == none.end());
    EXPECT_EQ(*none.inner(), (vlan::stack_end{ethertype::ipv4, 0, 0}));
    EXPECT_FALSE(vlan::tag_range(ethertype::vlan, two_tags).empty());
}

TEST(Vlan, TagOverAnLlcPdu) {
    // The tag's length bounds the LLC PDU; only 40 of its bytes are here.
    EXPECT_ERROR(vlan::view::checked(tag_over_llc),
                 error::truncated(layer::vlan, length_source::payload_length, 0, 361, 40));
    const auto v = vlan::view::checked_header(tag_over_llc);
    ASSERT_TRUE(v);
    EXPECT_EQ(v->pcp(), 5);
    EXPECT_EQ(v->vid(), 118);
    EXPECT_TRUE(v->is_length());
    EXPECT_FALSE(v->is_ethertype());
    EXPECT_EQ(v->length_field(), 357);
    EXPECT_EQ(v->payload().size(), 36u);
    EXPECT_TRUE(v->padding().empty());
    // The stack ends at the length.
    EXPECT_EQ(*vlan::tag_range(ethertype::vlan, tag_over_llc).inner(),
              (vlan::stack_end{static_cast<ethertype>(357), 4, 1}));
    // With the whole PDU present, anything after it is padding.
    auto pkt = copy_of(tag_over_llc);
    pkt[2] = std::byte{0x00};
    pkt[3] = std::byte{30};
    const auto whole = vlan::view::checked(pkt);
    ASSERT_TRUE(whole);
    EXPECT_EQ(whole->payload().size(), 30u);
    EXPECT_EQ(whole->padding().size(), 6u);
}

TEST(Vlan, EveryTruncationIsRejectedWithTheExactError) {
    for (std::size_t n = 0; n <= two_tags.size(); ++n) {
        const bytes cut = bytes{two_tags}.first(n);
        const auto v = vlan::view::checked(cut);
        const auto end = vlan::tag_range(ethertype::vlan, cut).inner();
        if (n < 4) {
            EXPECT_ERROR(v, error::truncated(layer::vlan, length_source::fixed_header, 0, 4, n));
            EXPECT_ERROR(end, error::truncated(layer::vlan, length_source::fixed_header, 0, 4, n));
        } else if (n < 8) {
            ASSERT_TRUE(v) << n;
            // The second tag is cut: the error is at its offset.
            EXPECT_ERROR(end, error::truncated(layer::vlan, length_source::fixed_header, 4, 4, n - 4));
        } else {
            ASSERT_TRUE(v) << n;
            ASSERT_TRUE(end) << n;
            EXPECT_EQ(*end, (vlan::stack_end{ethertype::arp, 8, 2}));
        }
    }
    for (std::size_t n = 4; n < tag_over_llc.size(); ++n) {
        EXPECT_ERROR(vlan::view::checked(bytes{tag_over_llc}.first(n)),
                     error::truncated(layer::vlan, length_source::payload_length, 0, 361, n));
    }
}

TEST(Vlan, RejectsTypeLengthBetween1501And1535) {
    auto pkt = copy_of(two_tags);
    pkt[6] = std::byte{0x05};
    pkt[7] = std::byte{0xff};
    const auto v = vlan::view::checked(bytes{pkt}.subspan(4));
    EXPECT_ERROR(v, error::invalid(layer::vlan, errc::bad_value, length_source::none, 2, 0, 0x05ff));
    // The iterator reports it at the tag's offset in its buffer, then ends.
    std::size_t seen = 0;
    for (const auto& t : vlan::tag_range(ethertype::vlan, pkt)) {
        ++seen;
        ASSERT_LE(seen, 2u);
        if (seen == 1) {
            EXPECT_TRUE(t);
        } else {
            EXPECT_ERROR(t, error::invalid(layer::vlan, errc::bad_value, length_source::none, 6, 0, 0x05ff));
        }
    }
    EXPECT_EQ(seen, 2u);
    EXPECT_ERROR(vlan::tag_range(ethertype::vlan, pkt).inner(),
                 error::invalid(layer::vlan, errc::bad_value, length_source::none, 6, 0, 0x05ff));
}

TEST(Vlan, IteratorEndsAfterAnError) {
    // A stack that claims one more tag than the buffer holds.
    auto pkt = copy_of(two_tags);
    pkt[6] = std::byte{0x88};
    pkt[7] = std::byte{0xa8};
    std::vector<result<vlan::tag>> seen;
    for (const auto& t : vlan::tag_range(ethertype::vlan, bytes{pkt}.first(10))) seen.push_back(t);
    ASSERT_EQ(seen.size(), 3u);
    EXPECT_TRUE(seen[0]);
    EXPECT_TRUE(seen[1]);
    EXPECT_ERROR(seen[2], error::truncated(layer::vlan, length_source::fixed_header, 8, 4, 2));
}

TEST(Vlan, SetEveryFieldThenCompare) {
    std::array<std::byte, 8> buf{};
    auto v = vlan::mut_view::unchecked(buf);
    v.set_pcp(7);
    v.set_dei(true);
    v.set_vid(4094);
    v.set_ethertype(ethertype::mpls_unicast);
    const vlan::view r = v;
    EXPECT_EQ(r.pcp(), 7);
    EXPECT_TRUE(r.dei());
    EXPECT_EQ(r.vid(), 4094);
    EXPECT_EQ(r.tci(), 0xfffe);
    EXPECT_EQ(r.ethertype(), ethertype::mpls_unicast);
    // Setting one field leaves its neighbours alone.
    v.set_dei(false);
    EXPECT_EQ(r.pcp(), 7);
    EXPECT_EQ(r.vid(), 4094);
    v.set_vid(vlan::vid_priority_tag);
    EXPECT_EQ(r.pcp(), 7);
    EXPECT_FALSE(r.dei());
    v.set_pcp(1);
    EXPECT_EQ(r.vid(), 0);
    EXPECT_EQ(r.tci(), 0x2000);
    v.set_tci(0x5123);
    EXPECT_EQ(r.pcp(), 2);
    EXPECT_TRUE(r.dei());
    EXPECT_EQ(r.vid(), 0x123);
    v.set_type_len(2);
    EXPECT_TRUE(r.is_length());
    EXPECT_EQ(r.payload().size(), 2u);
    EXPECT_EQ(r.padding().size(), 2u);
}

TEST(Vlan, ReprRoundTripReproducesTheHeaderBytes) {
    for (const bytes pkt : {bytes{two_tags}, bytes{two_tags}.subspan(4), bytes{qinq}, bytes{qinq}.subspan(4)}) {
        const auto v = vlan::view::checked(pkt);
        ASSERT_TRUE(v);
        const auto r = vlan::repr::parse(*v);
        ASSERT_TRUE(r);
        EXPECT_EQ(r->header_len(), 4u);
        std::array<std::byte, 4> out{};
        out.fill(std::byte{0xff});
        r->emit(vlan::mut_view::unchecked(out));
        EXPECT_TRUE(std::equal(out.begin(), out.end(), pkt.begin()));
        EXPECT_EQ(*vlan::repr::parse(*vlan::view::checked(out)), *r);
    }
    const auto r = vlan::repr::parse(*vlan::view::checked(two_tags));
    EXPECT_EQ(*r, (vlan::repr{5, true, 666, ethertype::vlan}));
}

TEST(Vlan, ReprRejectsATagOverALength) {
    EXPECT_ERROR(vlan::repr::parse(*vlan::view::checked_header(tag_over_llc)),
                 error::invalid(layer::vlan, errc::unsupported, length_source::none, 2, 0, 357));
}

} // namespace
