// SPDX-License-Identifier: BSD-3-Clause
// gen::generator: frame n is frame 0 with the fields that vary written and
// the checksums updated (RFC 1624). Every frame is decoded and each field
// checked against what the spec says frame n carries, and every checksum
// verified, over ranges wide enough to reach the UDP checksum that comes
// out 0 (sent as 0xffff).
#include <rawpkt/build.hpp>
#include <rawpkt/decode.hpp>
#include <rawpkt/generate.hpp>

#include <gtest/gtest.h>

#include <array>
#include <cstdint>
#include <string>
#include <type_traits>
#include <vector>

using namespace rawpkt;

namespace {

ipv6_address v6(std::string_view s) {
    ipv6_address a;
    EXPECT_TRUE(ipv6_address::parse(s, a)) << s;
    return a;
}

ipv6_address with_low(ipv6_address a, std::uint64_t low) {
    for (int i = 0; i < 4; ++i) a.octets[15 - i] = static_cast<std::uint8_t>(low >> (8 * i));
    return a;
}

/// Decodes frame `n` of `g` and checks every field the spec sets and every
/// checksum.
void check_frame(const gen::generator& g, std::uint64_t n, std::uint64_t seed) {
    SCOPED_TRACE("frame " + std::to_string(n));
    const gen::frame_spec& s = g.spec();
    std::vector<std::byte> buf(g.frame_len() + 16);
    const auto frame = g.build(n, buf);
    ASSERT_TRUE(frame);
    ASSERT_EQ(frame->size(), g.frame_len());
    decoded d;
    ASSERT_TRUE(decode(*frame, link_type::ethernet, d));

    const auto eth = d.get<ethernet::view>();
    EXPECT_EQ(eth->src(), s.src_mac);
    EXPECT_EQ(eth->dst(), s.dst_mac);
    for (std::size_t i = 0; i < s.vlans.size(); ++i) {
        const auto tag = d.get<vlan::view>(i);
        ASSERT_TRUE(tag);
        EXPECT_EQ(tag->vid(), s.vlans[i].vid);
        EXPECT_EQ(tag->pcp(), s.vlans[i].pcp);
    }
    const std::uint64_t src_ip = s.src_ip.at(n, seed, 3);
    const std::uint64_t dst_ip = s.dst_ip.at(n, seed, 4);
    const auto sp = static_cast<std::uint16_t>(s.src_port.at(n, seed, 1));
    const auto dp = static_cast<std::uint16_t>(s.dst_port.at(n, seed, 2));

    // Checks the layer-4 header against the spec; `src` and `dst` are the
    // IP addresses of the pseudo-header.
    const auto check_l4 = [&](const auto& src, const auto& dst) {
        switch (s.l4) {
        case gen::transport::udp: {
            const auto u = d.get<udp::view>();
            ASSERT_TRUE(u);
            EXPECT_EQ(u->src_port(), sp);
            EXPECT_EQ(u->dst_port(), dp);
            EXPECT_NE(u->checksum(), 0); // 0 would mean "no checksum"
            EXPECT_TRUE(u->checksum_ok(src, dst));
            break;
        }
        case gen::transport::tcp: {
            const auto t = d.get<tcp::view>();
            ASSERT_TRUE(t);
            EXPECT_EQ(t->src_port(), sp);
            EXPECT_EQ(t->dst_port(), dp);
            EXPECT_EQ(t->sequence(), static_cast<std::uint32_t>(s.tcp_seq + n * d.payload().size()));
            EXPECT_EQ(t->flags(), s.tcp_flags);
            EXPECT_TRUE(t->checksum_ok(src, dst));
            break;
        }
        case gen::transport::icmp_echo:
            if constexpr (std::is_same_v<std::decay_t<decltype(src)>, ipv6_address>) {
                const auto m = d.get<icmpv6::view>();
                ASSERT_TRUE(m);
                EXPECT_EQ(m->sequence(), static_cast<std::uint16_t>(n));
                EXPECT_EQ(m->identifier(), s.icmp_id);
                EXPECT_TRUE(m->checksum_ok(src, dst));
            } else {
                const auto m = d.get<icmpv4::view>();
                ASSERT_TRUE(m);
                EXPECT_EQ(m->sequence(), static_cast<std::uint16_t>(n));
                EXPECT_EQ(m->identifier(), s.icmp_id);
                EXPECT_TRUE(m->checksum_ok());
            }
            break;
        case gen::transport::none: break;
        }
    };
    if (s.ipv6) {
        const auto ip = d.get<ipv6::view>();
        ASSERT_TRUE(ip);
        EXPECT_EQ(ip->src(), with_low(s.src_ip6_base, src_ip));
        EXPECT_EQ(ip->dst(), with_low(s.dst_ip6_base, dst_ip));
        EXPECT_EQ(ip->hop_limit(), s.ttl);
        check_l4(ip->src(), ip->dst());
    } else {
        const auto ip = d.get<ipv4::view>();
        ASSERT_TRUE(ip);
        EXPECT_EQ(ip->src(), ipv4_address::from_u32(static_cast<std::uint32_t>(src_ip)));
        EXPECT_EQ(ip->dst(), ipv4_address::from_u32(static_cast<std::uint32_t>(dst_ip)));
        EXPECT_EQ(ip->ident(), static_cast<std::uint16_t>(n));
        EXPECT_EQ(ip->ttl(), s.ttl);
        EXPECT_TRUE(ip->checksum_ok());
        check_l4(ip->src(), ip->dst());
    }
    // The payload: the given bytes repeated, or 00 01 02 ...
    const bytes payload = d.payload();
    for (std::size_t i = 0; i < payload.size(); ++i) {
        const std::byte want = s.payload.empty() ? static_cast<std::byte>(i & 0xff) : s.payload[i % s.payload.size()];
        ASSERT_EQ(payload[i], want) << "payload byte " << i;
    }
}

void check_frames(const gen::frame_spec& spec, std::uint64_t count, std::uint64_t seed = 7) {
    auto g = gen::generator::make(spec, seed);
    ASSERT_TRUE(g);
    for (std::uint64_t n = 0; n < count; ++n) check_frame(*g, n, seed);
    // Past the 16-bit counters and far out.
    for (const std::uint64_t n : {65535ull, 65536ull, 65537ull, 1ull << 32, (1ull << 40) + 12345}) {
        check_frame(*g, n, seed);
    }
}

TEST(Generator, FixedUdpOverIpv4IsFrameZeroWithANewIdentification) {
    // Frame 1 of the default spec next to frame 0: only the IPv4
    // identification and the header checksum differ.
    gen::frame_spec spec;
    spec.frame_len = 60;
    auto g = gen::generator::make(spec);
    ASSERT_TRUE(g);
    std::array<std::byte, 60> f0{};
    std::array<std::byte, 60> f1{};
    ASSERT_TRUE(g->build(0, f0));
    ASSERT_TRUE(g->build(1, f1));
    // After 14 bytes of Ethernet: the identification at 18-19 (0 then 1),
    // the header checksum at 24-25.
    for (std::size_t i = 0; i < f0.size(); ++i) {
        if (i == 19 || i == 24 || i == 25) continue;
        EXPECT_EQ(f0[i], f1[i]) << "byte " << i;
    }
    EXPECT_EQ(f1[19], std::byte{1});
    EXPECT_NE(std::to_integer<int>(f0[24]) << 8 | std::to_integer<int>(f0[25]),
              std::to_integer<int>(f1[24]) << 8 | std::to_integer<int>(f1[25]));
    check_frames(spec, 4);
}

TEST(Generator, WalkedAndRandomRangesOverIpv4) {
    gen::frame_spec spec;
    spec.src_ip = *gen::parse_ipv4_range("10.0.0.0/24");
    spec.dst_ip = *gen::parse_ipv4_range("rand");
    spec.src_port = *gen::parse_port_range("1000-1099");
    spec.dst_port = *gen::parse_port_range("rand");
    spec.vlans = {{.vid = 100, .pcp = 3}, {.vid = 4095, .tpid = ethertype::vlan}};
    spec.payload_len = 333;
    for (const auto l4 : {gen::transport::udp, gen::transport::tcp, gen::transport::icmp_echo, gen::transport::none}) {
        SCOPED_TRACE(static_cast<int>(l4));
        spec.l4 = l4;
        check_frames(spec, 600);
    }
}

TEST(Generator, RangesOverIpv6) {
    gen::frame_spec spec;
    spec.ipv6 = true;
    spec.src_ip = *gen::parse_ipv6_range("2001:db8::1-2001:db8::ff:ffff", spec.src_ip6_base);
    spec.dst_ip = *gen::parse_ipv6_range("rand", spec.dst_ip6_base);
    spec.dst_ip6_base = v6("2001:db8:1::");
    spec.src_port = *gen::parse_port_range("rand");
    spec.payload = {std::byte{0xde}, std::byte{0xad}, std::byte{0xbe}};
    spec.payload_len = 1000;
    for (const auto l4 : {gen::transport::udp, gen::transport::tcp, gen::transport::icmp_echo, gen::transport::none}) {
        SCOPED_TRACE(static_cast<int>(l4));
        spec.l4 = l4;
        check_frames(spec, 600);
    }
}

TEST(Generator, TcpSequenceAdvancesByThePayload) {
    gen::frame_spec spec;
    spec.l4 = gen::transport::tcp;
    spec.tcp_flags = 0x018; // PSH ACK
    spec.tcp_seq = 0xfffff000;
    spec.tcp_ack = 1;
    spec.payload_len = 1460;
    check_frames(spec, 10); // frames 3 and up wrap the sequence space
}

TEST(Generator, EveryUdpChecksumIsValidAndNeverZero) {
    // Every source port once: one of them makes the computed checksum 0,
    // which goes out as 0xffff (RFC 768); the update must get there too.
    gen::frame_spec spec;
    spec.src_port = *gen::parse_port_range("1-65535");
    spec.payload_len = 4;
    auto g = gen::generator::make(spec);
    ASSERT_TRUE(g);
    std::array<std::byte, 64> buf{};
    int all_ones = 0;
    for (std::uint64_t n = 0; n < 65535; ++n) {
        const auto f = g->build(n, buf);
        ASSERT_TRUE(f);
        const auto u = udp::view::checked(f->subspan(34));
        ASSERT_TRUE(u);
        const auto ip = ipv4::view::checked(f->subspan(14));
        ASSERT_TRUE(ip);
        ASSERT_TRUE(ip->checksum_ok()) << n;
        ASSERT_TRUE(u->checksum_ok(ip->src(), ip->dst())) << n;
        ASSERT_NE(u->checksum(), 0) << n;
        all_ones += u->checksum() == 0xffff;
    }
    EXPECT_GE(all_ones, 1);
}

TEST(Generator, RejectsABufferTooSmall) {
    gen::frame_spec spec;
    spec.frame_len = 100;
    auto g = gen::generator::make(spec);
    ASSERT_TRUE(g);
    std::array<std::byte, 99> small{};
    const auto f = g->build(0, small);
    ASSERT_FALSE(f);
    EXPECT_EQ(f.error().code, errc::no_room);
}

} // namespace
