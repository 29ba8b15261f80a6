// SPDX-License-Identifier: BSD-3-Clause
/// \file
/// An in-memory channel for unit tests: code written against
/// datalink::channel runs without privileges, a network or a file. The
/// test holds the other end, a memory_port: frames it pushes come out of
/// the channel's receiver, frames the channel's sender sends are recorded
/// for the test to look at.
///
/// ```cpp
/// namespace dl = rawpkt::datalink;
/// auto m = dl::open_memory({.mtu = 1500});
/// m->port.push(request_bytes);                 // copied; time stamped now
/// m->port.close();                             // after it: end_of_input
/// answer_all(m->channel);                      // the code under test
/// ASSERT_EQ(m->port.sent_count(), 1u);
/// EXPECT_EQ(m->port.sent(0), expected_reply);
/// ```
///
/// It behaves as a live channel does:
///
/// - Receiving. next() and next_batch() hand out the frames pushed so far,
///   in order; a batch is every frame pushed since the last receive call.
///   A frame stays valid until the next receive call. next(wait) waits for
///   a push (from any thread) at most `wait`; native_handle() is an eventfd
///   that is readable while frames are waiting or the port is closed. Once
///   the port is closed and every frame was handed out, receive calls
///   return datalink::end_of_input. stats(): received counts frames handed
///   out, dropped counts pushes refused because memory_config::capacity
///   frames were already waiting. set_filter() and memory_config::filter
///   run in user space (run_program(); expressions compiled for
///   memory_config::link need libpcap) on frames not fetched yet; frames
///   of another link type never pass a filter.
/// - Sending. send() and send_with() check frames as a live sender does
///   (at most mtu + the link header, 4 bytes more with a VLAN tag; at least
///   the link header), queue them, and hand them to the port every
///   tx_batch frames and on flush(): only then does the port see them.
///   stats().syscalls counts those hand-overs.
/// - Allocation. Pushed frames are copied into buffers the channel keeps
///   and reuses: after the buffers have grown to the largest batch, pushing
///   and receiving allocate nothing. The sender copies frames into the
///   port's record, which grows with what was sent until the test takes or
///   clears it (take_sent(), clear_sent()).
///
/// Threads: the port may be used from any thread, also while the receiver
/// waits on another; the receiver and sender follow the usual rules (one
/// thread each at a time).
#pragma once

#include <rawpkt/bytes.hpp>
#include <rawpkt/datalink/channel.hpp>
#include <rawpkt/datalink/filter.hpp>
#include <rawpkt/error.hpp>
#include <rawpkt/frame.hpp>
#include <rawpkt/packet/numbers.hpp>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace rawpkt::datalink {

/// An in-memory channel: link type, name, sizes and which ends to open.
struct memory_config {
    /// The link type of the channel and of frames pushed as bytes.
    link_type link = link_type::ethernet;
    /// channel::interface.name and .index; frame::interface of frames
    /// pushed as bytes.
    std::string name = "mem0";
    /// The interface index (see `name`).
    std::uint32_t ifindex = 1;
    /// The sender takes frames up to mtu + the link header (14 bytes for
    /// Ethernet, 0 otherwise), 4 more when they carry a VLAN tag (1 to
    /// 262144; step::mtu).
    std::uint32_t mtu = 1500;
    /// Bytes kept of each pushed frame; its original length is kept
    /// (1 .. 262144; step::snaplen).
    std::uint32_t snaplen = 262144;
    /// The most frames waiting for the receiver; a push beyond fails with
    /// errc::no_room and counts as dropped. 0: no limit.
    std::size_t capacity = 0;
    /// Frames the sender queues before it hands them to the port (1 ..;
    /// step::batch).
    std::uint32_t tx_batch = 64;
    /// Open a receiver; open a sender (at least one).
    bool receive = true;
    /// Open a sender (see `receive`).
    bool send = true;
    /// See the file comment.
    datalink::filter filter{};
};

namespace detail {
struct memory_state;
}

/// The test's end of an in-memory channel. A handle: copies share the same
/// channel end. A default-constructed port is not connected (every call
/// fails or returns nothing).
class memory_port {
public:
    memory_port() noexcept = default;

    /// Queues a copy of `data` for the receiver, time stamped now
    /// (CLOCK_REALTIME), with memory_config::link and ifindex, original
    /// length = data.size(), direction unknown. Fails with errc::no_room
    /// when `capacity` frames wait, with end_of_input after close(), with
    /// step::disabled when the channel has no receiver.
    status push(bytes data);
    /// Queues a copy of `f`: its bytes and comment are copied, every other
    /// field is kept (an original length below the bytes is raised to
    /// them).
    status push(const frame& f);
    /// No more frames: once those waiting are handed out, the receiver
    /// returns end_of_input.
    void close();
    /// Frames pushed and not yet handed out.
    [[nodiscard]] std::size_t pending() const;

    /// Frames the sender handed over so far (not counting those still
    /// queued in the sender: see sender::flush()).
    [[nodiscard]] std::size_t sent_count() const;
    /// A copy of sent frame `i` (empty when there is none).
    [[nodiscard]] std::vector<std::byte> sent(std::size_t i) const;
    /// Every sent frame, in order; the record is emptied.
    [[nodiscard]] std::vector<std::vector<std::byte>> take_sent();
    /// Empties the record of sent frames (keeping its buffers).
    void clear_sent();

    /// False for a default-constructed port.
    [[nodiscard]] bool connected() const noexcept { return state_ != nullptr; }

private:
    friend struct detail::memory_state;
    explicit memory_port(std::shared_ptr<detail::memory_state> s) noexcept : state_(std::move(s)) {}
    std::shared_ptr<detail::memory_state> state_;
};

/// An in-memory channel and the test's end of it.
struct memory_channel {
    /// The channel as any backend gives it (receiver and sender).
    datalink::channel channel;
    /// The test's end: push frames in, read sent frames out.
    memory_port port;
};

/// Opens an in-memory channel. Fails only on a bad setting (step::mtu,
/// step::snaplen, step::batch, step::config_direction) or a filter that
/// does not compile (step::filter_compile; *message gets libpcap's text).
[[nodiscard]] result<memory_channel> open_memory(const memory_config& c = {}, std::string* message = nullptr);

} // namespace rawpkt::datalink
