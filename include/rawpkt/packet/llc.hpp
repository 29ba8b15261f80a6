// SPDX-License-Identifier: BSD-3-Clause
/// \file
/// IEEE 802.2 LLC header view and repr (namespace rawpkt::llc), and the SNAP
/// header that follows an LLC header with DSAP = SSAP = 0xAA and control
/// UI (namespace rawpkt::snap, its own view and repr).
///
/// Contract: after `llc::view::checked(b)` succeeds, no accessor reads out of
/// bounds: the addresses and the whole control field (1 octet for U-format
/// PDUs, 2 for I- and S-format PDUs) are inside `b`. `set_control()` with an
/// I- or S-format value voids that guarantee when `b` holds 3 bytes only.
/// After `snap::view::checked(b)` succeeds its 5-byte header is inside `b`;
/// no setter voids that.
#pragma once

#include <rawpkt/bytes.hpp>
#include <rawpkt/error.hpp>
#include <rawpkt/packet/numbers.hpp>
#include <rawpkt/packet/view_base.hpp>

#include <cstddef>
#include <cstdint>

namespace rawpkt::llc {

/// Header layout, IEEE 802.2 §3.2 (address and control fields).
namespace field {
inline constexpr std::size_t dsap = 0;    ///< destination SAP; low bit I/G (group address)
inline constexpr std::size_t ssap = 1;    ///< source SAP; low bit C/R (response)
inline constexpr std::size_t control = 2; ///< 1 octet (U format) or 2 (I and S formats)
} // namespace field

inline constexpr std::size_t min_header_len = 3; ///< U-format control
inline constexpr std::size_t max_header_len = 4; ///< I- and S-format control

/// Well-known SAP values (whole octets, as they appear in DSAP and SSAP of a
/// command sent to an individual address).
namespace sap {
inline constexpr std::uint8_t null = 0x00;        ///< the null SAP (XID and TEST to the station itself)
inline constexpr std::uint8_t stp = 0x42;         ///< IEEE 802.1D bridge PDUs
inline constexpr std::uint8_t snap = 0xaa;        ///< SNAP: a SNAP header follows (RFC 1042)
inline constexpr std::uint8_t ipx = 0xe0;         ///< Novell IPX
inline constexpr std::uint8_t netbios = 0xf0;     ///< NetBIOS
inline constexpr std::uint8_t iso_network = 0xfe; ///< ISO 8473 CLNP, IS-IS, ES-IS
inline constexpr std::uint8_t global = 0xff;      ///< every SAP (DSAP only)
} // namespace sap

inline constexpr std::uint8_t dsap_group_bit = 0x01;    ///< I/G: DSAP names a group of SAPs
inline constexpr std::uint8_t ssap_response_bit = 0x01; ///< C/R: the PDU is a response

/// The three control field formats (IEEE 802.2 clause 5), told apart by the low
/// bits of the first control octet: x0 information, 01 supervisory, 11
/// unnumbered.
enum class format : std::uint8_t { information, supervisory, unnumbered };

/// U-format commands and responses: the control octet with the P/F bit
/// clear (IEEE 802.2 clause 5, commands and responses).
enum class u_function : std::uint8_t {
    ui = 0x03,    ///< unnumbered information: connectionless data (LLC type 1)
    dm = 0x0f,    ///< disconnected mode
    disc = 0x43,  ///< disconnect
    ua = 0x63,    ///< unnumbered acknowledgement
    sabme = 0x6f, ///< set asynchronous balanced mode extended
    frmr = 0x87,  ///< frame reject
    xid = 0xaf,   ///< exchange identification
    test = 0xe3,
};

/// S-format functions (IEEE 802.2 clause 5), bits 3-4 of the first octet.
enum class s_function : std::uint8_t { rr = 0, rnr = 1, rej = 2 };

/// The P/F bit of a U-format control octet.
inline constexpr std::uint8_t u_poll_final_bit = 0x10;

/// Zero-copy LLC header view; see the file comment for the bounds contract.
template <byte_span Buf>
class basic_view : public detail::view_base<Buf> {
    using base = detail::view_base<Buf>;
    using base::u8;

public:
    constexpr basic_view() noexcept = default;

    /// No validation: for buffers the caller built or sized itself.
    [[nodiscard]] static constexpr basic_view unchecked(Buf b) noexcept { return basic_view{b}; }

    /// Validates that the addresses and the whole control field are in `b`.
    [[nodiscard]] static constexpr result<basic_view> checked(Buf b) noexcept {
        if (b.size() < min_header_len) {
            return error::truncated(layer::llc, length_source::fixed_header, 0, min_header_len, b.size());
        }
        const basic_view v{b};
        if (v.header_len() > b.size()) {
            return error::truncated(layer::llc, length_source::header_length, 0, v.header_len(), b.size());
        }
        return v;
    }

    // --- address fields (IEEE 802.2 §3.2.1) ---
    /// The DSAP octet, I/G bit included.
    [[nodiscard]] constexpr std::uint8_t dsap() const noexcept { return u8(field::dsap); }
    /// The SSAP octet, C/R bit included.
    [[nodiscard]] constexpr std::uint8_t ssap() const noexcept { return u8(field::ssap); }
    /// True when the DSAP is a group address (I/G bit set).
    [[nodiscard]] constexpr bool is_group() const noexcept { return (dsap() & dsap_group_bit) != 0; }
    /// True for a response PDU (C/R bit of the SSAP set).
    [[nodiscard]] constexpr bool is_response() const noexcept { return (ssap() & ssap_response_bit) != 0; }

    // --- control field (IEEE 802.2 §3.2.2, formats in clause 5) ---
    /// Which of the three control field formats the PDU uses.
    [[nodiscard]] constexpr llc::format format() const noexcept {
        const std::uint8_t c = u8(field::control);
        if ((c & 0x01) == 0) return llc::format::information;
        return (c & 0x03) == 0x01 ? llc::format::supervisory : llc::format::unnumbered;
    }
    /// 1 for U-format PDUs, 2 for I- and S-format PDUs.
    [[nodiscard]] constexpr std::size_t control_len() const noexcept {
        return format() == llc::format::unnumbered ? 1 : 2;
    }
    /// 3 or 4: the addresses and the control field.
    [[nodiscard]] constexpr std::size_t header_len() const noexcept { return field::control + control_len(); }
    /// The control field with its first octet in the low 8 bits, so that the
    /// format bits are bits 0-1 for every format (as Wireshark shows it).
    [[nodiscard]] constexpr std::uint16_t control() const noexcept {
        const std::uint16_t first = u8(field::control);
        if (control_len() == 1) return first;
        return static_cast<std::uint16_t>(first | (std::uint16_t{u8(field::control + 1)} << 8));
    }
    /// N(S), the send sequence number of an I-format PDU (0..127).
    [[nodiscard]] constexpr std::uint8_t send_seq() const noexcept { return u8(field::control) >> 1; }
    /// N(R), the receive sequence number of an I- or S-format PDU (0..127);
    /// 0 for a U-format PDU, which has no second control octet.
    [[nodiscard]] constexpr std::uint8_t recv_seq() const noexcept {
        return control_len() == 1 ? 0 : u8(field::control + 1) >> 1;
    }
    /// The poll (command) or final (response) bit, in any format.
    [[nodiscard]] constexpr bool poll_final() const noexcept {
        if (control_len() == 1) return (u8(field::control) & u_poll_final_bit) != 0;
        return (u8(field::control + 1) & 0x01) != 0;
    }
    /// The function of a U-format PDU (the control octet without P/F).
    [[nodiscard]] constexpr llc::u_function u_function() const noexcept {
        return static_cast<llc::u_function>(u8(field::control) & ~u_poll_final_bit);
    }
    /// The function of an S-format PDU.
    [[nodiscard]] constexpr llc::s_function s_function() const noexcept {
        return static_cast<llc::s_function>((u8(field::control) >> 2) & 0x03);
    }
    /// True when a SNAP header follows: DSAP and SSAP 0xAA (their I/G and
    /// C/R bits aside, as tcpdump reads them) and control UI without P/F.
    [[nodiscard]] constexpr bool is_snap() const noexcept {
        return (dsap() & ~dsap_group_bit) == sap::snap && (ssap() & ~ssap_response_bit) == sap::snap &&
               u8(field::control) == static_cast<std::uint8_t>(llc::u_function::ui);
    }

    /// The header's bytes, header_len() of them.
    [[nodiscard]] constexpr Buf header() const noexcept { return this->range(0, header_len()); }
    /// The information field: everything after the control field.
    [[nodiscard]] constexpr Buf payload() const noexcept {
        return clamp_subspan(this->buf_, header_len(), this->buf_.size());
    }

    // --- setters (mut_view only) ---
    /// Sets the field dsap() reads.
    constexpr void set_dsap(std::uint8_t v) noexcept requires writable<Buf> { this->set_u8(field::dsap, v); }
    /// Sets the field ssap() reads.
    constexpr void set_ssap(std::uint8_t v) noexcept requires writable<Buf> { this->set_u8(field::ssap, v); }
    /// Sets the control field from the form control() returns: one octet for
    /// a U-format value, two (first octet in the low 8 bits) otherwise. An
    /// I- or S-format value voids the checked() guarantee on a 3-byte buffer.
    constexpr void set_control(std::uint16_t v) noexcept requires writable<Buf> {
        this->set_u8(field::control, static_cast<std::uint8_t>(v));
        if ((v & 0x03) != 0x03) this->set_u8(field::control + 1, static_cast<std::uint8_t>(v >> 8));
    }

    /// A read-only view of the same bytes.
    constexpr operator basic_view<bytes>() const noexcept requires writable<Buf> {
        return basic_view<bytes>::unchecked(this->buf_);
    }

private:
    constexpr explicit basic_view(Buf b) noexcept : base(b) {}
};

/// A read-only LLC view over received bytes.
using view = basic_view<bytes>;
/// A writable LLC view: the setters are enabled, for building or editing in place.
using mut_view = basic_view<mut_bytes>;

/// Control field values in the form control() returns.
[[nodiscard]] constexpr std::uint16_t u_control(u_function f, bool poll_final = false) noexcept {
    return static_cast<std::uint16_t>(static_cast<std::uint8_t>(f) | (poll_final ? u_poll_final_bit : 0));
}
/// An I-format control field: send and receive sequence numbers (7 bits each) and the P/F bit.
[[nodiscard]] constexpr std::uint16_t i_control(std::uint8_t send_seq, std::uint8_t recv_seq,
                                                bool poll_final = false) noexcept {
    return static_cast<std::uint16_t>(((send_seq & 0x7fu) << 1) | ((recv_seq & 0x7fu) << 9) |
                                      (poll_final ? 0x100u : 0u));
}
/// An S-format control field: the function, the receive sequence number and the P/F bit.
[[nodiscard]] constexpr std::uint16_t s_control(s_function f, std::uint8_t recv_seq, bool poll_final = false) noexcept {
    return static_cast<std::uint16_t>(0x01u | (static_cast<unsigned>(f) << 2) | ((recv_seq & 0x7fu) << 9) |
                                      (poll_final ? 0x100u : 0u));
}

/// An LLC header, owned. Every checked header is accepted.
struct repr {
    std::uint8_t dsap = sap::snap;                     ///< destination SAP, group bit included
    std::uint8_t ssap = sap::snap;                     ///< source SAP, response bit included
    std::uint16_t control = u_control(u_function::ui); ///< as view::control() returns it

    /// Accepts every checked header.
    [[nodiscard]] static constexpr result<repr> parse(const view& v) noexcept {
        return repr{v.dsap(), v.ssap(), v.control()};
    }

    /// 3 for a U-format control field, 4 otherwise.
    [[nodiscard]] constexpr std::size_t header_len() const noexcept {
        return (control & 0x03) == 0x03 ? min_header_len : max_header_len;
    }

    /// Writes the header into `v` (at least header_len() bytes).
    constexpr void emit(mut_view v) const noexcept {
        v.set_dsap(dsap);
        v.set_ssap(ssap);
        v.set_control(control);
    }

    friend constexpr bool operator==(const repr&, const repr&) noexcept = default;
};

} // namespace rawpkt::llc

namespace rawpkt::snap {

/// Header layout: the SNAP protocol identifier after an LLC header (RFC 1042,
/// "Header Format"; IEEE 802.1H for the bridge-tunnel OUI).
namespace field {
inline constexpr byte_range oui{0, 3};         ///< organizationally unique identifier
inline constexpr byte_range protocol_id{3, 5}; ///< protocol, in the OUI's number space
} // namespace field

/// Bytes of the SNAP header: OUI and protocol id.
inline constexpr std::size_t header_len = field::protocol_id.end; // 5

/// OUI 00-00-00: the protocol id is an EtherType (RFC 1042).
inline constexpr std::uint32_t oui_ethertype = 0x000000;
/// OUI 00-00-F8: an EtherType, bridge tunnel encapsulation (IEEE 802.1H).
inline constexpr std::uint32_t oui_bridge_tunnel = 0x0000f8;
/// OUI 00-00-0C: Cisco's protocols (CDP 0x2000, VTP 0x2003, PVST+ 0x010b, ...).
inline constexpr std::uint32_t oui_cisco = 0x00000c;

/// Zero-copy SNAP header view; see the file comment for the bounds contract.
template <byte_span Buf>
class basic_view : public detail::view_base<Buf> {
    using base = detail::view_base<Buf>;
    using base::u16;
    using base::u24;

public:
    constexpr basic_view() noexcept = default;

    /// No validation: for buffers the caller built or sized itself.
    [[nodiscard]] static constexpr basic_view unchecked(Buf b) noexcept { return basic_view{b}; }

    /// Validates that the 5-byte header is in `b`.
    [[nodiscard]] static constexpr result<basic_view> checked(Buf b) noexcept {
        if (b.size() < snap::header_len) {
            return error::truncated(layer::snap, length_source::fixed_header, 0, snap::header_len, b.size());
        }
        return basic_view{b};
    }

    /// The 24-bit OUI.
    [[nodiscard]] constexpr std::uint32_t oui() const noexcept { return u24(field::oui.begin); }
    /// The protocol id: an EtherType under OUI 00-00-00, else the OUI owner's number.
    [[nodiscard]] constexpr std::uint16_t protocol_id() const noexcept { return u16(field::protocol_id); }
    /// True when the protocol id is an EtherType (OUI 00-00-00 or 00-00-F8).
    [[nodiscard]] constexpr bool is_ethertype() const noexcept {
        return oui() == oui_ethertype || oui() == oui_bridge_tunnel;
    }
    /// The protocol id as an EtherType (meaningful when is_ethertype()).
    [[nodiscard]] constexpr rawpkt::ethertype ethertype() const noexcept {
        return static_cast<rawpkt::ethertype>(protocol_id());
    }

    /// Always 5.
    [[nodiscard]] constexpr std::size_t header_len() const noexcept { return snap::header_len; }
    /// The header's bytes, header_len() of them.
    [[nodiscard]] constexpr Buf header() const noexcept { return this->range(0, snap::header_len); }
    /// The bytes after the header, to the end of the buffer.
    [[nodiscard]] constexpr Buf payload() const noexcept {
        return clamp_subspan(this->buf_, snap::header_len, this->buf_.size());
    }

    // --- setters (mut_view only) ---
    /// Sets the field oui() reads.
    constexpr void set_oui(std::uint32_t v) noexcept requires writable<Buf> { this->set_u24(field::oui.begin, v); }
    /// Sets the field protocol_id() reads.
    constexpr void set_protocol_id(std::uint16_t v) noexcept requires writable<Buf> {
        this->set_u16(field::protocol_id, v);
    }

    /// A read-only view of the same bytes.
    constexpr operator basic_view<bytes>() const noexcept requires writable<Buf> {
        return basic_view<bytes>::unchecked(this->buf_);
    }

private:
    constexpr explicit basic_view(Buf b) noexcept : base(b) {}
};

/// A read-only SNAP view over received bytes.
using view = basic_view<bytes>;
/// A writable SNAP view: the setters are enabled, for building or editing in place.
using mut_view = basic_view<mut_bytes>;

/// A SNAP header, owned. Every checked header is accepted.
struct repr {
    std::uint32_t oui = oui_ethertype;                                               ///< 24 bits
    std::uint16_t protocol_id = static_cast<std::uint16_t>(rawpkt::ethertype::ipv4); ///< the protocol id

    /// Accepts every checked header.
    [[nodiscard]] static constexpr result<repr> parse(const view& v) noexcept { return repr{v.oui(), v.protocol_id()}; }
    /// The RFC 1042 form: OUI 0 and an EtherType.
    [[nodiscard]] static constexpr repr for_ethertype(rawpkt::ethertype t) noexcept {
        return repr{oui_ethertype, static_cast<std::uint16_t>(t)};
    }

    /// The fixed header length, snap::header_len bytes.
    [[nodiscard]] constexpr std::size_t header_len() const noexcept { return snap::header_len; }

    /// Writes the header into `v` (at least 5 bytes).
    constexpr void emit(mut_view v) const noexcept {
        v.set_oui(oui);
        v.set_protocol_id(protocol_id);
    }

    friend constexpr bool operator==(const repr&, const repr&) noexcept = default;
};

} // namespace rawpkt::snap
