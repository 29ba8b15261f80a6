// SPDX-License-Identifier: BSD-3-Clause
/// \file
/// Byte spans, big-endian loads and stores, and address types.
///
/// Every packet view in rawpkt reads through load_be()/store_be() below: no
/// packed structs, no bit-fields, no reinterpret_cast. The loads are written
/// as shifts over bytes, which both g++ and clang fold into a single load
/// plus byte swap, and which also work in constant expressions.
#pragma once

#include <array>
#include <bit>
#include <concepts>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>

#if !defined(NDEBUG) || defined(RAWPKT_CHECK_BOUNDS)
#include <cstdlib>
/// 1 when the byte-level accessors check bounds and stop the program on an out-of-range access: debug builds, or any
/// build with RAWPKT_CHECK_BOUNDS.
#define RAWPKT_BOUNDS_CHECKS 1
#else
#define RAWPKT_BOUNDS_CHECKS 0
#endif

namespace rawpkt {

/// Read-only bytes of a packet (the usual case).
using bytes = std::span<const std::byte>;
/// Writable bytes of a packet (building, editing in place).
using mut_bytes = std::span<std::byte>;

/// The two buffer types a view can be laid over.
template <class B>
concept byte_span = std::same_as<B, bytes> || std::same_as<B, mut_bytes>;

/// True for the buffer type that allows setters.
template <class B>
concept writable = std::same_as<B, mut_bytes>;

/// A half-open byte range [begin, end) inside a header: the field tables of
/// every protocol are written with these.
struct byte_range {
    std::size_t begin; ///< first byte of the field
    std::size_t end;   ///< one past its last byte
    /// The field's width in bytes.
    [[nodiscard]] constexpr std::size_t size() const noexcept { return end - begin; }
};

namespace detail {

/// Debug-build guard behind every load and store. Views only read inside the
/// lengths checked() validated, so this never fires for a correct view; it
/// catches a misuse of unchecked() on a too-short buffer in debug builds.
#if RAWPKT_BOUNDS_CHECKS
/// Not constexpr on purpose: reaching it in a constant expression is a
/// compile error, at run time it stops the program.
[[noreturn]] inline void bounds_violation() noexcept { std::abort(); }
#endif

constexpr void bounds_check([[maybe_unused]] std::size_t size, [[maybe_unused]] std::size_t offset,
                            [[maybe_unused]] std::size_t len) noexcept {
#if RAWPKT_BOUNDS_CHECKS
    if (offset > size || len > size - offset) bounds_violation();
#endif
}

} // namespace detail

namespace detail {
/// Reverses the bytes of an unsigned integer (C++23's std::byteswap).
template <std::unsigned_integral T>
[[nodiscard]] constexpr T byteswap(T v) noexcept {
    if constexpr (sizeof(T) == 1) {
        return v;
    } else if constexpr (sizeof(T) == 2) {
        return static_cast<T>(__builtin_bswap16(v));
    } else if constexpr (sizeof(T) == 4) {
        return static_cast<T>(__builtin_bswap32(v));
    } else {
        static_assert(sizeof(T) == 8);
        return static_cast<T>(__builtin_bswap64(v));
    }
}
} // namespace detail

/// Loads a big-endian (network order) unsigned integer of sizeof(T) bytes at
/// `offset`. The caller guarantees `offset + sizeof(T) <= b.size()`.
template <std::unsigned_integral T, byte_span Buf>
[[nodiscard]] constexpr T load_be(Buf b, std::size_t offset) noexcept {
    detail::bounds_check(b.size(), offset, sizeof(T));
    if (!std::is_constant_evaluated()) {
        // One unaligned load and a byte swap; compilers do not always
        // recognise the shift loop below at variable offsets.
        T raw;
        std::memcpy(&raw, b.data() + offset, sizeof(T));
        if constexpr (std::endian::native == std::endian::little) raw = detail::byteswap(raw);
        return raw;
    }
    T v = 0;
    for (std::size_t i = 0; i < sizeof(T); ++i) {
        v = static_cast<T>((v << 8) | static_cast<T>(std::to_integer<std::uint8_t>(b[offset + i])));
    }
    return v;
}

/// Loads a little-endian unsigned integer (capture-file headers).
template <std::unsigned_integral T, byte_span Buf>
[[nodiscard]] constexpr T load_le(Buf b, std::size_t offset) noexcept {
    detail::bounds_check(b.size(), offset, sizeof(T));
    T v = 0;
    for (std::size_t i = sizeof(T); i-- > 0;) {
        v = static_cast<T>((v << 8) | static_cast<T>(std::to_integer<std::uint8_t>(b[offset + i])));
    }
    return v;
}

/// Stores `v` big-endian at `offset`. The caller guarantees the room.
template <std::unsigned_integral T>
constexpr void store_be(mut_bytes b, std::size_t offset, T v) noexcept {
    detail::bounds_check(b.size(), offset, sizeof(T));
    if (!std::is_constant_evaluated()) {
        if constexpr (std::endian::native == std::endian::little) v = detail::byteswap(v);
        std::memcpy(b.data() + offset, &v, sizeof(T));
        return;
    }
    for (std::size_t i = sizeof(T); i-- > 0;) {
        b[offset + i] = static_cast<std::byte>(v & 0xffu);
        v = static_cast<T>(v >> 8);
    }
}

/// Stores `v` little-endian at `offset`.
template <std::unsigned_integral T>
constexpr void store_le(mut_bytes b, std::size_t offset, T v) noexcept {
    detail::bounds_check(b.size(), offset, sizeof(T));
    for (std::size_t i = 0; i < sizeof(T); ++i) {
        b[offset + i] = static_cast<std::byte>(v & 0xffu);
        v = static_cast<T>(v >> 8);
    }
}

/// Loads one byte.
template <byte_span Buf>
[[nodiscard]] constexpr std::uint8_t load_u8(Buf b, std::size_t offset) noexcept {
    detail::bounds_check(b.size(), offset, 1);
    return std::to_integer<std::uint8_t>(b[offset]);
}

/// Stores one byte.
constexpr void store_u8(mut_bytes b, std::size_t offset, std::uint8_t v) noexcept {
    detail::bounds_check(b.size(), offset, 1);
    b[offset] = static_cast<std::byte>(v);
}

/// Copies `n` bytes from `src` into `dst` at `offset` (constexpr-friendly).
constexpr void store_bytes(mut_bytes dst, std::size_t offset, bytes src) noexcept {
    detail::bounds_check(dst.size(), offset, src.size());
    for (std::size_t i = 0; i < src.size(); ++i) dst[offset + i] = src[i];
}

/// A bounded subspan that never throws and never asserts: clamps to the buffer.
template <byte_span Buf>
[[nodiscard]] constexpr Buf clamp_subspan(Buf b, std::size_t offset, std::size_t len) noexcept {
    if (offset > b.size()) return Buf{};
    if (len > b.size() - offset) len = b.size() - offset;
    return b.subspan(offset, len);
}

// --- Loads and stores that check the range themselves ---
//
// For accessors that belong to one option, message type or flag and may be
// called on another: they never touch a byte outside the buffer, whatever
// the offset. A load outside the buffer yields the fallback (0 or the zero
// address); a store outside it writes nothing and returns false.

/// True when `n` bytes at `offset` lie inside a buffer of `size` bytes
/// (no overflow for any offset).
[[nodiscard]] constexpr bool fits(std::size_t size, std::size_t offset, std::size_t n) noexcept {
    return offset <= size && n <= size - offset;
}

/// load_be<T>(b, offset), or `fallback` when the bytes are not all in `b`.
template <std::unsigned_integral T, byte_span Buf>
[[nodiscard]] constexpr T load_be_or(Buf b, std::size_t offset, T fallback = 0) noexcept {
    return fits(b.size(), offset, sizeof(T)) ? load_be<T>(b, offset) : fallback;
}

/// load_u8(b, offset), or `fallback` when `offset` is past the end of `b`.
template <byte_span Buf>
[[nodiscard]] constexpr std::uint8_t load_u8_or(Buf b, std::size_t offset, std::uint8_t fallback = 0) noexcept {
    return fits(b.size(), offset, 1) ? load_u8(b, offset) : fallback;
}

/// An address type (mac_address, ipv4_address, ipv6_address) loaded at
/// `offset`, or `fallback` (the zero address) when it is not all in `b`.
template <class Address>
[[nodiscard]] constexpr Address load_address_or(bytes b, std::size_t offset, const Address& fallback = {}) noexcept {
    return fits(b.size(), offset, Address::size) ? Address::load(b, offset) : fallback;
}

/// store_be<T>(b, offset, v) when the bytes are all in `b`; else nothing.
/// Returns whether it wrote.
template <std::unsigned_integral T>
constexpr bool try_store_be(mut_bytes b, std::size_t offset, T v) noexcept {
    if (!fits(b.size(), offset, sizeof(T))) return false;
    store_be<T>(b, offset, v);
    return true;
}

/// store_u8(b, offset, v) when `offset` is inside `b`; else nothing.
constexpr bool try_store_u8(mut_bytes b, std::size_t offset, std::uint8_t v) noexcept {
    if (!fits(b.size(), offset, 1)) return false;
    store_u8(b, offset, v);
    return true;
}

/// Stores an address when it fits at `offset`; else nothing.
template <class Address>
constexpr bool try_store_address(mut_bytes b, std::size_t offset, const Address& a) noexcept {
    if (!fits(b.size(), offset, Address::size)) return false;
    a.store(b, offset);
    return true;
}

/// Up to N bytes stored inline: the variable part of a header that a repr
/// owns (IPv4 and TCP options, Geneve options, GTP-U extension headers,
/// NDP options, ...). The length is private, so the bytes in use never
/// exceed the storage: set() and append() refuse what does not fit and
/// leave the value unchanged. Equality compares the bytes in use only.
template <std::size_t N>
class small_bytes {
    using size_type =
        std::conditional_t<(N <= 0xff), std::uint8_t, std::conditional_t<(N <= 0xffff), std::uint16_t, std::size_t>>;

public:
    constexpr small_bytes() noexcept = default;

    /// The most bytes it holds.
    [[nodiscard]] static constexpr std::size_t capacity() noexcept { return N; }
    /// Bytes in use.
    [[nodiscard]] constexpr std::size_t size() const noexcept { return len_; }
    /// True when no byte is in use.
    [[nodiscard]] constexpr bool empty() const noexcept { return len_ == 0; }
    /// The bytes in use.
    [[nodiscard]] constexpr rawpkt::bytes bytes() const noexcept { return rawpkt::bytes{data_.data(), len_}; }
    /// Byte i < size().
    [[nodiscard]] constexpr std::byte operator[](std::size_t i) const noexcept {
        detail::bounds_check(len_, i, 1);
        return data_[i];
    }

    /// Replaces the bytes with `b`; false (and no change) if `b` is longer
    /// than capacity().
    [[nodiscard]] constexpr bool set(rawpkt::bytes b) noexcept {
        if (b.size() > N) return false;
        for (std::size_t i = 0; i < b.size(); ++i) data_[i] = b[i];
        len_ = static_cast<size_type>(b.size());
        return true;
    }
    /// Appends `b`; false (and no change) if the result would not fit.
    [[nodiscard]] constexpr bool append(rawpkt::bytes b) noexcept {
        if (b.size() > N - len_) return false;
        for (std::size_t i = 0; i < b.size(); ++i) data_[len_ + i] = b[i];
        len_ = static_cast<size_type>(len_ + b.size());
        return true;
    }
    /// Appends one byte; false (and no change) when full.
    [[nodiscard]] constexpr bool push_back(std::byte v) noexcept {
        if (len_ == N) return false;
        data_[len_] = v;
        len_ = static_cast<size_type>(len_ + 1);
        return true;
    }
    /// Drops every byte (size() becomes 0).
    constexpr void clear() noexcept { len_ = 0; }

    friend constexpr bool operator==(const small_bytes& a, const small_bytes& b) noexcept {
        if (a.len_ != b.len_) return false;
        for (std::size_t i = 0; i < a.len_; ++i)
            if (a.data_[i] != b.data_[i]) return false;
        return true;
    }

private:
    std::array<std::byte, N> data_{};
    size_type len_ = 0;
};

/// Byte spans over typed storage, for tests and users building in arrays.
template <std::size_t N>
[[nodiscard]] constexpr bytes as_bytes(const std::array<std::byte, N>& a) noexcept {
    return bytes{a.data(), N};
}
template <std::size_t N>
/// The same, writable.
[[nodiscard]] constexpr mut_bytes as_mut_bytes(std::array<std::byte, N>& a) noexcept {
    return mut_bytes{a.data(), N};
}

/// Builds a std::array<std::byte, N> from integer literals:
/// `constexpr auto pkt = make_bytes(0x45, 0x00, ...);`
template <class... T>
[[nodiscard]] constexpr std::array<std::byte, sizeof...(T)> make_bytes(T... v) noexcept {
    return {static_cast<std::byte>(v)...};
}

namespace detail {
constexpr char hex_digit(unsigned v) noexcept { return "0123456789abcdef"[v & 0xfu]; }
constexpr int hex_value(char c) noexcept {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}
} // namespace detail

/// A 48-bit IEEE 802 MAC address.
struct mac_address {
    std::array<std::uint8_t, 6> octets{}; ///< in network order, as on the wire

    static constexpr std::size_t size = 6; ///< bytes on the wire

    /// Reads the address at `offset` of `b` (bounds checked in debug builds).
    [[nodiscard]] static constexpr mac_address load(bytes b, std::size_t offset) noexcept {
        detail::bounds_check(b.size(), offset, size);
        mac_address m;
        for (std::size_t i = 0; i < size; ++i) m.octets[i] = std::to_integer<std::uint8_t>(b[offset + i]);
        return m;
    }
    /// Writes the address at `offset` of `b` (bounds checked in debug builds).
    constexpr void store(mut_bytes b, std::size_t offset) const noexcept {
        detail::bounds_check(b.size(), offset, size);
        for (std::size_t i = 0; i < size; ++i) b[offset + i] = static_cast<std::byte>(octets[i]);
    }
    /// ff:ff:ff:ff:ff:ff.
    [[nodiscard]] static constexpr mac_address broadcast() noexcept { return {{0xff, 0xff, 0xff, 0xff, 0xff, 0xff}}; }
    /// True for ff:ff:ff:ff:ff:ff.
    [[nodiscard]] constexpr bool is_broadcast() const noexcept { return *this == broadcast(); }
    /// I/G bit (IEEE 802-2014 §8.2): group addresses include broadcast.
    [[nodiscard]] constexpr bool is_multicast() const noexcept { return (octets[0] & 0x01u) != 0; }
    /// True when the I/G bit is clear (an individual address).
    [[nodiscard]] constexpr bool is_unicast() const noexcept { return !is_multicast(); }
    /// U/L bit: set for locally administered addresses.
    [[nodiscard]] constexpr bool is_local() const noexcept { return (octets[0] & 0x02u) != 0; }

    /// Parses "aa:bb:cc:dd:ee:ff" (also with '-'); false on any other form.
    [[nodiscard]] static constexpr bool parse(std::string_view s, mac_address& out) noexcept {
        if (s.size() != 17) return false;
        for (std::size_t i = 0; i < size; ++i) {
            const int hi = detail::hex_value(s[i * 3]);
            const int lo = detail::hex_value(s[i * 3 + 1]);
            if (hi < 0 || lo < 0) return false;
            if (i < 5 && s[i * 3 + 2] != ':' && s[i * 3 + 2] != '-') return false;
            out.octets[i] = static_cast<std::uint8_t>(hi * 16 + lo);
        }
        return true;
    }
    /// Writes "aa:bb:cc:dd:ee:ff" (17 chars, no terminator) into `out`.
    constexpr char* format_to(char* out) const noexcept {
        for (std::size_t i = 0; i < size; ++i) {
            if (i) *out++ = ':';
            *out++ = detail::hex_digit(octets[i] >> 4u);
            *out++ = detail::hex_digit(octets[i]);
        }
        return out;
    }
    /// "aa:bb:cc:dd:ee:ff", lower case.
    [[nodiscard]] std::string to_string() const {
        std::array<char, 17> s{};
        format_to(s.data());
        return {s.data(), s.size()};
    }
    friend constexpr bool operator==(const mac_address&, const mac_address&) = default;
    friend constexpr auto operator<=>(const mac_address&, const mac_address&) = default;
};

/// An IPv4 address in network order (octets[0] is the first dotted number).
struct ipv4_address {
    std::array<std::uint8_t, 4> octets{}; ///< in network order: octets[0] is the first of the dotted quad

    static constexpr std::size_t size = 4; ///< bytes on the wire

    /// From a 32-bit number in host order (0x7f000001 is 127.0.0.1).
    [[nodiscard]] static constexpr ipv4_address from_u32(std::uint32_t host_order) noexcept {
        return {{static_cast<std::uint8_t>(host_order >> 24), static_cast<std::uint8_t>(host_order >> 16),
                 static_cast<std::uint8_t>(host_order >> 8), static_cast<std::uint8_t>(host_order)}};
    }
    /// As a 32-bit number in host order.
    [[nodiscard]] constexpr std::uint32_t to_u32() const noexcept {
        return (std::uint32_t{octets[0]} << 24) | (std::uint32_t{octets[1]} << 16) | (std::uint32_t{octets[2]} << 8) |
               std::uint32_t{octets[3]};
    }
    /// Reads the address at `offset` of `b` (bounds checked in debug builds).
    [[nodiscard]] static constexpr ipv4_address load(bytes b, std::size_t offset) noexcept {
        return from_u32(load_be<std::uint32_t>(b, offset));
    }
    /// Writes the address at `offset` of `b` (bounds checked in debug builds).
    constexpr void store(mut_bytes b, std::size_t offset) const noexcept {
        store_be<std::uint32_t>(b, offset, to_u32());
    }
    /// 0.0.0.0 (RFC 1122 §3.2.1.3).
    [[nodiscard]] constexpr bool is_unspecified() const noexcept { return to_u32() == 0; }
    /// 127.0.0.0/8 (RFC 1122 §3.2.1.3).
    [[nodiscard]] constexpr bool is_loopback() const noexcept { return octets[0] == 127; }
    /// 224.0.0.0/4 (RFC 5771).
    [[nodiscard]] constexpr bool is_multicast() const noexcept { return (octets[0] & 0xf0u) == 0xe0u; }
    /// 255.255.255.255, the limited broadcast (RFC 919).
    [[nodiscard]] constexpr bool is_broadcast() const noexcept { return to_u32() == 0xffffffffu; }

    /// Parses dotted-quad "a.b.c.d" (no leading '+', each part 0..255).
    [[nodiscard]] static constexpr bool parse(std::string_view s, ipv4_address& out) noexcept {
        std::size_t part = 0;
        unsigned value = 0;
        std::size_t digits = 0;
        for (std::size_t i = 0; i <= s.size(); ++i) {
            if (i == s.size() || s[i] == '.') {
                if (digits == 0 || part > 3) return false;
                out.octets[part++] = static_cast<std::uint8_t>(value);
                value = 0;
                digits = 0;
            } else if (s[i] >= '0' && s[i] <= '9') {
                value = value * 10 + static_cast<unsigned>(s[i] - '0');
                if (++digits > 3 || value > 255) return false;
            } else {
                return false;
            }
        }
        return part == 4;
    }
    /// Writes the dotted quad (at most 15 chars, no terminator) into `out`.
    constexpr char* format_to(char* out) const noexcept {
        for (std::size_t i = 0; i < size; ++i) {
            if (i) *out++ = '.';
            const unsigned v = octets[i];
            if (v >= 100) *out++ = static_cast<char>('0' + v / 100);
            if (v >= 10) *out++ = static_cast<char>('0' + v / 10 % 10);
            *out++ = static_cast<char>('0' + v % 10);
        }
        return out;
    }
    /// Dotted quad, "192.0.2.1".
    [[nodiscard]] std::string to_string() const {
        std::array<char, 15> s{};
        const char* end = format_to(s.data());
        return {s.data(), static_cast<std::size_t>(end - s.data())};
    }
    friend constexpr bool operator==(const ipv4_address&, const ipv4_address&) = default;
    friend constexpr auto operator<=>(const ipv4_address&, const ipv4_address&) = default;
};

/// An IPv6 address in network order.
struct ipv6_address {
    std::array<std::uint8_t, 16> octets{}; ///< in network order, as on the wire

    static constexpr std::size_t size = 16; ///< bytes on the wire

    /// Reads the address at `offset` of `b` (bounds checked in debug builds).
    [[nodiscard]] static constexpr ipv6_address load(bytes b, std::size_t offset) noexcept {
        detail::bounds_check(b.size(), offset, size);
        ipv6_address a;
        for (std::size_t i = 0; i < size; ++i) a.octets[i] = std::to_integer<std::uint8_t>(b[offset + i]);
        return a;
    }
    /// Writes the address at `offset` of `b` (bounds checked in debug builds).
    constexpr void store(mut_bytes b, std::size_t offset) const noexcept {
        detail::bounds_check(b.size(), offset, size);
        for (std::size_t i = 0; i < size; ++i) b[offset + i] = static_cast<std::byte>(octets[i]);
    }
    /// The 16-bit group i (0 to 7), in host order.
    [[nodiscard]] constexpr std::uint16_t group(std::size_t i) const noexcept {
        return static_cast<std::uint16_t>((octets[2 * i] << 8) | octets[2 * i + 1]);
    }
    /// The unspecified address `::` (RFC 4291 §2.5.2).
    [[nodiscard]] constexpr bool is_unspecified() const noexcept { return *this == ipv6_address{}; }
    /// The loopback address `::1` (RFC 4291 §2.5.3).
    [[nodiscard]] constexpr bool is_loopback() const noexcept {
        ipv6_address lo{};
        lo.octets[15] = 1;
        return *this == lo;
    }
    /// ff00::/8 (RFC 4291 §2.7).
    [[nodiscard]] constexpr bool is_multicast() const noexcept { return octets[0] == 0xff; }
    /// fe80::/10 (RFC 4291 §2.5.6).
    [[nodiscard]] constexpr bool is_link_local() const noexcept {
        return octets[0] == 0xfe && (octets[1] & 0xc0u) == 0x80u;
    }
    /// An IPv4-mapped address, 0:0:0:0:0:ffff:a.b.c.d (RFC 4291 §2.5.5.2).
    [[nodiscard]] constexpr bool is_v4_mapped() const noexcept {
        for (std::size_t i = 0; i < 10; ++i)
            if (octets[i] != 0) return false;
        return octets[10] == 0xff && octets[11] == 0xff;
    }

    /// Parses the RFC 4291 §2.2 text forms, including "::" compression and a
    /// trailing dotted quad; false on anything else.
    [[nodiscard]] static constexpr bool parse(std::string_view s, ipv6_address& out) noexcept {
        std::array<std::uint16_t, 8> groups{};
        std::size_t n = 0;
        std::size_t gap = 9; // index in `groups` where "::" stands; 9 = none
        std::size_t i = 0;
        if (s.size() >= 2 && s[0] == ':' && s[1] == ':') {
            gap = 0;
            i = 2;
            if (s.size() == 2) {
                out = {};
                return true;
            }
        } else if (!s.empty() && s[0] == ':') {
            return false;
        }
        while (i < s.size()) {
            // A dotted quad may end the address.
            std::size_t j = i;
            while (j < s.size() && s[j] != ':' && s[j] != '.') ++j;
            if (j < s.size() && s[j] == '.') {
                ipv4_address v4;
                if (n > 6 || !ipv4_address::parse(s.substr(i), v4)) return false;
                groups[n++] = static_cast<std::uint16_t>((v4.octets[0] << 8) | v4.octets[1]);
                groups[n++] = static_cast<std::uint16_t>((v4.octets[2] << 8) | v4.octets[3]);
                i = s.size();
                break;
            }
            if (j == i || j - i > 4 || n >= 8) return false;
            unsigned v = 0;
            for (std::size_t k = i; k < j; ++k) {
                const int h = detail::hex_value(s[k]);
                if (h < 0) return false;
                v = v * 16 + static_cast<unsigned>(h);
            }
            groups[n++] = static_cast<std::uint16_t>(v);
            i = j;
            if (i == s.size()) break;
            ++i; // skip ':'
            if (i < s.size() && s[i] == ':') {
                if (gap != 9) return false;
                gap = n;
                ++i;
            } else if (i == s.size()) {
                return false; // trailing single ':'
            }
        }
        if (gap == 9 && n != 8) return false;
        if (gap != 9 && n > 7) return false;
        std::array<std::uint16_t, 8> full{};
        if (gap == 9) {
            full = groups;
        } else {
            for (std::size_t k = 0; k < gap; ++k) full[k] = groups[k];
            const std::size_t tail = n - gap;
            for (std::size_t k = 0; k < tail; ++k) full[8 - tail + k] = groups[gap + k];
        }
        for (std::size_t k = 0; k < 8; ++k) {
            out.octets[2 * k] = static_cast<std::uint8_t>(full[k] >> 8);
            out.octets[2 * k + 1] = static_cast<std::uint8_t>(full[k]);
        }
        return true;
    }

    /// Writes the RFC 5952 canonical text form (at most 45 chars, no
    /// terminator) into `out`: lowercase, longest run of two or more zero
    /// groups compressed to "::", IPv4-mapped addresses with a dotted quad.
    constexpr char* format_to(char* out) const noexcept {
        std::size_t best_start = 8, best_len = 0;
        for (std::size_t k = 0; k < 8;) {
            if (group(k) != 0) {
                ++k;
                continue;
            }
            std::size_t e = k;
            while (e < 8 && group(e) == 0) ++e;
            if (e - k > best_len && e - k >= 2) {
                best_start = k;
                best_len = e - k;
            }
            k = e;
        }
        const bool mapped = is_v4_mapped();
        const std::size_t last = mapped ? 6 : 8;
        if (mapped) {
            best_start = 0;
            best_len = 5;
        }
        for (std::size_t k = 0; k < last;) {
            if (k == best_start) {
                *out++ = ':';
                *out++ = ':';
                k += best_len;
                continue;
            }
            if (k != 0 && k != best_start + best_len) *out++ = ':';
            const unsigned g = group(k);
            bool started = false;
            for (int shift = 12; shift >= 0; shift -= 4) {
                const unsigned d = (g >> static_cast<unsigned>(shift)) & 0xfu;
                if (d != 0 || started || shift == 0) {
                    *out++ = detail::hex_digit(d);
                    started = true;
                }
            }
            ++k;
        }
        if (mapped) {
            if (best_start + best_len != 6) *out++ = ':';
            const ipv4_address v4{{octets[12], octets[13], octets[14], octets[15]}};
            out = v4.format_to(out);
        }
        return out;
    }
    /// RFC 5952 text ("2001:db8::1"; an IPv4-mapped address ends in the dotted quad).
    [[nodiscard]] std::string to_string() const {
        std::array<char, 45> s{};
        const char* end = format_to(s.data());
        return {s.data(), static_cast<std::size_t>(end - s.data())};
    }
    friend constexpr bool operator==(const ipv6_address&, const ipv6_address&) = default;
    friend constexpr auto operator<=>(const ipv6_address&, const ipv6_address&) = default;
};

/// The two address families an IP pseudo header is made of.
template <class A>
concept ip_address = std::same_as<A, ipv4_address> || std::same_as<A, ipv6_address>;

} // namespace rawpkt
