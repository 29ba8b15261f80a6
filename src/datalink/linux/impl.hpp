// SPDX-License-Identifier: BSD-3-Clause
// Internal: the Linux AF_PACKET backends behind datalink::receiver and
// datalink::sender. Not installed.
#pragma once

#include <rawpkt/datalink/channel.hpp>

#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <variant>
#include <vector>

#include <linux/if_packet.h>
#include <sys/socket.h>
#include <sys/uio.h>

namespace rawpkt::datalink::detail {

/// A file descriptor closed on destruction.
class unique_fd {
public:
    unique_fd() noexcept = default;
    explicit unique_fd(int fd) noexcept : fd_(fd) {}
    ~unique_fd();
    unique_fd(unique_fd&& o) noexcept : fd_(o.release()) {}
    unique_fd& operator=(unique_fd&& o) noexcept;
    unique_fd(const unique_fd&) = delete;
    unique_fd& operator=(const unique_fd&) = delete;
    [[nodiscard]] int get() const noexcept { return fd_; }
    int release() noexcept {
        const int f = fd_;
        fd_ = -1;
        return f;
    }

private:
    int fd_ = -1;
};

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

/// Deadline arithmetic for timeouts.
struct deadline {
    explicit deadline(timeout t) noexcept;
    /// Milliseconds left for poll(): -1 forever, 0 when passed.
    [[nodiscard]] int poll_ms() const noexcept;
    [[nodiscard]] bool passed() const noexcept { return poll_ms() == 0; }

private:
    bool forever_ = false;
    std::chrono::steady_clock::time_point end_{};
};

/// Direction from a PACKET_* packet type.
[[nodiscard]] direction direction_of(unsigned char pkttype) noexcept;

/// Writes a 16-byte LINUX_SLL header in front of a cooked frame.
void write_sll_header(std::byte* at, const sockaddr_ll& sll) noexcept;

inline constexpr std::size_t sll_header_len = 16;

/// Everything a backend needs from the open() call.
struct rx_setup {
    link_type link = link_type::ethernet;
    link_layer layer = link_layer::raw;
    std::uint32_t ifindex = 0;
    std::uint32_t snaplen = 0;
    std::uint32_t slot_size = 0; // socket backend: bytes per receive buffer
    std::uint32_t batch = 0;     // socket backend: messages per recvmmsg
    bool hardware_timestamps = false;
};

// ---- receive ----

class ring_rx {
public:
    ring_rx(unique_fd fd, mapping map, const rx_ring_layout& layout) noexcept
        : fd_(std::move(fd)), map_(std::move(map)), layout_(layout) {}
    [[nodiscard]] int fd() const noexcept { return fd_.get(); }
    /// Gives back the block being read, waits for the next and fills
    /// `frames` from it; 0 when none came in time.
    result<std::size_t> fetch(std::vector<frame>& frames, const rx_setup& s, timeout wait);
    /// Gives every block the program holds or the kernel has filled back,
    /// unread.
    void drain() noexcept;
    [[nodiscard]] std::uint32_t capacity() const noexcept { return layout_.max_frames_per_block; }

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
    result<std::size_t> fetch(std::vector<frame>& frames, const rx_setup& s, timeout wait);
    void drain() noexcept;
    [[nodiscard]] std::uint32_t capacity() const noexcept { return batch_; }

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

struct rx_impl {
    rx_setup setup;
    backend kind = backend::ring;
    std::variant<ring_rx, socket_rx> be;
    std::vector<frame> frames;
    rx_stats total{};

    [[nodiscard]] int fd() const noexcept {
        return std::visit([](const auto& b) { return b.fd(); }, be);
    }
    /// Hands the implementation to a receiver.
    static receiver wrap(rx_impl* p) noexcept {
        receiver r;
        r.impl_.reset(p);
        return r;
    }
};

// ---- send ----

struct tx_setup {
    unique_fd fd;
    std::uint32_t link_header_len = 14;
    /// Frames longer than this must carry a VLAN tag (mtu + link header).
    std::uint32_t untagged_max = 0;
    bool ethernet = true;
    std::uint32_t batch = 64;
    timeout send_timeout = forever;
};

class ring_tx {
public:
    ring_tx(mapping map, const tx_ring_layout& layout);
    result<mut_bytes> acquire(tx_setup& s, tx_stats& st, std::size_t len);
    status commit(tx_setup& s, tx_stats& st, std::size_t offset, std::size_t len);
    status flush(tx_setup& s, tx_stats& st);
    void cancel() noexcept {}
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

struct tx_impl {
    tx_setup setup;
    backend kind = backend::ring;
    std::variant<ring_tx, socket_tx> be;
    tx_stats stats{};
    bool acquired = false;

    /// Hands the implementation to a sender.
    static sender wrap(tx_impl* p) noexcept {
        sender s;
        s.impl_.reset(p);
        return s;
    }
};

} // namespace rawpkt::datalink::detail
