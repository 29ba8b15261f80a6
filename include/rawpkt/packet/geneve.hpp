// SPDX-License-Identifier: BSD-3-Clause
/// \file
/// Geneve (RFC 8926) header view, options iterator and repr.
///
/// An 8-byte base header, then up to 252 bytes of options (TLVs), then the
/// payload, whose type is the protocol type (an EtherType: 0x6558 for an
/// Ethernet frame, 0x0800 IPv4, 0x86dd IPv6).
///
/// Contract: after `view::checked(b)` succeeds, no accessor reads out of
/// bounds: the base header and the options (Opt Len) are inside `b`. The
/// options are validated lazily by their iterator, which never reads
/// outside the options area. set_options_len() voids the guarantee.
#pragma once

#include <rawpkt/bytes.hpp>
#include <rawpkt/error.hpp>
#include <rawpkt/packet/numbers.hpp>
#include <rawpkt/packet/tlv.hpp>
#include <rawpkt/packet/view_base.hpp>

#include <cstddef>
#include <cstdint>

namespace rawpkt::geneve {

/// Header layout, RFC 8926 §3.4.
namespace field {
inline constexpr std::size_t ver_opt_len = 0;    ///< version (2 bits), Opt Len in 4-byte words (6 bits)
inline constexpr std::size_t flags = 1;          ///< O, C, 6 reserved bits
inline constexpr byte_range protocol_type{2, 4}; ///< EtherType of the payload
inline constexpr byte_range vni{4, 7};           ///< virtual network identifier
inline constexpr std::size_t reserved = 7;       ///< 8 reserved bits
inline constexpr std::size_t options = 8;        ///< options start; up to 8 + Opt Len * 4
} // namespace field

/// Option TLV layout, RFC 8926 §3.5; offsets from the option's start.
namespace option_field {
inline constexpr byte_range option_class{0, 2}; ///< option class: who defines the type (IANA registry)
inline constexpr std::size_t type = 2;          ///< the high bit marks a critical option
inline constexpr std::size_t length = 3;        ///< 3 reserved bits, length of the data in 4-byte words (5 bits)
inline constexpr std::size_t data = 4;          ///< where the option data starts
} // namespace option_field

/// Bytes of a header without options.
inline constexpr std::size_t min_header_len = field::options; // 8
/// Bytes of the longest header: Opt Len 63 words.
inline constexpr std::size_t max_header_len = 8 + 63 * 4; // 260
/// The most option bytes a header holds.
inline constexpr std::size_t max_options_len = max_header_len - min_header_len;
/// The only version RFC 8926 defines.
inline constexpr std::uint8_t version_0 = 0;
/// The largest VNI: 24 bits.
inline constexpr std::uint32_t max_vni = 0xffffff;

inline constexpr std::uint8_t flag_oam = 0x80;      ///< O: control packet (RFC 8926 §3.4)
inline constexpr std::uint8_t flag_critical = 0x40; ///< C: critical options present
/// The reserved bits of the flags byte.
inline constexpr std::uint8_t flags_reserved = 0x3f;

/// The critical bit of an option's type.
inline constexpr std::uint8_t option_type_critical = 0x80;
/// Bytes of an option header: class, type and length.
inline constexpr std::size_t option_header_len = option_field::data;
/// Bytes of the longest option: header plus 31 words of data.
inline constexpr std::size_t max_option_len = option_header_len + 31 * 4; // 128

/// One option. `data` is the option data after the 4-byte option header;
/// `offset` is where the option starts in the Geneve header.
struct option {
    std::uint16_t option_class = 0; ///< who defines the type
    std::uint8_t type = 0;          ///< option type; the high bit is the critical bit
    std::uint8_t reserved = 0;      ///< the 3 R bits, in the low bits
    std::size_t length = 4;         ///< whole option in bytes, the 4-byte option header included
    std::size_t offset = 0;         ///< where the option starts, in bytes from the start of the Geneve header
    bytes data{};                   ///< the option data

    /// A receiver that does not know this option must drop the packet
    /// (RFC 8926 §3.5).
    [[nodiscard]] constexpr bool critical() const noexcept { return (type & option_type_critical) != 0; }
};

/// Validates the option at `at` in `opts` (the options area, starting
/// `header_offset` bytes into the header).
[[nodiscard]] constexpr result<option> parse_option(bytes opts, std::size_t at, std::size_t header_offset) noexcept {
    const std::size_t left = opts.size() - at;
    const std::size_t offset = header_offset + at;
    if (left < option_header_len) {
        return error::truncated(layer::geneve_option, length_source::option_length, offset, option_header_len, left);
    }
    const std::uint8_t len_byte = load_u8(opts, at + option_field::length);
    const std::size_t len = option_header_len + std::size_t{len_byte & 0x1fu} * 4;
    if (len > left) return error::truncated(layer::geneve_option, length_source::option_length, offset, len, left);
    return option{load_be<std::uint16_t>(opts, at + option_field::option_class.begin),
                  load_u8(opts, at + option_field::type),
                  static_cast<std::uint8_t>(len_byte >> 5),
                  len,
                  offset,
                  opts.subspan(at + option_header_len, len - option_header_len)};
}

/// How the options area is walked: each option by parse_option(), to the end.
struct option_traits {
    using item = option;                        ///< what the range yields
    static constexpr auto parse = parse_option; ///< reads one option
};

/// Iterates the options area. Yields `result<option>`: a malformed option
/// yields its error and ends the iteration.
using option_range = detail::tlv_range<option_traits>;

/// Zero-copy Geneve header view; see the file comment for the bounds contract.
template <byte_span Buf>
class basic_view : public detail::view_base<Buf> {
    using base = detail::view_base<Buf>;
    using base::u16;
    using base::u24;
    using base::u8;

public:
    constexpr basic_view() noexcept = default;

    /// No validation: for buffers the caller built or sized itself.
    [[nodiscard]] static constexpr basic_view unchecked(Buf b) noexcept { return basic_view{b}; }

    /// Validates the base header, the version and the options length.
    [[nodiscard]] static constexpr result<basic_view> checked(Buf b) noexcept {
        if (b.size() < min_header_len) {
            return error::truncated(layer::geneve, length_source::fixed_header, 0, min_header_len, b.size());
        }
        const basic_view v{b};
        // RFC 8926 §3.4: packets with an unknown version MUST be dropped.
        if (v.version() != version_0) {
            return error::invalid(layer::geneve, errc::bad_version, length_source::none, field::ver_opt_len, version_0,
                                  v.version());
        }
        if (v.header_len() > b.size()) {
            return error::truncated(layer::geneve, length_source::header_length, 0, v.header_len(), b.size());
        }
        return v;
    }

    // --- fields (RFC 8926 §3.4) ---
    /// The version: 0 for a header checked() accepted (RFC 8926 §3.4).
    [[nodiscard]] constexpr std::uint8_t version() const noexcept { return u8(field::ver_opt_len) >> 6; }
    /// The raw Opt Len field, in 4-byte words.
    [[nodiscard]] constexpr std::uint8_t opt_len() const noexcept { return u8(field::ver_opt_len) & 0x3f; }
    /// Options length in bytes (Opt Len * 4).
    [[nodiscard]] constexpr std::size_t options_len() const noexcept { return std::size_t{opt_len()} * 4; }
    /// Header length in bytes, options included.
    [[nodiscard]] constexpr std::size_t header_len() const noexcept { return min_header_len + options_len(); }
    /// The whole flags byte.
    [[nodiscard]] constexpr std::uint8_t flags() const noexcept { return u8(field::flags); }
    /// O: a control (OAM) packet, not to be forwarded as data.
    [[nodiscard]] constexpr bool oam() const noexcept { return (flags() & flag_oam) != 0; }
    /// C: at least one option is critical.
    [[nodiscard]] constexpr bool critical() const noexcept { return (flags() & flag_critical) != 0; }
    /// The payload's type: 0x6558 for Ethernet, or an EtherType.
    [[nodiscard]] constexpr ethertype protocol_type() const noexcept {
        return static_cast<ethertype>(u16(field::protocol_type.begin));
    }
    /// The 24-bit virtual network identifier.
    [[nodiscard]] constexpr std::uint32_t vni() const noexcept { return u24(field::vni.begin); }
    /// The reserved byte after the VNI (zero in a header repr accepts).
    [[nodiscard]] constexpr std::uint8_t reserved() const noexcept { return u8(field::reserved); }

    /// The header bytes (base header and options).
    [[nodiscard]] constexpr Buf header() const noexcept { return this->range(0, header_len()); }
    /// The options bytes (may be empty).
    [[nodiscard]] constexpr Buf options_bytes() const noexcept { return this->range(field::options, header_len()); }
    /// The options: iterate for `result<option>`.
    [[nodiscard]] constexpr option_range options() const noexcept {
        return option_range{bytes{options_bytes()}, field::options};
    }
    /// The encapsulated packet, of type protocol_type().
    [[nodiscard]] constexpr Buf payload() const noexcept {
        const std::size_t size = this->buf_.size();
        return this->range(header_len() < size ? header_len() : size, size);
    }

    // --- setters (mut_view only) ---
    /// Sets the field version() reads.
    constexpr void set_version(std::uint8_t v) noexcept requires writable<Buf> {
        this->set_bits8(field::ver_opt_len, 0xc0, static_cast<std::uint8_t>(v << 6));
    }
    /// Sets Opt Len from a byte length (a multiple of 4, at most 252).
    /// Voids the checked() guarantee if the options then pass the buffer.
    constexpr void set_options_len(std::size_t len) noexcept requires writable<Buf> {
        this->set_bits8(field::ver_opt_len, 0x3f, static_cast<std::uint8_t>(len / 4));
    }
    /// Sets the field flags() reads.
    constexpr void set_flags(std::uint8_t v) noexcept requires writable<Buf> { this->set_u8(field::flags, v); }
    /// Sets or clears the flag oam() reads.
    constexpr void set_oam(bool v) noexcept requires writable<Buf> {
        this->set_bits8(field::flags, flag_oam, v ? flag_oam : 0);
    }
    /// Sets or clears the flag critical() reads.
    constexpr void set_critical(bool v) noexcept requires writable<Buf> {
        this->set_bits8(field::flags, flag_critical, v ? flag_critical : 0);
    }
    /// Sets the field protocol_type() reads.
    constexpr void set_protocol_type(ethertype t) noexcept requires writable<Buf> {
        this->set_u16(field::protocol_type.begin, static_cast<std::uint16_t>(t));
    }
    /// Sets the VNI (the low 24 bits of `v`).
    constexpr void set_vni(std::uint32_t v) noexcept requires writable<Buf> { this->set_u24(field::vni.begin, v); }
    /// Sets the field reserved() reads.
    constexpr void set_reserved(std::uint8_t v) noexcept requires writable<Buf> { this->set_u8(field::reserved, v); }

    /// A read-only view of the same bytes.
    constexpr operator basic_view<bytes>() const noexcept requires writable<Buf> {
        return basic_view<bytes>::unchecked(this->buf_);
    }

private:
    constexpr explicit basic_view(Buf b) noexcept : base(b) {}
};

/// A read-only Geneve view over received bytes.
using view = basic_view<bytes>;
/// A writable Geneve view: the setters are enabled, for building or editing in place.
using mut_view = basic_view<mut_bytes>;

/// The accepted states of a Geneve header, owned.
struct repr {
    std::uint32_t vni = 0;                                              ///< 24 bits
    ethertype protocol_type = ethertype::transparent_ethernet_bridging; ///< the payload's type
    bool oam = false;                                                   ///< O: a control packet
    /// The C flag. It must be set when an option is critical.
    bool critical = false;
    /// Raw options, at most 252 bytes: whole options, so a multiple of 4
    /// (emit() pads anything else with zero bytes).
    small_bytes<max_options_len> options{};
    std::size_t payload_len = 0; ///< bytes after the header

    /// Accepts a checked view with well-formed options, reserved bits clear
    /// and the C flag set if any option is critical (RFC 8926 §3.4).
    [[nodiscard]] static constexpr result<repr> parse(const view& v) noexcept {
        if ((v.flags() & flags_reserved) != 0) {
            return error::invalid(layer::geneve, errc::bad_value, length_source::none, field::flags, 0,
                                  v.flags() & flags_reserved);
        }
        if (v.reserved() != 0) {
            return error::invalid(layer::geneve, errc::bad_value, length_source::none, field::reserved, 0,
                                  v.reserved());
        }
        for (const auto& o : v.options()) {
            if (!o) return o.error();
            if (o->critical() && !v.critical()) {
                return error::invalid(layer::geneve, errc::bad_value, length_source::none, field::flags, 1, 0);
            }
        }
        repr r;
        r.vni = v.vni();
        r.protocol_type = v.protocol_type();
        r.oam = v.oam();
        r.critical = v.critical();
        (void)r.options.set(v.options_bytes()); // at most 252 bytes: Opt Len is 6 bits
        r.payload_len = v.payload().size();
        return r;
    }

    /// Bytes of the header emit() writes: 8 plus the options padded to a multiple of 4.
    [[nodiscard]] constexpr std::size_t header_len() const noexcept {
        return min_header_len + ((options.size() + 3u) & ~std::size_t{3});
    }
    /// Header plus payload.
    [[nodiscard]] constexpr std::size_t buffer_len() const noexcept { return header_len() + payload_len; }

    /// Writes the header, options included, into `v` (at least header_len() bytes).
    constexpr void emit(mut_view v) const noexcept {
        const std::size_t hl = header_len();
        v.set_version(version_0);
        v.set_options_len(hl - min_header_len);
        v.set_flags(static_cast<std::uint8_t>((oam ? flag_oam : 0) | (critical ? flag_critical : 0)));
        v.set_protocol_type(protocol_type);
        v.set_vni(vni);
        v.set_reserved(0);
        mut_bytes out = v.buffer();
        store_bytes(out, field::options, options.bytes());
        for (std::size_t i = min_header_len + options.size(); i < hl; ++i) out[i] = std::byte{0};
    }

    friend constexpr bool operator==(const repr&, const repr&) noexcept = default;
};

} // namespace rawpkt::geneve
