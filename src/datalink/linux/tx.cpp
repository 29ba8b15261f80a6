// SPDX-License-Identifier: BSD-3-Clause
// Sending: the TPACKET_V2 TX ring and the plain socket, behind
// datalink::sender.
//
// The TX ring. On each send() call the kernel walks the ring from its own
// head, taking every slot marked TP_STATUS_SEND_REQUEST, in order; a slot
// turns TP_STATUS_AVAILABLE again once its frame is transmitted (or dropped)
// and freed. With PACKET_LOSS set, a slot the kernel rejects as malformed is
// skipped (marked available, head moved on). When the device drops a frame
// (send() fails with ENOBUFS) or no socket buffer is free (EAGAIN with
// MSG_DONTWAIT), the kernel puts the slot back to TP_STATUS_SEND_REQUEST and
// stops there: the next send() tries it again. kick() counts those retries
// and, after max_send_retries drops of one frame, gives the frame up by setting
// its length to 0, which the kernel rejects and skips.
//
// With PACKET_VNET_HDR on, each frame is preceded in its slot by a
// virtio-net header (no offloads) whose hdr_len says how many bytes of the
// frame the kernel copies into the socket buffer's linear part; the rest it
// attaches as ring pages, which it marks zero-copy, so that a device which
// hands the buffer on inside the host (veth) copies them again into pages
// it allocates (skb_copy_ubufs). Copying short frames whole avoids both.
#include "impl.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>

#include <poll.h>
#include <sys/socket.h>

namespace rawpkt::datalink::detail {

namespace {
std::uint32_t load_status(const std::uint32_t& s) noexcept {
    return std::atomic_ref<const std::uint32_t>(s).load(std::memory_order_acquire);
}
void store_status(std::uint32_t& s, std::uint32_t v) noexcept {
    std::atomic_ref<std::uint32_t>(s).store(v, std::memory_order_release);
}
} // namespace

// ---- TPACKET_V2 ring ----

namespace {
/// struct virtio_net_hdr of <linux/virtio_net.h> (which C++ cannot include:
/// it names a member `class`), legacy layout, without offloads: flags and
/// gso_type 0 (VIRTIO_NET_HDR_GSO_NONE), the rest in native byte order.
struct virtio_net_header {
    std::uint8_t flags = 0;
    std::uint8_t gso_type = 0;
    std::uint16_t hdr_len = 0; ///< bytes of the frame copied into the socket buffer's linear part
    std::uint16_t gso_size = 0;
    std::uint16_t csum_start = 0;
    std::uint16_t csum_offset = 0;
};
static_assert(sizeof(virtio_net_header) == 10);
} // namespace

static_assert(sizeof(virtio_net_header) <= tx_slot_header - TPACKET_ALIGN(sizeof(tpacket2_hdr)),
              "the virtio-net header fits between the slot header and the frame");

ring_tx::ring_tx(mapping map, const tx_ring_layout& layout, std::optional<std::uint32_t> copy_max)
    : map_(std::move(map)), layout_(layout), copy_max_(copy_max), retries_(layout.frame_count),
      given_up_(layout.frame_count) {}

tpacket2_hdr* ring_tx::slot(std::uint32_t i) const noexcept {
    const std::size_t block = i / layout_.frames_per_block;
    const std::size_t index = i % layout_.frames_per_block;
    return reinterpret_cast<tpacket2_hdr*>(map_.data() + block * layout_.block_size + index * layout_.frame_size);
}

void ring_tx::reclaim(tx_stats& st) noexcept {
    const std::uint32_t handed = inflight_ - unsent_;
    for (std::uint32_t n = 0; n < handed; ++n) {
        tpacket2_hdr* h = slot(done_);
        const std::uint32_t s = load_status(h->tp_status);
        if (s == TP_STATUS_AVAILABLE) {
            if (given_up_[done_] != 0)
                ++st.failed;
            else
                ++st.sent;
        } else if ((s & TP_STATUS_WRONG_FORMAT) != 0) {
            ++st.failed;
            store_status(h->tp_status, TP_STATUS_AVAILABLE);
        } else {
            break; // still being sent
        }
        done_ = next(done_);
        --inflight_;
    }
}

status ring_tx::kick(tx_setup& s, tx_stats& st, bool wait, bool may_give_up) {
    if (unsent_ == 0) return {};
    const ssize_t r = ::send(s.fd.get(), nullptr, 0, wait ? 0 : MSG_DONTWAIT);
    const int err = r < 0 ? errno : 0;
    ++st.syscalls;

    // Slots the kernel took are no longer marked for sending; it takes them
    // in order and stops at the first it could not send, left marked.
    std::uint32_t taken = 0;
    while (taken < unsent_ && load_status(slot(kernel_)->tp_status) != TP_STATUS_SEND_REQUEST) {
        kernel_ = next(kernel_);
        ++taken;
    }
    unsent_ -= taken;
    if (r >= 0 || unsent_ == 0) return {};
    if (err == ENOBUFS) {
        // The device dropped the frame at the kernel's head: it goes again
        // with the next send(). Only attempts spaced out by a wait (flush, a
        // full ring) count towards giving it up.
        tpacket2_hdr* h = slot(kernel_);
        ++st.retried;
        if (!may_give_up) return {};
        if (retries_[kernel_] < max_send_retries) {
            ++retries_[kernel_];
        } else if (given_up_[kernel_] == 0) {
            given_up_[kernel_] = 1;
            h->tp_len = 0;
        }
        return {};
    }
    if (transient_send_error(err) || err == EINTR || err == ETIMEDOUT || taken > 0) return {};
    // Refused before any frame (the interface is down, ...): drop the queue,
    // so that it does not go out later by surprise.
    for (std::uint32_t n = 0; n < unsent_; ++n) {
        head_ = head_ == 0 ? layout_.frame_count - 1 : head_ - 1;
        store_status(slot(head_)->tp_status, TP_STATUS_AVAILABLE);
    }
    st.failed += unsent_;
    inflight_ -= unsent_;
    unsent_ = 0;
    return from_errno(step::send, err);
}

result<mut_bytes> ring_tx::acquire(tx_setup& s, tx_stats& st, std::size_t len) {
    if (len > layout_.max_frame_len) {
        return make_error(errc::length_too_large, step::send, 0, layout_.max_frame_len, len);
    }
    reclaim(st);
    if (inflight_ == layout_.frame_count) {
        const deadline d(s.send_timeout);
        for (;;) {
            if (const status k = kick(s, st, false, true); !k) return k.error();
            reclaim(st);
            if (inflight_ < layout_.frame_count) break;
            const int ms = d.poll_ms();
            if (ms == 0) return make_error(errc::no_room, step::send, 0, layout_.frame_count, inflight_);
            // Writable when the slot at the kernel's head is free again.
            pollfd p{s.fd.get(), POLLOUT, 0};
            ::poll(&p, 1, ms < 0 || ms > 100 ? 100 : ms);
        }
    }
    return mut_bytes{reinterpret_cast<std::byte*>(slot(head_)) + tx_slot_header, len};
}

status ring_tx::commit(tx_setup& s, tx_stats& st, std::size_t offset, std::size_t len) {
    tpacket2_hdr* h = slot(head_);
    if (const status ok = check_frame(s, reinterpret_cast<std::byte*>(h) + tx_slot_header + offset, len); !ok) {
        return ok;
    }
    // PACKET_TX_HAS_OFF: what the kernel reads starts at tp_mac, the
    // virtio-net header first when there is one.
    std::size_t start = tx_slot_header + offset;
    std::size_t sent = len;
    if (copy_max_) {
        virtio_net_header v{};
        v.hdr_len = static_cast<std::uint16_t>(len <= *copy_max_ ? len : 0);
        start -= sizeof v;
        sent += sizeof v;
        std::memcpy(reinterpret_cast<std::byte*>(h) + start, &v, sizeof v);
    }
    h->tp_len = static_cast<std::uint32_t>(sent);
    h->tp_snaplen = static_cast<std::uint32_t>(sent);
    h->tp_mac = static_cast<std::uint16_t>(start);
    h->tp_net = h->tp_mac;
    retries_[head_] = 0;
    given_up_[head_] = 0;
    store_status(h->tp_status, TP_STATUS_SEND_REQUEST);
    head_ = next(head_);
    ++inflight_;
    ++unsent_;
    if (unsent_ >= s.batch && unsent_ % s.batch == 0) return kick(s, st, false, false);
    return {};
}

status ring_tx::flush(tx_setup& s, tx_stats& st) {
    const deadline d(s.send_timeout);
    for (;;) {
        const std::uint32_t before = unsent_;
        if (unsent_ > 0) {
            // Blocking: returns once every frame it took is completed.
            if (const status k = kick(s, st, true, true); !k) return k;
        }
        reclaim(st);
        if (inflight_ == 0) return {};
        const int ms = d.poll_ms();
        if (ms == 0) return make_error(errc::no_room, step::send, ETIMEDOUT, 0, inflight_);
        if (unsent_ > 0 && unsent_ == before) {
            // A retry after a drop: give the device a moment, longer each time.
            nap_ms(1 << std::min<int>(retries_[kernel_], 6));
        } else if (unsent_ == 0) {
            pollfd p{s.fd.get(), POLLOUT, 0};
            ::poll(&p, 1, ms < 0 || ms > 10 ? 10 : ms);
        }
    }
}

// ---- plain socket ----

socket_tx::socket_tx(std::uint32_t slot_size, std::uint32_t batch)
    : slot_size_(slot_size), batch_(batch), buffers_(std::size_t{(slot_size + 15u) / 16u * 16u} * batch), msgs_(batch),
      iovs_(batch), retries_(batch) {}

result<mut_bytes> socket_tx::acquire(tx_setup& s, tx_stats& st, std::size_t len) {
    if (len > slot_size_) return make_error(errc::length_too_large, step::send, 0, slot_size_, len);
    if (count_ == batch_) {
        if (const status k = kick(s, st, false); !k && count_ == batch_) return k.error();
    }
    const std::size_t stride = (slot_size_ + 15u) / 16u * 16u;
    return mut_bytes{buffers_.data() + count_ * stride, len};
}

status socket_tx::commit(tx_setup& s, tx_stats& st, std::size_t offset, std::size_t len) {
    const std::size_t stride = (slot_size_ + 15u) / 16u * 16u;
    std::byte* base = buffers_.data() + count_ * stride + offset;
    if (const status ok = check_frame(s, base, len); !ok) return ok;
    iovs_[count_].iov_base = base;
    iovs_[count_].iov_len = len;
    msgs_[count_] = {};
    msgs_[count_].msg_hdr.msg_iov = &iovs_[count_];
    msgs_[count_].msg_hdr.msg_iovlen = 1;
    retries_[count_] = 0;
    ++count_;
    if (count_ >= s.batch || count_ == batch_) return kick(s, st, false);
    return {};
}

status socket_tx::kick(tx_setup& s, tx_stats& st, bool) {
    status outcome{};
    std::uint32_t i = 0;
    const deadline d(s.send_timeout);
    while (i < count_) {
        // Blocking (SO_SNDTIMEO bounds it): one call for the whole batch.
        const int r = ::sendmmsg(s.fd.get(), &msgs_[i], count_ - i, 0);
        ++st.syscalls;
        if (r > 0) {
            st.sent += static_cast<std::uint64_t>(r);
            i += static_cast<std::uint32_t>(r);
            continue;
        }
        const int e = r < 0 ? errno : EIO;
        if (e == EINTR) continue;
        if (transient_send_error(e) && retries_[i] < max_send_retries && !d.passed()) {
            // ENOBUFS: the device dropped it; EAGAIN: the socket buffer is
            // full. Send it again after a wait, longer each time.
            nap_ms(1 << std::min<int>(retries_[i], 6));
            ++retries_[i];
            ++st.retried;
            continue;
        }
        if (transient_send_error(e)) {
            // Dropped every time: given up, and counted (a drop is not an
            // error), unless the wait ran out.
            if (d.passed()) outcome = make_error(errc::no_room, step::send, e, 0, count_ - i);
            ++st.failed;
            ++i;
            continue;
        }
        outcome = from_errno(step::send, e);
        if (e == ENETDOWN || e == ENXIO || e == ENODEV) {
            st.failed += count_ - i; // nothing more will go out
            i = count_;
            break;
        }
        ++st.failed;
        ++i;
    }
    count_ = 0;
    return outcome;
}

status socket_tx::flush(tx_setup& s, tx_stats& st) {
    if (count_ == 0) return {};
    return kick(s, st, true);
}

} // namespace rawpkt::datalink::detail
