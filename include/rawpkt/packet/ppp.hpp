// SPDX-License-Identifier: BSD-3-Clause
/// \file
/// PPP (RFC 1661) frame header view and repr, as LINKTYPE_PPP and
/// LINKTYPE_PPP_HDLC captures and PPPoE sessions carry it.
///
/// The header is the protocol field, optionally preceded by the HDLC-like
/// framing's address (0xff) and control (0x03) octets (RFC 1662 §3.1),
/// which address-and-control-field compression removes. A frame starting
/// with 0xff has them: no protocol field starts with 0xff (0x00ff is
/// reserved, "compression inefficient"). The protocol field is two octets,
/// or one under protocol-field compression: a first octet with its low bit
/// set is the whole field (RFC 1661 §6.5). The header is 1 to 4 bytes. Frames of LINKTYPE_PPP_HDLC that start
/// with 0x0f or 0x8f are Cisco HDLC, not PPP: telling them apart is the
/// caller's business. No FCS: captures do not keep it.
///
/// Contract: after `view::checked(b)` succeeds, no accessor reads out of
/// bounds: address, control (when present) and the whole protocol field are
/// inside `b`. set_protocol() keeps the field's width, so no setter voids
/// the guarantee.
#pragma once

#include <rawpkt/bytes.hpp>
#include <rawpkt/error.hpp>
#include <rawpkt/packet/numbers.hpp>
#include <rawpkt/packet/view_base.hpp>

#include <cstddef>
#include <cstdint>

namespace rawpkt::ppp {

/// Header layout, RFC 1662 §3.1 (address and control) and RFC 1661 §2
/// (protocol, after them or at offset 0).
namespace field {
inline constexpr std::size_t address = 0; ///< 0xff, all stations (when framed)
inline constexpr std::size_t control = 1; ///< 0x03, unnumbered information (when framed)
} // namespace field

/// The address octet of HDLC-like framing: all stations (RFC 1662 §3.1).
inline constexpr std::uint8_t all_stations = 0xff;
/// The control octet of HDLC-like framing: unnumbered information (RFC 1662 §3.1).
inline constexpr std::uint8_t unnumbered_information = 0x03;
/// Address, control and an uncompressed protocol field.
inline constexpr std::size_t max_header_len = 4;

/// Protocol numbers (IANA "PPP DLL Protocol Numbers").
enum class protocol : std::uint16_t {
    ipv4 = 0x0021,
    ipx = 0x002b,
    vj_compressed_tcp = 0x002d,   ///< Van Jacobson compressed TCP/IP (RFC 1144)
    vj_uncompressed_tcp = 0x002f, ///< Van Jacobson uncompressed TCP/IP
    ipv6 = 0x0057,
    mpls_unicast = 0x0281,
    mpls_multicast = 0x0283,
    ipcp = 0x8021,
    ipv6cp = 0x8057,
    ccp = 0x80fd,
    mplscp = 0x8281,
    lcp = 0xc021,
    pap = 0xc023,
    lqr = 0xc025, ///< link quality report
    chap = 0xc223,
    eap = 0xc227,
};

/// The protocol field's length given its first octet: 1 when compressed
/// (low bit set), else 2 (RFC 1661 §6.5).
[[nodiscard]] constexpr std::size_t protocol_field_len(std::uint8_t first) noexcept {
    return (first & 0x01u) != 0 ? 1 : 2;
}

/// True for a protocol number of the form RFC 1661 §2 requires: the low
/// octet odd, the high octet even.
[[nodiscard]] constexpr bool is_valid_protocol(std::uint16_t p) noexcept {
    return (p & 0x0001u) != 0 && (p & 0x0100u) == 0;
}

/// The EtherType of the payload a protocol number announces: IPv4, IPv6
/// and MPLS; any other protocol is unsupported (`available` holds it,
/// `offset` is where the protocol field is).
[[nodiscard]] constexpr result<rawpkt::ethertype> ethertype_of(protocol p, std::size_t offset = 0) noexcept {
    switch (p) {
    case protocol::ipv4: return rawpkt::ethertype::ipv4;
    case protocol::ipv6: return rawpkt::ethertype::ipv6;
    case protocol::mpls_unicast: return rawpkt::ethertype::mpls_unicast;
    case protocol::mpls_multicast: return rawpkt::ethertype::mpls_multicast;
    default:
        return error::invalid(layer::ppp, errc::unsupported, length_source::none, offset, 0,
                              static_cast<std::uint16_t>(p));
    }
}

/// Zero-copy PPP header view; see the file comment for the bounds contract.
template <byte_span Buf>
class basic_view : public detail::view_base<Buf> {
    using base = detail::view_base<Buf>;
    using base::u16;
    using base::u8;

public:
    constexpr basic_view() noexcept = default;

    /// No validation: for buffers the caller built or sized itself.
    [[nodiscard]] static constexpr basic_view unchecked(Buf b) noexcept { return basic_view{b}; }

    /// Validates the framing octets, when present, and the protocol field.
    /// A buffer too short for the protocol field needs 2 bytes of it until
    /// its first octet shows it compressed.
    [[nodiscard]] static constexpr result<basic_view> checked(Buf b) noexcept {
        const bool framed = !b.empty() && load_u8(b, field::address) == all_stations;
        if (framed && b.size() > field::control && load_u8(b, field::control) != unnumbered_information) {
            return error::invalid(layer::ppp, errc::bad_value, length_source::none, field::control,
                                  unnumbered_information, load_u8(b, field::control));
        }
        const std::size_t off = framed ? 2 : 0;
        const std::size_t len = b.size() > off ? protocol_field_len(load_u8(b, off)) : 2;
        if (b.size() < off + len) {
            return error::truncated(layer::ppp, length_source::fixed_header, 0, off + len, b.size());
        }
        const basic_view v{b};
        if (!is_valid_protocol(v.protocol_number())) {
            return error::invalid(layer::ppp, errc::bad_value, length_source::none, off, 0, v.protocol_number());
        }
        return v;
    }

    // --- fields (RFC 1662 §3.1, RFC 1661 §2) ---
    /// True when the address and control octets are present.
    [[nodiscard]] constexpr bool has_address_control() const noexcept { return u8(field::address) == all_stations; }
    /// The address octet: 0xff, or 0 when there are no address and control octets.
    [[nodiscard]] constexpr std::uint8_t address() const noexcept {
        return has_address_control() ? u8(field::address) : 0;
    }
    /// The control octet: 0x03, or 0 when there are no address and control octets.
    [[nodiscard]] constexpr std::uint8_t control() const noexcept {
        return has_address_control() ? u8(field::control) : 0;
    }
    /// Where the protocol field starts: 2 after address and control, else 0.
    [[nodiscard]] constexpr std::size_t protocol_offset() const noexcept { return has_address_control() ? 2 : 0; }
    /// 1 under protocol-field compression, else 2.
    [[nodiscard]] constexpr std::size_t protocol_len() const noexcept {
        return protocol_field_len(u8(protocol_offset()));
    }
    /// True when the protocol field is one octet (RFC 1661 §6.5 protocol-field compression).
    [[nodiscard]] constexpr bool is_protocol_compressed() const noexcept { return protocol_len() == 1; }
    /// The protocol field's value, whatever its width.
    [[nodiscard]] constexpr std::uint16_t protocol_number() const noexcept {
        return protocol_len() == 1 ? u8(protocol_offset()) : u16(protocol_offset());
    }
    /// The protocol field as a named protocol (RFC 1661 §2).
    [[nodiscard]] constexpr ppp::protocol protocol() const noexcept {
        return static_cast<ppp::protocol>(protocol_number());
    }
    /// The EtherType of the payload, see ethertype_of().
    [[nodiscard]] constexpr result<rawpkt::ethertype> payload_ethertype() const noexcept {
        return ethertype_of(protocol(), protocol_offset());
    }

    /// 1 to 4: framing octets and protocol field.
    [[nodiscard]] constexpr std::size_t header_len() const noexcept { return protocol_offset() + protocol_len(); }
    /// The header's bytes, header_len() of them.
    [[nodiscard]] constexpr Buf header() const noexcept { return this->range(0, header_len()); }
    /// The information field: everything after the protocol field.
    [[nodiscard]] constexpr Buf payload() const noexcept {
        return clamp_subspan(this->buf_, header_len(), this->buf_.size());
    }

    // --- setters (mut_view only) ---
    /// Sets the control octet; only for a header with address and control.
    constexpr void set_control(std::uint8_t v) noexcept requires writable<Buf> { this->set_u8(field::control, v); }
    /// Sets the protocol in the field's current width: a compressed field
    /// takes the low octet only.
    constexpr void set_protocol(ppp::protocol p) noexcept requires writable<Buf> {
        const auto v = static_cast<std::uint16_t>(p);
        if (is_protocol_compressed()) {
            this->set_u8(protocol_offset(), static_cast<std::uint8_t>(v));
        } else {
            this->set_u16(protocol_offset(), v);
        }
    }

    /// A read-only view of the same bytes.
    constexpr operator basic_view<bytes>() const noexcept requires writable<Buf> {
        return basic_view<bytes>::unchecked(this->buf_);
    }

private:
    constexpr explicit basic_view(Buf b) noexcept : base(b) {}
};

/// A read-only PPP view over received bytes.
using view = basic_view<bytes>;
/// A writable PPP view: the setters are enabled, for building or editing in place.
using mut_view = basic_view<mut_bytes>;

/// A PPP header, owned. Every checked header is accepted.
struct repr {
    ppp::protocol protocol = ppp::protocol::ipv4; ///< the protocol field
    /// Write the address and control octets (LINKTYPE_PPP usually has them;
    /// PPPoE never does).
    bool address_control = true;
    /// Write a one-octet protocol field; honoured only for protocols below
    /// 0x100 (RFC 1661 §6.5).
    bool compress_protocol = false;

    /// Accepts every checked header, keeping its framing and compression.
    [[nodiscard]] static constexpr result<repr> parse(const view& v) noexcept {
        return repr{v.protocol(), v.has_address_control(), v.is_protocol_compressed()};
    }

    /// True when emit() writes a one-octet protocol field.
    [[nodiscard]] constexpr bool compressed() const noexcept {
        return compress_protocol && static_cast<std::uint16_t>(protocol) <= 0xff;
    }
    /// 1 to 4.
    [[nodiscard]] constexpr std::size_t header_len() const noexcept {
        return (address_control ? 2u : 0u) + (compressed() ? 1u : 2u);
    }

    /// Writes the header into `v` (at least header_len() bytes).
    constexpr void emit(mut_view v) const noexcept {
        const mut_bytes out = v.buffer();
        std::size_t off = 0;
        if (address_control) {
            store_u8(out, field::address, all_stations);
            store_u8(out, field::control, unnumbered_information);
            off = 2;
        }
        const auto p = static_cast<std::uint16_t>(protocol);
        if (compressed()) {
            store_u8(out, off, static_cast<std::uint8_t>(p));
        } else {
            store_be<std::uint16_t>(out, off, p);
        }
    }

    friend constexpr bool operator==(const repr&, const repr&) noexcept = default;
};

} // namespace rawpkt::ppp
