// SPDX-License-Identifier: BSD-3-Clause
#include <rawpkt/checksum.hpp>

#include "support/hex.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <ostream>
#include <random>
#include <string>
#include <string_view>
#include <vector>

using namespace rawpkt;
using namespace rawpkt::test;
namespace cs = rawpkt::checksum;

namespace {

// ---------------------------------------------------------------------------
// Worked examples from the RFCs

// RFC 1071 §3, "Numerical Examples": the bytes 00 01 f2 03 f4 f5 f6 f7.
//   Byte-by-byte "normal" order: 0001 + f203 + f4f5 + f6f7 = 2ddf0,
//   carries folded: ddf0 + 2 = ddf2, so the checksum is ~ddf2 = 220d.
//   Byte-swapped order: 0100 + 03f2 + f5f4 + f7f6 = 1f2dc, folded
//   f2dc + 1 = f2dd, the byte swap of ddf2 (RFC 1071 §2(B)).
constexpr auto rfc1071_example = R"(00 01 f2 03 f4 f5 f6 f7)"_hex;

// ---------------------------------------------------------------------------
// Real packets, each with a correct transport checksum.

// tcpdump__LINKTYPE_RAW_ipv4.pcap frame 1 (raw IP):
// Internet Protocol Version 4, Src: 192.168.1.100, Dst: 9.9.9.9
//     Header Length: 20 bytes (5), Total Length: 57, Identification: 0x0001,
//     TTL 64, Protocol: UDP (17), Header Checksum: 0xa695
// User Datagram Protocol, Src Port: 12345, Dst Port: 53
//     Length: 37, Checksum: 0x1976 [correct]
// Domain Name System (query): example.com A IN (29 bytes: an odd-length datagram)
constexpr auto udp4 = R"(
    45 00 00 39 00 01 00 00 40 11 a6 95 c0 a8 01 64
    09 09 09 09 30 39 00 35 00 25 19 76 12 34 01 00
    00 01 00 00 00 00 00 00 07 65 78 61 6d 70 6c 65
    03 63 6f 6d 00 00 01 00 01)"_hex;

// pcapplusplus__dns_over_tcp.pcapng frame 3, from the IPv4 header on (the
// 14-byte Ethernet header skipped):
// Internet Protocol Version 4, Src: 165.21.83.88, Dst: 103.230.234.100
//     Header Length: 20 bytes (5), Total Length: 1187, Identification: 0xe712,
//     Flags: DF, TTL 255, Protocol: TCP (6), Header Checksum: 0x4589
// Transmission Control Protocol, Src Port: 53, Dst Port: 23767, Seq: 1, Ack: 45, Len: 1135
//     Header Length: 32 bytes (8), Flags: 0x018 (PSH, ACK), Window: 4424,
//     Checksum: 0x9c4f [correct], Urgent Pointer: 0,
//     Options: NOP, NOP, Timestamps: TSval 1784565303, TSecr 571812570
// Domain Name System (response), 1135 bytes: a 1167-byte (odd) segment.
constexpr auto tcp4 = R"(
    45 00 04 a3 e7 12 40 00 ff 06 45 89 a5 15 53 58
    67 e6 ea 64 00 35 5c d7 a0 ae 7b 8b 7c b5 f6 9d
    80 18 11 48 9c 4f 00 00 01 01 08 0a 6a 5e 4e 37
    22 15 2a da 04 6d 61 65 81 93 00 01 00 00 00 08
    00 01 09 63 6f 6c 65 2d 74 65 63 68 03 6e 65 74
    00 00 1c 00 01 c0 16 00 06 00 01 00 00 03 7b 00
    3d 01 61 0c 67 74 6c 64 2d 73 65 72 76 65 72 73
    c0 16 05 6e 73 74 6c 64 0c 76 65 72 69 73 69 67
    6e 2d 67 72 73 03 63 6f 6d 00 5f d9 b1 9f 00 00
    07 08 00 00 03 84 00 09 3a 80 00 01 51 80 c0 16
    00 2e 00 01 00 00 03 7b 00 b7 00 06 08 01 00 00
    03 84 5f e2 ec 1f 5f d9 a1 37 3b d2 03 6e 65 74
    00 02 62 a6 d5 f6 d5 ea 95 95 36 bd 0e 5b d1 13
    46 53 95 a0 05 b7 a1 e8 fa b0 22 04 0e de 18 d4
    5c 9a 73 14 57 81 e1 2c be dc 32 b2 3c 72 73 86
    5d 07 55 6b 48 8e b1 f6 48 e6 36 47 9f a4 66 7c
    15 72 0c be 2a 09 46 bb 4a 82 b1 a7 49 6c d2 04
    52 ed eb 39 c9 5d 2a dc f6 1f b8 25 e0 8b 21 ff
    f2 ac 78 f3 d1 1b 78 c6 e5 fc fa d2 f6 26 0b 1e
    91 28 d9 84 84 6a 5e ae a9 4a a5 02 d0 71 f7 27
    9c 1b f6 0d 1d 8a e9 14 38 85 b3 7e 10 a0 6b f9
    c4 e5 73 72 f8 ce 55 a8 47 bb 06 36 02 4b f9 f9
    4d 20 41 31 52 54 39 38 42 53 35 51 47 43 39 4e
    46 49 35 31 53 39 48 43 49 34 37 55 4c 4a 47 36
    4a 48 c0 16 00 32 00 01 00 00 0c 19 00 23 01 01
    00 00 00 14 50 77 ef 3d f3 a3 3a 2d 14 99 3a 1e
    87 4e 13 44 d7 43 c9 0b 00 07 22 00 00 00 00 02
    90 c1 2b 00 2e 00 01 00 00 0c 19 00 b7 00 32 08
    02 00 01 51 80 5f dd b8 60 5f d4 6d 78 3b d2 03
    6e 65 74 00 30 69 c7 50 28 fc a2 dd e6 8f f7 81
    4c 39 98 7c 87 9e e5 86 74 55 9b 32 ca 71 95 c3
    2c 61 35 c2 1e eb 2f e0 a5 a4 09 38 49 f8 c6 f5
    27 fb 15 b4 16 64 d8 3c 28 28 52 d2 7a 84 01 49
    0b 8b d9 0e 61 a4 2c 1c 09 fa 1d e9 68 39 af d7
    67 45 0e 5c e0 23 35 7c 5e 7e 12 bc e5 e9 9c 82
    eb 94 fa fb de 83 3b 70 ae 9c 6f 17 6a 55 81 9b
    44 16 d5 d7 8e 62 19 90 16 79 ac 31 a7 91 3a ab
    b5 26 a9 84 02 16 07 46 5c ec 6b a2 5e ba 24 50
    4b f5 f8 e2 a4 1f 2d 87 65 90 75 ef 37 15 84 bf
    1b 28 4a 0d 20 51 54 38 53 43 45 30 32 44 35 4f
    4e 43 35 4e 42 54 51 55 4e 42 45 49 44 4d 46 4a
    45 37 47 4c 38 c0 16 00 32 00 01 00 00 18 58 00
    22 01 01 00 00 00 14 d7 52 ac 00 7e 97 77 a1 3a
    57 b4 4e 62 1e e2 8e 30 7a c7 6f 00 06 20 00 00
    00 00 12 c2 3e 00 2e 00 01 00 00 18 58 00 b7 00
    32 08 02 00 01 51 80 5f dd b8 41 5f d4 6d 59 3b
    d2 03 6e 65 74 00 87 4b 94 b1 00 02 d5 62 4e c6
    1b d7 06 6f 6f 50 f9 5b aa 87 78 d9 81 65 89 ab
    4c 88 90 b3 b0 22 28 54 22 97 b5 de ce 2f 9a f0
    14 a3 ac e3 e6 7e ad c3 e6 1c d7 b6 65 62 a9 f2
    3f 4e f3 c4 30 85 e1 b1 42 bb 99 06 4f d5 c3 c4
    9d 41 4b c6 6f c8 3a b2 20 52 7a ab 5f 1c 1d 6f
    a9 d0 47 c0 82 79 94 36 25 0f 5d 0f d2 4a 36 03
    da 0a c6 33 8b 16 7e a2 b0 96 7a b2 8b 2d af 07
    1b 4d 66 a5 a7 78 d3 0c 3f b4 87 36 3b 58 02 9c
    87 f6 53 43 ff dc 7c 20 1a 7e a2 a2 66 3d 5d f8
    11 2c 01 eb c3 d2 20 45 45 51 33 43 49 46 46 55
    4c 4f 50 4e 34 4a 33 45 35 4d 4b 45 47 4b 56 44
    4a 4b 49 47 56 42 50 c0 16 00 32 00 01 00 00 12
    67 00 22 01 01 00 00 00 14 73 b5 7d 1f 4b 92 9d
    0b 93 d1 c5 9e df 49 c2 34 42 7a 06 70 00 06 20
    00 00 00 00 12 c3 50 00 2e 00 01 00 00 12 67 00
    b7 00 32 08 02 00 01 51 80 5f e0 5b 91 5f d7 10
    a9 3b d2 03 6e 65 74 00 75 00 81 37 73 69 df b4
    63 e5 52 4d 97 be 10 1b 79 80 c9 ae 07 1a 95 d3
    33 ab e1 39 d9 3c 3a 08 d8 2a ca 2b 00 cd 52 cb
    10 99 ee 96 48 7d 47 63 66 56 43 2f 2b f2 ac 9a
    0b 20 16 5e cf 18 45 89 0f ff 78 88 c8 ed 08 a2
    9b a2 70 80 59 d2 2c 4f 52 23 df 20 27 92 76 61
    9f 5f af 38 12 fe 6d 8f 38 d1 3c ed 9c 75 29 a6
    42 1a 8c 75 9c db 26 99 a6 59 1e 2f a1 66 f1 97
    77 2e d0 43 a4 98 fa b8 f6 19 3c 9d b3 3d ed 54
    cf c1 0d 04 7b 2b 71 93 0b ce 00 94 e9 a7 8c 06
    01 74 90 6e 34 c6 38 e8 00 00 29 10 00 00 00 80
    00 00 00)"_hex;

// tcpdump__LINKTYPE_RAW_ipv6.pcap frame 1 (raw IP):
// Internet Protocol Version 6, Src: 2001:db8::1, Dst: 2620:fe::9
//     Payload Length: 37, Next Header: UDP (17), Hop Limit: 64
// User Datagram Protocol, Src Port: 12345, Dst Port: 53
//     Length: 37, Checksum: 0x98b3 [correct]
// Domain Name System (query): example.com A IN
constexpr auto udp6 = R"(
    60 00 00 00 00 25 11 40 20 01 0d b8 00 00 00 00
    00 00 00 00 00 00 00 01 26 20 00 fe 00 00 00 00
    00 00 00 00 00 00 00 09 30 39 00 35 00 25 98 b3
    12 34 01 00 00 01 00 00 00 00 00 00 07 65 78 61
    6d 70 6c 65 03 63 6f 6d 00 00 01 00 01)"_hex;

// pcapplusplus__dns_over_tcp.pcapng frame 1, from the IPv6 header on:
// Internet Protocol Version 6, Src: 2001:558:feed::1, Dst: 2601:647:4b02:1d20:b1d3:e782:aec8:2511
//     Traffic Class: 0x40, Payload Length: 76, Next Header: TCP (6), Hop Limit: 58
// Transmission Control Protocol, Src Port: 53, Dst Port: 56752, Seq: 1, Ack: 1, Len: 56
//     Header Length: 20 bytes (5), Flags: 0x018 (PSH, ACK), Window: 16,
//     Checksum: 0x30d6 [correct], Urgent Pointer: 0
// Domain Name System (response): github.com A 192.30.255.113
constexpr auto tcp6 = R"(
    64 00 00 00 00 4c 06 3a 20 01 05 58 fe ed 00 00
    00 00 00 00 00 00 00 01 26 01 06 47 4b 02 1d 20
    b1 d3 e7 82 ae c8 25 11 00 35 dd b0 53 b9 57 2a
    ed 77 8b 59 50 18 00 10 30 d6 00 00 00 36 00 38
    81 80 00 01 00 01 00 00 00 00 06 67 69 74 68 75
    62 03 63 6f 6d 00 00 01 00 01 06 67 69 74 68 75
    62 03 63 6f 6d 00 00 01 00 01 00 00 00 20 00 04
    c0 1e ff 71)"_hex;

constexpr std::size_t ipv4_header_len = 20; // all IPv4 packets above: IHL 5
constexpr std::size_t ipv6_header_len = 40;
constexpr std::size_t udp_checksum_at = 6;
constexpr std::size_t tcp_checksum_at = 16;

constexpr ipv4_address v4(std::string_view s) {
    ipv4_address a;
    return ipv4_address::parse(s, a) ? a : ipv4_address{};
}
constexpr ipv6_address v6(std::string_view s) {
    ipv6_address a;
    return ipv6_address::parse(s, a) ? a : ipv6_address{};
}

/// The transport segment of an IPv4 / IPv6 packet above.
template <std::size_t N>
constexpr bytes segment4(const std::array<std::byte, N>& pkt) {
    return bytes{pkt}.subspan(ipv4_header_len, load_be<std::uint16_t>(bytes{pkt}, 2) - ipv4_header_len);
}
template <std::size_t N>
constexpr bytes segment6(const std::array<std::byte, N>& pkt) {
    return bytes{pkt}.subspan(ipv6_header_len, load_be<std::uint16_t>(bytes{pkt}, 4));
}

/// Pseudo header + segment, the way UDP and TCP checksums are verified.
template <std::size_t N>
constexpr cs::accumulator sum4(const std::array<std::byte, N>& pkt) {
    const bytes b{pkt};
    const bytes seg = segment4(pkt);
    cs::accumulator acc;
    acc.add_pseudo_header(ipv4_address::load(b, 12), ipv4_address::load(b, 16), ip_proto{load_u8(b, 9)},
                          static_cast<std::uint16_t>(seg.size()));
    acc.add(seg);
    return acc;
}
template <std::size_t N>
constexpr cs::accumulator sum6(const std::array<std::byte, N>& pkt) {
    const bytes b{pkt};
    const bytes seg = segment6(pkt);
    cs::accumulator acc;
    acc.add_pseudo_header(ipv6_address::load(b, 8), ipv6_address::load(b, 24), ip_proto{load_u8(b, 6)},
                          static_cast<std::uint32_t>(seg.size()));
    acc.add(seg);
    return acc;
}

/// The checksum of a segment with its checksum field read as zero.
constexpr std::uint16_t recompute(const cs::accumulator& pseudo, bytes seg, std::size_t field) {
    cs::accumulator acc = pseudo;
    acc.add(seg.first(field));
    acc.add_u16(0);
    acc.add(seg.subspan(field + 2));
    return acc.finish();
}

// ---------------------------------------------------------------------------
// Compile-time proofs: the constant-evaluated path computes the same values.

static_assert(cs::detail::fold(cs::detail::sum_reference(rfc1071_example)) == 0xddf2);
static_assert(cs::accumulator{}.add(rfc1071_example).sum() == 0xddf2);
static_assert(cs::compute(rfc1071_example) == 0x220d);
static_assert(cs::compute(bytes{}) == 0xffff);
// The same bytes in pieces of 3 and 5: the odd byte carries over.
static_assert(cs::accumulator{}.add(bytes{rfc1071_example}.first(3)).add(bytes{rfc1071_example}.subspan(3)).sum() ==
              0xddf2);
static_assert(cs::accumulator{}.add(bytes{rfc1071_example}.first(1)).add_u16(0x01f2).add_u32(0x03f4f5f6).sum() ==
              cs::accumulator{}.add(bytes{rfc1071_example}.first(7)).sum());
// Real packets verify with their pseudo headers, and recomputing gives the
// stored checksum.
static_assert(sum4(udp4).verifies());
static_assert(sum4(tcp4).verifies());
static_assert(sum6(udp6).verifies());
static_assert(sum6(tcp6).verifies());
static_assert(cs::accumulator{}.add(bytes{udp4}.first(ipv4_header_len)).verifies());
static_assert(cs::accumulator{}.add(bytes{tcp4}.first(ipv4_header_len)).verifies());
static_assert(recompute(cs::accumulator{}.add_pseudo_header(v4("192.168.1.100"), v4("9.9.9.9"), ip_proto::udp, 37),
                        segment4(udp4), udp_checksum_at) == 0x1976);
static_assert(recompute(cs::accumulator{}.add_pseudo_header(v6("2001:db8::1"), v6("2620:fe::9"), ip_proto::udp, 37),
                        segment6(udp6), udp_checksum_at) == 0x98b3);
// RFC 1624 §4, and update32 against recomputing the real IPv4 header
// after its source address changed to 10.1.2.3.
static_assert(cs::update(0xdd2f, 0x5555, 0x3285) == 0x0000);
constexpr bool update32_matches_recomputation() {
    std::array<std::byte, ipv4_header_len> hdr{};
    for (std::size_t i = 0; i < hdr.size(); ++i) hdr[i] = udp4[i];
    const std::uint32_t old_src = load_be<std::uint32_t>(bytes{hdr}, 12);
    store_be(mut_bytes{hdr}, 12, std::uint32_t{0x0a010203});
    store_be(mut_bytes{hdr}, 10, std::uint16_t{0});
    return cs::update32(0xa695, old_src, 0x0a010203) == cs::compute(hdr);
}
static_assert(update32_matches_recomputation());

/// Pseudo-random bytes computed at compile time (a 64-bit LCG, top byte).
template <std::size_t N>
constexpr std::array<std::byte, N> lcg_bytes(std::uint64_t seed) {
    std::array<std::byte, N> a{};
    for (std::byte& b : a) {
        seed = seed * 6364136223846793005u + 1442695040888963407u;
        b = static_cast<std::byte>(seed >> 56);
    }
    return a;
}
constexpr auto ct_random = lcg_bytes<1501>(1624);
constexpr std::uint16_t ct_checksum_all = cs::compute(ct_random);
constexpr std::uint16_t ct_checksum_odd = cs::compute(bytes{ct_random}.subspan(1, 1499));
constexpr std::uint16_t ct_checksum_split =
    cs::accumulator{}.add(bytes{ct_random}.first(777)).add(bytes{ct_random}.subspan(777)).finish();
static_assert(ct_checksum_split == ct_checksum_all);

// ---------------------------------------------------------------------------
// The kernels, each callable on its own.

using kernel_fn = std::uint64_t (*)(const std::byte*, std::size_t) noexcept;

struct kernel {
    const char* name;
    kernel_fn fn;
    bool (*available)() noexcept;
};

bool always() noexcept { return true; }

void PrintTo(const kernel& k, std::ostream* os) { *os << k.name; }

const std::vector<kernel>& kernels() {
    static const std::vector<kernel> k {
        {"scalar", cs::detail::sum_native_scalar, always},
#if RAWPKT_CHECKSUM_X86_SIMD
            {"avx2", cs::detail::sum_native_avx2, cs::detail::cpu_has_avx2},
            {"avx512", cs::detail::sum_native_avx512, cs::detail::cpu_has_avx512bw},
#endif
            // The dispatcher behind compute(): whichever kernel fits the length.
            {"dispatch", cs::detail::sum_native, always},
    };
    return k;
}

/// A kernel's folded sum in network order, comparable with sum_reference().
std::uint16_t folded_be(kernel_fn k, const std::byte* p, std::size_t n) {
    const std::uint16_t s = cs::detail::fold(k(p, n));
    return std::endian::native == std::endian::little ? cs::detail::swap16(s) : s;
}

std::uint16_t reference(bytes b) { return cs::detail::fold(cs::detail::sum_reference(b)); }

std::vector<std::byte> random_buffer(std::size_t n, std::uint64_t seed) {
    std::mt19937_64 rng(seed);
    std::vector<std::byte> v(n);
    for (std::byte& b : v) b = static_cast<std::byte>(rng() >> 56);
    return v;
}

enum class fill { random, ones, zeros };

std::vector<std::byte> buffer(fill f, std::size_t n) {
    switch (f) {
    case fill::random: return random_buffer(n, 1071);
    case fill::ones: return std::vector<std::byte>(n, std::byte{0xff});
    case fill::zeros: return std::vector<std::byte>(n, std::byte{0x00});
    }
    return {};
}

const char* name(fill f) {
    switch (f) {
    case fill::random: return "random";
    case fill::ones: return "all 0xff";
    case fill::zeros: return "all 0x00";
    }
    return "?";
}

class Kernel : public ::testing::TestWithParam<kernel> {
protected:
    void SetUp() override {
        if (!GetParam().available()) GTEST_SKIP() << "this CPU lacks " << GetParam().name;
    }
};

// Every start offset 0..63 and every length 0..2100: the kernel equals the
// big-endian reference. The reference sum is kept incrementally as the
// length grows (a byte at an even distance from the start is the high half
// of its word), and checked against sum_reference() at the longest length.
TEST_P(Kernel, EqualsReferenceAtEveryOffsetAndLength) {
    constexpr std::size_t max_offset = 63, max_len = 2100;
    for (const fill f : {fill::random, fill::ones, fill::zeros}) {
        const std::vector<std::byte> buf = buffer(f, max_offset + max_len);
        for (std::size_t off = 0; off <= max_offset; ++off) {
            std::uint64_t want = 0;
            for (std::size_t len = 0; len <= max_len; ++len) {
                if (len > 0) {
                    const auto byte = std::to_integer<std::uint64_t>(buf[off + len - 1]);
                    want += (len - 1) % 2 == 0 ? byte << 8 : byte;
                }
                ASSERT_EQ(folded_be(GetParam().fn, buf.data() + off, len), cs::detail::fold(want))
                    << name(f) << ", offset " << off << ", length " << len;
            }
            ASSERT_EQ(cs::detail::fold(want), reference(bytes{buf}.subspan(off, max_len)));
        }
    }
}

// Lengths around the 64 KiB blocks the SIMD kernels reduce after, and
// several MB, where all-0xff and all-0x00 data push every lane to its
// largest and smallest value.
TEST_P(Kernel, EqualsReferenceOnLargeBuffers) {
    constexpr std::size_t block = cs::detail::simd_block_len;
    const std::size_t lengths[] = {block - 1,     block,          block + 1,      2 * block - 63,
                                   2 * block + 1, 3 * block + 65, (5u << 20) + 3, (8u << 20) - 1};
    for (const fill f : {fill::random, fill::ones, fill::zeros}) {
        const std::vector<std::byte> buf = buffer(f, (8u << 20) + 64);
        for (const std::size_t len : lengths) {
            for (const std::size_t off : {std::size_t{0}, std::size_t{1}, std::size_t{63}}) {
                const bytes b = bytes{buf}.subspan(off, len);
                const std::uint16_t want = reference(b);
                EXPECT_EQ(folded_be(GetParam().fn, b.data(), b.size()), want)
                    << name(f) << ", offset " << off << ", length " << len;
                if (f == fill::ones) {
                    EXPECT_EQ(want, len % 2 == 0 ? 0xffff : 0xff00); // an odd last byte pads to ff00
                } else if (f == fill::zeros) {
                    EXPECT_EQ(want, 0x0000);
                }
            }
        }
    }
}

// Each buffer in an allocation of exactly its length, so that a read past
// either end is a heap overflow the sanitizer build reports.
TEST_P(Kernel, ReadsOnlyTheBuffer) {
    const std::vector<std::byte> src = random_buffer(1100, 1624);
    for (std::size_t len = 0; len <= src.size(); ++len) {
        // The range constructor allocates exactly `len` bytes.
        const std::vector<std::byte> exact(src.begin(), src.begin() + static_cast<std::ptrdiff_t>(len));
        ASSERT_EQ(folded_be(GetParam().fn, exact.data(), len), reference(bytes{src}.first(len))) << "length " << len;
    }
}

// RFC 1071 §3 byte-swapped column: summed in little-endian order, the same
// bytes give the byte-swapped sum f2dd.
TEST_P(Kernel, Rfc1071Example) {
    EXPECT_EQ(folded_be(GetParam().fn, rfc1071_example.data(), rfc1071_example.size()), 0xddf2);
    if constexpr (std::endian::native == std::endian::little) {
        EXPECT_EQ(cs::detail::fold(GetParam().fn(rfc1071_example.data(), rfc1071_example.size())), 0xf2dd);
    }
}

// The real TCP segment, long enough for every SIMD loop, at every offset.
TEST_P(Kernel, RealSegmentAtEveryOffset) {
    const bytes seg = segment4(tcp4);
    for (std::size_t off = 0; off < 64; ++off) {
        std::vector<std::byte> moved(off + seg.size());
        std::copy(seg.begin(), seg.end(), moved.begin() + static_cast<std::ptrdiff_t>(off));
        EXPECT_EQ(folded_be(GetParam().fn, moved.data() + off, seg.size()), reference(seg)) << "offset " << off;
    }
}

INSTANTIATE_TEST_SUITE_P(Checksum, Kernel, ::testing::ValuesIn(kernels()),
                         [](const ::testing::TestParamInfo<kernel>& p) { return std::string{p.param.name}; });

// ---------------------------------------------------------------------------
// The public API

TEST(Checksum, ConstantEvaluatedEqualsRunTime) {
    const std::vector<std::byte> rt(ct_random.begin(), ct_random.end());
    EXPECT_EQ(cs::compute(rt), ct_checksum_all);
    EXPECT_EQ(cs::compute(bytes{rt}.subspan(1, 1499)), ct_checksum_odd);
    EXPECT_EQ(cs::accumulator{}.add(bytes{rt}.first(777)).add(bytes{rt}.subspan(777)).finish(), ct_checksum_split);
}

TEST(Checksum, Rfc1071Example) {
    EXPECT_EQ(cs::compute(rfc1071_example), 0x220d);
    cs::accumulator acc;
    acc.add(rfc1071_example);
    EXPECT_EQ(acc.sum(), 0xddf2);
    EXPECT_EQ(acc.finish(), 0x220d);
    EXPECT_FALSE(acc.verifies());
    acc.add_u16(0x220d); // the checksum itself makes the sum all ones
    EXPECT_TRUE(acc.verifies());
    EXPECT_EQ(acc.sum(), 0xffff);
    EXPECT_EQ(acc.finish(), 0x0000);
}

TEST(Checksum, EmptyAndOneByte) {
    EXPECT_EQ(cs::compute(bytes{}), 0xffff);
    EXPECT_EQ(cs::accumulator{}.sum(), 0);
    EXPECT_FALSE(cs::accumulator{}.verifies());
    const auto one = make_bytes(0xab);
    EXPECT_EQ(cs::compute(one), static_cast<std::uint16_t>(~0xab00));
}

// Two pieces, split at every point: odd splits carry a byte into the next
// piece. 1501 bytes, so the pieces range over every kernel's lengths.
TEST(Checksum, EverySplitPoint) {
    for (const std::size_t n : {std::size_t{1500}, std::size_t{1501}}) {
        const std::vector<std::byte> buf = random_buffer(n, 768);
        const std::uint16_t want = reference(buf);
        for (std::size_t i = 0; i <= n; ++i) {
            cs::accumulator acc;
            acc.add(bytes{buf}.first(i)).add(bytes{buf}.subspan(i));
            ASSERT_EQ(acc.sum(), want) << "split at " << i << " of " << n;
        }
    }
}

// Three pieces, every pair of split points.
TEST(Checksum, EveryPairOfSplitPoints) {
    const std::vector<std::byte> buf = random_buffer(151, 793);
    const std::uint16_t want = reference(buf);
    for (std::size_t i = 0; i <= buf.size(); ++i) {
        for (std::size_t j = i; j <= buf.size(); ++j) {
            cs::accumulator acc;
            acc.add(bytes{buf}.first(i)).add(bytes{buf}.subspan(i, j - i)).add(bytes{buf}.subspan(j));
            ASSERT_EQ(acc.sum(), want) << "splits at " << i << " and " << j;
        }
    }
}

// Many pieces of random lengths, including empty ones.
TEST(Checksum, RandomPieces) {
    const std::vector<std::byte> buf = random_buffer(9001, 2460);
    const std::uint16_t want = reference(buf);
    std::mt19937 rng(8200);
    for (int round = 0; round < 500; ++round) {
        cs::accumulator acc;
        std::size_t at = 0;
        while (at < buf.size()) {
            const std::size_t len = std::min<std::size_t>(rng() % 300, buf.size() - at);
            acc.add(bytes{buf}.subspan(at, len));
            at += len;
        }
        ASSERT_EQ(acc.sum(), want) << "round " << round;
    }
}

// add_u16 / add_u32 are two / four network-order bytes, also after an odd
// number of bytes.
TEST(Checksum, WordsEqualTheirBytes) {
    const auto bytes7 = make_bytes(0x12, 0x34, 0x56, 0x78, 0x9a, 0xbc, 0xde);
    for (std::size_t lead = 0; lead <= 3; ++lead) {
        const bytes head = bytes{bytes7}.first(lead);
        cs::accumulator by_words, by_bytes;
        by_words.add(head).add_u16(0xfedc).add_u32(0xba987654);
        by_bytes.add(head).add(make_bytes(0xfe, 0xdc, 0xba, 0x98, 0x76, 0x54));
        EXPECT_EQ(by_words.sum(), by_bytes.sum()) << lead << " leading bytes";
    }
}

// ---------------------------------------------------------------------------
// Pseudo headers from real packets, summed by hand.

TEST(PseudoHeader, Ipv4Udp) {
    // c0a8 + 0164 (192.168.1.100) + 0909 + 0909 (9.9.9.9) + 0011 (zero,
    // protocol 17) + 0025 (UDP length 37) = d454.
    cs::accumulator pseudo;
    pseudo.add_pseudo_header(v4("192.168.1.100"), v4("9.9.9.9"), ip_proto::udp, 37);
    EXPECT_EQ(pseudo.sum(), 0xd454);
    // The same 12 bytes as RFC 768 lays them out.
    EXPECT_EQ(cs::accumulator{}.add(R"(c0 a8 01 64 09 09 09 09 00 11 00 25)"_hex).sum(), 0xd454);

    const bytes seg = segment4(udp4);
    ASSERT_EQ(seg.size(), 37u);
    EXPECT_EQ(load_be<std::uint16_t>(seg, udp_checksum_at), 0x1976);
    cs::accumulator all = pseudo;
    all.add(seg);
    EXPECT_TRUE(all.verifies());
    EXPECT_EQ(recompute(pseudo, seg, udp_checksum_at), 0x1976);
    EXPECT_TRUE(sum4(udp4).verifies());
}

TEST(PseudoHeader, Ipv4Tcp) {
    // a515 + 5358 (165.21.83.88) + 67e6 + ea64 (103.230.234.100) + 0006
    // (zero, protocol 6) + 048f (TCP length 1167) = 24f4c, folded 4f4e.
    cs::accumulator pseudo;
    pseudo.add_pseudo_header(v4("165.21.83.88"), v4("103.230.234.100"), ip_proto::tcp, 1167);
    EXPECT_EQ(pseudo.sum(), 0x4f4e);
    EXPECT_EQ(cs::accumulator{}.add(R"(a5 15 53 58 67 e6 ea 64 00 06 04 8f)"_hex).sum(), 0x4f4e);

    const bytes seg = segment4(tcp4);
    ASSERT_EQ(seg.size(), 1167u);
    EXPECT_EQ(load_be<std::uint16_t>(seg, tcp_checksum_at), 0x9c4f);
    cs::accumulator all = pseudo;
    all.add(seg);
    EXPECT_TRUE(all.verifies());
    EXPECT_EQ(recompute(pseudo, seg, tcp_checksum_at), 0x9c4f);
    // And the IPv4 header checksum.
    EXPECT_TRUE(cs::accumulator{}.add(bytes{tcp4}.first(ipv4_header_len)).verifies());
    EXPECT_EQ(recompute(cs::accumulator{}, bytes{tcp4}.first(ipv4_header_len), 10), 0x4589);
}

TEST(PseudoHeader, Ipv6Udp) {
    // 2001 + 0db8 + 0001 (2001:db8::1) + 2620 + 00fe + 0009 (2620:fe::9)
    // + 0000 0025 (upper-layer length 37) + 0000 0011 (next header 17) = 5517.
    cs::accumulator pseudo;
    pseudo.add_pseudo_header(v6("2001:db8::1"), v6("2620:fe::9"), ip_proto::udp, 37);
    EXPECT_EQ(pseudo.sum(), 0x5517);
    // The 40 bytes of RFC 8200 §8.1.
    EXPECT_EQ(cs::accumulator{}
                  .add(R"(20 01 0d b8 00 00 00 00 00 00 00 00 00 00 00 01
                          26 20 00 fe 00 00 00 00 00 00 00 00 00 00 00 09
                          00 00 00 25 00 00 00 11)"_hex)
                  .sum(),
              0x5517);

    const bytes seg = segment6(udp6);
    ASSERT_EQ(seg.size(), 37u);
    EXPECT_EQ(load_be<std::uint16_t>(seg, udp_checksum_at), 0x98b3);
    cs::accumulator all = pseudo;
    all.add(seg);
    EXPECT_TRUE(all.verifies());
    EXPECT_EQ(recompute(pseudo, seg, udp_checksum_at), 0x98b3);
}

TEST(PseudoHeader, Ipv6Tcp) {
    // 2001 + 0558 + feed + 0001 (2001:558:feed::1) + 2601 + 0647 + 4b02 +
    // 1d20 + b1d3 + e782 + aec8 + 2511 (the destination) + 0000 004c
    // (upper-layer length 76) + 0000 0006 (next header 6) = 42631, folded 2635.
    cs::accumulator pseudo;
    pseudo.add_pseudo_header(v6("2001:558:feed::1"), v6("2601:647:4b02:1d20:b1d3:e782:aec8:2511"), ip_proto::tcp, 76);
    EXPECT_EQ(pseudo.sum(), 0x2635);

    const bytes seg = segment6(tcp6);
    ASSERT_EQ(seg.size(), 76u);
    EXPECT_EQ(load_be<std::uint16_t>(seg, tcp_checksum_at), 0x30d6);
    cs::accumulator all = pseudo;
    all.add(seg);
    EXPECT_TRUE(all.verifies());
    EXPECT_EQ(recompute(pseudo, seg, tcp_checksum_at), 0x30d6);
}

TEST(PseudoHeader, CorruptionIsDetected) {
    std::vector<std::byte> pkt = copy_of(tcp4);
    for (const std::size_t at : {std::size_t{20}, std::size_t{700}, pkt.size() - 1}) {
        pkt[at] ^= std::byte{0x01};
        cs::accumulator acc;
        const bytes b{pkt};
        acc.add_pseudo_header(ipv4_address::load(b, 12), ipv4_address::load(b, 16), ip_proto::tcp, 1167);
        EXPECT_FALSE(acc.add(b.subspan(ipv4_header_len)).verifies()) << "byte " << at;
        pkt[at] ^= std::byte{0x01};
    }
}

// ---------------------------------------------------------------------------
// RFC 1624 incremental update

// §4: a field m = 0x5555 changes to m' = 0x3285; the one's-complement sum of
// the other header octets is C = 0xcd7a.
//   HC  = ~(C + m)  = ~(0xcd7a + 0x5555) = ~0x22d0 = 0xdd2f
//   HC' = ~(C + m') = ~(0xcd7a + 0x3285) = ~0xffff = 0x0000 (recomputed)
// RFC 1141's eqn. 2, HC' = HC + m + ~m', gives 0xffff (-0) instead; eqn. 3,
// HC' = ~(~HC + ~m + m') = ~(0x22d0 + 0xaaaa + 0x3285) = 0x0000 (+0).
TEST(Update, Rfc1624Example) {
    const auto before = R"(cd 7a 55 55)"_hex;
    const auto after = R"(cd 7a 32 85)"_hex;
    EXPECT_EQ(cs::compute(before), 0xdd2f);
    EXPECT_EQ(cs::compute(after), 0x0000);
    EXPECT_EQ(cs::update(0xdd2f, 0x5555, 0x3285), 0x0000);
    // What eqn. 2 computes, for contrast: -0 where recomputation gives +0.
    const std::uint16_t eqn2 = cs::detail::fold(std::uint64_t{0xdd2f} + 0x5555 + static_cast<std::uint16_t>(~0x3285));
    EXPECT_EQ(eqn2, 0xffff);
    // Back again.
    EXPECT_EQ(cs::update(0x0000, 0x3285, 0x5555), 0xdd2f);
}

// §3: one's-complement addition of non-zero inputs yields -0 (0xffff) but
// never +0, so a checksum (its complement) can be +0 but never -0 for data
// that is not all zero. Every new value of the field, against recomputation.
TEST(Update, EveryNewWordMatchesRecomputation) {
    std::array<std::byte, 4> data = R"(cd 7a 55 55)"_hex;
    const std::uint16_t hc = cs::compute(data);
    for (std::uint32_t m = 0; m <= 0xffff; ++m) {
        store_be(mut_bytes{data}, 2, static_cast<std::uint16_t>(m));
        const std::uint16_t updated = cs::update(hc, 0x5555, static_cast<std::uint16_t>(m));
        ASSERT_EQ(updated, cs::compute(data)) << "m' = " << m;
        ASSERT_NE(updated, 0xffff);
    }
}

// Erratum 4782's case: an unchanged field leaves a +0 checksum +0.
TEST(Update, UnchangedWordKeepsZeroChecksum) {
    EXPECT_EQ(cs::update(0x0000, 0x5555, 0x5555), 0x0000);
    EXPECT_EQ(cs::update(0xdd2f, 0x5555, 0x5555), 0xdd2f);
}

// The one case where eqn. 3 and recomputation differ: the data becomes all
// zero. Recomputation gives ~(+0) = 0xffff, eqn. 3 gives +0 (the RFC
// excludes it: an IP header always has a non-zero field).
TEST(Update, AllZeroDataIsTheOneDifference) {
    const auto before = R"(00 00 00 01)"_hex;
    const auto after = R"(00 00 00 00)"_hex;
    EXPECT_EQ(cs::compute(before), 0xfffe);
    EXPECT_EQ(cs::compute(after), 0xffff);
    EXPECT_EQ(cs::update(0xfffe, 0x0001, 0x0000), 0x0000);
}

// Random data, random word changes: update() equals recomputation.
TEST(Update, RandomChangesMatchRecomputation) {
    std::vector<std::byte> data = random_buffer(64, 1141);
    std::mt19937 rng(1624);
    std::uint16_t hc = cs::compute(data);
    for (int i = 0; i < 100000; ++i) {
        const std::size_t at = 2 * (rng() % 32);
        const auto old_word = load_be<std::uint16_t>(bytes{data}, at);
        const auto new_word = static_cast<std::uint16_t>(rng());
        store_be(mut_bytes{data}, at, new_word);
        hc = cs::update(hc, old_word, new_word);
        ASSERT_EQ(hc, cs::compute(data)) << "change " << i;
    }
}

// NAT rewriting the source address of the real IPv4/UDP packet: update32
// fixes both the IPv4 header checksum and the UDP checksum (whose pseudo
// header holds the address).
TEST(Update, Update32RewritesAnAddress) {
    std::vector<std::byte> pkt = copy_of(udp4);
    const mut_bytes b{pkt};
    const std::uint32_t old_src = load_be<std::uint32_t>(b, 12);
    const std::uint32_t new_src = v4("10.1.2.3").to_u32();
    store_be(b, 12, new_src);
    store_be(b, 10, cs::update32(load_be<std::uint16_t>(b, 10), old_src, new_src));
    store_be(b, 26, cs::update32(load_be<std::uint16_t>(b, 26), old_src, new_src));

    EXPECT_TRUE(cs::accumulator{}.add(bytes{pkt}.first(ipv4_header_len)).verifies());
    EXPECT_EQ(load_be<std::uint16_t>(b, 10), recompute(cs::accumulator{}, bytes{pkt}.first(ipv4_header_len), 10));
    cs::accumulator udp;
    udp.add_pseudo_header(v4("10.1.2.3"), v4("9.9.9.9"), ip_proto::udp, 37).add(bytes{pkt}.subspan(ipv4_header_len));
    EXPECT_TRUE(udp.verifies());
}

// A TTL decrement (the word TTL|protocol), the classic RFC 1624 use.
TEST(Update, TtlDecrement) {
    std::vector<std::byte> hdr(tcp4.begin(), tcp4.begin() + ipv4_header_len);
    const mut_bytes b{hdr};
    for (int hop = 0; hop < 255; ++hop) {
        const auto old_word = load_be<std::uint16_t>(b, 8);
        const auto new_word = static_cast<std::uint16_t>(old_word - 0x0100);
        store_be(b, 8, new_word);
        store_be(b, 10, cs::update(load_be<std::uint16_t>(b, 10), old_word, new_word));
        ASSERT_TRUE(cs::accumulator{}.add(hdr).verifies()) << "hop " << hop;
        ASSERT_EQ(load_be<std::uint16_t>(b, 10), recompute(cs::accumulator{}, hdr, 10)) << "hop " << hop;
    }
}

TEST(Update, Update32EqualsTwoUpdates) {
    std::mt19937 rng(32);
    for (int i = 0; i < 10000; ++i) {
        const auto hc = static_cast<std::uint16_t>(rng());
        const std::uint32_t a = static_cast<std::uint32_t>(rng()), b = static_cast<std::uint32_t>(rng());
        const std::uint16_t two =
            cs::update(cs::update(hc, static_cast<std::uint16_t>(a >> 16), static_cast<std::uint16_t>(b >> 16)),
                       static_cast<std::uint16_t>(a), static_cast<std::uint16_t>(b));
        ASSERT_EQ(cs::update32(hc, a, b), two);
    }
}

} // namespace
