// SPDX-License-Identifier: BSD-3-Clause
/// \file
/// How live capture and injection report failures.
///
/// Every datalink error is a plain rawpkt::error with `layer ==
/// layer::datalink`. Its `code` says what kind of failure it is, in terms a
/// program can act on:
///
/// | code                | meaning                                                   |
/// |---------------------|-----------------------------------------------------------|
/// | errc::not_found     | no interface with that name or index                      |
/// | errc::permission    | a capability is missing (CAP_NET_RAW, CAP_NET_ADMIN)      |
/// | errc::no_room       | a ring does not fit the memory limits; a TX ring is full  |
/// | errc::bad_value     | a setting is out of range; a filter does not compile      |
/// | errc::unsupported   | the kernel, the interface or this build cannot do it      |
/// | errc::length_too_large / length_too_small | a frame does not fit the sender |
/// | errc::io            | any other system error (`sys_errno` holds errno)          |
/// | errc::io, step::end_of_input | a capture file or memory channel has no more frames |
///
/// Its `offset` field does not hold a byte offset: it holds a datalink::step,
/// naming the setting that was rejected or the operation that failed (read
/// it with step_of()). `sys_errno` keeps the errno value when the kernel
/// said no. describe() turns all of it into a sentence for a user.
#pragma once

#include <rawpkt/error.hpp>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace rawpkt::datalink {

/// The setting or operation a datalink error is about (stored in
/// error::offset).
enum class step : std::uint16_t {
    none,
    // configuration, checked before any system call
    config_direction, ///< neither receive nor send is enabled
    rx_block_size,    ///< config::rx_ring.block_size
    rx_block_count,   ///< config::rx_ring.block_count
    rx_frame_size,    ///< config::rx_ring.frame_size
    rx_ring_size,     ///< rx_ring.block_size x rx_ring.block_count as a whole
    tx_frame_size,    ///< config::tx_ring.frame_size
    tx_frame_count,   ///< config::tx_ring.frame_count
    tx_batch,         ///< config::tx_batch
    socket_batch,     ///< config::socket_batch
    snaplen,          ///< config::snaplen
    block_timeout,    ///< config::block_timeout
    fanout_mode,      ///< config::fanout.mode
    filter_choice,    ///< config::filter holds both an expression and a program
    // opening
    interface_lookup, ///< the interface name or index
    interface_state,  ///< the interface is down (sys_errno ENETDOWN)
    socket,           ///< socket(AF_PACKET, ...)
    bind,
    packet_version, ///< PACKET_VERSION
    rx_ring,        ///< PACKET_RX_RING and its mmap
    tx_ring,        ///< PACKET_TX_RING and its mmap
    promiscuous,    ///< PACKET_ADD_MEMBERSHIP (PACKET_MR_PROMISC)
    fanout,         ///< PACKET_FANOUT
    ignore_outgoing,
    qdisc_bypass,
    timestamping,   ///< PACKET_TIMESTAMP, SO_TIMESTAMPNS, hardware time stamps
    filter_compile, ///< the expression did not compile (see the message)
    filter_attach,  ///< SO_ATTACH_FILTER
    socket_option,  ///< another socket option
    // using a channel
    receive,
    send,
    statistics,
    disabled,   ///< the receiver or sender was not enabled in the config
    interfaces, ///< listing interfaces (netlink)
    // added with the libpcap, capture-file and in-memory backends
    end_of_input,   ///< no more frames: the capture file ended, the memory port was closed
    config_backend, ///< config::backend names a backend open() does not open (file, memory)
    link_layer,     ///< config::layer is not available on this backend
    replay_speed,   ///< replay_config::speed
    batch,          ///< replay_config::batch, memory_config::tx_batch
    mtu,            ///< memory_config::mtu
    pcap_create,    ///< libpcap's pcap_create / pcap_activate (its message says more)
    // added with the AF_XDP backend
    xdp_ring_size,  ///< config::xdp.rx_size / tx_size
    xdp_frame_size, ///< config::xdp.frame_size
    xdp_queue,      ///< config::xdp.queue beyond the interface's queues
    xdp_program,    ///< loading the XDP program (bpf(BPF_PROG_LOAD), needs CAP_BPF)
    xdp_attach,     ///< attaching it to the interface (a bpf_link)
    xdp_socket,     ///< socket(AF_XDP), the UMEM, bind
    xdp_filter,     ///< the filter cannot run in the XDP program
};

/// The error every receive call returns once a source that can end (a
/// capture file, a closed memory port) has handed out its last frame. It
/// is not a failure: the data simply ended. A damaged capture file returns
/// the reader's own error instead (layer::pcap or layer::pcapng, with the
/// byte offset), after every good frame before the damage.
inline constexpr error end_of_input =
    error::invalid(layer::datalink, errc::io, length_source::none, static_cast<std::uint64_t>(step::end_of_input));

/// True for end_of_input.
[[nodiscard]] constexpr bool is_end_of_input(const error& e) noexcept { return e == end_of_input; }

/// The short name of a step ("rx_ring.block_size", "PACKET_FANOUT", ...).
[[nodiscard]] const char* to_string(step s) noexcept;

/// The step stored in a datalink error (step::none for other errors).
[[nodiscard]] constexpr step step_of(const error& e) noexcept {
    return e.layer == layer::datalink ? static_cast<step>(e.offset) : step::none;
}

/// A datalink error value.
[[nodiscard]] constexpr error make_error(errc code, step s, int sys_errno = 0, std::uint64_t needed = 0,
                                         std::uint64_t available = 0) noexcept {
    error e =
        error::invalid(layer::datalink, code, length_source::none, static_cast<std::uint64_t>(s), needed, available);
    e.sys_errno = sys_errno;
    return e;
}

/// A datalink error for a failed system call: maps errno onto the code a
/// user can act on (EPERM/EACCES -> permission, ENODEV/ENXIO -> not_found,
/// ENOMEM/ENOBUFS -> no_room, EINVAL -> bad_value, EPROTONOSUPPORT/
/// ENOPROTOOPT/EOPNOTSUPP -> unsupported, anything else -> io) and keeps
/// errno in sys_errno.
[[nodiscard]] error from_errno(step s, int sys_errno) noexcept;

/// A sentence for a user, naming the interface, what failed and what to do:
/// "cannot capture on eth0: CAP_NET_RAW needed (run as root or grant it
/// with setcap cap_net_raw+ep)", "no interface named eht0 (did you mean
/// eth0?)", "eth0 is down (ip link set eth0 up)", "the RX ring of 64 MiB
/// (rx_ring.block_size 1048576 x rx_ring.block_count 64) does not fit: ...".
/// For an unknown interface it lists similar names (see similar_interfaces).
[[nodiscard]] std::string describe(const error& e, std::string_view interface = {});

/// Names of existing interfaces that look like `name` (small edit distance,
/// same prefix), closest first; empty when nothing is close or the list
/// cannot be read.
[[nodiscard]] std::vector<std::string> similar_interfaces(std::string_view name);

/// The edit distance used by similar_interfaces (Damerau-Levenshtein,
/// optimal string alignment).
[[nodiscard]] std::size_t edit_distance(std::string_view a, std::string_view b);

} // namespace rawpkt::datalink
