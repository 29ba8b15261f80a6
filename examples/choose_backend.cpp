// SPDX-License-Identifier: BSD-3-Clause
// docs/backends.md: each part between "[guide:NAME]" markers is shown there
// as it is (a test keeps the two in step). Without arguments the program
// runs the two backends that need no network: a capture file replayed
// through a receiver and an in-memory channel; given an interface and a
// backend name (ring, socket, pcap, xdp) it also opens that live backend.
#include <rawpkt/rawpkt.hpp>

#include <array>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <string>

using namespace rawpkt;
namespace dl = rawpkt::datalink;

namespace {

dl::config live_config(const char* name) {
    // [guide:live]
    dl::config ring;                // backend::ring, the default: TPACKET_V3 RX ring, TPACKET_V2 TX ring
    ring.rx_ring.block_count = 128; // 128 blocks of 1 MiB: room for long bursts
    dl::config socket{.backend = dl::backend::socket}; // plain AF_PACKET socket, recvmmsg/sendmmsg
    dl::config pcap{.backend = dl::backend::pcap};     // through libpcap: the portable one
    dl::config xdp{.backend = dl::backend::xdp};       // AF_XDP, fed by an XDP program
    xdp.xdp.queue = dl::all_queues;                    // one socket per receive queue
    // The same call opens each; a backend that is not built says so (errc::unsupported):
    // dl::has_pcap_backend(), dl::has_xdp_backend().
    // [/guide:live]
    if (std::strcmp(name, "socket") == 0) return socket;
    if (std::strcmp(name, "pcap") == 0) return pcap;
    if (std::strcmp(name, "xdp") == 0) return xdp;
    return ring;
}

int open_live(const char* interface, const char* backend) {
    std::string why;
    auto ch = dl::open(interface, live_config(backend), &why);
    if (!ch) {
        std::fprintf(stderr, "%s\n", why.c_str());
        return 1;
    }
    const auto batch = ch->rx.next_batch(std::chrono::milliseconds{500});
    if (!batch) return 1;
    std::printf("%s on %s: %zu frames in the first batch\n", backend, interface, batch->size());
    return 0;
}

int replay(const std::string& path) {
    // [guide:file]
    std::string why;
    auto ch = dl::open_file(path, {.speed = 1.0}, &why); // at the recorded pace; 0: as fast as it reads
    if (!ch) return 1;
    std::size_t frames = 0;
    for (;;) {
        const auto batch = ch->rx.next_batch(std::chrono::milliseconds{100});
        if (!batch && dl::is_end_of_input(batch.error())) break; // the whole file was read
        if (!batch) return 1;                                    // damaged: offset of the damage
        frames += batch->size();                                 // empty: nothing due yet
    }
    // [/guide:file]
    std::printf("replayed %zu frames\n", frames);
    return frames == 2 ? 0 : 1;
}

int memory(bytes request) {
    // [guide:memory]
    auto m = dl::open_memory(); // no privileges, no network: for unit tests
    if (!m) return 1;
    if (!m->port.push(request)) return 1; // copied; comes out of m->channel.rx
    m->port.close();                      // after the last frame: end_of_input
    dl::channel& ch = m->channel;         // what the code under test gets
    for (auto f = ch.rx.next(dl::no_wait); f && *f; f = ch.rx.next(dl::no_wait)) {
        if (!ch.tx.send((*f)->data) || !ch.tx.flush()) return 1; // an echo
    }
    std::printf("sent %zu frame(s), the first %zu bytes\n", m->port.sent_count(), m->port.sent(0).size());
    // [/guide:memory]
    return m->port.sent_count() == 1 ? 0 : 1;
}

} // namespace

int main(int argc, char** argv) {
    if (argc > 2 && open_live(argv[1], argv[2]) != 0) return 1;
    std::array<std::byte, 64> buf{};
    const auto built = builder{buf}
                           .reserve_payload(4)
                           .udp({.src_port = 1, .dst_port = 2})
                           .ipv4({.src = ipv4_address{{192, 0, 2, 1}}, .dst = ipv4_address{{192, 0, 2, 2}}})
                           .ethernet({.src = mac_address{{2, 0, 0, 0, 0, 1}}, .dst = mac_address{{2, 0, 0, 0, 0, 2}}})
                           .finish();
    if (!built) return 1;
    const std::string path = (std::filesystem::temp_directory_path() / "rawpkt_choose_backend.pcapng").string();
    {
        auto w = pcap::writer::open(path);
        if (!w) return 1;
        const auto len = static_cast<std::uint32_t>(built->size());
        if (!w->write({.data = *built, .timestamp_ns = 1'000'000'000, .original_len = len}) ||
            !w->write({.data = *built, .timestamp_ns = 1'010'000'000, .original_len = len}) || !w->close())
            return 1;
    }
    const int rc = replay(path);
    std::filesystem::remove(path);
    if (rc != 0) return rc;
    return memory(*built);
}
