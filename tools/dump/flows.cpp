// SPDX-License-Identifier: BSD-3-Clause
// rawpkt-dump --follow and --flows: a capture file through the library's
// reassembling decoder into its TCP reassembler or flow table.
#include "dump/flows.hpp"

#include "common/tool.hpp"
#include <rawpkt/flow/defrag.hpp>
#include <rawpkt/flow/flow_table.hpp>
#include <rawpkt/flow/follow.hpp>
#include <rawpkt/flow/tcp_reassembly.hpp>
#include <rawpkt/pcap/reader.hpp>

#include <fmt/format.h>

#include <cstdint>
#include <string>
#include <vector>

namespace rawpkt::dump {

namespace {

/// Opens `path`, or prints why not.
std::optional<pcap::reader> open_capture(const std::string& path) {
    auto r = pcap::reader::open(path);
    if (!r) {
        fmt::print(stderr, "rawpkt-dump: {}: {}\n", path, to_string(r.error()));
        return std::nullopt;
    }
    return std::move(*r);
}

/// Reports a damaged file after the frames before the damage were used.
int finish_reading(const pcap::reader& r, const std::string& path) {
    if (!r.status()) {
        fmt::print(stderr, "rawpkt-dump: {}: {}\n", path, to_string(r.status().error()));
        return tool::exit_input;
    }
    return tool::exit_ok;
}

std::string endpoint(const flow::flow_record& r, unsigned dir) {
    return r.key.version == 6 ? fmt::format("[{}]:{}", r.address(dir), r.port(dir))
                              : fmt::format("{}:{}", r.address(dir), r.port(dir));
}

/// Prints each flow as the table exports it, so nothing but the table
/// itself grows with the capture.
struct flow_printer {
    std::string format;
    void on_flow(const flow::flow_record& r) const {
        if (format == "json") {
            fmt::print("{}\n", flow::to_json(r));
        } else if (format == "csv") {
            fmt::print("{}\n", flow::to_csv(r));
        } else {
            fmt::print("{:<5} {:>47} {:>47} {:>8} {:>8} {:>10} {:>10} {:>9} {:>9x}\n", r.key.protocol, endpoint(r, 0),
                       endpoint(r, 1), r.packets[0], r.packets[1], r.bytes[0], r.bytes[1], r.key.vlan, r.key.tunnel);
        }
    }
};

/// Says once, on stderr, that a table hit its bound.
void report_full(bool& said, std::uint64_t evicted, const char* what, std::size_t max) {
    if (said || evicted == 0) return;
    said = true;
    fmt::print(stderr, "rawpkt-dump: {} table full ({} {}): oldest evicted (--max-flows)\n", what, max,
               std::string_view(what) == "flow" ? "flows" : "connections");
}

} // namespace

std::optional<std::uint64_t> parse_follow(const std::string& spec) {
    if (spec.rfind("tcp,", 0) != 0 || spec.size() == 4) return std::nullopt;
    std::uint64_t n = 0;
    for (std::size_t i = 4; i < spec.size(); ++i) {
        if (spec[i] < '0' || spec[i] > '9') return std::nullopt;
        n = n * 10 + static_cast<std::uint64_t>(spec[i] - '0');
    }
    return n;
}

int follow_tcp(const std::string& path, std::uint64_t stream, const flow_limits& limits) {
    auto r = open_capture(path);
    if (!r) return tool::exit_input;
    flow::tcp_follower follower(stream, limits.follow_max);
    // A capture file has no clock to time out by: like tshark, never.
    flow::tcp_reassembler<flow::tcp_follower> tcp(follower,
                                                  {.max_connections = limits.max_flows, .idle_timeout_ns = INT64_MAX});
    flow::reassembling_decoder decoder;
    frame f;
    bool said_full = false;
    while (!tool::stop_requested() && r->next(f)) {
        if (const decoded* d = decoder.decode(f.data, f.link, f.timestamp_ns)) tcp.add(*d, f.timestamp_ns);
        report_full(said_full, tcp.stats().evicted, "connection", limits.max_flows);
    }
    follower.input_ended();
    tcp.finish();
    fmt::print("{}", follower.text());
    if (follower.truncated()) {
        fmt::print(stderr,
                   "rawpkt-dump: --follow: stream {} holds more than {} bytes (--follow-max): {} bytes after "
                   "that not printed\n",
                   stream, follower.max_bytes(), follower.dropped_bytes());
    }
    return finish_reading(*r, path);
}

int list_flows(const std::string& path, const std::string& format, const flow_limits& limits) {
    auto r = open_capture(path);
    if (!r) return tool::exit_input;
    flow_printer printer{format};
    if (format == "csv") fmt::print("{}\n", flow::csv_header());
    if (format == "table") {
        fmt::print("{:<5} {:>47} {:>47} {:>8} {:>8} {:>10} {:>10} {:>9} {:>9}\n", "proto", "source", "destination",
                   "pkts>", "pkts<", "bytes>", "bytes<", "vlan", "tunnel");
    }
    flow::flow_table<flow_printer> table(
        printer, {.max_flows = limits.max_flows, .idle_timeout_ns = INT64_MAX, .active_timeout_ns = INT64_MAX});
    decoded d;
    frame f;
    bool said_full = false;
    while (!tool::stop_requested() && r->next(f)) {
        (void)decode(f.data, f.link, d, {.mode = decode_mode::lax});
        table.add(d, f.timestamp_ns);
        report_full(said_full, table.stats().evicted, "flow", limits.max_flows);
    }
    table.finish();
    if (format == "table") {
        fmt::print("{} flows, {} packets, {} without a flow\n", table.stats().flows, table.stats().packets,
                   table.stats().not_ip);
    }
    return finish_reading(*r, path);
}

} // namespace rawpkt::dump
