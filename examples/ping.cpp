// SPDX-License-Identifier: BSD-3-Clause
// ping [-6] [-c COUNT] [-i INTERVAL] [-W TIMEOUT] HOST
//
// ICMP / ICMPv6 echo over a transport channel (layer 4: the kernel writes
// the IP header), printing what iputils' ping prints:
//
//   PING 192.0.2.2 (192.0.2.2) 56(84) bytes of data.
//   64 bytes from 192.0.2.2: icmp_seq=1 ttl=64 time=0.061 ms
//
//   --- 192.0.2.2 ping statistics ---
//   1 packets transmitted, 1 received, 0% packet loss, time 0ms
//   rtt min/avg/max/mdev = 0.061/0.061/0.061/0.000 ms
//
// HOST is a numeric address. Exit status 0 when any reply came, 1 when
// none did, 2 on a usage or system error (as iputils).
#include <rawpkt/build.hpp>
#include <rawpkt/transport/channel.hpp>

#include <algorithm>
#include <array>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <unistd.h>

namespace {

namespace tp = rawpkt::transport;
using clock_type = std::chrono::steady_clock;

constexpr std::size_t data_len = 56; // iputils' default: 64 bytes of ICMP

struct options {
    bool v6 = false;
    long count = -1; // forever
    double interval_s = 1.0;
    double timeout_s = 10.0;
    tp::ip_address host{};
    std::string host_text{};
};

int usage() {
    std::fprintf(stderr, "usage: ping [-6] [-c COUNT] [-i INTERVAL] [-W TIMEOUT] HOST\n");
    return 2;
}

bool parse_args(int argc, char** argv, options& o) {
    int opt = 0;
    while ((opt = ::getopt(argc, argv, "6c:i:W:")) != -1) {
        switch (opt) {
        case '6': o.v6 = true; break;
        case 'c': o.count = std::strtol(optarg, nullptr, 10); break;
        case 'i': o.interval_s = std::strtod(optarg, nullptr); break;
        case 'W': o.timeout_s = std::strtod(optarg, nullptr); break;
        default: return false;
        }
    }
    if (optind + 1 != argc || o.count == 0 || o.interval_s < 0 || o.timeout_s < 0) return false;
    o.host_text = argv[optind];
    if (!tp::ip_address::parse(o.host_text, o.host)) return false;
    if (o.host.family == tp::family::ipv6) o.v6 = true;
    return o.v6 == (o.host.family == tp::family::ipv6);
}

std::int64_t now_ns() {
    return std::chrono::duration_cast<std::chrono::nanoseconds>(clock_type::now().time_since_epoch()).count();
}

struct rtt_stats {
    long received = 0;
    double min_ms = 0, max_ms = 0, sum_ms = 0, sum_sq = 0;
    void add(double ms) {
        min_ms = received == 0 ? ms : std::min(min_ms, ms);
        max_ms = std::max(max_ms, ms);
        sum_ms += ms;
        sum_sq += ms * ms;
        ++received;
    }
};

} // namespace

int main(int argc, char** argv) {
    options o;
    if (!parse_args(argc, argv, o)) return usage();

    // [tour:transport_open]
    tp::config cfg;
    cfg.family = o.v6 ? tp::family::ipv6 : tp::family::ipv4;
    cfg.protocol = o.v6 ? rawpkt::ip_proto::icmpv6 : rawpkt::ip_proto::icmp;
    std::string why;
    auto ch = tp::open(cfg, &why);
    if (!ch) {
        std::fprintf(stderr, "ping: %s\n", why.c_str());
        return 2;
    }
    // [/tour:transport_open]
    const auto ident = static_cast<std::uint16_t>(::getpid());
    const std::string addr = o.host.to_string();
    if (o.v6) {
        std::printf("PING %s(%s) %zu data bytes\n", o.host_text.c_str(), addr.c_str(), data_len);
    } else {
        std::printf("PING %s (%s) %zu(%zu) bytes of data.\n", o.host_text.c_str(), addr.c_str(), data_len,
                    data_len + 28);
    }
    std::fflush(stdout);

    rtt_stats rtt;
    long sent = 0;
    const auto start = clock_type::now();
    const auto interval = std::chrono::duration_cast<clock_type::duration>(std::chrono::duration<double>(o.interval_s));
    const auto reply_timeout =
        std::chrono::duration_cast<clock_type::duration>(std::chrono::duration<double>(o.timeout_s));
    auto next_send = start;
    auto give_up = clock_type::time_point::max();
    std::array<std::byte, 8 + data_len> buf{};

    for (;;) {
        const auto now = clock_type::now();
        if ((o.count < 0 || sent < o.count) && now >= next_send) {
            // The data starts with the send time, as iputils does, so a
            // reply carries its own time stamp back.
            std::array<std::byte, data_len> data{};
            const std::int64_t t = now_ns();
            std::memcpy(data.data(), &t, sizeof t);
            for (std::size_t i = sizeof t; i < data.size(); ++i) data[i] = static_cast<std::byte>(i);
            const auto seq = static_cast<std::uint16_t>(sent + 1);
            rawpkt::builder b{buf};
            b.payload(data);
            if (o.v6) {
                b.icmpv6(rawpkt::icmpv6::echo_repr{false, ident, seq, 0}); // the kernel fills the checksum
            } else {
                b.icmpv4(rawpkt::icmpv4::echo_repr{false, ident, seq, 0});
            }
            const auto msg = b.finish();
            if (!msg) return 2;
            if (const auto s = ch->send_to(rawpkt::bytes{*msg}, o.host); !s) {
                std::fprintf(stderr, "ping: %s\n", tp::describe(s.error(), addr).c_str());
            }
            ++sent;
            next_send = now + interval;
            if (o.count > 0 && sent == o.count) give_up = now + reply_timeout;
        }
        if (o.count > 0 && sent == o.count && (rtt.received == o.count || now >= give_up)) break;
        const auto until = o.count > 0 && sent == o.count ? give_up : next_send;
        const auto wait = std::chrono::ceil<std::chrono::milliseconds>(until - clock_type::now());
        const auto got = ch->next(std::max(wait, tp::no_wait));
        if (!got) {
            std::fprintf(stderr, "ping: %s\n", tp::describe(got.error()).c_str());
            return 2;
        }
        const tp::packet* p = *got;
        if (p == nullptr || p->source != o.host) continue;
        // An echo reply of ours: type, identifier, and the time stamp.
        std::uint16_t id = 0, seq = 0;
        bool reply = false;
        rawpkt::bytes payload;
        if (o.v6) {
            const auto v = rawpkt::icmpv6::view::checked(p->data);
            if (!v) continue;
            reply = v->type() == rawpkt::icmpv6::message_type::echo_reply;
            id = v->identifier();
            seq = v->sequence();
            payload = v->payload();
        } else {
            const auto v = rawpkt::icmpv4::view::checked(p->data);
            if (!v) continue;
            reply = v->type() == rawpkt::icmpv4::message_type::echo_reply;
            id = v->identifier();
            seq = v->sequence();
            payload = v->payload();
        }
        if (!reply || id != ident || payload.size() < sizeof(std::int64_t)) continue;
        std::int64_t t = 0;
        std::memcpy(&t, payload.data(), sizeof t);
        const double ms = static_cast<double>(now_ns() - t) / 1e6;
        rtt.add(ms);
        std::printf("%zu bytes from %s: icmp_seq=%u ttl=%u time=%.3f ms\n", p->data.size(),
                    p->source.to_string().c_str(), seq, p->hop_limit, ms);
        std::fflush(stdout);
    }

    const auto total_ms = std::chrono::duration_cast<std::chrono::milliseconds>(clock_type::now() - start).count();
    std::printf("\n--- %s ping statistics ---\n", o.host_text.c_str());
    const long loss = sent == 0 ? 0 : (sent - rtt.received) * 100 / sent;
    std::printf("%ld packets transmitted, %ld received, %ld%% packet loss, time %lldms\n", sent, rtt.received, loss,
                static_cast<long long>(total_ms));
    if (rtt.received > 0) {
        const double avg = rtt.sum_ms / static_cast<double>(rtt.received);
        const double mdev = std::sqrt(std::max(0.0, rtt.sum_sq / static_cast<double>(rtt.received) - avg * avg));
        std::printf("rtt min/avg/max/mdev = %.3f/%.3f/%.3f/%.3f ms\n", rtt.min_ms, avg, rtt.max_ms, mdev);
    }
    return rtt.received > 0 ? 0 : 1;
}
