// SPDX-License-Identifier: BSD-3-Clause
/// \file
/// Ethernet (IEEE 802.3 §3.2) frame header view and repr.
///
/// The two-octet Length/Type field decides the frame's shape: values of
/// 0x0600 and above are an EtherType (Ethernet II, the payload is the rest of
/// the buffer); values up to 1500 are the length of an IEEE 802.3 frame's
/// MAC client data, an LLC PDU (the payload is bounded by it, what follows
/// is padding). Values 1501..1535 are neither and are rejected.
///
/// Contract: after `view::checked(b)` succeeds, no accessor reads out of
/// bounds, and an 802.3 frame's data (its length field) is inside `b`.
/// `view::checked_header(b)` guarantees the 14-byte header only: the data
/// may be cut short by the capture. `payload()` and `padding()` are always
/// clamped to the buffer, so no setter voids the guarantee. The frame check
/// sequence is not part of the view: captures rarely keep it.
#pragma once

#include <rawpkt/bytes.hpp>
#include <rawpkt/error.hpp>
#include <rawpkt/packet/numbers.hpp>
#include <rawpkt/packet/view_base.hpp>

#include <cstddef>
#include <cstdint>

namespace rawpkt::ethernet {

/// The address type of src() and dst(): a 48-bit MAC address.
using address = mac_address;

/// Header layout, IEEE 802.3 §3.2.3 - §3.2.6.
namespace field {
inline constexpr byte_range dst{0, 6};        ///< destination address (§3.2.4)
inline constexpr byte_range src{6, 12};       ///< source address (§3.2.5)
inline constexpr byte_range type_len{12, 14}; ///< Length/Type (§3.2.6)
} // namespace field

/// Bytes of an Ethernet II / 802.3 header: destination, source, EtherType or length (no preamble, no FCS).
inline constexpr std::size_t header_len = field::type_len.end; // 14

/// The largest Length/Type value that is a length (IEEE 802.3 §3.2.6).
inline constexpr std::uint16_t max_length = 1500;

/// True when a Length/Type value is the length of an 802.3 frame's data.
[[nodiscard]] constexpr bool is_length(std::uint16_t type_len) noexcept { return type_len <= max_length; }
/// True when a Length/Type value is an EtherType.
[[nodiscard]] constexpr bool is_ethertype(std::uint16_t type_len) noexcept { return type_len >= ethertype_min; }

/// Zero-copy Ethernet header view; see the file comment for the bounds contract.
template <byte_span Buf>
class basic_view : public detail::view_base<Buf> {
    using base = detail::view_base<Buf>;
    using base::u16;

public:
    constexpr basic_view() noexcept = default;

    /// No validation: for buffers the caller built or sized itself.
    [[nodiscard]] static constexpr basic_view unchecked(Buf b) noexcept { return basic_view{b}; }

    /// Validates the header and, for an 802.3 frame, that its data is in `b`.
    [[nodiscard]] static constexpr result<basic_view> checked(Buf b) noexcept {
        auto v = checked_header(b);
        if (!v) return v;
        if (v->is_length() && ethernet::header_len + v->length_field() > b.size()) {
            return error::truncated(layer::ethernet, length_source::payload_length, 0,
                                    ethernet::header_len + v->length_field(), b.size());
        }
        return v;
    }

    /// Validates the header only; an 802.3 frame's data may be cut short.
    [[nodiscard]] static constexpr result<basic_view> checked_header(Buf b) noexcept {
        if (b.size() < ethernet::header_len) {
            return error::truncated(layer::ethernet, length_source::fixed_header, 0, ethernet::header_len, b.size());
        }
        const basic_view v{b};
        if (!v.is_length() && !v.is_ethertype()) {
            return error::invalid(layer::ethernet, errc::bad_value, length_source::none, field::type_len.begin, 0,
                                  v.type_len());
        }
        return v;
    }

    // --- fields (IEEE 802.3 §3.2) ---
    /// Destination MAC address (IEEE 802.3 §3.2.3).
    [[nodiscard]] constexpr address dst() const noexcept { return address::load(this->buf_, field::dst.begin); }
    /// Source MAC address (IEEE 802.3 §3.2.3).
    [[nodiscard]] constexpr address src() const noexcept { return address::load(this->buf_, field::src.begin); }
    /// The raw Length/Type field.
    [[nodiscard]] constexpr std::uint16_t type_len() const noexcept { return u16(field::type_len); }
    /// The Length/Type field as an EtherType (meaningful when is_ethertype()).
    [[nodiscard]] constexpr rawpkt::ethertype ethertype() const noexcept {
        return static_cast<rawpkt::ethertype>(type_len());
    }
    /// True for an Ethernet II frame: the field is an EtherType.
    [[nodiscard]] constexpr bool is_ethertype() const noexcept { return ethernet::is_ethertype(type_len()); }
    /// True for an IEEE 802.3 frame: the field is the length of an LLC PDU.
    [[nodiscard]] constexpr bool is_length() const noexcept { return ethernet::is_length(type_len()); }
    /// An 802.3 frame's data length in bytes (meaningful when is_length()).
    [[nodiscard]] constexpr std::uint16_t length_field() const noexcept { return type_len(); }

    /// Always 14: the header has no options.
    [[nodiscard]] constexpr std::size_t header_len() const noexcept { return ethernet::header_len; }
    /// The 14 header bytes.
    [[nodiscard]] constexpr Buf header() const noexcept { return this->range(0, ethernet::header_len); }
    /// The data after the header: the rest of the buffer for Ethernet II,
    /// up to the length field for 802.3. Clamped to the buffer.
    [[nodiscard]] constexpr Buf payload() const noexcept {
        return clamp_subspan(this->buf_, ethernet::header_len, data_len());
    }
    /// The bytes after an 802.3 frame's data (padding, or an FCS the capture
    /// kept); empty for Ethernet II, whose padding only the next layer's own
    /// length reveals.
    [[nodiscard]] constexpr Buf padding() const noexcept {
        return clamp_subspan(this->buf_, ethernet::header_len + payload().size(), this->buf_.size());
    }

    // --- setters (mut_view only) ---
    /// Writes the address dst() reads.
    constexpr void set_dst(const address& a) noexcept requires writable<Buf> { a.store(this->buf_, field::dst.begin); }
    /// Writes the address src() reads.
    constexpr void set_src(const address& a) noexcept requires writable<Buf> { a.store(this->buf_, field::src.begin); }
    /// Sets the field ethertype() reads.
    constexpr void set_ethertype(rawpkt::ethertype t) noexcept requires writable<Buf> {
        this->set_u16(field::type_len, static_cast<std::uint16_t>(t));
    }
    /// Sets the raw Length/Type field (an 802.3 length, or an EtherType).
    constexpr void set_type_len(std::uint16_t v) noexcept requires writable<Buf> { this->set_u16(field::type_len, v); }

    /// A read-only view of the same bytes.
    constexpr operator basic_view<bytes>() const noexcept requires writable<Buf> {
        return basic_view<bytes>::unchecked(this->buf_);
    }

private:
    constexpr explicit basic_view(Buf b) noexcept : base(b) {}

    /// Bytes of data after the header, before clamping to the buffer.
    [[nodiscard]] constexpr std::size_t data_len() const noexcept {
        return is_length() ? length_field() : this->buf_.size() - ethernet::header_len;
    }
};

/// A read-only Ethernet view over received bytes.
using view = basic_view<bytes>;
/// A writable Ethernet view: the setters are enabled, for building or editing in place.
using mut_view = basic_view<mut_bytes>;

/// The accepted states of an Ethernet II header, owned. 802.3 frames (a
/// length instead of an EtherType) are not represented: build those with a
/// mut_view and llc::repr.
struct repr {
    address src{};                                         ///< source MAC address
    address dst{};                                         ///< destination MAC address
    rawpkt::ethertype ethertype = rawpkt::ethertype::ipv4; ///< what the payload is (at least 0x0600)

    /// Accepts a checked Ethernet II header; an 802.3 frame is unsupported
    /// (`available` holds its length field).
    [[nodiscard]] static constexpr result<repr> parse(const view& v) noexcept {
        if (!v.is_ethertype()) {
            return error::invalid(layer::ethernet, errc::unsupported, length_source::none, field::type_len.begin, 0,
                                  v.type_len());
        }
        return repr{v.src(), v.dst(), v.ethertype()};
    }

    /// Always 14.
    [[nodiscard]] constexpr std::size_t header_len() const noexcept { return ethernet::header_len; }

    /// Writes the header into `v` (at least 14 bytes).
    constexpr void emit(mut_view v) const noexcept {
        v.set_dst(dst);
        v.set_src(src);
        v.set_ethertype(ethertype);
    }

    friend constexpr bool operator==(const repr&, const repr&) noexcept = default;
};

} // namespace rawpkt::ethernet
