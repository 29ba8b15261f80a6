// SPDX-License-Identifier: BSD-3-Clause
// The libpcap backend: pcap_create/pcap_activate, pcap_dispatch in
// batches, pcap_inject, pcap_setfilter, pcap_stats.
//
// libpcap hands a frame to its callback and may give the buffer it lives in
// back to the kernel as soon as the callback returns (its own pcap_next_ex
// copies for that reason), so each frame is copied once into a buffer the
// receiver owns; a batch ends early when the next frame might not fit.
//
// Sending uses a second handle: a libpcap handle cannot be used from two
// threads at once, and a receiver and a sender may be. That handle carries
// a drop-everything filter, so the kernel queues nothing for it.
#include "impl.hpp"

#include <algorithm>
#include <cerrno>
#include <climits>
#include <cstring>

#include <sys/socket.h>
#include <sys/time.h>

#if RAWPKT_HAVE_LIBPCAP
#include <pcap/pcap.h>
#endif

namespace rawpkt::datalink {

#if RAWPKT_HAVE_LIBPCAP
bool has_pcap_backend() noexcept { return true; }
#else
bool has_pcap_backend() noexcept { return false; }
#endif

} // namespace rawpkt::datalink

namespace rawpkt::datalink::detail {

pcap_handle::~pcap_handle() {
#if RAWPKT_HAVE_LIBPCAP
    if (p_ != nullptr) pcap_close(p_);
#endif
}

pcap_handle& pcap_handle::operator=(pcap_handle&& o) noexcept {
    if (this != &o) {
        pcap_handle old(p_);
        p_ = o.p_;
        o.p_ = nullptr;
    }
    return *this;
}

#if RAWPKT_HAVE_LIBPCAP

namespace {

constexpr std::size_t align16(std::size_t n) noexcept { return (n + 15) / 16 * 16; }

// Room kept for one more frame: libpcap may put a VLAN tag back into a frame
// of the full snaplen (4 bytes more), and frames are 16-byte aligned.
constexpr std::size_t frame_slack = 64;

void on_packet(u_char* user, const pcap_pkthdr* h, const u_char* bytes) {
    auto* self = reinterpret_cast<pcap_rx*>(user);
    self->on_frame(static_cast<std::int64_t>(h->ts.tv_sec), static_cast<std::int64_t>(h->ts.tv_usec), h->caplen, h->len,
                   bytes);
}

// libpcap on Linux builds its TPACKET_V3 ring of 256 KiB blocks (its
// largest snapshot length), rounding the buffer size up to whole blocks. A
// ring of one block loses every frame that arrives after the kernel closed
// that block (full, or its timeout passed) until the program has read all of
// it; with two, the kernel fills one while the program reads the other.
constexpr int pcap_ring_min_buffer = 2 * 256 * 1024;

int pcap_buffer_size(std::uint32_t requested) noexcept {
    if (requested == 0) return 0; // libpcap's default (2 MiB)
    int size = static_cast<int>(std::min<std::uint32_t>(requested, INT_MAX));
#ifdef __linux__
    size = std::max(size, pcap_ring_min_buffer);
#endif
    return size;
}

// What pcap_activate's (or pcap_set_tstamp_type's) code means for a user.
error activate_error(int rc) noexcept {
    switch (rc) {
    case PCAP_ERROR_NO_SUCH_DEVICE: return make_error(errc::not_found, step::interface_lookup, ENODEV);
    case PCAP_ERROR_PERM_DENIED: return make_error(errc::permission, step::socket, EPERM);
    case PCAP_ERROR_PROMISC_PERM_DENIED: return make_error(errc::permission, step::promiscuous, EPERM);
    case PCAP_ERROR_IFACE_NOT_UP: return make_error(errc::io, step::interface_state, ENETDOWN);
    case PCAP_WARNING_TSTAMP_TYPE_NOTSUP:
    case PCAP_ERROR_CANTSET_TSTAMP_TYPE:
    case PCAP_ERROR_TSTAMP_PRECISION_NOTSUP: return make_error(errc::unsupported, step::timestamping);
    case PCAP_ERROR_RFMON_NOTSUP: return make_error(errc::unsupported, step::pcap_create);
    default: return make_error(errc::io, step::pcap_create);
    }
}

// pcap_create + the settings + pcap_activate.
struct pcap_settings {
    int snaplen = 262144;
    bool promiscuous = false;
    int timeout_ms = 10;
    bool immediate = false;
    int buffer = 0;
    bool hardware_timestamps = false;
};

result<pcap_handle> activate(const std::string& interface, const pcap_settings& s, std::string* detail) {
    char errbuf[PCAP_ERRBUF_SIZE] = {};
    pcap_handle h(pcap_create(interface.c_str(), errbuf));
    if (h.get() == nullptr) {
        if (detail != nullptr) *detail = errbuf;
        return make_error(errc::io, step::pcap_create);
    }
    pcap_t* p = h.get();
    (void)pcap_set_snaplen(p, s.snaplen);
    (void)pcap_set_promisc(p, s.promiscuous ? 1 : 0);
    (void)pcap_set_timeout(p, s.timeout_ms);
    if (s.immediate) (void)pcap_set_immediate_mode(p, 1);
    if (s.buffer > 0) (void)pcap_set_buffer_size(p, s.buffer);
    // Nanoseconds where libpcap can; microseconds (scaled) otherwise.
    (void)pcap_set_tstamp_precision(p, PCAP_TSTAMP_PRECISION_NANO);
    if (s.hardware_timestamps) {
        // No silent fallback to software time stamps.
        if (const int rc = pcap_set_tstamp_type(p, PCAP_TSTAMP_ADAPTER); rc != 0) {
            if (detail != nullptr) *detail = "libpcap: the adapter cannot time-stamp frames";
            return activate_error(rc == PCAP_WARNING ? PCAP_WARNING_TSTAMP_TYPE_NOTSUP : rc);
        }
    }
    const int rc = pcap_activate(p);
    if (rc < 0 || rc == PCAP_WARNING_TSTAMP_TYPE_NOTSUP) {
        if (detail != nullptr) {
            const char* text = pcap_geterr(p);
            *detail = std::string("libpcap: ") +
                      (text != nullptr && *text != '\0' ? std::string(text) : std::string(pcap_statustostr(rc)));
        }
        return activate_error(rc);
    }
    return h;
}

// Sets a filter on a live handle: an expression compiled by libpcap for
// this handle, a program as it is, nothing as a program keeping `snaplen`
// bytes (libpcap has no call that removes a filter).
status apply_filter(pcap_t* p, const filter& f, std::uint32_t snaplen, std::string* message) {
    static_assert(sizeof(bpf_instruction) == sizeof(bpf_insn));
    bpf_program prog{};
    std::vector<bpf_insn> insns;
    bool compiled = false;
    if (!f.is_program() && !f.expression().empty()) {
        const std::string& expr = f.expression();
        const std::lock_guard<std::mutex> lock(pcap_compile_mutex());
        if (pcap_compile(p, &prog, expr.c_str(), 1, PCAP_NETMASK_UNKNOWN) != 0) {
            if (message != nullptr) *message = pcap_geterr(p);
            return make_error(errc::bad_value, step::filter_compile);
        }
        compiled = true;
    } else {
        const std::vector<bpf_instruction> program = f.is_program() ? f.program() : accept_program(snaplen);
        if (const status ok = check_program(program); !ok) return ok;
        insns.reserve(program.size());
        for (const bpf_instruction& in : program) insns.push_back(bpf_insn{in.code, in.jt, in.jf, in.k});
        prog.bf_len = static_cast<u_int>(insns.size());
        prog.bf_insns = insns.data();
    }
    const int rc = pcap_setfilter(p, &prog);
    const int e = errno;
    if (compiled) pcap_freecode(&prog);
    if (rc != 0) {
        if (message != nullptr) *message = pcap_geterr(p);
        return make_error(errc::bad_value, step::filter_attach, e);
    }
    return {};
}

} // namespace

// ---- receive ----

pcap_rx::pcap_rx(pcap_handle h, std::uint32_t batch, bool nano)
    : h_(std::move(h)), fd_(pcap_get_selectable_fd(h_.get())), batch_(batch), nano_(nano),
      snap_(static_cast<std::uint32_t>(std::max(pcap_snapshot(h_.get()), 1))),
      arena_(std::max<std::size_t>(std::size_t{1} << 20, 4 * (snap_ + frame_slack))) {}

void pcap_rx::on_frame(std::int64_t sec, std::int64_t frac, std::uint32_t caplen, std::uint32_t len,
                       const unsigned char* src) noexcept {
    if (full_ || count_ >= out_->size()) return; // cannot happen: the batch stopped before
    // tv_usec holds nanoseconds when the handle was set to nanosecond precision.
    const std::int64_t ts = sec * 1'000'000'000 + (nano_ ? frac : frac * 1000);
    const std::size_t room = arena_.size() - used_;
    const std::uint32_t kept = static_cast<std::uint32_t>(std::min<std::size_t>(caplen, room));
    std::byte* at = arena_.data() + used_;
    if (kept > 0) std::memcpy(at, src, kept);
    frame& f = (*out_)[count_++];
    f.data = bytes{at, kept};
    f.timestamp_ns = ts;
    f.original_len = std::max(len, kept);
    f.interface = setup_->ifindex;
    f.link = setup_->link;
    f.dir = direction::unknown;
    f.vlan_tpid = 0;
    f.vlan_tci = 0;
    f.comment = {};
    used_ += align16(kept);
    if (used_ > arena_.size() || arena_.size() - used_ < snap_ + frame_slack) {
        full_ = true;
        pcap_breakloop(h_.get());
    }
}

result<std::span<const frame>> pcap_rx::fetch(std::vector<frame>& frames, const rx_setup& s, timeout wait) {
    const deadline d(wait);
    for (;;) {
        used_ = 0;
        count_ = 0;
        full_ = false;
        out_ = &frames;
        setup_ = &s;
        const int cnt = static_cast<int>(std::min<std::size_t>(batch_, frames.size()));
        errno = 0;
        const int rc = pcap_dispatch(h_.get(), cnt, on_packet, reinterpret_cast<u_char*>(this));
        const int e = errno;
        if (count_ > 0) return std::span<const frame>{frames.data(), count_};
        if (rc == PCAP_ERROR) {
            // libpcap says why in its message only; errno is kept when it
            // still holds the system's reason (ENETDOWN, ...).
            return e != 0 ? from_errno(step::receive, e) : make_error(errc::io, step::receive);
        }
        if (wait.count() == 0 || d.passed()) return std::span<const frame>{};
        const auto ready = wait_readable(fd_, d);
        if (!ready) return ready.error();
        if (!*ready) return std::span<const frame>{};
    }
}

status pcap_rx::set_filter(const filter& f, const rx_setup& s, std::string* message) {
    return apply_filter(h_.get(), f, s.snaplen, message);
}

status pcap_rx::read_stats(rx_stats& total) {
    pcap_stat st{};
    if (pcap_stats(h_.get(), &st) != 0) return make_error(errc::io, step::statistics);
    // libpcap keeps the totals since the handle was activated; on Linux
    // ps_recv counts the frames the kernel stored and those it dropped.
    total.received = st.ps_recv >= st.ps_drop ? st.ps_recv - st.ps_drop : 0;
    total.dropped = st.ps_drop;
    return {};
}

// ---- send ----

pcap_tx::pcap_tx(pcap_handle h, std::uint32_t slot_size, std::uint32_t batch)
    : h_(std::move(h)), fd_(pcap_get_selectable_fd(h_.get())), slot_size_(slot_size), batch_(batch),
      stride_(align16(slot_size)), buffers_(stride_ * batch), offsets_(batch), lengths_(batch) {}

result<mut_bytes> pcap_tx::acquire(tx_setup& s, tx_stats& st, std::size_t len) {
    if (len > slot_size_) return make_error(errc::length_too_large, step::send, 0, slot_size_, len);
    if (count_ == batch_) {
        if (const status k = kick(s, st); !k && count_ == batch_) return k.error();
    }
    return mut_bytes{buffers_.data() + count_ * stride_, len};
}

status pcap_tx::commit(tx_setup& s, tx_stats& st, std::size_t offset, std::size_t len) {
    const std::byte* base = buffers_.data() + count_ * stride_ + offset;
    if (const status ok = check_frame(s, base, len); !ok) return ok;
    offsets_[count_] = static_cast<std::uint32_t>(offset);
    lengths_[count_] = static_cast<std::uint32_t>(len);
    ++count_;
    if (count_ >= s.batch || count_ == batch_) return kick(s, st);
    return {};
}

status pcap_tx::flush(tx_setup& s, tx_stats& st) {
    if (count_ == 0) return {};
    return kick(s, st);
}

status pcap_tx::kick(tx_setup& s, tx_stats& st) {
    status outcome{};
    const deadline d(s.send_timeout);
    if (fd_ >= 0) {
        // libpcap's socket is bound to the interface, so the kernel leaves it
        // an error (ENETDOWN) when the interface goes down, which the next
        // send would return even after the interface came back: clear it.
        // A device that is still down refuses the frame by itself.
        int pending = 0;
        socklen_t len = sizeof pending;
        (void)::getsockopt(fd_, SOL_SOCKET, SO_ERROR, &pending, &len);
    }
    std::uint8_t retries = 0;
    std::uint32_t i = 0;
    while (i < count_) {
        const std::byte* frame = buffers_.data() + i * stride_ + offsets_[i];
        errno = 0;
        const int r = pcap_inject(h_.get(), frame, lengths_[i]);
        const int e = errno;
        ++st.syscalls;
        if (r >= 0) {
            ++st.sent;
            ++i;
            retries = 0;
            continue;
        }
        if (e == EINTR) continue;
        if (transient_send_error(e) && retries < max_send_retries && !d.passed()) {
            // The device dropped it (ENOBUFS) or the socket buffer is full:
            // again after a wait, longer each time.
            nap_ms(1 << std::min<int>(retries, 6));
            ++retries;
            ++st.retried;
            continue;
        }
        if (transient_send_error(e)) {
            // Dropped every time: given up and counted (a drop is not an
            // error), unless the wait ran out.
            if (d.passed()) outcome = make_error(errc::no_room, step::send, e, 0, count_ - i);
            ++st.failed;
            ++i;
            retries = 0;
            continue;
        }
        outcome = e != 0 ? from_errno(step::send, e) : make_error(errc::io, step::send);
        if (e == ENETDOWN || e == ENXIO || e == ENODEV) {
            st.failed += count_ - i; // nothing more will go out
            break;
        }
        ++st.failed;
        ++i;
        retries = 0;
    }
    count_ = 0;
    return outcome;
}

// ---- open ----

result<receiver> open_pcap_receiver(const pcap_open_request& r, const config& c, std::string* detail) {
    if (c.layer == link_layer::cooked) {
        if (detail != nullptr) *detail = "libpcap offers no cooked mode on a single interface";
        return make_error(errc::unsupported, step::link_layer);
    }
    if (c.fanout.enabled) {
        if (detail != nullptr) *detail = "libpcap has no fanout groups";
        return make_error(errc::unsupported, step::fanout);
    }
    pcap_settings ps;
    ps.snaplen = static_cast<int>(c.snaplen);
    ps.promiscuous = c.promiscuous;
    ps.timeout_ms = static_cast<int>(c.block_timeout.count());
    ps.immediate = c.immediate;
    ps.buffer = pcap_buffer_size(c.socket_buffer);
    ps.hardware_timestamps = c.timestamps == timestamp_source::hardware;
    auto h = activate(r.interface, ps, detail);
    if (!h) return h.error();
    pcap_t* p = h->get();
    if (c.ignore_outgoing && pcap_setdirection(p, PCAP_D_IN) != 0) {
        if (detail != nullptr) *detail = pcap_geterr(p);
        return make_error(errc::unsupported, step::ignore_outgoing);
    }
    if (!c.filter.empty()) {
        if (const status s = apply_filter(p, c.filter, c.snaplen, detail); !s) return s.error();
    }
    char errbuf[PCAP_ERRBUF_SIZE] = {};
    if (pcap_setnonblock(p, 1, errbuf) != 0) {
        if (detail != nullptr) *detail = errbuf;
        return make_error(errc::io, step::socket_option);
    }
    const bool nano = pcap_get_tstamp_precision(p) == PCAP_TSTAMP_PRECISION_NANO;

    rx_setup setup;
    setup.link = r.link;
    setup.layer = link_layer::raw;
    setup.ifindex = r.ifindex;
    setup.snaplen = c.snaplen;
    setup.batch = c.socket_batch;
    setup.hardware_timestamps = ps.hardware_timestamps;
    std::vector<frame> frames(c.socket_batch);
    auto* impl = new rx_impl{setup, backend::pcap, pcap_rx(std::move(*h), c.socket_batch, nano), std::move(frames), {}};
    return rx_impl::wrap(impl);
}

result<sender> open_pcap_sender(const pcap_open_request& r, const config& c, std::string* detail) {
    if (c.qdisc_bypass) {
        if (detail != nullptr) *detail = "libpcap cannot bypass the qdisc layer";
        return make_error(errc::unsupported, step::qdisc_bypass);
    }
    // A handle that sends only: a short snaplen, a small buffer, no
    // promiscuous mode, and a filter that keeps nothing.
    pcap_settings ps;
    ps.snaplen = 64;
    ps.timeout_ms = 1000;
    ps.buffer = 64 * 1024;
    auto h = activate(r.interface, ps, detail);
    if (!h) return h.error();
    if (const status s = apply_filter(h->get(), filter{drop_program()}, 0, detail); !s) return s.error();
    const int fd = pcap_fileno(h->get());
    if (fd >= 0 && c.send_timeout.count() >= 0) {
        timeval tv{};
        tv.tv_sec = static_cast<time_t>(c.send_timeout.count() / 1000);
        tv.tv_usec = static_cast<suseconds_t>(c.send_timeout.count() % 1000 * 1000);
        if (tv.tv_sec == 0 && tv.tv_usec == 0) tv.tv_usec = 1; // 0 would mean "forever"
        (void)::setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
    }
    tx_setup setup;
    setup.link_header_len = r.link_header_len;
    setup.untagged_max = r.untagged_max;
    setup.ethernet = r.link == link_type::ethernet;
    setup.batch = c.tx_batch;
    setup.send_timeout = c.send_timeout;
    const std::uint32_t slot = setup.untagged_max + (setup.ethernet ? 4u : 0u);
    auto* impl = new tx_impl{std::move(setup), backend::pcap, pcap_tx(std::move(*h), slot, c.socket_batch), {}, false};
    return tx_impl::wrap(impl);
}

#else // no libpcap: the backend exists only to say so.

pcap_rx::pcap_rx(pcap_handle h, std::uint32_t batch, bool nano) : h_(std::move(h)), batch_(batch), nano_(nano) {}
void pcap_rx::on_frame(std::int64_t, std::int64_t, std::uint32_t, std::uint32_t, const unsigned char*) noexcept {}
result<std::span<const frame>> pcap_rx::fetch(std::vector<frame>&, const rx_setup&, timeout) {
    return make_error(errc::unsupported, step::config_backend);
}
status pcap_rx::set_filter(const filter&, const rx_setup&, std::string*) {
    return make_error(errc::unsupported, step::config_backend);
}
status pcap_rx::read_stats(rx_stats&) { return make_error(errc::unsupported, step::config_backend); }

pcap_tx::pcap_tx(pcap_handle h, std::uint32_t slot_size, std::uint32_t batch)
    : h_(std::move(h)), slot_size_(slot_size), batch_(batch) {}
result<mut_bytes> pcap_tx::acquire(tx_setup&, tx_stats&, std::size_t) {
    return make_error(errc::unsupported, step::config_backend);
}
status pcap_tx::commit(tx_setup&, tx_stats&, std::size_t, std::size_t) {
    return make_error(errc::unsupported, step::config_backend);
}
status pcap_tx::flush(tx_setup&, tx_stats&) { return {}; }
status pcap_tx::kick(tx_setup&, tx_stats&) { return {}; }

result<receiver> open_pcap_receiver(const pcap_open_request&, const config&, std::string* detail) {
    if (detail != nullptr) *detail = "rawpkt was built without libpcap";
    return make_error(errc::unsupported, step::config_backend);
}
result<sender> open_pcap_sender(const pcap_open_request&, const config&, std::string* detail) {
    if (detail != nullptr) *detail = "rawpkt was built without libpcap";
    return make_error(errc::unsupported, step::config_backend);
}

#endif

} // namespace rawpkt::datalink::detail
