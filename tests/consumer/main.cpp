// An application outside the rawpkt tree, built against the installed package.
#include <rawpkt/rawpkt.hpp>

#include <cstdio>
#include <cstring>

int main() {
    // An IPv4 header (RFC 791 §3.1) with its checksum filled in by the library.
    rawpkt::ipv4::repr ip;
    ip.src = rawpkt::ipv4_address::from_u32(0xc0000201); // 192.0.2.1
    ip.dst = rawpkt::ipv4_address::from_u32(0xc0000202);
    ip.protocol = rawpkt::ip_proto::udp;
    std::array<std::byte, 20> buf{};
    ip.emit(rawpkt::ipv4::mut_view::unchecked(buf));
    const auto v = rawpkt::ipv4::view::checked(buf);
    if (!v || !v->checksum_ok() || v->src() != ip.src) return 1;
    std::printf("rawpkt %s: %s -> %s ok\n", rawpkt::version(), v->src().to_string().c_str(),
                v->dst().to_string().c_str());
    return std::strcmp(rawpkt::version(), RAWPKT_VERSION_STRING) == 0 ? 0 : 1;
}
