// SPDX-License-Identifier: BSD-3-Clause
#include <rawpkt/packet/tcp.hpp>

#include "support/hex.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

using namespace rawpkt;
using namespace rawpkt::test;

namespace {

// tcpdump__tcp-handshake-nano.pcap frame 1 (Linux cooked capture), from the
// TCP header on; IPv4 131.155.215.69 -> 137.116.81.94.
// Transmission Control Protocol, Src Port: 46656, Dst Port: 80, Seq: 0, Len: 0
//     Sequence Number (raw): 797190859
//     Acknowledgment number (raw): 0
//     1010 .... = Header Length: 40 bytes (10)
//     Flags: 0x002 (SYN)
//     Window: 27200
//     Checksum: 0x50c4 [correct]
//     Urgent Pointer: 0
//     Options: (20 bytes), Maximum segment size, SACK permitted, Timestamps,
//              No-Operation (NOP), Window scale
//         TCP Option - Maximum segment size: 1360 bytes
//         TCP Option - SACK permitted
//         TCP Option - Timestamps: TSval 1131021154, TSecr 0
//         TCP Option - No-Operation (NOP)
//         TCP Option - Window scale: 7 (multiply by 128)
constexpr auto syn = R"(
    b6 40 00 50 2f 84 2a cb 00 00 00 00 a0 02 6a 40
    50 c4 00 00 02 04 05 50 04 02 08 0a 43 6a 03 62
    00 00 00 00 01 03 03 07)"_hex;

// tcpdump__tcp_rst_data.pcap frame 1; IPv4 199.204.31.89 -> 172.16.133.41.
// Transmission Control Protocol, Src Port: 80, Dst Port: 52875, Seq: 1, Ack: 1, Len: 58
//     Sequence Number (raw): 1617159969
//     Acknowledgment number (raw): 1936660873
//     0101 .... = Header Length: 20 bytes (5)
//     Flags: 0x014 (RST, ACK)
//     Window: 5785
//     Checksum: 0x8471 [correct]
//     Urgent Pointer: 0
//     TCP payload (58 bytes): "BIG-IP: [0x11c5672:3045] {peer} TCP RST from remote system"
constexpr auto rst_with_data = R"(
    00 50 ce 8b 60 63 e7 21 73 6f 19 89 50 14 16 99
    84 71 00 00 42 49 47 2d 49 50 3a 20 5b 30 78 31
    31 63 35 36 37 32 3a 33 30 34 35 5d 20 7b 70 65
    65 72 7d 20 54 43 50 20 52 53 54 20 66 72 6f 6d
    20 72 65 6d 6f 74 65 20 73 79 73 74 65 6d)"_hex;

// pcapplusplus__TcpPacketWithOptions.pcap frame 1 (835 bytes, an odd
// length); IPv4 10.0.0.6 -> 212.199.202.9.
// Transmission Control Protocol, Src Port: 44147, Dst Port: 80, Seq: 1, Ack: 1, Len: 803
//     Sequence Number (raw): 777047406
//     Acknowledgment number (raw): 3761117865
//     1000 .... = Header Length: 32 bytes (8)
//     Flags: 0x018 (PSH, ACK)
//     Window: 913
//     Checksum: 0xac20 incorrect, should be 0x5f77 (maybe caused by "TCP checksum offload"?)
//     Options: (12 bytes), No-Operation (NOP), No-Operation (NOP), Timestamps
//         TCP Option - Timestamps: TSval 195102, TSecr 3555729271
//     TCP payload (803 bytes): "GET / HTTP/1.1\r\n..."
constexpr auto with_options = R"(
    ac 73 00 50 2e 50 cd 6e e0 2e 1a a9 80 18 03 91
    ac 20 00 00 01 01 08 0a 00 02 fa 1e d3 f0 1f 77
    47 45 54 20 2f 20 48 54 54 50 2f 31 2e 31 0d 0a
    48 6f 73 74 3a 20 77 77 77 2e 79 6e 65 74 2e 63
    6f 2e 69 6c 0d 0a 55 73 65 72 2d 41 67 65 6e 74
    3a 20 4d 6f 7a 69 6c 6c 61 2f 35 2e 30 20 28 58
    31 31 3b 20 55 62 75 6e 74 75 3b 20 4c 69 6e 75
    78 20 69 36 38 36 3b 20 72 76 3a 32 30 2e 30 29
    20 47 65 63 6b 6f 2f 32 30 31 30 30 31 30 31 20
    46 69 72 65 66 6f 78 2f 32 30 2e 30 0d 0a 41 63
    63 65 70 74 3a 20 74 65 78 74 2f 68 74 6d 6c 2c
    61 70 70 6c 69 63 61 74 69 6f 6e 2f 78 68 74 6d
    6c 2b 78 6d 6c 2c 61 70 70 6c 69 63 61 74 69 6f
    6e 2f 78 6d 6c 3b 71 3d 30 2e 39 2c 2a 2f 2a 3b
    71 3d 30 2e 38 0d 0a 41 63 63 65 70 74 2d 4c 61
    6e 67 75 61 67 65 3a 20 65 6e 2d 55 53 2c 65 6e
    3b 71 3d 30 2e 35 0d 0a 41 63 63 65 70 74 2d 45
    6e 63 6f 64 69 6e 67 3a 20 67 7a 69 70 2c 20 64
    65 66 6c 61 74 65 0d 0a 43 6f 6f 6b 69 65 3a 20
    5f 5f 75 74 6d 61 3d 31 2e 31 36 34 34 37 31 36
    38 33 34 2e 31 33 36 35 36 32 32 31 38 32 2e 31
    33 36 35 36 32 32 31 38 32 2e 31 33 36 35 36 32
    32 31 38 32 2e 31 3b 20 5f 5f 75 74 6d 7a 3d 31
    2e 31 33 36 35 36 32 32 31 38 32 2e 31 2e 31 2e
    75 74 6d 63 73 72 3d 28 64 69 72 65 63 74 29 7c
    75 74 6d 63 63 6e 3d 28 64 69 72 65 63 74 29 7c
    75 74 6d 63 6d 64 3d 28 6e 6f 6e 65 29 3b 20 64
    63 73 79 6e 63 79 6e 74 3d 74 72 75 65 3b 20 74
    6d 63 79 6e 74 3d 30 30 30 30 30 30 30 30 30 30
    30 30 30 30 30 30 30 30 30 30 30 30 30 30 30 30
    30 30 31 30 3b 20 5f 64 79 69 64 3d 32 36 38 34
    30 34 36 37 38 3b 20 5f 64 79 75 73 5f 38 37 36
    35 32 33 35 3d 33 25 37 43 30 25 37 43 31 25 37
    43 31 25 37 43 30 25 37 43 30 2e 30 2e 31 33 36
    35 36 32 32 31 38 36 31 36 32 2e 31 33 36 35 36
    32 32 32 36 30 33 31 34 2e 37 34 2e 30 25 37 43
    39 39 25 37 43 31 35 25 37 43 33 25 37 43 31 31
    33 25 37 43 32 25 37 43 30 25 37 43 30 25 37 43
    30 25 37 43 30 25 37 43 30 25 37 43 30 25 37 43
    32 25 37 43 30 25 37 43 30 25 37 43 30 25 37 43
    30 25 37 43 30 25 37 43 32 25 37 43 30 25 37 43
    30 25 37 43 30 25 37 43 30 25 37 43 30 3b 20 5f
    64 79 63 73 74 3d 74 67 2e 66 72 76 32 2e 66 72
    73 2e 66 2e 77 73 2e 3b 20 5f 63 68 61 72 74 62
    65 61 74 32 3d 36 37 74 66 38 35 69 74 37 65 7a
    63 38 6a 78 37 2e 31 33 36 35 36 32 32 31 38 37
    30 38 31 2e 31 33 36 35 36 32 32 32 36 30 35 35
    30 2e 30 30 30 30 30 30 30 30 30 30 30 30 30 31
    3b 20 5f 64 79 72 69 5f 38 37 36 35 32 33 35 3d
    3b 20 5f 64 79 63 61 62 63 3d 31 33 36 35 36 32
    32 32 36 30 39 37 35 0d 0a 43 6f 6e 6e 65 63 74
    69 6f 6e 3a 20 6b 65 65 70 2d 61 6c 69 76 65 0d
    0a 0d 0a)"_hex;

// pcapplusplus__example.pcap frame 1282; IPv4 10.0.0.6 -> 212.199.202.9.
// Transmission Control Protocol, Src Port: 44153, Dst Port: 80, Seq: 1532, Ack: 88920, Len: 0
//     Sequence Number (raw): 3310066092
//     Acknowledgment number (raw): 3014464592
//     Flags: 0x010 (ACK)
//     Window: 3672
//     Checksum: 0xa909 incorrect, should be 0xd7ec
//     Options: (24 bytes), No-Operation (NOP), No-Operation (NOP), Timestamps,
//              No-Operation (NOP), No-Operation (NOP), SACK
//         TCP Option - Timestamps: TSval 195455, TSecr 3555730648
//         TCP Option - SACK 99704-101052 (raw 3014475376-3014476724)
constexpr auto sack = R"(
    ac 79 00 50 c5 4b 99 ac b3 ad 14 50 b0 10 0e 58
    a9 09 00 00 01 01 08 0a 00 02 fb 7f d3 f0 24 d8
    01 01 05 0a b3 ad 3e 70 b3 ad 43 b4)"_hex;

// tcpdump__mptcp-v1.pcap frame 1 (Linux cooked capture); IPv4 10.0.1.1 -> 10.0.2.1.
// Transmission Control Protocol, Src Port: 33306, Dst Port: 10004, Seq: 0, Len: 0
//     Flags: 0x002 (SYN), Window: 65535, Checksum: 0x1734 incorrect, should be 0x667c
//     Options: (24 bytes), Maximum segment size, SACK permitted, Timestamps,
//              No-Operation (NOP), Window scale, MPTCP
//         TCP Option - Maximum segment size: 1460 bytes
//         TCP Option - Timestamps: TSval 464494241, TSecr 0
//         TCP Option - Window scale: 8 (multiply by 256)
//         Multipath Transmission Control Protocol: Multipath Capable
//             Kind: Multipath TCP (30), Length: 4
//             0000 .... = Multipath TCP subtype: Multipath Capable (0)
//             .... 0001 = Multipath TCP version: 1
//             Multipath TCP flags: 0x01
constexpr auto mptcp_syn = R"(
    82 1a 27 14 81 fb b5 fd 00 00 00 00 b0 02 ff ff
    17 34 00 00 02 04 05 b4 04 02 08 0a 1b af 9e a1
    00 00 00 00 01 03 03 08 1e 04 01 01)"_hex;

// tcpdump__mptcp-v1.pcap frame 16: the 40-byte maximum of options.
// Transmission Control Protocol, Src Port: 33306, Dst Port: 10004, Seq: 10269, Ack: 8193, Len: 0
//     Sequence Number (raw): 2180767258
//     Acknowledgment number (raw): 791423854
//     1111 .... = Header Length: 60 bytes (15)
//     Flags: 0x011 (FIN, ACK)
//     Window: 323
//     Options: (40 bytes), No-Operation (NOP), No-Operation (NOP), Timestamps,
//              MPTCP, No-Operation (NOP), No-Operation (NOP)
//         TCP Option - Timestamps: TSval 464494241, TSecr 3275212179
//         Multipath Transmission Control Protocol: Data Sequence Signal
//             Kind: Multipath TCP (30), Length: 26
//             0010 .... = Multipath TCP subtype: Data Sequence Signal (2)
//             Multipath TCP flags: 0x1f
constexpr auto mptcp_dss = R"(
    82 1a 27 14 81 fb de 1a 2f 2c 2b 6e f0 11 01 43
    17 44 00 00 01 01 08 0a 1b af 9e a1 c3 37 c5 93
    1e 1a 20 1f a2 8e 87 fd dd 1d 50 f2 c8 07 2f b9
    0e da d8 6a 00 00 00 00 00 01 01 01)"_hex;

// tcpdump__tfo-5c1fa7f9ae91.pcap frame 1; IPv4 192.168.0.100 -> 3.3.3.3.
// Transmission Control Protocol, Src Port: 13047, Dst Port: 13054, Seq: 0, Len: 0
//     0110 .... = Header Length: 24 bytes (6)
//     Flags: 0x002 (SYN)
//     Options: (4 bytes), Experimental
//         TCP Option - Experimental: Fast Open
//             Kind: RFC3692-style Experiment 2 (254)
//             Length: 4
//             Experiment Identifier: Fast Open (0xf989)
//             Fast Open Cookie Request
constexpr auto tfo_request = R"(
    32 f7 32 fe 0d 05 af 64 00 00 00 00 60 02 05 78
    b9 66 00 00 fe 04 f9 89)"_hex;

// tcpdump__tfo-5c1fa7f9ae91.pcap frame 13: a SYN carrying a cookie and data;
// IPv4 192.168.0.100 -> 3.3.3.3.
// Transmission Control Protocol, Src Port: 13048, Dst Port: 13054, Seq: 0, Len: 4
//     Sequence Number (raw): 936732547
//     1000 .... = Header Length: 32 bytes (8)
//     Flags: 0x002 (SYN)
//     Window: 1400
//     Checksum: 0x05b4 [correct]
//     Options: (12 bytes), Experimental, No-Operation (NOP), No-Operation (NOP)
//         TCP Option - Experimental: Fast Open
//             Kind: RFC3692-style Experiment 2 (254)
//             Length: 10
//             Experiment Identifier: Fast Open (0xf989)
//             Fast Open Cookie: 090909090000
//     TCP payload (4 bytes): de ad be ef
constexpr auto tfo_data = R"(
    32 f8 32 fe 37 d5 67 83 00 00 00 00 80 02 05 78
    05 b4 00 00 fe 0a f9 89 09 09 09 09 00 00 01 01
    de ad be ef)"_hex;

// tcpdump__accecn_handshake.pcap frame 1; IPv4 31.133.146.248 -> 66.228.43.12.
// Transmission Control Protocol, Src Port: 16433, Dst Port: 80, Seq: 0, Len: 0
//     Sequence Number (raw): 1948076589
//     Flags: 0x1c2 (SYN, ECE, CWR, AE)
//         ...1 .... .... = Accurate ECN: Set
//     Window: 65535
//     Checksum: 0x209c incorrect, should be 0xe443
//     Options: (20 bytes), Maximum segment size, No-Operation (NOP), Window scale,
//              SACK permitted, Timestamps
//         TCP Option - Maximum segment size: 1460 bytes
//         TCP Option - Window scale: 6 (multiply by 64)
//         TCP Option - Timestamps: TSval 112147477, TSecr 0
constexpr auto accecn_syn = R"(
    40 31 00 50 74 1d 4a 2d 00 00 00 00 a1 c2 ff ff
    20 9c 00 00 02 04 05 b4 01 03 03 06 04 02 08 0a
    06 af 3c 15 00 00 00 00)"_hex;

// tcpdump__accecn_handshake.pcap frame 3.
// Transmission Control Protocol, Src Port: 16433, Dst Port: 80, Seq: 1, Ack: 1, Len: 0
//     Flags: 0x090 (ACK, ACE=2)
//     Checksum: 0x20a4 incorrect, should be 0x3b19
//     Options: (28 bytes), No-Operation (NOP), No-Operation (NOP), Timestamps, Experimental,
//              End of Option List (EOL), End of Option List (EOL), End of Option List (EOL)
//         TCP Option - Timestamps: TSval 112147698, TSecr 2783239876
//         TCP Option - Experimental: Accurate ECN - Order 0
//             Kind: RFC3692-style Experiment 2 (254)
//             Length: 13
//             Experiment Identifier: Accurate ECN - Order 0 (0xacc0)
constexpr auto accecn_ack = R"(
    40 31 00 50 74 1d 4a 2e b1 28 b3 94 c0 90 04 03
    20 a4 00 00 01 01 08 0a 06 af 3c f2 a5 e4 de c4
    fe 0d ac c0 00 00 00 ff ff ff ff ff ff 00 00 00)"_hex;

// pcapplusplus__linktype_ipv6.pcap frame 1 (raw IPv6);
// 2001:618:400::5199:cc70 -> 2001:618:1:8000::5.
// Transmission Control Protocol, Src Port: 35995, Dst Port: 80, Seq: 0, Len: 0
//     Flags: 0x002 (SYN), Window: 5680, Checksum: 0x299c [correct]
//     Options: (20 bytes), Maximum segment size, SACK permitted, Timestamps,
//              No-Operation (NOP), Window scale
//         TCP Option - Maximum segment size: 1420 bytes
//         TCP Option - Timestamps: TSval 14490169, TSecr 0
//         TCP Option - Window scale: 2 (multiply by 4)
constexpr auto syn_v6 = R"(
    8c 9b 00 50 6a e7 07 36 00 00 00 00 a0 02 16 30
    29 9c 00 00 02 04 05 8c 04 02 08 0a 00 dd 1a 39
    00 00 00 00 01 03 03 02)"_hex;

// Hostile captures. tcpdump__tcp_header_heapoverflow.pcap frame 1: the
// capture ends 12 bytes into the TCP header.
constexpr auto hostile_short = R"(
    30 30 30 30 30 30 30 30 30 30 30 30)"_hex;
// tcpdump__heapoverflow-tcp_print.pcap frame 1: 30 bytes captured, data
// offset 15 (60 bytes).
// Transmission Control Protocol, Src Port: 12336, Dst Port: 12336
//     1111 .... = Header Length: 60 bytes (15)
//     Flags: 0xd30 (ACK, URG, AE, Reserved)
//         110. .... .... = Reserved: Set
//     Window: 12336, Urgent Pointer: 12336
//     Options: (40 bytes): TCP Option - Unknown, Kind: Unknown (48), Length: 40
constexpr auto hostile_offset = R"(
    30 30 30 30 30 30 30 30 30 30 30 30 fd 30 30 30
    30 30 30 30 30 28 30 30 30 30 30 30 30 30)"_hex;
// pcapplusplus__tcp-malformed.pcap frame 1: the IPv4 total length (40)
// leaves 20 bytes of segment; the data offset says 28.
// Transmission Control Protocol, Src Port: 49671, Dst Port: 25014
//     Short segment. Segment/fragment does not contain a full TCP header
//     0111 .... = Header Length: 28 bytes (7)
//     Flags: 0x010 (ACK)
constexpr auto malformed_offset = R"(
    c2 07 61 b6 57 44 50 5b 4d a4 90 b9 70 10 08 91
    bb e7 e0 0a)"_hex;

constexpr ipv4_address v4(std::uint8_t a, std::uint8_t b, std::uint8_t c, std::uint8_t d) { return {{a, b, c, d}}; }
constexpr ipv6_address v6(std::string_view s) {
    ipv6_address a;
    return ipv6_address::parse(s, a) ? a : ipv6_address{};
}

constexpr ipv4_address syn_src = v4(131, 155, 215, 69), syn_dst = v4(137, 116, 81, 94);
constexpr ipv4_address rst_src = v4(199, 204, 31, 89), rst_dst = v4(172, 16, 133, 41);
constexpr ipv4_address tfo_src = v4(192, 168, 0, 100), tfo_dst = v4(3, 3, 3, 3);
constexpr ipv4_address ynet_src = v4(10, 0, 0, 6), ynet_dst = v4(212, 199, 202, 9);
constexpr ipv4_address accecn_src = v4(31, 133, 146, 248), accecn_dst = v4(66, 228, 43, 12);
constexpr ipv6_address syn_v6_src = v6("2001:618:400::5199:cc70"), syn_v6_dst = v6("2001:618:1:8000::5");

std::vector<tcp::option> all_options(const tcp::view& v) {
    std::vector<tcp::option> out;
    for (const auto& o : v.options()) {
        EXPECT_TRUE(o) << to_string(o.error());
        if (!o) break;
        out.push_back(*o);
    }
    return out;
}

// Accessors are usable in constant expressions.
static_assert(tcp::view::checked(syn).has_value());
static_assert(tcp::view::checked(syn)->header_len() == 40);
static_assert(tcp::view::checked(syn)->src_port() == 46656);
static_assert(tcp::view::checked(syn)->flags() == tcp::flag::syn);
static_assert(tcp::view::checked(syn)->checksum_ok(syn_src, syn_dst));
static_assert(tcp::view::checked(syn_v6)->checksum_ok(syn_v6_src, syn_v6_dst));
static_assert(tcp::view::checked(bytes{syn}.first(19)).error().code == errc::truncated);
static_assert(tcp::view::checked(syn)->options().validate().has_value());
static_assert(tcp::view::checked(syn)->options().begin()->value().mss() == 1360);
static_assert([] {
    tcp::repr r;
    tcp::options_writer w{r};
    w.mss(1360).sack_permitted().timestamps(1131021154, 0).window_scale(7);
    return w.status().has_value() && r.options.size() == 20;
}());

TEST(Tcp, ReadsEveryField) {
    const auto v = tcp::view::checked(syn);
    ASSERT_TRUE(v);
    EXPECT_EQ(v->src_port(), 46656);
    EXPECT_EQ(v->dst_port(), 80);
    EXPECT_EQ(v->sequence(), 797190859u);
    EXPECT_EQ(v->ack_number(), 0u);
    EXPECT_EQ(v->data_offset(), 10);
    EXPECT_EQ(v->header_len(), 40u);
    EXPECT_EQ(v->flags(), tcp::flag::syn);
    EXPECT_EQ(v->reserved_bits(), 0);
    EXPECT_TRUE(v->syn());
    EXPECT_FALSE(v->fin());
    EXPECT_FALSE(v->rst());
    EXPECT_FALSE(v->psh());
    EXPECT_FALSE(v->ack());
    EXPECT_FALSE(v->urg());
    EXPECT_FALSE(v->ece());
    EXPECT_FALSE(v->cwr());
    EXPECT_FALSE(v->ae());
    EXPECT_EQ(v->window(), 27200);
    EXPECT_EQ(v->checksum(), 0x50c4);
    EXPECT_EQ(v->urgent_pointer(), 0);
    EXPECT_EQ(v->header().size(), 40u);
    EXPECT_EQ(v->options_bytes().size(), 20u);
    EXPECT_EQ(v->options_bytes().data(), syn.data() + 20);
    EXPECT_TRUE(v->payload().empty());
    EXPECT_EQ(v->payload().data(), syn.data() + 40);
}

TEST(Tcp, PayloadRunsToTheEndOfTheBuffer) {
    const auto v = tcp::view::checked(rst_with_data);
    ASSERT_TRUE(v);
    EXPECT_EQ(v->header_len(), 20u);
    EXPECT_TRUE(v->options().empty());
    ASSERT_EQ(v->payload().size(), 58u);
    std::string text;
    for (const std::byte b : v->payload()) text += static_cast<char>(b);
    EXPECT_EQ(text, "BIG-IP: [0x11c5672:3045] {peer} TCP RST from remote system");

    const auto w = tcp::view::checked(with_options);
    ASSERT_TRUE(w);
    EXPECT_EQ(w->header_len(), 32u);
    ASSERT_EQ(w->payload().size(), 803u);
    EXPECT_EQ(w->payload()[0], std::byte{'G'});
}

TEST(Tcp, ControlBits) {
    const auto rst = tcp::view::checked(rst_with_data);
    ASSERT_TRUE(rst);
    EXPECT_EQ(rst->flags(), tcp::flag::rst | tcp::flag::ack);
    EXPECT_TRUE(rst->rst());
    EXPECT_TRUE(rst->ack());
    EXPECT_EQ(rst->sequence(), 1617159969u);
    EXPECT_EQ(rst->ack_number(), 1936660873u);

    const auto push = tcp::view::checked(with_options);
    ASSERT_TRUE(push);
    EXPECT_EQ(push->flags(), tcp::flag::psh | tcp::flag::ack);
    EXPECT_TRUE(push->psh());

    const auto fin = tcp::view::checked(mptcp_dss);
    ASSERT_TRUE(fin);
    EXPECT_EQ(fin->flags(), tcp::flag::fin | tcp::flag::ack);
    EXPECT_TRUE(fin->fin());

    // AccECN setup SYN: AE, CWR and ECE all set (AccECN draft §3.1.1).
    const auto syn_ae = tcp::view::checked(accecn_syn);
    ASSERT_TRUE(syn_ae);
    EXPECT_EQ(syn_ae->flags(), 0x1c2);
    EXPECT_EQ(syn_ae->flags(), tcp::flag::syn | tcp::flag::ece | tcp::flag::cwr | tcp::flag::ae);
    EXPECT_TRUE(syn_ae->ae());
    EXPECT_TRUE(syn_ae->cwr());
    EXPECT_TRUE(syn_ae->ece());

    // After the handshake the three bits are the ACE counter.
    const auto ace = tcp::view::checked(accecn_ack);
    ASSERT_TRUE(ace);
    EXPECT_EQ(ace->flags(), 0x090);
    EXPECT_EQ(ace->ace(), 2);

    // Reserved bits, AE and URG from the hostile capture (its first 20 bytes).
    const auto hostile = tcp::view::unchecked(bytes{hostile_offset}.first(20));
    EXPECT_EQ(hostile.flags(), 0xd30);
    EXPECT_EQ(hostile.reserved_bits(), 6);
    EXPECT_TRUE(hostile.ae());
    EXPECT_TRUE(hostile.urg());
    EXPECT_TRUE(hostile.ack());
    EXPECT_FALSE(hostile.psh());
    EXPECT_EQ(hostile.urgent_pointer(), 12336);
}

TEST(Tcp, HandshakeOptions) {
    const auto v = tcp::view::checked(syn);
    ASSERT_TRUE(v);
    const auto opts = all_options(*v);
    ASSERT_EQ(opts.size(), 5u);
    EXPECT_EQ(opts[0].kind, tcp::option_kind::mss);
    EXPECT_EQ(opts[0].length, 4);
    EXPECT_EQ(opts[0].offset, 20u);
    EXPECT_EQ(opts[0].mss(), 1360);
    EXPECT_EQ(opts[1].kind, tcp::option_kind::sack_permitted);
    EXPECT_EQ(opts[1].length, 2);
    EXPECT_EQ(opts[1].offset, 24u);
    EXPECT_TRUE(opts[1].data.empty());
    EXPECT_EQ(opts[2].kind, tcp::option_kind::timestamps);
    EXPECT_EQ(opts[2].length, 10);
    EXPECT_EQ(opts[2].offset, 26u);
    EXPECT_EQ(opts[2].ts_value(), 1131021154u);
    EXPECT_EQ(opts[2].ts_echo_reply(), 0u);
    EXPECT_EQ(opts[3].kind, tcp::option_kind::nop);
    EXPECT_EQ(opts[3].length, 1);
    EXPECT_EQ(opts[3].offset, 36u);
    EXPECT_EQ(opts[4].kind, tcp::option_kind::window_scale);
    EXPECT_EQ(opts[4].length, 3);
    EXPECT_EQ(opts[4].offset, 37u);
    EXPECT_EQ(opts[4].window_scale(), 7);
    EXPECT_EQ(opts[4].data.data(), syn.data() + 39);
}

TEST(Tcp, SackOption) {
    const auto v = tcp::view::checked(sack);
    ASSERT_TRUE(v);
    EXPECT_EQ(v->header_len(), 44u);
    const auto opts = all_options(*v);
    ASSERT_EQ(opts.size(), 6u);
    EXPECT_EQ(opts[2].ts_value(), 195455u);
    EXPECT_EQ(opts[2].ts_echo_reply(), 3555730648u);
    EXPECT_EQ(opts[5].kind, tcp::option_kind::sack);
    EXPECT_EQ(opts[5].offset, 34u);
    EXPECT_EQ(opts[5].length, 10);
    ASSERT_EQ(opts[5].sack_count(), 1u);
    EXPECT_EQ(opts[5].sack(0), (tcp::sack_block{3014475376u, 3014476724u}));
    EXPECT_EQ(opts[5].sack(1), tcp::sack_block{}); // past the count
    EXPECT_EQ(opts[2].sack_count(), 0u);           // not a SACK option
}

TEST(Tcp, MultipathOptions) {
    const auto syn_v = tcp::view::checked(mptcp_syn);
    ASSERT_TRUE(syn_v);
    auto opts = all_options(*syn_v);
    ASSERT_EQ(opts.size(), 6u);
    EXPECT_EQ(opts[0].mss(), 1460);
    EXPECT_EQ(opts[4].window_scale(), 8);
    EXPECT_EQ(opts[5].kind, tcp::option_kind::mptcp);
    EXPECT_EQ(opts[5].length, 4);
    EXPECT_EQ(opts[5].mptcp_subtype(), 0);         // MP_CAPABLE
    EXPECT_EQ(load_u8(opts[5].data, 0) & 0x0f, 1); // version 1

    const auto dss = tcp::view::checked(mptcp_dss);
    ASSERT_TRUE(dss);
    EXPECT_EQ(dss->header_len(), tcp::max_header_len);
    opts = all_options(*dss);
    ASSERT_EQ(opts.size(), 6u);
    EXPECT_EQ(opts[3].kind, tcp::option_kind::mptcp);
    EXPECT_EQ(opts[3].offset, 32u);
    EXPECT_EQ(opts[3].length, 26);
    EXPECT_EQ(opts[3].mptcp_subtype(), 2); // DSS
    EXPECT_EQ(opts[3].data.size(), 24u);
    EXPECT_EQ(opts[4].kind, tcp::option_kind::nop);
    EXPECT_EQ(opts[5].offset, 59u);
}

TEST(Tcp, FastOpenAsAnExperimentalOption) {
    const auto req = tcp::view::checked(tfo_request);
    ASSERT_TRUE(req);
    auto opts = all_options(*req);
    ASSERT_EQ(opts.size(), 1u);
    EXPECT_EQ(opts[0].kind, tcp::option_kind::experimental_2);
    EXPECT_EQ(opts[0].experiment_id(), tcp::exid_fast_open);
    EXPECT_TRUE(opts[0].is_fast_open());
    EXPECT_TRUE(opts[0].fast_open_cookie().empty()); // a cookie request

    const auto data = tcp::view::checked(tfo_data);
    ASSERT_TRUE(data);
    opts = all_options(*data);
    ASSERT_EQ(opts.size(), 3u);
    EXPECT_TRUE(opts[0].is_fast_open());
    const auto cookie = make_bytes(0x09, 0x09, 0x09, 0x09, 0x00, 0x00);
    EXPECT_TRUE(std::ranges::equal(opts[0].fast_open_cookie(), cookie));
    EXPECT_EQ(data->payload().size(), 4u);
    EXPECT_TRUE(std::ranges::equal(data->payload(), make_bytes(0xde, 0xad, 0xbe, 0xef)));
}

TEST(Tcp, FastOpenAsKind34) {
    // Crafted: tfo_data with its experimental option rewritten as kind 34
    // (RFC 7413 §4.1.1): 22 08 09 09 09 09 00 00 then NOP NOP NOP NOP.
    //     TCP Option - TCP Fast Open: Kind 34, Length 8, Fast Open Cookie: 090909090000
    auto pkt = copy_of(tfo_data);
    const auto opts = make_bytes(0x22, 0x08, 0x09, 0x09, 0x09, 0x09, 0x00, 0x00, 0x01, 0x01, 0x01, 0x01);
    std::copy(opts.begin(), opts.end(), pkt.begin() + 20);
    const auto v = tcp::view::checked(pkt);
    ASSERT_TRUE(v);
    const auto o = *v->options().begin();
    ASSERT_TRUE(o);
    EXPECT_EQ(o->kind, tcp::option_kind::fast_open);
    EXPECT_TRUE(o->is_fast_open());
    EXPECT_EQ(o->experiment_id(), 0x0909); // not meaningful for kind 34
    EXPECT_TRUE(std::ranges::equal(o->fast_open_cookie(), bytes{opts}.subspan(2, 6)));
}

TEST(Tcp, IterationStopsAfterEndOfList) {
    // accecn_ack ends with an experimental option (13 bytes) and three EOLs:
    // only the first EOL is yielded.
    const auto v = tcp::view::checked(accecn_ack);
    ASSERT_TRUE(v);
    const auto opts = all_options(*v);
    ASSERT_EQ(opts.size(), 5u);
    EXPECT_EQ(opts[3].kind, tcp::option_kind::experimental_2);
    EXPECT_EQ(opts[3].length, 13);
    EXPECT_EQ(opts[3].experiment_id(), 0xacc0);
    EXPECT_FALSE(opts[3].is_fast_open());
    EXPECT_TRUE(opts[3].fast_open_cookie().empty());
    EXPECT_EQ(opts[4].kind, tcp::option_kind::end_of_list);
    EXPECT_EQ(opts[4].offset, 45u);
}

TEST(Tcp, EveryTruncationIsRejectedWithTheExactError) {
    for (std::size_t n = 0; n < syn.size(); ++n) {
        const auto v = tcp::view::checked(bytes{syn}.first(n));
        ASSERT_FALSE(v) << n;
        if (n < 20) {
            EXPECT_EQ(v.error(), error::truncated(layer::tcp, length_source::fixed_header, 0, 20, n));
        } else {
            EXPECT_EQ(v.error(), error::truncated(layer::tcp, length_source::header_length, 0, 40, n));
        }
    }
    EXPECT_TRUE(tcp::view::checked(syn));
    for (std::size_t n = 0; n < mptcp_dss.size(); ++n) {
        const auto v = tcp::view::checked(bytes{mptcp_dss}.first(n));
        ASSERT_FALSE(v) << n;
        EXPECT_EQ(v.error(), n < 20 ? error::truncated(layer::tcp, length_source::fixed_header, 0, 20, n)
                                    : error::truncated(layer::tcp, length_source::header_length, 0, 60, n));
    }
}

TEST(Tcp, RejectsDataOffsetBelowFive) {
    for (std::uint8_t words = 0; words < 5; ++words) {
        auto pkt = copy_of(rst_with_data);
        pkt[12] = static_cast<std::byte>(words << 4);
        EXPECT_ERROR(tcp::view::checked(pkt), error::invalid(layer::tcp, errc::length_too_small,
                                                             length_source::header_length, 12, 20, words * 4u));
    }
}

TEST(Tcp, RejectsHostileCaptures) {
    EXPECT_ERROR(tcp::view::checked(hostile_short),
                 error::truncated(layer::tcp, length_source::fixed_header, 0, 20, 12));
    EXPECT_ERROR(tcp::view::checked(hostile_offset),
                 error::truncated(layer::tcp, length_source::header_length, 0, 60, 30));
    EXPECT_ERROR(tcp::view::checked(malformed_offset),
                 error::truncated(layer::tcp, length_source::header_length, 0, 28, 20));
}

/// A 40-byte SYN whose 20 option bytes start with `opts`, then EOL.
std::array<std::byte, 40> with_option_bytes(std::initializer_list<std::uint8_t> opts) {
    std::array<std::byte, 40> pkt{};
    std::copy(syn.begin(), syn.begin() + 20, pkt.begin());
    std::size_t i = 20;
    for (std::uint8_t b : opts) pkt[i++] = std::byte{b};
    return pkt;
}

TEST(Tcp, OptionRejectionRules) {
    using o = length_source;
    const auto too_small = [](std::size_t at, std::uint32_t min, std::uint32_t len) {
        return error::invalid(layer::tcp_option, errc::length_too_small, o::option_length, at, min, len);
    };
    const auto too_large = [](std::size_t at, std::uint32_t max, std::uint32_t len) {
        return error::invalid(layer::tcp_option, errc::length_too_large, o::option_length, at, max, len);
    };
    const auto bad_value = [](std::size_t at, std::uint32_t len) {
        return error::invalid(layer::tcp_option, errc::bad_value, o::option_length, at, 0, len);
    };
    struct bad_option {
        const char* what;
        std::array<std::byte, 40> pkt;
        error expected;
    };
    const std::vector<bad_option> cases = {
        {"length below 2", with_option_bytes({0x63, 0x01}), too_small(21, 2, 1)},
        {"length past the options", with_option_bytes({1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0x08, 0x0a}),
         error::truncated(layer::tcp_option, o::option_length, 36, 10, 4)},
        {"no room for the length octet",
         with_option_bytes({1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0x02}),
         error::truncated(layer::tcp_option, o::option_length, 39, 2, 1)},
        {"mss shorter than 4", with_option_bytes({0x02, 0x03, 0x05}), too_small(21, 4, 3)},
        {"mss longer than 4", with_option_bytes({0x02, 0x05, 0x05, 0xb4, 0x00}), too_large(21, 4, 5)},
        {"window scale shorter than 3", with_option_bytes({0x03, 0x02}), too_small(21, 3, 2)},
        {"window scale longer than 3", with_option_bytes({0x03, 0x04, 0x07, 0x00}), too_large(21, 3, 4)},
        {"sack permitted longer than 2", with_option_bytes({0x04, 0x03, 0x00}), too_large(21, 2, 3)},
        {"sack without a block", with_option_bytes({0x05, 0x02}), too_small(21, 10, 2)},
        {"sack shorter than a block", with_option_bytes({0x05, 0x09}), too_small(21, 10, 9)},
        {"sack not 2 + 8n", with_option_bytes({0x05, 0x0c}), bad_value(21, 12)},
        {"timestamps shorter than 10", with_option_bytes({0x08, 0x08}), too_small(21, 10, 8)},
        {"timestamps longer than 10", with_option_bytes({0x08, 0x0c}), too_large(21, 10, 12)},
        {"md5 signature not 18", with_option_bytes({0x13, 0x10}), too_small(21, 18, 16)},
        {"user timeout not 4", with_option_bytes({0x1c, 0x06}), too_large(21, 4, 6)},
        {"tcp-ao shorter than 4", with_option_bytes({0x1d, 0x03}), too_small(21, 4, 3)},
        {"mptcp without a subtype", with_option_bytes({0x1e, 0x02}), too_small(21, 3, 2)},
        {"fast open cookie shorter than 4", with_option_bytes({0x22, 0x04}), too_small(21, 6, 4)},
        {"fast open odd length", with_option_bytes({0x22, 0x07}), bad_value(21, 7)},
        {"fast open cookie longer than 16", with_option_bytes({0x22, 0x14}), too_large(21, 18, 20)},
        {"error after a good option", with_option_bytes({0x02, 0x04, 0x05, 0xb4, 0x03, 0x02}), too_small(25, 3, 2)},
    };
    for (const auto& c : cases) {
        const auto v = tcp::view::checked(c.pkt);
        ASSERT_TRUE(v) << c.what; // the header is fine; options are checked lazily
        EXPECT_EQ(v->options().validate().error(), c.expected) << c.what;
        EXPECT_EQ(tcp::repr::parse(*v).error(), c.expected) << c.what;
        // The iterator yields the error once, last, and ends.
        std::size_t seen = 0;
        bool failed = false;
        for (const auto& opt : v->options()) {
            ASSERT_FALSE(failed) << c.what;
            ASSERT_LE(++seen, 20u) << c.what;
            if (!opt) {
                failed = true;
                EXPECT_EQ(opt.error(), c.expected) << c.what;
            }
        }
        EXPECT_TRUE(failed) << c.what;
    }
}

TEST(Tcp, OptionLengthsThatAreAccepted) {
    for (const auto& pkt : {
             with_option_bytes({0x22, 0x02}),             // fast open cookie request
             with_option_bytes({0x22, 0x06, 1, 2, 3, 4}), // 4-byte cookie
             with_option_bytes({0x22, 0x12}),             // 16-byte cookie
             with_option_bytes({0x1e, 0x03, 0x50}),       // mptcp MP_PRIO
             with_option_bytes({0x63, 0x02}),             // unknown kind
             with_option_bytes({0xfd, 0x02}),             // experiment without an ExID
             with_option_bytes({0x13, 0x12}),             // md5 signature
         }) {
        const auto v = tcp::view::checked(pkt);
        ASSERT_TRUE(v);
        EXPECT_TRUE(v->options().validate()) << to_string(v->options().validate().error());
    }
    // 2 + 8 * 5 is the form of a SACK but more blocks than fit in options.
    EXPECT_EQ(tcp::check_option_length(tcp::option_kind::sack, 42, 21).error(),
              error::invalid(layer::tcp_option, errc::length_too_large, length_source::option_length, 21, 34, 42));
    EXPECT_TRUE(tcp::check_option_length(tcp::option_kind::sack, 34, 21));
}

TEST(Tcp, OptionIteratorNeverReadsOutOfBounds) {
    // Every kind and length in a 4-byte options area, and pseudo-random
    // areas of every size: each option lies inside the area, errors end the
    // iteration. Run under the sanitizers with RAWPKT_CHECK_BOUNDS.
    const auto check = [](bytes opts) {
        const tcp::option_range range{opts, 20};
        std::size_t seen = 0;
        for (const auto& o : range) {
            ASSERT_LE(++seen, opts.size());
            if (!o) break;
            ASSERT_GE(o->offset, 20u);
            ASSERT_LE(o->offset - 20 + o->length, opts.size());
            ASSERT_EQ(o->data.size() + (o->length == 1 ? 1u : 2u), o->length);
            (void)o->mss();
            (void)o->window_scale();
            (void)o->sack(o->sack_count() == 0 ? 0 : o->sack_count() - 1);
            (void)o->ts_value();
            (void)o->ts_echo_reply();
            (void)o->mptcp_subtype();
            (void)o->fast_open_cookie();
        }
    };
    for (unsigned kind = 0; kind < 256; ++kind) {
        for (unsigned len = 0; len < 256; ++len) {
            const auto opts = make_bytes(kind, len, 0xaa, 0xbb);
            check(opts);
        }
    }
    std::uint32_t state = 12345;
    const auto next = [&] {
        state = state * 1103515245u + 12345u;
        return static_cast<std::uint8_t>(state >> 16);
    };
    for (int round = 0; round < 20000; ++round) {
        std::vector<std::byte> opts(next() % 41);
        for (auto& b : opts) b = std::byte{static_cast<std::uint8_t>(next() % 16 == 0 ? next() : next() % 40)};
        check(opts);
    }
}

TEST(Tcp, ChecksumVerifiesOverIpv4AndIpv6) {
    EXPECT_TRUE(tcp::view::checked(syn)->checksum_ok(syn_src, syn_dst));
    EXPECT_EQ(tcp::view::checked(syn)->compute_checksum(syn_src, syn_dst), 0x50c4);
    EXPECT_TRUE(tcp::view::checked(rst_with_data)->checksum_ok(rst_src, rst_dst));
    EXPECT_TRUE(tcp::view::checked(tfo_data)->checksum_ok(tfo_src, tfo_dst));
    EXPECT_TRUE(tcp::view::checked(syn_v6)->checksum_ok(syn_v6_src, syn_v6_dst));
    EXPECT_EQ(tcp::view::checked(syn_v6)->compute_checksum(syn_v6_src, syn_v6_dst), 0x299c);
    // The wrong addresses, or a changed byte, break it.
    EXPECT_FALSE(tcp::view::checked(syn)->checksum_ok(syn_dst, v4(137, 116, 81, 95)));
    auto pkt = copy_of(rst_with_data);
    pkt.back() ^= std::byte{1};
    EXPECT_FALSE(tcp::view::checked(pkt)->checksum_ok(rst_src, rst_dst));
}

TEST(Tcp, ChecksumOffloadedCapturesAreFilledAsTsharkComputes) {
    struct offloaded {
        std::vector<std::byte> pkt;
        ipv4_address src, dst;
        std::uint16_t expected;
    };
    for (auto& c : std::vector<offloaded>{
             {copy_of(with_options), ynet_src, ynet_dst, 0x5f77}, // odd length
             {copy_of(sack), ynet_src, ynet_dst, 0xd7ec},
             {copy_of(accecn_syn), accecn_src, accecn_dst, 0xe443},
             {copy_of(accecn_ack), accecn_src, accecn_dst, 0x3b19},
         }) {
        auto v = tcp::mut_view::unchecked(c.pkt);
        EXPECT_FALSE(v.checksum_ok(c.src, c.dst));
        EXPECT_EQ(v.compute_checksum(c.src, c.dst), c.expected);
        v.fill_checksum(c.src, c.dst);
        EXPECT_EQ(v.checksum(), c.expected);
        EXPECT_TRUE(v.checksum_ok(c.src, c.dst));
    }
    auto pkt = copy_of(syn_v6);
    auto v = tcp::mut_view::unchecked(pkt);
    v.set_checksum(0);
    v.fill_checksum(syn_v6_src, syn_v6_dst);
    EXPECT_EQ(v.checksum(), 0x299c);
}

TEST(Tcp, SetEveryFieldThenCompare) {
    std::array<std::byte, 24> buf{};
    auto v = tcp::mut_view::unchecked(buf);
    v.set_src_port(0xc000);
    v.set_dst_port(443);
    v.set_sequence(0xdeadbeef);
    v.set_ack_number(0x01020304);
    v.set_header_len(24);
    v.set_flags(tcp::flag::syn | tcp::flag::ack);
    v.set_window(0xfffe);
    v.set_checksum(0x1234);
    v.set_urgent_pointer(0x8001);
    const tcp::view r = v;
    EXPECT_EQ(r.src_port(), 0xc000);
    EXPECT_EQ(r.dst_port(), 443);
    EXPECT_EQ(r.sequence(), 0xdeadbeefu);
    EXPECT_EQ(r.ack_number(), 0x01020304u);
    EXPECT_EQ(r.data_offset(), 6);
    EXPECT_EQ(r.header_len(), 24u);
    EXPECT_EQ(r.flags(), tcp::flag::syn | tcp::flag::ack);
    EXPECT_EQ(r.window(), 0xfffe);
    EXPECT_EQ(r.checksum(), 0x1234);
    EXPECT_EQ(r.urgent_pointer(), 0x8001);
    EXPECT_TRUE(tcp::view::checked(buf));

    // Each control bit on its own, leaving its neighbours and the data offset alone.
    struct bit {
        void (tcp::mut_view::*set)(bool) noexcept;
        bool (tcp::view::*get)() const noexcept;
        std::uint16_t mask;
    };
    const bit bits[] = {
        {&tcp::mut_view::set_fin, &tcp::view::fin, tcp::flag::fin},
        {&tcp::mut_view::set_syn, &tcp::view::syn, tcp::flag::syn},
        {&tcp::mut_view::set_rst, &tcp::view::rst, tcp::flag::rst},
        {&tcp::mut_view::set_psh, &tcp::view::psh, tcp::flag::psh},
        {&tcp::mut_view::set_ack, &tcp::view::ack, tcp::flag::ack},
        {&tcp::mut_view::set_urg, &tcp::view::urg, tcp::flag::urg},
        {&tcp::mut_view::set_ece, &tcp::view::ece, tcp::flag::ece},
        {&tcp::mut_view::set_cwr, &tcp::view::cwr, tcp::flag::cwr},
        {&tcp::mut_view::set_ae, &tcp::view::ae, tcp::flag::ae},
    };
    for (const bit& b : bits) {
        v.set_flags(0);
        (v.*b.set)(true);
        EXPECT_EQ(r.flags(), b.mask);
        EXPECT_TRUE((r.*b.get)());
        v.set_flags(0x0fff);
        (v.*b.set)(false);
        EXPECT_EQ(r.flags(), 0x0fff & ~b.mask);
        EXPECT_FALSE((r.*b.get)());
        EXPECT_EQ(r.header_len(), 24u);
    }
    v.set_flags(0x0fff);
    EXPECT_EQ(r.reserved_bits(), 7);
    v.set_header_len(60);
    EXPECT_EQ(r.flags(), 0x0fff);
    EXPECT_EQ(r.data_offset(), 15);
}

/// Emits the repr of `pkt` into a copy of it, then fills the checksum.
std::vector<std::byte> re_emit(bytes pkt, const tcp::repr& r, const auto& src, const auto& dst) {
    std::vector<std::byte> out(pkt.begin(), pkt.end());
    std::fill(out.begin(), out.begin() + static_cast<std::ptrdiff_t>(r.header_len()), std::byte{0xee});
    auto v = tcp::mut_view::unchecked(out);
    r.emit(v);
    EXPECT_EQ(v.checksum(), 0);
    v.fill_checksum(src, dst);
    return out;
}

TEST(Tcp, ReprRoundTripReproducesTheSegment) {
    // Correct checksums: parse, emit, fill the checksum: the same bytes.
    const auto same = [](bytes pkt, const auto& src, const auto& dst) {
        const auto v = tcp::view::checked(pkt);
        ASSERT_TRUE(v);
        const auto r = tcp::repr::parse(*v);
        ASSERT_TRUE(r);
        EXPECT_EQ(r->header_len(), v->header_len());
        EXPECT_EQ(r->buffer_len(), pkt.size());
        const auto out = re_emit(pkt, *r, src, dst);
        EXPECT_TRUE(std::ranges::equal(out, pkt));
        const auto again = tcp::repr::parse(*tcp::view::checked(out));
        ASSERT_TRUE(again);
        EXPECT_EQ(*again, *r);
    };
    same(syn, syn_src, syn_dst);
    same(rst_with_data, rst_src, rst_dst);
    same(tfo_data, tfo_src, tfo_dst);
    same(syn_v6, syn_v6_src, syn_v6_dst);
    // Offloaded checksums: the same bytes but for the (now correct) checksum.
    for (const bytes pkt : {bytes{with_options}, bytes{sack}, bytes{accecn_syn}, bytes{accecn_ack}}) {
        const auto r = tcp::repr::parse(*tcp::view::checked(pkt));
        ASSERT_TRUE(r);
        const auto out = re_emit(pkt, *r, ynet_src, ynet_dst);
        EXPECT_TRUE(std::equal(out.begin(), out.begin() + 16, pkt.begin()));
        EXPECT_TRUE(std::equal(out.begin() + 18, out.end(), pkt.begin() + 18));
    }
}

TEST(Tcp, ReprFields) {
    const auto r = tcp::repr::parse(*tcp::view::checked(accecn_syn));
    ASSERT_TRUE(r);
    EXPECT_EQ(r->src_port, 16433);
    EXPECT_EQ(r->dst_port, 80);
    EXPECT_EQ(r->sequence, 1948076589u);
    EXPECT_EQ(r->ack_number, 0u);
    EXPECT_EQ(r->flags, tcp::flag::syn | tcp::flag::ece | tcp::flag::cwr | tcp::flag::ae);
    EXPECT_EQ(r->window, 65535);
    EXPECT_EQ(r->urgent_pointer, 0);
    EXPECT_EQ(r->options.size(), 20u);
    EXPECT_TRUE(std::ranges::equal(r->options.bytes(), bytes{accecn_syn}.subspan(20)));
    EXPECT_EQ(r->payload_len, 0u);
}

TEST(Tcp, ReprIgnoresReservedBits) {
    // RFC 9293 §3.1: reserved bits are ignored on receipt and sent as zero.
    auto pkt = copy_of(syn);
    pkt[12] |= std::byte{0x0e};
    const auto r = tcp::repr::parse(*tcp::view::checked(pkt));
    ASSERT_TRUE(r);
    EXPECT_EQ(r->flags, tcp::flag::syn);
    std::array<std::byte, 40> out{};
    r->emit(tcp::mut_view::unchecked(out));
    EXPECT_EQ(out[12], std::byte{0xa0});
}

TEST(Tcp, ReprEmitPadsOptionsWithEndOfList) {
    tcp::repr r;
    r.src_port = 1;
    r.dst_port = 2;
    r.flags = tcp::flag::syn;
    r.payload_len = 3;
    ASSERT_TRUE(r.options.set(make_bytes(0x02, 0x04, 0x05, 0xb4, 0x03, 0x03, 0x07)));
    EXPECT_EQ(r.header_len(), 28u);
    EXPECT_EQ(r.buffer_len(), 31u);
    std::array<std::byte, 31> buf{};
    buf.fill(std::byte{0xaa});
    r.emit(tcp::mut_view::unchecked(buf));
    const auto v = tcp::view::checked(buf);
    ASSERT_TRUE(v);
    EXPECT_EQ(v->header_len(), 28u);
    EXPECT_EQ(buf[27], std::byte{0}); // EOL padding
    EXPECT_EQ(v->payload().size(), 3u);
    const auto opts = all_options(*v);
    ASSERT_EQ(opts.size(), 3u);
    EXPECT_EQ(opts[2].kind, tcp::option_kind::end_of_list);
    std::array<std::byte, 41> too_many{};
    EXPECT_FALSE(r.options.set(too_many));
}

TEST(Tcp, OptionsWriterLaysOutLinuxSyn) {
    tcp::repr r;
    tcp::options_writer w{r};
    w.mss(1360).sack_permitted().timestamps(1131021154, 0).window_scale(7);
    ASSERT_TRUE(w.status());
    EXPECT_TRUE(std::ranges::equal(r.options.bytes(), bytes{syn}.subspan(20)));
}

TEST(Tcp, OptionsWriterLaysOutBsdSyn) {
    tcp::repr r;
    tcp::options_writer w{r};
    w.mss(1460).window_scale(6).sack_permitted().timestamps(112147477, 0);
    ASSERT_TRUE(w.status());
    EXPECT_TRUE(std::ranges::equal(r.options.bytes(), bytes{accecn_syn}.subspan(20)));
}

TEST(Tcp, OptionsWriterLaysOutTimestampsAndSack) {
    tcp::repr r;
    const tcp::sack_block blocks[] = {{3014475376u, 3014476724u}};
    tcp::options_writer w{r};
    w.timestamps(195455, 3555730648u).sack(blocks);
    ASSERT_TRUE(w.status());
    EXPECT_TRUE(std::ranges::equal(r.options.bytes(), bytes{sack}.subspan(20)));
}

TEST(Tcp, OptionsWriterRawOptionAndNops) {
    tcp::repr r;
    tcp::options_writer w{r};
    w.timestamps(464494241u, 3275212179u).raw(tcp::option_kind::mptcp, bytes{mptcp_dss}.subspan(34, 24)).nop().nop();
    ASSERT_TRUE(w.status());
    EXPECT_EQ(r.options.size(), 40u);
    EXPECT_TRUE(std::ranges::equal(r.options.bytes(), bytes{mptcp_dss}.subspan(20)));
}

TEST(Tcp, OptionsWriterEndPadsWithEndOfList) {
    tcp::repr r;
    tcp::options_writer w{r};
    w.sack_permitted().end();
    ASSERT_TRUE(w.status());
    EXPECT_TRUE(std::ranges::equal(r.options.bytes(), make_bytes(0x04, 0x02, 0x00, 0x00)));
    w.end(); // already aligned: nothing
    EXPECT_EQ(r.options.size(), 4u);
}

TEST(Tcp, OptionsWriterSackBlocks) {
    tcp::repr r;
    const tcp::sack_block four[] = {{1, 2}, {3, 4}, {5, 6}, {7, 8}};
    tcp::options_writer w{r};
    w.sack(four);
    ASSERT_TRUE(w.status());
    EXPECT_EQ(r.options.size(), 36u);
    const auto o = tcp::parse_option(r.options.bytes(), 2, 20);
    ASSERT_TRUE(o);
    ASSERT_EQ(o->sack_count(), 4u);
    EXPECT_EQ(o->sack(3), (tcp::sack_block{7, 8}));

    tcp::repr none;
    tcp::options_writer empty{none};
    empty.sack({});
    EXPECT_EQ(empty.status().error(),
              error::invalid(layer::tcp_option, errc::bad_value, length_source::none, 20, 1, 0));
    EXPECT_EQ(none.options.size(), 0u);

    tcp::repr five_r;
    const tcp::sack_block five[] = {{1, 2}, {3, 4}, {5, 6}, {7, 8}, {9, 10}};
    tcp::options_writer too_many{five_r};
    too_many.sack(five);
    EXPECT_EQ(too_many.status().error(),
              error::invalid(layer::tcp_option, errc::no_room, length_source::none, 20, 44, 40));
}

TEST(Tcp, ReprOptionsCannotExceedTheirStorage) {
    // The options are a small_bytes<40>: a full set leaves the writer no
    // room (no underflow of 40 - size), and more than 40 is refused.
    tcp::repr r;
    static_assert(decltype(r.options)::capacity() == tcp::max_options_len);
    std::array<std::byte, 41> too_many{};
    EXPECT_FALSE(r.options.set(too_many));
    EXPECT_TRUE(r.options.empty());
    std::array<std::byte, 40> nops{};
    nops.fill(std::byte{1});
    ASSERT_TRUE(r.options.set(nops));
    tcp::options_writer w{r};
    w.nop();
    EXPECT_EQ(w.status().error(), error::invalid(layer::tcp_option, errc::no_room, length_source::none, 60, 1, 0));
    EXPECT_EQ(r.options.size(), 40u);
    EXPECT_EQ(r.header_len(), 60u);
}

TEST(Tcp, OptionsWriterStopsAtTheFirstOptionThatDoesNotFit) {
    tcp::repr r;
    tcp::options_writer w{r};
    w.mss(1460).timestamps(1, 2).timestamps(3, 4).timestamps(5, 6);
    ASSERT_TRUE(w.status());
    EXPECT_EQ(r.options.size(), 40u);
    w.window_scale(2).nop().mss(1);
    EXPECT_EQ(w.status().error(), error::invalid(layer::tcp_option, errc::no_room, length_source::none, 60, 4, 0));
    EXPECT_EQ(r.options.size(), 40u);
    std::array<std::byte, 60> buf{};
    r.emit(tcp::mut_view::unchecked(buf));
    EXPECT_TRUE(tcp::view::checked(buf)->options().validate());
}

TEST(Tcp, BuildsASegment) {
    // The builder's order: emit the header, write the payload, fill the checksum.
    tcp::repr r;
    r.src_port = 46656;
    r.dst_port = 80;
    r.sequence = 797190859;
    r.flags = tcp::flag::syn;
    r.window = 27200;
    tcp::options_writer{r}.mss(1360).sack_permitted().timestamps(1131021154, 0).window_scale(7);
    ASSERT_EQ(r.buffer_len(), syn.size());
    std::array<std::byte, 40> buf{};
    auto v = tcp::mut_view::unchecked(buf);
    r.emit(v);
    EXPECT_EQ(v.checksum(), 0); // emit(v) leaves it: it covers a pseudo header
    v.fill_checksum(syn_src, syn_dst);
    EXPECT_EQ(buf, syn);
    // emit(v, src, dst) does both.
    std::array<std::byte, 40> again{};
    r.emit(tcp::mut_view::unchecked(again), syn_src, syn_dst);
    EXPECT_EQ(again, syn);
}

TEST(Tcp, EmitWithAddressesFillsTheChecksumOverThePayload) {
    // The RST with 58 bytes of data: payload in place, then emit(v, src, dst).
    const auto r = tcp::repr::parse(*tcp::view::checked(rst_with_data));
    ASSERT_TRUE(r);
    ASSERT_EQ(r->buffer_len(), rst_with_data.size());
    std::vector<std::byte> out(rst_with_data.begin(), rst_with_data.end());
    std::fill(out.begin(), out.begin() + 20, std::byte{0xee});
    r->emit(tcp::mut_view::unchecked(out), rst_src, rst_dst);
    EXPECT_TRUE(std::ranges::equal(out, rst_with_data));
    // Over IPv6 as well.
    const auto r6 = tcp::repr::parse(*tcp::view::checked(syn_v6));
    ASSERT_TRUE(r6);
    std::vector<std::byte> out6(syn_v6.size());
    r6->emit(tcp::mut_view::unchecked(out6), syn_v6_src, syn_v6_dst);
    EXPECT_TRUE(std::ranges::equal(out6, syn_v6));
}

/// RFC 1071 over plain words, independent of checksum::accumulator: the
/// complement of the one's-complement sum of `words`, then of `data`.
std::uint16_t naive_checksum(const std::vector<std::uint16_t>& words, bytes data) {
    std::uint64_t sum = 0;
    for (const std::uint16_t w : words) sum += w;
    for (std::size_t i = 0; i < data.size(); i += 2) {
        const unsigned hi = std::to_integer<unsigned>(data[i]);
        const unsigned lo = i + 1 < data.size() ? std::to_integer<unsigned>(data[i + 1]) : 0;
        sum += (hi << 8) | lo;
    }
    while (sum >> 16) sum = (sum & 0xffff) + (sum >> 16);
    return static_cast<std::uint16_t>(~sum);
}

TEST(Tcp, ChecksumOverIpv4OfASegmentLongerThan65535Bytes) {
    // A TSO / BIG TCP capture: the SYN's header (checksum zeroed) and 70000
    // bytes of data. The length enters the pseudo header as 32 bits, as
    // Linux sums it; cutting it to 16 bits (70040 -> 4504) would give
    // another checksum and call the segment bad.
    std::vector<std::byte> seg(40 + 70000, std::byte{0x5a});
    std::copy(syn.begin(), syn.end(), seg.begin());
    seg[16] = seg[17] = std::byte{0};
    const std::uint32_t len = static_cast<std::uint32_t>(seg.size());
    const std::vector<std::uint16_t> pseudo = {static_cast<std::uint16_t>(syn_src.to_u32() >> 16),
                                               static_cast<std::uint16_t>(syn_src.to_u32()),
                                               static_cast<std::uint16_t>(syn_dst.to_u32() >> 16),
                                               static_cast<std::uint16_t>(syn_dst.to_u32()),
                                               6,
                                               static_cast<std::uint16_t>(len >> 16),
                                               static_cast<std::uint16_t>(len)};
    const std::uint16_t expected = naive_checksum(pseudo, seg);
    const std::vector<std::uint16_t> cut = {pseudo[0], pseudo[1], pseudo[2],
                                            pseudo[3], 6,         static_cast<std::uint16_t>(len)};
    ASSERT_NE(expected, naive_checksum(cut, seg));

    auto v = tcp::mut_view::unchecked(seg);
    EXPECT_EQ(v.compute_checksum(syn_src, syn_dst), expected);
    EXPECT_FALSE(tcp::view{v}.checksum_ok(syn_src, syn_dst));
    v.fill_checksum(syn_src, syn_dst);
    EXPECT_EQ(v.checksum(), expected);
    EXPECT_TRUE(tcp::view{v}.checksum_ok(syn_src, syn_dst));
    // Below 65536 bytes nothing changes: RFC 9293's 16-bit TCP Length.
    EXPECT_TRUE(tcp::view::checked(syn)->checksum_ok(syn_src, syn_dst));
}

TEST(Tcp, ErrorMessagesArePrecise) {
    EXPECT_EQ(to_string(tcp::view::checked(malformed_offset).error()),
              "tcp: truncated at offset 0: header length field needs 28 bytes, 20 available");
    EXPECT_EQ(to_string(tcp::view::checked(with_option_bytes({0x02, 0x03})).value().options().validate().error()),
              "tcp option: length too small at offset 21: option length field is 3, at least 4 required");
}

} // namespace
