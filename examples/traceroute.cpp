// SPDX-License-Identifier: BSD-3-Clause
// traceroute [-6] [-I] [-m MAXHOPS] [-w WAIT] HOST
//
// Sends probes with TTL (hop limit) 1, 2, 3 ... towards HOST and prints who
// answered each, one line per hop, until HOST itself answers:
//
//   traceroute to 192.0.2.9 (192.0.2.9), 30 hops max
//    1  198.51.100.1  0.412 ms
//    2  *
//    3  192.0.2.9  0.733 ms
//
// Probes are UDP datagrams to ports 33434 + hop (the default; HOST answers
// "port unreachable") or, with -I, ICMP echo requests (HOST answers with an
// echo reply). Routers answer "time exceeded"; the error quotes the probe,
// which tells which probe it answers. Two transport channels do the work:
// one sends the probes (its hop limit set before each), the other reads
// the ICMP or ICMPv6 answers. HOST is a numeric address.
// Exit status 0 when HOST answered, 1 when it did not, 2 on errors.
#include <rawpkt/build.hpp>
#include <rawpkt/transport/channel.hpp>

#include <array>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <string>
#include <unistd.h>

namespace {

namespace tp = rawpkt::transport;
using clock_type = std::chrono::steady_clock;

constexpr std::uint16_t base_port = 33434;

struct options {
    bool v6 = false;
    bool icmp = false;
    long max_hops = 30;
    double wait_s = 2.0;
    tp::ip_address host{};
    std::string host_text{};
};

bool parse_args(int argc, char** argv, options& o) {
    int opt = 0;
    while ((opt = ::getopt(argc, argv, "6Im:w:")) != -1) {
        switch (opt) {
        case '6': o.v6 = true; break;
        case 'I': o.icmp = true; break;
        case 'm': o.max_hops = std::strtol(optarg, nullptr, 10); break;
        case 'w': o.wait_s = std::strtod(optarg, nullptr); break;
        default: return false;
        }
    }
    if (optind + 1 != argc || o.max_hops < 1 || o.max_hops > 255 || o.wait_s < 0) return false;
    o.host_text = argv[optind];
    if (!tp::ip_address::parse(o.host_text, o.host)) return false;
    if (o.host.family == tp::family::ipv6) o.v6 = true;
    return o.v6 == (o.host.family == tp::family::ipv6);
}

/// What an ICMP / ICMPv6 message says about probe `hop`.
enum class answer : std::uint8_t { none, router, destination };

/// The first 8 bytes of the probe an error quotes, after its IP header:
/// the UDP ports or the ICMP echo header. Empty when not quoted.
template <class IcmpView>
rawpkt::bytes quoted_probe(const IcmpView& v) {
    rawpkt::bytes payload;
    if constexpr (requires { v.invoking_ipv6(); }) {
        const auto ip = v.invoking_ipv6();
        if (!ip) return {};
        payload = ip->payload();
    } else {
        const auto ip = v.invoking_ipv4();
        if (!ip) return {};
        payload = ip->payload();
    }
    return payload.size() >= 8 ? payload.first(8) : rawpkt::bytes{};
}

// Does `probe` (the quoted 8 bytes) belong to our probe for `hop`?
bool is_our_probe(rawpkt::bytes probe, const options& o, std::uint16_t ident, int hop) {
    if (probe.size() < 8) return false;
    if (o.icmp) {
        return rawpkt::load_be<std::uint16_t>(probe, 4) == ident && rawpkt::load_be<std::uint16_t>(probe, 6) == hop;
    }
    return rawpkt::load_be<std::uint16_t>(probe, 0) == ident &&
           rawpkt::load_be<std::uint16_t>(probe, 2) == base_port + hop;
}

/// The ICMP or ICMPv6 message types that answer a probe.
template <class Type>
struct answer_types {
    Type echo_reply, time_exceeded, unreachable;
};

template <class View, class Type>
answer classify_as(rawpkt::bytes data, answer_types<Type> t, const options& o, std::uint16_t ident, int hop) {
    const auto v = View::checked(data);
    if (!v) return answer::none;
    if (v->type() == t.echo_reply) {
        return o.icmp && v->identifier() == ident && v->sequence() == hop ? answer::destination : answer::none;
    }
    const bool exceeded = v->type() == t.time_exceeded;
    if (!exceeded && v->type() != t.unreachable) return answer::none;
    if (!is_our_probe(quoted_probe(*v), o, ident, hop)) return answer::none;
    return exceeded ? answer::router : answer::destination;
}

answer classify(const tp::packet& p, const options& o, std::uint16_t ident, int hop) {
    if (o.v6) {
        using t = rawpkt::icmpv6::message_type;
        return classify_as<rawpkt::icmpv6::view>(
            p.data, answer_types<t>{t::echo_reply, t::time_exceeded, t::destination_unreachable}, o, ident, hop);
    }
    using t = rawpkt::icmpv4::message_type;
    return classify_as<rawpkt::icmpv4::view>(
        p.data, answer_types<t>{t::echo_reply, t::time_exceeded, t::destination_unreachable}, o, ident, hop);
}

} // namespace

int main(int argc, char** argv) {
    options o;
    if (!parse_args(argc, argv, o)) {
        std::fprintf(stderr, "usage: traceroute [-6] [-I] [-m MAXHOPS] [-w WAIT] HOST\n");
        return 2;
    }
    const tp::family fam = o.v6 ? tp::family::ipv6 : tp::family::ipv4;
    const rawpkt::ip_proto icmp_proto = o.v6 ? rawpkt::ip_proto::icmpv6 : rawpkt::ip_proto::icmp;

    // The answers come on an ICMP channel; with -I it sends the probes too.
    tp::config answers_cfg;
    answers_cfg.family = fam;
    answers_cfg.protocol = icmp_proto;
    tp::config probes_cfg = answers_cfg;
    probes_cfg.protocol = rawpkt::ip_proto::udp;
    std::string why;
    auto answers = tp::open(answers_cfg, &why);
    auto udp_probes = o.icmp ? rawpkt::result<tp::channel>{tp::channel{}} : tp::open(probes_cfg, &why);
    if (!answers || !udp_probes) {
        std::fprintf(stderr, "traceroute: %s\n", why.c_str());
        return 2;
    }
    tp::channel& probes = o.icmp ? *answers : *udp_probes;

    const auto ident = static_cast<std::uint16_t>(0x8000 | (::getpid() & 0x7fff));
    std::printf("traceroute to %s (%s), %ld hops max\n", o.host_text.c_str(), o.host.to_string().c_str(), o.max_hops);
    const auto wait = std::chrono::duration_cast<clock_type::duration>(std::chrono::duration<double>(o.wait_s));
    std::array<std::byte, rawpkt::icmpv4::header_len + 16> icmp_probe{};
    std::array<std::byte, rawpkt::udp::header_len + 16> udp_probe{};
    for (int hop = 1; hop <= o.max_hops; ++hop) {
        if (const auto s = probes.set_hop_limit(static_cast<std::uint8_t>(hop)); !s) {
            std::fprintf(stderr, "traceroute: %s\n", tp::describe(s.error()).c_str());
            return 2;
        }
        const auto seq = static_cast<std::uint16_t>(hop);
        rawpkt::bytes probe;
        if (o.icmp) {
            rawpkt::builder b{icmp_probe};
            b.reserve_payload(16);
            if (o.v6) {
                b.icmpv6(rawpkt::icmpv6::echo_repr{false, ident, seq, 0}); // the kernel fills the checksum
            } else {
                b.icmpv4(rawpkt::icmpv4::echo_repr{false, ident, seq, 0});
            }
            probe = *b.finish();
        } else {
            // Checksum 0: none over IPv4 (RFC 768); over IPv6 the kernel fills it.
            const rawpkt::udp::repr u{
                .src_port = ident, .dst_port = static_cast<std::uint16_t>(base_port + hop), .payload_len = 16};
            u.emit(rawpkt::udp::mut_view::unchecked(udp_probe));
            probe = udp_probe;
        }
        const auto sent_at = clock_type::now();
        if (const auto s = probes.send_to(probe, o.host); !s) {
            std::fprintf(stderr, "traceroute: %s\n", tp::describe(s.error(), o.host.to_string()).c_str());
            return 2;
        }
        // Wait for the answer to this probe; others (late ones, other
        // programs' ICMP) are passed over.
        answer a = answer::none;
        std::optional<tp::ip_address> from;
        double ms = 0;
        while (a == answer::none) {
            const auto left = std::chrono::ceil<std::chrono::milliseconds>(sent_at + wait - clock_type::now());
            if (left.count() <= 0) break;
            const auto p = answers->next(left);
            if (!p) {
                std::fprintf(stderr, "traceroute: %s\n", tp::describe(p.error()).c_str());
                return 2;
            }
            if (*p == nullptr) break;
            a = classify(**p, o, ident, hop);
            if (a == answer::none) continue;
            from = (*p)->source;
            ms = std::chrono::duration<double, std::milli>(clock_type::now() - sent_at).count();
        }
        if (!from) {
            std::printf("%2d  *\n", hop);
        } else {
            std::printf("%2d  %s  %.3f ms\n", hop, from->to_string().c_str(), ms);
        }
        std::fflush(stdout);
        if (a == answer::destination) return 0;
    }
    return 1;
}
