// SPDX-License-Identifier: BSD-3-Clause
/// \file
/// How raw layer-3/4 channels report failures, in the style of
/// datalink/errors.hpp.
///
/// Every transport error is a plain rawpkt::error with `layer ==
/// layer::transport`. Its `code` says what kind of failure it is:
///
/// | code                | meaning                                                     |
/// |---------------------|-------------------------------------------------------------|
/// | errc::permission    | CAP_NET_RAW is missing (or a firewall refused a send)       |
/// | errc::not_found     | no interface with that name; no route to the destination    |
/// | errc::bad_value     | a setting is out of range; the address family does not match|
/// | errc::unsupported   | the kernel cannot do it (e.g. IPV6_HDRINCL before Linux 4.5)|
/// | errc::length_too_large | a packet is longer than the path or the kernel takes     |
/// | errc::io            | any other system error (`sys_errno` holds errno)            |
///
/// `offset` holds a transport::step naming the setting or operation (read it
/// with step_of()); `sys_errno` keeps errno. describe() makes a sentence.
#pragma once

#include <rawpkt/error.hpp>

#include <cstdint>
#include <string>
#include <string_view>

namespace rawpkt::transport {

/// The setting or operation a transport error is about (stored in
/// error::offset).
enum class step : std::uint16_t {
    none,
    // configuration, checked before any system call
    config_protocol, ///< config::protocol cannot be used in this mode (e.g. 255 for layer 4)
    receive_buffer,  ///< config::receive_buffer
    // opening
    socket,           ///< socket(AF_INET/AF_INET6, SOCK_RAW, protocol)
    header_include,   ///< IP_HDRINCL / IPV6_HDRINCL
    interface_lookup, ///< config::interface
    bind_interface,   ///< SO_BINDTODEVICE, or bind() of the IPv6 layer-3 receive socket
    hop_limit,        ///< IP_TTL / IPV6_UNICAST_HOPS
    traffic_class,    ///< IP_TOS / IPV6_TCLASS
    filter_compile,   ///< the filter expression did not compile
    filter_attach,    ///< SO_ATTACH_FILTER
    socket_option,    ///< another socket option
    // using a channel
    address_family, ///< the destination's family is not the channel's (needed: the channel's, available: the address's)
    route,          ///< no route to the destination (ENETUNREACH, EHOSTUNREACH)
    send,
    receive,
    wait, ///< poll() on the channel's descriptor
};

/// The short name of a step ("IP_HDRINCL", "SO_BINDTODEVICE", ...).
[[nodiscard]] const char* to_string(step s) noexcept;

/// The step stored in a transport error (step::none for other errors).
[[nodiscard]] constexpr step step_of(const error& e) noexcept {
    return e.layer == layer::transport ? static_cast<step>(e.offset) : step::none;
}

/// A transport error value.
[[nodiscard]] constexpr error make_error(errc code, step s, int sys_errno = 0, std::uint64_t needed = 0,
                                         std::uint64_t available = 0) noexcept {
    error e =
        error::invalid(layer::transport, code, length_source::none, static_cast<std::uint64_t>(s), needed, available);
    e.sys_errno = sys_errno;
    return e;
}

/// A transport error for a failed system call: EPERM/EACCES -> permission,
/// ENODEV/ENXIO -> not_found, ENETUNREACH/EHOSTUNREACH -> not_found with
/// step::route, EMSGSIZE -> length_too_large, EINVAL -> bad_value,
/// EPROTONOSUPPORT/ENOPROTOOPT/EOPNOTSUPP/EAFNOSUPPORT -> unsupported,
/// ENOMEM/ENOBUFS -> no_room, anything else -> io; errno in sys_errno.
[[nodiscard]] error from_errno(step s, int sys_errno) noexcept;

/// A sentence for a user: "cannot open a raw IPv4 socket: CAP_NET_RAW
/// needed (run as root, or grant it with `setcap cap_net_raw+ep <program>`)",
/// "no route to 198.51.100.7", "the address 2001:db8::1 is IPv6 but the
/// channel is IPv4", "no interface named "eht0" (did you mean eth0?)".
/// `subject` names the interface or the address the error is about.
[[nodiscard]] std::string describe(const error& e, std::string_view subject = {});

} // namespace rawpkt::transport
