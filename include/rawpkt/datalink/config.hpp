// SPDX-License-Identifier: BSD-3-Clause
/// \file
/// Settings of a live channel, their validation, and the ring geometry
/// computed from them.
///
/// Defaults, and why:
/// - backend::ring: a TPACKET_V3 receive ring (frames land in shared
///   memory, one poll per block of frames, not per frame) and a
///   TPACKET_V2 transmit ring (frames are built in place, one send() per
///   batch).
/// - rx_ring 1 MiB x 64 blocks = 64 MiB. The ring is what absorbs a burst
///   while the program is busy: 64 MiB hold about 466 000 minimum-size
///   frames (a 60-byte frame takes 144 bytes of ring: 82 bytes of kernel
///   header and alignment in front of it) -- almost half a second of a
///   1 Mpps flood -- or about 7 400 jumbo frames of 9000 bytes (54 ms at
///   10 Gbit/s). Blocks of 1 MiB rather than 4 MiB: a block is handed to the
///   program whole and given back whole, so smaller blocks keep more of the
///   ring with the kernel while the program works on one, and make the
///   per-block frame table small (14 564 entries). A 9000-byte frame fits a
///   block many times over (a V3 frame may take up to the whole block).
/// - rx_ring.frame_size 2048: TPACKET_V3 places frames back to back by
///   their real size; the kernel only checks the nominal frame size, it
///   does not limit frames to it.
/// - block_timeout 10 ms: a block that is not full is handed over after
///   this long, which bounds the latency of a quiet link.
/// - snaplen 262144 (libpcap's maximum): whole frames, including the
///   64 KiB segments of GRO/TSO.
/// - promiscuous on, through packet-socket membership (PACKET_MR_PROMISC):
///   the kernel counts it per socket and undoes it when the socket closes,
///   even if the program crashes.
/// - tx_ring 256 frames, each sized for the interface MTU plus an Ethernet
///   header and a VLAN tag; tx_batch 64 frames per send().
#pragma once

#include <rawpkt/datalink/errors.hpp>
#include <rawpkt/datalink/filter.hpp>
#include <rawpkt/error.hpp>

#include <chrono>
#include <cstddef>
#include <cstdint>

namespace rawpkt::datalink {

/// How long a call may wait. no_wait returns at once, forever blocks.
using timeout = std::chrono::milliseconds;
inline constexpr timeout no_wait{0};  ///< return at once with what is there
inline constexpr timeout forever{-1}; ///< wait until something comes

/// The kernel interface (or file, or memory) a channel captures and sends through; README's "Live capture" and
/// docs/backends.md compare them.
enum class backend : std::uint8_t {
    ring,   ///< TPACKET_V3 RX ring + TPACKET_V2 TX ring (default)
    socket, ///< plain AF_PACKET socket, recvmmsg/sendmmsg in batches
    /// libpcap (pcap_create/pcap_activate, pcap_dispatch, pcap_inject): the
    /// portable backend, for systems where only libpcap or Npcap exists.
    /// Built when rawpkt is linked with libpcap (has_pcap_backend()).
    /// Frames are copied once out of libpcap's buffer (libpcap keeps a
    /// frame only while its callback runs). What libpcap cannot do is
    /// refused at open() with errc::unsupported: fanout (step::fanout),
    /// qdisc_bypass (step::qdisc_bypass), link_layer::cooked
    /// (step::link_layer), allow_down (libpcap refuses an interface that
    /// is down: errc::io, ENETDOWN). Frames carry no direction
    /// (direction::unknown) and VLAN tags the kernel took off are put back
    /// into the frame bytes by libpcap (frame::vlan_tpid stays 0).
    pcap,
    /// Capture-file replay: opened with open_file() (replay.hpp), not open().
    file,
    /// In-memory channel for tests: opened with open_memory() (memory.hpp),
    /// not open().
    memory,
    /// AF_XDP sockets (one per receive queue) fed by an XDP program that
    /// rawpkt attaches to the interface: frames go from the driver into
    /// shared memory (UMEM) without the kernel stack, and the filter runs
    /// in the XDP program (frames it rejects go on to the stack). Built
    /// when rawpkt is linked with libxdp and libbpf (has_xdp_backend()).
    /// Settings in config::xdp; see xdp.hpp.
    xdp,
};

/// The backend's name: "ring", "socket", "pcap", "file", "memory".
[[nodiscard]] const char* to_string(backend b) noexcept;

/// True when this build has the libpcap backend (rawpkt was linked with
/// libpcap). Without it, open() with backend::pcap fails with
/// errc::unsupported, step::config_backend.
[[nodiscard]] bool has_pcap_backend() noexcept;

/// True when this build has the AF_XDP backend (rawpkt was linked with
/// libxdp and libbpf, and the XDP program was compiled). Without it, open()
/// with backend::xdp fails with errc::unsupported, step::config_backend.
[[nodiscard]] bool has_xdp_backend() noexcept;

/// How the XDP program is attached to the interface (backend::xdp).
enum class xdp_attach : std::uint8_t {
    /// Native (in the driver) where the driver supports it, generic
    /// otherwise.
    automatic,
    native,  ///< in the driver (XDP_FLAGS_DRV_MODE); fails if it has no XDP
    generic, ///< after the driver built an sk_buff (XDP_FLAGS_SKB_MODE): any interface, slower
};

/// How frames get into the UMEM (backend::xdp).
enum class xdp_copy : std::uint8_t {
    automatic, ///< zero-copy where the driver supports it, copy otherwise
    zero_copy, ///< the NIC writes into the UMEM (XDP_ZEROCOPY); fails if it cannot
    copy,      ///< the kernel copies each frame into the UMEM (XDP_COPY)
};

/// config::xdp::queue value: a socket on every receive queue.
inline constexpr std::uint32_t all_queues = 0xffffffffu;

/// AF_XDP settings (backend::xdp).
struct xdp_config {
    /// The receive queue to open, or all_queues (one socket per queue, the
    /// receiver takes frames from each in turn; the sender sends on the
    /// first).
    std::uint32_t queue = 0;
    /// RX ring entries per socket: also the UMEM frames given to the fill
    /// ring. A power of two, 64 .. 65536.
    std::uint32_t rx_size = 2048;
    /// TX ring entries per socket: also the UMEM frames the sender builds
    /// in. A power of two, 64 .. 65536.
    std::uint32_t tx_size = 2048;
    /// Bytes per UMEM frame: 2048 or 4096. A received frame longer than the
    /// frame size minus the headroom the kernel keeps (256 bytes) does not
    /// fit and is dropped by the kernel, unless multi_buffer is set.
    std::uint32_t frame_size = 4096;
    /// Frames one receive call takes from the RX ring at most (1 .. rx_size).
    std::uint32_t batch = 64;
    xdp_attach attach = xdp_attach::automatic; ///< native or generic XDP (see xdp_attach)
    xdp_copy copy = xdp_copy::automatic;       ///< zero-copy or copy mode (see xdp_copy)
    /// XDP_USE_NEED_WAKEUP: the kernel says when it needs a system call to
    /// go on filling or sending, so a busy application makes none.
    bool need_wakeup = true;
    /// Busy polling (SO_PREFER_BUSY_POLL, SO_BUSY_POLL, SO_BUSY_POLL_BUDGET):
    /// the receiver runs the driver's NAPI loop itself from its poll() calls
    /// instead of waiting for interrupts. Pair with the interface's
    /// napi_defer_hard_irqs and gro_flush_timeout (see README).
    bool busy_poll = false;
    /// SO_BUSY_POLL: microseconds a poll() may spin (busy_poll only).
    std::uint32_t busy_poll_usecs = 20;
    /// SO_BUSY_POLL_BUDGET: frames one busy-poll round may process.
    std::uint32_t busy_poll_budget = 64;
    /// With several queues: one UMEM (one memory region, registered once)
    /// for every socket (XDP_SHARED_UMEM, each socket with its own fill and
    /// completion rings); otherwise each socket has a UMEM of its own.
    bool shared_umem = false;
    /// Multi-buffer AF_XDP (XDP_USE_SG, Linux 6.6): a frame longer than a
    /// UMEM frame arrives in several (XDP_PKT_CONTD on all but the last),
    /// which the receiver joins into one by copying them into a buffer of
    /// its own; frames that fit one UMEM frame stay in place. Off: such a
    /// frame is dropped by the kernel (counted in rx_stats::dropped).
    bool multi_buffer = false;
};

/// What the receiver hands out.
enum class link_layer : std::uint8_t {
    /// Frames as on the wire, from the link-layer header (SOCK_RAW); the
    /// link type follows the interface (Ethernet, raw IP for tun, ...).
    raw,
    /// Frames from the network header (SOCK_DGRAM), behind a 16-byte Linux
    /// cooked header (link_type::linux_sll) that rawpkt writes in front of
    /// each frame in the ring: packet type, ARPHRD type, source address,
    /// protocol. Useful for interfaces without a uniform link header.
    cooked,
};

/// Where receive timestamps (frame::timestamp_ns) come from.
enum class timestamp_source : std::uint8_t {
    software, ///< the kernel's receive time
    /// The NIC's clock (SOF_TIMESTAMPING_RAW_HARDWARE). open() fails with
    /// errc::unsupported when the interface cannot time-stamp every
    /// received frame in hardware (there is no silent fallback); turning it
    /// on needs CAP_NET_ADMIN. A frame the NIC did not stamp still gets the
    /// software time.
    hardware,
};

/// PACKET_FANOUT modes: how frames are spread over the sockets of a group.
enum class fanout_mode : std::uint8_t {
    hash,     ///< by flow hash: a flow always goes to the same socket
    lb,       ///< round robin
    cpu,      ///< by the CPU that received the frame
    rollover, ///< fill one socket, then the next
    random,
    qm, ///< by the NIC's receive queue
};

/// Joining a PACKET_FANOUT group, so that several channels (threads or processes) share an interface's traffic.
struct fanout_config {
    bool enabled = false; ///< join a fanout group (backend::ring and backend::socket)
    /// The group id; sockets of one network namespace joining the same id
    /// share the traffic. They must all use the same mode and flags.
    std::uint16_t group = 0;
    fanout_mode mode = fanout_mode::hash; ///< how frames are spread over the group's sockets
    /// Reassemble IP fragments before hashing (PACKET_FANOUT_FLAG_DEFRAG).
    bool defrag = false;
    /// Move frames to another socket when this one is full
    /// (PACKET_FANOUT_FLAG_ROLLOVER).
    bool rollover = false;
};

/// Receive-ring geometry (backend::ring).
struct rx_ring_config {
    /// Bytes per block: a multiple of the page size. Frames never span
    /// blocks, so a frame longer than block_size - 48 bytes of headers is
    /// truncated.
    std::uint32_t block_size = 1u << 20;
    /// At least 3: the block holding the frames last handed out stays with
    /// the program until its next receive call, and when the kernel closes
    /// the block it fills (full, or block_timeout passed) it needs another
    /// free one, or it drops frames until the program reads again.
    std::uint32_t block_count = 64;
    /// The nominal frame size the kernel checks (a multiple of 16, at least
    /// 80, at most block_size). TPACKET_V3 does not limit frames to it.
    std::uint32_t frame_size = 2048;
};

/// Transmit-ring geometry (backend::ring).
struct tx_ring_config {
    /// Frames the ring holds.
    std::uint32_t frame_count = 256;
    /// Bytes per slot including the 48-byte slot header (tx_slot_header); 0
    /// sizes it for the interface's MTU plus an Ethernet header and a VLAN
    /// tag. A multiple of 16, at most 65536.
    std::uint32_t frame_size = 0;
};

/// Everything open() needs besides the interface name; every field has a usable default, and validate() checks them
/// before any socket is made.
struct config {
    datalink::backend backend = backend::ring; ///< which kernel interface captures and sends (see backend)
    /// Open a receiver; open a sender. At least one.
    bool receive = true;
    bool send = true; ///< open a sender (see `receive`)

    rx_ring_config rx_ring{}; ///< receive-ring geometry (backend::ring)
    tx_ring_config tx_ring{}; ///< transmit-ring geometry (backend::ring)

    /// Bytes kept of each frame (1 .. 262144).
    std::uint32_t snaplen = 262144;
    /// Receive frames addressed to other hosts too.
    bool promiscuous = true;
    /// TPACKET_V3 block retire timeout (1 .. 65535 ms; backend::ring);
    /// backend::pcap: pcap_set_timeout (the same thing inside libpcap).
    std::chrono::milliseconds block_timeout{10};
    /// backend::pcap: pcap_set_immediate_mode, every frame is delivered
    /// as soon as it arrives instead of when a buffer fills or
    /// block_timeout passes. Ignored by the other backends (for the ring,
    /// lower block_timeout).
    bool immediate = false;
    timestamp_source timestamps = timestamp_source::software; ///< software or NIC timestamps
    fanout_config fanout{};                                   ///< PACKET_FANOUT group (off by default)
    /// Do not receive frames this host sends (PACKET_IGNORE_OUTGOING).
    bool ignore_outgoing = false;
    link_layer layer = link_layer::raw; ///< frames from the link-layer header, or cooked (see link_layer)
    /// Kernel filter; see filter.hpp.
    datalink::filter filter{};
    /// Hand frames straight to the driver, skipping the qdisc layer
    /// (PACKET_QDISC_BYPASS): faster, but no traffic shaping, and taps on the
    /// interface (including other receivers) do not see these frames.
    bool qdisc_bypass = false;
    /// Frames the sender queues before it hands them to the kernel with
    /// one system call (1 ..; flush() sends a partial batch).
    std::uint32_t tx_batch = 64;
    /// backend::ring: frames of at most this many bytes are copied into the
    /// kernel's socket buffer when sent; longer ones are attached to it as
    /// pages of the ring. A copy of a short frame costs less than pinning
    /// ring pages, and devices that pass frames on inside the host (veth,
    /// bridges, tunnels) copy page-attached frames again, page by page: on a
    /// veth pair, copying lets 60-byte and 1514-byte frames go out about
    /// 1.3x as fast. 0 attaches every frame. Done with a virtio-net header
    /// in each slot (PACKET_VNET_HDR, Linux 4.19 and later; older kernels
    /// attach every frame).
    std::uint32_t tx_copy_max = 2048;
    /// backend::socket: frames per recvmmsg/sendmmsg; backend::pcap: the
    /// most frames one pcap_dispatch() call hands out and the frames the
    /// sender queues (1 .. 1024).
    std::uint32_t socket_batch = 32;
    /// backend::socket: the socket's receive buffer in bytes
    /// (SO_RCVBUFFORCE; without CAP_NET_ADMIN, SO_RCVBUF, which the kernel
    /// caps at net.core.rmem_max). backend::pcap: pcap_set_buffer_size
    /// (libpcap sizes its own ring with it; on Linux at least 512 KiB, two
    /// of libpcap's 256 KiB ring blocks, as one block loses every frame that
    /// arrives while the program reads it). 0 keeps the default.
    std::uint32_t socket_buffer = 4u << 20;
    /// How long send()/send_with() wait for a free slot when the TX ring or
    /// the socket is full; after it they fail with errc::no_room.
    timeout send_timeout = forever;
    /// Open a channel on an interface that is down (frames flow once it is
    /// up). By default open() refuses, as libpcap does.
    bool allow_down = false;
    /// backend::xdp settings.
    xdp_config xdp{};
};

/// The page size rings are made of.
[[nodiscard]] std::size_t page_size() noexcept;

/// Checks every setting that can be checked without the interface: the
/// error names the first offending setting (step_of()).
/// `memory_limit` bounds the RX ring (0: half of physical memory); a ring
/// above it is errc::no_room with step::rx_ring_size.
[[nodiscard]] status validate(const config& c, std::size_t page = page_size(), std::uint64_t memory_limit = 0);

/// The receive ring as the kernel will be asked for it.
struct rx_ring_layout {
    std::uint32_t block_size = 0;  ///< bytes per block (tp_block_size)
    std::uint32_t block_count = 0; ///< blocks (tp_block_nr)
    std::uint32_t frame_size = 0;  ///< nominal frame size (tp_frame_size)
    /// tp_frame_nr: frames per block x blocks.
    std::uint32_t frame_count = 0;
    /// Bytes mapped.
    std::uint64_t total_bytes = 0;
    /// The most frames one block can carry: the size of the frame table
    /// next_batch() hands out.
    std::uint32_t max_frames_per_block = 0;
    /// The longest frame a block can hold (TPACKET_V3 truncates longer ones).
    std::uint32_t max_frame_len = 0;
};

/// Validates the geometry and computes the layout.
[[nodiscard]] result<rx_ring_layout> plan_rx_ring(const rx_ring_config& c, std::size_t page = page_size());

/// The transmit ring as the kernel will be asked for it.
struct tx_ring_layout {
    /// Bytes per slot (slot header + frame), a multiple of 16.
    std::uint32_t frame_size = 0;
    std::uint32_t frames_per_block = 0; ///< slots per block
    /// A multiple of the page size, about 64 KiB.
    std::uint32_t block_size = 0;
    std::uint32_t block_count = 0; ///< blocks (tp_block_nr)
    /// Slots in the ring: frames_per_block x block_count, at least the
    /// frame_count asked for.
    std::uint32_t frame_count = 0;
    std::uint64_t total_bytes = 0; ///< bytes mapped
    /// The longest frame send() accepts: the slot minus its header, and no
    /// more than the MTU plus the link header and a VLAN tag.
    std::uint32_t max_frame_len = 0;
};

/// Offset of a frame inside a TPACKET_V2 TX slot: the slot's tpacket2_hdr
/// (TPACKET2_HDRLEN minus the sockaddr_ll, 32 bytes), then 16 bytes whose
/// last 10 carry the virtio-net header that tells the kernel how much of the
/// frame to copy (config::tx_copy_max).
inline constexpr std::uint32_t tx_slot_header = 48;

/// Computes the TX ring for an interface with this MTU and link-layer header
/// length.
[[nodiscard]] result<tx_ring_layout> plan_tx_ring(const tx_ring_config& c, std::uint32_t mtu,
                                                  std::uint32_t link_header_len = 14, std::size_t page = page_size());

} // namespace rawpkt::datalink
