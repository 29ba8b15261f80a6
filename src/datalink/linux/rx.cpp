// SPDX-License-Identifier: BSD-3-Clause
// Receiving: the TPACKET_V3 ring and the plain socket.
#include "impl.hpp"

#include <cerrno>
#include <cstring>
#include <ctime>

#include <linux/net_tstamp.h>
#include <poll.h>
#include <sys/socket.h>
#include <time.h>

namespace rawpkt::datalink::detail {

namespace {

constexpr std::int64_t ns_per_s = 1'000'000'000;

std::uint32_t load_status(const std::uint32_t& s) noexcept {
    return std::atomic_ref<const std::uint32_t>(s).load(std::memory_order_acquire);
}
void store_status(std::uint32_t& s, std::uint32_t v) noexcept {
    std::atomic_ref<std::uint32_t>(s).store(v, std::memory_order_release);
}

} // namespace

// ---- TPACKET_V3 ring ----

tpacket_block_desc* ring_rx::block(std::uint32_t i) const noexcept {
    return reinterpret_cast<tpacket_block_desc*>(map_.data() + std::size_t{i} * layout_.block_size);
}

void ring_rx::release() noexcept {
    if (!holding_) return;
    store_status(block(cur_)->hdr.bh1.block_status, TP_STATUS_KERNEL);
    holding_ = false;
    cur_ = cur_ + 1 == layout_.block_count ? 0 : cur_ + 1;
}

void ring_rx::drain() noexcept {
    release();
    // Every block the kernel has handed over, in order, unread.
    for (std::uint32_t n = 0; n < layout_.block_count; ++n) {
        if ((load_status(block(cur_)->hdr.bh1.block_status) & TP_STATUS_USER) == 0) break;
        holding_ = true;
        release();
    }
}

std::size_t ring_rx::fill(std::vector<frame>& frames, const rx_setup& s, tpacket_block_desc* bd) const noexcept {
    std::byte* const base = reinterpret_cast<std::byte*>(bd);
    const std::uint32_t count = bd->hdr.bh1.num_pkts;
    std::uint64_t off = bd->hdr.bh1.offset_to_first_pkt;
    const bool cooked = s.layer == link_layer::cooked;
    std::size_t n = 0;
    for (; n < count && n < frames.size(); ++n) {
        // The kernel's own bound: a frame header and its bytes inside the block.
        if (off + sizeof(tpacket3_hdr) > layout_.block_size) break;
        auto* h = reinterpret_cast<tpacket3_hdr*>(base + off);
        if (off + h->tp_mac + h->tp_snaplen > layout_.block_size) break;
        const auto* sll =
            reinterpret_cast<const sockaddr_ll*>(reinterpret_cast<std::byte*>(h) + TPACKET_ALIGN(sizeof(tpacket3_hdr)));
        std::byte* data = reinterpret_cast<std::byte*>(h) + h->tp_mac;
        std::uint32_t caplen = h->tp_snaplen;
        std::uint32_t wirelen = h->tp_len;
        if (cooked) {
            // The ring leaves room between the sockaddr_ll and the frame
            // (the frame starts at TPACKET_ALIGN(TPACKET3_HDRLEN) + 16).
            data -= sll_header_len;
            write_sll_header(data, *sll);
            caplen += sll_header_len;
            wirelen += sll_header_len;
        }
        const std::uint32_t st = h->tp_status;
        frame& f = frames[n];
        f.data = bytes{data, caplen};
        f.timestamp_ns = static_cast<std::int64_t>(h->tp_sec) * ns_per_s + h->tp_nsec;
        f.original_len = wirelen;
        f.interface = static_cast<std::uint32_t>(sll->sll_ifindex);
        f.link = s.link;
        f.dir = direction_of(sll->sll_pkttype);
        if ((st & TP_STATUS_VLAN_VALID) != 0) {
            f.vlan_tci = static_cast<std::uint16_t>(h->hv1.tp_vlan_tci);
            f.vlan_tpid = (st & TP_STATUS_VLAN_TPID_VALID) != 0 ? h->hv1.tp_vlan_tpid : std::uint16_t{0x8100};
        } else {
            f.vlan_tci = 0;
            f.vlan_tpid = 0;
        }
        f.comment = {};
        if (h->tp_next_offset == 0) {
            ++n;
            break;
        }
        off += h->tp_next_offset;
    }
    return n;
}

result<std::span<const frame>> ring_rx::fetch(std::vector<frame>& frames, const rx_setup& s, timeout wait) {
    release();
    const deadline d(wait);
    for (;;) {
        tpacket_block_desc* bd = block(cur_);
        if ((load_status(bd->hdr.bh1.block_status) & TP_STATUS_USER) != 0) {
            holding_ = true;
            const std::size_t n = fill(frames, s, bd);
            if (n > 0) return std::span<const frame>{frames.data(), n};
            release(); // an empty block (retired by the timer)
            continue;
        }
        if (wait.count() == 0 || d.passed()) return std::span<const frame>{};
        const auto ready = wait_readable(fd_.get(), d);
        if (!ready) return ready.error();
        if (!*ready) return std::span<const frame>{}; // timed out, or a signal: let the caller look
    }
}

namespace {
// No frame may pass the old filter after this: block everything, throw
// away what is queued, then attach the new program.
template <class Backend>
status replace_filter(Backend& b, int fd, const filter& f, const rx_setup& s, std::string* message) {
    const auto prog = program_for(f, s.link, s.layer, s.snaplen, message);
    if (!prog) return prog.error();
    if (const status st = attach_program(fd, drop_program()); !st) return st;
    b.drain();
    if (prog->empty()) {
        int unused = 0;
        if (::setsockopt(fd, SOL_SOCKET, SO_DETACH_FILTER, &unused, sizeof unused) != 0) {
            return from_errno(step::filter_attach, errno);
        }
        return {};
    }
    return attach_program(fd, *prog);
}
} // namespace

status ring_rx::set_filter(const filter& f, const rx_setup& s, std::string* message) {
    return replace_filter(*this, fd_.get(), f, s, message);
}

status socket_rx::set_filter(const filter& f, const rx_setup& s, std::string* message) {
    return replace_filter(*this, fd_.get(), f, s, message);
}

// ---- plain socket ----

namespace {
// Room for PACKET_AUXDATA, SO_TIMESTAMPNS and SO_TIMESTAMPING messages.
constexpr std::size_t control_len = 256;
} // namespace

socket_rx::socket_rx(unique_fd fd, std::uint32_t slot_size, std::uint32_t batch)
    : fd_(std::move(fd)), slot_size_(slot_size), batch_(batch), stride_((sll_header_len + slot_size + 15) / 16 * 16),
      buffers_(stride_ * batch), control_(control_len * batch), names_(batch), msgs_(batch), iovs_(batch) {}

void socket_rx::prepare() noexcept {
    for (std::uint32_t i = 0; i < batch_; ++i) {
        iovs_[i].iov_base = buffers_.data() + i * stride_ + sll_header_len;
        iovs_[i].iov_len = slot_size_;
        msghdr& m = msgs_[i].msg_hdr;
        m.msg_name = &names_[i];
        m.msg_namelen = sizeof(sockaddr_ll);
        m.msg_iov = &iovs_[i];
        m.msg_iovlen = 1;
        m.msg_control = control_.data() + i * control_len;
        m.msg_controllen = control_len;
        m.msg_flags = 0;
        msgs_[i].msg_len = 0;
    }
}

void socket_rx::drain() noexcept {
    prepare();
    while (::recvmmsg(fd_.get(), msgs_.data(), batch_, MSG_DONTWAIT, nullptr) > 0) prepare();
}

result<std::span<const frame>> socket_rx::fetch(std::vector<frame>& frames, const rx_setup& s, timeout wait) {
    const deadline d(wait);
    for (;;) {
        prepare();
        const int got = ::recvmmsg(fd_.get(), msgs_.data(), batch_, MSG_DONTWAIT | MSG_TRUNC, nullptr);
        if (got > 0) {
            const bool cooked = s.layer == link_layer::cooked;
            for (int i = 0; i < got; ++i) {
                const msghdr& m = msgs_[i].msg_hdr;
                std::byte* data = static_cast<std::byte*>(iovs_[i].iov_base);
                // With MSG_TRUNC msg_len is the frame's full length.
                const std::uint32_t full = msgs_[i].msg_len;
                std::uint32_t caplen = full < slot_size_ ? full : slot_size_;
                std::uint32_t wirelen = full;
                std::int64_t ts = -1;
                std::uint16_t tci = 0, tpid = 0;
                for (cmsghdr* c = CMSG_FIRSTHDR(&m); c != nullptr; c = CMSG_NXTHDR(const_cast<msghdr*>(&m), c)) {
                    if (c->cmsg_level == SOL_PACKET && c->cmsg_type == PACKET_AUXDATA) {
                        tpacket_auxdata aux{};
                        std::memcpy(&aux, CMSG_DATA(c), sizeof aux);
                        wirelen = aux.tp_len;
                        if ((aux.tp_status & TP_STATUS_VLAN_VALID) != 0) {
                            tci = aux.tp_vlan_tci;
                            tpid = (aux.tp_status & TP_STATUS_VLAN_TPID_VALID) != 0 ? aux.tp_vlan_tpid
                                                                                    : std::uint16_t{0x8100};
                        }
                    } else if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_TIMESTAMPNS) {
                        timespec t{};
                        std::memcpy(&t, CMSG_DATA(c), sizeof t);
                        ts = static_cast<std::int64_t>(t.tv_sec) * ns_per_s + t.tv_nsec;
                    } else if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_TIMESTAMPING) {
                        timespec t[3]{};
                        std::memcpy(&t, CMSG_DATA(c), sizeof t);
                        // [2] is the raw hardware time, [0] the software one.
                        const timespec& pick =
                            (s.hardware_timestamps && (t[2].tv_sec != 0 || t[2].tv_nsec != 0)) ? t[2] : t[0];
                        ts = static_cast<std::int64_t>(pick.tv_sec) * ns_per_s + pick.tv_nsec;
                    }
                }
                if (ts < 0) {
                    timespec now{};
                    ::clock_gettime(CLOCK_REALTIME, &now);
                    ts = static_cast<std::int64_t>(now.tv_sec) * ns_per_s + now.tv_nsec;
                }
                if (cooked) {
                    data -= sll_header_len;
                    write_sll_header(data, names_[i]);
                    caplen += sll_header_len;
                    wirelen += sll_header_len;
                }
                frame& f = frames[static_cast<std::size_t>(i)];
                f.data = bytes{data, caplen};
                f.timestamp_ns = ts;
                f.original_len = wirelen < caplen ? caplen : wirelen;
                f.interface = static_cast<std::uint32_t>(names_[i].sll_ifindex);
                f.link = s.link;
                f.dir = direction_of(names_[i].sll_pkttype);
                f.vlan_tci = tci;
                f.vlan_tpid = tpid;
                f.comment = {};
            }
            return std::span<const frame>{frames.data(), static_cast<std::size_t>(got)};
        }
        if (got < 0 && errno != EAGAIN && errno != EINTR) return from_errno(step::receive, errno);
        if (got < 0 && errno == EINTR) return std::span<const frame>{};
        if (wait.count() == 0 || d.passed()) return std::span<const frame>{};
        const auto ready = wait_readable(fd_.get(), d);
        if (!ready) return ready.error();
        if (!*ready) return std::span<const frame>{};
    }
}

} // namespace rawpkt::datalink::detail
