// SPDX-License-Identifier: BSD-3-Clause
// docs/lifetimes.md: each part between "[guide:NAME]" markers is shown there
// as it is (a test keeps the two in step). The program runs each rule on an
// in-memory channel and a capture file, and checks what it promises.
#include <rawpkt/rawpkt.hpp>

#include <array>
#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

using namespace rawpkt;
namespace dl = rawpkt::datalink;

namespace {

std::array<std::byte, 64> storage{};

mut_bytes sample_frame(std::uint16_t port) {
    const auto built = builder{storage}
                           .reserve_payload(6)
                           .udp({.src_port = port, .dst_port = 9})
                           .ipv4({.src = ipv4_address{{192, 0, 2, 1}}, .dst = ipv4_address{{192, 0, 2, 2}}})
                           .ethernet({.src = mac_address{{2, 0, 0, 0, 0, 1}}, .dst = mac_address{{2, 0, 0, 0, 0, 2}}})
                           .finish();
    return built ? *built : mut_bytes{};
}

int keep_from_a_channel() {
    auto m = dl::open_memory();
    if (!m) return 1;
    for (std::uint16_t port = 1000; port < 1003; ++port)
        if (!m->port.push(sample_frame(port))) return 1;
    dl::receiver& rx = m->channel.rx;
    // [guide:keep]
    std::vector<std::vector<std::byte>> kept; // owned copies outlive the batch
    std::vector<std::uint16_t> ports;         // so do values read out of views
    const auto batch = rx.next_batch(dl::no_wait);
    if (!batch) return 1;
    for (const frame& f : *batch) {
        kept.emplace_back(f.data.begin(), f.data.end());
        decoded d; // points into f.data: valid as long as the frame is
        if (decode(f.data, f.link, d) && d.get<udp::view>()) ports.push_back(d.get<udp::view>()->src_port());
    }
    (void)rx.next(dl::no_wait); // the next receive call: *batch, its frames and views are gone
    // [/guide:keep]
    std::printf("kept %zu frames, ports %u..%u\n", kept.size(), ports.front(), ports.back());
    return kept.size() == 3 && ports.size() == 3 && ports.back() == 1002 ? 0 : 1;
}

int keep_from_a_file(const std::string& path) {
    // [guide:reader]
    auto streamed = pcap::reader::open(path);                    // one reused buffer: a frame lives until the next read
    auto mapped = pcap::reader::open(path, {.map_files = true}); // a frame lives as long as the reader
    if (!streamed || !mapped) return 1;
    std::vector<frame> all; // records only: the bytes stay in the mapping
    for (const frame& f : *mapped) all.push_back(f);
    std::size_t bytes_seen = 0;
    for (const frame& f : *streamed) bytes_seen += f.data.size(); // use each frame before the next
    // [/guide:reader]
    std::size_t bytes_kept = 0;
    for (const frame& f : all) bytes_kept += f.data.size();
    std::printf("%zu frames mapped, %zu bytes both ways\n", all.size(), bytes_kept);
    return all.size() == 3 && bytes_kept == bytes_seen ? 0 : 1;
}

} // namespace

int main() {
    if (keep_from_a_channel() != 0) return 1;
    const std::string path = (std::filesystem::temp_directory_path() / "rawpkt_frame_lifetimes.pcap").string();
    {
        auto w = pcap::writer::open(path, {.format = pcap::file_format::pcap});
        if (!w) return 1;
        for (std::uint16_t port = 1000; port < 1003; ++port) {
            const mut_bytes b = sample_frame(port);
            if (!w->write({.data = b, .original_len = static_cast<std::uint32_t>(b.size())})) return 1;
        }
        if (!w->close()) return 1;
    }
    const int rc = keep_from_a_file(path);
    std::filesystem::remove(path);
    return rc;
}
