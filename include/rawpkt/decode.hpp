// SPDX-License-Identifier: BSD-3-Clause
/// \file
/// One-pass, zero-allocation layered decoder.
///
/// `decode(frame, link, out)` walks a frame from its link header down to the
/// transport payload and records each layer as `{kind, offset, header
/// length, length}` in `out`, storage the caller owns (a `decoded`, about
/// 640 bytes, reusable frame after frame). No heap allocation, no virtual
/// call: one switch per layer over the protocol views.
///
/// What it follows: Ethernet II and 802.3/LLC/SNAP, 802.1Q/802.1ad tag stacks
/// of any depth, MPLS label stacks (the payload told by its first nibble),
/// Linux SLL/SLL2, BSD null/loopback, PPP and PPPoE sessions, ARP, IPv4,
/// IPv6 and its extension headers, IP-in-IP (4in4, 6in4, 4in6, 6in6), GRE
/// (transparent Ethernet bridging and PPTP's PPP included), VXLAN (UDP 4789),
/// Geneve (UDP 6081), GTP-U (UDP 2152), Teredo (UDP 3544), MPLS in UDP
/// (6635), TCP, UDP, ICMPv4 and ICMPv6 with the packet their errors quote.
///
/// Strict mode returns the first problem: a truncated or inconsistent
/// layer. Lax mode keeps a layer whose header is whole but whose length
/// fields claim more than was captured (marked `layer_flag::truncated`),
/// decodes on into what is there, and stops only where a header itself is
/// broken; the layers before it stay in `out`. In both modes `out.stop()`
/// says why decoding ended and `out.error()` holds the details (errc::ok
/// when it reached the end). A protocol rawpkt does not decode is not an
/// error: decoding ends there with stop_reason::unsupported, the rest is
/// payload, and error() names the protocol number (errc::unsupported).
///
/// Every layer recorded passed its view's checked() (or checked_header() in
/// lax mode), so `out.get<tcp::view>()` and friends return views whose
/// accessors stay in bounds.
#pragma once

#include <rawpkt/bytes.hpp>
#include <rawpkt/error.hpp>
#include <rawpkt/packet/arp.hpp>
#include <rawpkt/packet/ethernet.hpp>
#include <rawpkt/packet/geneve.hpp>
#include <rawpkt/packet/gre.hpp>
#include <rawpkt/packet/gtpu.hpp>
#include <rawpkt/packet/icmpv4.hpp>
#include <rawpkt/packet/icmpv6.hpp>
#include <rawpkt/packet/ipv4.hpp>
#include <rawpkt/packet/ipv6.hpp>
#include <rawpkt/packet/llc.hpp>
#include <rawpkt/packet/mpls.hpp>
#include <rawpkt/packet/null_loopback.hpp>
#include <rawpkt/packet/numbers.hpp>
#include <rawpkt/packet/ppp.hpp>
#include <rawpkt/packet/pppoe.hpp>
#include <rawpkt/packet/sll.hpp>
#include <rawpkt/packet/sll2.hpp>
#include <rawpkt/packet/tcp.hpp>
#include <rawpkt/packet/teredo.hpp>
#include <rawpkt/packet/udp.hpp>
#include <rawpkt/packet/vlan.hpp>
#include <rawpkt/packet/vxlan.hpp>

#include <array>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <optional>
#include <span>
#include <type_traits>

namespace rawpkt {

/// Bits of layer_info::flags.
namespace layer_flag {
/// The layer's length fields describe more bytes than the capture holds
/// (lax mode only); `length` is what was captured.
inline constexpr std::uint8_t truncated = 0x01;
/// The layer is inside the packet an ICMP error quotes.
inline constexpr std::uint8_t quoted = 0x02;
/// An IPv4 header or IPv6 fragment header of a fragment.
inline constexpr std::uint8_t fragment = 0x04;
} // namespace layer_flag

/// One decoded layer. Offsets and lengths are in bytes from the start of
/// the frame.
struct layer_info {
    rawpkt::layer kind = layer::none; ///< which protocol the layer is
    /// For layer::ipv6_extension: the header's type (an ip_proto value).
    std::uint8_t protocol = 0;
    /// Encapsulation depth: 0 for the outer packet, one more inside each
    /// tunnel (IP-in-IP, GRE, VXLAN, Geneve, GTP-U, Teredo).
    std::uint8_t depth = 0;
    std::uint8_t flags = 0;       ///< layer_flag bits
    std::uint32_t offset = 0;     ///< where its header starts, in bytes from the start of the frame
    std::uint32_t header_len = 0; ///< bytes of its header (options and extensions included)
    /// Header plus the payload it covers, as its length fields say (IPv4
    /// total length, UDP length, ...) and clamped to the capture; for layers
    /// without a length field, up to the end of the enclosing layer.
    std::uint32_t length = 0;

    /// True when layer_flag bit `flag` is set.
    [[nodiscard]] constexpr bool has(std::uint8_t flag) const noexcept { return (flags & flag) != 0; }
    /// Where the bytes the header carries start.
    [[nodiscard]] constexpr std::uint32_t payload_offset() const noexcept { return offset + header_len; }
    /// Bytes the header carries: `length` minus the header.
    [[nodiscard]] constexpr std::uint32_t payload_len() const noexcept { return length - header_len; }
    friend constexpr bool operator==(const layer_info&, const layer_info&) = default;
};

/// How decode() treats a layer whose length fields claim more than was captured: strict stops with the error, lax keeps
/// the layer (marked layer_flag::truncated) and goes on (see the file comment).
enum class decode_mode : std::uint8_t { strict, lax };

/// Why decoding ended.
enum class stop_reason : std::uint8_t {
    end,         ///< a transport payload or a protocol with nothing inside (ARP, ICMP echo)
    unsupported, ///< the next protocol is one rawpkt does not decode; the rest is payload
    fragment,    ///< a non-first IP fragment: its payload is fragment data, not a header
    error,       ///< a truncated or malformed layer (see decoded::error())
};

/// The reason's name ("end", "unsupported", "fragment", "error").
[[nodiscard]] constexpr const char* to_string(stop_reason r) noexcept {
    switch (r) {
    case stop_reason::end: return "end";
    case stop_reason::unsupported: return "unsupported";
    case stop_reason::fragment: return "fragment";
    case stop_reason::error: return "error";
    }
    return "?";
}

/// How decode() decodes: strictness, tunnels, ICMP quotes, depth.
struct decode_options {
    decode_mode mode = decode_mode::strict; ///< strict: stop at the first inconsistency; lax: keep what is there
    /// Follow VXLAN, Geneve, GTP-U, Teredo and MPLS-in-UDP by their UDP ports.
    bool udp_tunnels = true;
    /// Decode the packet quoted inside ICMPv4/ICMPv6 error messages.
    bool icmp_quotes = true;
    /// Tunnels nested deeper than this stop decoding with errc::too_many.
    std::uint8_t max_depth = 8;
    /// Decode the most common frames (Ethernet, one optional 802.1Q tag,
    /// IPv4 or IPv6, TCP or UDP) in one straight run. The result is the
    /// same either way; turning it off is for tests and measurements.
    bool fast_path = true;
};

template <class View>
struct layer_of_view;

/// The decoded layers of one frame: fixed storage the caller owns.
class decoded {
public:
    /// The most layers one frame can record (decoding past them stops with errc::too_many).
    static constexpr std::size_t max_layers = 32;

    /// The frame decoded (the bytes given to decode()).
    [[nodiscard]] constexpr bytes frame() const noexcept { return frame_; }
    /// The link type it was decoded as.
    [[nodiscard]] constexpr link_type link() const noexcept { return sum_.link; }
    /// The layers, outermost first.
    [[nodiscard]] constexpr std::span<const layer_info> layers() const noexcept { return {layers_.data(), sum_.count}; }
    /// How many layers were recorded.
    [[nodiscard]] constexpr std::size_t size() const noexcept { return sum_.count; }
    /// True when no layer was recorded (an empty frame, or the first header broken).
    [[nodiscard]] constexpr bool empty() const noexcept { return sum_.count == 0; }
    /// Layer i < size(), outermost first.
    [[nodiscard]] constexpr const layer_info& operator[](std::size_t i) const noexcept { return layers_[i]; }

    /// Why decoding ended.
    [[nodiscard]] constexpr stop_reason stop() const noexcept { return sum_.stop; }
    /// The error that ended decoding, or the unsupported protocol; an error
    /// with errc::ok when decoding reached the end or a fragment.
    [[nodiscard]] constexpr rawpkt::error error() const noexcept {
        return sum_.stop == stop_reason::error || sum_.stop == stop_reason::unsupported ? error_ : rawpkt::error{};
    }
    /// True when a layer was truncated by the capture (lax mode).
    [[nodiscard]] constexpr bool truncated() const noexcept { return sum_.any_flags & layer_flag::truncated; }
    /// True when the frame carries an IP fragment.
    [[nodiscard]] constexpr bool is_fragment() const noexcept { return sum_.any_flags & layer_flag::fragment; }

    /// The bytes after the innermost decoded header: the transport payload,
    /// fragment data, or what follows an unsupported protocol.
    [[nodiscard]] constexpr bytes payload() const noexcept {
        return frame_.subspan(sum_.payload_offset, sum_.payload_len);
    }
    /// Where payload() starts, in bytes from the start of the frame.
    [[nodiscard]] constexpr std::uint32_t payload_offset() const noexcept { return sum_.payload_offset; }

    /// The n-th layer of a kind, outermost first; nullptr if there is none.
    [[nodiscard]] constexpr const layer_info* find(rawpkt::layer kind, std::size_t nth = 0) const noexcept {
        for (std::size_t i = 0; i < sum_.count; ++i) {
            if (layers_[i].kind == kind && nth-- == 0) return &layers_[i];
        }
        return nullptr;
    }
    /// The innermost layer of a kind; nullptr if there is none.
    [[nodiscard]] constexpr const layer_info* find_last(rawpkt::layer kind) const noexcept {
        for (std::size_t i = sum_.count; i-- > 0;) {
            if (layers_[i].kind == kind) return &layers_[i];
        }
        return nullptr;
    }
    /// The bytes a layer covers (its header and payload).
    [[nodiscard]] constexpr bytes bytes_of(const layer_info& l) const noexcept {
        return frame_.subspan(l.offset, l.length);
    }
    /// A view of the n-th layer of the view's kind (outermost first), e.g.
    /// `d.get<tcp::view>()`. The layer passed the view's validation.
    template <class View>
    [[nodiscard]] constexpr std::optional<View> get(std::size_t nth = 0) const noexcept {
        const layer_info* l = find(layer_of_view<View>::value, nth);
        if (l == nullptr) return std::nullopt;
        if constexpr (layer_of_view<View>::value == layer::null_loopback) {
            return View::unchecked(bytes_of(*l), sum_.link);
        } else {
            return View::unchecked(bytes_of(*l));
        }
    }

    /// Forgets the previous frame (decode() does it itself).
    constexpr void clear() noexcept {
        sum_.count = 0;
        sum_.any_flags = 0;
        sum_.payload_offset = 0;
        sum_.payload_len = 0;
        sum_.stop = stop_reason::end;
    }

private:
    friend class decoder;

    /// What a decode records besides the layers, in 16 bytes that the fast
    /// path stores as two words.
    struct summary {
        std::uint32_t payload_offset = 0;
        std::uint32_t payload_len = 0;
        std::uint16_t count = 0; // at most max_layers
        stop_reason stop = stop_reason::end;
        std::uint8_t any_flags = 0;
        link_type link = link_type::ethernet;
    };

    bytes frame_{};
    summary sum_{};
    rawpkt::error error_{}; // meaningful for stop_reason::error and unsupported only
    std::array<layer_info, max_layers> layers_{};
};

/// Maps a view type to the layer kind the decoder records for it:
/// `layer_of_view<tcp::view>::value` is layer::tcp. Specialized for the view
/// of every protocol decode() records (the specializations are left out of
/// the reference).
template <class View>
struct layer_of_view;
/// @cond layer_of_view_specializations
#define RAWPKT_LAYER_OF(ns, kind_)                                                                                     \
    template <>                                                                                                        \
    struct layer_of_view<ns::view> {                                                                                   \
        static constexpr layer value = layer::kind_;                                                                   \
    }
RAWPKT_LAYER_OF(ethernet, ethernet);
RAWPKT_LAYER_OF(llc, llc);
RAWPKT_LAYER_OF(snap, snap);
RAWPKT_LAYER_OF(vlan, vlan);
RAWPKT_LAYER_OF(mpls, mpls);
RAWPKT_LAYER_OF(sll, sll);
RAWPKT_LAYER_OF(sll2, sll2);
RAWPKT_LAYER_OF(null_loopback, null_loopback);
RAWPKT_LAYER_OF(ppp, ppp);
RAWPKT_LAYER_OF(pppoe, pppoe);
RAWPKT_LAYER_OF(arp, arp);
RAWPKT_LAYER_OF(ipv4, ipv4);
RAWPKT_LAYER_OF(ipv6, ipv6);
RAWPKT_LAYER_OF(icmpv4, icmpv4);
RAWPKT_LAYER_OF(icmpv6, icmpv6);
RAWPKT_LAYER_OF(tcp, tcp);
RAWPKT_LAYER_OF(udp, udp);
RAWPKT_LAYER_OF(gre, gre);
RAWPKT_LAYER_OF(vxlan, vxlan);
RAWPKT_LAYER_OF(geneve, geneve);
RAWPKT_LAYER_OF(gtpu, gtpu);
RAWPKT_LAYER_OF(teredo, teredo);
/// @endcond
#undef RAWPKT_LAYER_OF

/// The layer an EtherType announces; layer::none when rawpkt does not
/// decode it.
[[nodiscard]] constexpr layer layer_for(ethertype t) noexcept {
    switch (t) {
    case ethertype::ipv4: return layer::ipv4;
    case ethertype::ipv6: return layer::ipv6;
    case ethertype::arp: return layer::arp;
    case ethertype::vlan:
    case ethertype::qinq:
    case ethertype::qinq_old:
    case ethertype::qinq_old2: return layer::vlan;
    case ethertype::mpls_unicast:
    case ethertype::mpls_multicast: return layer::mpls;
    case ethertype::pppoe_session: return layer::pppoe;
    case ethertype::transparent_ethernet_bridging: return layer::ethernet;
    case ethertype::ppp: return layer::ppp;
    default: return layer::none;
    }
}

/// The layer an IP protocol number announces; layer::none when rawpkt does
/// not decode it. IPv6 extension headers map to layer::ipv6_extension.
[[nodiscard]] constexpr layer layer_for(ip_proto p) noexcept {
    switch (p) {
    case ip_proto::tcp: return layer::tcp;
    case ip_proto::udp: return layer::udp;
    case ip_proto::icmp: return layer::icmpv4;
    case ip_proto::icmpv6: return layer::icmpv6;
    case ip_proto::ipip: return layer::ipv4;
    case ip_proto::ipv6: return layer::ipv6;
    case ip_proto::gre: return layer::gre;
    default: return ipv6::is_extension_header(p) ? layer::ipv6_extension : layer::none;
    }
}

/// The one-pass decoder behind decode(). State lives on the stack for one
/// frame; results go into the caller's `decoded`.
class decoder {
public:
    /// A decoder of `frame` into `out`; `out` must outlive it.
    constexpr decoder(bytes frame, decoded& out, const decode_options& opts) noexcept
        : frame_(frame), out_(out), opts_(opts), end_(frame.size()) {}

    /// Decodes the frame as `link`: what decode() does once its arguments are set.
    [[gnu::noinline]] constexpr status run(link_type link) noexcept {
        out_.clear();
        out_.frame_ = frame_;
        out_.sum_.link = link;
        layer next = layer::none;
        switch (link) {
        case link_type::ethernet: next = layer::ethernet; break;
        case link_type::linux_sll: next = layer::sll; break;
        case link_type::linux_sll2: next = layer::sll2; break;
        case link_type::null:
        case link_type::loop: next = layer::null_loopback; break;
        case link_type::ppp:
        case link_type::ppp_hdlc: next = layer::ppp; break;
        case link_type::ipv4: next = layer::ipv4; break;
        case link_type::ipv6: next = layer::ipv6; break;
        case link_type::raw: next = ip_by_version(); break;
        default: unsupported(layer::none, static_cast<std::uint32_t>(link)); return result_;
        }
        link_ = link;
        while (next != layer::none) next = step(next);
        return result_;
    }

    /// The common case in one straight run: Ethernet, at most one 802.1Q
    /// tag, an unfragmented IPv4 packet or an IPv6 packet without extension
    /// headers, then TCP or UDP (not on a tunnel port), all of it whole.
    /// Returns false for anything else, and the general loop then starts over
    /// and reports what this path declined; what this path wrote in `out`
    /// until then is not part of a result (size() is unchanged) and the
    /// general loop overwrites it. Both paths accept exactly the same frames
    /// as the views' checked() and record the same layers (the tests compare
    /// them). Inlined into decode(): at a few nanoseconds per frame the call
    /// and the registers it saves are a measurable part.
    [[gnu::always_inline]] static constexpr bool fast_path(bytes f, decoded& out, const decode_options& opts) noexcept {
        if (f.size() < ethernet::header_len + ipv4::min_header_len) return false;
        const std::uint16_t type = load_be<std::uint16_t>(f, ethernet::field::type_len.begin);
        if (type != static_cast<std::uint16_t>(ethertype::vlan)) [[likely]]
            return fast_path_ip<ethernet::header_len>(f, out, opts, type);
        if (f.size() < ethernet::header_len + vlan::header_len + ipv4::min_header_len) return false;
        return fast_path_ip<ethernet::header_len + vlan::header_len>(
            f, out, opts, load_be<std::uint16_t>(f, ethernet::header_len + vlan::field::type_len.begin));
    }
    /// The fast path from the IP header on, which starts at L3 (after
    /// Ethernet, or after Ethernet and one tag): with L3 known, every offset
    /// up to the transport header is a constant.
    template <std::size_t L3>
    [[gnu::always_inline]] static constexpr bool fast_path_ip(bytes f, decoded& out, const decode_options& opts,
                                                              std::uint16_t type) noexcept {
        // Every read below is inside a length checked just before it. Reads
        // go through the spans of the IP header and of the transport header,
        // so that the compiler keeps their start, not one offset per field;
        // each record is written as soon as its layer is known to be whole.
        // Both keep few values live across the run.
        constexpr std::size_t ip_record = L3 == ethernet::header_len ? 1 : 2; // records before the IP header
        // IP packets with fewer bytes after the IP header (UDP datagrams
        // with less than 12 bytes of payload) take the general path: one
        // check here spares one per transport protocol below.
        constexpr std::size_t min_segment = tcp::min_header_len;
        const std::size_t n = f.size();
        layer_info* const l = out.layers_.data();
        put_layer(l[0], layer::ethernet, 0, ethernet::header_len, static_cast<std::uint32_t>(n));
        if constexpr (ip_record == 2) {
            put_layer(l[1], layer::vlan, ethernet::header_len, vlan::header_len,
                      static_cast<std::uint32_t>(n - ethernet::header_len));
        }
        const bytes ip = f.subspan(L3); // at least 20 bytes
        std::size_t l4;                 // where the transport header starts
        std::size_t seg;                // bytes from there to the end of the IP packet
        std::uint8_t proto;
        if (type == static_cast<std::uint16_t>(ethertype::ipv4)) [[likely]] {
            const std::uint8_t ver_ihl = load_u8(ip, 0);
            const std::size_t hl = static_cast<std::size_t>(ver_ihl & 0x0fu) * 4;
            const std::size_t total = load_be<std::uint16_t>(ip, ipv4::field::total_len.begin);
            // Version 4 with a header of at least 20 bytes: 0x45 to 0x4f.
            if (static_cast<std::uint8_t>(ver_ihl - 0x45u) > 0x0au || total < hl + min_segment || total > ip.size()) {
                return false;
            }
            if ((load_be<std::uint16_t>(ip, ipv4::field::flags_frag.begin) &
                 (ipv4::flag_more_fragments | ipv4::frag_offset_mask)) != 0) {
                return false;
            }
            put_layer(l[ip_record], layer::ipv4, L3, static_cast<std::uint32_t>(hl), static_cast<std::uint32_t>(total));
            proto = load_u8(ip, ipv4::field::protocol);
            l4 = L3 + hl;
            seg = total - hl;
        } else if (type == static_cast<std::uint16_t>(ethertype::ipv6)) {
            if (ip.size() < ipv6::fixed_header_len || (load_u8(ip, 0) >> 4) != 6) return false;
            const std::size_t plen = load_be<std::uint16_t>(ip, ipv6::field::payload_len.begin);
            if (plen < min_segment || plen > ip.size() - ipv6::fixed_header_len) return false;
            put_layer(l[ip_record], layer::ipv6, L3, ipv6::fixed_header_len,
                      static_cast<std::uint32_t>(ipv6::fixed_header_len + plen));
            proto = load_u8(ip, ipv6::field::next_header);
            l4 = L3 + ipv6::fixed_header_len;
            seg = plen;
        } else {
            return false;
        }
        const bytes tp = f.subspan(l4); // the transport header, seg >= min_segment bytes of it in the IP packet
        std::size_t l4_hl;
        if (proto == static_cast<std::uint8_t>(ip_proto::tcp)) [[likely]] {
            l4_hl = static_cast<std::size_t>(load_u8(tp, tcp::field::offset_flags.begin) >> 4) * 4;
            if (l4_hl < tcp::min_header_len || l4_hl > seg) return false;
            put_layer(l[ip_record + 1], layer::tcp, static_cast<std::uint32_t>(l4), static_cast<std::uint32_t>(l4_hl),
                      static_cast<std::uint32_t>(seg));
        } else if (proto == static_cast<std::uint8_t>(ip_proto::udp)) {
            const std::size_t len = load_be<std::uint16_t>(tp, udp::field::length.begin);
            if (len < udp::header_len || len > seg) return false;
            if (opts.udp_tunnels && (is_tunnel_port(load_be<std::uint16_t>(tp, udp::field::src_port.begin)) ||
                                     is_tunnel_port(load_be<std::uint16_t>(tp, udp::field::dst_port.begin)))) {
                return false;
            }
            put_layer(l[ip_record + 1], layer::udp, static_cast<std::uint32_t>(l4), udp::header_len,
                      static_cast<std::uint32_t>(len));
            l4_hl = udp::header_len;
            seg = len;
        } else {
            return false;
        }
        out.frame_ = f;
        put_summary(out.sum_, static_cast<std::uint32_t>(l4 + l4_hl), static_cast<std::uint32_t>(seg - l4_hl),
                    ip_record + 2);
        return true;
    }
    /// UDP ports whose payload the decoder follows as a tunnel.
    [[nodiscard]] static constexpr bool is_tunnel_port(std::uint16_t p) noexcept {
        return p == port::vxlan || p == port::geneve || p == port::gtpu || p == port::mpls_udp || p == port::teredo;
    }

private:
    /// Stores two 64-bit words over a 16-byte T, the first at the lower
    /// address (on little-endian targets, where the caller checked T's
    /// layout). memcpy, not a bit_cast: the compiler would split the value
    /// back into T's members and store them one by one.
    template <class T>
    [[gnu::always_inline]] static constexpr void store_words(T& at, std::uint64_t first,
                                                             std::uint64_t second) noexcept {
        static_assert(sizeof(T) == 16 && std::is_trivially_copyable_v<T>);
        const std::array<std::uint64_t, 2> words{first, second};
        if (std::is_constant_evaluated()) {
            at = std::bit_cast<T>(words);
        } else {
            // T's default member initializers make it non-trivial to construct,
            // not to copy: its bytes may be written whole.
            std::memcpy(static_cast<void*>(&at), words.data(), sizeof(T));
        }
    }
    /// Writes a layer record without protocol, depth or flags. On
    /// little-endian targets the record is assembled in two words and stored
    /// whole: member by member, it takes up to seven stores.
    [[gnu::always_inline]] static constexpr void put_layer(layer_info& at, layer kind, std::uint32_t offset,
                                                           std::uint32_t header_len, std::uint32_t length) noexcept {
        if constexpr (std::endian::native == std::endian::little && sizeof(layer_info) == 16 &&
                      offsetof(layer_info, offset) == 4 && offsetof(layer_info, header_len) == 8 &&
                      offsetof(layer_info, length) == 12) {
            store_words(at, static_cast<std::uint8_t>(kind) | std::uint64_t{offset} << 32,
                        header_len | std::uint64_t{length} << 32);
        } else {
            at = layer_info{kind, 0, 0, 0, offset, header_len, length};
        }
    }
    /// Writes the summary of a whole Ethernet frame (stop_reason::end, no
    /// flags), as put_layer() does a record.
    [[gnu::always_inline]] static constexpr void put_summary(decoded::summary& at, std::uint32_t payload_offset,
                                                             std::uint32_t payload_len, std::uint16_t count) noexcept {
        using summary = decoded::summary;
        if constexpr (std::endian::native == std::endian::little && sizeof(summary) == 16 &&
                      offsetof(summary, payload_len) == 4 && offsetof(summary, count) == 8 &&
                      offsetof(summary, stop) == 10 && offsetof(summary, any_flags) == 11 &&
                      offsetof(summary, link) == 12) {
            store_words(at, payload_offset | std::uint64_t{payload_len} << 32,
                        count | std::uint64_t{static_cast<std::uint8_t>(stop_reason::end)} << 16 |
                            std::uint64_t{static_cast<std::uint32_t>(link_type::ethernet)} << 32);
        } else {
            at = {payload_offset, payload_len, count, stop_reason::end, 0, link_type::ethernet};
        }
    }

    // ---- outcomes ----

    /// Ends decoding at off_: the rest of the current window is payload.
    constexpr layer finish(stop_reason why) noexcept {
        out_.sum_.stop = why;
        out_.sum_.any_flags = any_flags_;
        out_.sum_.payload_offset = static_cast<std::uint32_t>(off_);
        out_.sum_.payload_len = static_cast<std::uint32_t>(end_ > off_ ? end_ - off_ : 0);
        return layer::none;
    }
    constexpr layer unsupported(layer where, std::uint32_t value) noexcept {
        out_.error_ = error::invalid(where, errc::unsupported, length_source::none, off_, 0, value);
        return finish(stop_reason::unsupported);
    }
    constexpr layer fail(const error& e) noexcept {
        // A packet quoted by an ICMP error and the first fragment of a
        // datagram are cut short by design: running out of them ends
        // decoding normally.
        if (e.code == errc::truncated && quoted_) return finish(stop_reason::end);
        if (e.code == errc::truncated && in_fragment_) return finish(stop_reason::fragment);
        out_.error_ = e;
        // A header rawpkt understands but whose variant it does not decode
        // (GRE routing, GTP') is where decoding ends, not a malformed packet.
        if (e.code == errc::unsupported) return finish(stop_reason::unsupported);
        result_ = e;
        return finish(stop_reason::error);
    }

    // ---- helpers ----

    [[nodiscard]] constexpr bytes window() const noexcept { return frame_.subspan(off_, end_ - off_); }
    /// Lax checks apply in lax mode, and always inside a quoted packet or a
    /// first fragment, whose inner lengths describe more than they carry.
    [[nodiscard]] constexpr bool lax() const noexcept {
        return opts_.mode == decode_mode::lax || quoted_ || in_fragment_;
    }

    /// Validates a view over the current window. Strict: checked(). Lax: a
    /// view whose only fault is a length beyond the capture is accepted
    /// through checked_header() and the layer marked truncated.
    template <class View>
    constexpr result<View> check() noexcept {
        auto v = View::checked(window());
        if constexpr (requires { View::checked_header(window()); }) {
            if (!v && v.error().code == errc::truncated && lax()) {
                auto h = View::checked_header(window());
                if (h) pending_flags_ |= layer_flag::truncated;
                return h;
            }
        }
        return v;
    }

    /// Records a layer at off_ and moves off_ past its header. `length` is
    /// the extent the layer's own length fields give (already clamped).
    [[nodiscard, gnu::always_inline]] constexpr bool push(layer kind, std::size_t header_len, std::size_t length,
                                                          std::uint8_t protocol = 0) noexcept {
        if (out_.sum_.count >= decoded::max_layers) {
            fail(error::invalid(layer::none, errc::too_many, length_source::none, off_, decoded::max_layers,
                                decoded::max_layers + 1));
            return false;
        }
        // The views' checks guarantee both; this keeps the decoder's own
        // bookkeeping in bounds whatever a view might let through.
        if (header_len > length || length > end_ - off_) {
            fail(error::truncated(kind, length_source::fixed_header, off_, header_len, end_ - off_));
            return false;
        }
        // Built in registers and stored whole: byte-sized stores into the
        // caller's storage would make the compiler reload the decoder's state.
        const auto flags = static_cast<std::uint8_t>(pending_flags_ | (quoted_ ? layer_flag::quoted : 0));
        out_.layers_[out_.sum_.count] = layer_info{kind,
                                                   protocol,
                                                   depth_,
                                                   flags,
                                                   static_cast<std::uint32_t>(off_),
                                                   static_cast<std::uint32_t>(header_len),
                                                   static_cast<std::uint32_t>(length)};
        ++out_.sum_.count;
        any_flags_ |= flags;
        pending_flags_ = 0;
        end_ = off_ + length;
        off_ += header_len;
        return true;
    }
    [[nodiscard]] constexpr bool push(layer kind, std::size_t header_len) noexcept {
        return push(kind, header_len, end_ - off_);
    }

    [[nodiscard]] constexpr layer ip_by_version() const noexcept {
        if (off_ >= end_) return layer::ipv4; // reported as a truncated IPv4 header
        const std::uint8_t version = load_u8(frame_, off_) >> 4;
        return version == 6 ? layer::ipv6 : layer::ipv4;
    }

    /// The next layer for an EtherType, or an unsupported stop.
    constexpr layer by_ethertype(layer where, ethertype t) noexcept {
        const layer next = layer_for(t);
        if (next == layer::none) return unsupported(where, static_cast<std::uint16_t>(t));
        return next;
    }
    /// The next layer for an IP protocol number, or an unsupported stop.
    constexpr layer by_ip_proto(layer where, ip_proto p) noexcept {
        const layer next = layer_for(p);
        // Extension headers follow IPv6 only, but for AH (RFC 4302), which
        // protects IPv4 as well.
        if (next == layer::none || (next == layer::ipv6_extension && where != layer::ipv6 && p != ip_proto::ah)) {
            return unsupported(where, static_cast<std::uint8_t>(p));
        }
        if (next == layer::ipv6_extension) {
            ext_kind_ = p;
            // Hop-by-hop options may only follow the IPv6 header itself
            // (RFC 8200 §4.3); parse_ext_header() rejects them elsewhere.
            ext_first_ = where == layer::ipv6 && !after_extension_;
        }
        if (next == layer::ipv4 || next == layer::ipv6) return enter_tunnel(next);
        return next;
    }
    /// Goes one encapsulation deeper for the tunnelled `next` layer.
    constexpr layer enter_tunnel(layer next) noexcept {
        if (next == layer::none) return next;
        if (depth_ >= opts_.max_depth) {
            return fail(
                error::invalid(layer::none, errc::too_many, length_source::none, off_, opts_.max_depth, depth_ + 1u));
        }
        ++depth_;
        return next;
    }

    // ---- one step per layer ----

    constexpr layer step(layer kind) noexcept {
        switch (kind) {
        case layer::ethernet: return step_ethernet();
        case layer::llc: return step_llc();
        case layer::vlan: return step_vlan();
        case layer::mpls: return step_mpls();
        case layer::sll: return step_sll();
        case layer::sll2: return step_sll2();
        case layer::null_loopback: return step_null();
        case layer::ppp: return step_ppp();
        case layer::pppoe: return step_pppoe();
        case layer::arp: return step_arp();
        case layer::ipv4: return step_ipv4();
        case layer::ipv6: return step_ipv6();
        case layer::ipv6_extension: return step_ipv6_extension();
        case layer::icmpv4: return step_icmpv4();
        case layer::icmpv6: return step_icmpv6();
        case layer::tcp: return step_tcp();
        case layer::udp: return step_udp();
        case layer::gre: return step_gre();
        case layer::vxlan: return step_vxlan();
        case layer::geneve: return step_geneve();
        case layer::gtpu: return step_gtpu();
        case layer::teredo: return step_teredo();
        default: return unsupported(kind, 0);
        }
    }

    constexpr layer step_ethernet() noexcept {
        const auto v = check<ethernet::view>();
        if (!v) return fail(v.error().rebased(off_));
        if (v->is_length()) {
            if (!push(layer::ethernet, ethernet::header_len, ethernet::header_len + v->payload().size()))
                return layer::none;
            return layer::llc;
        }
        if (!push(layer::ethernet, ethernet::header_len)) return layer::none;
        return by_ethertype(layer::ethernet, v->ethertype());
    }

    constexpr layer step_vlan() noexcept {
        const auto v = check<vlan::view>();
        if (!v) return fail(v.error().rebased(off_));
        if (v->is_length()) {
            if (!push(layer::vlan, vlan::header_len, vlan::header_len + v->payload().size())) return layer::none;
            return layer::llc;
        }
        if (!push(layer::vlan, vlan::header_len)) return layer::none;
        return by_ethertype(layer::vlan, v->ethertype());
    }

    constexpr layer step_llc() noexcept {
        const auto v = check<llc::view>();
        if (!v) return fail(v.error().rebased(off_));
        const bool snap = v->is_snap();
        const std::uint8_t dsap = v->dsap();
        if (!push(layer::llc, v->header_len())) return layer::none;
        if (!snap) return unsupported(layer::llc, dsap);
        const auto s = check<snap::view>();
        if (!s) return fail(s.error().rebased(off_));
        if (!push(layer::snap, snap::header_len)) return layer::none;
        if (!s->is_ethertype()) return unsupported(layer::snap, s->oui());
        return by_ethertype(layer::snap, static_cast<ethertype>(s->protocol_id()));
    }

    constexpr layer step_mpls() noexcept {
        const auto v = check<mpls::view>();
        if (!v) return fail(v.error().rebased(off_));
        const bool bottom = v->bottom_of_stack();
        if (!push(layer::mpls, mpls::header_len)) return layer::none;
        if (!bottom) return layer::mpls;
        const auto inner = mpls::guess_payload(window());
        if (!inner) {
            if (inner.error().code == errc::truncated) return fail(inner.error().rebased(off_));
            return unsupported(layer::mpls, inner.error().available);
        }
        if (mpls_in_udp_) {
            mpls_in_udp_ = false;
            return enter_tunnel(layer_for(*inner));
        }
        return layer_for(*inner);
    }

    constexpr layer step_sll() noexcept {
        const auto v = check<sll::view>();
        if (!v) return fail(v.error().rebased(off_));
        if (!push(layer::sll, sll::header_len)) return layer::none;
        if (v->is_ethertype()) return by_ethertype(layer::sll, v->ethertype());
        if (v->protocol() == sll::linux_protocol::ieee802_2) return layer::llc;
        return unsupported(layer::sll, v->protocol());
    }

    constexpr layer step_sll2() noexcept {
        const auto v = check<sll2::view>();
        if (!v) return fail(v.error().rebased(off_));
        if (!push(layer::sll2, sll2::header_len)) return layer::none;
        if (v->is_ethertype()) return by_ethertype(layer::sll2, v->ethertype());
        if (v->protocol() == sll::linux_protocol::ieee802_2) return layer::llc;
        return unsupported(layer::sll2, v->protocol());
    }

    constexpr layer step_null() noexcept {
        const auto v = null_loopback::view::checked(window(), link_);
        if (!v) return fail(v.error().rebased(off_));
        if (!push(layer::null_loopback, null_loopback::header_len)) return layer::none;
        const auto t = v->payload_ethertype();
        if (!t) return unsupported(layer::null_loopback, v->family());
        return by_ethertype(layer::null_loopback, *t);
    }

    constexpr layer step_ppp() noexcept {
        const auto v = check<ppp::view>();
        if (!v) return fail(v.error().rebased(off_));
        if (!push(layer::ppp, v->header_len())) return layer::none;
        const auto t = v->payload_ethertype();
        if (!t) return unsupported(layer::ppp, v->protocol_number());
        return by_ethertype(layer::ppp, *t);
    }

    constexpr layer step_pppoe() noexcept {
        const auto v = check<pppoe::view>();
        if (!v) return fail(v.error().rebased(off_));
        // The session header; the PPP protocol field after it is its own layer.
        if (!push(layer::pppoe, pppoe::header_len, pppoe::header_len + v->payload().size())) return layer::none;
        return layer::ppp;
    }

    constexpr layer step_arp() noexcept {
        const auto v = check<arp::view>();
        if (!v) return fail(v.error().rebased(off_));
        // What follows ARP is link padding, not payload.
        if (!push(layer::arp, v->header_len(), v->header_len())) return layer::none;
        return finish(stop_reason::end);
    }

    constexpr layer step_ipv4() noexcept {
        const auto v = check<ipv4::view>();
        if (!v) return fail(v.error().rebased(off_));
        if (v->is_fragment()) {
            pending_flags_ |= layer_flag::fragment;
            in_fragment_ = true;
        }
        if (!push(layer::ipv4, v->header_len(), v->datagram_len())) return layer::none;
        if (v->is_later_fragment()) return finish(stop_reason::fragment);
        return by_ip_proto(layer::ipv4, v->protocol());
    }

    constexpr layer step_ipv6() noexcept {
        const auto v = check<ipv6::view>();
        if (!v) return fail(v.error().rebased(off_));
        if (!push(layer::ipv6, ipv6::fixed_header_len, v->datagram_len())) return layer::none;
        ext_count_ = 0;
        return by_ip_proto(layer::ipv6, v->next_header());
    }

    constexpr layer step_ipv6_extension() noexcept {
        if (ext_count_ == ipv6::max_ext_headers) {
            return fail(error::invalid(layer::ipv6_extension, errc::too_many, length_source::none, off_,
                                       ipv6::max_ext_headers, ext_count_ + 1u));
        }
        ++ext_count_;
        const auto h = ipv6::parse_ext_header(ext_kind_, window(), 0, 0, ext_first_);
        if (!h) return fail(h.error().rebased(off_));
        if (h->kind == ip_proto::ipv6_frag && !ipv6::fragment::view::unchecked(h->header).is_atomic()) {
            pending_flags_ |= layer_flag::fragment;
            in_fragment_ = true;
        }
        if (!push(layer::ipv6_extension, h->header_len, end_ - off_, static_cast<std::uint8_t>(h->kind))) {
            return layer::none;
        }
        if (h->is_later_fragment()) return finish(stop_reason::fragment);
        if (h->next_header == ip_proto::ipv6_nonxt) return finish(stop_reason::end);
        after_extension_ = true;
        const layer next = by_ip_proto(layer::ipv6, h->next_header);
        after_extension_ = false;
        return next;
    }

    constexpr layer step_icmpv4() noexcept {
        const auto v = check<icmpv4::view>();
        if (!v) return fail(v.error().rebased(off_));
        if (!push(layer::icmpv4, icmpv4::header_len)) return layer::none;
        if (!v->is_error() || !opts_.icmp_quotes || quoted_) return finish(stop_reason::end);
        quoted_ = true;
        // The quote ends where an RFC 4884 extension begins.
        end_ = off_ + v->invoking_packet().size();
        return layer::ipv4;
    }

    constexpr layer step_icmpv6() noexcept {
        const auto v = check<icmpv6::view>();
        if (!v) return fail(v.error().rebased(off_));
        if (!push(layer::icmpv6, icmpv6::header_len)) return layer::none;
        if (!v->is_error() || !opts_.icmp_quotes || quoted_) return finish(stop_reason::end);
        quoted_ = true;
        return layer::ipv6;
    }

    constexpr layer step_tcp() noexcept {
        const auto v = check<tcp::view>();
        if (!v) return fail(v.error().rebased(off_));
        if (!push(layer::tcp, v->header_len())) return layer::none;
        return finish(stop_reason::end);
    }

    constexpr layer step_udp() noexcept {
        const auto v = check<udp::view>();
        if (!v) return fail(v.error().rebased(off_));
        if (!push(layer::udp, udp::header_len, v->datagram_len())) return layer::none;
        if (!opts_.udp_tunnels || quoted_ || in_fragment_) return finish(stop_reason::end);
        // A well-known port is only a hint: the payload must look like the
        // tunnel, or it is plain data. The destination port wins.
        for (const std::uint16_t p : {v->dst_port(), v->src_port()}) {
            const layer t = tunnel_on_port(p);
            if (t == layer::none) continue;
            // The tunnel header stays at this depth, what it carries goes one
            // deeper; for MPLS that is decided after the label stack.
            mpls_in_udp_ = t == layer::mpls;
            return t;
        }
        return finish(stop_reason::end);
    }

    /// The tunnel a UDP payload on port `p` carries, if it looks like one.
    [[nodiscard]] constexpr layer tunnel_on_port(std::uint16_t p) const noexcept {
        const bytes w = window();
        switch (p) {
        case port::vxlan: return vxlan::view::checked(w) ? layer::vxlan : layer::none;
        case port::geneve: return geneve::view::checked(w) ? layer::geneve : layer::none;
        case port::gtpu: return gtpu::view::checked_header(w) ? layer::gtpu : layer::none;
        case port::mpls_udp: return mpls::view::checked(w) ? layer::mpls : layer::none;
        case port::teredo: return teredo::view::checked(w) ? layer::teredo : layer::none;
        default: return layer::none;
        }
    }

    constexpr layer step_gre() noexcept {
        const auto v = check<gre::view>();
        if (!v) return fail(v.error().rebased(off_));
        if (!push(layer::gre, v->header_len(), v->header_len() + v->payload().size())) return layer::none;
        // A PPTP acknowledgement (RFC 2637 §4.1) or a keepalive carries nothing.
        if (off_ == end_) return finish(stop_reason::end);
        return enter_tunnel(by_ethertype(layer::gre, v->protocol_type()));
    }

    constexpr layer step_vxlan() noexcept {
        const auto v = check<vxlan::view>();
        if (!v) return fail(v.error().rebased(off_));
        if (!push(layer::vxlan, vxlan::header_len)) return layer::none;
        return enter_tunnel(layer::ethernet);
    }

    constexpr layer step_geneve() noexcept {
        const auto v = check<geneve::view>();
        if (!v) return fail(v.error().rebased(off_));
        if (!push(layer::geneve, v->header_len())) return layer::none;
        return enter_tunnel(by_ethertype(layer::geneve, v->protocol_type()));
    }

    constexpr layer step_gtpu() noexcept {
        const auto v = check<gtpu::view>();
        if (!v) return fail(v.error().rebased(off_));
        const std::uint8_t ip_version = v->tpdu_ip_version();
        if (!push(layer::gtpu, v->header_len(), v->header_len() + v->payload().size())) return layer::none;
        if (ip_version == 4) return enter_tunnel(layer::ipv4);
        if (ip_version == 6) return enter_tunnel(layer::ipv6);
        return finish(stop_reason::end);
    }

    constexpr layer step_teredo() noexcept {
        const auto v = check<teredo::view>();
        if (!v) return fail(v.error().rebased(off_));
        if (!push(layer::teredo, v->header_len())) return layer::none;
        return enter_tunnel(layer::ipv6);
    }

    bytes frame_;
    decoded& out_;
    const decode_options& opts_;
    std::size_t off_ = 0;
    std::size_t end_;
    status result_{};
    link_type link_ = link_type::ethernet;
    ip_proto ext_kind_ = ip_proto::hopopt;
    bool ext_first_ = false;
    bool quoted_ = false;
    bool in_fragment_ = false;
    bool after_extension_ = false;
    bool mpls_in_udp_ = false;
    std::uint8_t ext_count_ = 0;
    std::uint8_t depth_ = 0;
    std::uint8_t pending_flags_ = 0;
    std::uint8_t any_flags_ = 0;
};

/// Decodes `frame` captured on a `link` into `out`. Returns the first error
/// (strict mode) or the error that stopped a lax decode; `out` keeps every
/// layer decoded before it either way.
constexpr status decode(bytes frame, link_type link, decoded& out, const decode_options& opts = {}) noexcept {
    if (link == link_type::ethernet && opts.fast_path && decoder::fast_path(frame, out, opts)) [[likely]]
        return {};
    return decoder{frame, out, opts}.run(link);
}

} // namespace rawpkt
