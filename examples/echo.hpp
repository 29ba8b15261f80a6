// SPDX-License-Identifier: BSD-3-Clause
// Shared by the event-loop examples: their command line and channels, an
// ICMP / ICMPv6 echo request built in place, a check for echo replies.
#pragma once

#include <rawpkt/build.hpp>
#include <rawpkt/datalink/datalink.hpp>
#include <rawpkt/transport/channel.hpp>

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <string>

namespace example {

/// An echo request with 16 zero bytes of data, built at the end of `buf`.
/// Over IPv6 the checksum is left to the kernel (RFC 3542 §3.1).
inline rawpkt::bytes echo_request(rawpkt::mut_bytes buf, bool v6, std::uint16_t ident, std::uint16_t seq) {
    rawpkt::builder b{buf};
    b.reserve_payload(16);
    if (v6) {
        b.icmpv6(rawpkt::icmpv6::echo_repr{false, ident, seq, 0});
    } else {
        b.icmpv4(rawpkt::icmpv4::echo_repr{false, ident, seq, 0});
    }
    const auto m = b.finish();
    return m ? rawpkt::bytes{*m} : rawpkt::bytes{};
}

inline bool is_echo_reply(const rawpkt::transport::packet& p, bool v6) {
    if (v6) {
        const auto v = rawpkt::icmpv6::view::checked(p.data);
        return v && v->type() == rawpkt::icmpv6::message_type::echo_reply;
    }
    const auto v = rawpkt::icmpv4::view::checked(p.data);
    return v && v->type() == rawpkt::icmpv4::message_type::echo_reply;
}

/// What an event loop example works with: a capturing datalink channel on
/// INTERFACE and an ICMP (ICMPv6) transport channel to HOST.
struct loop_setup {
    rawpkt::datalink::channel link;
    rawpkt::transport::channel icmp;
    rawpkt::transport::ip_address host;
    long count = 5;
    [[nodiscard]] bool v6() const noexcept { return host.family == rawpkt::transport::family::ipv6; }
};

/// Reads `NAME INTERFACE HOST [COUNT]` and opens both channels; prints what
/// went wrong and sets `exit_status` otherwise.
inline std::optional<loop_setup> open_loop(int argc, char** argv, const char* name, int& exit_status) {
    namespace dl = rawpkt::datalink;
    namespace tp = rawpkt::transport;
    loop_setup s;
    if (argc < 3 || !tp::ip_address::parse(argv[2], s.host)) {
        std::fprintf(stderr, "usage: %s INTERFACE HOST [COUNT]\n", name);
        exit_status = 2;
        return std::nullopt;
    }
    if (argc > 3) s.count = std::strtol(argv[3], nullptr, 10);
    std::string why;
    dl::config dcfg;
    dcfg.send = false; // capture only
    auto link = dl::open(argv[1], dcfg, &why);
    tp::config tcfg;
    tcfg.family = s.host.family;
    tcfg.protocol = s.v6() ? rawpkt::ip_proto::icmpv6 : rawpkt::ip_proto::icmp;
    auto icmp = link ? tp::open(tcfg, &why) : rawpkt::result<tp::channel>{tp::channel{}};
    if (!link || !icmp) {
        std::fprintf(stderr, "%s: %s\n", name, why.c_str());
        exit_status = 1;
        return std::nullopt;
    }
    s.link = std::move(*link);
    s.icmp = std::move(*icmp);
    return s;
}

/// Counts the frames the ring still holds (a block not yet handed over by
/// its timeout), then prints the three counters.
inline void report(loop_setup& s, const char* interface, long sent, long replies, long frames) {
    while (const auto batch = s.link.rx.next_batch(std::chrono::milliseconds(50))) {
        if (batch->empty()) break;
        frames += static_cast<long>(batch->size());
    }
    std::printf("sent %ld echo requests\ntransport: %ld echo replies\ndatalink: %ld frames on %s\n", sent, replies,
                frames, interface);
}

} // namespace example
