// SPDX-License-Identifier: BSD-3-Clause
// syn_probe [-w WAIT] HOST PORT[,PORT...]
//
// Sends one TCP SYN to each port of HOST over a layer-4 transport channel
// and reports what came back: a SYN-ACK (open), a RST (closed), or nothing
// within WAIT seconds (filtered). The kernel answers a SYN-ACK for a
// connection it never opened with a RST, so nothing stays half open.
//
//   192.0.2.2 22/tcp open
//   192.0.2.2 23/tcp closed
//
// Over IPv4 the TCP checksum covers a pseudo header with the source
// address: transport::source_address() says which one the kernel will use.
// Over IPv6 the kernel fills the checksum. HOST is a numeric address.
#include <rawpkt/packet/tcp.hpp>
#include <rawpkt/transport/channel.hpp>

#include <array>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <string>
#include <unistd.h>

namespace tp = rawpkt::transport;
using clock_type = std::chrono::steady_clock;

int main(int argc, char** argv) {
    double wait_s = 2.0;
    int opt = 0;
    while ((opt = ::getopt(argc, argv, "w:")) != -1) {
        if (opt != 'w') return 2;
        wait_s = std::strtod(optarg, nullptr);
    }
    tp::ip_address host;
    if (optind + 2 != argc || !tp::ip_address::parse(argv[optind], host)) {
        std::fprintf(stderr, "usage: syn_probe [-w WAIT] HOST PORT[,PORT...]\n");
        return 2;
    }
    // The ports, each with its state: "filtered" until an answer says otherwise.
    std::map<std::uint16_t, const char*> ports;
    for (const char* p = argv[optind + 1]; *p != '\0';) {
        char* end = nullptr;
        const long port = std::strtol(p, &end, 10);
        if (end == p || port < 1 || port > 65535) {
            std::fprintf(stderr, "syn_probe: bad port list %s\n", argv[optind + 1]);
            return 2;
        }
        ports[static_cast<std::uint16_t>(port)] = "filtered";
        p = *end == ',' ? end + 1 : end;
    }

    tp::config cfg;
    cfg.family = host.family;
    cfg.protocol = rawpkt::ip_proto::tcp;
    std::string why;
    auto ch = tp::open(cfg, &why);
    const auto src = tp::source_address(host);
    if (!ch || !src) {
        std::fprintf(stderr, "syn_probe: %s\n", ch ? tp::describe(src.error(), host.to_string()).c_str() : why.c_str());
        return 1;
    }
    const auto local_port = static_cast<std::uint16_t>(40000 + ::getpid() % 20000);
    const std::uint32_t isn = 0x5eed0000u ^ static_cast<std::uint32_t>(::getpid());
    for (const auto& [port, state] : ports) {
        std::array<std::byte, rawpkt::tcp::min_header_len> syn{};
        rawpkt::tcp::repr r{};
        r.src_port = local_port;
        r.dst_port = port;
        r.sequence = isn;
        r.flags = rawpkt::tcp::flag::syn;
        r.window = 64240;
        r.emit(rawpkt::tcp::mut_view::unchecked(syn));
        auto v = rawpkt::tcp::mut_view::unchecked(syn);
        if (host.family == tp::family::ipv4) v.fill_checksum(src->v4, host.v4);
        if (const auto s = ch->send_to(rawpkt::bytes{syn}, host); !s) {
            std::fprintf(stderr, "syn_probe: %s\n", tp::describe(s.error(), host.to_string()).c_str());
            return 1;
        }
    }
    // Answers: segments from HOST to our port acknowledging our SYN.
    const auto give_up =
        clock_type::now() + std::chrono::duration_cast<clock_type::duration>(std::chrono::duration<double>(wait_s));
    std::size_t answered = 0;
    while (answered < ports.size()) {
        const auto left = std::chrono::ceil<std::chrono::milliseconds>(give_up - clock_type::now());
        if (left.count() <= 0) break;
        // [tour:transport_typed]
        const auto seg = ch->next_as<rawpkt::tcp::view>(left);
        if (!seg) {
            std::fprintf(stderr, "syn_probe: %s\n", tp::describe(seg.error()).c_str());
            return 1;
        }
        if (!*seg) break; // nothing in time; segments the view rejects were skipped and counted
        const auto& [tcp, packet] = **seg;
        if (packet->source != host || tcp.dst_port() != local_port || tcp.ack_number() != isn + 1) continue;
        const auto it = ports.find(tcp.src_port());
        if (it == ports.end() || it->second[0] != 'f') continue; // not ours, or answered already
        it->second = tcp.rst() ? "closed" : tcp.syn() && tcp.ack() ? "open" : "filtered";
        ++answered;
        // [/tour:transport_typed]
    }
    for (const auto& [port, state] : ports) std::printf("%s %u/tcp %s\n", host.to_string().c_str(), port, state);
    return 0;
}
