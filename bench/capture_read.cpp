// SPDX-License-Identifier: BSD-3-Clause
// Capture-file reading speed, side by side in one run:
//   (1) libpcap pcap_next_ex, iterate only (the reference)
//   (2) rawpkt reader, iterate only (and with reader_options::map_files)
//   (3) rawpkt reader + decode to the transport layer + read the ports
//   (4) libtins FileSniffer, full parse + read the ports (a peer)
// over a file of mixed packets written with rawpkt's builder and writer
// into a temporary directory (removed at the end). The contenders run in
// turn, several rounds, and the median of each is reported with its ratio
// to (1). The file is read once first so every contender finds it cached;
// each run is timed in CPU seconds of its thread (user + system).
//
//   build/release/bench/capture_read [--json FILE] [PACKETS] [ROUNDS]   (default 1200000 5)
//
// --json FILE also writes the table as JSON for bench/compare: the file,
// then per contender its key, name, packets, median CPU seconds and rate.
#include <rawpkt/build.hpp>
#include <rawpkt/decode.hpp>
#include <rawpkt/pcap/reader.hpp>
#include <rawpkt/pcap/writer.hpp>

#if RAWPKT_BENCH_HAVE_PCAP
#include <pcap/pcap.h>
#endif
#if RAWPKT_BENCH_HAVE_TINS
#include <tins/tins.h>
#endif

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include <time.h>

namespace {

using namespace rawpkt; // rawpkt::pcap spelled out: libpcap declares a global struct pcap
using clock_type = std::chrono::steady_clock;

/// CPU seconds this thread has used (user and system): a contender is
/// charged for its own work only, not for the time the scheduler gave to
/// other programs on a shared machine, and the file is in the page cache,
/// so nothing waits for a disk.
double thread_cpu_seconds() noexcept {
    timespec ts{};
    ::clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

/// Writes `count` mixed frames: mostly small TCP/UDP, some MTU-sized, IPv4
/// and IPv6, some VLAN-tagged. Returns the file size.
std::uint64_t generate(const std::string& path, std::size_t count) {
    auto w = rawpkt::pcap::writer::open(path, {.format = rawpkt::pcap::file_format::pcap, .link = link_type::ethernet});
    if (!w) {
        std::fprintf(stderr, "cannot write %s: %s\n", path.c_str(), to_string(w.error()).c_str());
        std::exit(2);
    }
    std::mt19937 rng(42);
    std::array<std::byte, 2048> buf{};
    std::vector<std::byte> payload(1500, std::byte{0x5a});
    for (std::size_t i = 0; i < count; ++i) {
        const unsigned pick = rng() % 100;
        const std::size_t len = pick < 60 ? 6 + rng() % 60 : pick < 90 ? 250 + rng() % 300 : 900 + rng() % 530;
        builder b{buf};
        b.payload(bytes{payload}.first(len));
        const auto sport = static_cast<std::uint16_t>(1024 + rng() % 60000);
        if (rng() % 3 == 0) {
            b.udp({.src_port = sport, .dst_port = 53});
        } else {
            tcp::repr t{.src_port = sport,
                        .dst_port = 443,
                        .sequence = static_cast<std::uint32_t>(rng()),
                        .ack_number = static_cast<std::uint32_t>(rng()),
                        .flags = tcp::flag::ack,
                        .window = 512};
            tcp::options_writer{t}.nop().nop().timestamps(static_cast<std::uint32_t>(i), 7);
            b.tcp(t);
        }
        if (rng() % 5 == 0) {
            ipv6_address s{}, d{};
            s.octets = {0x20, 0x01, 0x0d, 0xb8};
            d.octets = {0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1};
            s.octets[15] = static_cast<std::uint8_t>(i);
            b.ipv6({.src = s, .dst = d});
        } else {
            b.ipv4({.src = ipv4_address::from_u32(0x0a000000u + static_cast<std::uint32_t>(i % 65536)),
                    .dst = ipv4_address{{10, 255, 0, 1}}});
        }
        if (rng() % 10 == 0) b.vlan({.vid = static_cast<std::uint16_t>(1 + rng() % 4000)});
        b.ethernet({.src = mac_address{{2, 0, 0, 0, 0, 1}}, .dst = mac_address{{2, 0, 0, 0, 0, 2}}});
        const auto f = b.finish();
        frame fr{.data = *f,
                 .timestamp_ns = 1'700'000'000'000'000'000 + static_cast<std::int64_t>(i) * 1000,
                 .original_len = static_cast<std::uint32_t>(f->size())};
        if (!w->write(fr)) break;
    }
    if (const auto s = w->close(); !s) {
        std::fprintf(stderr, "write failed: %s\n", to_string(s.error()).c_str());
        std::exit(2);
    }
    return std::filesystem::file_size(path);
}

struct outcome {
    std::size_t packets = 0;
    std::uint64_t checksum = 0; ///< keeps the work observable
};

outcome rawpkt_iterate(const std::string& path) {
    outcome o;
    auto r = rawpkt::pcap::reader::open(path);
    if (!r) return o;
    for (const frame& f : *r) {
        ++o.packets;
        o.checksum += std::to_integer<unsigned>(f.data[0]);
    }
    return o;
}

outcome rawpkt_iterate_mapped(const std::string& path) {
    outcome o;
    auto r = rawpkt::pcap::reader::open(path, {.map_files = true});
    if (!r) return o;
    for (const frame& f : *r) {
        ++o.packets;
        o.checksum += std::to_integer<unsigned>(f.data[0]);
    }
    return o;
}

outcome rawpkt_decode(const std::string& path) {
    outcome o;
    auto r = rawpkt::pcap::reader::open(path);
    if (!r) return o;
    decoded d;
    for (const frame& f : *r) {
        ++o.packets;
        (void)decode(f.data, f.link, d, {.mode = decode_mode::lax});
        if (const auto t = d.get<tcp::view>()) {
            o.checksum += t->src_port() + t->dst_port();
        } else if (const auto u = d.get<udp::view>()) {
            o.checksum += u->src_port() + u->dst_port();
        }
    }
    return o;
}

#if RAWPKT_BENCH_HAVE_PCAP
outcome libpcap_iterate(const std::string& path) {
    outcome o;
    char err[PCAP_ERRBUF_SIZE];
    pcap_t* p = pcap_open_offline(path.c_str(), err);
    if (p == nullptr) return o;
    pcap_pkthdr* h = nullptr;
    const u_char* data = nullptr;
    while (pcap_next_ex(p, &h, &data) == 1) {
        ++o.packets;
        o.checksum += data[0];
    }
    pcap_close(p);
    return o;
}
#endif

#if RAWPKT_BENCH_HAVE_TINS
outcome libtins_parse(const std::string& path) {
    outcome o;
    Tins::FileSniffer sniffer(path);
    sniffer.sniff_loop([&](Tins::PDU& pdu) {
        ++o.packets;
        if (const auto* t = pdu.find_pdu<Tins::TCP>()) {
            o.checksum += t->sport() + t->dport();
        } else if (const auto* u = pdu.find_pdu<Tins::UDP>()) {
            o.checksum += u->sport() + u->dport();
        }
        return true;
    });
    return o;
}
#endif

struct contender {
    const char* key; ///< stable name in the JSON output
    const char* name;
    std::function<outcome(const std::string&)> run;
    std::vector<double> seconds;
    std::size_t packets = 0;
};

} // namespace

int main(int argc, char** argv) {
    std::string json_path;
    std::vector<const char*> args;
    for (int i = 1; i < argc; ++i) {
        if (std::string_view{argv[i]} == "--json" && i + 1 < argc) {
            json_path = argv[++i];
        } else {
            args.push_back(argv[i]);
        }
    }
    const std::size_t count = !args.empty() ? std::strtoul(args[0], nullptr, 10) : 1'200'000;
    const int rounds = args.size() > 1 ? std::max(1, std::atoi(args[1])) : 5;

    char dir_template[] = "/tmp/rawpkt-bench-XXXXXX";
    const char* dir = ::mkdtemp(dir_template);
    if (dir == nullptr) return 2;
    const std::string path = std::string(dir) + "/mixed.pcap";
    const auto started = clock_type::now();
    const std::uint64_t size = generate(path, count);
    std::printf("file: %zu packets, %.1f MB, written in %.1f s\n", count, static_cast<double>(size) / 1e6,
                std::chrono::duration<double>(clock_type::now() - started).count());

    std::vector<contender> all;
#if RAWPKT_BENCH_HAVE_PCAP
    all.push_back({"libpcap_iterate", "libpcap pcap_next_ex (iterate)", libpcap_iterate, {}});
#else
    std::printf("libpcap: not built (libpcap-dev missing), skipped\n");
#endif
    all.push_back({"rawpkt_iterate", "rawpkt reader (iterate)", rawpkt_iterate, {}});
    all.push_back({"rawpkt_iterate_mapped", "rawpkt reader, mapped (iterate)", rawpkt_iterate_mapped, {}});
    all.push_back({"rawpkt_decode", "rawpkt reader + decode + ports", rawpkt_decode, {}});
#if RAWPKT_BENCH_HAVE_TINS
    all.push_back({"libtins_parse", "libtins FileSniffer (full parse)", libtins_parse, {}});
#else
    std::printf("libtins: not built (libtins-dev missing), skipped\n");
#endif

    (void)rawpkt_iterate(path); // warm the page cache
    for (int round = 0; round < rounds; ++round) {
        for (auto& c : all) {
            const double t0 = thread_cpu_seconds();
            const outcome o = c.run(path);
            c.seconds.push_back(thread_cpu_seconds() - t0);
            c.packets = o.packets;
            if (o.checksum == 0xffffffffffffffffull) std::printf("(unlikely)\n");
        }
    }
    std::filesystem::remove_all(dir);

    double reference = 0;
    std::printf("\n%-34s %12s %14s %10s   (per CPU second, median of %d)\n", "contender", "packets", "packets/s",
                "vs libpcap", rounds);
    for (auto& c : all) {
        std::sort(c.seconds.begin(), c.seconds.end());
        const double median = c.seconds[c.seconds.size() / 2];
        const double rate = static_cast<double>(c.packets) / median;
        if (reference == 0) reference = rate;
        std::printf("%-34s %12zu %14.0f %9.2fx\n", c.name, c.packets, rate, rate / reference);
    }
    if (!json_path.empty()) {
        std::FILE* out = std::fopen(json_path.c_str(), "w");
        if (out == nullptr) {
            std::fprintf(stderr, "cannot write %s\n", json_path.c_str());
            return 2;
        }
        std::fprintf(out, "{\"packets\": %zu, \"file_bytes\": %llu, \"rounds\": %d, \"contenders\": [", count,
                     static_cast<unsigned long long>(size), rounds);
        for (std::size_t i = 0; i < all.size(); ++i) {
            const auto& c = all[i];
            const double median = c.seconds[c.seconds.size() / 2]; // sorted above
            std::fprintf(out,
                         "%s\n  {\"key\": \"%s\", \"name\": \"%s\", \"packets\": %zu, \"cpu_seconds\": %.9g, "
                         "\"packets_per_second\": %.9g}",
                         i == 0 ? "" : ",", c.key, c.name, c.packets, median, static_cast<double>(c.packets) / median);
        }
        std::fprintf(out, "\n]}\n");
        if (std::fclose(out) != 0) return 2;
    }
    return 0;
}
