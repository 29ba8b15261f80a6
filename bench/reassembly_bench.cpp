// SPDX-License-Identifier: BSD-3-Clause
// TCP stream reassembly, side by side in one run: rawpkt's tcp_reassembler
// (decode + reassemble) against libtins' TCPIP::StreamFollower (parse +
// follow), over the same generated capture of many concurrent connections
// with reordered and retransmitted segments.
//
// The capture is written with rawpkt's builder and writer (deterministic
// for a seed), read once into memory and indexed, so no contender pays for
// file I/O. Every run is a fresh child process (fork after loading): the
// contender starts with the same heap, its CPU time is the child's
// (CLOCK_PROCESS_CPUTIME_ID) and its peak memory is how far its resident
// set grew above the one it started with (/proc/self/clear_refs "5" resets
// VmHWM, VmHWM read at the end). Runs alternate between the contenders;
// medians are reported. Each contender hands every in-order payload byte to
// a callback that counts it and folds it into a position-weighted checksum,
// per stream, so the two can be compared stream by stream.
//
//   reassembly_bench [--quick] [--size BYTES] [--streams N] [--seed N] [--loss SHARE]
//                    [--rounds N] [--dir DIR] [--keep] [--json FILE]
//   reassembly_bench --file CAPTURE [--rounds N] [--json FILE]
//   reassembly_bench --generate FILE [--quick] [--size BYTES] [--streams N] [--seed N] [--loss SHARE]
#include <rawpkt/build.hpp>
#include <rawpkt/decode.hpp>
#include <rawpkt/flow/tcp_reassembly.hpp>
#include <rawpkt/pcap/reader.hpp>
#include <rawpkt/pcap/writer.hpp>

#if RAWPKT_BENCH_HAVE_TINS
#include <tins/tcp_ip/stream_follower.h>
#include <tins/tins.h>
#endif

#include <algorithm>
#include <array>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>
#include <vector>

#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

namespace {

using namespace rawpkt;

// ---------------------------------------------------------------------------
// The capture generator

/// splitmix64: small, fast and the same on every platform, so a seed gives
/// the same file everywhere (std:: distributions do not promise that).
struct prng {
    std::uint64_t state;
    std::uint64_t next() noexcept {
        std::uint64_t z = (state += 0x9e3779b97f4a7c15ull);
        z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
        z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
        return z ^ (z >> 31);
    }
    std::uint32_t below(std::uint32_t n) noexcept { return static_cast<std::uint32_t>((next() >> 32) * n >> 32); }
    double unit() noexcept { return static_cast<double>(next() >> 11) * 0x1.0p-53; }
    /// Log-normal with the given mean: a few large transfers among many
    /// small ones. The normal variate is the sum of 12 uniforms.
    double lognormal(double mean, double sigma) noexcept {
        double n = -6;
        for (int i = 0; i < 12; ++i) n += unit();
        return mean * std::exp(sigma * n - sigma * sigma / 2);
    }
};

struct gen_options {
    std::uint64_t size = std::uint64_t{1} << 30;
    std::uint32_t streams = 10'000;
    std::uint64_t seed = 1;
    double reorder = 0.02;    ///< share of data segments swapped with the next one
    double retransmit = 0.02; ///< share of data segments sent again a little later
    double loss = 0;          ///< share of data segments the capture misses (and never retransmitted)
};

struct gen_stats {
    std::uint64_t file_bytes = 0;
    std::uint64_t packets = 0;
    std::uint64_t connections = 0;
    std::uint64_t payload_bytes = 0; ///< distinct stream bytes (retransmissions not counted)
    std::uint64_t reordered = 0;
    std::uint64_t retransmitted = 0;
    std::uint64_t recut = 0; ///< retransmissions over two segments' halves
    std::uint64_t lost_bytes = 0;
};

/// One packet a connection will send: direction 0 from the client, its
/// flags, and its place in the stream (relative to the direction's initial
/// sequence number; the SYN is at 0, stream byte o at 1 + o).
struct gen_packet {
    std::uint8_t dir;
    std::uint16_t flags;
    std::uint32_t rel_seq;
    std::uint32_t len;
    /// Sent and received, but missing from the capture.
    bool lost = false;
};

struct gen_conn {
    std::uint64_t id = 0;
    bool v6 = false;
    std::uint32_t rounds_left = 0;
    enum class phase : std::uint8_t { handshake, exchange, close, done } next = phase::handshake;
    std::array<std::uint32_t, 2> isn{};
    /// Next stream offset to send per direction.
    std::array<std::uint32_t, 2> sent{};
    /// Per direction, the relative sequence number up to which the other
    /// side has everything (what it acknowledges), and the ranges it holds
    /// beyond a hole.
    std::array<std::uint32_t, 2> received{};
    std::array<std::vector<std::pair<std::uint32_t, std::uint32_t>>, 2> held;
    std::vector<gen_packet> queue;
    std::size_t head = 0;
};

class generator {
public:
    generator(const gen_options& o, rawpkt::pcap::writer& w) : opt_(o), w_(w), rng_{o.seed} {
        // Stream bytes come from a random pool, at an offset that depends on
        // the connection and direction: misplaced bytes change the checksum.
        pool_.resize(pool_size + 65536);
        for (std::size_t i = 0; i < pool_size; i += 8) {
            const std::uint64_t v = rng_.next();
            std::memcpy(pool_.data() + i, &v, 8);
        }
        std::memcpy(pool_.data() + pool_size, pool_.data(), 65536);
        // About three generations of connections over the file: each
        // connection carries size / (3 * streams) bytes on average.
        conn_mean_ = std::max(2000.0, static_cast<double>(o.size) / (3.0 * o.streams) * 0.9);
    }

    gen_stats run() {
        active_.resize(opt_.streams);
        for (auto& c : active_) start(c);
        while (!active_.empty() && ok_) {
            const std::uint32_t i = rng_.below(static_cast<std::uint32_t>(active_.size()));
            gen_conn& c = active_[i];
            if (c.head == c.queue.size()) refill(c);
            if (c.next == gen_conn::phase::done && c.head == c.queue.size()) {
                if (stats_.file_bytes < opt_.size) {
                    start(c);
                } else {
                    std::swap(c, active_.back());
                    active_.pop_back();
                }
                continue;
            }
            emit(c, c.queue[c.head++]);
        }
        return stats_;
    }
    [[nodiscard]] bool ok() const noexcept { return ok_; }

private:
    static constexpr std::size_t pool_size = std::size_t{1} << 20;

    /// A copy of a segment to send again once `after` more packets went.
    struct later {
        gen_packet p;
        std::uint32_t after;
    };

    void start(gen_conn& c) {
        c = gen_conn{};
        c.id = stats_.connections++;
        c.v6 = c.id % 10 == 3;
        c.rounds_left = 1 + rng_.below(3);
        c.isn = {static_cast<std::uint32_t>(rng_.next()), static_cast<std::uint32_t>(rng_.next())};
    }

    [[nodiscard]] std::uint32_t mss(const gen_conn& c) const noexcept { return c.v6 ? 1428 : 1448; }

    /// The next burst of a connection's packets, with reordering and
    /// retransmissions applied.
    void refill(gen_conn& c) {
        c.queue.clear();
        c.head = 0;
        namespace f = tcp::flag;
        switch (c.next) {
        case gen_conn::phase::handshake:
            c.queue.push_back({0, f::syn, 0, 0});
            c.queue.push_back({1, f::syn | f::ack, 0, 0});
            c.queue.push_back({0, f::ack, 1, 0});
            c.next = gen_conn::phase::exchange;
            break;
        case gen_conn::phase::exchange: {
            // A request, mostly small, then a response of any size.
            const double mean_round = conn_mean_ / 2;
            const auto request = rng_.below(20) == 0
                                     ? static_cast<std::uint32_t>(std::clamp(rng_.lognormal(mean_round, 1.0), 1.0, 4e6))
                                     : 80 + rng_.below(1400);
            const auto response = static_cast<std::uint32_t>(std::clamp(rng_.lognormal(mean_round, 1.0), 1.0, 8e6));
            send(c, 0, request);
            send(c, 1, response);
            if (--c.rounds_left == 0) c.next = gen_conn::phase::close;
            break;
        }
        case gen_conn::phase::close:
            c.queue.push_back({0, f::fin | f::ack, 1 + c.sent[0], 0});
            c.queue.push_back({1, f::fin | f::ack, 1 + c.sent[1], 0});
            c.queue.push_back({0, f::ack, 2 + c.sent[0], 0});
            c.next = gen_conn::phase::done;
            break;
        case gen_conn::phase::done: break;
        }
    }

    /// Queues `n` stream bytes from `dir` in full-sized segments (the last
    /// one shorter, with PSH), the receiver acknowledging every second one.
    void send(gen_conn& c, unsigned dir, std::uint32_t n) {
        namespace f = tcp::flag;
        segs_.clear();
        for (std::uint32_t done = 0; done < n;) {
            const std::uint32_t len = std::min(mss(c), n - done);
            const bool last = done + len == n;
            const bool lost = opt_.loss > 0 && rng_.unit() < opt_.loss;
            segs_.push_back({static_cast<std::uint8_t>(dir), static_cast<std::uint16_t>(f::ack | (last ? f::psh : 0)),
                             1 + c.sent[dir] + done, len, lost});
            if (lost) stats_.lost_bytes += len;
            done += len;
        }
        c.sent[dir] += n;
        stats_.payload_bytes += n;
        for (std::size_t i = 0; i + 1 < segs_.size(); ++i) {
            if (rng_.unit() < opt_.reorder) {
                std::swap(segs_[i], segs_[i + 1]);
                ++stats_.reordered;
                ++i;
            }
        }
        // A retransmitted copy goes out after 1 to 3 more packets.
        std::vector<later>& again = again_;
        again.clear();
        const auto push = [&](const gen_packet& p) {
            c.queue.push_back(p);
            for (std::size_t k = 0; k < again.size();) {
                if (--again[k].after == 0) {
                    c.queue.push_back(again[k].p);
                    again.erase(again.begin() + static_cast<std::ptrdiff_t>(k));
                } else {
                    ++k;
                }
            }
        };
        const gen_packet ack{static_cast<std::uint8_t>(1 - dir), f::ack, 1 + c.sent[1 - dir], 0};
        for (std::size_t i = 0; i < segs_.size(); ++i) {
            push(segs_[i]);
            if (!segs_[i].lost && rng_.unit() < opt_.retransmit) {
                // One in three is cut anew, as stacks do when they resend:
                // the second half of this segment and the first half of the
                // next, which may not have gone out yet.
                gen_packet p = segs_[i];
                const bool next_follows =
                    i + 1 < segs_.size() && segs_[i + 1].rel_seq == p.rel_seq + p.len && !segs_[i + 1].lost;
                if (next_follows && rng_.below(3) == 0) {
                    p.rel_seq += p.len / 2;
                    p.len = p.len - p.len / 2 + segs_[i + 1].len / 2;
                    ++stats_.recut;
                }
                again.push_back({p, 1 + rng_.below(3)});
                ++stats_.retransmitted;
            }
            if (i % 2 == 1 || i + 1 == segs_.size()) push(ack);
        }
        for (const later& l : again) c.queue.push_back(l.p);
    }

    /// Notes that `dir` sent [rel, rel + n): the other side now holds it.
    static void arrive(gen_conn& c, unsigned dir, std::uint32_t rel, std::uint32_t n) {
        if (n == 0) return;
        auto& got = c.received[dir];
        auto& held = c.held[dir];
        if (static_cast<std::int32_t>(rel - got) > 0) {
            held.emplace_back(rel, rel + n);
            return;
        }
        if (static_cast<std::int32_t>(rel + n - got) > 0) got = rel + n;
        for (bool more = true; more;) {
            more = false;
            for (std::size_t k = 0; k < held.size(); ++k) {
                if (static_cast<std::int32_t>(held[k].first - got) <= 0) {
                    if (static_cast<std::int32_t>(held[k].second - got) > 0) got = held[k].second;
                    held.erase(held.begin() + static_cast<std::ptrdiff_t>(k));
                    more = true;
                    break;
                }
            }
        }
    }

    void emit(gen_conn& c, const gen_packet& p) {
        namespace f = tcp::flag;
        const unsigned d = p.dir;
        const std::uint32_t consumed = p.len + ((p.flags & (f::syn | f::fin)) != 0 ? 1 : 0);
        arrive(c, d, p.rel_seq, consumed);
        clock_ns_ += 600 + rng_.below(1200);
        if (p.lost) return; // the receiver acknowledges it all the same

        builder b{frame_};
        if (p.len > 0) {
            const std::uint64_t off = (c.id * 2654435761ull + d * 977ull + (p.rel_seq - 1)) % pool_size;
            b.payload(bytes{pool_}.subspan(off, p.len));
        }
        tcp::repr t{.src_port = port(c, d),
                    .dst_port = port(c, 1 - d),
                    .sequence = c.isn[d] + p.rel_seq,
                    .ack_number = (p.flags & f::ack) != 0 ? c.isn[1 - d] + c.received[1 - d] : 0,
                    .flags = p.flags,
                    .window = 502};
        const auto ms = static_cast<std::uint32_t>(clock_ns_ / 1'000'000);
        if ((p.flags & f::syn) != 0) {
            tcp::options_writer{t}
                .mss(static_cast<std::uint16_t>(mss(c)))
                .sack_permitted()
                .timestamps(ms, 0)
                .nop()
                .window_scale(7);
        } else {
            tcp::options_writer{t}.nop().nop().timestamps(ms, ms - 1);
        }
        b.tcp(t);
        if (c.v6) {
            b.ipv6({.src = v6_address(c, d), .dst = v6_address(c, 1 - d), .hop_limit = 64});
        } else {
            b.ipv4({.src = v4_address(c, d), .dst = v4_address(c, 1 - d)});
        }
        b.ethernet({.src = mac_address{{2, 0, 0, 0, 0, static_cast<std::uint8_t>(1 + d)}},
                    .dst = mac_address{{2, 0, 0, 0, 0, static_cast<std::uint8_t>(2 - d)}}});
        const auto fr = b.finish();
        if (!fr) {
            std::fprintf(stderr, "cannot build a frame: %s\n", to_string(fr.error()).c_str());
            ok_ = false;
            return;
        }
        const frame out{.data = *fr,
                        .timestamp_ns = 1'700'000'000'000'000'000 + clock_ns_,
                        .original_len = static_cast<std::uint32_t>(fr->size())};
        if (const auto s = w_.write(out); !s) {
            std::fprintf(stderr, "cannot write the capture: %s\n", to_string(s.error()).c_str());
            ok_ = false;
            return;
        }
        ++stats_.packets;
        stats_.file_bytes += 16 + fr->size();
    }

    // Connection k: client 10.0.x.y / 2001:db8::x:y port 10000 + k / 4096 % 50000,
    // server one of 64 addresses on port 443: every connection its own 4-tuple.
    static std::uint16_t port(const gen_conn& c, unsigned side) noexcept {
        return side == 0 ? static_cast<std::uint16_t>(10000 + c.id / 4096 % 50000) : 443;
    }
    static std::uint32_t host(const gen_conn& c, unsigned side) noexcept {
        return side == 0 ? 1 + static_cast<std::uint32_t>(c.id % 4096) : 1 + static_cast<std::uint32_t>(c.id % 64);
    }
    static ipv4_address v4_address(const gen_conn& c, unsigned side) noexcept {
        return ipv4_address::from_u32((side == 0 ? 0x0a000000u : 0xc0a80000u) + host(c, side));
    }
    static ipv6_address v6_address(const gen_conn& c, unsigned side) noexcept {
        ipv6_address a{};
        a.octets = {0x20, 0x01, 0x0d, 0xb8, 0, static_cast<std::uint8_t>(side)};
        const std::uint32_t h = host(c, side);
        a.octets[14] = static_cast<std::uint8_t>(h >> 8);
        a.octets[15] = static_cast<std::uint8_t>(h);
        return a;
    }

    gen_options opt_;
    rawpkt::pcap::writer& w_;
    prng rng_;
    std::vector<std::byte> pool_;
    double conn_mean_ = 0;
    std::vector<gen_conn> active_;
    std::vector<gen_packet> segs_;
    std::vector<later> again_;
    std::int64_t clock_ns_ = 0;
    std::array<std::byte, 2048> frame_{};
    gen_stats stats_{};
    bool ok_ = true;
};

bool generate(const std::string& path, const gen_options& o, gen_stats& out) {
    auto w = rawpkt::pcap::writer::open(path, {.format = rawpkt::pcap::file_format::pcap,
                                               .precision = rawpkt::pcap::time_precision::nano,
                                               .link = link_type::ethernet,
                                               .buffer_size = std::size_t{1} << 20});
    if (!w) {
        std::fprintf(stderr, "cannot write %s: %s\n", path.c_str(), to_string(w.error()).c_str());
        return false;
    }
    generator g(o, *w);
    out = g.run();
    if (const auto s = w->close(); !s || !g.ok()) {
        if (!s) std::fprintf(stderr, "cannot write %s: %s\n", path.c_str(), to_string(s.error()).c_str());
        return false;
    }
    out.file_bytes = std::filesystem::file_size(path);
    return true;
}

// ---------------------------------------------------------------------------
// The contenders

/// A frame of the capture in memory.
struct record {
    const std::byte* data;
    std::uint32_t len;
    std::int64_t timestamp_ns;
};

struct capture {
    std::vector<std::byte> file;
    std::vector<record> records;
    link_type link = link_type::ethernet;
};

bool load(const std::string& path, capture& c) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        std::fprintf(stderr, "cannot open %s\n", path.c_str());
        return false;
    }
    c.file.resize(std::filesystem::file_size(path));
    in.read(reinterpret_cast<char*>(c.file.data()), static_cast<std::streamsize>(c.file.size()));
    if (!in) {
        std::fprintf(stderr, "cannot read %s\n", path.c_str());
        return false;
    }
    auto r = rawpkt::pcap::reader::from_memory(bytes{c.file});
    if (!r) {
        std::fprintf(stderr, "%s: %s\n", path.c_str(), to_string(r.error()).c_str());
        return false;
    }
    for (const frame& f : *r) {
        c.records.push_back({f.data.data(), static_cast<std::uint32_t>(f.data.size()), f.timestamp_ns});
        c.link = f.link;
    }
    if (!r->status()) {
        std::fprintf(stderr, "%s: %s\n", path.c_str(), to_string(r->status().error()).c_str());
        return false;
    }
    return true;
}

/// Folds stream bytes that start at stream offset `at` into a checksum in
/// which every byte counts with its place: the sum of byte * (offset + 1),
/// mod 2^64. Equal for any split of the stream into chunks.
#if defined(__x86_64__) && defined(__GNUC__)
#define RAWPKT_BENCH_AVX2_CLONE [[gnu::target_clones("avx2", "default")]]
#else
#define RAWPKT_BENCH_AVX2_CLONE
#endif
RAWPKT_BENCH_AVX2_CLONE std::uint64_t fold(bytes data, std::uint64_t at) noexcept {
    // Within a block of 2048 bytes the weights are 16-bit and neither sum
    // overflows 32 bits: the compiler makes 16-bit multiply-adds of the
    // loop (pmaddwd, in every x86-64; 32 bytes a step where AVX2 is).
    static constexpr std::size_t block = 2048;
    static constexpr auto ramp = [] {
        std::array<std::int16_t, block> r{};
        for (std::size_t i = 0; i < block; ++i) r[i] = static_cast<std::int16_t>(i);
        return r;
    }();
    std::uint64_t sum = 0;
    for (std::size_t i = 0; i < data.size(); i += block) {
        const std::size_t n = std::min(block, data.size() - i);
        std::int32_t plain = 0, weighted = 0;
        for (std::size_t k = 0; k < n; ++k) {
            const auto b = static_cast<std::int16_t>(std::to_integer<std::uint8_t>(data[i + k]));
            plain += b;
            weighted += ramp[k] * b;
        }
        sum += static_cast<std::uint64_t>(weighted) + static_cast<std::uint64_t>(plain) * (at + i + 1);
    }
    return sum;
}

/// What one contender delivered for one connection, by direction (0: from
/// the side that sent the first packet, the SYN).
struct stream_result {
    std::uint64_t key = 0;
    std::array<std::uint64_t, 2> bytes{};
    std::array<std::uint64_t, 2> sums{};
};

/// A connection's name both contenders agree on: version, client address
/// and port, server address and port (IPv4 in the first 4 address bytes).
std::uint64_t stream_key(bool v6, const std::uint8_t* client, std::uint16_t client_port, const std::uint8_t* server,
                         std::uint16_t server_port) noexcept {
    std::uint64_t h = v6 ? 0x84222325cbf29ce4ull : 0xcbf29ce484222325ull;
    const auto mix = [&](std::uint64_t v) { h = (h ^ v) * 0x100000001b3ull; };
    for (int i = 0; i < 16; ++i) mix(client[i]);
    mix(client_port);
    for (int i = 0; i < 16; ++i) mix(server[i]);
    mix(server_port);
    return h;
}

struct run_figures {
    double seconds = 0;
    std::uint64_t payload_bytes = 0;
    std::uint64_t gap_bytes = 0;
    std::uint64_t rss_growth = 0;
    std::uint64_t accounted_peak = 0; ///< rawpkt: peak out-of-order buffer memory
    std::uint64_t streams = 0;
    std::uint64_t terminated = 0; ///< streams given up early (rawpkt: evicted; libtins: termination callback)
    std::uint64_t malformed = 0;  ///< frames the contender rejected
};

/// The configuration rawpkt runs with: room for 10,000 open connections
/// plus the closed ones that linger until they idle out, and a 64 MiB
/// bound on out-of-order buffers.
flow::tcp_config rawpkt_config() {
    flow::tcp_config c;
    c.max_connections = 32768;
    c.max_buffer_total = std::size_t{64} << 20;
    return c;
}

struct rawpkt_counter {
    std::vector<std::array<std::uint64_t, 2>> sums;
    std::vector<stream_result>* out;
    std::uint64_t bytes = 0;
    std::uint64_t gap_bytes = 0;

    void on_data(const flow::tcp_connection& c, unsigned dir, rawpkt::bytes data) {
        if (c.index >= sums.size()) sums.resize(c.index + 1 + sums.size() / 2);
        sums[c.index][dir] += fold(data, c.delivered[dir] - data.size());
        bytes += data.size();
    }
    void on_gap(const flow::tcp_connection&, unsigned, std::uint64_t size) { gap_bytes += size; }
    void on_close(const flow::tcp_connection& c, flow::tcp_close) {
        const unsigned client = c.client_side;
        stream_result r;
        r.key = stream_key(c.key.version == 6, c.key.addr[client].data(), c.key.port[client],
                           c.key.addr[1 - client].data(), c.key.port[1 - client]);
        r.bytes = c.delivered;
        if (c.index < sums.size()) r.sums = sums[c.index];
        out->push_back(r);
    }
};

run_figures run_rawpkt(const capture& cap, std::vector<stream_result>& streams) {
    run_figures f;
    rawpkt_counter counter{{}, &streams};
    flow::tcp_reassembler<rawpkt_counter> r(counter, rawpkt_config());
    decoded d;
    for (const record& rec : cap.records) {
        if (!decode(bytes{rec.data, rec.len}, cap.link, d, {.mode = decode_mode::lax})) ++f.malformed;
        (void)r.add(d, rec.timestamp_ns);
    }
    r.finish();
    f.payload_bytes = counter.bytes;
    f.gap_bytes = counter.gap_bytes;
    f.accounted_peak = r.stats().peak_buffered_bytes;
    f.streams = r.stats().connections;
    f.terminated = r.stats().evicted;
    return f;
}

#if RAWPKT_BENCH_HAVE_TINS

std::uint64_t tins_key(const Tins::TCPIP::Stream& s) {
    std::uint8_t client[16]{}, server[16]{};
    if (s.is_v6()) {
        const auto c = s.client_addr_v6(), v = s.server_addr_v6();
        std::copy(c.begin(), c.end(), client);
        std::copy(v.begin(), v.end(), server);
    } else {
        // The address's integer holds its bytes in network order.
        const auto c = static_cast<std::uint32_t>(s.client_addr_v4()),
                   v = static_cast<std::uint32_t>(s.server_addr_v4());
        std::memcpy(client, &c, 4);
        std::memcpy(server, &v, 4);
    }
    return stream_key(s.is_v6(), client, s.client_port(), server, s.server_port());
}

run_figures run_libtins(const capture& cap, std::vector<stream_result>& streams) {
    run_figures f;
    std::deque<stream_result> state; // stable addresses for the callbacks
    std::uint64_t total = 0;
    Tins::TCPIP::StreamFollower follower;
    follower.new_stream_callback([&](Tins::TCPIP::Stream& s) {
        stream_result* st = &state.emplace_back();
        st->key = tins_key(s);
        s.client_data_callback([st, &total](Tins::TCPIP::Stream& stream) {
            const auto& p = stream.client_payload();
            st->sums[0] += fold({reinterpret_cast<const std::byte*>(p.data()), p.size()}, st->bytes[0]);
            st->bytes[0] += p.size();
            total += p.size();
        });
        s.server_data_callback([st, &total](Tins::TCPIP::Stream& stream) {
            const auto& p = stream.server_payload();
            st->sums[1] += fold({reinterpret_cast<const std::byte*>(p.data()), p.size()}, st->bytes[1]);
            st->bytes[1] += p.size();
            total += p.size();
        });
    });
    follower.stream_termination_callback(
        [&](Tins::TCPIP::Stream&, Tins::TCPIP::StreamFollower::TerminationReason) { ++f.terminated; });
    for (const record& rec : cap.records) {
        // libtins parses every header into its own heap object, as its
        // sniffers do, and throws on what it cannot parse.
        try {
            Tins::Packet p(new Tins::EthernetII(reinterpret_cast<const std::uint8_t*>(rec.data), rec.len),
                           Tins::Timestamp(std::chrono::microseconds(rec.timestamp_ns / 1000)),
                           Tins::Packet::own_pdu());
            follower.process_packet(p);
        } catch (const Tins::exception_base&) {
            ++f.malformed;
        }
    }
    f.payload_bytes = total;
    f.streams = state.size();
    streams.assign(state.begin(), state.end());
    return f;
}
#endif

// ---------------------------------------------------------------------------
// Running a contender in a fresh child

double process_cpu_seconds() noexcept {
    timespec ts{};
    ::clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

/// A "VmRSS:"-style line of /proc/self/status, in bytes (0 if missing).
std::uint64_t status_bytes(std::string_view field) {
    std::ifstream in("/proc/self/status");
    std::string line;
    while (std::getline(in, line)) {
        if (line.compare(0, field.size(), field) == 0)
            return std::strtoull(line.c_str() + field.size(), nullptr, 10) * 1024;
    }
    return 0;
}

bool write_all(int fd, const void* data, std::size_t n) {
    const auto* p = static_cast<const char*>(data);
    while (n > 0) {
        const ssize_t w = ::write(fd, p, n);
        if (w <= 0) return false;
        p += w;
        n -= static_cast<std::size_t>(w);
    }
    return true;
}

using contender_fn = run_figures (*)(const capture&, std::vector<stream_result>&);

/// A forked child finds the parent's pages unmapped until it touches them,
/// and a first touch costs a page fault (about 2 s for a 1.4 GB capture on
/// our VM, ten times the time to read it): taken here, before the clock
/// starts and before the resident set is measured.
void touch_pages(const capture& cap) {
    const auto touch = [](const void* data, std::size_t n) {
        const auto* p = static_cast<const volatile unsigned char*>(data);
        unsigned sum = 0;
        for (std::size_t i = 0; i < n; i += 4096) sum += p[i];
        return sum;
    };
    volatile unsigned sink =
        touch(cap.file.data(), cap.file.size()) + touch(cap.records.data(), cap.records.size() * sizeof(record));
    (void)sink;
}

/// Runs one contender in a child process forked from this one (which holds
/// the capture): the child starts with the same resident set, and what it
/// adds is the contender's. False when the child failed.
bool run_in_child(contender_fn fn, const capture& cap, run_figures& fig, std::vector<stream_result>& streams) {
    int fds[2];
    if (::pipe(fds) != 0) return false;
    std::fflush(nullptr);
    const pid_t pid = ::fork();
    if (pid < 0) return false;
    if (pid == 0) {
        ::close(fds[0]);
        touch_pages(cap);
        {
            // 5: reset the peak resident set size to the current one.
            std::ofstream clear("/proc/self/clear_refs");
            clear << "5";
        }
        const std::uint64_t before = status_bytes("VmRSS:");
        std::vector<stream_result> mine;
        const double t0 = process_cpu_seconds();
        run_figures f = fn(cap, mine);
        f.seconds = process_cpu_seconds() - t0;
        const std::uint64_t peak = status_bytes("VmHWM:");
        f.rss_growth = peak > before ? peak - before : 0;
        const std::uint64_t n = mine.size();
        const bool ok = write_all(fds[1], &f, sizeof f) && write_all(fds[1], &n, sizeof n) &&
                        write_all(fds[1], mine.data(), n * sizeof(stream_result));
        ::_exit(ok ? 0 : 1);
    }
    ::close(fds[1]);
    std::vector<char> got;
    char buf[65536];
    for (ssize_t r; (r = ::read(fds[0], buf, sizeof buf)) != 0;) {
        if (r < 0) break;
        got.insert(got.end(), buf, buf + r);
    }
    ::close(fds[0]);
    int status = 0;
    ::waitpid(pid, &status, 0);
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0 || got.size() < sizeof fig + 8) return false;
    std::memcpy(&fig, got.data(), sizeof fig);
    std::uint64_t n = 0;
    std::memcpy(&n, got.data() + sizeof fig, 8);
    if (got.size() != sizeof fig + 8 + n * sizeof(stream_result)) return false;
    streams.resize(n);
    std::memcpy(streams.data(), got.data() + sizeof fig + 8, n * sizeof(stream_result));
    return true;
}

struct contender {
    const char* name;
    contender_fn fn;
    std::vector<run_figures> runs;
    std::vector<stream_result> streams;
    run_figures median{};
};

template <class Get>
double median_of(std::vector<run_figures>& runs, Get get) {
    std::vector<double> v;
    for (const auto& r : runs) v.push_back(get(r));
    std::sort(v.begin(), v.end());
    return v.empty() ? 0 : v.size() % 2 == 1 ? v[v.size() / 2] : (v[v.size() / 2 - 1] + v[v.size() / 2]) / 2;
}

/// How the second contender's streams differ from the first's.
struct comparison {
    std::uint64_t same = 0;          ///< streams with equal bytes and checksums both ways
    std::uint64_t short_streams = 0; ///< streams where it delivered fewer bytes
    std::uint64_t missing_bytes = 0; ///< bytes it did not deliver, over those
    std::uint64_t extra_bytes = 0;   ///< bytes it delivered beyond the first's
    std::uint64_t different = 0;     ///< streams with as many bytes but other contents
    std::uint64_t unseen = 0;        ///< streams it never reported
};

comparison compare(std::vector<stream_result> a, std::vector<stream_result> b) {
    const auto by_key = [](const stream_result& x, const stream_result& y) { return x.key < y.key; };
    std::sort(a.begin(), a.end(), by_key);
    std::sort(b.begin(), b.end(), by_key);
    comparison c;
    auto j = b.begin();
    for (const stream_result& s : a) {
        while (j != b.end() && j->key < s.key) ++j;
        if (j == b.end() || j->key != s.key) {
            ++c.unseen;
            c.missing_bytes += s.bytes[0] + s.bytes[1];
            ++c.short_streams;
            continue;
        }
        bool shorter = false, other = false;
        for (unsigned d = 0; d < 2; ++d) {
            if (j->bytes[d] < s.bytes[d]) {
                shorter = true;
                c.missing_bytes += s.bytes[d] - j->bytes[d];
            } else if (j->bytes[d] > s.bytes[d]) {
                c.extra_bytes += j->bytes[d] - s.bytes[d];
                other = true;
            } else if (j->sums[d] != s.sums[d]) {
                other = true;
            }
        }
        if (shorter) ++c.short_streams;
        if (other) ++c.different;
        if (!shorter && !other) ++c.same;
    }
    return c;
}

[[noreturn]] void usage() {
    std::fprintf(
        stderr,
        "usage: reassembly_bench [--quick] [--size BYTES] [--streams N] [--seed N] [--loss SHARE]\n"
        "                        [--rounds N] [--dir DIR] [--keep] [--json FILE]\n"
        "       reassembly_bench --file CAPTURE [--rounds N] [--json FILE]\n"
        "       reassembly_bench --generate FILE [--quick] [--size BYTES] [--streams N] [--seed N] [--loss SHARE]\n");
    std::exit(2);
}

} // namespace

int main(int argc, char** argv) {
    gen_options gen;
    int rounds = 5;
    std::string dir = "/tmp", json, file, generate_only, only;
    bool keep = false;
    for (int i = 1; i < argc; ++i) {
        const std::string_view a = argv[i];
        const auto value = [&]() -> const char* {
            if (i + 1 >= argc) usage();
            return argv[++i];
        };
        if (a == "--quick") {
            gen.size = 50'000'000;
            rounds = 3;
        } else if (a == "--size") {
            gen.size = std::strtoull(value(), nullptr, 10);
        } else if (a == "--streams") {
            gen.streams = static_cast<std::uint32_t>(std::strtoul(value(), nullptr, 10));
        } else if (a == "--loss") {
            gen.loss = std::strtod(value(), nullptr);
        } else if (a == "--seed") {
            gen.seed = std::strtoull(value(), nullptr, 10);
        } else if (a == "--rounds") {
            rounds = std::atoi(value());
        } else if (a == "--dir") {
            dir = value();
        } else if (a == "--keep") {
            keep = true;
        } else if (a == "--json") {
            json = value();
        } else if (a == "--file") {
            file = value();
        } else if (a == "--only") {
            only = value();
        } else if (a == "--generate") {
            generate_only = value();
        } else {
            usage();
        }
    }
    if (rounds < 1 || gen.streams == 0 || (!only.empty() && only != "rawpkt" && only != "libtins")) usage();

    gen_stats made{};
    const auto write_capture = [&](const std::string& path) {
        const auto started = std::chrono::steady_clock::now();
        if (!generate(path, gen, made)) return false;
        std::printf(
            "capture: %s, %.1f MB, %llu packets, %llu connections (%u at once), %.1f MB of stream payload, "
            "%llu segments reordered, %llu retransmitted (%llu cut anew), %llu bytes missing; written in %.1f s\n",
            path.c_str(), static_cast<double>(made.file_bytes) / 1e6, static_cast<unsigned long long>(made.packets),
            static_cast<unsigned long long>(made.connections), gen.streams,
            static_cast<double>(made.payload_bytes) / 1e6, static_cast<unsigned long long>(made.reordered),
            static_cast<unsigned long long>(made.retransmitted), static_cast<unsigned long long>(made.recut),
            static_cast<unsigned long long>(made.lost_bytes),
            std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count());
        return true;
    };
    if (!generate_only.empty()) return write_capture(generate_only) ? 0 : 1;

    std::string temp_dir;
    if (file.empty()) {
        std::string tmpl = dir + "/rawpkt-reassembly-XXXXXX";
        if (::mkdtemp(tmpl.data()) == nullptr) {
            std::fprintf(stderr, "cannot make a directory in %s\n", dir.c_str());
            return 1;
        }
        temp_dir = tmpl;
        file = temp_dir + "/streams.pcap";
        if (!write_capture(file)) {
            std::filesystem::remove_all(temp_dir);
            return 1;
        }
    }
    capture cap;
    const bool loaded = load(file, cap);
    if (!temp_dir.empty() && !keep) std::filesystem::remove_all(temp_dir);
    if (!loaded) return 1;
    if (keep) std::printf("kept %s\n", file.c_str());

    std::vector<contender> all;
    if (only.empty() || only == "rawpkt") all.push_back({"rawpkt tcp_reassembler", run_rawpkt, {}, {}});
#if RAWPKT_BENCH_HAVE_TINS
    if (!only.empty() && only != "libtins") {
        // left out on request
    } else if (cap.link == link_type::ethernet) {
        all.push_back({"libtins StreamFollower", run_libtins, {}, {}});
    } else {
        std::printf("libtins: the capture is not Ethernet, skipped\n");
    }
#else
    std::printf("libtins: not built (libtins-dev missing), skipped\n");
#endif

    for (int round = 0; round < rounds; ++round) {
        for (contender& c : all) {
            run_figures f;
            if (!run_in_child(c.fn, cap, f, c.streams)) {
                std::fprintf(stderr, "%s: the run failed\n", c.name);
                return 1;
            }
            c.runs.push_back(f);
        }
    }
    for (contender& c : all) {
        c.median = c.runs.back();
        c.median.seconds = median_of(c.runs, [](const run_figures& r) { return r.seconds; });
        c.median.rss_growth =
            static_cast<std::uint64_t>(median_of(c.runs, [](const run_figures& r) { return double(r.rss_growth); }));
    }

    const contender* raw = nullptr;
    const contender* tins = nullptr;
    for (const contender& c : all) (c.fn == run_rawpkt ? raw : tins) = &c;
    const auto gbps = [](const run_figures& f) { return static_cast<double>(f.payload_bytes) / f.seconds / 1e9; };
    const double reference = gbps((tins != nullptr ? tins : raw)->median);
    std::printf("\n%-24s %9s %15s %8s %12s %12s %10s   (CPU seconds, median of %d)\n", "contender", "seconds",
                "payload bytes", "GB/s", "peak RSS +", "accounted", "vs libtins", rounds);
    for (const contender& c : all) {
        const run_figures& m = c.median;
        char accounted[32] = "-";
        if (&c == raw) std::snprintf(accounted, sizeof accounted, "%.2f MB", double(m.accounted_peak) / 1e6);
        std::printf("%-24s %9.3f %15llu %8.3f %9.1f MB %12s %9.2fx\n", c.name, m.seconds,
                    static_cast<unsigned long long>(m.payload_bytes), gbps(m), double(m.rss_growth) / 1e6, accounted,
                    gbps(m) / reference);
    }
    // The rounds one by one: on a shared machine their spread says how far
    // to trust the medians.
    for (const contender& c : all) {
        std::printf("%-24s", c.name);
        for (const run_figures& r : c.runs) std::printf(" %.3f", r.seconds);
        std::printf("  (CPU seconds, round by round)\n");
    }

    // Checks: rawpkt delivers every byte the generator sent, within its bound.
    int failed = 0;
    const std::size_t bound = rawpkt_config().max_buffer_total;
    if (raw != nullptr) {
        const run_figures& rp = raw->median;
        std::printf("\nrawpkt: %llu connections, %llu gap bytes, %llu evicted, out-of-order peak %.2f MB (bound %.0f "
                    "MB)\n",
                    static_cast<unsigned long long>(rp.streams), static_cast<unsigned long long>(rp.gap_bytes),
                    static_cast<unsigned long long>(rp.terminated), double(rp.accounted_peak) / 1e6,
                    double(bound) / 1e6);
        if (rp.accounted_peak > bound) {
            std::printf("FAIL: rawpkt's out-of-order buffers exceeded their bound\n");
            failed = 1;
        }
        if (made.packets > 0 &&
            (rp.payload_bytes + made.lost_bytes != made.payload_bytes || rp.gap_bytes != made.lost_bytes)) {
            std::printf("FAIL: rawpkt delivered %llu bytes, the capture holds %llu\n",
                        static_cast<unsigned long long>(rp.payload_bytes),
                        static_cast<unsigned long long>(made.payload_bytes - made.lost_bytes));
            failed = 1;
        }
    }
    comparison cmp{};
    if (tins != nullptr) {
        const run_figures& lt = tins->median;
        std::printf("libtins: %llu streams, %llu terminated early, %llu frames rejected\n",
                    static_cast<unsigned long long>(lt.streams), static_cast<unsigned long long>(lt.terminated),
                    static_cast<unsigned long long>(lt.malformed));
    }
    if (raw != nullptr && tins != nullptr) {
        cmp = compare(raw->streams, tins->streams);
        std::printf("libtins against rawpkt, stream by stream: %llu identical, %llu short by %llu bytes in all (%.3f%% "
                    "of the payload), %llu with other contents, %llu never reported, %llu bytes more\n",
                    static_cast<unsigned long long>(cmp.same), static_cast<unsigned long long>(cmp.short_streams),
                    static_cast<unsigned long long>(cmp.missing_bytes),
                    100.0 * double(cmp.missing_bytes) / double(std::max<std::uint64_t>(1, raw->median.payload_bytes)),
                    static_cast<unsigned long long>(cmp.different), static_cast<unsigned long long>(cmp.unseen),
                    static_cast<unsigned long long>(cmp.extra_bytes));
    }

    if (!json.empty()) {
        std::FILE* out = std::fopen(json.c_str(), "w");
        if (out == nullptr) {
            std::fprintf(stderr, "cannot write %s\n", json.c_str());
            return 1;
        }
        std::fprintf(out,
                     "{\"capture\": {\"file_bytes\": %llu, \"packets\": %zu, \"concurrent\": %u, "
                     "\"payload_bytes\": %llu},\n \"rounds\": %d,\n \"contenders\": [",
                     static_cast<unsigned long long>(cap.file.size()), cap.records.size(), gen.streams,
                     static_cast<unsigned long long>(made.payload_bytes), rounds);
        for (std::size_t i = 0; i < all.size(); ++i) {
            const run_figures& m = all[i].median;
            std::fprintf(out,
                         "%s\n  {\"contender\": \"%s\", \"seconds\": %.6f, \"payload_bytes\": %llu, \"gbps\": %.6f, "
                         "\"peak_bytes\": %llu, \"accounted_peak_bytes\": %llu, \"streams\": %llu, \"ratio\": %.4f}",
                         i == 0 ? "" : ",", &all[i] == raw ? "rawpkt" : "libtins", m.seconds,
                         static_cast<unsigned long long>(m.payload_bytes), gbps(m),
                         static_cast<unsigned long long>(m.rss_growth),
                         static_cast<unsigned long long>(&all[i] == raw ? m.accounted_peak : 0),
                         static_cast<unsigned long long>(m.streams), gbps(m) / reference);
        }
        std::fprintf(out,
                     "],\n \"libtins_missing_bytes\": %llu, \"libtins_short_streams\": %llu, "
                     "\"libtins_other_streams\": %llu}\n",
                     static_cast<unsigned long long>(cmp.missing_bytes),
                     static_cast<unsigned long long>(cmp.short_streams),
                     static_cast<unsigned long long>(cmp.different));
        std::fclose(out);
    }
    return failed;
}
