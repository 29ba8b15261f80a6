// SPDX-License-Identifier: BSD-3-Clause
/// \file
/// IPv4 (RFC 791) header view, options iterator and repr.
///
/// Contract: after `view::checked(b)` succeeds, no accessor reads out of
/// bounds: the fixed header, the options (IHL) and the datagram (total
/// length) are all inside `b`. `view::checked_header(b)` only guarantees the
/// header and options; the datagram may be cut short by the capture, and
/// `payload()` then returns what is there. `payload()` is always clamped to
/// the buffer. `set_header_len()` voids the guarantee (the options may then
/// extend past the buffer); `set_total_len()` does not.
#pragma once

#include <rawpkt/bytes.hpp>
#include <rawpkt/checksum.hpp>
#include <rawpkt/error.hpp>
#include <rawpkt/packet/numbers.hpp>
#include <rawpkt/packet/tlv.hpp>
#include <rawpkt/packet/view_base.hpp>

#include <cstddef>
#include <cstdint>

namespace rawpkt::ipv4 {

/// The address type of src() and dst().
using address = ipv4_address;

/// Header layout, RFC 791 §3.1.
namespace field {
inline constexpr std::size_t ver_ihl = 0;     ///< version (4 bits), IHL in 32-bit words (4 bits)
inline constexpr std::size_t dscp_ecn = 1;    ///< DSCP (RFC 2474 §3) and ECN (RFC 3168 §5)
inline constexpr byte_range total_len{2, 4};  ///< header + data, in bytes
inline constexpr byte_range ident{4, 6};      ///< identification
inline constexpr byte_range flags_frag{6, 8}; ///< flags (3 bits) and fragment offset (13 bits, x8 bytes)
inline constexpr std::size_t ttl = 8;         ///< time to live
inline constexpr std::size_t protocol = 9;    ///< upper-layer protocol (ip_proto)
inline constexpr byte_range checksum{10, 12}; ///< header checksum
inline constexpr byte_range src{12, 16};      ///< source address
inline constexpr byte_range dst{16, 20};      ///< destination address
inline constexpr std::size_t options = 20;    ///< options start; up to IHL*4
} // namespace field

/// Bytes of a header without options.
inline constexpr std::size_t min_header_len = field::dst.end; // 20
/// Bytes of the longest header: IHL 15 words.
inline constexpr std::size_t max_header_len = 60;      // IHL 15
inline constexpr std::uint16_t flag_reserved = 0x8000; ///< must be zero
/// DF in the flags/fragment-offset word (RFC 791 §3.1).
inline constexpr std::uint16_t flag_dont_fragment = 0x4000;
/// MF in the flags/fragment-offset word (RFC 791 §3.1).
inline constexpr std::uint16_t flag_more_fragments = 0x2000;
/// The fragment offset bits of that word, in units of 8 bytes.
inline constexpr std::uint16_t frag_offset_mask = 0x1fff;

/// Option type octets (RFC 791 §3.1; router alert RFC 2113; IANA "IP Option Numbers").
enum class option_kind : std::uint8_t {
    end_of_list = 0,
    nop = 1,
    record_route = 7,
    timestamp = 68,
    security = 130,
    lsrr = 131, ///< loose source and record route
    extended_security = 133,
    commercial_security = 134,
    stream_id = 136,
    ssrr = 137, ///< strict source and record route
    router_alert = 148,
};

/// One option. `data` is the value after the type and length octets (empty
/// for EOL and NOP); `offset` is where the option starts in the header.
/// The accessors are meant for their kind; on any other option, or with an
/// index past the entries, they return 0 (or the zero address) and never
/// read outside `data`.
struct option {
    option_kind kind{};      ///< the option's type octet
    std::uint8_t length = 1; ///< whole option length, type and length octets included
    std::size_t offset = 0;  ///< where the option starts, in bytes from the start of the IPv4 header
    bytes data{};            ///< the option's value, after the type and length octets

    /// Record route, LSRR, SSRR, timestamp (RFC 791 §3.1): the 1-based
    /// pointer octet.
    [[nodiscard]] constexpr std::uint8_t pointer() const noexcept { return load_u8_or(data, 0); }
    /// True for the three route options.
    [[nodiscard]] constexpr bool is_route() const noexcept {
        return kind == option_kind::record_route || kind == option_kind::lsrr || kind == option_kind::ssrr;
    }
    /// Number of route addresses in a record-route, LSRR or SSRR option.
    [[nodiscard]] constexpr std::size_t route_count() const noexcept {
        return is_route() && !data.empty() ? (data.size() - 1) / 4 : 0;
    }
    /// The i-th route address (i < route_count()).
    [[nodiscard]] constexpr address route(std::size_t i) const noexcept {
        return i < route_count() ? address::load(data, 1 + 4 * i) : address{};
    }

    /// Timestamp option (RFC 791 §3.1): overflow count (4 bits).
    [[nodiscard]] constexpr std::uint8_t ts_overflow() const noexcept { return ts_octet() >> 4; }
    /// Timestamp option flag (4 bits): 0 timestamps only, 1 address+timestamp,
    /// 3 prespecified addresses.
    [[nodiscard]] constexpr std::uint8_t ts_flag() const noexcept { return ts_octet() & 0x0f; }
    /// Number of timestamp entries (each 4 bytes, or 8 with addresses).
    [[nodiscard]] constexpr std::size_t ts_count() const noexcept {
        if (kind != option_kind::timestamp || data.size() < 2) return 0;
        return (data.size() - 2) / ts_entry_len();
    }
    /// The i-th timestamp (ms since midnight UT, or any value with the high bit set).
    [[nodiscard]] constexpr std::uint32_t ts_timestamp(std::size_t i) const noexcept {
        if (i >= ts_count()) return 0;
        return load_be<std::uint32_t>(data, 2 + ts_entry_len() * i + ts_entry_len() - 4);
    }
    /// The i-th timestamp's address (flags 1 and 3 only).
    [[nodiscard]] constexpr address ts_address(std::size_t i) const noexcept {
        if (ts_flag() == 0 || i >= ts_count()) return {};
        return address::load(data, 2 + 8 * i);
    }

    /// Router alert value (RFC 2113 §2.1; 0 = examine packet).
    [[nodiscard]] constexpr std::uint16_t router_alert_value() const noexcept {
        return kind == option_kind::router_alert ? load_be_or<std::uint16_t>(data, 0) : 0;
    }

private:
    /// The timestamp option's overflow/flag octet; 0 for other kinds.
    [[nodiscard]] constexpr std::uint8_t ts_octet() const noexcept {
        return kind == option_kind::timestamp ? load_u8_or(data, 1) : 0;
    }
    [[nodiscard]] constexpr std::size_t ts_entry_len() const noexcept { return ts_flag() == 0 ? 4 : 8; }
};

/// Validates the option at `at` in `opts` (the options area, starting
/// `header_offset` bytes into the header): the layout IPv4 and TCP share
/// (detail::parse_kind_length()), then the per-kind lengths.
[[nodiscard]] constexpr result<option> parse_option(bytes opts, std::size_t at, std::size_t header_offset) noexcept {
    auto o = detail::parse_kind_length<option>(opts, at, header_offset, layer::ipv4_option);
    if (!o || o->kind == option_kind::end_of_list || o->kind == option_kind::nop) return o;
    const option_kind kind = o->kind;
    const std::uint8_t len = o->length;
    // Per-kind minimum lengths (RFC 791 §3.1, RFC 2113 §2.1).
    std::size_t min_len = 2;
    switch (kind) {
    case option_kind::record_route:
    case option_kind::lsrr:
    case option_kind::ssrr: min_len = 3; break;
    case option_kind::timestamp: min_len = 4; break;
    case option_kind::router_alert:
    case option_kind::stream_id: min_len = 4; break;
    default: break;
    }
    if (len < min_len) {
        return error::invalid(layer::ipv4_option, errc::length_too_small, length_source::option_length, o->offset + 1,
                              min_len, len);
    }
    if ((kind == option_kind::router_alert || kind == option_kind::stream_id) && len != 4) {
        return error::invalid(layer::ipv4_option, errc::length_too_large, length_source::option_length, o->offset + 1,
                              4, len);
    }
    return o;
}

/// How the options area is walked: each option by parse_option(), ending
/// after end-of-list.
using option_traits = detail::kind_length_traits<option, parse_option>;

/// Iterates the options area. Yields `result<option>`: a malformed option
/// yields its error and ends the iteration. Stops after end-of-list.
using option_range = detail::tlv_range<option_traits>;

/// Zero-copy IPv4 header view; see the file comment for the bounds contract.
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

    /// Validates the header, its options length and the total length.
    [[nodiscard]] static constexpr result<basic_view> checked(Buf b) noexcept {
        auto v = checked_header(b);
        if (!v) return v;
        if (v->total_len() > b.size()) {
            return error::truncated(layer::ipv4, length_source::total_length, 0, v->total_len(), b.size());
        }
        return v;
    }

    /// Validates the header and options only; the datagram may be cut short
    /// (a capture with a snaplen). A total length of 0 (TSO / BIG TCP
    /// captures) means "up to the end of the buffer".
    [[nodiscard]] static constexpr result<basic_view> checked_header(Buf b) noexcept {
        if (b.size() < min_header_len) {
            return error::truncated(layer::ipv4, length_source::fixed_header, 0, min_header_len, b.size());
        }
        const basic_view v{b};
        if (v.version() != 4) {
            return error::invalid(layer::ipv4, errc::bad_version, length_source::none, field::ver_ihl, 4, v.version());
        }
        if (v.header_len() < min_header_len) {
            return error::invalid(layer::ipv4, errc::length_too_small, length_source::header_length, field::ver_ihl,
                                  min_header_len, v.header_len());
        }
        if (v.header_len() > b.size()) {
            return error::truncated(layer::ipv4, length_source::header_length, 0, v.header_len(), b.size());
        }
        if (v.total_len() != 0 && v.total_len() < v.header_len()) {
            return error::invalid(layer::ipv4, errc::length_too_small, length_source::total_length,
                                  field::total_len.begin, v.header_len(), v.total_len());
        }
        return v;
    }

    // --- fields (RFC 791 §3.1) ---
    /// The version field: 4 for a header checked() accepted (RFC 791 §3.1).
    [[nodiscard]] constexpr std::uint8_t version() const noexcept { return u8(field::ver_ihl) >> 4; }
    /// The raw IHL field, in 32-bit words.
    [[nodiscard]] constexpr std::uint8_t ihl() const noexcept { return u8(field::ver_ihl) & 0x0f; }
    /// Header length in bytes (IHL * 4).
    [[nodiscard]] constexpr std::size_t header_len() const noexcept { return std::size_t{ihl()} * 4; }
    /// Differentiated Services Code Point, the upper 6 bits of the old TOS byte (RFC 2474 §3).
    [[nodiscard]] constexpr std::uint8_t dscp() const noexcept { return u8(field::dscp_ecn) >> 2; }
    /// Explicit Congestion Notification, the lower 2 bits (RFC 3168 §5).
    [[nodiscard]] constexpr std::uint8_t ecn() const noexcept { return u8(field::dscp_ecn) & 0x03; }
    /// The whole second octet (type of service / traffic class).
    [[nodiscard]] constexpr std::uint8_t tos() const noexcept { return u8(field::dscp_ecn); }
    /// The total-length field in bytes, as written in the header.
    [[nodiscard]] constexpr std::uint16_t total_len() const noexcept { return u16(field::total_len); }
    /// Identification: ties the fragments of one datagram together (RFC 791 §3.1, RFC 6864).
    [[nodiscard]] constexpr std::uint16_t ident() const noexcept { return u16(field::ident); }
    /// The three flag bits (reserved, DF, MF) as the top bits of a 16-bit word.
    [[nodiscard]] constexpr std::uint16_t flags() const noexcept { return u16(field::flags_frag) & 0xe000; }
    /// The reserved flag bit (must be zero; RFC 3514's "evil bit").
    [[nodiscard]] constexpr bool reserved_flag() const noexcept { return (flags() & flag_reserved) != 0; }
    /// Don't Fragment: routers drop rather than fragment it (RFC 791 §3.1).
    [[nodiscard]] constexpr bool dont_fragment() const noexcept { return (flags() & flag_dont_fragment) != 0; }
    /// More Fragments: another fragment follows this one.
    [[nodiscard]] constexpr bool more_fragments() const noexcept { return (flags() & flag_more_fragments) != 0; }
    /// The raw 13-bit fragment-offset field, in 8-byte units.
    [[nodiscard]] constexpr std::uint16_t frag_offset_units() const noexcept {
        return u16(field::flags_frag) & frag_offset_mask;
    }
    /// Fragment offset in bytes.
    [[nodiscard]] constexpr std::uint32_t frag_offset() const noexcept {
        return std::uint32_t{frag_offset_units()} * 8;
    }
    /// True for any fragment (MF set or a non-zero offset).
    [[nodiscard]] constexpr bool is_fragment() const noexcept { return more_fragments() || frag_offset_units() != 0; }
    /// True for a fragment other than the first: its payload does not start
    /// with the upper-layer header.
    [[nodiscard]] constexpr bool is_later_fragment() const noexcept { return frag_offset_units() != 0; }
    /// Time to live: hops left before a router drops it (RFC 791 §3.1).
    [[nodiscard]] constexpr std::uint8_t ttl() const noexcept { return u8(field::ttl); }
    /// The protocol of the payload (RFC 791 §3.1, IANA protocol numbers).
    [[nodiscard]] constexpr ip_proto protocol() const noexcept { return static_cast<ip_proto>(u8(field::protocol)); }
    /// Header checksum as carried (RFC 791 §3.1); see checksum_ok().
    [[nodiscard]] constexpr std::uint16_t checksum() const noexcept { return u16(field::checksum); }
    /// Source address.
    [[nodiscard]] constexpr address src() const noexcept { return address::load(this->buf_, field::src.begin); }
    /// Destination address.
    [[nodiscard]] constexpr address dst() const noexcept { return address::load(this->buf_, field::dst.begin); }

    /// The header bytes (fixed part and options).
    [[nodiscard]] constexpr Buf header() const noexcept { return this->range(0, header_len()); }
    /// The options bytes (may be empty).
    [[nodiscard]] constexpr Buf options_bytes() const noexcept { return this->range(field::options, header_len()); }
    /// The options between the fixed header and header_len(): iterate for `result<option>`.
    [[nodiscard]] constexpr option_range options() const noexcept {
        return option_range{bytes{options_bytes()}, field::options};
    }
    /// End of the datagram: total length, or the buffer end if total length
    /// is 0 or exceeds the buffer.
    [[nodiscard]] constexpr std::size_t datagram_len() const noexcept {
        const std::size_t t = total_len();
        return t == 0 || t > this->buf_.size() ? this->buf_.size() : t;
    }
    /// True when the whole datagram (per total length) is in the buffer.
    [[nodiscard]] constexpr bool is_complete() const noexcept { return total_len() <= this->buf_.size(); }
    /// The data after the header, up to the total length, clamped to the buffer.
    [[nodiscard]] constexpr Buf payload() const noexcept {
        const std::size_t end = datagram_len();
        const std::size_t begin = header_len() < end ? header_len() : end;
        return this->range(begin, end);
    }

    /// True when the header checksum verifies.
    [[nodiscard]] constexpr bool checksum_ok() const noexcept {
        return checksum::accumulator{}.add(bytes{header()}).verifies();
    }
    /// The checksum the header should carry (computed with the field as zero).
    [[nodiscard]] constexpr std::uint16_t compute_checksum() const noexcept {
        checksum::accumulator acc;
        acc.add(bytes{this->range(0, field::checksum.begin)});
        acc.add(bytes{this->range(field::checksum.end, header_len())});
        return acc.finish();
    }

    // --- setters (mut_view only) ---
    /// Sets the field version() reads.
    constexpr void set_version(std::uint8_t v) noexcept requires writable<Buf> {
        this->set_bits8(field::ver_ihl, 0xf0, static_cast<std::uint8_t>(v << 4));
    }
    /// Sets IHL from a byte length (a multiple of 4, 20..60). Voids the
    /// checked() guarantee if the new length exceeds the buffer.
    constexpr void set_header_len(std::size_t len) noexcept requires writable<Buf> {
        this->set_bits8(field::ver_ihl, 0x0f, static_cast<std::uint8_t>(len / 4));
    }
    /// Sets the field dscp() reads.
    constexpr void set_dscp(std::uint8_t v) noexcept requires writable<Buf> {
        this->set_bits8(field::dscp_ecn, 0xfc, static_cast<std::uint8_t>(v << 2));
    }
    /// Sets the field ecn() reads.
    constexpr void set_ecn(std::uint8_t v) noexcept requires writable<Buf> {
        this->set_bits8(field::dscp_ecn, 0x03, v);
    }
    /// Sets the field total_len() reads.
    constexpr void set_total_len(std::uint16_t v) noexcept requires writable<Buf> {
        this->set_u16(field::total_len, v);
    }
    /// Sets the field ident() reads.
    constexpr void set_ident(std::uint16_t v) noexcept requires writable<Buf> { this->set_u16(field::ident, v); }
    /// Sets or clears the flag reserved_flag() reads.
    constexpr void set_reserved_flag(bool v) noexcept requires writable<Buf> {
        this->set_bits16(field::flags_frag.begin, flag_reserved, v ? flag_reserved : 0);
    }
    /// Sets or clears the flag dont_fragment() reads.
    constexpr void set_dont_fragment(bool v) noexcept requires writable<Buf> {
        this->set_bits16(field::flags_frag.begin, flag_dont_fragment, v ? flag_dont_fragment : 0);
    }
    /// Sets or clears the flag more_fragments() reads.
    constexpr void set_more_fragments(bool v) noexcept requires writable<Buf> {
        this->set_bits16(field::flags_frag.begin, flag_more_fragments, v ? flag_more_fragments : 0);
    }
    /// Sets the fragment offset from bytes (a multiple of 8).
    constexpr void set_frag_offset(std::uint32_t bytes_offset) noexcept requires writable<Buf> {
        this->set_bits16(field::flags_frag.begin, frag_offset_mask, static_cast<std::uint16_t>(bytes_offset / 8));
    }
    /// Sets the field ttl() reads.
    constexpr void set_ttl(std::uint8_t v) noexcept requires writable<Buf> { this->set_u8(field::ttl, v); }
    /// Sets the field protocol() reads.
    constexpr void set_protocol(ip_proto p) noexcept requires writable<Buf> {
        this->set_u8(field::protocol, static_cast<std::uint8_t>(p));
    }
    /// Sets the field checksum() reads.
    constexpr void set_checksum(std::uint16_t v) noexcept requires writable<Buf> { this->set_u16(field::checksum, v); }
    /// Writes the address src() reads.
    constexpr void set_src(const address& a) noexcept requires writable<Buf> { a.store(this->buf_, field::src.begin); }
    /// Writes the address dst() reads.
    constexpr void set_dst(const address& a) noexcept requires writable<Buf> { a.store(this->buf_, field::dst.begin); }
    /// Computes and stores the header checksum.
    constexpr void fill_checksum() noexcept requires writable<Buf> { set_checksum(compute_checksum()); }
    /// Decrements the TTL and patches the checksum incrementally (RFC 1624),
    /// as a router does. Returns the new TTL.
    constexpr std::uint8_t decrement_ttl() noexcept requires writable<Buf> {
        const std::uint16_t old_word = u16(field::ttl);
        set_ttl(static_cast<std::uint8_t>(ttl() - 1));
        set_checksum(checksum::update(checksum(), old_word, u16(field::ttl)));
        return ttl();
    }

    /// A read-only view of the same bytes.
    constexpr operator basic_view<bytes>() const noexcept requires writable<Buf> {
        return basic_view<bytes>::unchecked(this->buf_);
    }

private:
    constexpr explicit basic_view(Buf b) noexcept : base(b) {}
};

/// A read-only IPv4 view over received bytes.
using view = basic_view<bytes>;
/// A writable IPv4 view: the setters are enabled, for building or editing in place.
using mut_view = basic_view<mut_bytes>;

/// The accepted states of an IPv4 header, owned.
struct repr {
    address src{};                     ///< source address
    address dst{};                     ///< destination address
    ip_proto protocol = ip_proto::tcp; ///< the payload's protocol
    std::uint8_t ttl = 64;             ///< time to live
    std::uint8_t dscp = 0;             ///< DSCP, 0 to 63
    std::uint8_t ecn = 0;              ///< ECN, 0 to 3
    std::uint16_t ident = 0;           ///< Identification
    bool dont_fragment = true;         ///< Don't Fragment
    bool more_fragments = false;       ///< More Fragments
    std::uint32_t frag_offset = 0;     ///< bytes, a multiple of 8
    std::uint16_t payload_len = 0;     ///< bytes after the header
    /// Raw options, at most 40 bytes; emit() pads them with EOL to a
    /// multiple of 4.
    small_bytes<max_header_len - min_header_len> options{};

    /// Accepts a checked view whose options are well formed and whose
    /// reserved flag is clear. The payload length comes from the total
    /// length (or the buffer, for a total length of 0).
    [[nodiscard]] static constexpr result<repr> parse(const view& v) noexcept {
        if (v.reserved_flag()) {
            return error::invalid(layer::ipv4, errc::bad_value, length_source::none, field::flags_frag.begin, 0, 1);
        }
        if (auto ok = v.options().validate(); !ok) return ok.error();
        repr r;
        r.src = v.src();
        r.dst = v.dst();
        r.protocol = v.protocol();
        r.ttl = v.ttl();
        r.dscp = v.dscp();
        r.ecn = v.ecn();
        r.ident = v.ident();
        r.dont_fragment = v.dont_fragment();
        r.more_fragments = v.more_fragments();
        r.frag_offset = v.frag_offset();
        r.payload_len = static_cast<std::uint16_t>(v.datagram_len() - v.header_len());
        (void)r.options.set(v.options_bytes()); // at most 40 bytes: IHL is 4 bits
        return r;
    }

    /// Bytes of the header emit() writes: 20 plus the options padded to a multiple of 4.
    [[nodiscard]] constexpr std::size_t header_len() const noexcept {
        return min_header_len + ((options.size() + 3u) & ~std::size_t{3});
    }
    /// Header plus payload.
    [[nodiscard]] constexpr std::size_t buffer_len() const noexcept { return header_len() + payload_len; }

    /// Writes the header into `v` (at least header_len() bytes), total
    /// length and checksum included. Options are padded with EOL to a
    /// multiple of 4 bytes.
    constexpr void emit(mut_view v) const noexcept {
        const std::size_t hl = header_len();
        v.set_version(4);
        v.set_header_len(hl);
        v.set_dscp(dscp);
        v.set_ecn(ecn);
        v.set_total_len(static_cast<std::uint16_t>(hl + payload_len));
        v.set_ident(ident);
        v.set_reserved_flag(false);
        v.set_dont_fragment(dont_fragment);
        v.set_more_fragments(more_fragments);
        v.set_frag_offset(frag_offset);
        v.set_ttl(ttl);
        v.set_protocol(protocol);
        v.set_src(src);
        v.set_dst(dst);
        mut_bytes out = v.buffer();
        store_bytes(out, field::options, options.bytes());
        for (std::size_t i = min_header_len + options.size(); i < hl; ++i) out[i] = std::byte{0};
        v.set_checksum(0);
        v.fill_checksum();
    }

    friend constexpr bool operator==(const repr&, const repr&) noexcept = default;
};

} // namespace rawpkt::ipv4
