// SPDX-License-Identifier: BSD-3-Clause
// Decoder speed, next to a minimal hand-written parse of the same frames in
// the same run (the floor: what any decoder must at least do).
//
//   build/release/bench/decode_bench
//
// BM_decode_hot_tcp / BM_floor_hot_tcp: 1024 Ethernet/IPv4/TCP frames with
// timestamp options, hot in cache, decoded to the transport payload.
// BM_decode_golden / BM_floor_golden: the golden frames of the test suite
// (22 frames from 22 captures: tunnels, VLAN/MPLS stacks, SLL, PPP, ...);
// the floor there follows Ethernet/VLAN/IPv4/IPv6/TCP/UDP only.
// BM_decode_corpus / BM_floor_corpus: every frame of every capture in
// tests/data/corpus (about 60,000), read into memory first.
// BM_libtins_*: libtins (a peer, when libtins-dev is found) over the same
// frames: the PDU chain for the link type (EthernetII, SLL, Loopback, IP or
// IPv6 for raw links; a RawPDU for link types libtins has no class for),
// then find_pdu of TCP or UDP and their ports. libtins parses every layer
// into heap-allocated PDUs and throws on a malformed frame; both are part of
// what a libtins user pays, so both are timed.
#include <rawpkt/build.hpp>
#include <rawpkt/decode.hpp>
#include <rawpkt/pcap/reader.hpp>

#include "support/golden_frames.hpp"

#include <benchmark/benchmark.h>

#if RAWPKT_BENCH_HAVE_TINS
#include <tins/loopback.h>
#include <tins/tins.h>
#endif

#include <array>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <vector>

namespace {

using namespace rawpkt;

struct frame_set {
    std::vector<std::vector<std::byte>> storage;
    std::vector<bytes> frames;
    std::vector<link_type> links;
};

const frame_set& hot_tcp() {
    static const frame_set set = [] {
        frame_set s;
        for (std::uint32_t i = 0; i < 1024; ++i) {
            tcp::repr t{.src_port = static_cast<std::uint16_t>(32768 + i),
                        .dst_port = 443,
                        .sequence = i * 1460u,
                        .ack_number = 1,
                        .flags = tcp::flag::ack,
                        .window = 512};
            tcp::options_writer{t}.nop().nop().timestamps(i, i + 1);
            std::array<std::byte, 256> buf{};
            const auto f =
                builder{buf}
                    .reserve_payload(i % 64)
                    .tcp(t)
                    .ipv4({.src = ipv4_address::from_u32(0x0a000000 + i), .dst = ipv4_address{{10, 1, 0, 1}}})
                    .ethernet({})
                    .finish();
            s.storage.emplace_back(f->begin(), f->end());
        }
        for (const auto& v : s.storage) {
            s.frames.emplace_back(v);
            s.links.push_back(link_type::ethernet);
        }
        return s;
    }();
    return set;
}

const frame_set& golden() {
    using namespace rawpkt::test::frames;
    static const frame_set set = [] {
        frame_set s;
        const std::pair<bytes, link_type> all[] = {
            {eth_ipv4_tcp, link_type::ethernet},
            {qinq_arp, link_type::ethernet},
            {vlan_mpls_truncated, link_type::ethernet},
            {mpls_pseudowire, link_type::ethernet},
            {sll_tcp, link_type::linux_sll},
            {sll2_tcp, link_type::linux_sll2},
            {null_udp, link_type::null},
            {pppoe_ipv6_udp, link_type::ethernet},
            {ipv6_first_fragment, link_type::ethernet},
            {ipv6_last_fragment, link_type::ethernet},
            {gre_ppp_lcp, link_type::ethernet},
            {vxlan_icmp, link_type::ethernet},
            {geneve_tcp, link_type::ethernet},
            {gtpu_icmp, link_type::ethernet},
            {ipv4_ipv6_tcp, link_type::ethernet},
            {icmp_quoting_tcp, link_type::ethernet},
            {icmpv6_hop_by_hop, link_type::ethernet},
            {raw_ipv4_udp, link_type::raw},
            {llc_stp, link_type::ethernet},
            {vlan_first_fragment_udp, link_type::ethernet},
            {ppp_ipv4_udp, link_type::ppp},
            {mpls_in_udp, link_type::ethernet},
        };
        for (const auto& [f, l] : all) {
            s.frames.push_back(f);
            s.links.push_back(l);
        }
        return s;
    }();
    return set;
}

const frame_set& corpus() {
    static const frame_set set = [] {
        frame_set s;
        for (const auto& e : std::filesystem::directory_iterator(RAWPKT_CORPUS_DIR)) {
            auto r = rawpkt::pcap::reader::open(e.path().string()); // libtins brings struct pcap
            if (!r) continue;
            for (const frame& f : *r) {
                s.storage.emplace_back(f.data.begin(), f.data.end());
                s.links.push_back(f.link);
            }
        }
        for (const auto& v : s.storage) s.frames.emplace_back(v);
        return s;
    }();
    return set;
}

/// The floor: the fewest checks and reads that find the transport payload
/// of an Ethernet (VLAN) / IPv4 or IPv6 / TCP or UDP frame safely. It reads
/// bytes straight from the buffer and records nothing but the payload.
struct floor_result {
    std::uint32_t payload_offset;
    std::uint32_t payload_len;
};

inline std::uint16_t be16(const std::byte* p) {
    return static_cast<std::uint16_t>((std::to_integer<unsigned>(p[0]) << 8) | std::to_integer<unsigned>(p[1]));
}

inline floor_result floor_parse(bytes f, link_type link) {
    const std::byte* p = f.data();
    std::size_t n = f.size();
    std::size_t off = 0;
    if (link != link_type::ethernet || n < 14) return {0, 0};
    std::uint16_t type = be16(p + 12);
    off = 14;
    while (type == 0x8100 || type == 0x88a8) {
        if (n < off + 4) return {0, 0};
        type = be16(p + off + 2);
        off += 4;
    }
    std::uint8_t proto = 0;
    std::size_t end = n;
    if (type == 0x0800) {
        if (n < off + 20) return {0, 0};
        const std::size_t hl = (std::to_integer<unsigned>(p[off]) & 0x0f) * 4u;
        const std::size_t total = be16(p + off + 2);
        if (hl < 20 || total < hl || n < off + total) return {0, 0};
        if ((be16(p + off + 6) & 0x1fff) != 0) return {static_cast<std::uint32_t>(off + hl), 0};
        proto = std::to_integer<std::uint8_t>(p[off + 9]);
        end = off + total;
        off += hl;
    } else if (type == 0x86dd) {
        if (n < off + 40) return {0, 0};
        const std::size_t plen = be16(p + off + 4);
        if (n < off + 40 + plen) return {0, 0};
        proto = std::to_integer<std::uint8_t>(p[off + 6]);
        end = off + 40 + plen;
        off += 40;
    } else {
        return {static_cast<std::uint32_t>(off), static_cast<std::uint32_t>(n - off)};
    }
    if (proto == 6) {
        if (end < off + 20) return {0, 0};
        const std::size_t hl = (std::to_integer<unsigned>(p[off + 12]) >> 4) * 4u;
        if (hl < 20 || end < off + hl) return {0, 0};
        off += hl;
    } else if (proto == 17) {
        if (end < off + 8) return {0, 0};
        const std::size_t len = be16(p + off + 4);
        if (len < 8 || end < off + len) return {0, 0};
        end = off + len;
        off += 8;
    }
    return {static_cast<std::uint32_t>(off), static_cast<std::uint32_t>(end - off)};
}

void run_decode(benchmark::State& state, const frame_set& set) {
    decoded d;
    const decode_options opts{};
    std::size_t packets = 0;
    for (auto _ : state) {
        for (std::size_t i = 0; i < set.frames.size(); ++i) {
            // Tested as a caller tests it: keeping the whole status would
            // store its 24 bytes for every frame.
            const bool ok = static_cast<bool>(decode(set.frames[i], set.links[i], d, opts));
            benchmark::DoNotOptimize(ok);
            benchmark::DoNotOptimize(d.payload_offset());
        }
        packets += set.frames.size();
    }
    state.counters["ns/packet"] =
        benchmark::Counter(static_cast<double>(packets), benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
}

void run_floor(benchmark::State& state, const frame_set& set) {
    std::size_t packets = 0;
    for (auto _ : state) {
        for (std::size_t i = 0; i < set.frames.size(); ++i) {
            const floor_result r = floor_parse(set.frames[i], set.links[i]);
            benchmark::DoNotOptimize(r);
        }
        packets += set.frames.size();
    }
    state.counters["ns/packet"] =
        benchmark::Counter(static_cast<double>(packets), benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
}

#if RAWPKT_BENCH_HAVE_TINS
/// The outermost libtins PDU of a frame; nullptr when libtins rejects it.
std::unique_ptr<Tins::PDU> tins_parse(bytes f, link_type link) {
    const auto* p = reinterpret_cast<const std::uint8_t*>(f.data());
    const auto n = static_cast<std::uint32_t>(f.size());
    try {
        switch (link) {
        case link_type::ethernet: return std::make_unique<Tins::EthernetII>(p, n);
        case link_type::linux_sll: return std::make_unique<Tins::SLL>(p, n);
        case link_type::null: return std::make_unique<Tins::Loopback>(p, n);
        case link_type::ipv4: return std::make_unique<Tins::IP>(p, n);
        case link_type::ipv6: return std::make_unique<Tins::IPv6>(p, n);
        case link_type::raw:
            if (n > 0 && (p[0] >> 4) == 6) return std::make_unique<Tins::IPv6>(p, n);
            return std::make_unique<Tins::IP>(p, n);
        default: return std::make_unique<Tins::RawPDU>(p, n);
        }
    } catch (const Tins::exception_base&) {
        return nullptr;
    }
}

void run_libtins(benchmark::State& state, const frame_set& set) {
    std::size_t packets = 0;
    for (auto _ : state) {
        for (std::size_t i = 0; i < set.frames.size(); ++i) {
            const auto pdu = tins_parse(set.frames[i], set.links[i]);
            std::uint32_t ports = 0;
            if (pdu) {
                if (const auto* t = pdu->find_pdu<Tins::TCP>()) {
                    ports = t->sport() + t->dport();
                } else if (const auto* u = pdu->find_pdu<Tins::UDP>()) {
                    ports = u->sport() + u->dport();
                }
            }
            benchmark::DoNotOptimize(ports);
        }
        packets += set.frames.size();
    }
    state.counters["ns/packet"] =
        benchmark::Counter(static_cast<double>(packets), benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
}

void BM_libtins_hot_tcp(benchmark::State& state) { run_libtins(state, hot_tcp()); }
void BM_libtins_golden(benchmark::State& state) { run_libtins(state, golden()); }
void BM_libtins_corpus(benchmark::State& state) { run_libtins(state, corpus()); }
#endif

void BM_decode_hot_tcp(benchmark::State& state) { run_decode(state, hot_tcp()); }
void BM_floor_hot_tcp(benchmark::State& state) { run_floor(state, hot_tcp()); }
void BM_decode_golden(benchmark::State& state) { run_decode(state, golden()); }
void BM_floor_golden(benchmark::State& state) { run_floor(state, golden()); }
void BM_decode_corpus(benchmark::State& state) { run_decode(state, corpus()); }
void BM_floor_corpus(benchmark::State& state) { run_floor(state, corpus()); }

BENCHMARK(BM_floor_hot_tcp);
BENCHMARK(BM_decode_hot_tcp);
BENCHMARK(BM_floor_golden);
BENCHMARK(BM_decode_golden);
BENCHMARK(BM_floor_corpus);
BENCHMARK(BM_decode_corpus);
#if RAWPKT_BENCH_HAVE_TINS
BENCHMARK(BM_libtins_hot_tcp);
BENCHMARK(BM_libtins_golden);
BENCHMARK(BM_libtins_corpus);
#endif

} // namespace

BENCHMARK_MAIN();
