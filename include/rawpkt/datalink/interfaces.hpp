// SPDX-License-Identifier: BSD-3-Clause
/// \file
/// The network interfaces of the current network namespace, read from the
/// kernel over rtnetlink (RTM_GETLINK, RTM_GETADDR): no parsing of tool
/// output, no privileges needed.
///
/// ```cpp
/// auto list = rawpkt::datalink::interfaces();
/// for (const auto& i : *list) std::printf("%u %s mtu %u%s\n", i.index, i.name.c_str(), i.mtu, i.up() ? " up" : "");
/// ```
#pragma once

#include <rawpkt/bytes.hpp>
#include <rawpkt/error.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace rawpkt::datalink {

/// Interface flags (the kernel's IFF_* values).
namespace iff {
inline constexpr std::uint32_t up = 0x1;              ///< IFF_UP: administratively up
inline constexpr std::uint32_t broadcast = 0x2;       ///< IFF_BROADCAST: has a broadcast address
inline constexpr std::uint32_t loopback = 0x8;        ///< IFF_LOOPBACK: a loopback interface
inline constexpr std::uint32_t point_to_point = 0x10; ///< IFF_POINTOPOINT: a point-to-point link (tun, ppp)
inline constexpr std::uint32_t running = 0x40;        ///< IFF_RUNNING: operationally up (RFC 2863 "up")
inline constexpr std::uint32_t promiscuous = 0x100;   ///< IFF_PROMISC: in promiscuous mode by the flag
inline constexpr std::uint32_t multicast = 0x1000;    ///< IFF_MULTICAST: supports multicast
inline constexpr std::uint32_t lower_up = 0x10000;    ///< IFF_LOWER_UP: the physical layer is up (carrier)
} // namespace iff

/// An IPv4 or IPv6 address of an interface with its prefix length.
struct interface_address {
    bool is_v6 = false;          ///< an IPv6 address (in `v6`); false: IPv4 (in `v4`)
    ipv4_address v4{};           ///< the address when !is_v6
    ipv6_address v6{};           ///< the address when is_v6
    std::uint8_t prefix_len = 0; ///< bits of the network prefix (0 to 32 or 128)
    /// "192.0.2.1/24", "2001:db8::1/64".
    [[nodiscard]] std::string to_string() const;
};

/// Link-layer hardware types (the kernel's ARPHRD_* values) rawpkt names.
namespace arphrd {
inline constexpr std::uint16_t ether = 1;      ///< ARPHRD_ETHER: Ethernet (and veth, bridges, most NICs)
inline constexpr std::uint16_t loopback = 772; ///< ARPHRD_LOOPBACK: lo
inline constexpr std::uint16_t none = 0xfffe;  ///< ARPHRD_NONE: no link header (tun, wireguard): raw IP
inline constexpr std::uint16_t ipgre = 778;    ///< ARPHRD_IPGRE: GRE tunnel
/// ARPHRD_IEEE80211_RADIOTAP: 802.11 monitor mode with radiotap headers.
inline constexpr std::uint16_t ieee80211_radiotap = 803;
} // namespace arphrd

/// A network interface as the kernel describes it (rtnetlink RTM_GETLINK and RTM_GETADDR) at the time of the call.
struct interface_info {
    std::string name{};      ///< "eth0"
    std::uint32_t index = 0; ///< the ifindex (from 1)
    /// IFF_* flags as the kernel reports them (see iff).
    std::uint32_t flags = 0;
    std::uint32_t mtu = 0; ///< bytes of payload a frame carries, without the link header
    /// ARPHRD_* hardware type (see arphrd).
    std::uint16_t hardware_type = 0;
    /// How many holders put the interface into promiscuous mode (packet
    /// sockets with PACKET_MR_PROMISC, `ip link set promisc on`, bridges).
    std::uint32_t promiscuity = 0;
    /// The link-layer address when it is a 6-byte MAC address.
    std::optional<mac_address> mac{};
    /// The raw link-layer address (any length; empty when there is none).
    std::vector<std::byte> hardware_address{};
    std::vector<interface_address> addresses{}; ///< IPv4 and IPv6 addresses, in the kernel's order

    /// IFF_UP: administratively up.
    [[nodiscard]] bool up() const noexcept { return (flags & iff::up) != 0; }
    /// IFF_RUNNING: operationally up.
    [[nodiscard]] bool running() const noexcept { return (flags & iff::running) != 0; }
    /// IFF_LOOPBACK.
    [[nodiscard]] bool loopback() const noexcept { return (flags & iff::loopback) != 0; }
    /// IFF_BROADCAST.
    [[nodiscard]] bool broadcast() const noexcept { return (flags & iff::broadcast) != 0; }
    /// IFF_MULTICAST.
    [[nodiscard]] bool multicast() const noexcept { return (flags & iff::multicast) != 0; }
    /// IFF_POINTOPOINT.
    [[nodiscard]] bool point_to_point() const noexcept { return (flags & iff::point_to_point) != 0; }
    /// Promiscuous: by the IFF_PROMISC flag or by any holder.
    [[nodiscard]] bool promiscuous() const noexcept { return (flags & iff::promiscuous) != 0 || promiscuity > 0; }
};

/// Every interface of the calling thread's network namespace, by index.
/// errc::io with step::interfaces when the kernel cannot be asked.
[[nodiscard]] result<std::vector<interface_info>> interfaces();

/// One interface by name or by index: errc::not_found with
/// step::interface_lookup when there is none.
[[nodiscard]] result<interface_info> find_interface(std::string_view name);
/// The same by ifindex.
[[nodiscard]] result<interface_info> find_interface(std::uint32_t index);

} // namespace rawpkt::datalink
