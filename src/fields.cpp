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

/// What rawpkt knows of each field, in the order of `id`: its tshark name
/// and the layer kind it is read from. frame.* fields have none, nor have
/// the application fields: those are read from transport payloads (see
/// application_values()).
struct field_info {
    std::string_view name;
    layer kind;
};

constexpr std::array<field_info, static_cast<std::size_t>(id::dhcp_option_dhcp) + 1> registry = {{
    {"frame.number", layer::none},
    {"frame.len", layer::none},
    {"frame.cap_len", layer::none},
    {"frame.time_epoch", layer::none},
    {"eth.src", layer::ethernet},
    {"eth.dst", layer::ethernet},
    {"eth.type", layer::ethernet},
    {"vlan.id", layer::vlan},
    {"vlan.priority", layer::vlan},
    {"mpls.label", layer::mpls},
    {"ip.version", layer::ipv4},
    {"ip.hdr_len", layer::ipv4},
    {"ip.len", layer::ipv4},
    {"ip.id", layer::ipv4},
    {"ip.flags.df", layer::ipv4},
    {"ip.flags.mf", layer::ipv4},
    {"ip.frag_offset", layer::ipv4},
    {"ip.ttl", layer::ipv4},
    {"ip.proto", layer::ipv4},
    {"ip.checksum", layer::ipv4},
    {"ip.checksum.status", layer::ipv4},
    {"ip.src", layer::ipv4},
    {"ip.dst", layer::ipv4},
    {"ipv6.plen", layer::ipv6},
    {"ipv6.nxt", layer::ipv6},
    {"ipv6.hlim", layer::ipv6},
    {"ipv6.src", layer::ipv6},
    {"ipv6.dst", layer::ipv6},
    {"ipv6.flow", layer::ipv6},
    {"tcp.srcport", layer::tcp},
    {"tcp.dstport", layer::tcp},
    {"tcp.seq_raw", layer::tcp},
    {"tcp.ack_raw", layer::tcp},
    {"tcp.hdr_len", layer::tcp},
    {"tcp.flags", layer::tcp},
    {"tcp.window_size_value", layer::tcp},
    {"tcp.len", layer::tcp},
    {"tcp.checksum", layer::tcp},
    {"tcp.checksum.status", layer::tcp},
    {"tcp.options.mss_val", layer::tcp},
    {"tcp.options.wscale.shift", layer::tcp},
    {"udp.srcport", layer::udp},
    {"udp.dstport", layer::udp},
    {"udp.length", layer::udp},
    {"udp.checksum", layer::udp},
    {"udp.checksum.status", layer::udp},
    {"icmp.type", layer::icmpv4},
    {"icmp.code", layer::icmpv4},
    {"icmp.checksum.status", layer::icmpv4},
    {"icmpv6.type", layer::icmpv6},
    {"icmpv6.code", layer::icmpv6},
    {"arp.opcode", layer::arp},
    {"arp.src.hw_mac", layer::arp},
    {"arp.src.proto_ipv4", layer::arp},
    {"arp.dst.hw_mac", layer::arp},
    {"arp.dst.proto_ipv4", layer::arp},
    {"gre.proto", layer::gre},
    {"vxlan.vni", layer::vxlan},
    {"dns.id", layer::none},
    {"dns.flags.response", layer::none},
    {"dns.qry.name", layer::none},
    {"dns.qry.type", layer::none},
    {"dns.count.answers", layer::none},
    {"dns.a", layer::none},
    {"dns.aaaa", layer::none},
    {"dns.cname", layer::none},
    {"dns.ns", layer::none},
    {"dns.ptr.domain_name", layer::none},
    {"dns.mx.preference", layer::none},
    {"dns.mx.mail_exchange", layer::none},
    {"dns.txt", layer::none},
    {"dns.soa.mname", layer::none},
    {"dns.soa.rname", layer::none},
    {"dns.soa.serial_number", layer::none},
    {"dns.soa.refresh_interval", layer::none},
    {"dns.soa.retry_interval", layer::none},
    {"dns.soa.expire_limit", layer::none},
    {"dns.soa.minimum_ttl", layer::none},
    {"dns.srv.priority", layer::none},
    {"dns.srv.weight", layer::none},
    {"dns.srv.port", layer::none},
    {"dns.srv.target", layer::none},
    {"dns.rr.udp_payload_size", layer::none},
    {"dns.resp.ext_rcode", layer::none},
    {"dns.resp.edns0_version", layer::none},
    {"dns.resp.z.do", layer::none},
    {"dns.opt.code", layer::none},
    {"dns.opt.len", layer::none},
    {"dns.opt.data", layer::none},
    {"dhcp.option.dhcp", layer::none},
}};

constexpr auto field_names = [] {
    std::array<std::string_view, registry.size()> n{};
    for (std::size_t i = 0; i < n.size(); ++i) n[i] = registry[i].name;
    return n;
}();

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

/// The layer kind a field is read from; none for frame.* and application fields.
layer layer_of(id f) { return registry[static_cast<std::size_t>(f)].kind; }

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
    // No layer carries these (registry); listed so that -Wswitch names a
    // field added to `id` without a case here.
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

/// U+FFFD REPLACEMENT CHARACTER in UTF-8: what tshark shows for bytes that
/// are no character.
constexpr std::string_view replacement = "\xef\xbf\xbd";

void put_utf8(std::string& out, char32_t c) {
    if (c < 0x80) {
        out += static_cast<char>(c);
        return;
    }
    if (c < 0x800) {
        out += static_cast<char>(0xc0 | (c >> 6));
    } else {
        if (c < 0x10000) {
            out += static_cast<char>(0xe0 | (c >> 12));
        } else {
            out += static_cast<char>(0xf0 | (c >> 18));
            out += static_cast<char>(0x80 | ((c >> 12) & 0x3f));
        }
        out += static_cast<char>(0x80 | ((c >> 6) & 0x3f));
    }
    out += static_cast<char>(0x80 | (c & 0x3f));
}

/// False for the code points GLib's g_unichar_isprint() rejects that can
/// reach it here: C0 and C1 controls, format characters (Cf, Unicode 15)
/// and noncharacters. (Other unassigned code points count as printable.)
bool printable(char32_t c) {
    struct range {
        char32_t first, last;
    };
    static constexpr range format_chars[] = {
        {0xad, 0xad},       {0x600, 0x605},     {0x61c, 0x61c},     {0x6dd, 0x6dd},     {0x70f, 0x70f},
        {0x890, 0x891},     {0x8e2, 0x8e2},     {0x180e, 0x180e},   {0x200b, 0x200f},   {0x202a, 0x202e},
        {0x2060, 0x2064},   {0x2066, 0x206f},   {0xfeff, 0xfeff},   {0xfff9, 0xfffb},   {0x110bd, 0x110bd},
        {0x110cd, 0x110cd}, {0x13430, 0x1343f}, {0x1bca0, 0x1bca3}, {0x1d173, 0x1d17a}, {0xe0001, 0xe0001},
        {0xe0020, 0xe007f},
    };
    if (c < 0x20 || (c >= 0x7f && c < 0xa0)) return false;
    if ((c >= 0xfdd0 && c <= 0xfdef) || (c & 0xfffe) == 0xfffe) return false;
    return std::none_of(std::begin(format_chars), std::end(format_chars),
                        [c](const range& r) { return c >= r.first && c <= r.last; });
}

/// The letter of the C escape of BS, FF, LF, CR or TAB, else 0.
char short_escape(std::uint8_t c) {
    switch (c) {
    case '\b': return 'b';
    case '\f': return 'f';
    case '\n': return 'n';
    case '\r': return 'r';
    case '\t': return 't';
    default: return 0;
    }
}

/// Appends `text` the way tshark 4.0 shows a DNS name (its format_text()):
/// printable ASCII as is, other ASCII bytes as C escapes (\t, \n, ...) or
/// three octal digits; UTF-8 sequences as their character when printable,
/// else as \uXXXX or \UXXXXXXXX. A sequence is decoded by its lead byte
/// without rejecting overlong forms (so C0 AF shows as '/'); one that ends
/// early, a stray byte, a surrogate or a value past U+10FFFF shows as U+FFFD.
void put_display_text(std::string& out, bytes text) {
    std::size_t i = 0;
    while (i < text.size()) {
        const auto c = std::to_integer<std::uint8_t>(text[i++]);
        if (c < 0x80) {
            if (c >= 0x20 && c < 0x7f) {
                out += static_cast<char>(c);
                continue;
            }
            out += '\\';
            if (const char e = c == '\a' ? 'a' : c == '\v' ? 'v' : short_escape(c)) {
                out += e;
            } else {
                out += static_cast<char>('0' + (c >> 6));
                out += static_cast<char>('0' + ((c >> 3) & 7));
                out += static_cast<char>('0' + (c & 7));
            }
            continue;
        }
        // The lead byte says how many continuation bytes follow (up to five,
        // as in the original UTF-8 of RFC 2279).
        std::size_t more = 0;
        char32_t cp = 0;
        if ((c & 0xe0) == 0xc0) {
            more = 1, cp = c & 0x1fu;
        } else if ((c & 0xf0) == 0xe0) {
            more = 2, cp = c & 0x0fu;
        } else if ((c & 0xf8) == 0xf0) {
            more = 3, cp = c & 0x07u;
        } else if ((c & 0xfc) == 0xf8) {
            more = 4, cp = c & 0x03u;
        } else if ((c & 0xfe) == 0xfc) {
            more = 5, cp = c & 0x01u;
        } else {
            out += replacement;
            continue;
        }
        bool whole = true;
        for (; more > 0; --more) {
            if (i == text.size() || (std::to_integer<std::uint8_t>(text[i]) & 0xc0) != 0x80) {
                whole = false;
                break;
            }
            cp = (cp << 6) | (std::to_integer<std::uint8_t>(text[i++]) & 0x3fu);
        }
        if (!whole || (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff) {
            out += replacement;
        } else if (printable(cp)) {
            put_utf8(out, cp);
        } else {
            char buf[12];
            const int n =
                std::snprintf(buf, sizeof buf, cp > 0xffff ? "\\U%08X" : "\\u%04X", static_cast<unsigned>(cp));
            out.append(buf, static_cast<std::size_t>(n));
        }
    }
}

/// Appends a name as tshark shows it: its labels as text, joined by dots
/// (a dot inside a label is not escaped), "<Root>" for the root.
void put_name(std::string& out, const dns::name& n) {
    const std::size_t start = out.size();
    n.for_each_label([&](bytes label) {
        if (out.size() > start) out += '.';
        put_display_text(out, label);
    });
    if (out.size() == start) out += "<Root>";
}

/// Appends a TXT <character-string> as tshark -T fields prints it: read as
/// ASCII (each byte from 0x80 up is U+FFFD) up to its first NUL, then with
/// -E escape (on by default) BS, FF, LF, CR and TAB written as \b \f \n \r \t.
void put_txt(std::string& out, bytes text) {
    for (const std::byte b : text) {
        const auto c = std::to_integer<std::uint8_t>(b);
        if (c == 0) return;
        if (const char e = short_escape(c)) {
            out += '\\';
            out += e;
        } else if (c >= 0x80) {
            out += replacement;
        } else {
            out += static_cast<char>(c);
        }
    }
}

/// Where the values of an application field go: straight into the output,
/// with the aggregator between them, keeping only the first or the last
/// when asked; nothing is built on the side.
class value_sink {
public:
    value_sink(std::string& out, occurrence which, char aggregator)
        : out_(out), start_(out.size()), which_(which), aggregator_(aggregator) {}

    /// True once `first` has its value: the callers stop looking.
    [[nodiscard]] bool done() const noexcept { return which_ == occurrence::first && count_ > 0; }

    /// Starts the next value; the caller appends it to the string returned.
    std::string& next() {
        if (which_ == occurrence::last) {
            out_.resize(start_);
        } else if (count_ > 0) {
            out_ += aggregator_;
        }
        ++count_;
        return out_;
    }

private:
    std::string& out_;
    std::size_t start_;
    occurrence which_;
    char aggregator_;
    std::size_t count_ = 0;
};

/// The values of a DNS record field that `r` holds, as tshark prints them
/// (`mdns`: the message came over mDNS's port 5353).
void record_values(value_sink& sink, id field, const dns::record& r, bool mdns) {
    switch (field) {
    case id::dns_a:
        if (const auto a = r.a()) put_address(sink.next(), *a);
        return;
    case id::dns_aaaa:
        if (const auto a = r.aaaa()) put_address(sink.next(), *a);
        return;
    case id::dns_cname:
        if (const auto n = r.cname()) put_name(sink.next(), *n);
        return;
    case id::dns_ns:
        if (const auto n = r.ns()) put_name(sink.next(), *n);
        return;
    case id::dns_ptr_domain_name:
        if (const auto n = r.ptr()) put_name(sink.next(), *n);
        return;
    case id::dns_mx_preference:
        if (const auto mx = r.mx()) put_dec(sink.next(), mx->preference);
        return;
    case id::dns_mx_mail_exchange:
        if (const auto mx = r.mx()) put_name(sink.next(), mx->exchange);
        return;
    case id::dns_txt:
        if (const auto txt = r.txt()) {
            for (const auto& t : *txt) {
                if (!t || sink.done()) break;
                put_txt(sink.next(), t->text);
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
        std::string& out = sink.next();
        switch (field) {
        case id::dns_soa_mname: put_name(out, soa->mname); return;
        case id::dns_soa_rname: put_name(out, soa->rname); return;
        case id::dns_soa_serial_number: put_dec(out, soa->serial); return;
        case id::dns_soa_refresh_interval: put_dec(out, soa->refresh); return;
        case id::dns_soa_retry_interval: put_dec(out, soa->retry); return;
        case id::dns_soa_expire_limit: put_dec(out, soa->expire); return;
        default: put_dec(out, soa->minimum); return;
        }
    }
    case id::dns_srv_priority:
    case id::dns_srv_weight:
    case id::dns_srv_port:
    case id::dns_srv_target: {
        const auto srv = r.srv();
        if (!srv) return;
        std::string& out = sink.next();
        switch (field) {
        case id::dns_srv_priority: put_dec(out, srv->priority); return;
        case id::dns_srv_weight: put_dec(out, srv->weight); return;
        case id::dns_srv_port: put_dec(out, srv->port); return;
        default: put_name(out, srv->target); return;
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
                put_hex(sink.next(), opt->udp_payload_size, 4);
            } else {
                put_dec(sink.next(), opt->udp_payload_size);
            }
            return;
        case id::dns_resp_ext_rcode: put_hex(sink.next(), opt->extended_rcode, 2); return;
        case id::dns_resp_edns0_version: put_dec(sink.next(), opt->version); return;
        case id::dns_resp_z_do: put_dec(sink.next(), opt->dnssec_ok ? 1 : 0); return;
        default: break;
        }
        for (const auto& o : opt->options) {
            if (!o || sink.done()) break;
            std::string& out = sink.next();
            if (field == id::dns_opt_code) {
                put_dec(out, o->code);
            } else if (field == id::dns_opt_len) {
                put_dec(out, o->data.size());
            } else if (o->data.empty()) {
                out += "<MISSING>"; // what tshark prints for empty bytes
            } else {
                put_hex_bytes(out, o->data);
            }
        }
        return;
    }
    default: return;
    }
}

/// The values of a dns.* field in one message.
void dns_values(value_sink& sink, id field, bytes message, std::uint16_t sport, std::uint16_t dport) {
    const auto v = dns::view::checked(message);
    if (!v) return;
    switch (field) {
    case id::dns_id: put_hex(sink.next(), v->id(), 4); return;
    case id::dns_flags_response: put_dec(sink.next(), v->is_response() ? 1 : 0); return;
    case id::dns_count_answers: put_dec(sink.next(), v->answer_count()); return;
    default: break;
    }
    dns::reader r{*v};
    while (!sink.done()) {
        const auto e = r.next();
        if (!e || !*e) break;
        const auto& entry = **e;
        if (entry.section == dns::section::question) {
            if (field == id::dns_qry_name) put_name(sink.next(), entry.question.name);
            if (field == id::dns_qry_type) put_dec(sink.next(), entry.question.type);
            continue;
        }
        record_values(sink, field, entry.record, sport == 5353 || dport == 5353);
    }
}

/// Every value of a DNS or DHCP field in the frame: one per message field
/// (per question or record for the repeated ones), in order.
void application_values(value_sink& sink, id field, const context& ctx) {
    const decoded& d = ctx.layers;
    for (std::size_t i = 0; i < d.size() && !sink.done(); ++i) {
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
                if (!o || sink.done()) break;
                if (const auto type = o->message_type()) put_dec(sink.next(), *type);
            }
            continue;
        }
        if (!is_dns_port(sport) && !is_dns_port(dport)) continue;
        if (l.kind == layer::tcp && ctx.tcp_dns_messages != nullptr) {
            for (const bytes m : *ctx.tcp_dns_messages) dns_values(sink, field, m, sport, dport);
            continue;
        }
        if (l.kind == layer::tcp) {
            const auto m = dns::tcp_message(payload);
            if (!m) continue;
            payload = *m;
        }
        dns_values(sink, field, payload, sport, dport);
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
        value_sink sink{out, which, aggregator};
        application_values(sink, field, ctx);
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
