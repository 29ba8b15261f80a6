// SPDX-License-Identifier: BSD-3-Clause
// packetdump [-c COUNT] [-t SECONDS] [-f FILTER] INTERFACE
//
// Prints every frame on INTERFACE, decoded, one line each in tcpdump's
// style, from the TPACKET_V3 ring (frames come a whole ring block at a
// time, with no copy and no allocation per frame):
//
//   listening on eth0, link-type EN10MB
//   12:00:01.000017 IP 192.0.2.1 > 192.0.2.2: ICMP echo request, id 7, seq 1, length 64
//
// It stops after COUNT frames or SECONDS seconds (default: never); FILTER
// is a tcpdump expression run in the kernel.
#include <rawpkt/datalink/datalink.hpp>
#include <rawpkt/decode.hpp>
#include <rawpkt/summary.hpp>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <unistd.h>

namespace dl = rawpkt::datalink;
using clock_type = std::chrono::steady_clock;

int main(int argc, char** argv) {
    long count = -1;
    double seconds = -1;
    dl::config cfg;
    cfg.send = false;
    int opt = 0;
    while ((opt = ::getopt(argc, argv, "c:t:f:")) != -1) {
        switch (opt) {
        case 'c': count = std::strtol(optarg, nullptr, 10); break;
        case 't': seconds = std::strtod(optarg, nullptr); break;
        case 'f': cfg.filter = optarg; break;
        default: return 2;
        }
    }
    if (optind + 1 != argc) {
        std::fprintf(stderr, "usage: packetdump [-c COUNT] [-t SECONDS] [-f FILTER] INTERFACE\n");
        return 2;
    }
    std::string why;
    auto ch = dl::open(argv[optind], cfg, &why);
    if (!ch) {
        std::fprintf(stderr, "packetdump: %s\n", why.c_str());
        return 1;
    }
    std::printf("listening on %s, link-type %s\n", argv[optind], rawpkt::link_type_name(ch->link));
    std::fflush(stdout);

    const auto end = seconds < 0
                         ? clock_type::time_point::max()
                         : clock_type::now() +
                               std::chrono::duration_cast<clock_type::duration>(std::chrono::duration<double>(seconds));
    rawpkt::decoded d; // reused for every frame
    std::string line;
    long printed = 0;
    while (count < 0 || printed < count) {
        const auto now = clock_type::now();
        if (now >= end) break;
        const auto wait = end == clock_type::time_point::max()
                              ? dl::forever
                              : std::chrono::ceil<std::chrono::milliseconds>(end - now);
        const auto batch = ch->rx.next_batch(wait);
        if (!batch) {
            std::fprintf(stderr, "packetdump: %s\n", dl::describe(batch.error(), argv[optind]).c_str());
            return 1;
        }
        for (const rawpkt::frame& f : *batch) {
            (void)rawpkt::decode(f.data, f.link, d); // a frame that does not decode says why in its summary
            line.clear();
            rawpkt::append_time(line, f.timestamp_ns, rawpkt::time_format::time_of_day);
            line += ' ';
            rawpkt::append_summary(line, f, d);
            std::printf("%s\n", line.c_str());
            if (++printed == count) break;
        }
        std::fflush(stdout);
    }
    if (const auto s = ch->rx.stats()) {
        std::printf("%ld packets printed, %llu received, %llu dropped\n", printed,
                    static_cast<unsigned long long>(s->received), static_cast<unsigned long long>(s->dropped));
    }
    return 0;
}
