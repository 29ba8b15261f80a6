// SPDX-License-Identifier: BSD-3-Clause
// Capture-file replay: a pcap::reader behind datalink::receiver, paced by
// a CLOCK_MONOTONIC timerfd that is also the receiver's native handle.
#include "impl.hpp"

#include <cerrno>
#include <cmath>
#include <ctime>
#include <limits>
#include <string>
#include <utility>

#include <poll.h>
#include <sys/timerfd.h>

namespace rawpkt::datalink {

namespace detail {

namespace {
constexpr std::uint32_t max_batch = 65536;
// Delays beyond this (about 31 years) are cut: a paced replay of such a
// file never gets there anyway.
constexpr double max_delay_ns = 1e18;
} // namespace

replay_rx::replay_rx(pcap::reader r, const replay_config& c, std::vector<bpf_instruction> program, unique_fd timer)
    : reader_(std::move(r)), speed_(c.speed), program_(std::move(program)), timer_(std::move(timer)), staged_(c.batch) {
    arm(0); // readable: the first call reads the file
}

void replay_rx::arm(std::int64_t when) noexcept {
    // Setting the timer also clears expirations it had: the descriptor is
    // readable from `when` on. An absolute time in the past (1 ns after
    // boot at the earliest: 0 would disarm) fires at once.
    itimerspec t{};
    if (when < 1) when = 1;
    t.it_value.tv_sec = static_cast<time_t>(when / 1'000'000'000);
    t.it_value.tv_nsec = static_cast<long>(when % 1'000'000'000);
    (void)::timerfd_settime(timer_.get(), TFD_TIMER_ABSTIME, &t, nullptr);
}

std::int64_t replay_rx::due(const frame& f) const noexcept {
    if (f.timestamp_ns <= first_ts_) return start_ns_;
    // The difference of two int64 values always fits a uint64.
    const std::uint64_t since = static_cast<std::uint64_t>(f.timestamp_ns) - static_cast<std::uint64_t>(first_ts_);
    double delay = static_cast<double>(since) / speed_;
    if (!(delay < max_delay_ns)) delay = max_delay_ns;
    return start_ns_ + static_cast<std::int64_t>(delay);
}

result<std::span<const frame>> replay_rx::fetch(std::vector<frame>&, const rx_setup& s, timeout wait) {
    const deadline d(wait);
    const bool paced = speed_ > 0;
    for (;;) {
        if (pos_ == count_) {
            if (end_) return *end_;
            // The frames handed out before are released here (for a pipe,
            // the reader reuses its buffer).
            pos_ = 0;
            count_ = reader_.next_batch(staged_);
            if (count_ == 0) {
                const status st = reader_.status();
                end_ = st ? end_of_input : st.error();
                arm(0); // readable: the caller should come and see the end
                return *end_;
            }
            if (!started_) {
                started_ = true;
                start_ns_ = monotonic_ns();
                first_ts_ = staged_[0].timestamp_ns;
            }
        }
        // Hand out, in file order, the frames that pass the filter and are
        // due, moved together to [first, out).
        const std::int64_t now = paced ? monotonic_ns() : 0;
        const std::size_t first = pos_;
        std::size_t out = pos_;
        std::size_t i = pos_;
        for (; i < count_; ++i) {
            frame f = staged_[i];
            if (!program_.empty()) {
                if (f.link != s.link) continue;
                const std::uint32_t keep = run_program(program_, f.data, f.original_len);
                if (keep == 0) continue;
                f.data = f.data.first(keep);
            }
            if (paced && due(f) > now) break;
            staged_[out++] = f;
        }
        pos_ = i;
        if (paced) arm(pos_ < count_ ? due(staged_[pos_]) : 0);
        if (out > first) {
            handed_ += out - first;
            return std::span<const frame>{staged_.data() + first, out - first};
        }
        if (pos_ == count_) continue; // all filtered out: read on
        // The next frame is not due yet.
        if (wait.count() == 0 || d.passed()) return std::span<const frame>{};
        const auto ready = wait_readable(timer_.get(), d);
        if (!ready) return ready.error();
        if (!*ready) return std::span<const frame>{};
    }
}

status replay_rx::set_filter(const filter& f, const rx_setup& s, std::string* message) {
    auto prog = user_space_program(f, s.link, message);
    if (!prog) return prog.error();
    program_ = std::move(*prog);
    return {};
}

} // namespace detail

namespace {

status check(const replay_config& c) noexcept {
    if (!std::isfinite(c.speed) || c.speed < 0) return make_error(errc::bad_value, step::replay_speed);
    if (c.batch == 0 || c.batch > detail::max_batch) {
        return make_error(errc::bad_value, step::batch, 0, detail::max_batch, c.batch);
    }
    return {};
}

std::string name_of(std::string_view path) {
    return path.empty() ? std::string("the capture file") : std::string(path);
}

result<channel> open_reader(pcap::reader r, const replay_config& c, std::string_view path, std::string* message) {
    const auto fail = [&](const error& e, const std::string& detail = {}) -> result<channel> {
        if (message != nullptr) {
            *message = name_of(path) + ": " + describe(e);
            if (!detail.empty()) *message += ": " + detail;
        }
        return e;
    };
    if (const status ok = check(c); !ok) return fail(ok.error());
    const link_type link = r.link();
    std::string detail;
    auto prog = detail::user_space_program(c.filter, link, &detail);
    if (!prog) return fail(prog.error(), detail);
    detail::unique_fd timer(::timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC));
    if (timer.get() < 0) return fail(from_errno(step::receive, errno));

    detail::rx_setup setup;
    setup.link = link;
    setup.snaplen = r.snaplen();
    setup.batch = c.batch;
    auto* impl = new detail::rx_impl{
        setup, backend::file, detail::replay_rx(std::move(r), c, std::move(*prog), std::move(timer)), {}, {}};
    channel ch;
    ch.rx = detail::rx_impl::wrap(impl);
    ch.link = link;
    ch.interface.name = std::string(path);
    return ch;
}

} // namespace

result<channel> open_file(std::string_view path, const replay_config& c, std::string* message) {
    if (const status ok = check(c); !ok) {
        if (message != nullptr) *message = name_of(path) + ": " + describe(ok.error());
        return ok.error();
    }
    auto r = pcap::reader::open(std::string(path), c.reader);
    if (!r) {
        if (message != nullptr) *message = name_of(path) + ": " + describe(r.error());
        return r.error();
    }
    return open_reader(std::move(*r), c, path, message);
}

result<channel> open_file(pcap::reader reader, const replay_config& c, std::string* message) {
    return open_reader(std::move(reader), c, {}, message);
}

} // namespace rawpkt::datalink
