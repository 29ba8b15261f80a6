// SPDX-License-Identifier: BSD-3-Clause
/// \file
/// The common base of every protocol view: a span and typed loads/stores at
/// offsets. Non-virtual, trivially copyable, two pointers wide. Also the
/// one template every repr with a pseudo-header checksum emits through.
///
/// The conventions every protocol's `repr` follows:
///
/// - `header_len()` is the number of bytes `emit(v)` writes: the header and
///   its own variable parts (options, extension headers, NDP options).
///   `buffer_len()` is header_len() plus the payload, and exists only on
///   reprs that know their payload's length (IPv4, IPv6, TCP, UDP, GRE,
///   VXLAN, Geneve, GTP-U, Teredo, PPPoE, the ICMP echo and error reprs).
/// - A header's own variable part is owned, in a `small_bytes<N>` whose
///   capacity is the most the format (or, where that is large, rawpkt) allows.
///   The payload (echo data, an invoking packet, an encapsulated frame) is
///   never held, only its length (`payload_len`, `data_len`,
///   `invoking_len`): the caller or the builder writes it after the header.
/// - `emit(v)` writes every field of the header. Where the checksum needs no
///   pseudo header (the IPv4 header, ICMPv4, GRE) it also fills the
///   checksum, so the payload those checksums cover must already be in `v`
///   after the header. Where it does (TCP, UDP, ICMPv6), `emit(v)` leaves
///   it 0 and `emit(v, src, dst)`, with the payload in place, fills it too:
///   every such repr forwards to detail::emit_with_checksum() below.
#pragma once

#include <rawpkt/bytes.hpp>
#include <rawpkt/error.hpp>

#include <cstddef>
#include <cstdint>

namespace rawpkt::detail {

template <byte_span Buf>
class view_base {
public:
    using buffer_type = Buf;

    /// The whole buffer the view was laid over (header, payload and anything
    /// after it, e.g. Ethernet padding).
    [[nodiscard]] constexpr Buf buffer() const noexcept { return buf_; }

protected:
    constexpr view_base() noexcept = default;
    constexpr explicit view_base(Buf b) noexcept : buf_(b) {}

    [[nodiscard]] constexpr std::uint8_t u8(std::size_t off) const noexcept { return load_u8(buf_, off); }
    [[nodiscard]] constexpr std::uint16_t u16(std::size_t off) const noexcept {
        return load_be<std::uint16_t>(buf_, off);
    }
    [[nodiscard]] constexpr std::uint32_t u24(std::size_t off) const noexcept {
        return (std::uint32_t{u8(off)} << 16) | u16(off + 1);
    }
    [[nodiscard]] constexpr std::uint32_t u32(std::size_t off) const noexcept {
        return load_be<std::uint32_t>(buf_, off);
    }
    [[nodiscard]] constexpr std::uint64_t u64(std::size_t off) const noexcept {
        return load_be<std::uint64_t>(buf_, off);
    }
    [[nodiscard]] constexpr std::uint16_t u16(byte_range r) const noexcept { return u16(r.begin); }
    [[nodiscard]] constexpr std::uint32_t u32(byte_range r) const noexcept { return u32(r.begin); }
    /// Bytes [begin, end) of the buffer; the caller guarantees the range.
    [[nodiscard]] constexpr Buf range(std::size_t begin, std::size_t end) const noexcept {
        detail::bounds_check(buf_.size(), begin, end - begin);
        return buf_.subspan(begin, end - begin);
    }
    [[nodiscard]] constexpr Buf range(byte_range r) const noexcept { return range(r.begin, r.end); }

    constexpr void set_u8(std::size_t off, std::uint8_t v) noexcept requires writable<Buf> { store_u8(buf_, off, v); }
    constexpr void set_u16(std::size_t off, std::uint16_t v) noexcept requires writable<Buf> {
        store_be<std::uint16_t>(buf_, off, v);
    }
    constexpr void set_u24(std::size_t off, std::uint32_t v) noexcept requires writable<Buf> {
        set_u8(off, static_cast<std::uint8_t>(v >> 16));
        set_u16(off + 1, static_cast<std::uint16_t>(v));
    }
    constexpr void set_u32(std::size_t off, std::uint32_t v) noexcept requires writable<Buf> {
        store_be<std::uint32_t>(buf_, off, v);
    }
    constexpr void set_u64(std::size_t off, std::uint64_t v) noexcept requires writable<Buf> {
        store_be<std::uint64_t>(buf_, off, v);
    }
    constexpr void set_u16(byte_range r, std::uint16_t v) noexcept requires writable<Buf> { set_u16(r.begin, v); }
    constexpr void set_u32(byte_range r, std::uint32_t v) noexcept requires writable<Buf> { set_u32(r.begin, v); }
    // Loads and stores for fields that only some message types or flags
    // have: outside the buffer a load yields 0 (or the zero address) and a
    // store writes nothing, so calling them on the wrong type never reads
    // or writes out of bounds.
    [[nodiscard]] constexpr bool holds(std::size_t off, std::size_t n) const noexcept {
        return fits(buf_.size(), off, n);
    }
    [[nodiscard]] constexpr std::uint8_t u8_or0(std::size_t off) const noexcept { return load_u8_or(buf_, off); }
    [[nodiscard]] constexpr std::uint16_t u16_or0(std::size_t off) const noexcept {
        return load_be_or<std::uint16_t>(buf_, off);
    }
    [[nodiscard]] constexpr std::uint32_t u32_or0(std::size_t off) const noexcept {
        return load_be_or<std::uint32_t>(buf_, off);
    }
    [[nodiscard]] constexpr std::uint64_t u64_or0(std::size_t off) const noexcept {
        return load_be_or<std::uint64_t>(buf_, off);
    }
    template <class Address>
    [[nodiscard]] constexpr Address address_or0(std::size_t off) const noexcept {
        return load_address_or<Address>(bytes{buf_}, off);
    }
    /// Bytes from `off` to the end of the buffer; empty past the end.
    [[nodiscard]] constexpr Buf tail(std::size_t off) const noexcept { return clamp_subspan(buf_, off, buf_.size()); }
    constexpr void try_set_u8(std::size_t off, std::uint8_t v) noexcept requires writable<Buf> {
        (void)try_store_u8(buf_, off, v);
    }
    constexpr void try_set_u16(std::size_t off, std::uint16_t v) noexcept requires writable<Buf> {
        (void)try_store_be<std::uint16_t>(buf_, off, v);
    }
    constexpr void try_set_u32(std::size_t off, std::uint32_t v) noexcept requires writable<Buf> {
        (void)try_store_be<std::uint32_t>(buf_, off, v);
    }
    constexpr void try_set_u64(std::size_t off, std::uint64_t v) noexcept requires writable<Buf> {
        (void)try_store_be<std::uint64_t>(buf_, off, v);
    }
    template <class Address>
    constexpr void try_set_address(std::size_t off, const Address& a) noexcept requires writable<Buf> {
        (void)try_store_address(buf_, off, a);
    }

    /// Sets the bits of `mask` in byte `off` to `v` (already shifted).
    constexpr void set_bits8(std::size_t off, std::uint8_t mask, std::uint8_t v) noexcept requires writable<Buf> {
        set_u8(off, static_cast<std::uint8_t>((u8(off) & ~mask) | (v & mask)));
    }
    constexpr void set_bits16(std::size_t off, std::uint16_t mask, std::uint16_t v) noexcept requires writable<Buf> {
        set_u16(off, static_cast<std::uint16_t>((u16(off) & ~mask) | (v & mask)));
    }

    Buf buf_{};
};

/// The bytes a repr's message takes: buffer_len() where the repr knows its
/// payload, else header_len().
template <class Repr>
[[nodiscard]] constexpr std::size_t message_len(const Repr& r) noexcept {
    if constexpr (requires { r.buffer_len(); }) {
        return r.buffer_len();
    } else {
        return r.header_len();
    }
}

/// `emit(v, src, dst)` of the reprs whose checksum covers a pseudo header
/// (TCP, UDP, ICMPv6): emit(v), then, if `fill`, the checksum over the
/// first message_len(r) bytes of `v`, whose payload must already be in
/// place. `View` is the protocol's mut_view; its fill_checksum(src, dst)
/// builds the pseudo header.
template <class Repr, class View, ip_address Address>
constexpr void emit_with_checksum(const Repr& r, View v, const Address& src, const Address& dst,
                                  bool fill = true) noexcept {
    r.emit(v);
    if (fill) View::unchecked(clamp_subspan(v.buffer(), 0, message_len(r))).fill_checksum(src, dst);
}

} // namespace rawpkt::detail
