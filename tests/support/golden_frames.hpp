// SPDX-License-Identifier: BSD-3-Clause
// Golden frames from real captures, shared by the decoder, builder and
// benchmark tests. Each comes with its source file and frame number and the
// protocol chain and summary tshark 4.0 prints for it. tests/data/README.md
// lists the captures' origins and licences.
#pragma once

#include "support/hex_literal.hpp"

namespace rawpkt::test::frames {

// gopacket__test_ethernet.pcap frame 1: 74 bytes on the wire, 74 captured.
// eth:ethertype:ip:tcp
// TCP 74 44644 → 80 [SYN] Seq=0 Win=29200 Len=0 MSS=1460 SACK_PERM TSval=1032819631 TSecr=0 WS=128
constexpr auto eth_ipv4_tcp = R"(
    c4 39 3a 02 a9 2a 58 6d 8f 99 ec a8 08 00 45 00
    00 3c 5b 9f 40 00 40 06 c9 18 0a 01 01 02 0a 01
    01 01 ae 64 00 50 93 49 c8 30 00 00 00 00 a0 02
    72 10 e4 7d 00 00 02 04 05 b4 04 02 08 0a 3d 8f
    93 af 00 00 00 00 01 03 03 07)"_hex;

// tcpdump__802.1ad_QinQ.pcap frame 1: 64 bytes on the wire, 64 captured.
// eth:ethertype:ieee8021ad:ethertype:vlan:ethertype:arp
// ARP 64 Who has 172.21.79.100? Tell 172.21.79.97
constexpr auto qinq_arp = R"(
    ff ff ff ff ff ff 00 20 d2 5a fb 3f 88 a8 00 c8
    81 00 07 d1 08 06 00 01 08 00 06 04 00 01 00 20
    d2 5a fb 3f ac 15 4f 61 00 00 00 00 00 00 ac 15
    4f 64 00 00 00 00 00 00 00 00 00 00 00 00 00 00)"_hex;

// pcapplusplus__MplsPackets.pcap frame 1: 365 bytes on the wire, 361 captured.
// eth:ethertype:vlan:ethertype:vlan:ethertype:mpls:ip:tcp:http
// HTTP 365 GET /i/?tid=199&hash=8ktxrl&subid=0 HTTP/1.1
constexpr auto vlan_mpls_truncated = R"(
    28 c2 ce ba 97 e8 50 81 89 f9 d5 7b 81 00 00 d7
    81 00 00 0b 88 47 03 e8 01 7e 45 00 01 4f 7a c5
    00 00 7e 06 a0 bf 02 03 04 06 0c 0d 0e 0f 50 9c
    00 50 46 96 62 08 7f ff ff ff 50 18 03 fb a1 c8
    00 00 47 45 54 20 2f 69 2f 3f 74 69 64 3d 31 39
    39 26 68 61 73 68 3d 38 6b 74 78 72 6c 26 73 75
    62 69 64 3d 30 20 48 54 54 50 2f 31 2e 31 0d 0a
    41 63 63 65 70 74 3a 20 61 70 70 6c 69 63 61 74
    69 6f 6e 2f 6a 61 76 61 73 63 72 69 70 74 2c 20
    2a 2f 2a 3b 71 3d 30 2e 38 0d 0a 41 63 63 65 70
    74 2d 4c 61 6e 67 75 61 67 65 3a 20 65 6e 2d 55
    53 2c 65 6e 3b 71 3d 30 2e 35 0d 0a 55 73 65 72
    2d 41 67 65 6e 74 3a 20 4d 6f 7a 69 6c 6c 61 2f
    35 2e 30 20 28 57 69 6e 64 6f 77 73 20 4e 54 20
    36 2e 33 3b 20 57 4f 57 36 34 3b 20 54 72 69 64
    65 6e 74 2f 37 2e 30 3b 20 72 76 3a 31 31 2e 30
    29 20 6c 69 6b 65 20 47 65 63 6b 6f 0d 0a 41 63
    63 65 70 74 2d 45 6e 63 6f 64 69 6e 67 3a 20 67
    7a 69 70 2c 20 64 65 66 6c 61 74 65 0d 0a 48 6f
    73 74 3a 20 73 72 76 31 2e 73 72 76 2d 73 74 61
    74 2e 63 6f 6d 0d 0a 44 4e 54 3a 20 31 0d 0a 43
    6f 6e 6e 65 63 74 69 6f 6e 3a 20 4b 65 65 70 2d
    41 6c 69 76 65 0d 0a 0d 0a)"_hex;

// pcapplusplus__MplsPackets.pcap frame 2: 144 bytes on the wire, 144 captured.
// eth:ethertype:mpls:pwethheuristic:pwethcw:eth:ethertype:vlan:ethertype:ip:icmp:data
// ICMP 144 Echo (ping) reply id=0x0001, seq=2/512, ttl=255
constexpr auto mpls_pseudowire = R"(
    cc 04 04 dc 00 10 cc 03 04 dc 00 10 88 47 00 01
    20 fe 00 01 01 ff 00 00 00 00 cc 07 0d 08 00 00
    cc 00 0a 64 00 00 81 00 00 01 08 00 45 00 00 64
    00 07 00 00 ff 01 38 3e c0 a8 01 02 c0 a8 01 01
    00 00 bb 2a 00 01 00 02 00 00 00 00 00 04 cb 18
    ab cd ab cd ab cd ab cd ab cd ab cd ab cd ab cd
    ab cd ab cd ab cd ab cd ab cd ab cd ab cd ab cd
    ab cd ab cd ab cd ab cd ab cd ab cd ab cd ab cd
    ab cd ab cd ab cd ab cd ab cd ab cd ab cd ab cd)"_hex;

// tcpdump__tcp-handshake-nano.pcap frame 1: 76 bytes on the wire, 76 captured.
// sll:ethertype:ip:tcp
// TCP 76 46656 → 80 [SYN] Seq=0 Win=27200 Len=0 MSS=1360 SACK_PERM TSval=1131021154 TSecr=0 WS=128
constexpr auto sll_tcp = R"(
    00 04 02 00 00 00 00 00 00 00 00 00 00 00 08 00
    45 00 00 3c 29 a9 40 00 40 06 db 5f 83 9b d7 45
    89 74 51 5e b6 40 00 50 2f 84 2a cb 00 00 00 00
    a0 02 6a 40 50 c4 00 00 02 04 05 50 04 02 08 0a
    43 6a 03 62 00 00 00 00 01 03 03 07)"_hex;

// pcapplusplus__Sll2Packet.pcap frame 1: 60 bytes on the wire, 60 captured.
// sll:ethertype:ip:tcp
// TCP 60 57292 → 443 [ACK] Seq=1 Ack=1 Win=1058 Len=0
constexpr auto sll2_tcp = R"(
    08 00 00 00 00 00 00 14 00 01 04 06 d2 cf c2 50
    15 ea 00 00 45 00 00 28 8b 22 40 00 40 06 59 97
    07 f9 97 72 74 3f 42 6c df cc 01 bb a7 ab 9f bf
    aa ce b5 e9 50 10 04 22 56 31 00 00)"_hex;

// pcapplusplus__NullLoopback.pcap frame 2: 48 bytes on the wire, 48 captured.
// null:ip:udp:bjnp
// BJNP 48 Scanner Command: Discover
constexpr auto null_udp = R"(
    02 00 00 00 45 00 00 2c c1 69 00 00 40 11 5d c3
    ac 10 01 75 ac 10 01 ff d8 49 21 a4 00 18 17 ae
    42 4a 4e 42 02 01 00 00 00 00 00 00 00 00 00 00)"_hex;

// pcapplusplus__PPPoESession.pcap frame 2: 166 bytes on the wire, 166 captured.
// eth:ethertype:pppoes:ppp:ipv6:udp:dhcpv6
// DHCPv6 166 Reply XID: 0xfcf776 CID: 00030001cc050e880000
constexpr auto pppoe_ipv6_udp = R"(
    cc 05 0e 88 00 00 ca 01 0e 88 00 06 88 64 11 00
    00 11 00 92 00 57 6e 00 00 00 00 68 11 ff fe 80
    00 00 00 00 00 00 c8 01 0e ff fe 88 00 08 fe 80
    00 00 00 00 00 00 ce 05 0e ff fe 88 00 00 02 23
    02 22 00 68 66 14 07 fc f7 76 00 02 00 0a 00 03
    00 01 ca 01 0e 88 00 08 00 01 00 0a 00 03 00 01
    cc 05 0e 88 00 00 00 18 00 0f 04 69 70 76 36 04
    74 65 73 74 03 63 6f 6d 00 00 19 00 29 00 09 00
    01 00 00 00 3e 00 00 00 7a 00 1a 00 19 00 00 00
    7d 00 00 00 7d 38 fc 00 00 00 00 02 01 00 00 00
    00 00 00 00 00 00)"_hex;

// pcapplusplus__ip6_fragments.pcap frame 1: 182 bytes on the wire, 182 captured.
// eth:ethertype:ipv6:ipv6.fraghdr:data
// IPv6 182 IPv6 fragment (off=0 more=y ident=0x002c5323 nxt=17)
constexpr auto ipv6_first_fragment = R"(
    33 33 00 00 00 fb 00 1f f3 cd f6 17 86 dd 60 00
    00 00 00 80 2c ff fe 80 00 00 00 00 00 00 02 1f
    f3 ff fe cd f6 17 ff 02 00 00 00 00 00 00 00 00
    00 00 00 00 00 fb 11 00 00 01 00 2c 53 23 14 e9
    14 e9 02 e1 f7 7b 00 00 00 00 00 17 00 00 00 0b
    00 01 0b 5f 61 66 70 6f 76 65 72 74 63 70 04 5f
    74 63 70 05 6c 6f 63 61 6c 00 00 0c 80 01 04 5f
    73 6d 62 c0 18 00 0c 80 01 04 5f 72 66 62 c0 18
    00 0c 80 01 06 5f 61 64 69 73 6b c0 18 00 0c 80
    01 08 5f 61 69 72 70 6f 72 74 c0 18 00 0c 80 01
    0d 5f 61 70 70 6c 65 74 76 2d 70 61 69 72 c0 18
    00 0c 80 01 08 5f)"_hex;

// pcapplusplus__ip6_fragments.pcap frame 7: 83 bytes on the wire, 83 captured.
// eth:ethertype:ipv6:ipv6.fraghdr:udp:mdns
// MDNS 83 Standard query 0x0000 PTR _afpovertcp._tcp.local, "QU" question PTR _smb._tcp.local, "QU" question PT...
constexpr auto ipv6_last_fragment = R"(
    33 33 00 00 00 fb 00 1f f3 cd f6 17 86 dd 60 00
    00 00 00 1d 2c ff fe 80 00 00 00 00 00 00 02 1f
    f3 ff fe cd f6 17 ff 02 00 00 00 00 00 00 00 00
    00 00 00 00 00 fb 11 00 02 d0 00 2c 53 23 00 11
    94 00 0c 00 04 00 08 00 0b 00 1f f3 cd f6 17 51
    27 c6 b5)"_hex;

// pcapplusplus__GrePackets.cap frame 11: 60 bytes on the wire, 60 captured.
// eth:ethertype:ip:gre:ppp:lcp
// PPP LCP 60 Configuration Request
constexpr auto gre_ppp_lcp = R"(
    00 09 e9 55 c0 1c 00 14 00 00 02 00 08 00 45 00
    00 2e 18 cf 00 00 40 2f 39 d0 14 00 00 02 14 00
    00 01 30 01 88 0b 00 0e 00 18 00 00 00 00 ff 03
    c0 21 01 00 00 0a 05 06 0a 94 c1 66)"_hex;

// pcapplusplus__Vxlan1.pcap frame 1: 148 bytes on the wire, 148 captured.
// eth:ethertype:ip:udp:vxlan:eth:ethertype:ip:icmp:data
// ICMP 148 Echo (ping) request id=0x050c, seq=2/512, ttl=64
constexpr auto vxlan_icmp = R"(
    00 16 3e 08 71 cf 36 dc 85 1e b3 40 08 00 45 00
    00 86 d2 c2 40 00 40 11 51 50 c0 a8 cb 01 c0 a8
    ca 01 b0 5d 12 b5 00 72 e9 a9 88 48 00 64 2d c6
    c1 00 00 30 88 01 00 02 00 16 3e 37 f6 04 08 00
    45 00 00 54 00 00 40 00 40 01 23 4f c0 a8 cb 03
    c0 a8 cb 05 08 00 05 ed 05 0c 00 02 fd e2 97 51
    00 00 00 00 96 fd 02 00 00 00 00 00 10 11 12 13
    14 15 16 17 18 19 1a 1b 1c 1d 1e 1f 20 21 22 23
    24 25 26 27 28 29 2a 2b 2c 2d 2e 2f 30 31 32 33
    34 35 36 37)"_hex;

// tcpdump__geneve.pcap frame 3: 124 bytes on the wire, 124 captured.
// eth:ethertype:ip:udp:geneve:eth:ethertype:ip:tcp
// TCP 124 51225 → 22 [SYN] Seq=0 Win=14600 Len=0 MSS=1460 SACK_PERM TSval=2876069566 TSecr=0 WS=128
constexpr auto geneve_tcp = R"(
    00 1b 21 3c ab 64 00 1b 21 3c ac 30 08 00 45 00
    00 6e 88 06 40 00 40 11 8a 76 14 00 00 02 14 00
    00 01 a9 b3 17 c1 00 5a 00 00 00 00 65 58 00 00
    0b 00 b6 9e d2 49 51 48 fe 71 d8 83 72 4f 08 00
    45 00 00 3c 5a 11 40 00 40 06 a4 a8 1e 00 00 02
    1e 00 00 01 c8 19 00 16 17 b3 0c af 00 00 00 00
    a0 02 39 08 e4 37 00 00 02 04 05 b4 04 02 08 0a
    ab 6d 56 be 00 00 00 00 01 03 03 07)"_hex;

// pcapplusplus__gtp-u.pcap frame 1: 138 bytes on the wire, 138 captured.
// eth:ethertype:ip:udp:gtp:ip:icmp:data
// GTP <ICMP> 138 Echo (ping) request id=0x0000, seq=10363/31528, ttl=64
constexpr auto gtpu_icmp = R"(
    00 0c 29 da d1 de 00 0c 29 e3 c6 4d 08 00 45 00
    00 7c 00 00 40 00 40 11 67 bb c0 a8 28 b3 c0 a8
    28 b2 08 68 08 68 00 68 bf 64 32 ff 00 58 00 00
    00 01 28 db 00 00 45 00 00 54 00 00 40 00 40 01
    5e a5 ca 0b 28 9e c0 a8 28 b2 08 00 be e7 00 00
    28 7b 04 11 20 4b f4 3d 0d 00 08 09 0a 0b 0c 0d
    0e 0f 10 11 12 13 14 15 16 17 18 19 1a 1b 1c 1d
    1e 1f 20 21 22 23 24 25 26 27 28 29 2a 2b 2c 2d
    2e 2f 30 31 32 33 34 35 36 37)"_hex;

// pcapplusplus__IPv4-encapsulated-IPv6.pcap frame 1: 124 bytes on the wire, 124 captured.
// eth:ethertype:ip:ipv6:tcp:ftp
// FTP 124 Response: 200 NOOP command successful.
constexpr auto ipv4_ipv6_tcp = R"(
    01 00 01 00 00 00 1a 43 20 00 01 00 08 00 45 00
    00 6e 2e 01 00 00 10 29 43 2d 8b 12 19 21 51 83
    43 83 60 04 40 e8 00 32 06 3f 20 01 06 38 09 02
    00 01 02 01 02 ff fe e2 75 96 20 02 51 83 43 83
    00 00 00 00 00 00 51 83 43 83 00 15 04 02 e5 37
    a9 64 62 6b f4 b3 50 18 81 60 99 d3 00 00 32 30
    30 20 4e 4f 4f 50 20 63 6f 6d 6d 61 6e 64 20 73
    75 63 63 65 73 73 66 75 6c 2e 0d 0a)"_hex;

// pcapplusplus__IcmpPackets.pcap frame 13: 70 bytes on the wire, 70 captured.
// eth:ethertype:ip:icmp:ip:tcp
// ICMP 70 Source quench (flow control)
constexpr auto icmp_quoting_tcp = R"(
    30 46 9a 23 fb fa 08 00 27 d7 5b e0 08 00 45 00
    00 38 48 63 00 00 40 01 1d d2 0a 00 00 07 0a 00
    00 8a 04 00 0c 36 00 00 00 00 45 00 00 1c 0c 80
    00 00 40 06 5e 49 01 02 03 04 05 06 07 08 00 00
    00 00 00 08 ef c1)"_hex;

// tcpdump__icmpv6.pcap frame 2: 90 bytes on the wire, 90 captured.
// eth:ethertype:ipv6:ipv6.hopopts:icmpv6
// ICMPv6 90 Multicast Listener Report Message v2
constexpr auto icmpv6_hop_by_hop = R"(
    33 33 00 00 00 16 00 15 17 cc e5 46 86 dd 60 00
    00 00 00 24 00 01 fe 80 00 00 00 00 00 00 02 15
    17 ff fe cc e5 46 ff 02 00 00 00 00 00 00 00 00
    00 00 00 00 00 16 3a 00 05 02 00 00 01 00 8f 00
    1f c5 00 00 00 01 04 00 00 00 ff 02 00 00 00 00
    00 00 00 00 0d b8 11 22 33 44)"_hex;

// pcapplusplus__raw_ip.pcap frame 51: 63 bytes on the wire, 63 captured.
// raw:ip:udp:dns
// DNS 63 Standard query 0x6775 A crl.microsoft.com
constexpr auto raw_ipv4_udp = R"(
    45 00 00 3f 21 c0 00 00 80 11 00 00 0a 00 00 01
    0a 00 00 8a d7 69 00 35 00 2b 14 c7 67 75 01 00
    00 01 00 00 00 00 00 00 03 63 72 6c 09 6d 69 63
    72 6f 73 6f 66 74 03 63 6f 6d 00 00 01 00 01)"_hex;

// pcapplusplus__EthDot3.pcap frame 1: 60 bytes on the wire, 60 captured.
// eth:llc:stp
// STP 60 Conf. Root = 0/0/00:13:f7:1e:df:f0 Cost = 10000 Port = 0x801b
constexpr auto llc_stp = R"(
    01 80 c2 00 00 00 00 13 f7 11 5e db 00 26 42 42
    03 00 00 00 00 00 00 00 00 13 f7 1e df f0 00 00
    27 10 80 00 00 13 f7 11 5e c0 80 1b 01 00 14 00
    02 00 0f 00 00 00 00 00 00 00 00 00)"_hex;

// pcapplusplus__frag_with_padding.pcap frame 8: 60 bytes on the wire, 60 captured.
// eth:ethertype:vlan:ethertype:ip:udp:data
// UDP 60 42402 → 42102 Len=9401
constexpr auto vlan_first_fragment_udp = R"(
    01 00 5e 00 02 02 38 06 b4 38 b3 42 81 00 00 13
    08 00 45 00 00 1c 63 12 60 00 03 11 07 3f 0a 0d
    01 71 e0 00 02 02 a5 a2 a4 76 24 c1 cf 11 00 00
    00 00 00 00 00 00 00 00 00 00 00 00)"_hex;

// tcpdump__mpls-ldp-hello.pcap frame 1: 74 bytes on the wire, 74 captured.
// ppp:ip:udp:ldp
// LDP 74 Hello Message
constexpr auto ppp_ipv4_udp = R"(
    ff 03 00 21 45 c0 00 46 3c db 00 00 01 11 91 06
    0a 01 01 03 e0 00 00 02 02 86 02 86 00 32 d4 9e
    00 01 00 26 0a 01 00 02 00 00 01 00 00 1c 00 01
    19 70 04 00 00 04 00 0f 00 00 04 01 00 04 0a 01
    00 02 04 02 00 04 00 00 00 01)"_hex;

// tcpdump__mpls-over-udp.pcap frame 1: 130 bytes on the wire, 130 captured.
// eth:ethertype:ip:udp:mpls:ip:icmp:data
// ICMP 130 Echo (ping) request id=0xa6eb, seq=16/4096, ttl=63
constexpr auto mpls_in_udp = R"(
    52 9a 00 c8 4f 88 52 9a 00 82 5c 62 08 00 45 00
    00 74 67 6f 00 00 40 11 e3 fb 0a 64 0c aa 0a 64
    0d 9d e5 4b 19 eb 00 60 00 00 00 01 51 3f 45 00
    00 54 67 6f 40 00 3f 01 c0 22 0a 03 00 0a 0a 01
    00 0a 08 00 76 43 a6 eb 00 10 94 07 3f 5e 00 00
    00 00 45 88 03 00 00 00 00 00 10 11 12 13 14 15
    16 17 18 19 1a 1b 1c 1d 1e 1f 20 21 22 23 24 25
    26 27 28 29 2a 2b 2c 2d 2e 2f 30 31 32 33 34 35
    36 37)"_hex;

// tcpdump__dns_udp.pcap frame 2, its UDP payload: a DNS message (224 bytes).
// Domain Name System (response), Transaction ID: 0x5934, Flags: 0x8500
//   Questions: 1, Answer RRs: 2, Authority RRs: 2, Additional RRs: 5
//   Queries: www.tcpdump.org: type A, class IN
//   Answers: www.tcpdump.org A 192.139.46.66; www.tcpdump.org A 198.199.88.104
//   Authoritative nameservers: tcpdump.org NS sns.cooperix.net; tcpdump.org NS nic.sandelman.ca
//   Additional records: nic.sandelman.ca A 209.87.249.18, AAAA 2607:f0b0:f::babe:f00d;
//     sns.cooperix.net A 97.107.133.15, AAAA 2600:3c03::f03c:91ff:fe96:e8ef; <Root> OPT
constexpr auto dns_response = R"(
    59 34 85 00 00 01 00 02 00 02 00 05 03 77 77 77 07 74 63 70 64 75 6d 70 03 6f 72 67 00 00 01 00 01
    c0 0c 00 01 00 01 00 00 00 3c 00 04 c0 8b 2e 42 c0 0c 00 01 00 01 00 00 00 3c 00 04 c6 c7 58 68
    c0 10 00 02 00 01 00 01 51 80 00 12 03 73 6e 73 08 63 6f 6f 70 65 72 69 78 03 6e 65 74 00
    c0 10 00 02 00 01 00 01 51 80 00 12 03 6e 69 63 09 73 61 6e 64 65 6c 6d 61 6e 02 63 61 00
    c0 6b 00 01 00 01 00 00 01 2c 00 04 d1 57 f9 12 c0 6b 00 1c 00 01 00 00 01 2c 00 10
    26 07 f0 b0 00 0f 00 00 00 00 00 00 ba be f0 0d c0 4d 00 01 00 01 00 00 1c 20 00 04 61 6b 85 0f
    c0 4d 00 1c 00 01 00 00 1c 20 00 10 26 00 3c 03 00 00 00 00 f0 3c 91 ff fe 96 e8 ef
    00 00 29 10 00 00 00 00 00 00 00)"_hex;

} // namespace rawpkt::test::frames
