// SPDX-License-Identifier: BSD-3-Clause
/// \file
/// DNS over TCP (RFC 1035 §4.2.2, RFC 7766 §8): every message is preceded
/// by a two-byte length, and the byte stream may carry several messages in
/// one segment or one message over several segments. `dns_stream` takes
/// one direction of a connection, in order, as the TCP reassembler
/// delivers it (tcp_reassembly.hpp: on_data, on_gap), and hands out each
/// whole message once.
///
/// A message that lies whole inside one piece of data is handed out where
/// it lies (no copy); one that spans pieces is copied into the stream's
/// buffer. That buffer never holds more than one message, and a message
/// longer than `max_message` is not buffered at all: it is reported as an
/// error and its bytes are skipped, so the stream stays in step. Memory
/// per direction is thus bounded by `max_message` (at most 65,535 bytes,
/// the largest length the prefix can state).
///
/// Lost bytes (a gap) inside a message being skipped only shorten the skip.
/// Anywhere else they break the framing for good: nothing tells where the
/// next length prefix is, so the stream reports the loss once and ignores
/// the rest of the direction (failed() is true).
#pragma once

#include <rawpkt/bytes.hpp>
#include <rawpkt/error.hpp>

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <vector>

namespace rawpkt::flow {

/// Splits one direction of a DNS-over-TCP connection (RFC 1035 §4.2.2,
/// RFC 7766 §8) into messages, within `max_message` bytes of buffer; see the
/// file comment. One per direction; not thread-safe.
class dns_stream {
public:
    /// The largest message the length prefix can state.
    static constexpr std::size_t max_length = 65535;

    /// A stream at the start of a direction that buffers messages of up to
    /// `max_message` bytes (capped at max_length) and skips longer ones.
    explicit dns_stream(std::size_t max_message = max_length) : max_message_(std::min(max_message, max_length)) {}

    /// Takes the next bytes of the direction and calls fn(result<bytes>)
    /// for each message they complete (the bytes stay valid only during the
    /// call) and for each message skipped as too long
    /// (errc::length_too_large at the prefix's stream offset, needed the
    /// bound, available the stated length).
    template <class Fn>
    void feed(bytes data, Fn&& fn) {
        while (!data.empty() && !failed_) {
            if (skip_ > 0) {
                const std::size_t n = static_cast<std::size_t>(std::min<std::uint64_t>(skip_, data.size()));
                skip_ -= n;
                advance(data, n);
                continue;
            }
            if (have_prefix_ < 2) {
                if (have_prefix_ == 0) start_ = offset_;
                prefix_[have_prefix_++] = data[0];
                advance(data, 1);
                if (have_prefix_ == 2) start_message(fn);
                continue;
            }
            const std::size_t need = length_ - buffer_.size();
            if (buffer_.empty() && data.size() >= need) {
                // Whole in this piece: handed out in place.
                const bytes message = data.first(need);
                advance(data, need);
                deliver(message, fn);
                continue;
            }
            const std::size_t n = std::min(need, data.size());
            if (buffer_.empty()) buffer_.reserve(length_); // the capacity stays within max_message
            buffer_.insert(buffer_.end(), data.begin(), data.begin() + static_cast<std::ptrdiff_t>(n));
            advance(data, n);
            if (buffer_.size() == length_) {
                deliver(bytes{buffer_}, fn);
                buffer_.clear();
            }
        }
    }

    /// `size` bytes of the direction were lost. Calls fn with the error
    /// when the framing is lost: errc::truncated at the stream offset of the
    /// message cut (its prefix), needed the bytes it takes with its prefix,
    /// available those that came; between messages, needed is the gap's
    /// size and available 0.
    template <class Fn>
    void gap(std::uint64_t size, Fn&& fn) {
        if (failed_ || size == 0) return;
        if (skip_ >= size) {
            skip_ -= size;
            offset_ += size;
            return;
        }
        failed_ = true;
        if (have_prefix_ == 0 && skip_ == 0) {
            fn(result<bytes>{error::truncated(layer::dns, length_source::none, offset_, size, 0)});
        } else if (skip_ > 0) {
            fn(result<bytes>{
                error::truncated(layer::dns, length_source::total_length, start_, 2 + length_, 2 + length_ - skip_)});
        } else {
            fn(result<bytes>{error::truncated(layer::dns, length_source::total_length, start_,
                                              have_prefix_ < 2 ? 2 : 2 + length_, have_prefix_ + buffer_.size())});
        }
        buffer_.clear();
        buffer_.shrink_to_fit();
    }

    /// Messages handed out so far.
    [[nodiscard]] std::uint64_t messages() const noexcept { return messages_; }
    /// Bytes of the direction taken so far (gaps included).
    [[nodiscard]] std::uint64_t offset() const noexcept { return offset_; }
    /// Bytes of an unfinished message held in the buffer.
    [[nodiscard]] std::size_t buffered() const noexcept { return buffer_.size(); }
    /// True when a message is under way (some of it came, not all).
    [[nodiscard]] bool partial() const noexcept { return have_prefix_ > 0 || skip_ > 0; }
    /// True once a gap broke the framing: nothing more is handed out.
    [[nodiscard]] bool failed() const noexcept { return failed_; }

private:
    void advance(bytes& data, std::size_t n) noexcept {
        data = data.subspan(n);
        offset_ += n;
    }
    template <class Fn>
    void start_message(Fn& fn) {
        length_ = load_be<std::uint16_t>(bytes{prefix_}, 0);
        if (length_ > max_message_) {
            fn(result<bytes>{error::invalid(layer::dns, errc::length_too_large, length_source::total_length, start_,
                                            max_message_, length_)});
            skip_ = length_;
            have_prefix_ = 0;
        } else if (length_ == 0) {
            deliver(bytes{}, fn);
        }
    }
    template <class Fn>
    void deliver(bytes message, Fn& fn) {
        have_prefix_ = 0;
        ++messages_;
        fn(result<bytes>{message});
    }

    std::size_t max_message_;
    std::array<std::byte, 2> prefix_{};
    unsigned have_prefix_ = 0;
    std::size_t length_ = 0;
    std::uint64_t skip_ = 0;
    std::uint64_t offset_ = 0;
    std::uint64_t start_ = 0; ///< stream offset of the current message's prefix
    std::uint64_t messages_ = 0;
    std::vector<std::byte> buffer_;
    bool failed_ = false;
};

} // namespace rawpkt::flow
