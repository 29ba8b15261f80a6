// SPDX-License-Identifier: BSD-3-Clause
// rawpkt-top: a live view of an interface or a capture file -- packet and
// bit rates over time, protocols, top talkers and ports, kernel drops --
// drawn with ncurses and refreshed every second. --once, or output that is
// not a terminal, prints a plain summary instead. The counting is
// rawpkt::traffic_stats; this file draws it.
#include "common/tool.hpp"

#include <rawpkt/datalink/datalink.hpp>
#include <rawpkt/decode.hpp>
#include <rawpkt/frame_filter.hpp>
#include <rawpkt/pcap/reader.hpp>
#include <rawpkt/traffic.hpp>
#include <rawpkt/version.hpp>

#include <CLI/CLI.hpp>
#include <curses.h>
#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <deque>
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
  rawpkt-top - live view of the traffic on an interface or in a capture file

SYNOPSIS
  rawpkt-top -i IFACE [options] [expression]
  rawpkt-top -r FILE [--realtime] [options] [expression]

DESCRIPTION
  Shows packets/s and bits/s over time as a graph, the protocol breakdown,
  the top talkers (IP addresses) and top ports, and kernel drops, refreshed
  every second. A capture file is read as fast as possible, or at its own
  timing with --realtime. A tcpdump filter expression can follow the
  options. Press q to quit.

  With --once, or when standard output is not a terminal, no screen is
  drawn: a file is read to its end and a plain summary printed; an interface
  is watched for one interval (or --duration) and summarised.)";

constexpr const char* footer = R"(EXAMPLES
  rawpkt-top -i eth0
  rawpkt-top -i eth0 not port 22
  rawpkt-top -r trace.pcap --realtime
  rawpkt-top -r trace.pcap --once --top 5

EXIT STATUS
  0 success; 1 usage error; 2 the input cannot be read or opened.)";

struct options {
    std::string read_path;
    std::string interface;
    dl::backend backend = dl::backend::ring;
    bool realtime = false;
    bool once = false;
    double interval = 1.0;
    double duration = 0;
    std::size_t top = 10;
    std::size_t max_talkers = traffic_stats::default_max_talkers;
    std::vector<std::string> expression;
};

/// One sample of the rate history.
struct sample {
    double pps = 0;
    double bps = 0;
};

class top_view {
public:
    explicit top_view(const options& o) : o_(o), stats_(o.max_talkers) {}

    int run() {
        std::string expr;
        for (const auto& w : o_.expression) expr += (expr.empty() ? "" : " ") + w;
        expr_ = expr;
        plain_ = o_.once || ::isatty(STDOUT_FILENO) != 1;
        tool::install_stop_signals();
        const int rc = o_.read_path.empty() ? live() : file();
        if (screen_) endwin();
        if (rc != tool::exit_ok) return rc;
        // After the screen too: what was seen stays in the terminal.
        summary();
        return tool::exit_ok;
    }

private:
    // ---- sources ----

    int file() {
        auto r = pcap::reader::open(o_.read_path);
        if (!r) {
            fmt::print(stderr, "rawpkt-top: {}: {}\n", o_.read_path, to_string(r.error()));
            return tool::exit_input;
        }
        frame_filter filter{expr_};
        std::string why;
        if (!filter.prepare(r->link(), &why)) {
            fmt::print(stderr, "rawpkt-top: bad filter expression '{}': {}\n", expr_, why);
            return tool::exit_usage;
        }
        title_ = o_.read_path;
        start_screen();
        frame f;
        const auto start = clock_type::now();
        std::optional<std::int64_t> first_ts;
        while (!tool::stop_requested() && r->next(f)) {
            if (o_.realtime && !plain_) {
                if (!first_ts) first_ts = f.timestamp_ns;
                const auto due = start + std::chrono::nanoseconds(f.timestamp_ns - *first_ts);
                while (clock_type::now() < due && !tool::stop_requested()) {
                    std::this_thread::sleep_until(std::min(due, clock_type::now() + std::chrono::milliseconds(50)));
                    if (!tick()) return tool::exit_ok;
                }
            }
            const auto m = filter.matches(f);
            if (!m || !*m) continue;
            count(f);
            if ((stats_.packets() & 0x3ff) == 0 && !tick()) return tool::exit_ok;
        }
        if (!r->status()) {
            error_ = fmt::format("{}: {} (after {} packets)", o_.read_path, to_string(r->status().error()),
                                 r->frames_read());
            if (plain_) fmt::print(stderr, "rawpkt-top: {}\n", error_);
        }
        if (plain_) return r->status() ? tool::exit_ok : tool::exit_input;
        // The file is read: keep showing it until q.
        finished_ = true;
        sample_now();
        while (!tool::stop_requested()) {
            if (!tick()) break;
            std::this_thread::sleep_for(std::chrono::milliseconds(100));
        }
        return tool::exit_ok;
    }

    int live() {
        dl::config cfg;
        cfg.backend = o_.backend;
        cfg.send = false;
        cfg.filter = expr_;
        std::string why;
        auto ch = dl::open(o_.interface, cfg, &why);
        if (!ch) {
            fmt::print(stderr, "rawpkt-top: {}\n", why);
            return dl::step_of(ch.error()) == dl::step::filter_compile ? tool::exit_usage : tool::exit_input;
        }
        rx_ = &ch->rx;
        title_ = o_.interface;
        start_screen();
        const double watch = o_.duration > 0 ? o_.duration : (plain_ && o_.once ? o_.interval : 0);
        const auto end =
            clock_type::now() + std::chrono::duration_cast<clock_type::duration>(std::chrono::duration<double>(watch));
        while (!tool::stop_requested()) {
            if (watch > 0 && clock_type::now() >= end) break;
            const auto batch = ch->rx.next_batch(std::chrono::milliseconds(50));
            if (!batch) {
                if (tool::stop_requested()) break;
                if (screen_) endwin();
                screen_ = false;
                fmt::print(stderr, "rawpkt-top: {}\n", dl::describe(batch.error(), o_.interface));
                return tool::exit_input;
            }
            for (const frame& f : *batch) count(f);
            if (!tick()) break;
        }
        kernel();
        rx_ = nullptr;
        return tool::exit_ok;
    }

    void count(const frame& f) {
        (void)decode(f.data, f.link, decoded_, {.mode = decode_mode::lax});
        stats_.add(f, decoded_);
    }

    void kernel() {
        if (rx_ == nullptr) return;
        if (const auto s = rx_->stats()) kernel_ = tool::capture_counters{s->received, s->dropped};
    }

    // ---- time ----

    /// Takes a sample when an interval has passed and redraws; false when
    /// the user quit.
    bool tick() {
        const auto now = clock_type::now();
        if (now - last_sample_ >= interval()) {
            sample_now();
            if (plain_ && rx_ != nullptr && o_.duration <= 0 && !o_.once) {
                // Live, not a terminal: one line per interval.
                fmt::print("{:>10} pps {:>14} drops {}\n", tool::human_count(history_.back().pps),
                           tool::human_bits(history_.back().bps), kernel_ ? kernel_->dropped : 0);
                std::fflush(stdout);
            }
        }
        if (!screen_) return true;
        const int key = getch();
        if (key == 'q' || key == 'Q') return false;
        if (key == KEY_RESIZE || now - last_draw_ >= std::chrono::milliseconds(250)) draw();
        return true;
    }

    [[nodiscard]] clock_type::duration interval() const {
        return std::chrono::duration_cast<clock_type::duration>(std::chrono::duration<double>(o_.interval));
    }

    void sample_now() {
        const auto now = clock_type::now();
        const double secs = std::chrono::duration<double>(now - last_sample_).count();
        kernel();
        sample s;
        if (secs > 0) {
            s.pps = static_cast<double>(stats_.packets() - packets_then_) / secs;
            s.bps = static_cast<double>(stats_.bytes() - bytes_then_) * 8 / secs;
        }
        if (!finished_ || history_.empty()) history_.push_back(s);
        if (history_.size() > 512) history_.pop_front();
        packets_then_ = stats_.packets();
        bytes_then_ = stats_.bytes();
        last_sample_ = now;
    }

    // ---- the screen ----

    void start_screen() {
        if (plain_) return;
        initscr();
        cbreak();
        noecho();
        nodelay(stdscr, TRUE);
        keypad(stdscr, TRUE);
        curs_set(0);
        screen_ = true;
    }

    void line(int y, const std::string& s, int attr = A_NORMAL) {
        if (y >= LINES) return;
        attron(attr);
        mvaddnstr(y, 0, s.c_str(), COLS);
        attroff(attr);
    }

    /// A bar graph of one series over the last columns, `rows` high.
    int graph(int y, int rows, const char* what, bool bits) {
        const int width = std::max(10, COLS - 12);
        const std::size_t n = std::min<std::size_t>(history_.size(), static_cast<std::size_t>(width));
        double max = 1;
        for (std::size_t i = history_.size() - n; i < history_.size(); ++i) {
            max = std::max(max, bits ? history_[i].bps : history_[i].pps);
        }
        line(y, fmt::format("{} (max {})", what, bits ? tool::human_bits(max) : tool::human_count(max) + " pps"),
             A_BOLD);
        for (int r = 0; r < rows; ++r) {
            const double level = max * (rows - r) / rows;
            const std::string label = bits ? tool::human_bits(level) : tool::human_count(level);
            mvaddnstr(y + 1 + r, 0, fmt::format("{:>11}", label.substr(0, 11)).c_str(), 11);
            for (std::size_t i = 0; i < n; ++i) {
                const auto& s = history_[history_.size() - n + i];
                const double v = bits ? s.bps : s.pps;
                const bool filled = v > 0 && v >= max * (rows - r - 0.5) / rows;
                mvaddch(y + 1 + r, 12 + static_cast<int>(i), filled ? ACS_CKBOARD : ' ');
            }
        }
        return y + rows + 1;
    }

    void draw() {
        last_draw_ = clock_type::now();
        erase();
        const sample now = history_.empty() ? sample{} : history_.back();
        int y = 0;
        line(y++,
             fmt::format("rawpkt-top {} -- {}{}{}   q quits", RAWPKT_VERSION_STRING, title_,
                         expr_.empty() ? "" : " (" + expr_ + ")", finished_ ? "   [end of file]" : ""),
             A_REVERSE);
        line(y++, fmt::format("now {} pps, {}   total {} packets, {}{}", tool::human_count(now.pps),
                              tool::human_bits(now.bps), stats_.packets(),
                              tool::human_bytes(static_cast<double>(stats_.bytes())),
                              kernel_ ? fmt::format("   kernel drops {}", kernel_->dropped) : std::string{}));
        if (!error_.empty()) line(y++, error_, A_BOLD);
        if (stats_.untracked() > 0) line(y++, tool::talker_table_full(stats_), A_BOLD);
        const int rows = std::max(3, (LINES - 12) / 6);
        y = graph(y + 1, rows, "packets/s", false);
        y = graph(y, rows, "bits/s", true);
        ++y;
        const int colw = std::max(24, COLS / 3);
        const auto protocols = stats_.protocols();
        const auto talkers = stats_.top_talkers(o_.top);
        const auto ports = stats_.top_ports(o_.top);
        attron(A_BOLD);
        mvaddnstr(y, 0, "protocol       packets", colw);
        mvaddnstr(y, colw, "top talkers            bytes", colw);
        mvaddnstr(y, 2 * colw, "top ports      bytes", COLS - 2 * colw);
        attroff(A_BOLD);
        for (std::size_t i = 0; y + 1 + static_cast<int>(i) < LINES; ++i) {
            const int row = y + 1 + static_cast<int>(i);
            bool any = false;
            if (i < protocols.size()) {
                mvaddnstr(row, 0, fmt::format("{:<12} {:>9}", protocols[i].name, protocols[i].count.packets).c_str(),
                          colw - 1);
                any = true;
            }
            if (i < talkers.size()) {
                mvaddnstr(row, colw,
                          fmt::format("{:<20} {:>9}", talkers[i].address,
                                      tool::human_bytes(static_cast<double>(talkers[i].count.bytes)))
                              .c_str(),
                          colw - 1);
                any = true;
            }
            if (i < ports.size()) {
                mvaddnstr(row, 2 * colw,
                          fmt::format("{:<12} {:>9}", fmt::format("{}/{}", ports[i].protocol, ports[i].port),
                                      tool::human_bytes(static_cast<double>(ports[i].count.bytes)))
                              .c_str(),
                          COLS - 2 * colw);
                any = true;
            }
            if (!any) break;
        }
        refresh();
    }

    void summary() {
        fmt::print("{}{}\n", title_, expr_.empty() ? "" : " (" + expr_ + ")");
        tool::print_stats(stdout, stats_, o_.top, kernel_);
        std::fflush(stdout);
    }

    const options& o_;
    std::string expr_;
    std::string title_;
    std::string error_;
    bool plain_ = false;
    bool screen_ = false;
    bool finished_ = false;
    decoded decoded_;
    traffic_stats stats_;
    dl::receiver* rx_ = nullptr;
    std::optional<tool::capture_counters> kernel_;
    std::deque<sample> history_;
    std::uint64_t packets_then_ = 0;
    std::uint64_t bytes_then_ = 0;
    clock_type::time_point last_sample_ = clock_type::now();
    clock_type::time_point last_draw_{};
};

} // namespace

int main(int argc, char** argv) {
    options o;
    CLI::App app{description, "rawpkt-top"};
    app.footer(footer);
    app.set_version_flag("-V,--version", std::string("rawpkt-top ") + RAWPKT_VERSION_STRING);
    app.get_formatter()->column_width(30);
    auto* r = app.add_option("-r", o.read_path, "Read a capture file (pcap or pcapng; - for standard input)")
                  ->type_name("FILE");
    auto* i = app.add_option("-i,--interface", o.interface, "Watch the interface IFACE")->type_name("IFACE");
    r->excludes(i);
    tool::add_backend_option(app, o.backend);
    app.add_flag("--realtime", o.realtime, "Replay a file at its own timing (default: as fast as possible)");
    app.add_flag("--once", o.once, "No screen: print a plain summary (of the file, or of one interval live)");
    app.add_option("--interval", o.interval, "Seconds between refreshes (default 1)")->check(CLI::Range(0.1, 3600.0));
    app.add_option("--duration", o.duration, "Live: stop after SECONDS")->type_name("SECONDS");
    app.add_option("--top", o.top, "Rows of top talkers and ports (default 10)");
    app.add_option("--max-talkers", o.max_talkers,
                   "Addresses counted for the top talkers (default 65536); later ones are left out, said in the "
                   "statistics")
        ->check(CLI::Range(std::size_t{1}, std::size_t{1} << 24))
        ->type_name("N");
    app.add_option("expression", o.expression, "Filter expression (tcpdump syntax)")->type_name("EXPRESSION");
    if (const int rc = tool::parse(app, argc, argv); rc >= 0) return rc;
    if (o.read_path.empty() && o.interface.empty()) {
        fmt::print(stderr, "rawpkt-top: give -i IFACE or -r FILE (--help for more)\n");
        return tool::exit_usage;
    }
    return top_view{o}.run();
}
