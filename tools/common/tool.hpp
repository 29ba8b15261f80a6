// SPDX-License-Identifier: BSD-3-Clause
// What rawpkt's command-line tools share: exit statuses, argument parsing
// with CLI11, stop signals, human-readable numbers, the progress bar and the
// statistics report.
#pragma once

#include <rawpkt/datalink/config.hpp>
#include <rawpkt/traffic.hpp>

#include <CLI/CLI.hpp>

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <optional>
#include <string>
#include <string_view>

namespace rawpkt::tool {

inline constexpr int exit_ok = 0;
inline constexpr int exit_usage = 1; ///< bad options or filter expression
inline constexpr int exit_input = 2; ///< input (or output) failed: file, interface, damaged capture

/// Parses the command line. Returns -1 to go on, or the exit status to end
/// with (0 after --help or --version, exit_usage after an error, whose
/// message CLI11 has printed).
int parse(CLI::App& app, int argc, char** argv);

/// Adds `--backend NAME` for a live channel: ring (TPACKET_V3 RX ring and
/// TX ring, the default), socket (plain AF_PACKET, recvmmsg/sendmmsg),
/// pcap (libpcap) or xdp (AF_XDP). A backend this build lacks is refused
/// when the channel opens, with the library's explanation.
CLI::Option* add_backend_option(CLI::App& app, datalink::backend& backend);

/// Makes SIGINT and SIGTERM set a flag (stop_requested()) instead of
/// killing the program, so that it can flush and close what it writes.
/// SIGPIPE is ignored: a closed pipe shows up as a failed write.
void install_stop_signals();
/// Also ends reading from `fd` (a pipe or standard input the program may
/// be blocked on) when a stop signal comes: the handler puts /dev/null in
/// its place, so the next read sees the end of the input.
void stop_reading_on_signal(int fd);
[[nodiscard]] bool stop_requested() noexcept;

/// Becomes `user` (tcpdump's -Z): its user id, its primary group and its
/// supplementary groups, for real, effective and saved ids, so that the
/// process keeps no capability and cannot become root again. The tools
/// call it after opening their sockets (and input), before opening any
/// file they write. Nothing to do for an empty name, or when the process
/// already runs as `user` and is not root. Returns what went wrong, or an
/// empty string.
[[nodiscard]] std::string drop_privileges(const std::string& user);

/// "2m", "10k", "3G", "1500": a size with an optional k/m/g suffix (powers
/// of 1024); a bare number is in `unit` bytes. nullopt when malformed.
[[nodiscard]] std::optional<std::uint64_t> parse_size(std::string_view s, std::uint64_t unit);

/// "512 B", "1.5 kB", "12.3 MB" (powers of 1000).
[[nodiscard]] std::string human_bytes(double bytes);
/// "950 bit/s", "12.4 Mbit/s".
[[nodiscard]] std::string human_bits(double bits_per_second);
/// "12", "1.2 k", "3.4 M".
[[nodiscard]] std::string human_count(double n);

/// A progress bar on stderr: bytes done out of a total, rate, time left.
/// Draws at most five times a second, only when enabled.
class progress {
public:
    progress(std::uint64_t total, bool enabled);
    ~progress();
    progress(const progress&) = delete;
    progress& operator=(const progress&) = delete;
    void update(std::uint64_t done);
    /// Clears the bar.
    void finish();

private:
    std::uint64_t total_;
    bool enabled_;
    bool drawn_ = false;
    std::chrono::steady_clock::time_point start_;
    std::chrono::steady_clock::time_point last_;
};

/// Kernel counters of a live capture, when there was one.
struct capture_counters {
    std::uint64_t received = 0;
    std::uint64_t dropped = 0;
};

/// "talker table full (N addresses): M later address counts left out".
[[nodiscard]] std::string talker_table_full(const traffic_stats& stats);

/// The statistics report: totals, rates, protocols, top talkers and ports,
/// kernel drops.
void print_stats(std::FILE* out, const traffic_stats& stats, std::size_t top,
                 const std::optional<capture_counters>& kernel);

} // namespace rawpkt::tool
