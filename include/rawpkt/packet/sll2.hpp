// SPDX-License-Identifier: BSD-3-Clause
/// \file
/// Linux cooked capture v2 (LINKTYPE_LINUX_SLL2, 276) header view and repr.
///
/// The 20-byte header of SLL v1 reordered, with the protocol first and the
/// receiving interface's index added; the packet type and address length
/// shrink to one byte each. The protocol field follows the SLL v1 rules
/// (see sll.hpp): `is_ethertype()` applies them.
///
/// Contract: after `view::checked(b)` succeeds, no accessor reads out of
/// bounds (the 20-byte header is inside `b`; `address()` never exceeds the
/// 8-byte field). No setter voids that.
#pragma once

#include <rawpkt/bytes.hpp>
#include <rawpkt/error.hpp>
#include <rawpkt/packet/numbers.hpp>
#include <rawpkt/packet/sll.hpp>
#include <rawpkt/packet/view_base.hpp>

#include <array>
#include <cstddef>
#include <cstdint>

namespace rawpkt::sll2 {

using sll::arphrd;
using sll::packet_type;
using sll::protocol_is_ethertype;
namespace linux_protocol = sll::linux_protocol;

/// Header layout (tcpdump.org/linktypes/LINKTYPE_LINUX_SLL2.html).
namespace field {
inline constexpr byte_range protocol{0, 2};     ///< see sll.hpp
inline constexpr byte_range reserved{2, 4};     ///< must be zero
inline constexpr byte_range if_index{4, 8};     ///< the interface the packet was seen on
inline constexpr byte_range arphrd_type{8, 10}; ///< link-layer device type (arphrd)
inline constexpr std::size_t packet_type = 10;  ///< direction (packet_type), one byte
inline constexpr std::size_t address_len = 11;  ///< the sender's link-layer address length, one byte
inline constexpr byte_range address{12, 20};    ///< its first 8 bytes, padded
} // namespace field

/// Bytes of the SLL2 header.
inline constexpr std::size_t header_len = field::address.end; // 20
/// Bytes of address the header holds.
inline constexpr std::size_t address_capacity = field::address.size(); // 8

/// Zero-copy SLL2 header view; see the file comment for the bounds contract.
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

    /// Validates that the 20-byte header is in `b`. Every value is accepted
    /// (repr::parse() rejects a non-zero reserved field).
    [[nodiscard]] static constexpr result<basic_view> checked(Buf b) noexcept {
        if (b.size() < sll2::header_len) {
            return error::truncated(layer::sll2, length_source::fixed_header, 0, sll2::header_len, b.size());
        }
        return basic_view{b};
    }

    // --- fields ---
    /// The raw protocol field.
    [[nodiscard]] constexpr std::uint16_t protocol() const noexcept { return u16(field::protocol); }
    /// The reserved field (zero in a header repr accepts).
    [[nodiscard]] constexpr std::uint16_t reserved() const noexcept { return u16(field::reserved); }
    /// The interface index (as if_nametoindex() numbers them on the capturing host).
    [[nodiscard]] constexpr std::uint32_t if_index() const noexcept { return u32(field::if_index); }
    /// Link-layer device type of the capturing interface (ARPHRD_*).
    [[nodiscard]] constexpr arphrd arphrd_type() const noexcept { return static_cast<arphrd>(u16(field::arphrd_type)); }
    /// Which way the packet went (PACKET_HOST, PACKET_OUTGOING, ...).
    [[nodiscard]] constexpr sll2::packet_type packet_type() const noexcept {
        return static_cast<sll2::packet_type>(u8(field::packet_type));
    }
    /// The address length field: may exceed the 8 bytes held.
    [[nodiscard]] constexpr std::uint8_t address_len() const noexcept { return u8(field::address_len); }
    /// The sender's address as held: its first min(address_len(), 8) bytes.
    [[nodiscard]] constexpr Buf address() const noexcept {
        const std::size_t n = address_len() < address_capacity ? address_len() : address_capacity;
        return this->range(field::address.begin, field::address.begin + n);
    }
    /// The whole 8-byte address field, padding included.
    [[nodiscard]] constexpr Buf address_field() const noexcept { return this->range(field::address); }
    /// True when protocol() is an EtherType (see sll.hpp).
    [[nodiscard]] constexpr bool is_ethertype() const noexcept {
        return protocol_is_ethertype(arphrd_type(), protocol());
    }
    /// The protocol field as an EtherType (meaningful when is_ethertype()).
    [[nodiscard]] constexpr rawpkt::ethertype ethertype() const noexcept {
        return static_cast<rawpkt::ethertype>(protocol());
    }

    /// Always 20.
    [[nodiscard]] constexpr std::size_t header_len() const noexcept { return sll2::header_len; }
    /// The header's bytes, header_len() of them.
    [[nodiscard]] constexpr Buf header() const noexcept { return this->range(0, sll2::header_len); }
    /// The bytes after the header, to the end of the buffer.
    [[nodiscard]] constexpr Buf payload() const noexcept {
        return clamp_subspan(this->buf_, sll2::header_len, this->buf_.size());
    }

    // --- setters (mut_view only) ---
    /// Sets the field protocol() reads.
    constexpr void set_protocol(std::uint16_t v) noexcept requires writable<Buf> { this->set_u16(field::protocol, v); }
    /// Sets the field ethertype() reads.
    constexpr void set_ethertype(rawpkt::ethertype t) noexcept requires writable<Buf> {
        set_protocol(static_cast<std::uint16_t>(t));
    }
    /// Sets the field reserved() reads.
    constexpr void set_reserved(std::uint16_t v) noexcept requires writable<Buf> { this->set_u16(field::reserved, v); }
    /// Sets the field if_index() reads.
    constexpr void set_if_index(std::uint32_t v) noexcept requires writable<Buf> { this->set_u32(field::if_index, v); }
    /// Sets the field arphrd_type() reads.
    constexpr void set_arphrd_type(arphrd t) noexcept requires writable<Buf> {
        this->set_u16(field::arphrd_type, static_cast<std::uint16_t>(t));
    }
    /// Sets the field packet_type() reads.
    constexpr void set_packet_type(sll2::packet_type t) noexcept requires writable<Buf> {
        this->set_u8(field::packet_type, static_cast<std::uint8_t>(t));
    }
    /// Sets the field address_len() reads.
    constexpr void set_address_len(std::uint8_t v) noexcept requires writable<Buf> {
        this->set_u8(field::address_len, v);
    }
    /// Sets the length field to `a.size()` (at most 255) and stores the first
    /// 8 bytes of `a`, zero-padded.
    constexpr void set_address(bytes a) noexcept requires writable<Buf> {
        set_address_len(static_cast<std::uint8_t>(a.size()));
        for (std::size_t i = 0; i < address_capacity; ++i) {
            this->set_u8(field::address.begin + i, i < a.size() ? std::to_integer<std::uint8_t>(a[i]) : 0);
        }
    }

    /// A read-only view of the same bytes.
    constexpr operator basic_view<bytes>() const noexcept requires writable<Buf> {
        return basic_view<bytes>::unchecked(this->buf_);
    }

private:
    constexpr explicit basic_view(Buf b) noexcept : base(b) {}
};

/// A read-only Linux cooked v2 (SLL2) view over received bytes.
using view = basic_view<bytes>;
/// A writable Linux cooked v2 (SLL2) view: the setters are enabled, for building or editing in place.
using mut_view = basic_view<mut_bytes>;

/// An SLL2 header, owned: the accepted states have a zero reserved field.
struct repr {
    std::uint16_t protocol =
        static_cast<std::uint16_t>(rawpkt::ethertype::ipv4);     ///< the protocol field (an EtherType, or see sll.hpp)
    std::uint32_t if_index = 0;                                  ///< interface index
    arphrd arphrd_type = arphrd::ether;                          ///< link-layer device type
    sll2::packet_type packet_type = sll2::packet_type::outgoing; ///< direction
    std::uint8_t address_len = 0;                                ///< the sender's link-layer address length
    /// The whole address field, padding included, so that emit() gives the
    /// parsed bytes back.
    std::array<std::uint8_t, address_capacity> address{};

    /// Rejects a non-zero reserved field (bad_value, `available` holds it).
    [[nodiscard]] static constexpr result<repr> parse(const view& v) noexcept {
        if (v.reserved() != 0) {
            return error::invalid(layer::sll2, errc::bad_value, length_source::none, field::reserved.begin, 0,
                                  v.reserved());
        }
        repr r{v.protocol(), v.if_index(), v.arphrd_type(), v.packet_type(), v.address_len(), {}};
        for (std::size_t i = 0; i < address_capacity; ++i) r.address[i] = load_u8(v.address_field(), i);
        return r;
    }

    /// Sets the address length and bytes (the first 8, zero-padded).
    constexpr void set_address(bytes a) noexcept {
        address_len = static_cast<std::uint8_t>(a.size());
        for (std::size_t i = 0; i < address_capacity; ++i) {
            address[i] = i < a.size() ? std::to_integer<std::uint8_t>(a[i]) : 0;
        }
    }

    /// The fixed header length, sll2::header_len bytes.
    [[nodiscard]] constexpr std::size_t header_len() const noexcept { return sll2::header_len; }

    /// Writes the header into `v` (at least 20 bytes).
    constexpr void emit(mut_view v) const noexcept {
        v.set_protocol(protocol);
        v.set_reserved(0);
        v.set_if_index(if_index);
        v.set_arphrd_type(arphrd_type);
        v.set_packet_type(packet_type);
        v.set_address_len(address_len);
        for (std::size_t i = 0; i < address_capacity; ++i) store_u8(v.buffer(), field::address.begin + i, address[i]);
    }

    friend constexpr bool operator==(const repr&, const repr&) noexcept = default;
};

} // namespace rawpkt::sll2
