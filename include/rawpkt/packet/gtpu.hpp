// SPDX-License-Identifier: BSD-3-Clause
/// \file
/// GTP-U, GTPv1 user plane (3GPP TS 29.281 §5): header view, extension
/// header iterator and repr.
///
/// An 8-byte mandatory header; when any of the E, S or PN flags is set, 4
/// more bytes (sequence number, N-PDU number, next extension header type);
/// when E is set, a chain of extension headers (§5.2). The length field
/// counts every byte after the first 8. The payload of a G-PDU is the
/// T-PDU, usually an IP packet (tpdu_ip_version() tells IPv4 from IPv6);
/// of other messages, information elements.
///
/// Contract: after `view::checked(b)` succeeds, no accessor reads out of
/// bounds: the mandatory header, the optional fields, every extension
/// header and the message (length field) are inside `b`.
/// `view::checked_header(b)` guarantees the header and extension headers
/// only; the T-PDU may be cut short by the capture, and `payload()` then
/// returns what is there. `payload()` is always clamped to the buffer.
/// set_has_extension(), set_has_sequence(), set_has_npdu_number() and
/// set_next_extension_type() void the guarantee (they change the header
/// layout); set_length() does not.
#pragma once

#include <rawpkt/bytes.hpp>
#include <rawpkt/error.hpp>
#include <rawpkt/packet/view_base.hpp>

#include <cstddef>
#include <cstdint>
#include <iterator>
#include <optional>

namespace rawpkt::gtpu {

/// Header layout, 3GPP TS 29.281 §5.1 (figure 5.1-1).
namespace field {
inline constexpr std::size_t flags = 0;        ///< version (3 bits), PT, spare, E, S, PN
inline constexpr std::size_t message_type = 1; ///< §6.1
inline constexpr byte_range length{2, 4};      ///< bytes after the first 8
inline constexpr byte_range teid{4, 8};        ///< tunnel endpoint identifier
// Present when E, S or PN is set; each evaluated only under its own flag.
inline constexpr byte_range sequence{8, 10};           ///< sequence number (with S)
inline constexpr std::size_t npdu_number = 10;         ///< N-PDU number (with PN)
inline constexpr std::size_t next_extension_type = 11; ///< type of the first extension header (with E)
inline constexpr std::size_t extensions = 12;          ///< first extension header, when E is set
} // namespace field

/// Extension header layout, TS 29.281 §5.2.1; offsets from its start.
namespace extension_field {
inline constexpr std::size_t length = 0;  ///< whole extension header in 4-byte words, 0 is invalid
inline constexpr std::size_t content = 1; ///< up to the last byte, the next extension header type
} // namespace extension_field

/// Bytes of the mandatory header.
inline constexpr std::size_t min_header_len = 8;
/// The header with the sequence number, N-PDU number and next type.
inline constexpr std::size_t long_header_len = field::extensions; // 12
/// The version of GTP-U (TS 29.281 §5.1).
inline constexpr std::uint8_t version_1 = 1;

/// Bits of the flags octet below the version.
inline constexpr std::uint8_t flag_pt = 0x10;        ///< PT, protocol type: 1 = GTP, 0 = GTP' (not GTP-U)
inline constexpr std::uint8_t flag_spare = 0x08;     ///< spare: sent as 0, not evaluated
inline constexpr std::uint8_t flag_extension = 0x04; ///< E: next extension header type is evaluated
inline constexpr std::uint8_t flag_sequence = 0x02;  ///< S: sequence number is evaluated
inline constexpr std::uint8_t flag_npdu = 0x01;      ///< PN: N-PDU number is evaluated
/// E, S and PN: any of them makes the 4 optional bytes present.
inline constexpr std::uint8_t flags_optional = flag_extension | flag_sequence | flag_npdu;

/// GTP-U message types (TS 29.281 §6.1, table 6.1-1).
enum class message_type : std::uint8_t {
    echo_request = 1,
    echo_response = 2,
    error_indication = 26,
    supported_extension_headers_notification = 31,
    tunnel_status = 253,
    end_marker = 254,
    g_pdu = 255, ///< carries a T-PDU
};

/// Next extension header type values (TS 29.281 §5.2.1, figure 5.2.1-3).
/// The two top bits say who must understand the extension (§5.2.1).
enum class extension_type : std::uint8_t {
    none = 0x00, ///< no more extension headers
    long_pdcp_pdu_number_r16 = 0x03,
    service_class_indicator = 0x20,
    udp_port = 0x40,
    ran_container = 0x81,
    long_pdcp_pdu_number = 0x82,
    xw_ran_container = 0x83,
    nr_ran_container = 0x84,
    pdu_session_container = 0x85, ///< 5G N3/N9 (TS 38.415)
    pdcp_pdu_number = 0xc0,
};

/// One extension header. `content` is what lies between its length octet
/// and its next-type octet; `offset` is where it starts in the GTP header.
struct extension {
    extension_type type = extension_type::none; ///< this extension header's type (announced by the one before)
    std::size_t length = 4;                     ///< whole extension header in bytes
    std::size_t offset = 0;                     ///< where it starts, in bytes from the start of the GTP-U header
    bytes content{};                            ///< its content, between the length and next-type octets
    extension_type next = extension_type::none; ///< the type of the next extension header (none: the last)

    /// The comprehension bits (TS 29.281 §5.2.1): 0 not required, 1 not
    /// required and not forwarded by intermediate nodes, 2 required by the
    /// receiving endpoint, 3 required by every recipient.
    [[nodiscard]] constexpr std::uint8_t comprehension() const noexcept {
        return static_cast<std::uint8_t>(static_cast<std::uint8_t>(type) >> 6);
    }
};

/// Validates the extension header of type `type` at `at` in `area` (which
/// starts `header_offset` bytes into the GTP header).
[[nodiscard]] constexpr result<extension> parse_extension(bytes area, std::size_t at, std::size_t header_offset,
                                                          extension_type type) noexcept {
    const std::size_t left = area.size() - at;
    const std::size_t offset = header_offset + at;
    if (left == 0) return error::truncated(layer::gtpu_extension, length_source::extension_length, offset, 4, 0);
    const std::uint8_t words = load_u8(area, at + extension_field::length);
    if (words == 0) {
        return error::invalid(layer::gtpu_extension, errc::length_too_small, length_source::extension_length, offset, 1,
                              0);
    }
    const std::size_t len = std::size_t{words} * 4;
    if (len > left) return error::truncated(layer::gtpu_extension, length_source::extension_length, offset, len, left);
    return extension{type, len, offset, area.subspan(at + extension_field::content, len - 2),
                     static_cast<extension_type>(load_u8(area, at + len - 1))};
}

/// Iterates an extension header chain. Yields `result<extension>`: a
/// malformed extension yields its error and ends the iteration; so does a
/// next type of none.
class extension_range {
public:
    /// Input iterator over the chain: ++ parses the next extension header.
    class iterator {
    public:
        using value_type = result<extension>;   ///< an extension header or the error that ends the chain
        using difference_type = std::ptrdiff_t; ///< required by std::input_iterator; never used

        constexpr iterator() noexcept = default;
        /// At the first extension header of `area` (see extension_range).
        constexpr iterator(bytes area, std::size_t base, extension_type first) noexcept
            : area_(area), base_(base), type_(first) {
            load();
        }

        /// The current extension header or its error.
        constexpr const result<extension>& operator*() const noexcept { return current_; }
        /// Member access to the current result.
        constexpr const result<extension>* operator->() const noexcept { return &current_; }
        /// Moves to the next extension header; after an error or the last one the iterator is at the end.
        constexpr iterator& operator++() noexcept {
            if (current_) {
                pos_ += current_->length;
                type_ = current_->next;
            } else {
                type_ = extension_type::none;
            }
            load();
            return *this;
        }
        /// Moves to the next extension header (see the prefix form).
        constexpr iterator operator++(int) noexcept {
            iterator t = *this;
            ++*this;
            return t;
        }
        friend constexpr bool operator==(const iterator& a, std::default_sentinel_t) noexcept {
            return a.type_ == extension_type::none;
        }

    private:
        constexpr void load() noexcept {
            if (type_ != extension_type::none) current_ = parse_extension(area_, pos_, base_, type_);
        }
        bytes area_{};
        std::size_t base_ = 0;
        std::size_t pos_ = 0;
        extension_type type_ = extension_type::none;
        result<extension> current_{extension{}};
    };

    /// `area` runs from the first extension header to the end of the
    /// available bytes; `first` is the type announced before it.
    constexpr extension_range(bytes area, std::size_t base, extension_type first) noexcept
        : area_(area), base_(base), first_(first) {}
    /// At the first extension header.
    [[nodiscard]] constexpr iterator begin() const noexcept { return {area_, base_, first_}; }
    /// Compares equal to the iterator after the last extension header or an error.
    [[nodiscard]] constexpr std::default_sentinel_t end() const noexcept { return {}; }
    /// True when no extension header is announced.
    [[nodiscard]] constexpr bool empty() const noexcept { return first_ == extension_type::none; }
    /// The first error in the chain, if any.
    [[nodiscard]] constexpr status validate() const noexcept {
        for (const auto& e : *this)
            if (!e) return e.error();
        return {};
    }
    /// Bytes the chain takes up to its end or its first error.
    [[nodiscard]] constexpr std::size_t valid_len() const noexcept {
        std::size_t n = 0;
        for (const auto& e : *this) {
            if (!e) break;
            n += e->length;
        }
        return n;
    }

private:
    bytes area_;
    std::size_t base_;
    extension_type first_;
};

/// Zero-copy GTP-U header view; see the file comment for the bounds contract.
template <byte_span Buf>
class basic_view : public detail::view_base<Buf> {
    using base = detail::view_base<Buf>;
    using base::u16;
    using base::u32;
    using base::u8;

public:
    constexpr basic_view() noexcept = default;

    /// No validation: for buffers the caller built or sized itself.
    [[nodiscard]] static constexpr basic_view unchecked(Buf b) noexcept { return basic_view{b}; }

    /// Validates the header, the extension headers and the length field.
    [[nodiscard]] static constexpr result<basic_view> checked(Buf b) noexcept {
        auto v = checked_header(b);
        if (!v) return v;
        if (!v->is_complete()) {
            return error::truncated(layer::gtpu, length_source::payload_length, 0, min_header_len + v->length(),
                                    b.size());
        }
        return v;
    }

    /// Validates the header and the extension headers only; the T-PDU may
    /// be cut short (a capture with a snaplen).
    [[nodiscard]] static constexpr result<basic_view> checked_header(Buf b) noexcept {
        if (b.size() < min_header_len) {
            return error::truncated(layer::gtpu, length_source::fixed_header, 0, min_header_len, b.size());
        }
        const basic_view v{b};
        if (v.version() != version_1) {
            return error::invalid(layer::gtpu, errc::bad_version, length_source::none, field::flags, version_1,
                                  v.version());
        }
        // GTP' (PT = 0, TS 32.295) has another header and is not GTP-U.
        if (v.pt() != 1) {
            return error::invalid(layer::gtpu, errc::unsupported, length_source::none, field::flags, 1, 0);
        }
        if (v.long_header()) {
            if (b.size() < long_header_len) {
                return error::truncated(layer::gtpu, length_source::header_length, 0, long_header_len, b.size());
            }
            if (auto ok = v.extensions().validate(); !ok) return ok.error();
        }
        if (min_header_len + v.length() < v.header_len()) {
            return error::invalid(layer::gtpu, errc::length_too_small, length_source::payload_length,
                                  field::length.begin, v.header_len() - min_header_len, v.length());
        }
        return v;
    }

    // --- fields (TS 29.281 §5.1) ---
    /// The version: 1 for a header checked() accepted (TS 29.281 §5.1).
    [[nodiscard]] constexpr std::uint8_t version() const noexcept { return u8(field::flags) >> 5; }
    /// The PT (protocol type) bit: 1 for GTP, 0 for GTP'. Not an EtherType.
    [[nodiscard]] constexpr std::uint8_t pt() const noexcept { return (u8(field::flags) & flag_pt) != 0 ? 1 : 0; }
    /// The spare bit (*): sent as 0, not evaluated.
    [[nodiscard]] constexpr bool spare() const noexcept { return (u8(field::flags) & flag_spare) != 0; }
    /// E: the next extension header type field is evaluated.
    [[nodiscard]] constexpr bool has_extension() const noexcept { return (u8(field::flags) & flag_extension) != 0; }
    /// S: the sequence number is evaluated.
    [[nodiscard]] constexpr bool has_sequence() const noexcept { return (u8(field::flags) & flag_sequence) != 0; }
    /// PN: the N-PDU number is evaluated.
    [[nodiscard]] constexpr bool has_npdu_number() const noexcept { return (u8(field::flags) & flag_npdu) != 0; }
    /// The message type (TS 29.281 §6.1): G-PDU (255) carries user data.
    [[nodiscard]] constexpr gtpu::message_type message_type() const noexcept {
        return static_cast<gtpu::message_type>(u8(field::message_type));
    }
    /// The length field: bytes after the first 8 (optional fields,
    /// extension headers and payload).
    [[nodiscard]] constexpr std::uint16_t length() const noexcept { return u16(field::length); }
    /// Tunnel endpoint identifier: which tunnel at the receiving end.
    [[nodiscard]] constexpr std::uint32_t teid() const noexcept { return u32(field::teid); }
    /// True when the 4 optional bytes are present: any of E, S, PN is set.
    [[nodiscard]] constexpr bool long_header() const noexcept { return (u8(field::flags) & flags_optional) != 0; }
    /// The sequence number, when S is set.
    [[nodiscard]] constexpr std::optional<std::uint16_t> sequence() const noexcept {
        if (!has_sequence()) return std::nullopt;
        return u16(field::sequence);
    }
    /// The N-PDU number, when PN is set.
    [[nodiscard]] constexpr std::optional<std::uint8_t> npdu_number() const noexcept {
        if (!has_npdu_number()) return std::nullopt;
        return u8(field::npdu_number);
    }
    /// The type of the first extension header; none when E is clear.
    [[nodiscard]] constexpr extension_type next_extension_type() const noexcept {
        if (!has_extension()) return extension_type::none;
        return static_cast<extension_type>(u8(field::next_extension_type));
    }

    /// The extension header chain (empty when E is clear).
    [[nodiscard]] constexpr extension_range extensions() const noexcept {
        return extension_range{clamp_subspan(bytes{this->buf_}, field::extensions, this->buf_.size()),
                               field::extensions, next_extension_type()};
    }
    /// Header length in bytes: 8, or 12 plus the extension headers.
    [[nodiscard]] constexpr std::size_t header_len() const noexcept {
        if (!long_header()) return min_header_len;
        return long_header_len + extensions().valid_len();
    }
    /// The header bytes, extension headers included.
    [[nodiscard]] constexpr Buf header() const noexcept { return this->range(0, header_len()); }
    /// Where the message ends: 8 + length, clamped to the buffer.
    [[nodiscard]] constexpr std::size_t packet_len() const noexcept {
        const std::size_t end = min_header_len + length();
        return end < this->buf_.size() ? end : this->buf_.size();
    }
    /// True when the whole message (per the length field) is in the buffer.
    [[nodiscard]] constexpr bool is_complete() const noexcept { return min_header_len + length() <= this->buf_.size(); }
    /// The bytes after the header up to the length, clamped to the buffer:
    /// the T-PDU of a G-PDU, the information elements of other messages.
    [[nodiscard]] constexpr Buf payload() const noexcept {
        const std::size_t end = packet_len();
        const std::size_t begin = header_len() < end ? header_len() : end;
        return this->range(begin, end);
    }
    /// For a G-PDU whose T-PDU starts with version nibble 4 or 6, that
    /// version; otherwise 0 (other messages, an empty or non-IP T-PDU).
    [[nodiscard]] constexpr std::uint8_t tpdu_ip_version() const noexcept {
        if (message_type() != gtpu::message_type::g_pdu) return 0;
        const bytes p = payload();
        if (p.empty()) return 0;
        const std::uint8_t v = load_u8(p, 0) >> 4;
        return v == 4 || v == 6 ? v : 0;
    }

    // --- setters (mut_view only) ---
    /// Sets the field version() reads.
    constexpr void set_version(std::uint8_t v) noexcept requires writable<Buf> {
        this->set_bits8(field::flags, 0xe0, static_cast<std::uint8_t>(v << 5));
    }
    /// Sets the field pt() reads.
    constexpr void set_pt(std::uint8_t pt) noexcept requires writable<Buf> { set_flag(flag_pt, pt != 0); }
    /// Sets or clears the flag spare() reads.
    constexpr void set_spare(bool v) noexcept requires writable<Buf> { set_flag(flag_spare, v); }
    /// Sets or clears the flag has_extension() reads.
    constexpr void set_has_extension(bool v) noexcept requires writable<Buf> { set_flag(flag_extension, v); }
    /// Sets or clears the flag has_sequence() reads.
    constexpr void set_has_sequence(bool v) noexcept requires writable<Buf> { set_flag(flag_sequence, v); }
    /// Sets or clears the flag has_npdu_number() reads.
    constexpr void set_has_npdu_number(bool v) noexcept requires writable<Buf> { set_flag(flag_npdu, v); }
    /// Sets the field message_type() reads.
    constexpr void set_message_type(gtpu::message_type t) noexcept requires writable<Buf> {
        this->set_u8(field::message_type, static_cast<std::uint8_t>(t));
    }
    /// Sets the field length() reads.
    constexpr void set_length(std::uint16_t v) noexcept requires writable<Buf> { this->set_u16(field::length, v); }
    /// Sets the field teid() reads.
    constexpr void set_teid(std::uint32_t v) noexcept requires writable<Buf> { this->set_u32(field::teid, v); }
    // The next three write into the 4 optional bytes, which exist when any
    // of E, S or PN is set: set the flags first. Each field is evaluated
    // only under its own flag.
    /// Sets the field sequence() reads.
    constexpr void set_sequence(std::uint16_t v) noexcept requires writable<Buf> {
        if (long_header()) this->set_u16(field::sequence, v);
    }
    /// Sets the field npdu_number() reads.
    constexpr void set_npdu_number(std::uint8_t v) noexcept requires writable<Buf> {
        if (long_header()) this->set_u8(field::npdu_number, v);
    }
    /// Sets the field next_extension_type() reads.
    constexpr void set_next_extension_type(extension_type t) noexcept requires writable<Buf> {
        if (long_header()) this->set_u8(field::next_extension_type, static_cast<std::uint8_t>(t));
    }

    /// A read-only view of the same bytes.
    constexpr operator basic_view<bytes>() const noexcept requires writable<Buf> {
        return basic_view<bytes>::unchecked(this->buf_);
    }

private:
    constexpr explicit basic_view(Buf b) noexcept : base(b) {}

    constexpr void set_flag(std::uint8_t flag, bool v) noexcept requires writable<Buf> {
        this->set_bits8(field::flags, flag, v ? flag : 0);
    }
};

/// A read-only GTP-U view over received bytes.
using view = basic_view<bytes>;
/// A writable GTP-U view: the setters are enabled, for building or editing in place.
using mut_view = basic_view<mut_bytes>;

/// The accepted states of a GTP-U header, owned.
struct repr {
    /// Extension header bytes a repr holds (a PDU session container takes 4
    /// to 12).
    static constexpr std::size_t max_extensions_len = 64;

    gtpu::message_type type = gtpu::message_type::g_pdu; ///< the message type
    std::uint32_t teid = 0;                              ///< tunnel endpoint identifier
    std::optional<std::uint16_t> sequence{};             ///< the sequence number to carry (S), if any
    std::optional<std::uint8_t> npdu_number{};           ///< the N-PDU number to carry (PN), if any
    /// The type of the first extension header (none without extensions).
    extension_type first_extension = extension_type::none;
    /// The raw extension header chain, each header ending with the next
    /// one's type, the last with none (set both with set_extensions()).
    small_bytes<max_extensions_len> extensions{};
    /// T-PDU (or information elements) bytes.
    std::size_t payload_len = 0;

    /// Accepts a header view from checked() or checked_header() whose spare
    /// bit is clear, whose optional bytes not covered by their flag are
    /// zero, whose E flag announces an extension, and whose extension
    /// chain fits max_extensions_len. The payload length comes from the
    /// length field.
    [[nodiscard]] static constexpr result<repr> parse(const view& v) noexcept {
        if (v.spare()) return error::invalid(layer::gtpu, errc::bad_value, length_source::none, field::flags, 0, 1);
        const bytes b = v.buffer();
        if (v.long_header()) {
            if (!v.has_sequence() && load_be<std::uint16_t>(b, field::sequence.begin) != 0) {
                return error::invalid(layer::gtpu, errc::bad_value, length_source::none, field::sequence.begin, 0,
                                      load_be<std::uint16_t>(b, field::sequence.begin));
            }
            if (!v.has_npdu_number() && load_u8(b, field::npdu_number) != 0) {
                return error::invalid(layer::gtpu, errc::bad_value, length_source::none, field::npdu_number, 0,
                                      load_u8(b, field::npdu_number));
            }
            const std::uint8_t next = load_u8(b, field::next_extension_type);
            if (!v.has_extension() && next != 0) {
                return error::invalid(layer::gtpu, errc::bad_value, length_source::none, field::next_extension_type, 0,
                                      next);
            }
            if (v.has_extension() && next == 0) {
                return error::invalid(layer::gtpu, errc::bad_value, length_source::none, field::flags, 0, 1);
            }
        }
        const std::size_t ext_len = v.long_header() ? v.header_len() - long_header_len : 0;
        if (ext_len > max_extensions_len) {
            return error::invalid(layer::gtpu, errc::too_many, length_source::extension_length, field::extensions,
                                  max_extensions_len, ext_len);
        }
        repr r;
        r.type = v.message_type();
        r.teid = v.teid();
        r.sequence = v.sequence();
        r.npdu_number = v.npdu_number();
        r.first_extension = v.next_extension_type();
        (void)r.extensions.set(b.subspan(field::extensions, ext_len)); // ext_len <= max_extensions_len
        r.payload_len = min_header_len + v.length() - v.header_len();
        return r;
    }

    /// True when emit() writes the 4 optional bytes.
    [[nodiscard]] constexpr bool long_header() const noexcept {
        return sequence.has_value() || npdu_number.has_value() || !extensions.empty();
    }
    /// Bytes of the header emit() writes: 8, or 12 plus the extension headers.
    [[nodiscard]] constexpr std::size_t header_len() const noexcept {
        return long_header() ? long_header_len + extensions.size() : min_header_len;
    }
    /// Header plus payload.
    [[nodiscard]] constexpr std::size_t buffer_len() const noexcept { return header_len() + payload_len; }

    /// Writes the header, extension headers included, into `v` (at least
    /// header_len() bytes); the length field covers payload_len.
    constexpr void emit(mut_view v) const noexcept {
        mut_bytes out = v.buffer();
        store_u8(out, field::flags, 0);
        v.set_version(version_1);
        v.set_pt(1);
        v.set_has_extension(!extensions.empty());
        v.set_has_sequence(sequence.has_value());
        v.set_has_npdu_number(npdu_number.has_value());
        v.set_message_type(type);
        v.set_length(static_cast<std::uint16_t>(header_len() - min_header_len + payload_len));
        v.set_teid(teid);
        v.set_sequence(sequence.value_or(0));
        v.set_npdu_number(npdu_number.value_or(0));
        v.set_next_extension_type(extensions.empty() ? extension_type::none : first_extension);
        if (!extensions.empty()) store_bytes(out, field::extensions, extensions.bytes());
    }

    /// Sets the extension chain: the first header's type and the raw
    /// headers. False unless `chain` is a non-empty whole number of 4-byte
    /// words within max_extensions_len and `first` is not none, or both are
    /// empty/none (no extensions).
    constexpr bool set_extensions(extension_type first, bytes chain) noexcept {
        if (chain.size() % 4 != 0) return false;
        if (chain.empty() != (first == extension_type::none)) return false;
        if (!extensions.set(chain)) return false;
        first_extension = first;
        return true;
    }

    friend constexpr bool operator==(const repr&, const repr&) noexcept = default;
};

} // namespace rawpkt::gtpu
