// SPDX-License-Identifier: BSD-3-Clause
#include "common/tool.hpp"

#include <fmt/format.h>

#include <atomic>
#include <cctype>
#include <cerrno>
#include <cmath>
#include <csignal>
#include <cstring>
#include <fcntl.h>
#include <grp.h>
#include <map>
#include <pwd.h>
#include <unistd.h>

namespace rawpkt::tool {

CLI::Option* add_backend_option(CLI::App& app, datalink::backend& chosen) {
    using enum datalink::backend;
    static const std::map<std::string, datalink::backend> names{
        {"ring", ring}, {"socket", socket}, {"pcap", pcap}, {"xdp", xdp}};
    return app
        .add_option_function<std::string>(
            "--backend", [&chosen](const std::string& name) { chosen = names.at(name); },
            "Live backend: ring (TPACKET_V3 ring and TX ring, default), socket (plain AF_PACKET), pcap (libpcap) "
            "or xdp (AF_XDP)")
        ->check(CLI::IsMember({"ring", "socket", "pcap", "xdp"}))
        ->type_name("NAME");
}

int parse(CLI::App& app, int argc, char** argv) {
    try {
        app.parse(argc, argv);
    } catch (const CLI::CallForHelp& e) {
        return app.exit(e);
    } catch (const CLI::CallForAllHelp& e) {
        return app.exit(e);
    } catch (const CLI::CallForVersion& e) {
        return app.exit(e);
    } catch (const CLI::ParseError& e) {
        (void)app.exit(e);
        return exit_usage;
    }
    return -1;
}

std::string drop_privileges(const std::string& user) {
    if (user.empty()) return {};
    const passwd* pw = ::getpwnam(user.c_str());
    if (pw == nullptr) return fmt::format("-Z {}: no such user", user);
    const uid_t uid = pw->pw_uid;
    const gid_t gid = pw->pw_gid;
    if (::getuid() == uid && ::geteuid() == uid && uid != 0) return {};
    const auto failed = [&](const char* what) {
        return fmt::format("-Z {}: cannot {}: {} (dropping privileges needs root, or CAP_SETUID and CAP_SETGID)", user,
                           what, std::strerror(errno));
    };
    // Groups first: once the user id is not root, they cannot change.
    if (::initgroups(user.c_str(), gid) != 0) return failed("set its supplementary groups");
    if (::setresgid(gid, gid, gid) != 0) return failed("set its group id");
    if (::setresuid(uid, uid, uid) != 0) return failed("set its user id");
    if (uid != 0 && ::setuid(0) == 0) return fmt::format("-Z {}: could become root again", user);
    return {};
}

namespace {
volatile std::sig_atomic_t stop_flag = 0;
volatile std::sig_atomic_t input_fd = -1;
volatile std::sig_atomic_t null_fd = -1;
extern "C" void on_stop_signal(int) {
    stop_flag = 1;
    // dup2() is async-signal-safe; a blocked read() returns EINTR and the
    // reader's next read() sees the end of /dev/null.
    if (input_fd >= 0 && null_fd >= 0) ::dup2(null_fd, input_fd);
}
} // namespace

void stop_reading_on_signal(int fd) {
    if (null_fd < 0) null_fd = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
    input_fd = fd;
}

void install_stop_signals() {
    struct sigaction sa {};
    sa.sa_handler = on_stop_signal;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = 0; // no SA_RESTART: a blocking wait returns and the loop sees the flag
    sigaction(SIGINT, &sa, nullptr);
    sigaction(SIGTERM, &sa, nullptr);
    std::signal(SIGPIPE, SIG_IGN);
}

bool stop_requested() noexcept { return stop_flag != 0; }

std::optional<std::uint64_t> parse_size(std::string_view s, std::uint64_t unit) {
    if (s.empty()) return std::nullopt;
    std::uint64_t mult = unit;
    switch (std::tolower(static_cast<unsigned char>(s.back()))) {
    case 'k': mult = 1024; break;
    case 'm': mult = 1024 * 1024; break;
    case 'g': mult = 1024ull * 1024 * 1024; break;
    default: break;
    }
    if (mult != unit || !std::isdigit(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
    if (s.empty() || s.size() > 12) return std::nullopt;
    std::uint64_t v = 0;
    for (const char c : s) {
        if (!std::isdigit(static_cast<unsigned char>(c))) return std::nullopt;
        v = v * 10 + static_cast<std::uint64_t>(c - '0');
    }
    return v * mult;
}

namespace {
std::string scaled(double v, const char* const* units, int count) {
    int u = 0;
    while (v >= 999.95 && u + 1 < count) {
        v /= 1000;
        ++u;
    }
    if (u == 0) return fmt::format("{:.0f}{}", v, units[0]);
    return fmt::format("{:.1f}{}", v, units[u]);
}
} // namespace

std::string human_bytes(double bytes) {
    static const char* const units[] = {" B", " kB", " MB", " GB", " TB"};
    return scaled(bytes, units, 5);
}

std::string human_bits(double bits_per_second) {
    static const char* const units[] = {" bit/s", " kbit/s", " Mbit/s", " Gbit/s", " Tbit/s"};
    return scaled(bits_per_second, units, 5);
}

std::string human_count(double n) {
    static const char* const units[] = {"", " k", " M", " G", " T"};
    return scaled(n, units, 5);
}

progress::progress(std::uint64_t total, bool enabled)
    : total_(total), enabled_(enabled && total > 0), start_(std::chrono::steady_clock::now()), last_(start_) {}

progress::~progress() { finish(); }

void progress::update(std::uint64_t done) {
    if (!enabled_) return;
    const auto now = std::chrono::steady_clock::now();
    if (now - last_ < std::chrono::milliseconds(200)) return;
    last_ = now;
    const double secs = std::chrono::duration<double>(now - start_).count();
    const double frac = total_ == 0 ? 1.0 : static_cast<double>(done) / static_cast<double>(total_);
    const double rate = secs > 0 ? static_cast<double>(done) / secs : 0;
    const double left = rate > 0 ? static_cast<double>(total_ - (done < total_ ? done : total_)) / rate : 0;
    constexpr int width = 30;
    const int filled = static_cast<int>(frac * width);
    const auto left_s = std::llround(left);
    fmt::print(stderr, "\r[{:=<{}}{: <{}}] {:5.1f}% {} / {}  {}/s  {}:{:02d} left ", "", filled, "", width - filled,
               frac * 100, human_bytes(static_cast<double>(done)), human_bytes(static_cast<double>(total_)),
               human_bytes(rate), left_s / 60, static_cast<int>(left_s % 60));
    std::fflush(stderr);
    drawn_ = true;
}

void progress::finish() {
    if (!drawn_) return;
    fmt::print(stderr, "\r{: <100}\r", "");
    std::fflush(stderr);
    drawn_ = false;
}

std::string talker_table_full(const traffic_stats& stats) {
    return fmt::format("talker table full ({} addresses): {} later address counts left out", stats.max_talkers(),
                       stats.untracked());
}

void print_stats(std::FILE* out, const traffic_stats& stats, std::size_t top,
                 const std::optional<capture_counters>& kernel) {
    const double secs = static_cast<double>(stats.last_ns() - stats.first_ns()) / 1e9;
    fmt::print(out, "packets   {}\n", stats.packets());
    fmt::print(out, "bytes     {} ({})", stats.bytes(), human_bytes(static_cast<double>(stats.bytes())));
    if (stats.captured_bytes() != stats.bytes()) fmt::print(out, ", {} captured", stats.captured_bytes());
    fmt::print(out, "\n");
    if (stats.packets() > 1 && secs > 0) {
        fmt::print(out, "duration  {:.3f} s, {} packets/s, {}\n", secs,
                   human_count(static_cast<double>(stats.packets()) / secs),
                   human_bits(static_cast<double>(stats.bytes()) * 8 / secs));
    }
    if (stats.malformed() > 0) fmt::print(out, "malformed {}\n", stats.malformed());
    if (kernel) fmt::print(out, "kernel    {} received, {} dropped\n", kernel->received, kernel->dropped);
    const auto protocols = stats.protocols();
    if (!protocols.empty()) {
        fmt::print(out, "\n{:<14} {:>10} {:>7} {:>14}\n", "protocol", "packets", "%", "bytes");
        for (const auto& p : protocols) {
            fmt::print(out, "{:<14} {:>10} {:>6.1f}% {:>14}\n", p.name, p.count.packets,
                       100.0 * static_cast<double>(p.count.packets) / static_cast<double>(stats.packets()),
                       p.count.bytes);
        }
    }
    const auto talkers = stats.top_talkers(top);
    if (!talkers.empty()) {
        fmt::print(out, "\n{:<40} {:>10} {:>14}\n", "top talkers", "packets", "bytes");
        for (const auto& t : talkers)
            fmt::print(out, "{:<40} {:>10} {:>14}\n", t.address, t.count.packets, t.count.bytes);
    }
    if (stats.untracked() > 0) fmt::print(out, "{}\n", talker_table_full(stats));
    const auto ports = stats.top_ports(top);
    if (!ports.empty()) {
        fmt::print(out, "\n{:<40} {:>10} {:>14}\n", "top ports", "packets", "bytes");
        for (const auto& p : ports) {
            fmt::print(out, "{:<40} {:>10} {:>14}\n", fmt::format("{}/{}", p.protocol, p.port), p.count.packets,
                       p.count.bytes);
        }
    }
}

} // namespace rawpkt::tool
