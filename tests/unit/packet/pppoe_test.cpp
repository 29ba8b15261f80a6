// SPDX-License-Identifier: BSD-3-Clause
#include <rawpkt/packet/pppoe.hpp>

#include "support/hex.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <vector>

using namespace rawpkt;
using namespace rawpkt::test;

namespace {

// pcapplusplus__PPPoESession.pcap frame 1, after the Ethernet header
// (Type: PPPoE Session (0x8864)); 20 bytes of Ethernet padding follow:
// PPP-over-Ethernet Session
//     0001 .... = Version: 1
//     .... 0001 = Type: 1
//     Code: Session Data (0x00)
//     Session ID: 0x0011
//     Payload Length: 20
// Point-to-Point Protocol
//     Protocol: Link Control Protocol (0xc021)
// PPP Link Control Protocol
//     Code: Configuration Ack (2)
//     Identifier: 2 (0x02)
//     Length: 18
//     Options: (14 bytes), Maximum Receive Unit, Authentication Protocol, Magic Number
constexpr auto lcp = R"(
    11 00 00 11 00 14 c0 21 02 02 00 12 01 04 05 dc
    03 04 c0 23 05 06 01 fc cb fb 00 00 00 00 00 00
    00 00 00 00 00 00 00 00 00 00 00 00 00 00)"_hex;

// Same file, frame 2, the first 24 of 152 bytes after the Ethernet header:
// PPP-over-Ethernet Session
//     Version: 1, Type: 1, Code: Session Data (0x00)
//     Session ID: 0x0011
//     Payload Length: 146
// Point-to-Point Protocol
//     Protocol: Internet Protocol version 6 (0x0057)
// Internet Protocol Version 6, Src: fe80::c801:eff:fe88:8, Dst: fe80::ce05:eff:fe88:0
constexpr auto ipv6_start = R"(
    11 00 00 11 00 92 00 57 6e 00 00 00 00 68 11 ff
    fe 80 00 00 00 00 00 00)"_hex;

// pcapplusplus__packet_trailer.pcap frame 2, after the Ethernet header
// (Type: PPPoE Discovery (0x8863)); 28 bytes of Ethernet padding follow.
// The tags are an empty Service-Name (01 01 00 00), which tshark does not
// list, and a Host-Uniq:
// PPP-over-Ethernet Discovery
//     0001 .... = Version: 1
//     .... 0001 = Type: 1
//     Code: Active Discovery Initiation (PADI) (0x09)
//     Session ID: 0x0000
//     Payload Length: 12
//     PPPoE Tags
//         Host-Uniq: 64138518
constexpr auto padi = R"(
    11 09 00 00 00 0c 01 01 00 00 01 03 00 04 64 13
    85 18 00 00 00 00 00 00 00 00 00 00 00 00 00 00
    00 00 00 00 00 00 00 00 00 00 00 00 00 00)"_hex;

// Crafted (the corpus has no compressed protocol field): a session packet
// whose PPP protocol field is one octet (0x21, IPv4). tshark 4.0 on it:
// PPP-over-Ethernet Session
//     Version: 1, Type: 1, Code: Session Data (0x00)
//     Session ID: 0x0011
//     Payload Length: 5
// Point-to-Point Protocol
//     Protocol: Internet Protocol version 4 (0x0021)
constexpr auto compressed = R"(11 00 00 11 00 05 21 45 00 00 14)"_hex;

// Accessors are usable in constant expressions.
static_assert(pppoe::view::checked(lcp).has_value());
static_assert(pppoe::view::checked(lcp)->session_id() == 0x11);
static_assert(pppoe::view::checked(lcp)->ppp_protocol() == ppp::protocol::lcp);
static_assert(pppoe::view::checked(lcp)->payload().size() == 20);
static_assert(*pppoe::view::checked_header(ipv6_start)->payload_ethertype() == ethertype::ipv6);
static_assert(pppoe::discovery_view::checked(padi)->code() == pppoe::code::padi);
static_assert(pppoe::view::checked(bytes{lcp}.first(5)).error().code == errc::truncated);

TEST(Pppoe, ReadsEveryFieldOfASessionPacket) {
    const auto v = pppoe::view::checked(lcp);
    ASSERT_TRUE(v);
    EXPECT_EQ(v->version(), 1);
    EXPECT_EQ(v->type(), 1);
    EXPECT_EQ(v->code(), pppoe::code::session_data);
    EXPECT_EQ(v->session_id(), 0x0011);
    EXPECT_EQ(v->length(), 20);
    EXPECT_EQ(v->header_len(), 6u);
    EXPECT_EQ(v->header().size(), 6u);
    EXPECT_TRUE(v->is_complete());
    EXPECT_EQ(v->ppp_protocol_len(), 2u);
    EXPECT_EQ(v->ppp_protocol_number(), 0xc021);
    EXPECT_EQ(v->ppp_protocol(), ppp::protocol::lcp);
    EXPECT_ERROR(v->payload_ethertype(),
                 error::invalid(layer::ppp, errc::unsupported, length_source::none, 6, 0, 0xc021));
    // The payload stops at the length field: the padding is not payload.
    EXPECT_EQ(v->payload().size(), 20u);
    EXPECT_EQ(v->payload().data(), lcp.data() + 6);
    EXPECT_EQ(v->ppp_payload().size(), 18u);
    EXPECT_EQ(v->ppp_payload().data(), lcp.data() + 8);
    // The payload is a PPP frame without address and control.
    const auto p = ppp::view::checked(v->payload());
    ASSERT_TRUE(p);
    EXPECT_FALSE(p->has_address_control());
    EXPECT_EQ(p->protocol(), ppp::protocol::lcp);
}

TEST(Pppoe, SessionPacketCutByTheCapture) {
    EXPECT_ERROR(pppoe::view::checked(ipv6_start),
                 error::truncated(layer::pppoe, length_source::payload_length, 0, 152, 24));
    const auto v = pppoe::view::checked_header(ipv6_start);
    ASSERT_TRUE(v);
    EXPECT_FALSE(v->is_complete());
    EXPECT_EQ(v->length(), 146);
    EXPECT_EQ(v->ppp_protocol(), ppp::protocol::ipv6);
    EXPECT_EQ(*v->payload_ethertype(), ethertype::ipv6);
    EXPECT_EQ(v->payload().size(), 18u);
    EXPECT_EQ(v->ppp_payload().size(), 16u);
    EXPECT_EQ(v->ppp_payload()[0], std::byte{0x6e});
}

TEST(Pppoe, CompressedProtocolField) {
    const auto v = pppoe::view::checked(compressed);
    ASSERT_TRUE(v);
    EXPECT_EQ(v->ppp_protocol_len(), 1u);
    EXPECT_EQ(v->ppp_protocol(), ppp::protocol::ipv4);
    EXPECT_EQ(*v->payload_ethertype(), ethertype::ipv4);
    EXPECT_EQ(v->ppp_payload().size(), 4u);
    EXPECT_EQ(v->ppp_payload()[0], std::byte{0x45});
    // One octet is enough for a length of 1.
    auto one = copy_of(compressed);
    one[5] = std::byte{1};
    EXPECT_TRUE(pppoe::view::checked(one));
    EXPECT_TRUE(pppoe::view::checked(one)->ppp_payload().empty());
    // repr only takes the uncompressed form.
    EXPECT_ERROR(pppoe::repr::parse(*v),
                 error::invalid(layer::pppoe, errc::unsupported, length_source::none, 6, 0, 0x21));
}

TEST(Pppoe, EveryTruncationIsRejectedWithTheExactError) {
    for (std::size_t n = 0; n <= lcp.size(); ++n) {
        const bytes cut = bytes{lcp}.first(n);
        const auto v = pppoe::view::checked(cut);
        if (n < 6) {
            EXPECT_ERROR(v, error::truncated(layer::pppoe, length_source::fixed_header, 0, 6, n));
            EXPECT_ERROR(pppoe::view::checked_header(cut), v.error());
        } else if (n < 8) {
            // The PPP protocol field is part of the session header.
            EXPECT_ERROR(v, error::truncated(layer::pppoe, length_source::fixed_header, 0, 8, n));
            EXPECT_ERROR(pppoe::view::checked_header(cut), v.error());
        } else if (n < 26) {
            EXPECT_ERROR(v, error::truncated(layer::pppoe, length_source::payload_length, 0, 26, n));
            const auto h = pppoe::view::checked_header(cut);
            ASSERT_TRUE(h) << n;
            EXPECT_EQ(h->payload().size(), n - 6);
            EXPECT_EQ(h->ppp_payload().size(), n - 8);
        } else {
            ASSERT_TRUE(v) << n;
            EXPECT_EQ(v->payload().size(), 20u);
        }
    }
    // A compressed field needs one octet.
    EXPECT_ERROR(pppoe::view::checked(bytes{compressed}.first(6)),
                 error::truncated(layer::pppoe, length_source::fixed_header, 0, 8, 6));
    EXPECT_ERROR(pppoe::view::checked(bytes{compressed}.first(7)),
                 error::truncated(layer::pppoe, length_source::payload_length, 0, 11, 7));
}

TEST(Pppoe, RejectsAVersionOtherThanOne) {
    auto pkt = copy_of(lcp);
    pkt[0] = std::byte{0x21};
    EXPECT_ERROR(pppoe::view::checked(pkt),
                 error::invalid(layer::pppoe, errc::bad_version, length_source::none, 0, 1, 2));
    EXPECT_ERROR(pppoe::discovery_view::checked(pkt),
                 error::invalid(layer::pppoe, errc::bad_version, length_source::none, 0, 1, 2));
}

TEST(Pppoe, RejectsATypeOtherThanOne) {
    auto pkt = copy_of(lcp);
    pkt[0] = std::byte{0x10};
    EXPECT_ERROR(pppoe::view::checked(pkt),
                 error::invalid(layer::pppoe, errc::bad_value, length_source::none, 0, 1, 0));
}

TEST(Pppoe, SessionRejectsADiscoveryCode) {
    EXPECT_ERROR(pppoe::view::checked(padi),
                 error::invalid(layer::pppoe, errc::bad_value, length_source::none, 1, 0, 0x09));
}

TEST(Pppoe, RejectsALengthShorterThanTheProtocolField) {
    auto pkt = copy_of(lcp);
    pkt[5] = std::byte{1};
    EXPECT_ERROR(pppoe::view::checked(pkt),
                 error::invalid(layer::pppoe, errc::length_too_small, length_source::payload_length, 4, 2, 1));
}

TEST(Pppoe, RejectsAnEvenPppProtocol) {
    auto pkt = copy_of(lcp);
    pkt[7] = std::byte{0x20};
    EXPECT_ERROR(pppoe::view::checked(pkt),
                 error::invalid(layer::pppoe, errc::bad_value, length_source::none, 6, 0, 0xc020));
}

TEST(Pppoe, DiscoveryTags) {
    const auto v = pppoe::discovery_view::checked(padi);
    ASSERT_TRUE(v);
    EXPECT_EQ(v->version(), 1);
    EXPECT_EQ(v->type(), 1);
    EXPECT_EQ(v->code(), pppoe::code::padi);
    EXPECT_EQ(v->session_id(), 0);
    EXPECT_EQ(v->length(), 12);
    EXPECT_EQ(v->payload().size(), 12u);
    std::vector<pppoe::tag> tags;
    for (const auto& t : v->tags()) {
        ASSERT_TRUE(t);
        tags.push_back(*t);
    }
    ASSERT_EQ(tags.size(), 2u);
    EXPECT_EQ(tags[0].type, pppoe::tag_type::service_name);
    EXPECT_EQ(tags[0].length, 0);
    EXPECT_EQ(tags[0].offset, 6u);
    EXPECT_TRUE(tags[0].value.empty());
    EXPECT_EQ(tags[1].type, pppoe::tag_type::host_uniq);
    EXPECT_EQ(tags[1].length, 4);
    EXPECT_EQ(tags[1].offset, 10u);
    EXPECT_EQ(tags[1].value.data(), padi.data() + 14);
    EXPECT_EQ(load_be<std::uint32_t>(tags[1].value, 0), 0x64138518u);
    EXPECT_TRUE(v->tags().validate());
    EXPECT_FALSE(v->tags().empty());
}

TEST(Pppoe, DiscoveryTruncations) {
    for (std::size_t n = 0; n <= padi.size(); ++n) {
        const bytes cut = bytes{padi}.first(n);
        const auto v = pppoe::discovery_view::checked(cut);
        if (n < 6) {
            EXPECT_ERROR(v, error::truncated(layer::pppoe, length_source::fixed_header, 0, 6, n));
        } else if (n < 18) {
            EXPECT_ERROR(v, error::truncated(layer::pppoe, length_source::payload_length, 0, 18, n));
            // The header alone is fine; the cut tag reports itself.
            const auto h = pppoe::discovery_view::checked_header(cut);
            ASSERT_TRUE(h) << n;
            const auto ok = h->tags().validate();
            if (n == 6 || n == 10) {
                EXPECT_TRUE(ok) << n;
            } else if (n < 10) {
                EXPECT_EQ(ok.error(), error::truncated(layer::pppoe, length_source::option_length, 6, 4, n - 6));
            } else if (n < 14) {
                EXPECT_EQ(ok.error(), error::truncated(layer::pppoe, length_source::option_length, 10, 4, n - 10));
            } else {
                EXPECT_EQ(ok.error(), error::truncated(layer::pppoe, length_source::option_length, 10, 8, n - 10));
            }
        } else {
            ASSERT_TRUE(v) << n;
            EXPECT_TRUE(v->tags().validate());
        }
    }
}

TEST(Pppoe, DiscoveryRejectsTheSessionCode) {
    auto pkt = copy_of(padi);
    pkt[1] = std::byte{0x00};
    EXPECT_ERROR(pppoe::discovery_view::checked(pkt),
                 error::invalid(layer::pppoe, errc::bad_value, length_source::none, 1, 0, 0));
    pkt[1] = std::byte{0x42};
    EXPECT_ERROR(pppoe::discovery_view::checked(pkt),
                 error::invalid(layer::pppoe, errc::bad_value, length_source::none, 1, 0, 0x42));
    for (const auto c : {0x07, 0x09, 0x19, 0x65, 0xa7}) {
        pkt[1] = static_cast<std::byte>(c);
        EXPECT_TRUE(pppoe::discovery_view::checked(pkt)) << c;
    }
}

TEST(Pppoe, TagRejectionRules) {
    struct bad_tags {
        const char* what;
        std::vector<std::uint8_t> tags; // the payload after the header
        error expected;
        std::size_t good_before; // tags yielded before the error
    };
    const std::vector<bad_tags> cases = {
        {"tag header cut",
         {0x01, 0x01, 0x00},
         error::truncated(layer::pppoe, length_source::option_length, 6, 4, 3),
         0},
        {"value past the end",
         {0x01, 0x01, 0x00, 0x00, 0x01, 0x03, 0x00, 0x05, 0xaa, 0xbb},
         error::truncated(layer::pppoe, length_source::option_length, 10, 9, 6),
         1},
        {"end of list with a value",
         {0x00, 0x00, 0x00, 0x01, 0xaa},
         error::invalid(layer::pppoe, errc::length_too_large, length_source::option_length, 8, 0, 1),
         0},
    };
    for (const auto& c : cases) {
        std::vector<std::byte> pkt{std::byte{0x11}, std::byte{0x09}, std::byte{0},
                                   std::byte{0},    std::byte{0},    static_cast<std::byte>(c.tags.size())};
        for (const auto b : c.tags) pkt.push_back(static_cast<std::byte>(b));
        const auto v = pppoe::discovery_view::checked(pkt);
        ASSERT_TRUE(v) << c.what;
        EXPECT_EQ(v->tags().validate().error(), c.expected) << c.what;
        std::size_t good = 0, bad = 0;
        for (const auto& t : v->tags()) {
            if (t) {
                ++good;
            } else {
                ++bad;
                EXPECT_EQ(t.error(), c.expected) << c.what;
            }
            ASSERT_LE(good + bad, 4u) << c.what;
        }
        EXPECT_EQ(good, c.good_before) << c.what;
        EXPECT_EQ(bad, 1u) << c.what;
    }
}

TEST(Pppoe, EndOfListEndsTheTags) {
    const auto pkt = make_bytes(0x11, 0x07, 0x00, 0x00, 0x00, 0x0c, 0x01, 0x02, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
                                0xff, 0xff, 0xff, 0xff);
    const auto v = pppoe::discovery_view::checked(pkt);
    ASSERT_TRUE(v);
    std::vector<pppoe::tag_type> seen;
    for (const auto& t : v->tags()) {
        ASSERT_TRUE(t);
        seen.push_back(t->type);
    }
    EXPECT_EQ(seen, (std::vector<pppoe::tag_type>{pppoe::tag_type::ac_name, pppoe::tag_type::end_of_list}));
}

TEST(Pppoe, SetEveryFieldThenCompare) {
    std::array<std::byte, 12> buf{};
    auto v = pppoe::mut_view::unchecked(buf);
    v.set_version(1);
    v.set_type(1);
    v.set_code(pppoe::code::session_data);
    v.set_session_id(0xbeef);
    v.set_length(6);
    v.set_ppp_protocol(ppp::protocol::ipv6);
    const pppoe::view r = v;
    EXPECT_EQ(r.version(), 1);
    EXPECT_EQ(r.type(), 1);
    EXPECT_EQ(r.code(), pppoe::code::session_data);
    EXPECT_EQ(r.session_id(), 0xbeef);
    EXPECT_EQ(r.length(), 6);
    EXPECT_EQ(r.ppp_protocol(), ppp::protocol::ipv6);
    EXPECT_TRUE(pppoe::view::checked(buf));
    // Setting one field leaves its neighbours alone.
    v.set_version(2);
    EXPECT_EQ(r.type(), 1);
    v.set_type(3);
    EXPECT_EQ(r.version(), 2);
    EXPECT_EQ(buf[0], std::byte{0x23});
    v.set_code(pppoe::code::padt);
    EXPECT_EQ(r.code(), pppoe::code::padt);
    EXPECT_EQ(r.session_id(), 0xbeef);
    v.set_length(200);
    EXPECT_FALSE(r.is_complete());
    EXPECT_EQ(r.payload().size(), 6u); // clamped
}

TEST(Pppoe, ReprRoundTripReproducesTheHeaderBytes) {
    for (const bytes pkt : {bytes{lcp}, bytes{ipv6_start}}) {
        const auto v = pppoe::view::checked_header(pkt);
        ASSERT_TRUE(v);
        const auto r = pppoe::repr::parse(*v);
        ASSERT_TRUE(r);
        EXPECT_EQ(r->header_len(), 8u);
        EXPECT_EQ(r->buffer_len(), 6u + v->length());
        std::array<std::byte, 8> out{};
        r->emit(pppoe::mut_view::unchecked(out));
        EXPECT_TRUE(std::equal(out.begin(), out.end(), pkt.begin()));
        EXPECT_EQ(*pppoe::repr::parse(*pppoe::view::checked_header(out)), *r);
    }
    EXPECT_EQ(*pppoe::repr::parse(*pppoe::view::checked(lcp)), (pppoe::repr{0x11, ppp::protocol::lcp, 18}));
}

} // namespace
