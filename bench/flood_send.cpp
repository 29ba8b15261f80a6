// SPDX-License-Identifier: BSD-3-Clause
// Sends `count` frames of `size` bytes as fast as rawpkt's sender can, built
// in place in the TX ring (send_with), then prints
//
//   TXBENCH sent=N failed=F seconds=S
//
// Usage: flood_send <interface> <count> [size] [ring|socket] [bypass]
// `bypass` skips the qdisc layer (PACKET_QDISC_BYPASS), as trafgen does by
// default.
// Frames go to a locally administered unicast address with EtherType
// 0x88b5 (IEEE 802 local experimental), each numbered.
#include <rawpkt/datalink/datalink.hpp>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

int main(int argc, char** argv) {
    namespace dl = rawpkt::datalink;
    if (argc < 3 || argc > 6) {
        std::fprintf(stderr, "usage: %s <interface> <count> [size] [ring|socket] [bypass]\n", argv[0]);
        return 2;
    }
    const unsigned long long count = std::strtoull(argv[2], nullptr, 10);
    const std::size_t size = argc >= 4 ? std::strtoul(argv[3], nullptr, 10) : 60;
    dl::config cfg;
    cfg.receive = false;
    cfg.tx_ring.frame_count = 1024;
    cfg.tx_batch = 256;
    if (argc >= 5 && std::strcmp(argv[4], "socket") == 0) cfg.backend = dl::backend::socket;
    cfg.qdisc_bypass = argc == 6 && std::strcmp(argv[5], "bypass") == 0;
    std::string why;
    auto ch = dl::open(argv[1], cfg, &why);
    if (!ch) {
        std::fprintf(stderr, "flood_send: %s\n", why.c_str());
        return 1;
    }
    if (size < 22 || size > ch->tx.max_frame_len()) {
        std::fprintf(stderr, "flood_send: size must be 22 .. %zu\n", ch->tx.max_frame_len());
        return 2;
    }
    const std::uint8_t head[14] = {0x02, 0, 0, 0, 0, 0x02, 0x02, 0, 0, 0, 0, 0x01, 0x88, 0xb5};
    const auto start = std::chrono::steady_clock::now();
    for (unsigned long long i = 0; i < count; ++i) {
        const auto s = ch->tx.send_with(size, [&](rawpkt::mut_bytes slot) {
            std::memcpy(slot.data(), head, sizeof head);
            const auto seq = static_cast<std::uint32_t>(i);
            std::memcpy(slot.data() + 14, &seq, sizeof seq);
        });
        if (!s) {
            std::fprintf(stderr, "flood_send: %s\n", dl::describe(s.error(), argv[1]).c_str());
            return 1;
        }
    }
    if (const auto s = ch->tx.flush(); !s) {
        std::fprintf(stderr, "flood_send: %s\n", dl::describe(s.error(), argv[1]).c_str());
        return 1;
    }
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    const auto st = ch->tx.stats();
    std::printf("TXBENCH sent=%llu failed=%llu seconds=%.3f\n", static_cast<unsigned long long>(st.sent),
                static_cast<unsigned long long>(st.failed), seconds);
    return 0;
}
