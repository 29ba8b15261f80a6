// SPDX-License-Identifier: BSD-3-Clause
/// \file
/// The common base of every protocol view: a span and typed loads/stores at
/// offsets. Non-virtual, trivially copyable, two pointers wide.
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
    /// Sets the bits of `mask` in byte `off` to `v` (already shifted).
    constexpr void set_bits8(std::size_t off, std::uint8_t mask, std::uint8_t v) noexcept requires writable<Buf> {
        set_u8(off, static_cast<std::uint8_t>((u8(off) & ~mask) | (v & mask)));
    }
    constexpr void set_bits16(std::size_t off, std::uint16_t mask, std::uint16_t v) noexcept requires writable<Buf> {
        set_u16(off, static_cast<std::uint16_t>((u16(off) & ~mask) | (v & mask)));
    }

    Buf buf_{};
};

} // namespace rawpkt::detail
