// SPDX-License-Identifier: BSD-3-Clause
#include <rawpkt/packet/geneve.hpp>

#include "support/hex.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <vector>

using namespace rawpkt;
using namespace rawpkt::test;

namespace {

// tcpdump__geneve.pcap frame 1, the UDP payload (port 6081) cut after the
// inner Ethernet header:
// Generic Network Virtualization Encapsulation, VNI: 0x00000a
//     Version: 0
//     Length: 8 bytes
//     Flags: 0x40, Critical Options Present
//         0... .... = Operations, Administration and Management Frame: False
//         .1.. .... = Critical Options Present: True
//         ..00 0000 = Reserved: False
//     Protocol Type: Transparent Ethernet bridging (0x6558)
//     Virtual Network Identifier (VNI): 0x00000a (10)
//     Options: (8 bytes)
//         Unknown, Class: Standard (0x0000) Type: 0x80 (Critical)
//             Length: 8 bytes
//             Unknown Option Data: 0000000c
// Ethernet II, Src: b6:9e:d2:49:51:48, Dst: fe:71:d8:83:72:4f, Type: IPv4 (0x0800)
constexpr auto critical_option = R"(
    02 40 65 58 00 00 0a 00 00 00 80 01 00 00 00 0c
    fe 71 d8 83 72 4f b6 9e d2 49 51 48 08 00)"_hex;

// tcpdump__geneve.pcap frame 2, cut after the inner Ethernet header:
// Generic Network Virtualization Encapsulation, VNI: 0x00000b
//     Version: 0
//     Length: 0 bytes
//     Flags: 0x00
//     Protocol Type: Transparent Ethernet bridging (0x6558)
//     Virtual Network Identifier (VNI): 0x00000b (11)
// Ethernet II, Src: fe:71:d8:83:72:4f, Dst: b6:9e:d2:49:51:48, Type: IPv4 (0x0800)
constexpr auto no_options = R"(
    00 00 65 58 00 00 0b 00 b6 9e d2 49 51 48 fe 71
    d8 83 72 4f 08 00)"_hex;

// The corpus has no packet with several options: crafted by hand, three
// options (one critical, one with its reserved bits set) before an IPv4
// header. tshark 4.0 dissects it as:
// Generic Network Virtualization Encapsulation, VNI: 0x001234
//     Version: 0
//     Length: 24 bytes
//     Flags: 0x40, Critical Options Present
//     Protocol Type: IPv4 (0x0800)
//     Virtual Network Identifier (VNI): 0x001234 (4660)
//     Options: (24 bytes)
//         Unknown, Class: Open Virtual Networking (OVN) (0x0102) Type: 0x01 (Non-critical)
//             Length: 8 bytes
//             Unknown Option Data: deadbeef
//         Unknown, Class: Experimental (0xffff) Type: 0x80 (Critical)
//             Length: 4 bytes
//         Unknown, Class: In-band Network Telemetry (INT) (0x0103) Type: 0x05 (Non-critical)
//             Flags: 0x07 (RSVD)
//             Length: 12 bytes
//             Unknown Option Data: 0001020304050607
// Internet Protocol Version 4, Src: 192.0.2.1, Dst: 192.0.2.2
constexpr auto three_options = R"(
    06 40 08 00 00 12 34 00 01 02 01 01 de ad be ef
    ff ff 80 00 01 03 05 e2 00 01 02 03 04 05 06 07
    45 00 00 14 00 00 00 00 40 3b f6 ab c0 00 02 01
    c0 00 02 02)"_hex;

// Accessors are usable in constant expressions.
static_assert(geneve::view::checked(critical_option).has_value());
static_assert(geneve::view::checked(critical_option)->header_len() == 16);
static_assert(geneve::view::checked(three_options)->vni() == 0x1234);
static_assert(geneve::view::checked(three_options)->options().validate());
static_assert((*geneve::view::checked(critical_option)->options().begin())->critical());
static_assert(geneve::view::checked(bytes{no_options}.first(7)).error().code == errc::truncated);
static_assert(geneve::repr::parse(*geneve::view::checked(three_options))->options.size() == 24);
// So is building.
static_assert([] {
    std::array<std::byte, 13> buf{};
    geneve::repr r;
    r.vni = 42;
    (void)r.options.set(bytes{three_options}.subspan(16, 4));
    r.emit(geneve::mut_view::unchecked(buf));
    const auto v = geneve::view::checked(buf);
    return v->vni() == 42 && (*v->options().begin())->option_class == 0xffff &&
           geneve::mut_view::unchecked(buf).payload().size() == 1;
}());

std::vector<geneve::option> all_options(const geneve::view& v) {
    std::vector<geneve::option> out;
    for (const auto& o : v.options()) {
        EXPECT_TRUE(o);
        if (o) out.push_back(*o);
    }
    return out;
}

/// Flips up to three random bits of `golden`, and half of the time cuts it
/// at a random length.
std::vector<std::byte> mutate(bytes golden, std::mt19937& rng) {
    std::vector<std::byte> pkt(golden.begin(), golden.end());
    for (unsigned k = rng() % 4; k-- > 0;) pkt[rng() % pkt.size()] ^= static_cast<std::byte>(1u << (rng() % 8));
    if (rng() % 2 != 0) pkt.resize(rng() % (pkt.size() + 1));
    return pkt;
}

TEST(Geneve, ReadsEveryField) {
    const auto v = geneve::view::checked(critical_option);
    ASSERT_TRUE(v);
    EXPECT_EQ(v->version(), 0);
    EXPECT_EQ(v->opt_len(), 2);
    EXPECT_EQ(v->options_len(), 8u);
    EXPECT_EQ(v->header_len(), 16u);
    EXPECT_EQ(v->flags(), geneve::flag_critical);
    EXPECT_FALSE(v->oam());
    EXPECT_TRUE(v->critical());
    EXPECT_EQ(v->protocol_type(), ethertype::transparent_ethernet_bridging);
    EXPECT_EQ(v->vni(), 10u);
    EXPECT_EQ(v->reserved(), 0);
    EXPECT_EQ(v->header().size(), 16u);
    EXPECT_EQ(v->options_bytes().size(), 8u);
    // The payload is the inner Ethernet header.
    EXPECT_EQ(v->payload().size(), 14u);
    EXPECT_EQ(v->payload().data(), critical_option.data() + 16);

    const auto opts = all_options(*v);
    ASSERT_EQ(opts.size(), 1u);
    EXPECT_EQ(opts[0].option_class, 0x0000);
    EXPECT_EQ(opts[0].type, 0x80);
    EXPECT_TRUE(opts[0].critical());
    EXPECT_EQ(opts[0].reserved, 0);
    EXPECT_EQ(opts[0].length, 8u);
    EXPECT_EQ(opts[0].offset, 8u);
    ASSERT_EQ(opts[0].data.size(), 4u);
    EXPECT_EQ(load_be<std::uint32_t>(opts[0].data, 0), 12u);
}

TEST(Geneve, NoOptions) {
    const auto v = geneve::view::checked(no_options);
    ASSERT_TRUE(v);
    EXPECT_EQ(v->opt_len(), 0);
    EXPECT_EQ(v->header_len(), 8u);
    EXPECT_EQ(v->flags(), 0);
    EXPECT_FALSE(v->critical());
    EXPECT_EQ(v->vni(), 11u);
    EXPECT_TRUE(v->options().empty());
    EXPECT_TRUE(v->options().begin() == v->options().end());
    EXPECT_EQ(v->payload().size(), 14u);
}

TEST(Geneve, SeveralOptions) {
    const auto v = geneve::view::checked(three_options);
    ASSERT_TRUE(v);
    EXPECT_EQ(v->header_len(), 32u);
    EXPECT_EQ(v->protocol_type(), ethertype::ipv4);
    const auto opts = all_options(*v);
    ASSERT_EQ(opts.size(), 3u);
    EXPECT_EQ(opts[0].option_class, 0x0102);
    EXPECT_EQ(opts[0].type, 0x01);
    EXPECT_FALSE(opts[0].critical());
    EXPECT_EQ(opts[0].length, 8u);
    EXPECT_EQ(opts[0].offset, 8u);
    EXPECT_EQ(load_be<std::uint32_t>(opts[0].data, 0), 0xdeadbeefu);
    EXPECT_EQ(opts[1].option_class, 0xffff);
    EXPECT_TRUE(opts[1].critical());
    EXPECT_EQ(opts[1].length, 4u);
    EXPECT_EQ(opts[1].offset, 16u);
    EXPECT_TRUE(opts[1].data.empty());
    EXPECT_EQ(opts[2].option_class, 0x0103);
    EXPECT_EQ(opts[2].type, 0x05);
    EXPECT_EQ(opts[2].reserved, 0x07);
    EXPECT_EQ(opts[2].length, 12u);
    EXPECT_EQ(opts[2].offset, 20u);
    EXPECT_EQ(opts[2].data.size(), 8u);
    EXPECT_EQ(opts[2].data.data(), three_options.data() + 24);
    EXPECT_EQ(v->payload().size(), 20u);
    EXPECT_EQ(v->payload()[0], std::byte{0x45});
}

TEST(Geneve, EveryTruncationIsRejectedWithTheExactError) {
    for (const bytes pkt : {bytes{critical_option}, bytes{no_options}, bytes{three_options}}) {
        const std::size_t header_len = geneve::view::checked(pkt)->header_len();
        for (std::size_t n = 0; n <= pkt.size(); ++n) {
            const auto v = geneve::view::checked(pkt.first(n));
            if (n < 8) {
                EXPECT_ERROR(v, error::truncated(layer::geneve, length_source::fixed_header, 0, 8, n));
            } else if (n < header_len) {
                EXPECT_ERROR(v, error::truncated(layer::geneve, length_source::header_length, 0, header_len, n));
            } else {
                ASSERT_TRUE(v) << n;
                EXPECT_EQ(v->payload().size(), n - header_len);
            }
        }
    }
}

TEST(Geneve, RejectsUnknownVersions) {
    for (std::uint8_t version = 1; version < 4; ++version) {
        auto pkt = copy_of(no_options);
        pkt[0] = static_cast<std::byte>(version << 6);
        EXPECT_ERROR(geneve::view::checked(pkt),
                     error::invalid(layer::geneve, errc::bad_version, length_source::none, 0, 0, version));
    }
}

TEST(Geneve, OptionLongerThanTheOptionsArea) {
    // The first option grows over the others, then past the area.
    auto pkt = copy_of(three_options);
    pkt[11] = std::byte{0x05}; // 4 + 20 = 24 bytes: exactly the area
    ASSERT_TRUE(geneve::view::checked(pkt)->options().validate());
    pkt[11] = std::byte{0x06}; // 4 + 24 = 28 bytes, 24 left
    const auto v = geneve::view::checked(pkt);
    ASSERT_TRUE(v); // options are checked lazily
    const auto expected = error::truncated(layer::geneve_option, length_source::option_length, 8, 28, 24);
    EXPECT_EQ(v->options().validate().error(), expected);
    EXPECT_ERROR(geneve::repr::parse(*v), expected);
    // The iterator yields the error once and ends.
    std::size_t seen = 0;
    for (const auto& o : v->options()) {
        ++seen;
        ASSERT_FALSE(o);
        EXPECT_EQ(o.error(), expected);
    }
    EXPECT_EQ(seen, 1u);
}

TEST(Geneve, LastOptionPastTheArea) {
    auto pkt = copy_of(three_options);
    pkt[23] = std::byte{0xe3}; // third option: 4 + 12 = 16 bytes, 12 left
    const auto v = geneve::view::checked(pkt);
    ASSERT_TRUE(v);
    std::vector<result<geneve::option>> seen;
    for (const auto& o : v->options()) seen.push_back(o);
    ASSERT_EQ(seen.size(), 3u);
    EXPECT_TRUE(seen[0]);
    EXPECT_TRUE(seen[1]);
    ASSERT_FALSE(seen[2]);
    EXPECT_EQ(seen[2].error(), error::truncated(layer::geneve_option, length_source::option_length, 20, 16, 12));
}

TEST(Geneve, OptionHeaderCutShort) {
    // Only a hand-made range can end inside an option header: the view's
    // options area is a whole number of 4-byte words.
    const auto opts = make_bytes(0x01, 0x02, 0x01, 0x00, 0xff, 0xff, 0x80);
    const geneve::option_range range{opts, 8};
    auto it = range.begin();
    ASSERT_TRUE(*it);
    EXPECT_EQ((*it)->length, 4u);
    ++it;
    ASSERT_FALSE(*it);
    EXPECT_EQ(it->error(), error::truncated(layer::geneve_option, length_source::option_length, 12, 4, 3));
    ++it;
    EXPECT_TRUE(it == range.end());
}

TEST(Geneve, IteratorNeverReadsOutsideTheArea) {
    // Every options length byte value over every options area length.
    std::array<std::byte, 12> area{};
    for (std::size_t n = 0; n <= area.size(); ++n) {
        for (unsigned len = 0; len < 256; ++len) {
            area[3] = static_cast<std::byte>(len);
            std::size_t count = 0;
            std::size_t covered = 0;
            for (const auto& o : geneve::option_range{bytes{area}.first(n), 8}) {
                ASSERT_LT(++count, 4u);
                if (!o) break;
                covered += o->length;
                ASSERT_LE(o->data.data() + o->data.size(), area.data() + n);
            }
            ASSERT_LE(covered, n);
        }
    }
}

TEST(Geneve, ReprRejectsReservedBits) {
    auto pkt = copy_of(no_options);
    pkt[1] = std::byte{0x21};
    EXPECT_ERROR(geneve::repr::parse(*geneve::view::checked(pkt)),
                 error::invalid(layer::geneve, errc::bad_value, length_source::none, 1, 0, 0x21));
    pkt = copy_of(no_options);
    pkt[7] = std::byte{0x01};
    EXPECT_ERROR(geneve::repr::parse(*geneve::view::checked(pkt)),
                 error::invalid(layer::geneve, errc::bad_value, length_source::none, 7, 0, 1));
}

TEST(Geneve, ReprRejectsCriticalOptionWithoutTheCFlag) {
    auto pkt = copy_of(critical_option);
    pkt[1] = std::byte{0x00};
    const auto v = geneve::view::checked(pkt);
    ASSERT_TRUE(v);
    EXPECT_ERROR(geneve::repr::parse(*v), error::invalid(layer::geneve, errc::bad_value, length_source::none, 1, 1, 0));
}

TEST(Geneve, SetEveryFieldThenCompare) {
    std::array<std::byte, 16> buf{};
    buf.fill(std::byte{0xff});
    auto v = geneve::mut_view::unchecked(buf);
    v.set_version(0);
    v.set_options_len(4);
    v.set_flags(0);
    v.set_oam(true);
    v.set_critical(true);
    v.set_protocol_type(ethertype::ipv6);
    v.set_vni(0x00abcdef);
    v.set_reserved(0);
    const geneve::view r = v;
    EXPECT_EQ(r.version(), 0);
    EXPECT_EQ(r.opt_len(), 1);
    EXPECT_EQ(r.header_len(), 12u);
    EXPECT_TRUE(r.oam());
    EXPECT_TRUE(r.critical());
    EXPECT_EQ(r.flags(), 0xc0);
    EXPECT_EQ(r.protocol_type(), ethertype::ipv6);
    EXPECT_EQ(r.vni(), 0xabcdefu);
    EXPECT_EQ(r.reserved(), 0);
    EXPECT_EQ(r.payload().size(), 4u);
    EXPECT_TRUE(geneve::view::checked(buf));
    // Setting one field leaves its neighbours alone.
    v.set_version(3);
    EXPECT_EQ(r.opt_len(), 1);
    v.set_oam(false);
    EXPECT_TRUE(r.critical());
    v.set_options_len(252);
    EXPECT_EQ(r.version(), 3);
    EXPECT_EQ(r.header_len(), 260u);
}

TEST(Geneve, ReprRoundTripReproducesTheHeaderBytes) {
    for (const bytes pkt : {bytes{critical_option}, bytes{no_options}, bytes{three_options}}) {
        const auto v = geneve::view::checked(pkt);
        ASSERT_TRUE(v);
        const auto r = geneve::repr::parse(*v);
        ASSERT_TRUE(r);
        EXPECT_EQ(r->header_len(), v->header_len());
        EXPECT_EQ(r->buffer_len(), pkt.size());
        std::vector<std::byte> out(pkt.begin(), pkt.end());
        std::fill_n(out.begin(), r->header_len(), std::byte{0xcc});
        r->emit(geneve::mut_view::unchecked(out));
        EXPECT_TRUE(std::equal(out.begin(), out.end(), pkt.begin()));
        const auto again = geneve::repr::parse(*geneve::view::checked(out));
        ASSERT_TRUE(again);
        EXPECT_EQ(*again, *r);
    }
}

TEST(Geneve, ReprBuildsOptions) {
    geneve::repr r;
    r.vni = 77;
    r.critical = true;
    const auto opt = make_bytes(0xff, 0xff, 0x80, 0x01, 1, 2, 3, 4);
    ASSERT_TRUE(r.options.set(opt));
    EXPECT_EQ(r.header_len(), 16u);
    std::array<std::byte, 256> too_long{};
    EXPECT_FALSE(r.options.set(too_long)); // more than 252
    EXPECT_EQ(r.options.size(), 8u);       // unchanged by the refusal
    std::array<std::byte, 16> buf{};
    r.emit(geneve::mut_view::unchecked(buf));
    const auto v = geneve::view::checked(buf);
    ASSERT_TRUE(v);
    EXPECT_EQ(v->vni(), 77u);
    const auto opts = all_options(*v);
    ASSERT_EQ(opts.size(), 1u);
    EXPECT_TRUE(opts[0].critical());
    EXPECT_EQ(opts[0].data.size(), 4u);
    EXPECT_EQ(*geneve::repr::parse(*v), r);
}

TEST(Geneve, ReprOptionsCannotExceedTheirStorage) {
    // The options are a small_bytes<252>: Opt Len's 6 bits can say all of
    // it, and no length a caller sets can pass the storage (the old
    // uint8_t length allowed 255 over 252 bytes).
    geneve::repr r;
    static_assert(decltype(r.options)::capacity() == geneve::max_options_len);
    std::array<std::byte, 253> over{};
    EXPECT_FALSE(r.options.set(over));
    ASSERT_TRUE(r.options.set(bytes{over}.first(252)));
    EXPECT_EQ(r.header_len(), geneve::max_header_len);
    // A part of an option (6 bytes) is padded to a whole word with zeros,
    // so Opt Len and header_len() agree.
    const auto opt = make_bytes(0xff, 0xff, 0x80, 0x01, 1, 2, 3, 4);
    ASSERT_TRUE(r.options.set(bytes{opt}.first(6)));
    EXPECT_EQ(r.header_len(), 16u);
    std::array<std::byte, 16> buf{};
    buf.fill(std::byte{0xaa});
    r.emit(geneve::mut_view::unchecked(buf));
    const auto v = geneve::view::checked(buf);
    ASSERT_TRUE(v);
    EXPECT_EQ(v->header_len(), 16u);
    EXPECT_EQ(buf[14], std::byte{0});
    EXPECT_EQ(buf[15], std::byte{0});
}

TEST(Geneve, MutatedPacketsNeverReadOutOfBounds) {
    // Meant for the sanitizer build with RAWPKT_CHECK_BOUNDS, where any read
    // past the buffer aborts. Every accepted repr also emits its bytes back.
    std::size_t emitted = 0;
    std::mt19937 rng(8926);
    for (const bytes golden : {bytes{critical_option}, bytes{no_options}, bytes{three_options}}) {
        for (int round = 0; round < 3000; ++round) {
            const auto pkt = mutate(golden, rng);
            const auto v = geneve::view::checked(pkt);
            if (!v) continue;
            EXPECT_EQ(v->header_len() + v->payload().size(), pkt.size());
            std::size_t covered = geneve::min_header_len;
            for (const auto& o : v->options()) {
                if (!o) break;
                EXPECT_EQ(o->offset, covered);
                covered += o->length;
            }
            EXPECT_LE(covered, v->header_len());
            const auto r = geneve::repr::parse(*v);
            if (!r) continue;
            ++emitted;
            std::vector<std::byte> out(pkt);
            r->emit(geneve::mut_view::unchecked(out));
            EXPECT_EQ(out, pkt);
            EXPECT_EQ(*geneve::repr::parse(*geneve::view::checked(out)), *r);
        }
    }
    EXPECT_GT(emitted, 1000u);
}

} // namespace
