// SPDX-License-Identifier: BSD-3-Clause
// arp_scan [-w WAIT] INTERFACE [NETWORK/PREFIX]
//
// Asks "who has" for every address of a subnet (default: the interface's
// first IPv4 subnet) with ARP requests built straight into the TX ring,
// then collects the replies for WAIT seconds (default 1) and prints each
// host that answered, in address order:
//
//   192.0.2.2	02:00:5e:00:53:02
//
// The receiver filters in the kernel ("arp"), so only ARP reaches it.
#include <rawpkt/build.hpp>
#include <rawpkt/datalink/datalink.hpp>
#include <rawpkt/packet/arp.hpp>
#include <rawpkt/packet/ethernet.hpp>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <string>
#include <string_view>
#include <unistd.h>

namespace dl = rawpkt::datalink;
using clock_type = std::chrono::steady_clock;

int main(int argc, char** argv) {
    double wait_s = 1.0;
    int opt = 0;
    while ((opt = ::getopt(argc, argv, "w:")) != -1) {
        if (opt != 'w') return 2;
        wait_s = std::strtod(optarg, nullptr);
    }
    if (optind >= argc || argc - optind > 2) {
        std::fprintf(stderr, "usage: arp_scan [-w WAIT] INTERFACE [NETWORK/PREFIX]\n");
        return 2;
    }
    const char* name = argv[optind];
    const auto info = dl::find_interface(name);
    if (!info || !info->mac) {
        std::fprintf(stderr, "arp_scan: %s\n",
                     info ? "the interface has no MAC address" : dl::describe(info.error(), name).c_str());
        return 1;
    }
    // Our own address (the sender of the requests) and the subnet to scan.
    rawpkt::ipv4_address self{}, network{};
    unsigned prefix = 0;
    for (const auto& a : info->addresses) {
        if (a.is_v6) continue;
        self = a.v4;
        prefix = a.prefix_len;
        break;
    }
    if (optind + 1 < argc) {
        const std::string_view arg = argv[optind + 1];
        const auto slash = arg.find('/');
        if (slash == std::string_view::npos || !rawpkt::ipv4_address::parse(arg.substr(0, slash), network)) return 2;
        prefix = static_cast<unsigned>(std::strtoul(argv[optind + 1] + slash + 1, nullptr, 10));
    } else {
        network = self;
    }
    if (self.is_unspecified() || prefix < 16 || prefix > 30) {
        std::fprintf(stderr, "arp_scan: need an IPv4 subnet of /16 to /30 (and an address on %s)\n", name);
        return 2;
    }
    const std::uint32_t mask = ~std::uint32_t{0} << (32 - prefix);
    const std::uint32_t first = (network.to_u32() & mask) + 1, last = (network.to_u32() | ~mask) - 1;

    dl::config cfg;
    cfg.filter = "arp";
    std::string why;
    auto ch = dl::open(name, cfg, &why);
    if (!ch) {
        std::fprintf(stderr, "arp_scan: %s\n", why.c_str());
        return 1;
    }
    unsigned asked = 0;
    for (std::uint32_t a = first; a <= last; ++a) {
        if (a == self.to_u32()) continue;
        ++asked;
        const rawpkt::arp::repr who_has{
            rawpkt::arp::operation::request, *info->mac, self, {}, rawpkt::ipv4_address::from_u32(a)};
        const auto s = ch->tx.send_with(42, [&](rawpkt::mut_bytes slot) {
            return rawpkt::builder{slot}
                .arp(who_has)
                .ethernet({.src = *info->mac, .dst = rawpkt::mac_address::broadcast(), .ethertype = {}})
                .finish();
        });
        if (!s) {
            std::fprintf(stderr, "arp_scan: %s\n", dl::describe(s.error(), name).c_str());
            return 1;
        }
    }
    if (const auto s = ch->tx.flush(); !s) {
        std::fprintf(stderr, "arp_scan: %s\n", dl::describe(s.error(), name).c_str());
        return 1;
    }

    std::map<std::uint32_t, rawpkt::mac_address> found;
    const auto give_up =
        clock_type::now() + std::chrono::duration_cast<clock_type::duration>(std::chrono::duration<double>(wait_s));
    for (;;) {
        const auto left = std::chrono::ceil<std::chrono::milliseconds>(give_up - clock_type::now());
        if (left.count() <= 0) break;
        const auto f = ch->rx.next(left);
        if (!f || *f == nullptr) break;
        const auto eth = rawpkt::ethernet::view::checked((*f)->data);
        if (!eth) continue;
        const auto arp = rawpkt::arp::view::checked(eth->payload());
        if (!arp || arp->operation() != rawpkt::arp::operation::reply) continue;
        const std::uint32_t from = arp->sender_ipv4().to_u32();
        if (from >= first && from <= last) found.emplace(from, arp->sender_mac());
    }
    for (const auto& [a, mac] : found) {
        std::printf("%s\t%s\n", rawpkt::ipv4_address::from_u32(a).to_string().c_str(), mac.to_string().c_str());
    }
    std::printf("%zu hosts answered of %u asked\n", found.size(), asked);
    return 0;
}
