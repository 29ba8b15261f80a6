// SPDX-License-Identifier: BSD-3-Clause
/// \file
/// Assigned numbers shared by several protocols: EtherTypes, IP protocol
/// numbers, capture link types and the well-known ports the decoder uses.
/// Each enum is open: any 8/16/32-bit value can be held and compared.
#pragma once

#include <cstdint>

namespace rawpkt {

/// IEEE 802 EtherType values (IEEE Registration Authority; RFC 7042 §3).
enum class ethertype : std::uint16_t {
    ipv4 = 0x0800,
    arp = 0x0806,
    wake_on_lan = 0x0842,
    erspan_type3 = 0x22eb, ///< ERSPAN type III, inside GRE
    trill = 0x22f3,
    transparent_ethernet_bridging = 0x6558, ///< RFC 1701, Ethernet inside GRE
    rarp = 0x8035,
    vlan = 0x8100, ///< IEEE 802.1Q customer tag
    ipx = 0x8137,
    ipv6 = 0x86dd,
    ppp = 0x880b,
    mpls_unicast = 0x8847,
    mpls_multicast = 0x8848,
    pppoe_discovery = 0x8863,
    pppoe_session = 0x8864,
    eapol = 0x888e,
    qinq = 0x88a8, ///< IEEE 802.1ad service tag
    lldp = 0x88cc,
    macsec = 0x88e5,
    erspan = 0x88be, ///< ERSPAN type II, inside GRE
    ptp = 0x88f7,
    cisco_metadata = 0x8909,
    qinq_old = 0x9100, ///< pre-standard double tagging
    qinq_old2 = 0x9200,
};

/// Values below this in the Ethernet type/length field are 802.3 lengths
/// (IEEE 802.3 §3.2.6): an LLC header follows.
inline constexpr std::uint16_t ethertype_min = 0x0600;

/// IP protocol numbers / IPv6 next-header values (IANA "Assigned Internet
/// Protocol Numbers").
enum class ip_proto : std::uint8_t {
    hopopt = 0, ///< IPv6 hop-by-hop options
    icmp = 1,
    igmp = 2,
    ipip = 4, ///< IPv4 encapsulation (RFC 2003)
    tcp = 6,
    udp = 17,
    ipv6 = 41, ///< IPv6 encapsulation (RFC 2473)
    ipv6_route = 43,
    ipv6_frag = 44,
    rsvp = 46,
    gre = 47,
    esp = 50,
    ah = 51,
    icmpv6 = 58,
    ipv6_nonxt = 59,
    ipv6_opts = 60,
    ospf = 89,
    pim = 103,
    sctp = 132,
    mobility = 135,
    hip = 139,
    shim6 = 140,
    udplite = 136,
    mpls_in_ip = 137,
};

/// pcap/pcapng link types (LINKTYPE_* values, tcpdump.org/linktypes.html).
enum class link_type : std::uint32_t {
    null = 0,      ///< BSD loopback, 4-byte host-order address family
    ethernet = 1,  ///< IEEE 802.3 Ethernet
    ppp = 9,       ///< PPP, RFC 1661/1662 framing
    ppp_hdlc = 50, ///< PPP in HDLC-like framing (RFC 1662), as BSD/OS and NetBSD write it
    raw = 101,     ///< raw IPv4 or IPv6, told apart by the version nibble
    ieee802_11 = 105,
    loop = 108, ///< OpenBSD loopback, network-order address family
    linux_sll = 113,
    ieee802_11_radiotap = 127,
    ipv4 = 228, ///< raw IPv4
    ipv6 = 229, ///< raw IPv6
    nflog = 239,
    linux_sll2 = 276,
};

/// Human-readable name of a link type ("EN10MB", "LINUX_SLL", ...), as libpcap
/// calls them; nullptr for numbers rawpkt has no name for.
[[nodiscard]] constexpr const char* link_type_name(link_type t) noexcept {
    switch (t) {
    case link_type::null: return "NULL";
    case link_type::ethernet: return "EN10MB";
    case link_type::ppp: return "PPP";
    case link_type::ppp_hdlc: return "PPP_HDLC";
    case link_type::raw: return "RAW";
    case link_type::ieee802_11: return "IEEE802_11";
    case link_type::loop: return "LOOP";
    case link_type::linux_sll: return "LINUX_SLL";
    case link_type::ieee802_11_radiotap: return "IEEE802_11_RADIO";
    case link_type::ipv4: return "IPV4";
    case link_type::ipv6: return "IPV6";
    case link_type::nflog: return "NFLOG";
    case link_type::linux_sll2: return "LINUX_SLL2";
    }
    return nullptr;
}

/// UDP ports the decoder dispatches on (IANA service registry).
namespace port {
inline constexpr std::uint16_t gtpu = 2152;     ///< 3GPP TS 29.281
inline constexpr std::uint16_t teredo = 3544;   ///< RFC 4380
inline constexpr std::uint16_t vxlan = 4789;    ///< RFC 7348 §5
inline constexpr std::uint16_t geneve = 6081;   ///< RFC 8926 §3.3
inline constexpr std::uint16_t mpls_udp = 6635; ///< RFC 7510
} // namespace port

} // namespace rawpkt
