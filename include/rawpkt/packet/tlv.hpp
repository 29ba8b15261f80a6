// SPDX-License-Identifier: BSD-3-Clause
/// \file
/// The one iterator behind every list of type-length-value items that
/// rawpkt walks the same way: IPv4, TCP and IPv6 options, NDP options,
/// Geneve options, PPPoE discovery tags.
///
/// It yields `result<item>`: each item as the protocol's parse function
/// validated it, or that function's error, after which the iteration ends.
/// It never reads outside the area it is given (the parse functions check
/// every length against what is left) and always ends: an item that would
/// not move the position forward ends the iteration too.
#pragma once

#include <rawpkt/bytes.hpp>
#include <rawpkt/error.hpp>

#include <concepts>
#include <cstddef>
#include <cstdint>
#include <iterator>

namespace rawpkt::detail {

/// What a tlv_range needs from a protocol:
///
///     struct traits {
///         using item = ...;
///         // Validates the item at `pos` (< area.size()); `base` is added
///         // to the offsets it reports. A function or a pointer to one.
///         static constexpr result<item> parse(bytes area, std::size_t pos, std::size_t base) noexcept;
///         // Optional: where the item after `it`, found at `pos`, starts.
///         // By default pos + it.length (the item's whole length).
///         static constexpr std::size_t next(std::size_t pos, const item& it) noexcept;
///         // Optional: true for an item after which nothing is read (an
///         // end-of-list option). By default no item ends the list.
///         static constexpr bool ends_list(const item& it) noexcept;
///     };
template <class Traits>
concept tlv_traits = requires(bytes area, std::size_t pos) {
    { Traits::parse(area, pos, pos) } -> std::same_as<result<typename Traits::item>>;
};

/// Iterates the items of `area` (see the file comment); offsets in items
/// and errors are `base` plus the position in `area`.
template <tlv_traits Traits>
class tlv_range {
public:
    using item = typename Traits::item;

    class iterator {
    public:
        using value_type = result<item>;
        using difference_type = std::ptrdiff_t;

        constexpr iterator() noexcept = default;
        constexpr iterator(bytes area, std::size_t base) noexcept : area_(area), base_(base) { load(); }

        constexpr const result<item>& operator*() const noexcept { return current_; }
        constexpr const result<item>* operator->() const noexcept { return &current_; }
        constexpr iterator& operator++() noexcept {
            if (!current_ || ends_list(*current_)) {
                pos_ = area_.size();
            } else {
                const std::size_t n = next(pos_, *current_);
                pos_ = n > pos_ ? n : area_.size();
            }
            load();
            return *this;
        }
        constexpr iterator operator++(int) noexcept {
            iterator t = *this;
            ++*this;
            return t;
        }
        friend constexpr bool operator==(const iterator& a, std::default_sentinel_t) noexcept {
            return a.pos_ >= a.area_.size();
        }

    private:
        [[nodiscard]] static constexpr std::size_t next(std::size_t pos, const item& it) noexcept {
            if constexpr (requires { Traits::next(pos, it); }) {
                return Traits::next(pos, it);
            } else {
                return pos + it.length;
            }
        }
        [[nodiscard]] static constexpr bool ends_list(const item& it) noexcept {
            if constexpr (requires { Traits::ends_list(it); }) {
                return Traits::ends_list(it);
            } else {
                return false;
            }
        }
        constexpr void load() noexcept {
            if (pos_ < area_.size()) current_ = Traits::parse(area_, pos_, base_);
        }
        bytes area_{};
        std::size_t base_ = 0;
        std::size_t pos_ = 0;
        result<item> current_{item{}};
    };

    constexpr tlv_range(bytes area, std::size_t base) noexcept : area_(area), base_(base) {}
    [[nodiscard]] constexpr iterator begin() const noexcept { return {area_, base_}; }
    [[nodiscard]] constexpr std::default_sentinel_t end() const noexcept { return {}; }
    [[nodiscard]] constexpr bool empty() const noexcept { return area_.empty(); }
    /// The first error among the items, if any.
    [[nodiscard]] constexpr status validate() const noexcept {
        for (const auto& i : *this)
            if (!i) return i.error();
        return {};
    }

private:
    bytes area_;
    std::size_t base_;
};

/// The option layout IPv4 and TCP share (RFC 791 §3.1, RFC 9293 §3.1):
/// kinds 0 (end of option list) and 1 (no-operation) are one octet; every
/// other option has a length octet that counts the kind and itself, at
/// least 2 and within the bytes left. Parses the option at `at` (<
/// opts.size()) into an `Option` (kind, length, offset = `base` + at,
/// data); errors are in layer `l`. The per-kind rules are the caller's.
template <class Option>
[[nodiscard]] constexpr result<Option> parse_kind_length(bytes opts, std::size_t at, std::size_t base,
                                                         layer l) noexcept {
    const std::size_t left = opts.size() - at;
    const std::uint8_t kind = load_u8(opts, at);
    Option o{static_cast<decltype(Option::kind)>(kind), 1, base + at, {}};
    if (kind == 0 || kind == 1) return o;
    if (left < 2) return error::truncated(l, length_source::option_length, o.offset, 2, left);
    const std::uint8_t len = load_u8(opts, at + 1);
    if (len < 2) return error::invalid(l, errc::length_too_small, length_source::option_length, o.offset + 1, 2, len);
    if (len > left) return error::truncated(l, length_source::option_length, o.offset, len, left);
    o.length = len;
    o.data = opts.subspan(at + 2, len - 2u);
    return o;
}

/// tlv_range traits for those options: each by `Parse`, ending after
/// end-of-list (kind 0).
template <class Option, auto Parse>
struct kind_length_traits {
    using item = Option;
    static constexpr auto parse = Parse;
    [[nodiscard]] static constexpr bool ends_list(const Option& o) noexcept {
        return static_cast<std::uint8_t>(o.kind) == 0;
    }
};

} // namespace rawpkt::detail
