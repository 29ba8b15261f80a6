// SPDX-License-Identifier: BSD-3-Clause
#include <rawpkt/fields.hpp>

#include <array>
#include <charconv>
#include <cstdio>

namespace rawpkt::fields {
namespace {

constexpr std::array<std::string_view, static_cast<std::size_t>(id::vxlan_vni) + 1> field_names = {
    "frame.number",
    "frame.len",
    "frame.cap_len",
    "frame.time_epoch",
    "eth.src",
    "eth.dst",
    "eth.type",
    "vlan.id",
    "vlan.priority",
    "mpls.label",
    "ip.version",
    "ip.hdr_len",
    "ip.len",
    "ip.id",
    "ip.flags.df",
    "ip.flags.mf",
    "ip.frag_offset",
    "ip.ttl",
    "ip.proto",
    "ip.checksum",
    "ip.checksum.status",
    "ip.src",
    "ip.dst",
    "ipv6.plen",
    "ipv6.nxt",
    "ipv6.hlim",
    "ipv6.src",
    "ipv6.dst",
    "ipv6.flow",
    "tcp.srcport",
    "tcp.dstport",
    "tcp.seq_raw",
    "tcp.ack_raw",
    "tcp.hdr_len",
    "tcp.flags",
    "tcp.window_size_value",
    "tcp.len",
    "tcp.checksum",
    "tcp.checksum.status",
    "tcp.options.mss_val",
    "tcp.options.wscale.shift",
    "udp.srcport",
    "udp.dstport",
    "udp.length",
    "udp.checksum",
    "udp.checksum.status",
    "icmp.type",
    "icmp.code",
    "icmp.checksum.status",
    "icmpv6.type",
    "icmpv6.code",
    "arp.opcode",
    "arp.src.hw_mac",
    "arp.src.proto_ipv4",
    "arp.dst.hw_mac",
    "arp.dst.proto_ipv4",
    "gre.proto",
    "vxlan.vni",
};

// tshark's checksum status values (epan/proto.h, PROTO_CHECKSUM_E_*).
enum checksum_status : unsigned { bad = 0, good = 1, unverified = 2, not_present = 3 };

void put_dec(std::string& out, std::uint64_t v) {
    char buf[24];
    const auto r = std::to_chars(buf, buf + sizeof buf, v);
    out.append(buf, r.ptr);
}

/// "0x" and `width` lowercase hex digits, as tshark prints BASE_HEX fields.
void put_hex(std::string& out, std::uint64_t v, int width) {
    char buf[24];
    const int n = std::snprintf(buf, sizeof buf, "0x%0*llx", width, static_cast<unsigned long long>(v));
    out.append(buf, static_cast<std::size_t>(n));
}

template <class Address>
void put_address(std::string& out, const Address& a) {
    char buf[48];
    char* end = a.format_to(buf);
    out.append(buf, end);
}

void put_time(std::string& out, std::int64_t ns) {
    char buf[40];
    const bool negative = ns < 0;
    const std::uint64_t mag = negative ? 0 - static_cast<std::uint64_t>(ns) : static_cast<std::uint64_t>(ns);
    const int n = std::snprintf(buf, sizeof buf, "%s%llu.%09llu", negative ? "-" : "",
                                static_cast<unsigned long long>(mag / 1'000'000'000),
                                static_cast<unsigned long long>(mag % 1'000'000'000));
    out.append(buf, static_cast<std::size_t>(n));
}

/// The layer kind a field is read from; none for frame.* fields.
layer layer_of(id f) {
    switch (f) {
    case id::frame_number:
    case id::frame_len:
    case id::frame_cap_len:
    case id::frame_time_epoch: return layer::none;
    case id::eth_src:
    case id::eth_dst:
    case id::eth_type: return layer::ethernet;
    case id::vlan_id:
    case id::vlan_priority: return layer::vlan;
    case id::mpls_label: return layer::mpls;
    case id::ip_version:
    case id::ip_hdr_len:
    case id::ip_len:
    case id::ip_id:
    case id::ip_flags_df:
    case id::ip_flags_mf:
    case id::ip_frag_offset:
    case id::ip_ttl:
    case id::ip_proto:
    case id::ip_checksum:
    case id::ip_checksum_status:
    case id::ip_src:
    case id::ip_dst: return layer::ipv4;
    case id::ipv6_plen:
    case id::ipv6_nxt:
    case id::ipv6_hlim:
    case id::ipv6_src:
    case id::ipv6_dst:
    case id::ipv6_flow: return layer::ipv6;
    case id::tcp_srcport:
    case id::tcp_dstport:
    case id::tcp_seq_raw:
    case id::tcp_ack_raw:
    case id::tcp_hdr_len:
    case id::tcp_flags:
    case id::tcp_window_size_value:
    case id::tcp_len:
    case id::tcp_checksum:
    case id::tcp_checksum_status:
    case id::tcp_options_mss_val:
    case id::tcp_options_wscale_shift: return layer::tcp;
    case id::udp_srcport:
    case id::udp_dstport:
    case id::udp_length:
    case id::udp_checksum:
    case id::udp_checksum_status: return layer::udp;
    case id::icmp_type:
    case id::icmp_code:
    case id::icmp_checksum_status: return layer::icmpv4;
    case id::icmpv6_type:
    case id::icmpv6_code: return layer::icmpv6;
    case id::arp_opcode:
    case id::arp_src_hw_mac:
    case id::arp_src_proto_ipv4:
    case id::arp_dst_hw_mac:
    case id::arp_dst_proto_ipv4: return layer::arp;
    case id::gre_proto: return layer::gre;
    case id::vxlan_vni: return layer::vxlan;
    }
    return layer::none;
}

/// The IP layer that carries layer `i` (the nearest IPv4 or IPv6 before it).
const layer_info* enclosing_ip(const decoded& d, std::size_t i) {
    while (i-- > 0) {
        if (d[i].kind == layer::ipv4 || d[i].kind == layer::ipv6) return &d[i];
    }
    return nullptr;
}

/// Where the IP layer's datagram ends by its own length field (not clamped
/// to the capture), as an offset in the frame.
std::uint64_t declared_ip_end(const decoded& d, const layer_info& ip) {
    if (ip.kind == layer::ipv4) {
        const auto v = ipv4::view::unchecked(d.bytes_of(ip));
        return v.total_len() == 0 ? std::uint64_t{ip.offset} + ip.length : std::uint64_t{ip.offset} + v.total_len();
    }
    const auto v = ipv6::view::unchecked(d.bytes_of(ip));
    const std::uint64_t plen = v.payload_len() != 0 ? v.payload_len() : v.jumbo_payload_len();
    return std::uint64_t{ip.offset} + ipv6::fixed_header_len + plen;
}

/// True when a fragment header or fragmented IPv4 header comes before layer `i`:
/// its transport checksum covers data in other fragments.
bool inside_fragment(const decoded& d, std::size_t i) {
    for (std::size_t j = 0; j < i; ++j) {
        if (d[j].has(layer_flag::fragment)) return true;
    }
    return false;
}

/// Checksum status of the TCP segment or UDP datagram at index `i`, given
/// whether all the bytes its checksum covers were captured.
template <class View>
unsigned transport_checksum(const decoded& d, std::size_t i, bool whole) {
    const layer_info& l = d[i];
    const layer_info* ip = enclosing_ip(d, i);
    if (ip == nullptr || !whole || l.has(layer_flag::quoted) || inside_fragment(d, i)) return unverified;
    const auto v = View::unchecked(d.bytes_of(l));
    if (ip->kind == layer::ipv4) {
        const auto h = ipv4::view::unchecked(d.bytes_of(*ip));
        return v.checksum_ok(h.src(), h.dst()) ? good : bad;
    }
    const auto h = ipv6::view::unchecked(d.bytes_of(*ip));
    return v.checksum_ok(h.src(), h.final_destination()) ? good : bad;
}

/// Appends one occurrence of `f` from layer `i`; false if the layer has no
/// such field.
bool put_layer_field(std::string& out, id f, const decoded& d, std::size_t i) {
    const layer_info& l = d[i];
    const bytes b = d.bytes_of(l);
    switch (f) {
    case id::eth_src: put_address(out, ethernet::view::unchecked(b).src()); return true;
    case id::eth_dst: put_address(out, ethernet::view::unchecked(b).dst()); return true;
    case id::eth_type: {
        const auto v = ethernet::view::unchecked(b);
        if (!v.is_ethertype()) return false;
        put_hex(out, v.type_len(), 4);
        return true;
    }
    case id::vlan_id: put_dec(out, vlan::view::unchecked(b).vid()); return true;
    case id::vlan_priority: put_dec(out, vlan::view::unchecked(b).pcp()); return true;
    case id::mpls_label: put_dec(out, mpls::view::unchecked(b).label()); return true;
    case id::ip_version: put_dec(out, ipv4::view::unchecked(b).version()); return true;
    case id::ip_hdr_len: put_dec(out, ipv4::view::unchecked(b).header_len()); return true;
    case id::ip_len: put_dec(out, ipv4::view::unchecked(b).total_len()); return true;
    case id::ip_id: put_hex(out, ipv4::view::unchecked(b).ident(), 4); return true;
    case id::ip_flags_df: put_dec(out, ipv4::view::unchecked(b).dont_fragment() ? 1 : 0); return true;
    case id::ip_flags_mf: put_dec(out, ipv4::view::unchecked(b).more_fragments() ? 1 : 0); return true;
    case id::ip_frag_offset: put_dec(out, ipv4::view::unchecked(b).frag_offset_units()); return true;
    case id::ip_ttl: put_dec(out, ipv4::view::unchecked(b).ttl()); return true;
    case id::ip_proto: put_dec(out, static_cast<std::uint8_t>(ipv4::view::unchecked(b).protocol())); return true;
    case id::ip_checksum: put_hex(out, ipv4::view::unchecked(b).checksum(), 4); return true;
    case id::ip_checksum_status: put_dec(out, ipv4::view::unchecked(b).checksum_ok() ? good : bad); return true;
    case id::ip_src: put_address(out, ipv4::view::unchecked(b).src()); return true;
    case id::ip_dst: put_address(out, ipv4::view::unchecked(b).dst()); return true;
    case id::ipv6_plen: put_dec(out, ipv6::view::unchecked(b).payload_len()); return true;
    case id::ipv6_nxt: put_dec(out, static_cast<std::uint8_t>(ipv6::view::unchecked(b).next_header())); return true;
    case id::ipv6_hlim: put_dec(out, ipv6::view::unchecked(b).hop_limit()); return true;
    case id::ipv6_src: put_address(out, ipv6::view::unchecked(b).src()); return true;
    case id::ipv6_dst: put_address(out, ipv6::view::unchecked(b).dst()); return true;
    case id::ipv6_flow: put_hex(out, ipv6::view::unchecked(b).flow_label(), 6); return true;
    case id::tcp_srcport: put_dec(out, tcp::view::unchecked(b).src_port()); return true;
    case id::tcp_dstport: put_dec(out, tcp::view::unchecked(b).dst_port()); return true;
    case id::tcp_seq_raw: put_dec(out, tcp::view::unchecked(b).seq_number()); return true;
    case id::tcp_ack_raw: put_dec(out, tcp::view::unchecked(b).ack_number()); return true;
    case id::tcp_hdr_len: put_dec(out, tcp::view::unchecked(b).header_len()); return true;
    case id::tcp_flags: put_hex(out, tcp::view::unchecked(b).flags() & 0x0fff, 4); return true;
    case id::tcp_window_size_value: put_dec(out, tcp::view::unchecked(b).window()); return true;
    case id::tcp_len: {
        const layer_info* ip = enclosing_ip(d, i);
        const std::uint64_t start = std::uint64_t{l.offset} + l.header_len;
        const std::uint64_t end = ip ? declared_ip_end(d, *ip) : std::uint64_t{l.offset} + l.length;
        put_dec(out, end > start ? end - start : 0);
        return true;
    }
    case id::tcp_checksum: put_hex(out, tcp::view::unchecked(b).checksum(), 4); return true;
    case id::tcp_checksum_status: {
        const layer_info* ip = enclosing_ip(d, i);
        const bool whole = ip != nullptr && declared_ip_end(d, *ip) <= std::uint64_t{l.offset} + l.length;
        put_dec(out, transport_checksum<tcp::view>(d, i, whole));
        return true;
    }
    case id::tcp_options_mss_val:
    case id::tcp_options_wscale_shift: {
        const auto want = f == id::tcp_options_mss_val ? tcp::option_kind::mss : tcp::option_kind::window_scale;
        bool found = false;
        for (const auto& o : tcp::view::unchecked(b).options()) {
            if (!o) break;
            if (o->kind != want) continue;
            if (found) out += ',';
            put_dec(out, want == tcp::option_kind::mss ? o->mss() : o->window_scale());
            found = true;
        }
        return found;
    }
    case id::udp_srcport: put_dec(out, udp::view::unchecked(b).src_port()); return true;
    case id::udp_dstport: put_dec(out, udp::view::unchecked(b).dst_port()); return true;
    case id::udp_length: put_dec(out, udp::view::unchecked(b).length()); return true;
    case id::udp_checksum: put_hex(out, udp::view::unchecked(b).checksum(), 4); return true;
    case id::udp_checksum_status: {
        const auto v = udp::view::unchecked(b);
        const layer_info* ip = enclosing_ip(d, i);
        if (!v.has_checksum() && ip != nullptr && ip->kind == layer::ipv4) {
            put_dec(out, not_present);
        } else {
            put_dec(out, transport_checksum<udp::view>(d, i, v.is_complete()));
        }
        return true;
    }
    case id::icmp_type: put_dec(out, static_cast<std::uint8_t>(icmpv4::view::unchecked(b).type())); return true;
    case id::icmp_code: put_dec(out, icmpv4::view::unchecked(b).code()); return true;
    case id::icmp_checksum_status: {
        const layer_info* ip = enclosing_ip(d, i);
        const bool whole = ip != nullptr && !inside_fragment(d, i) &&
                           declared_ip_end(d, *ip) <= std::uint64_t{l.offset} + l.length;
        put_dec(out, !whole ? unverified : icmpv4::view::unchecked(b).checksum_ok() ? good : bad);
        return true;
    }
    case id::icmpv6_type: put_dec(out, static_cast<std::uint8_t>(icmpv6::view::unchecked(b).type())); return true;
    case id::icmpv6_code: put_dec(out, icmpv6::view::unchecked(b).code()); return true;
    case id::arp_opcode: put_dec(out, static_cast<std::uint16_t>(arp::view::unchecked(b).operation())); return true;
    case id::arp_src_hw_mac:
    case id::arp_src_proto_ipv4:
    case id::arp_dst_hw_mac:
    case id::arp_dst_proto_ipv4: {
        const auto v = arp::view::unchecked(b);
        if (!v.is_ethernet_ipv4()) return false;
        if (f == id::arp_src_hw_mac) put_address(out, v.sender_mac());
        if (f == id::arp_src_proto_ipv4) put_address(out, v.sender_ipv4());
        if (f == id::arp_dst_hw_mac) put_address(out, v.target_mac());
        if (f == id::arp_dst_proto_ipv4) put_address(out, v.target_ipv4());
        return true;
    }
    case id::gre_proto: put_hex(out, static_cast<std::uint16_t>(gre::view::unchecked(b).protocol_type()), 4); return true;
    case id::vxlan_vni: put_dec(out, vxlan::view::unchecked(b).vni()); return true;
    case id::frame_number:
    case id::frame_len:
    case id::frame_cap_len:
    case id::frame_time_epoch: return false;
    }
    return false;
}

} // namespace

std::span<const std::string_view> names() noexcept { return field_names; }

std::string_view name(id f) noexcept { return field_names[static_cast<std::size_t>(f)]; }

std::optional<id> lookup(std::string_view n) noexcept {
    for (std::size_t i = 0; i < field_names.size(); ++i) {
        if (field_names[i] == n) return static_cast<id>(i);
    }
    return std::nullopt;
}

void append(std::string& out, id field, const context& ctx, occurrence which, char aggregator) {
    switch (field) {
    case id::frame_number: put_dec(out, ctx.number); return;
    case id::frame_len: put_dec(out, ctx.record.original_len); return;
    case id::frame_cap_len: put_dec(out, ctx.record.captured_len()); return;
    case id::frame_time_epoch: put_time(out, ctx.record.timestamp_ns); return;
    default: break;
    }
    const layer kind = layer_of(field);
    const decoded& d = ctx.layers;
    std::size_t first = d.size(), last = d.size();
    for (std::size_t i = 0; i < d.size(); ++i) {
        if (d[i].kind != kind) continue;
        if (first == d.size()) first = i;
        last = i;
    }
    if (first == d.size()) return;
    if (which == occurrence::first) {
        put_layer_field(out, field, d, first);
        return;
    }
    if (which == occurrence::last) {
        put_layer_field(out, field, d, last);
        return;
    }
    bool any = false;
    for (std::size_t i = first; i <= last; ++i) {
        if (d[i].kind != kind) continue;
        const std::size_t mark = out.size();
        if (any) out += aggregator;
        if (put_layer_field(out, field, d, i)) {
            any = true;
        } else {
            out.resize(mark);
        }
    }
}

std::string value(id field, const context& ctx, occurrence which, char aggregator) {
    std::string s;
    append(s, field, ctx, which, aggregator);
    return s;
}

} // namespace rawpkt::fields
