// SPDX-License-Identifier: BSD-3-Clause
// docs/porting.md: each part between "[guide:NAME]" markers is shown there
// as it is (a test keeps the two in step). The receive loop of libpnet's
// packetdump example, written with rawpkt. Without arguments the program
// feeds its handler frames through an in-memory channel; given an
// interface name it captures ten frames from it (CAP_NET_RAW needed).
#include <rawpkt/rawpkt.hpp>

#include <array>
#include <chrono>
#include <cstdio>
#include <string>

using namespace rawpkt;
namespace dl = rawpkt::datalink;

namespace {

int handled = 0;

// [guide:handler]
// libpnet: EthernetPacket::new(packet) -> Option; here checked() -> result, with the reason.
void handle(const frame& f) {
    const auto eth = ethernet::view::checked(f.data);
    if (!eth || eth->ethertype() != ethertype::ipv4) return; // get_ethertype() == EtherTypes::Ipv4
    const auto ip = ipv4::view::checked(eth->payload());     // Ipv4Packet::new(eth.payload())
    if (!ip || ip->protocol() != ip_proto::tcp) return;      // get_next_level_protocol()
    const auto tcp = tcp::view::checked(ip->payload());      // TcpPacket::new(ip.payload())
    if (!tcp) return;
    std::printf("TCP %s:%u > %s:%u, %zu bytes\n", ip->src().to_string().c_str(), tcp->src_port(),
                ip->dst().to_string().c_str(), tcp->dst_port(), tcp->payload().size());
    ++handled;
}
// [/guide:handler]

int capture(const char* interface) {
    // [guide:loop]
    // libpnet: datalink::channel(&interface, Default::default()) -> Channel::Ethernet(tx, rx)
    std::string why;
    auto ch = dl::open(interface, {}, &why); // ring backend; the sender is ch->tx
    if (!ch) {
        std::fprintf(stderr, "%s\n", why.c_str());
        return 1;
    }
    for (int i = 0; i < 10; ++i) {
        const auto f = ch->rx.next(std::chrono::seconds{1}); // rx.next() -> io::Result<&[u8]>
        if (!f) return 1;
        if (*f != nullptr) handle(**f); // a frame: bytes plus time, lengths, direction
    }
    // [/guide:loop]
    return 0;
}

} // namespace

int main(int argc, char** argv) {
    if (argc > 1) return capture(argv[1]);
    auto m = dl::open_memory();
    if (!m) return 1;
    std::array<std::byte, 96> buf{};
    const auto tcp_frame =
        builder{buf}
            .reserve_payload(12)
            .tcp({.src_port = 443, .dst_port = 50000, .flags = tcp::flag::ack})
            .ipv4({.src = ipv4_address{{192, 0, 2, 1}}, .dst = ipv4_address{{192, 0, 2, 2}}})
            .ethernet({.src = mac_address{{2, 0, 0, 0, 0, 1}}, .dst = mac_address{{2, 0, 0, 0, 0, 2}}})
            .finish();
    if (!tcp_frame || !m->port.push(*tcp_frame)) return 1;
    const auto arp_like = make_bytes(0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 2, 0, 0, 0, 0, 1, 0x08, 0x06);
    if (!m->port.push(arp_like)) return 1; // not IPv4: skipped
    m->port.close();
    while (const auto f = m->channel.rx.next(dl::no_wait)) {
        if (*f == nullptr) break;
        handle(**f);
    }
    return handled == 1 ? 0 : 1;
}
