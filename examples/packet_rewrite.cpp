// SPDX-License-Identifier: BSD-3-Clause
// packet_rewrite IN OUT OLD=NEW [OLD=NEW ...]
//
// Reads a capture file (pcap or pcapng), replaces IPv4 addresses in the
// outer IPv4 header of every frame, and writes a new file of the same
// format and link type. Checksums are not recomputed over the packet but
// updated incrementally (RFC 1624 eqn. 3) for the 32-bit change: the IPv4
// header checksum, and the TCP or UDP checksum, whose pseudo header covers
// the addresses (a UDP checksum of 0, "none", stays 0; RFC 768). A later
// fragment carries no transport header and only its IP header changes.
//
//   packet_rewrite in.pcap out.pcap 10.0.0.1=192.0.2.1 10.0.0.2=192.0.2.2
//   42 frames, 40 addresses rewritten
#include <rawpkt/checksum.hpp>
#include <rawpkt/decode.hpp>
#include <rawpkt/pcap/reader.hpp>
#include <rawpkt/pcap/writer.hpp>

#include <cstdio>
#include <cstring>
#include <map>
#include <string_view>
#include <vector>

namespace {

using rawpkt::ipv4_address;

/// Where the checksums covering the outer IPv4 addresses are (offsets in
/// the frame; transport 0: none in this frame).
struct checksum_fields {
    std::size_t ip = 0;
    std::size_t transport = 0;
    bool udp = false;
};

/// Replaces the IPv4 address at `offset` of `frame` when the map names it,
/// updating both checksums; 1 when it did, else 0.
unsigned rewrite_address(rawpkt::mut_bytes frame, std::size_t offset, const std::map<std::uint32_t, std::uint32_t>& map,
                         const checksum_fields& c) {
    const auto old_addr = rawpkt::load_be<std::uint32_t>(frame, offset);
    const auto it = map.find(old_addr);
    if (it == map.end()) return 0;
    rawpkt::store_be<std::uint32_t>(frame, offset, it->second);
    const auto ip_sum = rawpkt::load_be<std::uint16_t>(frame, c.ip);
    rawpkt::store_be<std::uint16_t>(frame, c.ip, rawpkt::checksum::update32(ip_sum, old_addr, it->second));
    if (c.transport == 0) return 1;
    const auto sum = rawpkt::load_be<std::uint16_t>(frame, c.transport);
    if (c.udp && sum == 0) return 1; // a UDP datagram without a checksum keeps none
    auto updated = rawpkt::checksum::update32(sum, old_addr, it->second);
    if (c.udp && updated == 0) updated = 0xffff; // RFC 768: a computed 0 is sent as all ones
    rawpkt::store_be<std::uint16_t>(frame, c.transport, updated);
    return 1;
}

} // namespace

int main(int argc, char** argv) {
    if (argc < 4) {
        std::fprintf(stderr, "usage: packet_rewrite IN OUT OLD=NEW [OLD=NEW ...]\n");
        return 2;
    }
    std::map<std::uint32_t, std::uint32_t> map;
    for (int i = 3; i < argc; ++i) {
        const std::string_view arg = argv[i];
        const auto eq = arg.find('=');
        ipv4_address from, to;
        if (eq == std::string_view::npos || !ipv4_address::parse(arg.substr(0, eq), from) ||
            !ipv4_address::parse(arg.substr(eq + 1), to)) {
            std::fprintf(stderr, "packet_rewrite: %s is not OLD=NEW (two IPv4 addresses)\n", argv[i]);
            return 2;
        }
        map[from.to_u32()] = to.to_u32();
    }
    auto in = rawpkt::pcap::reader::open(argv[1]);
    if (!in) {
        std::fprintf(stderr, "packet_rewrite: %s: %s\n", argv[1], rawpkt::to_string(in.error()).c_str());
        return 1;
    }
    rawpkt::pcap::writer_options wo;
    wo.format = in->format();
    wo.precision = in->precision();
    wo.link = in->link();
    auto out = rawpkt::pcap::writer::open(argv[2], wo);
    if (!out) {
        std::fprintf(stderr, "packet_rewrite: %s: %s\n", argv[2], rawpkt::to_string(out.error()).c_str());
        return 1;
    }

    std::vector<std::byte> buf; // grows to the longest frame, then is reused
    rawpkt::decoded d;
    unsigned long frames = 0, rewritten = 0;
    for (const rawpkt::frame& f : *in) {
        buf.assign(f.data.begin(), f.data.end());
        const rawpkt::mut_bytes data{buf};
        (void)rawpkt::decode(f.data, f.link, d); // what decoded is enough: the outer IPv4 header is first
        const auto layers = d.layers();
        if (!layers.empty() && layers.size() >= 2 && layers[1].kind == rawpkt::layer::ipv4) {
            // Ethernet (or another link header), then IPv4, then maybe TCP or UDP.
            const rawpkt::layer_info& ip = layers[1];
            checksum_fields c{ip.offset + 10, 0, false}; // RFC 791 §3.1
            if (layers.size() >= 3 && layers[2].depth == 0) {
                if (layers[2].kind == rawpkt::layer::tcp) c.transport = layers[2].offset + 16;    // RFC 9293 §3.1
                if (layers[2].kind == rawpkt::layer::udp) c = {c.ip, layers[2].offset + 6, true}; // RFC 768
            }
            rewritten += rewrite_address(data, ip.offset + 12, map, c);
            rewritten += rewrite_address(data, ip.offset + 16, map, c);
        }
        rawpkt::frame copy = f;
        copy.data = data;
        if (const auto s = out->write(copy); !s) {
            std::fprintf(stderr, "packet_rewrite: %s: %s\n", argv[2], rawpkt::to_string(s.error()).c_str());
            return 1;
        }
        ++frames;
    }
    if (!in->status()) {
        std::fprintf(stderr, "packet_rewrite: %s: %s\n", argv[1], rawpkt::to_string(in->status().error()).c_str());
        return 1;
    }
    if (const auto s = out->close(); !s) {
        std::fprintf(stderr, "packet_rewrite: %s: %s\n", argv[2], rawpkt::to_string(s.error()).c_str());
        return 1;
    }
    std::printf("%lu frames, %lu addresses rewritten\n", frames, rewritten);
    return 0;
}
