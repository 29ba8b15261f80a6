// SPDX-License-Identifier: BSD-3-Clause
#include <rawpkt/packet/gtpu.hpp>

#include "support/hex.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <vector>

using namespace rawpkt;
using namespace rawpkt::test;

namespace {

// pcapplusplus__gtp-u.pcap frame 1, the UDP payload (port 2152):
// GPRS Tunneling Protocol
//     Flags: 0x32
//         001. .... = Version: GTP release 99 version (1)
//         ...1 .... = Protocol type: GTP (1)
//         .... 0... = Reserved: 0
//         .... .0.. = Is Next Extension Header present?: No
//         .... ..1. = Is Sequence Number present?: Yes
//         .... ...0 = Is N-PDU number present?: No
//     Message Type: T-PDU (0xff)
//     Length: 88
//     TEID: 0x00000001 (1)
//     Sequence number: 0x28db (10459)
// Internet Protocol Version 4, Src: 202.11.40.158, Dst: 192.168.40.178
// Internet Control Message Protocol
constexpr auto g_pdu = R"(
    32 ff 00 58 00 00 00 01 28 db 00 00 45 00 00 54
    00 00 40 00 40 01 5e a5 ca 0b 28 9e c0 a8 28 b2
    08 00 be e7 00 00 28 7b 04 11 20 4b f4 3d 0d 00
    08 09 0a 0b 0c 0d 0e 0f 10 11 12 13 14 15 16 17
    18 19 1a 1b 1c 1d 1e 1f 20 21 22 23 24 25 26 27
    28 29 2a 2b 2c 2d 2e 2f 30 31 32 33 34 35 36 37)"_hex;

// The corpus has no extension headers: crafted by hand, a 5G uplink G-PDU
// with a UDP port extension and a PDU session container, carrying an IPv6
// header (no next header). tshark 4.0 dissects it as:
// GPRS Tunneling Protocol
//     Flags: 0x34
//         .... .1.. = Is Next Extension Header present?: Yes
//         .... ..0. = Is Sequence Number present?: No
//         .... ...0 = Is N-PDU number present?: No
//     Message Type: T-PDU (0xff)
//     Length: 52
//     TEID: 0x000004d2 (1234)
//     Next extension header type: UDP Port number (0x40)
//     Extension header (UDP Port number)
//         Extension Header Length: 1
//         UDP Port: 2152
//         Next extension header type: PDU Session container (0x85)
//     Extension header (PDU Session container)
//         Extension Header Length: 1
//         PDU Session Container
//             0001 .... = PDU Type: UL PDU SESSION INFORMATION (1)
//             ..00 1001 = QoS Flow Identifier (QFI): 9
//         Next extension header type: No more extension headers (0x00)
// Internet Protocol Version 6, Src: 2001:db8::1, Dst: 2001:db8::2
constexpr auto two_extensions = R"(
    34 ff 00 34 00 00 04 d2 00 00 00 40 01 08 68 85
    01 10 09 00 60 00 00 00 00 00 3b 40 20 01 0d b8
    00 00 00 00 00 00 00 00 00 00 00 01 20 01 0d b8
    00 00 00 00 00 00 00 00 00 00 00 02)"_hex;

// Crafted by hand (no echo in the corpus). tshark 4.0:
// GPRS Tunneling Protocol
//     Flags: 0x32 (Sequence Number present)
//     Message Type: Echo response (0x02)
//     Length: 6
//     TEID: 0x00000000 (0)
//     Sequence number: 0x1234 (4660)
//     Recovery: 0
constexpr auto echo_response = R"(
    32 02 00 06 00 00 00 00 12 34 00 00 0e 00)"_hex;

// Crafted by hand. tshark 4.0:
// GPRS Tunneling Protocol
//     Flags: 0x30
//     Message Type: End Marker (0xfe)
//     Length: 0
//     TEID: 0x000004d2 (1234)
constexpr auto end_marker = R"(30 fe 00 00 00 00 04 d2)"_hex;

// Accessors are usable in constant expressions.
static_assert(gtpu::view::checked(g_pdu).has_value());
static_assert(gtpu::view::checked(g_pdu)->sequence() == 0x28db);
static_assert(gtpu::view::checked(g_pdu)->tpdu_ip_version() == 4);
static_assert(gtpu::view::checked(two_extensions)->header_len() == 20);
static_assert(gtpu::view::checked(two_extensions)->tpdu_ip_version() == 6);
static_assert(gtpu::view::checked(bytes{two_extensions}.first(15)).error().layer == layer::gtpu_extension);
static_assert(gtpu::repr::parse(*gtpu::view::checked(two_extensions))->extensions.size() == 8);
// So is building.
static_assert([] {
    std::array<std::byte, 17> buf{};
    gtpu::repr r;
    r.teid = 42;
    (void)r.set_extensions(gtpu::extension_type::pdu_session_container, bytes{two_extensions}.subspan(16, 4));
    r.payload_len = 1;
    r.emit(gtpu::mut_view::unchecked(buf));
    const auto v = gtpu::view::checked(buf);
    return v->teid() == 42 && v->header_len() == 16 && gtpu::mut_view::unchecked(buf).payload().size() == 1;
}());

/// Flips up to three random bits of `golden`, and half of the time cuts it
/// at a random length.
std::vector<std::byte> mutate(bytes golden, std::mt19937& rng) {
    std::vector<std::byte> pkt(golden.begin(), golden.end());
    for (unsigned k = rng() % 4; k-- > 0;) pkt[rng() % pkt.size()] ^= static_cast<std::byte>(1u << (rng() % 8));
    if (rng() % 2 != 0) pkt.resize(rng() % (pkt.size() + 1));
    return pkt;
}

TEST(Gtpu, ReadsEveryField) {
    const auto v = gtpu::view::checked(g_pdu);
    ASSERT_TRUE(v);
    EXPECT_EQ(v->version(), 1);
    EXPECT_EQ(v->pt(), 1);
    EXPECT_FALSE(v->spare());
    EXPECT_FALSE(v->has_extension());
    EXPECT_TRUE(v->has_sequence());
    EXPECT_FALSE(v->has_npdu_number());
    EXPECT_TRUE(v->long_header());
    EXPECT_EQ(v->message_type(), gtpu::message_type::g_pdu);
    EXPECT_EQ(v->length(), 88);
    EXPECT_EQ(v->teid(), 1u);
    EXPECT_EQ(v->sequence(), 0x28db);
    EXPECT_EQ(v->npdu_number(), std::nullopt);
    EXPECT_EQ(v->next_extension_type(), gtpu::extension_type::none);
    EXPECT_TRUE(v->extensions().empty());
    EXPECT_EQ(v->header_len(), 12u);
    EXPECT_EQ(v->header().size(), 12u);
    EXPECT_EQ(v->packet_len(), 96u);
    EXPECT_TRUE(v->is_complete());
    EXPECT_EQ(v->payload().size(), 84u);
    EXPECT_EQ(v->payload().data(), g_pdu.data() + 12);
    EXPECT_EQ(v->tpdu_ip_version(), 4);
}

TEST(Gtpu, ExtensionHeaderChain) {
    const auto v = gtpu::view::checked(two_extensions);
    ASSERT_TRUE(v);
    EXPECT_TRUE(v->has_extension());
    EXPECT_EQ(v->sequence(), std::nullopt);
    EXPECT_EQ(v->npdu_number(), std::nullopt);
    EXPECT_EQ(v->teid(), 1234u);
    EXPECT_EQ(v->next_extension_type(), gtpu::extension_type::udp_port);
    std::vector<gtpu::extension> exts;
    for (const auto& e : v->extensions()) {
        ASSERT_TRUE(e);
        exts.push_back(*e);
    }
    ASSERT_EQ(exts.size(), 2u);
    EXPECT_EQ(exts[0].type, gtpu::extension_type::udp_port);
    EXPECT_EQ(exts[0].length, 4u);
    EXPECT_EQ(exts[0].offset, 12u);
    ASSERT_EQ(exts[0].content.size(), 2u);
    EXPECT_EQ(load_be<std::uint16_t>(exts[0].content, 0), 2152);
    EXPECT_EQ(exts[0].next, gtpu::extension_type::pdu_session_container);
    EXPECT_EQ(exts[0].comprehension(), 1);
    EXPECT_EQ(exts[1].type, gtpu::extension_type::pdu_session_container);
    EXPECT_EQ(exts[1].offset, 16u);
    EXPECT_EQ(exts[1].content.data(), two_extensions.data() + 17);
    EXPECT_EQ(exts[1].content[0], std::byte{0x10}); // UL PDU session information
    EXPECT_EQ(exts[1].content[1], std::byte{0x09}); // QFI 9
    EXPECT_EQ(exts[1].next, gtpu::extension_type::none);
    EXPECT_EQ(exts[1].comprehension(), 2);
    EXPECT_TRUE(v->extensions().validate());
    EXPECT_EQ(v->extensions().valid_len(), 8u);
    EXPECT_EQ(v->header_len(), 20u);
    EXPECT_EQ(v->payload().size(), 40u);
    EXPECT_EQ(v->tpdu_ip_version(), 6);
}

TEST(Gtpu, EchoResponseCarriesInformationElements) {
    const auto v = gtpu::view::checked(echo_response);
    ASSERT_TRUE(v);
    EXPECT_EQ(v->message_type(), gtpu::message_type::echo_response);
    EXPECT_EQ(v->teid(), 0u);
    EXPECT_EQ(v->sequence(), 0x1234);
    EXPECT_EQ(v->header_len(), 12u);
    EXPECT_EQ(v->payload().size(), 2u);
    EXPECT_EQ(v->payload()[0], std::byte{14}); // Recovery IE
    EXPECT_EQ(v->tpdu_ip_version(), 0);        // not a G-PDU
}

TEST(Gtpu, EndMarkerHasOnlyTheMandatoryHeader) {
    const auto v = gtpu::view::checked(end_marker);
    ASSERT_TRUE(v);
    EXPECT_EQ(v->message_type(), gtpu::message_type::end_marker);
    EXPECT_FALSE(v->long_header());
    EXPECT_EQ(v->sequence(), std::nullopt);
    EXPECT_EQ(v->next_extension_type(), gtpu::extension_type::none);
    EXPECT_EQ(v->header_len(), 8u);
    EXPECT_TRUE(v->payload().empty());
    EXPECT_EQ(v->tpdu_ip_version(), 0);
}

TEST(Gtpu, PayloadStopsAtTheLength) {
    std::vector<std::byte> pkt(end_marker.begin(), end_marker.end());
    pkt.resize(20, std::byte{0x45});
    const auto v = gtpu::view::checked(pkt);
    ASSERT_TRUE(v);
    EXPECT_TRUE(v->payload().empty());
    EXPECT_EQ(v->packet_len(), 8u);
}

TEST(Gtpu, NonIpTpdu) {
    auto pkt = copy_of(g_pdu);
    pkt[12] = std::byte{0x00}; // e.g. an Ethernet PDU session
    const auto v = gtpu::view::checked(pkt);
    ASSERT_TRUE(v);
    EXPECT_EQ(v->tpdu_ip_version(), 0);
}

TEST(Gtpu, EveryTruncationIsRejectedWithTheExactError) {
    for (std::size_t n = 0; n < g_pdu.size(); ++n) {
        const bytes cut = bytes{g_pdu}.first(n);
        if (n < 8) {
            EXPECT_ERROR(gtpu::view::checked(cut), error::truncated(layer::gtpu, length_source::fixed_header, 0, 8, n));
        } else if (n < 12) {
            EXPECT_ERROR(gtpu::view::checked(cut),
                         error::truncated(layer::gtpu, length_source::header_length, 0, 12, n));
        } else {
            EXPECT_ERROR(gtpu::view::checked(cut),
                         error::truncated(layer::gtpu, length_source::payload_length, 0, 96, n));
            const auto h = gtpu::view::checked_header(cut);
            ASSERT_TRUE(h) << n;
            EXPECT_FALSE(h->is_complete());
            EXPECT_EQ(h->payload().size(), n - 12);
        }
    }
    for (std::size_t n = 0; n < two_extensions.size(); ++n) {
        const bytes cut = bytes{two_extensions}.first(n);
        const auto v = gtpu::view::checked(cut);
        if (n < 8) {
            EXPECT_ERROR(v, error::truncated(layer::gtpu, length_source::fixed_header, 0, 8, n));
        } else if (n < 12) {
            EXPECT_ERROR(v, error::truncated(layer::gtpu, length_source::header_length, 0, 12, n));
        } else if (n < 16) {
            EXPECT_ERROR(v, error::truncated(layer::gtpu_extension, length_source::extension_length, 12, 4, n - 12));
        } else if (n < 20) {
            EXPECT_ERROR(v, error::truncated(layer::gtpu_extension, length_source::extension_length, 16, 4, n - 16));
        } else {
            EXPECT_ERROR(v, error::truncated(layer::gtpu, length_source::payload_length, 0, 60, n));
            ASSERT_TRUE(gtpu::view::checked_header(cut)) << n;
        }
    }
    for (std::size_t n = 0; n < end_marker.size(); ++n) {
        EXPECT_ERROR(gtpu::view::checked(bytes{end_marker}.first(n)),
                     error::truncated(layer::gtpu, length_source::fixed_header, 0, 8, n));
    }
}

TEST(Gtpu, RejectsVersionsOtherThanOne) {
    for (std::uint8_t version : {0, 2, 3, 7}) {
        auto pkt = copy_of(g_pdu);
        pkt[0] = static_cast<std::byte>((version << 5) | 0x12);
        EXPECT_ERROR(gtpu::view::checked(pkt),
                     error::invalid(layer::gtpu, errc::bad_version, length_source::none, 0, 1, version));
    }
}

TEST(Gtpu, RejectsGtpPrime) {
    auto pkt = copy_of(g_pdu);
    pkt[0] = std::byte{0x22};
    EXPECT_ERROR(gtpu::view::checked(pkt),
                 error::invalid(layer::gtpu, errc::unsupported, length_source::none, 0, 1, 0));
}

TEST(Gtpu, RejectsLengthShorterThanTheOptionalFields) {
    auto pkt = copy_of(echo_response);
    pkt[3] = std::byte{3};
    EXPECT_ERROR(gtpu::view::checked(pkt),
                 error::invalid(layer::gtpu, errc::length_too_small, length_source::payload_length, 2, 4, 3));
}

TEST(Gtpu, RejectsLengthShorterThanTheExtensionHeaders) {
    auto pkt = copy_of(two_extensions);
    pkt[3] = std::byte{8}; // 4 optional bytes + 8 of extensions = 12
    EXPECT_ERROR(gtpu::view::checked(pkt),
                 error::invalid(layer::gtpu, errc::length_too_small, length_source::payload_length, 2, 12, 8));
}

TEST(Gtpu, RejectsZeroExtensionLength) {
    auto pkt = copy_of(two_extensions);
    pkt[16] = std::byte{0};
    EXPECT_ERROR(gtpu::view::checked(pkt), error::invalid(layer::gtpu_extension, errc::length_too_small,
                                                          length_source::extension_length, 16, 1, 0));
}

TEST(Gtpu, RejectsExtensionPastTheBuffer) {
    auto pkt = copy_of(two_extensions);
    pkt[12] = std::byte{200};
    EXPECT_ERROR(gtpu::view::checked(pkt),
                 error::truncated(layer::gtpu_extension, length_source::extension_length, 12, 800, 48));
}

TEST(Gtpu, ChainRunningIntoThePayload) {
    // The last next type announces another extension: the T-PDU's first
    // word (60 00 00 00) is then read as one, 4 * 0x60 bytes long.
    auto pkt = copy_of(two_extensions);
    pkt[19] = std::byte{0x85};
    EXPECT_ERROR(gtpu::view::checked(pkt),
                 error::truncated(layer::gtpu_extension, length_source::extension_length, 20, 384, 40));
}

TEST(Gtpu, OptionalBytesAreEvaluatedOnlyUnderTheirFlag) {
    // PN alone: the sequence and next-type bytes are there but ignored.
    auto pkt = copy_of(echo_response);
    pkt[0] = std::byte{0x31};
    pkt[10] = std::byte{0x07};
    pkt[11] = std::byte{0x85};
    const auto v = gtpu::view::checked(pkt);
    ASSERT_TRUE(v);
    EXPECT_EQ(v->sequence(), std::nullopt);
    EXPECT_EQ(v->npdu_number(), 7);
    EXPECT_EQ(v->next_extension_type(), gtpu::extension_type::none);
    EXPECT_EQ(v->header_len(), 12u);
    // repr holds only what it can reproduce.
    EXPECT_ERROR(gtpu::repr::parse(*v),
                 error::invalid(layer::gtpu, errc::bad_value, length_source::none, 8, 0, 0x1234));
    pkt[8] = pkt[9] = std::byte{0};
    EXPECT_ERROR(gtpu::repr::parse(*gtpu::view::checked(pkt)),
                 error::invalid(layer::gtpu, errc::bad_value, length_source::none, 11, 0, 0x85));
    pkt[0] = std::byte{0x32}; // S alone, N-PDU number set
    EXPECT_ERROR(gtpu::repr::parse(*gtpu::view::checked(pkt)),
                 error::invalid(layer::gtpu, errc::bad_value, length_source::none, 10, 0, 7));
}

TEST(Gtpu, ReprRejectsSpareBit) {
    auto pkt = copy_of(g_pdu);
    pkt[0] |= std::byte{0x08};
    const auto v = gtpu::view::checked(pkt);
    ASSERT_TRUE(v);
    EXPECT_TRUE(v->spare());
    EXPECT_ERROR(gtpu::repr::parse(*v), error::invalid(layer::gtpu, errc::bad_value, length_source::none, 0, 0, 1));
}

TEST(Gtpu, ReprRejectsExtensionFlagWithoutExtension) {
    auto pkt = copy_of(g_pdu);
    pkt[0] = std::byte{0x36}; // E and S, next type none
    const auto v = gtpu::view::checked(pkt);
    ASSERT_TRUE(v);
    EXPECT_TRUE(v->extensions().empty());
    EXPECT_EQ(v->header_len(), 12u);
    EXPECT_ERROR(gtpu::repr::parse(*v), error::invalid(layer::gtpu, errc::bad_value, length_source::none, 0, 0, 1));
}

TEST(Gtpu, ReprRejectsLongChains) {
    // Seventeen 4-byte extensions: 68 bytes, over what a repr holds.
    std::vector<std::byte> pkt{std::byte{0x34}, std::byte{0xff}, std::byte{0}, std::byte{72},
                               std::byte{0},    std::byte{0},    std::byte{0}, std::byte{1},
                               std::byte{0},    std::byte{0},    std::byte{0}, std::byte{0x20}};
    for (int i = 0; i < 17; ++i) {
        for (const int b : {0x01, 0xaa, 0xbb, i == 16 ? 0x00 : 0x20}) pkt.push_back(static_cast<std::byte>(b));
    }
    const auto v = gtpu::view::checked(pkt);
    ASSERT_TRUE(v);
    EXPECT_EQ(v->header_len(), 80u);
    EXPECT_ERROR(gtpu::repr::parse(*v),
                 error::invalid(layer::gtpu, errc::too_many, length_source::extension_length, 12, 64, 68));
}

TEST(Gtpu, IteratorNeverReadsOutsideTheArea) {
    std::array<std::byte, 12> area{};
    for (std::size_t n = 0; n <= area.size(); ++n) {
        for (unsigned len = 0; len < 256; ++len) {
            for (const unsigned next : {0x00u, 0x85u}) {
                area[0] = static_cast<std::byte>(len);
                area[3] = static_cast<std::byte>(next);
                area[4] = std::byte{1};
                area[7] = static_cast<std::byte>(next);
                area[8] = std::byte{1};
                area[11] = static_cast<std::byte>(next);
                const gtpu::extension_range range{bytes{area}.first(n), 12,
                                                  gtpu::extension_type::pdu_session_container};
                std::size_t count = 0;
                for (const auto& e : range) {
                    ASSERT_LT(++count, 5u);
                    if (!e) break;
                    ASSERT_LE(e->content.data() + e->content.size(), area.data() + n);
                }
                ASSERT_GE(count, 1u);
                ASSERT_LE(range.valid_len(), n);
            }
        }
    }
    const gtpu::extension_range none{bytes{area}, 12, gtpu::extension_type::none};
    EXPECT_TRUE(none.empty());
    EXPECT_TRUE(none.begin() == none.end());
}

TEST(Gtpu, SetEveryFieldThenCompare) {
    std::array<std::byte, 16> buf{};
    buf.fill(std::byte{0xff});
    auto v = gtpu::mut_view::unchecked(buf);
    v.set_version(1);
    v.set_pt(1);
    v.set_spare(false);
    v.set_has_extension(true);
    v.set_has_sequence(true);
    v.set_has_npdu_number(true);
    v.set_message_type(gtpu::message_type::error_indication);
    v.set_length(8);
    v.set_teid(0xdeadbeef);
    v.set_sequence(0xabcd);
    v.set_npdu_number(0x42);
    v.set_next_extension_type(gtpu::extension_type::pdcp_pdu_number);
    buf[12] = std::byte{1}; // PDCP PDU number extension, last in the chain
    buf[15] = std::byte{0};
    const gtpu::view r = v;
    EXPECT_EQ(r.version(), 1);
    EXPECT_EQ(r.pt(), 1);
    EXPECT_FALSE(r.spare());
    EXPECT_TRUE(r.has_extension());
    EXPECT_TRUE(r.has_sequence());
    EXPECT_TRUE(r.has_npdu_number());
    EXPECT_EQ(r.message_type(), gtpu::message_type::error_indication);
    EXPECT_EQ(r.length(), 8);
    EXPECT_EQ(r.teid(), 0xdeadbeefu);
    EXPECT_EQ(r.sequence(), 0xabcd);
    EXPECT_EQ(r.npdu_number(), 0x42);
    EXPECT_EQ(r.next_extension_type(), gtpu::extension_type::pdcp_pdu_number);
    EXPECT_EQ(r.header_len(), 16u);
    EXPECT_TRUE(gtpu::view::checked(buf));
    // Setting one field leaves its neighbours alone.
    v.set_has_sequence(false);
    EXPECT_TRUE(r.has_extension());
    EXPECT_TRUE(r.has_npdu_number());
    EXPECT_EQ(r.version(), 1);
    v.set_spare(true);
    EXPECT_EQ(r.pt(), 1);
    v.set_version(2);
    EXPECT_TRUE(r.spare());
    EXPECT_TRUE(r.has_npdu_number());
    // Without E, S and PN there are no optional bytes to write.
    v.set_has_extension(false);
    v.set_has_npdu_number(false);
    v.set_sequence(0);
    v.set_npdu_number(0);
    v.set_next_extension_type(gtpu::extension_type::none);
    EXPECT_EQ(load_be<std::uint16_t>(bytes{buf}, 8), 0xabcd);
    EXPECT_EQ(buf[10], std::byte{0x42});
}

TEST(Gtpu, ReprRoundTripReproducesTheHeaderBytes) {
    for (const bytes pkt : {bytes{g_pdu}, bytes{two_extensions}, bytes{echo_response}, bytes{end_marker}}) {
        const auto v = gtpu::view::checked(pkt);
        ASSERT_TRUE(v);
        const auto r = gtpu::repr::parse(*v);
        ASSERT_TRUE(r);
        EXPECT_EQ(r->header_len(), v->header_len());
        EXPECT_EQ(r->buffer_len(), pkt.size());
        std::vector<std::byte> out(pkt.begin(), pkt.end());
        std::fill_n(out.begin(), r->header_len(), std::byte{0xcc});
        r->emit(gtpu::mut_view::unchecked(out));
        EXPECT_TRUE(std::equal(out.begin(), out.end(), pkt.begin()));
        const auto again = gtpu::repr::parse(*gtpu::view::checked(out));
        ASSERT_TRUE(again);
        EXPECT_EQ(*again, *r);
    }
}

TEST(Gtpu, ReprFieldsAndLengthFromTheField) {
    // A capture cut short: the repr keeps the declared payload length.
    const auto v = gtpu::view::checked_header(bytes{g_pdu}.first(40));
    ASSERT_TRUE(v);
    const auto r = gtpu::repr::parse(*v);
    ASSERT_TRUE(r);
    EXPECT_EQ(r->type, gtpu::message_type::g_pdu);
    EXPECT_EQ(r->teid, 1u);
    EXPECT_EQ(r->sequence, 0x28db);
    EXPECT_EQ(r->npdu_number, std::nullopt);
    EXPECT_EQ(r->first_extension, gtpu::extension_type::none);
    EXPECT_EQ(r->extensions.size(), 0u);
    EXPECT_EQ(r->payload_len, 84u);
}

TEST(Gtpu, ReprBuildsExtensions) {
    gtpu::repr r;
    r.teid = 0x01020304;
    r.payload_len = 20;
    const auto pdu_session = make_bytes(0x01, 0x00, 0x05, 0x00); // DL, QFI 5
    EXPECT_FALSE(r.set_extensions(gtpu::extension_type::none, pdu_session));
    EXPECT_FALSE(r.set_extensions(gtpu::extension_type::pdu_session_container, bytes{pdu_session}.first(3)));
    ASSERT_TRUE(r.set_extensions(gtpu::extension_type::pdu_session_container, pdu_session));
    EXPECT_TRUE(r.long_header());
    EXPECT_EQ(r.header_len(), 16u);
    std::array<std::byte, 36> buf{};
    r.emit(gtpu::mut_view::unchecked(buf));
    const auto v = gtpu::view::checked(buf);
    ASSERT_TRUE(v);
    EXPECT_EQ(v->length(), 28);
    EXPECT_TRUE(v->has_extension());
    EXPECT_FALSE(v->has_sequence());
    EXPECT_EQ(v->header_len(), 16u);
    EXPECT_EQ(v->payload().size(), 20u);
    EXPECT_EQ(*gtpu::repr::parse(*v), r);
    ASSERT_TRUE(r.set_extensions(gtpu::extension_type::none, {}));
    EXPECT_FALSE(r.long_header());
    EXPECT_EQ(r.header_len(), 8u);
}

TEST(Gtpu, ReprExtensionsCannotExceedTheirStorage) {
    // The chain is a small_bytes<64>: the old uint8_t length could claim up
    // to 255 bytes over 64 and emit() copied that many.
    gtpu::repr r;
    static_assert(decltype(r.extensions)::capacity() == gtpu::repr::max_extensions_len);
    std::vector<std::byte> chain(68, std::byte{0});
    for (std::size_t i = 0; i < chain.size(); i += 4) chain[i] = std::byte{1};
    EXPECT_FALSE(r.set_extensions(gtpu::extension_type::pdu_session_container, chain));
    EXPECT_FALSE(r.extensions.set(chain));
    EXPECT_TRUE(r.extensions.empty());
    ASSERT_TRUE(r.set_extensions(gtpu::extension_type::pdu_session_container, bytes{chain}.first(64)));
    EXPECT_EQ(r.header_len(), 12u + 64u);
    // The short header emits into 8 bytes and touches nothing after them.
    gtpu::repr short_header;
    short_header.type = gtpu::message_type::end_marker;
    short_header.teid = 1234;
    std::array<std::byte, 8> buf{};
    short_header.emit(gtpu::mut_view::unchecked(buf));
    EXPECT_EQ(buf, end_marker);
}

TEST(Gtpu, ErrorMessagesArePrecise) {
    auto pkt = copy_of(two_extensions);
    pkt[16] = std::byte{0};
    EXPECT_EQ(to_string(gtpu::view::checked(pkt).error()),
              "gtp-u extension header: length too small at offset 16: extension length field is 0, at least 1 "
              "required");
}

TEST(Gtpu, MutatedPacketsNeverReadOutOfBounds) {
    // Meant for the sanitizer build with RAWPKT_CHECK_BOUNDS, where any read
    // past the buffer aborts. Every accepted repr also emits its bytes back.
    std::size_t emitted = 0;
    std::mt19937 rng(29281);
    for (const bytes golden : {bytes{g_pdu}, bytes{two_extensions}, bytes{echo_response}, bytes{end_marker}}) {
        for (int round = 0; round < 3000; ++round) {
            const auto pkt = mutate(golden, rng);
            const auto v = gtpu::view::checked_header(pkt);
            if (!v) continue;
            EXPECT_LE(v->header_len() + v->payload().size(), pkt.size());
            std::size_t covered = gtpu::long_header_len;
            for (const auto& e : v->extensions()) {
                ASSERT_TRUE(e); // checked_header() validated the chain
                EXPECT_EQ(e->offset, covered);
                covered += e->length;
            }
            (void)v->sequence();
            (void)v->npdu_number();
            (void)v->tpdu_ip_version();
            const auto r = gtpu::repr::parse(*v);
            if (!r || !v->is_complete()) continue;
            ++emitted;
            std::vector<std::byte> out(pkt);
            r->emit(gtpu::mut_view::unchecked(out));
            EXPECT_EQ(out, pkt);
            EXPECT_EQ(*gtpu::repr::parse(*gtpu::view::checked(out)), *r);
        }
    }
    EXPECT_GT(emitted, 1000u);
}

} // namespace
