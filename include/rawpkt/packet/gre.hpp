// SPDX-License-Identifier: BSD-3-Clause
/// \file
/// GRE (RFC 2784, key and sequence number of RFC 2890) and the enhanced GRE
/// of PPTP (RFC 2637 §4.1): header view and repr.
///
/// The header is four bytes of flags, version and protocol type, followed by
/// the optional fields the flags announce, four bytes each, in this order:
/// checksum and reserved1 (C), key (K), sequence number (S) and, in version
/// 1 only, acknowledgment number (A). The payload's type is the protocol
/// type, an EtherType (0x6558 Ethernet, 0x0800 IPv4, 0x86dd IPv6, 0x880b PPP,
/// 0x88be ERSPAN type II, ...).
///
/// Lay the view over the GRE packet only (the IP payload, bounded by the IP
/// length), not over a frame with link-layer padding: a version 0 payload
/// runs to the end of the buffer and the checksum covers it.
///
/// Contract: after `view::checked(b)` succeeds, no accessor reads out of
/// bounds: the fixed header and every optional field its flags announce are
/// inside `b`, and in version 1 so is the payload its payload-length field
/// declares. `view::checked_header(b)` guarantees the header only; a version
/// 1 payload may then be cut short by the capture. `payload()` is always
/// clamped to the buffer. set_flags(), set_version() and the set_has_*()
/// setters void the guarantee (they change which optional fields exist);
/// set_payload_len() does not.
#pragma once

#include <rawpkt/bytes.hpp>
#include <rawpkt/checksum.hpp>
#include <rawpkt/error.hpp>
#include <rawpkt/packet/numbers.hpp>
#include <rawpkt/packet/view_base.hpp>

#include <cstddef>
#include <cstdint>
#include <optional>

namespace rawpkt::gre {

/// Header layout, RFC 2784 §2.1, RFC 2890 §2, RFC 2637 §4.1.
namespace field {
inline constexpr byte_range flags_version{0, 2}; ///< flags (13 bits) and version (3 bits)
inline constexpr byte_range protocol_type{2, 4}; ///< EtherType of the payload (RFC 2784 §2.4)
/// The first optional field. Each present field takes 4 bytes, in the order
/// checksum + reserved1, key, sequence number, acknowledgment number.
inline constexpr std::size_t optional = 4;
} // namespace field

/// Bytes of a header without optional fields.
inline constexpr std::size_t min_header_len = field::optional; // 4
/// C, K and S in version 0; K, S and A in version 1.
inline constexpr std::size_t max_header_len = 16;

/// Bits of the flags-and-version word.
inline constexpr std::uint16_t flag_checksum = 0x8000; ///< C: checksum and reserved1 present (RFC 2784 §2.2)
inline constexpr std::uint16_t flag_routing = 0x4000;  ///< R: routing present (RFC 1701 §2.1); not decoded
inline constexpr std::uint16_t flag_key = 0x2000;      ///< K: key present (RFC 2890 §2.1)
inline constexpr std::uint16_t flag_sequence = 0x1000; ///< S: sequence number present (RFC 2890 §2.2)
inline constexpr std::uint16_t flag_ack = 0x0080;      ///< A: acknowledgment present, version 1 (RFC 2637 §4.1)
/// The flag bits of the flags-and-version word.
inline constexpr std::uint16_t flags_mask = 0xfff8;
/// The version bits of that word (version_gre or version_enhanced).
inline constexpr std::uint16_t version_mask = 0x0007;
/// Reserved0 (RFC 2784 §2.3) without R, K and S: bits 4-12, which RFC 1701
/// named strict source route, recursion control and flags. In version 1,
/// bit 8 is the A flag and not part of it.
inline constexpr std::uint16_t reserved0_mask = 0x0ff8;

inline constexpr std::uint8_t version_gre = 0;      ///< RFC 2784
inline constexpr std::uint8_t version_enhanced = 1; ///< enhanced GRE (PPTP, RFC 2637 §4.1)

/// Zero-copy GRE header view; see the file comment for the bounds contract.
template <byte_span Buf>
class basic_view : public detail::view_base<Buf> {
    using base = detail::view_base<Buf>;
    using base::u16;
    using base::u32;

public:
    constexpr basic_view() noexcept = default;

    /// No validation: for buffers the caller built or sized itself.
    [[nodiscard]] static constexpr basic_view unchecked(Buf b) noexcept { return basic_view{b}; }

    /// Validates the header and, in version 1, the payload length.
    [[nodiscard]] static constexpr result<basic_view> checked(Buf b) noexcept {
        auto v = checked_header(b);
        if (!v) return v;
        if (v->version() == version_enhanced && !v->is_complete()) {
            return error::truncated(layer::gre, length_source::payload_length, 0, v->header_len() + v->payload_len(),
                                    b.size());
        }
        return v;
    }

    /// Validates the header only: version 0 or 1, no routing (RFC 2784 §2.3
    /// has receivers discard it, as Linux does; rawpkt does not decode RFC
    /// 1701 routing), in version 1 a key and no checksum (RFC 2637 §4.1;
    /// Linux drops such packets, and Wireshark and tcpdump disagree on where
    /// the key would then be), and every optional field inside the buffer.
    /// Reserved0 is not checked, as neither Linux nor Wireshark checks it
    /// (RFC 2784 §2.3 has bits 6-12 ignored); repr::parse() refuses it.
    [[nodiscard]] static constexpr result<basic_view> checked_header(Buf b) noexcept {
        if (b.size() < min_header_len) {
            return error::truncated(layer::gre, length_source::fixed_header, 0, min_header_len, b.size());
        }
        const basic_view v{b};
        if (v.version() > version_enhanced) {
            return error::invalid(layer::gre, errc::bad_version, length_source::none, field::flags_version.begin,
                                  version_enhanced, v.version());
        }
        if (v.has_routing()) {
            return error::invalid(layer::gre, errc::unsupported, length_source::none, field::flags_version.begin, 0, 1);
        }
        if (v.version() == version_enhanced) {
            if (v.has_checksum()) {
                return error::invalid(layer::gre, errc::bad_value, length_source::none, field::flags_version.begin, 0,
                                      1);
            }
            if (!v.has_key()) {
                return error::invalid(layer::gre, errc::bad_value, length_source::none, field::flags_version.begin, 1,
                                      0);
            }
        }
        if (v.header_len() > b.size()) {
            return error::truncated(layer::gre, length_source::header_length, 0, v.header_len(), b.size());
        }
        return v;
    }

    // --- fields (RFC 2784 §2, RFC 2890 §2, RFC 2637 §4.1) ---
    /// The 13 flag bits, as the top bits of the first 16-bit word.
    [[nodiscard]] constexpr std::uint16_t flags() const noexcept { return u16(field::flags_version) & flags_mask; }
    /// The version: 0 (GRE) or 1 (enhanced GRE, PPTP).
    [[nodiscard]] constexpr std::uint8_t version() const noexcept {
        return static_cast<std::uint8_t>(u16(field::flags_version) & version_mask);
    }
    /// C: checksum() and reserved1() are present (RFC 2784 §2.2).
    [[nodiscard]] constexpr bool has_checksum() const noexcept { return (flags() & flag_checksum) != 0; }
    /// R: routing is present (RFC 1701 §2.1); rawpkt does not decode it.
    [[nodiscard]] constexpr bool has_routing() const noexcept { return (flags() & flag_routing) != 0; }
    /// K: key() is present (RFC 2890 §2.1).
    [[nodiscard]] constexpr bool has_key() const noexcept { return (flags() & flag_key) != 0; }
    /// S: sequence() is present (RFC 2890 §2.2).
    [[nodiscard]] constexpr bool has_sequence() const noexcept { return (flags() & flag_sequence) != 0; }
    /// The A bit; it only counts in version 1 (in version 0 it is reserved).
    [[nodiscard]] constexpr bool has_ack() const noexcept {
        return version() == version_enhanced && (flags() & flag_ack) != 0;
    }
    /// The Reserved0 bits (reserved0_mask), in place; zero in a well-formed
    /// header.
    [[nodiscard]] constexpr std::uint16_t reserved0() const noexcept {
        const std::uint16_t mask = version() == version_enhanced ? reserved0_mask & ~flag_ack : reserved0_mask;
        return flags() & mask;
    }
    /// The payload's type.
    [[nodiscard]] constexpr ethertype protocol_type() const noexcept {
        return static_cast<ethertype>(u16(field::protocol_type));
    }

    /// Header length in bytes, from the flags: 4 plus 4 per optional field.
    [[nodiscard]] constexpr std::size_t header_len() const noexcept { return ack_offset() + (has_ack() ? 4 : 0); }

    /// The checksum over header and payload (RFC 2784 §2.5), when C is set.
    [[nodiscard]] constexpr std::optional<std::uint16_t> checksum() const noexcept {
        if (!has_checksum()) return std::nullopt;
        return u16(field::optional);
    }
    /// Reserved1 (RFC 2784 §2.6), present with the checksum; the offset
    /// field of RFC 1701.
    [[nodiscard]] constexpr std::optional<std::uint16_t> reserved1() const noexcept {
        if (!has_checksum()) return std::nullopt;
        return u16(field::optional + 2);
    }
    /// The key (RFC 2890 §2.1), when K is set; in version 1, payload length and call id.
    [[nodiscard]] constexpr std::optional<std::uint32_t> key() const noexcept {
        if (!has_key()) return std::nullopt;
        return u32(key_offset());
    }
    /// The sequence number (RFC 2890 §2.2), when S is set.
    [[nodiscard]] constexpr std::optional<std::uint32_t> sequence() const noexcept {
        if (!has_sequence()) return std::nullopt;
        return u32(sequence_offset());
    }
    /// Acknowledgment number (version 1).
    [[nodiscard]] constexpr std::optional<std::uint32_t> ack() const noexcept {
        if (!has_ack()) return std::nullopt;
        return u32(ack_offset());
    }
    /// Version 1: the payload length in bytes, the key's upper half
    /// (RFC 2637 §4.1). 0 in version 0.
    [[nodiscard]] constexpr std::uint16_t payload_len() const noexcept {
        return enhanced_key() ? u16(key_offset()) : 0;
    }
    /// Version 1: the peer's call ID, the key's lower half. 0 in version 0.
    [[nodiscard]] constexpr std::uint16_t call_id() const noexcept {
        return enhanced_key() ? u16(key_offset() + 2) : 0;
    }

    /// The header bytes.
    [[nodiscard]] constexpr Buf header() const noexcept { return this->range(0, header_len()); }
    /// Where the payload ends: the buffer end in version 0; in version 1 the
    /// payload length, clamped to the buffer.
    [[nodiscard]] constexpr std::size_t packet_len() const noexcept {
        const std::size_t size = this->buf_.size();
        if (version() != version_enhanced) return size;
        const std::size_t end = header_len() + payload_len();
        return end < size ? end : size;
    }
    /// True when the whole payload is in the buffer (always, in version 0).
    [[nodiscard]] constexpr bool is_complete() const noexcept {
        return header_len() + payload_len() <= this->buf_.size();
    }
    /// The encapsulated packet, of type protocol_type(); clamped to the buffer.
    [[nodiscard]] constexpr Buf payload() const noexcept {
        const std::size_t end = packet_len();
        const std::size_t begin = header_len() < end ? header_len() : end;
        return this->range(begin, end);
    }

    /// True when there is no checksum to verify, or when the checksum over
    /// the header and payload verifies (RFC 2784 §2.5).
    [[nodiscard]] constexpr bool checksum_ok() const noexcept {
        if (!has_checksum()) return true;
        return checksum::accumulator{}.add(bytes{this->range(0, packet_len())}).verifies();
    }
    /// The checksum the packet should carry (header and payload, with the
    /// checksum field taken as zero). Requires has_checksum().
    [[nodiscard]] constexpr std::uint16_t compute_checksum() const noexcept {
        checksum::accumulator acc;
        acc.add(bytes{this->range(0, field::optional)});
        acc.add(bytes{this->range(field::optional + 2, packet_len())});
        return acc.finish();
    }

    // --- setters (mut_view only) ---
    /// Sets all 13 flag bits (e.g. to clear reserved bits).
    constexpr void set_flags(std::uint16_t v) noexcept requires writable<Buf> {
        this->set_bits16(field::flags_version.begin, flags_mask, v);
    }
    /// Sets the field version() reads.
    constexpr void set_version(std::uint8_t v) noexcept requires writable<Buf> {
        this->set_bits16(field::flags_version.begin, version_mask, v);
    }
    /// Sets or clears the flag has_checksum() reads.
    constexpr void set_has_checksum(bool v) noexcept requires writable<Buf> { set_flag(flag_checksum, v); }
    /// Sets or clears the flag has_key() reads.
    constexpr void set_has_key(bool v) noexcept requires writable<Buf> { set_flag(flag_key, v); }
    /// Sets or clears the flag has_sequence() reads.
    constexpr void set_has_sequence(bool v) noexcept requires writable<Buf> { set_flag(flag_sequence, v); }
    /// Sets or clears the flag has_ack() reads.
    constexpr void set_has_ack(bool v) noexcept requires writable<Buf> { set_flag(flag_ack, v); }
    /// Sets the field protocol_type() reads.
    constexpr void set_protocol_type(ethertype t) noexcept requires writable<Buf> {
        this->set_u16(field::protocol_type, static_cast<std::uint16_t>(t));
    }
    // The optional fields are written only when their flag is set: set the
    // flags first.
    /// Sets the field checksum() reads.
    constexpr void set_checksum(std::uint16_t v) noexcept requires writable<Buf> {
        if (has_checksum()) this->set_u16(field::optional, v);
    }
    /// Sets the field reserved1() reads.
    constexpr void set_reserved1(std::uint16_t v) noexcept requires writable<Buf> {
        if (has_checksum()) this->set_u16(field::optional + 2, v);
    }
    /// Sets the field key() reads.
    constexpr void set_key(std::uint32_t v) noexcept requires writable<Buf> {
        if (has_key()) this->set_u32(key_offset(), v);
    }
    /// Sets the field sequence() reads.
    constexpr void set_sequence(std::uint32_t v) noexcept requires writable<Buf> {
        if (has_sequence()) this->set_u32(sequence_offset(), v);
    }
    /// Sets the field ack() reads.
    constexpr void set_ack(std::uint32_t v) noexcept requires writable<Buf> {
        if (has_ack()) this->set_u32(ack_offset(), v);
    }
    /// Version 1 only.
    constexpr void set_payload_len(std::uint16_t v) noexcept requires writable<Buf> {
        if (enhanced_key()) this->set_u16(key_offset(), v);
    }
    /// Version 1 only.
    constexpr void set_call_id(std::uint16_t v) noexcept requires writable<Buf> {
        if (enhanced_key()) this->set_u16(key_offset() + 2, v);
    }
    /// Computes and stores the checksum, if the C flag is set.
    constexpr void fill_checksum() noexcept requires writable<Buf> {
        if (has_checksum()) set_checksum(compute_checksum());
    }

    /// A read-only view of the same bytes.
    constexpr operator basic_view<bytes>() const noexcept requires writable<Buf> {
        return basic_view<bytes>::unchecked(this->buf_);
    }

private:
    constexpr explicit basic_view(Buf b) noexcept : base(b) {}

    [[nodiscard]] constexpr bool enhanced_key() const noexcept { return version() == version_enhanced && has_key(); }
    [[nodiscard]] constexpr std::size_t key_offset() const noexcept {
        return field::optional + (has_checksum() ? 4 : 0);
    }
    [[nodiscard]] constexpr std::size_t sequence_offset() const noexcept { return key_offset() + (has_key() ? 4 : 0); }
    [[nodiscard]] constexpr std::size_t ack_offset() const noexcept {
        return sequence_offset() + (has_sequence() ? 4 : 0);
    }
    constexpr void set_flag(std::uint16_t flag, bool v) noexcept requires writable<Buf> {
        this->set_bits16(field::flags_version.begin, flag, v ? flag : 0);
    }
};

/// A read-only GRE view over received bytes.
using view = basic_view<bytes>;
/// A writable GRE view: the setters are enabled, for building or editing in place.
using mut_view = basic_view<mut_bytes>;

/// The accepted states of a GRE header, owned.
struct repr {
    std::uint8_t version = version_gre;        ///< version_gre or version_enhanced
    ethertype protocol_type = ethertype::ipv4; ///< EtherType of the payload
    /// Version 0: carry a checksum; emit() computes it over the payload.
    bool has_checksum = false;
    /// Version 0 only: version 1 always carries a key, made of payload_len
    /// and call_id.
    std::optional<std::uint32_t> key{};
    std::optional<std::uint32_t> sequence{}; ///< sequence number to carry (S), if any
    /// Version 1 only.
    std::optional<std::uint32_t> ack{};
    /// Version 1 only.
    std::uint16_t call_id = 0;
    /// Payload bytes. In version 1 the payload-length field, at most 65535.
    std::size_t payload_len = 0;

    /// Accepts a checked view whose reserved0 and reserved1 are zero. In
    /// version 1 the payload length is the field's value, in version 0 the
    /// bytes after the header.
    [[nodiscard]] static constexpr result<repr> parse(const view& v) noexcept {
        if (v.reserved0() != 0) {
            return error::invalid(layer::gre, errc::bad_value, length_source::none, field::flags_version.begin, 0,
                                  v.reserved0());
        }
        if (v.reserved1().value_or(0) != 0) {
            return error::invalid(layer::gre, errc::bad_value, length_source::none, field::optional + 2, 0,
                                  *v.reserved1());
        }
        repr r;
        r.version = v.version();
        r.protocol_type = v.protocol_type();
        r.has_checksum = v.has_checksum();
        r.sequence = v.sequence();
        if (r.version == version_enhanced) {
            r.ack = v.ack();
            r.call_id = v.call_id();
            r.payload_len = v.payload_len();
        } else {
            r.key = v.key();
            r.payload_len = v.payload().size();
        }
        return r;
    }

    /// Bytes of the header emit() writes: 4 plus 4 per optional field.
    [[nodiscard]] constexpr std::size_t header_len() const noexcept {
        const bool enhanced = version == version_enhanced;
        std::size_t n = min_header_len;
        if (has_checksum && !enhanced) n += 4;
        if (key || enhanced) n += 4;
        if (sequence) n += 4;
        if (ack && enhanced) n += 4;
        return n;
    }
    /// Header plus payload.
    [[nodiscard]] constexpr std::size_t buffer_len() const noexcept { return header_len() + payload_len; }

    /// Writes the header into `v` (at least header_len() bytes). With a
    /// checksum, `v` holds buffer_len() bytes with the payload already in
    /// place after the header: the checksum is computed over both.
    constexpr void emit(mut_view v) const noexcept {
        const bool enhanced = version == version_enhanced;
        std::uint16_t f = 0;
        if (has_checksum && !enhanced) f |= flag_checksum;
        if (key || enhanced) f |= flag_key;
        if (sequence) f |= flag_sequence;
        if (ack && enhanced) f |= flag_ack;
        v.set_flags(f);
        v.set_version(version);
        v.set_protocol_type(protocol_type);
        v.set_checksum(0);
        v.set_reserved1(0);
        if (enhanced) {
            v.set_payload_len(static_cast<std::uint16_t>(payload_len));
            v.set_call_id(call_id);
        } else {
            v.set_key(key.value_or(0));
        }
        v.set_sequence(sequence.value_or(0));
        v.set_ack(ack.value_or(0));
        if (v.has_checksum()) mut_view::unchecked(clamp_subspan(v.buffer(), 0, buffer_len())).fill_checksum();
    }

    friend constexpr bool operator==(const repr&, const repr&) = default;
};

} // namespace rawpkt::gre
