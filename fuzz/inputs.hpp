// SPDX-License-Identifier: BSD-3-Clause
// How the fuzz targets read their input: the first byte says what the rest
// is. The targets and the seed generator (make_seeds.cpp) share these
// tables, so that a seed means the same thing to the target it is for.
//
// - fuzz_link, fuzz_ip, fuzz_transport, fuzz_tunnel, fuzz_app: byte 0 modulo the
//   family's protocol count picks the protocol; the rest is its buffer.
// - fuzz_decode, fuzz_build: the low 4 bits of byte 0 pick the link type
//   (decode_links); in fuzz_decode the high bits change decode options
//   (decode_flag); the rest is the frame.
// - fuzz_pcap: the whole input is a capture file.
#pragma once

#include <rawpkt/decode.hpp>

#include <array>
#include <cstddef>
#include <cstdint>

namespace rawpkt::fuzz {

enum class link_protocol : std::uint8_t {
    ethernet,
    llc,
    snap,
    vlan,
    mpls,
    sll,
    sll2,
    null_loopback,
    ppp,
    pppoe_session,
    pppoe_discovery,
    arp,
};
inline constexpr std::uint8_t link_protocol_count = 12;

enum class ip_protocol : std::uint8_t {
    ipv4,
    ipv6,
    ipv6_options, ///< a hop-by-hop or destination options header
    ipv6_routing,
    ipv6_fragment,
    ipv6_ah,
    ipv6_chain, ///< byte 1 is the first next-header value, the rest the chain
};
inline constexpr std::uint8_t ip_protocol_count = 7;

enum class transport_protocol : std::uint8_t { tcp, udp, icmpv4, icmpv6 };
inline constexpr std::uint8_t transport_protocol_count = 4;

enum class tunnel_protocol : std::uint8_t { gre, vxlan, geneve, gtpu, teredo };
inline constexpr std::uint8_t tunnel_protocol_count = 5;

/// fuzz_app: a DNS message, one direction of a DNS-over-TCP stream (byte 1
/// picks how it is cut), a DHCPv4 or a DHCPv6 message.
enum class app_protocol : std::uint8_t { dns, dns_tcp, dhcp, dhcpv6 };
inline constexpr std::uint8_t app_protocol_count = 4;

/// The link types of fuzz_decode and fuzz_build, by the low 4 bits of the
/// first byte: every link type the decoder follows, then some it does not.
inline constexpr std::array<link_type, 16> decode_links = {
    link_type::ethernet,
    link_type::linux_sll,
    link_type::linux_sll2,
    link_type::null,
    link_type::loop,
    link_type::ppp,
    link_type::ppp_hdlc,
    link_type::raw,
    link_type::ipv4,
    link_type::ipv6,
    link_type::ieee802_11,
    link_type::nflog,
    link_type::ieee802_11_radiotap,
    static_cast<link_type>(160),
    static_cast<link_type>(0xffffffffu),
    link_type::ethernet,
};

/// The index of `t` in decode_links, or none.
[[nodiscard]] constexpr int decode_link_index(link_type t) noexcept {
    for (std::size_t i = 0; i < decode_links.size(); ++i)
        if (decode_links[i] == t) return static_cast<int>(i);
    return -1;
}

/// fuzz_decode: the high bits of the first byte, each turning away from a
/// default decode option (a seed has them clear).
namespace decode_flag {
inline constexpr std::uint8_t no_udp_tunnels = 0x10;
inline constexpr std::uint8_t no_icmp_quotes = 0x20;
inline constexpr std::uint8_t shallow = 0x40;  ///< max_depth 1
inline constexpr std::uint8_t no_depth = 0x80; ///< max_depth 0
} // namespace decode_flag

} // namespace rawpkt::fuzz
