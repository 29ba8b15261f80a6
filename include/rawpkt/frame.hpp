// SPDX-License-Identifier: BSD-3-Clause
/// \file
/// A frame as every source hands it out: capture files, live channels and
/// in-memory backends all produce this record, so code that consumes frames
/// does not care where they came from.
#pragma once

#include <rawpkt/bytes.hpp>
#include <rawpkt/packet/numbers.hpp>

#include <cstdint>
#include <string_view>

namespace rawpkt {

/// Which way a frame went, as far as the source knows.
enum class direction : std::uint8_t {
    unknown,
    host,       ///< addressed to this host (Linux PACKET_HOST)
    broadcast,  ///< link-layer broadcast (PACKET_BROADCAST)
    multicast,  ///< link-layer multicast (PACKET_MULTICAST)
    other_host, ///< to another host, seen in promiscuous mode (PACKET_OTHERHOST)
    outgoing,   ///< sent by this host (PACKET_OUTGOING; pcapng "outbound")
    inbound,    ///< received, with no finer detail (pcapng "inbound")
};

/// The direction's name as rawpkt-dump prints it ("host", "other-host", ...).
[[nodiscard]] constexpr const char* to_string(direction d) noexcept {
    switch (d) {
    case direction::unknown: return "unknown";
    case direction::host: return "host";
    case direction::broadcast: return "broadcast";
    case direction::multicast: return "multicast";
    case direction::other_host: return "other-host";
    case direction::outgoing: return "outgoing";
    case direction::inbound: return "inbound";
    }
    return "?";
}

/// One captured frame. The bytes and the comment point into the source's
/// buffer (a file mapping, a ring slot): nothing is copied. How long they
/// stay valid is the source's rule (for a memory-mapped file, as long as
/// its reader lives; for a pipe or a live ring, until the next receive).
struct frame {
    /// The captured bytes, starting with the link-layer header of `link`.
    bytes data{};
    /// Capture time in nanoseconds since the Unix epoch (UTC).
    std::int64_t timestamp_ns = 0;
    /// The frame's length on the wire; at least data.size().
    std::uint32_t original_len = 0;
    /// The interface it was seen on: a pcapng interface id, or an ifindex
    /// for live capture.
    std::uint32_t interface = 0;
    /// The link-layer header `data` starts with (the capture's DLT/LINKTYPE).
    link_type link = link_type::ethernet;
    /// Which way the frame went (live capture, pcapng epb_flags); unknown when the source does not say.
    direction dir = direction::unknown;
    /// A VLAN tag the kernel took off the frame and kept aside (live capture
    /// only): 0 when there was none.
    std::uint16_t vlan_tpid = 0;
    /// The removed tag's TCI (priority, DEI, VLAN id; IEEE 802.1Q §9.6) when vlan_tpid is not 0.
    std::uint16_t vlan_tci = 0;
    /// The capture file's comment on this frame (pcapng opt_comment), if any.
    std::string_view comment{};

    /// The number of bytes captured.
    [[nodiscard]] constexpr std::uint32_t captured_len() const noexcept {
        return static_cast<std::uint32_t>(data.size());
    }
    /// True when the capture kept fewer bytes than the wire carried.
    [[nodiscard]] constexpr bool truncated() const noexcept { return data.size() < original_len; }
};

} // namespace rawpkt
