// SPDX-License-Identifier: BSD-3-Clause
/// \file
/// The bidirectional key of a transport flow: the innermost IP addresses,
/// protocol and ports of a decoded frame, plus where it lives (the VLAN of
/// the tag nearest to that IP header, the tunnel endpoints and depth), so
/// that equal addresses in different VLANs or tunnels stay different flows.
/// A tunnel is told by the addresses of the IP header that carries it, in
/// either order, not by its VNI or TEID: those often differ by direction
/// (GTP-U always, Geneve and VXLAN in some deployments). Both directions of a flow share one key:
/// its sides are ordered, and the packet says which side sent it.
#pragma once

#include <rawpkt/bytes.hpp>
#include <rawpkt/decode.hpp>
#include <rawpkt/packet/numbers.hpp>

#include <array>
#include <cstdint>
#include <cstring>
#include <optional>
#include <span>
#include <string>
#include <type_traits>

namespace rawpkt::flow {

/// What identifies a conversation in either direction: both endpoints (ordered, so both directions give the same key),
/// the IP version and protocol, and where the IP header sits (VLAN, tunnel). No padding, so it can be hashed and
/// compared bytewise.
struct flow_key {
    /// The two sides' addresses (IPv4 in the first 4 bytes) and ports,
    /// side 0 the lower of (address, port).
    std::array<std::array<std::uint8_t, 16>, 2> addr{};
    /// The two sides' ports, in the order of `addr` (0 for protocols without ports).
    std::array<std::uint16_t, 2> port{};
    /// The carrying IP header's two addresses, hashed in either order (0:
    /// not tunnelled).
    std::uint32_t tunnel = 0;
    /// VLAN identifier of the 802.1Q tag nearest to the IP header (0: none).
    std::uint16_t vlan = 0;
    std::uint8_t version = 0;  ///< 4 or 6
    std::uint8_t protocol = 0; ///< ip_proto
    std::uint8_t depth = 0;    ///< tunnel depth of the IP header
    /// Always zero: makes the padding explicit so that every byte is a value.
    std::array<std::uint8_t, 3> unused{};
    /// Compares the bytes (there is no padding): a fixed-size compare the
    /// compiler inlines, where the member-wise one calls memcmp per array.
    friend bool operator==(const flow_key& a, const flow_key& b) noexcept {
        return std::memcmp(&a, &b, sizeof(flow_key)) == 0;
    }

    /// "addr:port" of a side, IPv6 in brackets (as tshark's follow prints it).
    [[nodiscard]] std::string endpoint(unsigned side) const {
        std::string s;
        if (version == 4) {
            s = address(side);
        } else {
            s += '[';
            s += address(side);
            s += ']';
        }
        s += ':';
        s += std::to_string(port[side]);
        return s;
    }
    /// A side's address alone, without port or brackets.
    [[nodiscard]] std::string address(unsigned side) const {
        if (version == 4) return ipv4_address{{addr[side][0], addr[side][1], addr[side][2], addr[side][3]}}.to_string();
        return ipv6_address{addr[side]}.to_string();
    }
};
static_assert(std::has_unique_object_representations_v<flow_key>);

/// A hash of an IP header's two addresses that does not depend on their
/// order (never 0).
[[nodiscard]] inline std::uint32_t endpoints_hash(bytes ip, bool v4) noexcept {
    const std::size_t len = v4 ? 4 : 16;
    const std::size_t src = v4 ? ipv4::field::src.begin : ipv6::field::src.begin;
    std::uint64_t a = 0xcbf29ce484222325ull, b = a;
    for (std::size_t i = 0; i < len; ++i) {
        a = (a ^ std::to_integer<std::uint8_t>(ip[src + i])) * 0x100000001b3ull;
        b = (b ^ std::to_integer<std::uint8_t>(ip[src + len + i])) * 0x100000001b3ull;
    }
    const std::uint64_t h = (a ^ b) * 0xff51afd7ed558ccdull;
    const auto folded = static_cast<std::uint32_t>(h ^ (h >> 32));
    return folded == 0 ? 1 : folded;
}

/// A frame's flow: its key, the side that sent it, and the layers it was
/// read from.
struct flow_packet {
    /// The flow the frame belongs to.
    flow_key key{};
    unsigned sender = 0; ///< the key side the packet came from
    /// The IP layer the key was read from (points into the decoded layers).
    const layer_info* ip = nullptr;
    /// The TCP or UDP layer, or nullptr for other protocols (ports 0).
    const layer_info* transport = nullptr;
};

/// The flow of a decoded frame: its innermost IP header that is not inside
/// an ICMP error quote. Frames without IP, and fragments other than the
/// first (whose ports are unknown), give nothing.
[[nodiscard]] inline std::optional<flow_packet> flow_of(const decoded& d) noexcept {
    flow_packet p;
    std::uint16_t vlan = 0;
    for (const layer_info& l : d.layers()) {
        if (l.has(layer_flag::quoted)) break;
        switch (l.kind) {
        case layer::vlan:
            if (const auto v = vlan::view::checked(d.bytes_of(l))) vlan = v->vid();
            break;
        case layer::ipv4:
        case layer::ipv6:
            p.key.tunnel = p.ip == nullptr ? 0 : endpoints_hash(d.bytes_of(*p.ip), p.ip->kind == layer::ipv4);
            p.ip = &l;
            p.transport = nullptr;
            p.key.vlan = vlan;
            break;
        case layer::tcp:
        case layer::udp:
            if (p.ip != nullptr && p.transport == nullptr) p.transport = &l;
            break;
        default: break;
        }
    }
    if (p.ip == nullptr) return std::nullopt;
    const bytes ip = d.bytes_of(*p.ip);
    std::array<std::array<std::uint8_t, 16>, 2> addr{};
    if (p.ip->kind == layer::ipv4) {
        const auto v = ipv4::view::unchecked(ip);
        if (v.is_later_fragment()) return std::nullopt;
        std::memcpy(addr[0].data(), ip.data() + ipv4::field::src.begin, 4);
        std::memcpy(addr[1].data(), ip.data() + ipv4::field::dst.begin, 4);
        p.key.version = 4;
        p.key.protocol = static_cast<std::uint8_t>(v.protocol());
    } else {
        std::memcpy(addr[0].data(), ip.data() + ipv6::field::src.begin, 16);
        std::memcpy(addr[1].data(), ip.data() + ipv6::field::dst.begin, 16);
        p.key.version = 6;
        p.key.protocol = static_cast<std::uint8_t>(ipv6::view::unchecked(ip).next_header());
        if (d.stop() == stop_reason::fragment && p.transport == nullptr) return std::nullopt;
    }
    std::array<std::uint16_t, 2> port{};
    if (p.transport != nullptr) {
        const bytes t = d.bytes_of(*p.transport);
        port = {load_be<std::uint16_t>(t, 0), load_be<std::uint16_t>(t, 2)};
        p.key.protocol = p.transport->kind == layer::tcp ? 6 : 17;
    }
    p.key.depth = p.ip->depth;
    // Lexicographic order of the addresses is the order of their big-endian
    // halves: two integer compares, not a call to memcmp.
    const auto half = [&](unsigned side, std::size_t at) {
        return load_be<std::uint64_t>(bytes{std::as_bytes(std::span{addr[side]})}, at);
    };
    const std::uint64_t a0 = half(0, 0), b0 = half(1, 0), a1 = half(0, 8), b1 = half(1, 8);
    const bool swap = b0 != a0 ? b0 < a0 : b1 != a1 ? b1 < a1 : port[1] < port[0];
    p.sender = swap ? 1 : 0;
    p.key.addr = swap ? decltype(addr){addr[1], addr[0]} : addr;
    p.key.port = swap ? decltype(port){port[1], port[0]} : port;
    return p;
}

} // namespace rawpkt::flow
