// SPDX-License-Identifier: BSD-3-Clause
// asio_loop INTERFACE HOST [COUNT]
//
// The event_loop example with Boost.Asio instead of epoll: one io_context
// on one thread waits on a datalink receiver (the TPACKET_V3 ring on
// INTERFACE) and a transport channel (ICMP echo to HOST) through
// posix::stream_descriptor::async_wait, and a steady_timer paces the echo
// requests. Asio only reports readiness; the channels read with no_wait.
//
//   sent 5 echo requests
//   transport: 5 echo replies
//   datalink: 10 frames on eth0
#include <rawpkt/datalink/datalink.hpp>
#include <rawpkt/transport/channel.hpp>

#include "echo.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/asio/steady_timer.hpp>

#include <array>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <unistd.h>

namespace asio = boost::asio;
namespace dl = rawpkt::datalink;
namespace tp = rawpkt::transport;
using namespace std::chrono_literals;

namespace {

struct pinger {
    dl::channel& link;
    tp::channel& icmp;
    tp::ip_address host;
    long count;
    asio::posix::stream_descriptor link_fd;
    asio::posix::stream_descriptor icmp_fd;
    asio::steady_timer timer;
    asio::steady_timer deadline;
    bool v6 = host.family == tp::family::ipv6;
    std::uint16_t ident = static_cast<std::uint16_t>(::getpid());
    long sent = 0, replies = 0, frames = 0;
    std::array<std::byte, 64> buf{};

    pinger(asio::io_context& io, dl::channel& l, tp::channel& i, tp::ip_address h, long n)
        : link(l), icmp(i), host(h), count(n), link_fd(io, l.rx.native_handle()), icmp_fd(io, i.native_handle()),
          timer(io), deadline(io, 5s) {}
    ~pinger() {
        // The channels own their descriptors: take them back from Asio.
        (void)link_fd.release();
        (void)icmp_fd.release();
    }
    pinger(const pinger&) = delete;
    pinger& operator=(const pinger&) = delete;

    void start() {
        wait_link();
        wait_icmp();
        tick();
        deadline.async_wait([this](const boost::system::error_code& ec) {
            if (!ec) stop();
        });
    }
    void stop() {
        link_fd.cancel();
        icmp_fd.cancel();
        timer.cancel();
        deadline.cancel();
    }
    void wait_link() {
        link_fd.async_wait(asio::posix::stream_descriptor::wait_read, [this](const boost::system::error_code& ec) {
            if (ec) return;
            if (const auto batch = link.rx.next_batch(tp::no_wait)) frames += static_cast<long>(batch->size());
            wait_link();
        });
    }
    void wait_icmp() {
        icmp_fd.async_wait(asio::posix::stream_descriptor::wait_read, [this](const boost::system::error_code& ec) {
            if (ec) return;
            while (const auto p = icmp.next(tp::no_wait)) {
                if (*p == nullptr) break;
                if ((*p)->source == host && example::is_echo_reply(**p, v6)) ++replies;
            }
            if (replies >= count) return stop();
            wait_icmp();
        });
    }
    void tick() {
        if (sent >= count) return;
        const auto seq = static_cast<std::uint16_t>(++sent);
        if (const auto s = icmp.send_to(example::echo_request(buf, v6, ident, seq), host); !s) {
            std::fprintf(stderr, "asio_loop: %s\n", tp::describe(s.error()).c_str());
        }
        timer.expires_after(100ms);
        timer.async_wait([this](const boost::system::error_code& ec) {
            if (!ec) tick();
        });
    }
};

} // namespace

int main(int argc, char** argv) {
    int status = 0;
    auto setup = example::open_loop(argc, argv, "asio_loop", status);
    if (!setup) return status;
    asio::io_context io;
    long replies = 0;
    {
        pinger p{io, setup->link, setup->icmp, setup->host, setup->count};
        p.start();
        io.run();
        example::report(*setup, argv[1], p.sent, p.replies, p.frames);
        replies = p.replies;
    }
    return replies == setup->count ? 0 : 1;
}
