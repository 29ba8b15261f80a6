// SPDX-License-Identifier: BSD-3-Clause
// rawpkt-gen: a traffic generator. Frames from options (or a capture file
// replayed), built in place in the TX ring, at a packet or bit rate. The
// frames come from rawpkt::gen, the sending from rawpkt::datalink.
#include "common/tool.hpp"

#include <rawpkt/datalink/datalink.hpp>
#include <rawpkt/generate.hpp>
#include <rawpkt/pcap/reader.hpp>
#include <rawpkt/version.hpp>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include <chrono>
#include <cstring>
#include <optional>
#include <string>
#include <thread>
#include <unistd.h>
#include <vector>

namespace {

using namespace rawpkt;
namespace dl = rawpkt::datalink;
using clock_type = std::chrono::steady_clock;

constexpr const char* description = R"(NAME
  rawpkt-gen - send generated or recorded frames at a chosen rate

SYNOPSIS
  rawpkt-gen -i IFACE [frame options] [--count N] [--duration S] [--rate PPS | --bitrate BPS]
  rawpkt-gen -i IFACE --replay FILE [--speed X] [--loop N] [--count N]

DESCRIPTION
  Builds Ethernet frames from the options -- MAC addresses, VLAN tags, IPv4
  or IPv6 addresses, UDP, TCP or ICMP echo, payload -- and sends them on
  IFACE through the TX ring, each built in place in its ring slot with every
  length and checksum filled in. Addresses and ports take a single value, a
  range walked frame after frame (10.0.0.1-10.0.0.254, 1000-2000, a prefix
  10.0.0.0/24) or random values (rand), so that flows spread over RSS queues
  and fanout groups. Or replays a capture file at its own timing (--speed 1),
  faster or slower, or as fast as it goes (--speed 0).

  It never picks an interface itself: -i is required. The live rate is shown
  on standard error every second; the totals are printed at the end (or on
  Ctrl-C).)";

constexpr const char* footer = R"(EXAMPLES
  rawpkt-gen -i veth0 --count 1000
  rawpkt-gen -i eth1 --src 10.0.0.1-10.0.0.254 --dst 10.1.0.1 --dport rand --rate 100000 --duration 10
  rawpkt-gen -i eth1 --tcp --flags S --dst 192.0.2.80 --dport 80 --sport 1024-65535 --count 100
  rawpkt-gen -i eth1 --icmp --src 2001:db8::1 --dst 2001:db8::2 --payload-size 56 --rate 10
  rawpkt-gen -i eth1 --vlan 100 --vlan 200 --qinq --frame-size 1514 --bitrate 1G
  rawpkt-gen -i eth1 --payload deadbeef --dst-mac 00:11:22:33:44:55 --count 1
  rawpkt-gen -i eth1 --replay trace.pcap --speed 2 --loop 3

EXIT STATUS
  0 success; 1 usage error; 2 the interface cannot be opened (missing
  CAP_NET_RAW, no such interface), the capture cannot be read, or sending
  failed.)";

struct options {
    std::string interface;
    std::string user; ///< -Z
    dl::backend backend = dl::backend::ring;
    bool qdisc_bypass = false;
    std::string src_mac = "02:00:00:00:00:01";
    std::string dst_mac = "ff:ff:ff:ff:ff:ff";
    std::vector<std::string> vlans;
    bool qinq = false;
    std::string src = "192.0.2.1";
    std::string dst = "192.0.2.2";
    std::uint32_t ttl = 64;
    bool tcp = false;
    bool udp = false;
    bool icmp = false;
    std::string flags = "S";
    std::uint32_t seq = 0;
    std::uint32_t ack = 0;
    std::string sport = "1024";
    std::string dport = "9";
    std::string payload;
    std::size_t payload_size = 0;
    std::size_t frame_size = 0;
    std::uint64_t count = 0;
    double duration = 0;
    double rate = 0;
    std::string bitrate;
    std::uint64_t seed = 1;
    std::string replay;
    double speed = 1;
    std::uint64_t loop = 1;
    bool quiet = false;
};

/// "100M", "1.5G", "64k", "1000000": bits per second (powers of 1000).
std::optional<double> parse_bitrate(std::string s) {
    if (s.empty()) return std::nullopt;
    double mult = 1;
    switch (s.back()) {
    case 'k':
    case 'K': mult = 1e3; break;
    case 'm':
    case 'M': mult = 1e6; break;
    case 'g':
    case 'G': mult = 1e9; break;
    default: break;
    }
    if (mult != 1) s.pop_back();
    try {
        std::size_t used = 0;
        const double v = std::stod(s, &used);
        if (used != s.size() || v <= 0) return std::nullopt;
        return v * mult;
    } catch (...) {
        return std::nullopt;
    }
}

/// Counts and shows the live rate.
class meter {
public:
    explicit meter(bool show) : show_(show), tty_(::isatty(STDERR_FILENO) == 1) {}
    void add(std::size_t bytes) {
        ++frames_;
        bytes_ += bytes;
    }
    void tick() {
        const auto now = clock_type::now();
        if (now - last_ < std::chrono::seconds(1)) return;
        const double secs = std::chrono::duration<double>(now - last_).count();
        if (show_) {
            fmt::print(stderr, "{}{} frames sent, {} pps, {}{}", tty_ ? "\r" : "", frames_,
                       tool::human_count(static_cast<double>(frames_ - frames_then_) / secs),
                       tool::human_bits(static_cast<double>(bytes_ - bytes_then_) * 8 / secs), tty_ ? "   " : "\n");
            std::fflush(stderr);
        }
        last_ = now;
        frames_then_ = frames_;
        bytes_then_ = bytes_;
    }
    void done() {
        if (show_ && tty_) fmt::print(stderr, "\n");
    }
    [[nodiscard]] std::uint64_t frames() const { return frames_; }
    [[nodiscard]] std::uint64_t bytes() const { return bytes_; }
    [[nodiscard]] double seconds() const { return std::chrono::duration<double>(clock_type::now() - start_).count(); }

private:
    bool show_;
    bool tty_;
    std::uint64_t frames_ = 0;
    std::uint64_t bytes_ = 0;
    std::uint64_t frames_then_ = 0;
    std::uint64_t bytes_then_ = 0;
    clock_type::time_point start_ = clock_type::now();
    clock_type::time_point last_ = start_;
};

int fail(const std::string& what) {
    fmt::print(stderr, "rawpkt-gen: {}\n", what);
    return tool::exit_usage;
}

/// The frame spec from the options; an exit status on error.
std::optional<gen::frame_spec> make_spec(const options& o, int& rc) {
    rc = tool::exit_usage;
    gen::frame_spec s;
    if (!mac_address::parse(o.src_mac, s.src_mac)) return fail("bad --src-mac " + o.src_mac), std::nullopt;
    if (!mac_address::parse(o.dst_mac, s.dst_mac)) return fail("bad --dst-mac " + o.dst_mac), std::nullopt;
    for (std::size_t i = 0; i < o.vlans.size(); ++i) {
        gen::vlan_tag t;
        const auto colon = o.vlans[i].find(':');
        try {
            const unsigned long vid = std::stoul(o.vlans[i].substr(0, colon));
            const unsigned long pcp = colon == std::string::npos ? 0 : std::stoul(o.vlans[i].substr(colon + 1));
            if (vid > 4095 || pcp > 7) throw std::out_of_range("vlan");
            t.vid = static_cast<std::uint16_t>(vid);
            t.pcp = static_cast<std::uint8_t>(pcp);
        } catch (...) {
            return fail("bad --vlan " + o.vlans[i] + " (VID[:PCP], VID 0..4095, PCP 0..7)"), std::nullopt;
        }
        // With --qinq every tag but the innermost is an 802.1ad service tag.
        if (o.qinq && i + 1 < o.vlans.size()) t.tpid = ethertype::qinq;
        s.vlans.push_back(t);
    }
    const bool v6 = o.src.find(':') != std::string::npos || o.dst.find(':') != std::string::npos;
    s.ipv6 = v6;
    if (v6) {
        const auto a = gen::parse_ipv6_range(o.src, s.src_ip6_base);
        const auto b = gen::parse_ipv6_range(o.dst, s.dst_ip6_base);
        if (!a) return fail("bad --src " + o.src), std::nullopt;
        if (!b) return fail("bad --dst " + o.dst), std::nullopt;
        if (o.src == "rand" || o.dst == "rand")
            return fail("rand with IPv6: give a range of the last 32 bits"), std::nullopt;
        s.src_ip = *a;
        s.dst_ip = *b;
    } else {
        const auto a = gen::parse_ipv4_range(o.src);
        const auto b = gen::parse_ipv4_range(o.dst);
        if (!a) return fail("bad --src " + o.src + " (an address, A-B, a prefix or rand)"), std::nullopt;
        if (!b) return fail("bad --dst " + o.dst + " (an address, A-B, a prefix or rand)"), std::nullopt;
        s.src_ip = *a;
        s.dst_ip = *b;
    }
    s.ttl = static_cast<std::uint8_t>(o.ttl);
    s.l4 = o.tcp ? gen::transport::tcp : o.icmp ? gen::transport::icmp_echo : gen::transport::udp;
    const auto sp = gen::parse_port_range(o.sport);
    const auto dp = gen::parse_port_range(o.dport);
    if (!sp) return fail("bad --sport " + o.sport + " (a port, A-B or rand)"), std::nullopt;
    if (!dp) return fail("bad --dport " + o.dport + " (a port, A-B or rand)"), std::nullopt;
    s.src_port = *sp;
    s.dst_port = *dp;
    const auto flags = gen::parse_tcp_flags(o.flags);
    if (!flags) return fail("bad --flags " + o.flags + " (letters of FSRPAUEW, or syn,ack,...)"), std::nullopt;
    s.tcp_flags = *flags;
    s.tcp_seq = o.seq;
    s.tcp_ack = o.ack;
    if (!o.payload.empty()) {
        const auto p = gen::parse_hex(o.payload);
        if (!p) return fail("bad --payload " + o.payload + " (hex bytes)"), std::nullopt;
        s.payload = *p;
    }
    s.payload_len = o.payload_size;
    s.frame_len = o.frame_size;
    rc = -1;
    return s;
}

class sender_loop {
public:
    sender_loop(const options& o, dl::channel& ch) : o_(o), ch_(ch), meter_(!o.quiet) {}

    int generate(const gen::generator& g, double bps) {
        gen::pacer pace{o_.rate, bps};
        const auto deadline = clock_type::now() + std::chrono::duration_cast<clock_type::duration>(
                                                      std::chrono::duration<double>(o_.duration));
        const std::size_t len = g.frame_len();
        for (std::uint64_t n = 0; o_.count == 0 || n < o_.count; ++n) {
            if ((n & 0x3f) == 0) {
                if (tool::stop_requested()) break;
                if (o_.duration > 0 && clock_type::now() >= deadline) break;
                meter_.tick();
            }
            if (!pace.unlimited()) sleep_until(pace.due(len));
            const status s = ch_.tx.send_with(len, [&](mut_bytes slot) { return g.build(n, slot); });
            if (!s) return send_failed(s.error());
            meter_.add(len);
        }
        return finish();
    }

    /// Waits for `due` when it is still to come, after handing the kernel
    /// what is queued: frames leave spaced as the rate says, not in bursts
    /// of a TX batch.
    void sleep_until(clock_type::time_point due) {
        if (due <= clock_type::now()) return;
        (void)ch_.tx.flush();
        std::this_thread::sleep_until(due);
    }

    /// Replay: MAC addresses to put into every Ethernet frame.
    void rewrite(std::optional<mac_address> src, std::optional<mac_address> dst) {
        src_ = src;
        dst_ = dst;
        rewrite_ = src || dst;
    }

    int replay(double bps) {
        gen::pacer pace{o_.rate, bps};
        const auto deadline = clock_type::now() + std::chrono::duration_cast<clock_type::duration>(
                                                      std::chrono::duration<double>(o_.duration));
        std::uint64_t sent = 0;
        std::uint64_t too_long = 0;
        for (std::uint64_t round = 0; o_.loop == 0 || round < o_.loop; ++round) {
            auto r = pcap::reader::open(o_.replay);
            if (!r) {
                fmt::print(stderr, "rawpkt-gen: {}: {}\n", o_.replay, to_string(r.error()));
                return tool::exit_input;
            }
            const auto start = clock_type::now();
            std::optional<std::int64_t> first_ts;
            frame f;
            while (r->next(f)) {
                if (tool::stop_requested() || (o_.count != 0 && sent >= o_.count) ||
                    (o_.duration > 0 && clock_type::now() >= deadline)) {
                    return finish(too_long);
                }
                if (!first_ts) first_ts = f.timestamp_ns;
                if (o_.speed > 0) {
                    // The frame's own time, scaled.
                    const double offset = static_cast<double>(f.timestamp_ns - *first_ts) / 1e9 / o_.speed;
                    const auto due =
                        start + std::chrono::duration_cast<clock_type::duration>(std::chrono::duration<double>(offset));
                    sleep_until(due);
                }
                if (!pace.unlimited()) sleep_until(pace.due(f.data.size()));
                if (f.data.size() > ch_.tx.max_frame_len()) {
                    ++too_long;
                    continue;
                }
                const status s = rewrite_
                                     ? ch_.tx.send_with(f.data.size(),
                                                        [&](mut_bytes slot) {
                                                            std::memcpy(slot.data(), f.data.data(), f.data.size());
                                                            if (f.link == link_type::ethernet && f.data.size() >= 12) {
                                                                if (dst_) dst_->store(slot, 0);
                                                                if (src_) src_->store(slot, 6);
                                                            }
                                                        })
                                     : ch_.tx.send(f.data);
                if (!s) return send_failed(s.error());
                meter_.add(f.data.size());
                ++sent;
                if ((sent & 0x3f) == 0) meter_.tick();
            }
            if (!r->status()) {
                fmt::print(stderr, "rawpkt-gen: {}: {}\n", o_.replay, to_string(r->status().error()));
                (void)finish(too_long);
                return tool::exit_input;
            }
        }
        return finish(too_long);
    }

private:
    int send_failed(const error& e) {
        fmt::print(stderr, "rawpkt-gen: sending on {} failed: {}\n", o_.interface, dl::describe(e, o_.interface));
        (void)finish();
        return tool::exit_input;
    }

    int finish(std::uint64_t too_long = 0) {
        const status flushed = ch_.tx.flush();
        meter_.done();
        const auto st = ch_.tx.stats();
        const double secs = meter_.seconds();
        fmt::print("sent {} frames, {} bytes in {:.3f} s: {} pps, {}", st.sent, meter_.bytes(), secs,
                   tool::human_count(secs > 0 ? static_cast<double>(st.sent) / secs : 0),
                   tool::human_bits(secs > 0 ? static_cast<double>(meter_.bytes()) * 8 / secs : 0));
        if (st.failed > 0) fmt::print(", {} failed", st.failed);
        if (too_long > 0) fmt::print(", {} too long for the interface (skipped)", too_long);
        fmt::print("\n");
        std::fflush(stdout);
        if (!flushed) {
            fmt::print(stderr, "rawpkt-gen: {}\n", dl::describe(flushed.error(), o_.interface));
            return tool::exit_input;
        }
        return st.failed > 0 ? tool::exit_input : tool::exit_ok;
    }

    const options& o_;
    dl::channel& ch_;
    meter meter_;
    std::optional<mac_address> src_;
    std::optional<mac_address> dst_;
    bool rewrite_ = false;
};

} // namespace

int main(int argc, char** argv) {
    options o;
    CLI::App app{description, "rawpkt-gen"};
    app.footer(footer);
    app.set_version_flag("-V,--version", std::string("rawpkt-gen ") + RAWPKT_VERSION_STRING);
    app.get_formatter()->column_width(30);

    app.add_option("-i,--interface", o.interface, "Send on IFACE (required)")->required()->type_name("IFACE");
    tool::add_backend_option(app, o.backend);
    app.add_option("-Z,--relinquish-privileges", o.user,
                   "After opening the interface, become USER (its uid, gid and groups); a --replay file is then "
                   "read as USER")
        ->type_name("USER");

    const char* frame = "Frame";
    auto* src_mac = app.add_option("--src-mac", o.src_mac,
                                   "Source MAC (default 02:00:00:00:00:01); with --replay, written into every frame")
                        ->group(frame);
    auto* dst_mac =
        app.add_option("--dst-mac", o.dst_mac, "Destination MAC (default broadcast); with --replay, written too")
            ->group(frame);
    app.add_option("--vlan", o.vlans, "A VLAN tag VID[:PCP], outermost first; repeat for a stack")
        ->type_name("VID[:PCP]")
        ->group(frame);
    app.add_flag("--qinq", o.qinq, "Outer tags are 802.1ad (TPID 0x88a8), the innermost 802.1Q")->group(frame);
    app.add_option("--src", o.src, "Source IP: an address, A-B, a prefix, or rand (default 192.0.2.1; IPv6 too)")
        ->group(frame);
    app.add_option("--dst", o.dst, "Destination IP, as --src (default 192.0.2.2)")->group(frame);
    app.add_option("--ttl", o.ttl, "IPv4 TTL / IPv6 hop limit (default 64)")->check(CLI::Range(0, 255))->group(frame);
    auto* udp = app.add_flag("--udp", o.udp, "UDP (the default)")->group(frame);
    auto* tcp = app.add_flag("--tcp", o.tcp, "TCP")->group(frame);
    auto* icmp = app.add_flag("--icmp", o.icmp, "ICMP (ICMPv6) echo request; the sequence counts frames")->group(frame);
    udp->excludes(tcp, icmp);
    tcp->excludes(icmp);
    app.add_option("--sport", o.sport, "Source port: N, A-B or rand (default 1024)")->group(frame);
    app.add_option("--dport", o.dport, "Destination port: N, A-B or rand (default 9)")->group(frame);
    app.add_option("--flags", o.flags, "TCP flags: letters FSRPAUEW or syn,ack,... (default S)")->group(frame);
    app.add_option("--seq", o.seq, "TCP sequence number of the first frame (then + payload size each)")->group(frame);
    app.add_option("--ack", o.ack, "TCP acknowledgement number")->group(frame);
    auto* payload = app.add_option("--payload", o.payload, "Payload bytes in hex (repeated to --payload-size)")
                        ->type_name("HEX")
                        ->group(frame);
    app.add_option("--payload-size", o.payload_size, "Payload length in bytes (default: --payload's, else 0)")
        ->type_name("N")
        ->group(frame);
    auto* fsize = app.add_option("--frame-size", o.frame_size, "Whole frame length without FCS; the payload fills it")
                      ->type_name("N")
                      ->group(frame);
    (void)payload;
    (void)fsize;

    const char* how = "Amount and rate";
    app.add_option("-c,--count", o.count, "Frames to send (default: no limit)")->type_name("N")->group(how);
    app.add_option("--duration", o.duration, "Stop after SECONDS")->type_name("SECONDS")->group(how);
    auto* rate = app.add_option("--rate", o.rate, "Frames per second")->type_name("PPS")->group(how);
    auto* bitrate = app.add_option("--bitrate", o.bitrate, "Bits per second on the wire (k, M, G suffixes)")
                        ->type_name("BPS")
                        ->group(how);
    rate->excludes(bitrate);
    app.add_option("--seed", o.seed, "Seed of the random values (default 1)")->group(how);
    app.add_flag("-q,--quiet", o.quiet, "No live rate on standard error")->group(how);
    app.add_flag("--qdisc-bypass", o.qdisc_bypass,
                 "Hand frames straight to the driver, past the qdisc layer (PACKET_QDISC_BYPASS; trafgen's "
                 "default): faster, no traffic control, and local captures do not see the frames")
        ->group(how);

    const char* rp = "Replay";
    app.add_option("--replay", o.replay, "Send the frames of a capture file instead")->type_name("FILE")->group(rp);
    app.add_option("--speed", o.speed, "Replay at X times the recorded speed; 0: as fast as possible (default 1)")
        ->check(CLI::NonNegativeNumber)
        ->type_name("X")
        ->group(rp);
    app.add_option("--loop", o.loop, "Replay the file N times; 0: until stopped (default 1)")
        ->type_name("N")
        ->group(rp);

    if (const int rc = tool::parse(app, argc, argv); rc >= 0) return rc;

    std::optional<double> bps;
    if (!o.bitrate.empty()) {
        bps = parse_bitrate(o.bitrate);
        if (!bps) return fail("bad --bitrate " + o.bitrate + " (e.g. 100M, 1.5G)");
    }
    if (o.rate < 0) return fail("--rate must be positive");
    std::optional<gen::generator> g;
    if (o.replay.empty()) {
        int rc = -1;
        auto spec = make_spec(o, rc);
        if (!spec) return rc;
        auto made = gen::generator::make(std::move(*spec), o.seed);
        if (!made) return fail("cannot build such frames: " + to_string(made.error()));
        g.emplace(std::move(*made));
    }

    dl::config cfg;
    cfg.backend = o.backend;
    cfg.receive = false;
    cfg.send = true;
    cfg.qdisc_bypass = o.qdisc_bypass;
    // A deeper TX ring and larger batches than a capturing application
    // needs: fewer system calls per frame at full rate (paced frames are
    // flushed before each wait, so batches never hold them back).
    cfg.tx_ring.frame_count = 1024;
    cfg.tx_batch = 256;
    std::string why;
    auto ch = dl::open(o.interface, cfg, &why);
    if (!ch) {
        fmt::print(stderr, "rawpkt-gen: {}\n", why);
        return tool::exit_input;
    }
    if (const std::string failed = tool::drop_privileges(o.user); !failed.empty()) return fail(failed);
    if (g && g->frame_len() > ch->tx.max_frame_len()) {
        return fail(fmt::format("frames of {} bytes do not fit {} (at most {})", g->frame_len(), o.interface,
                                ch->tx.max_frame_len()));
    }
    tool::install_stop_signals();
    sender_loop loop{o, *ch};
    if (!o.replay.empty()) {
        std::optional<mac_address> src;
        std::optional<mac_address> dst;
        mac_address m{};
        if (src_mac->count() > 0) {
            if (!mac_address::parse(o.src_mac, m)) return fail("bad --src-mac " + o.src_mac);
            src = m;
        }
        if (dst_mac->count() > 0) {
            if (!mac_address::parse(o.dst_mac, m)) return fail("bad --dst-mac " + o.dst_mac);
            dst = m;
        }
        loop.rewrite(src, dst);
    }
    return g ? loop.generate(*g, bps.value_or(0)) : loop.replay(bps.value_or(0));
}
