// SPDX-License-Identifier: BSD-3-Clause
/// \file
/// Human-readable printing of decoded frames, as a network engineer reads
/// them: one line per frame in the style of `tcpdump -nn -S`, every layer
/// with its fields, a hex and ASCII dump, timestamps, and the protocol names
/// tshark uses.
///
/// ```cpp
/// std::string line;
/// rawpkt::append_time(line, f.timestamp_ns, rawpkt::time_format::time_of_day);
/// line += ' ';
/// rawpkt::append_summary(line, f, d);     // "IP 10.0.0.8.50860 > 10.0.0.138.53: UDP, length 34"
/// ```
///
/// The one-line summary follows tcpdump's wording for what rawpkt decodes
/// (Ethernet, VLAN, MPLS, PPPoE, ARP, IPv4, IPv6 and its extension headers,
/// ICMP, ICMPv6, TCP, UDP, GRE, VXLAN, Geneve, GTP-U, Teredo, IP-in-IP):
/// addresses and ports numeric, TCP sequence numbers absolute (tcpdump's
/// -S), the transport length, `vlan 10, p 0, ` and `MPLS (label ...)`
/// markers, a tunnel's inner packet after a ": " on the same line.
/// Application protocols are not decoded: a DNS query is "UDP, length 34".
/// A layer that did not decode ends the line with its error in brackets.
#pragma once

#include <rawpkt/bytes.hpp>
#include <rawpkt/decode.hpp>
#include <rawpkt/frame.hpp>

#include <cstdint>
#include <string>

namespace rawpkt {

/// How a timestamp is printed (tcpdump's -t options).
enum class time_format : std::uint8_t {
    none,        ///< no timestamp (-t)
    time_of_day, ///< "21:17:47.790511", local time (the default)
    epoch,       ///< "1425763067.790511", seconds since 1970 (-tt)
    delta,       ///< "0.000203", since the previous frame (-ttt)
    date_time,   ///< "2015-03-07 21:17:47.790511", local time (-tttt)
    since_first, ///< "00:00:12.000203", since the first frame (-ttttt)
};

/// Options of the one-line summary (tcpdump's output line) of a frame.
struct summary_options {
    /// Print the link-layer header (tcpdump's -e): MAC addresses, EtherType
    /// and frame length; the packet type and address for Linux cooked
    /// frames.
    bool link_header = false;
};

/// Appends the one-line summary of a decoded frame (no timestamp, no
/// newline). `d` must be the decoding of `f.data`.
void append_summary(std::string& out, const frame& f, const decoded& d, const summary_options& options = {});
/// The one-line summary as a string.
[[nodiscard]] std::string summary(const frame& f, const decoded& d, const summary_options& options = {});

/// Appends a timestamp. `reference_ns` is the previous frame's time for
/// time_format::delta and the first frame's for since_first. Fractions have
/// 6 digits, or 9 with `nano`.
void append_time(std::string& out, std::int64_t ns, time_format format, bool nano = false,
                 std::int64_t reference_ns = 0);

/// tshark's protocol name for a decoded layer: "eth", "vlan", "mpls",
/// "sll", "null", "ppp", "pppoes", "llc", "arp", "ip", "ipv6",
/// "ipv6.hopopts", "ipv6.routing", "ipv6.fraghdr", "ipv6.dstopts", "ah",
/// "icmp", "icmpv6", "tcp", "udp", "gre", "vxlan", "geneve", "gtp",
/// "teredo".
[[nodiscard]] const char* protocol_name(const layer_info& l) noexcept;

/// Appends one line per decoded layer, indented by four spaces: its name,
/// offset and lengths, marks (truncated, quoted, fragment) and every field
/// rawpkt::fields prints for it ("ip.ttl=64"); then what follows the last
/// layer (payload, unsupported protocol or error). `number` is the frame's
/// number (frame.number). Each line ends with a newline.
void append_layers(std::string& out, const frame& f, std::uint64_t number, const decoded& d);

/// Appends a hex and ASCII dump of `data` as `tcpdump -X` prints it: lines
/// of 16 bytes, "\t0x0010:  4500 0054 ...  E..T..", each ending with a
/// newline.
void append_hex(std::string& out, bytes data);

} // namespace rawpkt
