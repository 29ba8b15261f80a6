// SPDX-License-Identifier: BSD-3-Clause
// Shared by the event-loop examples: an ICMP / ICMPv6 echo request built in
// place, and a check for echo replies.
#pragma once

#include <rawpkt/build.hpp>
#include <rawpkt/transport/channel.hpp>

#include <cstdint>

namespace example {

/// An echo request with 16 zero bytes of data, built at the end of `buf`.
/// Over IPv6 the checksum is left to the kernel (RFC 3542 §3.1).
inline rawpkt::bytes echo_request(rawpkt::mut_bytes buf, bool v6, std::uint16_t ident, std::uint16_t seq) {
    rawpkt::builder b{buf};
    b.reserve_payload(16);
    if (v6) {
        b.icmpv6(rawpkt::icmpv6::echo_repr{false, ident, seq, 0});
    } else {
        b.icmpv4(rawpkt::icmpv4::echo_repr{false, ident, seq, 0});
    }
    const auto m = b.finish();
    return m ? rawpkt::bytes{*m} : rawpkt::bytes{};
}

inline bool is_echo_reply(const rawpkt::transport::packet& p, bool v6) {
    if (v6) {
        const auto v = rawpkt::icmpv6::view::checked(p.data);
        return v && v->type() == rawpkt::icmpv6::message_type::echo_reply;
    }
    const auto v = rawpkt::icmpv4::view::checked(p.data);
    return v && v->type() == rawpkt::icmpv4::message_type::echo_reply;
}

} // namespace example
