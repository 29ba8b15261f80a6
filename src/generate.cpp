// SPDX-License-Identifier: BSD-3-Clause
// Frames from a few settings, with ranges and random values; a pacer.
#include <rawpkt/build.hpp>
#include <rawpkt/generate.hpp>

#include <cctype>
#include <charconv>
#include <cstring>
#include <thread>

namespace rawpkt::gen {
namespace {

error bad(std::uint64_t value = 0) {
    return error::invalid(layer::none, errc::bad_value, length_source::none, 0, 0, value);
}

/// splitmix64: a good 64-bit mix, so that neighbouring frame numbers give
/// unrelated values.
constexpr std::uint64_t mix(std::uint64_t x) noexcept {
    x += 0x9e3779b97f4a7c15ull;
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
    return x ^ (x >> 31);
}

bool parse_u64(std::string_view s, std::uint64_t& out) {
    if (s.empty()) return false;
    const auto r = std::from_chars(s.data(), s.data() + s.size(), out);
    return r.ec == std::errc{} && r.ptr == s.data() + s.size();
}

std::string_view trim(std::string_view s) {
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
    return s;
}

} // namespace

std::uint64_t value_range::at(std::uint64_t n, std::uint64_t seed, std::uint64_t salt) const noexcept {
    if (first == last) return first;
    const std::uint64_t span = last - first + 1; // 0 when the range is all of 2^64
    if (random) {
        const std::uint64_t r = mix(mix(n ^ (seed * 0x100000001b3ull)) + salt);
        return span == 0 ? r : first + r % span;
    }
    return span == 0 ? first + n : first + n % span;
}

result<value_range> parse_ipv4_range(std::string_view s) {
    s = trim(s);
    if (s == "rand") return value_range{0, 0xffffffffu, true};
    if (const auto slash = s.find('/'); slash != std::string_view::npos) {
        ipv4_address a{};
        std::uint64_t prefix = 0;
        if (!ipv4_address::parse(s.substr(0, slash), a) || !parse_u64(s.substr(slash + 1), prefix) || prefix > 32) {
            return bad();
        }
        const std::uint32_t mask = prefix == 0 ? 0 : ~std::uint32_t{0} << (32 - prefix);
        const std::uint32_t net = a.to_u32() & mask;
        const std::uint32_t bcast = net | ~mask;
        if (prefix <= 30) return value_range{net + 1u, bcast - 1u, false};
        return value_range{net, bcast, false};
    }
    const auto dash = s.find('-');
    ipv4_address a{};
    if (!ipv4_address::parse(s.substr(0, dash), a)) return bad();
    if (dash == std::string_view::npos) return value_range{a.to_u32(), a.to_u32(), false};
    ipv4_address b{};
    if (!ipv4_address::parse(s.substr(dash + 1), b) || b.to_u32() < a.to_u32()) return bad();
    return value_range{a.to_u32(), b.to_u32(), false};
}

result<value_range> parse_port_range(std::string_view s) {
    s = trim(s);
    if (s == "rand") return value_range{1, 65535, true};
    const auto dash = s.find('-');
    std::uint64_t a = 0;
    std::uint64_t b = 0;
    if (!parse_u64(s.substr(0, dash), a) || a > 65535) return bad();
    if (dash == std::string_view::npos) return value_range{a, a, false};
    if (!parse_u64(s.substr(dash + 1), b) || b > 65535 || b < a) return bad();
    return value_range{a, b, false};
}

result<value_range> parse_ipv6_range(std::string_view s, ipv6_address& base) {
    s = trim(s);
    const auto low32 = [](const ipv6_address& a) {
        return std::uint64_t{a.octets[12]} << 24 | std::uint64_t{a.octets[13]} << 16 |
               std::uint64_t{a.octets[14]} << 8 | a.octets[15];
    };
    if (s == "rand") return value_range{0, 0xffffffffu, true};
    // An address may itself hold '-'? No: IPv6 text has none, so '-' splits.
    const auto dash = s.find('-');
    ipv6_address a{};
    if (!ipv6_address::parse(s.substr(0, dash), a)) return bad();
    base = a;
    if (dash == std::string_view::npos) return value_range{low32(a), low32(a), false};
    ipv6_address b{};
    if (!ipv6_address::parse(s.substr(dash + 1), b)) return bad();
    for (std::size_t i = 0; i < 12; ++i) {
        if (a.octets[i] != b.octets[i]) return bad();
    }
    if (low32(b) < low32(a)) return bad();
    return value_range{low32(a), low32(b), false};
}

result<std::uint16_t> parse_tcp_flags(std::string_view s) {
    s = trim(s);
    std::uint16_t flags = 0;
    if (s.find(',') != std::string_view::npos || (s.size() > 1 && std::islower(static_cast<unsigned char>(s[1])))) {
        // Names: syn,ack,...
        while (!s.empty()) {
            const auto comma = s.find(',');
            const std::string_view w = trim(s.substr(0, comma));
            if (w == "fin")
                flags |= 0x001;
            else if (w == "syn")
                flags |= 0x002;
            else if (w == "rst")
                flags |= 0x004;
            else if (w == "psh")
                flags |= 0x008;
            else if (w == "ack")
                flags |= 0x010;
            else if (w == "urg")
                flags |= 0x020;
            else if (w == "ece")
                flags |= 0x040;
            else if (w == "cwr")
                flags |= 0x080;
            else if (w == "ae")
                flags |= 0x100;
            else if (!w.empty())
                return bad();
            if (comma == std::string_view::npos) break;
            s.remove_prefix(comma + 1);
        }
        return flags;
    }
    for (const char c : s) {
        switch (c) {
        case 'F': flags |= 0x001; break;
        case 'S': flags |= 0x002; break;
        case 'R': flags |= 0x004; break;
        case 'P': flags |= 0x008; break;
        case 'A':
        case '.': flags |= 0x010; break;
        case 'U': flags |= 0x020; break;
        case 'E': flags |= 0x040; break;
        case 'W': flags |= 0x080; break;
        case 'e': flags |= 0x100; break;
        default: return bad(static_cast<unsigned char>(c));
        }
    }
    return flags;
}

result<std::vector<std::byte>> parse_hex(std::string_view s) {
    std::vector<std::byte> out;
    int high = -1;
    for (std::size_t i = 0; i < s.size(); ++i) {
        const char c = s[i];
        if (c == ' ' || c == ':' || c == '\t' || c == '-') {
            if (high >= 0) return bad();
            continue;
        }
        if (c == '0' && i + 1 < s.size() && (s[i + 1] == 'x' || s[i + 1] == 'X') && high < 0) {
            ++i;
            continue;
        }
        int v = 0;
        if (c >= '0' && c <= '9')
            v = c - '0';
        else if (c >= 'a' && c <= 'f')
            v = c - 'a' + 10;
        else if (c >= 'A' && c <= 'F')
            v = c - 'A' + 10;
        else
            return bad(static_cast<unsigned char>(c));
        if (high < 0) {
            high = v;
        } else {
            out.push_back(static_cast<std::byte>(high << 4 | v));
            high = -1;
        }
    }
    if (high >= 0 || out.empty()) return bad();
    return out;
}

std::size_t generator::headers_len() const noexcept {
    std::size_t n = ethernet::header_len + spec_.vlans.size() * vlan::header_len;
    n += spec_.ipv6 ? ipv6::fixed_header_len : ipv4::min_header_len;
    switch (spec_.l4) {
    case transport::udp: n += udp::header_len; break;
    case transport::tcp: n += tcp::min_header_len; break;
    case transport::icmp_echo: n += 8; break;
    case transport::none: break;
    }
    return n;
}

result<generator> generator::make(frame_spec spec, std::uint64_t seed) {
    generator g{std::move(spec), seed, 0, 0};
    const std::size_t headers = g.headers_len();
    std::size_t payload = g.spec_.payload_len;
    if (g.spec_.frame_len != 0) {
        if (g.spec_.frame_len < headers) {
            return error::invalid(layer::none, errc::length_too_small, length_source::total_length, 0, headers,
                                  g.spec_.frame_len);
        }
        payload = g.spec_.frame_len - headers;
    } else if (payload == 0 && !g.spec_.payload.empty()) {
        payload = g.spec_.payload.size();
    }
    if (!g.spec_.ipv6 && (g.spec_.src_ip.last > 0xffffffffu || g.spec_.dst_ip.last > 0xffffffffu)) return bad();
    const std::size_t l3_payload = headers - ethernet::header_len - g.spec_.vlans.size() * vlan::header_len -
                                   (g.spec_.ipv6 ? ipv6::fixed_header_len : ipv4::min_header_len) + payload;
    const std::size_t limit = g.spec_.ipv6 ? 65535 : 65535 - ipv4::min_header_len;
    if (l3_payload > limit) {
        return error::invalid(layer::none, errc::length_too_large, length_source::payload_length, 0, limit, l3_payload);
    }
    if (g.spec_.l4 == transport::icmp_echo && g.spec_.ipv6 == false && payload > icmpv4::max_data_len) {
        return error::invalid(layer::icmpv4, errc::length_too_large, length_source::payload_length, 0,
                              icmpv4::max_data_len, payload);
    }
    g.payload_len_ = payload;
    g.frame_len_ = headers + payload;
    g.frame0_.resize(g.frame_len_);
    g.fields0_ = g.fields_of(0);
    g.assemble(0, g.frame0_);
    return g;
}

generator::varying generator::fields_of(std::uint64_t n) const noexcept {
    varying v;
    v.src_ip = spec_.src_ip.at(n, seed_, 3);
    v.dst_ip = spec_.dst_ip.at(n, seed_, 4);
    v.src_port = static_cast<std::uint16_t>(spec_.src_port.at(n, seed_, 1));
    v.dst_port = static_cast<std::uint16_t>(spec_.dst_port.at(n, seed_, 2));
    v.counter = static_cast<std::uint16_t>(n);
    v.tcp_seq = static_cast<std::uint32_t>(spec_.tcp_seq + n * payload_len_);
    return v;
}

void generator::assemble(std::uint64_t n, mut_bytes frame) const noexcept {
    const varying v = fields_of(n);
    builder b{frame};
    // The payload, in place: the given bytes repeated, or a counting pattern.
    b.reserve_payload(payload_len_);
    {
        const mut_bytes p = b.data();
        const auto& given = spec_.payload;
        for (std::size_t i = 0; i < p.size(); ++i) {
            p[i] = given.empty() ? static_cast<std::byte>(i & 0xff) : given[i % given.size()];
        }
    }
    switch (spec_.l4) {
    case transport::udp: b.udp({.src_port = v.src_port, .dst_port = v.dst_port}); break;
    case transport::tcp: {
        tcp::repr t{};
        t.src_port = v.src_port;
        t.dst_port = v.dst_port;
        t.sequence = v.tcp_seq;
        t.ack_number = spec_.tcp_ack;
        t.flags = spec_.tcp_flags;
        t.window = spec_.tcp_window;
        b.tcp(t);
        break;
    }
    case transport::icmp_echo:
        if (spec_.ipv6) {
            b.icmpv6(icmpv6::echo_repr{.identifier = spec_.icmp_id, .sequence = v.counter});
        } else {
            b.icmpv4(icmpv4::echo_repr{.identifier = spec_.icmp_id, .sequence = v.counter});
        }
        break;
    case transport::none: break;
    }
    if (spec_.ipv6) {
        const auto with_low = [](ipv6_address a, std::uint64_t low) {
            a.octets[12] = static_cast<std::uint8_t>(low >> 24);
            a.octets[13] = static_cast<std::uint8_t>(low >> 16);
            a.octets[14] = static_cast<std::uint8_t>(low >> 8);
            a.octets[15] = static_cast<std::uint8_t>(low);
            return a;
        };
        ipv6::repr r{};
        r.src = with_low(spec_.src_ip6_base, v.src_ip);
        r.dst = with_low(spec_.dst_ip6_base, v.dst_ip);
        r.hop_limit = spec_.ttl;
        r.next_header = ip_proto::ipv6_nonxt;
        b.ipv6(r);
    } else {
        ipv4::repr r{};
        r.src = ipv4_address::from_u32(static_cast<std::uint32_t>(v.src_ip));
        r.dst = ipv4_address::from_u32(static_cast<std::uint32_t>(v.dst_ip));
        r.ttl = spec_.ttl;
        r.ident = v.counter;
        r.protocol = ip_proto::ipv6_nonxt;
        b.ipv4(r);
    }
    for (std::size_t i = spec_.vlans.size(); i-- > 0;) {
        const vlan_tag& t = spec_.vlans[i];
        b.vlan({.pcp = t.pcp, .dei = t.dei, .vid = t.vid}, t.tpid);
    }
    b.ethernet({.src = spec_.src_mac, .dst = spec_.dst_mac});
    (void)b.finish(); // make() sized the frame for exactly these layers
}

result<mut_bytes> generator::build(std::uint64_t n, mut_bytes out) const noexcept {
    if (out.size() < frame_len_) {
        error e = error::truncated(layer::none, length_source::total_length, 0, frame_len_, out.size());
        e.code = errc::no_room;
        return e;
    }
    const mut_bytes frame = out.first(frame_len_);
    std::memcpy(frame.data(), frame0_.data(), frame_len_);
    const varying v = fields_of(n);

    const std::size_t l3 = ethernet::header_len + spec_.vlans.size() * vlan::header_len;
    const std::size_t l4 = l3 + (spec_.ipv6 ? ipv6::fixed_header_len : ipv4::min_header_len);
    // Where the layer-4 checksum is (none without a layer 4), and whether
    // it covers the addresses (the pseudo-header: UDP, TCP, ICMPv6).
    std::size_t l4_checksum_at = 0;
    bool pseudo_header = true;
    switch (spec_.l4) {
    case transport::udp: l4_checksum_at = l4 + 6; break;  // RFC 768
    case transport::tcp: l4_checksum_at = l4 + 16; break; // RFC 9293 §3.1
    case transport::icmp_echo:
        l4_checksum_at = l4 + 2;
        pseudo_header = spec_.ipv6;
        break;
    case transport::none: pseudo_header = false; break;
    }
    const bool has_l4_checksum = spec_.l4 != transport::none;
    std::uint16_t ip_sum = spec_.ipv6 ? 0 : load_be<std::uint16_t>(frame, l3 + 10);
    std::uint16_t l4_sum = has_l4_checksum ? load_be<std::uint16_t>(frame, l4_checksum_at) : 0;

    // Writes a 16-bit field of frame n over frame 0's value and folds the
    // change into the checksums covering it (RFC 1624 §3).
    const auto put16 = [&](std::size_t at, std::uint16_t was, std::uint16_t now, bool in_ip, bool in_l4) {
        if (was == now) return;
        store_be<std::uint16_t>(frame, at, now);
        if (in_ip) ip_sum = checksum::update(ip_sum, was, now);
        if (in_l4) l4_sum = checksum::update(l4_sum, was, now);
    };
    const auto put32 = [&](std::size_t at, std::uint32_t was, std::uint32_t now, bool in_ip, bool in_l4) {
        put16(at, static_cast<std::uint16_t>(was >> 16), static_cast<std::uint16_t>(now >> 16), in_ip, in_l4);
        put16(at + 2, static_cast<std::uint16_t>(was), static_cast<std::uint16_t>(now), in_ip, in_l4);
    };
    const varying& v0 = fields0_;
    if (spec_.ipv6) {
        // RFC 8200 §3: the addresses at 8 and 24; their last 32 bits vary.
        put32(l3 + 20, static_cast<std::uint32_t>(v0.src_ip), static_cast<std::uint32_t>(v.src_ip), false,
              pseudo_header);
        put32(l3 + 36, static_cast<std::uint32_t>(v0.dst_ip), static_cast<std::uint32_t>(v.dst_ip), false,
              pseudo_header);
    } else {
        // RFC 791 §3.1: identification at 4, the addresses at 12 and 16.
        put16(l3 + 4, v0.counter, v.counter, true, false);
        put32(l3 + 12, static_cast<std::uint32_t>(v0.src_ip), static_cast<std::uint32_t>(v.src_ip), true,
              pseudo_header);
        put32(l3 + 16, static_cast<std::uint32_t>(v0.dst_ip), static_cast<std::uint32_t>(v.dst_ip), true,
              pseudo_header);
        store_be<std::uint16_t>(frame, l3 + 10, ip_sum);
    }
    switch (spec_.l4) {
    case transport::udp:
    case transport::tcp:
        put16(l4, v0.src_port, v.src_port, false, true);
        put16(l4 + 2, v0.dst_port, v.dst_port, false, true);
        if (spec_.l4 == transport::tcp) put32(l4 + 4, v0.tcp_seq, v.tcp_seq, false, true);
        break;
    case transport::icmp_echo: put16(l4 + 6, v0.counter, v.counter, false, true); break; // RFC 792 echo
    case transport::none: break;
    }
    if (has_l4_checksum) {
        // A UDP checksum that comes out 0 is sent as all ones (RFC 768).
        if (spec_.l4 == transport::udp && l4_sum == 0) l4_sum = 0xffff;
        store_be<std::uint16_t>(frame, l4_checksum_at, l4_sum);
    }
    return frame;
}

pacer::pacer(double packets_per_second, double bits_per_second) noexcept
    : pps_(packets_per_second), bps_(bits_per_second) {}

std::chrono::steady_clock::time_point pacer::due(std::size_t frame_len) noexcept {
    using clock = std::chrono::steady_clock;
    const auto now = clock::now();
    if (unlimited()) return now;
    if (!started_ || now - next_ > std::chrono::milliseconds(10)) {
        next_ = now;
        started_ = true;
    }
    const auto at = next_;
    const double seconds = pps_ > 0 ? 1.0 / pps_ : static_cast<double>((frame_len + 24) * 8) / bps_;
    next_ += std::chrono::duration_cast<clock::duration>(std::chrono::duration<double>(seconds));
    return at;
}

void pacer::wait(std::size_t frame_len) noexcept {
    if (unlimited()) return;
    const auto at = due(frame_len);
    if (at > std::chrono::steady_clock::now()) std::this_thread::sleep_until(at);
}

} // namespace rawpkt::gen
