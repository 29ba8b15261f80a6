// SPDX-License-Identifier: BSD-3-Clause
/// \file
/// Traffic statistics over decoded frames: packets, bytes, protocols, top
/// talkers and top ports -- what a capture summary or a live view shows.
///
/// ```cpp
/// rawpkt::traffic_stats stats;
/// for (const rawpkt::frame& f : reader) {
///     rawpkt::decode(f.data, f.link, d, {.mode = rawpkt::decode_mode::lax});
///     stats.add(f, d);
/// }
/// for (const auto& p : stats.protocols()) std::printf("%s %llu\n", p.name, p.packets);
/// ```
///
/// Protocols are counted once per frame that carries them (a tunnelled
/// frame counts "ip" once), by rawpkt::protocol_name(). Talkers are the
/// addresses of the outermost IP header, counted as source and as
/// destination; ports are the TCP and UDP ports of the first transport
/// header, both ends. Adding a frame allocates only when it brings a new
/// address or port.
#pragma once

#include <rawpkt/bytes.hpp>
#include <rawpkt/decode.hpp>
#include <rawpkt/frame.hpp>

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

namespace rawpkt {

/// Running totals of a stream of frames for rawpkt-top and summaries: packets and bytes per protocol, per address and
/// per TCP/UDP port. Not thread-safe.
class traffic_stats {
public:
    /// Packets and bytes of one kind.
    struct counter {
        std::uint64_t packets = 0; ///< frames counted
        std::uint64_t bytes = 0;   ///< wire bytes (original lengths)
    };
    /// A protocol with its totals (see protocols()).
    struct protocol_count {
        const char* name = nullptr; ///< protocol_name()
        counter count;              ///< frames carrying the protocol and their bytes
    };
    /// An address with its totals (see top_talkers()).
    struct talker {
        std::string address; ///< "192.0.2.1", "2001:db8::1"
        counter count;       ///< frames from or to the address and their bytes
    };
    /// A TCP or UDP port with its totals.
    struct port_count {
        const char* protocol = nullptr; ///< "tcp" or "udp"
        std::uint16_t port = 0;         ///< the port number
        counter count;                  ///< frames from or to the port and their bytes
    };

    /// The most addresses counted by default (see max_talkers()).
    static constexpr std::size_t default_max_talkers = 65536;

    /// Counts at most default_max_talkers addresses.
    traffic_stats() = default;
    /// Counts at most `max_talkers` distinct addresses: spoofed sources must
    /// not grow the table without bound. Once it is full, frames of new
    /// addresses still count everywhere else, and untracked() counts them.
    explicit traffic_stats(std::size_t max_talkers) : max_talkers_(max_talkers) {}

    /// Counts one frame; `d` is its decoding.
    void add(const frame& f, const decoded& d);
    /// Forgets everything but the bound.
    void clear();

    /// The bound on distinct addresses counted.
    [[nodiscard]] std::size_t max_talkers() const noexcept { return max_talkers_; }
    /// Address occurrences (a frame's source or destination) left out of
    /// top_talkers() because the table held max_talkers() addresses already.
    [[nodiscard]] std::uint64_t untracked() const noexcept { return untracked_; }

    /// Frames counted.
    [[nodiscard]] std::uint64_t packets() const noexcept { return total_.packets; }
    /// Bytes on the wire (original lengths).
    [[nodiscard]] std::uint64_t bytes() const noexcept { return total_.bytes; }
    /// Bytes captured.
    [[nodiscard]] std::uint64_t captured_bytes() const noexcept { return captured_; }
    /// Frames whose decoding stopped on an error.
    [[nodiscard]] std::uint64_t malformed() const noexcept { return malformed_; }
    /// Time of the first and the last frame (ns since the epoch; 0 before any).
    [[nodiscard]] std::int64_t first_ns() const noexcept { return first_ns_; }
    /// Time of the last frame (see first_ns()).
    [[nodiscard]] std::int64_t last_ns() const noexcept { return last_ns_; }

    /// Every protocol seen, most packets first (ties: in order of layering).
    [[nodiscard]] std::vector<protocol_count> protocols() const;
    /// The `n` addresses with the most bytes, most first.
    [[nodiscard]] std::vector<talker> top_talkers(std::size_t n) const;
    /// The `n` ports with the most bytes, most first.
    [[nodiscard]] std::vector<port_count> top_ports(std::size_t n) const;

private:
    struct address_key {
        std::array<std::uint8_t, 16> octets{};
        bool v6 = false;
        friend bool operator==(const address_key&, const address_key&) = default;
    };
    struct address_hash {
        std::size_t operator()(const address_key& k) const noexcept;
    };

    std::size_t max_talkers_ = default_max_talkers;
    std::uint64_t untracked_ = 0;
    counter total_{};
    std::uint64_t captured_ = 0;
    std::uint64_t malformed_ = 0;
    std::int64_t first_ns_ = 0;
    std::int64_t last_ns_ = 0;
    std::vector<protocol_count> protocols_;
    std::unordered_map<address_key, counter, address_hash> talkers_;
    std::unordered_map<std::uint32_t, counter> ports_; ///< protocol << 16 | port
};

} // namespace rawpkt
