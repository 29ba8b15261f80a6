// SPDX-License-Identifier: BSD-3-Clause
// Internal: capture-file replay (backend::file). Not installed.
#pragma once

#include "common.hpp"

#include <rawpkt/datalink/replay.hpp>
#include <rawpkt/pcap/reader.hpp>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace rawpkt::datalink::detail {

class replay_rx {
public:
    /// `timer`: a CLOCK_MONOTONIC timerfd, the receiver's native handle.
    replay_rx(pcap::reader r, const replay_config& c, std::vector<bpf_instruction> program, unique_fd timer);
    [[nodiscard]] int fd() const noexcept { return timer_.get(); }
    result<std::span<const frame>> fetch(std::vector<frame>& frames, const rx_setup& s, timeout wait);
    status set_filter(const filter& f, const rx_setup& s, std::string* message);
    status read_stats(rx_stats& total) noexcept {
        total.received = handed_;
        return {};
    }
    void drain() noexcept {}
    [[nodiscard]] const pcap::reader& reader() const noexcept { return reader_; }

private:
    /// When `f` is due, on CLOCK_MONOTONIC (paced replay only).
    [[nodiscard]] std::int64_t due(const frame& f) const noexcept;
    /// Makes the timer fire at `when` (CLOCK_MONOTONIC ns; at once if past).
    void arm(std::int64_t when) noexcept;

    pcap::reader reader_;
    double speed_ = 0;
    std::vector<bpf_instruction> program_;
    unique_fd timer_;
    // Frames read from the file and not handed out yet: [pos_, count_).
    std::vector<frame> staged_;
    std::size_t pos_ = 0;
    std::size_t count_ = 0;
    // Pacing: the monotonic time the first frame was handed out and its
    // time stamp.
    bool started_ = false;
    std::int64_t start_ns_ = 0;
    std::int64_t first_ts_ = 0;
    // end_of_input or the reader's error, once reached.
    std::optional<error> end_;
    std::uint64_t handed_ = 0;
};

} // namespace rawpkt::datalink::detail
