// SPDX-License-Identifier: BSD-3-Clause
/// \file
/// MPLS (RFC 3032) label stack entry view, label-stack iterator and repr.
///
/// A view covers one 4-byte label stack entry; `label_stack` walks entries
/// up to and including the one with the bottom-of-stack bit. MPLS does not
/// say what follows the stack: `guess_payload()` looks at the first nibble,
/// as routers and dissectors do.
///
/// Contract: after `view::checked(b)` succeeds, no accessor reads out of
/// bounds (the entry is inside `b`); no setter voids that. `label_stack`
/// never reads out of bounds on any input.
#pragma once

#include <rawpkt/bytes.hpp>
#include <rawpkt/error.hpp>
#include <rawpkt/packet/numbers.hpp>
#include <rawpkt/packet/view_base.hpp>

#include <cstddef>
#include <cstdint>
#include <iterator>

namespace rawpkt::mpls {

/// Label stack entry layout, RFC 3032 §2.1 (TC renamed from EXP by RFC 5462).
namespace field {
inline constexpr byte_range entry{0, 4}; ///< label (20 bits), TC (3), S (1), TTL (8)
} // namespace field

/// Bytes of a label stack entry.
inline constexpr std::size_t header_len = field::entry.end; // 4

inline constexpr std::uint32_t label_mask = 0xfffff000; ///< label, bits 31-12
inline constexpr std::uint32_t tc_mask = 0x00000e00;    ///< traffic class, bits 11-9
inline constexpr std::uint32_t bos_bit = 0x00000100;    ///< bottom of stack
inline constexpr std::uint32_t ttl_mask = 0x000000ff;   ///< TTL, bits 7-0
/// The largest label: 20 bits.
inline constexpr std::uint32_t max_label = 0xfffff;

/// Reserved label values (RFC 3032 §2.1; RFC 7274, RFC 6790, RFC 5586).
namespace label {
inline constexpr std::uint32_t ipv4_explicit_null = 0; ///< IPv4 explicit NULL: pop, then route the IPv4 packet
inline constexpr std::uint32_t router_alert = 1;       ///< router alert: deliver to the local software
inline constexpr std::uint32_t ipv6_explicit_null = 2; ///< IPv6 explicit NULL: pop, then route the IPv6 packet
inline constexpr std::uint32_t implicit_null = 3;      ///< signalled only, never on the wire
inline constexpr std::uint32_t entropy_label_indicator =
    7;                                         ///< entropy label indicator: an entropy label follows (RFC 6790)
inline constexpr std::uint32_t gal = 13;       ///< generic associated channel label
inline constexpr std::uint32_t oam_alert = 14; ///< OAM alert (RFC 3429)
inline constexpr std::uint32_t extension = 15; ///< extension label: the next label has an extended meaning (RFC 7274)
} // namespace label

/// Zero-copy view of one label stack entry; see the file comment.
template <byte_span Buf>
class basic_view : public detail::view_base<Buf> {
    using base = detail::view_base<Buf>;
    using base::u32;

public:
    constexpr basic_view() noexcept = default;

    /// No validation: for buffers the caller built or sized itself.
    [[nodiscard]] static constexpr basic_view unchecked(Buf b) noexcept { return basic_view{b}; }

    /// Validates that the 4-byte entry is in `b`.
    [[nodiscard]] static constexpr result<basic_view> checked(Buf b) noexcept {
        if (b.size() < mpls::header_len) {
            return error::truncated(layer::mpls, length_source::fixed_header, 0, mpls::header_len, b.size());
        }
        return basic_view{b};
    }

    // --- fields (RFC 3032 §2.1) ---
    /// The whole 32-bit entry.
    [[nodiscard]] constexpr std::uint32_t entry() const noexcept { return u32(field::entry); }
    /// The 20-bit label.
    [[nodiscard]] constexpr std::uint32_t label() const noexcept { return entry() >> 12; }
    /// Traffic class (0..7; RFC 5462).
    [[nodiscard]] constexpr std::uint8_t tc() const noexcept { return static_cast<std::uint8_t>((entry() >> 9) & 0x7); }
    /// True for the last entry of the stack (S bit).
    [[nodiscard]] constexpr bool bottom_of_stack() const noexcept { return (entry() & bos_bit) != 0; }
    /// Time to live (RFC 3032 §2.1).
    [[nodiscard]] constexpr std::uint8_t ttl() const noexcept { return static_cast<std::uint8_t>(entry()); }

    /// Always 4: one entry.
    [[nodiscard]] constexpr std::size_t header_len() const noexcept { return mpls::header_len; }
    /// The header's bytes, header_len() of them.
    [[nodiscard]] constexpr Buf header() const noexcept { return this->range(0, mpls::header_len); }
    /// Everything after this entry: the next entry, or the payload after the
    /// bottom of the stack.
    [[nodiscard]] constexpr Buf payload() const noexcept {
        return clamp_subspan(this->buf_, mpls::header_len, this->buf_.size());
    }

    // --- setters (mut_view only) ---
    /// Sets the field entry() reads.
    constexpr void set_entry(std::uint32_t v) noexcept requires writable<Buf> { this->set_u32(field::entry, v); }
    /// Sets the label (the low 20 bits of `v`).
    constexpr void set_label(std::uint32_t v) noexcept requires writable<Buf> {
        set_entry((entry() & ~label_mask) | ((v << 12) & label_mask));
    }
    /// Sets the field tc() reads.
    constexpr void set_tc(std::uint8_t v) noexcept requires writable<Buf> {
        set_entry((entry() & ~tc_mask) | ((std::uint32_t{v} << 9) & tc_mask));
    }
    /// Sets or clears the flag bottom_of_stack() reads.
    constexpr void set_bottom_of_stack(bool v) noexcept requires writable<Buf> {
        set_entry((entry() & ~bos_bit) | (v ? bos_bit : 0));
    }
    /// Sets the field ttl() reads.
    constexpr void set_ttl(std::uint8_t v) noexcept requires writable<Buf> { set_entry((entry() & ~ttl_mask) | v); }

    /// A read-only view of the same bytes.
    constexpr operator basic_view<bytes>() const noexcept requires writable<Buf> {
        return basic_view<bytes>::unchecked(this->buf_);
    }

private:
    constexpr explicit basic_view(Buf b) noexcept : base(b) {}
};

/// A read-only MPLS label stack entry view over received bytes.
using view = basic_view<bytes>;
/// A writable MPLS label stack entry view: the setters are enabled, for building or editing in place.
using mut_view = basic_view<mut_bytes>;

/// One label stack entry, owned.
struct repr {
    std::uint32_t label = 0;     ///< 20 bits
    std::uint8_t tc = 0;         ///< 3 bits
    bool bottom_of_stack = true; ///< S: the last entry of the stack
    std::uint8_t ttl = 64;       ///< time to live

    /// Every checked entry is accepted.
    [[nodiscard]] static constexpr result<repr> parse(const view& v) noexcept {
        return repr{v.label(), v.tc(), v.bottom_of_stack(), v.ttl()};
    }

    /// The fixed header length, mpls::header_len bytes.
    [[nodiscard]] constexpr std::size_t header_len() const noexcept { return mpls::header_len; }

    /// Writes the entry into `v` (at least 4 bytes).
    constexpr void emit(mut_view v) const noexcept {
        v.set_entry(((label << 12) & label_mask) | ((std::uint32_t{tc} << 9) & tc_mask) |
                    (bottom_of_stack ? bos_bit : 0) | ttl);
    }

    friend constexpr bool operator==(const repr&, const repr&) noexcept = default;
};

/// One entry of a stack, with its position.
struct entry {
    std::uint32_t label = 0;      ///< 20-bit label
    std::uint8_t tc = 0;          ///< traffic class, 3 bits
    bool bottom_of_stack = false; ///< S: the last entry of the stack
    std::uint8_t ttl = 0;         ///< time to live
    std::size_t offset = 0;       ///< where the entry starts in the buffer given to label_stack

    friend constexpr bool operator==(const entry&, const entry&) noexcept = default;
};

/// Iterates a label stack from the start of `b`: yields `result<entry>` up
/// to and including the entry with the bottom-of-stack bit. A buffer that
/// ends first yields a truncation error (at the offset where the missing
/// entry should start) and ends the iteration.
class label_stack {
public:
    /// Input iterator over the entries: ++ parses the next one.
    class iterator {
    public:
        using value_type = result<entry>;       ///< an entry or the error that ends the stack
        using difference_type = std::ptrdiff_t; ///< required by std::input_iterator; never used

        constexpr iterator() noexcept = default;
        /// At the first entry of `b`.
        constexpr explicit iterator(bytes b) noexcept : buf_(b), done_(false) { load(); }

        /// The current entry or its error.
        constexpr const result<entry>& operator*() const noexcept { return current_; }
        /// Member access to the current result.
        constexpr const result<entry>* operator->() const noexcept { return &current_; }
        /// Moves to the next entry; after the bottom of the stack or an error the iterator is at the end.
        constexpr iterator& operator++() noexcept {
            if (!current_ || current_->bottom_of_stack) {
                done_ = true;
                return *this;
            }
            pos_ += header_len;
            load();
            return *this;
        }
        /// Moves to the next entry (see the prefix form).
        constexpr iterator operator++(int) noexcept {
            iterator t = *this;
            ++*this;
            return t;
        }
        friend constexpr bool operator==(const iterator& a, std::default_sentinel_t) noexcept { return a.done_; }

    private:
        constexpr void load() noexcept {
            const auto v = view::checked(clamp_subspan(buf_, pos_, header_len));
            if (!v) {
                current_ = v.error().rebased(pos_);
                return;
            }
            current_ = entry{v->label(), v->tc(), v->bottom_of_stack(), v->ttl(), pos_};
        }
        bytes buf_{};
        std::size_t pos_ = 0;
        bool done_ = true;
        result<entry> current_{entry{}};
    };

    /// The stack at the start of `b`.
    constexpr explicit label_stack(bytes b) noexcept : buf_(b) {}
    /// At the first entry.
    [[nodiscard]] constexpr iterator begin() const noexcept { return iterator{buf_}; }
    /// Compares equal to the iterator after the bottom of the stack or an error.
    [[nodiscard]] constexpr std::default_sentinel_t end() const noexcept { return {}; }

    /// The stack's length in bytes (4 per entry), or the truncation error.
    [[nodiscard]] constexpr result<std::size_t> len() const noexcept {
        std::size_t n = 0;
        for (const auto& e : *this) {
            if (!e) return e.error();
            n = e->offset + header_len;
        }
        return n;
    }
    /// The bytes after the bottom of the stack, or the truncation error.
    [[nodiscard]] constexpr result<bytes> payload() const noexcept {
        const auto n = len();
        if (!n) return n.error();
        return buf_.subspan(*n);
    }

private:
    bytes buf_;
};

/// The payload type the first nibble suggests (4: IPv4, 6: IPv6), as the
/// decoder and most routers guess it. Anything else (e.g. 0, a pseudowire
/// control word, RFC 4385) is unsupported with the nibble in `available`;
/// an empty payload is truncated. Offsets are relative to `payload`.
[[nodiscard]] constexpr result<rawpkt::ethertype> guess_payload(bytes payload) noexcept {
    if (payload.empty()) return error::truncated(layer::mpls, length_source::fixed_header, 0, 1, 0);
    const std::uint8_t nibble = load_u8(payload, 0) >> 4;
    if (nibble == 4) return rawpkt::ethertype::ipv4;
    if (nibble == 6) return rawpkt::ethertype::ipv6;
    return error::invalid(layer::mpls, errc::unsupported, length_source::none, 0, 0, nibble);
}

} // namespace rawpkt::mpls
