// SPDX-License-Identifier: BSD-3-Clause
// Rotating capture files, named as tcpdump names them.
#include <rawpkt/pcap/rotation.hpp>

#include <cstdio>
#include <ctime>

namespace rawpkt::pcap {

std::string rotation_file_name(const std::string& pattern, const rotation_options& options, std::int64_t time_s,
                               std::uint32_t counter) {
    std::string name = pattern;
    if (options.interval_s > 0) {
        const std::time_t t = static_cast<std::time_t>(time_s);
        std::tm tm{};
        if (::localtime_r(&t, &tm) != nullptr) {
            char buf[4096];
            const std::size_t n = std::strftime(buf, sizeof buf, pattern.c_str(), &tm);
            if (n > 0) name.assign(buf, n);
        }
    }
    if (options.max_bytes > 0) {
        if (options.max_files > 0) {
            int width = 1;
            for (std::uint32_t v = options.max_files - 1; v >= 10; v /= 10) ++width;
            char buf[16];
            std::snprintf(buf, sizeof buf, "%0*u", width, counter);
            name += buf;
        } else if (counter > 0) {
            name += std::to_string(counter);
        }
    }
    return name;
}

result<rotating_writer> rotating_writer::open(std::string pattern, rotation_options options) {
    if (pattern.empty()) return error::invalid(layer::pcap, errc::bad_value, length_source::none, 0);
    const bool rotates = options.max_bytes > 0 || options.interval_s > 0;
    if (rotates && pattern == "-") return error::invalid(layer::pcap, errc::unsupported, length_source::none, 0);
    return rotating_writer{std::move(pattern), std::move(options)};
}

status rotating_writer::start(std::int64_t time_s) {
    if (w_) {
        const status s = w_->close();
        w_.reset();
        if (!s) return s;
    }
    if (options_.max_files > 0 && options_.max_bytes == 0 && options_.interval_s > 0 && files_ >= options_.max_files) {
        return error::invalid(layer::pcap, errc::too_many, length_source::none, 0, options_.max_files, files_ + 1);
    }
    path_ = rotation_file_name(pattern_, options_, time_s, counter_);
    auto w = writer::open(path_, options_.writer);
    if (!w) return w.error();
    w_.emplace(std::move(*w));
    file_start_s_ = time_s;
    ++files_;
    if (options_.max_bytes > 0) {
        ++counter_;
        if (options_.max_files > 0 && counter_ >= options_.max_files) counter_ = 0;
    }
    if (options_.on_open) return options_.on_open(*w_);
    return {};
}

status rotating_writer::write(const frame& f) {
    // Whole seconds toward minus infinity.
    std::int64_t t = f.timestamp_ns / 1'000'000'000;
    if (f.timestamp_ns % 1'000'000'000 < 0) --t;
    bool due = !w_;
    if (w_ && options_.max_bytes > 0 && w_->bytes_written() + w_->bytes_buffered() > options_.max_bytes) due = true;
    std::int64_t start_at = t;
    if (w_ && options_.interval_s > 0 && t - file_start_s_ >= options_.interval_s) {
        due = true;
        // The new file starts on the interval boundary the frame is in.
        start_at = file_start_s_ + (t - file_start_s_) / options_.interval_s * options_.interval_s;
    }
    if (due) {
        if (const status s = start(start_at); !s) return s;
    }
    if (const status s = w_->write(f); !s) return s;
    ++packets_;
    return {};
}

status rotating_writer::flush() {
    if (!w_) return {};
    return w_->flush();
}

status rotating_writer::close() {
    if (!w_ && files_ == 0) {
        // No frame came: leave one valid, empty file.
        const std::int64_t now = static_cast<std::int64_t>(std::time(nullptr));
        if (const status s = start(now); !s) return s;
    }
    if (!w_) return {};
    const status s = w_->close();
    w_.reset();
    return s;
}

} // namespace rawpkt::pcap
