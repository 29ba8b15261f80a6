// SPDX-License-Identifier: BSD-3-Clause
// Internal: the in-memory backend (backend::memory). Not installed.
#pragma once

#include "common.hpp"

#include <rawpkt/datalink/memory.hpp>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <span>
#include <string>
#include <vector>

namespace rawpkt::datalink::detail {

/// Frames stored back to back: their bytes (and comments) in one buffer,
/// their records in another. Cleared, it keeps its capacity.
struct frame_store {
    struct record {
        frame meta;              // data and comment are empty here
        std::size_t data_at = 0; // into bytes
        std::size_t comment_at = 0;
        std::uint32_t data_len = 0;
        std::uint32_t comment_len = 0;
    };
    std::vector<std::byte> bytes;
    std::vector<record> records;

    void clear() noexcept {
        bytes.clear();
        records.clear();
    }
    void append(const frame& f, std::uint32_t snaplen);
};

/// What a memory channel and its port share.
struct memory_state {
    explicit memory_state(const memory_config& c) : cfg(c) {}

    memory_config cfg;
    bool has_receiver = false;
    mutable std::mutex m;
    // Frames pushed and not yet taken by the receiver.
    frame_store inbox;
    bool closed = false;
    std::uint64_t dropped = 0;
    // Readable while the inbox holds frames or the port is closed.
    unique_fd event;
    // What the sender handed over: bytes back to back, (offset, length).
    std::vector<std::byte> sent_bytes;
    std::vector<std::pair<std::size_t, std::size_t>> sent;

    static memory_port port(std::shared_ptr<memory_state> s) noexcept { return memory_port{std::move(s)}; }
    /// Makes `event` readable / not readable (with `m` held).
    void signal() noexcept;
    void unsignal() noexcept;
};

class memory_rx {
public:
    memory_rx(std::shared_ptr<memory_state> s, std::vector<bpf_instruction> program);
    [[nodiscard]] int fd() const noexcept { return state_->event.get(); }
    result<std::span<const frame>> fetch(std::vector<frame>& frames, const rx_setup& s, timeout wait);
    status set_filter(const filter& f, const rx_setup& s, std::string* message);
    status read_stats(rx_stats& total);
    void drain() noexcept {}

private:
    std::shared_ptr<memory_state> state_;
    std::vector<bpf_instruction> program_;
    // The batch handed out last: swapped with the inbox on each fetch.
    frame_store current_;
    std::uint64_t handed_ = 0;
};

class memory_tx {
public:
    memory_tx(std::shared_ptr<memory_state> s, std::uint32_t slot_size, std::uint32_t batch);
    result<mut_bytes> acquire(tx_setup& s, tx_stats& st, std::size_t len);
    status commit(tx_setup& s, tx_stats& st, std::size_t offset, std::size_t len);
    status flush(tx_setup& s, tx_stats& st);
    void cancel() noexcept {}
    [[nodiscard]] int fd(const tx_setup&) const noexcept { return -1; }
    [[nodiscard]] std::size_t max_frame_len() const noexcept { return slot_size_; }
    [[nodiscard]] std::uint64_t queued() const noexcept { return count_; }

private:
    std::shared_ptr<memory_state> state_;
    std::uint32_t slot_size_ = 0;
    std::uint32_t batch_ = 0;
    std::uint32_t count_ = 0;
    std::size_t stride_ = 0;
    std::vector<std::byte> buffers_;
    std::vector<std::uint32_t> offsets_;
    std::vector<std::uint32_t> lengths_;
};

} // namespace rawpkt::datalink::detail
