// SPDX-License-Identifier: BSD-3-Clause
#include <rawpkt/packet/gre.hpp>

#include "support/hex.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <vector>

using namespace rawpkt;
using namespace rawpkt::test;

namespace {

// pcapplusplus__GrePackets.cap frame 27, from the GRE header on:
// Generic Routing Encapsulation (PPP)
//     Flags and Version: 0x3081
//         ..1. .... .... .... = Key Bit: Yes
//         ...1 .... .... .... = Sequence Number Bit: Yes
//         .... .... 1... .... = Acknowledgment: Yes
//         .... .... .... .001 = Version: Enhanced GRE (1)
//     Protocol Type: PPP (0x880b)
//     Payload Length: 88
//     Call ID: 1
//     Sequence Number: 7
//     Acknowledgment Number: 7
// Point-to-Point Protocol
// Internet Protocol Version 4, Src: 40.0.0.2, Dst: 17.1.1.122
// Internet Control Message Protocol
constexpr auto pptp_icmp = R"(
    30 81 88 0b 00 58 00 01 00 00 00 07 00 00 00 07
    ff 03 00 21 45 00 00 54 9d 44 00 00 3f 01 a3 e8
    28 00 00 02 11 01 01 7a 00 00 4d 00 18 2b 00 01
    00 00 00 00 53 c6 83 80 00 00 00 00 00 03 04 b7
    10 11 12 13 14 15 16 17 18 19 1a 1b 1c 1d 1e 1f
    20 21 22 23 24 25 26 27 28 29 2a 2b 2c 2d 2e 2f
    30 31 32 33 34 35 36 37)"_hex;

// pcapplusplus__GrePackets.cap frame 25: an acknowledgment without payload.
// Generic Routing Encapsulation (PPP)
//     Flags and Version: 0x2081 (Key, Acknowledgment, Enhanced GRE (1))
//     Protocol Type: PPP (0x880b)
//     Payload Length: 0
//     Call ID: 24
//     Acknowledgment Number: 6
constexpr auto pptp_ack_only = R"(
    20 81 88 0b 00 00 00 18 00 00 00 06)"_hex;

// tcpdump__pptp.pcap frame 16:
// Generic Routing Encapsulation (PPP)
//     Flags and Version: 0x3001 (Key, Sequence Number, Enhanced GRE (1))
//     Protocol Type: PPP (0x880b)
//     Payload Length: 48
//     Call ID: 0
//     Sequence Number: 0
// Point-to-Point Protocol
//     Address: 0xff
//     Control: 0x03
//     Protocol: Link Control Protocol (0xc021)
// PPP Link Control Protocol
constexpr auto pptp_lcp = R"(
    30 01 88 0b 00 30 00 00 00 00 00 00 ff 03 c0 21
    01 00 00 2c 05 06 02 19 52 cf 07 02 08 02 0d 03
    06 11 04 06 4e 13 17 01 29 f7 6a 90 77 f1 47 2c
    83 52 47 f2 71 d6 56 07 00 00 00 0c)"_hex;

// tcpdump__various_gre.pcap frame 25, cut after the inner IPv4 header:
// Generic Routing Encapsulation (CiscoMetaData)
//     Flags and Version: 0x2000
//         ..1. .... .... .... = Key Bit: Yes
//         .... .... .... .000 = Version: GRE (0)
//     Protocol Type: CiscoMetaData (0x8909)
//     Key: 0x00000028
// Cisco MetaData
// Internet Protocol Version 4, Src: 172.17.1.54, Dst: 172.17.1.55
constexpr auto key_only = R"(
    20 00 89 09 00 00 00 28 08 00 01 01 00 01 00 00
    45 00 00 64 00 05 00 00 ff 01 61 04 ac 11 01 36
    ac 11 01 37)"_hex;

// tcpdump__erspan-type-ii-1.pcap frame 1:
// Generic Routing Encapsulation (ERSPAN)
//     Flags and Version: 0x1000
//         ...1 .... .... .... = Sequence Number Bit: Yes
//         .... .... .... .000 = Version: GRE (0)
//     Protocol Type: ERSPAN (0x88be)
//     Sequence Number: 171
// Encapsulated Remote Switch Packet ANalysis Type II (Vlan: 342, SpanID: 666)
// Ethernet II, Src: Cisco_d2:a9:80 (00:1f:9e:d2:a9:80), Dst: IPv4mcast_0d (01:00:5e:00:00:0d)
// Internet Protocol Version 4, Src: 10.48.6.1, Dst: 224.0.0.13
// Protocol Independent Multicast
constexpr auto erspan = R"(
    10 00 88 be 00 00 00 ab 11 56 c2 9a 00 00 7f f8
    01 00 5e 00 00 0d 00 1f 9e d2 a9 80 08 00 45 c0
    00 3a 5b f4 00 00 01 67 6c 6b 0a 30 06 01 e0 00
    00 0d 20 00 c5 30 00 01 00 02 00 69 00 14 00 04
    2c 6c ee c0 00 13 00 04 00 00 00 01 00 15 00 04
    01 00 00 00 fd ec 00 00)"_hex;

// No capture in the corpus carries a GRE checksum: crafted by hand (C and K
// set, an IPv4 ICMP echo with 3 data bytes inside, so the checksum covers an
// odd length). tshark 4.0 dissects it as:
// Generic Routing Encapsulation (IP)
//     Flags and Version: 0xa000
//         1... .... .... .... = Checksum Bit: Yes
//         ..1. .... .... .... = Key Bit: Yes
//         .... .... .... .000 = Version: GRE (0)
//     Protocol Type: IP (0x0800)
//     Checksum: 0x57d5 [correct]
//     Offset: 0
//     Key: 0x0000002a
// Internet Protocol Version 4, Src: 192.0.2.1, Dst: 198.51.100.2
//     Total Length: 31
// Internet Control Message Protocol
//     Type: 8 (Echo (ping) request), Checksum: 0x2168 [correct], Data (3 bytes)
constexpr auto checksummed = R"(
    a0 00 08 00 57 d5 00 00 00 00 00 2a 45 00 00 1f
    12 34 40 00 40 01 3c 73 c0 00 02 01 c6 33 64 02
    08 00 21 68 12 34 00 01 61 62 63)"_hex;

// tcpdump__gre-heapoverflow-1.pcap frame 2 (a fuzzer find): an IPv4 header
// with protocol 47 whose capture ends two bytes into GRE.
// Flags 0xd830 would announce checksum, routing and sequence number.
constexpr auto hostile = R"(d8 30)"_hex;

// Accessors are usable in constant expressions.
static_assert(gre::view::checked(pptp_icmp).has_value());
static_assert(gre::view::checked(pptp_icmp)->header_len() == 16);
static_assert(gre::view::checked(pptp_icmp)->ack() == 7u);
static_assert(gre::view::checked(pptp_icmp)->payload().size() == 88);
static_assert(gre::view::checked(checksummed)->key() == 42u);
static_assert(gre::view::checked(checksummed)->checksum_ok());
static_assert(gre::view::checked(checksummed)->compute_checksum() == 0x57d5);
static_assert(gre::view::checked(hostile).error().code == errc::truncated);
static_assert(gre::repr::parse(*gre::view::checked(pptp_icmp))->call_id == 1);
// So is building, checksum included.
static_assert([] {
    std::array<std::byte, 12> buf{};
    gre::repr r;
    r.has_checksum = true;
    r.key = 7;
    r.payload_len = 0;
    r.emit(gre::mut_view::unchecked(buf));
    const auto v = gre::view::checked(buf);
    return v->checksum_ok() && v->key() == 7u && gre::mut_view::unchecked(buf).payload().empty();
}());

/// The payload's offset in its packet.
std::size_t offset_of(bytes payload, bytes packet) { return static_cast<std::size_t>(payload.data() - packet.data()); }

/// Flips up to three random bits of `golden`, and half of the time cuts it
/// at a random length.
std::vector<std::byte> mutate(bytes golden, std::mt19937& rng) {
    std::vector<std::byte> pkt(golden.begin(), golden.end());
    for (unsigned k = rng() % 4; k-- > 0;) pkt[rng() % pkt.size()] ^= static_cast<std::byte>(1u << (rng() % 8));
    if (rng() % 2 != 0) pkt.resize(rng() % (pkt.size() + 1));
    return pkt;
}

TEST(Gre, ReadsEveryFieldOfEnhancedGre) {
    const auto v = gre::view::checked(pptp_icmp);
    ASSERT_TRUE(v);
    EXPECT_EQ(v->flags(), 0x3080);
    EXPECT_EQ(v->version(), gre::version_enhanced);
    EXPECT_FALSE(v->has_checksum());
    EXPECT_FALSE(v->has_routing());
    EXPECT_TRUE(v->has_key());
    EXPECT_TRUE(v->has_sequence());
    EXPECT_TRUE(v->has_ack());
    EXPECT_EQ(v->reserved0(), 0);
    EXPECT_EQ(v->protocol_type(), ethertype::ppp);
    EXPECT_EQ(v->header_len(), 16u);
    EXPECT_EQ(v->checksum(), std::nullopt);
    EXPECT_EQ(v->reserved1(), std::nullopt);
    EXPECT_EQ(v->key(), 0x00580001u);
    EXPECT_EQ(v->payload_len(), 88);
    EXPECT_EQ(v->call_id(), 1);
    EXPECT_EQ(v->sequence(), 7u);
    EXPECT_EQ(v->ack(), 7u);
    EXPECT_TRUE(v->is_complete());
    EXPECT_EQ(v->packet_len(), pptp_icmp.size());
    EXPECT_EQ(v->header().size(), 16u);
    EXPECT_EQ(v->payload().size(), 88u);
    EXPECT_EQ(offset_of(v->payload(), pptp_icmp), 16u);
    EXPECT_EQ(v->payload()[0], std::byte{0xff}); // PPP address
    EXPECT_TRUE(v->checksum_ok());               // nothing to verify
}

TEST(Gre, EnhancedGreWithoutAck) {
    const auto v = gre::view::checked(pptp_lcp);
    ASSERT_TRUE(v);
    EXPECT_EQ(v->version(), 1);
    EXPECT_FALSE(v->has_ack());
    EXPECT_EQ(v->ack(), std::nullopt);
    EXPECT_EQ(v->sequence(), 0u);
    EXPECT_EQ(v->call_id(), 0);
    EXPECT_EQ(v->payload_len(), 48);
    EXPECT_EQ(v->header_len(), 12u);
    EXPECT_EQ(v->payload().size(), 48u);
}

TEST(Gre, AcknowledgmentWithoutPayload) {
    const auto v = gre::view::checked(pptp_ack_only);
    ASSERT_TRUE(v);
    EXPECT_FALSE(v->has_sequence());
    EXPECT_EQ(v->sequence(), std::nullopt);
    EXPECT_EQ(v->ack(), 6u);
    EXPECT_EQ(v->call_id(), 24);
    EXPECT_EQ(v->payload_len(), 0);
    EXPECT_EQ(v->header_len(), 12u);
    EXPECT_TRUE(v->payload().empty());
}

TEST(Gre, EnhancedPayloadStopsAtItsLength) {
    // Bytes after the declared payload (link padding, say) are not payload.
    std::vector<std::byte> pkt(pptp_ack_only.begin(), pptp_ack_only.end());
    pkt.resize(pkt.size() + 6, std::byte{0xee});
    const auto v = gre::view::checked(pkt);
    ASSERT_TRUE(v);
    EXPECT_TRUE(v->payload().empty());
    EXPECT_EQ(v->packet_len(), 12u);
}

TEST(Gre, KeyOnly) {
    const auto v = gre::view::checked(key_only);
    ASSERT_TRUE(v);
    EXPECT_EQ(v->version(), gre::version_gre);
    EXPECT_EQ(v->flags(), gre::flag_key);
    EXPECT_EQ(static_cast<std::uint16_t>(v->protocol_type()), 0x8909);
    EXPECT_EQ(v->key(), 0x28u);
    EXPECT_EQ(v->sequence(), std::nullopt);
    EXPECT_EQ(v->ack(), std::nullopt);
    EXPECT_EQ(v->checksum(), std::nullopt);
    // Version 0 has no payload length: the key is not split.
    EXPECT_EQ(v->payload_len(), 0);
    EXPECT_EQ(v->call_id(), 0);
    EXPECT_EQ(v->header_len(), 8u);
    EXPECT_EQ(v->payload().size(), key_only.size() - 8);
    EXPECT_EQ(offset_of(v->payload(), key_only), 8u);
}

TEST(Gre, SequenceNumberCarryingErspan) {
    const auto v = gre::view::checked(erspan);
    ASSERT_TRUE(v);
    EXPECT_EQ(v->flags(), gre::flag_sequence);
    EXPECT_EQ(static_cast<std::uint16_t>(v->protocol_type()), 0x88be);
    EXPECT_EQ(v->key(), std::nullopt);
    EXPECT_EQ(v->sequence(), 171u);
    EXPECT_EQ(v->header_len(), 8u);
    EXPECT_EQ(v->payload().size(), 80u);
    EXPECT_EQ(v->payload()[0], std::byte{0x11}); // ERSPAN version 1, VLAN 342
}

TEST(Gre, ChecksumAndReserved1) {
    const auto v = gre::view::checked(checksummed);
    ASSERT_TRUE(v);
    EXPECT_TRUE(v->has_checksum());
    EXPECT_EQ(v->protocol_type(), ethertype::ipv4);
    EXPECT_EQ(v->checksum(), 0x57d5);
    EXPECT_EQ(v->reserved1(), 0);
    EXPECT_EQ(v->key(), 42u);
    EXPECT_EQ(v->header_len(), 12u);
    EXPECT_EQ(v->payload().size(), 31u);
    EXPECT_TRUE(v->checksum_ok());
    EXPECT_EQ(v->compute_checksum(), 0x57d5);
}

TEST(Gre, ChecksumCoversThePayload) {
    auto pkt = copy_of(checksummed);
    pkt.back() ^= std::byte{0x01}; // the odd last byte
    auto v = gre::mut_view::unchecked(pkt);
    EXPECT_FALSE(v.checksum_ok());
    v.fill_checksum();
    EXPECT_TRUE(v.checksum_ok());
    EXPECT_EQ(v.checksum(), v.compute_checksum());
    pkt[8] ^= std::byte{0x80}; // the key
    EXPECT_FALSE(v.checksum_ok());
}

TEST(Gre, FillChecksumWithoutTheFlagWritesNothing) {
    auto pkt = copy_of(key_only);
    auto v = gre::mut_view::unchecked(pkt);
    v.fill_checksum();
    v.set_checksum(0xffff);
    v.set_reserved1(0xffff);
    v.set_ack(0xffffffff);     // version 0: there is no acknowledgment
    v.set_payload_len(0xffff); // version 0: the key is not split
    v.set_call_id(0xffff);
    EXPECT_TRUE(std::equal(pkt.begin(), pkt.end(), key_only.begin()));
}

TEST(Gre, HostileCaptureEndingInsideTheHeader) {
    EXPECT_ERROR(gre::view::checked(hostile), error::truncated(layer::gre, length_source::fixed_header, 0, 4, 2));
    EXPECT_ERROR(gre::view::checked_header(hostile),
                 error::truncated(layer::gre, length_source::fixed_header, 0, 4, 2));
    // Had more been captured, its routing bit would have been refused.
    std::vector<std::byte> more(hostile.begin(), hostile.end());
    more.resize(24, std::byte{0x30});
    EXPECT_ERROR(gre::view::checked(more), error::invalid(layer::gre, errc::unsupported, length_source::none, 0, 0, 1));
}

TEST(Gre, EveryTruncationIsRejectedWithTheExactError) {
    for (const bytes pkt : {bytes{pptp_icmp}, bytes{pptp_lcp}, bytes{pptp_ack_only}}) {
        const std::size_t header_len = gre::view::checked(pkt)->header_len();
        for (std::size_t n = 0; n < pkt.size(); ++n) {
            const bytes cut = pkt.first(n);
            const auto v = gre::view::checked(cut);
            ASSERT_FALSE(v) << n;
            if (n < 4) {
                EXPECT_EQ(v.error(), error::truncated(layer::gre, length_source::fixed_header, 0, 4, n)) << n;
            } else if (n < header_len) {
                EXPECT_EQ(v.error(), error::truncated(layer::gre, length_source::header_length, 0, header_len, n)) << n;
            } else {
                EXPECT_EQ(v.error(), error::truncated(layer::gre, length_source::payload_length, 0, pkt.size(), n))
                    << n;
                // The header alone is intact: checked_header() accepts it
                // and the payload is what was captured.
                const auto h = gre::view::checked_header(cut);
                ASSERT_TRUE(h) << n;
                EXPECT_FALSE(h->is_complete());
                EXPECT_EQ(h->payload().size(), n - header_len);
            }
        }
    }
    // Version 0 has no length: once the header is in, any payload is whole.
    for (const bytes pkt : {bytes{checksummed}, bytes{key_only}, bytes{erspan}}) {
        const std::size_t header_len = gre::view::checked(pkt)->header_len();
        for (std::size_t n = 0; n <= pkt.size(); ++n) {
            const auto v = gre::view::checked(pkt.first(n));
            if (n < 4) {
                EXPECT_ERROR(v, error::truncated(layer::gre, length_source::fixed_header, 0, 4, n));
            } else if (n < header_len) {
                EXPECT_ERROR(v, error::truncated(layer::gre, length_source::header_length, 0, header_len, n));
            } else {
                ASSERT_TRUE(v) << n;
                EXPECT_TRUE(v->is_complete());
                EXPECT_EQ(v->payload().size(), n - header_len);
            }
        }
    }
}

TEST(Gre, RejectsVersionsAboveOne) {
    for (std::uint8_t version = 2; version < 8; ++version) {
        auto pkt = copy_of(key_only);
        pkt[1] = static_cast<std::byte>(version);
        EXPECT_ERROR(gre::view::checked(pkt),
                     error::invalid(layer::gre, errc::bad_version, length_source::none, 0, 1, version));
    }
}

TEST(Gre, RejectsRouting) {
    for (const bytes golden : {bytes{key_only}, bytes{pptp_icmp}}) {
        std::vector<std::byte> pkt(golden.begin(), golden.end());
        pkt[0] |= std::byte{0x40};
        EXPECT_ERROR(gre::view::checked(pkt),
                     error::invalid(layer::gre, errc::unsupported, length_source::none, 0, 0, 1));
    }
}

TEST(Gre, RejectsEnhancedGreWithChecksum) {
    auto pkt = copy_of(pptp_icmp);
    pkt[0] |= std::byte{0x80};
    EXPECT_ERROR(gre::view::checked(pkt), error::invalid(layer::gre, errc::bad_value, length_source::none, 0, 0, 1));
}

TEST(Gre, RejectsEnhancedGreWithoutKey) {
    auto pkt = copy_of(pptp_icmp);
    pkt[0] &= ~std::byte{0x20};
    EXPECT_ERROR(gre::view::checked(pkt), error::invalid(layer::gre, errc::bad_value, length_source::none, 0, 1, 0));
}

TEST(Gre, ReservedBitsAreIgnoredByTheViewAndRefusedByRepr) {
    // Strict source route, recursion control and the reserved flags; and in
    // version 0 the bit that is A in version 1.
    for (const std::uint16_t bits : {0x0800, 0x0700, 0x0078, 0x0080}) {
        auto pkt = copy_of(key_only);
        pkt[0] |= static_cast<std::byte>(bits >> 8);
        pkt[1] |= static_cast<std::byte>(bits & 0xff);
        const auto v = gre::view::checked(pkt);
        ASSERT_TRUE(v) << bits;
        EXPECT_EQ(v->reserved0(), bits);
        EXPECT_EQ(v->header_len(), 8u) << bits;
        EXPECT_ERROR(gre::repr::parse(*v),
                     error::invalid(layer::gre, errc::bad_value, length_source::none, 0, 0, bits));
    }
    // In version 1 the A bit is defined, not reserved.
    const auto v1 = gre::view::checked(pptp_icmp);
    EXPECT_EQ(v1->reserved0(), 0);
}

TEST(Gre, ReprRefusesReserved1) {
    auto pkt = copy_of(checksummed);
    pkt[7] = std::byte{0x04}; // an RFC 1701 offset
    const auto v = gre::view::checked(pkt);
    ASSERT_TRUE(v);
    EXPECT_EQ(v->reserved1(), 4);
    EXPECT_ERROR(gre::repr::parse(*v), error::invalid(layer::gre, errc::bad_value, length_source::none, 6, 0, 4));
}

TEST(Gre, SetEveryFieldOfVersion0ThenCompare) {
    std::array<std::byte, 20> buf{};
    buf.fill(std::byte{0x5a});
    auto v = gre::mut_view::unchecked(buf);
    v.set_flags(0);
    v.set_version(gre::version_gre);
    v.set_has_checksum(true);
    v.set_has_key(true);
    v.set_has_sequence(true);
    v.set_protocol_type(ethertype::transparent_ethernet_bridging);
    v.set_reserved1(0);
    v.set_key(0x01020304);
    v.set_sequence(0xfffffffe);
    v.fill_checksum();
    const gre::view r = v;
    EXPECT_EQ(r.flags(), gre::flag_checksum | gre::flag_key | gre::flag_sequence);
    EXPECT_EQ(r.version(), 0);
    EXPECT_EQ(r.protocol_type(), ethertype::transparent_ethernet_bridging);
    EXPECT_EQ(r.header_len(), 16u);
    EXPECT_EQ(r.reserved1(), 0);
    EXPECT_EQ(r.key(), 0x01020304u);
    EXPECT_EQ(r.sequence(), 0xfffffffeu);
    EXPECT_EQ(r.ack(), std::nullopt);
    EXPECT_EQ(r.payload().size(), 4u);
    EXPECT_TRUE(r.checksum_ok());
    EXPECT_TRUE(gre::view::checked(buf));
    // Setting one flag leaves its neighbours alone.
    v.set_has_key(false);
    EXPECT_TRUE(r.has_checksum());
    EXPECT_TRUE(r.has_sequence());
    EXPECT_EQ(r.version(), 0);
}

TEST(Gre, SetEveryFieldOfVersion1ThenCompare) {
    std::array<std::byte, 20> buf{};
    auto v = gre::mut_view::unchecked(buf);
    v.set_version(gre::version_enhanced);
    v.set_has_key(true);
    v.set_has_sequence(true);
    v.set_has_ack(true);
    v.set_protocol_type(ethertype::ppp);
    v.set_payload_len(4);
    v.set_call_id(0x1234);
    v.set_sequence(9);
    v.set_ack(8);
    const gre::view r = v;
    EXPECT_EQ(r.flags(), gre::flag_key | gre::flag_sequence | gre::flag_ack);
    EXPECT_EQ(r.version(), 1);
    EXPECT_EQ(r.header_len(), 16u);
    EXPECT_EQ(r.payload_len(), 4);
    EXPECT_EQ(r.call_id(), 0x1234);
    EXPECT_EQ(r.key(), 0x00041234u);
    EXPECT_EQ(r.sequence(), 9u);
    EXPECT_EQ(r.ack(), 8u);
    EXPECT_TRUE(r.is_complete());
    EXPECT_TRUE(gre::view::checked(buf));
    v.set_key(0x00051234);
    EXPECT_EQ(r.payload_len(), 5);
    EXPECT_FALSE(gre::view::checked(buf));
    EXPECT_TRUE(gre::view::checked_header(buf));
}

TEST(Gre, ReprRoundTripReproducesTheHeaderBytes) {
    for (const bytes pkt : {bytes{pptp_icmp}, bytes{pptp_ack_only}, bytes{pptp_lcp}, bytes{key_only}, bytes{erspan},
                            bytes{checksummed}}) {
        const auto v = gre::view::checked(pkt);
        ASSERT_TRUE(v);
        const auto r = gre::repr::parse(*v);
        ASSERT_TRUE(r);
        EXPECT_EQ(r->header_len(), v->header_len());
        EXPECT_EQ(r->buffer_len(), pkt.size());
        // emit() writes the header in front of the payload already in place
        // (and checksums both).
        std::vector<std::byte> out(pkt.size(), std::byte{0xcc});
        std::copy(pkt.begin() + static_cast<std::ptrdiff_t>(v->header_len()), pkt.end(),
                  out.begin() + static_cast<std::ptrdiff_t>(v->header_len()));
        r->emit(gre::mut_view::unchecked(out));
        EXPECT_TRUE(std::equal(out.begin(), out.end(), pkt.begin()));
        // ...and the emitted packet parses back to the same repr.
        const auto again = gre::repr::parse(*gre::view::checked(out));
        ASSERT_TRUE(again);
        EXPECT_EQ(*again, *r);
    }
}

TEST(Gre, ReprFields) {
    const auto r = gre::repr::parse(*gre::view::checked(pptp_icmp));
    ASSERT_TRUE(r);
    EXPECT_EQ(r->version, 1);
    EXPECT_EQ(r->protocol_type, ethertype::ppp);
    EXPECT_FALSE(r->has_checksum);
    EXPECT_EQ(r->key, std::nullopt);
    EXPECT_EQ(r->sequence, 7u);
    EXPECT_EQ(r->ack, 7u);
    EXPECT_EQ(r->call_id, 1);
    EXPECT_EQ(r->payload_len, 88u);
    const auto c = gre::repr::parse(*gre::view::checked(checksummed));
    ASSERT_TRUE(c);
    EXPECT_EQ(c->version, 0);
    EXPECT_TRUE(c->has_checksum);
    EXPECT_EQ(c->key, 42u);
    EXPECT_EQ(c->sequence, std::nullopt);
    EXPECT_EQ(c->payload_len, 31u);
}

TEST(Gre, ReprEmitIgnoresFieldsOfTheOtherVersion) {
    gre::repr r;
    r.version = gre::version_gre;
    r.protocol_type = ethertype::ipv6;
    r.ack = 5; // version 1 only
    r.call_id = 3;
    EXPECT_EQ(r.header_len(), 4u);
    std::array<std::byte, 4> buf{};
    buf.fill(std::byte{0xff});
    r.emit(gre::mut_view::unchecked(buf));
    EXPECT_EQ(buf, make_bytes(0x00, 0x00, 0x86, 0xdd));

    gre::repr e;
    e.version = gre::version_enhanced;
    e.protocol_type = ethertype::ppp;
    e.has_checksum = true; // not in version 1
    e.key = 7;             // version 1 builds its key from payload_len and call_id
    e.call_id = 0x0102;
    e.payload_len = 0;
    EXPECT_EQ(e.header_len(), 8u);
    std::array<std::byte, 8> out{};
    e.emit(gre::mut_view::unchecked(out));
    EXPECT_EQ(out, make_bytes(0x20, 0x01, 0x88, 0x0b, 0x00, 0x00, 0x01, 0x02));
    EXPECT_TRUE(gre::view::checked(out));
}

TEST(Gre, ErrorMessagesArePrecise) {
    const auto v = gre::view::checked(bytes{pptp_icmp}.first(40));
    EXPECT_EQ(to_string(v.error()), "gre: truncated at offset 0: payload length field needs 104 bytes, 40 available");
}

TEST(Gre, MutatedPacketsNeverReadOutOfBounds) {
    // Meant for the sanitizer build with RAWPKT_CHECK_BOUNDS, where any read
    // past the buffer aborts. Every accepted repr also emits its bytes back.
    std::size_t emitted = 0;
    std::mt19937 rng(2784);
    for (const bytes golden : {bytes{pptp_icmp}, bytes{pptp_ack_only}, bytes{pptp_lcp}, bytes{key_only}, bytes{erspan},
                               bytes{checksummed}}) {
        for (int round = 0; round < 3000; ++round) {
            const auto pkt = mutate(golden, rng);
            const auto v = gre::view::checked_header(pkt);
            if (!v) continue;
            EXPECT_LE(v->header_len() + v->payload().size(), pkt.size());
            (void)v->checksum_ok();
            (void)v->reserved1();
            (void)v->key();
            (void)v->sequence();
            (void)v->ack();
            (void)v->call_id();
            const auto r = gre::repr::parse(*v);
            if (!r || !v->is_complete()) continue;
            ++emitted;
            std::vector<std::byte> out(pkt);
            r->emit(gre::mut_view::unchecked(mut_bytes{out}.first(r->buffer_len())));
            if (r->has_checksum) {
                out[4] = pkt[4]; // emit() recomputed the checksum
                out[5] = pkt[5];
            }
            EXPECT_EQ(out, pkt);
            EXPECT_EQ(*gre::repr::parse(*gre::view::checked(out)), *r);
        }
    }
    EXPECT_GT(emitted, 1000u);
}

} // namespace
