// SPDX-License-Identifier: BSD-3-Clause
// event_loop INTERFACE HOST [COUNT]
//
// One epoll loop, no threads, drives three descriptors: a datalink
// receiver capturing every frame on INTERFACE (the TPACKET_V3 ring), a
// transport channel sending ICMP echo requests to HOST and reading the
// replies, and a timerfd pacing the requests (every 100 ms). It stops after
// COUNT replies (default 5) or 5 seconds and prints what each side saw:
//
//   sent 5 echo requests
//   transport: 5 echo replies
//   datalink: 10 frames on eth0
//
// Each descriptor is level-triggered and read with a zero timeout
// (no_wait), so the loop never blocks anywhere but in epoll_wait.
#include <rawpkt/build.hpp>
#include <rawpkt/datalink/datalink.hpp>
#include <rawpkt/transport/channel.hpp>

#include "echo.hpp"

#include <array>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <sys/epoll.h>
#include <sys/timerfd.h>
#include <unistd.h>

namespace dl = rawpkt::datalink;
namespace tp = rawpkt::transport;

int main(int argc, char** argv) {
    int status = 0;
    auto setup = example::open_loop(argc, argv, "event_loop", status);
    if (!setup) return status;
    auto& link = setup->link;
    auto& icmp = setup->icmp;
    const auto& host = setup->host;
    const long count = setup->count;
    const bool v6 = setup->v6();

    const int timer = ::timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
    const itimerspec every_100ms{{0, 100'000'000}, {0, 1}};
    ::timerfd_settime(timer, 0, &every_100ms, nullptr);
    // [tour:event_loop]
    const int ep = ::epoll_create1(EPOLL_CLOEXEC);
    enum : std::uint64_t { from_link, from_icmp, from_timer };
    for (const auto& [fd, tag] : {std::pair{link.rx.native_handle(), from_link},
                                  std::pair{icmp.native_handle(), from_icmp}, std::pair{timer, from_timer}}) {
        epoll_event ev{};
        ev.events = EPOLLIN;
        ev.data.u64 = tag;
        if (::epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev) != 0) return 1;
    }
    // [/tour:event_loop]

    const auto ident = static_cast<std::uint16_t>(::getpid());
    long sent = 0, replies = 0, frames = 0, ticks = 0;
    std::array<std::byte, 64> buf{};
    while (replies < count && ticks < 50) {
        std::array<epoll_event, 8> events{};
        const int n = ::epoll_wait(ep, events.data(), static_cast<int>(events.size()), 1000);
        for (int i = 0; i < n; ++i) {
            switch (events[static_cast<std::size_t>(i)].data.u64) {
            case from_link: // every frame of the ready block
                if (const auto batch = link.rx.next_batch(tp::no_wait)) frames += static_cast<long>(batch->size());
                break;
            case from_icmp:
                while (const auto p = icmp.next(tp::no_wait)) {
                    if (*p == nullptr) break;
                    if ((*p)->source == host && example::is_echo_reply(**p, v6)) ++replies;
                }
                break;
            case from_timer: {
                std::uint64_t expirations = 0;
                if (::read(timer, &expirations, sizeof expirations) < 0) break;
                ++ticks;
                if (sent >= count) break;
                const auto seq = static_cast<std::uint16_t>(++sent);
                if (const auto s = icmp.send_to(example::echo_request(buf, v6, ident, seq), host); !s) {
                    std::fprintf(stderr, "event_loop: %s\n", tp::describe(s.error()).c_str());
                }
                break;
            }
            }
        }
    }
    example::report(*setup, argv[1], sent, replies, frames);
    ::close(ep);
    ::close(timer);
    return replies == count ? 0 : 1;
}
