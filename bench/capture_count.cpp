// SPDX-License-Identifier: BSD-3-Clause
// Counts frames captured on an interface with rawpkt, a block at a time
// (next_batch) or, with `next`, a frame at a time, touching the first byte
// of each, until SIGINT or SIGTERM; then prints
//
//   CAPBENCH captured=N drops=D
//
// Usage: capture_count <interface> [ring|socket|xdp] [next]
// Compare with tpacket_floor (a minimal C TPACKET_V3 loop) on the same
// traffic: the ratio of what each captures is the price of the library.
#include <rawpkt/datalink/datalink.hpp>

#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <string>

#include <sys/resource.h>

namespace {
volatile std::sig_atomic_t stop = 0;
void on_signal(int) { stop = 1; }
} // namespace

int main(int argc, char** argv) {
    namespace dl = rawpkt::datalink;
    if (argc < 2 || argc > 4) {
        std::fprintf(stderr, "usage: %s <interface> [ring|socket|xdp] [next]\n", argv[0]);
        return 2;
    }
    const bool one_at_a_time = argc == 4 && std::strcmp(argv[3], "next") == 0;
    if (argc == 4 && !one_at_a_time) {
        std::fprintf(stderr, "the last argument must be next\n");
        return 2;
    }
    dl::config cfg;
    cfg.send = false;
    if (argc >= 3) {
        if (std::strcmp(argv[2], "socket") == 0) {
            cfg.backend = dl::backend::socket;
        } else if (std::strcmp(argv[2], "xdp") == 0) {
            cfg.backend = dl::backend::xdp;
        } else if (std::strcmp(argv[2], "ring") != 0) {
            std::fprintf(stderr, "backend must be ring, socket or xdp\n");
            return 2;
        }
    }
    // No SA_RESTART: a signal ends the wait in next_batch().
    struct sigaction sa {};
    sa.sa_handler = on_signal;
    sigaction(SIGINT, &sa, nullptr);
    sigaction(SIGTERM, &sa, nullptr);

    std::string why;
    auto ch = dl::open(argv[1], cfg, &why);
    if (!ch) {
        std::fprintf(stderr, "capture_count: %s\n", why.c_str());
        return 1;
    }
    std::uint64_t captured = 0;
    unsigned touched = 0;
    const auto start = std::chrono::steady_clock::now();
    while (stop == 0 && one_at_a_time) {
        const auto f = ch->rx.next(std::chrono::milliseconds(100));
        if (!f) {
            std::fprintf(stderr, "capture_count: %s\n", dl::describe(f.error(), argv[1]).c_str());
            return 1;
        }
        if (*f == nullptr) continue;
        if (!(*f)->data.empty()) touched += std::to_integer<unsigned>((*f)->data[0]);
        ++captured;
    }
    while (stop == 0 && !one_at_a_time) {
        const auto batch = ch->rx.next_batch(std::chrono::milliseconds(100));
        if (!batch) {
            std::fprintf(stderr, "capture_count: %s\n", dl::describe(batch.error(), argv[1]).c_str());
            return 1;
        }
        for (const rawpkt::frame& f : *batch) {
            if (!f.data.empty()) touched += std::to_integer<unsigned>(f.data[0]);
        }
        captured += batch->size();
    }
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    const auto st = ch->rx.stats();
    const std::uint64_t drops = st ? st->dropped : 0;
    std::printf("CAPBENCH captured=%llu drops=%llu\n", static_cast<unsigned long long>(captured),
                static_cast<unsigned long long>(drops));
    rusage ru{};
    getrusage(RUSAGE_SELF, &ru);
    std::fprintf(stderr, "capture_count: %.1f s, cpu user %.3f s sys %.3f s (checksum %u)\n", seconds,
                 static_cast<double>(ru.ru_utime.tv_sec) + static_cast<double>(ru.ru_utime.tv_usec) / 1e6,
                 static_cast<double>(ru.ru_stime.tv_sec) + static_cast<double>(ru.ru_stime.tv_usec) / 1e6, touched);
    return 0;
}
