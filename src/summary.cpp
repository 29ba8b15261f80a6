// SPDX-License-Identifier: BSD-3-Clause
// One-line summaries in the style of tcpdump -nn -S, layer listings, hex
// dumps and timestamps.
#include <rawpkt/fields.hpp>
#include <rawpkt/summary.hpp>

#include <charconv>
#include <cstdio>
#include <ctime>

namespace rawpkt {
namespace {

void put_dec(std::string& out, std::uint64_t v) {
    char buf[24];
    const auto r = std::to_chars(buf, buf + sizeof buf, v);
    out.append(buf, r.ptr);
}

void put_hex(std::string& out, std::uint64_t v, int width = 0) {
    char buf[24];
    const int n = std::snprintf(buf, sizeof buf, "0x%0*llx", width, static_cast<unsigned long long>(v));
    out.append(buf, static_cast<std::size_t>(n));
}

template <class Address>
void put_address(std::string& out, const Address& a) {
    char buf[48];
    out.append(buf, a.format_to(buf));
}

/// The length a frame had on the wire from `offset` on.
std::uint64_t wire_len_from(const frame& f, std::uint64_t offset) {
    const std::uint64_t total = f.original_len > f.data.size() ? f.original_len : f.data.size();
    return total > offset ? total - offset : 0;
}

const char* ethertype_name(std::uint16_t t) {
    switch (static_cast<ethertype>(t)) {
    case ethertype::ipv4: return "IPv4";
    case ethertype::ipv6: return "IPv6";
    case ethertype::arp: return "ARP";
    case ethertype::vlan: return "802.1Q";
    case ethertype::qinq: return "802.1Q-QinQ";
    case ethertype::mpls_unicast: return "MPLS unicast";
    case ethertype::mpls_multicast: return "MPLS multicast";
    case ethertype::pppoe_session: return "PPPoE S";
    case ethertype::pppoe_discovery: return "PPPoE D";
    case ethertype::lldp: return "LLDP";
    default: return "Unknown";
    }
}

class summarizer {
public:
    summarizer(std::string& out, const frame& f, const decoded& d, const summary_options& o)
        : out_(out), start_(out.size()), f_(f), d_(d), opt_(o) {}

    void run() {
        if (f_.vlan_tpid != 0) {
            // A tag the kernel took off the frame (live capture).
            out_ += "vlan ";
            put_dec(out_, f_.vlan_tci & 0x0fff);
            out_ += ", p ";
            put_dec(out_, f_.vlan_tci >> 13);
            out_ += ", ";
        }
        if (d_.empty()) {
            no_layers();
            return;
        }
        while (i_ < d_.size()) {
            const std::size_t before = i_;
            step();
            if (i_ == before) ++i_; // never loop on a layer a handler left alone
        }
        tail();
    }

private:
    [[nodiscard]] const layer_info& at(std::size_t i) const { return d_[i]; }
    [[nodiscard]] bytes bytes_of(std::size_t i) const { return d_.bytes_of(d_[i]); }
    [[nodiscard]] bool last(std::size_t i) const { return i + 1 == d_.size(); }

    void no_layers() {
        if (d_.stop() == stop_reason::unsupported && d_.error().layer == layer::none) {
            out_ += "link type ";
            const char* name = link_type_name(f_.link);
            if (name != nullptr) {
                out_ += name;
                out_ += " (";
                put_dec(out_, static_cast<std::uint32_t>(f_.link));
                out_ += ')';
            } else {
                put_dec(out_, static_cast<std::uint32_t>(f_.link));
            }
            out_ += ", length ";
            put_dec(out_, wire_len_from(f_, 0));
            return;
        }
        out_ += "length ";
        put_dec(out_, wire_len_from(f_, 0));
        tail();
    }

    void step() {
        const layer_info& l = at(i_);
        if (l.has(layer_flag::quoted)) return; // printed by the ICMP error that quotes it
        switch (l.kind) {
        case layer::ethernet: ethernet(); return;
        case layer::vlan: vlan(); return;
        case layer::mpls: mpls(); return;
        case layer::sll:
        case layer::sll2: cooked(); return;
        case layer::pppoe: pppoe(); return;
        case layer::llc: llc(); return;
        case layer::arp: arp(); return;
        case layer::ipv4:
        case layer::ipv6: ip(); return;
        case layer::gre: gre(); return;
        case layer::tcp: tcp(); return;
        case layer::udp: udp(); return;
        case layer::icmpv4: icmpv4(); return;
        case layer::icmpv6: icmpv6(); return;
        case layer::vxlan: vxlan(); return;
        case layer::geneve: geneve(); return;
        case layer::gtpu: gtpu(); return;
        case layer::teredo:
            out_ += "Teredo: ";
            ++i_;
            return;
        default: ++i_; return; // null/loopback, PPP, SNAP: nothing to say
        }
    }

    // ---- link ----

    void ethernet() {
        const auto v = ethernet::view::unchecked(bytes_of(i_));
        const layer_info& l = at(i_);
        const auto type = [&] {
            out_ += "ethertype ";
            out_ += ethertype_name(v.type_len());
            out_ += " (";
            put_hex(out_, v.type_len(), 4);
            out_ += ')';
        };
        const auto macs = [&] {
            put_address(out_, v.src());
            out_ += " > ";
            put_address(out_, v.dst());
            out_ += ", ";
        };
        const bool next_llc = !last(i_) && at(i_ + 1).kind == layer::llc;
        if (opt_.link_header && i_ == 0) {
            // tcpdump -e: the whole link header and the frame length.
            macs();
            if (next_llc) {
                out_ += "802.3";
            } else {
                type();
            }
            out_ += ", length ";
            put_dec(out_, wire_len_from(f_, l.offset));
            out_ += ": ";
        } else if (next_llc) {
            // Without -e the MAC addresses are shown only where nothing
            // further in says more: 802.3 frames, unknown EtherTypes.
            macs();
            out_ += "802.3, length ";
            put_dec(out_, wire_len_from(f_, l.offset));
            out_ += ": ";
        } else if (last(i_)) {
            macs();
            if (d_.stop() != stop_reason::unsupported) {
                type();
                out_ += ", length ";
                put_dec(out_, wire_len_from(f_, l.offset));
            }
        }
        ++i_;
    }

    void vlan() {
        const auto v = vlan::view::unchecked(bytes_of(i_));
        out_ += "vlan ";
        put_dec(out_, v.vid());
        out_ += ", p ";
        put_dec(out_, v.pcp());
        if (v.dei()) out_ += ", DEI";
        out_ += ", ";
        ++i_;
    }

    void mpls() {
        out_ += "MPLS";
        while (i_ < d_.size() && at(i_).kind == layer::mpls) {
            const auto v = mpls::view::unchecked(bytes_of(i_));
            out_ += " (label ";
            put_dec(out_, v.label());
            out_ += ", tc ";
            put_dec(out_, v.tc());
            if (v.bottom_of_stack()) out_ += ", [S]";
            out_ += ", ttl ";
            put_dec(out_, v.ttl());
            out_ += ')';
            const bool bottom = v.bottom_of_stack();
            ++i_;
            if (bottom) break;
        }
        out_ += ' ';
    }

    void cooked() {
        if (opt_.link_header && i_ == 0) {
            std::uint16_t type = 0;
            std::uint16_t proto = 0;
            if (at(i_).kind == layer::sll) {
                const auto v = sll::view::unchecked(bytes_of(i_));
                type = static_cast<std::uint16_t>(v.packet_type());
                proto = v.protocol();
            } else {
                const auto v = sll2::view::unchecked(bytes_of(i_));
                type = static_cast<std::uint16_t>(v.packet_type());
                proto = v.protocol();
            }
            static constexpr const char* types[] = {"In", "B", "M", "P", "Out"};
            out_ += type < 5 ? types[type] : "?";
            out_ += " ethertype ";
            out_ += ethertype_name(proto);
            out_ += " (";
            put_hex(out_, proto, 4);
            out_ += "), length ";
            put_dec(out_, wire_len_from(f_, 0));
            out_ += ": ";
        }
        ++i_;
    }

    void pppoe() {
        const auto v = pppoe::view::unchecked(bytes_of(i_));
        out_ += "PPPoE [ses ";
        put_hex(out_, v.session_id());
        out_ += "] ";
        ++i_;
        if (i_ < d_.size() && at(i_).kind == layer::ppp) ++i_;
    }

    void llc() {
        const auto v = llc::view::unchecked(bytes_of(i_));
        out_ += "LLC, dsap ";
        put_hex(out_, v.dsap(), 2);
        out_ += ", ssap ";
        put_hex(out_, v.ssap(), 2);
        out_ += ", ctrl ";
        put_hex(out_, v.control(), v.control_len() * 2);
        const std::size_t at_llc = i_;
        ++i_;
        if (i_ < d_.size() && at(i_).kind == layer::snap) {
            const auto s = snap::view::unchecked(bytes_of(i_));
            out_ += ", SNAP oui ";
            put_hex(out_, s.oui(), 6);
            out_ += ", pid ";
            put_hex(out_, s.protocol_id(), 4);
            ++i_;
        }
        if (i_ < d_.size()) {
            out_ += ": ";
        } else {
            out_ += ", length ";
            put_dec(out_, wire_len_from(f_, at(at_llc).offset));
            unsupported_said_ = true;
        }
    }

    void arp() {
        const auto v = arp::view::unchecked(bytes_of(i_));
        const std::uint64_t len = wire_len_from(f_, at(i_).offset);
        out_ += "ARP, ";
        if (v.is_ethernet_ipv4()) {
            switch (v.operation()) {
            case arp::operation::request:
                out_ += "Request who-has ";
                put_address(out_, v.target_ipv4());
                if (v.target_mac() != mac_address{}) {
                    out_ += " (";
                    put_address(out_, v.target_mac());
                    out_ += ')';
                }
                out_ += " tell ";
                put_address(out_, v.sender_ipv4());
                break;
            case arp::operation::reply:
                out_ += "Reply ";
                put_address(out_, v.sender_ipv4());
                out_ += " is-at ";
                put_address(out_, v.sender_mac());
                break;
            default:
                out_ += "opcode ";
                put_dec(out_, static_cast<std::uint16_t>(v.operation()));
                out_ += ", ";
                put_address(out_, v.sender_ipv4());
                out_ += " > ";
                put_address(out_, v.target_ipv4());
                break;
            }
        } else {
            out_ += "hardware ";
            put_dec(out_, static_cast<std::uint16_t>(v.hardware_type()));
            out_ += ", protocol ";
            put_hex(out_, static_cast<std::uint16_t>(v.protocol_type()), 4);
            out_ += ", opcode ";
            put_dec(out_, static_cast<std::uint16_t>(v.operation()));
        }
        out_ += ", length ";
        put_dec(out_, len);
        ++i_;
    }

    // ---- network ----

    /// The source and destination of the IP layer at `i`, with ports when
    /// `port_layer` is a TCP or UDP layer.
    void addresses(std::size_t i, const layer_info* port_layer) {
        std::uint16_t sp = 0;
        std::uint16_t dp = 0;
        if (port_layer != nullptr) {
            const bytes b = d_.bytes_of(*port_layer);
            if (port_layer->kind == layer::tcp) {
                const auto t = tcp::view::unchecked(b);
                sp = t.src_port();
                dp = t.dst_port();
            } else {
                const auto u = udp::view::unchecked(b);
                sp = u.src_port();
                dp = u.dst_port();
            }
        }
        const auto put_end = [&](auto address, std::uint16_t port) {
            put_address(out_, address);
            if (port_layer != nullptr) {
                out_ += '.';
                put_dec(out_, port);
            }
        };
        if (at(i).kind == layer::ipv4) {
            const auto v = ipv4::view::unchecked(bytes_of(i));
            out_ += "IP ";
            put_end(v.src(), sp);
            out_ += " > ";
            put_end(v.dst(), dp);
        } else {
            const auto v = ipv6::view::unchecked(bytes_of(i));
            out_ += "IP6 ";
            put_end(v.src(), sp);
            out_ += " > ";
            put_end(v.dst(), dp);
        }
        out_ += ": ";
    }

    /// IP payload length as the header says (clamped at 0).
    [[nodiscard]] std::uint64_t ip_payload_len(std::size_t i) const {
        const layer_info& l = at(i);
        if (l.kind == layer::ipv4) {
            const auto v = ipv4::view::unchecked(bytes_of(i));
            const std::uint64_t total = v.total_len() != 0 ? v.total_len() : wire_len_from(f_, l.offset);
            return total > v.header_len() ? total - v.header_len() : 0;
        }
        const auto v = ipv6::view::unchecked(bytes_of(i));
        return v.payload_len() != 0 ? v.payload_len() : v.jumbo_payload_len();
    }

    void ip() {
        const std::size_t ip_at = i_;
        std::size_t j = i_ + 1;
        while (j < d_.size() && at(j).kind == layer::ipv6_extension && !at(j).has(layer_flag::quoted)) ++j;
        const layer_info* ports = nullptr;
        if (j < d_.size() && (at(j).kind == layer::tcp || at(j).kind == layer::udp) && !at(j).has(layer_flag::quoted)) {
            ports = &at(j);
        }
        addresses(ip_at, ports);
        // IPv6 extension headers, as tcpdump marks them.
        std::uint64_t ext_len = 0;
        for (std::size_t k = ip_at + 1; k < j; ++k) {
            ext_len += at(k).header_len;
            switch (static_cast<ip_proto>(at(k).protocol)) {
            case ip_proto::hopopt: out_ += "HBH "; break;
            case ip_proto::ipv6_opts: out_ += "DSTOPT "; break;
            case ip_proto::ipv6_route: out_ += "RT6 "; break;
            case ip_proto::ah: out_ += "AH "; break;
            case ip_proto::ipv6_frag: {
                const auto v = ipv6::fragment::view::unchecked(bytes_of(k));
                const std::uint64_t plen = ip_payload_len(ip_at);
                const std::uint64_t before = ext_len;
                out_ += "frag (";
                put_dec(out_, v.frag_offset());
                out_ += '|';
                put_dec(out_, plen > before ? plen - before : 0);
                out_ += ") ";
                break;
            }
            default:
                out_ += "ext-";
                put_dec(out_, at(k).protocol);
                out_ += ' ';
                break;
            }
        }
        i_ = j;
        if (j == d_.size()) {
            // Nothing decoded inside: a later fragment, an unsupported
            // protocol or an error.
            ip_trailer(ip_at, ext_len);
            return;
        }
    }

    /// What follows an IP header whose payload was not decoded.
    void ip_trailer(std::size_t ip_at, std::uint64_t ext_len) {
        std::uint8_t proto = 0;
        if (at(ip_at).kind == layer::ipv4) {
            proto = static_cast<std::uint8_t>(ipv4::view::unchecked(bytes_of(ip_at)).protocol());
        } else if (d_.stop() == stop_reason::unsupported) {
            proto = static_cast<std::uint8_t>(d_.error().available);
        } else {
            proto = static_cast<std::uint8_t>(ipv6::view::unchecked(bytes_of(ip_at)).next_header());
        }
        if (d_.stop() == stop_reason::fragment) {
            if (at(ip_at).kind == layer::ipv4) {
                out_ += "ip-proto-";
                put_dec(out_, proto);
            } else if (out_.size() > start_ && out_.back() == ' ') {
                out_.pop_back();
            }
            unsupported_said_ = true;
            return;
        }
        if (d_.stop() == stop_reason::unsupported || d_.stop() == stop_reason::end) {
            if (d_.stop() == stop_reason::unsupported) proto = static_cast<std::uint8_t>(d_.error().available);
            const std::uint64_t plen = ip_payload_len(ip_at);
            out_ += "ip-proto-";
            put_dec(out_, proto);
            out_ += ", length ";
            put_dec(out_, plen > ext_len ? plen - ext_len : 0);
            unsupported_said_ = true;
        }
    }

    // ---- transport ----

    void tcp_flags(std::uint16_t flags) {
        out_ += "Flags [";
        const std::size_t start = out_.size();
        static constexpr struct {
            std::uint16_t bit;
            char c;
        } names[] = {{tcp::flag::fin, 'F'}, {tcp::flag::syn, 'S'}, {tcp::flag::rst, 'R'},
                     {tcp::flag::psh, 'P'}, {tcp::flag::ack, '.'}, {tcp::flag::urg, 'U'},
                     {tcp::flag::ece, 'E'}, {tcp::flag::cwr, 'W'}, {tcp::flag::ae, 'e'}};
        for (const auto& n : names) {
            if ((flags & n.bit) != 0) out_ += n.c;
        }
        if (out_.size() == start) out_ += "none";
        out_ += ']';
    }

    void tcp_options(const tcp::view& v) {
        if (v.header_len() <= tcp::min_header_len) return;
        out_ += ", options [";
        bool first = true;
        for (const auto& o : v.options()) {
            if (!o) {
                if (!first) out_ += ',';
                out_ += "bad opts";
                break;
            }
            if (!first) out_ += ',';
            first = false;
            switch (o->kind) {
            case tcp::option_kind::end_of_list: out_ += "eol"; break;
            case tcp::option_kind::nop: out_ += "nop"; break;
            case tcp::option_kind::mss:
                out_ += "mss ";
                put_dec(out_, o->mss());
                break;
            case tcp::option_kind::window_scale:
                out_ += "wscale ";
                put_dec(out_, o->window_scale());
                break;
            case tcp::option_kind::sack_permitted: out_ += "sackOK"; break;
            case tcp::option_kind::sack:
                out_ += "sack ";
                put_dec(out_, o->sack_count());
                out_ += ' ';
                for (std::size_t s = 0; s < o->sack_count(); ++s) {
                    out_ += '{';
                    put_dec(out_, o->sack(s).left);
                    out_ += ':';
                    put_dec(out_, o->sack(s).right);
                    out_ += '}';
                }
                break;
            case tcp::option_kind::timestamps:
                out_ += "TS val ";
                put_dec(out_, o->ts_value());
                out_ += " ecr ";
                put_dec(out_, o->ts_echo_reply());
                break;
            case tcp::option_kind::md5_signature: out_ += "md5"; break;
            case tcp::option_kind::user_timeout: out_ += "uto"; break;
            case tcp::option_kind::authentication: out_ += "tcp-ao"; break;
            case tcp::option_kind::mptcp: out_ += "mptcp"; break;
            default:
                if (o->is_fast_open()) {
                    out_ += "tfo";
                } else if (o->kind == tcp::option_kind::experimental_1 || o->kind == tcp::option_kind::experimental_2) {
                    char buf[16];
                    std::snprintf(buf, sizeof buf, "exp-%x", o->experiment_id());
                    out_ += buf;
                } else {
                    out_ += "unknown-";
                    put_dec(out_, static_cast<std::uint8_t>(o->kind));
                }
                break;
            }
        }
        out_ += ']';
    }

    /// Payload length of the transport layer at `i`: up to where its IP
    /// datagram ends by the IP length fields.
    [[nodiscard]] std::uint64_t transport_payload_len(std::size_t i) const {
        const layer_info& l = at(i);
        std::size_t ip = i;
        while (ip-- > 0) {
            if (at(ip).kind == layer::ipv4 || at(ip).kind == layer::ipv6) break;
        }
        if (ip >= i) return l.payload_len();
        const std::uint64_t end = at(ip).offset + at(ip).header_len + ip_payload_len(ip);
        const std::uint64_t start = std::uint64_t{l.offset} + l.header_len;
        return end > start ? end - start : 0;
    }

    void tcp() {
        const auto v = tcp::view::unchecked(bytes_of(i_));
        const std::uint64_t len = transport_payload_len(i_);
        const std::uint16_t flags = v.flags();
        tcp_flags(flags);
        if (len > 0 || (flags & (tcp::flag::syn | tcp::flag::fin | tcp::flag::rst)) != 0) {
            out_ += ", seq ";
            put_dec(out_, v.sequence());
            if (len > 0) {
                out_ += ':';
                put_dec(out_, static_cast<std::uint32_t>(v.sequence() + len));
            }
        }
        if ((flags & tcp::flag::ack) != 0) {
            out_ += ", ack ";
            put_dec(out_, v.ack_number());
        }
        out_ += ", win ";
        put_dec(out_, v.window());
        if ((flags & tcp::flag::urg) != 0) {
            out_ += ", urg ";
            put_dec(out_, v.urgent_pointer());
        }
        tcp_options(v);
        out_ += ", length ";
        put_dec(out_, len);
        ++i_;
    }

    void udp() {
        const auto v = udp::view::unchecked(bytes_of(i_));
        ++i_;
        if (i_ < d_.size() && !at(i_).has(layer_flag::quoted)) {
            switch (at(i_).kind) {
            case layer::vxlan: vxlan(); return;
            case layer::geneve: geneve(); return;
            case layer::gtpu: gtpu(); return;
            case layer::teredo:
                out_ += "Teredo: ";
                ++i_;
                return;
            case layer::mpls: return; // MPLS in UDP: the label stack follows
            default: break;
            }
        }
        out_ += "UDP, length ";
        put_dec(out_, v.length() >= udp::header_len ? v.length() - udp::header_len : 0);
    }

    // ---- ICMP ----

    /// The first quoted layer of a kind after the ICMP layer at `icmp_at`.
    [[nodiscard]] const layer_info* quoted(std::size_t icmp_at, layer kind) const {
        for (std::size_t k = icmp_at + 1; k < d_.size(); ++k) {
            if (at(k).has(layer_flag::quoted) && at(k).kind == kind) return &at(k);
        }
        return nullptr;
    }

    /// "<quoted destination> <proto> port <port>" from the packet an ICMP
    /// error quotes; false when the quote did not decode.
    bool quoted_port(std::size_t icmp_at, bool v6) {
        const layer_info* ip = quoted(icmp_at, v6 ? layer::ipv6 : layer::ipv4);
        if (ip == nullptr) return false;
        if (v6) {
            put_address(out_, ipv6::view::unchecked(d_.bytes_of(*ip)).dst());
        } else {
            put_address(out_, ipv4::view::unchecked(d_.bytes_of(*ip)).dst());
        }
        if (const layer_info* u = quoted(icmp_at, layer::udp)) {
            out_ += " udp port ";
            put_dec(out_, udp::view::unchecked(d_.bytes_of(*u)).dst_port());
        } else if (const layer_info* t = quoted(icmp_at, layer::tcp)) {
            out_ += " tcp port ";
            put_dec(out_, tcp::view::unchecked(d_.bytes_of(*t)).dst_port());
        }
        return true;
    }

    void quoted_destination(std::size_t icmp_at) {
        if (const layer_info* ip = quoted(icmp_at, layer::ipv4)) {
            put_address(out_, ipv4::view::unchecked(d_.bytes_of(*ip)).dst());
        } else {
            out_ += '?';
        }
    }

    void icmpv4() {
        const std::size_t me = i_;
        const auto v = icmpv4::view::unchecked(bytes_of(me));
        const std::uint8_t code = v.code();
        out_ += "ICMP ";
        switch (v.type()) {
        case icmpv4::message_type::echo_request:
        case icmpv4::message_type::echo_reply:
            out_ += v.type() == icmpv4::message_type::echo_request ? "echo request" : "echo reply";
            out_ += ", id ";
            put_dec(out_, v.identifier());
            out_ += ", seq ";
            put_dec(out_, v.sequence());
            break;
        case icmpv4::message_type::destination_unreachable:
            switch (code) {
            case 0:
                out_ += "net ";
                quoted_destination(me);
                out_ += " unreachable";
                break;
            case 1:
                out_ += "host ";
                quoted_destination(me);
                out_ += " unreachable";
                break;
            case 2:
                quoted_destination(me);
                if (const layer_info* ip = quoted(me, layer::ipv4)) {
                    out_ += " protocol ";
                    put_dec(out_, static_cast<std::uint8_t>(ipv4::view::unchecked(d_.bytes_of(*ip)).protocol()));
                }
                out_ += " unreachable";
                break;
            case 3:
                if (!quoted_port(me, false)) out_ += '?';
                out_ += " unreachable";
                break;
            case 4:
                quoted_destination(me);
                out_ += " unreachable - need to frag (mtu ";
                put_dec(out_, v.next_hop_mtu());
                out_ += ')';
                break;
            default:
                quoted_destination(me);
                out_ += " unreachable - code ";
                put_dec(out_, code);
                break;
            }
            break;
        case icmpv4::message_type::time_exceeded:
            out_ += code == 0 ? "time exceeded in-transit" : "ip reassembly time exceeded";
            break;
        case icmpv4::message_type::redirect:
            out_ += "redirect ";
            quoted_destination(me);
            out_ += code == 0 || code == 2 ? " to net " : " to host ";
            put_address(out_, v.gateway());
            break;
        case icmpv4::message_type::source_quench: out_ += "source quench"; break;
        case icmpv4::message_type::router_advert: out_ += "router advertisement"; break;
        case icmpv4::message_type::router_solicit: out_ += "router solicitation"; break;
        case icmpv4::message_type::parameter_problem:
            out_ += "parameter problem - octet ";
            put_dec(out_, v.pointer());
            break;
        case icmpv4::message_type::timestamp_request:
        case icmpv4::message_type::timestamp_reply:
            out_ +=
                v.type() == icmpv4::message_type::timestamp_request ? "time stamp query id " : "time stamp reply id ";
            put_dec(out_, v.identifier());
            out_ += " seq ";
            put_dec(out_, v.sequence());
            break;
        case icmpv4::message_type::address_mask_request: out_ += "address mask request"; break;
        case icmpv4::message_type::address_mask_reply: out_ += "address mask reply"; break;
        default:
            out_ += "type ";
            put_dec(out_, static_cast<std::uint8_t>(v.type()));
            out_ += ", code ";
            put_dec(out_, code);
            break;
        }
        out_ += ", length ";
        put_dec(out_, icmp_len(me));
        ++i_;
    }

    /// An ICMP message's length: its IP payload from the ICMP header on.
    [[nodiscard]] std::uint64_t icmp_len(std::size_t me) const {
        std::size_t ip = me;
        while (ip-- > 0) {
            if (at(ip).kind == layer::ipv4 || at(ip).kind == layer::ipv6) break;
        }
        if (ip >= me) return at(me).length;
        const std::uint64_t end = at(ip).offset + at(ip).header_len + ip_payload_len(ip);
        return end > at(me).offset ? end - at(me).offset : 0;
    }

    void icmpv6() {
        const std::size_t me = i_;
        const auto v = icmpv6::view::unchecked(bytes_of(me));
        out_ += "ICMP6, ";
        using t = icmpv6::message_type;
        switch (v.type()) {
        case t::echo_request:
        case t::echo_reply:
            out_ += v.type() == t::echo_request ? "echo request" : "echo reply";
            out_ += ", id ";
            put_dec(out_, v.identifier());
            out_ += ", seq ";
            put_dec(out_, v.sequence());
            break;
        case t::neighbor_solicit:
            out_ += "neighbor solicitation, who has ";
            put_address(out_, v.target());
            break;
        case t::neighbor_advert:
            out_ += "neighbor advertisement, tgt is ";
            put_address(out_, v.target());
            break;
        case t::router_solicit: out_ += "router solicitation"; break;
        case t::router_advert: out_ += "router advertisement"; break;
        case t::redirect:
            out_ += "redirect, ";
            put_address(out_, v.target());
            break;
        case t::mld_query:
            out_ += "multicast listener query";
            if (icmp_len(me) >= 28) out_ += " v2"; // MLDv2 (RFC 3810 §5.1)
            break;
        case t::mld_report: out_ += "multicast listener report"; break;
        case t::mld_done: out_ += "multicast listener done"; break;
        case t::mld2_report:
            out_ += "multicast listener report v2, ";
            put_dec(out_, v.rest_of_header() & 0xffff); // RFC 3810 §5.2: number of records
            out_ += " group record(s)";
            break;
        case t::destination_unreachable:
            out_ += "destination unreachable, ";
            if (v.code() == 4) {
                out_ += "unreachable port, ";
                if (!quoted_port(me, true)) out_ += '?';
            } else {
                out_ += "code ";
                put_dec(out_, v.code());
            }
            break;
        case t::packet_too_big:
            out_ += "packet too big, mtu ";
            put_dec(out_, v.mtu());
            break;
        case t::time_exceeded:
            out_ += v.code() == 0 ? "time exceeded in-transit" : "ip6 reassembly time exceeded";
            break;
        case t::parameter_problem:
            out_ += "parameter problem, code ";
            put_dec(out_, v.code());
            out_ += ", pointer ";
            put_dec(out_, v.pointer());
            break;
        default:
            out_ += "type ";
            put_dec(out_, static_cast<std::uint8_t>(v.type()));
            out_ += ", code ";
            put_dec(out_, v.code());
            break;
        }
        out_ += ", length ";
        put_dec(out_, icmp_len(me));
        ++i_;
    }

    // ---- tunnels ----

    void gre() {
        const auto v = gre::view::unchecked(bytes_of(i_));
        out_ += "GREv";
        put_dec(out_, v.version());
        if (v.version() == 1) {
            out_ += ", call ";
            put_dec(out_, v.call_id());
        } else if (const auto k = v.key()) {
            out_ += ", key=";
            put_hex(out_, *k);
        }
        if (const auto s = v.sequence()) {
            out_ += ", seq ";
            put_dec(out_, *s);
        }
        if (const auto a = v.ack()) {
            out_ += ", ack ";
            put_dec(out_, *a);
        }
        if (v.version() != 1) {
            out_ += ", proto ";
            out_ += ethertype_name(static_cast<std::uint16_t>(v.protocol_type()));
            out_ += " (";
            put_hex(out_, static_cast<std::uint16_t>(v.protocol_type()), 4);
            out_ += ')';
        }
        out_ += ", length ";
        put_dec(out_, at(i_).length);
        ++i_;
        if (i_ < d_.size()) {
            out_ += ": ";
            if (at(i_).kind == layer::ppp) {
                ++i_;
                if (i_ == d_.size()) ppp_unsupported();
            }
        } else if (d_.stop() == stop_reason::unsupported) {
            unsupported_said_ = true;
        }
    }

    void ppp_unsupported() {
        if (d_.stop() != stop_reason::unsupported) return;
        out_ += "PPP, protocol ";
        put_hex(out_, d_.error().available, 4);
        out_ += ", length ";
        put_dec(out_, at(i_ - 1).payload_len() + at(i_ - 1).header_len);
        unsupported_said_ = true;
    }

    void vxlan() {
        const auto v = vxlan::view::unchecked(bytes_of(i_));
        out_ += "VXLAN, flags [";
        out_ += v.vni_valid() ? "I" : ".";
        out_ += "] (";
        put_hex(out_, v.flags(), 2);
        out_ += "), vni ";
        put_dec(out_, v.vni());
        out_ += ": ";
        ++i_;
    }

    void geneve() {
        const auto v = geneve::view::unchecked(bytes_of(i_));
        out_ += "Geneve, Flags [";
        if (v.oam() && v.critical()) {
            out_ += "O,C";
        } else if (v.oam()) {
            out_ += 'O';
        } else if (v.critical()) {
            out_ += 'C';
        } else {
            out_ += "none";
        }
        out_ += "], vni ";
        put_hex(out_, v.vni());
        if (v.options_len() > 0) {
            out_ += ", options [";
            put_dec(out_, v.options_len());
            out_ += " bytes]";
        }
        out_ += ": ";
        ++i_;
    }

    void gtpu() {
        const auto v = gtpu::view::unchecked(bytes_of(i_));
        out_ += "GTPv1-U, teid ";
        put_hex(out_, v.teid());
        out_ += ", length ";
        put_dec(out_, v.length());
        ++i_;
        if (i_ < d_.size()) out_ += ": ";
    }

    /// After the last layer: what stopped the decoder, if not said yet.
    void tail() {
        if (unsupported_said_) {
            error_suffix();
            return;
        }
        const layer_info* lastl = d_.empty() ? nullptr : &d_[d_.size() - 1];
        if (d_.stop() == stop_reason::unsupported && lastl != nullptr) {
            const std::uint64_t len = wire_len_from(f_, lastl->offset + lastl->header_len);
            switch (lastl->kind) {
            case layer::ethernet:
            case layer::vlan:
            case layer::sll:
            case layer::sll2:
            case layer::snap:
            case layer::null_loopback:
            case layer::geneve:
                if (lastl->kind == layer::null_loopback) {
                    // As tcpdump: the family and the whole frame's length.
                    out_ += "AF Unknown (";
                    put_dec(out_, d_.error().available);
                    out_ += "), length ";
                    put_dec(out_, wire_len_from(f_, 0));
                    break;
                } else {
                    out_ += "ethertype ";
                    out_ += ethertype_name(static_cast<std::uint16_t>(d_.error().available));
                    out_ += " (";
                    put_hex(out_, d_.error().available, 4);
                    out_ += ')';
                }
                out_ += ", length ";
                put_dec(out_, len);
                break;
            case layer::ppp:
                out_ += "PPP, protocol ";
                put_hex(out_, d_.error().available, 4);
                out_ += ", length ";
                put_dec(out_, len);
                break;
            case layer::mpls:
                out_ += "payload, length ";
                put_dec(out_, len);
                break;
            default: break;
            }
        }
        error_suffix();
    }

    void error_suffix() {
        if (d_.stop() != stop_reason::error) return;
        if (out_.size() > start_ && out_.back() != ' ') out_ += ' ';
        out_ += "[|";
        out_ += to_string(d_.error());
        out_ += ']';
    }

    std::string& out_;
    /// Where this summary starts in out_: what the caller wrote before
    /// (a timestamp) is not ours to trim or to separate from.
    std::size_t start_;
    const frame& f_;
    const decoded& d_;
    const summary_options& opt_;
    std::size_t i_ = 0;
    bool unsupported_said_ = false;
};

} // namespace

void append_summary(std::string& out, const frame& f, const decoded& d, const summary_options& options) {
    summarizer{out, f, d, options}.run();
}

std::string summary(const frame& f, const decoded& d, const summary_options& options) {
    std::string s;
    append_summary(s, f, d, options);
    return s;
}

void append_time(std::string& out, std::int64_t ns, time_format format, bool nano, std::int64_t reference_ns) {
    if (format == time_format::none) return;
    // The magnitude of ns - reference in unsigned arithmetic: the difference
    // of two timestamps from a file can be outside the range of int64.
    const std::int64_t ref =
        format == time_format::delta || format == time_format::since_first ? reference_ns : std::int64_t{0};
    const bool negative = ns < ref;
    const std::uint64_t mag = negative ? static_cast<std::uint64_t>(ref) - static_cast<std::uint64_t>(ns)
                                       : static_cast<std::uint64_t>(ns) - static_cast<std::uint64_t>(ref);
    std::uint64_t secs = mag / 1'000'000'000;
    std::uint64_t frac = mag % 1'000'000'000;
    if (!nano) frac /= 1000;
    const int digits = nano ? 9 : 6;
    char buf[64];
    int n = 0;
    switch (format) {
    case time_format::none: return;
    case time_format::epoch:
    case time_format::delta:
        n = std::snprintf(buf, sizeof buf, "%s%llu.%0*llu", negative ? "-" : "", static_cast<unsigned long long>(secs),
                          digits, static_cast<unsigned long long>(frac));
        break;
    case time_format::since_first:
        n = std::snprintf(buf, sizeof buf, "%s%02llu:%02llu:%02llu.%0*llu", negative ? "-" : "",
                          static_cast<unsigned long long>(secs / 3600), static_cast<unsigned long long>(secs / 60 % 60),
                          static_cast<unsigned long long>(secs % 60), digits, static_cast<unsigned long long>(frac));
        break;
    case time_format::time_of_day:
    case time_format::date_time: {
        // Whole seconds toward minus infinity, so times before 1970 print
        // as the calendar has them.
        std::int64_t whole = ns / 1'000'000'000;
        std::int64_t part = ns % 1'000'000'000;
        if (part < 0) {
            part += 1'000'000'000;
            --whole;
        }
        frac = static_cast<std::uint64_t>(part);
        if (!nano) frac /= 1000;
        const std::time_t tt = static_cast<std::time_t>(whole);
        std::tm tm{};
        if (::localtime_r(&tt, &tm) == nullptr) {
            n = std::snprintf(buf, sizeof buf, "%lld", static_cast<long long>(whole));
            break;
        }
        if (format == time_format::date_time) {
            n = std::snprintf(buf, sizeof buf, "%04d-%02d-%02d %02d:%02d:%02d.%0*llu", tm.tm_year + 1900, tm.tm_mon + 1,
                              tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, digits,
                              static_cast<unsigned long long>(frac));
        } else {
            n = std::snprintf(buf, sizeof buf, "%02d:%02d:%02d.%0*llu", tm.tm_hour, tm.tm_min, tm.tm_sec, digits,
                              static_cast<unsigned long long>(frac));
        }
        break;
    }
    }
    if (n > 0) out.append(buf, static_cast<std::size_t>(n < static_cast<int>(sizeof buf) ? n : sizeof buf - 1));
}

const char* protocol_name(const layer_info& l) noexcept {
    switch (l.kind) {
    case layer::ethernet: return "eth";
    case layer::llc: return "llc";
    case layer::snap: return "snap";
    case layer::vlan: return "vlan";
    case layer::mpls: return "mpls";
    case layer::sll: return "sll";
    case layer::sll2: return "sll";
    case layer::null_loopback: return "null";
    case layer::ppp: return "ppp";
    case layer::pppoe: return "pppoes";
    case layer::arp: return "arp";
    case layer::ipv4: return "ip";
    case layer::ipv6: return "ipv6";
    case layer::ipv6_extension:
        switch (static_cast<ip_proto>(l.protocol)) {
        case ip_proto::hopopt: return "ipv6.hopopts";
        case ip_proto::ipv6_route: return "ipv6.routing";
        case ip_proto::ipv6_frag: return "ipv6.fraghdr";
        case ip_proto::ipv6_opts: return "ipv6.dstopts";
        case ip_proto::ah: return "ah";
        case ip_proto::esp: return "esp";
        case ip_proto::mobility: return "mipv6";
        case ip_proto::hip: return "hip";
        case ip_proto::shim6: return "shim6";
        default: return "ipv6.ext";
        }
    case layer::icmpv4: return "icmp";
    case layer::icmpv6: return "icmpv6";
    case layer::tcp: return "tcp";
    case layer::udp: return "udp";
    case layer::gre: return "gre";
    case layer::vxlan: return "vxlan";
    case layer::geneve: return "geneve";
    case layer::gtpu: return "gtp";
    case layer::teredo: return "teredo";
    default: return to_string(l.kind);
    }
}

void append_layers(std::string& out, const frame& f, std::uint64_t number, const decoded& d) {
    const fields::context ctx{f, number, d};
    std::string value;
    for (std::size_t i = 0; i < d.size(); ++i) {
        const layer_info& l = d[i];
        out += "    ";
        out += protocol_name(l);
        out += " at ";
        put_dec(out, l.offset);
        out += ", header ";
        put_dec(out, l.header_len);
        out += ", length ";
        put_dec(out, l.length);
        if (l.depth > 0) {
            out += ", depth ";
            put_dec(out, l.depth);
        }
        if (l.has(layer_flag::truncated)) out += ", truncated";
        if (l.has(layer_flag::quoted)) out += ", quoted";
        if (l.has(layer_flag::fragment)) out += ", fragment";
        const auto ids = fields::fields_of(l.kind);
        bool first = true;
        for (const fields::id id : ids) {
            value.clear();
            if (!fields::append_at(value, id, ctx, i)) continue;
            out += first ? ": " : " ";
            first = false;
            out += fields::name(id);
            out += '=';
            out += value;
        }
        out += '\n';
    }
    switch (d.stop()) {
    case stop_reason::end:
    case stop_reason::fragment:
        if (!d.payload().empty() || d.stop() == stop_reason::fragment) {
            out += "    ";
            out += d.stop() == stop_reason::fragment ? "fragment data" : "payload";
            out += " at ";
            put_dec(out, d.payload_offset());
            out += ", length ";
            put_dec(out, d.payload().size());
            out += '\n';
        }
        break;
    case stop_reason::unsupported:
    case stop_reason::error:
        out += "    ";
        out += d.stop() == stop_reason::error ? "error: " : "not decoded: ";
        out += to_string(d.error());
        out += '\n';
        break;
    }
}

void append_hex(std::string& out, bytes data) {
    static constexpr char digits[] = "0123456789abcdef";
    for (std::size_t row = 0; row < data.size(); row += 16) {
        char buf[16];
        const int n = std::snprintf(buf, sizeof buf, "\t0x%04zx:  ", row);
        out.append(buf, static_cast<std::size_t>(n));
        const std::size_t end = row + 16 < data.size() ? row + 16 : data.size();
        std::size_t written = 0;
        for (std::size_t k = row; k < end; ++k) {
            const auto b = std::to_integer<unsigned>(data[k]);
            out += digits[b >> 4];
            out += digits[b & 15];
            written += 2;
            if ((k - row) % 2 == 1 && k + 1 < row + 16) {
                out += ' ';
                ++written;
            }
        }
        // Pad the hex column to its full width (16 bytes: 39 characters).
        out.append(41 - written, ' ');
        for (std::size_t k = row; k < end; ++k) {
            const auto b = std::to_integer<unsigned>(data[k]);
            out += b >= 0x20 && b < 0x7f ? static_cast<char>(b) : '.';
        }
        out += '\n';
    }
}

} // namespace rawpkt
