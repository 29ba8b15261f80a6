// SPDX-License-Identifier: BSD-3-Clause
#include <rawpkt/packet/udp.hpp>

#include "support/hex.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <string_view>
#include <vector>

using namespace rawpkt;
using namespace rawpkt::test;

namespace {

// tcpdump__dns_udp.pcap frame 1, from the UDP header on;
// IPv4 192.168.1.11 -> 209.87.249.18.
// User Datagram Protocol, Src Port: 43966, Dst Port: 53
//     Source Port: 43966
//     Destination Port: 53
//     Length: 64
//     Checksum: 0x7824 [correct]
//     UDP payload (56 bytes)
// Domain Name System (query): Standard query 0x5934 A www.tcpdump.org OPT
constexpr auto dns_query = R"(
    ab be 00 35 00 40 78 24 59 34 01 20 00 01 00 00
    00 00 00 01 03 77 77 77 07 74 63 70 64 75 6d 70
    03 6f 72 67 00 00 01 00 01 00 00 29 10 00 00 00
    00 00 00 0c 00 0a 00 08 42 f5 d0 09 96 f9 0b 13)"_hex;

// pcapplusplus__DnsPackets.pcap frame 21; IPv6 fe80::4dc7:f593:1f7b:dc11 -> ff02::1:3.
// User Datagram Protocol, Src Port: 51837, Dst Port: 5355
//     Length: 30
//     Checksum: 0x63f7 [correct]
//     UDP payload (22 bytes)
// Link-local Multicast Name Resolution (query): Standard query 0xa706 A wpad
constexpr auto llmnr_v6 = R"(
    ca 7d 14 eb 00 1e 63 f7 a7 06 00 00 00 01 00 00
    00 00 00 00 04 77 70 61 64 00 00 01 00 01)"_hex;

// tcpdump__mpls-traceroute.pcap frame 1 (PPP, MPLS); IPv4 12.4.4.4 -> 12.1.1.1.
// User Datagram Protocol, Src Port: 42315, Dst Port: 33435
//     Length: 20
//     Checksum: 0x0000 [zero-value ignored]
//     UDP payload (12 bytes)
constexpr auto traceroute_probe = R"(
    a5 4b 82 9b 00 14 00 00 00 00 00 00 00 00 00 00
    00 00 00 00)"_hex;

// tcpdump__mpls-traceroute.pcap frame 14: the UDP header quoted in an ICMP
// port unreachable, which carries only its first 8 bytes.
//     User Datagram Protocol, Src Port: 42315, Dst Port: 33441
//         Length: 20
//         Checksum: 0x0000 [zero-value ignored]
constexpr auto quoted_header = R"(
    a5 4b 82 a1 00 14 00 00)"_hex;

// tcpdump__udp-length-heapoverflow.pcap frame 1: the capture ends 4 bytes
// into the UDP header.
constexpr auto hostile_short = R"(
    30 30 30 30)"_hex;

constexpr ipv4_address v4(std::uint8_t a, std::uint8_t b, std::uint8_t c, std::uint8_t d) { return {{a, b, c, d}}; }
constexpr ipv6_address v6(std::string_view s) {
    ipv6_address a;
    return ipv6_address::parse(s, a) ? a : ipv6_address{};
}

constexpr ipv4_address dns_src = v4(192, 168, 1, 11), dns_dst = v4(209, 87, 249, 18);
constexpr ipv4_address probe_src = v4(12, 4, 4, 4), probe_dst = v4(12, 1, 1, 1);
constexpr ipv6_address llmnr_src = v6("fe80::4dc7:f593:1f7b:dc11"), llmnr_dst = v6("ff02::1:3");

// Accessors are usable in constant expressions.
static_assert(udp::view::checked(dns_query).has_value());
static_assert(udp::view::checked(dns_query)->length() == 64);
static_assert(udp::view::checked(dns_query)->payload().size() == 56);
static_assert(udp::view::checked(dns_query)->checksum_ok(dns_src, dns_dst));
static_assert(udp::view::checked(llmnr_v6)->checksum_ok(llmnr_src, llmnr_dst));
static_assert(udp::view::checked(bytes{dns_query}.first(7)).error().code == errc::truncated);
static_assert(udp::repr::parse(*udp::view::checked(dns_query))->payload_len == 56);

TEST(Udp, ReadsEveryField) {
    const auto v = udp::view::checked(dns_query);
    ASSERT_TRUE(v);
    EXPECT_EQ(v->src_port(), 43966);
    EXPECT_EQ(v->dst_port(), 53);
    EXPECT_EQ(v->length(), 64);
    EXPECT_EQ(v->checksum(), 0x7824);
    EXPECT_TRUE(v->has_checksum());
    EXPECT_EQ(v->header_len(), 8u);
    EXPECT_EQ(v->datagram_len(), 64u);
    EXPECT_TRUE(v->is_complete());
    EXPECT_EQ(v->payload().size(), 56u);
    EXPECT_EQ(v->payload().data(), dns_query.data() + 8);
}

TEST(Udp, PayloadStopsAtTheLengthField) {
    // Crafted: dns_query followed by 6 bytes of trailer the IP layer left
    // in (padding); the length field still says 64.
    std::array<std::byte, 70> pkt{};
    std::copy(dns_query.begin(), dns_query.end(), pkt.begin());
    const auto v = udp::view::checked(pkt);
    ASSERT_TRUE(v);
    EXPECT_EQ(v->datagram_len(), 64u);
    EXPECT_EQ(v->payload().size(), 56u);
    EXPECT_TRUE(v->checksum_ok(dns_src, dns_dst));
}

TEST(Udp, EveryTruncationIsRejectedWithTheExactError) {
    for (std::size_t n = 0; n < dns_query.size(); ++n) {
        const bytes cut = bytes{dns_query}.first(n);
        const auto v = udp::view::checked(cut);
        ASSERT_FALSE(v) << n;
        if (n < 8) {
            EXPECT_EQ(v.error(), error::truncated(layer::udp, length_source::fixed_header, 0, 8, n));
            EXPECT_EQ(udp::view::checked_header(cut).error(), v.error());
        } else {
            EXPECT_EQ(v.error(), error::truncated(layer::udp, length_source::total_length, 0, 64, n));
            // The header alone is intact: checked_header() accepts it and the
            // payload is what was captured.
            const auto h = udp::view::checked_header(cut);
            ASSERT_TRUE(h);
            EXPECT_FALSE(h->is_complete());
            EXPECT_EQ(h->datagram_len(), n);
            EXPECT_EQ(h->payload().size(), n - 8);
            // An incomplete datagram's checksum cannot be verified.
            EXPECT_FALSE(h->checksum_ok(dns_src, dns_dst));
        }
    }
}

TEST(Udp, RejectsLengthBelowEight) {
    for (std::uint8_t len = 0; len < 8; ++len) {
        auto pkt = copy_of(dns_query);
        pkt[4] = std::byte{0};
        pkt[5] = std::byte{len};
        const error expected =
            error::invalid(layer::udp, errc::length_too_small, length_source::total_length, 4, 8, len);
        EXPECT_ERROR(udp::view::checked(pkt), expected);
        EXPECT_ERROR(udp::view::checked_header(pkt), expected);
    }
}

TEST(Udp, RejectsTheHostileCapture) {
    EXPECT_ERROR(udp::view::checked(hostile_short), error::truncated(layer::udp, length_source::fixed_header, 0, 8, 4));
}

TEST(Udp, QuotedHeaderIsCheckedAsAHeader) {
    EXPECT_ERROR(udp::view::checked(quoted_header),
                 error::truncated(layer::udp, length_source::total_length, 0, 20, 8));
    const auto v = udp::view::checked_header(quoted_header);
    ASSERT_TRUE(v);
    EXPECT_EQ(v->src_port(), 42315);
    EXPECT_EQ(v->dst_port(), 33441);
    EXPECT_EQ(v->length(), 20);
    EXPECT_FALSE(v->is_complete());
    EXPECT_TRUE(v->payload().empty());
    EXPECT_EQ(udp::repr::parse(*v)->payload_len, 12);
}

TEST(Udp, ChecksumOverIpv4) {
    const auto v = udp::view::checked(dns_query);
    ASSERT_TRUE(v);
    EXPECT_TRUE(v->checksum_ok(dns_src, dns_dst));
    EXPECT_EQ(v->compute_checksum(dns_src, dns_dst), 0x7824);
    EXPECT_FALSE(v->checksum_ok(dns_src, v4(209, 87, 249, 19)));
    auto pkt = copy_of(dns_query);
    pkt.back() ^= std::byte{0x80};
    EXPECT_FALSE(udp::view::checked(pkt)->checksum_ok(dns_src, dns_dst));
    auto m = udp::mut_view::unchecked(pkt);
    m.fill_checksum(dns_src, dns_dst);
    EXPECT_TRUE(m.checksum_ok(dns_src, dns_dst));
}

TEST(Udp, ChecksumOverIpv6) {
    const auto v = udp::view::checked(llmnr_v6);
    ASSERT_TRUE(v);
    EXPECT_TRUE(v->checksum_ok(llmnr_src, llmnr_dst));
    EXPECT_EQ(v->compute_checksum(llmnr_src, llmnr_dst), 0x63f7);
    EXPECT_FALSE(v->checksum_ok(llmnr_src, v6("ff02::1:2")));
}

TEST(Udp, ZeroChecksumMeansNoneOverIpv4Only) {
    const auto v = udp::view::checked(traceroute_probe);
    ASSERT_TRUE(v);
    EXPECT_FALSE(v->has_checksum());
    EXPECT_TRUE(v->checksum_ok(probe_src, probe_dst)); // RFC 768: none computed
    // RFC 8200 §8.1: over IPv6 a zero checksum is invalid.
    auto pkt = copy_of(llmnr_v6);
    pkt[6] = pkt[7] = std::byte{0};
    EXPECT_FALSE(udp::view::checked(pkt)->checksum_ok(llmnr_src, llmnr_dst));
    // Filling it gives the real one.
    auto m = udp::mut_view::unchecked(pkt);
    m.fill_checksum(llmnr_src, llmnr_dst);
    EXPECT_EQ(m.checksum(), 0x63f7);
}

TEST(Udp, ComputedZeroIsSentAsAllOnes) {
    // Crafted: a 2-byte payload chosen so that the checksum computes to 0.
    // Putting in the payload the checksum computed with it zero makes the
    // whole sum 0xffff, whose complement is 0.
    for (const bool over_v6 : {false, true}) {
        std::array<std::byte, 10> pkt{};
        auto m = udp::mut_view::unchecked(pkt);
        udp::repr{1234, 5678, 2}.emit(m);
        const std::uint16_t word =
            over_v6 ? m.compute_checksum(llmnr_src, llmnr_dst) : m.compute_checksum(dns_src, dns_dst);
        store_be<std::uint16_t>(pkt, 8, word);
        if (over_v6) {
            m.fill_checksum(llmnr_src, llmnr_dst);
            EXPECT_TRUE(m.checksum_ok(llmnr_src, llmnr_dst));
        } else {
            m.fill_checksum(dns_src, dns_dst);
            EXPECT_TRUE(m.checksum_ok(dns_src, dns_dst));
        }
        EXPECT_EQ(m.checksum(), 0xffff) << over_v6;
    }
}

TEST(Udp, SetEveryFieldThenCompare) {
    std::array<std::byte, 12> buf{};
    auto v = udp::mut_view::unchecked(buf);
    v.set_src_port(0xfedc);
    v.set_dst_port(4789);
    v.set_length(12);
    v.set_checksum(0xabcd);
    const udp::view r = v;
    EXPECT_EQ(r.src_port(), 0xfedc);
    EXPECT_EQ(r.dst_port(), 4789);
    EXPECT_EQ(r.length(), 12);
    EXPECT_EQ(r.checksum(), 0xabcd);
    EXPECT_TRUE(udp::view::checked(buf));
    EXPECT_EQ(v.payload().size(), 4u); // mut_bytes on a mut_view
    v.set_length(10);                  // only moves the payload's end
    EXPECT_EQ(r.payload().size(), 2u);
    v.set_length(0xffff); // clamped to the buffer
    EXPECT_EQ(r.payload().size(), 4u);
}

TEST(Udp, ReprRoundTripReproducesTheDatagram) {
    struct golden {
        bytes pkt;
        bool v6;
    };
    for (const golden& g : {golden{dns_query, false}, golden{llmnr_v6, true}, golden{traceroute_probe, false}}) {
        const auto v = udp::view::checked(g.pkt);
        ASSERT_TRUE(v);
        const auto r = udp::repr::parse(*v);
        ASSERT_TRUE(r);
        EXPECT_EQ(r->src_port, v->src_port());
        EXPECT_EQ(r->dst_port, v->dst_port());
        EXPECT_EQ(r->payload_len, v->payload().size());
        EXPECT_EQ(r->header_len(), 8u);
        EXPECT_EQ(r->buffer_len(), g.pkt.size());
        // Emit over a copy (the payload stays), then fill the checksum as the
        // builder does: the same bytes, except that the traceroute probe
        // was sent without a checksum.
        std::vector<std::byte> out(g.pkt.begin(), g.pkt.end());
        std::fill(out.begin(), out.begin() + 8, std::byte{0xee});
        auto m = udp::mut_view::unchecked(out);
        r->emit(m);
        EXPECT_EQ(m.checksum(), 0);
        if (v->has_checksum()) {
            if (g.v6) {
                m.fill_checksum(llmnr_src, llmnr_dst);
            } else {
                m.fill_checksum(dns_src, dns_dst);
            }
        }
        EXPECT_TRUE(std::ranges::equal(out, g.pkt));
        const auto again = udp::repr::parse(*udp::view::checked(out));
        ASSERT_TRUE(again);
        EXPECT_EQ(*again, *r);
    }
}

TEST(Udp, BuildsADatagram) {
    // The builder's order: emit the header, write the payload, fill the checksum.
    const udp::repr r{43966, 53, 56};
    std::array<std::byte, 64> buf{};
    auto m = udp::mut_view::unchecked(buf);
    r.emit(m);
    std::copy(dns_query.begin() + 8, dns_query.end(), m.payload().begin());
    m.fill_checksum(dns_src, dns_dst);
    EXPECT_EQ(buf, dns_query);
    // emit(v, src, dst): the header and the checksum over the payload in place.
    std::array<std::byte, 64> again{};
    std::copy(dns_query.begin() + 8, dns_query.end(), again.begin() + 8);
    r.emit(udp::mut_view::unchecked(again), dns_src, dns_dst);
    EXPECT_EQ(again, dns_query);
}

TEST(Udp, ZeroChecksumOverIpv6RoundTrips) {
    // The LLMNR query with its checksum zeroed, as a tunnel under RFC 6935
    // may send it. It is not a valid checksum (checksum_ok() is false), the
    // view says there is none, and the repr keeps that through emit().
    auto pkt = copy_of(llmnr_v6);
    pkt[6] = pkt[7] = std::byte{0};
    const auto v = udp::view::checked(pkt);
    ASSERT_TRUE(v);
    EXPECT_FALSE(v->has_checksum());
    EXPECT_FALSE(v->checksum_ok(llmnr_src, llmnr_dst));
    const auto r = udp::repr::parse(*v);
    ASSERT_TRUE(r);
    EXPECT_FALSE(r->has_checksum);
    std::vector<std::byte> out(pkt.begin(), pkt.end());
    std::fill(out.begin(), out.begin() + 8, std::byte{0xee});
    r->emit(udp::mut_view::unchecked(out), llmnr_src, llmnr_dst);
    EXPECT_TRUE(std::ranges::equal(out, pkt));
    const auto again = udp::repr::parse(*udp::view::checked(out));
    ASSERT_TRUE(again);
    EXPECT_EQ(*again, *r);
    // With has_checksum, the same emit() fills the real one.
    udp::repr with = *r;
    with.has_checksum = true;
    with.emit(udp::mut_view::unchecked(out), llmnr_src, llmnr_dst);
    EXPECT_TRUE(std::ranges::equal(out, llmnr_v6));
}

TEST(Udp, ErrorMessagesArePrecise) {
    EXPECT_EQ(to_string(udp::view::checked(quoted_header).error()),
              "udp: truncated at offset 0: total length field needs 20 bytes, 8 available");
}

} // namespace
