// SPDX-License-Identifier: BSD-3-Clause
// list_interfaces: every interface of this network namespace with its MAC
// address, IPv4 and IPv6 addresses, MTU and flags, read over rtnetlink
// (no privileges needed), in the layout of `ip address`:
//
//   2: eth0 <UP,BROADCAST,RUNNING,MULTICAST,LOWER_UP> mtu 1500
//       link/ether 02:00:5e:00:53:01
//       inet 192.0.2.1/24
//       inet6 2001:db8::1/64
#include <rawpkt/datalink/interfaces.hpp>

#include <cstdio>
#include <string>

int main() {
    namespace dl = rawpkt::datalink;
    const auto list = dl::interfaces();
    if (!list) {
        std::fprintf(stderr, "list_interfaces: %s\n", rawpkt::to_string(list.error()).c_str());
        return 1;
    }
    for (const dl::interface_info& i : *list) {
        std::string flags;
        const auto add = [&](bool on, const char* name) {
            if (!on) return;
            if (!flags.empty()) flags += ',';
            flags += name;
        };
        add(i.up(), "UP");
        add(i.broadcast(), "BROADCAST");
        add(i.loopback(), "LOOPBACK");
        add(i.point_to_point(), "POINTOPOINT");
        add(i.running(), "RUNNING");
        add(i.promiscuous(), "PROMISC");
        add(i.multicast(), "MULTICAST");
        add((i.flags & dl::iff::lower_up) != 0, "LOWER_UP");
        std::printf("%u: %s <%s> mtu %u\n", i.index, i.name.c_str(), flags.c_str(), i.mtu);
        if (i.mac) std::printf("    link/%s %s\n", i.loopback() ? "loopback" : "ether", i.mac->to_string().c_str());
        for (const dl::interface_address& a : i.addresses) {
            std::printf("    %s %s\n", a.is_v6 ? "inet6" : "inet", a.to_string().c_str());
        }
    }
    return 0;
}
