// SPDX-License-Identifier: BSD-3-Clause
// IP defragmentation: IPv4 and IPv6 fragments built from real headers,
// every overlap policy on overlap patterns that tell them apart, every
// rejection rule, the bounds and the timeout.
#include <rawpkt/decode.hpp>
#include <rawpkt/flow/defrag.hpp>

#include "support/hex.hpp"

#include <gtest/gtest.h>

#include <cstring>
#include <string>
#include <vector>

namespace {

using namespace rawpkt;
using namespace rawpkt::flow;
using rawpkt::test::operator""_hex;

// IPv4 UDP datagram 192.168.0.1:1024 -> 192.168.0.2:53, id 0x1234, DF off:
//   Internet Protocol Version 4, Src: 192.168.0.1, Dst: 192.168.0.2
//     Total Length: 44, Identification: 0x1234, Flags: 0x00, TTL: 64,
//     Protocol: UDP (17), Header Checksum: 0xe739
//   User Datagram Protocol, Src Port: 1024, Dst Port: 53, Length: 24
//   Data (16 bytes): 000102030405060708090a0b0c0d0e0f
constexpr auto udp_datagram = R"(
    45 00 00 2c 12 34 00 00 40 11 e7 39 c0 a8 00 01 c0 a8 00 02
    04 00 00 35 00 18 00 00 00 01 02 03 04 05 06 07 08 09 0a 0b 0c 0d 0e 0f)"_hex;

// Its first fragment, as a host fragmenting at 16 payload bytes sends it:
//   Internet Protocol Version 4, Total Length: 36, Identification: 0x1234,
//   Flags: 0x20 (More Fragments), Fragment Offset: 0, Header Checksum: 0xc741
constexpr auto udp_first_fragment = R"(
    45 00 00 24 12 34 20 00 40 11 c7 41 c0 a8 00 01 c0 a8 00 02
    04 00 00 35 00 18 00 00 00 01 02 03 04 05 06 07)"_hex;

// IPv6 header 2001:db8::1 -> 2001:db8::2, next header Fragment (44).
constexpr auto ipv6_header = R"(
    60 00 00 00 00 00 2c 40 20 01 0d b8 00 00 00 00 00 00 00 00 00 00 00 01
    20 01 0d b8 00 00 00 00 00 00 00 00 00 00 00 02)"_hex;

/// Appends bytes (resize and copy: g++ 12 warns falsely on insert here).
void append(std::vector<std::byte>& to, bytes b) {
    const std::size_t at = to.size();
    to.resize(at + b.size());
    if (!b.empty()) std::memcpy(to.data() + at, b.data(), b.size());
}

std::vector<std::byte> v4_fragment(std::uint16_t id, std::uint8_t proto, std::uint32_t offset, bool more, bytes data) {
    std::vector<std::byte> p;
    append(p, bytes{udp_datagram}.first(20));
    append(p, data);
    auto v = ipv4::mut_view::unchecked(mut_bytes{p});
    v.set_total_len(static_cast<std::uint16_t>(p.size()));
    v.set_ident(id);
    v.set_protocol(static_cast<ip_proto>(proto));
    v.set_more_fragments(more);
    v.set_frag_offset(offset);
    v.fill_checksum();
    return p;
}

std::vector<std::byte> v6_fragment(std::uint32_t id, std::uint8_t proto, std::uint32_t offset, bool more, bytes data) {
    std::vector<std::byte> p;
    append(p, bytes{ipv6_header});
    append(p, bytes{R"(11 00 00 00 00 00 00 00)"_hex}); // Fragment header, next header UDP
    append(p, data);
    auto v = ipv6::mut_view::unchecked(mut_bytes{p});
    v.set_payload_len(static_cast<std::uint16_t>(p.size() - 40));
    auto f = ipv6::fragment::mut_view::unchecked(mut_bytes{p}.subspan(40, 8));
    f.set_next_header(static_cast<ip_proto>(proto));
    f.set_ident(id);
    f.set_frag_offset(offset);
    f.set_more_fragments(more);
    return p;
}

std::vector<std::byte> filled(std::size_t n, char c) { return std::vector<std::byte>(n, static_cast<std::byte>(c)); }

std::string payload_text(const defrag_result& r, std::size_t header_len) {
    std::string s;
    for (const std::byte b : r.datagram.subspan(header_len)) s += static_cast<char>(b);
    return s;
}

TEST(Defrag, WholePacketComesBackWithoutCopy) {
    defragmenter d;
    const auto r = d.add(bytes{udp_datagram}, 0);
    EXPECT_EQ(r.status, defrag_status::whole);
    EXPECT_EQ(r.datagram.data(), udp_datagram.data());
    EXPECT_EQ(r.datagram.size(), udp_datagram.size());
    EXPECT_EQ(d.stats().fragments, 0u);
}

TEST(Defrag, HelperBuildsTheRealFirstFragment) {
    const auto f = v4_fragment(0x1234, 17, 0, true, bytes{udp_datagram}.subspan(20, 16));
    EXPECT_TRUE(std::equal(f.begin(), f.end(), udp_first_fragment.begin(), udp_first_fragment.end()));
}

TEST(Defrag, Ipv4InOrderAndReversedGiveTheOriginalDatagram) {
    const bytes payload = bytes{udp_datagram}.subspan(20);
    const auto a = v4_fragment(0x1234, 17, 0, true, payload.first(16));
    const auto b = v4_fragment(0x1234, 17, 16, false, payload.subspan(16));
    for (const bool reversed : {false, true}) {
        defragmenter d;
        const auto r1 = d.add(bytes{reversed ? b : a}, 1);
        EXPECT_EQ(r1.status, defrag_status::held);
        EXPECT_EQ(d.stats().datagrams_held, 1u);
        const auto r2 = d.add(bytes{reversed ? a : b}, 2);
        ASSERT_EQ(r2.status, defrag_status::reassembled);
        EXPECT_EQ(r2.link, link_type::ipv4);
        EXPECT_TRUE(std::equal(r2.datagram.begin(), r2.datagram.end(), udp_datagram.begin(), udp_datagram.end()));
        EXPECT_EQ(d.stats().reassembled, 1u);
        EXPECT_EQ(d.stats().bytes_held, 0u);
        EXPECT_EQ(d.stats().datagrams_held, 0u);
        // The datagram goes back through the decoder.
        decoded out;
        ASSERT_TRUE(decode(r2.datagram, r2.link, out));
        const auto udp = out.get<udp::view>();
        ASSERT_TRUE(udp);
        EXPECT_EQ(udp->dst_port(), 53);
        EXPECT_EQ(out.payload().size(), 16u);
    }
}

TEST(Defrag, FramesAreReadThroughTheDecoder) {
    // Ethernet + the first fragment, then the second fragment.
    std::vector<std::byte> frame(14, std::byte{0});
    frame[12] = std::byte{0x08};
    append(frame, bytes{udp_first_fragment});
    decoded out;
    ASSERT_TRUE(decode(bytes{frame}, link_type::ethernet, out));
    EXPECT_TRUE(out.is_fragment());
    defragmenter d;
    EXPECT_EQ(d.add(out, 0).status, defrag_status::held);
    const auto b = v4_fragment(0x1234, 17, 16, false, bytes{udp_datagram}.subspan(36));
    const auto r = d.add(bytes{b}, 0);
    ASSERT_EQ(r.status, defrag_status::reassembled);
    EXPECT_TRUE(std::equal(r.datagram.begin(), r.datagram.end(), udp_datagram.begin(), udp_datagram.end()));
}

TEST(Defrag, Ipv6FragmentsGiveThePacketWithoutTheFragmentHeader) {
    const bytes payload = bytes{udp_datagram}.subspan(20);
    const auto a = v6_fragment(7, 17, 0, true, payload.first(8));
    const auto b = v6_fragment(7, 17, 8, true, payload.subspan(8, 8));
    const auto c = v6_fragment(7, 17, 16, false, payload.subspan(16));
    defragmenter d;
    EXPECT_EQ(d.add(bytes{c}, 0).status, defrag_status::held);
    EXPECT_EQ(d.add(bytes{a}, 0).status, defrag_status::held);
    const auto r = d.add(bytes{b}, 0);
    ASSERT_EQ(r.status, defrag_status::reassembled);
    EXPECT_EQ(r.link, link_type::ipv6);
    ASSERT_EQ(r.datagram.size(), 40u + 24u);
    const auto v = ipv6::view::checked(r.datagram);
    ASSERT_TRUE(v);
    EXPECT_EQ(v->payload_len(), 24);
    EXPECT_EQ(v->next_header(), ip_proto::udp);
    EXPECT_TRUE(std::equal(r.datagram.begin() + 40, r.datagram.end(), payload.begin(), payload.end()));
    decoded out;
    ASSERT_TRUE(decode(r.datagram, r.link, out));
    EXPECT_TRUE(out.get<udp::view>());
}

TEST(Defrag, AtomicIpv6FragmentIsWhole) {
    const auto a = v6_fragment(7, 17, 0, false, bytes{udp_datagram}.subspan(20));
    defragmenter d;
    const auto r = d.add(bytes{a}, 0);
    EXPECT_EQ(r.status, defrag_status::whole);
    EXPECT_EQ(r.datagram.data(), a.data());
}

TEST(Defrag, EqualIdentsOfDifferentZonesStayApart) {
    const bytes payload = bytes{udp_datagram}.subspan(20);
    const auto a = v4_fragment(0x1234, 17, 0, true, payload.first(16));
    const auto b = v4_fragment(0x1234, 17, 16, false, payload.subspan(16));
    defragmenter d;
    EXPECT_EQ(d.add(bytes{a}, 0, 100).status, defrag_status::held);
    EXPECT_EQ(d.add(bytes{b}, 0, 200).status, defrag_status::held);
    EXPECT_EQ(d.stats().datagrams_held, 2u);
    EXPECT_EQ(d.add(bytes{b}, 0, 100).status, defrag_status::reassembled);
}

struct fragment_spec {
    std::uint32_t begin, end;
    char fill;
    bool more;
};

/// The payload the policy makes of fragments sent in this order
/// (protocol 253, so no transport-header rule applies).
std::string reassemble(overlap_policy policy, std::initializer_list<fragment_spec> specs) {
    defragmenter d({.policy = policy});
    for (const auto& s : specs) {
        const auto data = filled(s.end - s.begin, s.fill);
        const auto p = v4_fragment(9, 253, s.begin, s.more, bytes{data});
        const auto r = d.add(bytes{p}, 0);
        if (r.status == defrag_status::reassembled) return payload_text(r, 20);
        if (r.status != defrag_status::held) return std::string("not held: ") + to_string(r.reason);
    }
    return "incomplete";
}

TEST(Defrag, OverlapPoliciesResolveByteByByte) {
    using P = overlap_policy;
    // A: [8,16) then [8,24) (same start, longer) then [0,8).
    const auto a = [](P p) { return reassemble(p, {{8, 16, '1', true}, {8, 24, '2', false}, {0, 8, '0', true}}); };
    // B: [8,24) then [0,16) (starts before, ends inside).
    const auto b = [](P p) { return reassemble(p, {{8, 24, '1', false}, {0, 16, '2', true}}); };
    // C: [8,16) then [0,24) (starts before, ends after), then [24,32).
    const auto c = [](P p) { return reassemble(p, {{8, 16, '1', true}, {0, 24, '2', true}, {24, 32, '3', false}}); };
    // D: [0,16) then [8,24) (starts inside).
    const auto dd = [](P p) { return reassemble(p, {{0, 16, '1', true}, {8, 24, '2', false}}); };
    const std::string s0 = "00000000", s1 = "11111111", s2 = "22222222", s3 = "33333333";
    EXPECT_EQ(a(P::first), s0 + s1 + s2);
    EXPECT_EQ(b(P::first), s2 + s1 + s1);
    EXPECT_EQ(c(P::first), s2 + s1 + s2 + s3);
    EXPECT_EQ(dd(P::first), s1 + s1 + s2);

    EXPECT_EQ(a(P::last), s0 + s2 + s2);
    EXPECT_EQ(b(P::last), s2 + s2 + s1);
    EXPECT_EQ(c(P::last), s2 + s2 + s2 + s3);
    EXPECT_EQ(dd(P::last), s1 + s2 + s2);

    EXPECT_EQ(a(P::os_bsd), s0 + s1 + s2);
    EXPECT_EQ(b(P::os_bsd), s2 + s2 + s1);
    EXPECT_EQ(c(P::os_bsd), s2 + s2 + s2 + s3);
    EXPECT_EQ(dd(P::os_bsd), s1 + s1 + s2);

    EXPECT_EQ(a(P::os_linux), s0 + s2 + s2);
    EXPECT_EQ(b(P::os_linux), s2 + s2 + s1);
    EXPECT_EQ(c(P::os_linux), s2 + s2 + s2 + s3);
    EXPECT_EQ(dd(P::os_linux), s1 + s1 + s2);

    EXPECT_EQ(a(P::os_windows), s0 + s1 + s2);
    EXPECT_EQ(b(P::os_windows), s2 + s1 + s1);
    EXPECT_EQ(c(P::os_windows), s2 + s2 + s2 + s3);
    EXPECT_EQ(dd(P::os_windows), s1 + s1 + s2);
}

TEST(Defrag, OverlapCountedAndRejectedWhenAsked) {
    const auto one = filled(16, '1'), two = filled(16, '2');
    const auto a = v4_fragment(9, 253, 0, true, bytes{one});
    const auto b = v4_fragment(9, 253, 8, false, bytes{two});
    {
        defragmenter d({.reject_overlaps = true});
        EXPECT_EQ(d.add(bytes{a}, 0).status, defrag_status::held);
        const auto r = d.add(bytes{b}, 0);
        EXPECT_EQ(r.status, defrag_status::rejected);
        EXPECT_EQ(r.reason, defrag_reason::overlap);
        EXPECT_EQ(d.stats().rejected, 1u);
        EXPECT_EQ(d.stats().overlaps, 1u);
        EXPECT_EQ(d.stats().datagrams_held, 0u);
        EXPECT_EQ(d.stats().bytes_held, 0u);
    }
    {
        // A retransmitted fragment (same bytes) is no attack.
        defragmenter d({.reject_overlaps = true});
        EXPECT_EQ(d.add(bytes{a}, 0).status, defrag_status::held);
        EXPECT_EQ(d.add(bytes{a}, 0).status, defrag_status::held);
        const auto last = v4_fragment(9, 253, 16, false, bytes{two});
        EXPECT_EQ(d.add(bytes{last}, 0).status, defrag_status::reassembled);
        EXPECT_EQ(d.stats().overlaps, 1u);
    }
    {
        // Teardrop: the second fragment lies inside the first and ends early.
        defragmenter d({.reject_overlaps = true});
        const auto big = v4_fragment(10, 17, 0, true, bytes{filled(32, 'x')});
        const auto inner = v4_fragment(10, 17, 8, false, bytes{filled(8, 'y')});
        EXPECT_EQ(d.add(bytes{big}, 0).status, defrag_status::held);
        const auto r = d.add(bytes{inner}, 0);
        EXPECT_EQ(r.status, defrag_status::rejected);
        EXPECT_EQ(r.reason, defrag_reason::inconsistent_end);
    }
}

TEST(Defrag, TinyFirstFragmentRejected) {
    // RFC 1858 §3.1: a TCP first fragment of 8 bytes hides the flags.
    const auto tiny = v4_fragment(1, 6, 0, true, bytes{filled(8, 't')});
    defragmenter d;
    const auto r = d.add(bytes{tiny}, 0);
    EXPECT_EQ(r.status, defrag_status::rejected);
    EXPECT_EQ(r.reason, defrag_reason::tiny_first_fragment);
    // 24 bytes hold the TCP header.
    EXPECT_EQ(d.add(bytes{v4_fragment(2, 6, 0, true, bytes{filled(24, 't')})}, 0).status, defrag_status::held);
    defragmenter lenient({.reject_tiny_first = false});
    EXPECT_EQ(lenient.add(bytes{tiny}, 0).status, defrag_status::held);
}

TEST(Defrag, TooManyFragmentsRejected) {
    defragmenter d({.max_fragments = 4});
    const auto data = filled(8, 'm');
    for (std::uint32_t i = 0; i < 4; ++i) {
        EXPECT_EQ(d.add(bytes{v4_fragment(3, 253, i * 8, true, bytes{data})}, 0).status, defrag_status::held);
    }
    const auto r = d.add(bytes{v4_fragment(3, 253, 32, true, bytes{data})}, 0);
    EXPECT_EQ(r.status, defrag_status::rejected);
    EXPECT_EQ(r.reason, defrag_reason::too_many_fragments);
    EXPECT_EQ(d.stats().datagrams_held, 0u);
}

TEST(Defrag, OversizeRejected) {
    // Ping of death: offset 65528 plus 16 bytes and a header pass 65535.
    defragmenter d;
    const auto r = d.add(bytes{v4_fragment(4, 1, 65528, false, bytes{filled(16, 'p')})}, 0);
    EXPECT_EQ(r.status, defrag_status::rejected);
    EXPECT_EQ(r.reason, defrag_reason::oversize);
    const auto r6 = d.add(bytes{v6_fragment(4, 17, 65528, false, bytes{filled(16, 'p')})}, 0);
    EXPECT_EQ(r6.reason, defrag_reason::oversize);
}

TEST(Defrag, InconsistentEndRejected) {
    defragmenter d;
    const auto data = filled(8, 'e');
    EXPECT_EQ(d.add(bytes{v4_fragment(5, 253, 8, false, bytes{data})}, 0).status, defrag_status::held);
    // A second last fragment ending elsewhere.
    const auto r = d.add(bytes{v4_fragment(5, 253, 16, false, bytes{data})}, 0);
    EXPECT_EQ(r.reason, defrag_reason::inconsistent_end);
    // A fragment past the end the last one set.
    EXPECT_EQ(d.add(bytes{v4_fragment(6, 253, 8, false, bytes{data})}, 0).status, defrag_status::held);
    EXPECT_EQ(d.add(bytes{v4_fragment(6, 253, 16, true, bytes{data})}, 0).reason, defrag_reason::inconsistent_end);
}

TEST(Defrag, FragmentNotMultipleOfEightRejected) {
    defragmenter d;
    const auto r = d.add(bytes{v4_fragment(7, 253, 0, true, bytes{filled(7, 'o')})}, 0);
    EXPECT_EQ(r.reason, defrag_reason::bad_fragment_length);
}

TEST(Defrag, GlobalMemoryBoundEvictsOldestAndRejectsTheTooLarge) {
    defragmenter d({.max_bytes = 32});
    const auto data = filled(24, 'g');
    EXPECT_EQ(d.add(bytes{v4_fragment(1, 253, 0, true, bytes{data})}, 0).status, defrag_status::held);
    EXPECT_EQ(d.stats().bytes_held, 24u);
    EXPECT_EQ(d.add(bytes{v4_fragment(2, 253, 0, true, bytes{data})}, 1).status, defrag_status::held);
    EXPECT_EQ(d.stats().evicted, 1u);
    EXPECT_EQ(d.stats().bytes_held, 24u);
    EXPECT_LE(d.stats().peak_bytes_held, 32u);
    const auto r = d.add(bytes{v4_fragment(3, 253, 32, true, bytes{filled(8, 'g')})}, 2);
    EXPECT_EQ(r.reason, defrag_reason::memory);
}

TEST(Defrag, DatagramCountBoundEvictsOldest) {
    defragmenter d({.max_datagrams = 2});
    const auto data = filled(8, 'c');
    for (std::uint16_t id = 1; id <= 3; ++id) {
        EXPECT_EQ(d.add(bytes{v4_fragment(id, 253, 0, true, bytes{data})}, id).status, defrag_status::held);
    }
    EXPECT_EQ(d.stats().evicted, 1u);
    EXPECT_EQ(d.stats().datagrams_held, 2u);
    // Datagram 1 was evicted: its last fragment starts it anew.
    EXPECT_EQ(d.add(bytes{v4_fragment(1, 253, 8, false, bytes{data})}, 4).status, defrag_status::held);
    EXPECT_EQ(d.add(bytes{v4_fragment(3, 253, 8, false, bytes{data})}, 4).status, defrag_status::reassembled);
}

TEST(Defrag, TimeoutDropsStaleDatagrams) {
    defragmenter d({.timeout_ns = 1000});
    const auto data = filled(8, 't');
    EXPECT_EQ(d.add(bytes{v4_fragment(1, 253, 0, true, bytes{data})}, 0).status, defrag_status::held);
    EXPECT_EQ(d.add(bytes{v4_fragment(1, 253, 8, false, bytes{data})}, 1001).status, defrag_status::held);
    EXPECT_EQ(d.stats().timed_out, 1u);
    d.expire(5000);
    EXPECT_EQ(d.stats().timed_out, 2u);
    EXPECT_EQ(d.stats().datagrams_held, 0u);
}

TEST(Defrag, MalformedInputReported) {
    defragmenter d;
    EXPECT_EQ(d.add(bytes{}, 0).status, defrag_status::malformed);
    EXPECT_EQ(d.add(bytes{udp_datagram}.first(19), 0).reason, defrag_reason::bad_header);
    const auto v5 = R"(50 00 00 14)"_hex;
    EXPECT_EQ(d.add(bytes{v5}, 0).status, defrag_status::malformed);
}

} // namespace
