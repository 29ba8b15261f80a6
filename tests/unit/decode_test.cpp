// SPDX-License-Identifier: BSD-3-Clause
#include <rawpkt/build.hpp>
#include <rawpkt/decode.hpp>

#include "support/golden_frames.hpp"
#include "support/hex.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <new>
#include <string>
#include <vector>

using namespace rawpkt;
using namespace rawpkt::test;
using namespace rawpkt::test::frames;

// Counts every heap allocation in this test program, to prove the decoder
// makes none. (g++ cannot see that these replacements pair malloc with free
// throughout the program, and warns where it inlines them.)
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"
#endif
namespace {
std::atomic<std::size_t> allocations{0};
}
void* operator new(std::size_t n) {
    ++allocations;
    if (void* p = std::malloc(n == 0 ? 1 : n)) return p;
    throw std::bad_alloc{};
}
void operator delete(void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }

namespace {

struct expected_layer {
    layer kind;
    std::uint32_t offset;
    std::uint32_t header_len;
    std::uint32_t length;
    std::uint8_t depth = 0;
    std::uint8_t flags = 0;
    std::uint8_t protocol = 0;
};

struct golden {
    const char* name;
    bytes frame;
    link_type link;
    std::vector<expected_layer> layers;
    stop_reason stop;
    std::uint32_t payload_offset;
    std::uint32_t payload_len;
};

// The expected layers follow the dissections in golden_frames.hpp: tshark's
// protocol chain, with offsets and lengths from its field positions.
const std::vector<golden>& goldens() {
    using enum layer;
    constexpr auto T = layer_flag::truncated;
    constexpr auto Q = layer_flag::quoted;
    constexpr auto F = layer_flag::fragment;
    static const std::vector<golden> g = {
        {"eth_ipv4_tcp",
         eth_ipv4_tcp,
         link_type::ethernet,
         {{ethernet, 0, 14, 74}, {ipv4, 14, 20, 60}, {tcp, 34, 40, 40}},
         stop_reason::end,
         74,
         0},
        {"qinq_arp",
         qinq_arp,
         link_type::ethernet,
         {{ethernet, 0, 14, 64}, {vlan, 14, 4, 50}, {vlan, 18, 4, 46}, {arp, 22, 28, 28}},
         stop_reason::end,
         50,
         0},
        {"vlan_mpls_truncated",
         vlan_mpls_truncated,
         link_type::ethernet,
         {{ethernet, 0, 14, 361},
          {vlan, 14, 4, 347},
          {vlan, 18, 4, 343},
          {mpls, 22, 4, 339},
          {ipv4, 26, 20, 335},
          {tcp, 46, 20, 315}},
         stop_reason::end,
         66,
         295},
        {"mpls_pseudowire",
         mpls_pseudowire,
         link_type::ethernet,
         {{ethernet, 0, 14, 144}, {mpls, 14, 4, 130}, {mpls, 18, 4, 126}},
         stop_reason::unsupported,
         22,
         122},
        {"sll_tcp",
         sll_tcp,
         link_type::linux_sll,
         {{sll, 0, 16, 76}, {ipv4, 16, 20, 60}, {tcp, 36, 40, 40}},
         stop_reason::end,
         76,
         0},
        {"sll2_tcp",
         sll2_tcp,
         link_type::linux_sll2,
         {{sll2, 0, 20, 60}, {ipv4, 20, 20, 40}, {tcp, 40, 20, 20}},
         stop_reason::end,
         60,
         0},
        {"null_udp",
         null_udp,
         link_type::null,
         {{null_loopback, 0, 4, 48}, {ipv4, 4, 20, 44}, {udp, 24, 8, 24}},
         stop_reason::end,
         32,
         16},
        {"pppoe_ipv6_udp",
         pppoe_ipv6_udp,
         link_type::ethernet,
         {{ethernet, 0, 14, 166}, {pppoe, 14, 6, 152}, {ppp, 20, 2, 146}, {ipv6, 22, 40, 144}, {udp, 62, 8, 104}},
         stop_reason::end,
         70,
         96},
        {"ipv6_first_fragment",
         ipv6_first_fragment,
         link_type::ethernet,
         {{ethernet, 0, 14, 182}, {ipv6, 14, 40, 168}, {ipv6_extension, 54, 8, 128, 0, F, 44}, {udp, 62, 8, 120, 0, T}},
         stop_reason::end,
         70,
         112},
        {"ipv6_last_fragment",
         ipv6_last_fragment,
         link_type::ethernet,
         {{ethernet, 0, 14, 83}, {ipv6, 14, 40, 69}, {ipv6_extension, 54, 8, 29, 0, F, 44}},
         stop_reason::fragment,
         62,
         21},
        {"gre_ppp_lcp",
         gre_ppp_lcp,
         link_type::ethernet,
         {{ethernet, 0, 14, 60}, {ipv4, 14, 20, 46}, {gre, 34, 12, 26}, {ppp, 46, 4, 14, 1}},
         stop_reason::unsupported,
         50,
         10},
        {"vxlan_icmp",
         vxlan_icmp,
         link_type::ethernet,
         {{ethernet, 0, 14, 148},
          {ipv4, 14, 20, 134},
          {udp, 34, 8, 114},
          {vxlan, 42, 8, 106},
          {ethernet, 50, 14, 98, 1},
          {ipv4, 64, 20, 84, 1},
          {icmpv4, 84, 8, 64, 1}},
         stop_reason::end,
         92,
         56},
        {"geneve_tcp",
         geneve_tcp,
         link_type::ethernet,
         {{ethernet, 0, 14, 124},
          {ipv4, 14, 20, 110},
          {udp, 34, 8, 90},
          {geneve, 42, 8, 82},
          {ethernet, 50, 14, 74, 1},
          {ipv4, 64, 20, 60, 1},
          {tcp, 84, 40, 40, 1}},
         stop_reason::end,
         124,
         0},
        {"gtpu_icmp",
         gtpu_icmp,
         link_type::ethernet,
         {{ethernet, 0, 14, 138},
          {ipv4, 14, 20, 124},
          {udp, 34, 8, 104},
          {gtpu, 42, 12, 96},
          {ipv4, 54, 20, 84, 1},
          {icmpv4, 74, 8, 64, 1}},
         stop_reason::end,
         82,
         56},
        {"ipv4_ipv6_tcp",
         ipv4_ipv6_tcp,
         link_type::ethernet,
         {{ethernet, 0, 14, 124}, {ipv4, 14, 20, 110}, {ipv6, 34, 40, 90, 1}, {tcp, 74, 20, 50, 1}},
         stop_reason::end,
         94,
         30},
        // The quoted TCP header is cut after 8 bytes: decoding ends there.
        {"icmp_quoting_tcp",
         icmp_quoting_tcp,
         link_type::ethernet,
         {{ethernet, 0, 14, 70}, {ipv4, 14, 20, 56}, {icmpv4, 34, 8, 36}, {ipv4, 42, 20, 28, 0, Q}},
         stop_reason::end,
         62,
         8},
        {"icmpv6_hop_by_hop",
         icmpv6_hop_by_hop,
         link_type::ethernet,
         {{ethernet, 0, 14, 90}, {ipv6, 14, 40, 76}, {ipv6_extension, 54, 8, 36, 0, 0, 0}, {icmpv6, 62, 8, 28}},
         stop_reason::end,
         70,
         20},
        {"raw_ipv4_udp", raw_ipv4_udp, link_type::raw, {{ipv4, 0, 20, 63}, {udp, 20, 8, 43}}, stop_reason::end, 28, 35},
        // 802.3 length 38: the LLC PDU ends before the 8 bytes of padding.
        {"llc_stp",
         llc_stp,
         link_type::ethernet,
         {{ethernet, 0, 14, 52}, {llc, 14, 3, 38}},
         stop_reason::unsupported,
         17,
         35},
        {"vlan_first_fragment_udp",
         vlan_first_fragment_udp,
         link_type::ethernet,
         {{ethernet, 0, 14, 60}, {vlan, 14, 4, 46}, {ipv4, 18, 20, 28, 0, F}, {udp, 38, 8, 8, 0, T}},
         stop_reason::end,
         46,
         0},
        {"ppp_ipv4_udp",
         ppp_ipv4_udp,
         link_type::ppp,
         {{ppp, 0, 4, 74}, {ipv4, 4, 20, 70}, {udp, 24, 8, 50}},
         stop_reason::end,
         32,
         42},
        {"mpls_in_udp",
         mpls_in_udp,
         link_type::ethernet,
         {{ethernet, 0, 14, 130},
          {ipv4, 14, 20, 116},
          {udp, 34, 8, 96},
          {mpls, 42, 4, 88},
          {ipv4, 46, 20, 84, 1},
          {icmpv4, 66, 8, 64, 1}},
         stop_reason::end,
         74,
         56},
    };
    return g;
}

std::string describe(const decoded& d) {
    std::string s = std::string("stop=") + to_string(d.stop()) + " error=" + to_string(d.error()) + "\n";
    for (const auto& l : d.layers()) {
        s += std::string("  ") + to_string(l.kind) + " @" + std::to_string(l.offset) +
             " hl=" + std::to_string(l.header_len) + " len=" + std::to_string(l.length) +
             " depth=" + std::to_string(l.depth) + " flags=" + std::to_string(l.flags) + "\n";
    }
    return s;
}

void expect_layers(const decoded& d, const golden& g) {
    ASSERT_EQ(d.size(), g.layers.size()) << g.name << "\n" << describe(d);
    for (std::size_t i = 0; i < g.layers.size(); ++i) {
        const auto& e = g.layers[i];
        const layer_info want{e.kind, e.protocol, e.depth, e.flags, e.offset, e.header_len, e.length};
        EXPECT_EQ(d[i], want) << g.name << " layer " << i << "\n" << describe(d);
    }
    EXPECT_EQ(d.stop(), g.stop) << g.name;
    EXPECT_EQ(d.payload_offset(), g.payload_offset) << g.name;
    EXPECT_EQ(d.payload().size(), g.payload_len) << g.name;
}

TEST(Decode, GoldenFramesStrict) {
    for (const auto& g : goldens()) {
        decoded d;
        const auto s = decode(g.frame, g.link, d);
        EXPECT_TRUE(s) << g.name << ": " << to_string(s.error());
        expect_layers(d, g);
        EXPECT_EQ(d.frame().data(), g.frame.data());
        EXPECT_EQ(d.link(), g.link);
    }
}

TEST(Decode, GoldenFramesLaxAgree) {
    for (const auto& g : goldens()) {
        decoded d;
        EXPECT_TRUE(decode(g.frame, g.link, d, {.mode = decode_mode::lax})) << g.name;
        expect_layers(d, g);
    }
}

TEST(Decode, NoHeapAllocation) {
    decoded d;
    const std::size_t before = allocations.load();
    for (int round = 0; round < 10; ++round) {
        for (const auto& g : goldens()) {
            for (std::size_t n = 0; n <= g.frame.size(); ++n) {
                (void)decode(g.frame.first(n), g.link, d);
                (void)decode(g.frame.first(n), g.link, d, {.mode = decode_mode::lax});
            }
        }
    }
    EXPECT_EQ(allocations.load(), before);
}

// The straight-line path for common frames and the general loop agree on
// every golden frame, every truncation of it, and every single-byte change
// to the frames the fast path takes.
TEST(Decode, FastPathAgreesWithTheGeneralLoop) {
    const auto same = [](bytes frame, link_type link, const char* what, std::size_t at) {
        decoded fast;
        decoded slow;
        const auto a = decode(frame, link, fast);
        const auto b = decode(frame, link, slow, {.fast_path = false});
        ASSERT_EQ(a.has_value(), b.has_value()) << what << " @" << at;
        if (!a) {
            EXPECT_EQ(a.error(), b.error()) << what << " @" << at;
        }
        ASSERT_EQ(fast.size(), slow.size()) << what << " @" << at << "\n" << describe(fast) << describe(slow);
        for (std::size_t i = 0; i < fast.size(); ++i) EXPECT_EQ(fast[i], slow[i]) << what << " @" << at;
        EXPECT_EQ(fast.stop(), slow.stop()) << what << " @" << at;
        EXPECT_EQ(fast.error(), slow.error()) << what << " @" << at;
        EXPECT_EQ(fast.payload_offset(), slow.payload_offset()) << what << " @" << at;
        EXPECT_EQ(fast.payload().size(), slow.payload().size()) << what << " @" << at;
        EXPECT_EQ(fast.truncated(), slow.truncated()) << what << " @" << at;
        EXPECT_EQ(fast.is_fragment(), slow.is_fragment()) << what << " @" << at;
    };
    for (const auto& g : goldens()) {
        for (std::size_t n = 0; n <= g.frame.size(); ++n) same(g.frame.first(n), g.link, g.name, n);
    }
    for (const bytes base :
         {bytes{eth_ipv4_tcp}, bytes{pppoe_ipv6_udp}, bytes{vlan_first_fragment_udp}, bytes{ipv4_ipv6_tcp}}) {
        std::vector<std::byte> f(base.begin(), base.end());
        for (std::size_t i = 0; i < std::min<std::size_t>(f.size(), 80); ++i) {
            const std::byte keep = f[i];
            for (const unsigned v : {0x00u, 0x01u, 0x06u, 0x11u, 0x40u, 0x45u, 0x60u, 0x81u, 0xffu}) {
                f[i] = static_cast<std::byte>(v);
                same(f, link_type::ethernet, "mutated", i);
            }
            f[i] = keep;
        }
    }
}

TEST(Decode, UnsupportedProtocolsAreNamed) {
    decoded d;
    ASSERT_TRUE(decode(llc_stp, link_type::ethernet, d));
    EXPECT_EQ(d.stop(), stop_reason::unsupported);
    // Spanning tree's SAP, 0x42, after a 3-byte LLC header at 14.
    EXPECT_EQ(d.error(), error::invalid(layer::llc, errc::unsupported, length_source::none, 17, 0, 0x42));

    ASSERT_TRUE(decode(gre_ppp_lcp, link_type::ethernet, d));
    EXPECT_EQ(d.error(), error::invalid(layer::ppp, errc::unsupported, length_source::none, 50, 0, 0xc021));

    // A pseudowire control word (first nibble 0) after the label stack.
    ASSERT_TRUE(decode(mpls_pseudowire, link_type::ethernet, d));
    EXPECT_EQ(d.error(), error::invalid(layer::mpls, errc::unsupported, length_source::none, 22, 0, 0));

    // A link type rawpkt does not decode.
    ASSERT_TRUE(decode(eth_ipv4_tcp, static_cast<link_type>(147), d));
    EXPECT_EQ(d.stop(), stop_reason::unsupported);
    EXPECT_TRUE(d.empty());
    EXPECT_EQ(d.error(), error::invalid(layer::none, errc::unsupported, length_source::none, 0, 0, 147));
    EXPECT_EQ(d.payload().size(), eth_ipv4_tcp.size());
}

TEST(Decode, ViewsOverDecodedLayers) {
    decoded d;
    ASSERT_TRUE(decode(geneve_tcp, link_type::ethernet, d));
    // The outer UDP and the inner TCP.
    const auto u = d.get<udp::view>();
    ASSERT_TRUE(u);
    EXPECT_EQ(u->dst_port(), port::geneve);
    const auto t = d.get<tcp::view>();
    ASSERT_TRUE(t);
    EXPECT_EQ(t->src_port(), 51225);
    EXPECT_EQ(t->dst_port(), 22);
    EXPECT_TRUE(t->syn());
    // Outermost first; nth picks the inner Ethernet header.
    ASSERT_TRUE(d.get<ethernet::view>(1));
    EXPECT_EQ(d.find(layer::ethernet, 1)->depth, 1);
    EXPECT_EQ(d.find_last(layer::ipv4), d.find(layer::ipv4, 1));
    EXPECT_FALSE(d.get<ipv6::view>());
    EXPECT_EQ(d.find(layer::ipv4, 2), nullptr);
    // The inner IPv4 checksum verifies through the view.
    EXPECT_TRUE(d.get<ipv4::view>(1)->checksum_ok());
    EXPECT_TRUE(t->checksum_ok(d.get<ipv4::view>(1)->src(), d.get<ipv4::view>(1)->dst()));
}

TEST(Decode, NullLoopbackViewKeepsItsLinkType) {
    decoded d;
    ASSERT_TRUE(decode(null_udp, link_type::null, d));
    const auto v = d.get<null_loopback::view>();
    ASSERT_TRUE(v);
    EXPECT_EQ(v->link(), link_type::null);
    EXPECT_EQ(v->family(), null_loopback::af::inet);
}

TEST(Decode, LaterIpv4FragmentIsNotParsedAsTransport) {
    // vlan_first_fragment_udp with the fragment offset set to 1480 bytes
    // (and the header checksum left stale: the decoder does not check it).
    auto frame = copy_of(vlan_first_fragment_udp);
    frame[18 + 6] = std::byte{0x20 | (185 >> 8)};
    frame[18 + 7] = std::byte{185 & 0xff};
    decoded d;
    ASSERT_TRUE(decode(frame, link_type::ethernet, d));
    EXPECT_EQ(d.stop(), stop_reason::fragment);
    EXPECT_TRUE(d.is_fragment());
    ASSERT_EQ(d.size(), 3u);
    EXPECT_EQ(d[2].kind, layer::ipv4);
    EXPECT_EQ(d.payload_offset(), 38u);
    EXPECT_EQ(d.payload().size(), 8u);
}

TEST(Decode, StrictRejectsWhatLaxKeeps) {
    // The IPv4 total length says 335 bytes; cut the frame inside the TCP
    // payload.
    const bytes cut = bytes{vlan_mpls_truncated}.first(100);
    decoded d;
    const auto s = decode(cut, link_type::ethernet, d);
    ASSERT_FALSE(s);
    EXPECT_EQ(s.error(), error::truncated(layer::ipv4, length_source::total_length, 26, 335, 74));
    EXPECT_EQ(d.stop(), stop_reason::error);
    EXPECT_EQ(d.error(), s.error());
    EXPECT_EQ(d.size(), 4u); // Ethernet, two VLAN tags and the MPLS label survive

    ASSERT_TRUE(decode(cut, link_type::ethernet, d, {.mode = decode_mode::lax}));
    EXPECT_EQ(d.stop(), stop_reason::end);
    EXPECT_TRUE(d.truncated());
    ASSERT_EQ(d.size(), 6u);
    EXPECT_TRUE(d[4].has(layer_flag::truncated));
    EXPECT_EQ(d[4].length, 74u);
    EXPECT_EQ(d[5].kind, layer::tcp);
    EXPECT_EQ(d.payload().size(), 100u - 66u);
}

// Every prefix of every golden frame: strict decoding either succeeds with
// the golden layers (the cut fell in padding or an unbounded payload) or
// fails with a truncation
// naming a golden layer at its own offset; the layers before it are the
// golden ones. Lax decoding keeps the golden layers whose headers are whole.
TEST(Decode, EveryTruncation) {
    for (const auto& g : goldens()) {
        decoded full;
        ASSERT_TRUE(decode(g.frame, g.link, full));
        for (std::size_t n = 0; n < g.frame.size(); ++n) {
            const bytes cut = g.frame.first(n);
            decoded d;
            const auto s = decode(cut, g.link, d);
            if (s) {
                // Only bytes no length field covers may go (padding, an
                // unbounded payload): every golden header is still there.
                EXPECT_GE(n, full.payload_offset()) << g.name << " cut at " << n;
                EXPECT_EQ(d.size(), full.size()) << g.name << " cut at " << n;
            } else {
                const error& e = s.error();
                EXPECT_EQ(e.code, errc::truncated) << g.name << " cut at " << n << ": " << to_string(e);
                EXPECT_LE(e.available, n) << g.name << " cut at " << n;
                // The error is at a golden layer's start and names it, or
                // names the layer before it when that layer's payload is
                // missing entirely (e.g. nothing after an MPLS label stack).
                const auto at = std::find_if(full.layers().begin(), full.layers().end(),
                                             [&](const layer_info& l) { return l.offset == e.offset; });
                const std::size_t i = static_cast<std::size_t>(at - full.layers().begin());
                const bool names_layer = at != full.layers().end() && at->kind == e.layer;
                const bool names_outer = (i > 0 && i <= full.size() && full[i - 1].kind == e.layer) ||
                                         (at == full.layers().end() && e.offset == full.payload_offset() &&
                                          full[full.size() - 1].kind == e.layer);
                EXPECT_TRUE(names_layer || names_outer) << g.name << " cut at " << n << ": " << to_string(e);
                EXPECT_EQ(e.available, n - e.offset) << g.name << " cut at " << n;
            }
            for (std::size_t i = 0; i < d.size(); ++i) {
                EXPECT_EQ(d[i].kind, full[i].kind) << g.name << " cut at " << n;
                EXPECT_EQ(d[i].offset, full[i].offset) << g.name << " cut at " << n;
            }

            decoded lax;
            (void)decode(cut, g.link, lax, {.mode = decode_mode::lax});
            for (std::size_t i = 0; i < lax.size(); ++i) {
                ASSERT_LT(i, full.size());
                EXPECT_EQ(lax[i].kind, full[i].kind) << g.name << " lax cut at " << n;
                EXPECT_EQ(lax[i].offset, full[i].offset) << g.name << " lax cut at " << n;
                EXPECT_EQ(lax[i].header_len, full[i].header_len) << g.name << " lax cut at " << n;
                EXPECT_LE(lax[i].offset + lax[i].length, n) << g.name << " lax cut at " << n;
            }
            // Lax mode keeps every golden layer whose header fits.
            std::size_t whole = 0;
            while (whole < full.size() && full[whole].offset + full[whole].header_len <= n) ++whole;
            EXPECT_GE(lax.size(), whole == 0 ? 0 : whole - 1) << g.name << " lax cut at " << n;
        }
    }
}

TEST(Decode, ErrorsAreRebasedOntoTheFrame) {
    // An IPv4 header length below 20 inside a VXLAN tunnel.
    auto frame = copy_of(vxlan_icmp);
    frame[64] = std::byte{0x44};
    decoded d;
    const auto s = decode(frame, link_type::ethernet, d);
    ASSERT_FALSE(s);
    EXPECT_EQ(s.error(), error::invalid(layer::ipv4, errc::length_too_small, length_source::header_length, 64, 20, 16));
    EXPECT_EQ(d.size(), 5u);
    // Lax mode stops at the same broken header.
    const auto l = decode(frame, link_type::ethernet, d, {.mode = decode_mode::lax});
    EXPECT_EQ(l.error(), s.error());
    EXPECT_EQ(d.stop(), stop_reason::error);
}

TEST(Decode, TunnelDepthIsBounded) {
    // IPv4 in IPv4, nine times over: one more than the default depth.
    constexpr std::size_t levels = 10;
    std::vector<std::byte> frame(levels * 20, std::byte{0});
    for (std::size_t i = 0; i < levels; ++i) {
        auto v = ipv4::mut_view::unchecked(mut_bytes{frame}.subspan(i * 20));
        v.set_version(4);
        v.set_header_len(20);
        v.set_total_len(static_cast<std::uint16_t>((levels - i) * 20));
        v.set_protocol(i + 1 < levels ? ip_proto::ipip : ip_proto::ipv6_nonxt);
    }
    decoded d;
    const auto s = decode(frame, link_type::ipv4, d);
    ASSERT_FALSE(s);
    EXPECT_EQ(s.error(), error::invalid(layer::none, errc::too_many, length_source::none, 180, 8, 9));
    EXPECT_EQ(d.size(), 9u);
    // A larger limit takes it all.
    ASSERT_TRUE(decode(frame, link_type::ipv4, d, {.max_depth = 9}));
    EXPECT_EQ(d.size(), levels);
    EXPECT_EQ(d.stop(), stop_reason::unsupported); // protocol 59 after IPv4
}

TEST(Decode, LayerCountIsBounded) {
    // 40 stacked 802.1Q tags.
    std::vector<std::byte> frame(14 + 40 * 4 + 20, std::byte{0});
    store_be<std::uint16_t>(frame, 12, 0x8100);
    for (std::size_t i = 0; i < 40; ++i) store_be<std::uint16_t>(frame, 14 + i * 4 + 2, 0x8100);
    decoded d;
    const auto s = decode(frame, link_type::ethernet, d);
    ASSERT_FALSE(s);
    EXPECT_EQ(s.error(), error::invalid(layer::none, errc::too_many, length_source::none, 14 + 31 * 4,
                                        decoded::max_layers, decoded::max_layers + 1));
    EXPECT_EQ(d.size(), decoded::max_layers);
}

TEST(Decode, IcmpQuotesCanBeSkipped) {
    decoded d;
    ASSERT_TRUE(decode(icmp_quoting_tcp, link_type::ethernet, d, {.icmp_quotes = false}));
    EXPECT_EQ(d.size(), 3u);
    EXPECT_EQ(d.payload_offset(), 42u);
}

TEST(Decode, UdpTunnelsCanBeSkipped) {
    decoded d;
    ASSERT_TRUE(decode(vxlan_icmp, link_type::ethernet, d, {.udp_tunnels = false}));
    EXPECT_EQ(d.size(), 3u);
    EXPECT_EQ(d.payload_offset(), 42u);
}

std::vector<std::byte> hex_frame(std::string_view hex) {
    std::vector<std::byte> out;
    int hi = -1;
    for (const char c : hex) {
        const int v = hex_nibble(c);
        if (v < 0) continue;
        if (hi < 0) {
            hi = v;
        } else {
            out.push_back(static_cast<std::byte>(hi * 16 + v));
            hi = -1;
        }
    }
    return out;
}

TEST(Decode, ShortIcmpv6MessageIsTruncatedNotOverread) {
    // IPv6 payload of 4 bytes: an ICMPv6 type, code and checksum, nothing
    // more (RFC 4443 §2.1 needs 8). Both an "error" type (0) and another.
    for (const char* icmp : {"00000000", "c8000000"}) {
        const auto f = hex_frame(std::string("020000000002 020000000001 86dd 60000000 0004 3a 40"
                                             "20010db8000000000000000000000001 20010db8000000000000000000000002") +
                                 icmp);
        for (const auto mode : {decode_mode::strict, decode_mode::lax}) {
            decoded d;
            const auto s = decode(f, link_type::ethernet, d, {.mode = mode});
            ASSERT_FALSE(s) << icmp;
            // The view itself refuses it, for every type (the 8-byte header).
            EXPECT_EQ(s.error(), error::truncated(layer::icmpv6, length_source::fixed_header, 54, 8, 4)) << icmp;
            EXPECT_LE(d.payload_offset() + d.payload().size(), f.size());
            for (const auto& l : d.layers()) EXPECT_LE(std::size_t{l.offset} + l.length, f.size());
        }
    }
}

TEST(Decode, LayerLimitHoldsWhenOneStepRecordsTwoLayers) {
    // 30 802.1Q tags, then LLC + SNAP (two layers in one step) reaching the
    // limit, then an MPLS stack that must not be written past it.
    std::string hex = "020000000002 020000000001 8100";
    for (int i = 0; i < 29; ++i) hex += " 0001 8100";
    hex += " 0001 0010 aaaa03 000000 8847 00001000 00001000 00001100 45";
    const auto f = hex_frame(hex);
    decoded d;
    const auto s = decode(f, link_type::ethernet, d);
    ASSERT_FALSE(s);
    EXPECT_EQ(s.error().code, errc::too_many);
    EXPECT_EQ(d.size(), decoded::max_layers);
}

TEST(Decode, HopByHopOnlyRightAfterTheIpv6Header) {
    // IPv6 -> destination options -> hop-by-hop (RFC 8200 §4.3 forbids it).
    const auto f = hex_frame("60000000 0010 3c 40 20010db8000000000000000000000001 20010db8000000000000000000000002"
                             "00 00 01 04 00000000"   // destination options, next: hop-by-hop
                             "3b 00 01 04 00000000"); // hop-by-hop, next: no next header
    decoded d;
    const auto s = decode(f, link_type::ipv6, d);
    ASSERT_FALSE(s);
    EXPECT_EQ(s.error().layer, layer::ipv6_extension);
    EXPECT_EQ(s.error().code, errc::bad_value);
    EXPECT_EQ(s.error().offset, 48u);
}

TEST(Decode, PptpAcknowledgementWithoutPayload) {
    // Enhanced GRE (RFC 2637 §4.1) carrying only an acknowledgement number.
    const auto f = hex_frame("0009e955c01c 001400000200 0800 4500002018d70000402f39d6 1400000214000001"
                             "2081880b 00000018 00000006");
    decoded d;
    ASSERT_TRUE(decode(f, link_type::ethernet, d));
    EXPECT_EQ(d.stop(), stop_reason::end);
    ASSERT_EQ(d.size(), 3u);
    EXPECT_EQ(d[2].kind, layer::gre);
    EXPECT_TRUE(d.payload().empty());
}

TEST(Decode, TunnelPortsNeedTunnelPayloads) {
    // UDP to port 6081 carrying text, not Geneve: plain data, not an error.
    std::array<std::byte, 128> buf{};
    const auto hello = make_bytes('h', 'e', 'l', 'l', 'o', ' ', 'w', 'o', 'r', 'l', 'd', '!');
    for (const std::uint16_t p : {port::geneve, port::gtpu, port::vxlan, port::teredo}) {
        const auto f = builder{buf}
                           .payload(bytes{hello}.first(p == port::vxlan ? 5 : 12))
                           .udp({.src_port = 40000, .dst_port = p})
                           .ipv4({.src = ipv4_address{{10, 0, 0, 1}}, .dst = ipv4_address{{10, 0, 0, 2}}})
                           .finish();
        decoded d;
        ASSERT_TRUE(decode(*f, link_type::ipv4, d)) << p;
        EXPECT_EQ(d.stop(), stop_reason::end) << p;
        EXPECT_EQ(d.size(), 2u) << p;
    }
}

TEST(Decode, UnsupportedVariantsStopWithoutError) {
    // GRE with the routing bit set (RFC 1701; deprecated by RFC 2784).
    const auto f = hex_frame("45000026 0000 0000 402f 0000 0a000001 0a000002"
                             "c000 0800 0000 0000 00000000 00000000 4500");
    decoded d;
    const auto s = decode(f, link_type::ipv4, d);
    EXPECT_TRUE(s);
    EXPECT_EQ(d.stop(), stop_reason::unsupported);
    EXPECT_EQ(d.error().layer, layer::gre);
    EXPECT_EQ(d.error().code, errc::unsupported);
}

TEST(Decode, SnapWithBridgeTunnelOui) {
    // 802.3 + LLC/SNAP with OUI 00-00-f8 (IEEE 802.1H) carrying IPv4.
    std::array<std::byte, 128> buf{};
    auto ip = builder{buf}
                  .payload(make_bytes(1, 2, 3))
                  .udp({.src_port = 1, .dst_port = 2})
                  .ipv4({.src = ipv4_address{{10, 0, 0, 1}}, .dst = ipv4_address{{10, 0, 0, 2}}})
                  .finish();
    std::vector<std::byte> f = hex_frame("020000000002 020000000001 0027 aaaa03 0000f8 0800");
    store_be<std::uint16_t>(f, 12, static_cast<std::uint16_t>(8 + ip->size()));
    f.insert(f.end(), ip->begin(), ip->end());
    decoded d;
    ASSERT_TRUE(decode(f, link_type::ethernet, d));
    EXPECT_EQ(d.size(), 5u);
    EXPECT_EQ(d[4].kind, layer::udp);
}

TEST(Decode, IcmpQuoteEndsBeforeTheExtension) {
    // Time exceeded whose RFC 4884 length attribute (8 words) bounds the
    // quote to 32 bytes, followed by a 12-byte extension structure.
    std::vector<std::byte> f = hex_frame("45000048 0000 0000 4001 0000 0a000001 0a000002" // IPv4, 72 bytes
                                         "0b00 0000 00 08 0000"                           // ICMP, length 8 words
                                         "4500003c 0000 0000 4011 0000 0a000002 0a000003" // quoted IPv4
                                         "04d2 0035 0028 0000 00000000"                   // quoted UDP + 4 bytes
                                         "2000 0000 0008 0101 00000000");                 // extension
    ASSERT_EQ(f.size(), 72u);
    decoded d;
    ASSERT_TRUE(decode(f, link_type::ipv4, d, {.mode = decode_mode::lax}));
    const layer_info* quoted_udp = d.find(layer::udp);
    ASSERT_NE(quoted_udp, nullptr);
    EXPECT_TRUE(quoted_udp->has(layer_flag::quoted));
    // The quoted datagram ends with the quote, before the extension at 60.
    EXPECT_EQ(quoted_udp->offset + quoted_udp->length, 60u);
    EXPECT_EQ(d.payload_offset() + d.payload().size(), 60u);
}

// The decoder runs in constant expressions too.
constexpr bool decodes_at_compile_time() {
    decoded d;
    return decode(eth_ipv4_tcp, link_type::ethernet, d) && d.size() == 3 && d[2].kind == layer::tcp;
}
static_assert(decodes_at_compile_time());

} // namespace
