// SPDX-License-Identifier: BSD-3-Clause
#include <rawpkt/fields.hpp>
#include <rawpkt/packet/dhcp.hpp>
#include <rawpkt/packet/dns.hpp>

#include <algorithm>
#include <array>
#include <charconv>
#include <cstdio>
#include <string>
#include <vector>

namespace rawpkt::fields {
namespace {

constexpr std::array<std::string_view, static_cast<std::size_t>(id::dhcp_option_dhcp) + 1> field_names = {
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
    "dns.id",
    "dns.flags.response",
    "dns.qry.name",
    "dns.qry.type",
    "dns.count.answers",
    "dns.a",
    "dns.aaaa",
    "dns.cname",
    "dns.ns",
    "dns.ptr.domain_name",
    "dns.mx.preference",
    "dns.mx.mail_exchange",
    "dns.txt",
    "dns.soa.mname",
    "dns.soa.rname",
    "dns.soa.serial_number",
    "dns.soa.refresh_interval",
    "dns.soa.retry_interval",
    "dns.soa.expire_limit",
    "dns.soa.minimum_ttl",
    "dns.srv.priority",
    "dns.srv.weight",
    "dns.srv.port",
    "dns.srv.target",
    "dns.rr.udp_payload_size",
    "dns.resp.ext_rcode",
    "dns.resp.edns0_version",
    "dns.resp.z.do",
    "dns.opt.code",
    "dns.opt.len",
    "dns.opt.data",
    "dhcp.option.dhcp",
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
    // Application fields are read from transport payloads (see
    // append_application()), not from a decoded layer of their own.
    case id::dns_id:
    case id::dns_flags_response:
    case id::dns_qry_name:
    case id::dns_qry_type:
    case id::dns_count_answers:
    case id::dns_a:
    case id::dns_aaaa:
    case id::dns_cname:
    case id::dns_ns:
    case id::dns_ptr_domain_name:
    case id::dns_mx_preference:
    case id::dns_mx_mail_exchange:
    case id::dns_txt:
    case id::dns_soa_mname:
    case id::dns_soa_rname:
    case id::dns_soa_serial_number:
    case id::dns_soa_refresh_interval:
    case id::dns_soa_retry_interval:
    case id::dns_soa_expire_limit:
    case id::dns_soa_minimum_ttl:
    case id::dns_srv_priority:
    case id::dns_srv_weight:
    case id::dns_srv_port:
    case id::dns_srv_target:
    case id::dns_rr_udp_payload_size:
    case id::dns_resp_ext_rcode:
    case id::dns_resp_edns0_version:
    case id::dns_resp_z_do:
    case id::dns_opt_code:
    case id::dns_opt_len:
    case id::dns_opt_data:
    case id::dhcp_option_dhcp: return layer::none;
    }
    return layer::none;
}

/// True when layer kind `k` carries field `f`. tshark's ip.version is also
/// the version field of IPv6 headers.
bool matches(id f, layer k) {
    if (f == id::ip_version) return k == layer::ipv4 || k == layer::ipv6;
    return k == layer_of(f);
}

/// The EtherType that announced layer `i` (the type field of the layer
/// before it), or 0 when it is not an EtherType.
std::uint16_t announced_by(const decoded& d, std::size_t i) {
    if (i == 0) return 0;
    const layer_info& p = d[i - 1];
    const bytes b = d.bytes_of(p);
    switch (p.kind) {
    case layer::ethernet: return ethernet::view::unchecked(b).type_len();
    case layer::vlan: return vlan::view::unchecked(b).type_len();
    case layer::sll: return sll::view::unchecked(b).protocol();
    case layer::sll2: return sll2::view::unchecked(b).protocol();
    case layer::snap: return snap::view::unchecked(b).protocol_id();
    default: return 0;
    }
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

/// Whether the bytes a checksum at layer `l` covers, up to `declared_end`
/// (its length fields), can be checked. As tshark does, a length that claims
/// more than the frame had on the wire is cut to the frame (the check then
/// fails); bytes the capture cut (a snaplen) cannot be checked.
bool checkable(const context& ctx, const layer_info& l, std::uint64_t declared_end) {
    const std::uint64_t captured_end = std::uint64_t{l.offset} + l.length;
    const std::uint64_t reported_end = std::min<std::uint64_t>(declared_end, ctx.record.original_len);
    return reported_end <= captured_end;
}

/// Checksum status of the TCP segment or UDP datagram at index `i`.
template <class View>
unsigned transport_checksum(const context& ctx, std::size_t i, std::uint64_t declared_end) {
    const decoded& d = ctx.layers;
    const layer_info& l = d[i];
    const layer_info* ip = enclosing_ip(d, i);
    if (ip == nullptr || inside_fragment(d, i) || !checkable(ctx, l, declared_end)) return unverified;
    const auto v = View::unchecked(d.bytes_of(l));
    if (ip->kind == layer::ipv4) {
        const auto h = ipv4::view::unchecked(d.bytes_of(*ip));
        return v.checksum_ok(h.src(), h.dst()) ? good : bad;
    }
    const auto h = ipv6::view::unchecked(d.bytes_of(*ip));
    return v.checksum_ok(h.src(), h.final_destination()) ? good : bad;
}

/// The destination tshark shows for an IPv4 header: the last address of a
/// loose or strict source route still to be followed (RFC 791 §3.1), else
/// the destination field.
ipv4_address final_destination(const ipv4::view& v) {
    for (const auto& o : v.options()) {
        if (!o) break;
        if (o->kind != ipv4::option_kind::lsrr && o->kind != ipv4::option_kind::ssrr) continue;
        if (o->route_count() > 0 && o->pointer() <= o->length) return o->route(o->route_count() - 1);
    }
    return v.dst();
}

/// Appends one occurrence of `f` from layer `i`; false if the layer has no
/// such field.
bool put_layer_field(std::string& out, id f, const context& ctx, std::size_t i) {
    const decoded& d = ctx.layers;
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
    case id::vlan_id:
    case id::vlan_priority: {
        // tshark's vlan.* are 802.1Q tags (and 0x9100 double tags); an
        // 802.1ad service tag (0x88a8) is ieee8021ad.* there.
        const std::uint16_t tpid = announced_by(d, i);
        if (tpid == static_cast<std::uint16_t>(ethertype::qinq)) return false;
        const auto v = vlan::view::unchecked(b);
        put_dec(out, f == id::vlan_id ? v.vid() : v.pcp());
        return true;
    }
    case id::mpls_label: put_dec(out, mpls::view::unchecked(b).label()); return true;
    case id::ip_version: put_dec(out, load_u8(b, 0) >> 4); return true;
    case id::ip_hdr_len: put_dec(out, ipv4::view::unchecked(b).header_len()); return true;
    case id::ip_len: {
        // A total length of 0 (TSO, BIG TCP): tshark shows what the frame holds.
        const auto v = ipv4::view::unchecked(b);
        const std::uint64_t reported = ctx.record.original_len > l.offset ? ctx.record.original_len - l.offset : 0;
        put_dec(out, v.total_len() != 0 ? v.total_len() : reported);
        return true;
    }
    case id::ip_id: put_hex(out, ipv4::view::unchecked(b).ident(), 4); return true;
    case id::ip_flags_df: put_dec(out, ipv4::view::unchecked(b).dont_fragment() ? 1 : 0); return true;
    case id::ip_flags_mf: put_dec(out, ipv4::view::unchecked(b).more_fragments() ? 1 : 0); return true;
    case id::ip_frag_offset: put_dec(out, ipv4::view::unchecked(b).frag_offset_units()); return true;
    case id::ip_ttl: put_dec(out, ipv4::view::unchecked(b).ttl()); return true;
    case id::ip_proto: put_dec(out, static_cast<std::uint8_t>(ipv4::view::unchecked(b).protocol())); return true;
    case id::ip_checksum: put_hex(out, ipv4::view::unchecked(b).checksum(), 4); return true;
    case id::ip_checksum_status: put_dec(out, ipv4::view::unchecked(b).checksum_ok() ? good : bad); return true;
    case id::ip_src: put_address(out, ipv4::view::unchecked(b).src()); return true;
    case id::ip_dst: put_address(out, final_destination(ipv4::view::unchecked(b))); return true;
    case id::ipv6_plen: put_dec(out, ipv6::view::unchecked(b).payload_len()); return true;
    case id::ipv6_nxt: put_dec(out, static_cast<std::uint8_t>(ipv6::view::unchecked(b).next_header())); return true;
    case id::ipv6_hlim: put_dec(out, ipv6::view::unchecked(b).hop_limit()); return true;
    case id::ipv6_src: put_address(out, ipv6::view::unchecked(b).src()); return true;
    case id::ipv6_dst: put_address(out, ipv6::view::unchecked(b).dst()); return true;
    case id::ipv6_flow: put_hex(out, ipv6::view::unchecked(b).flow_label(), 6); return true;
    case id::tcp_srcport: put_dec(out, tcp::view::unchecked(b).src_port()); return true;
    case id::tcp_dstport: put_dec(out, tcp::view::unchecked(b).dst_port()); return true;
    case id::tcp_seq_raw: put_dec(out, tcp::view::unchecked(b).sequence()); return true;
    case id::tcp_ack_raw: put_dec(out, tcp::view::unchecked(b).ack_number()); return true;
    case id::tcp_hdr_len: put_dec(out, tcp::view::unchecked(b).header_len()); return true;
    case id::tcp_flags: put_hex(out, tcp::view::unchecked(b).flags() & 0x0fff, 4); return true;
    case id::tcp_window_size_value: put_dec(out, tcp::view::unchecked(b).window()); return true;
    case id::tcp_len: {
        if (l.has(layer_flag::quoted)) return false; // tshark leaves it out inside ICMP errors
        const layer_info* ip = enclosing_ip(d, i);
        const std::uint64_t start = std::uint64_t{l.offset} + l.header_len;
        const std::uint64_t end = ip ? declared_ip_end(d, *ip) : std::uint64_t{l.offset} + l.length;
        put_dec(out, end > start ? end - start : 0);
        return true;
    }
    case id::tcp_checksum: put_hex(out, tcp::view::unchecked(b).checksum(), 4); return true;
    case id::tcp_checksum_status: {
        const layer_info* ip = enclosing_ip(d, i);
        put_dec(out, transport_checksum<tcp::view>(ctx, i, ip ? declared_ip_end(d, *ip) : 0));
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
            // tshark checks a UDP checksum only when all the bytes the UDP
            // length names are there, however the frame was captured.
            const bool whole = v.length() <= l.length;
            put_dec(out, whole ? transport_checksum<udp::view>(ctx, i, std::uint64_t{l.offset} + v.length())
                               : static_cast<unsigned>(unverified));
        }
        return true;
    }
    case id::icmp_type: put_dec(out, static_cast<std::uint8_t>(icmpv4::view::unchecked(b).type())); return true;
    case id::icmp_code: put_dec(out, icmpv4::view::unchecked(b).code()); return true;
    case id::icmp_checksum_status: {
        // tshark does not check the checksum of an ICMP message quoted in an
        // ICMP error, nor one whose bytes the capture cut.
        const layer_info* ip = enclosing_ip(d, i);
        const bool check = ip != nullptr && !l.has(layer_flag::quoted) && !inside_fragment(d, i) &&
                           checkable(ctx, l, declared_ip_end(d, *ip));
        put_dec(out, !check ? unverified : icmpv4::view::unchecked(b).checksum_ok() ? good : bad);
        return true;
    }
    case id::icmpv6_type: put_dec(out, static_cast<std::uint8_t>(icmpv6::view::unchecked(b).type())); return true;
    case id::icmpv6_code: put_dec(out, icmpv6::view::unchecked(b).code()); return true;
    case id::arp_opcode: put_dec(out, static_cast<std::uint16_t>(arp::view::unchecked(b).operation())); return true;
    case id::arp_src_hw_mac:
    case id::arp_src_proto_ipv4:
    case id::arp_dst_hw_mac:
    case id::arp_dst_proto_ipv4: {
        // tshark names a 6-byte hardware address a MAC and a 4-byte IPv4
        // protocol address an IPv4 address, whatever the other one is.
        const auto v = arp::view::unchecked(b);
        const bool mac = v.hardware_len() == mac_address::size;
        const bool v4 = v.protocol_type() == ethertype::ipv4 && v.protocol_len() == ipv4_address::size;
        switch (f) {
        case id::arp_src_hw_mac:
            if (!mac) return false;
            put_address(out, mac_address::load(v.sender_hardware_addr(), 0));
            return true;
        case id::arp_dst_hw_mac:
            if (!mac) return false;
            put_address(out, mac_address::load(v.target_hardware_addr(), 0));
            return true;
        case id::arp_src_proto_ipv4:
            if (!v4) return false;
            put_address(out, ipv4_address::load(v.sender_protocol_addr(), 0));
            return true;
        default:
            if (!v4) return false;
            put_address(out, ipv4_address::load(v.target_protocol_addr(), 0));
            return true;
        }
    }
    case id::gre_proto:
        put_hex(out, static_cast<std::uint16_t>(gre::view::unchecked(b).protocol_type()), 4);
        return true;
    case id::vxlan_vni: put_dec(out, vxlan::view::unchecked(b).vni()); return true;
    case id::dns_id:
    case id::dns_flags_response:
    case id::dns_qry_name:
    case id::dns_qry_type:
    case id::dns_count_answers:
    case id::dns_a:
    case id::dns_aaaa:
    case id::dns_cname:
    case id::dns_ns:
    case id::dns_ptr_domain_name:
    case id::dns_mx_preference:
    case id::dns_mx_mail_exchange:
    case id::dns_txt:
    case id::dns_soa_mname:
    case id::dns_soa_rname:
    case id::dns_soa_serial_number:
    case id::dns_soa_refresh_interval:
    case id::dns_soa_retry_interval:
    case id::dns_soa_expire_limit:
    case id::dns_soa_minimum_ttl:
    case id::dns_srv_priority:
    case id::dns_srv_weight:
    case id::dns_srv_port:
    case id::dns_srv_target:
    case id::dns_rr_udp_payload_size:
    case id::dns_resp_ext_rcode:
    case id::dns_resp_edns0_version:
    case id::dns_resp_z_do:
    case id::dns_opt_code:
    case id::dns_opt_len:
    case id::dns_opt_data:
    case id::dhcp_option_dhcp:
    case id::frame_number:
    case id::frame_len:
    case id::frame_cap_len:
    case id::frame_time_epoch: return false;
    }
    return false;
}

bool is_dns_port(std::uint16_t p) { return p == 53 || p == 5353 || p == 5355; } // DNS, mDNS, LLMNR

/// Bytes as lowercase hex digits without separators, as tshark prints FT_BYTES.
void put_hex_bytes(std::string& out, bytes b) {
    constexpr char digits[] = "0123456789abcdef";
    for (const std::byte c : b) {
        out += digits[std::to_integer<unsigned>(c) >> 4];
        out += digits[std::to_integer<unsigned>(c) & 0x0f];
    }
}

/// The values of a DNS record field that `r` holds, as tshark prints them
/// (`mdns`: the message came over mDNS's port 5353).
void record_values(std::vector<std::string>& values, id field, const dns::record& r, bool mdns) {
    std::string s;
    switch (field) {
    case id::dns_a:
        if (const auto a = r.a()) values.push_back(a->to_string());
        return;
    case id::dns_aaaa:
        if (const auto a = r.aaaa()) values.push_back(a->to_string());
        return;
    case id::dns_cname:
        if (const auto n = r.cname()) values.push_back(n->to_string());
        return;
    case id::dns_ns:
        if (const auto n = r.ns()) values.push_back(n->to_string());
        return;
    case id::dns_ptr_domain_name:
        if (const auto n = r.ptr()) values.push_back(n->to_string());
        return;
    case id::dns_mx_preference:
        if (const auto mx = r.mx()) values.push_back(std::to_string(mx->preference));
        return;
    case id::dns_mx_mail_exchange:
        if (const auto mx = r.mx()) values.push_back(mx->exchange.to_string());
        return;
    case id::dns_txt:
        if (const auto txt = r.txt()) {
            for (const auto& t : *txt) {
                if (!t) break;
                values.emplace_back(reinterpret_cast<const char*>(t->text.data()), t->text.size());
            }
        }
        return;
    case id::dns_soa_mname:
    case id::dns_soa_rname:
    case id::dns_soa_serial_number:
    case id::dns_soa_refresh_interval:
    case id::dns_soa_retry_interval:
    case id::dns_soa_expire_limit:
    case id::dns_soa_minimum_ttl: {
        const auto soa = r.soa();
        if (!soa) return;
        switch (field) {
        case id::dns_soa_mname: values.push_back(soa->mname.to_string()); return;
        case id::dns_soa_rname: values.push_back(soa->rname.to_string()); return;
        case id::dns_soa_serial_number: values.push_back(std::to_string(soa->serial)); return;
        case id::dns_soa_refresh_interval: values.push_back(std::to_string(soa->refresh)); return;
        case id::dns_soa_retry_interval: values.push_back(std::to_string(soa->retry)); return;
        case id::dns_soa_expire_limit: values.push_back(std::to_string(soa->expire)); return;
        default: values.push_back(std::to_string(soa->minimum)); return;
        }
    }
    case id::dns_srv_priority:
    case id::dns_srv_weight:
    case id::dns_srv_port:
    case id::dns_srv_target: {
        const auto srv = r.srv();
        if (!srv) return;
        switch (field) {
        case id::dns_srv_priority: values.push_back(std::to_string(srv->priority)); return;
        case id::dns_srv_weight: values.push_back(std::to_string(srv->weight)); return;
        case id::dns_srv_port: values.push_back(std::to_string(srv->port)); return;
        default: values.push_back(srv->target.to_string()); return;
        }
    }
    case id::dns_rr_udp_payload_size:
    case id::dns_resp_ext_rcode:
    case id::dns_resp_edns0_version:
    case id::dns_resp_z_do:
    case id::dns_opt_code:
    case id::dns_opt_len:
    case id::dns_opt_data: {
        const auto opt = r.opt();
        if (!opt) return;
        switch (field) {
        case id::dns_rr_udp_payload_size:
            // tshark's mDNS dissector shows this CLASS in hex, as it shows
            // the class of every mDNS record (its top bit is cache-flush).
            if (mdns) {
                put_hex(s, opt->udp_payload_size, 4);
                values.push_back(s);
            } else {
                values.push_back(std::to_string(opt->udp_payload_size));
            }
            return;
        case id::dns_resp_ext_rcode:
            put_hex(s, opt->extended_rcode, 2);
            values.push_back(s);
            return;
        case id::dns_resp_edns0_version: values.push_back(std::to_string(opt->version)); return;
        case id::dns_resp_z_do: values.push_back(opt->dnssec_ok ? "1" : "0"); return;
        default: break;
        }
        for (const auto& o : opt->options) {
            if (!o) break;
            s.clear();
            if (field == id::dns_opt_code) {
                put_dec(s, o->code);
            } else if (field == id::dns_opt_len) {
                put_dec(s, o->data.size());
            } else if (o->data.empty()) {
                s = "<MISSING>"; // what tshark prints for empty bytes
            } else {
                put_hex_bytes(s, o->data);
            }
            values.push_back(s);
        }
        return;
    }
    default: return;
    }
}

/// The values of a dns.* field in one message.
void dns_values(std::vector<std::string>& values, id field, bytes message, std::uint16_t sport, std::uint16_t dport) {
    const auto v = dns::view::checked(message);
    if (!v) return;
    std::string s;
    switch (field) {
    case id::dns_id:
        put_hex(s, v->id(), 4);
        values.push_back(s);
        return;
    case id::dns_flags_response: values.push_back(v->is_response() ? "1" : "0"); return;
    case id::dns_count_answers: values.push_back(std::to_string(v->answer_count())); return;
    default: break;
    }
    dns::reader r{*v};
    while (const auto e = r.next()) {
        if (!*e) break;
        const auto& entry = **e;
        if (entry.section == dns::section::question) {
            if (field == id::dns_qry_name) values.push_back(entry.question.name.to_string());
            if (field == id::dns_qry_type) values.push_back(std::to_string(entry.question.type));
            continue;
        }
        record_values(values, field, entry.record, sport == 5353 || dport == 5353);
    }
}

/// Every value of a DNS or DHCP field in the frame: one per message field
/// (per question or record for the repeated ones), in order.
void application_values(std::vector<std::string>& values, id field, const context& ctx) {
    const decoded& d = ctx.layers;
    for (std::size_t i = 0; i < d.size(); ++i) {
        const layer_info& l = d[i];
        if (l.kind != layer::udp && l.kind != layer::tcp) continue;
        const bytes t = d.bytes_of(l);
        if (t.size() < 4) continue;
        const std::uint16_t sport = load_be<std::uint16_t>(t, 0), dport = load_be<std::uint16_t>(t, 2);
        bytes payload = t.subspan(std::min<std::size_t>(l.header_len, t.size()));
        if (field == id::dhcp_option_dhcp) {
            if (l.kind != layer::udp || !((sport == 67 || sport == 68) && (dport == 67 || dport == 68))) continue;
            const auto v = dhcp::view::checked(payload);
            if (!v) continue;
            for (const auto& o : v->options()) {
                if (!o) break;
                if (const auto type = o->message_type()) values.push_back(std::to_string(*type));
            }
            continue;
        }
        if (!is_dns_port(sport) && !is_dns_port(dport)) continue;
        if (l.kind == layer::tcp && ctx.tcp_dns_messages != nullptr) {
            for (const bytes m : *ctx.tcp_dns_messages) dns_values(values, field, m, sport, dport);
            continue;
        }
        if (l.kind == layer::tcp) {
            const auto m = dns::tcp_message(payload);
            if (!m) continue;
            payload = *m;
        }
        dns_values(values, field, payload, sport, dport);
    }
}

bool is_application(id f) { return f >= id::dns_id && f <= id::dhcp_option_dhcp; }

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
    if (is_application(field)) {
        std::vector<std::string> values;
        application_values(values, field, ctx);
        if (values.empty()) return;
        if (which == occurrence::first) {
            out += values.front();
        } else if (which == occurrence::last) {
            out += values.back();
        } else {
            for (std::size_t i = 0; i < values.size(); ++i) {
                if (i > 0) out += aggregator;
                out += values[i];
            }
        }
        return;
    }
    // Every layer that carries the field and has a value for it, outermost
    // first; `first` and `last` pick among those, as tshark does.
    const decoded& d = ctx.layers;
    std::string one;
    bool any = false;
    for (std::size_t i = 0; i < d.size(); ++i) {
        if (!matches(field, d[i].kind)) continue;
        one.clear();
        if (!put_layer_field(one, field, ctx, i)) continue;
        if (which == occurrence::first) {
            out += one;
            return;
        }
        if (which == occurrence::last) {
            any = true;
            continue;
        }
        if (any) out += aggregator;
        out += one;
        any = true;
    }
    if (which == occurrence::last && any) {
        for (std::size_t i = d.size(); i-- > 0;) {
            if (matches(field, d[i].kind) && put_layer_field(out, field, ctx, i)) return;
        }
    }
}

std::string value(id field, const context& ctx, occurrence which, char aggregator) {
    std::string s;
    append(s, field, ctx, which, aggregator);
    return s;
}

std::span<const id> fields_of(layer kind) noexcept {
    // Built once from layer_of(): every id whose layer is `kind`, in id order.
    struct table {
        std::array<id, field_names.size() * 2> ids{};
        std::array<std::uint8_t, 256> first{};
        std::array<std::uint8_t, 256> count{};
        table() {
            std::size_t n = 0;
            for (std::size_t k = 0; k < 256; ++k) {
                first[k] = static_cast<std::uint8_t>(n);
                for (std::size_t i = 0; i < field_names.size(); ++i) {
                    const auto f = static_cast<id>(i);
                    if (layer_of(f) == layer::none || !matches(f, static_cast<layer>(k))) continue;
                    ids[n++] = f;
                    ++count[k];
                }
            }
        }
    };
    static const table t;
    const auto k = static_cast<std::size_t>(kind);
    return {t.ids.data() + t.first[k], t.count[k]};
}

bool append_at(std::string& out, id field, const context& ctx, std::size_t index) {
    if (index >= ctx.layers.size() || layer_of(field) == layer::none) return false;
    if (!matches(field, ctx.layers[index].kind)) return false;
    return put_layer_field(out, field, ctx, index);
}

} // namespace rawpkt::fields
