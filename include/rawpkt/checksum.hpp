// SPDX-License-Identifier: BSD-3-Clause
/// \file
/// The Internet checksum (RFC 1071): an accumulator that takes bytes of any
/// length and alignment across calls, IPv4/IPv6 pseudo headers, and the
/// RFC 1624 incremental update.
///
/// At run time the sum uses wide accumulators, and AVX2 on x86-64 CPUs that
/// have it (checked once per call with __builtin_cpu_supports); in constant
/// expressions a plain 16-bit loop gives the same value. The result is
/// identical for every offset and length: the tests compare all paths.
#pragma once

#include <rawpkt/bytes.hpp>
#include <rawpkt/packet/numbers.hpp>

#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstring>

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__)) && !defined(RAWPKT_NO_SIMD)
#include <immintrin.h>
#define RAWPKT_CHECKSUM_AVX2 1
#else
#define RAWPKT_CHECKSUM_AVX2 0
#endif

namespace rawpkt::checksum {

namespace detail {

/// Folds a 64-bit one's-complement sum to 16 bits (end-around carry).
constexpr std::uint16_t fold(std::uint64_t s) noexcept {
    s = (s & 0xffffffffu) + (s >> 32);
    s = (s & 0xffffffffu) + (s >> 32);
    s = (s & 0xffffu) + (s >> 16);
    s = (s & 0xffffu) + (s >> 16);
    return static_cast<std::uint16_t>(s);
}

constexpr std::uint16_t swap16(std::uint16_t v) noexcept { return static_cast<std::uint16_t>((v << 8) | (v >> 8)); }

/// Sum of big-endian 16-bit words, a trailing odd byte padded with zero.
/// The reference: plain, constexpr, and what every fast path must equal.
constexpr std::uint64_t sum_reference(bytes b) noexcept {
    std::uint64_t s = 0;
    std::size_t i = 0;
    for (; i + 1 < b.size(); i += 2) s += load_be<std::uint16_t>(b, i);
    if (i < b.size()) s += std::uint64_t{std::to_integer<std::uint8_t>(b[i])} << 8;
    return s;
}

/// Portable fast sum in native byte order: 32-bit loads into four 64-bit
/// accumulators (no carries to track: 2^32 additions cannot overflow).
/// Valid because 2^16 == 1 modulo 0xffff (RFC 1071 §2(B)).
inline std::uint64_t sum_native_scalar(const std::byte* p, std::size_t n) noexcept {
    std::uint64_t a0 = 0, a1 = 0, a2 = 0, a3 = 0;
    while (n >= 16) {
        std::uint32_t w[4];
        std::memcpy(w, p, 16);
        a0 += w[0];
        a1 += w[1];
        a2 += w[2];
        a3 += w[3];
        p += 16;
        n -= 16;
    }
    while (n >= 4) {
        std::uint32_t w;
        std::memcpy(&w, p, 4);
        a0 += w;
        p += 4;
        n -= 4;
    }
    if (n >= 2) {
        std::uint16_t w;
        std::memcpy(&w, p, 2);
        a1 += w;
        p += 2;
        n -= 2;
    }
    if (n == 1) {
        // The odd byte is the first (most significant in network order) byte
        // of a zero-padded word, i.e. the byte at the lower address.
        std::uint16_t w = 0;
        std::memcpy(&w, p, 1);
        a2 += w;
    }
    return a0 + a1 + a2 + a3;
}

#if RAWPKT_CHECKSUM_AVX2
/// AVX2 sum in native byte order. Each 32-bit lane takes the low and the high
/// 16-bit halves into separate accumulators, which are widened to 64-bit
/// lanes before they could overflow (every 2^15 iterations).
__attribute__((target("avx2"))) inline std::uint64_t sum_native_avx2(const std::byte* p, std::size_t n) noexcept {
    const __m256i low16 = _mm256_set1_epi32(0xffff);
    const __m256i low32 = _mm256_set1_epi64x(0xffffffff);
    __m256i wide = _mm256_setzero_si256();
    constexpr std::size_t block_iterations = 1u << 15;
    while (n >= 64) {
        __m256i lo0 = _mm256_setzero_si256(), hi0 = _mm256_setzero_si256();
        __m256i lo1 = _mm256_setzero_si256(), hi1 = _mm256_setzero_si256();
        std::size_t k = 0;
        for (; n >= 64 && k < block_iterations; ++k, p += 64, n -= 64) {
            const __m256i v0 = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p));
            const __m256i v1 = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p + 32));
            lo0 = _mm256_add_epi32(lo0, _mm256_and_si256(v0, low16));
            hi0 = _mm256_add_epi32(hi0, _mm256_srli_epi32(v0, 16));
            lo1 = _mm256_add_epi32(lo1, _mm256_and_si256(v1, low16));
            hi1 = _mm256_add_epi32(hi1, _mm256_srli_epi32(v1, 16));
        }
        // Each lane holds at most 2^15 * 0xffff: the sum of four fits 2^33
        // in 64-bit lanes once split at 32 bits.
        const __m256i s0 = _mm256_add_epi32(lo0, lo1); // < 2^32
        const __m256i s1 = _mm256_add_epi32(hi0, hi1); // < 2^32
        wide = _mm256_add_epi64(wide, _mm256_and_si256(s0, low32));
        wide = _mm256_add_epi64(wide, _mm256_srli_epi64(s0, 32));
        wide = _mm256_add_epi64(wide, _mm256_and_si256(s1, low32));
        wide = _mm256_add_epi64(wide, _mm256_srli_epi64(s1, 32));
    }
    alignas(32) std::uint64_t lanes[4];
    _mm256_store_si256(reinterpret_cast<__m256i*>(lanes), wide);
    // The high halves were shifted down by 16 bits: multiplying by 2^16 is
    // the identity modulo 0xffff, so they add in unchanged.
    return lanes[0] + lanes[1] + lanes[2] + lanes[3] + sum_native_scalar(p, n);
}
#endif

/// Native-order sum of any buffer, picking the fastest available kernel.
inline std::uint64_t sum_native(const std::byte* p, std::size_t n) noexcept {
#if RAWPKT_CHECKSUM_AVX2
    if (n >= 128 && __builtin_cpu_supports("avx2")) return sum_native_avx2(p, n);
#endif
    return sum_native_scalar(p, n);
}

/// Folded sum of big-endian 16-bit words, as sum_reference() but fast.
constexpr std::uint16_t sum_be(bytes b) noexcept {
    if (std::is_constant_evaluated()) return fold(sum_reference(b));
    const std::uint16_t s = fold(sum_native(b.data(), b.size()));
    if constexpr (std::endian::native == std::endian::little) return swap16(s);
    return s;
}

} // namespace detail

/// Accumulates the one's-complement sum of a byte stream given in pieces of
/// any length: an odd-length piece carries its odd byte into the next one.
class accumulator {
public:
    constexpr accumulator() noexcept = default;

    /// Adds bytes that follow everything added so far.
    constexpr accumulator& add(bytes b) noexcept {
        if (b.empty()) return *this;
        std::uint16_t s = detail::sum_be(b);
        // After an odd number of bytes, this piece starts in the low half of
        // a word: byte-swapping its sum puts it there (RFC 1071 §2(B)).
        if (odd_) s = detail::swap16(s);
        sum_ += s;
        odd_ ^= (b.size() & 1u) != 0;
        return *this;
    }
    /// Adds a 16-bit word in host order, as if it were two network-order bytes.
    constexpr accumulator& add_u16(std::uint16_t v) noexcept {
        sum_ += odd_ ? detail::swap16(v) : v;
        return *this;
    }
    /// Adds a 32-bit word in host order, as if it were four network-order bytes.
    constexpr accumulator& add_u32(std::uint32_t v) noexcept {
        add_u16(static_cast<std::uint16_t>(v >> 16));
        return add_u16(static_cast<std::uint16_t>(v));
    }
    /// IPv4 pseudo header (RFC 793 §3.1, RFC 768): source, destination,
    /// zero, protocol, upper-layer length.
    constexpr accumulator& add_pseudo_header(const ipv4_address& src, const ipv4_address& dst, ip_proto proto,
                                             std::uint16_t upper_len) noexcept {
        add_u32(src.to_u32());
        add_u32(dst.to_u32());
        add_u16(static_cast<std::uint8_t>(proto));
        return add_u16(upper_len);
    }
    /// IPv6 pseudo header (RFC 8200 §8.1): source, destination, 32-bit
    /// upper-layer length, three zero bytes, next header.
    constexpr accumulator& add_pseudo_header(const ipv6_address& src, const ipv6_address& dst, ip_proto next,
                                             std::uint32_t upper_len) noexcept {
        for (std::size_t i = 0; i < 8; ++i) add_u16(src.group(i));
        for (std::size_t i = 0; i < 8; ++i) add_u16(dst.group(i));
        add_u32(upper_len);
        return add_u16(static_cast<std::uint8_t>(next));
    }

    /// The folded (not complemented) sum.
    [[nodiscard]] constexpr std::uint16_t sum() const noexcept { return detail::fold(sum_); }
    /// The checksum field value: the complement of the folded sum.
    [[nodiscard]] constexpr std::uint16_t finish() const noexcept {
        return static_cast<std::uint16_t>(~detail::fold(sum_));
    }
    /// True when the bytes added include a correct checksum field: their
    /// one's-complement sum is all ones (RFC 1071 §2(C)).
    [[nodiscard]] constexpr bool verifies() const noexcept { return sum() == 0xffff; }

private:
    std::uint64_t sum_ = 0;
    bool odd_ = false;
};

/// The Internet checksum of `b` (the value to put in a checksum field that
/// was zero while summing).
[[nodiscard]] constexpr std::uint16_t compute(bytes b) noexcept { return accumulator{}.add(b).finish(); }

/// Incremental update of a checksum field after one 16-bit word of the
/// covered data changed from `old_word` to `new_word` (RFC 1624 §3, eqn. 3:
/// HC' = ~(~HC + ~m + m')). All values in host order.
[[nodiscard]] constexpr std::uint16_t update(std::uint16_t checksum, std::uint16_t old_word,
                                             std::uint16_t new_word) noexcept {
    std::uint64_t s = static_cast<std::uint16_t>(~checksum);
    s += static_cast<std::uint16_t>(~old_word);
    s += new_word;
    return static_cast<std::uint16_t>(~detail::fold(s));
}

/// Incremental update for a changed 32-bit value (e.g. an IPv4 address).
[[nodiscard]] constexpr std::uint16_t update32(std::uint16_t checksum, std::uint32_t old_value,
                                               std::uint32_t new_value) noexcept {
    checksum =
        update(checksum, static_cast<std::uint16_t>(old_value >> 16), static_cast<std::uint16_t>(new_value >> 16));
    return update(checksum, static_cast<std::uint16_t>(old_value), static_cast<std::uint16_t>(new_value));
}

} // namespace rawpkt::checksum
