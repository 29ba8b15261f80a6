// SPDX-License-Identifier: BSD-3-Clause
// Test helper: TCP segments of one IPv4 connection, from a real header.
#pragma once

#include <rawpkt/packet/ipv4.hpp>
#include <rawpkt/packet/tcp.hpp>

#include "support/hex_literal.hpp"

#include <cstring>
#include <string>
#include <vector>

namespace rawpkt::test {

// 10.0.0.1:12345 -> 10.0.0.2:80, SYN, seq 0 (tshark: "Internet Protocol
// Version 4, Src: 10.0.0.1, Dst: 10.0.0.2; Transmission Control Protocol,
// Src Port: 12345, Dst Port: 80, Seq: 0, Len: 0, Flags: 0x002 (SYN)").
inline constexpr auto syn_packet = R"(
    45 00 00 28 00 01 00 00 40 06 66 cd 0a 00 00 01 0a 00 00 02
    30 39 00 50 00 00 00 00 00 00 00 00 50 02 20 00 00 00 00 00)"_hex;

/// A segment of the connection above; `reply` goes from 10.0.0.2:80 back.
inline std::vector<std::byte> segment(bool reply, std::uint32_t seq, std::uint16_t flags,
                                      const std::string& data = {}) {
    std::vector<std::byte> p(syn_packet.size() + data.size());
    std::memcpy(p.data(), syn_packet.data(), syn_packet.size());
    // A loop, not memcpy: g++ 12 warns falsely on the inlined empty case.
    for (std::size_t i = 0; i < data.size(); ++i) p[syn_packet.size() + i] = static_cast<std::byte>(data[i]);
    auto ip = ipv4::mut_view::unchecked(mut_bytes{p});
    ip.set_total_len(static_cast<std::uint16_t>(p.size()));
    if (reply) {
        ip.set_src(ipv4_address{{10, 0, 0, 2}});
        ip.set_dst(ipv4_address{{10, 0, 0, 1}});
    }
    ip.fill_checksum();
    auto t = tcp::mut_view::unchecked(mut_bytes{p}.subspan(20));
    if (reply) {
        t.set_src_port(80);
        t.set_dst_port(12345);
    }
    t.set_sequence(seq);
    t.set_flags(flags);
    return p;
}

} // namespace rawpkt::test
