// SPDX-License-Identifier: BSD-3-Clause
// The API tour of README.md: each part between "[tour:NAME]" markers is
// shown there verbatim (a test keeps the two in step), and this program
// runs them all.
#include <rawpkt/rawpkt.hpp>

#include <array>
#include <chrono>
#include <cstdio>
#include <string>

using namespace rawpkt;

// An Ethernet/IPv4/UDP frame as a capture would hand it over.
constexpr auto sample = make_bytes(                                         //
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
    const auto ip = ipv4::view::checked(bytes{sample}.subspan(14));
    if (!ip) {
        std::printf("bad packet: %s\n", to_string(ip.error()).c_str());
        return 1;
    }
    std::printf("%s > %s ttl %u proto %u checksum %s\n", ip->src().to_string().c_str(), ip->dst().to_string().c_str(),
                ip->ttl(), static_cast<unsigned>(ip->protocol()), ip->checksum_ok() ? "ok" : "bad");

    // A short buffer is an error value naming layer, length source and sizes:
    // "ipv4: truncated at offset 0: total length field needs 32 bytes, 25 available"
    const auto cut = ipv4::view::checked(bytes{sample}.subspan(14, 25));
    std::printf("%s\n", to_string(cut.error()).c_str());
    // [/tour:parse]
    return 0;
}

int decode_a_frame() {
    // [tour:decode]
    // One pass from the link header to the payload, into storage you own:
    // no allocation, no virtual call.
    decoded d;
    if (const status s = decode(sample, link_type::ethernet, d); !s) {
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
    // Mutable views edit a buffer you own. A router decrements the TTL, a NAT
    // rewrites an address: both patch the checksums incrementally (RFC 1624)
    // instead of summing the packet again.
    std::array<std::byte, sample.size()> copy = sample;
    auto ip = ipv4::mut_view::checked(mut_bytes{copy}.subspan(14));
    if (!ip) return 1;
    ip->decrement_ttl();
    const ipv4_address old_dst = ip->dst();
    const ipv4_address new_dst{{198, 51, 100, 7}};
    ip->set_dst(new_dst);
    ip->set_checksum(checksum::update32(ip->checksum(), old_dst.to_u32(), new_dst.to_u32()));
    auto udp = udp::mut_view::checked(ip->payload());
    if (!udp) return 1;
    // The address is in UDP's pseudo header too.
    udp->set_checksum(checksum::update32(udp->checksum(), old_dst.to_u32(), new_dst.to_u32()));
    const bool ok = ipv4::view{*ip}.checksum_ok() && udp::view{*udp}.checksum_ok(ip->src(), ip->dst());
    std::printf("ttl %u, dst %s, checksums %s\n", ip->ttl(), ip->dst().to_string().c_str(), ok ? "ok" : "bad");
    // [/tour:edit]
    return 0;
}

// Reads a capture file (run with a path as the first argument).
int read_a_file(const char* path) {
    // [tour:files]
    auto r = pcap::reader::open(path); // or "-" for standard input
    if (!r) {
        std::printf("%s: %s\n", path, to_string(r.error()).c_str()); // not found, bad magic, ...
        return 1;
    }
    decoded d;
    std::size_t tcp_frames = 0;
    for (const frame& f : *r) { // frames point into the reader's buffer: no copy per packet
        if (decode(f.data, f.link, d, {.mode = decode_mode::lax}) && d.get<tcp::view>()) ++tcp_frames;
    }
    // A damaged file: every whole packet before the damage was read.
    if (!r->status()) std::printf("stopped: %s\n", to_string(r->status().error()).c_str());
    std::printf("%zu TCP frames\n", tcp_frames);

    auto w = pcap::writer::open("copy.pcap", {.format = pcap::file_format::pcap, .atomic = true});
    // w->write(f) for each frame, then w->close(): the file appears whole or not at all.
    // [/tour:files]
    if (!w || !w->close()) return 1;
    return 0;
}

// Captures on an interface (run as root with an interface name).
int capture_live(const char* interface) {
    // [tour:live]
    std::string why; // on failure: a sentence for the user (or libpcap's filter message)
    auto ch = datalink::open(interface, {.filter = "tcp port 443"}, &why);
    if (!ch) {
        // e.g. "CAP_NET_RAW needed (...)", "no interface named ... (did you mean ...?)"
        std::printf("%s\n", why.c_str());
        return 1;
    }
    for (int i = 0; i < 10; ++i) {
        const auto batch = ch->rx.next_batch(std::chrono::milliseconds{100});
        if (!batch) break;
        for (const frame& f : *batch) { // in place in the ring: ns timestamps, direction, VLAN tag
            std::printf("%lld %u bytes %s\n", static_cast<long long>(f.timestamp_ns), f.captured_len(),
                        to_string(f.dir));
        }
    }
    // Build a frame in place in a TX ring slot; sent with the next batch.
    const auto sent = ch->tx.send_with(60, [](mut_bytes slot) {
        return builder{slot}.reserve_payload(18).ipv4({}).ethernet({.dst = mac_address::broadcast()}).finish();
    });
    if (!sent || !ch->tx.flush()) return 1;
    // [/tour:live]
    return 0;
}

int main(int argc, char** argv) {
    if (argc > 2) return capture_live(argv[2]);
    if (argc > 1) return read_a_file(argv[1]);
    return parse_a_header() | decode_a_frame() | craft_a_frame() | edit_in_place();
}
