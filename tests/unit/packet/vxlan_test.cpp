// SPDX-License-Identifier: BSD-3-Clause
#include <rawpkt/packet/vxlan.hpp>

#include "support/hex.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <vector>

using namespace rawpkt;
using namespace rawpkt::test;

namespace {

// tcpdump__vxlan.pcap frame 2, the UDP payload (port 4789):
// Virtual eXtensible Local Area Network
//     Flags: 0x0800, VXLAN Network ID (VNI)
//         .... 1... .... .... = VXLAN Network ID (VNI): True
//     VXLAN Network Identifier (VNI): 100
//     Reserved: 0
// Ethernet II, Src: Ericsson_01:00:02 (00:30:88:01:00:02), Dst: Broadcast (ff:ff:ff:ff:ff:ff)
// Address Resolution Protocol (request)
//     Sender IP address: 192.168.203.5
//     Target IP address: 192.168.203.3
constexpr auto arp_request = R"(
    08 00 00 00 00 00 64 00 ff ff ff ff ff ff 00 30
    88 01 00 02 08 06 00 01 08 00 06 04 00 01 00 30
    88 01 00 02 c0 a8 cb 05 00 00 00 00 00 00 c0 a8
    cb 03)"_hex;

// pcapplusplus__Vxlan1.pcap frame 1, cut after the inner Ethernet header:
// Virtual eXtensible Local Area Network
//     Flags: 0x8848, GBP Extension, VXLAN Network ID (VNI), Don't Learn, Policy Applied
//         1... .... .... .... = GBP Extension: Defined
//         .... 1... .... .... = VXLAN Network ID (VNI): True
//         .... .... .1.. .... = Don't Learn: True
//         .... .... .... 1... = Policy Applied: True
//         .000 .000 0.00 .000 = Reserved(R): 0x0000
//     Group Policy ID: 100
//     VXLAN Network Identifier (VNI): 3000001
//     Reserved: 0
// Ethernet II, Src: Xensourc_37:f6:04 (00:16:3e:37:f6:04), Dst: Ericsson_01:00:02 (00:30:88:01:00:02)
constexpr auto group_policy = R"(
    88 48 00 64 2d c6 c1 00 00 30 88 01 00 02 00 16
    3e 37 f6 04 08 00)"_hex;

// tcpdump__gso-ipv4-vxlan-ipv4.pcap frame 1 (a 7 KB GSO super-packet),
// cut after the inner Ethernet header:
// Virtual eXtensible Local Area Network
//     Flags: 0x0800, VXLAN Network ID (VNI)
//     VXLAN Network Identifier (VNI): 5001
//     Reserved: 0
// Ethernet II, Src: 76:bd:91:4a:21:f9, Dst: fe:36:a5:67:e0:ac, Type: IPv4 (0x0800)
constexpr auto gso = R"(
    08 00 00 00 00 13 89 00 fe 36 a5 67 e0 ac 76 bd
    91 4a 21 f9 08 00)"_hex;

// Accessors are usable in constant expressions.
static_assert(vxlan::view::checked(arp_request).has_value());
static_assert(vxlan::view::checked(arp_request)->vni() == 100);
static_assert(vxlan::view::checked(group_policy)->group_policy_id() == 100);
static_assert(vxlan::view::checked(gso)->payload().size() == 14);
static_assert(vxlan::view::checked(bytes{gso}.first(7)).error().code == errc::truncated);
static_assert(vxlan::repr::parse(*vxlan::view::checked(gso))->vni == 5001);
// So is building.
static_assert([] {
    std::array<std::byte, 9> buf{};
    vxlan::repr r;
    r.vni = 42;
    r.emit(vxlan::mut_view::unchecked(buf));
    return vxlan::view::checked(buf)->vni() == 42 && vxlan::mut_view::unchecked(buf).payload().size() == 1;
}());

/// Flips up to three random bits of `golden`, and half of the time cuts it
/// at a random length.
std::vector<std::byte> mutate(bytes golden, std::mt19937& rng) {
    std::vector<std::byte> pkt(golden.begin(), golden.end());
    for (unsigned k = rng() % 4; k-- > 0;) pkt[rng() % pkt.size()] ^= static_cast<std::byte>(1u << (rng() % 8));
    if (rng() % 2 != 0) pkt.resize(rng() % (pkt.size() + 1));
    return pkt;
}

TEST(Vxlan, ReadsEveryField) {
    const auto v = vxlan::view::checked(arp_request);
    ASSERT_TRUE(v);
    EXPECT_EQ(v->flags(), vxlan::flag_vni);
    EXPECT_TRUE(v->vni_valid());
    EXPECT_EQ(v->reserved1(), 0u);
    EXPECT_EQ(v->vni(), 100u);
    EXPECT_EQ(v->reserved2(), 0);
    EXPECT_EQ(v->header_len(), 8u);
    EXPECT_FALSE(v->has_group_policy());
    EXPECT_FALSE(v->dont_learn());
    EXPECT_FALSE(v->policy_applied());
    EXPECT_EQ(v->group_policy_id(), 0);
    EXPECT_EQ(v->header().size(), 8u);
    // The payload is the inner Ethernet frame: broadcast ARP.
    EXPECT_EQ(v->payload().size(), 42u);
    EXPECT_EQ(v->payload().data(), arp_request.data() + 8);
    EXPECT_EQ(v->payload()[12], std::byte{0x08});
    EXPECT_EQ(v->payload()[13], std::byte{0x06});
}

TEST(Vxlan, GroupPolicyExtension) {
    const auto v = vxlan::view::checked(group_policy);
    ASSERT_TRUE(v);
    EXPECT_EQ(v->flags(), vxlan::flag_gbp | vxlan::flag_vni);
    EXPECT_TRUE(v->vni_valid());
    EXPECT_TRUE(v->has_group_policy());
    EXPECT_TRUE(v->dont_learn());
    EXPECT_TRUE(v->policy_applied());
    EXPECT_EQ(v->group_policy_id(), 100);
    EXPECT_EQ(v->reserved1(), 0x480064u);
    EXPECT_EQ(v->vni(), 3000001u);
    EXPECT_EQ(v->payload().size(), 14u);
}

TEST(Vxlan, EveryTruncationIsRejectedWithTheExactError) {
    for (const bytes pkt : {bytes{arp_request}, bytes{group_policy}, bytes{gso}}) {
        for (std::size_t n = 0; n <= pkt.size(); ++n) {
            const auto v = vxlan::view::checked(pkt.first(n));
            if (n < 8) {
                EXPECT_ERROR(v, error::truncated(layer::vxlan, length_source::fixed_header, 0, 8, n));
            } else {
                ASSERT_TRUE(v) << n;
                EXPECT_EQ(v->payload().size(), n - 8);
            }
        }
    }
}

TEST(Vxlan, ViewIsLenientLikeReceivers) {
    // RFC 7348 §5: reserved bits are ignored on receipt; a clear I flag
    // makes the VNI meaningless but the frame is still there.
    auto pkt = copy_of(arp_request);
    pkt[0] = std::byte{0x77};
    pkt[1] = pkt[2] = pkt[3] = pkt[7] = std::byte{0xff};
    const auto v = vxlan::view::checked(pkt);
    ASSERT_TRUE(v);
    EXPECT_FALSE(v->vni_valid());
    EXPECT_EQ(v->vni(), 100u);
    EXPECT_EQ(v->reserved1(), 0xffffffu);
    EXPECT_EQ(v->reserved2(), 0xff);
}

TEST(Vxlan, ReprRejectsInvalidVni) {
    auto pkt = copy_of(arp_request);
    pkt[0] = std::byte{0x00};
    EXPECT_ERROR(vxlan::repr::parse(*vxlan::view::checked(pkt)),
                 error::invalid(layer::vxlan, errc::bad_value, length_source::none, 0, 1, 0));
}

TEST(Vxlan, ReprRejectsReservedFlags) {
    auto pkt = copy_of(arp_request);
    pkt[0] = std::byte{0x0c};
    EXPECT_ERROR(vxlan::repr::parse(*vxlan::view::checked(pkt)),
                 error::invalid(layer::vxlan, errc::bad_value, length_source::none, 0, 0, 0x04));
}

TEST(Vxlan, ReprRejectsReserved1) {
    auto pkt = copy_of(arp_request);
    pkt[3] = std::byte{0x01};
    EXPECT_ERROR(vxlan::repr::parse(*vxlan::view::checked(pkt)),
                 error::invalid(layer::vxlan, errc::bad_value, length_source::none, 1, 0, 1));
    // With the G flag, bytes 2-3 are the group policy, byte 1 has D and A.
    auto gbp = copy_of(group_policy);
    gbp[1] |= std::byte{0x01};
    EXPECT_ERROR(vxlan::repr::parse(*vxlan::view::checked(gbp)),
                 error::invalid(layer::vxlan, errc::bad_value, length_source::none, 1, 0, 1));
}

TEST(Vxlan, ReprRejectsReserved2) {
    auto pkt = copy_of(arp_request);
    pkt[7] = std::byte{0x10};
    EXPECT_ERROR(vxlan::repr::parse(*vxlan::view::checked(pkt)),
                 error::invalid(layer::vxlan, errc::bad_value, length_source::none, 7, 0, 0x10));
}

TEST(Vxlan, SetEveryFieldThenCompare) {
    std::array<std::byte, 8> buf{};
    auto v = vxlan::mut_view::unchecked(buf);
    v.set_flags(0);
    v.set_vni_valid(true);
    v.set_reserved1(0);
    v.set_vni(0xabcdef);
    v.set_reserved2(0x7e);
    v.set_has_group_policy(true);
    v.set_dont_learn(true);
    v.set_policy_applied(true);
    v.set_group_policy_id(0xbeef);
    const vxlan::view r = v;
    EXPECT_EQ(r.flags(), 0x88);
    EXPECT_TRUE(r.vni_valid());
    EXPECT_EQ(r.vni(), 0xabcdefu);
    EXPECT_EQ(r.reserved2(), 0x7e);
    EXPECT_TRUE(r.has_group_policy());
    EXPECT_TRUE(r.dont_learn());
    EXPECT_TRUE(r.policy_applied());
    EXPECT_EQ(r.group_policy_id(), 0xbeef);
    EXPECT_EQ(r.reserved1(), 0x48beefu);
    // Setting one field leaves its neighbours alone.
    v.set_dont_learn(false);
    EXPECT_TRUE(r.policy_applied());
    EXPECT_EQ(r.group_policy_id(), 0xbeef);
    v.set_vni_valid(false);
    EXPECT_TRUE(r.has_group_policy());
    v.set_reserved1(0x123456);
    EXPECT_EQ(r.vni(), 0xabcdefu);
    EXPECT_EQ(r.flags(), 0x80);
}

TEST(Vxlan, ReprRoundTripReproducesTheHeaderBytes) {
    for (const bytes pkt : {bytes{arp_request}, bytes{group_policy}, bytes{gso}}) {
        const auto v = vxlan::view::checked(pkt);
        ASSERT_TRUE(v);
        const auto r = vxlan::repr::parse(*v);
        ASSERT_TRUE(r);
        EXPECT_EQ(r->header_len(), 8u);
        EXPECT_EQ(r->buffer_len(), pkt.size());
        std::vector<std::byte> out(pkt.begin(), pkt.end());
        std::fill_n(out.begin(), 8, std::byte{0xcc});
        r->emit(vxlan::mut_view::unchecked(out));
        EXPECT_TRUE(std::equal(out.begin(), out.end(), pkt.begin()));
        const auto again = vxlan::repr::parse(*vxlan::view::checked(out));
        ASSERT_TRUE(again);
        EXPECT_EQ(*again, *r);
    }
}

TEST(Vxlan, ReprFields) {
    const auto plain = vxlan::repr::parse(*vxlan::view::checked(arp_request));
    ASSERT_TRUE(plain);
    EXPECT_EQ(plain->vni, 100u);
    EXPECT_EQ(plain->policy, std::nullopt);
    EXPECT_EQ(plain->payload_len, 42u);
    const auto gbp = vxlan::repr::parse(*vxlan::view::checked(group_policy));
    ASSERT_TRUE(gbp);
    EXPECT_EQ(gbp->vni, 3000001u);
    EXPECT_EQ(gbp->policy, (vxlan::group_policy{100, true, true}));
}

TEST(Vxlan, ReprEmitMasksTheVniTo24Bits) {
    vxlan::repr r;
    r.vni = 0xff000001;
    std::array<std::byte, 8> buf{};
    r.emit(vxlan::mut_view::unchecked(buf));
    EXPECT_EQ(buf, make_bytes(0x08, 0, 0, 0, 0, 0, 1, 0));
}

TEST(Vxlan, MutatedPacketsNeverReadOutOfBounds) {
    // Meant for the sanitizer build with RAWPKT_CHECK_BOUNDS, where any read
    // past the buffer aborts. Every accepted repr also emits its bytes back.
    std::size_t emitted = 0;
    std::mt19937 rng(7348);
    for (const bytes golden : {bytes{arp_request}, bytes{group_policy}, bytes{gso}}) {
        for (int round = 0; round < 3000; ++round) {
            const auto pkt = mutate(golden, rng);
            const auto v = vxlan::view::checked(pkt);
            if (!v) continue;
            EXPECT_EQ(v->header_len() + v->payload().size(), pkt.size());
            (void)v->vni();
            (void)v->group_policy_id();
            const auto r = vxlan::repr::parse(*v);
            if (!r) continue;
            ++emitted;
            std::vector<std::byte> out(pkt);
            r->emit(vxlan::mut_view::unchecked(out));
            EXPECT_EQ(out, pkt);
            EXPECT_EQ(*vxlan::repr::parse(*vxlan::view::checked(out)), *r);
        }
    }
    EXPECT_GT(emitted, 1000u);
}

} // namespace
