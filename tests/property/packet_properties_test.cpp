// SPDX-License-Identifier: BSD-3-Clause
// Properties of the packet layer over random values (RapidCheck):
//
// - a random repr of Ethernet, IPv4, IPv6, UDP and TCP emitted into a
//   buffer of its buffer_len() passes checked() and parses back to itself;
// - every truncation of a random valid frame (Ethernet, IPv4 or IPv6, UDP or
//   TCP, built by the builder) is rejected by the strict decoder with a
//   length error (errc::truncated), and lax mode keeps what is whole;
// - the Internet checksum equals a naive RFC 1071 sum for every offset and
//   length of a random buffer, and for any split into accumulated pieces.
//
// A failure prints the smallest counterexample RapidCheck finds.
#include <rawpkt/build.hpp>
#include <rawpkt/checksum.hpp>
#include <rawpkt/decode.hpp>
#include <rawpkt/packet/ethernet.hpp>
#include <rawpkt/packet/ipv4.hpp>
#include <rawpkt/packet/ipv6.hpp>
#include <rawpkt/packet/tcp.hpp>
#include <rawpkt/packet/udp.hpp>

#include <gtest/gtest.h>
#include <rapidcheck.h>
#include <rapidcheck/gtest.h>

#include <cstddef>
#include <cstdint>
#include <random>
#include <type_traits>
#include <vector>

using namespace rawpkt;

namespace {

template <class T>
T any() {
    return *rc::gen::arbitrary<T>();
}

template <class T>
T in_range(T lo, T hi_exclusive) {
    return *rc::gen::inRange<T>(lo, hi_exclusive);
}

/// n random bytes, from a generated seed (a generator per byte would make
/// RapidCheck keep a shrink tree per byte of a 100 KiB buffer).
std::vector<std::byte> random_bytes(std::size_t n) {
    std::mt19937 gen{any<std::uint32_t>()};
    std::vector<std::byte> out(n);
    for (auto& b : out) b = static_cast<std::byte>(gen());
    return out;
}

mac_address any_mac() {
    mac_address m;
    for (auto& o : m.octets) o = any<std::uint8_t>();
    return m;
}
ipv4_address any_ipv4() { return ipv4_address::from_u32(any<std::uint32_t>()); }
ipv6_address any_ipv6() {
    ipv6_address a;
    for (auto& o : a.octets) o = any<std::uint8_t>();
    return a;
}

/// TCP options that validate, padded to a multiple of 4 so that they
/// round-trip byte for byte.
void any_tcp_options(tcp::repr& r) {
    tcp::options_writer w{r};
    if (*rc::gen::arbitrary<bool>()) w.mss(any<std::uint16_t>());
    if (*rc::gen::arbitrary<bool>()) w.window_scale(in_range<std::uint8_t>(0, 15));
    if (*rc::gen::arbitrary<bool>()) w.sack_permitted();
    if (*rc::gen::arbitrary<bool>()) w.timestamps(any<std::uint32_t>(), any<std::uint32_t>());
    while (r.options.size() % 4 != 0) w.nop();
}

tcp::repr any_tcp(std::uint32_t max_payload) {
    tcp::repr r;
    r.src_port = any<std::uint16_t>();
    r.dst_port = any<std::uint16_t>();
    r.sequence = any<std::uint32_t>();
    r.ack_number = any<std::uint32_t>();
    r.flags = any<std::uint16_t>() & tcp::flag::defined;
    r.window = any<std::uint16_t>();
    r.urgent_pointer = any<std::uint16_t>();
    any_tcp_options(r);
    r.payload_len = in_range<std::uint32_t>(0, max_payload + 1);
    return r;
}

/// Ports from the dynamic range (RFC 6335 §6), so that the decoder takes
/// no datagram for a tunnel.
std::uint16_t dynamic_port() { return in_range<std::uint16_t>(49152, 65535); }

udp::repr any_udp(std::uint16_t max_payload) {
    udp::repr r;
    r.src_port = dynamic_port();
    r.dst_port = dynamic_port();
    r.payload_len = in_range<std::uint16_t>(0, static_cast<std::uint16_t>(max_payload + 1));
    r.has_checksum = true;
    return r;
}

ipv4::repr any_ipv4_repr(std::uint16_t max_payload) {
    ipv4::repr r;
    r.src = any_ipv4();
    r.dst = any_ipv4();
    r.protocol = static_cast<ip_proto>(any<std::uint8_t>());
    r.ttl = any<std::uint8_t>();
    r.dscp = in_range<std::uint8_t>(0, 64);
    r.ecn = in_range<std::uint8_t>(0, 4);
    r.ident = any<std::uint16_t>();
    r.dont_fragment = *rc::gen::arbitrary<bool>();
    r.more_fragments = *rc::gen::arbitrary<bool>();
    r.frag_offset = in_range<std::uint32_t>(0, 8192) * 8;
    r.payload_len = in_range<std::uint16_t>(0, static_cast<std::uint16_t>(max_payload + 1));
    // Options of NOPs and Router Alerts (RFC 2113 §2.1), a multiple of 4.
    std::vector<std::byte> options;
    const std::size_t words = in_range<std::size_t>(0, 11);
    for (std::size_t i = 0; i < words; ++i) {
        if (*rc::gen::arbitrary<bool>()) {
            options.insert(options.end(), {std::byte{148}, std::byte{4}, std::byte{0}, std::byte{0}});
        } else {
            options.insert(options.end(), 4, std::byte{1});
        }
    }
    RC_ASSERT(r.options.set(options));
    return r;
}

ipv6::repr any_ipv6_repr(std::uint32_t max_payload) {
    ipv6::repr r;
    r.src = any_ipv6();
    r.dst = any_ipv6();
    r.next_header = static_cast<ip_proto>(any<std::uint8_t>());
    r.hop_limit = any<std::uint8_t>();
    r.traffic_class = any<std::uint8_t>();
    r.flow_label = in_range<std::uint32_t>(0, 1u << 20);
    r.payload_len = in_range<std::uint32_t>(0, max_payload + 1);
    return r;
}

// ---- emit -> checked -> parse ----

/// emit() into a buffer of buffer_len() random bytes (over the addresses
/// of a pseudo header, for UDP and TCP), checked(), every checksum right,
/// parse() gives `r` back.
template <class View, class MutView, class Repr, class... Address>
void expect_round_trip(const Repr& r, const Address&... pseudo_header) {
    std::size_t len = r.header_len(); // Ethernet's repr has no payload
    if constexpr (requires { r.buffer_len(); }) len = r.buffer_len();
    std::vector<std::byte> buf = random_bytes(len);
    r.emit(MutView::unchecked(buf), pseudo_header...);
    const auto v = View::checked(buf);
    RC_ASSERT(v.has_value());
    if constexpr (sizeof...(Address) > 0) RC_ASSERT(v->checksum_ok(pseudo_header...));
    if constexpr (std::is_same_v<Repr, ipv4::repr>) RC_ASSERT(v->checksum_ok());
    const auto back = Repr::parse(*v);
    RC_ASSERT(back.has_value());
    RC_ASSERT(*back == r);
}

RC_GTEST_PROP(PacketProperties, EthernetReprRoundTrips, ()) {
    expect_round_trip<ethernet::view, ethernet::mut_view>(
        ethernet::repr{.src = any_mac(),
                       .dst = any_mac(),
                       .ethertype = static_cast<ethertype>(in_range<std::uint32_t>(0x0600, 0x10000))});
}

RC_GTEST_PROP(PacketProperties, Ipv4ReprRoundTrips, ()) {
    expect_round_trip<ipv4::view, ipv4::mut_view>(any_ipv4_repr(2000));
}

RC_GTEST_PROP(PacketProperties, Ipv6ReprRoundTrips, ()) {
    expect_round_trip<ipv6::view, ipv6::mut_view>(any_ipv6_repr(2000));
}

RC_GTEST_PROP(PacketProperties, UdpReprRoundTripsWithItsChecksum, ()) {
    expect_round_trip<udp::view, udp::mut_view>(any_udp(2000), any_ipv4(), any_ipv4());
}

RC_GTEST_PROP(PacketProperties, TcpReprRoundTripsWithItsChecksum, ()) {
    expect_round_trip<tcp::view, tcp::mut_view>(any_tcp(2000), any_ipv6(), any_ipv6());
}

// ---- every truncation of a valid frame ----

RC_GTEST_PROP(PacketProperties, EveryTruncationOfAFrameIsALengthError, ()) {
    std::vector<std::byte> buf(4096);
    builder b{buf};
    const std::vector<std::byte> payload = random_bytes(in_range<std::size_t>(0, 300));
    b.payload(payload);
    const bool over_tcp = *rc::gen::arbitrary<bool>();
    if (over_tcp) {
        tcp::repr t = any_tcp(0);
        t.payload_len = 0; // the builder sets it from the payload
        b.tcp(t);
    } else {
        b.udp(any_udp(0));
    }
    if (*rc::gen::arbitrary<bool>()) {
        ipv4::repr ip = any_ipv4_repr(0);
        ip.more_fragments = false; // a fragment ends decoding
        ip.frag_offset = 0;
        b.ipv4(ip);
    } else {
        b.ipv6(any_ipv6_repr(0));
    }
    b.ethernet({.src = any_mac(), .dst = any_mac()});
    const auto frame = b.finish();
    RC_ASSERT(frame.has_value());

    decoded whole;
    RC_ASSERT(decode(*frame, link_type::ethernet, whole).has_value());
    RC_ASSERT(whole.size() == 3u);
    RC_ASSERT(whole.payload().size() == payload.size());

    for (std::size_t n = 0; n < frame->size(); ++n) {
        const bytes cut = bytes{*frame}.first(n);
        decoded d;
        const status strict = decode(cut, link_type::ethernet, d);
        RC_ASSERT(!strict.has_value());
        RC_ASSERT(strict.error().code == errc::truncated);
        // Lax mode keeps every layer whose header is whole, marked truncated.
        decoded lax;
        (void)decode(cut, link_type::ethernet, lax, {.mode = decode_mode::lax});
        RC_ASSERT(lax.size() <= whole.size());
        for (std::size_t i = 0; i < lax.size(); ++i) {
            RC_ASSERT(lax[i].kind == whole[i].kind);
            RC_ASSERT(lax[i].offset + lax[i].header_len <= n);
        }
    }
}

// ---- the checksum against RFC 1071 done by hand ----

/// RFC 1071 §4.1 as written: 16-bit big-endian words, an odd byte padded
/// with zero, carries folded back in, the complement.
std::uint16_t naive_checksum(const std::byte* p, std::size_t n) {
    std::uint32_t sum = 0;
    for (std::size_t i = 0; i + 1 < n; i += 2) {
        sum += static_cast<std::uint32_t>(std::to_integer<std::uint8_t>(p[i])) << 8 |
               std::to_integer<std::uint8_t>(p[i + 1]);
        sum = (sum & 0xffff) + (sum >> 16);
    }
    if (n % 2 != 0) {
        sum += static_cast<std::uint32_t>(std::to_integer<std::uint8_t>(p[n - 1])) << 8;
        sum = (sum & 0xffff) + (sum >> 16);
    }
    return static_cast<std::uint16_t>(~sum & 0xffff);
}

RC_GTEST_PROP(PacketProperties, ChecksumIsRfc1071ForEveryOffsetAndLength, ()) {
    // Long enough for the vectorised paths (64 bytes and more), short
    // enough to try every offset and length.
    const std::vector<std::byte> data = random_bytes(in_range<std::size_t>(0, 200));
    for (std::size_t off = 0; off <= data.size(); ++off) {
        for (std::size_t len = 0; off + len <= data.size(); ++len) {
            const bytes b = bytes{data}.subspan(off, len);
            RC_ASSERT(checksum::compute(b) == naive_checksum(data.data() + off, len));
        }
    }
}

RC_GTEST_PROP(PacketProperties, ChecksumOfPiecesIsTheChecksumOfTheWhole, ()) {
    // Past 64 KiB, where the vectorised sum works in blocks.
    const std::size_t n = in_range<std::size_t>(0, 140'000);
    const std::vector<std::byte> data = random_bytes(n);
    const std::size_t cut1 = in_range<std::size_t>(0, n + 1);
    const std::size_t cut2 = in_range<std::size_t>(cut1, n + 1);
    const bytes all{data};
    const std::uint16_t whole = checksum::compute(all);
    RC_ASSERT(whole == naive_checksum(data.data(), n));
    checksum::accumulator acc;
    acc.add(all.first(cut1)).add(all.subspan(cut1, cut2 - cut1)).add(all.subspan(cut2));
    RC_ASSERT(acc.finish() == whole);
}

} // namespace
