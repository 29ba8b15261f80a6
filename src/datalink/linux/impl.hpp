// SPDX-License-Identifier: BSD-3-Clause
// Internal: the Linux AF_PACKET backends (TPACKET_V3 ring, TPACKET_V2 TX
// ring, plain socket) behind datalink::receiver and datalink::sender. Not
// installed.
#pragma once

#include "../common.hpp"

#include <rawpkt/datalink/channel.hpp>

#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include <linux/if_packet.h>
#include <sys/socket.h>
#include <sys/uio.h>

namespace rawpkt::datalink::detail {

/// A shared memory mapping of a ring, unmapped on destruction.
class mapping {
public:
    mapping() noexcept = default;
    mapping(std::byte* p, std::size_t n) noexcept : p_(p), n_(n) {}
    ~mapping();
    mapping(mapping&& o) noexcept : p_(o.p_), n_(o.n_) {
        o.p_ = nullptr;
        o.n_ = 0;
    }
    mapping& operator=(mapping&& o) noexcept;
    mapping(const mapping&) = delete;
    mapping& operator=(const mapping&) = delete;
    [[nodiscard]] std::byte* data() const noexcept { return p_; }
    [[nodiscard]] std::size_t size() const noexcept { return n_; }

private:
    std::byte* p_ = nullptr;
    std::size_t n_ = 0;
};

/// Maps a ring set up on `fd`.
result<mapping> map_ring(int fd, std::size_t bytes, step s);

/// setsockopt at SOL_PACKET (or another level) with an error naming the step.
status set_option(int fd, int level, int name, const void* value, socklen_t len, step s);
template <class T>
status set_option(int fd, int level, int name, const T& value, step s) {
    return set_option(fd, level, name, &value, static_cast<socklen_t>(sizeof value), s);
}

/// Attaches a classic BPF program (SO_ATTACH_FILTER).
status attach_program(int fd, const std::vector<bpf_instruction>& program);

/// The program to attach for this filter (empty: attach none).
result<std::vector<bpf_instruction>> program_for(const filter& f, link_type link, link_layer layer,
                                                 std::uint32_t snaplen, std::string* message);

/// Reads PACKET_STATISTICS (which resets the kernel's counters) and adds
/// it to `total`.
status add_statistics(int fd, bool v3, rx_stats& total);

/// Direction from a PACKET_* packet type.
[[nodiscard]] direction direction_of(unsigned char pkttype) noexcept;

/// Writes a 16-byte LINUX_SLL header in front of a cooked frame.
void write_sll_header(std::byte* at, const sockaddr_ll& sll) noexcept;

inline constexpr std::size_t sll_header_len = 16;

// ---- receive ----

class ring_rx {
public:
    ring_rx(unique_fd fd, mapping map, const rx_ring_layout& layout) noexcept
        : fd_(std::move(fd)), map_(std::move(map)), layout_(layout) {}
    [[nodiscard]] int fd() const noexcept { return fd_.get(); }
    /// Gives back the block being read, waits for the next and fills
    /// `frames` from it; empty when none came in time.
    result<std::span<const frame>> fetch(std::vector<frame>& frames, const rx_setup& s, timeout wait);
    /// Replaces the kernel filter (see receiver::set_filter).
    status set_filter(const filter& f, const rx_setup& s, std::string* message);
    /// Adds PACKET_STATISTICS to `total`.
    status read_stats(rx_stats& total) { return add_statistics(fd_.get(), true, total); }
    /// Gives every block the program holds or the kernel has filled back,
    /// unread.
    void drain() noexcept;

private:
    [[nodiscard]] tpacket_block_desc* block(std::uint32_t i) const noexcept;
    void release() noexcept;
    std::size_t fill(std::vector<frame>& frames, const rx_setup& s, tpacket_block_desc* bd) const noexcept;

    unique_fd fd_;
    mapping map_;
    rx_ring_layout layout_;
    std::uint32_t cur_ = 0;
    bool holding_ = false;
};

class socket_rx {
public:
    socket_rx(unique_fd fd, std::uint32_t slot_size, std::uint32_t batch);
    [[nodiscard]] int fd() const noexcept { return fd_.get(); }
    result<std::span<const frame>> fetch(std::vector<frame>& frames, const rx_setup& s, timeout wait);
    status set_filter(const filter& f, const rx_setup& s, std::string* message);
    status read_stats(rx_stats& total) { return add_statistics(fd_.get(), false, total); }
    void drain() noexcept;

private:
    void prepare() noexcept;

    unique_fd fd_;
    std::uint32_t slot_size_ = 0;
    std::uint32_t batch_ = 0;
    std::size_t stride_ = 0;
    std::vector<std::byte> buffers_;
    std::vector<std::byte> control_;
    std::vector<sockaddr_ll> names_;
    std::vector<mmsghdr> msgs_;
    std::vector<iovec> iovs_;
};

// ---- send ----

class ring_tx {
public:
    /// `copy_max`: with the socket's PACKET_VNET_HDR on, the longest frame
    /// the kernel copies instead of attaching ring pages; without, nullopt.
    ring_tx(mapping map, const tx_ring_layout& layout, std::optional<std::uint32_t> copy_max);
    result<mut_bytes> acquire(tx_setup& s, tx_stats& st, std::size_t len);
    status commit(tx_setup& s, tx_stats& st, std::size_t offset, std::size_t len);
    status flush(tx_setup& s, tx_stats& st);
    void cancel() noexcept {}
    [[nodiscard]] int fd(const tx_setup& s) const noexcept { return s.fd.get(); }
    [[nodiscard]] std::size_t max_frame_len() const noexcept { return layout_.max_frame_len; }
    [[nodiscard]] std::uint64_t queued() const noexcept { return inflight_; }

private:
    [[nodiscard]] tpacket2_hdr* slot(std::uint32_t i) const noexcept;
    [[nodiscard]] std::uint32_t next(std::uint32_t i) const noexcept {
        return i + 1 == layout_.frame_count ? 0 : i + 1;
    }
    /// Counts completed frames.
    void reclaim(tx_stats& st) noexcept;
    /// One send() system call for the queued frames; `wait` blocks until
    /// the kernel has completed them. `may_give_up`: this attempt follows a
    /// wait and counts towards giving up a frame the device keeps dropping.
    status kick(tx_setup& s, tx_stats& st, bool wait, bool may_give_up);

    mapping map_;
    tx_ring_layout layout_;
    std::optional<std::uint32_t> copy_max_;
    // Slots, in ring order: [done_, kernel_) handed to the kernel and not yet
    // counted, [kernel_, head_) queued and not yet handed over, head_ the
    // next to fill. inflight_ = head_ - done_, unsent_ = head_ - kernel_.
    std::uint32_t head_ = 0;
    std::uint32_t done_ = 0;
    std::uint32_t kernel_ = 0;
    std::uint32_t inflight_ = 0;
    std::uint32_t unsent_ = 0;
    // Per slot: how often the device dropped its frame, and whether it was
    // given up (its length set to 0, which the kernel skips).
    std::vector<std::uint8_t> retries_;
    std::vector<std::uint8_t> given_up_;
};

class socket_tx {
public:
    socket_tx(std::uint32_t slot_size, std::uint32_t batch);
    result<mut_bytes> acquire(tx_setup& s, tx_stats& st, std::size_t len);
    status commit(tx_setup& s, tx_stats& st, std::size_t offset, std::size_t len);
    status flush(tx_setup& s, tx_stats& st);
    void cancel() noexcept {}
    [[nodiscard]] int fd(const tx_setup& s) const noexcept { return s.fd.get(); }
    [[nodiscard]] std::size_t max_frame_len() const noexcept { return slot_size_; }
    [[nodiscard]] std::uint64_t queued() const noexcept { return count_; }

private:
    status kick(tx_setup& s, tx_stats& st, bool drain);

    std::uint32_t slot_size_ = 0;
    std::uint32_t batch_ = 0;
    std::uint32_t count_ = 0;
    std::vector<std::byte> buffers_;
    std::vector<mmsghdr> msgs_;
    std::vector<iovec> iovs_;
    std::vector<std::uint8_t> retries_;
};

} // namespace rawpkt::datalink::detail
