// SPDX-License-Identifier: BSD-3-Clause
/// \file
/// Live capture and injection on a network interface (Linux AF_PACKET).
///
/// ```cpp
/// namespace dl = rawpkt::datalink;
/// dl::config cfg;
/// cfg.filter = "udp port 53";
/// std::string why;
/// auto ch = dl::open("eth0", cfg, &why);
/// if (!ch) { std::fprintf(stderr, "%s\n", why.c_str()); return 1; }
/// while (auto f = ch->rx.next(std::chrono::milliseconds(100))) {
///     if (*f) use(**f);                            // nullptr: timed out
/// }
/// ch->tx.send_with(128, [&](rawpkt::mut_bytes slot) {   // built in the TX ring slot
///     return rawpkt::builder{slot}.payload(q).udp(u).ipv4(ip).ethernet(eth).finish();
/// });
/// ch->tx.flush();
/// ```
///
/// Receiving. next() hands out one frame, next_batch() every frame of the
/// next ring block (or socket batch) at once. Frames point into the ring:
/// they stay valid until the next receive call (next, next_batch,
/// set_filter) on that receiver, which gives their block back to the
/// kernel. A frame's data starts with the link-layer header of
/// channel::link; a VLAN tag the kernel took off the frame is in
/// frame::vlan_tpid / vlan_tci (tpid 0: there was none).
///
/// Sending. send() copies a frame into the next TX slot, send_with() lets
/// the caller build it there. Frames are queued and handed to the kernel
/// tx_batch at a time with one send() system call; flush() hands over the
/// rest and waits until the kernel has transmitted (or dropped) every
/// queued frame. The sender's stats() count them.
///
/// Dispatch. Each receiver and sender is one concrete class; the backend is
/// chosen once, at open(). Frames come out of a table the backend fills
/// once per block or batch, so next() is an inline index into that table
/// and the backend (a std::variant inside) is visited once per block, never
/// per frame; a sender visits it once per frame with a switch, no virtual
/// call.
///
/// Backends. open() opens a live channel on an interface: a TPACKET_V3
/// ring (default), a plain socket, libpcap, or AF_XDP sockets fed by an XDP
/// program (config::backend; xdp.hpp).
/// open_file() (replay.hpp) replays a capture file through the same
/// receiver, open_memory() (memory.hpp) gives a channel whose other end a
/// test holds. Sources that can end (a file, a closed memory port) return
/// the error end_of_input from every receive call after their last frame;
/// a live channel never ends.
///
/// Threads: a receiver and a sender may be used from different threads; one
/// receiver (or sender) must not be used from two threads at once. Moving
/// them out of the channel is fine.
#pragma once

#include <rawpkt/bytes.hpp>
#include <rawpkt/datalink/config.hpp>
#include <rawpkt/datalink/errors.hpp>
#include <rawpkt/datalink/filter.hpp>
#include <rawpkt/datalink/interfaces.hpp>
#include <rawpkt/error.hpp>
#include <rawpkt/frame.hpp>
#include <rawpkt/packet/numbers.hpp>

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>

namespace rawpkt::pcap {
class reader;
}

namespace rawpkt::datalink {

namespace detail {
struct rx_impl;
struct tx_impl;
struct rx_impl_deleter {
    void operator()(rx_impl* p) const noexcept;
};
struct tx_impl_deleter {
    void operator()(tx_impl* p) const noexcept;
};
} // namespace detail

/// Receive counters, cumulated over the receiver's life (the kernel resets
/// its own on each read).
struct rx_stats {
    /// Frames the kernel stored for this receiver (the filter passed them
    /// and there was room).
    std::uint64_t received = 0;
    /// Frames the filter passed but there was no room for (ring or socket
    /// buffer full).
    std::uint64_t dropped = 0;
    /// Times the ring filled up and the kernel froze it until the program
    /// gave a block back (TPACKET_V3 only).
    std::uint64_t freezes = 0;
};

/// Send counters.
struct tx_stats {
    /// Frames sent: for the ring, taken by the kernel and completed (the
    /// device transmitted or freed them); for the socket, accepted by
    /// sendmmsg.
    std::uint64_t sent = 0;
    /// Frames not sent: dropped by the device on every retry, rejected by
    /// the kernel, or thrown away after a send error (interface down).
    std::uint64_t failed = 0;
    /// Frames queued and not yet completed.
    std::uint64_t queued = 0;
    /// Attempts repeated because the device dropped a frame (ENOBUFS) or the
    /// socket buffer was full; a frame is given up after 8 spaced attempts.
    std::uint64_t retried = 0;
    /// send()/sendmmsg() system calls made.
    std::uint64_t syscalls = 0;
};

/// The receiving half of a channel: hands out frames one at a time (next()) or a block at a time (next_batch()),
/// zero-copy from the backend's buffer. Move-only; one thread at a time.
class receiver {
public:
    /// A disabled receiver: every call fails with step::disabled.
    receiver() noexcept;
    ~receiver();
    /// Takes over `other`'s socket and buffers; `other` is left disabled.
    receiver(receiver&&) noexcept;
    /// Closes this receiver (its frames become invalid) and takes over `other`.
    receiver& operator=(receiver&&) noexcept;
    receiver(const receiver&) = delete;
    receiver& operator=(const receiver&) = delete;

    /// False for a receiver the config did not open (config::receive false) or a moved-from one.
    [[nodiscard]] bool enabled() const noexcept { return impl_ != nullptr; }

    /// The next frame, waiting up to `wait` (no_wait: only what is there;
    /// forever: until a frame comes). nullptr when none came in time or a
    /// signal interrupted the wait. Valid until the next receive call.
    [[nodiscard]] result<const frame*> next(timeout wait = forever) {
        if (pos_ < count_) return &frames_[pos_++];
        return next_slow(wait);
    }

    /// Every frame of the next block (ring) or batch (socket), or what is
    /// left of the current one after next(); empty when none came in time.
    /// The frames live in a table the receiver owns and point into the
    /// ring; they stay valid until the next receive call, which gives the
    /// block back to the kernel.
    [[nodiscard]] result<std::span<const frame>> next_batch(timeout wait = forever);

    /// Replaces the kernel filter while the receiver runs. Frames that
    /// arrive meanwhile are not mixed: a drop-everything filter goes first,
    /// then every frame already received is given back unread, then the new
    /// filter is attached (libpcap does the same). An empty filter passes
    /// everything. On a compile error, *message gets libpcap's text and
    /// nothing changes. Capture files and memory channels filter in user
    /// space and lose nothing: the new filter applies to frames not fetched
    /// yet, the rest of the current batch comes out as it was.
    [[nodiscard]] status set_filter(const datalink::filter& f, std::string* message = nullptr);

    /// Counters since open (see rx_stats).
    [[nodiscard]] result<rx_stats> stats();

    /// A descriptor for the caller's own poll/epoll, readable when a block
    /// or a frame is ready: the socket (ring, socket), libpcap's selectable
    /// descriptor (pcap), a timerfd (file: see replay.hpp), an eventfd
    /// (memory), the AF_XDP socket or, with several queues, an epoll
    /// descriptor over their sockets (xdp). -1 when disabled.
    [[nodiscard]] int native_handle() const noexcept;
    /// The backend the channel was opened with.
    [[nodiscard]] datalink::backend backend() const noexcept;
    /// The link type of the frames (Ethernet, LINUX_SLL for cooked, ...).
    /// For a capture file, the first interface's; each frame carries its own.
    [[nodiscard]] link_type link() const noexcept;
    /// backend::file: the reader, for what the file says besides frames
    /// (interfaces(), sections(), statistics(), names(), format()); nullptr
    /// for every other backend. Do not read frames through it.
    [[nodiscard]] const pcap::reader* file() const noexcept;

private:
    friend struct detail::rx_impl;
    result<const frame*> next_slow(timeout wait);

    const frame* frames_ = nullptr;
    std::size_t pos_ = 0;
    std::size_t count_ = 0;
    std::unique_ptr<detail::rx_impl, detail::rx_impl_deleter> impl_;
};

/// The sending half of a channel: frames are built in place in the backend's buffer (a TX ring slot, a UMEM frame)
/// through send(), queued, and handed to the kernel in batches. Move-only; one thread at a time.
class sender {
public:
    /// A disabled sender: every call fails with step::disabled.
    sender() noexcept;
    ~sender();
    /// Takes over `other`'s socket and ring (queued frames included).
    sender(sender&&) noexcept;
    /// Flushes and closes this sender, then takes over `other`.
    sender& operator=(sender&&) noexcept;
    sender(const sender&) = delete;
    sender& operator=(const sender&) = delete;

    /// False for a sender the config did not open (config::send false) or a moved-from one.
    [[nodiscard]] bool enabled() const noexcept { return impl_ != nullptr; }

    /// Queues a copy of `frame` (a whole link-layer frame). The queue is
    /// handed to the kernel every tx_batch frames; call flush() to send
    /// a partial batch. Fails with errc::length_too_large /
    /// length_too_small when the frame does not fit max_frame_len() or is
    /// shorter than the link-layer header, errc::no_room when no slot
    /// freed up within config::send_timeout.
    [[nodiscard]] status send(bytes frame);

    /// Builds a frame in place: `fn` gets `len` bytes of a TX slot (zeroed
    /// only if the slot is new; it may hold an old frame) and returns what
    /// to send:
    /// - nothing (void): all `len` bytes;
    /// - a std::size_t n: the first n bytes (0 sends nothing);
    /// - a mut_bytes or result<mut_bytes> inside the slot (what
    ///   builder::finish() returns: the frame ends at the end of the slot);
    ///   an error result sends nothing and is returned.
    template <class F>
    [[nodiscard]] status send_with(std::size_t len, F&& fn) {
        const result<mut_bytes> slot = acquire(len);
        if (!slot) return slot.error();
        using R = std::invoke_result_t<F&, mut_bytes>;
        if constexpr (std::is_void_v<R>) {
            std::invoke(fn, *slot);
            return commit(*slot, *slot);
        } else if constexpr (std::is_same_v<std::remove_cvref_t<R>, result<mut_bytes>>) {
            const result<mut_bytes> built = std::invoke(fn, *slot);
            if (!built) {
                cancel();
                return built.error();
            }
            return commit(*slot, *built);
        } else if constexpr (std::is_convertible_v<R, mut_bytes>) {
            const mut_bytes built = std::invoke(fn, *slot);
            return commit(*slot, built);
        } else {
            static_assert(std::is_convertible_v<R, std::size_t>,
                          "send_with: fn must return void, std::size_t, mut_bytes or result<mut_bytes>");
            const std::size_t n = static_cast<std::size_t>(std::invoke(fn, *slot));
            if (n == 0) {
                cancel();
                return {};
            }
            return commit(*slot, slot->first(n < slot->size() ? n : slot->size()));
        }
    }

    /// Hands every queued frame to the kernel and waits until it has
    /// transmitted or dropped each (at most config::send_timeout).
    [[nodiscard]] status flush();

    /// Counters since open (see tx_stats).
    [[nodiscard]] tx_stats stats() const noexcept;
    /// The longest frame send() takes.
    [[nodiscard]] std::size_t max_frame_len() const noexcept;
    /// The socket (writable when a slot is free; for pcap, libpcap's
    /// selectable descriptor; for memory, -1: it never waits); -1 when
    /// disabled.
    [[nodiscard]] int native_handle() const noexcept;
    /// The backend the channel was opened with.
    [[nodiscard]] datalink::backend backend() const noexcept;

private:
    friend struct detail::tx_impl;
    /// A slot of `len` bytes (checks len).
    result<mut_bytes> acquire(std::size_t len);
    /// Queues `frame`, a span inside `slot`.
    status commit(mut_bytes slot, mut_bytes frame);
    /// Gives the acquired slot back unused.
    void cancel() noexcept;

    std::unique_ptr<detail::tx_impl, detail::tx_impl_deleter> impl_;
};

/// An open channel: its receiver and sender (either may be disabled by the
/// config) and what was opened.
struct channel {
    datalink::receiver rx; ///< frames in (disabled when config::receive is false)
    datalink::sender tx;   ///< frames out (disabled when config::send is false)
    /// The interface, as it was at open().
    interface_info interface {};
    /// The link type frames are handed out with.
    link_type link = link_type::ethernet;
};

/// Opens a channel on the interface with this name (or, when the name is
/// all digits, this index). On failure the error says why (see
/// errors.hpp); when `message` is given it also gets a sentence for the user
/// (describe() plus libpcap's text for a filter that does not compile).
[[nodiscard]] result<channel> open(std::string_view interface, const config& c = {}, std::string* message = nullptr);
/// Opens a channel on the interface with this index.
[[nodiscard]] result<channel> open(std::uint32_t ifindex, const config& c = {}, std::string* message = nullptr);

} // namespace rawpkt::datalink
