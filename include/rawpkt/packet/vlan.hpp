// SPDX-License-Identifier: BSD-3-Clause
/// \file
/// IEEE 802.1Q VLAN tag view, tag-stack iterator and repr.
///
/// A tag is the 4 bytes after a TPID (the EtherType 0x8100, 0x88a8, 0x9100
/// or 0x9200 in the header before it): the TCI and the Length/Type of what
/// it encapsulates. The view starts at the TCI; the TPID belongs to the
/// previous header. Like Ethernet's, the inner Length/Type field is an
/// EtherType from 0x0600 up, the length of an LLC PDU up to 1500, and
/// invalid in between.
///
/// Contract: after `view::checked(b)` succeeds, no accessor reads out of
/// bounds, and an encapsulated 802.3 frame's data (its length field) is
/// inside `b`. `view::checked_header(b)` guarantees the 4-byte tag only.
/// `payload()` and `padding()` are always clamped to the buffer, so no
/// setter voids the guarantee. `tag_range` never reads out of bounds on any
/// input.
#pragma once

#include <rawpkt/bytes.hpp>
#include <rawpkt/error.hpp>
#include <rawpkt/packet/ethernet.hpp>
#include <rawpkt/packet/numbers.hpp>
#include <rawpkt/packet/view_base.hpp>

#include <cstddef>
#include <cstdint>
#include <iterator>

namespace rawpkt::vlan {

/// Tag layout after the TPID, IEEE 802.1Q-2018 §9.6 (TCI) and §9.5 (TPID).
namespace field {
inline constexpr byte_range tci{0, 2};      ///< PCP (3 bits), DEI (1 bit), VID (12 bits)
inline constexpr byte_range type_len{2, 4}; ///< the encapsulated frame's Length/Type
} // namespace field

/// Bytes of a tag: TCI and the inner Length/Type.
inline constexpr std::size_t header_len = field::type_len.end; // 4

inline constexpr std::uint16_t pcp_mask = 0xe000; ///< priority code point
inline constexpr std::uint16_t dei_bit = 0x1000;  ///< drop eligible indicator
inline constexpr std::uint16_t vid_mask = 0x0fff; ///< VLAN identifier
/// VID 0: the tag carries a priority only (IEEE 802.1Q-2018 §9.6, Table 9-2).
inline constexpr std::uint16_t vid_priority_tag = 0x000;
/// VID 0xFFF is reserved.
inline constexpr std::uint16_t vid_reserved = 0xfff;

/// True for the EtherTypes that announce a tag: 802.1Q C-tag 0x8100,
/// 802.1ad S-tag 0x88a8, and the pre-standard 0x9100 and 0x9200.
[[nodiscard]] constexpr bool is_tag_type(rawpkt::ethertype t) noexcept {
    return t == rawpkt::ethertype::vlan || t == rawpkt::ethertype::qinq || t == rawpkt::ethertype::qinq_old ||
           t == rawpkt::ethertype::qinq_old2;
}

/// Zero-copy VLAN tag view; see the file comment for the bounds contract.
template <byte_span Buf>
class basic_view : public detail::view_base<Buf> {
    using base = detail::view_base<Buf>;
    using base::u16;

public:
    constexpr basic_view() noexcept = default;

    /// No validation: for buffers the caller built or sized itself.
    [[nodiscard]] static constexpr basic_view unchecked(Buf b) noexcept { return basic_view{b}; }

    /// Validates the tag and, for an encapsulated 802.3 frame, that its data is in `b`.
    [[nodiscard]] static constexpr result<basic_view> checked(Buf b) noexcept {
        auto v = checked_header(b);
        if (!v) return v;
        if (v->is_length() && vlan::header_len + v->length_field() > b.size()) {
            return error::truncated(layer::vlan, length_source::payload_length, 0, vlan::header_len + v->length_field(),
                                    b.size());
        }
        return v;
    }

    /// Validates the 4-byte tag only; an encapsulated 802.3 frame's data may
    /// be cut short.
    [[nodiscard]] static constexpr result<basic_view> checked_header(Buf b) noexcept {
        if (b.size() < vlan::header_len) {
            return error::truncated(layer::vlan, length_source::fixed_header, 0, vlan::header_len, b.size());
        }
        const basic_view v{b};
        if (!v.is_length() && !v.is_ethertype()) {
            return error::invalid(layer::vlan, errc::bad_value, length_source::none, field::type_len.begin, 0,
                                  v.type_len());
        }
        return v;
    }

    // --- fields (IEEE 802.1Q-2018 §9.6) ---
    /// The whole tag control information field.
    [[nodiscard]] constexpr std::uint16_t tci() const noexcept { return u16(field::tci); }
    /// Priority code point (0..7).
    [[nodiscard]] constexpr std::uint8_t pcp() const noexcept { return static_cast<std::uint8_t>(tci() >> 13); }
    /// Drop eligible indicator (formerly CFI).
    [[nodiscard]] constexpr bool dei() const noexcept { return (tci() & dei_bit) != 0; }
    /// VLAN identifier (0..4095).
    [[nodiscard]] constexpr std::uint16_t vid() const noexcept { return tci() & vid_mask; }
    /// The raw Length/Type field of the encapsulated frame.
    [[nodiscard]] constexpr std::uint16_t type_len() const noexcept { return u16(field::type_len); }
    /// The inner EtherType (meaningful when is_ethertype()); another TPID for a stacked tag.
    [[nodiscard]] constexpr rawpkt::ethertype ethertype() const noexcept {
        return static_cast<rawpkt::ethertype>(type_len());
    }
    /// True when the Length/Type after the tag is an EtherType (at least 0x0600).
    [[nodiscard]] constexpr bool is_ethertype() const noexcept { return ethernet::is_ethertype(type_len()); }
    /// True when an LLC PDU of length_field() bytes follows.
    [[nodiscard]] constexpr bool is_length() const noexcept { return ethernet::is_length(type_len()); }
    /// The inner 802.3 length (meaningful when is_length()).
    [[nodiscard]] constexpr std::uint16_t length_field() const noexcept { return type_len(); }

    /// Always 4.
    [[nodiscard]] constexpr std::size_t header_len() const noexcept { return vlan::header_len; }
    /// The header's bytes, header_len() of them.
    [[nodiscard]] constexpr Buf header() const noexcept { return this->range(0, vlan::header_len); }
    /// The data after the tag: the rest of the buffer, or up to the length
    /// field for an encapsulated 802.3 frame. Clamped to the buffer.
    [[nodiscard]] constexpr Buf payload() const noexcept {
        const std::size_t len = is_length() ? length_field() : this->buf_.size();
        return clamp_subspan(this->buf_, vlan::header_len, len);
    }
    /// The bytes after an encapsulated 802.3 frame's data; empty otherwise.
    [[nodiscard]] constexpr Buf padding() const noexcept {
        return clamp_subspan(this->buf_, vlan::header_len + payload().size(), this->buf_.size());
    }

    // --- setters (mut_view only) ---
    /// Sets the field tci() reads.
    constexpr void set_tci(std::uint16_t v) noexcept requires writable<Buf> { this->set_u16(field::tci, v); }
    /// Sets the field pcp() reads.
    constexpr void set_pcp(std::uint8_t v) noexcept requires writable<Buf> {
        this->set_bits16(field::tci.begin, pcp_mask, static_cast<std::uint16_t>(v << 13));
    }
    /// Sets or clears the flag dei() reads.
    constexpr void set_dei(bool v) noexcept requires writable<Buf> {
        this->set_bits16(field::tci.begin, dei_bit, v ? dei_bit : 0);
    }
    /// Sets the field vid() reads.
    constexpr void set_vid(std::uint16_t v) noexcept requires writable<Buf> {
        this->set_bits16(field::tci.begin, vid_mask, v);
    }
    /// Sets the field ethertype() reads.
    constexpr void set_ethertype(rawpkt::ethertype t) noexcept requires writable<Buf> {
        this->set_u16(field::type_len, static_cast<std::uint16_t>(t));
    }
    /// Sets the raw Length/Type field (an 802.3 length, or an EtherType).
    constexpr void set_type_len(std::uint16_t v) noexcept requires writable<Buf> { this->set_u16(field::type_len, v); }

    /// A read-only view of the same bytes.
    constexpr operator basic_view<bytes>() const noexcept requires writable<Buf> {
        return basic_view<bytes>::unchecked(this->buf_);
    }

private:
    constexpr explicit basic_view(Buf b) noexcept : base(b) {}
};

/// A read-only 802.1Q tag view over received bytes.
using view = basic_view<bytes>;
/// A writable 802.1Q tag view: the setters are enabled, for building or editing in place.
using mut_view = basic_view<mut_bytes>;

/// One tag of a stack.
struct tag {
    rawpkt::ethertype tpid{}; ///< the EtherType that announced this tag
    std::uint16_t tci = 0;    ///< tag control information: PCP, DEI, VID
    rawpkt::ethertype next{}; ///< the Length/Type after the tag: a TPID again, or the inner type
    std::size_t offset = 0;   ///< where the tag's TCI starts in the buffer given to tag_range

    /// Priority code point, 0 to 7 (IEEE 802.1Q §6.9.3).
    [[nodiscard]] constexpr std::uint8_t pcp() const noexcept { return static_cast<std::uint8_t>(tci >> 13); }
    /// Drop eligible indicator.
    [[nodiscard]] constexpr bool dei() const noexcept { return (tci & dei_bit) != 0; }
    /// VLAN identifier, 0 to 4095.
    [[nodiscard]] constexpr std::uint16_t vid() const noexcept { return tci & vid_mask; }

    friend constexpr bool operator==(const tag&, const tag&) noexcept = default;
};

/// Where a tag stack ends.
struct stack_end {
    rawpkt::ethertype type{}; ///< the first Length/Type after the stack that is not a TPID
    std::size_t offset = 0;   ///< where the encapsulated data starts (4 bytes per tag)
    std::size_t depth = 0;    ///< number of tags

    friend constexpr bool operator==(const stack_end&, const stack_end&) noexcept = default;
};

/// Parses the tag at `at` in `b`, announced by `tpid`.
[[nodiscard]] constexpr result<tag> parse_tag(bytes b, std::size_t at, rawpkt::ethertype tpid) noexcept {
    const auto v = view::checked_header(clamp_subspan(b, at, header_len));
    if (!v) return v.error().rebased(at);
    return tag{tpid, v->tci(), v->ethertype(), at};
}

/// Iterates a stack of tags of any depth: given the EtherType before the
/// first tag and the bytes after it, yields `result<tag>` for as long as the
/// type in front is a TPID (is_tag_type()). A tag cut short or with an
/// invalid Length/Type yields its error and ends the iteration. Yields
/// nothing when `first` is not a TPID.
class tag_range {
public:
    /// Input iterator over the tags: ++ parses the next one.
    class iterator {
    public:
        using value_type = result<tag>;         ///< a tag or the error that ends the stack
        using difference_type = std::ptrdiff_t; ///< required by std::input_iterator; never used

        constexpr iterator() noexcept = default;
        /// At the first tag of `b`, announced by `first`.
        constexpr iterator(bytes b, rawpkt::ethertype first) noexcept : buf_(b), type_(first), done_(false) { load(); }

        /// The current tag or its error.
        constexpr const result<tag>& operator*() const noexcept { return current_; }
        /// Member access to the current result.
        constexpr const result<tag>* operator->() const noexcept { return &current_; }
        /// Moves to the next tag; after an error the iterator is at the end.
        constexpr iterator& operator++() noexcept {
            if (!current_) {
                done_ = true;
                return *this;
            }
            pos_ += header_len;
            type_ = current_->next;
            load();
            return *this;
        }
        /// Moves to the next tag (see the prefix form).
        constexpr iterator operator++(int) noexcept {
            iterator t = *this;
            ++*this;
            return t;
        }
        friend constexpr bool operator==(const iterator& a, std::default_sentinel_t) noexcept { return a.done_; }

    private:
        constexpr void load() noexcept {
            if (!is_tag_type(type_)) {
                done_ = true;
                return;
            }
            current_ = parse_tag(buf_, pos_, type_);
        }
        bytes buf_{};
        rawpkt::ethertype type_{};
        std::size_t pos_ = 0;
        bool done_ = true;
        result<tag> current_{tag{}};
    };

    /// `first` is the EtherType in front of `b` (e.g. the Ethernet header's).
    constexpr tag_range(rawpkt::ethertype first, bytes b) noexcept : buf_(b), first_(first) {}
    /// At the first tag.
    [[nodiscard]] constexpr iterator begin() const noexcept { return {buf_, first_}; }
    /// Compares equal to the iterator after the last tag or an error.
    [[nodiscard]] constexpr std::default_sentinel_t end() const noexcept { return {}; }
    /// True when `first` is not a TPID: there are no tags.
    [[nodiscard]] constexpr bool empty() const noexcept { return !is_tag_type(first_); }

    /// Walks the whole stack: the inner type, where it starts, the depth; or
    /// the first tag's error.
    [[nodiscard]] constexpr result<stack_end> inner() const noexcept {
        stack_end e{first_, 0, 0};
        for (const auto& t : *this) {
            if (!t) return t.error();
            e = {t->next, t->offset + header_len, e.depth + 1};
        }
        return e;
    }

private:
    bytes buf_;
    rawpkt::ethertype first_;
};

/// A VLAN tag, owned (the TPID is the previous header's EtherType). Tags
/// over an 802.3 length are not represented: build those with a mut_view.
struct repr {
    std::uint8_t pcp = 0;                                  ///< priority code point, 0 to 7
    bool dei = false;                                      ///< drop eligible indicator
    std::uint16_t vid = 0;                                 ///< VLAN identifier, 0 to 4095
    rawpkt::ethertype ethertype = rawpkt::ethertype::ipv4; ///< the inner EtherType

    /// Accepts a checked tag over an EtherType; an 802.3 length is
    /// unsupported (`available` holds it).
    [[nodiscard]] static constexpr result<repr> parse(const view& v) noexcept {
        if (!v.is_ethertype()) {
            return error::invalid(layer::vlan, errc::unsupported, length_source::none, field::type_len.begin, 0,
                                  v.type_len());
        }
        return repr{v.pcp(), v.dei(), v.vid(), v.ethertype()};
    }

    /// The fixed header length, vlan::header_len bytes.
    [[nodiscard]] constexpr std::size_t header_len() const noexcept { return vlan::header_len; }

    /// Writes the tag into `v` (at least 4 bytes).
    constexpr void emit(mut_view v) const noexcept {
        v.set_tci(0);
        v.set_pcp(pcp);
        v.set_dei(dei);
        v.set_vid(vid);
        v.set_ethertype(ethertype);
    }

    friend constexpr bool operator==(const repr&, const repr&) noexcept = default;
};

} // namespace rawpkt::vlan
