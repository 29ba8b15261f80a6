// SPDX-License-Identifier: BSD-3-Clause
#include <rawpkt/packet/null_loopback.hpp>

#include "support/hex.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <bit>

using namespace rawpkt;
using namespace rawpkt::test;

namespace {

// pcapplusplus__null_loopback.pcap (LINKTYPE_NULL, written on a
// little-endian host) frame 1, the first 12 of 479 bytes:
// Null/Loopback
//     Family: IPv6 (30)
// Internet Protocol Version 6, Src: ::1, Dst: ::1
constexpr auto darwin_v6 = R"(1e 00 00 00 60 00 00 00 01 b3 06 40)"_hex;

// Same file, frame 2, the first 12 of 48 bytes:
// Null/Loopback
//     Family: IP (2)
// Internet Protocol Version 4, Src: 172.16.1.117, Dst: 172.16.1.255
constexpr auto little_v4 = R"(02 00 00 00 45 00 00 2c c1 69 00 00)"_hex;

// Same file, frame 3, the first 12 of 397 bytes. 0f 00 08 00 is no
// address family in either byte order; tshark takes the value, being above
// 1500, for an EtherType and keeps its low 16 bits:
// Null/Loopback
//     Type: IPv4 (0x0800)
// Internet Protocol Version 4, Src: 10.0.0.138, Dst: 10.0.0.1
constexpr auto not_a_family = R"(0f 00 08 00 45 00 01 89 00 00 40 00)"_hex;

// Crafted (no big-endian NULL capture in the corpus): a LINKTYPE_NULL
// header written on a big-endian host. tshark 4.0 on it:
// Null/Loopback
//     Family: IP (2)
// Internet Protocol Version 4, Src: 127.0.0.1, Dst: 127.0.0.1
constexpr auto big_v4 = R"(00 00 00 02 45 00 00 14 00 00 00 00)"_hex;

// Crafted (no LINKTYPE_LOOP capture in the corpus): OpenBSD loopback,
// network order, AF_INET6 24. tshark 4.0 on it (as LINKTYPE_LOOP):
// Null/Loopback
//     Family: IPv6 (24)
// Internet Protocol Version 6, Src: ::1, Dst: ::1
constexpr auto loop_v6 = R"(00 00 00 18 60 00 00 00 00 00 3b 40)"_hex;

// Accessors are usable in constant expressions.
static_assert(null_loopback::view::checked(darwin_v6).has_value());
static_assert(null_loopback::view::checked(darwin_v6)->family() == 30);
static_assert(null_loopback::view::checked(big_v4)->family() == 2);
static_assert(null_loopback::view::checked(loop_v6, link_type::loop)->family() == 24);
static_assert(*null_loopback::view::checked(darwin_v6)->payload_ethertype() == ethertype::ipv6);
static_assert(null_loopback::view::checked(bytes{darwin_v6}.first(3)).error().code == errc::truncated);

TEST(NullLoopback, ReadsEveryField) {
    const auto v = null_loopback::view::checked(darwin_v6);
    ASSERT_TRUE(v);
    EXPECT_EQ(v->link(), link_type::null);
    EXPECT_EQ(v->family(), null_loopback::af::inet6_darwin);
    EXPECT_EQ(*v->payload_ethertype(), ethertype::ipv6);
    EXPECT_EQ(v->header_len(), 4u);
    EXPECT_EQ(v->header().size(), 4u);
    EXPECT_EQ(v->payload().size(), 8u);
    EXPECT_EQ(v->payload().data(), darwin_v6.data() + 4);
    const auto v4 = null_loopback::view::checked(little_v4);
    ASSERT_TRUE(v4);
    EXPECT_EQ(v4->family(), null_loopback::af::inet);
    EXPECT_EQ(*v4->payload_ethertype(), ethertype::ipv4);
}

TEST(NullLoopback, NullReadsEitherByteOrder) {
    // The same family, written by hosts of both byte orders.
    EXPECT_EQ(null_loopback::view::checked(big_v4)->family(), 2u);
    EXPECT_EQ(null_loopback::view::checked(little_v4)->family(), 2u);
    const auto big_v6 = make_bytes(0x00, 0x00, 0x00, 0x1c);
    const auto little_v6 = make_bytes(0x1c, 0x00, 0x00, 0x00);
    EXPECT_EQ(null_loopback::view::checked(big_v6)->family(), 28u);
    EXPECT_EQ(null_loopback::view::checked(little_v6)->family(), 28u);
    const auto zero = make_bytes(0x00, 0x00, 0x00, 0x00);
    EXPECT_EQ(null_loopback::view::checked(zero)->family(), 0u);
}

TEST(NullLoopback, LoopIsNetworkOrder) {
    const auto v = null_loopback::view::checked(loop_v6, link_type::loop);
    ASSERT_TRUE(v);
    EXPECT_EQ(v->link(), link_type::loop);
    EXPECT_EQ(v->family(), null_loopback::af::inet6_bsd);
    EXPECT_EQ(*v->payload_ethertype(), ethertype::ipv6);
    // LOOP does not guess: a little-endian family is a large number.
    const auto v4 = null_loopback::view::checked(little_v4, link_type::loop);
    EXPECT_EQ(v4->family(), 0x02000000u);
    EXPECT_ERROR(v4->payload_ethertype(),
                 error::invalid(layer::null_loopback, errc::unsupported, length_source::none, 0, 0, 0x02000000));
}

TEST(NullLoopback, EveryAfInet6MapsToIpv6) {
    for (const std::uint32_t af : {10u, 24u, 28u, 30u}) {
        EXPECT_EQ(*null_loopback::ethertype_of(af), ethertype::ipv6) << af;
    }
    EXPECT_EQ(*null_loopback::ethertype_of(2), ethertype::ipv4);
    EXPECT_ERROR(null_loopback::ethertype_of(7),
                 error::invalid(layer::null_loopback, errc::unsupported, length_source::none, 0, 0, 7));
}

TEST(NullLoopback, AValueThatIsNoFamilyIsUnsupported) {
    // Frame 3: neither byte order gives a family; rawpkt reports the value
    // (read as written: its low 16 bits are not zero) instead of guessing.
    const auto v = null_loopback::view::checked(not_a_family);
    ASSERT_TRUE(v);
    EXPECT_EQ(v->family(), 0x0f000800u);
    EXPECT_ERROR(v->payload_ethertype(),
                 error::invalid(layer::null_loopback, errc::unsupported, length_source::none, 0, 0, 0x0f000800));
}

TEST(NullLoopback, EveryTruncationIsRejectedWithTheExactError) {
    for (const auto lt : {link_type::null, link_type::loop}) {
        for (std::size_t n = 0; n <= darwin_v6.size(); ++n) {
            const auto v = null_loopback::view::checked(bytes{darwin_v6}.first(n), lt);
            if (n < 4) {
                EXPECT_ERROR(v, error::truncated(layer::null_loopback, length_source::fixed_header, 0, 4, n));
            } else {
                ASSERT_TRUE(v) << n;
                EXPECT_EQ(v->payload().size(), n - 4);
            }
        }
    }
}

TEST(NullLoopback, RejectsOtherLinkTypes) {
    EXPECT_ERROR(null_loopback::view::checked(darwin_v6, link_type::ethernet),
                 error::invalid(layer::null_loopback, errc::unsupported, length_source::none, 0, 0, 1));
}

TEST(NullLoopback, SetEveryFieldThenCompare) {
    std::array<std::byte, 4> buf{};
    auto v = null_loopback::mut_view::unchecked(buf);
    v.set_family(null_loopback::af::inet6_freebsd);
    const null_loopback::view r = v;
    EXPECT_EQ(r.link(), link_type::null);
    EXPECT_EQ(r.family(), 28u);
    // NULL is written in this host's order.
    EXPECT_EQ(buf[0], std::endian::native == std::endian::little ? std::byte{28} : std::byte{0});
    auto l = null_loopback::mut_view::unchecked(buf, link_type::loop);
    l.set_family(null_loopback::af::inet);
    EXPECT_TRUE(std::equal(buf.begin(), buf.end(), big_v4.begin()));
    const null_loopback::view lr = l;
    EXPECT_EQ(lr.link(), link_type::loop);
    EXPECT_EQ(lr.family(), 2u);
}

TEST(NullLoopback, ReprRoundTripReproducesTheHeaderBytes) {
    // Little-endian NULL bytes come back as written on a little-endian host;
    // LOOP bytes on any host.
    struct golden {
        bytes pkt;
        link_type lt;
        bool host_order;
    };
    for (const auto& g : {golden{darwin_v6, link_type::null, true}, golden{little_v4, link_type::null, true},
                          golden{loop_v6, link_type::loop, false}}) {
        const auto v = null_loopback::view::checked(g.pkt, g.lt);
        ASSERT_TRUE(v);
        const auto r = null_loopback::repr::parse(*v);
        ASSERT_TRUE(r);
        EXPECT_EQ(r->header_len(), 4u);
        std::array<std::byte, 4> out{};
        r->emit(null_loopback::mut_view::unchecked(out, g.lt));
        if (!g.host_order || std::endian::native == std::endian::little) {
            EXPECT_TRUE(std::equal(out.begin(), out.end(), g.pkt.begin()));
        }
        EXPECT_EQ(*null_loopback::repr::parse(*null_loopback::view::checked(out, g.lt)), *r);
    }
}

// Found by fuzz_build: a LINKTYPE_NULL family whose both halves are non-zero
// (bytes 0f 00 08 00 read as 0x0f000800) parsed, but emit() writes it in
// host order and the byte-order rule then reads it back swapped. parse()
// rejects such a family; LINKTYPE_LOOP keeps any value.
TEST(NullLoopback, ReprRejectsANullFamilyThatCannotRoundTrip) {
    constexpr auto garbage = make_bytes(0x0f, 0x00, 0x08, 0x00);
    const auto v = null_loopback::view::checked(garbage, link_type::null);
    ASSERT_TRUE(v);
    EXPECT_EQ(v->family(), 0x0f000800u);
    const auto r = null_loopback::repr::parse(*v);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error(), error::invalid(layer::null_loopback, errc::bad_value, length_source::none, 0, 0, 0x0f000800u));

    const auto l = null_loopback::view::checked(garbage, link_type::loop);
    ASSERT_TRUE(l);
    const auto lr = null_loopback::repr::parse(*l);
    ASSERT_TRUE(lr);
    std::array<std::byte, 4> out{};
    lr->emit(null_loopback::mut_view::unchecked(out, link_type::loop));
    EXPECT_EQ(*null_loopback::repr::parse(*null_loopback::view::checked(out, link_type::loop)), *lr);

    // The largest family that still round-trips on LINKTYPE_NULL.
    const null_loopback::repr big{0xffff};
    big.emit(null_loopback::mut_view::unchecked(out, link_type::null));
    EXPECT_EQ(*null_loopback::repr::parse(*null_loopback::view::checked(out, link_type::null)), big);
}

} // namespace
