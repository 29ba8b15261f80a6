// SPDX-License-Identifier: BSD-3-Clause
/// \file
/// Capture files that rotate as tcpdump's -C, -G and -W make them: a new
/// file when the current one has grown past a size or a time interval has
/// passed, named after a pattern.
///
/// ```cpp
/// rawpkt::pcap::rotation_options o;
/// o.max_bytes = 100'000'000;                    // tcpdump -C 100
/// auto w = rawpkt::pcap::rotating_writer::open("trace.pcap", o);
/// for (const rawpkt::frame& f : frames) if (!w->write(f)) break;
/// w->close();                                   // trace.pcap, trace.pcap1, trace.pcap2, ...
/// ```
///
/// Names (tcpdump's rules): with an interval, the pattern goes through
/// strftime(3) with the local time the file starts at ("dump-%H%M%S.pcap");
/// with a size limit, a counter is appended: nothing for the first file,
/// then 1, 2, ...; with max_files as well, every file gets the counter,
/// zero-padded to the width of max_files - 1, and the counter wraps, so the
/// oldest file is overwritten (a ring of files).
///
/// Rotation by size: before writing a frame, when the current file holds
/// more than max_bytes, the next file is started (files exceed the limit
/// by at most one frame). Rotation by time uses the frames' timestamps, so
/// a capture file replayed into the writer rotates as a live capture would
/// have; with max_files and no size limit, writing stops after max_files
/// files (write() returns errc::too_many, nothing written).
#pragma once

#include <rawpkt/error.hpp>
#include <rawpkt/frame.hpp>
#include <rawpkt/pcap/writer.hpp>

#include <cstdint>
#include <functional>
#include <optional>
#include <string>

namespace rawpkt::pcap {

/// When a rotating_writer starts a new file, how many it keeps, and how each file is written.
struct rotation_options {
    /// Start a new file when the current one is larger than this (0: never).
    std::uint64_t max_bytes = 0;
    /// Start a new file when a frame is this many seconds younger than the
    /// file's start (0: never).
    std::uint32_t interval_s = 0;
    /// With max_bytes: a ring of this many files. With interval_s alone: stop
    /// after this many files. 0: no limit.
    std::uint32_t max_files = 0;
    /// How each file is written (format, snaplen, ...).
    writer_options writer{};
    /// Called after each new file is opened (its interfaces can be
    /// described there) and before it is written to.
    std::function<status(pcap::writer&)> on_open{};
};

/// tcpdump's file name for the file number `counter` started at
/// `time_s` (seconds since the epoch): see the file comment.
[[nodiscard]] std::string rotation_file_name(const std::string& pattern, const rotation_options& options,
                                             std::int64_t time_s, std::uint32_t counter);

/// A writer over a series of files named from a pattern, started by size or by time as tcpdump's -C, -G and -W do.
/// Movable, not copyable.
class rotating_writer {
public:
    /// Checks the options; the first file is opened with the first frame
    /// (its name may need that frame's time), or by close() when no frame
    /// came, so that an empty capture still leaves a valid file.
    [[nodiscard]] static result<rotating_writer> open(std::string pattern, rotation_options options);

    /// Writes a frame, starting a new file first if it is due.
    [[nodiscard]] status write(const frame& f);
    /// Hands what is buffered to the operating system.
    [[nodiscard]] status flush();
    /// Closes the current file.
    [[nodiscard]] status close();

    /// The file written now ("" before the first).
    [[nodiscard]] const std::string& current_path() const noexcept { return path_; }
    /// Files started so far.
    [[nodiscard]] std::uint64_t files() const noexcept { return files_; }
    /// Frames written over all files.
    [[nodiscard]] std::uint64_t packets() const noexcept { return packets_; }
    /// The writer of the current file, if one is open.
    [[nodiscard]] writer* current() noexcept { return w_ ? &*w_ : nullptr; }

private:
    rotating_writer(std::string pattern, rotation_options options)
        : pattern_(std::move(pattern)), options_(std::move(options)) {}
    [[nodiscard]] status start(std::int64_t time_s);

    std::string pattern_;
    rotation_options options_;
    std::optional<writer> w_;
    std::string path_;
    std::int64_t file_start_s_ = 0;
    std::uint32_t counter_ = 0;
    std::uint64_t files_ = 0;
    std::uint64_t packets_ = 0;
};

} // namespace rawpkt::pcap
