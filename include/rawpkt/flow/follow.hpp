// SPDX-License-Identifier: BSD-3-Clause
/// \file
/// One TCP connection's conversation as tshark's `-z follow,tcp,raw,N`
/// prints it: a tcp_reassembler handler that keeps the chunks of stream
/// `index` (one per delivered segment, in arrival order) and formats them.
///
/// A hole that the reassembler gives up on while the capture goes on (the
/// receiver acknowledged it) becomes tshark's note "[N bytes missing in
/// capture file]" followed by a NUL byte; after a hole still open when the
/// input ends (call input_ended() before the reassembler's finish()),
/// tshark prints nothing more of that direction, and neither does this.
///
/// tshark prints a stream only once the capture is read, so the follower
/// keeps what it prints; a stream larger than its bound (max_bytes, counting
/// each chunk's bytes and bookkeeping) is cut there: later chunks are
/// dropped and counted in dropped_bytes(), and truncated() says so.
#pragma once

#include <rawpkt/bytes.hpp>
#include <rawpkt/flow/tcp_reassembly.hpp>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <string>
#include <vector>

namespace rawpkt::flow {

/// tshark's text for bytes of a stream the capture does not hold, with
/// its terminating NUL.
[[nodiscard]] inline std::string missing_bytes_note(std::uint64_t size) {
    char text[64];
    const int n =
        std::snprintf(text, sizeof text, "[%llu bytes missing in capture file]", static_cast<unsigned long long>(size));
    std::string s(text, static_cast<std::size_t>(n));
    s.push_back('\0');
    return s;
}

/// The handler for tcp_reassembler that collects one connection's data as tshark's follow,tcp,raw shows it (see the
/// file comment).
class tcp_follower {
public:
    /// Data of one direction as delivered, or the note for a hole.
    struct chunk {
        /// 0: from the connection's first sender (node 0); 1: the other way.
        unsigned direction;
        /// The bytes, or missing_bytes_note() for a hole.
        std::string data;
    };

    /// The default bound on the memory a followed stream may hold.
    static constexpr std::size_t default_max_bytes = std::size_t{256} << 20;

    /// Follows the connection with tcp_connection::index `index` (tshark's
    /// tcp.stream), keeping at most `max_bytes` of it (see the file comment).
    explicit tcp_follower(std::uint64_t index, std::size_t max_bytes = default_max_bytes) noexcept
        : index_(index), max_bytes_(max_bytes) {}

    /// Reassembler callback: keeps `data` of connection `c`'s direction `dir`.
    void on_data(const tcp_connection& c, unsigned dir, bytes data) {
        if (c.index != index_ || stopped_[dir] || !fits(data.size())) return;
        chunks_.push_back({dir, std::string(reinterpret_cast<const char*>(data.data()), data.size())});
    }
    /// Reassembler callback: a hole of `size` bytes; see the file comment.
    void on_gap(const tcp_connection& c, unsigned dir, std::uint64_t size) {
        if (c.index != index_ || stopped_[dir]) return;
        if (ended_) {
            stopped_[dir] = true;
            return;
        }
        std::string note = missing_bytes_note(size);
        if (!fits(note.size())) return;
        chunks_.push_back({dir, std::move(note)});
    }
    /// Reassembler callback: records the endpoints for the Node lines.
    void on_close(const tcp_connection& c, tcp_close) {
        if (c.index != index_) return;
        nodes_[0] = c.endpoint(0);
        nodes_[1] = c.endpoint(1);
    }
    /// The capture ended: holes reported from now on were never filled.
    void input_ended() noexcept { ended_ = true; }

    /// Chunks so far, in delivery order.
    [[nodiscard]] const std::vector<chunk>& chunks() const noexcept { return chunks_; }
    /// Memory held for the chunks, as counted against max_bytes.
    [[nodiscard]] std::size_t held_bytes() const noexcept { return held_; }
    /// True once a chunk did not fit max_bytes: the stream is cut there.
    [[nodiscard]] bool truncated() const noexcept { return cut_; }
    /// Bytes of chunks (data or notes) dropped because of max_bytes.
    [[nodiscard]] std::uint64_t dropped_bytes() const noexcept { return dropped_; }
    /// The bound given to the constructor.
    [[nodiscard]] std::size_t max_bytes() const noexcept { return max_bytes_; }

    /// tshark's follow,tcp,raw output for the stream (both directions).
    [[nodiscard]] std::string text() const {
        static constexpr char rule[] = "===================================================================\n";
        std::string out = "\n";
        out += rule;
        out += "Follow: tcp,raw\nFilter: tcp.stream eq " + std::to_string(index_) + "\n";
        out += "Node 0: " + (nodes_[0].empty() ? std::string(":0") : nodes_[0]) + "\n";
        out += "Node 1: " + (nodes_[1].empty() ? std::string(":0") : nodes_[1]) + "\n";
        static constexpr char digits[] = "0123456789abcdef";
        for (const chunk& c : chunks_) {
            if (c.direction == 1) out += '\t';
            for (const char ch : c.data) {
                const auto b = static_cast<unsigned char>(ch);
                out += digits[b >> 4];
                out += digits[b & 15];
            }
            out += '\n';
        }
        out += rule;
        return out;
    }

private:
    /// Accounts a chunk of `n` bytes; once one does not fit, none does (the
    /// output stays a prefix of the stream).
    bool fits(std::size_t n) noexcept {
        const std::size_t cost = n + sizeof(chunk);
        if (cut_ || cost > max_bytes_ - held_) {
            cut_ = true;
            dropped_ += n;
            return false;
        }
        held_ += cost;
        return true;
    }

    std::uint64_t index_;
    std::size_t max_bytes_;
    std::size_t held_ = 0;
    std::uint64_t dropped_ = 0;
    bool cut_ = false;
    std::vector<chunk> chunks_;
    std::string nodes_[2];
    bool stopped_[2] = {false, false};
    bool ended_ = false;
};

} // namespace rawpkt::flow
