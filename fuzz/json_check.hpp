// SPDX-License-Identifier: BSD-3-Clause
// A strict JSON checker (RFC 8259) for what fuzz_format prints: objects,
// arrays, strings, numbers, true/false/null, and UTF-8 as RFC 3629 §4
// defines it (no overlong forms, no surrogates, nothing above U+10FFFF).
// Each check returns nullptr when the text is well formed, else what is
// wrong.
#pragma once

#include <cstddef>
#include <string_view>

namespace rawpkt::fuzz::json_check {

namespace detail {

struct parser {
    std::string_view s;
    std::size_t at = 0;
    const char* error = nullptr;
    int depth = 0;

    bool fail(const char* why) {
        if (error == nullptr) error = why;
        return false;
    }
    [[nodiscard]] bool more() const { return at < s.size(); }
    [[nodiscard]] unsigned char peek() const { return static_cast<unsigned char>(s[at]); }
    [[nodiscard]] unsigned char byte_at(std::size_t i) const {
        return i < s.size() ? static_cast<unsigned char>(s[i]) : 0;
    }

    void skip_space() {
        while (more() && (peek() == ' ' || peek() == '\t' || peek() == '\n' || peek() == '\r')) ++at;
    }

    /// One UTF-8 sequence of two to four bytes (RFC 3629 §4).
    bool utf8() {
        const unsigned char c = peek();
        const unsigned char c1 = byte_at(at + 1);
        std::size_t n = 0;
        unsigned char lo = 0x80;
        unsigned char hi = 0xbf;
        if (c >= 0xc2 && c <= 0xdf) {
            n = 2;
        } else if (c >= 0xe0 && c <= 0xef) {
            n = 3;
            if (c == 0xe0) lo = 0xa0; // no overlong forms
            if (c == 0xed) hi = 0x9f; // no surrogates
        } else if (c >= 0xf0 && c <= 0xf4) {
            n = 4;
            if (c == 0xf0) lo = 0x90; // no overlong forms
            if (c == 0xf4) hi = 0x8f; // nothing above U+10FFFF
        } else {
            return fail("invalid UTF-8 lead byte in a JSON string");
        }
        if (c1 < lo || c1 > hi) return fail("invalid UTF-8 sequence in a JSON string");
        for (std::size_t k = 2; k < n; ++k) {
            if ((byte_at(at + k) & 0xc0) != 0x80) return fail("invalid UTF-8 continuation in a JSON string");
        }
        at += n;
        return true;
    }

    bool string() {
        if (!more() || peek() != '"') return fail("a JSON string does not start with a quote");
        ++at;
        while (more()) {
            const unsigned char c = peek();
            if (c == '"') {
                ++at;
                return true;
            }
            if (c < 0x20) return fail("an unescaped control character in a JSON string");
            if (c == '\\') {
                const unsigned char e = byte_at(at + 1);
                if (e == 'u') {
                    for (std::size_t k = 2; k < 6; ++k) {
                        const unsigned char h = byte_at(at + k);
                        const bool hex = (h >= '0' && h <= '9') || (h >= 'a' && h <= 'f') || (h >= 'A' && h <= 'F');
                        if (!hex) return fail("a \\u escape without four hex digits in a JSON string");
                    }
                    at += 6;
                } else if (e == '"' || e == '\\' || e == '/' || e == 'b' || e == 'f' || e == 'n' || e == 'r' ||
                           e == 't') {
                    at += 2;
                } else {
                    return fail("an invalid escape in a JSON string");
                }
                continue;
            }
            if (c < 0x80) {
                ++at;
                continue;
            }
            if (!utf8()) return false;
        }
        return fail("an unterminated JSON string");
    }

    bool digits() {
        const std::size_t start = at;
        while (more() && peek() >= '0' && peek() <= '9') ++at;
        return at > start;
    }

    bool number() {
        if (more() && peek() == '-') ++at;
        if (more() && peek() == '0') {
            ++at;
        } else if (!digits()) {
            return fail("a JSON number without digits");
        }
        if (more() && peek() == '.') {
            ++at;
            if (!digits()) return fail("a JSON number without digits after the point");
        }
        if (more() && (peek() == 'e' || peek() == 'E')) {
            ++at;
            if (more() && (peek() == '+' || peek() == '-')) ++at;
            if (!digits()) return fail("a JSON number without exponent digits");
        }
        return true;
    }

    bool literal(std::string_view word) {
        if (s.substr(at, word.size()) != word) return fail("an invalid JSON literal");
        at += word.size();
        return true;
    }

    /// A list of `item`s after the opening bracket at `at`, separated by
    /// commas, up to `close`.
    template <class Item>
    bool list(char close, Item item) {
        if (++depth > 64) return fail("JSON nested too deeply");
        ++at;
        skip_space();
        if (more() && peek() == static_cast<unsigned char>(close)) {
            ++at;
            --depth;
            return true;
        }
        for (;;) {
            if (!item()) return false;
            skip_space();
            if (!more()) return fail("an unterminated JSON object or array");
            if (peek() == static_cast<unsigned char>(close)) {
                ++at;
                --depth;
                return true;
            }
            if (peek() != ',') return fail("a missing comma in a JSON object or array");
            ++at;
            skip_space();
        }
    }

    bool value() {
        skip_space();
        if (!more()) return fail("a missing JSON value");
        switch (peek()) {
        case '{':
            return list('}', [this] {
                if (!string()) return false;
                skip_space();
                if (!more() || peek() != ':') return fail("a missing colon in a JSON object");
                ++at;
                return value();
            });
        case '[': return list(']', [this] { return value(); });
        case '"': return string();
        case 't': return literal("true");
        case 'f': return literal("false");
        case 'n': return literal("null");
        default: return number();
        }
    }
};

} // namespace detail

/// nullptr when `s` is exactly one JSON string (quotes included).
[[nodiscard]] inline const char* string(std::string_view s) {
    detail::parser p{s};
    if (!p.string()) return p.error;
    return p.at == s.size() ? nullptr : "text after a JSON string";
}

/// nullptr when `s` is exactly one JSON object.
[[nodiscard]] inline const char* object(std::string_view s) {
    detail::parser p{s};
    if (s.empty() || s.front() != '{') return "the JSON text is not an object";
    if (!p.value()) return p.error;
    return p.at == s.size() ? nullptr : "text after the JSON object";
}

} // namespace rawpkt::fuzz::json_check
