// SPDX-License-Identifier: BSD-3-Clause
// The API tour of README.md: each part between "[tour:NAME]" markers is
// shown there verbatim (a test keeps the two in step), and this program
// runs them all.
#include <rawpkt/rawpkt.hpp>

#include <array>
#include <cstdio>

using namespace rawpkt;

// An Ethernet/IPv4/UDP frame as a capture would hand it over.
constexpr auto frame = make_bytes(                                          //
    0x02, 0x00, 0x00, 0x00, 0x00, 0x02, 0x02, 0x00, 0x00, 0x00, 0x00, 0x01, // dst, src MAC
    0x08, 0x00,                                                             // IPv4
    0x45, 0x00, 0x00, 0x20, 0x12, 0x34, 0x40, 0x00, 0x40, 0x11, 0xa4, 0x95, // IPv4 header...
    0xc0, 0x00, 0x02, 0x01, 0xc0, 0x00, 0x02, 0x02,                         // 192.0.2.1 > 192.0.2.2
    0x30, 0x39, 0x00, 0x35, 0x00, 0x0c, 0xc1, 0xf0,                         // UDP 12345 > 53
    0x68, 0x69, 0x21, 0x0a);                                                // "hi!\n"

int parse_a_header() {
    // [tour:parse]
    // checked() validates every length the accessors rely on: after it, no
    // accessor can read out of bounds. Views copy nothing.
    const auto ip = ipv4::view::checked(bytes{frame}.subspan(14));
    if (!ip) {
        std::printf("bad packet: %s\n", to_string(ip.error()).c_str());
        return 1;
    }
    std::printf("%s > %s ttl %u proto %u checksum %s\n", ip->src().to_string().c_str(), ip->dst().to_string().c_str(),
                ip->ttl(), static_cast<unsigned>(ip->protocol()), ip->checksum_ok() ? "ok" : "bad");

    // A short buffer is an error value naming layer, length source and sizes:
    // "ipv4: truncated at offset 0: total length field needs 32 bytes, 25 available"
    const auto cut = ipv4::view::checked(bytes{frame}.subspan(14, 25));
    std::printf("%s\n", to_string(cut.error()).c_str());
    // [/tour:parse]
    return 0;
}

int decode_a_frame() {
    // [tour:decode]
    // One pass from the link header to the payload, into storage you own:
    // no allocation, no virtual call.
    decoded d;
    if (const status s = decode(frame, link_type::ethernet, d); !s) {
        std::printf("decode: %s\n", to_string(s.error()).c_str());
        return 1;
    }
    for (const layer_info& l : d.layers()) std::printf("%s at %u\n", to_string(l.kind), l.offset);
    if (const auto udp = d.get<udp::view>()) {
        std::printf("udp %u > %u, %zu payload bytes\n", udp->src_port(), udp->dst_port(), d.payload().size());
    }
    // [/tour:decode]
    return 0;
}

int craft_a_frame() {
    // [tour:build]
    // Innermost first; lengths, protocol fields and checksums are filled in.
    std::array<std::byte, 128> buf{};
    const auto query = make_bytes(0x12, 0x34, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00);
    const auto built = builder{buf}
                           .payload(query)
                           .udp({.src_port = 5353, .dst_port = 53})
                           .ipv4({.src = ipv4_address{{192, 0, 2, 1}}, .dst = ipv4_address{{192, 0, 2, 53}}})
                           .ethernet({.src = mac_address{{2, 0, 0, 0, 0, 1}}, .dst = mac_address::broadcast()})
                           .finish(); // result<mut_bytes>: exactly the frame, at the end of buf
    if (!built) return 1;
    std::printf("built %zu bytes\n", built->size());
    // [/tour:build]
    return 0;
}

int edit_in_place() {
    // [tour:edit]
    // Mutable views edit a buffer you own; decrement_ttl() patches the header
    // checksum incrementally (RFC 1624), as a router does.
    std::array<std::byte, frame.size()> copy = frame;
    auto ip = ipv4::mut_view::unchecked(mut_bytes{copy}.subspan(14));
    ip.decrement_ttl();
    ip.set_dst(ipv4_address{{198, 51, 100, 7}});
    ip.fill_checksum();
    auto udp = udp::mut_view::unchecked(ip.payload_mut());
    udp.fill_checksum(ip.src(), ip.dst()); // covers the pseudo header
    std::printf("ttl %u, checksums %s\n", ip.ttl(),
                ipv4::view{ip}.checksum_ok() && udp::view{udp}.checksum_ok(ip.src(), ip.dst()) ? "ok" : "bad");
    // [/tour:edit]
    return 0;
}

int main() { return parse_a_header() | decode_a_frame() | craft_a_frame() | edit_in_place(); }
