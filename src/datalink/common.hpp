// SPDX-License-Identifier: BSD-3-Clause
// Internal: pieces every datalink backend uses (descriptors, deadlines,
// what open() tells a backend). Not installed.
#pragma once

#include <rawpkt/datalink/channel.hpp>

#include <cerrno>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <mutex>
#include <string>
#include <vector>

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

/// Waits until `fd` is readable: false on timeout or a signal. A pending
/// socket error (POLLERR) is returned as an error with `s`.
result<bool> wait_readable(int fd, const deadline& d, step s = step::receive);

/// CLOCK_MONOTONIC and CLOCK_REALTIME in nanoseconds.
[[nodiscard]] std::int64_t monotonic_ns() noexcept;
[[nodiscard]] std::int64_t realtime_ns() noexcept;

/// The error of a disabled receiver or sender.
[[nodiscard]] inline error disabled() noexcept { return make_error(errc::unsupported, step::disabled); }

/// The program a user-space filter runs (empty: none), compiled for
/// `link` when it is an expression. *message gets libpcap's text.
result<std::vector<bpf_instruction>> user_space_program(const filter& f, link_type link, std::string* message);

/// Serialises calls into libpcap's filter compiler (older libpcaps are
/// not reentrant there).
std::mutex& pcap_compile_mutex() noexcept;

/// Everything a receive backend needs from the open() call.
struct rx_setup {
    link_type link = link_type::ethernet;
    link_layer layer = link_layer::raw;
    std::uint32_t ifindex = 0;
    std::uint32_t snaplen = 0;
    std::uint32_t slot_size = 0; // socket backend: bytes per receive buffer
    std::uint32_t batch = 0;     // socket and pcap backends: frames per batch
    bool hardware_timestamps = false;
};

/// Everything a send backend needs from the open() call.
struct tx_setup {
    /// The socket (ring and socket backends; -1 for the others).
    unique_fd fd;
    std::uint32_t link_header_len = 14;
    /// Frames longer than this must carry a VLAN tag (mtu + link header).
    std::uint32_t untagged_max = 0;
    bool ethernet = true;
    std::uint32_t batch = 64;
    timeout send_timeout = forever;
};

/// Checks a frame against what the device takes: at least the link
/// header, at most untagged_max (4 bytes more with a VLAN tag).
status check_frame(const tx_setup& s, const std::byte* frame, std::size_t len) noexcept;

/// Attempts at a frame the device keeps dropping, with waits of 1, 2, 4 ...
/// 64 ms between them (about a quarter of a second in all).
inline constexpr std::uint8_t max_send_retries = 8;

/// errno values that mean "try again later" when sending.
[[nodiscard]] constexpr bool transient_send_error(int e) noexcept { return e == ENOBUFS || e == EAGAIN || e == ENOMEM; }

/// Sleeps `ms` milliseconds.
void nap_ms(int ms) noexcept;

} // namespace rawpkt::datalink::detail
