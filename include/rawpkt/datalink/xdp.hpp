// SPDX-License-Identifier: BSD-3-Clause
/// \file
/// The AF_XDP backend (config::backend = backend::xdp).
///
/// ```cpp
/// namespace dl = rawpkt::datalink;
/// dl::config cfg;
/// cfg.backend = dl::backend::xdp;
/// cfg.xdp.queue = dl::all_queues;       // one AF_XDP socket per receive queue
/// cfg.filter = "udp port 4789";         // runs in the XDP program
/// auto ch = dl::open("eth0", cfg, &why);
/// auto info = dl::xdp_state(ch->rx);    // zero-copy or copy, native or generic
/// ```
///
/// open() loads an XDP program into the kernel (compiled with clang when
/// rawpkt was built and embedded in the library) and attaches it to the
/// interface through a bpf_link: the program belongs to the channel's file
/// descriptors, so it goes away when the channel closes or the process
/// exits, however it exits, and never stays behind on the interface. No
/// bpffs mount is needed (nothing is pinned). The program sends every frame
/// that arrives on a queue with a socket to that socket (XSKMAP, indexed by
/// the receive queue) and lets every other frame go on to the kernel stack.
///
/// Several channels, in one process or several, can receive on different
/// queues of one interface (config::xdp.queue): they share one program.
/// The first open() attaches it; a later one finds rawpkt's program on the
/// interface, takes a descriptor of its bpf_link (by id) and of its maps,
/// and puts its sockets into the XSKMAP at its queues. The kernel keeps the
/// program attached while any channel holds the link, and takes it off
/// when the last one closes or its process dies: still nothing pinned, no
/// bpffs, no stale program after a crash. A queue has one socket at a time
/// (a second channel on it fails with step::xdp_socket, EBUSY). An
/// interface with another XDP program, rawpkt's attached without a link,
/// or rawpkt's in the other mode than config::xdp.attach asks for, is
/// refused (step::xdp_attach, EBUSY). Why not libxdp's multi-program
/// dispatcher: it needs bpffs and pins its state there (a process that
/// dies leaves the dispatcher behind until another libxdp user cleans up),
/// and it would run rawpkt's program once per channel, each passing on
/// the frames of the queues it has no socket for; one shared program that
/// redirects by queue needs neither.
///
/// Each socket has its own UMEM, or with config::xdp.shared_umem all share
/// the first socket's (XDP_SHARED_UMEM; each keeps its own fill and
/// completion rings): config::xdp.rx_size frames per socket that the fill
/// ring gives the kernel to receive into, and config::xdp.tx_size frames
/// the sender (on the first socket) builds in. The receiver hands out frames in place in the UMEM
/// (no copy in zero-copy mode, one copy by the kernel in copy mode) and
/// gives them back to the fill ring at its next receive call; the sender's
/// send_with() builds in a UMEM frame that goes into the TX ring as it is.
///
/// Filters run in the XDP program: the classic BPF that libpcap compiles
/// from the expression (or the program given) is translated into eBPF,
/// loaded as a second XDP program, and tail-called by the first; a frame it
/// rejects goes on to the kernel stack untouched (XDP_PASS) and never
/// reaches the socket. Each channel's filter sits at the slots of its own
/// queues: channels sharing the program filter independently.
///
/// Frames longer than a UMEM frame: with config::xdp.multi_buffer the
/// sockets are bound with XDP_USE_SG (Linux 6.6) and such a frame arrives
/// in several UMEM frames, which the receiver copies into one buffer of its
/// own (valid, like the others, until the next receive call). The program
/// and the filters are loaded with BPF_F_XDP_HAS_FRAGS (Linux 5.18), so a
/// driver with multi-buffer XDP (veth, ...) takes an MTU above a page; a
/// filter reads the first buffer the driver hands XDP, and a load past it
/// rejects the frame (`len` is the whole frame's). The whole of classic BPF is translated (loads,
/// arithmetic, jumps, scratch memory, `len`) except the Linux ancillary
/// loads (SKF_AD_*: VLAN metadata, protocol, packet type, ...), which an XDP
/// program has no way to read: a filter using them fails with errc::unsupported,
/// step::xdp_filter. libpcap emits those only for handles opened on a live
/// interface; rawpkt compiles expressions without one, so "vlan 10" reads
/// the tag from the frame, where XDP still sees it. Frames seen by XDP are
/// received frames only (direction::inbound); the snaplen cuts what the
/// receiver hands out, as on the other backends.
///
/// Time stamps: AF_XDP carries none, so the program writes the time the
/// frame reached it (bpf_ktime_get_tai_ns) into the frame's XDP metadata
/// area, which the kernel copies into the UMEM in front of the frame; the
/// receiver turns it into CLOCK_REALTIME nanoseconds, the clock of the
/// other backends, with the TAI-to-realtime offset read at open() (TAI
/// moves with realtime's NTP adjustments; a leap second or a new TAI
/// offset set while the channel is open shifts its time stamps by that
/// second). A driver without metadata support gets the time the receiver
/// took the batch out of the RX ring instead (one reading per batch).
/// timestamp_source::hardware is refused: the driver's hardware time stamp
/// (the bpf_xdp_metadata_rx_timestamp kfunc) is only open to a program
/// bound to one device, which the shared, generic-capable program is not.
///
/// Refused at open() with errc::unsupported: cooked mode (step::link_layer),
/// fanout (step::fanout; use several queues instead), qdisc_bypass
/// (step::qdisc_bypass; AF_XDP sends past the qdisc anyway), hardware time
/// stamps (step::timestamping).
#pragma once

#include <rawpkt/bytes.hpp>
#include <rawpkt/datalink/channel.hpp>
#include <rawpkt/datalink/config.hpp>
#include <rawpkt/datalink/filter.hpp>
#include <rawpkt/error.hpp>

#include <cstdint>
#include <string>
#include <vector>

namespace rawpkt::datalink {

/// What open() chose for an AF_XDP channel.
struct xdp_info {
    /// The receive queues with a socket, in the order the receiver visits them.
    std::vector<std::uint32_t> queues;
    /// The NIC writes into the UMEM (XDP_ZEROCOPY); false: copy mode.
    bool zero_copy = false;
    /// The program runs in the driver; false: generic (sk_buff) XDP. False
    /// too when no program was attached (a send-only channel).
    bool native = false;
    /// The kernel's id of the attached XDP program (0: none attached).
    std::uint32_t program_id = 0;
    /// XDP_USE_NEED_WAKEUP is in effect (config::xdp.need_wakeup was granted).
    bool need_wakeup = false;
    /// The receive sockets busy-poll (config::xdp.busy_poll was granted).
    bool busy_poll = false;
    /// The sockets share one UMEM (config::xdp.shared_umem, several queues).
    bool shared_umem = false;
    /// Frames longer than a UMEM frame are received (config::xdp.multi_buffer).
    bool multi_buffer = false;
};

/// What a backend::xdp receiver (or sender) runs on; errc::unsupported
/// (step::config_backend) for another backend.
[[nodiscard]] result<xdp_info> xdp_state(const receiver& rx);
/// The same for a sender.
[[nodiscard]] result<xdp_info> xdp_state(const sender& tx);

/// The id of the XDP program attached to the interface with this index in
/// the calling thread's network namespace (0: none), in any mode.
[[nodiscard]] result<std::uint32_t> attached_xdp_program(std::uint32_t ifindex);

/// Runs a filter the way the XDP program runs it: translated into eBPF,
/// loaded into the kernel and run on `frame` with BPF_PROG_TEST_RUN. True
/// when the frame would go to the socket. Fails as open() would for a filter
/// that cannot be translated (errc::unsupported, step::xdp_filter), does
/// not compile (step::filter_compile) or cannot be loaded (step::xdp_program:
/// permission without CAP_BPF).
[[nodiscard]] result<bool> xdp_filter_accepts(const filter& f, bytes frame, std::string* message = nullptr);

} // namespace rawpkt::datalink
