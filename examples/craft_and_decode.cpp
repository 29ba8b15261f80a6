// SPDX-License-Identifier: BSD-3-Clause
// Crafts a handful of frames with the builder, then decodes each one and
// prints its layers: what rawpkt's Quick start runs.
#include <rawpkt/rawpkt.hpp>

#include <array>
#include <cstdio>
#include <string>
#include <string_view>

namespace {

using namespace rawpkt;

bytes text(std::string_view s) { return {reinterpret_cast<const std::byte*>(s.data()), s.size()}; }

constexpr mac_address mac(std::uint8_t last) { return {{0x02, 0x00, 0x5e, 0x00, 0x53, last}}; }
constexpr ipv4_address v4(std::uint8_t d) { return {{192, 0, 2, d}}; } // RFC 5737 documentation range
ipv6_address v6(std::string_view s) {
    ipv6_address a;
    (void)ipv6_address::parse(s, a);
    return a;
}

/// One line per layer, with the fields a network engineer looks at first.
void print_layer(const decoded& d, const layer_info& l) {
    std::printf("  %*s%-10s @%-3u ", 2 * l.depth, "", to_string(l.kind), l.offset);
    const bytes b = d.bytes_of(l);
    switch (l.kind) {
    case layer::ethernet: {
        const auto v = ethernet::view::unchecked(b);
        std::printf("%s > %s type 0x%04x", v.src().to_string().c_str(), v.dst().to_string().c_str(), v.type_len());
        break;
    }
    case layer::vlan: {
        const auto v = vlan::view::unchecked(b);
        std::printf("vid %u pcp %u", v.vid(), v.pcp());
        break;
    }
    case layer::ipv4: {
        const auto v = ipv4::view::unchecked(b);
        std::printf("%s > %s ttl %u len %u checksum %s", v.src().to_string().c_str(), v.dst().to_string().c_str(),
                    v.ttl(), v.total_len(), v.checksum_ok() ? "ok" : "BAD");
        break;
    }
    case layer::ipv6: {
        const auto v = ipv6::view::unchecked(b);
        std::printf("%s > %s hlim %u plen %u", v.src().to_string().c_str(), v.dst().to_string().c_str(), v.hop_limit(),
                    v.payload_len());
        break;
    }
    case layer::tcp: {
        const auto v = tcp::view::unchecked(b);
        std::printf("%u > %u seq %u win %u flags 0x%03x options %zu bytes", v.src_port(), v.dst_port(), v.sequence(),
                    v.window(), v.flags(), v.options_bytes().size());
        break;
    }
    case layer::udp: {
        const auto v = udp::view::unchecked(b);
        std::printf("%u > %u length %u", v.src_port(), v.dst_port(), v.length());
        break;
    }
    case layer::icmpv4: {
        const auto v = icmpv4::view::unchecked(b);
        std::printf("type %u code %u checksum %s", static_cast<unsigned>(v.type()), v.code(),
                    v.checksum_ok() ? "ok" : "BAD");
        break;
    }
    case layer::icmpv6: {
        const auto v = icmpv6::view::unchecked(b);
        std::printf("type %u code %u", static_cast<unsigned>(v.type()), v.code());
        break;
    }
    case layer::vxlan: std::printf("vni %u", vxlan::view::unchecked(b).vni()); break;
    case layer::gre:
        std::printf("protocol 0x%04x", static_cast<unsigned>(gre::view::unchecked(b).protocol_type()));
        break;
    default: std::printf("%u header bytes", l.header_len); break;
    }
    std::printf("\n");
}

void show(const char* title, const result<mut_bytes>& frame, link_type link) {
    if (!frame) {
        std::printf("%s: build failed: %s\n", title, to_string(frame.error()).c_str());
        return;
    }
    decoded d;
    const status s = decode(*frame, link, d);
    std::printf("%s (%zu bytes)\n", title, frame->size());
    for (const auto& l : d.layers()) print_layer(d, l);
    std::printf("  payload    @%-3u %zu bytes, %s\n", d.payload_offset(), d.payload().size(),
                s ? to_string(d.stop()) : to_string(s.error()).c_str());
}

} // namespace

int main() {
    std::array<std::byte, 256> buf{};

    // A TCP SYN with the options Linux sends.
    tcp::repr syn{.src_port = 49152, .dst_port = 443, .sequence = 1000, .flags = tcp::flag::syn, .window = 64240};
    tcp::options_writer{syn}.mss(1460).sack_permitted().timestamps(1, 0).window_scale(7);
    show("TCP SYN",
         builder{buf}.tcp(syn).ipv4({.src = v4(1), .dst = v4(2)}).ethernet({.src = mac(1), .dst = mac(2)}).finish(),
         link_type::ethernet);

    // A DNS query header over UDP over IPv6 in a VLAN.
    constexpr auto dns_header = make_bytes(0x12, 0x34, 0x01, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00);
    show("UDP over IPv6 in VLAN 100",
         builder{buf}
             .payload(dns_header)
             .udp({.src_port = 5353, .dst_port = 53})
             .ipv6({.src = v6("2001:db8::1"), .dst = v6("2001:db8::53")})
             .vlan({.vid = 100})
             .ethernet({.src = mac(1), .dst = mac(2)})
             .finish(),
         link_type::ethernet);

    // A ping carried across a VXLAN overlay.
    show("ICMP echo in VXLAN",
         builder{buf}
             .payload(text("abcdefgh"))
             .icmpv4({.identifier = 1, .sequence = 1})
             .ipv4({.src = ipv4_address{{10, 0, 0, 1}}, .dst = ipv4_address{{10, 0, 0, 2}}})
             .ethernet({.src = mac(3), .dst = mac(4)})
             .vxlan({.vni = 5001})
             .udp({.src_port = 51000})
             .ipv4({.src = v4(1), .dst = v4(2)})
             .ethernet({.src = mac(1), .dst = mac(2)})
             .finish(),
         link_type::ethernet);

    // IPv6 in GRE over IPv4, as a raw IP packet.
    show("IPv6 in GRE",
         builder{buf}
             .payload(text("x"))
             .tcp({.src_port = 22, .dst_port = 50000, .flags = tcp::flag::ack | tcp::flag::psh})
             .ipv6({.src = v6("2001:db8:1::1"), .dst = v6("2001:db8:2::1")})
             .gre({.key = 7})
             .ipv4({.src = v4(1), .dst = v4(2)})
             .finish(),
         link_type::raw);

    // A frame cut short: decoding says exactly where and why.
    auto frame = builder{buf}
                     .payload(text("this payload is cut by the capture"))
                     .udp({.src_port = 1, .dst_port = 2})
                     .ipv4({.src = v4(1), .dst = v4(2)})
                     .ethernet({.src = mac(1), .dst = mac(2)})
                     .finish();
    show("Truncated capture (strict decode)", result<mut_bytes>{frame->first(50)}, link_type::ethernet);
    return 0;
}
