// SPDX-License-Identifier: BSD-3-Clause
// What every rawpkt fuzz target shares: a sink that consumes every value an
// accessor returns (so that no read is optimised away before the
// sanitizers see it), and one touch() per protocol view that calls every
// accessor of the view and walks every option, TLV and extension iterator
// on it. A view handed to touch() must come from its checked() or
// checked_header() (or from the decoder, which promises the same): the
// contract of every view is that no accessor then reads out of bounds, and
// with RAWPKT_CHECK_BOUNDS and AddressSanitizer any read outside stops the
// program.
#pragma once

#include <rawpkt/decode.hpp>
#include <rawpkt/packet/arp.hpp>
#include <rawpkt/packet/ethernet.hpp>
#include <rawpkt/packet/geneve.hpp>
#include <rawpkt/packet/gre.hpp>
#include <rawpkt/packet/gtpu.hpp>
#include <rawpkt/packet/icmpv4.hpp>
#include <rawpkt/packet/icmpv6.hpp>
#include <rawpkt/packet/ipv4.hpp>
#include <rawpkt/packet/ipv6.hpp>
#include <rawpkt/packet/ipv6_ext.hpp>
#include <rawpkt/packet/llc.hpp>
#include <rawpkt/packet/mpls.hpp>
#include <rawpkt/packet/null_loopback.hpp>
#include <rawpkt/packet/ppp.hpp>
#include <rawpkt/packet/pppoe.hpp>
#include <rawpkt/packet/sll.hpp>
#include <rawpkt/packet/sll2.hpp>
#include <rawpkt/packet/tcp.hpp>
#include <rawpkt/packet/teredo.hpp>
#include <rawpkt/packet/udp.hpp>
#include <rawpkt/packet/vlan.hpp>
#include <rawpkt/packet/vxlan.hpp>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <type_traits>

namespace rawpkt::fuzz {

/// Every value the targets read ends up here. A global with external
/// linkage: the compiler cannot drop the loads that feed it.
inline std::uint64_t sink_state = 0;

inline void mix(std::uint64_t v) noexcept { sink_state = (sink_state ^ v) * 0x100000001b3ull; }

/// A property a target checks does not hold: report it and abort, which
/// libFuzzer records as a crash (and the replay main as a failure).
[[noreturn]] inline void fail(const char* what) noexcept {
    std::fprintf(stderr, "rawpkt fuzz: %s\n", what);
    std::abort();
}

/// Reads every byte of `b`.
inline void use_bytes(bytes b) noexcept {
    std::uint32_t sum = 0;
    for (const std::byte x : b) sum += std::to_integer<std::uint32_t>(x);
    mix(sum);
    mix(b.size());
}

inline void use(const error& e) noexcept {
    mix(static_cast<std::uint64_t>(e.layer));
    mix(static_cast<std::uint64_t>(e.code));
    mix(static_cast<std::uint64_t>(e.source));
    mix(static_cast<std::uint64_t>(e.sys_errno));
    mix(e.offset);
    mix(e.needed);
    mix(e.available);
}

inline void use(const status& s) noexcept {
    if (s) {
        mix(1);
    } else {
        use(s.error());
    }
}

template <class T>
void use(const T& v) noexcept {
    if constexpr (std::is_enum_v<T>) {
        mix(static_cast<std::uint64_t>(v));
    } else if constexpr (std::is_integral_v<T>) {
        mix(static_cast<std::uint64_t>(v));
    } else if constexpr (std::is_same_v<T, bytes> || std::is_same_v<T, mut_bytes>) {
        use_bytes(v);
    } else if constexpr (std::is_same_v<T, mac_address> || std::is_same_v<T, ipv4_address> ||
                         std::is_same_v<T, ipv6_address>) {
        for (const std::uint8_t o : v.octets) mix(o);
    } else {
        static_assert(sizeof(T) == 0, "no use() for this type");
    }
}

template <class T>
void use(const std::optional<T>& v) noexcept {
    if (v) {
        use(*v);
    } else {
        mix(0);
    }
}

template <class T>
void use(const result<T>& r) noexcept {
    if (r) {
        use(*r);
    } else {
        use(r.error());
    }
}

/// The result of a repr's parse(): only whether it parsed and the error
/// (the round trips of fuzz_build look at the values).
template <class T>
void use_parsed(const result<T>& r) noexcept {
    if (r) {
        mix(1);
    } else {
        use(r.error());
    }
}

/// Addresses for the checksum accessors that need a pseudo header.
inline constexpr ipv4_address v4_src{{192, 0, 2, 1}};
inline constexpr ipv4_address v4_dst{{198, 51, 100, 2}};
inline constexpr ipv6_address v6_src{{0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1}};
inline constexpr ipv6_address v6_dst{{0xfe, 0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2}};

// ---- link layer ----

inline void touch(const ethernet::view& v) noexcept {
    use(v.buffer());
    use(v.dst());
    use(v.src());
    use(v.type_len());
    use(v.ethertype());
    use(v.is_ethertype());
    use(v.is_length());
    use(v.length_field());
    use(v.header_len());
    use(v.header());
    use(v.payload());
    use(v.padding());
    use_parsed(ethernet::repr::parse(v));
}

inline void touch(const llc::view& v) noexcept {
    use(v.buffer());
    use(v.dsap());
    use(v.ssap());
    use(v.is_group());
    use(v.is_response());
    use(v.format());
    use(v.control_len());
    use(v.header_len());
    use(v.control());
    use(v.send_seq());
    use(v.recv_seq());
    use(v.poll_final());
    use(v.u_function());
    use(v.s_function());
    use(v.is_snap());
    use(v.header());
    use(v.payload());
    use_parsed(llc::repr::parse(v));
}

inline void touch(const snap::view& v) noexcept {
    use(v.buffer());
    use(v.oui());
    use(v.protocol_id());
    use(v.is_ethertype());
    use(v.ethertype());
    use(v.header_len());
    use(v.header());
    use(v.payload());
    use_parsed(snap::repr::parse(v));
}

inline void touch(const vlan::tag& t) noexcept {
    use(t.tpid);
    use(t.tci);
    use(t.next);
    use(t.offset);
    use(t.pcp());
    use(t.dei());
    use(t.vid());
}

/// A tag stack over `b` announced by `first`: every tag and the stack's end.
inline void touch_tags(ethertype first, bytes b) noexcept {
    const vlan::tag_range tags{first, b};
    use(tags.empty());
    for (const auto& t : tags) {
        if (t) {
            touch(*t);
        } else {
            use(t.error());
        }
    }
    if (const auto end = tags.inner()) {
        use(end->type);
        use(end->offset);
        use(end->depth);
    } else {
        use(end.error());
    }
}

inline void touch(const vlan::view& v) noexcept {
    use(v.buffer());
    use(v.tci());
    use(v.pcp());
    use(v.dei());
    use(v.vid());
    use(v.type_len());
    use(v.ethertype());
    use(v.is_ethertype());
    use(v.is_length());
    use(v.length_field());
    use(v.header_len());
    use(v.header());
    use(v.payload());
    use(v.padding());
    use_parsed(vlan::repr::parse(v));
}

/// A label stack over `b`: every entry, its length and payload, and the
/// guess at what the payload is.
inline void touch_labels(bytes b) noexcept {
    const mpls::label_stack stack{b};
    for (const auto& e : stack) {
        if (e) {
            use(e->label);
            use(e->tc);
            use(e->bottom_of_stack);
            use(e->ttl);
            use(e->offset);
        } else {
            use(e.error());
        }
    }
    use(stack.len());
    const auto p = stack.payload();
    use(p);
    if (p) use(mpls::guess_payload(*p));
}

inline void touch(const mpls::view& v) noexcept {
    use(v.buffer());
    use(v.entry());
    use(v.label());
    use(v.tc());
    use(v.bottom_of_stack());
    use(v.ttl());
    use(v.header_len());
    use(v.header());
    use(v.payload());
    use(mpls::guess_payload(v.payload()));
    use_parsed(mpls::repr::parse(v));
}

inline void touch(const sll::view& v) noexcept {
    use(v.buffer());
    use(v.packet_type());
    use(v.arphrd_type());
    use(v.address_len());
    use(v.address());
    use(v.address_field());
    use(v.protocol());
    use(v.is_ethertype());
    use(v.ethertype());
    use(v.header_len());
    use(v.header());
    use(v.payload());
    use_parsed(sll::repr::parse(v));
}

inline void touch(const sll2::view& v) noexcept {
    use(v.buffer());
    use(v.protocol());
    use(v.reserved());
    use(v.if_index());
    use(v.arphrd_type());
    use(v.packet_type());
    use(v.address_len());
    use(v.address());
    use(v.address_field());
    use(v.is_ethertype());
    use(v.ethertype());
    use(v.header_len());
    use(v.header());
    use(v.payload());
    use_parsed(sll2::repr::parse(v));
}

inline void touch(const null_loopback::view& v) noexcept {
    use(v.buffer());
    use(v.link());
    use(v.family());
    use(v.payload_ethertype());
    use(v.header_len());
    use(v.header());
    use(v.payload());
    use_parsed(null_loopback::repr::parse(v));
}

inline void touch(const ppp::view& v) noexcept {
    use(v.buffer());
    use(v.has_address_control());
    use(v.address());
    use(v.control());
    use(v.protocol_offset());
    use(v.protocol_len());
    use(v.is_protocol_compressed());
    use(v.protocol_number());
    use(v.protocol());
    use(v.payload_ethertype());
    use(v.header_len());
    use(v.header());
    use(v.payload());
    use_parsed(ppp::repr::parse(v));
}

/// The accessors both PPPoE stages share.
template <class View>
void touch_pppoe_header(const View& v) noexcept {
    use(v.buffer());
    use(v.version());
    use(v.type());
    use(v.code());
    use(v.session_id());
    use(v.length());
    use(v.header_len());
    use(v.header());
    use(v.is_complete());
    use(v.payload());
}

inline void touch(const pppoe::view& v) noexcept {
    touch_pppoe_header(v);
    use(v.ppp_protocol_len());
    use(v.ppp_protocol_number());
    use(v.ppp_protocol());
    use(v.payload_ethertype());
    use(v.ppp_payload());
    use_parsed(pppoe::repr::parse(v));
}

inline void touch(const pppoe::discovery_view& v) noexcept {
    touch_pppoe_header(v);
    const auto tags = v.tags();
    use(tags.empty());
    for (const auto& t : tags) {
        if (t) {
            use(t->type);
            use(t->length);
            use(t->offset);
            use(t->value);
        } else {
            use(t.error());
        }
    }
    use(tags.validate());
}

inline void touch(const arp::view& v) noexcept {
    use(v.buffer());
    use(v.hardware_type());
    use(v.protocol_type());
    use(v.hardware_len());
    use(v.protocol_len());
    use(v.operation());
    use(v.header_len());
    use(v.header());
    use(v.sender_hardware_addr());
    use(v.sender_protocol_addr());
    use(v.target_hardware_addr());
    use(v.target_protocol_addr());
    use(v.is_ethernet_ipv4());
    use(v.sender_mac());
    use(v.sender_ipv4());
    use(v.target_mac());
    use(v.target_ipv4());
    use_parsed(arp::repr::parse(v));
}

// ---- network layer ----

inline void touch(const ipv4::option& o) noexcept {
    use(o.kind);
    use(o.length);
    use(o.offset);
    use(o.data);
    use(o.pointer());
    use(o.is_route());
    use(o.route_count());
    // One index past the last: the accessors return 0 there.
    for (std::size_t i = 0; i <= o.route_count(); ++i) use(o.route(i));
    use(o.ts_overflow());
    use(o.ts_flag());
    use(o.ts_count());
    for (std::size_t i = 0; i <= o.ts_count(); ++i) {
        use(o.ts_timestamp(i));
        use(o.ts_address(i));
    }
    use(o.router_alert_value());
}

inline void touch(const ipv4::view& v) noexcept {
    use(v.buffer());
    use(v.version());
    use(v.ihl());
    use(v.header_len());
    use(v.dscp());
    use(v.ecn());
    use(v.tos());
    use(v.total_len());
    use(v.ident());
    use(v.flags());
    use(v.reserved_flag());
    use(v.dont_fragment());
    use(v.more_fragments());
    use(v.frag_offset_units());
    use(v.frag_offset());
    use(v.is_fragment());
    use(v.is_later_fragment());
    use(v.ttl());
    use(v.protocol());
    use(v.checksum());
    use(v.src());
    use(v.dst());
    use(v.header());
    use(v.options_bytes());
    const auto opts = v.options();
    use(opts.empty());
    for (const auto& o : opts) {
        if (o) {
            touch(*o);
        } else {
            use(o.error());
        }
    }
    use(opts.validate());
    use(v.datagram_len());
    use(v.is_complete());
    use(v.payload());
    use(v.checksum_ok());
    use(v.compute_checksum());
    use_parsed(ipv4::repr::parse(v));
}

inline void touch(const ipv6::option& o) noexcept {
    use(o.kind);
    use(o.length);
    use(o.offset);
    use(o.data);
    use(o.action());
    use(o.may_change());
    use(o.jumbo_payload_len());
    use(o.router_alert_value());
    use(o.tunnel_encap_limit());
    use(o.home_address());
}

inline void touch(const ipv6::option_range& opts) noexcept {
    use(opts.empty());
    for (const auto& o : opts) {
        if (o) {
            touch(*o);
        } else {
            use(o.error());
        }
    }
    use(opts.validate());
}

inline void touch(const ipv6::opts::view& v) noexcept {
    use(v.buffer());
    use(v.next_header());
    use(v.hdr_ext_len());
    use(v.header_len());
    use(v.header());
    use(v.options_bytes());
    touch(v.options());
    use(v.payload());
    use_parsed(ipv6::opts::repr::parse(v));
}

inline void touch(const ipv6::routing::view& v) noexcept {
    use(v.buffer());
    use(v.next_header());
    use(v.hdr_ext_len());
    use(v.header_len());
    use(v.routing_type());
    use(v.segments_left());
    use(v.header());
    use(v.type_data());
    use(v.address_count());
    for (std::size_t i = 0; i <= v.address_count(); ++i) use(v.address_at(i));
    use(v.final_destination(v6_dst));
    use(v.last_entry());
    use(v.flags());
    use(v.tag());
    use(v.tlv_bytes());
    use(v.payload());
}

inline void touch(const ipv6::fragment::view& v) noexcept {
    use(v.buffer());
    use(v.next_header());
    use(v.reserved());
    use(v.frag_offset_units());
    use(v.frag_offset());
    use(v.reserved_bits());
    use(v.more_fragments());
    use(v.ident());
    use(v.is_later_fragment());
    use(v.is_atomic());
    use(v.header_len());
    use(v.header());
    use(v.payload());
    use_parsed(ipv6::fragment::repr::parse(v));
}

inline void touch(const ipv6::ah::view& v) noexcept {
    use(v.buffer());
    use(v.next_header());
    use(v.payload_len_words());
    use(v.header_len());
    use(v.reserved());
    use(v.spi());
    use(v.sequence());
    use(v.icv());
    use(v.header());
    use(v.payload());
}

/// One header of an extension chain, and the typed view of its kind laid
/// over its bytes (as a user of the chain would).
inline void touch(const ipv6::ext_header& h) noexcept {
    use(h.kind);
    use(h.next_header);
    use(h.offset);
    use(h.header_len);
    use(h.header);
    use(h.is_later_fragment());
    switch (h.kind) {
    case ip_proto::hopopt:
    case ip_proto::ipv6_opts:
        if (const auto o = ipv6::opts::view::checked(h.header)) {
            touch(*o);
        } else {
            use(o.error());
        }
        break;
    case ip_proto::ipv6_route:
        if (const auto r = ipv6::routing::view::checked(h.header)) {
            touch(*r);
        } else {
            use(r.error());
        }
        break;
    case ip_proto::ipv6_frag:
        if (const auto f = ipv6::fragment::view::checked(h.header)) {
            touch(*f);
        } else {
            use(f.error());
        }
        break;
    case ip_proto::ah:
        if (const auto a = ipv6::ah::view::checked(h.header)) {
            touch(*a);
        } else {
            use(a.error());
        }
        break;
    default: break;
    }
}

inline void touch(const result<ipv6::upper_layer>& u) noexcept {
    if (u) {
        use(u->protocol);
        use(u->offset);
        use(u->data);
        use(u->fragmented);
        use(u->later_fragment);
    } else {
        use(u.error());
    }
}

/// An extension chain that starts with next-header value `first` over `b`.
inline void touch_chain(ip_proto first, bytes b, std::size_t base) noexcept {
    use(ipv6::is_extension_header(first));
    const ipv6::ext_range chain{first, b, base};
    for (const auto& h : chain) {
        if (h) {
            touch(*h);
        } else {
            use(h.error());
        }
    }
    use(chain.validate());
    touch(ipv6::find_upper_layer(first, b, base));
}

inline void touch(const ipv6::view& v) noexcept {
    use(v.buffer());
    use(v.version());
    use(v.traffic_class());
    use(v.dscp());
    use(v.ecn());
    use(v.flow_label());
    use(v.payload_len());
    use(v.next_header());
    use(v.hop_limit());
    use(v.src());
    use(v.dst());
    use(v.header_len());
    use(v.header());
    use(v.is_jumbogram());
    use(v.jumbo_payload_len());
    use(v.datagram_len());
    use(v.is_complete());
    use(v.payload());
    const auto chain = v.extensions();
    for (const auto& h : chain) {
        if (h) {
            touch(*h);
        } else {
            use(h.error());
        }
    }
    use(chain.validate());
    touch(v.upper_layer());
    use(v.final_destination());
    use_parsed(ipv6::repr::parse(v));
}

// ---- transport layer ----

inline void touch(const tcp::option& o) noexcept {
    use(o.kind);
    use(o.length);
    use(o.offset);
    use(o.data);
    use(o.mss());
    use(o.window_scale());
    use(o.sack_count());
    for (std::size_t i = 0; i <= o.sack_count(); ++i) {
        const tcp::sack_block s = o.sack(i);
        use(s.left);
        use(s.right);
    }
    use(o.ts_value());
    use(o.ts_echo_reply());
    use(o.mptcp_subtype());
    use(o.experiment_id());
    use(o.is_fast_open());
    use(o.fast_open_cookie());
}

inline void touch(const tcp::view& v) noexcept {
    use(v.buffer());
    use(v.src_port());
    use(v.dst_port());
    use(v.sequence());
    use(v.ack_number());
    use(v.data_offset());
    use(v.header_len());
    use(v.flags());
    use(v.reserved_bits());
    use(v.fin());
    use(v.syn());
    use(v.rst());
    use(v.psh());
    use(v.ack());
    use(v.urg());
    use(v.ece());
    use(v.cwr());
    use(v.ae());
    use(v.ace());
    use(v.window());
    use(v.checksum());
    use(v.urgent_pointer());
    use(v.header());
    use(v.options_bytes());
    const auto opts = v.options();
    use(opts.empty());
    for (const auto& o : opts) {
        if (o) {
            touch(*o);
        } else {
            use(o.error());
        }
    }
    use(opts.validate());
    use(v.payload());
    use(v.checksum_ok(v4_src, v4_dst));
    use(v.checksum_ok(v6_src, v6_dst));
    use(v.compute_checksum(v4_src, v4_dst));
    use(v.compute_checksum(v6_src, v6_dst));
    use_parsed(tcp::repr::parse(v));
}

inline void touch(const udp::view& v) noexcept {
    use(v.buffer());
    use(v.src_port());
    use(v.dst_port());
    use(v.length());
    use(v.checksum());
    use(v.has_checksum());
    use(v.header_len());
    use(v.datagram_len());
    use(v.is_complete());
    use(v.payload());
    use(v.checksum_ok(v4_src, v4_dst));
    use(v.checksum_ok(v6_src, v6_dst));
    use(v.compute_checksum(v4_src, v4_dst));
    use(v.compute_checksum(v6_src, v6_dst));
    use_parsed(udp::repr::parse(v));
}

inline void touch(const icmpv4::view& v) noexcept {
    use(v.buffer());
    use(v.type());
    use(v.code());
    use(v.checksum());
    use(v.rest_of_header());
    use(v.header_len());
    use(v.is_error());
    use(v.identifier());
    use(v.sequence());
    use(v.gateway());
    use(v.pointer());
    use(v.length_words());
    use(v.next_hop_mtu());
    use(v.originate_timestamp());
    use(v.receive_timestamp());
    use(v.transmit_timestamp());
    use(v.address_mask());
    use(v.payload());
    use(v.invoking_packet());
    // The quoted header is a checked_header() view: every accessor holds.
    if (const auto ip = v.invoking_ipv4()) {
        touch(*ip);
    } else {
        use(ip.error());
    }
    use(v.extension());
    use(v.checksum_ok());
    use(v.compute_checksum());
    use_parsed(icmpv4::echo_repr::parse(v));
    use_parsed(icmpv4::error_repr::parse(v));
}

inline void touch(const icmpv6::option& o) noexcept {
    use(o.kind);
    use(o.length);
    use(o.offset);
    use(o.data);
    use(o.link_layer_address());
    use(o.mac());
    use(o.prefix_len());
    use(o.prefix_flags());
    use(o.on_link_flag());
    use(o.autonomous_flag());
    use(o.router_address_flag());
    use(o.valid_lifetime());
    use(o.preferred_lifetime());
    use(o.prefix());
    use(o.redirected_packet());
    use(o.mtu());
    use(o.nonce());
}

inline void touch(const icmpv6::view& v) noexcept {
    use(v.buffer());
    use(v.type());
    use(v.code());
    use(v.checksum());
    use(v.is_error());
    use(v.header_len());
    use(v.body());
    use(v.payload());
    use(v.rest_of_header());
    use(v.identifier());
    use(v.sequence());
    use(v.mtu());
    use(v.pointer());
    use(v.invoking_packet());
    if (const auto ip = v.invoking_ipv6()) {
        touch(*ip);
    } else {
        use(ip.error());
    }
    use(v.cur_hop_limit());
    use(v.ra_flags());
    use(v.managed_flag());
    use(v.other_flag());
    use(v.home_agent_flag());
    use(v.router_preference());
    use(v.proxy_flag());
    use(v.router_lifetime());
    use(v.reachable_time());
    use(v.retrans_timer());
    use(v.router_flag());
    use(v.solicited_flag());
    use(v.override_flag());
    use(v.target());
    use(v.destination());
    use(v.options_bytes());
    const auto opts = v.options();
    use(opts.empty());
    for (const auto& o : opts) {
        if (o) {
            touch(*o);
        } else {
            use(o.error());
        }
    }
    use(opts.validate());
    use(v.checksum_ok(v6_src, v6_dst));
    use(v.compute_checksum(v6_src, v6_dst));
    use_parsed(icmpv6::echo_repr::parse(v));
    use_parsed(icmpv6::error_repr::parse(v));
    use_parsed(icmpv6::router_solicit_repr::parse(v));
    use_parsed(icmpv6::router_advert_repr::parse(v));
    use_parsed(icmpv6::neighbor_solicit_repr::parse(v));
    use_parsed(icmpv6::neighbor_advert_repr::parse(v));
    use_parsed(icmpv6::redirect_repr::parse(v));
}

// ---- tunnels ----

inline void touch(const gre::view& v) noexcept {
    use(v.buffer());
    use(v.flags());
    use(v.version());
    use(v.has_checksum());
    use(v.has_routing());
    use(v.has_key());
    use(v.has_sequence());
    use(v.has_ack());
    use(v.reserved0());
    use(v.protocol_type());
    use(v.header_len());
    use(v.checksum());
    use(v.reserved1());
    use(v.key());
    use(v.sequence());
    use(v.ack());
    use(v.payload_len());
    use(v.call_id());
    use(v.header());
    use(v.packet_len());
    use(v.is_complete());
    use(v.payload());
    use(v.checksum_ok());
    // Documented to require the C flag.
    if (v.has_checksum()) use(v.compute_checksum());
    use_parsed(gre::repr::parse(v));
}

inline void touch(const vxlan::view& v) noexcept {
    use(v.buffer());
    use(v.flags());
    use(v.vni_valid());
    use(v.reserved1());
    use(v.vni());
    use(v.reserved2());
    use(v.header_len());
    use(v.has_group_policy());
    use(v.dont_learn());
    use(v.policy_applied());
    use(v.group_policy_id());
    use(v.header());
    use(v.payload());
    use_parsed(vxlan::repr::parse(v));
}

inline void touch(const geneve::view& v) noexcept {
    use(v.buffer());
    use(v.version());
    use(v.opt_len());
    use(v.options_len());
    use(v.header_len());
    use(v.flags());
    use(v.oam());
    use(v.critical());
    use(v.protocol_type());
    use(v.vni());
    use(v.reserved());
    use(v.header());
    use(v.options_bytes());
    const auto opts = v.options();
    use(opts.empty());
    for (const auto& o : opts) {
        if (o) {
            use(o->option_class);
            use(o->type);
            use(o->reserved);
            use(o->length);
            use(o->offset);
            use(o->data);
            use(o->critical());
        } else {
            use(o.error());
        }
    }
    use(opts.validate());
    use(v.payload());
    use_parsed(geneve::repr::parse(v));
}

inline void touch(const gtpu::extension_range& exts) noexcept {
    use(exts.empty());
    for (const auto& e : exts) {
        if (e) {
            use(e->type);
            use(e->length);
            use(e->offset);
            use(e->content);
            use(e->next);
            use(e->comprehension());
        } else {
            use(e.error());
        }
    }
    use(exts.validate());
    use(exts.valid_len());
}

inline void touch(const gtpu::view& v) noexcept {
    use(v.buffer());
    use(v.version());
    use(v.pt());
    use(v.spare());
    use(v.has_extension());
    use(v.has_sequence());
    use(v.has_npdu_number());
    use(v.message_type());
    use(v.length());
    use(v.teid());
    use(v.long_header());
    use(v.sequence());
    use(v.npdu_number());
    use(v.next_extension_type());
    touch(v.extensions());
    use(v.header_len());
    use(v.header());
    use(v.packet_len());
    use(v.is_complete());
    use(v.payload());
    use(v.tpdu_ip_version());
    use_parsed(gtpu::repr::parse(v));
}

inline void touch(const teredo::view& v) noexcept {
    use(v.buffer());
    use(v.has_auth());
    use(v.auth_len());
    use(v.has_origin());
    use(v.header_len());
    if (const auto a = v.auth()) {
        use(a->client_id);
        use(a->auth_value);
        use(a->nonce);
        use(a->confirmation);
    }
    if (const auto o = v.origin()) {
        use(o->port);
        use(o->address);
    }
    use(v.header());
    use(v.payload());
    use_parsed(teredo::repr::parse(v));
}

/// checked() and, where the view has one, checked_header(): touch() on
/// whatever they accept.
template <class View>
void check_and_touch(bytes b) noexcept {
    if (const auto v = View::checked(b)) {
        touch(*v);
    } else {
        use(v.error());
    }
    if constexpr (requires { View::checked_header(b); }) {
        if (const auto v = View::checked_header(b)) {
            touch(*v);
        } else {
            use(v.error());
        }
    }
}

/// The fuzz input as bytes.
inline bytes input(const std::uint8_t* data, std::size_t size) noexcept {
    return size == 0 ? bytes{} : bytes{reinterpret_cast<const std::byte*>(data), size};
}

} // namespace rawpkt::fuzz
