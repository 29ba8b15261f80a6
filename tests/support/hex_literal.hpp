// SPDX-License-Identifier: BSD-3-Clause
// Compile-time hex byte literals for tests and benchmarks: "45 00 ..."_hex.
#pragma once

#include <rawpkt/bytes.hpp>

#include <array>
#include <cstddef>
#include <vector>

namespace rawpkt::test {

/// A string literal usable as a template argument.
template <std::size_t N>
struct fixed_string {
    char chars[N]{};
    constexpr fixed_string(const char (&s)[N]) noexcept {
        for (std::size_t i = 0; i < N; ++i) chars[i] = s[i];
    }
};

constexpr int hex_nibble(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

template <fixed_string S>
constexpr std::size_t hex_count() {
    std::size_t digits = 0;
    for (char c : S.chars) {
        if (hex_nibble(c) >= 0) ++digits;
    }
    return digits / 2;
}

/// "45 00 00 1c ..."_hex: hex digits, anything else (spaces, newlines) ignored.
template <fixed_string S>
constexpr auto operator""_hex() {
    std::array<std::byte, hex_count<S>()> out{};
    std::size_t n = 0;
    int hi = -1;
    for (char c : S.chars) {
        const int v = hex_nibble(c);
        if (v < 0) continue;
        if (hi < 0) {
            hi = v;
        } else {
            out[n++] = static_cast<std::byte>(hi * 16 + v);
            hi = -1;
        }
    }
    return out;
}

/// A copy of some bytes, for tests that edit a packet.
template <std::size_t N>
std::vector<std::byte> copy_of(const std::array<std::byte, N>& a) {
    return {a.begin(), a.end()};
}

} // namespace rawpkt::test
