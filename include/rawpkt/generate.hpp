// SPDX-License-Identifier: BSD-3-Clause
/// \file
/// Traffic generation: frames described by a few settings (addresses,
/// VLAN tags, IPv4 or IPv6, TCP, UDP or ICMP echo, payload, frame size),
/// with addresses and ports that walk a range or take random values frame
/// after frame, so that flows spread over RSS queues and fanout groups; and
/// a pacer that holds a packet or bit rate.
///
/// ```cpp
/// rawpkt::gen::frame_spec spec;
/// spec.src_ip = *rawpkt::gen::parse_ipv4_range("10.0.0.1-10.0.0.254");
/// spec.dst_port = *rawpkt::gen::parse_port_range("rand");
/// auto g = rawpkt::gen::generator::make(spec);
/// channel.tx.send_with(g->frame_len(), [&](rawpkt::mut_bytes slot) { return g->build(n, slot); });
/// ```
///
/// Every frame of a generator has the same length. build() fills every
/// length and checksum (through rawpkt::builder) and writes nothing outside
/// the frame; building frame n twice gives the same bytes (random values
/// come from a generator seeded with the frame number).
#pragma once

#include <rawpkt/bytes.hpp>
#include <rawpkt/error.hpp>
#include <rawpkt/packet/numbers.hpp>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace rawpkt::gen {

/// A number that varies per frame: `first` alone, the range first..last
/// walked in order (frame n takes first + n mod the range's size), or a
/// random value in first..last.
struct value_range {
    std::uint64_t first = 0; ///< the first value (the only one when last == first)
    std::uint64_t last = 0;  ///< the last value, at least first
    bool random = false;     ///< pick at random in first..last instead of walking

    /// How many values the range holds.
    [[nodiscard]] constexpr std::uint64_t size() const noexcept { return last - first + 1; }
    /// The value for frame `n`; `salt` tells apart the fields of one frame.
    [[nodiscard]] std::uint64_t at(std::uint64_t n, std::uint64_t seed, std::uint64_t salt) const noexcept;
};

/// "10.0.0.1", "10.0.0.1-10.0.0.254", "10.0.0.0/24" (its hosts, without the
/// network and broadcast addresses for prefixes up to /30) or "rand" (any
/// address); the values are addresses as 32-bit numbers.
[[nodiscard]] result<value_range> parse_ipv4_range(std::string_view s);
/// "80", "1000-2000" or "rand" (1..65535).
[[nodiscard]] result<value_range> parse_port_range(std::string_view s);
/// "2001:db8::1" or "2001:db8::1-2001:db8::ff" (the two may differ in their
/// last 32 bits only) or "rand" (random last 32 bits of `base`): the base
/// address and the range of its last 32 bits.
[[nodiscard]] result<value_range> parse_ipv6_range(std::string_view s, ipv6_address& base);
/// TCP flags as letters (tcpdump's: F S R P A or . U E W) or names joined
/// by commas ("syn,ack"); nullopt-like error when a letter is unknown.
[[nodiscard]] result<std::uint16_t> parse_tcp_flags(std::string_view s);
/// Payload bytes as hex ("deadbeef", "de:ad:be:ef", "0xde 0xad").
[[nodiscard]] result<std::vector<std::byte>> parse_hex(std::string_view s);

/// The layer-4 header of generated frames: UDP, TCP, ICMP/ICMPv6 echo request, or none (the payload follows the IP
/// header).
enum class transport : std::uint8_t { udp, tcp, icmp_echo, none };

/// An 802.1Q / 802.1ad tag of generated frames (IEEE 802.1Q §9.6).
struct vlan_tag {
    std::uint16_t vid = 0; ///< VLAN identifier, 0 to 4095
    std::uint8_t pcp = 0;  ///< priority code point, 0 to 7
    bool dei = false;      ///< drop eligible indicator
    /// The TPID announcing the tag: 802.1Q (0x8100) or 802.1ad (0x88a8).
    ethertype tpid = ethertype::vlan;
};

/// What a generator builds: addresses, tags, layer 4 and payload, with fields that vary per frame given as value_range.
struct frame_spec {
    mac_address src_mac{
        {0x02, 0x00, 0x00, 0x00, 0x00, 0x01}};      ///< source MAC (a locally administered address by default)
    mac_address dst_mac = mac_address::broadcast(); ///< destination MAC
    /// Outermost first.
    std::vector<vlan_tag> vlans{};
    bool ipv6 = false; ///< IPv6 (src_ip6_base, dst_ip6_base) instead of IPv4
    /// IPv4: addresses as numbers. IPv6: the last 32 bits of the bases.
    value_range src_ip{0xc0000201, 0xc0000201, false}; ///< 192.0.2.1
    value_range dst_ip{0xc0000202, 0xc0000202, false}; ///< 192.0.2.2
    ipv6_address src_ip6_base{};                       ///< IPv6 source; src_ip varies its last 32 bits
    ipv6_address dst_ip6_base{};                       ///< IPv6 destination; dst_ip varies its last 32 bits
    std::uint8_t ttl = 64;                             ///< TTL / hop limit
    transport l4 = transport::udp;                     ///< the layer-4 header
    value_range src_port{1024, 1024, false};           ///< source port (UDP, TCP)
    value_range dst_port{9, 9, false};                 ///< discard
    /// TCP: flags (tcp::flag bits), sequence number of frame 0 (frame n
    /// carries seq + n * payload length), window.
    std::uint16_t tcp_flags = 0x002;  ///< SYN
    std::uint32_t tcp_seq = 0;        ///< sequence number of frame 0
    std::uint32_t tcp_ack = 0;        ///< acknowledgment number (with the ACK flag)
    std::uint16_t tcp_window = 65535; ///< receive window
    /// ICMP echo: identifier; the sequence number is the frame number.
    std::uint16_t icmp_id = 0;
    /// The payload: these bytes, repeated or cut to the payload length.
    std::vector<std::byte> payload{};
    /// Payload length (when frame_len is 0). Without payload bytes the
    /// payload counts up: 00 01 02 ...
    std::size_t payload_len = 0;
    /// The whole frame's length (no FCS); when set, the payload takes what
    /// the headers leave.
    std::size_t frame_len = 0;
};

/// Builds frames from a frame_spec, frame n a pure function of (spec, seed, n), so threads can build different frames
/// of one stream. Movable and copyable.
class generator {
public:
    /// Checks the spec: a frame_len too small for the headers, a payload
    /// longer than the protocols allow, an IPv4 range for IPv6 fields.
    /// errc::bad_value / length_too_small / length_too_large.
    [[nodiscard]] static result<generator> make(frame_spec spec, std::uint64_t seed = 0);

    /// The length of every frame.
    [[nodiscard]] std::size_t frame_len() const noexcept { return frame_len_; }
    /// The spec it builds from.
    [[nodiscard]] const frame_spec& spec() const noexcept { return spec_; }

    /// Builds frame `n` into the first frame_len() bytes of `out`; returns
    /// them (what sender::send_with() takes). Frame 0 is assembled once, at
    /// make(); frame n is a copy of it with the fields that differ written
    /// and the checksums updated for them (RFC 1624), so the cost per frame
    /// is a copy and a few stores whatever the payload length.
    [[nodiscard]] result<mut_bytes> build(std::uint64_t n, mut_bytes out) const noexcept;

private:
    /// The fields that may differ between frames, as frame n has them.
    struct varying {
        std::uint64_t src_ip = 0; ///< IPv4 address, or the last 32 bits of the IPv6 one
        std::uint64_t dst_ip = 0;
        std::uint16_t src_port = 0;
        std::uint16_t dst_port = 0;
        std::uint16_t counter = 0; ///< IPv4 identification, ICMP echo sequence number: n mod 2^16
        std::uint32_t tcp_seq = 0; ///< the TCP sequence number
    };

    generator(frame_spec s, std::uint64_t seed, std::size_t payload, std::size_t frame)
        : spec_(std::move(s)), seed_(seed), payload_len_(payload), frame_len_(frame) {}
    [[nodiscard]] std::size_t headers_len() const noexcept;
    [[nodiscard]] varying fields_of(std::uint64_t n) const noexcept;
    /// Frame n assembled layer by layer with the builder.
    void assemble(std::uint64_t n, mut_bytes frame) const noexcept;

    frame_spec spec_;
    std::uint64_t seed_;
    std::size_t payload_len_;
    std::size_t frame_len_;
    std::vector<std::byte> frame0_{}; ///< frame 0, which build() patches
    varying fields0_{};               ///< what frame 0 carries
};

/// Holds a rate: wait() returns when the next frame is due. With a packet
/// rate, frames are spaced 1/pps apart; with a bit rate, by their length
/// (plus 20 bytes of preamble and inter-frame gap and 4 of FCS, as on the
/// wire). Neither: no waiting. Bursts catch up after a stall of up to
/// 10 ms; beyond that the schedule restarts from now (no flood after a pause).
class pacer {
public:
    /// Holds `packets_per_second` when it is above 0, else `bits_per_second` when that is above 0; otherwise it never
    /// waits.
    pacer(double packets_per_second, double bits_per_second) noexcept;
    /// Waits until a frame of `frame_len` bytes may go.
    void wait(std::size_t frame_len) noexcept;
    /// When a frame of `frame_len` bytes may go (now or later), counting it
    /// as sent: wait() without the wait, for a sender that has something
    /// to do first (flush what it queued) when the time is still to come.
    [[nodiscard]] std::chrono::steady_clock::time_point due(std::size_t frame_len) noexcept;
    /// True when there is no rate to hold.
    [[nodiscard]] bool unlimited() const noexcept { return pps_ <= 0 && bps_ <= 0; }

private:
    double pps_;
    double bps_;
    std::chrono::steady_clock::time_point next_{};
    bool started_ = false;
};

} // namespace rawpkt::gen
