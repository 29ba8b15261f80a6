// SPDX-License-Identifier: BSD-3-Clause
/// \file
/// IPv6 (RFC 8200) fixed header view and repr, jumbograms (RFC 2675)
/// included. The extension headers, their chain and their options are in
/// <rawpkt/packet/ipv6_ext.hpp>, which this header includes.
///
/// Contract: after `view::checked(b)` succeeds, no accessor reads out of
/// bounds and the whole packet is inside `b`: the 40-byte fixed header and
/// the payload its length describes. `view::checked_header(b)` only
/// guarantees the fixed header; the payload may be cut short by the capture,
/// and `payload()` then returns what is there. `payload()` is always clamped
/// to the buffer. No setter voids the guarantee.
///
/// The payload length (RFC 8200 §3, RFC 2675):
/// - a non-zero Payload Length field gives it;
/// - a zero field with a hop-by-hop header next makes a jumbogram when that
///   header lies inside the buffer and carries a Jumbo Payload option before
///   any malformed option: the option's length gives the payload (the
///   hop-by-hop header included). checked() rejects a jumbo length below
///   65536 and a jumbogram longer than the buffer;
/// - any other zero field means an empty payload (No Next Header, or a
///   broken packet whose extension headers then read as truncated).
/// A Jumbo Payload option in a packet whose Payload Length is not zero does
/// not change the length; the options iterator still shows it.
#pragma once

#include <rawpkt/bytes.hpp>
#include <rawpkt/error.hpp>
#include <rawpkt/packet/ipv6_ext.hpp>
#include <rawpkt/packet/numbers.hpp>
#include <rawpkt/packet/view_base.hpp>

#include <cstddef>
#include <cstdint>

namespace rawpkt::ipv6 {

/// The address type of src() and dst().
using address = ipv6_address;

/// Header layout, RFC 8200 §3.
namespace field {
inline constexpr byte_range ver_tc_flow{0, 4}; ///< version (4 bits), traffic class (8 bits), flow label (20 bits)
inline constexpr byte_range payload_len{4, 6}; ///< bytes after the fixed header, extension headers included
inline constexpr std::size_t next_header = 6;  ///< first extension header or upper-layer protocol (ip_proto)
inline constexpr std::size_t hop_limit = 7;    ///< hops left before a router drops it
inline constexpr byte_range src{8, 24};        ///< source address
inline constexpr byte_range dst{24, 40};       ///< destination address
inline constexpr std::size_t payload = 40;     ///< extension headers or upper-layer data start here
} // namespace field

/// Bytes of the fixed header (extension headers are payload).
inline constexpr std::size_t fixed_header_len = field::dst.end; // 40
/// The flow label bits of the first word.
inline constexpr std::uint32_t flow_label_mask = 0x000fffff;
/// The largest payload a Payload Length field can describe; longer
/// payloads are jumbograms (RFC 2675 §2).
inline constexpr std::uint32_t max_payload_len = 0xffff;

/// Zero-copy IPv6 header view; see the file comment for the bounds
/// contract and the payload-length rules.
template <byte_span Buf>
class basic_view : public detail::view_base<Buf> {
    using base = detail::view_base<Buf>;
    using base::u16;
    using base::u32;
    using base::u8;

public:
    constexpr basic_view() noexcept = default;

    /// No validation: for buffers the caller built or sized itself.
    [[nodiscard]] static constexpr basic_view unchecked(Buf b) noexcept { return basic_view{b}; }

    /// Validates the fixed header and that the whole payload is in `b`.
    [[nodiscard]] static constexpr result<basic_view> checked(Buf b) noexcept {
        auto v = checked_header(b);
        if (!v) return v;
        const jumbo_option j = v->find_jumbo();
        if (j.found && j.len <= max_payload_len) {
            return error::invalid(layer::ipv6_option, errc::length_too_small, length_source::payload_length, j.offset,
                                  max_payload_len + 1, j.len);
        }
        const std::uint64_t end = v->declared_end();
        if (end > b.size()) return error::truncated(layer::ipv6, length_source::payload_length, 0, end, b.size());
        return v;
    }

    /// Validates the fixed header only; the payload may be cut short (a
    /// capture with a snaplen, or the packet quoted in an ICMPv6 error).
    [[nodiscard]] static constexpr result<basic_view> checked_header(Buf b) noexcept {
        if (b.size() < fixed_header_len) {
            return error::truncated(layer::ipv6, length_source::fixed_header, 0, fixed_header_len, b.size());
        }
        const basic_view v{b};
        if (v.version() != 6) {
            return error::invalid(layer::ipv6, errc::bad_version, length_source::none, field::ver_tc_flow.begin, 6,
                                  v.version());
        }
        return v;
    }

    // --- fields (RFC 8200 §3) ---
    /// The version field: 6 for a header checked() accepted (RFC 8200 §3).
    [[nodiscard]] constexpr std::uint8_t version() const noexcept { return u8(field::ver_tc_flow.begin) >> 4; }
    /// The whole traffic class octet.
    [[nodiscard]] constexpr std::uint8_t traffic_class() const noexcept {
        return static_cast<std::uint8_t>(u16(field::ver_tc_flow.begin) >> 4);
    }
    /// Differentiated services codepoint (RFC 2474 §3): the high 6 bits of the traffic class.
    [[nodiscard]] constexpr std::uint8_t dscp() const noexcept { return traffic_class() >> 2; }
    /// Explicit congestion notification (RFC 3168 §5): the low 2 bits.
    [[nodiscard]] constexpr std::uint8_t ecn() const noexcept { return traffic_class() & 0x03; }
    /// The 20-bit flow label (RFC 6437).
    [[nodiscard]] constexpr std::uint32_t flow_label() const noexcept {
        return u32(field::ver_tc_flow) & flow_label_mask;
    }
    /// The Payload Length field in bytes, as written in the header (0 for a jumbogram).
    [[nodiscard]] constexpr std::uint16_t payload_len() const noexcept { return u16(field::payload_len); }
    /// The first extension header or the upper-layer protocol (RFC 8200 §3).
    [[nodiscard]] constexpr ip_proto next_header() const noexcept {
        return static_cast<ip_proto>(u8(field::next_header));
    }
    /// Hop limit: hops left before a router drops it (RFC 8200 §3).
    [[nodiscard]] constexpr std::uint8_t hop_limit() const noexcept { return u8(field::hop_limit); }
    /// Source address.
    [[nodiscard]] constexpr address src() const noexcept { return address::load(this->buf_, field::src.begin); }
    /// Destination address.
    [[nodiscard]] constexpr address dst() const noexcept { return address::load(this->buf_, field::dst.begin); }

    /// The fixed header's length: always 40 bytes. Extension headers are
    /// part of the payload (RFC 8200 §3).
    [[nodiscard]] constexpr std::size_t header_len() const noexcept { return fixed_header_len; }
    /// The 40 bytes of the fixed header.
    [[nodiscard]] constexpr Buf header() const noexcept { return this->range(0, fixed_header_len); }

    /// True when the packet is a jumbogram (see the file comment).
    [[nodiscard]] constexpr bool is_jumbogram() const noexcept { return find_jumbo().found; }
    /// The Jumbo Payload Length of a jumbogram: the bytes after the fixed
    /// header, hop-by-hop header included. 0 when it is not a jumbogram.
    [[nodiscard]] constexpr std::uint32_t jumbo_payload_len() const noexcept { return find_jumbo().len; }
    /// End of the packet: 40 plus the payload length (or the jumbo payload
    /// length), or the buffer end if that is shorter.
    [[nodiscard]] constexpr std::size_t datagram_len() const noexcept {
        const std::uint64_t end = declared_end();
        return end > this->buf_.size() ? this->buf_.size() : static_cast<std::size_t>(end);
    }
    /// True when the whole packet (per its payload length) is in the buffer.
    [[nodiscard]] constexpr bool is_complete() const noexcept { return declared_end() <= this->buf_.size(); }
    /// The bytes after the fixed header up to the payload length, clamped
    /// to the buffer: extension headers, then the upper-layer data.
    [[nodiscard]] constexpr Buf payload() const noexcept {
        const std::size_t end = datagram_len();
        return this->range(fixed_header_len < end ? fixed_header_len : end, end);
    }
    /// The extension headers in the payload; offsets count from the start
    /// of the IPv6 header.
    [[nodiscard]] constexpr ext_range extensions() const noexcept {
        return ext_range{next_header(), bytes{payload()}, fixed_header_len};
    }
    /// What follows the extension headers (offset from the start of the
    /// IPv6 header), or the chain's first error.
    [[nodiscard]] constexpr result<ipv6::upper_layer> upper_layer() const noexcept {
        return find_upper_layer(next_header(), bytes{payload()}, fixed_header_len);
    }

    /// The destination the upper-layer checksum covers (RFC 8200 §8.1): the
    /// final destination of a routing header in the chain that names one
    /// (dst() itself once its Segments Left is 0), else dst().
    [[nodiscard]] constexpr address final_destination() const noexcept {
        for (const auto& h : extensions()) {
            if (!h) break;
            if (h->kind != ip_proto::ipv6_route) continue;
            if (const auto r = routing::view::checked(h->header)) {
                if (const auto d = r->final_destination(dst())) return *d;
            }
        }
        return dst();
    }

    // --- setters (mut_view only) ---
    /// Sets the field version() reads.
    constexpr void set_version(std::uint8_t v) noexcept requires writable<Buf> {
        this->set_bits8(field::ver_tc_flow.begin, 0xf0, static_cast<std::uint8_t>(v << 4));
    }
    /// Sets the field traffic_class() reads.
    constexpr void set_traffic_class(std::uint8_t v) noexcept requires writable<Buf> {
        this->set_bits16(field::ver_tc_flow.begin, 0x0ff0, static_cast<std::uint16_t>(v << 4));
    }
    /// Sets the field dscp() reads.
    constexpr void set_dscp(std::uint8_t v) noexcept requires writable<Buf> {
        this->set_bits16(field::ver_tc_flow.begin, 0x0fc0, static_cast<std::uint16_t>(v << 6));
    }
    /// Sets the field ecn() reads.
    constexpr void set_ecn(std::uint8_t v) noexcept requires writable<Buf> {
        this->set_bits16(field::ver_tc_flow.begin, 0x0030, static_cast<std::uint16_t>(v << 4));
    }
    /// Sets the field flow_label() reads.
    constexpr void set_flow_label(std::uint32_t v) noexcept requires writable<Buf> {
        this->set_u32(field::ver_tc_flow, (u32(field::ver_tc_flow) & ~flow_label_mask) | (v & flow_label_mask));
    }
    /// Sets the field payload_len() reads.
    constexpr void set_payload_len(std::uint16_t v) noexcept requires writable<Buf> {
        this->set_u16(field::payload_len, v);
    }
    /// Sets the field next_header() reads.
    constexpr void set_next_header(ip_proto p) noexcept requires writable<Buf> {
        this->set_u8(field::next_header, static_cast<std::uint8_t>(p));
    }
    /// Sets the field hop_limit() reads.
    constexpr void set_hop_limit(std::uint8_t v) noexcept requires writable<Buf> { this->set_u8(field::hop_limit, v); }
    /// Writes the address src() reads.
    constexpr void set_src(const address& a) noexcept requires writable<Buf> { a.store(this->buf_, field::src.begin); }
    /// Writes the address dst() reads.
    constexpr void set_dst(const address& a) noexcept requires writable<Buf> { a.store(this->buf_, field::dst.begin); }

    /// A read-only view of the same bytes.
    constexpr operator basic_view<bytes>() const noexcept requires writable<Buf> {
        return basic_view<bytes>::unchecked(this->buf_);
    }

private:
    constexpr explicit basic_view(Buf b) noexcept : base(b) {}

    struct jumbo_option {
        bool found = false;
        std::uint32_t len = 0;
        std::size_t offset = 0; ///< of the length value, from the start of the IPv6 header
    };

    /// The Jumbo Payload option that makes this packet a jumbogram, if any.
    [[nodiscard]] constexpr jumbo_option find_jumbo() const noexcept {
        if (payload_len() != 0 || next_header() != ip_proto::hopopt) return {};
        const auto hbh = opts::view::checked(clamp_subspan(bytes{this->buf_}, fixed_header_len, this->buf_.size()));
        if (!hbh) return {};
        for (const auto& o : hbh->options()) {
            if (!o) return {};
            if (o->kind == option_kind::jumbo_payload) {
                return {true, o->jumbo_payload_len(), fixed_header_len + o->offset + 2};
            }
        }
        return {};
    }
    /// 40 plus the payload length the header declares (64 bits: a jumbo
    /// length can be up to 2^32 - 1).
    [[nodiscard]] constexpr std::uint64_t declared_end() const noexcept {
        const std::uint64_t len = payload_len() != 0 ? payload_len() : find_jumbo().len;
        return fixed_header_len + len;
    }
};

/// A read-only IPv6 view over received bytes.
using view = basic_view<bytes>;
/// A writable IPv6 view: the setters are enabled, for building or editing in place.
using mut_view = basic_view<mut_bytes>;

/// The accepted states of an IPv6 fixed header, owned.
struct repr {
    address src{};                        ///< source address
    address dst{};                        ///< destination address
    ip_proto next_header = ip_proto::tcp; ///< first extension header or upper-layer protocol
    std::uint8_t hop_limit = 64;          ///< hop limit
    std::uint8_t traffic_class = 0;       ///< traffic class: DSCP << 2 | ECN
    std::uint32_t flow_label = 0;         ///< 20 bits
    /// Bytes after the fixed header, extension headers included. Above
    /// max_payload_len the packet is a jumbogram: emit() writes a Payload
    /// Length of 0 and the caller writes the hop-by-hop header with the
    /// Jumbo Payload option.
    std::uint32_t payload_len = 0;

    /// Accepts any checked view (checked() already rejects what rawpkt
    /// cannot represent). The payload length is the declared one.
    [[nodiscard]] static constexpr result<repr> parse(const view& v) noexcept {
        repr r;
        r.src = v.src();
        r.dst = v.dst();
        r.next_header = v.next_header();
        r.hop_limit = v.hop_limit();
        r.traffic_class = v.traffic_class();
        r.flow_label = v.flow_label();
        r.payload_len = v.payload_len() != 0 ? v.payload_len() : v.jumbo_payload_len();
        return r;
    }

    /// Always 40.
    [[nodiscard]] constexpr std::size_t header_len() const noexcept { return fixed_header_len; }
    /// Fixed header plus payload.
    [[nodiscard]] constexpr std::size_t buffer_len() const noexcept { return fixed_header_len + payload_len; }
    /// True when the payload is too long for the Payload Length field (RFC 2675).
    [[nodiscard]] constexpr bool is_jumbogram() const noexcept { return payload_len > max_payload_len; }

    /// Writes the fixed header into `v` (at least 40 bytes).
    constexpr void emit(mut_view v) const noexcept {
        v.set_version(6);
        v.set_traffic_class(traffic_class);
        v.set_flow_label(flow_label);
        v.set_payload_len(is_jumbogram() ? 0 : static_cast<std::uint16_t>(payload_len));
        v.set_next_header(next_header);
        v.set_hop_limit(hop_limit);
        v.set_src(src);
        v.set_dst(dst);
    }

    friend constexpr bool operator==(const repr&, const repr&) = default;
};

} // namespace rawpkt::ipv6
