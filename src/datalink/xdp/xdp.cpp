// SPDX-License-Identifier: BSD-3-Clause
// backend::xdp: AF_XDP sockets (Documentation/networking/af_xdp.rst) set up
// with libxdp's xsk API, and the XDP program (rawpkt_xdp.bpf.c, embedded)
// loaded with libbpf and attached through a bpf_link.
#include "../impl.hpp"
#include "ebpf_filter.hpp"
#include "rawpkt_xdp_meta.h"
#include "rawpkt_xdp_object.hpp"

#include <algorithm>
#include <cerrno>
#include <cstddef>
#include <cstring>
#include <string>
#include <utility>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <linux/ethtool.h>
#include <linux/if_link.h>
#include <linux/if_xdp.h>
#include <linux/sockios.h>
#include <net/if.h>
#include <poll.h>
#include <sys/epoll.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>
#include <xdp/xsk.h>

// Linux 6.6's if_xdp.h: multi-buffer AF_XDP.
#ifndef XDP_USE_SG
#define XDP_USE_SG (1 << 4)
#endif
#ifndef XDP_PKT_CONTD
#define XDP_PKT_CONTD (1 << 0)
#endif
#ifndef SO_PREFER_BUSY_POLL
#define SO_PREFER_BUSY_POLL 69
#endif
#ifndef SO_BUSY_POLL_BUDGET
#define SO_BUSY_POLL_BUDGET 70
#endif

namespace rawpkt::datalink {

bool has_xdp_backend() noexcept { return true; }

namespace detail {

namespace {

// One AF_XDP socket, with its own UMEM or sharing the first socket's.
// libxdp keeps pointers to the ring structs, so a socket never moves (held
// by unique_ptr).
struct xsk_queue {
    std::uint32_t queue = 0;
    // The UMEM's memory: owned by the socket that created the UMEM.
    mapping area;
    std::byte* base = nullptr;
    // This socket's frames start at this frame index of the UMEM.
    std::uint32_t first_frame = 0;
    xsk_umem* umem = nullptr;
    bool owns_umem = false;
    xsk_socket* xsk = nullptr;
    xsk_ring_prod fill{};
    xsk_ring_cons comp{};
    xsk_ring_cons rx{};
    xsk_ring_prod tx{};
    int fd = -1;

    xsk_queue() = default;
    xsk_queue(const xsk_queue&) = delete;
    xsk_queue& operator=(const xsk_queue&) = delete;
    ~xsk_queue() {
        if (xsk != nullptr) xsk_socket__delete(xsk);
        if (umem != nullptr && owns_umem) (void)xsk_umem__delete(umem);
    }
};

} // namespace

struct xdp_port {
    std::vector<std::unique_ptr<xsk_queue>> sockets;
    std::uint32_t ifindex = 0;
    std::uint32_t frame_size = 0;
    std::uint32_t rx_frames = 0;
    std::uint32_t batch = 0;
    bool zero_copy = false;
    bool native = false;
    bool need_wakeup = false;
    bool busy_poll = false;
    bool shared_umem = false;
    bool multi_buffer = false;
    std::uint32_t program_id = 0;
    // CLOCK_REALTIME minus CLOCK_TAI, read at open(): turns the program's
    // time stamps into the ring backend's clock.
    std::int64_t tai_to_realtime = 0;

    // The program: loaded here (object), or the one another channel put on
    // the interface (joined_maps hold its maps). The link holds it on the
    // interface: every channel that uses it has a descriptor of the link,
    // and the kernel detaches it when the last one goes.
    bpf_object* object = nullptr;
    unique_fd joined_maps[2];
    int xsks_map = -1;
    int filter_map = -1;
    unique_fd filter_prog;
    unique_fd link;
    // Readable when any socket is (several queues).
    unique_fd epoll;

    // Receive side: the frames of the last batch, given back at the next
    // receive call, and the socket they came from.
    std::vector<std::uint64_t> held;
    // Frames of several buffers, joined (multi_buffer): one per frame of
    // the batch that needed it.
    std::vector<std::vector<std::byte>> joined;
    std::size_t held_socket = 0;
    std::size_t next_socket = 0;
    std::uint64_t received = 0;

    // Send side (the first socket): free TX frames, frames in flight, frames
    // in the TX ring the kernel was not woken up for yet.
    std::vector<std::uint64_t> free_tx;
    std::uint32_t in_flight = 0;
    std::uint32_t unkicked = 0;
    std::uint32_t tx_batch = 64;

    xdp_port() = default;
    xdp_port(const xdp_port&) = delete;
    xdp_port& operator=(const xdp_port&) = delete;
    ~xdp_port() {
        // This channel's queues leave the maps of a program that other
        // channels may go on using (a socket leaves the XSKMAP when it
        // closes anyway; its filter would stay).
        if (filter_map >= 0 && xsks_map >= 0) {
            for (const auto& s : sockets) {
                (void)bpf_map_delete_elem(filter_map, &s->queue);
                (void)bpf_map_delete_elem(xsks_map, &s->queue);
            }
        }
        // Then the link: the program leaves the interface (when this was its
        // last channel) before the sockets it redirects to go away.
        link = unique_fd{};
        filter_prog = unique_fd{};
        // The socket that owns a shared UMEM goes last.
        while (!sockets.empty()) sockets.pop_back();
        if (object != nullptr) bpf_object__close(object);
    }
};

namespace {

// libbpf's options structs: zeroed, with their size set (what the
// LIBBPF_OPTS macro does, without its C extensions).
template <class Opts>
Opts libbpf_opts() noexcept {
    Opts o{};
    o.sz = sizeof o;
    return o;
}

// libbpf and libxdp return -errno (and libbpf sets errno too).
int errno_of(int rc) noexcept { return rc < 0 ? -rc : (errno != 0 ? errno : EINVAL); }

// The interface's receive queues: ETHTOOL_GCHANNELS, 1 when the driver
// does not say.
std::uint32_t queue_count(const interface_info& iface) {
    unique_fd fd(::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0));
    if (fd.get() < 0) return 1;
    ethtool_channels ch{};
    ch.cmd = ETHTOOL_GCHANNELS;
    ifreq ifr{};
    std::strncpy(ifr.ifr_name, iface.name.c_str(), IFNAMSIZ - 1);
    ifr.ifr_data = reinterpret_cast<char*>(&ch);
    if (::ioctl(fd.get(), SIOCETHTOOL, &ifr) != 0) return 1;
    const std::uint32_t n = std::max(ch.rx_count, ch.combined_count);
    return n == 0 ? 1 : n;
}

// Loads the embedded program, with an XSKMAP large enough for `entries`
// queues.
status load_program(xdp_port& p, std::uint32_t entries) {
    auto opts = libbpf_opts<bpf_object_open_opts>();
    opts.object_name = "rawpkt_xdp";
    bpf_object* obj = bpf_object__open_mem(xdp_object, xdp_object_size, &opts);
    if (obj == nullptr) return from_errno(step::xdp_program, errno);
    p.object = obj;
    bpf_map* xsks = bpf_object__find_map_by_name(obj, "rawpkt_xsks");
    bpf_map* filters = bpf_object__find_map_by_name(obj, "rawpkt_filter");
    if (xsks == nullptr || filters == nullptr) return make_error(errc::io, step::xdp_program, ENOENT);
    for (bpf_map* m : {xsks, filters}) {
        if (const int rc = bpf_map__set_max_entries(m, entries); rc != 0) {
            return from_errno(step::xdp_program, errno_of(rc));
        }
    }
    if (const int rc = bpf_object__load(obj); rc != 0) return from_errno(step::xdp_program, errno_of(rc));
    p.xsks_map = bpf_map__fd(xsks);
    p.filter_map = bpf_object__find_map_fd_by_name(obj, "rawpkt_filter");
    if (p.xsks_map < 0 || p.filter_map < 0) return make_error(errc::io, step::xdp_program, ENOENT);
    return {};
}

// The classic program a filter stands for (empty: none).
result<std::vector<bpf_instruction>> classic_program(const filter& f, link_type link, std::uint32_t snaplen,
                                                     std::string* message) {
    if (f.empty()) return std::vector<bpf_instruction>{};
    if (f.is_program()) return f.program();
    return compile_filter(f.expression(), link, snaplen, message);
}

// Translates and loads a filter as an XDP program; the verifier's log goes
// into *message when the kernel refuses it.
result<unique_fd> load_filter(const std::vector<bpf_instruction>& classic, const xdp_accept& accept,
                              std::string* message) {
    const auto code = translate_filter(classic, accept);
    if (!code) return code.error();
    std::string log(message != nullptr ? 64 * 1024 : 0, '\0');
    auto opts = libbpf_opts<bpf_prog_load_opts>();
    opts.expected_attach_type = BPF_XDP;
    // As the program that tail-calls it (a prog array holds programs that
    // agree on frags).
    opts.prog_flags = BPF_F_XDP_HAS_FRAGS;
    if (!log.empty()) {
        opts.log_buf = log.data();
        opts.log_size = static_cast<__u32>(log.size());
        opts.log_level = 1;
    }
    const int fd = bpf_prog_load(BPF_PROG_TYPE_XDP, "rawpkt_filter", "Dual BSD/GPL", code->data(), code->size(), &opts);
    if (fd < 0) {
        const int e = errno;
        if (message != nullptr) *message = log.c_str();
        error err = from_errno(step::xdp_program, e);
        if (err.code != errc::permission) err = make_error(errc::bad_value, step::xdp_filter, e);
        return err;
    }
    return unique_fd(fd);
}

// Frames of one socket's share of the UMEM: RX frames, and TX frames for
// the first socket (the only one that sends).
std::uint32_t frames_of(const config& c, bool first) noexcept {
    return (c.receive ? c.xdp.rx_size : 0) + (c.send && first ? c.xdp.tx_size : 0);
}

// Creates the socket of one queue: with a UMEM of its own (or the first of
// a shared one, sized for `umem_sockets` sockets), in the copy mode asked
// for (automatic: zero-copy, then copy); or, given `shared`, on that
// socket's UMEM, with fill and completion rings of its own (the copy mode
// is the first socket's).
// `sends`: the socket the sender uses (the first), which gets a TX ring.
status open_socket(xsk_queue& q, const interface_info& iface, const config& c, std::size_t umem_sockets,
                   xsk_queue* shared, bool sends, bool& zero_copy) {
    const xdp_config& x = c.xdp;
    const bool first = shared == nullptr;
    const std::uint32_t rx_frames = c.receive ? x.rx_size : 0;
    const std::uint32_t tx_frames = c.send && sends ? x.tx_size : 0;
    if (first) {
        const std::size_t total = frames_of(c, sends) + (umem_sockets - 1) * std::size_t{frames_of(c, false)};
        const std::size_t bytes = total * x.frame_size;
        void* area = ::mmap(nullptr, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (area == MAP_FAILED) return from_errno(step::xdp_socket, errno);
        q.area = mapping(static_cast<std::byte*>(area), bytes);
        q.base = q.area.data();
    } else {
        q.base = shared->base;
        q.umem = shared->umem;
    }

    const xdp_copy modes[2] = {x.copy == xdp_copy::copy ? xdp_copy::copy : xdp_copy::zero_copy, xdp_copy::copy};
    const int tries = x.copy == xdp_copy::automatic && first ? 2 : 1;
    int last = 0;
    const deadline busy_wait(timeout{1000});
    for (int t = 0; t < tries; ++t) {
        xsk_umem_config ucfg{};
        // Both rings must exist; an unused one stays small.
        ucfg.fill_size = std::max<std::uint32_t>(rx_frames, 64);
        ucfg.comp_size = std::max<std::uint32_t>(tx_frames, 64);
        ucfg.frame_size = x.frame_size;
        ucfg.frame_headroom = 0;
        if (first) {
            if (const int rc = xsk_umem__create(&q.umem, q.base, q.area.size(), &q.fill, &q.comp, &ucfg); rc != 0) {
                return from_errno(step::xdp_socket, errno_of(rc));
            }
            q.owns_umem = true;
        }
        xsk_socket_config scfg{};
        scfg.rx_size = rx_frames;
        scfg.tx_size = tx_frames;
        scfg.libxdp_flags = XSK_LIBXDP_FLAGS__INHIBIT_PROG_LOAD;
        scfg.bind_flags = static_cast<__u16>((x.need_wakeup ? XDP_USE_NEED_WAKEUP : 0) |
                                             (x.multi_buffer && c.receive ? XDP_USE_SG : 0) |
                                             (modes[t] == xdp_copy::zero_copy ? XDP_ZEROCOPY : XDP_COPY));
        xsk_ring_cons* rx = c.receive ? &q.rx : nullptr;
        xsk_ring_prod* tx = tx_frames != 0 ? &q.tx : nullptr;
        const int rc = first ? xsk_socket__create(&q.xsk, iface.name.c_str(), q.queue, q.umem, rx, tx, &scfg)
                             : xsk_socket__create_shared(&q.xsk, iface.name.c_str(), q.queue, q.umem, rx, tx, &q.fill,
                                                         &q.comp, &scfg);
        if (rc == 0) {
            q.fd = xsk_socket__fd(q.xsk);
            xdp_options opt{};
            socklen_t len = sizeof opt;
            zero_copy =
                ::getsockopt(q.fd, SOL_XDP, XDP_OPTIONS, &opt, &len) == 0 && (opt.flags & XDP_OPTIONS_ZEROCOPY) != 0;
            return {};
        }
        last = errno_of(rc);
        q.xsk = nullptr;
        if (first) {
            (void)xsk_umem__delete(q.umem);
            q.umem = nullptr;
            q.owns_umem = false;
        }
        // The kernel releases a closed socket's hold on its queue a little
        // later (deferred work): a queue that was just closed reads busy.
        if (last == EBUSY && !busy_wait.passed()) {
            nap_ms(10);
            --t;
            continue;
        }
        if (last == EAFNOSUPPORT || last == EPERM || last == EBUSY) break;
    }
    error e = from_errno(step::xdp_socket, last);
    // A driver without zero-copy says EOPNOTSUPP or EINVAL to XDP_ZEROCOPY.
    if (x.copy == xdp_copy::zero_copy && (last == EOPNOTSUPP || last == EINVAL)) e.code = errc::unsupported;
    e.available = q.queue;
    return e;
}

status busy_poll_options(int fd, const xdp_config& x) {
    const int on = 1;
    const int usecs = static_cast<int>(x.busy_poll_usecs);
    const int budget = static_cast<int>(x.busy_poll_budget);
    if (::setsockopt(fd, SOL_SOCKET, SO_PREFER_BUSY_POLL, &on, sizeof on) != 0 ||
        ::setsockopt(fd, SOL_SOCKET, SO_BUSY_POLL, &usecs, sizeof usecs) != 0 ||
        ::setsockopt(fd, SOL_SOCKET, SO_BUSY_POLL_BUDGET, &budget, sizeof budget) != 0) {
        return from_errno(step::socket_option, errno);
    }
    return {};
}

// Attaches the loaded program through a bpf_link: native, generic, or
// native then generic. Returns 0 or the errno of the first refusal.
int attach(xdp_port& p, const config& c) {
    bpf_program* prog = bpf_object__find_program_by_name(p.object, "rawpkt_xdp");
    if (prog == nullptr) return ENOENT;
    const int prog_fd = bpf_program__fd(prog);
    const bool try_native = c.xdp.attach != xdp_attach::generic;
    const bool try_generic = c.xdp.attach != xdp_attach::native;
    int first = 0;
    for (const bool native : {true, false}) {
        if ((native && !try_native) || (!native && !try_generic)) continue;
        auto opts = libbpf_opts<bpf_link_create_opts>();
        opts.flags = native ? XDP_FLAGS_DRV_MODE : XDP_FLAGS_SKB_MODE;
        const int fd = bpf_link_create(prog_fd, static_cast<int>(p.ifindex), BPF_XDP, &opts);
        if (fd >= 0) {
            p.link = unique_fd(fd);
            p.native = native;
            bpf_prog_info info{};
            __u32 len = sizeof info;
            if (bpf_obj_get_info_by_fd(prog_fd, &info, &len) == 0) p.program_id = info.id;
            return 0;
        }
        const int e = errno;
        if (first == 0) first = e;
        // Another program, or no right to attach: generic mode will not help.
        if (e == EBUSY || e == EEXIST || e == EPERM) break;
    }
    return first;
}

// What joining the program on an interface came to.
enum class joined : std::uint8_t {
    yes,
    gone,    // it went away meanwhile (its last channel closed): attach anew
    foreign, // not rawpkt's, not attached through a bpf_link, or too small
};

// Takes a share of the rawpkt program `id` that is on the interface: a
// descriptor of its bpf_link (found among the kernel's links by program
// and interface), which keeps it attached while this channel lives, and
// descriptors of its two maps, which must have room for `entries` queues.
result<joined> join(xdp_port& p, std::uint32_t id, std::uint32_t entries) {
    const unique_fd prog(bpf_prog_get_fd_by_id(id));
    if (prog.get() < 0) {
        if (errno == ENOENT) return joined::gone;
        return from_errno(step::xdp_program, errno);
    }
    __u32 map_ids[4] = {};
    bpf_prog_info info{};
    info.nr_map_ids = 4;
    info.map_ids = reinterpret_cast<std::uintptr_t>(map_ids);
    __u32 len = sizeof info;
    if (bpf_obj_get_info_by_fd(prog.get(), &info, &len) != 0) return from_errno(step::xdp_program, errno);
    if (std::strncmp(info.name, "rawpkt_xdp", sizeof info.name) != 0 || info.nr_map_ids > 4) return joined::foreign;
    unique_fd maps[2];
    for (__u32 i = 0; i < info.nr_map_ids; ++i) {
        unique_fd m(bpf_map_get_fd_by_id(map_ids[i]));
        if (m.get() < 0) continue;
        bpf_map_info mi{};
        __u32 mlen = sizeof mi;
        if (bpf_obj_get_info_by_fd(m.get(), &mi, &mlen) != 0 || mi.max_entries < entries) continue;
        if (mi.type == BPF_MAP_TYPE_XSKMAP && std::strncmp(mi.name, "rawpkt_xsks", sizeof mi.name) == 0) {
            maps[0] = std::move(m);
        } else if (mi.type == BPF_MAP_TYPE_PROG_ARRAY && std::strncmp(mi.name, "rawpkt_filter", sizeof mi.name) == 0) {
            maps[1] = std::move(m);
        }
    }
    if (maps[0].get() < 0 || maps[1].get() < 0) return joined::foreign;
    // Link ids are global (every namespace): the program id ties the link
    // to this interface.
    __u32 link_id = 0;
    while (bpf_link_get_next_id(link_id, &link_id) == 0) {
        unique_fd l(bpf_link_get_fd_by_id(link_id));
        if (l.get() < 0) continue;
        bpf_link_info li{};
        __u32 llen = sizeof li;
        if (bpf_obj_get_info_by_fd(l.get(), &li, &llen) != 0) continue;
        if (li.type != BPF_LINK_TYPE_XDP || li.prog_id != id || li.xdp.ifindex != p.ifindex) continue;
        p.link = std::move(l);
        p.program_id = id;
        p.joined_maps[0] = std::move(maps[0]);
        p.joined_maps[1] = std::move(maps[1]);
        p.xsks_map = p.joined_maps[0].get();
        p.filter_map = p.joined_maps[1].get();
        return joined::yes;
    }
    // A rawpkt program attached without a link (by ip link, say) is not
    // shared: nothing would say when to take it off.
    return joined::foreign;
}

// Puts rawpkt's program on the interface, or joins the one that is there
// (another channel's, in this process or another). Several tries: between
// the query and the attach or join, another channel may attach first or
// close the last share.
status use_program(xdp_port& p, const config& c, std::uint32_t entries) {
    int refused = EBUSY;
    for (int attempt = 0; attempt < 8; ++attempt) {
        auto q = libbpf_opts<bpf_xdp_query_opts>();
        if (const int rc = bpf_xdp_query(static_cast<int>(p.ifindex), 0, &q); rc != 0) {
            return from_errno(step::xdp_attach, errno_of(rc));
        }
        if (q.attach_mode == XDP_ATTACHED_NONE) {
            if (p.object == nullptr) {
                if (const status s = load_program(p, entries); !s) return s;
            }
            refused = attach(p, c);
            if (refused == 0) return {};
            if (refused != EBUSY && refused != EEXIST) break;
            continue;
        }
        refused = EBUSY;
        // Joined only in the mode asked for (native, generic).
        const bool native = q.attach_mode == XDP_ATTACHED_DRV;
        const bool generic = q.attach_mode == XDP_ATTACHED_SKB;
        if ((!native && !generic) || (native && c.xdp.attach == xdp_attach::generic) ||
            (generic && c.xdp.attach == xdp_attach::native)) {
            break;
        }
        const auto j = join(p, native ? q.drv_prog_id : q.skb_prog_id, entries);
        if (!j) return j.error();
        if (*j == joined::yes) {
            p.native = native;
            return {};
        }
        if (*j == joined::foreign) break;
    }
    return from_errno(step::xdp_attach, refused);
}

// Puts the filter program (or none: -1) into the filter map at `queue`.
status set_queue_filter(const xdp_port& p, std::uint32_t queue, int prog_fd) {
    if (prog_fd < 0) {
        if (bpf_map_delete_elem(p.filter_map, &queue) != 0 && errno != ENOENT) {
            return from_errno(step::xdp_filter, errno);
        }
        return {};
    }
    if (bpf_map_update_elem(p.filter_map, &queue, &prog_fd, BPF_ANY) != 0) return from_errno(step::xdp_filter, errno);
    return {};
}

// CLOCK_REALTIME - CLOCK_TAI, from a TAI reading between two of realtime.
std::int64_t tai_offset() noexcept {
    const std::int64_t before = realtime_ns();
    timespec ts{};
    ::clock_gettime(CLOCK_TAI, &ts);
    const std::int64_t after = realtime_ns();
    return before + (after - before) / 2 - (std::int64_t{ts.tv_sec} * 1000000000 + ts.tv_nsec);
}

error with_queue(error e, std::uint32_t queue) noexcept {
    e.available = queue;
    return e;
}

} // namespace

result<xdp_channel> open_xdp(const interface_info& iface, const config& c, link_type link, std::string* detail) {
    if (c.layer != link_layer::raw) return make_error(errc::unsupported, step::link_layer);
    if (c.fanout.enabled) return make_error(errc::unsupported, step::fanout);
    if (c.qdisc_bypass) return make_error(errc::unsupported, step::qdisc_bypass);
    if (c.timestamps == timestamp_source::hardware) return make_error(errc::unsupported, step::timestamping);

    const std::uint32_t count = queue_count(iface);
    std::vector<std::uint32_t> queues;
    if (c.xdp.queue == all_queues) {
        for (std::uint32_t q = 0; q < count; ++q) queues.push_back(q);
    } else if (c.xdp.queue >= count) {
        return make_error(errc::bad_value, step::xdp_queue, 0, count, c.xdp.queue);
    } else {
        queues.push_back(c.xdp.queue);
    }
    // Only the first queue sends.
    if (!c.receive) queues.resize(1);

    auto port = std::make_shared<xdp_port>();
    port->ifindex = iface.index;
    port->frame_size = c.xdp.frame_size;
    port->rx_frames = c.receive ? c.xdp.rx_size : 0;
    port->batch = c.xdp.batch;
    port->need_wakeup = c.xdp.need_wakeup;
    port->busy_poll = c.xdp.busy_poll;
    port->shared_umem = c.xdp.shared_umem;
    port->multi_buffer = c.xdp.multi_buffer && c.receive;
    port->tx_batch = c.tx_batch;

    port->tai_to_realtime = tai_offset();

    // The filter first (it fails on its own), then the program goes on the
    // interface (or this channel joins the one there), so that an
    // interface that refuses it fails before any socket is bound. Until a
    // queue's socket is in the XSKMAP its frames go on to the stack.
    if (c.receive) {
        if (const status s = use_program(*port, c, std::max(count, queues.back() + 1)); !s) return s.error();
        const auto classic = classic_program(c.filter, link, c.snaplen, detail);
        if (!classic) return classic.error();
        if (!classic->empty()) {
            auto prog = load_filter(*classic, xdp_accept{port->xsks_map, XDP_TX}, detail);
            if (!prog) return prog.error();
            port->filter_prog = std::move(*prog);
        }
    }
    bool all_zero_copy = true;
    const std::size_t umem_sockets = c.xdp.shared_umem ? queues.size() : 1;
    std::uint32_t next_frame = 0;
    for (const std::uint32_t q : queues) {
        auto sock = std::make_unique<xsk_queue>();
        sock->queue = q;
        const bool first = port->sockets.empty();
        xsk_queue* shared = c.xdp.shared_umem && !first ? port->sockets.front().get() : nullptr;
        sock->first_frame = shared != nullptr ? next_frame : 0;
        bool zc = false;
        if (const status s = open_socket(*sock, iface, c, umem_sockets, shared, first, zc); !s) return s.error();
        // Bound: the queue is this channel's, and so are its map slots.
        port->sockets.push_back(std::move(sock));
        xsk_queue& qs = *port->sockets.back();
        next_frame = qs.first_frame + frames_of(c, first);
        all_zero_copy = all_zero_copy && zc;
        if (c.xdp.busy_poll) {
            if (const status s = busy_poll_options(qs.fd, c.xdp); !s) return s.error();
        }
        if (c.receive) {
            // Every RX frame goes to the fill ring: the kernel receives into them.
            std::uint32_t idx = 0;
            if (xsk_ring_prod__reserve(&qs.fill, port->rx_frames, &idx) != port->rx_frames) {
                return with_queue(make_error(errc::no_room, step::xdp_socket), q);
            }
            for (std::uint32_t i = 0; i < port->rx_frames; ++i) {
                *xsk_ring_prod__fill_addr(&qs.fill, idx + i) = std::uint64_t{qs.first_frame + i} * port->frame_size;
            }
            xsk_ring_prod__submit(&qs.fill, port->rx_frames);
            // The queue's filter (or none: a channel that had the queue
            // before may have died with its filter in the slot), then the
            // socket.
            if (const status s = set_queue_filter(*port, q, port->filter_prog.get()); !s) return s.error();
            const int fd = qs.fd;
            if (bpf_map_update_elem(port->xsks_map, &q, &fd, BPF_ANY) != 0) {
                return with_queue(from_errno(step::xdp_socket, errno), q);
            }
        }
    }
    port->zero_copy = all_zero_copy;
    if (c.send) {
        const std::uint32_t first = port->sockets.front()->first_frame + port->rx_frames;
        for (std::uint32_t i = c.xdp.tx_size; i-- > 0;) {
            port->free_tx.push_back(std::uint64_t{first + i} * port->frame_size);
        }
    }
    if (port->sockets.size() > 1) {
        port->epoll = unique_fd(::epoll_create1(EPOLL_CLOEXEC));
        if (port->epoll.get() < 0) return from_errno(step::socket_option, errno);
        for (const auto& s : port->sockets) {
            epoll_event ev{};
            ev.events = EPOLLIN;
            ev.data.fd = s->fd;
            if (::epoll_ctl(port->epoll.get(), EPOLL_CTL_ADD, s->fd, &ev) != 0) {
                return from_errno(step::socket_option, errno);
            }
        }
    }

    xdp_channel ch;
    if (c.receive) {
        rx_setup setup;
        setup.link = link;
        setup.layer = c.layer;
        setup.ifindex = iface.index;
        setup.snaplen = c.snaplen;
        setup.batch = c.xdp.batch;
        // What every frame of this receiver has in common, set once.
        frame common;
        common.interface = iface.index;
        common.link = link;
        common.dir = direction::inbound;
        std::vector<frame> frames(c.xdp.batch, common);
        port->held.reserve(c.xdp.batch);
        if (port->multi_buffer) port->joined.resize(c.xdp.batch);
        ch.rx = rx_impl::wrap(new rx_impl{setup, backend::xdp, xdp_rx(port), std::move(frames), {}});
    }
    if (c.send) {
        tx_setup setup;
        setup.link_header_len = link == link_type::ethernet ? 14 : 0;
        setup.untagged_max = iface.mtu + setup.link_header_len;
        setup.ethernet = link == link_type::ethernet;
        setup.batch = c.tx_batch;
        setup.send_timeout = c.send_timeout;
        ch.tx = tx_impl::wrap(new tx_impl{std::move(setup), backend::xdp, xdp_tx(port), {}, false});
    }
    return ch;
}

xdp_info info_of(const xdp_port& p) {
    xdp_info i;
    for (const auto& s : p.sockets) i.queues.push_back(s->queue);
    i.zero_copy = p.zero_copy;
    i.native = p.native;
    i.program_id = p.link.get() >= 0 ? p.program_id : 0;
    i.need_wakeup = p.need_wakeup;
    i.busy_poll = p.busy_poll;
    i.shared_umem = p.shared_umem && p.sockets.size() > 1;
    i.multi_buffer = p.multi_buffer;
    return i;
}

// ---- receive ----

xdp_rx::xdp_rx(std::shared_ptr<xdp_port> port) noexcept : port_(std::move(port)) {}

int xdp_rx::fd() const noexcept { return port_->epoll.get() >= 0 ? port_->epoll.get() : port_->sockets[0]->fd; }

namespace {

// The frames of the last batch go back to the fill ring. It has room for
// every RX frame, so the reservation cannot fail.
void give_back(xdp_port& p) noexcept {
    if (p.held.empty()) return;
    xsk_queue& q = *p.sockets[p.held_socket];
    const auto n = static_cast<std::uint32_t>(p.held.size());
    std::uint32_t idx = 0;
    if (xsk_ring_prod__reserve(&q.fill, n, &idx) == n) {
        for (std::uint32_t i = 0; i < n; ++i) *xsk_ring_prod__fill_addr(&q.fill, idx + i) = p.held[i];
        xsk_ring_prod__submit(&q.fill, n);
    }
    p.held.clear();
}

// The buffers of one frame at most (multi_buffer): the kernel's
// MAX_SKB_FRAGS (17) and the first.
constexpr std::uint32_t max_buffers = 18;

// Wakes a driver that waits for fill-ring entries (need-wakeup mode).
void wake_fill(const xsk_queue& q, bool need_wakeup) noexcept {
    if (need_wakeup && xsk_ring_prod__needs_wakeup(&q.fill)) {
        (void)::recvfrom(q.fd, nullptr, 0, MSG_DONTWAIT, nullptr, nullptr);
    }
}

} // namespace

result<std::span<const frame>> xdp_rx::fetch(std::vector<frame>& frames, const rx_setup& s, timeout wait) {
    xdp_port& p = *port_;
    give_back(p);
    const deadline d(wait);
    const std::size_t n_sockets = p.sockets.size();
    for (;;) {
        for (std::size_t k = 0; k < n_sockets; ++k) {
            const std::size_t at = (p.next_socket + k) % n_sockets;
            xsk_queue& q = *p.sockets[at];
            std::uint32_t idx = 0;
            // Room for the buffers of one more frame past the batch: a batch
            // of multi-buffer frames ends on a whole frame.
            const std::uint32_t n = xsk_ring_cons__peek(&q.rx, p.batch + (p.multi_buffer ? max_buffers : 0), &idx);
            if (n == 0) {
                wake_fill(q, p.need_wakeup);
                continue;
            }
            std::int64_t now = 0;
            std::uint32_t used = 0, out = 0;
            while (used < n && out < p.batch) {
                const xdp_desc* desc = xsk_ring_cons__rx_desc(&q.rx, idx + used);
                // A frame of several buffers: all but the last say CONTD.
                std::uint32_t parts = 1;
                std::uint32_t len = desc->len;
                while ((xsk_ring_cons__rx_desc(&q.rx, idx + used + parts - 1)->options & XDP_PKT_CONTD) != 0 &&
                       used + parts < n) {
                    len += xsk_ring_cons__rx_desc(&q.rx, idx + used + parts)->len;
                    ++parts;
                }
                // Its last buffer is not in the ring yet: next call.
                if ((xsk_ring_cons__rx_desc(&q.rx, idx + used + parts - 1)->options & XDP_PKT_CONTD) != 0) break;
                frame& f = frames[out];
                std::byte* const data = q.base + desc->addr;
                const std::uint32_t caplen = std::min(len, s.snaplen);
                if (parts == 1) {
                    // The other fields were set once at open().
                    f.data = bytes{data, caplen};
                } else {
                    std::vector<std::byte>& joined = p.joined[out];
                    joined.resize(caplen);
                    std::uint32_t at_byte = 0;
                    for (std::uint32_t b = 0; b < parts && at_byte < caplen; ++b) {
                        const xdp_desc* part = xsk_ring_cons__rx_desc(&q.rx, idx + used + b);
                        const std::uint32_t take = std::min(part->len, caplen - at_byte);
                        std::memcpy(joined.data() + at_byte, q.base + part->addr, take);
                        at_byte += take;
                    }
                    f.data = bytes{joined.data(), caplen};
                }
                // The program's time stamp in front of the frame (inside the
                // UMEM frame's headroom); the receiver's clock without one.
                rawpkt_xdp_meta meta{};
                if (desc->addr % p.frame_size >= sizeof meta) std::memcpy(&meta, data - sizeof meta, sizeof meta);
                if (meta.magic == RAWPKT_XDP_META_MAGIC) {
                    f.timestamp_ns = static_cast<std::int64_t>(meta.tai_ns) + p.tai_to_realtime;
                    // Cleared: the UMEM frame comes back with the next frame
                    // in, and a stale time stamp must not pass for its own.
                    std::memset(data - sizeof meta + offsetof(rawpkt_xdp_meta, magic), 0, sizeof meta.magic);
                } else {
                    if (now == 0) now = realtime_ns();
                    f.timestamp_ns = now;
                }
                f.original_len = len;
                for (std::uint32_t b = 0; b < parts; ++b) {
                    p.held.push_back(xsk_ring_cons__rx_desc(&q.rx, idx + used + b)->addr);
                }
                used += parts;
                ++out;
            }
            // What was peeked and not taken stays in the ring.
            if (used < n) xsk_ring_cons__cancel(&q.rx, n - used);
            if (used == 0) continue;
            xsk_ring_cons__release(&q.rx, used);
            p.held_socket = at;
            p.next_socket = (at + 1) % n_sockets;
            p.received += out;
            return std::span<const frame>{frames.data(), out};
        }
        if (wait.count() == 0 || d.passed()) return std::span<const frame>{};
        if (p.epoll.get() >= 0) {
            epoll_event ev{};
            const int rc = ::epoll_wait(p.epoll.get(), &ev, 1, d.poll_ms());
            if (rc < 0 && errno != EINTR) return from_errno(step::receive, errno);
            if (rc <= 0) return std::span<const frame>{};
        } else {
            const auto ready = wait_readable(p.sockets[0]->fd, d);
            if (!ready) return ready.error();
            if (!*ready) return std::span<const frame>{};
        }
    }
}

void xdp_rx::drain() noexcept {
    xdp_port& p = *port_;
    give_back(p);
    for (std::size_t at = 0; at < p.sockets.size(); ++at) {
        xsk_queue& q = *p.sockets[at];
        std::uint32_t idx = 0;
        while (const std::uint32_t n = xsk_ring_cons__peek(&q.rx, p.batch, &idx)) {
            for (std::uint32_t i = 0; i < n; ++i) p.held.push_back(xsk_ring_cons__rx_desc(&q.rx, idx + i)->addr);
            xsk_ring_cons__release(&q.rx, n);
            p.held_socket = at;
            give_back(p);
        }
    }
}

status xdp_rx::set_filter(const filter& f, const rx_setup& s, std::string* message) {
    xdp_port& p = *port_;
    const auto classic = classic_program(f, s.link, s.snaplen, message);
    if (!classic) return classic.error();
    unique_fd prog;
    if (!classic->empty()) {
        auto loaded = load_filter(*classic, xdp_accept{p.xsks_map, XDP_TX}, message);
        if (!loaded) return loaded.error();
        prog = std::move(*loaded);
    }
    for (const auto& q : p.sockets) {
        if (const status st = set_queue_filter(p, q->queue, prog.get()); !st) return st;
    }
    p.filter_prog = std::move(prog);
    drain();
    return {};
}

status xdp_rx::read_stats(rx_stats& total) {
    std::uint64_t dropped = 0;
    for (const auto& q : port_->sockets) {
        xdp_statistics st{};
        socklen_t len = sizeof st;
        if (::getsockopt(q->fd, SOL_XDP, XDP_STATISTICS, &st, &len) != 0) return from_errno(step::statistics, errno);
        dropped += st.rx_dropped + st.rx_ring_full;
    }
    // The kernel's counters are cumulative: the totals are set, not added.
    total.received = port_->received;
    total.dropped = dropped;
    total.freezes = 0;
    return {};
}

// ---- send ----

xdp_tx::xdp_tx(std::shared_ptr<xdp_port> port) noexcept : port_(std::move(port)) {}

int xdp_tx::fd(const tx_setup&) const noexcept { return port_->sockets[0]->fd; }
std::size_t xdp_tx::max_frame_len() const noexcept { return port_->frame_size; }
std::uint64_t xdp_tx::queued() const noexcept { return port_->in_flight; }

void xdp_tx::reclaim(tx_stats& st) noexcept {
    xdp_port& p = *port_;
    xsk_queue& q = *p.sockets[0];
    std::uint32_t idx = 0;
    const std::uint32_t n = xsk_ring_cons__peek(&q.comp, p.in_flight, &idx);
    if (n == 0) return;
    const std::uint64_t base_mask = ~std::uint64_t{p.frame_size - 1};
    for (std::uint32_t i = 0; i < n; ++i) p.free_tx.push_back(*xsk_ring_cons__comp_addr(&q.comp, idx + i) & base_mask);
    xsk_ring_cons__release(&q.comp, n);
    p.in_flight -= n;
    st.sent += n;
}

status xdp_tx::kick(tx_stats& st) {
    xdp_port& p = *port_;
    xsk_queue& q = *p.sockets[0];
    p.unkicked = 0;
    if (p.need_wakeup && !xsk_ring_prod__needs_wakeup(&q.tx)) return {};
    ++st.syscalls;
    if (::sendto(q.fd, nullptr, 0, MSG_DONTWAIT, nullptr, 0) < 0) {
        const int e = errno;
        // The kernel sends what it can per call and says EAGAIN/EBUSY for
        // the rest; ENOBUFS: the device is out of room for now.
        if (e == EAGAIN || e == EBUSY || e == ENOBUFS || e == EINTR) {
            ++st.retried;
            return {};
        }
        return from_errno(step::send, e);
    }
    return {};
}

result<mut_bytes> xdp_tx::acquire(tx_setup& s, tx_stats& st, std::size_t len) {
    xdp_port& p = *port_;
    if (len > p.frame_size) return make_error(errc::length_too_large, step::send, 0, p.frame_size, len);
    if (p.free_tx.empty()) {
        const deadline d(s.send_timeout);
        for (;;) {
            reclaim(st);
            if (!p.free_tx.empty()) break;
            if (const status k = kick(st); !k) return k.error();
            reclaim(st);
            if (!p.free_tx.empty()) break;
            if (d.passed()) return make_error(errc::no_room, step::send, 0, 0, p.in_flight);
            nap_ms(1);
        }
    }
    xsk_queue& q = *p.sockets[0];
    return mut_bytes{q.base + p.free_tx.back(), len};
}

status xdp_tx::commit(tx_setup& s, tx_stats& st, std::size_t offset, std::size_t len) {
    xdp_port& p = *port_;
    xsk_queue& q = *p.sockets[0];
    const std::uint64_t addr = p.free_tx.back();
    if (const status ok = check_frame(s, q.base + addr + offset, len); !ok) return ok;
    // The TX ring has an entry for every TX frame: this cannot fail.
    std::uint32_t idx = 0;
    if (xsk_ring_prod__reserve(&q.tx, 1, &idx) != 1) return make_error(errc::no_room, step::send, 0, 0, p.in_flight);
    xdp_desc* desc = xsk_ring_prod__tx_desc(&q.tx, idx);
    desc->addr = addr + offset;
    desc->len = static_cast<std::uint32_t>(len);
    desc->options = 0;
    xsk_ring_prod__submit(&q.tx, 1);
    p.free_tx.pop_back();
    ++p.in_flight;
    if (++p.unkicked >= p.tx_batch) return kick(st);
    return {};
}

status xdp_tx::flush(tx_setup& s, tx_stats& st) {
    xdp_port& p = *port_;
    const deadline d(s.send_timeout);
    while (p.in_flight > 0) {
        if (const status k = kick(st); !k) return k;
        const std::uint32_t before = p.in_flight;
        reclaim(st);
        if (p.in_flight == 0) break;
        if (d.passed()) return make_error(errc::no_room, step::send, 0, 0, p.in_flight);
        if (p.in_flight == before) nap_ms(1);
    }
    return {};
}

} // namespace detail

// ---- public pieces ----

result<xdp_info> xdp_state(const receiver& rx) {
    const detail::rx_impl* impl = detail::rx_impl::of(rx);
    if (impl == nullptr) return detail::disabled();
    if (const auto* x = std::get_if<detail::xdp_rx>(&impl->be)) return detail::info_of(x->port());
    return make_error(errc::unsupported, step::config_backend, 0, 0, static_cast<std::uint8_t>(impl->kind));
}

result<xdp_info> xdp_state(const sender& tx) {
    const detail::tx_impl* impl = detail::tx_impl::of(tx);
    if (impl == nullptr) return detail::disabled();
    if (const auto* x = std::get_if<detail::xdp_tx>(&impl->be)) return detail::info_of(x->port());
    return make_error(errc::unsupported, step::config_backend, 0, 0, static_cast<std::uint8_t>(impl->kind));
}

result<std::uint32_t> attached_xdp_program(std::uint32_t ifindex) {
    __u32 id = 0;
    if (const int rc = bpf_xdp_query_id(static_cast<int>(ifindex), 0, &id); rc != 0) {
        return from_errno(step::xdp_attach, detail::errno_of(rc));
    }
    return id;
}

result<bool> xdp_filter_accepts(const filter& f, bytes frame, std::string* message) {
    const auto classic = detail::classic_program(f, link_type::ethernet, 262144, message);
    if (!classic) return classic.error();
    if (classic->empty()) return true;
    const auto prog = detail::load_filter(*classic, detail::xdp_accept{-1, XDP_TX}, message);
    if (!prog) return prog.error();
    auto run = detail::libbpf_opts<bpf_test_run_opts>();
    run.data_in = frame.data();
    run.data_size_in = static_cast<__u32>(frame.size());
    run.repeat = 1;
    if (bpf_prog_test_run_opts(prog->get(), &run) != 0) return from_errno(step::xdp_program, errno);
    return run.retval == XDP_TX;
}

} // namespace rawpkt::datalink
