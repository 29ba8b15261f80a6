// SPDX-License-Identifier: BSD-3-Clause
/// \file
/// The Internet checksum (RFC 1071): an accumulator that takes bytes of any
/// length and alignment across calls, IPv4/IPv6 pseudo headers, and the
/// RFC 1624 incremental update.
///
/// How the sum is computed:
///
/// - In constant expressions, detail::sum_reference(): a plain loop over
///   big-endian 16-bit words. It is the definition every other path must
///   equal, and the tests compare them all against it.
/// - At run time the bytes are summed in host order and the folded result is
///   byte-swapped once (RFC 1071 §2(B): the sum is byte-order independent).
///   Three kernels do that, all exact sums of the same 16-bit words:
///   - sum_native_scalar(): 64-bit loads into four independent
///     add-with-carry accumulators; portable C++, used on every CPU for
///     short buffers and everywhere SIMD is not available.
///   - sum_native_avx2() and sum_native_avx512() (x86-64, GCC and clang):
///     each 16-bit word is XORed with 0x8000, which turns it into the signed
///     value w - 32768, and VPMADDWD against a vector of ones adds pairs of
///     those into 32-bit lanes (XOR, VPMADDWD and an add per vector; no
///     lane can overflow within a 64 KiB block). The bias is added back
///     once at the end: 32768 per word summed. The AVX-512 kernel reads the last partial
///     vector with a masked load (zeros past the end, no fault), so it has
///     no scalar tail.
/// - The kernel is picked per call from the length and
///   __builtin_cpu_supports (a load and a test of a flag word the runtime
///   fills at start-up); buffers shorter than simd_min_len never look at
///   the CPU flags.
///
/// The result is identical for every offset, length and kernel. Build with
/// RAWPKT_NO_SIMD defined to compile the scalar kernel only.
#pragma once

#include <rawpkt/bytes.hpp>
#include <rawpkt/packet/numbers.hpp>

#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <type_traits>

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__)) && !defined(RAWPKT_NO_SIMD)
#include <immintrin.h>
/// 1 when the x86-64 SIMD kernels (AVX2, AVX-512) are compiled in.
#define RAWPKT_CHECKSUM_X86_SIMD 1
#else
/// 0: only the portable kernels are compiled (another CPU, or RAWPKT_NO_SIMD).
#define RAWPKT_CHECKSUM_X86_SIMD 0
#endif
/// Kept for code that tests for the AVX2 kernel by this name.
#define RAWPKT_CHECKSUM_AVX2 RAWPKT_CHECKSUM_X86_SIMD

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

/// Unaligned host-order 64-bit load (one MOV on x86-64 and AArch64).
inline std::uint64_t load_u64(const std::byte* p) noexcept {
    std::uint64_t w = 0;
    std::memcpy(&w, p, sizeof w);
    return w;
}

/// Host-order sum of the n < 8 bytes at `p`, which start at an even offset
/// of the buffer being summed. Loads into zeroed integers through memcpy, so
/// the odd last byte lands where its zero-padded word has it on either byte
/// order.
inline std::uint64_t sum_tail8(const std::byte* p, std::size_t n) noexcept {
    std::uint64_t s = 0;
    if ((n & 4u) != 0) {
        std::uint32_t w = 0;
        std::memcpy(&w, p, 4);
        s += w;
        p += 4;
    }
    if ((n & 2u) != 0) {
        std::uint16_t w = 0;
        std::memcpy(&w, p, 2);
        s += w;
        p += 2;
    }
    if ((n & 1u) != 0) {
        std::uint16_t w = 0;
        std::memcpy(&w, p, 1);
        s += w;
    }
    return s;
}

/// Portable kernel: the host-order sum of the 16-bit words at `p`, as an
/// integer whose fold() is the one's-complement sum (zero only when every
/// byte is zero).
///
/// A 64-bit word holds four 16-bit words; since 2^16 == 1 and 2^64 == 1
/// modulo 0xffff, 64-bit words can be added with their carries counted
/// separately (RFC 1071 §2(C)). Four independent sum/carry pairs keep the
/// add chains apart; g++ and clang++ turn `s += w; c += s < w;` into
/// add + adc on x86-64.
inline std::uint64_t sum_native_scalar(const std::byte* p, std::size_t n) noexcept {
    std::uint64_t s0 = 0, s1 = 0, s2 = 0, s3 = 0;
    std::uint64_t c0 = 0, c1 = 0, c2 = 0, c3 = 0;
    const auto add = [](std::uint64_t& s, std::uint64_t& c, std::uint64_t w) {
        s += w;
        c += s < w ? 1u : 0u;
    };
    for (; n >= 32; n -= 32, p += 32) {
        add(s0, c0, load_u64(p));
        add(s1, c1, load_u64(p + 8));
        add(s2, c2, load_u64(p + 16));
        add(s3, c3, load_u64(p + 24));
    }
    // The last 0..31 bytes without a loop: short buffers (an IPv4 header is
    // 20 bytes) only take these branches.
    if ((n & 16u) != 0) {
        add(s0, c0, load_u64(p));
        add(s1, c1, load_u64(p + 8));
        p += 16;
    }
    if ((n & 8u) != 0) {
        add(s2, c2, load_u64(p));
        p += 8;
    }
    add(s3, c3, sum_tail8(p, n & 7u));
    // Combine the four sums, counting their carries with the others; every
    // carry out of bit 63 is worth 2^64, i.e. 1. Then split the 64-bit sum
    // at 32 bits (2^32 == 1 modulo 0xffff too).
    std::uint64_t c = (c0 + c1) + (c2 + c3);
    add(s0, c, s1);
    add(s2, c, s3);
    add(s0, c, s2);
    return (s0 & 0xffffffffu) + (s0 >> 32) + c;
}

/// Buffers shorter than this are summed by the scalar kernel without looking
/// at the CPU: below it the SIMD set-up and final reduction cost about as
/// much as they save.
inline constexpr std::size_t simd_min_len = 64;

/// The SIMD kernels sum at most this many bytes into 32-bit lanes before
/// reducing them: 2^15 biased words of magnitude <= 2^15 sum to at most
/// 2^30, so neither a lane nor the reduction of all lanes can overflow.
inline constexpr std::size_t simd_block_len = std::size_t{1} << 16;

#if RAWPKT_CHECKSUM_X86_SIMD

/// True when the CPU (and the OS, for the wider registers) supports the
/// kernel. Compiled-in target options make them constant.
inline bool cpu_has_avx2() noexcept {
#if defined(__AVX2__)
    return true;
#else
    return __builtin_cpu_supports("avx2");
#endif
}
inline bool cpu_has_avx512bw() noexcept {
#if defined(__AVX512BW__)
    return true;
#else
    return __builtin_cpu_supports("avx512bw");
#endif
}

/// Unaligned 32-byte load. The intrinsic takes an __m256i pointer: the cast
/// only passes the address on (VMOVDQU), no __m256i object is accessed.
__attribute__((target("avx2"))) inline __m256i load256(const std::byte* p) noexcept {
    return _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p));
}

/// Sum of the 8 32-bit lanes of a 256-bit vector.
__attribute__((target("avx2"))) inline std::int32_t reduce_add256(__m256i v) noexcept {
    __m128i h = _mm_add_epi32(_mm256_castsi256_si128(v), _mm256_extracti128_si256(v, 1));
    h = _mm_add_epi32(h, _mm_unpackhi_epi64(h, h));
    h = _mm_add_epi32(h, _mm_shuffle_epi32(h, 0xb1));
    return _mm_cvtsi128_si32(h);
}

/// Sum of the 16 32-bit lanes of a 512-bit vector: halve the width first
/// (the narrow steps are the short-latency ones). The zero-masking extract
/// with every lane selected is the plain instruction; g++ 12's unmasked
/// form (and _mm512_reduce_add_epi32) start from an "undefined" register
/// that trips -Wmaybe-uninitialized.
__attribute__((target("avx512bw"))) inline std::int32_t reduce_add512(__m512i v) noexcept {
    constexpr __mmask8 all = 0xff;
    return reduce_add256(
        _mm256_add_epi32(_mm512_maskz_extracti64x4_epi64(all, v, 0), _mm512_maskz_extracti64x4_epi64(all, v, 1)));
}

/// AVX2 kernel, same contract as sum_native_scalar(). 128 bytes per
/// iteration into four accumulators; the last < 32 bytes go to the scalar
/// kernel (they start at an even offset, so their words line up).
__attribute__((target("avx2"))) inline std::uint64_t sum_native_avx2(const std::byte* p, std::size_t n) noexcept {
    const __m256i bias = _mm256_set1_epi16(static_cast<short>(-0x8000));
    const __m256i ones = _mm256_set1_epi16(1);
    // Each vector contributes 16 words, each biased down by 0x8000.
    const std::uint64_t correction = std::uint64_t{n / 32} * (16u * 0x8000u);
    std::int64_t biased = 0;
    while (n >= 32) {
        std::size_t m = n < simd_block_len ? n & ~std::size_t{31} : simd_block_len;
        n -= m;
        __m256i a0 = _mm256_setzero_si256(), a1 = a0, a2 = a0, a3 = a0;
        for (; m >= 128; m -= 128, p += 128) {
            a0 = _mm256_add_epi32(a0, _mm256_madd_epi16(_mm256_xor_si256(load256(p), bias), ones));
            a1 = _mm256_add_epi32(a1, _mm256_madd_epi16(_mm256_xor_si256(load256(p + 32), bias), ones));
            a2 = _mm256_add_epi32(a2, _mm256_madd_epi16(_mm256_xor_si256(load256(p + 64), bias), ones));
            a3 = _mm256_add_epi32(a3, _mm256_madd_epi16(_mm256_xor_si256(load256(p + 96), bias), ones));
        }
        for (; m >= 32; m -= 32, p += 32) {
            a0 = _mm256_add_epi32(a0, _mm256_madd_epi16(_mm256_xor_si256(load256(p), bias), ones));
        }
        biased += reduce_add256(_mm256_add_epi32(_mm256_add_epi32(a0, a1), _mm256_add_epi32(a2, a3)));
    }
    // biased + correction is the exact, non-negative sum of the words.
    return static_cast<std::uint64_t>(biased) + correction + sum_native_scalar(p, n);
}

/// AVX-512 kernel, same contract as sum_native_scalar(). 256 bytes per
/// iteration into four accumulators, then whole vectors, then one masked
/// load for the last 1..63 bytes: the masked-off bytes read as zero (and
/// are not accessed), and the zero padding of an odd last byte is exactly
/// the padding RFC 1071 asks for.
__attribute__((target("avx512bw"))) inline std::uint64_t sum_native_avx512(const std::byte* p, std::size_t n) noexcept {
    const __m512i bias = _mm512_set1_epi16(static_cast<short>(-0x8000));
    const __m512i ones = _mm512_set1_epi16(1);
    // Every vector, the masked last one included, contributes 32 biased
    // words (padding words are 0, biased to -0x8000 like the others).
    const std::uint64_t correction = std::uint64_t{(n + 63) / 64} * (32u * 0x8000u);
    std::int64_t biased = 0;
    while (n != 0) {
        std::size_t m = n < simd_block_len ? n : simd_block_len;
        n -= m;
        __m512i a0 = _mm512_setzero_si512(), a1 = a0, a2 = a0, a3 = a0;
        for (; m >= 256; m -= 256, p += 256) {
            a0 = _mm512_add_epi32(a0, _mm512_madd_epi16(_mm512_xor_si512(_mm512_loadu_si512(p), bias), ones));
            a1 = _mm512_add_epi32(a1, _mm512_madd_epi16(_mm512_xor_si512(_mm512_loadu_si512(p + 64), bias), ones));
            a2 = _mm512_add_epi32(a2, _mm512_madd_epi16(_mm512_xor_si512(_mm512_loadu_si512(p + 128), bias), ones));
            a3 = _mm512_add_epi32(a3, _mm512_madd_epi16(_mm512_xor_si512(_mm512_loadu_si512(p + 192), bias), ones));
        }
        for (; m >= 64; m -= 64, p += 64) {
            a0 = _mm512_add_epi32(a0, _mm512_madd_epi16(_mm512_xor_si512(_mm512_loadu_si512(p), bias), ones));
        }
        if (m != 0) { // only in the last block: blocks are whole vectors
            const __mmask64 k = _cvtu64_mask64(~std::uint64_t{0} >> (64 - m));
            a1 = _mm512_add_epi32(a1, _mm512_madd_epi16(_mm512_xor_si512(_mm512_maskz_loadu_epi8(k, p), bias), ones));
            p += m;
        }
        biased += reduce_add512(_mm512_add_epi32(_mm512_add_epi32(a0, a1), _mm512_add_epi32(a2, a3)));
    }
    return static_cast<std::uint64_t>(biased) + correction;
}

#endif // RAWPKT_CHECKSUM_X86_SIMD

/// Host-order sum of any buffer by the fastest kernel the CPU has.
inline std::uint64_t sum_native(const std::byte* p, std::size_t n) noexcept {
#if RAWPKT_CHECKSUM_X86_SIMD
    if (n >= simd_min_len) {
        if (cpu_has_avx512bw()) return sum_native_avx512(p, n);
        if (cpu_has_avx2()) return sum_native_avx2(p, n);
    }
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
    /// one's-complement sum is all ones (RFC 1071 §1, step 3).
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
/// HC' = ~(~HC + ~m + m')). All values in host order. The result equals
/// recomputation whenever the covered data is not all zero afterwards (an
/// IP header never is, RFC 1624 §3); unlike RFC 1141's HC + m + ~m', it
/// never turns a recomputed 0x0000 into 0xffff (RFC 1624 §4).
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
